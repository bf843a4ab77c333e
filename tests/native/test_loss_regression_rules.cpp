// The regression and probabilistic losses' rules (L1, MSE, SmoothL1, Huber; KLDiv, PoissonNLL,
// GaussianNLL) as tables (loss_rows.hpp): each row states one rule PyTorch follows — a formula, a
// kink convention, a clamp, a shape rule, a warning, an error message — on inputs small enough to
// check by hand. Expected numbers are closed forms evaluated here or, where PyTorch's own rounding
// is the point, values printed by torch 1.13.1 in float64 (marked so).
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "loss_rows.hpp"

using labtest::Case;
using labtest::kInf;
using labtest::kNaN;
using labtest::kNoWarning;
using labtest::Params;
using labtest::scalar;
using labtest::T;

namespace {

const Params kNone{{"reduction", "none"}};
const Params kSum{{"reduction", "sum"}};

std::vector<std::string> broadcast_warning(const char* target_size, const char* input_size) {
    return {std::string("Using a target size (") + target_size + ") that is different to the input size (" +
            input_size +
            "). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size."};
}

}  // namespace

// ------------------------------------------------------------------------------------ Regression

TEST_CASE("L1Loss: |x - y|, gradient sign(x - y) with sign(0) = 0") {
    const lab::ArgMap a{{"input", T({0.5, 2.0, -1.0, 3.0})}, {"target", T({0.0, 2.0, 1.0, 10.0})}};
    labtest::check_cases({
        {"L1Loss", kNone, a,
         {{"loss", T({0.5, 0.0, 2.0, 7.0})}, {"elementwise", T({0.5, 0.0, 2.0, 7.0})},
          {"grad input", T({1.0, 0.0, -1.0, -1.0})}, {"grad target", T({-1.0, 0.0, 1.0, 1.0})}},
         "reduction='none': the value and gradient of each element", kNoWarning},
        {"L1Loss", {}, a,
         {{"loss", scalar(9.5 / 4)}, {"elementwise", T({0.5, 0.0, 2.0, 7.0})},
          {"grad input", T({0.25, 0.0, -0.25, -0.25})}},
         "'mean' (the default) divides value and gradient by numel"},
        {"L1Loss", kSum, a, {{"loss", scalar(9.5)}, {"grad input", T({1.0, 0.0, -1.0, -1.0})}},
         "'sum' does not divide"},
        {"L1Loss", kNone, {{"input", T({kNaN})}, {"target", T({0.0})}},
         {{"loss", T({kNaN})}, {"grad input", T({0.0})}}, "NaN gives a NaN loss but a zero gradient (sign(NaN) = 0)"},
        {"L1Loss", kNone, {{"input", T({1.0, 2.0, 3.0})}, {"target", T({2, 1}, {1.0, 2.0})}},
         {{"loss", T({2, 3}, {0.0, 1.0, 2.0, 1.0, 0.0, 1.0})}, {"grad input", T({-1.0, 1.0, 2.0})},
          {"grad target", T({2, 1}, {-2.0, 0.0})}},
         "a target of another shape broadcasts, with PyTorch's warning; gradients are summed back",
         broadcast_warning("torch.Size([2, 1])", "torch.Size([3])")},
    });
    labtest::check_rejected({
        {"L1Loss", {}, {{"input", T({1.0, 2.0, 3.0})}, {"target", T({1.0, 2.0})}},
         "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0",
         "shapes that do not broadcast"},
    });
}

TEST_CASE("MSELoss: (x - y)^2, gradient 2 (x - y)") {
    const lab::ArgMap a{{"input", T({0.5, 2.0, -1.0, 3.0})}, {"target", T({0.0, 2.0, 1.0, 10.0})}};
    labtest::check_cases({
        {"MSELoss", kNone, a,
         {{"loss", T({0.25, 0.0, 4.0, 49.0})}, {"grad input", T({1.0, 0.0, -4.0, -14.0})},
          {"grad target", T({-1.0, 0.0, 4.0, 14.0})}},
         "reduction='none'"},
        {"MSELoss", {}, a, {{"loss", scalar(53.25 / 4)}, {"grad input", T({0.25, 0.0, -1.0, -3.5})}},
         "'mean': the gradient is 2 (x - y) / numel"},
        {"MSELoss", kSum, a, {{"loss", scalar(53.25)}},
         "one large error dominates: an outlier of 7 costs 49 of the 53.25 total"},
        {"MSELoss", {}, {{"input", scalar(1.0)}, {"target", T({1.0, 2.0})}},
         {{"loss", scalar(0.5)}, {"grad input", scalar(-1.0)}, {"grad target", T({0.0, 1.0})}},
         "a 0-dim input against a (2,) target broadcasts with the warning",
         broadcast_warning("torch.Size([2])", "torch.Size([])")},
        {"MSELoss", kNone, {{"input", T({kInf, kInf})}, {"target", T({0.0, kInf})}},
         {{"loss", T({kInf, kNaN})}, {"grad input", T({kInf, kNaN})}}, "infinite error: inf loss; inf - inf is NaN"},
    });
}

