// Reading the PyTorch reference data (tests/reference/*.json) and comparing to it, shared by the
// data-driven tests. Non-finite numbers are stored as the strings "nan", "inf", "-inf".
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "registry.hpp"

namespace labtest {

using json = nlohmann::json;

const json& reference(const std::string& file);   // loaded once: "elementwise", "vector", ...
double number(const json& j);
lab::Tensor tensor(const json& j);                 // a number or nested lists
lab::ParamMap params(const json& j);
lab::ArgMap args(const json& j);
// |actual - expected| <= 1e-12 * max(|actual|, |expected|) + 1e-15, with NaN == NaN and
// equal infinities equal.
bool close(double actual, double expected);
constexpr double kRelTol = 1e-12;
constexpr double kAbsFloor = 1e-15;

}  // namespace labtest
