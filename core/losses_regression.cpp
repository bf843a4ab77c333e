// Design note: the regression losses L1, MSE, SmoothL1 and Huber. They share one frame,
// pointwise_loss: input and target broadcast together (with PyTorch's size warning), a value per
// element, the reduction, then a gradient per element — a template, so each loss's two lambdas
// inline into flat loops. MSE, SmoothL1 and Huber have fused ATen kernels, so their gradients are
// the backward kernels' own formulas and branches; L1 is composite (abs of a difference), so its
// gradient is autograd's sgn(diff), which gives the kink at 0 a zero gradient.
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

void warn_if_sizes_differ(LossResult& out, const Tensor& input, const Tensor& target) {
    if (input.shape != target.shape)
        out.warnings.push_back("Using a target size (" + shape_str(target.shape) +
                               ") that is different to the input size (" + shape_str(input.shape) +
                               "). This will likely lead to incorrect results due to broadcasting. "
                               "Please ensure they have the same size.");
}

// The frame the pointwise regression losses share: input and target broadcast together (with
// PyTorch's size warning), value(x, y) per element, then the reduction, then grads(x, y, up, gx,
// gy) per element with up = d loss / d value. A template, so each loss's kernels inline.
template <class Value, class Grads>
LossResult pointwise_loss(const Params& p, const ArgMap& args, Value value, Grads grads) {
    const auto [input, target] = input_target(p, args);
    LossResult out;
    warn_if_sizes_differ(out, input, target);
    const Shape frame = broadcast_shape(input.shape, target.shape);
    const InFrame xf(input, frame), yf(target, frame);
    const double* x = xf.data();
    const double* y = yf.data();
    const std::size_t n = numel(frame);
    Tensor e(frame);
    for (std::size_t k = 0; k < n; ++k) e.data[k] = value(x[k], y[k]);
    const std::vector<double> up = finish(out, std::move(e), reduction_of(p));
    std::vector<double> gx(n), gy(n);
    for (std::size_t k = 0; k < n; ++k) grads(x[k], y[k], up[k], gx[k], gy[k]);
    out.grad["input"] = xf.grad(std::move(gx));
    out.grad["target"] = yf.grad(std::move(gy));
    return out;
}

LossResult l1_loss(const Params& p, const ArgMap& args) {
    return pointwise_loss(
        p, args, [](double a, double b) { return std::abs(a - b); },
        // abs backward is grad * sgn(diff): the kink at 0 (and NaN) gets 0.
        [](double a, double b, double up, double& ga, double& gb) {
            ga = up * sgn(a - b);
            gb = -ga;
        });
}

LossResult mse_loss(const Params& p, const ArgMap& args) {
    return pointwise_loss(
        p, args,
        [](double a, double b) {
            const double d = a - b;
            return d * d;
        },
        // mse_loss_backward: norm * (a - b) * grad with norm = 2 (or 2/numel); the target's
        // gradient is the same kernel with the operands swapped.
        [](double a, double b, double up, double& ga, double& gb) {
            const double norm = 2.0 * up;
            ga = norm * (a - b);
            gb = norm * (b - a);
        });
}

// smooth_l1 kernel, written as a choice between two computed values (the same result as ATen's
// if/else, and friendlier to the optimiser).
inline double smooth_l1(double a, double b, double beta) {
    const double z = std::abs(a - b);
    const double quad = 0.5 * z * z / beta, lin = z - 0.5 * beta;
    return z < beta ? quad : lin;
}
// smooth_l1_backward_cpu_kernel with grad = 1: d <= -beta gives -norm, d >= beta gives norm, else
// norm * d / beta. So |d| == beta takes the linear branch, and with beta == 0 a zero difference
// falls into the first branch (-1, for input and target alike), as in PyTorch.
inline double smooth_l1_grad(double a, double b, double beta, double norm) {
    const double d = a - b;
    const double inside = norm * d / beta;
    const bool below = d <= -beta, above = d >= beta;
    const double outside = below ? -norm : norm;
    return (below | above) ? outside : inside;
}

LossResult smooth_l1_loss(const Params& p, const ArgMap& args) {
    const double beta = p.num("beta");
    return pointwise_loss(
        p, args, [beta](double a, double b) { return smooth_l1(a, b, beta); },
        [beta](double a, double b, double up, double& ga, double& gb) {
            ga = smooth_l1_grad(a, b, beta, up);
            gb = smooth_l1_grad(b, a, beta, up);
        });
}

inline double huber(double a, double b, double delta) {
    const double z = std::abs(a - b);
    const double quad = 0.5 * z * z, lin = delta * (z - 0.5 * delta);
    return z < delta ? quad : lin;
}
// huber_backward_cpu_kernel with grad = 1: -norm * delta, norm * delta or norm * d. Clamping d to
// [-delta, delta] gives the same three values (and keeps NaN).
inline double huber_grad(double a, double b, double delta, double norm) {
    const double d = a - b;
    return norm * std::min(std::max(d, -delta), delta);
}

LossResult huber_loss(const Params& p, const ArgMap& args) {
    const double delta = p.num("delta");
    return pointwise_loss(
        p, args, [delta](double a, double b) { return huber(a, b, delta); },
        [delta](double a, double b, double up, double& ga, double& gb) {
            ga = huber_grad(a, b, delta, up);
            gb = huber_grad(b, a, delta, up);
        });
}

// ---------------------------------------------------------------- the table
// L1, MSE, SmoothL1 and Huber take the same two arguments.
constexpr decltype(FunctionSpec::args) kInputTarget = {
    arg("input", "prediction, any shape"), arg("target", "same shape as input (broadcasts, with a warning)")};