TEST_CASE("SmoothL1Loss: quadratic below beta, linear above, with PyTorch's branch at |d| == beta") {
    const lab::ArgMap d{{"input", T({0.0, 0.5, -0.5, 1.0, -1.0, 2.5})}, {"target", T({0.0, 0.0, 0.0, 0.0, 0.0, 0.0})}};
    labtest::check_cases({
        {"SmoothL1Loss", kNone, d,
         {{"loss", T({0.0, 0.125, 0.125, 0.5, 0.5, 2.0})}, {"grad input", T({0.0, 0.5, -0.5, 1.0, -1.0, 1.0})},
          {"grad target", T({0.0, -0.5, 0.5, -1.0, 1.0, -1.0})}},
         "beta = 1 (default): 0.5 d^2 inside, |d| - 0.5 outside; value and slope meet at |d| = 1"},
        {"SmoothL1Loss", kNone.with("beta", 0.5), d,
         {{"loss", T({0.0, 0.25, 0.25, 0.75, 0.75, 2.25})}, {"grad input", T({0.0, 1.0, -1.0, 1.0, -1.0, 1.0})}},
         "beta = 0.5: the quadratic part is divided by beta, so the slope is still 1 outside"},
        {"SmoothL1Loss", kNone.with("beta", 0.0), {{"input", T({1.0, 2.0, 3.0})}, {"target", T({1.0, 2.5, 4.0})}},
         {{"loss", T({0.0, 0.5, 1.0})}, {"grad input", T({-1.0, -1.0, -1.0})}, {"grad target", T({-1.0, 1.0, 1.0})}},
         "beta = 0 is L1, except that PyTorch's kernel gives a zero difference slope -1 (input and target)"},
        {"SmoothL1Loss", {}, {{"input", T({3, 1}, {1, 2, 3})}, {"target", T({1.0, 0.0, 2.0})}},
         {{"elementwise", T({3, 3}, {0.0, 0.5, 0.5, 0.5, 1.5, 0.0, 1.5, 2.5, 0.5})}},
         "a broadcast target warns like L1Loss", broadcast_warning("torch.Size([3])", "torch.Size([3, 1])")},
    });
    const lab::ArgMap xy{{"input", T({0.3, -1.7, 2.2, 0.01})}, {"target", T({0.0, 0.4, -1.0, 0.02})}};
    std::vector<labtest::Same> same;
    for (double beta : {0.25, 1.0, 3.0})
        same.push_back({{"SmoothL1Loss", kNone.with("beta", beta), xy},
                        {"HuberLoss", kNone.with("delta", beta), xy},
                        {"loss", "grad input"},
                        "SmoothL1Loss(beta) is HuberLoss(delta = beta) / beta",
                        beta});
    labtest::check_same(same);
    labtest::check_rejected({
        {"SmoothL1Loss", {{"beta", -1.0}}, d, "smooth_l1_loss does not support negative values for beta.",
         "a negative beta"},
        {"SmoothL1Loss", {{"beta", kNaN}}, d, "smooth_l1_loss does not support negative values for beta.",
         "a NaN beta is refused with the same words"},
    });
}

