// Training through BinaryStep (issue 10): its PyTorch code `(x >= 0).double()` has no grad_fn, so
// every Linear before it has .grad None after backward() and torch.optim skips it — no weight
// decay, no momentum, no AdamW decay. tests/reference/grad_none.json (generate_grad_none.py) is
// PyTorch's run: 6 steps of SGD (momentum, weight_decay), AdamW, RMSprop and Adam (weight_decay);
// the engine's losses and final parameters must be PyTorch's within the 1e-9, and the
// layers before the step bit for bit their initial values. Also Optimizer::step's own rule (an
// empty gradient span is None) and the refusal when nothing before the loss requires grad — for
// the built-in and for formulas with the same torch code (no grad_fn: Formula::differentiable()).
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "nn_model.hpp"
#include "nn_optim.hpp"
#include "reference.hpp"
#include "support.hpp"

namespace {

using labtest::json;
using namespace lab::nn;

ModuleSpec module(const std::string& name, lab::ParamMap params = {}) {
    ModuleSpec m;
    m.name = name;
    m.params = std::move(params);
    return m;
}

bool within(double got, double want, double tol) {
    return std::fabs(got - want) <= tol * std::fmax(std::fabs(got), std::fabs(want));
}

std::vector<double> flat(const json& j) { return labtest::tensor(j).data; }

}  // namespace

TEST_CASE("BinaryStep: the Linears before it are left alone by every optimiser, as torch.optim leaves a .grad None") {
    const json& ref = labtest::reference("grad_none");
    REQUIRE(ref["cases"].size() == 4);
    // The same PyTorch module three ways: the built-in, and formulas whose torch code is the same
    // (x >= 0).double() — a comparison, and BinaryStep called by name (Formula::differentiable()).
    const ModuleSpec acts[] = {module("BinaryStep"), ModuleSpec::of_formula("x >= 0"), ModuleSpec::of_formula("BinaryStep(x)")};
    for (const ModuleSpec& act : acts)
    for (const json& c : ref["cases"]) {
        const std::string opt = c["optimizer"]["name"].get<std::string>();
        const std::string activation = act.formula.empty() ? act.name : "formula " + act.formula;
        CAPTURE(activation);
        CAPTURE(opt);
        NetworkSpec s;
        s.sizes = c["sizes"].get<std::vector<std::int64_t>>();
        s.activation = act;
        s.bias = true;
        s.seed = c["seed"].get<std::uint64_t>();
        s.loss = module("MSELoss");
        s.optimizer = module(opt, labtest::params(c["optimizer"]["params"]));
        Network net(s);
        const auto initial = net.parameters();
        const lab::Tensor x = labtest::tensor(c["x"]), y = labtest::tensor(c["y"]);
        const auto& losses = c["losses"];
        for (std::size_t k = 0; k < losses.size(); ++k) {
            CAPTURE(k);
            const double loss = net.step(x, y);
            CHECK(within(loss, losses[k].get<double>(), 1e-12));
        }
        const auto final = net.parameters();
        const auto& want = c["final"];
        REQUIRE(final.size() == want.size());
        for (std::size_t l = 0; l < final.size(); ++l) {
            CAPTURE(l);
            const auto w = flat(want[l]["weight"]), b = flat(want[l]["bias"]);
            REQUIRE(final[l].weight.size() == w.size());
            for (std::size_t i = 0; i < w.size(); ++i) CHECK(within(final[l].weight[i], w[i], 1e-9));
            for (std::size_t i = 0; i < b.size(); ++i) CHECK(within(final[l].bias[i], b[i], 1e-9));
            if (l + 1 < final.size()) {  // untouched: the initial bits
                CHECK(final[l].weight == initial[l].weight);
                CHECK(final[l].bias == initial[l].bias);
            } else {
                CHECK(final[l].weight != initial[l].weight);
            }
        }
    }
}

TEST_CASE("Optimizer::step: an empty gradient span is .grad None (parameter and state untouched); sizes still checked") {
    Optimizer opt("SGD", {{"lr", lab::Value::num(0.1)}, {"momentum", lab::Value::num(0.9)}, {"weight_decay", lab::Value::num(0.5)}}, {2, 1});
    std::vector<double> a{1.0, -2.0}, b{3.0};
    const std::vector<double> ga{0.5, 0.25};
    std::vector<std::span<double>> p{a, b};
    std::vector<std::span<const double>> g{ga, std::span<const double>()};
    opt.step(p, g);
    CHECK(b[0] == 3.0);
    CHECK(a[0] != 1.0);
    // its state was never created: a later real step is the first one (momentum buffer = the step's direction)
    const std::vector<double> gb{1.0};
    g[1] = gb;
    opt.step(p, g);
    CHECK(b[0] == 3.0 - 0.1 * (1.0 + 0.5 * 3.0));
    const std::vector<double> wrong{1.0, 2.0};
    g[1] = wrong;
    CHECK_THROWS_AS(opt.step(p, g), lab::Error);
}

TEST_CASE("BinaryStep as the output: nothing requires grad, step() refuses as loss.backward() does") {
    for (const ModuleSpec& out : {module("BinaryStep"), ModuleSpec::of_formula("x >= 0"), ModuleSpec::of_formula("where(x > 0, 1, 2)")}) {
        CAPTURE(out.formula);
        NetworkSpec s;
        s.sizes = {2, 3, 1};
        s.activation = module("Tanh");
        s.output = out;
        s.loss = module("MSELoss");
        s.optimizer = module("SGD", {{"lr", lab::Value::num(0.1)}});
        Network net(s);
        const lab::Tensor x = labtest::T({1, 2}, {0.5, -1.0}), y = labtest::T({1, 1}, {1.0});
        CHECK_THROWS_WITH_AS(net.step(x, y), doctest::Contains("does not require grad"), lab::Error);
    }
}
