// What every native test shares: ONE comparison rule, one way to catch an error message, one
// spelling of NaN and infinity, and short builders for tensors and parameter maps, so a test row
// reads like the PyTorch call it stands for ({"ELU", {{"alpha", 0.5}}, -1.0, ...}).
//
// The comparison rule, for every test (hand-written rows and the PyTorch reference data alike):
//     |actual - expected| <= 1e-12 * max(|actual|, |expected|)
// - Relative 1e-12: float64 has ~16 digits; the core repeats ATen's arithmetic, so it agrees with
//   PyTorch to the last bit or a few ulps, and 1e-12 leaves room for libm differences (exp, log1p,
//   erf of glibc vs. the one torch was built with) without hiding a wrong formula.
// - No absolute floor. The reference tests used to add 1e-15, which accepts ANY number below
//   1e-15 for a tiny expected value (PyTorch's 4.2e-18, 7.1e-14, 4.9e-277 are the points of some
//   rows) and any ulp-sized noise where PyTorch gives an exact 0. Every reference value (down
//   to 5e-324) passes without it, so an expected 0 needs a 0 and tiny values get 12 digits too.
//   Where a result is a cancellation whose noise is the point (a Jacobian row summing to ~0),
//   the test states its own bound next to the reason.
// - NaN matches only NaN; an infinity matches only the same infinity.
// - The sign of zero is not compared, as PyTorch's own assert_close does not; a row that is
//   about the sign (ReLU(-0.0) = -0.0) asks for it (close_signed).
// (Rows about the last bit, test_scalar.cpp, compare bits instead: a different question, not a
// looser or tighter version of this rule.)
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "registry.hpp"

namespace labtest {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kRelTol = 1e-12;

// The rule above.
inline bool close(double actual, double expected) {
    if (std::isnan(expected) || std::isnan(actual)) return std::isnan(expected) && std::isnan(actual);
    if (std::isinf(expected) || std::isinf(actual)) return actual == expected;
    return std::fabs(actual - expected) <= kRelTol * std::fmax(std::fabs(actual), std::fabs(expected));
}
// The rule above, and a zero must carry the expected sign.
inline bool close_signed(double actual, double expected) {
    return close(actual, expected) && (expected != 0.0 || std::signbit(actual) == std::signbit(expected));
}

// A double that a failure message prints in full (Python's repr: shortest round trip), where
// doctest would print 6 digits and hide a difference in the 13th. Cheap: CAPTURE formats it only
// when a check fails.
struct Exact {
    double v;
};
inline std::ostream& operator<<(std::ostream& os, Exact e) { return os << lab::py_float(e.v); }

// One CHECK per value, with both numbers captured (the caller CAPTUREs its inputs and `why`).
inline void check_close(double actual, double expected, bool signed_zero = false) {
    const Exact got{actual}, want{expected};
    CAPTURE(got);
    CAPTURE(want);
    CHECK((signed_zero ? close_signed(actual, expected) : close(actual, expected)));
}

// Shape first (a REQUIRE: nothing else can be compared after a wrong shape), then one CHECK per
// element. `what` names the tensor ("loss", "grad[input]") in a failure.
inline void check_tensor(const lab::Tensor& actual, const lab::Tensor& expected, const std::string& what = "") {
    CAPTURE(what);
    REQUIRE(lab::sizes_str(actual.shape) == lab::sizes_str(expected.shape));
    REQUIRE(actual.numel() == expected.numel());
    for (std::size_t i = 0; i < expected.numel(); ++i) {
        CAPTURE(i);
        check_close(actual.data[i], expected.data[i]);
    }
}

// The message of the lab::Error that f() throws, or "" when it returns normally. (Any other
// exception escapes, and doctest reports it as the failure it is.)
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const lab::Error& e) {
        return e.what();
    }
    return "";
}

// ---------------------------------------------------------------- builders
// T({1.0, 2.0}) is 1-D; T({2, 3}, {...}) has a shape; scalar(v) is 0-dim.
inline lab::Tensor T(std::vector<double> data) {
    const auto n = static_cast<std::int64_t>(data.size());
    return lab::Tensor(lab::Shape{n}, std::move(data));
}
inline lab::Tensor T(lab::Shape shape, std::vector<double> data) {
    return lab::Tensor(std::move(shape), std::move(data));
}
inline lab::Tensor scalar(double v) { return lab::Tensor::scalar(v); }

// One parameter value, implicitly from what it would be in Python: 0.5, 3, true, "sum", a tensor,
// or nullptr for None.
struct Param {
    lab::Value value;
    Param(double v) : value(lab::Value::num(v)) {}                   // NOLINT: implicit on purpose
    Param(int v) : value(lab::Value::num(v)) {}                      // NOLINT
    Param(bool v) : value(lab::Value::flag(v)) {}                    // NOLINT
    Param(const char* v) : value(lab::Value::str(v)) {}              // NOLINT
    Param(lab::Tensor v) : value(lab::Value::tensor_of(std::move(v))) {}  // NOLINT
    Param(std::nullptr_t) : value(lab::Value::none()) {}             // NOLINT
};

// Keyword arguments as a test row writes them: {{"alpha", 0.5}}, {{"reduction", "sum"}, {"weight", T({1, 2})}}.
// Converts to lab::ParamMap wherever one is expected.
struct Params {
    lab::ParamMap map;
    Params() = default;
    Params(std::initializer_list<std::pair<const char*, Param>> kv) {
        for (const auto& [k, v] : kv) map[k] = v.value;
    }
    Params with(const char* key, Param v) const {
        Params p = *this;
        p.map[key] = std::move(v.value);
        return p;
    }
    operator const lab::ParamMap&() const { return map; }  // NOLINT: implicit on purpose
};

// A short, exact text of a tensor or a parameter map for CAPTURE ("[2, 1] {1.0, 2.0}").
inline std::string show(const lab::Tensor& t) {
    std::string s = lab::sizes_str(t.shape) + " {";
    for (std::size_t i = 0; i < t.numel(); ++i) s += (i ? ", " : "") + lab::py_float(t.data[i]);
    return s + "}";
}
inline std::string show(const lab::Value& v) {
    switch (v.type) {
        case lab::Value::Type::None: return "None";
        case lab::Value::Type::Number: return lab::py_float(v.number);
        case lab::Value::Type::Bool: return v.boolean ? "True" : "False";
        case lab::Value::Type::String: return "'" + v.string + "'";
        case lab::Value::Type::Tensor: return show(v.tensor);
    }
    return "?";
}
inline std::string show(const lab::ParamMap& p) {
    std::string s = "{";
    for (const auto& [k, v] : p) s += (s.size() > 1 ? ", " : "") + k + "=" + show(v);
    return s + "}";
}
inline std::string show(const lab::ArgMap& a) {
    std::string s;
    for (const auto& [k, v] : a) s += (s.empty() ? "" : "; ") + k + ": " + show(v);
    return s;
}

}  // namespace labtest