constexpr FunctionSpec kTable[] = {
    {
        .name = "L1Loss",
        .kind = Kind::Loss,
        .group = "Regression",
        .params = {P::reduction()},
        .args = kInputTarget,
        .formula = R"(L = \{l_1,\dots,l_N\},\quad l_n = \lvert x_n - y_n \rvert,\qquad )" LAB_REDUCE_TEX,
        .summary = "Mean absolute error: the size of each miss, counted linearly.",
        .notes = {
            "Every unit of error costs the same, so a handful of wild targets pull the fit far less than "
            "under MSE; minimising it estimates the median rather than the mean.",
            "The gradient is only the sign of the error: its size does not shrink as the prediction gets "
            "close, which can make the last steps of training jittery.",
            "At exactly zero error the function has a corner; PyTorch uses sign(0) = 0 there, so a perfect "
            "prediction gets no gradient. SmoothL1Loss and HuberLoss round the corner off.",
        },
        .example = {{"input", "[0.5, 2.0, -1.0, 3.0]"}, {"target", "[0.0, 2.0, 1.0, 10.0]"}},
        .compare = {"MSELoss", "SmoothL1Loss", "HuberLoss"},
        .loss = l1_loss,
    },
    {
        .name = "MSELoss",
        .kind = Kind::Loss,
        .group = "Regression",
        .params = {P::reduction()},
        .args = kInputTarget,
        .formula = R"(L = \{l_1,\dots,l_N\},\quad l_n = (x_n - y_n)^2,\qquad )" LAB_REDUCE_TEX,
        .summary = "Mean squared error: the default loss for predicting real numbers.",
        .notes = {
            "Squaring makes large misses dominate: one error of 10 costs as much as a hundred errors of 1, "
            "so outliers in the targets steer the fit (it estimates the mean).",
            "The gradient 2(x - y) shrinks smoothly as the prediction approaches the target, which gives "
            "gentle, well-behaved updates near the optimum.",
            "Minimising it is maximum likelihood under Gaussian noise of fixed variance; GaussianNLLLoss "
            "is the version that also learns the variance.",
        },
        .example = {{"input", "[0.5, 2.0, -1.0, 3.0]"}, {"target", "[0.0, 2.0, 1.0, 10.0]"}},
        .compare = {"L1Loss", "SmoothL1Loss", "HuberLoss"},
        .loss = mse_loss,
    },
    {
        .name = "SmoothL1Loss",
        .kind = Kind::Loss,
        .group = "Regression",
        .params = {P::reduction(),
                   P::real("beta", 1.0, 0.0, 3.0, "error size where the quadratic part turns linear")
                       .valid_min(0.0, false, "smooth_l1_loss does not support negative values for beta.")},
        .args = kInputTarget,
        .formula = R"(l_n = \begin{cases} 0.5\,(x_n - y_n)^2 / \beta & \lvert x_n - y_n \rvert < \beta \\ \lvert x_n - y_n \rvert - 0.5\,\beta & \text{otherwise} \end{cases},\qquad )" LAB_REDUCE_TEX,
        .summary = "Quadratic for small errors, linear for large ones: L1's robustness without its corner.",
        .notes = {
            "Near zero it behaves like MSE, so the gradient fades smoothly as the fit improves; beyond beta "
            "it behaves like L1, so outliers add at most a constant slope of 1.",
            "beta sets where the switch happens and must suit the scale of the errors, which is not always "
            "known in advance; beta = 0 gives exactly L1Loss.",
            "It equals HuberLoss divided by beta: the quadratic zone is rescaled so the linear part always "
            "has slope 1 (popular for bounding-box regression in detectors).",
        },
        .example = {{"input", "[0.2, 0.9, -1.0, 4.0]"}, {"target", "[0.0, 0.0, 0.0, 0.0]"}},
        .compare = {"L1Loss", "MSELoss", "HuberLoss"},
        .loss = smooth_l1_loss,
    },
    {
        .name = "HuberLoss",
        .kind = Kind::Loss,
        .group = "Regression",
        .params = {P::reduction(),
                   P::real("delta", 1.0, 0.1, 3.0, "error size where the quadratic part turns linear")
                       .valid_min(0.0, true, "huber_loss does not support non-positive values for delta.")},
        .args = kInputTarget,
        .formula = R"(l_n = \begin{cases} 0.5\,(x_n - y_n)^2 & \lvert x_n - y_n \rvert < \delta \\ \delta\,(\lvert x_n - y_n \rvert - 0.5\,\delta) & \text{otherwise} \end{cases},\qquad )" LAB_REDUCE_TEX,
        .summary = "Squared error inside delta, delta-scaled absolute error outside: a robust regression loss.",
        .notes = {
            "Inside delta it is exactly half the squared error; outside, the gradient is capped at delta, "
            "so no single outlier can contribute more than that.",
            "Unlike SmoothL1Loss the quadratic part is not divided by the threshold: as delta grows it turns "
            "into 0.5 * MSE, and as delta shrinks it approaches delta * L1.",
            "A classic choice when most errors are small but a few targets are corrupted, e.g. value "
            "targets in reinforcement learning.",
        },
        .example = {{"input", "[0.2, 0.9, -1.0, 4.0]"}, {"target", "[0.0, 0.0, 0.0, 0.0]"}},
        .compare = {"L1Loss", "MSELoss", "SmoothL1Loss"},
        .loss = huber_loss,
    },
};
static_assert(std::size(kTable) == 4, "L1, MSE, SmoothL1, Huber");

}  // namespace

std::span<const FunctionSpec> loss_specs_regression() { return kTable; }

}  // namespace lab
