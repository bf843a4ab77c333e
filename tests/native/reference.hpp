// Reading the PyTorch reference data (tests/reference/*.json), shared by the data-driven tests.
// Non-finite numbers are stored as the strings "nan", "inf", "-inf". Comparing to it uses the one
// rule of support.hpp.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "registry.hpp"
#include "support.hpp"

namespace labtest {

using json = nlohmann::json;

const json& reference(const std::string& file);   // loaded once: "elementwise", "vector", ...
double number(const json& j);
lab::Tensor tensor(const json& j);                 // a number or nested lists
lab::ParamMap params(const json& j);
lab::ArgMap args(const json& j);

}  // namespace labtest
