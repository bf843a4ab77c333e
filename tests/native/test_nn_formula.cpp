// A formula (issue 11) as a network's activation or output, and as a mean-field activation.
//   * Training against PyTorch (tests/reference/formula_net.json, generate_formula_net.py: the
//     same formulas written with torch functions): the first forward pass, every layer's pre and
//     post, within 1e-12 relative (support.hpp's rule); 25 steps' losses and the final parameters
//     within 1e-9, as issue 9's training rows are held.
//   * A formula that is a built-in written out gives the built-in's network: the same forward,
//     gradients and statistics (1e-12: the formula's arithmetic may round differently by an ulp).
//   * Errors name the field, a syntax error keeps its column.
//   * Mean-field moments of formulas against mpmath (tests/reference/meanfield.json: the built-ins'
//     rows, each written here as a formula), relative 1e-12, by the "adaptive" rule; the kink scan
//     finds the kinks it should.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nn_meanfield.hpp"
#include "nn_model.hpp"
#include "nn_stats.hpp"
#include "reference.hpp"
#include "support.hpp"

namespace {

using labtest::json;
using namespace lab::nn;

ModuleSpec module_of(const json& j) {
    const lab::ParamMap params = j.contains("params") ? labtest::params(j["params"]) : lab::ParamMap{};
    if (j.contains("formula")) return {"", params, j["formula"].get<std::string>()};
    return {j["name"].get<std::string>(), params, {}};
}

NetworkSpec spec_of(const json& c) {
    NetworkSpec s;
    s.sizes = c["sizes"].get<std::vector<std::int64_t>>();
    s.activation = module_of(c["activation"]);
    if (!c["output"].is_null()) s.output = module_of(c["output"]);
    s.seed = c["seed"].get<std::uint64_t>();
    s.loss = module_of(c["loss"]);
    s.optimizer = module_of(c["optimizer"]);
    return s;
}

bool close9(double a, double e) {
    if (std::isnan(a) || std::isnan(e)) return std::isnan(a) && std::isnan(e);
    return std::fabs(a - e) <= 1e-9 * std::fmax(std::fabs(a), std::fabs(e));
}

lab::Tensor rows(const lab::Tensor& t, std::int64_t from, std::int64_t count) {
    lab::Shape s = t.shape;
    s[0] = count;
    const auto w = static_cast<std::ptrdiff_t>(t.numel() / static_cast<std::size_t>(t.shape[0]));
    return lab::Tensor(s, std::vector<double>(t.data.begin() + from * w, t.data.begin() + (from + count) * w));
}

NetworkSpec small(ModuleSpec activation) {
    NetworkSpec s;
    s.sizes = {2, 6, 6, 1};
    s.seed = 7;
    s.activation = std::move(activation);
    s.loss = ModuleSpec{"MSELoss", {}, {}};
    s.optimizer = ModuleSpec{"SGD", {{"lr", lab::Value::num(0.1)}}, {}};
    return s;
}

const lab::Tensor kX({5, 2}, {0.5, -1.0, 1.5, 0.25, -0.75, 2.0, 0.0, -2.5, 3.0, 1.0});
const lab::Tensor kT({5, 1}, {0.1, -0.2, 0.3, 0.0, 1.0});

}  // namespace