TEST_CASE("HuberLoss: 0.5 d^2 inside delta, delta (|d| - 0.5 delta) outside") {
    const lab::ArgMap d{{"input", T({0.0, 0.5, -0.5, 1.0, -1.0, 3.0})}, {"target", T({0.0, 0.0, 0.0, 0.0, 0.0, 0.0})}};
    labtest::check_cases({
        {"HuberLoss", kNone, d,
         {{"loss", T({0.0, 0.125, 0.125, 0.5, 0.5, 2.5})}, {"grad input", T({0.0, 0.5, -0.5, 1.0, -1.0, 1.0})},
          {"grad target", T({0.0, -0.5, 0.5, -1.0, 1.0, -1.0})}},
         "delta = 1 (default): the gradient is d clamped to [-1, 1]"},
        {"HuberLoss", kNone.with("delta", 2.0), d,
         {{"loss", T({0.0, 0.125, 0.125, 0.5, 0.5, 4.0})}, {"grad input", T({0.0, 0.5, -0.5, 1.0, -1.0, 2.0})}},
         "delta = 2: the gradient is capped at delta"},
        {"HuberLoss", {}, d,
         {{"loss", scalar(3.75 / 6)}, {"grad input", T({0.0, 0.5 / 6, -0.5 / 6, 1.0 / 6, -1.0 / 6, 1.0 / 6})}},
         "mean divides by numel"},
    });
    labtest::check_rejected({
        {"HuberLoss", {{"delta", 0.0}}, d, "huber_loss does not support non-positive values for delta.",
         "delta must be positive"},
        {"HuberLoss", {{"delta", -1.0}}, d, "huber_loss does not support non-positive values for delta.",
         "delta must be positive"},
        {"HuberLoss", {{"delta", kNaN}}, d, "huber_loss does not support non-positive values for delta.",
         "delta must be positive, and NaN is not"},
    });
}

// --------------------------------------------------------------------------------- Probabilistic

TEST_CASE("KLDivLoss: y (log y - x) on log-probability inputs") {
    const lab::Tensor x = T({2, 2}, {std::log(0.25), std::log(0.75), std::log(0.5), std::log(0.5)});
    const lab::ArgMap a{{"input", x}, {"target", T({2, 2}, {0.5, 0.5, 0.0, 1.0})}};
    const double total = 0.5 * std::log(2.0) + 0.5 * std::log(2.0 / 3.0) + std::log(2.0);
    // log_target=True: the same distributions given as log-probabilities
    const lab::Tensor lt = T({2, 2}, {std::log(0.5), std::log(0.5), std::log(0.25), std::log(0.75)});
    const lab::Tensor p = T({2, 2}, {0.5, 0.5, 0.25, 0.75});
    std::vector<double> dt;  // d/dt = exp(t) (t - x) + exp(t)
    for (std::size_t i = 0; i < 4; ++i) dt.push_back(p.data[i] * (lt.data[i] - x.data[i]) + p.data[i]);
    labtest::check_cases({
        {"KLDivLoss", kNone, a,
         {{"loss", T({2, 2}, {0.5 * std::log(2.0), 0.5 * std::log(2.0 / 3.0), 0.0, std::log(2.0)})},
          {"grad input", T({2, 2}, {-0.5, -0.5, -0.0, -1.0})}},
         "elementwise value; a zero target contributes 0; d/dx = -y"},
        {"KLDivLoss", kNone, a,
         {{"grad target",
           T({2, 2},
             {std::log(0.5) + 1 - std::log(0.25), std::log(0.5) + 1 - std::log(0.75), kNaN, 1 - std::log(0.5)})}},
         "d/dy = log y + 1 - x, and NaN at y = 0 (PyTorch's xlogy gradient is g y / y there)"},
        {"KLDivLoss", {{"reduction", "batchmean"}}, a,
         {{"loss", scalar(total / 2)}, {"grad input", T({2, 2}, {-0.25, -0.25, -0.0, -0.5})}},
         "'batchmean' divides by the batch size: the true KL divergence per sample", kNoWarning},
        {"KLDivLoss", {}, a, {{"loss", scalar(total / 4)}}, "'mean' divides by numel and warns with PyTorch's text",
         std::vector<std::string>{
             "reduction: 'mean' divides the total loss by both the batch size and the support size.'batchmean' "
             "divides only by the batch size, and aligns with the KL div math definition.'mean' will be changed "
             "to behave the same as 'batchmean' in the next major release."}},
        {"KLDivLoss", {{"reduction", "batchmean"}},
         {{"input", T({-1.0, -2.0, -3.0})}, {"target", T({2, 3}, {0.5, 0.5, 0.1, 0.2, 0.2, 0.2})}},
         {{"loss", scalar(0.3703105208933966)}, {"grad input", T({-0.7 / 3, -0.7 / 3, -0.3 / 3})}},
         "'batchmean' uses input.size(0) even when the target broadcasts to more rows (torch 1.13.1: sum / 3)"},
        {"KLDivLoss", kNone.with("log_target", true), {{"input", x}, {"target", lt}},
         {{"grad input", T({2, 2}, {-0.5, -0.5, -0.25, -0.75})}, {"grad target", T({2, 2}, dt)}},
         "log_target=True: exp(t) (t - x); d/dx = -exp(t), d/dt = exp(t) (t - x) + exp(t)"},
        {"KLDivLoss", kNone, {{"input", T({-kInf})}, {"target", T({0.0})}}, {{"loss", T({kNaN})}},
         "a zero target against -inf: xlogy(0, 0) - 0 * (-inf) is NaN in PyTorch"},
    });
    labtest::check_same({
        {{"KLDivLoss", kNone.with("log_target", true), {{"input", x}, {"target", lt}}},
         {"KLDivLoss", kNone, {{"input", x}, {"target", p}}},
         {"loss"},
         "log_target=True gives the same divergence given log-probabilities"},
    });
    labtest::check_rejected({
        {"KLDivLoss", kSum, {{"input", T({-1.0, -2.0})}, {"target", T({0.5, 0.5, 0.1})}},
         "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0",
         "shape errors name the target first (target * input)"},
    });
}

