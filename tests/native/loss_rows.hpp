// The three shapes of a loss rule, as table rows, and the one loop that checks each table:
// - Case: {function, params, args, expected outputs, why}: the outputs a row states — "loss",
//   "elementwise" (the reduction='none' breakdown) or "grad <arg>" — each compared in full
//   (shape, then every element) by support.hpp's rule; a row checks only what it lists, so it
//   says which part of PyTorch's behaviour it is about. Optionally the exact warnings.
// - Same: two calls that must give the same outputs (one loss defined through another).
// - Rejected: {function, params, args, PyTorch's exact message, why}.
// Every row CAPTUREs its function, params, args and why, so a failure reads as the rule it broke.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support.hpp"

namespace labtest {

using Outputs = std::vector<std::pair<std::string, lab::Tensor>>;  // "loss" | "elementwise" | "grad <arg>"
using Warnings = std::optional<std::vector<std::string>>;         // nullopt: not checked
inline const Warnings kNoWarning = std::vector<std::string>{};

struct Case {
    std::string function;
    Params params;
    lab::ArgMap args;
    Outputs expect;
    std::string why;
    Warnings warnings = std::nullopt;
};

struct Call {
    std::string function;
    Params params;
    lab::ArgMap args;
};

struct Same {
    Call a, b;
    std::vector<std::string> outputs;  // as in Outputs
    std::string why;
    double b_divided_by = 1.0;         // a == b / this
};

struct Rejected {
    std::string function;
    Params params;
    lab::ArgMap args;
    std::string message;
    std::string why;
};

inline const lab::Tensor& output(const lab::LossResult& r, const std::string& what) {
    if (what == "loss") return r.loss;
    if (what == "elementwise") return r.elementwise;
    const std::string arg = what.substr(what.find(' ') + 1);
    CAPTURE(what);
    REQUIRE(r.grad.count(arg) == 1);
    return r.grad.at(arg);
}

inline void check_cases(const std::vector<Case>& table) {
    for (const Case& c : table) {
        const std::string params = show(c.params), args = show(c.args);
        CAPTURE(c.why);
        CAPTURE(c.function);
        CAPTURE(params);
        CAPTURE(args);
        const lab::LossResult r = lab::evaluate_loss(c.function, c.params, c.args);
        for (const auto& [what, want] : c.expect) check_tensor(output(r, what), want, what);
        if (c.warnings) CHECK(r.warnings == *c.warnings);
    }
}

inline void check_same(const std::vector<Same>& table) {
    for (const Same& s : table) {
        const std::string a = s.a.function + " " + show(s.a.params) + " " + show(s.a.args);
        const std::string b = s.b.function + " " + show(s.b.params) + " " + show(s.b.args);
        CAPTURE(s.why);
        CAPTURE(a);
        CAPTURE(b);
        const lab::LossResult ra = lab::evaluate_loss(s.a.function, s.a.params, s.a.args);
        const lab::LossResult rb = lab::evaluate_loss(s.b.function, s.b.params, s.b.args);
        for (const std::string& what : s.outputs) {
            lab::Tensor want = output(rb, what);
            for (double& v : want.data) v /= s.b_divided_by;
            check_tensor(output(ra, what), want, what);
        }
    }
}

inline void check_rejected(const std::vector<Rejected>& table) {
    for (const Rejected& r : table) {
        const std::string params = show(r.params), args = show(r.args);
        CAPTURE(r.why);
        CAPTURE(r.function);
        CAPTURE(params);
        CAPTURE(args);
        CHECK(error_of([&] { lab::evaluate_loss(r.function, r.params, r.args); }) == r.message);
    }
}

}  // namespace labtest