TEST_CASE("nn_formula: networks with formula activations train as PyTorch's do (formula_net.json)") {
    std::size_t n = 0;
    for (const json& c : labtest::reference("formula_net")["cases"]) {
        const std::string spec = c["activation"].dump() + " out=" + c["output"].dump() + " opt=" + c["optimizer"].dump() +
                                 " batch=" + c["batch"].dump();
        CAPTURE(spec);
        Network net(spec_of(c));
        const lab::Tensor x = labtest::tensor(c["input"]), t = labtest::tensor(c["target"]);
        const ForwardResult f = net.forward(x);
        REQUIRE(f.layers.size() == c["layers"].size());
        for (std::size_t l = 0; l < f.layers.size(); ++l) {
            CAPTURE(l);
            labtest::check_tensor(f.layers[l].pre, labtest::tensor(c["layers"][l]["pre"]), "pre");
            labtest::check_tensor(f.layers[l].post, labtest::tensor(c["layers"][l]["post"]), "post");
        }
        const auto batch = c["batch"].get<std::int64_t>(), total = x.shape[0];
        const auto steps = c["steps"].get<int>();
        for (int s = 0; s < steps; ++s) {
            CAPTURE(s);
            const std::int64_t lo = (s * batch) % total;
            const double loss = net.step(rows(x, lo, batch), rows(t, lo, batch));
            const double want = labtest::number(c["losses"][static_cast<std::size_t>(s)]);
            const labtest::Exact got_loss{loss}, want_loss{want};
            CAPTURE(got_loss);
            CAPTURE(want_loss);
            CHECK(close9(loss, want));
        }
        for (std::size_t l = 0; l < net.layers(); ++l) {
            CAPTURE(l);
            const lab::Tensor w = labtest::tensor(c["final"][l]["weight"]), b = labtest::tensor(c["final"][l]["bias"]);
            REQUIRE(net.parameters()[l].weight.size() == w.numel());
            for (std::size_t i = 0; i < w.numel(); ++i) CHECK(close9(net.parameters()[l].weight[i], w.data[i]));
            for (std::size_t i = 0; i < b.numel(); ++i) CHECK(close9(net.parameters()[l].bias[i], b.data[i]));
        }
        ++n;
    }
    CHECK(n == 6);
}

TEST_CASE("nn_formula: a built-in written as a formula gives the built-in's network") {
    const struct {
        const char* name;
        lab::ParamMap params;
        const char* formula;
        lab::ParamMap formula_params;
    } rows_[] = {
        {"Tanh", {}, "tanh(x)", {}},
        {"ReLU", {}, "max(x, 0)", {}},
        {"ELU", {{"alpha", lab::Value::num(0.5)}}, "x > 0 ? x : a * (exp(x) - 1)", {{"a", lab::Value::num(0.5)}}},
        {"SiLU", {}, "x * sigmoid(x)", {}},
    };
    for (const auto& r : rows_) {
        CAPTURE(r.formula);
        Network a(small({r.name, r.params, {}})), b(small({"", r.formula_params, r.formula}));
        const ForwardResult fa = a.forward(kX), fb = b.forward(kX);
        labtest::check_tensor(fb.output, fa.output, "output");
        const lab::Tensor pb = b.predict(kX);
        CHECK(pb.data == fb.output.data);  // predict is the forward's output, bit for bit
        const GradientResult ga = a.gradients(kX, kT), gb = b.gradients(kX, kT);
        labtest::check_close(gb.loss, ga.loss);
        for (std::size_t l = 0; l < ga.grads.size(); ++l) {
            CAPTURE(l);
            for (std::size_t i = 0; i < ga.grads[l].weight.size(); ++i) labtest::check_close(gb.grads[l].weight[i], ga.grads[l].weight[i]);
        }
        const auto sa = layer_statistics(a, {}), sb = layer_statistics(b, {});
        REQUIRE(sa.size() == sb.size());
        for (std::size_t l = 0; l < sa.size(); ++l) {
            CAPTURE(l);
            CHECK(sb[l].dead == sa[l].dead);
            CHECK(sb[l].saturated == sa[l].saturated);
            labtest::check_close(sb[l].post.mean, sa[l].post.mean);
        }
        // the same steps
        for (int s = 0; s < 5; ++s) labtest::check_close(b.step(kX, kT), a.step(kX, kT));
    }
    // an elementwise formula as the output module
    NetworkSpec s = small({"Tanh", {}, {}}), t = s;
    s.output = ModuleSpec{"Sigmoid", {}, {}};
    t.output = ModuleSpec{"", {}, "sigmoid(x)"};
    Network a(s), b(t);
    labtest::check_tensor(b.forward(kX).output, a.forward(kX).output, "output");
    labtest::check_close(b.gradients(kX, kT).loss, a.gradients(kX, kT).loss);
}