TEST_CASE("PoissonNLLLoss: exp(x) - y x on log-rates, x - y log(x + eps) on rates") {
    labtest::check_cases({
        {"PoissonNLLLoss", kNone, {{"input", T({0.0, 1.0, -1.0})}, {"target", T({1.0, 3.0, 0.0})}},
         {{"loss", T({1.0, std::exp(1.0) - 3.0, std::exp(-1.0)})},
          {"grad input", T({0.0, std::exp(1.0) - 3.0, std::exp(-1.0)})}, {"grad target", T({-0.0, -1.0, 1.0})}},
         "log_input=True (default): d/dx = exp(x) - y, d/dy = -x"},
        {"PoissonNLLLoss", kNone.with("log_input", false), {{"input", T({2.0, 0.0})}, {"target", T({3.0, 1.0})}},
         {{"loss", T({2.0 - 3.0 * std::log(2.0 + 1e-8), -std::log(1e-8)})},
          {"grad input", T({1.0 - 3.0 / (2.0 + 1e-8), 1.0 - 1.0 / 1e-8})},
          {"grad target", T({-std::log(2.0 + 1e-8), -std::log(1e-8)})}},
         "log_input=False: eps keeps log(0) finite"},
        {"PoissonNLLLoss", kNone.with("full", true), {{"input", T({0.0, 0.0, 0.0})}, {"target", T({0.5, 1.0, 4.0})}},
         {{"loss", T({1.0, 1.0, 1.0 + (4 * std::log(4.0) - 4 + 0.5 * std::log(2 * std::numbers::pi * 4))})},
          {"grad input", T({0.5, 0.0, -3.0})}, {"grad target", T({0.0, 0.0, std::log(4.0) + 0.125})}},
         "full=True adds Stirling's term y log y - y + 0.5 log(2 pi y) only where the target is above 1; "
         "its d/dy is log y + 0.5 / y"},
        {"PoissonNLLLoss", kNone.with("full", true), {{"input", T({-1.0, -2.0})}, {"target", T({0.0, 0.5})}},
         {{"loss", T({std::exp(-1.0), std::exp(-2.0) + 1.0})}, {"grad target", T({kNaN, 2.0})}},
         "full=True: the masked Stirling gradient is still 0 * log(0) = NaN at a zero target"},
        {"PoissonNLLLoss", kNone, {{"input", T({-1.0, -2.0})}, {"target", T({2, 1}, {0.5, 0.5})}},
         {{"elementwise", T({2, 2}, {std::exp(-1.0) + 0.5, std::exp(-2.0) + 1.0, std::exp(-1.0) + 0.5,
                                     std::exp(-2.0) + 1.0})},
          {"grad target", T({2, 1}, {3.0, 3.0})}},
         "the target broadcasts silently (no warning)", kNoWarning},
    });
    labtest::check_rejected({
        {"PoissonNLLLoss", {}, {{"input", T({0.0, 1.0, 2.0})}, {"target", T({1.0, -1.0})}},
         "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0",
         "errors name the target first"},
        {"PoissonNLLLoss", {{"reduction", "meanx"}}, {{"input", T({0.0})}, {"target", T({1.0})}}, "meanx is not valid",
         "an unknown reduction, in the functional's words"},
    });
}

