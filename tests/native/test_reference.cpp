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
        // a 1-D x (most cases) or, in the later cases, another shape (0-dim to 3-D)
        const lab::Tensor x = labtest::tensor(c["x"]);
        const lab::Tensor want_y = labtest::tensor(c["y"]), want_dy = labtest::tensor(c["dy"]);
        REQUIRE(want_y.shape == x.shape);
        std::vector<double> y(x.data.size()), dy(x.data.size());
        lab::evaluate_elementwise(name, labtest::params(c["params"]), x.shape, x.data.data(), y.data(), dy.data());
        for (std::size_t i = 0; i < x.data.size(); ++i) {
            const labtest::Exact xi{x.data[i]};
            CAPTURE(xi);
            check_close(y[i], want_y.data[i]);
            check_close(dy[i], want_dy.data[i]);
        }
        if (x.dim() == 1) {  // the flat entry point is the same computation
            const lab::ElementwiseResult r = lab::evaluate_elementwise(name, labtest::params(c["params"]), x.data);
            CHECK(labtest::show(lab::Tensor(x.shape, r.y)) == labtest::show(lab::Tensor(x.shape, y)));
            CHECK(labtest::show(lab::Tensor(x.shape, r.dy)) == labtest::show(lab::Tensor(x.shape, dy)));
        }
    }
}

TEST_CASE("vector activations: value and Jacobian of every slice match PyTorch, 0-dim to 3-D") {
    const auto& cases = labtest::reference("vector")["cases"];
    REQUIRE(cases.size() > 0);
    int nd = 0;
    for (const auto& c : cases) {
        const std::string name = c["name"];
        const std::string params = show(c["params"]);
        const std::string input = show(c["x"]);
        CAPTURE(name);
        CAPTURE(params);
        CAPTURE(input);
        const lab::Tensor x = labtest::tensor(c["x"]);
        const lab::VectorTensorResult r = lab::evaluate_vector_tensor(name, labtest::params(c["params"]), x);
        labtest::check_tensor(r.y, labtest::tensor(c["y"]), "y");
        labtest::check_tensor(r.jacobian, labtest::tensor(c["jacobian"]), "jacobian");
        // dim=None: PyTorch's deprecation warning, word for word; none otherwise
        std::vector<std::string> want;
        if (c.contains("warnings"))
            for (const auto& w : c["warnings"]) want.push_back(w);
        CHECK(r.warnings == want);
        if (x.dim() != 1) {
            ++nd;
            continue;
        }
        // The 1-D entry point is the same computation, flat.
        const lab::VectorResult flat = lab::evaluate_vector(name, labtest::params(c["params"]), x.data);
        CHECK(labtest::show(lab::Tensor(r.y.shape, flat.y)) == labtest::show(r.y));
        CHECK(labtest::show(lab::Tensor(r.jacobian.shape, flat.jacobian)) == labtest::show(r.jacobian));
    }
    CHECK(nd >= 60);  // the N-D and 0-dim cases are there
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
        for (const auto& item : c["grad"].items()) {  // (no structured binding: clang 14 cannot capture one)
            const std::string& arg = item.key();
            const auto& g = item.value();
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
                const lab::Tensor x = labtest::tensor(c["x"]);
                if (kind == "vector") lab::evaluate_vector_tensor(name, labtest::params(c["params"]), x);
                else {
                    std::vector<double> y(x.data.size()), dy(x.data.size());
                    lab::evaluate_elementwise(name, labtest::params(c["params"]), x.shape, x.data.data(), y.data(), dy.data());
                }
            }
        });
        CAPTURE(message);
        CHECK_MESSAGE(!message.empty(), "no Error was thrown");
        CHECK(message.find(match) != std::string::npos);
    }
}
