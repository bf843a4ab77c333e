// The core against PyTorch's own numbers (tests/reference/*.json, made by generate.py with torch
// in float64): every value, gradient and Jacobian entry by support.hpp's one rule (relative
// 1e-12, no absolute floor), and every error case with PyTorch's wording.
#include <doctest/doctest.h>

#include <algorithm>

#include "reference.hpp"

using labtest::check_close;
using labtest::json;
using labtest::number;

namespace {

std::string show(const json& j) { return j.dump(); }

}  // namespace

TEST_CASE("elementwise activations: value and derivative match PyTorch at every reference point") {
    const auto& cases = labtest::reference("elementwise")["cases"];
    REQUIRE(cases.size() > 0);
    for (const auto& c : cases) {
        const std::string name = c["name"];
        const std::string params = show(c["params"]);
        CAPTURE(name);
        CAPTURE(params);
        std::vector<double> x;
        for (const auto& v : c["x"]) x.push_back(number(v));
        const lab::ElementwiseResult r = lab::evaluate_elementwise(name, labtest::params(c["params"]), x);
        for (std::size_t i = 0; i < x.size(); ++i) {
            const labtest::Exact xi{x[i]};
            CAPTURE(xi);
            check_close(r.y[i], number(c["y"][i]));
            check_close(r.dy[i], number(c["dy"][i]));
        }
    }
}

TEST_CASE("vector activations: value and full Jacobian match PyTorch") {
    const auto& cases = labtest::reference("vector")["cases"];
    REQUIRE(cases.size() > 0);
    for (const auto& c : cases) {
        const std::string name = c["name"];
        const std::string params = show(c["params"]);
        const std::string input = show(c["x"]);
        CAPTURE(name);
        CAPTURE(params);
        CAPTURE(input);
        std::vector<double> x;
        for (const auto& v : c["x"]) x.push_back(number(v));
        const lab::VectorResult r = lab::evaluate_vector(name, labtest::params(c["params"]), x);
        REQUIRE(r.y.size() == c["y"].size());
        for (std::size_t i = 0; i < r.y.size(); ++i) {
            CAPTURE(i);
            check_close(r.y[i], number(c["y"][i]));
        }
        REQUIRE(r.jacobian.size() == r.y.size() * x.size());
        for (std::size_t i = 0; i < r.y.size(); ++i)
            for (std::size_t j = 0; j < x.size(); ++j) {
                CAPTURE(i);
                CAPTURE(j);
                check_close(r.jacobian[i * x.size() + j], number(c["jacobian"][i][j]));
            }
    }
}

TEST_CASE("losses: value (with each reduction) and gradient of every floating-point argument match PyTorch") {
    const auto& cases = labtest::reference("losses")["cases"];
    REQUIRE(cases.size() > 0);
    for (const auto& c : cases) {
        const std::string name = c["name"];
        const std::string params = show(c["params"]);
        const std::string args = show(c["args"]);
        CAPTURE(name);
        CAPTURE(params);
        CAPTURE(args);
        const lab::LossResult r = lab::evaluate_loss(name, labtest::params(c["params"]), labtest::args(c["args"]));
        labtest::check_tensor(r.loss, labtest::tensor(c["loss"]), "loss");
        for (const auto& [arg, g] : c["grad"].items()) {
            REQUIRE_MESSAGE(r.grad.count(arg) == 1, "no gradient for ", arg);
            labtest::check_tensor(r.grad.at(arg), labtest::tensor(g), "grad[" + arg + "]");
        }
        if (c.contains("warnings")) {
            for (const auto& w : c["warnings"]) {
                const std::string want = w;
                CAPTURE(want);
                CHECK(std::find(r.warnings.begin(), r.warnings.end(), want) != r.warnings.end());
            }
        } else {
            CHECK(r.warnings.empty());
        }
    }
}

TEST_CASE("bad input: every case where PyTorch raises gives an Error with PyTorch's wording") {
    const auto& cases = labtest::reference("errors")["cases"];
    REQUIRE(cases.size() > 0);
    for (const auto& c : cases) {
        const std::string name = c["name"], kind = c["kind"], match = c["match"];
        const std::string params = show(c["params"]);
        const std::string input = c.contains("x") ? show(c["x"]) : show(c["args"]);
        CAPTURE(name);
        CAPTURE(params);
        CAPTURE(input);
        CAPTURE(match);
        const std::string message = labtest::error_of([&] {
            if (kind == "loss") {
                lab::evaluate_loss(name, labtest::params(c["params"]), labtest::args(c["args"]));
            } else {
                std::vector<double> x;
                for (const auto& v : c["x"]) x.push_back(number(v));
                if (kind == "vector") lab::evaluate_vector(name, labtest::params(c["params"]), x);
                else lab::evaluate_elementwise(name, labtest::params(c["params"]), x);
            }
        });
        CAPTURE(message);
        CHECK_MESSAGE(!message.empty(), "no Error was thrown");
        CHECK(message.find(match) != std::string::npos);
    }
}