TEST_CASE("GaussianNLLLoss: 0.5 (log var + (x - y)^2 / var)") {
    const lab::Tensor x = T({2, 2}, {1.0, 2.0, 3.0, 4.0}), y = T({2, 2}, {1.5, 2.0, 3.0, 5.0});
    labtest::check_cases({
        {"GaussianNLLLoss", kNone, {{"input", x}, {"target", y}, {"var", T({2, 2}, {1.0, 2.0, 0.5, 4.0})}},
         {{"loss", T({2, 2}, {0.125, 0.5 * std::log(2.0), 0.5 * std::log(0.5), 0.5 * (std::log(4.0) + 0.25)})},
          {"grad input", T({2, 2}, {-0.5, 0.0, 0.0, -0.25})},
          {"grad target", T({2, 2}, {0.5, -0.0, -0.0, 0.25})},
          {"grad var", T({2, 2}, {0.375, 0.25, 1.0, 0.5 * (0.25 - 1.0 / 16)})}},
         "heteroscedastic: one variance per element; d/dvar = 0.5 (1 / v - d^2 / v^2)"},
        {"GaussianNLLLoss", kNone, {{"input", x}, {"target", y}, {"var", T({2}, {1.0, 2.0})}},
         {{"loss", T({2, 2}, {0.125, 0.0, 0.5 * std::log(2.0), 0.5 * (std::log(2.0) + 0.5)})},
          {"grad var", T({2}, {0.375 + 0.5, 0.25 + 0.125})}},
         "var of shape input[:-1]: one variance per row, gradient in var's shape"},
        {"GaussianNLLLoss", kNone, {{"input", x}, {"target", y}, {"var", T({2, 1}, {1.0, 2.0})}},
         {{"loss", T({2, 2}, {0.125, 0.0, 0.5 * std::log(2.0), 0.5 * (std::log(2.0) + 0.5)})},
          {"grad var", T({2, 1}, {0.375 + 0.5, 0.25 + 0.125})}},
         "var of shape input[:-1] + (1,): one variance per row, gradient in var's shape"},
        {"GaussianNLLLoss", kNone.with("full", true), {{"input", scalar(1.0)}, {"target", scalar(2.0)},
         {"var", T({3.0})}},
         {{"loss", T({0.5 * (std::log(3.0) + 1.0 / 3.0) + 0.5 * std::log(2 * std::numbers::pi)})},
          {"grad var", T({0.5 * (1.0 / 3.0 - 1.0 / 9.0)})}},
         "full=True adds 0.5 log(2 pi)"},
        {"GaussianNLLLoss", kNone.with("eps", 0.1), {{"input", T({1.0, 2.0})}, {"target", T({1.5, 2.0})},
         {"var", T({0.0, 0.01})}},
         {{"loss", T({0.5 * (std::log(0.1) + 0.25 / 0.1), 0.5 * std::log(0.1)})},
          {"grad var", T({0.5 * (1 / 0.1 - 0.25 / 0.01), 0.5 * (1 / 0.1)})}, {"grad input", T({-0.5 / 0.1, 0.0})}},
         "var is clamped at eps in the value, but the gradient flows as if it were not"},
        {"GaussianNLLLoss", kNone, {{"input", T({1.0, 2.0})}, {"target", T({1.5, 2.0})}, {"var", T({kNaN, 1.0})}},
         {{"loss", T({kNaN, 0.0})}}, "a NaN variance passes the check and gives NaN"},
    });
    labtest::check_rejected({
        {"GaussianNLLLoss", {}, {{"input", x}, {"target", y}, {"var", T({1, 2}, {1.0, 2.0})}},
         "var is of incorrect size",
         "var must match the input, or the input without its last dim"},
        {"GaussianNLLLoss", {}, {{"input", scalar(1.0)}, {"target", scalar(1.0)}, {"var", T({1.0, 2.0})}},
         "var is of incorrect size", "var must not be larger than the input"},
        {"GaussianNLLLoss", {}, {{"input", x}, {"target", y}, {"var", T({2, 2}, {1.0, -2.0, 1.0, 1.0})}},
         "var has negative entry/entries", "a negative variance"},
        {"GaussianNLLLoss", {{"reduction", "meanx"}}, {{"input", x}, {"target", y}, {"var", x}}, "meanx is not valid",
         "an unknown reduction, in the functional's words"},
    });
}