TEST_CASE("nn_formula: mistakes are Errors naming the field, a syntax error with its column") {
    auto error = [](ModuleSpec act, bool output = false) {
        NetworkSpec s = small({"Tanh", {}, {}});
        if (output) s.output = act;
        else s.activation = act;
        return labtest::error_of([&] { Network n(s); });
    };
    const std::string syntax = error({"", {}, "x * (1 + x"});
    CAPTURE(syntax);
    CHECK(syntax.rfind("activation: formula: ", 0) == 0);
    CHECK(syntax.find("(column ") != std::string::npos);
    const std::string out_syntax = error({"", {}, "x +"}, true);
    CAPTURE(out_syntax);
    CHECK(out_syntax.rfind("output: formula: ", 0) == 0);
    const std::string unknown = error({"", {{"b", lab::Value::num(2.0)}}, "a * x"});
    CAPTURE(unknown);
    CHECK(unknown.rfind("activation: unknown parameter 'b'", 0) == 0);
    CHECK(error({"", {{"a", lab::Value::str("big")}}, "a * x"}) == "activation: formula parameter 'a' must be a number");
    CHECK(error({"Tanh", {}, "tanh(x)"}) == "activation: give a name or a formula, not both (got 'Tanh' and a formula)");
    NetworkSpec s = small({"Tanh", {}, {}});
    s.loss = ModuleSpec{"", {}, "x * x"};
    CHECK(labtest::error_of([&] { Network n(s); }) == "loss: a formula can be an activation or the output module, not a loss");
    // a good formula after the mistakes: nothing was left half-made
    Network ok(small({"", {{"a", lab::Value::num(0.5)}}, "a * x"}));
    CHECK(ok.forward(kX).output.numel() == 5);
}

TEST_CASE("nn_formula: mean-field moments of formulas are the built-ins' mpmath values (meanfield.json)") {
    // Each built-in of the reference that a formula can write, with its reference parameters.
    const std::map<std::string, std::pair<const char*, std::map<std::string, double>>> as_formula = {
        {"Identity{}", {"x", {}}},
        {"ReLU{}", {"max(x, 0)", {}}},
        {"ReLU6{}", {"clamp(x, 0, 6)", {}}},
        {"LeakyReLU{\"negative_slope\":0.2}", {"x > 0 ? x : s * x", {{"s", 0.2}}}},
        {"ELU{\"alpha\":0.5}", {"x > 0 ? x : a * (exp(x) - 1)", {{"a", 0.5}}}},
        {"SiLU{}", {"x * sigmoid(x)", {}}},
        {"Sigmoid{}", {"1 / (1 + exp(-x))", {}}},
        {"Tanh{}", {"tanh(x)", {}}},
        {"Softsign{}", {"x / (1 + abs(x))", {}}},
        {"Hardtanh{\"max_val\":2.0,\"min_val\":-0.5}", {"clamp(x, -0.5, 2)", {}}},
        {"Hardswish{}", {"x * clamp(x + 3, 0, 6) / 6", {}}},
        {"Threshold{\"threshold\":0.5,\"value\":-1.0}", {"x > 0.5 ? x : -1", {}}},
        {"Tanhshrink{}", {"x - tanh(x)", {}}},
        {"GELU{}", {"x * 0.5 * (1 + erf(x / sqrt(2)))", {}}},
        {"Sine{\"w0\":1.0}", {"sin(x)", {}}},
    };
    std::size_t rows = 0;
    for (const json& r : labtest::reference("meanfield")["moments"]) {
        const std::string key = r["name"].get<std::string>() + r["params"].dump();
        const auto it = as_formula.find(key);
        if (it == as_formula.end()) continue;
        const double q = r["q"];
        const lab::formula::Formula f = lab::formula::Formula::parse(it->second.first);
        const MeanField mf(f, f.values(it->second.second), 1.0, 0.0);
        const Moments m = mf.moments(q);
        const std::string spec = key + " as " + it->second.first + " q=" + lab::py_float(q);
        CAPTURE(spec);
        CHECK(mf.rule(q) == "adaptive");
        const double mean = r["mean"], second = r["second"], slope2 = r["slope2"];
        labtest::check_close(m.second, second);
        if (slope2 == 0) CHECK(m.slope2 == 0);
        else labtest::check_close(m.slope2, slope2);
        const labtest::Exact got{m.mean}, want{mean};
        CAPTURE(got);
        CAPTURE(want);
        if (std::fabs(mean) < 1e-10 * std::sqrt(second)) CHECK(std::fabs(m.mean - mean) <= 1e-14 * std::sqrt(second));
        else CHECK(labtest::close(m.mean, mean));
        ++rows;
    }
    CHECK(rows == 4 * as_formula.size());
}

