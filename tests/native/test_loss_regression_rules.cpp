// Specification tests for the regression, probabilistic, binary and ranking/embedding losses
// (core/losses_regression.cpp). Each SUBCASE states one rule PyTorch follows — a formula, a kink
// convention, a clamp, a shape rule, an error message — on inputs small enough to check by hand:
// the expected numbers are closed forms evaluated here, or, where PyTorch's own rounding is the
// point, values printed by torch 1.13.1 in float64. Comparisons are relative 1e-12.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "registry.hpp"

namespace {

using lab::ArgMap;
using lab::LossResult;
using lab::ParamMap;
using lab::Shape;
using lab::Tensor;
using lab::Value;

constexpr double nan_ = std::numeric_limits<double>::quiet_NaN();
constexpr double inf_ = std::numeric_limits<double>::infinity();

// Relative 1e-12; an expected 0 must be (signed) zero; NaN matches NaN and infinities match exactly.
bool same(double got, double want) {
    if (std::isnan(want) || std::isnan(got)) return std::isnan(want) && std::isnan(got);
    if (std::isinf(want) || std::isinf(got)) return got == want;
    if (want == 0.0) return got == 0.0;
    return std::abs(got - want) <= 1e-12 * std::max(std::abs(got), std::abs(want));
}

void expect(const Tensor& got, const Shape& shape, const std::vector<double>& want) {
    CAPTURE(lab::sizes_str(got.shape));
    REQUIRE(got.shape == shape);
    REQUIRE(got.numel() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        CAPTURE(i);
        CAPTURE(got.data[i]);
        CAPTURE(want[i]);
        CHECK(same(got.data[i], want[i]));
    }
}
void expect_scalar(const Tensor& got, double want) { expect(got, Shape{}, {want}); }

Tensor t(std::vector<double> d) {
    const auto n = static_cast<std::int64_t>(d.size());
    return Tensor(Shape{n}, std::move(d));
}
Tensor t(Shape s, std::vector<double> d) { return Tensor(std::move(s), std::move(d)); }
Tensor scalar(double v) { return Tensor::scalar(v); }

// Shows a tensor argument in failure messages.
std::string show(const Tensor& x) {
    std::string s = lab::sizes_str(x.shape) + " {";
    for (std::size_t i = 0; i < x.numel(); ++i) s += (i ? ", " : "") + lab::py_float(x.data[i]);
    return s + "}";
}

LossResult run(const std::string& name, const ParamMap& params, const ArgMap& args) {
    return lab::evaluate_loss(name, params, args);
}

std::string error_of(const std::string& name, const ParamMap& params, const ArgMap& args) {
    try {
        run(name, params, args);
    } catch (const lab::Error& e) {
        return e.what();
    }
    return "(no error)";
}

Value str(const char* s) { return Value::str(s); }
Value num(double v) { return Value::num(v); }
Value flag(bool b) { return Value::flag(b); }
Value tensor(Tensor x) { return Value::tensor_of(std::move(x)); }

const ParamMap none{{"reduction", str("none")}};
const ParamMap sum{{"reduction", str("sum")}};

ParamMap with(ParamMap p, const std::string& key, Value v) {
    p[key] = std::move(v);
    return p;
}

std::string broadcast_warning(const char* target_size, const char* input_size) {
    return std::string("Using a target size (") + target_size + ") that is different to the input size (" + input_size +
           "). This will likely lead to incorrect results due to broadcasting. "
           "Please ensure they have the same size.";
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

// ------------------------------------------------------------------------------------ Regression

TEST_CASE("L1Loss: |x - y|, gradient sign(x - y) with sign(0) = 0") {
    const Tensor x = t({0.5, 2.0, -1.0, 3.0}), y = t({0.0, 2.0, 1.0, 10.0});
    CAPTURE(show(x));
    CAPTURE(show(y));
    SUBCASE("reduction='none': the value and gradient of each element") {
        const LossResult r = run("L1Loss", none, {{"input", x}, {"target", y}});
        expect(r.loss, {4}, {0.5, 0.0, 2.0, 7.0});
        expect(r.elementwise, {4}, {0.5, 0.0, 2.0, 7.0});
        expect(r.grad.at("input"), {4}, {1.0, 0.0, -1.0, -1.0});
        expect(r.grad.at("target"), {4}, {-1.0, 0.0, 1.0, 1.0});
        CHECK(r.warnings.empty());
    }
    SUBCASE("'mean' (the default) divides value and gradient by numel; 'sum' does not") {
        const LossResult m = run("L1Loss", {}, {{"input", x}, {"target", y}});
        expect_scalar(m.loss, 9.5 / 4);
        expect(m.elementwise, {4}, {0.5, 0.0, 2.0, 7.0});
        expect(m.grad.at("input"), {4}, {0.25, 0.0, -0.25, -0.25});
        const LossResult s = run("L1Loss", sum, {{"input", x}, {"target", y}});
        expect_scalar(s.loss, 9.5);
        expect(s.grad.at("input"), {4}, {1.0, 0.0, -1.0, -1.0});
    }
    SUBCASE("NaN gives a NaN loss but a zero gradient (sign(NaN) = 0)") {
        const LossResult r = run("L1Loss", none, {{"input", t({nan_})}, {"target", t({0.0})}});
        expect(r.loss, {1}, {nan_});
        expect(r.grad.at("input"), {1}, {0.0});
    }
    SUBCASE("a target of another shape broadcasts, with PyTorch's warning; gradients are summed back") {
        const LossResult r = run("L1Loss", none, {{"input", t({1.0, 2.0, 3.0})}, {"target", t({2, 1}, {1.0, 2.0})}});
        expect(r.loss, {2, 3}, {0.0, 1.0, 2.0, 1.0, 0.0, 1.0});
        expect(r.grad.at("input"), {3}, {-1.0, 1.0, 2.0});
        expect(r.grad.at("target"), {2, 1}, {-2.0, 0.0});
        CHECK(r.warnings == std::vector<std::string>{broadcast_warning("torch.Size([2, 1])", "torch.Size([3])")});
    }
    SUBCASE("shapes that do not broadcast: PyTorch's message") {
        CHECK(error_of("L1Loss", {}, {{"input", t({1.0, 2.0, 3.0})}, {"target", t({1.0, 2.0})}}) ==
              "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0");
    }
}

TEST_CASE("MSELoss: (x - y)^2, gradient 2 (x - y)") {
    const Tensor x = t({0.5, 2.0, -1.0, 3.0}), y = t({0.0, 2.0, 1.0, 10.0});
    CAPTURE(show(x));
    CAPTURE(show(y));
    SUBCASE("reduction='none'") {
        const LossResult r = run("MSELoss", none, {{"input", x}, {"target", y}});
        expect(r.loss, {4}, {0.25, 0.0, 4.0, 49.0});
        expect(r.grad.at("input"), {4}, {1.0, 0.0, -4.0, -14.0});
        expect(r.grad.at("target"), {4}, {-1.0, 0.0, 4.0, 14.0});
    }
    SUBCASE("'mean': the gradient is 2 (x - y) / numel") {
        const LossResult r = run("MSELoss", {}, {{"input", x}, {"target", y}});
        expect_scalar(r.loss, 53.25 / 4);
        expect(r.grad.at("input"), {4}, {0.25, 0.0, -1.0, -3.5});
    }
    SUBCASE("one large error dominates: an outlier of 7 costs 49 of the 53.25 total") {
        const LossResult r = run("MSELoss", sum, {{"input", x}, {"target", y}});
        expect_scalar(r.loss, 53.25);
    }
    SUBCASE("a 0-dim input against a (2,) target broadcasts with the warning") {
        const LossResult r = run("MSELoss", {}, {{"input", scalar(1.0)}, {"target", t({1.0, 2.0})}});
        expect_scalar(r.loss, 0.5);
        expect_scalar(r.grad.at("input"), -1.0);
        expect(r.grad.at("target"), {2}, {0.0, 1.0});
        CHECK(r.warnings == std::vector<std::string>{broadcast_warning("torch.Size([2])", "torch.Size([])")});
    }
    SUBCASE("infinite error: inf loss; inf - inf is NaN") {
        const LossResult r = run("MSELoss", none, {{"input", t({inf_, inf_})}, {"target", t({0.0, inf_})}});
        expect(r.loss, {2}, {inf_, nan_});
        expect(r.grad.at("input"), {2}, {inf_, nan_});
    }
}

TEST_CASE("SmoothL1Loss: quadratic below beta, linear above, with PyTorch's branch at |d| == beta") {
    const Tensor d = t({0.0, 0.5, -0.5, 1.0, -1.0, 2.5}), zero = t({0.0, 0.0, 0.0, 0.0, 0.0, 0.0});
    CAPTURE(show(d));
    SUBCASE("beta = 1 (default): 0.5 d^2 inside, |d| - 0.5 outside; value and slope meet at |d| = 1") {
        const LossResult r = run("SmoothL1Loss", none, {{"input", d}, {"target", zero}});
        expect(r.loss, {6}, {0.0, 0.125, 0.125, 0.5, 0.5, 2.0});
        expect(r.grad.at("input"), {6}, {0.0, 0.5, -0.5, 1.0, -1.0, 1.0});
        expect(r.grad.at("target"), {6}, {0.0, -0.5, 0.5, -1.0, 1.0, -1.0});
    }
    SUBCASE("beta = 0.5: the quadratic part is divided by beta, so the slope is still 1 outside") {
        const LossResult r = run("SmoothL1Loss", with(none, "beta", num(0.5)), {{"input", d}, {"target", zero}});
        expect(r.loss, {6}, {0.0, 0.25, 0.25, 0.75, 0.75, 2.25});
        expect(r.grad.at("input"), {6}, {0.0, 1.0, -1.0, 1.0, -1.0, 1.0});
    }
    SUBCASE("beta = 0 is L1, except that PyTorch's kernel gives a zero difference slope -1 (input and target)") {
        const LossResult r = run("SmoothL1Loss", with(none, "beta", num(0.0)),
                                 {{"input", t({1.0, 2.0, 3.0})}, {"target", t({1.0, 2.5, 4.0})}});
        expect(r.loss, {3}, {0.0, 0.5, 1.0});
        expect(r.grad.at("input"), {3}, {-1.0, -1.0, -1.0});
        expect(r.grad.at("target"), {3}, {-1.0, 1.0, 1.0});
    }
    SUBCASE("it equals HuberLoss / beta") {
        const Tensor x = t({0.3, -1.7, 2.2, 0.01}), y = t({0.0, 0.4, -1.0, 0.02});
        for (double beta : {0.25, 1.0, 3.0}) {
            CAPTURE(beta);
            const LossResult s = run("SmoothL1Loss", with(none, "beta", num(beta)), {{"input", x}, {"target", y}});
            const LossResult h = run("HuberLoss", with(none, "delta", num(beta)), {{"input", x}, {"target", y}});
            for (std::size_t i = 0; i < 4; ++i) {
                CAPTURE(i);
                CHECK(same(s.loss.data[i], h.loss.data[i] / beta));
                CHECK(same(s.grad.at("input").data[i], h.grad.at("input").data[i] / beta));
            }
        }
    }
    SUBCASE("negative or NaN beta: PyTorch's message") {
        const ArgMap a{{"input", d}, {"target", zero}};
        CHECK(error_of("SmoothL1Loss", {{"beta", num(-1.0)}}, a) ==
              "smooth_l1_loss does not support negative values for beta.");
        CHECK(error_of("SmoothL1Loss", {{"beta", num(nan_)}}, a) ==
              "smooth_l1_loss does not support negative values for beta.");
    }
    SUBCASE("broadcast target warns like L1Loss") {
        const LossResult r = run("SmoothL1Loss", {}, {{"input", t({3, 1}, {1, 2, 3})}, {"target", t({1.0, 0.0, 2.0})}});
        CHECK(r.warnings == std::vector<std::string>{broadcast_warning("torch.Size([3])", "torch.Size([3, 1])")});
        CHECK(r.elementwise.shape == Shape{3, 3});
    }
}

TEST_CASE("HuberLoss: 0.5 d^2 inside delta, delta (|d| - 0.5 delta) outside") {
    const Tensor d = t({0.0, 0.5, -0.5, 1.0, -1.0, 3.0}), zero = t({0.0, 0.0, 0.0, 0.0, 0.0, 0.0});
    CAPTURE(show(d));
    SUBCASE("delta = 1 (default): the gradient is d clamped to [-1, 1]") {
        const LossResult r = run("HuberLoss", none, {{"input", d}, {"target", zero}});
        expect(r.loss, {6}, {0.0, 0.125, 0.125, 0.5, 0.5, 2.5});
        expect(r.grad.at("input"), {6}, {0.0, 0.5, -0.5, 1.0, -1.0, 1.0});
        expect(r.grad.at("target"), {6}, {0.0, -0.5, 0.5, -1.0, 1.0, -1.0});
    }
    SUBCASE("delta = 2: the gradient is capped at delta") {
        const LossResult r = run("HuberLoss", with(none, "delta", num(2.0)), {{"input", d}, {"target", zero}});
        expect(r.loss, {6}, {0.0, 0.125, 0.125, 0.5, 0.5, 4.0});
        expect(r.grad.at("input"), {6}, {0.0, 0.5, -0.5, 1.0, -1.0, 2.0});
    }
    SUBCASE("mean divides by numel") {
        const LossResult r = run("HuberLoss", {}, {{"input", d}, {"target", zero}});
        expect_scalar(r.loss, 3.75 / 6);
        expect(r.grad.at("input"), {6}, {0.0, 0.5 / 6, -0.5 / 6, 1.0 / 6, -1.0 / 6, 1.0 / 6});
    }
    SUBCASE("delta must be positive: PyTorch's message") {
        const ArgMap a{{"input", d}, {"target", zero}};
        for (double delta : {0.0, -1.0, nan_}) {
            CAPTURE(delta);
            CHECK(error_of("HuberLoss", {{"delta", num(delta)}}, a) ==
                  "huber_loss does not support non-positive values for delta.");
        }
    }
}

// ------------------------------------------------------------------------- Binary classification

TEST_CASE("BCELoss: -w [y log x + (1 - y) log(1 - x)] with PyTorch's clamps") {
    SUBCASE("inside (0, 1): the value, d/dx = (x - y) / (x (1 - x)) and d/dy = -logit(x)") {
        const Tensor x = t({0.9, 0.2, 0.6}), y = t({1.0, 0.0, 0.25});
        CAPTURE(show(x));
        CAPTURE(show(y));
        const LossResult r = run("BCELoss", none, {{"input", x}, {"target", y}});
        expect(r.loss, {3}, {-std::log(0.9), -std::log(0.8), -(0.25 * std::log(0.6) + 0.75 * std::log(0.4))});
        expect(r.grad.at("input"), {3}, {-0.1 / (0.9 * 0.1), 0.2 / (0.2 * 0.8), 0.35 / (0.6 * 0.4)});
        expect(r.grad.at("target"), {3}, {-std::log(9.0), std::log(4.0), -std::log(1.5)});
    }
    SUBCASE("exact 0 and 1: each log is clamped at -100, the gradient's denominator at 1e-12f") {
        const Tensor x = t({0.0, 1.0, 0.0, 1.0}), y = t({1.0, 0.0, 0.0, 1.0});
        const LossResult r = run("BCELoss", none, {{"input", x}, {"target", y}});
        expect(r.loss, {4}, {100.0, 100.0, 0.0, 0.0});
        // 1 / float(1e-12), as torch 1.13.1 prints it.
        expect(r.grad.at("input"), {4}, {-1000000003995.8029, 1000000003995.8029, 0.0, 0.0});
        expect(r.grad.at("target"), {4}, {inf_, -inf_, inf_, -inf_});
    }
    SUBCASE("a tiny probability: log(1e-300) = -690.8 is clamped too, so the loss is 100") {
        const LossResult r = run("BCELoss", none, {{"input", t({1e-300, 1e-40})}, {"target", t({1.0, 1.0})}});
        expect(r.loss, {2}, {100.0, -std::log(1e-40)});
    }
    SUBCASE("weight broadcasts against the input and scales value and gradient") {
        const Tensor x = t({2, 2}, {0.5, 0.2, 0.1, 0.7}), y = t({2, 2}, {1.0, 0.0, 0.0, 1.0});
        const LossResult r =
            run("BCELoss", with(none, "weight", tensor(t({2, 1}, {1.0, 2.0}))), {{"input", x}, {"target", y}});
        expect(r.loss, {2, 2}, {std::log(2.0), -std::log(0.8), -2 * std::log(0.9), -2 * std::log(0.7)});
        expect(r.grad.at("input"), {2, 2}, {-0.5 / 0.25, 0.2 / 0.16, 2 * (0.1 / 0.09), 2 * (-0.3 / 0.21)});
    }
    SUBCASE("'mean' divides the weighted gradient by numel") {
        const LossResult r =
            run("BCELoss", {{"weight", tensor(t({3.0, 1.0}))}}, {{"input", t({0.5, 0.5})}, {"target", t({1.0, 0.0})}});
        expect_scalar(r.loss, 2 * std::log(2.0));
        expect(r.grad.at("input"), {2}, {-3.0, 1.0});
    }
    SUBCASE("the input must be a probability, and NaN is not one") {
        for (double bad : {1.5, -0.1, nan_}) {
            CAPTURE(bad);
            CHECK(error_of("BCELoss", {}, {{"input", t({0.5, bad})}, {"target", t({1.0, 0.0})}}) ==
                  "all elements of input should be between 0 and 1");
        }
    }
    SUBCASE("no broadcasting of the target; a weight must not grow the loss") {
        CHECK(error_of("BCELoss", {}, {{"input", t({0.5, 0.5, 0.5})}, {"target", t({3, 1}, {1, 0, 1})}}) ==
              "Using a target size (torch.Size([3, 1])) that is different to the input size (torch.Size([3])) "
              "is deprecated. Please ensure they have the same size.");
        const ArgMap a{{"input", t({0.5, 0.2, 0.5})}, {"target", t({1.0, 0.0, 1.0})}};
        CHECK(error_of("BCELoss", {{"weight", tensor(t({2, 3}, {1, 2, 3, 1, 1, 1}))}}, a) ==
              "output with shape [3] doesn't match the broadcast shape [2, 3]");
        CHECK(error_of("BCELoss", {{"weight", tensor(t({1.0, 2.0}))}}, a) ==
              "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0");
    }
}

TEST_CASE("BCEWithLogitsLoss: BCE of sigmoid(x), computed stably on logits") {
    SUBCASE("moderate logits: equals BCELoss(sigmoid(x)); d/dx = sigmoid(x) - y, d/dy = -x") {
        const Tensor x = t({-2.0, 0.5, 3.0}), y = t({0.0, 1.0, 0.3});
        CAPTURE(show(x));
        const LossResult r = run("BCEWithLogitsLoss", none, {{"input", x}, {"target", y}});
        std::vector<double> want, dx;
        for (std::size_t i = 0; i < 3; ++i) {
            const double s = sigmoid(x.data[i]);
            want.push_back(-(y.data[i] * std::log(s) + (1 - y.data[i]) * std::log(1 - s)));
            dx.push_back(s - y.data[i]);
        }
        expect(r.loss, {3}, want);
        expect(r.grad.at("input"), {3}, dx);
        expect(r.grad.at("target"), {3}, {2.0, -0.5, -3.0});
    }
    SUBCASE("huge logits stay exact where sigmoid + BCELoss would clamp at 100") {
        const Tensor x = t({800.0, -800.0, 800.0, -800.0}), y = t({0.0, 1.0, 1.0, 0.0});
        const LossResult r = run("BCEWithLogitsLoss", none, {{"input", x}, {"target", y}});
        expect(r.loss, {4}, {800.0, 800.0, 0.0, 0.0});
        expect(r.grad.at("input"), {4}, {1.0, -1.0, 0.0, 0.0});
        const LossResult b = run("BCELoss", none, {{"input", t({1.0, 0.0})}, {"target", t({0.0, 1.0})}});
        expect(b.loss, {2}, {100.0, 100.0});
    }
    SUBCASE("ATen 1.13 adds log(1 + e^-40) in a form that rounds it to exactly 0") {
        const LossResult r = run("BCEWithLogitsLoss", none, {{"input", t({40.0, -40.0})}, {"target", t({1.0, 0.0})}});
        expect(r.loss, {2}, {0.0, 0.0});
        // sigmoid(40) rounds to 1, sigmoid(-40) does not round to 0.
        expect(r.grad.at("input"), {2}, {0.0, 4.248354255291589e-18});
    }
    SUBCASE("infinite logits: NaN loss (0 * inf), finite gradient") {
        const LossResult r = run("BCEWithLogitsLoss", none, {{"input", t({inf_, -inf_})}, {"target", t({1.0, 0.0})}});
        expect(r.loss, {2}, {nan_, nan_});
        expect(r.grad.at("input"), {2}, {0.0, 0.0});
        expect(r.grad.at("target"), {2}, {-inf_, inf_});
    }
    SUBCASE("pos_weight scales the positive term, broadcast over the last dim") {
        const Tensor x = t({2, 2}, {1.0, -2.0, 0.5, 0.0}), y = t({2, 2}, {1.0, 1.0, 0.0, 0.5});
        const LossResult r =
            run("BCEWithLogitsLoss", with(none, "pos_weight", tensor(t({2.0, 3.0}))), {{"input", x}, {"target", y}});
        auto sp = [](double v) { return std::log1p(std::exp(v)); };  // softplus: -log sigmoid(-v)
        expect(r.loss, {2, 2}, {2 * sp(-1.0), 3 * sp(2.0), sp(0.5), 0.5 * 3 * sp(0.0) + 0.5 * sp(0.0)});
        // d/dx = (pw y + 1 - y) sigmoid(x) - pw y; d/dy = log sigmoid(-x) - pw log sigmoid(x)
        expect(r.grad.at("input"), {2, 2}, {2 * sigmoid(1.0) - 2, 3 * sigmoid(-2.0) - 3, sigmoid(0.5), 2 * 0.5 - 1.5});
        expect(r.grad.at("target"), {2, 2},
               {-sp(1.0) + 2 * sp(-1.0), -sp(-2.0) + 3 * sp(2.0), -sp(0.5) + 2 * sp(-0.5), -sp(0.0) + 3 * sp(0.0)});
    }
    SUBCASE("weight multiplies value and both gradients; 'mean' divides after it") {
        const LossResult r = run("BCEWithLogitsLoss", {{"weight", tensor(t({2.0, 0.5}))}},
                                 {{"input", t({0.0, 0.0})}, {"target", t({1.0, 0.0})}});
        expect_scalar(r.loss, (2.0 + 0.5) * std::log(2.0) / 2);
        expect(r.grad.at("input"), {2}, {2 * -0.5 / 2, 0.5 * 0.5 / 2});
    }
    SUBCASE("shape rules: same size as input; weights must not grow the loss") {
        CHECK(error_of("BCEWithLogitsLoss", {}, {{"input", t({0.5, 0.5, 0.5})}, {"target", t({3, 1}, {1, 0, 1})}}) ==
              "Target size (torch.Size([3, 1])) must be the same as input size (torch.Size([3]))");
        const ArgMap a{{"input", t({0.5, 0.2, 0.5})}, {"target", t({1.0, 0.0, 1.0})}};
        CHECK(error_of("BCEWithLogitsLoss", {{"pos_weight", tensor(t({2, 3}, {1, 2, 3, 1, 1, 1}))}}, a) ==
              "output with shape [3] doesn't match the broadcast shape [2, 3]");
        CHECK(error_of("BCEWithLogitsLoss", {{"pos_weight", tensor(t({1.0, 2.0}))}}, a) ==
              "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0");
        CHECK(error_of("BCEWithLogitsLoss", {{"weight", tensor(t({1.0, 2.0}))}}, a) ==
              "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0");
    }
}

TEST_CASE("SoftMarginLoss: log(1 + exp(-y x)) for labels +-1") {
    SUBCASE("value and gradient -y / (1 + exp(y x)); the target gets no gradient") {
        const Tensor x = t({0.0, 1.0, -2.0}), y = t({1.0, -1.0, -1.0});
        CAPTURE(show(x));
        const LossResult r = run("SoftMarginLoss", none, {{"input", x}, {"target", y}});
        expect(r.loss, {3}, {std::log(2.0), std::log(1 + std::exp(1.0)), std::log(1 + std::exp(-2.0))});
        expect(r.grad.at("input"), {3}, {-0.5, sigmoid(1.0), sigmoid(-2.0)});
        expect(r.grad.at("target"), {3}, {0.0, 0.0, 0.0});
    }
    SUBCASE("same loss as BCEWithLogitsLoss with the labels mapped to 1/0") {
        const Tensor x = t({0.3, -1.2, 2.5});
        const LossResult s = run("SoftMarginLoss", none, {{"input", x}, {"target", t({1.0, -1.0, -1.0})}});
        const LossResult b = run("BCEWithLogitsLoss", none, {{"input", x}, {"target", t({1.0, 0.0, 0.0})}});
        for (std::size_t i = 0; i < 3; ++i) {
            CAPTURE(i);
            CHECK(same(s.loss.data[i], b.loss.data[i]));
        }
    }
    SUBCASE("PyTorch evaluates exp literally: a margin of -800 overflows to inf, and the gradient to NaN") {
        const LossResult r = run("SoftMarginLoss", none, {{"input", t({-800.0, 800.0})}, {"target", t({1.0, -1.0})}});
        expect(r.loss, {2}, {inf_, inf_});
        expect(r.grad.at("input"), {2}, {nan_, nan_});
    }
    SUBCASE("the target may broadcast into the input, but not grow it") {
        const LossResult r =
            run("SoftMarginLoss", sum, {{"input", t({2, 2}, {0, 0, 0, 0})}, {"target", t({1.0, -1.0})}});
        expect_scalar(r.loss, 4 * std::log(2.0));
        CHECK(error_of("SoftMarginLoss", {}, {{"input", t({0.0, 1.0})}, {"target", t({2, 2}, {1, -1, 1, 1})}}) ==
              "output with shape [2] doesn't match the broadcast shape [2, 2]");
    }
}

// --------------------------------------------------------------------------------- Probabilistic

TEST_CASE("KLDivLoss: y (log y - x) on log-probability inputs") {
    const Tensor x = t({2, 2}, {std::log(0.25), std::log(0.75), std::log(0.5), std::log(0.5)});
    const Tensor y = t({2, 2}, {0.5, 0.5, 0.0, 1.0});
    CAPTURE(show(x));
    CAPTURE(show(y));
    SUBCASE("elementwise value; a zero target contributes 0; d/dx = -y") {
        const LossResult r = run("KLDivLoss", none, {{"input", x}, {"target", y}});
        expect(r.loss, {2, 2}, {0.5 * std::log(2.0), 0.5 * std::log(2.0 / 3.0), 0.0, std::log(2.0)});
        expect(r.grad.at("input"), {2, 2}, {-0.5, -0.5, -0.0, -1.0});
    }
    SUBCASE("d/dy = log y + 1 - x, and NaN at y = 0 (PyTorch's xlogy gradient is g y / y there)") {
        const LossResult r = run("KLDivLoss", none, {{"input", x}, {"target", y}});
        expect(r.grad.at("target"), {2, 2},
               {std::log(0.5) + 1 - std::log(0.25), std::log(0.5) + 1 - std::log(0.75), nan_, 1 - std::log(0.5)});
    }
    SUBCASE("'batchmean' divides by the batch size: the true KL divergence per sample") {
        const LossResult r = run("KLDivLoss", {{"reduction", str("batchmean")}}, {{"input", x}, {"target", y}});
        expect_scalar(r.loss, (0.5 * std::log(2.0) + 0.5 * std::log(2.0 / 3.0) + std::log(2.0)) / 2);
        expect(r.grad.at("input"), {2, 2}, {-0.25, -0.25, -0.0, -0.5});
        CHECK(r.warnings.empty());
    }
    SUBCASE("'mean' divides by numel and warns with PyTorch's text") {
        const LossResult r = run("KLDivLoss", {}, {{"input", x}, {"target", y}});
        expect_scalar(r.loss, (0.5 * std::log(2.0) + 0.5 * std::log(2.0 / 3.0) + std::log(2.0)) / 4);
        CHECK(r.warnings ==
              std::vector<std::string>{
                  "reduction: 'mean' divides the total loss by both the batch size and the support size.'batchmean' "
                  "divides only by the batch size, and aligns with the KL div math definition.'mean' will be changed "
                  "to behave the same as 'batchmean' in the next major release."});
    }
    SUBCASE("'batchmean' uses input.size(0) even when the target broadcasts to more rows") {
        const LossResult r =
            run("KLDivLoss", {{"reduction", str("batchmean")}},
                {{"input", t({-1.0, -2.0, -3.0})}, {"target", t({2, 3}, {0.5, 0.5, 0.1, 0.2, 0.2, 0.2})}});
        expect_scalar(r.loss, 0.3703105208933966);  // torch 1.13.1: the sum over 6 elements / 3
        expect(r.grad.at("input"), {3}, {-0.7 / 3, -0.7 / 3, -0.3 / 3});
    }
    SUBCASE("log_target=True: exp(t) (t - x), the same divergence given log-probabilities") {
        const Tensor lt = t({2, 2}, {std::log(0.5), std::log(0.5), std::log(0.25), std::log(0.75)});
        const LossResult a = run("KLDivLoss", with(none, "log_target", flag(true)), {{"input", x}, {"target", lt}});
        const Tensor p = t({2, 2}, {0.5, 0.5, 0.25, 0.75});
        const LossResult b = run("KLDivLoss", none, {{"input", x}, {"target", p}});
        for (std::size_t i = 0; i < 4; ++i) {
            CAPTURE(i);
            CHECK(same(a.loss.data[i], b.loss.data[i]));
            CHECK(same(a.grad.at("input").data[i], -p.data[i]));
            // d/dt = exp(t) (t - x) + exp(t)
            CHECK(same(a.grad.at("target").data[i], p.data[i] * (lt.data[i] - x.data[i]) + p.data[i]));
        }
    }
    SUBCASE("a zero target against -inf: xlogy(0, 0) - 0 * (-inf) is NaN in PyTorch") {
        const LossResult r = run("KLDivLoss", none, {{"input", t({-inf_})}, {"target", t({0.0})}});
        expect(r.loss, {1}, {nan_});
    }
    SUBCASE("shape errors name the target first (target * input)") {
        CHECK(error_of("KLDivLoss", {{"reduction", str("sum")}},
                       {{"input", t({-1.0, -2.0})}, {"target", t({0.5, 0.5, 0.1})}}) ==
              "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0");
    }
}

TEST_CASE("PoissonNLLLoss: exp(x) - y x on log-rates, x - y log(x + eps) on rates") {
    SUBCASE("log_input=True (default): d/dx = exp(x) - y, d/dy = -x") {
        const Tensor x = t({0.0, 1.0, -1.0}), y = t({1.0, 3.0, 0.0});
        CAPTURE(show(x));
        const LossResult r = run("PoissonNLLLoss", none, {{"input", x}, {"target", y}});
        expect(r.loss, {3}, {1.0, std::exp(1.0) - 3.0, std::exp(-1.0)});
        expect(r.grad.at("input"), {3}, {0.0, std::exp(1.0) - 3.0, std::exp(-1.0)});
        expect(r.grad.at("target"), {3}, {-0.0, -1.0, 1.0});
    }
    SUBCASE("log_input=False: eps keeps log(0) finite") {
        const Tensor x = t({2.0, 0.0}), y = t({3.0, 1.0});
        const LossResult r = run("PoissonNLLLoss", with(none, "log_input", flag(false)), {{"input", x}, {"target", y}});
        expect(r.loss, {2}, {2.0 - 3.0 * std::log(2.0 + 1e-8), -std::log(1e-8)});
        expect(r.grad.at("input"), {2}, {1.0 - 3.0 / (2.0 + 1e-8), 1.0 - 1.0 / 1e-8});
        expect(r.grad.at("target"), {2}, {-std::log(2.0 + 1e-8), -std::log(1e-8)});
    }
    SUBCASE("full=True adds Stirling's term only where the target is above 1") {
        const Tensor x = t({0.0, 0.0, 0.0}), y = t({0.5, 1.0, 4.0});
        const LossResult r = run("PoissonNLLLoss", with(none, "full", flag(true)), {{"input", x}, {"target", y}});
        const double pi = 3.14159265358979323846;
        const double stirling = 4 * std::log(4.0) - 4 + 0.5 * std::log(2 * pi * 4);
        expect(r.loss, {3}, {1.0, 1.0, 1.0 + stirling});
        expect(r.grad.at("input"), {3}, {0.5, 0.0, -3.0});
        // d/dy of y log y - y + 0.5 log(2 pi y) is log y + 0.5 / y
        expect(r.grad.at("target"), {3}, {0.0, 0.0, std::log(4.0) + 0.125});
    }
    SUBCASE("full=True: the masked Stirling gradient is still 0 * log(0) = NaN at a zero target") {
        const LossResult r = run("PoissonNLLLoss", with(none, "full", flag(true)),
                                 {{"input", t({-1.0, -2.0})}, {"target", t({0.0, 0.5})}});
        expect(r.loss, {2}, {std::exp(-1.0), std::exp(-2.0) + 1.0});
        expect(r.grad.at("target"), {2}, {nan_, 2.0});
    }
    SUBCASE("the target broadcasts silently (no warning), errors name the target first") {
        const LossResult r =
            run("PoissonNLLLoss", none, {{"input", t({-1.0, -2.0})}, {"target", t({2, 1}, {0.5, 0.5})}});
        CHECK(r.elementwise.shape == Shape{2, 2});
        CHECK(r.warnings.empty());
        expect(r.grad.at("target"), {2, 1}, {3.0, 3.0});
        CHECK(error_of("PoissonNLLLoss", {}, {{"input", t({0.0, 1.0, 2.0})}, {"target", t({1.0, -1.0})}}) ==
              "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0");
        CHECK(error_of("PoissonNLLLoss", {{"reduction", str("meanx")}}, {{"input", t({0.0})}, {"target", t({1.0})}}) ==
              "meanx is not valid");
    }
}

TEST_CASE("GaussianNLLLoss: 0.5 (log var + (x - y)^2 / var)") {
    const Tensor x = t({2, 2}, {1.0, 2.0, 3.0, 4.0}), y = t({2, 2}, {1.5, 2.0, 3.0, 5.0});
    CAPTURE(show(x));
    CAPTURE(show(y));
    SUBCASE("heteroscedastic: one variance per element; gradients for input, target and var") {
        const Tensor v = t({2, 2}, {1.0, 2.0, 0.5, 4.0});
        const LossResult r = run("GaussianNLLLoss", none, {{"input", x}, {"target", y}, {"var", v}});
        expect(r.loss, {2, 2}, {0.125, 0.5 * std::log(2.0), 0.5 * std::log(0.5), 0.5 * (std::log(4.0) + 0.25)});
        expect(r.grad.at("input"), {2, 2}, {-0.5, 0.0, 0.0, -0.25});
        expect(r.grad.at("target"), {2, 2}, {0.5, -0.0, -0.0, 0.25});
        // 0.5 (1 / v - d^2 / v^2)
        expect(r.grad.at("var"), {2, 2}, {0.375, 0.25, 1.0, 0.5 * (0.25 - 1.0 / 16)});
    }
    SUBCASE("var of shape input[:-1] or input[:-1] + (1,): one variance per row, gradient in var's shape") {
        for (const Shape& vs : {Shape{2}, Shape{2, 1}}) {
            CAPTURE(lab::sizes_str(vs));
            const LossResult r =
                run("GaussianNLLLoss", none, {{"input", x}, {"target", y}, {"var", t(vs, {1.0, 2.0})}});
            expect(r.loss, {2, 2}, {0.125, 0.0, 0.5 * std::log(2.0), 0.5 * (std::log(2.0) + 0.5)});
            expect(r.grad.at("var"), vs, {0.375 + 0.5, 0.25 + 0.125});
        }
    }
    SUBCASE("full=True adds 0.5 log(2 pi)") {
        const LossResult r = run("GaussianNLLLoss", with(none, "full", flag(true)),
                                 {{"input", scalar(1.0)}, {"target", scalar(2.0)}, {"var", t({3.0})}});
        expect(r.loss, {1}, {0.5 * (std::log(3.0) + 1.0 / 3.0) + 0.5 * std::log(2 * 3.14159265358979323846)});
        expect(r.grad.at("var"), {1}, {0.5 * (1.0 / 3.0 - 1.0 / 9.0)});
    }
    SUBCASE("var is clamped at eps in the value, but the gradient flows as if it were not") {
        const LossResult r = run("GaussianNLLLoss", with(none, "eps", num(0.1)),
                                 {{"input", t({1.0, 2.0})}, {"target", t({1.5, 2.0})}, {"var", t({0.0, 0.01})}});
        expect(r.loss, {2}, {0.5 * (std::log(0.1) + 0.25 / 0.1), 0.5 * std::log(0.1)});
        expect(r.grad.at("var"), {2}, {0.5 * (1 / 0.1 - 0.25 / 0.01), 0.5 * (1 / 0.1)});
        expect(r.grad.at("input"), {2}, {-0.5 / 0.1, 0.0});
    }
    SUBCASE("var's shape and sign are checked with PyTorch's words") {
        CHECK(error_of("GaussianNLLLoss", {}, {{"input", x}, {"target", y}, {"var", t({1, 2}, {1.0, 2.0})}}) ==
              "var is of incorrect size");
        CHECK(error_of("GaussianNLLLoss", {},
                       {{"input", scalar(1.0)}, {"target", scalar(1.0)}, {"var", t({1.0, 2.0})}}) ==
              "var is of incorrect size");
        CHECK(
            error_of("GaussianNLLLoss", {}, {{"input", x}, {"target", y}, {"var", t({2, 2}, {1.0, -2.0, 1.0, 1.0})}}) ==
            "var has negative entry/entries");
        CHECK(error_of("GaussianNLLLoss", {{"reduction", str("meanx")}}, {{"input", x}, {"target", y}, {"var", x}}) ==
              "meanx is not valid");
    }
    SUBCASE("a NaN variance passes the check and gives NaN") {
        const LossResult r = run("GaussianNLLLoss", none,
                                 {{"input", t({1.0, 2.0})}, {"target", t({1.5, 2.0})}, {"var", t({nan_, 1.0})}});
        expect(r.loss, {2}, {nan_, 0.0});
    }
}

// --------------------------------------------------------------------------- Ranking / embedding

TEST_CASE("MarginRankingLoss: max(0, -y (x1 - x2) + margin)") {
    SUBCASE("value and gradients for x1, x2 and the (float) target") {
        const Tensor a = t({1.0, 2.0, 3.0}), b = t({1.5, 2.0, 2.0}), y = t({1.0, -1.0, 1.0});
        CAPTURE(show(a));
        CAPTURE(show(b));
        const LossResult r =
            run("MarginRankingLoss", with(none, "margin", num(0.5)), {{"input1", a}, {"input2", b}, {"target", y}});
        expect(r.loss, {3}, {1.0, 0.5, 0.0});
        expect(r.grad.at("input1"), {3}, {-1.0, 1.0, -0.0});
        expect(r.grad.at("input2"), {3}, {1.0, -1.0, 0.0});
        expect(r.grad.at("target"), {3}, {0.5, -0.0, -0.0});
    }
    SUBCASE("at the hinge point (exactly 0) the gradient still flows: clamp_min's backward uses >=") {
        const LossResult r = run("MarginRankingLoss", with(none, "margin", num(1.0)),
                                 {{"input1", t({1.0, 1.0})}, {"input2", t({2.0, 0.0})}, {"target", t({-1.0, 1.0})}});
        expect(r.loss, {2}, {0.0, 0.0});
        expect(r.grad.at("input1"), {2}, {1.0, -1.0});
        expect(r.grad.at("input2"), {2}, {-1.0, 1.0});
        expect(r.grad.at("target"), {2}, {1.0, -1.0});
    }
    SUBCASE("NaN: NaN loss, no gradient to the inputs, NaN to the target") {
        const LossResult r =
            run("MarginRankingLoss", none, {{"input1", t({nan_})}, {"input2", t({1.0})}, {"target", t({1.0})}});
        expect(r.loss, {1}, {nan_});
        expect(r.grad.at("input1"), {1}, {-0.0});
        expect(r.grad.at("target"), {1}, {nan_});
    }
    SUBCASE("all three need the same number of dims (size-1 dims still broadcast)") {
        const LossResult r =
            run("MarginRankingLoss", none,
                {{"input1", t({1.0, 2.0, 3.0})}, {"input2", t({1.5})}, {"target", t({1.0, -1.0, 1.0})}});
        expect(r.loss, {3}, {0.5, 0.5, 0.0});
        expect(r.grad.at("input2"), {1}, {0.0});
        CHECK(
            error_of(
                "MarginRankingLoss", {},
                {{"input1", t({1.0, 2.0, 3.0})}, {"input2", t({1, 3}, {1, 2, 3})}, {"target", t({1.0, -1.0, 1.0})}}) ==
            "margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: "
            "torch.Size([3]), input2: torch.Size([1, 3]), target: torch.Size([3]) ");
    }
}

TEST_CASE("HingeEmbeddingLoss: x for similar pairs, max(0, margin - x) for dissimilar ones") {
    SUBCASE("both branches, the kink at x = margin, and a target that is neither 1 nor -1 gets both terms") {
        const Tensor x = t({0.0, 1.0, 2.0, 0.5, -1.0, 3.0}), y = t({1.0, -1.0, -1.0, -1.0, 0.0, 2.0});
        CAPTURE(show(x));
        CAPTURE(show(y));
        const LossResult r = run("HingeEmbeddingLoss", none, {{"input", x}, {"target", y}});
        expect(r.loss, {6}, {0.0, 0.0, 0.0, 0.5, 1.0, 3.0});
        expect(r.grad.at("input"), {6}, {1.0, -1.0, 0.0, -1.0, 0.0, 1.0});
        expect(r.grad.at("target"), {6}, {0.0, 0.0, 0.0, 0.0, 0.0, 0.0});
    }
    SUBCASE("margin = 2 moves the hinge") {
        const LossResult r = run("HingeEmbeddingLoss", with(none, "margin", num(2.0)),
                                 {{"input", t({1.5, 2.5})}, {"target", t({-1.0, -1.0})}});
        expect(r.loss, {2}, {0.5, 0.0});
        expect(r.grad.at("input"), {2}, {-1.0, 0.0});
    }
    SUBCASE("the target broadcasts against the input") {
        const LossResult r =
            run("HingeEmbeddingLoss", none, {{"input", t({0.0, 1.0, 2.0})}, {"target", t({2, 1}, {1.0, -1.0})}});
        expect(r.loss, {2, 3}, {0.0, 1.0, 2.0, 1.0, 0.0, 0.0});
        expect(r.grad.at("input"), {3}, {0.0, 0.0, 1.0});
        CHECK(error_of("HingeEmbeddingLoss", {}, {{"input", t({0.0, 1.0, 2.0})}, {"target", t({1.0, -1.0})}}) ==
              "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0");
    }
}

TEST_CASE("CosineEmbeddingLoss: 1 - cos for similar pairs, max(0, cos - margin) for dissimilar ones") {
    SUBCASE("value and gradient of a generic pair: d(1 - cos)/dx1 = -(x2 / (|x1||x2|) - cos x1 / |x1|^2)") {
        const Tensor a = t({1, 2}, {1.0, 2.0}), b = t({1, 2}, {3.0, -1.0});
        const LossResult r = run("CosineEmbeddingLoss", none, {{"input1", a}, {"input2", b}, {"target", t({1.0})}});
        const double n1 = std::sqrt(5.0), n2 = std::sqrt(10.0), c = 1.0 / (n1 * n2);
        expect(r.loss, {1}, {1 - c});
        expect(r.grad.at("input1"), {1, 2}, {-(3.0 / (n1 * n2) - c * 1.0 / 5), -(-1.0 / (n1 * n2) - c * 2.0 / 5)});
        expect(r.grad.at("input2"), {1, 2}, {-(1.0 / (n1 * n2) - c * 3.0 / 10), -(2.0 / (n1 * n2) - c * -1.0 / 10)});
        expect(r.grad.at("target"), {1}, {0.0});
    }
    SUBCASE("dissimilar pairs cost nothing once the cosine is below the margin; a 0 target costs nothing") {
        // Long vectors, so the 1e-12 added to the squared norms is invisible.
        const Tensor a = t({3, 2}, {1e3, 0.0, 1e3, 0.0, 1e3, 1e3}), b = t({3, 2}, {1e3, 1e3, 0.0, 1e3, 1e3, 1e3});
        const LossResult r = run("CosineEmbeddingLoss", with(none, "margin", num(0.5)),
                                 {{"input1", a}, {"input2", b}, {"target", t({-1.0, -1.0, 0.0})}});
        // cos = 1/sqrt(2) (above the margin), 0 (below it), 1 (but the target is 0)
        expect(r.loss, {3}, {1 / std::sqrt(2.0) - 0.5, 0.0, 0.0});
        const Tensor& g = r.grad.at("input1");
        CHECK(std::abs(g.data[0]) < 1e-18);  // x2 / (|x1||x2|) - cos x1 / |x1|^2 cancels
        CHECK(same(g.data[1], 1 / (1e3 * std::sqrt(2.0))));
        for (std::size_t i = 2; i < 6; ++i) CHECK(g.data[i] == 0.0);
    }
    SUBCASE("PyTorch adds 1e-12f to each squared norm: identical vectors give 7.1e-14, not 0") {
        const Tensor a = t({1, 3}, {1.0, 2.0, 3.0});
        const LossResult r = run("CosineEmbeddingLoss", none, {{"input1", a}, {"input2", a}, {"target", t({1.0})}});
        expect(r.loss, {1}, {7.138734048339757e-14});  // torch 1.13.1
        expect(r.grad.at("input1"), {1, 3}, {-5.10702591327572e-15, -1.021405182655144e-14, -1.532107773982716e-14});
    }
    SUBCASE("zero vectors do not divide by zero") {
        const Tensor z = t({1, 2}, {0.0, 0.0});
        const LossResult r = run("CosineEmbeddingLoss", none, {{"input1", z}, {"input2", z}, {"target", t({1.0})}});
        expect(r.loss, {1}, {1.0});
        expect(r.grad.at("input1"), {1, 2}, {0.0, 0.0});
    }
    SUBCASE("1-D inputs take a 0-D target and give a 0-D loss") {
        const LossResult r = run("CosineEmbeddingLoss", none,
                                 {{"input1", t({1.0, 2.0})}, {"input2", t({3.0, 4.0})}, {"target", scalar(-1.0)}});
        expect_scalar(r.loss, 0.9838699100997894);  // 11 / sqrt(125), less 1e-12 effects (torch 1.13.1)
    }
    SUBCASE("dimension rules, in PyTorch's words") {
        const ArgMap bad_target{
            {"input1", t({1, 2}, {1, 2})}, {"input2", t({1, 2}, {1, 2})}, {"target", t({1, 1}, {1})}};
        CHECK(error_of("CosineEmbeddingLoss", {}, bad_target) ==
              "0D or 1D target tensor expected, multi-target not supported");
        CHECK(error_of("CosineEmbeddingLoss", {},
                       {{"input1", t({0.0, 1.0, 2.0})}, {"input2", t({1.0, -1.0, 3.0})}, {"target", t({1.0})}}) ==
              "1D target tensor expects 2D input tensors, but found inputs with sizes [3] and [3].");
        CHECK(
            error_of("CosineEmbeddingLoss", {},
                     {{"input1", t({1, 3}, {0, 1, 2})}, {"input2", t({1, 3}, {1, -1, 3})}, {"target", scalar(1.0)}}) ==
            "0D target tensor expects 1D input tensors, but found inputs with sizes [1, 3] and [1, 3].");
        CHECK(error_of("CosineEmbeddingLoss", {},
                       {{"input1", t({1, 2}, {1, 2})}, {"input2", t({3.0, 4.0})}, {"target", t({-1.0})}}) ==
              "Dimension out of range (expected to be in range of [-1, 0], but got 1)");
    }
}

TEST_CASE("TripletMarginLoss: max(0, margin + d(a, p) - d(a, n)) with d = |a - b + eps|_p") {
    const ParamMap exact = {{"reduction", str("none")}, {"eps", num(0.0)}};
    SUBCASE("a satisfied triplet costs nothing; a violated one costs the shortfall") {
        const Tensor a = t({2, 2}, {0.0, 0.0, 0.0, 0.0}), p = t({2, 2}, {3.0, 4.0, 3.0, 4.0}),
                     n = t({2, 2}, {6.0, 8.0, 0.0, 4.5});
        const LossResult r = run("TripletMarginLoss", exact, {{"anchor", a}, {"positive", p}, {"negative", n}});
        expect(r.loss, {2}, {0.0, 1.5});
        expect(r.grad.at("anchor"), {2, 2}, {0.0, 0.0, -0.6, -0.8 + 1.0});
        expect(r.grad.at("positive"), {2, 2}, {0.0, 0.0, 0.6, 0.8});
        expect(r.grad.at("negative"), {2, 2}, {0.0, 0.0, 0.0, -1.0});
    }
    SUBCASE("eps is added to the difference before the norm (default 1e-6)") {
        const Tensor a = t({1, 2}, {0.0, 0.0}), n = t({1, 2}, {0.3, 0.4});
        const LossResult r = run("TripletMarginLoss", none, {{"anchor", a}, {"positive", a}, {"negative", n}});
        expect(r.loss, {1}, {1.0 + std::sqrt(2.0) * 1e-6 - std::hypot(-0.3 + 1e-6, -0.4 + 1e-6)});
    }
    SUBCASE("p = 1 and p = inf distances") {
        const Tensor a = t({1, 2}, {0.0, 0.0}), p = t({1, 2}, {1.0, 2.0}), n = t({1, 2}, {2.0, 2.5});
        const ArgMap args{{"anchor", a}, {"positive", p}, {"negative", n}};
        const LossResult one = run("TripletMarginLoss", with(with(exact, "p", num(1.0)), "margin", num(2.0)), args);
        expect(one.loss, {1}, {2.0 + 3.0 - 4.5});
        expect(one.grad.at("anchor"), {1, 2}, {-1.0 + 1.0, -1.0 + 1.0});
        const LossResult mx = run("TripletMarginLoss", with(with(exact, "p", num(inf_)), "margin", num(2.0)), args);
        expect(mx.loss, {1}, {2.0 + 2.0 - 2.5});
        expect(mx.grad.at("positive"), {1, 2}, {0.0, 1.0});
        expect(mx.grad.at("negative"), {1, 2}, {0.0, -1.0});
    }
    SUBCASE("the kink at exactly 0 passes the gradient (clamp_min's backward uses >=)") {
        const LossResult r = run("TripletMarginLoss", exact,
                                 {{"anchor", t({1, 2}, {0.0, 0.0})},
                                  {"positive", t({1, 2}, {1.0, 0.0})},
                                  {"negative", t({1, 2}, {2.0, 0.0})}});
        expect(r.loss, {1}, {0.0});
        expect(r.grad.at("positive"), {1, 2}, {1.0, -0.0});
        expect(r.grad.at("negative"), {1, 2}, {-1.0, 0.0});
    }
    SUBCASE("swap=True uses d(p, n) when it is smaller; a tie splits the gradient in half") {
        const ArgMap args{{"anchor", t({1, 2}, {0.0, 0.0})},
                          {"positive", t({1, 2}, {2.0, 0.0})},
                          {"negative", t({1, 2}, {1.0, 0.0})}};
        const LossResult r = run("TripletMarginLoss", with(with(exact, "swap", flag(true)), "margin", num(5.0)), args);
        expect(r.loss, {1}, {6.0});
        expect(r.grad.at("anchor"), {1, 2}, {-0.5, 0.0});
        expect(r.grad.at("positive"), {1, 2}, {0.5, -0.0});
        expect(r.grad.at("negative"), {1, 2}, {0.0, 0.0});
    }
    SUBCASE("p = 0 counts nonzero entries and has no gradient") {
        const LossResult r = run("TripletMarginLoss", with(exact, "p", num(0.0)),
                                 {{"anchor", t({1, 2}, {0.0, 0.0})},
                                  {"positive", t({1, 2}, {1.0, 0.0})},
                                  {"negative", t({1, 2}, {1.0, 1.0})}});
        expect(r.loss, {1}, {0.0});
        expect(r.grad.at("anchor"), {1, 2}, {0.0, 0.0});
    }
    SUBCASE("the three inputs need the same number of dims") {
        CHECK(error_of("TripletMarginLoss", {},
                       {{"anchor", t({0.0, 0.0})}, {"positive", t({1, 2}, {1, 0})}, {"negative", t({0.0, 2.0})}}) ==
              "All inputs should have same dimension but got 1D, 2D and 1D inputs.");
    }
}

TEST_CASE("TripletMarginWithDistanceLoss: the triplet loss with a chosen distance") {
    const Tensor a = t({2, 2}, {0.0, 0.0, 1.0, 1.0}), p = t({2, 2}, {1.0, 0.0, 1.0, 2.0}),
                 n = t({2, 2}, {0.0, 3.0, 1.0, 1.5});
    const ArgMap args{{"anchor", a}, {"positive", p}, {"negative", n}};
    SUBCASE("the default pairwise distance gives TripletMarginLoss's numbers") {
        for (bool swap : {false, true}) {
            CAPTURE(swap);
            const LossResult w = run("TripletMarginWithDistanceLoss", with(none, "swap", flag(swap)), args);
            const LossResult m = run("TripletMarginLoss", with(none, "swap", flag(swap)), args);
            expect(w.loss, {2}, m.loss.data);
            for (const char* k : {"anchor", "positive", "negative"}) {
                CAPTURE(k);
                expect(w.grad.at(k), {2, 2}, m.grad.at(k).data);
            }
        }
    }
    SUBCASE("cosine distance 1 - cos: only directions matter") {
        const Tensor a2 = t({1, 2}, {2.0, 0.0}), p2 = t({1, 2}, {5.0, 5.0}), n2 = t({1, 2}, {0.0, 0.1});
        const LossResult r = run("TripletMarginWithDistanceLoss", with(none, "distance_function", str("cosine")),
                                 {{"anchor", a2}, {"positive", p2}, {"negative", n2}});
        expect(r.loss, {1}, {(1 - 1 / std::sqrt(2.0)) - 1.0 + 1.0});
        // d(-cos(a, p))/da + d(cos(a, n))/da at a = (2, 0): -(p/|p| - cos a/|a|)/|a| + (n/|n|)/|a|
        expect(r.grad.at("anchor"), {1, 2}, {0.0, -(1 / std::sqrt(2.0)) / 2 + 0.5});
    }
    SUBCASE("cosine distance from a zero anchor: the norm is clamped at 1e-8, so the gradient is huge") {
        const LossResult r = run("TripletMarginWithDistanceLoss", with(none, "distance_function", str("cosine")),
                                 {{"anchor", t({1, 2}, {0.0, 0.0})},
                                  {"positive", t({1, 2}, {1.0, 1.0})},
                                  {"negative", t({1, 2}, {0.0, 1.0})}});
        expect(r.loss, {1}, {1.0});
        expect(r.grad.at("anchor"), {1, 2}, {-70710678.11865474, 29289321.881345257});  // torch 1.13.1
    }
    SUBCASE("cosine_similarity's default dim=1 rejects 1-D inputs, as in PyTorch") {
        CHECK(error_of("TripletMarginWithDistanceLoss", {{"distance_function", str("cosine")}},
                       {{"anchor", t({1.0, 0.0})}, {"positive", t({1.0, 1.0})}, {"negative", t({0.0, 1.0})}}) ==
              "Dimension out of range (expected to be in range of [-1, 0], but got 1)");
    }
    SUBCASE("the PyTorch code shown for the cosine choice is a lambda") {
        const lab::FunctionSpec& f = lab::find_function("TripletMarginWithDistanceLoss");
        const lab::Params prm = lab::resolve(f, {{"distance_function", str("cosine")}, {"margin", num(0.5)}});
        CHECK(lab::torch_code(prm) ==
              "nn.TripletMarginWithDistanceLoss(distance_function=lambda a, b: 1.0 - F.cosine_similarity(a, b), "
              "margin=0.5)");
    }
}
