// Design note: the binary classification losses BCE, BCEWithLogits and SoftMargin. All three
// have fused ATen kernels, so each backward is the backward kernel's formula in its operation
// order (BCE divides by max((1-x)x, 1e-12f); for 'mean' the fused kernels divide by numel after
// the weight), and the in-place steps of the forward (loss.mul_(weight), neg(input).mul_(target))
// may broadcast an operand into the loss but never grow it, with PyTorch's message.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "broadcast.hpp"
#include "loss_common.hpp"
#include "scalar.hpp"
#include "spec_builders.hpp"

namespace lab {
namespace {

// at::logit without eps.
inline double logit(double x) { return x == 1.0 ? std::numeric_limits<double>::infinity() : std::log(x / (1.0 - x)); }

// Fused kernels that divide by numel for 'mean' after everything else (BCE, BCEWithLogits);
// for 'none' and 'sum' the incoming gradient is exactly 1.
inline double finish_mean(double v, Reduction r, double n) { return r == Reduction::Mean ? v / n : v; }

LossResult bce_loss(const Params& p, const ArgMap& args) {
    const auto [input, target] = input_target(p, args);
    if (target.shape != input.shape)
        throw Error("Using a target size (" + shape_str(target.shape) + ") that is different to the input size (" +
                    shape_str(input.shape) + ") is deprecated. Please ensure they have the same size.");
    const Tensor* w = p.tensor("weight");
    // F.binary_cross_entropy expands weight to _infer_size(target, weight) before the kernel.
    const Shape wshape = w ? broadcast_shape(target.shape, w->shape) : target.shape;
    const std::size_t n = input.numel();
    const double* x = input.data.data();
    const double* y = target.data.data();
    for (std::size_t k = 0; k < n; ++k)
        if (!(x[k] >= 0.0 && x[k] <= 1.0)) throw Error("all elements of input should be between 0 and 1");
    if (w) check_inplace(input.shape, wshape);  // loss.mul_(weight)
    const InFrame wf(w, input.shape);  // weight (None: no data)
    const double* wt = wf.data();
    const Reduction r = reduction_of(p);

    LossResult out;
    Tensor e(input.shape);
    for (std::size_t k = 0; k < n; ++k) {
        // Each log is clamped at -100 so an exact 0 or 1 probability gives a finite loss.
        double v = (y[k] - 1.0) * std::max(std::log(1.0 - x[k]), -100.0) - y[k] * std::max(std::log(x[k]), -100.0);
        if (wt) v *= wt[k];
        e.data[k] = v;
    }
    finish(out, std::move(e), r);
    const double nd = static_cast<double>(n);
    std::vector<double> gx(n), gy(n);
    for (std::size_t k = 0; k < n; ++k) {
        // binary_cross_entropy_backward: the denominator is floored at 1e-12f, not 0.
        double a = (x[k] - y[k]) / std::max((1.0 - x[k]) * x[k], kEpsilonF);
        // binary_cross_entropy_target_backward: -logit(x), infinite at exact 0 and 1.
        double b = -logit(x[k]);
        if (wt) {
            a *= wt[k];
            b *= wt[k];
        }
        gx[k] = finish_mean(a, r, nd);
        gy[k] = finish_mean(b, r, nd);
    }
    out.grad["input"] = Tensor(input.shape, std::move(gx));
    out.grad["target"] = Tensor(target.shape, std::move(gy));
    return out;
}

LossResult bce_with_logits_loss(const Params& p, const ArgMap& args) {
    const auto [input, target] = input_target(p, args);
    if (target.shape != input.shape)
        throw Error("Target size (" + shape_str(target.shape) + ") must be the same as input size (" +
                    shape_str(input.shape) + ")");
    const Tensor* w = p.tensor("weight");
    const Tensor* pw = p.tensor("pos_weight");
    // (pos_weight - 1) * target is broadcast first, then added in place into the input-shaped
    // loss; weight is multiplied in place. Neither may grow the loss.
    if (pw) check_inplace(input.shape, broadcast_shape(pw->shape, target.shape));
    if (w) check_inplace(input.shape, w->shape);
    const InFrame wf(w, input.shape);  // weight (None: no data)
    const double* wt = wf.data();
    const InFrame pwf(pw, input.shape);
    const double* pwt = pwf.data();
    const Reduction r = reduction_of(p);
    const std::size_t n = input.numel();
    const double* x = input.data.data();
    const double* y = target.data.data();

    LossResult out;
    Tensor e(input.shape);
    // ATen 1.13's stable form: with m = max(-x, 0), log(1 + e^-x) = m + log(e^-m + e^(-x-m)), so
    // no exponential overflows; summed in the kernel's order.
    for (std::size_t k = 0; k < n; ++k) {
        const double m = clamp_min(-x[k], 0.0);
        const double lse = std::log(std::exp(-m) + std::exp(-x[k] - m));
        double v;
        if (pwt) {
            const double lw = (pwt[k] - 1.0) * y[k] + 1.0;
            v = (1.0 - y[k]) * x[k] + lw * (lse + m);
        } else {
            v = (1.0 - y[k]) * x[k] + m + lse;
        }
        if (wt) v *= wt[k];
        e.data[k] = v;
    }
    finish(out, std::move(e), r);
    const double nd = static_cast<double>(n);
    std::vector<double> gx(n), gy(n);
    for (std::size_t k = 0; k < n; ++k) {
        double a, b;
        if (pwt) {
            const double t = pwt[k] * y[k];
            a = (t + 1.0 - y[k]) * sigmoid(x[k]) - t;
            b = log_sigmoid(-x[k]) - log_sigmoid(x[k]) * pwt[k];
        } else {
            a = sigmoid(x[k]) - y[k];
            b = -x[k];
        }
        if (wt) {
            a *= wt[k];
            b *= wt[k];
        }
        gx[k] = finish_mean(a, r, nd);
        gy[k] = finish_mean(b, r, nd);
    }
    out.grad["input"] = Tensor(input.shape, std::move(gx));
    out.grad["target"] = Tensor(target.shape, std::move(gy));
    return out;
}

LossResult soft_margin_loss(const Params& p, const ArgMap& args) {
    const auto [input, target] = input_target(p, args);
    // neg(input).mul_(target): the target may broadcast into the input but not grow it.
    check_inplace(input.shape, target.shape);
    const InFrame yf(target, input.shape);
    const double* x = input.data.data();
    const double* y = yf.data();
    const std::size_t n = input.numel();
    const Reduction r = reduction_of(p);
    LossResult out;
    Tensor e(input.shape);
    // log(1 + exp(-y x)) literally: exp overflows to inf for -y x > ~709, as in PyTorch.
    for (std::size_t k = 0; k < n; ++k) e.data[k] = std::log(std::exp(-x[k] * y[k]) + 1.0);
    const std::vector<double> up = finish(out, std::move(e), r);
    // soft_margin_loss_backward: -norm * y * z / (1 + z) with z = exp(-y x), so inf/inf = NaN where
    // z overflows.
    std::vector<double> gx(n);
    for (std::size_t k = 0; k < n; ++k) {
        const double z = std::exp(-y[k] * x[k]);
        gx[k] = (y[k] * z) * -up[k] / (z + 1.0);
    }
    out.grad["input"] = Tensor(input.shape, std::move(gx));
    // PyTorch does not differentiate soft_margin_loss with respect to target.
    out.grad["target"] = Tensor(target.shape, 0.0);
    return out;
}

// ---------------------------------------------------------------- the table
constexpr FunctionSpec kTable[] = {
    {
        .name = "BCELoss",
        .kind = Kind::Loss,
        .group = "Binary classification",
        .params = {P::tensor("weight", "rescaling weight per element, broadcast against the input"), P::reduction()},
        .args = {arg("input", "probabilities in [0, 1], any shape (e.g. after a sigmoid)"),
                 arg("target", "same shape as input, values in [0, 1]")},
        .formula = R"(l_n = -w_n\,\bigl[y_n \log x_n + (1 - y_n)\log(1 - x_n)\bigr]\ \ (\log \text{ clamped at } -100),\qquad )" LAB_REDUCE_TEX,
        .summary = "Binary cross entropy between predicted probabilities and 0/1 (or soft) targets.",
        .notes = {
            "The input must already be a probability, typically the output of a sigmoid; PyTorch rejects "
            "anything outside [0, 1], and the target must have exactly the input's shape.",
            "A confident wrong answer is punished without bound in theory; PyTorch clamps each log at -100 so "
            "a probability of exactly 0 or 1 costs at most 100 instead of infinity.",
            "Computing sigmoid and then log separately loses precision for large logits (sigmoid rounds to "
            "1.0); prefer BCEWithLogitsLoss on raw scores.",
            "Also used for reconstruction of data scaled to [0, 1], e.g. the pixels of an autoencoder's output.",
        },
        .example = {{"input", "[0.9, 0.2, 0.6, 1.0]"}, {"target", "[1.0, 0.0, 0.0, 0.0]"}},
        .plot_note = "PyTorch clamps each log at −100",
        .loss = bce_loss,
    },
    {
        .name = "BCEWithLogitsLoss",
        .kind = Kind::Loss,
        .group = "Binary classification",
        .params = {P::tensor("weight", "rescaling weight per element, broadcast against the input"), P::reduction(),
                   P::tensor("pos_weight", "weight of the positive term per class, broadcast over the last dim")},
        .args = {arg("input", "raw scores (logits), any shape"), arg("target", "same shape as input, values in [0, 1]")},
        .formula = R"(l_n = -w_n\,\bigl[p_c\, y_n \log \sigma(x_n) + (1 - y_n)\log(1 - \sigma(x_n))\bigr],\qquad )" LAB_REDUCE_TEX,
        .summary = "Sigmoid and binary cross entropy fused into one numerically stable loss on logits.",
        .notes = {
            "Mathematically it is BCELoss(sigmoid(x)), but written with log-sum-exp it never takes the log of a "
            "rounded 0 or 1: a logit of 800 still gives the exact loss and gradient instead of a clamp.",
            "The gradient is simply sigmoid(x) - y (times the weights): no vanishing through a saturated "
            "sigmoid, which is why it trains better than a sigmoid layer followed by BCELoss.",
            "pos_weight multiplies the positive term only, trading recall against precision; a value of "
            "n_negative / n_positive per class is a common remedy for imbalanced labels.",
            "The usual choice for multi-label problems: one independent yes/no logit per class.",
        },
        .example = {{"input", "[3.0, -2.0, 0.5, 40.0]"}, {"target", "[1.0, 0.0, 0.0, 0.0]"}},
        .loss = bce_with_logits_loss,
    },
    {
        .name = "SoftMarginLoss",
        .kind = Kind::Loss,
        .group = "Binary classification",
        .params = {P::reduction()},
        .args = {arg("input", "raw scores, any shape"), arg("target", "labels 1 or -1, broadcastable to input")},
        .formula = R"(l_n = \log\bigl(1 + e^{-y_n x_n}\bigr),\qquad )" LAB_REDUCE_TEX,
        .summary = "Logistic loss for labels in {-1, 1}: a smooth version of the hinge.",
        .notes = {
            "With labels written as +1/-1 it is the same loss as BCEWithLogitsLoss with 1/0 labels: it only "
            "looks at the margin y*x.",
            "It never reaches zero: correctly classified points keep pushing their margin up, just more and "
            "more weakly.",
            "PyTorch evaluates log(1 + exp(-y x)) literally, so margins below about -709 overflow to an "
            "infinite loss and a NaN gradient.",
        },
        .example = {{"input", "[2.0, -0.5, 0.1, -3.0]"}, {"target", "[1.0, 1.0, -1.0, -1.0]"}},
        .loss = soft_margin_loss,
    },
};
static_assert(std::size(kTable) == 3, "BCE, BCEWithLogits, SoftMargin");

}  // namespace

std::span<const FunctionSpec> loss_specs_binary() { return kTable; }

}  // namespace lab