TEST_CASE("nn_formula: the kink scan finds a formula's kinks; fixed point and edge of chaos match the built-in") {
    const auto kinks = [](const char* text) {
        const lab::formula::Formula f = lab::formula::Formula::parse(text);
        return MeanField(f, f.values(), 1.0, 0.0).found_kinks();
    };
    const auto near = [](const std::vector<double>& k, std::vector<double> want) {
        if (k.size() != want.size()) return false;
        for (std::size_t i = 0; i < k.size(); ++i)
            if (std::fabs(k[i] - want[i]) > 1e-12) return false;
        return true;
    };
    CHECK(kinks("tanh(x)").empty());
    CHECK(kinks("x * sigmoid(1.702 * x)").empty());
    CHECK(near(kinks("max(x, 0)"), {0.0}));
    CHECK(near(kinks("x > 0.3 ? x : 0"), {0.3}));
    CHECK(near(kinks("clamp(x, -1, 1)"), {-1.0, 1.0}));
    CHECK(near(kinks("abs(x - 7.25) + abs(x + 50)"), {-50.0, 7.25}));
    // rounding noise is not a kink: a·(exp(x) − 1) cancels near 0, tanh′ is a staircase of ulps near 18
    CHECK(near(kinks("x > 0 ? x : 0.5 * (exp(x) - 1)"), {0.0}));
    CHECK(kinks("x - tanh(x)").empty());
    CHECK(kinks("floor(x / 10)").size() == 20);  // -90, -80, …, 100 within the scan's [-100, 100]

    const lab::formula::Formula tanh_f = lab::formula::Formula::parse("tanh(x)");
    const MeanField formula(tanh_f, tanh_f.values(), 1.5, 0.05), builtin("Tanh", {}, 1.5, 0.05);
    const double qf = formula.fixed_point(), qb = builtin.fixed_point();
    labtest::check_close(qf, qb);
    labtest::check_close(formula.chi_star(), builtin.chi_star());
    CHECK(std::fabs(critical_sigma_w2(formula, 0.05) - critical_sigma_w2("Tanh", {}, 0.05)) <= 1e-10);
    const lab::formula::Formula relu_f = lab::formula::Formula::parse("max(x, 0)");
    const MeanField relu(relu_f, relu_f.values(), 2.0, 0.0);
    const auto layers = relu.layers(1.0, 10);
    for (const auto& l : layers) labtest::check_close(l.q, 1.0);  // He init keeps q
    CHECK(formula.name() == "the formula 'tanh(x)'");
    CHECK(labtest::error_of([&] { MeanField(tanh_f, tanh_f.values(), -1.0, 0.0); }) == "sigma_w2 must be a finite number >= 0, got -1.0");
}
