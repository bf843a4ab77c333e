// Design note: the regression, probabilistic, binary and ranking/embedding losses of torch.nn.
// Each loss is a plain function Params x ArgMap -> LossResult that (1) applies PyTorch's shape
// rules and checks in PyTorch's order and words, (2) computes the reduction='none' values, (3)
// hands them to finish() for the reduction, and (4) computes d loss.sum() / d arg for every
// floating-point argument the way PyTorch 1.13 gets it. PyTorch gets it in two ways, and the code
// follows whichever one the loss uses there:
//   * losses with a fused ATen kernel (MSE, SmoothL1, Huber, BCE, BCEWithLogits, SoftMargin) use
//     the backward kernel's own formula and operation order (e.g. BCE divides by
//     max((1-x)x, 1e-12f), and divides by numel after the weight for 'mean');
//   * composite losses (L1, KLDiv, PoissonNLL, GaussianNLL, MarginRanking, HingeEmbedding,
//     CosineEmbedding, the triplet losses) are differentiated by autograd, so their backward is
//     the chain of derivatives.yaml formulas for the ops of the forward, and where one tensor
//     receives several contributions they are summed in the order autograd's engine sums them
//     (that order matters in the last bits when the contributions cancel).
// Broadcasting: operands are laid out in the broadcast frame (a copy only when a shape differs)
// and frame-shaped gradients are summed back the way autograd's sum_to does for an expanded input
// (in ATen's summation order, see below). Shape errors are raised with PyTorch's operand order, so
// "tensor a" in a message is the tensor PyTorch calls a. Inner loops are flat loops over doubles
// with no allocation.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "loss_common.hpp"
#include "scalar.hpp"
#include "spec_builders.hpp"

// The reduction part of every formula here, joined to each literal at compile time.
#define LAB_REDUCE_TEX R"(\ell = \begin{cases} L & \text{none} \\ \operatorname{mean}(L) & \text{mean} \\ \operatorname{sum}(L) & \text{sum} \end{cases})"

namespace lab {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kPi = 3.14159265358979323846;
// ATen's Loss.cpp declares `constexpr float EPSILON = 1e-12;`, so the value used in double
// arithmetic is the float nearest to 1e-12, not 1e-12 itself.
constexpr double kEpsilonF = static_cast<double>(1e-12f);

// ---------------------------------------------------------------- shapes and frames

// The broadcast shape of a and b, with PyTorch's message (a and b in PyTorch's operand order).
Shape bshape(const Shape& a, const Shape& b) { return broadcast_shape(a, b); }

// An in-place op (`loss.mul_(weight)`) cannot grow its output: PyTorch's message when it would.
void check_inplace(const Shape& out, const Shape& other) {
    const Shape b = bshape(out, other);
    if (b != out)
        throw Error("output with shape " + sizes_str(out) + " doesn't match the broadcast shape " + sizes_str(b));
}

Shape drop_last(const Shape& s) { return s.empty() ? s : Shape(s.begin(), s.end() - 1); }

// autograd's sum_to: a gradient laid out like `frame` summed onto `shape` (broadcast into frame;
// `map` gives each frame element's offset in shape). When the summed dims form one block —
// kept dims (outer), summed dims (len), kept dims (inner) — each output is ATen's sum down its
// column of that block; two separate blocks of summed dims are rare enough to be added in plain
// order.
std::vector<double> sum_to(std::vector<double> g, const Shape& frame, const Shape& shape,
                           const std::vector<std::size_t>& map) {
    const std::size_t kept = numel(shape);
    if (g.size() == kept) return g;
    const std::size_t lead = frame.size() - shape.size();
    std::size_t outer = 1, len = 1, inner = 1;
    int phase = 0;  // 0: leading kept dims, 1: summed dims, 2: trailing kept dims
    for (std::size_t i = 0; i < frame.size(); ++i) {
        const auto d = static_cast<std::size_t>(frame[i]);
        if (d == 1) continue;
        const bool summed = i < lead || shape[i - lead] == 1;
        if (summed && phase == 2) return reduce_to(g, map, kept);
        if (summed) {
            phase = 1;
            len *= d;
        } else if (phase == 0) {
            outer *= d;
        } else {
            phase = 2;
            inner *= d;
        }
    }
    std::vector<double> out(kept);
    for (std::size_t o = 0; o < outer; ++o)
        for (std::size_t i = 0; i < inner; ++i)
            out[o * inner + i] = axis_sum(g.data() + o * len * inner + i, len, inner, i);
    return out;
}

// A tensor laid out in a broadcast frame: its own data when the shapes agree (the fast path, no
// copy), else an expanded copy plus the map needed to sum a frame gradient back onto it.
class InFrame {
public:
    InFrame(const Tensor& t, const Shape& frame) : t_(&t), frame_(frame) {
        if (t.shape == frame) return;
        map_ = broadcast(t.shape, frame).a_index;
        copy_.resize(map_.size());
        for (std::size_t k = 0; k < map_.size(); ++k) copy_[k] = t.data[map_[k]];
    }
    const double* data() const { return map_.empty() ? t_->data.data() : copy_.data(); }
    // d/d(this operand) from a gradient laid out like the frame: autograd's sum_to for an expand.
    std::vector<double> sum_back(std::vector<double> g) const {
        if (map_.empty()) return g;
        return sum_to(std::move(g), frame_, t_->shape, map_);
    }
    Tensor grad(std::vector<double> g) const { return Tensor(t_->shape, sum_back(std::move(g))); }

private:
    const Tensor* t_;
    Shape frame_;
    std::vector<std::size_t> map_;
    std::vector<double> copy_;
};

// A tensor with an explicit shape that differs from the caller's (GaussianNLL's unsqueezed var).
Tensor reshaped(const Tensor& t, Shape s) { return Tensor(std::move(s), t.data); }

void warn_if_sizes_differ(LossResult& out, const Tensor& input, const Tensor& target) {
    if (input.shape != target.shape)
        out.warnings.push_back("Using a target size (" + shape_str(target.shape) +
                               ") that is different to the input size (" + shape_str(input.shape) +
                               "). This will likely lead to incorrect results due to broadcasting. "
                               "Please ensure they have the same size.");
}

// ---------------------------------------------------------------- scalar helpers (ATen's kernels)

// at::xlogy: NaN if y is NaN, 0 where x == 0, else x * log(y).
inline double xlogy(double x, double y) {
    if (std::isnan(y)) return kNaN;
    if (x == 0.0) return 0.0;
    return x * std::log(y);
}

// at::logit without eps.
inline double logit(double x) { return x == 1.0 ? std::numeric_limits<double>::infinity() : std::log(x / (1.0 - x)); }

// Tensor.pow(scalar) with ATen's special cases (they round differently from std::pow).
inline double aten_pow(double base, double e) {
    if (e == 0.0) return 1.0;
    if (e == 1.0) return base;
    if (e == 0.5) return std::sqrt(base);
    if (e == -0.5) return 1.0 / std::sqrt(base);
    if (e == -1.0) return 1.0 / base;
    if (e == 2.0) return base * base;
    if (e == 3.0) return base * base * base;
    if (e == -2.0) return 1.0 / (base * base);
    return std::pow(base, e);
}

// Fused kernels that divide by numel for 'mean' after everything else (BCE, BCEWithLogits);
// for 'none' and 'sum' the incoming gradient is exactly 1.
inline double finish_mean(double v, Reduction r, double n) { return r == Reduction::Mean ? v / n : v; }

struct Args2 {
    const Tensor& input;
    const Tensor& target;
};
Args2 input_target(const Params& p, const ArgMap& args) {
    return {need_arg(p, args, "input"), need_arg(p, args, "target")};
}

// ================================================================ Regression

// The frame the pointwise regression losses share: input and target broadcast together (with
// PyTorch's size warning), value(x, y) per element, then the reduction, then grads(x, y, up, gx,
// gy) per element with up = d loss / d value. A template, so each loss's kernels inline.
template <class Value, class Grads>
LossResult pointwise_loss(const Params& p, const ArgMap& args, Value value, Grads grads) {
    const auto [input, target] = input_target(p, args);
    LossResult out;
    warn_if_sizes_differ(out, input, target);
    const Shape frame = bshape(input.shape, target.shape);
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

// ================================================================ Binary classification

// A weight parameter laid out like `shape` (the loss); nullptr when None.
struct Weight {
    std::vector<double> expanded;
    const double* data = nullptr;
};
Weight weight_in(const Tensor* w, const Shape& shape) {
    Weight r;
    if (!w) return r;
    if (w->shape == shape) {
        r.data = w->data.data();
        return r;
    }
    const auto map = broadcast(w->shape, shape).a_index;
    r.expanded.resize(map.size());
    for (std::size_t k = 0; k < map.size(); ++k) r.expanded[k] = w->data[map[k]];
    r.data = r.expanded.data();
    return r;
}

LossResult bce_loss(const Params& p, const ArgMap& args) {
    const auto [input, target] = input_target(p, args);
    if (target.shape != input.shape)
        throw Error("Using a target size (" + shape_str(target.shape) + ") that is different to the input size (" +
                    shape_str(input.shape) + ") is deprecated. Please ensure they have the same size.");
    const Tensor* w = p.tensor("weight");
    // F.binary_cross_entropy expands weight to _infer_size(target, weight) before the kernel.
    const Shape wshape = w ? bshape(target.shape, w->shape) : target.shape;
    const std::size_t n = input.numel();
    const double* x = input.data.data();
    const double* y = target.data.data();
    for (std::size_t k = 0; k < n; ++k)
        if (!(x[k] >= 0.0 && x[k] <= 1.0)) throw Error("all elements of input should be between 0 and 1");
    if (w) check_inplace(input.shape, wshape);  // loss.mul_(weight)
    const Weight wt = weight_in(w, input.shape);
    const Reduction r = reduction_of(p);

    LossResult out;
    Tensor e(input.shape);
    for (std::size_t k = 0; k < n; ++k) {
        // Each log is clamped at -100 so an exact 0 or 1 probability gives a finite loss.
        double v = (y[k] - 1.0) * std::max(std::log(1.0 - x[k]), -100.0) - y[k] * std::max(std::log(x[k]), -100.0);
        if (wt.data) v *= wt.data[k];
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
        if (wt.data) {
            a *= wt.data[k];
            b *= wt.data[k];
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
    if (pw) check_inplace(input.shape, bshape(pw->shape, target.shape));
    if (w) check_inplace(input.shape, w->shape);
    const Weight wt = weight_in(w, input.shape);
    const Weight pwt = weight_in(pw, input.shape);
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
        if (pwt.data) {
            const double lw = (pwt.data[k] - 1.0) * y[k] + 1.0;
            v = (1.0 - y[k]) * x[k] + lw * (lse + m);
        } else {
            v = (1.0 - y[k]) * x[k] + m + lse;
        }
        if (wt.data) v *= wt.data[k];
        e.data[k] = v;
    }
    finish(out, std::move(e), r);
    const double nd = static_cast<double>(n);
    std::vector<double> gx(n), gy(n);
    for (std::size_t k = 0; k < n; ++k) {
        double a, b;
        if (pwt.data) {
            const double t = pwt.data[k] * y[k];
            a = (t + 1.0 - y[k]) * sigmoid(x[k]) - t;
            b = log_sigmoid(-x[k]) - log_sigmoid(x[k]) * pwt.data[k];
        } else {
            a = sigmoid(x[k]) - y[k];
            b = -x[k];
        }
        if (wt.data) {
            a *= wt.data[k];
            b *= wt.data[k];
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

// ================================================================ Probabilistic

LossResult kl_div_loss(const Params& p, const ArgMap& args) {
    const auto [input, target] = input_target(p, args);
    const Reduction r = reduction_of(p);
    const bool log_target = p.flag("log_target");
    LossResult out;
    if (r == Reduction::Mean)
        out.warnings.push_back(
            "reduction: 'mean' divides the total loss by both the batch size and the support size."
            "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
            "'mean' will be changed to behave the same as 'batchmean' in the next major release.");
    const Shape frame = bshape(target.shape, input.shape);
    const InFrame xf(input, frame), tf(target, frame);
    const double* x = xf.data();
    const double* t = tf.data();
    const std::size_t n = numel(frame);
    Tensor e(frame);
    if (log_target) {
        for (std::size_t k = 0; k < n; ++k) e.data[k] = std::exp(t[k]) * (t[k] - x[k]);
    } else {
        for (std::size_t k = 0; k < n; ++k) e.data[k] = xlogy(t[k], t[k]) - t[k] * x[k];
    }
    // 'batchmean' is sum / input.size(0) (no division for a 0-dim input), which need not be the
    // size of the broadcast frame's first dim.
    std::vector<double> up;
    if (r == Reduction::BatchMean)
        up = finish(out, std::move(e), Reduction::Mean, input.dim() == 0 ? 1.0 : static_cast<double>(input.shape[0]));
    else
        up = finish(out, std::move(e), r);

    std::vector<double> gx(n), gt(n);
    if (log_target) {
        // exp(t) * (t - x): the target gets the exp path and the subtraction path.
        for (std::size_t k = 0; k < n; ++k) {
            const double et = std::exp(t[k]);
            const double g = up[k];
            gx[k] = -(g * et);
            gt[k] = (g * (t[k] - x[k])) * et + g * et;
        }
    } else {
        // xlogy(t, t) - t * x. Autograd sums the target's three contributions in this order: the
        // product's, then xlogy's two (d/dself masked to 0 where t == 0, d/dother = g t / t).
        for (std::size_t k = 0; k < n; ++k) {
            const double g = up[k];
            const double ng = -g;
            gx[k] = ng * t[k];
            const double self_part = t[k] == 0.0 ? 0.0 : xlogy(g, t[k]);
            gt[k] = (ng * x[k] + self_part) + g * t[k] / t[k];
        }
    }
    out.grad["input"] = xf.grad(std::move(gx));
    out.grad["target"] = tf.grad(std::move(gt));
    return out;
}

LossResult poisson_nll_loss(const Params& p, const ArgMap& args) {
    const auto [input, target] = input_target(p, args);
    const bool log_input = p.flag("log_input");
    const bool full = p.flag("full");
    const double eps = p.num("eps");
    const Shape frame = bshape(target.shape, input.shape);  // target * input
    const InFrame xf(input, frame), yf(target, frame);
    const double* x = xf.data();
    const double* y = yf.data();
    const std::size_t n = numel(frame);
    LossResult out;
    Tensor e(frame);
    const double two_pi = 2 * kPi;
    for (std::size_t k = 0; k < n; ++k) {
        double v = log_input ? std::exp(x[k]) - y[k] * x[k] : x[k] - y[k] * std::log(x[k] + eps);
        if (full) {
            // Stirling's approximation of log(y!), used only where target > 1.
            const double s = y[k] * std::log(y[k]) - y[k] + 0.5 * std::log(two_pi * y[k]);
            v = v + (y[k] <= 1.0 ? 0.0 : s);
        }
        e.data[k] = v;
    }
    const std::vector<double> up = finish(out, std::move(e), reduction_of(p));
    std::vector<double> gx(n), gy(n);
    for (std::size_t k = 0; k < n; ++k) {
        const double g = up[k];
        const double ng = -g;
        double from_loss;  // the target's contribution from the main term
        if (log_input) {
            gx[k] = ng * y[k] + g * std::exp(x[k]);
            from_loss = ng * x[k];
        } else {
            gx[k] = g + ng * y[k] / (x[k] + eps);
            from_loss = ng * std::log(x[k] + eps);
        }
        if (!full) {
            gy[k] = from_loss;
            continue;
        }
        // The Stirling term's gradient is masked (not skipped) where target <= 1, so 0 * log(0)
        // still makes NaN there. Autograd's engine adds the target's contributions in this order.
        const double gs = y[k] <= 1.0 ? 0.0 : g;
        const double c_log2pi = ((gs * 0.5) / (two_pi * y[k])) * two_pi;
        const double c_minus = -gs;
        const double c_xlog_self = gs * std::log(y[k]);
        const double c_xlog_log = gs * y[k] / y[k];
        gy[k] = (((c_log2pi + c_minus) + c_xlog_self) + c_xlog_log) + from_loss;
    }
    out.grad["input"] = xf.grad(std::move(gx));
    out.grad["target"] = yf.grad(std::move(gy));
    return out;
}

LossResult gaussian_nll_loss(const Params& p, const ArgMap& args) {
    const auto [input, target] = input_target(p, args);
    const Tensor& var = need_arg(p, args, "var");
    const bool full = p.flag("full");
    const double eps = p.num("eps");
    // F.gaussian_nll_loss accepts var of input's shape, of input's shape without the last dim
    // (unsqueezed), or with a last dim of 1.
    Shape vshape = var.shape;
    if (var.shape != input.shape) {
        const Shape in_head = drop_last(input.shape);
        if (in_head == var.shape) {
            vshape.push_back(1);
        } else if (!(var.dim() > 0 && in_head == drop_last(var.shape) && var.shape.back() == 1)) {
            throw Error("var is of incorrect size");
        }
    }
    for (double v : var.data)
        if (v < 0.0) throw Error("var has negative entry/entries");
    const Tensor var_view = vshape == var.shape ? Tensor() : reshaped(var, vshape);
    const Tensor& v_t = vshape == var.shape ? var : var_view;
    const Shape dshape = bshape(input.shape, target.shape);  // input - target
    const Shape frame = bshape(dshape, vshape);              // (...)**2 / var
    const InFrame xf(input, frame), yf(target, frame), vf(v_t, frame);
    const double* x = xf.data();
    const double* y = yf.data();
    const double* vr = vf.data();
    const std::size_t n = numel(frame);
    const double constant = 0.5 * std::log(2 * kPi);
    LossResult out;
    Tensor e(frame);
    // var is clamped at eps without autograd seeing it: the value is clamped, the gradient is not.
    for (std::size_t k = 0; k < n; ++k) {
        const double vc = clamp_min(vr[k], eps);
        const double d = x[k] - y[k];
        double v = 0.5 * (std::log(vc) + d * d / vc);
        if (full) v = v + constant;
        e.data[k] = v;
    }
    const std::vector<double> up = finish(out, std::move(e), reduction_of(p));
    std::vector<double> gx(n), gy(n), gv_log(n), gv_div(n);
    for (std::size_t k = 0; k < n; ++k) {
        const double vc = clamp_min(vr[k], eps);
        const double d = x[k] - y[k];
        const double d2 = d * d;
        const double h = up[k] * 0.5;
        gv_log[k] = h / vc;
        gv_div[k] = -h * ((d2 / vc) / vc);
        const double gd = (h / vc) * (2.0 * d);
        gx[k] = gd;
        gy[k] = -gd;
    }
    // The two contributions to var are each summed onto var's shape before they are added.
    std::vector<double> gv = vf.sum_back(std::move(gv_log));
    const std::vector<double> gv2 = vf.sum_back(std::move(gv_div));
    for (std::size_t k = 0; k < gv.size(); ++k) gv[k] = gv[k] + gv2[k];
    out.grad["input"] = xf.grad(std::move(gx));
    out.grad["target"] = yf.grad(std::move(gy));
    out.grad["var"] = Tensor(var.shape, std::move(gv));
    return out;
}

// ================================================================ Ranking / embedding

LossResult margin_ranking_loss(const Params& p, const ArgMap& args) {
    const Tensor& input1 = need_arg(p, args, "input1");
    const Tensor& input2 = need_arg(p, args, "input2");
    const Tensor& target = need_arg(p, args, "target");
    const double margin = p.num("margin");
    if (input1.dim() != input2.dim() || input1.dim() != target.dim())
        throw Error("margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: " +
                    shape_str(input1.shape) + ", input2: " + shape_str(input2.shape) +
                    ", target: " + shape_str(target.shape) + " ");
    const Shape dshape = bshape(input1.shape, input2.shape);  // input1 - input2
    const Shape frame = bshape(target.shape, dshape);         // -target * (...)
    const InFrame af(input1, frame), bf(input2, frame), tf(target, frame);
    const double* a = af.data();
    const double* b = bf.data();
    const double* t = tf.data();
    const std::size_t n = numel(frame);
    LossResult out;
    Tensor e(frame);
    for (std::size_t k = 0; k < n; ++k) e.data[k] = clamp_min(-t[k] * (a[k] - b[k]) + margin, 0.0);
    const std::vector<double> up = finish(out, std::move(e), reduction_of(p));
    std::vector<double> ga(n), gb(n), gt(n);
    for (std::size_t k = 0; k < n; ++k) {
        const double d = a[k] - b[k];
        // clamp_min passes the gradient where its input >= 0, so the hinge point itself counts.
        const double g = (-t[k] * d + margin >= 0.0) ? up[k] : 0.0;
        const double gd = g * -t[k];
        ga[k] = gd;
        gb[k] = -gd;
        gt[k] = -(g * d);
    }
    out.grad["input1"] = af.grad(std::move(ga));
    out.grad["input2"] = bf.grad(std::move(gb));
    out.grad["target"] = tf.grad(std::move(gt));
    return out;
}

LossResult hinge_embedding_loss(const Params& p, const ArgMap& args) {
    const auto [input, target] = input_target(p, args);
    const double margin = p.num("margin");
    const Shape frame = bshape(target.shape, input.shape);  // where(target != 1, ...)
    const InFrame xf(input, frame), tf(target, frame);
    const double* x = xf.data();
    const double* t = tf.data();
    const std::size_t n = numel(frame);
    LossResult out;
    Tensor e(frame);
    // Both terms are present for a target that is neither 1 nor -1, as in ATen.
    for (std::size_t k = 0; k < n; ++k) {
        const double om = t[k] != 1.0 ? clamp_min(margin - x[k], 0.0) : 0.0;
        const double os = t[k] != -1.0 ? x[k] : 0.0;
        e.data[k] = om + os;
    }
    const std::vector<double> up = finish(out, std::move(e), reduction_of(p));
    std::vector<double> g_self(n), g_margin(n);
    for (std::size_t k = 0; k < n; ++k) {
        g_self[k] = t[k] != -1.0 ? up[k] : 0.0;
        g_margin[k] = t[k] != 1.0 ? up[k] : 0.0;
    }
    std::vector<double> gx = xf.sum_back(std::move(g_self));
    const std::vector<double> gm = xf.sum_back(std::move(g_margin));
    const double* xin = input.data.data();
    for (std::size_t k = 0; k < gx.size(); ++k) {
        const double through_clamp = (margin - xin[k] >= 0.0) ? gm[k] : 0.0;
        gx[k] = gx[k] + -through_clamp;
    }
    out.grad["input"] = Tensor(input.shape, std::move(gx));
    out.grad["target"] = Tensor(target.shape, 0.0);  // only compared, never differentiated
    return out;
}

LossResult cosine_embedding_loss(const Params& p, const ArgMap& args) {
    const Tensor& input1 = need_arg(p, args, "input1");
    const Tensor& input2 = need_arg(p, args, "input2");
    const Tensor& target = need_arg(p, args, "target");
    const double margin = p.num("margin");
    const std::int64_t td = target.dim();
    if (td != 0 && td != 1) throw Error("0D or 1D target tensor expected, multi-target not supported");
    if (td == 1 && input1.dim() != 2)
        throw Error("1D target tensor expects 2D input tensors, but found inputs with sizes " +
                    sizes_str(input1.shape) + " and " + sizes_str(input2.shape) + ".");
    if (td == 0 && input1.dim() != 1)
        throw Error("0D target tensor expects 1D input tensors, but found inputs with sizes " +
                    sizes_str(input1.shape) + " and " + sizes_str(input2.shape) + ".");
    const Shape frame = bshape(input1.shape, input2.shape);  // input1 * input2
    // ATen sums each product over dim `td` of its own shape: an input2 with more dims than input1
    // would be summed over a different axis than input1, which is not a cosine any more.
    if (input2.dim() > input1.dim())
        throw Error("CosineEmbeddingLoss: input2 must not have more dims than input1, got sizes " +
                    sizes_str(input1.shape) + " and " + sizes_str(input2.shape));
    if (td == 1) wrap_dim(1, input2.dim());  // (input2 * input2).sum(1)

    // Rows (the batch) and columns (the embedding) of the frame and of each input.
    const std::size_t R = td == 1 ? static_cast<std::size_t>(frame[0]) : 1;
    const std::size_t D = static_cast<std::size_t>(frame.back());
    const std::size_t R1 = td == 1 ? static_cast<std::size_t>(input1.shape[0]) : 1;
    const std::size_t D1 = static_cast<std::size_t>(input1.shape.back());
    const std::size_t R2 = input2.dim() == 2 ? static_cast<std::size_t>(input2.shape[0]) : 1;
    const std::size_t D2 = input2.dim() >= 1 ? static_cast<std::size_t>(input2.shape.back()) : 1;
    const InFrame f1(input1, frame), f2(input2, frame);
    const double* X1 = f1.data();
    const double* X2 = f2.data();
    const double* x1 = input1.data.data();
    const double* x2 = input2.data.data();
    auto r1 = [&](std::size_t r) { return R1 == 1 ? 0 : r; };
    auto r2 = [&](std::size_t r) { return R2 == 1 ? 0 : r; };

    // Each product is summed over the embedding dim with ATen's summation order.
    std::vector<double> prod(R), m1(R1), m2(R2), den(R), cosv(R);
    std::vector<double> row(std::max({D, D1, D2}));
    for (std::size_t r = 0; r < R; ++r) {
        for (std::size_t d = 0; d < D; ++d) row[d] = X1[r * D + d] * X2[r * D + d];
        prod[r] = inner_sum(row.data(), D);
    }
    for (std::size_t r = 0; r < R1; ++r) {
        for (std::size_t d = 0; d < D1; ++d) row[d] = x1[r * D1 + d] * x1[r * D1 + d];
        m1[r] = inner_sum(row.data(), D1) + kEpsilonF;
    }
    for (std::size_t r = 0; r < R2; ++r) {
        for (std::size_t d = 0; d < D2; ++d) row[d] = x2[r * D2 + d] * x2[r * D2 + d];
        m2[r] = inner_sum(row.data(), D2) + kEpsilonF;
    }
    for (std::size_t r = 0; r < R; ++r) {
        den[r] = std::sqrt(m1[r1(r)] * m2[r2(r)]);
        cosv[r] = prod[r] / den[r];
    }
    const Shape cos_shape = td == 1 ? Shape{static_cast<std::int64_t>(R)} : Shape{};
    const Shape oshape = bshape(target.shape, cos_shape);  // where(target == 1, pos, zeros)
    const Tensor cos_t(cos_shape, std::move(cosv));
    const InFrame tf(target, oshape), cf(cos_t, oshape);
    const double* t = tf.data();
    const double* c = cf.data();
    const std::size_t O = numel(oshape);
    LossResult out;
    Tensor e(oshape);
    for (std::size_t o = 0; o < O; ++o) {
        const double pos = t[o] == 1.0 ? 1.0 - c[o] : 0.0;
        const double neg = t[o] == -1.0 ? clamp_min(c[o] - margin, 0.0) : 0.0;
        e.data[o] = pos + neg;
    }
    const std::vector<double> up = finish(out, std::move(e), reduction_of(p));

    // Backward through autograd's graph of the ATen composite, step by step.
    std::vector<double> g_pos(O), g_neg(O);
    for (std::size_t o = 0; o < O; ++o) {
        g_pos[o] = t[o] == 1.0 ? up[o] : 0.0;
        g_neg[o] = t[o] == -1.0 ? up[o] : 0.0;
    }
    const std::vector<double> gp = cf.sum_back(std::move(g_pos));
    const std::vector<double> gn = cf.sum_back(std::move(g_neg));
    std::vector<double> g_prod(R), g_mm(R);
    for (std::size_t r = 0; r < R; ++r) {
        const double g_cos = -gp[r] + (cos_t.data[r] - margin >= 0.0 ? gn[r] : 0.0);
        g_prod[r] = g_cos / den[r];
        const double g_den = -g_cos * ((prod[r] / den[r]) / den[r]);
        g_mm[r] = g_den / (2 * den[r]);
    }
    // m1 * m2 broadcasts a single row against R rows; its gradient is summed back over them.
    std::vector<double> t1(R), t2(R);
    for (std::size_t r = 0; r < R; ++r) {
        t1[r] = g_mm[r] * m2[r2(r)];
        t2[r] = g_mm[r] * m1[r1(r)];
    }
    const std::vector<double> g_m1 = R1 == R ? std::move(t1) : std::vector<double>{inner_sum(t1.data(), R)};
    const std::vector<double> g_m2 = R2 == R ? std::move(t2) : std::vector<double>{inner_sum(t2.data(), R)};
    std::vector<double> g1(R * D), g2(R * D);
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t d = 0; d < D; ++d) {
            g1[r * D + d] = g_prod[r] * X2[r * D + d];
            g2[r * D + d] = g_prod[r] * X1[r * D + d];
        }
    std::vector<double> gx1 = f1.sum_back(std::move(g1));
    std::vector<double> gx2 = f2.sum_back(std::move(g2));
    // Each input reaches its own squared norm twice (x * x), and autograd adds those two
    // contributions before the product's.
    for (std::size_t r = 0; r < R1; ++r)
        for (std::size_t d = 0; d < D1; ++d) {
            const std::size_t k = r * D1 + d;
            const double s = g_m1[r] * x1[k];
            gx1[k] = (s + s) + gx1[k];
        }
    for (std::size_t r = 0; r < R2; ++r)
        for (std::size_t d = 0; d < D2; ++d) {
            const std::size_t k = r * D2 + d;
            const double s = g_m2[r] * x2[k];
            gx2[k] = (s + s) + gx2[k];
        }
    out.grad["input1"] = Tensor(input1.shape, std::move(gx1));
    out.grad["input2"] = Tensor(input2.shape, std::move(gx2));
    out.grad["target"] = Tensor(target.shape, 0.0);
    return out;
}

// ---------------------------------------------------------------- distances for the triplet losses

// A distance between two tensors along one axis of their broadcast frame, and its backward.
// Frame = outer x len x inner around the axis; the distance has one value per (outer, inner) row,
// whose elements sit at base(row) + j * inner.
class PairDistance {
public:
    enum class Kind { PNorm, Cosine };

    // PNorm: torch.pairwise_distance(x1, x2, p, eps) = norm(x1 - x2 + eps, p, last dim).
    // Cosine: 1 - F.cosine_similarity(x1, x2) (dim=1, eps=1e-8).
    PairDistance(const Tensor& x1, const Tensor& x2, Kind kind, double p, double eps)
        : kind_(kind), p_(p), eps_(eps), frame_(bshape(x1.shape, x2.shape)), f1_(x1, frame_), f2_(x2, frame_) {
        const std::int64_t nd = static_cast<std::int64_t>(frame_.size());
        const std::size_t axis =
            kind == Kind::PNorm ? (nd == 0 ? 0 : static_cast<std::size_t>(nd - 1))
                                : static_cast<std::size_t>(wrap_dim(1, nd));
        len_ = nd == 0 ? 1 : static_cast<std::size_t>(frame_[axis]);
        for (std::size_t i = 0; i < frame_.size(); ++i) {
            if (i < axis) outer_ *= static_cast<std::size_t>(frame_[i]);
            if (i > axis) inner_ *= static_cast<std::size_t>(frame_[i]);
            if (i != axis) rows_.push_back(frame_[i]);
        }
        if (kind == Kind::PNorm)
            pnorm_forward();
        else
            cosine_forward();
    }

    const Shape& rows() const { return rows_; }
    const std::vector<double>& values() const { return dist_; }

    // Gradients for x1 and x2 (in their own shapes) from a gradient per row.
    std::pair<std::vector<double>, std::vector<double>> backward(const std::vector<double>& g) const {
        const std::size_t n = numel(frame_);
        std::vector<double> g1(n), g2(n);
        if (kind_ == Kind::PNorm)
            pnorm_backward(g, g1, g2);
        else
            cosine_backward(g, g1, g2);
        return {f1_.sum_back(std::move(g1)), f2_.sum_back(std::move(g2))};
    }

private:
    // Calls f(row, base) for every row.
    template <class F>
    void each_row(F&& f) const {
        for (std::size_t o = 0; o < outer_; ++o)
            for (std::size_t i = 0; i < inner_; ++i) f(o * inner_ + i, o * len_ * inner_ + i);
    }
    // Calls f(row, k) for every frame element k (row-major order).
    template <class F>
    void each_element(F&& f) const {
        std::size_t k = 0;
        for (std::size_t o = 0; o < outer_; ++o)
            for (std::size_t j = 0; j < len_; ++j)
                for (std::size_t i = 0; i < inner_; ++i, ++k) f(o * inner_ + i, k);
    }
    // The sum of a frame-shaped array along the axis, for the row at `base`, in ATen's order.
    double sum_row(const std::vector<double>& t, std::size_t base) const {
        return axis_sum(t.data() + base, len_, inner_, base % inner_);
    }

    void pnorm_forward() {
        const double* a = f1_.data();
        const double* b = f2_.data();
        v_.resize(numel(frame_));
        for (std::size_t k = 0; k < v_.size(); ++k) v_[k] = a[k] - b[k] + eps_;
        dist_.resize(outer_ * inner_);
        each_row([&](std::size_t r, std::size_t base) { dist_[r] = norm_row(v_.data() + base); });
    }

    // ATen's norm reduction kernels by p, accumulated in order (for p = 2 ATen's AVX2 build fuses
    // acc + v * v into an FMA; a plain multiply-add can differ from it in the last bit).
    double norm_row(const double* v) const {
        const double p = p_;
        const std::size_t s = inner_;
        double acc = 0.0;
        if (p == 0.0) {
            for (std::size_t j = 0; j < len_; ++j) acc += v[j * s] == 0.0 ? 0.0 : 1.0;
            return acc;
        }
        if (p == 1.0) {
            for (std::size_t j = 0; j < len_; ++j) acc += std::abs(v[j * s]);
            return acc;
        }
        if (p == 2.0) {
            for (std::size_t j = 0; j < len_; ++j) acc += v[j * s] * v[j * s];
            return std::sqrt(acc);
        }
        if (p == kInf) {
            for (std::size_t j = 0; j < len_; ++j) acc = nan_max(acc, std::abs(v[j * s]));
            return acc;
        }
        if (p == -kInf) {
            acc = kInf;
            for (std::size_t j = 0; j < len_; ++j) acc = nan_min(acc, std::abs(v[j * s]));
            return acc;
        }
        for (std::size_t j = 0; j < len_; ++j) acc += std::pow(std::abs(v[j * s]), p);
        return std::pow(acc, 1.0 / p);
    }

    // norm_backward (FunctionsManual) by p; x1 - x2 then gives +/- the same gradient.
    void pnorm_backward(const std::vector<double>& g, std::vector<double>& g1, std::vector<double>& g2) const {
        const double p = p_;
        if (p == 2.0) {  // the common case, without the per-element dispatch on p
            each_row([&](std::size_t r, std::size_t base) {
                const double nrm = dist_[r], gr = g[r];
                for (std::size_t j = 0; j < len_; ++j) {
                    const std::size_t k = base + j * inner_;
                    const double gv = gr * (nrm == 0.0 ? 0.0 : v_[k] / nrm);
                    g1[k] = gv;
                    g2[k] = -gv;
                }
            });
            return;
        }
        each_row([&](std::size_t r, std::size_t base) {
            const double nrm = dist_[r];
            const double gr = g[r];
            double count = 0.0;  // p = +-inf: the gradient is shared by the entries that attain the norm
            if (std::isinf(p))
                for (std::size_t j = 0; j < len_; ++j) {
                    const double av = std::abs(v_[base + j * inner_]);
                    count += (av == nrm || std::isnan(av)) ? 1.0 : 0.0;
                }
            for (std::size_t j = 0; j < len_; ++j) {
                const std::size_t k = base + j * inner_;
                const double v = v_[k];
                double gv;
                if (p == 0.0) {
                    gv = 0.0;  // PyTorch gives no gradient at all for the 0-"norm"
                } else if (p == 1.0) {
                    gv = sgn(v) * gr;
                } else if (p == 2.0) {
                    gv = gr * (nrm == 0.0 ? 0.0 : v / nrm);
                } else if (std::isinf(p)) {
                    const double av = std::abs(v);
                    const double mask = (av == nrm || std::isnan(av)) ? 1.0 : 0.0;
                    gv = sgn(v) * ((gr / count) * mask);
                } else if (p < 1.0) {
                    const double scaled = sgn(v) * (v == 0.0 ? 0.0 : aten_pow(std::abs(v), p - 1));
                    gv = scaled * gr * aten_pow(nrm, 1 - p);
                } else {
                    const double scaled =
                        p < 2.0 ? sgn(v) * aten_pow(std::abs(v), p - 1) : v * aten_pow(std::abs(v), p - 2);
                    const double scale = nrm == 0.0 ? 0.0 : gr / aten_pow(nrm, p - 1);
                    gv = scaled * scale;
                }
                g1[k] = gv;
                g2[k] = -gv;
            }
        });
    }

    // ((x1 / n1) * (x2 / n2)).sum(1) with n = max(sqrt((x ** 2).sum(1)), eps).
    void cosine_forward() {
        const double* a = f1_.data();
        const double* b = f2_.data();
        const std::size_t n = numel(frame_), nrows = outer_ * inner_;
        std::vector<double> t1(n), t2(n);
        for (std::size_t k = 0; k < n; ++k) {
            t1[k] = a[k] * a[k];
            t2[k] = b[k] * b[k];
        }
        n1_.resize(nrows);
        n2_.resize(nrows);
        dist_.resize(nrows);
        // The norms are clamped at eps under no_grad, so backward sees the clamped values.
        each_row([&](std::size_t r, std::size_t base) {
            n1_[r] = clamp_min(std::sqrt(sum_row(t1, base)), eps_);
            n2_[r] = clamp_min(std::sqrt(sum_row(t2, base)), eps_);
        });
        each_element([&](std::size_t r, std::size_t k) { t1[k] = (a[k] / n1_[r]) * (b[k] / n2_[r]); });
        each_row([&](std::size_t r, std::size_t base) { dist_[r] = 1.0 - sum_row(t1, base); });
    }

    // Autograd through the ops above, then through 1 - cs.
    void cosine_backward(const std::vector<double>& g, std::vector<double>& g1, std::vector<double>& g2) const {
        const double* a = f1_.data();
        const double* b = f2_.data();
        const std::size_t n = numel(frame_), nrows = outer_ * inner_;
        std::vector<double> t1(n), t2(n);
        each_element([&](std::size_t r, std::size_t k) {
            const double n1 = n1_[r], n2 = n2_[r];
            const double gcs = -g[r];
            const double gu = gcs * (b[k] / n2), gw = gcs * (a[k] / n1);
            g1[k] = gu / n1;
            g2[k] = gw / n2;
            t1[k] = -gu * ((a[k] / n1) / n1);
            t2[k] = -gw * ((b[k] / n2) / n2);
        });
        std::vector<double> gs1(nrows), gs2(nrows);
        each_row([&](std::size_t r, std::size_t base) {
            gs1[r] = sum_row(t1, base) / (2 * n1_[r]);
            gs2[r] = sum_row(t2, base) / (2 * n2_[r]);
        });
        each_element([&](std::size_t r, std::size_t k) {
            g1[k] = g1[k] + gs1[r] * (2.0 * a[k]);
            g2[k] = g2[k] + gs2[r] * (2.0 * b[k]);
        });
    }

    Kind kind_;
    double p_, eps_;
    Shape frame_;
    InFrame f1_, f2_;
    std::size_t outer_ = 1, len_ = 1, inner_ = 1;
    Shape rows_;
    std::vector<double> dist_, v_, n1_, n2_;
};

// Rows of two distances broadcast together (messages in PyTorch's operand order). When both
// have the same rows (the usual case) no index maps are built.
struct RowFrame {
    Shape shape, a_shape, b_shape;
    std::size_t n = 0;
    std::vector<std::size_t> a, b;  // empty: identity
    std::size_t ia(std::size_t k) const { return a.empty() ? k : a[k]; }
    std::size_t ib(std::size_t k) const { return b.empty() ? k : b[k]; }
    std::vector<double> sum_a(std::vector<double> g) const {
        return a.empty() ? g : sum_to(std::move(g), shape, a_shape, a);
    }
    std::vector<double> sum_b(std::vector<double> g) const {
        return b.empty() ? g : sum_to(std::move(g), shape, b_shape, b);
    }
};
RowFrame row_frame(const Shape& a, const Shape& b) {
    RowFrame f;
    f.shape = bshape(a, b);
    f.a_shape = a;
    f.b_shape = b;
    f.n = numel(f.shape);
    if (a != b) {
        Broadcast bc = broadcast(a, b);
        f.a = std::move(bc.a_index);
        f.b = std::move(bc.b_index);
    }
    return f;
}

// The shared part of TripletMarginLoss and TripletMarginWithDistanceLoss: with the three
// distances given, out = clamp_min(margin + d(a,p) - min(d(a,n), d(p,n)), 0) in the loss's own
// operation order, and gradients back to anchor, positive, negative.
LossResult triplet(const Params& params, const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                   PairDistance::Kind kind, double p, double eps, bool margin_first) {
    const double margin = params.num("margin");
    const bool swap = params.flag("swap");
    const PairDistance dpos(anchor, positive, kind, p, eps);
    const PairDistance dneg(anchor, negative, kind, p, eps);
    // The swap distance and the min exist only with swap=True (its shape errors too).
    const std::vector<double>& an = dneg.values();
    Shape neg_rows = dneg.rows();
    std::optional<PairDistance> dswap;
    RowFrame mf;
    std::vector<double> swapped;  // at::minimum(d(a, n), d(p, n)), NaN-propagating
    if (swap) {
        dswap.emplace(positive, negative, kind, p, eps);
        mf = row_frame(dneg.rows(), dswap->rows());
        const std::vector<double>& pn = dswap->values();
        swapped.resize(mf.n);
        for (std::size_t k = 0; k < mf.n; ++k) {
            const double u = an[mf.ia(k)], w = pn[mf.ib(k)];
            swapped[k] = nan_min(u, w);
        }
        neg_rows = mf.shape;
    }
    const std::vector<double>& neg = swap ? swapped : an;
    const RowFrame of = row_frame(dpos.rows(), neg_rows);
    const std::vector<double>& ap = dpos.values();
    const std::size_t O = of.n;
    std::vector<double> pre(O);
    for (std::size_t k = 0; k < O; ++k)
        pre[k] = margin_first ? margin + ap[of.ia(k)] - neg[of.ib(k)] : ap[of.ia(k)] - neg[of.ib(k)] + margin;
    LossResult out;
    Tensor e(of.shape);
    for (std::size_t k = 0; k < O; ++k) e.data[k] = clamp_min(pre[k], 0.0);
    const std::vector<double> up = finish(out, std::move(e), reduction_of(params));

    std::vector<double> g_out(O), g_negf(O);
    for (std::size_t k = 0; k < O; ++k) {
        g_out[k] = pre[k] >= 0.0 ? up[k] : 0.0;
        g_negf[k] = -g_out[k];
    }
    const std::vector<double> g_ap = of.sum_a(std::move(g_out));
    std::vector<double> g_neg = of.sum_b(std::move(g_negf));
    std::vector<double> g_an, g_pn;
    if (swap) {
        // minimum's backward: a tie splits the gradient in half; NaN sends it to both sides.
        const std::vector<double>& pn = dswap->values();
        std::vector<double> ga(mf.n), gb(mf.n);
        for (std::size_t k = 0; k < mf.n; ++k) {
            const double u = an[mf.ia(k)], w = pn[mf.ib(k)];
            const double gk = u == w ? g_neg[k] / 2 : g_neg[k];
            ga[k] = u > w ? 0.0 : gk;
            gb[k] = u < w ? 0.0 : gk;
        }
        g_an = mf.sum_a(std::move(ga));
        g_pn = mf.sum_b(std::move(gb));
    } else {
        g_an = std::move(g_neg);
    }
    auto [ga_pos, gp_pos] = dpos.backward(g_ap);
    auto [ga_neg, gn_neg] = dneg.backward(g_an);
    for (std::size_t k = 0; k < ga_pos.size(); ++k) ga_pos[k] = ga_pos[k] + ga_neg[k];
    if (swap) {
        auto [gp_swap, gn_swap] = dswap->backward(g_pn);
        for (std::size_t k = 0; k < gp_pos.size(); ++k) gp_pos[k] = gp_pos[k] + gp_swap[k];
        for (std::size_t k = 0; k < gn_neg.size(); ++k) gn_neg[k] = gn_neg[k] + gn_swap[k];
    }
    out.grad["anchor"] = Tensor(anchor.shape, std::move(ga_pos));
    out.grad["positive"] = Tensor(positive.shape, std::move(gp_pos));
    out.grad["negative"] = Tensor(negative.shape, std::move(gn_neg));
    return out;
}

LossResult triplet_margin_loss(const Params& p, const ArgMap& args) {
    const Tensor& a = need_arg(p, args, "anchor");
    const Tensor& pos = need_arg(p, args, "positive");
    const Tensor& neg = need_arg(p, args, "negative");
    if (a.dim() != pos.dim() || pos.dim() != neg.dim())
        throw Error("All inputs should have same dimension but got " + std::to_string(a.dim()) + "D, " +
                    std::to_string(pos.dim()) + "D and " + std::to_string(neg.dim()) + "D inputs.");
    return triplet(p, a, pos, neg, PairDistance::Kind::PNorm, p.num("p"), p.num("eps"), true);
}

LossResult triplet_margin_with_distance_loss(const Params& p, const ArgMap& args) {
    const Tensor& a = need_arg(p, args, "anchor");
    const Tensor& pos = need_arg(p, args, "positive");
    const Tensor& neg = need_arg(p, args, "negative");
    const bool cosine = p.choice("distance_function") == "cosine";
    return cosine ? triplet(p, a, pos, neg, PairDistance::Kind::Cosine, 2.0, 1e-8, false)
                  : triplet(p, a, pos, neg, PairDistance::Kind::PNorm, 2.0, 1e-6, false);
}

// ================================================================ the table

// F.poisson_nll_loss and F.gaussian_nll_loss check reduction themselves, with their own words.
constexpr P python_checked_reduction() {
    P p = P::reduction();
    p.s.invalid = "{value} is not valid";
    return p;
}

constexpr FamilyTable make_specs() {
    FamilyTable v;
    auto loss = [&](Text name, Text group) -> FunctionSpec& {
        FunctionSpec f;
        f.name = std::move(name);
        f.kind = Kind::Loss;
        f.group = std::move(group);
        v.push_back(std::move(f));
        return v.back();
    };

    // L1, MSE, SmoothL1 and Huber take the same two arguments.
    const decltype(FunctionSpec::args) regression_args = {
        arg("input", "prediction, any shape"), arg("target", "same shape as input (broadcasts, with a warning)")};

    {
        FunctionSpec& f = loss("L1Loss", "Regression");
        f.compare = {"MSELoss", "SmoothL1Loss", "HuberLoss"};
        f.params = {P::reduction()};
        f.args = regression_args;
        f.formula = R"(L = \{l_1,\dots,l_N\},\quad l_n = \lvert x_n - y_n \rvert,\qquad )" LAB_REDUCE_TEX;
        f.summary = "Mean absolute error: the size of each miss, counted linearly.";
        f.notes = {
            "Every unit of error costs the same, so a handful of wild targets pull the fit far less than "
            "under MSE; minimising it estimates the median rather than the mean.",
            "The gradient is only the sign of the error: its size does not shrink as the prediction gets "
            "close, which can make the last steps of training jittery.",
            "At exactly zero error the function has a corner; PyTorch uses sign(0) = 0 there, so a perfect "
            "prediction gets no gradient. SmoothL1Loss and HuberLoss round the corner off.",
        };
        f.example = {{"input", "[0.5, 2.0, -1.0, 3.0]"}, {"target", "[0.0, 2.0, 1.0, 10.0]"}};
        f.loss = l1_loss;
    }
    {
        FunctionSpec& f = loss("MSELoss", "Regression");
        f.compare = {"L1Loss", "SmoothL1Loss", "HuberLoss"};
        f.params = {P::reduction()};
        f.args = regression_args;
        f.formula = R"(L = \{l_1,\dots,l_N\},\quad l_n = (x_n - y_n)^2,\qquad )" LAB_REDUCE_TEX;
        f.summary = "Mean squared error: the default loss for predicting real numbers.";
        f.notes = {
            "Squaring makes large misses dominate: one error of 10 costs as much as a hundred errors of 1, "
            "so outliers in the targets steer the fit (it estimates the mean).",
            "The gradient 2(x - y) shrinks smoothly as the prediction approaches the target, which gives "
            "gentle, well-behaved updates near the optimum.",
            "Minimising it is maximum likelihood under Gaussian noise of fixed variance; GaussianNLLLoss "
            "is the version that also learns the variance.",
        };
        f.example = {{"input", "[0.5, 2.0, -1.0, 3.0]"}, {"target", "[0.0, 2.0, 1.0, 10.0]"}};
        f.loss = mse_loss;
    }
    {
        FunctionSpec& f = loss("SmoothL1Loss", "Regression");
        f.compare = {"L1Loss", "MSELoss", "HuberLoss"};
        f.params = {P::reduction(),
                    P::real("beta", 1.0, 0.0, 3.0, "error size where the quadratic part turns linear")
                        .valid_min(0.0, false, "smooth_l1_loss does not support negative values for beta.")};
        f.args = regression_args;
        f.formula =
            R"(l_n = \begin{cases} 0.5\,(x_n - y_n)^2 / \beta & \lvert x_n - y_n \rvert < \beta \\ \lvert x_n - y_n \rvert - 0.5\,\beta & \text{otherwise} \end{cases},\qquad )" LAB_REDUCE_TEX;
        f.summary = "Quadratic for small errors, linear for large ones: L1's robustness without its corner.";
        f.notes = {
            "Near zero it behaves like MSE, so the gradient fades smoothly as the fit improves; beyond beta "
            "it behaves like L1, so outliers add at most a constant slope of 1.",
            "beta sets where the switch happens and must suit the scale of the errors, which is not always "
            "known in advance; beta = 0 gives exactly L1Loss.",
            "It equals HuberLoss divided by beta: the quadratic zone is rescaled so the linear part always "
            "has slope 1 (popular for bounding-box regression in detectors).",
        };
        f.example = {{"input", "[0.2, 0.9, -1.0, 4.0]"}, {"target", "[0.0, 0.0, 0.0, 0.0]"}};
        f.loss = smooth_l1_loss;
    }
    {
        FunctionSpec& f = loss("HuberLoss", "Regression");
        f.compare = {"L1Loss", "MSELoss", "SmoothL1Loss"};
        f.params = {P::reduction(),
                    P::real("delta", 1.0, 0.1, 3.0, "error size where the quadratic part turns linear")
                        .valid_min(0.0, true, "huber_loss does not support non-positive values for delta.")};
        f.args = regression_args;
        f.formula =
            R"(l_n = \begin{cases} 0.5\,(x_n - y_n)^2 & \lvert x_n - y_n \rvert < \delta \\ \delta\,(\lvert x_n - y_n \rvert - 0.5\,\delta) & \text{otherwise} \end{cases},\qquad )" LAB_REDUCE_TEX;
        f.summary = "Squared error inside delta, delta-scaled absolute error outside: a robust regression loss.";
        f.notes = {
            "Inside delta it is exactly half the squared error; outside, the gradient is capped at delta, "
            "so no single outlier can contribute more than that.",
            "Unlike SmoothL1Loss the quadratic part is not divided by the threshold: as delta grows it turns "
            "into 0.5 * MSE, and as delta shrinks it approaches delta * L1.",
            "A classic choice when most errors are small but a few targets are corrupted, e.g. value "
            "targets in reinforcement learning.",
        };
        f.example = {{"input", "[0.2, 0.9, -1.0, 4.0]"}, {"target", "[0.0, 0.0, 0.0, 0.0]"}};
        f.loss = huber_loss;
    }
    {
        FunctionSpec& f = loss("BCELoss", "Binary classification");
        f.params = {P::tensor("weight", "rescaling weight per element, broadcast against the input"), P::reduction()};
        f.args = {arg("input", "probabilities in [0, 1], any shape (e.g. after a sigmoid)"),
                  arg("target", "same shape as input, values in [0, 1]")};
        f.formula =
            R"(l_n = -w_n\,\bigl[y_n \log x_n + (1 - y_n)\log(1 - x_n)\bigr]\ \ (\log \text{ clamped at } -100),\qquad )" LAB_REDUCE_TEX;
        f.summary = "Binary cross entropy between predicted probabilities and 0/1 (or soft) targets.";
        f.notes = {
            "The input must already be a probability, typically the output of a sigmoid; PyTorch rejects "
            "anything outside [0, 1], and the target must have exactly the input's shape.",
            "A confident wrong answer is punished without bound in theory; PyTorch clamps each log at -100 so "
            "a probability of exactly 0 or 1 costs at most 100 instead of infinity.",
            "Computing sigmoid and then log separately loses precision for large logits (sigmoid rounds to "
            "1.0); prefer BCEWithLogitsLoss on raw scores.",
            "Also used for reconstruction of data scaled to [0, 1], e.g. the pixels of an autoencoder's output.",
        };
        f.example = {{"input", "[0.9, 0.2, 0.6, 1.0]"}, {"target", "[1.0, 0.0, 0.0, 0.0]"}};
        f.plot_note = "PyTorch clamps each log at −100";
        f.loss = bce_loss;
    }
    {
        FunctionSpec& f = loss("BCEWithLogitsLoss", "Binary classification");
        f.params = {P::tensor("weight", "rescaling weight per element, broadcast against the input"), P::reduction(),
                    P::tensor("pos_weight", "weight of the positive term per class, broadcast over the last dim")};
        f.args = {arg("input", "raw scores (logits), any shape"), arg("target", "same shape as input, values in [0, 1]")};
        f.formula =
            R"(l_n = -w_n\,\bigl[p_c\, y_n \log \sigma(x_n) + (1 - y_n)\log(1 - \sigma(x_n))\bigr],\qquad )" LAB_REDUCE_TEX;
        f.summary = "Sigmoid and binary cross entropy fused into one numerically stable loss on logits.";
        f.notes = {
            "Mathematically it is BCELoss(sigmoid(x)), but written with log-sum-exp it never takes the log of a "
            "rounded 0 or 1: a logit of 800 still gives the exact loss and gradient instead of a clamp.",
            "The gradient is simply sigmoid(x) - y (times the weights): no vanishing through a saturated "
            "sigmoid, which is why it trains better than a sigmoid layer followed by BCELoss.",
            "pos_weight multiplies the positive term only, trading recall against precision; a value of "
            "n_negative / n_positive per class is a common remedy for imbalanced labels.",
            "The usual choice for multi-label problems: one independent yes/no logit per class.",
        };
        f.example = {{"input", "[3.0, -2.0, 0.5, 40.0]"}, {"target", "[1.0, 0.0, 0.0, 0.0]"}};
        f.loss = bce_with_logits_loss;
    }
    {
        FunctionSpec& f = loss("SoftMarginLoss", "Binary classification");
        f.params = {P::reduction()};
        f.args = {arg("input", "raw scores, any shape"), arg("target", "labels 1 or -1, broadcastable to input")};
        f.formula = R"(l_n = \log\bigl(1 + e^{-y_n x_n}\bigr),\qquad )" LAB_REDUCE_TEX;
        f.summary = "Logistic loss for labels in {-1, 1}: a smooth version of the hinge.";
        f.notes = {
            "With labels written as +1/-1 it is the same loss as BCEWithLogitsLoss with 1/0 labels: it only "
            "looks at the margin y*x.",
            "It never reaches zero: correctly classified points keep pushing their margin up, just more and "
            "more weakly.",
            "PyTorch evaluates log(1 + exp(-y x)) literally, so margins below about -709 overflow to an "
            "infinite loss and a NaN gradient.",
        };
        f.example = {{"input", "[2.0, -0.5, 0.1, -3.0]"}, {"target", "[1.0, 1.0, -1.0, -1.0]"}};
        f.loss = soft_margin_loss;
    }
    {
        FunctionSpec& f = loss("KLDivLoss", "Probabilistic");
        f.params = {P::reduction(true),
                    P::boolean("log_target", false, "target is given as log-probabilities")};
        f.args = {arg("input", "log-probabilities (e.g. log_softmax output), any shape"),
                  arg("target", "probabilities (or log-probabilities), broadcastable to input")};
        f.formula =
            R"(l_n = y_n\,(\log y_n - x_n)\ \ (0 \text{ where } y_n = 0),\qquad \ell = \begin{cases} L & \text{none} \\ \operatorname{sum}(L)/N_{\text{batch}} & \text{batchmean} \\ \operatorname{mean}(L) & \text{mean} \\ \operatorname{sum}(L) & \text{sum} \end{cases})";
        f.summary = "Kullback-Leibler divergence from the target distribution to the predicted one.";
        f.notes = {
            "The input must be log-probabilities (apply log_softmax first), while the target is plain "
            "probabilities unless log_target=True; mixing these up gives wrong but plausible-looking numbers.",
            "Only 'batchmean' gives the true KL divergence per sample; 'mean' also divides by the number of "
            "classes, which is why PyTorch warns about it.",
            "Passing the target as log-probabilities (log_target=True) avoids computing log(0) for targets "
            "that underflow to zero.",
            "Used for distillation (matching a teacher's soft labels) and for the regularising term of "
            "variational autoencoders.",
        };
        f.example = {{"input", "[[-1.2, -0.9, -1.2], [-0.1, -3.0, -2.6]]"},
                     {"target", "[[0.2, 0.6, 0.2], [0.0, 0.5, 0.5]]"}};
        f.loss = kl_div_loss;
    }
    {
        FunctionSpec& f = loss("PoissonNLLLoss", "Probabilistic");
        f.params = {P::boolean("log_input", true, "input is the log of the rate"),
                    P::boolean("full", false, "add the Stirling term for log(target!)"),
                    P::real("eps", 1e-8, 1e-8, 0.1, "added to the rate before the log when log_input=False"),
                    python_checked_reduction()};
        f.args = {arg("input", "predicted rate (or its log), any shape"),
                  arg("target", "observed counts, broadcastable to input")};
        f.formula =
            R"(l_n = \begin{cases} e^{x_n} - y_n x_n & \text{log\_input} \\ x_n - y_n \log(x_n + \varepsilon) & \text{otherwise} \end{cases} \;+\; [y_n > 1]\bigl(y_n \log y_n - y_n + \tfrac12 \log(2\pi y_n)\bigr)_{\text{full}},\qquad )" LAB_REDUCE_TEX;
        f.summary = "Negative log-likelihood of counts under a Poisson distribution with the predicted rate.";
        f.notes = {
            "For count data (events, photons, clicks) whose spread grows with the mean, where squared error "
            "would over-weight the large counts.",
            "With log_input=True the network predicts log(rate), so any real output is a valid rate and exp "
            "keeps it positive; with False the rate itself is predicted and eps guards log(0).",
            "full=True adds Stirling's approximation of log(y!), which does not change the gradient for the "
            "input; PyTorch adds it only where the target is above 1.",
        };
        f.example = {{"input", "[0.0, 1.0, 2.0, -1.0]"}, {"target", "[1.0, 3.0, 5.0, 0.0]"}};
        f.loss = poisson_nll_loss;
    }
    {
        FunctionSpec& f = loss("GaussianNLLLoss", "Probabilistic");
        f.params = {P::boolean("full", false, "add the constant 0.5 log(2 pi)"),
                    P::real("eps", 1e-6, 1e-6, 0.5, "variances are clamped to at least eps"),
                    python_checked_reduction()};
        f.args = {arg("input", "predicted mean, shape (N, *)"), arg("target", "observed value, same shape as input"),
                  arg("var", "predicted variance > 0: input's shape, or with the last dim 1 or dropped")};
        f.formula =
            R"(l_n = \tfrac12\Bigl(\log \max(\sigma_n^2, \varepsilon) + \frac{(x_n - y_n)^2}{\max(\sigma_n^2, \varepsilon)}\Bigr) \;\bigl(+\tfrac12\log 2\pi\bigr)_{\text{full}},\qquad )" LAB_REDUCE_TEX;
        f.summary = "Negative log-likelihood of the target under a Gaussian with predicted mean and variance.";
        f.notes = {
            "Lets a regression network say how sure it is: a large predicted variance makes errors cheap but "
            "pays log(var), so the variance settles where it matches the actual squared error.",
            "With a fixed variance it reduces to a scaled MSE; one variance per sample (last dim 1) is the "
            "homoscedastic case, one per output the heteroscedastic one.",
            "The variance is clamped at eps for stability, but the gradient flows as if it were not clamped; "
            "negative variances are an error.",
        };
        f.example = {{"input", "[[1.0, 2.0], [0.0, -1.0]]"},
                     {"target", "[[1.5, 2.0], [2.0, -1.0]]"},
                     {"var", "[[0.5, 0.5], [1.0, 4.0]]"}};
        f.loss = gaussian_nll_loss;
    }
    {
        FunctionSpec& f = loss("MarginRankingLoss", "Ranking / embedding");
        f.params = {P::real("margin", 0.0, -1.0, 2.0, "required gap between the two scores"), P::reduction()};
        f.args = {arg("input1", "first scores, shape (N) or ()"), arg("input2", "second scores, same shape as input1"),
                  arg("target", "1 if input1 should rank higher, -1 if input2 should")};
        f.formula = R"(l_n = \max\bigl(0,\; -y_n\,(x^{(1)}_n - x^{(2)}_n) + \text{margin}\bigr),\qquad )" LAB_REDUCE_TEX;
        f.summary = "Hinge loss on the difference of two scores: rank the right one higher by a margin.";
        f.notes = {
            "Only the order of the two scores matters, not their values: it is the building block of "
            "learning-to-rank and of pairwise preference models.",
            "Pairs already ordered by more than the margin cost nothing and give no gradient; inside the "
            "margin the cost grows linearly.",
            "With margin 0 a correctly ordered pair is enough; a positive margin demands a safety gap, which "
            "tends to give more robust scores.",
        };
        f.example = {{"input1", "[0.8, 0.2, 0.5]"}, {"input2", "[0.3, 0.6, 0.5]"}, {"target", "[1.0, 1.0, -1.0]"}};
        f.loss = margin_ranking_loss;
    }
    {
        FunctionSpec& f = loss("HingeEmbeddingLoss", "Ranking / embedding");
        f.params = {P::real("margin", 1.0, 0.0, 3.0, "distance beyond which dissimilar pairs cost nothing"),
                    P::reduction()};
        f.args = {arg("input", "distances (e.g. L1 distance of a pair), any shape"),
                  arg("target", "1 for similar pairs, -1 for dissimilar ones, broadcastable to input")};
        f.formula =
            R"(l_n = \begin{cases} x_n & y_n = 1 \\ \max(0,\, \text{margin} - x_n) & y_n = -1 \end{cases},\qquad )" LAB_REDUCE_TEX;
        f.summary = "Pulls similar pairs' distances down and pushes dissimilar ones beyond a margin.";
        f.notes = {
            "The input is usually a distance between two embeddings, so similar pairs are simply penalised "
            "by how far apart they are.",
            "Dissimilar pairs only need to be margin apart: once they are, they stop contributing, so the "
            "embedding is not blown apart to infinity.",
            "The target is only compared with 1 and -1; any other value (PyTorch does not check) gets both terms.",
        };
        f.example = {{"input", "[0.3, 1.5, 0.4, 2.0]"}, {"target", "[1.0, 1.0, -1.0, -1.0]"}};
        f.loss = hinge_embedding_loss;
    }
    {
        FunctionSpec& f = loss("CosineEmbeddingLoss", "Ranking / embedding");
        f.params = {P::real("margin", 0.0, -1.0, 1.0, "cosine below which dissimilar pairs cost nothing"),
                    P::reduction()};
        f.args = {arg("input1", "first embeddings, shape (N, D) or (D)"), arg("input2", "second embeddings, same shape"),
                  arg("target", "1 (similar) or -1 (dissimilar), shape (N) or ()")};
        f.formula =
            R"(l_n = \begin{cases} 1 - \cos(x^{(1)}_n, x^{(2)}_n) & y_n = 1 \\ \max\bigl(0,\, \cos(x^{(1)}_n, x^{(2)}_n) - \text{margin}\bigr) & y_n = -1 \end{cases},\qquad )" LAB_REDUCE_TEX;
        f.summary = "Compares the directions of two embeddings: aligned if similar, below a margin if not.";
        f.notes = {
            "Only the angle counts, not the length of the vectors, so it suits embeddings whose norm carries "
            "no meaning (think of points on a high-dimensional sphere).",
            "Dissimilar pairs need not point in opposite directions, only below the margin; in many "
            "dimensions there is a lot of room near orthogonality, so a small margin such as 0 to 0.5 is usual.",
            "PyTorch adds 1e-12 to each squared norm, so two identical vectors give a loss of about 1e-13 "
            "rather than exactly 0, and zero vectors do not divide by zero.",
        };
        f.example = {{"input1", "[[1.0, 0.0, 1.0], [0.5, 1.0, 0.0]]"},
                     {"input2", "[[1.0, 0.2, 0.8], [0.4, 1.0, 0.1]]"},
                     {"target", "[1.0, -1.0]"}};
        f.loss = cosine_embedding_loss;
    }
    {
        FunctionSpec& f = loss("TripletMarginLoss", "Ranking / embedding");
        f.params = {P::real("margin", 1.0, 0.0, 3.0, "required gap between the negative and positive distances"),
                    P::real("p", 2.0, 1.0, 3.0, "order of the p-norm distance"),
                    P::real("eps", 1e-6, 0.0, 1e-3, "added to the difference before the norm"),
                    P::boolean("swap", false, "also use the positive-negative distance if it is smaller"),
                    P::reduction()};
        f.args = {arg("anchor", "embeddings, shape (N, D) or (D)"), arg("positive", "same class as anchor, same shape"),
                  arg("negative", "different class, same shape")};
        f.formula =
            R"(l_n = \max\bigl(0,\; \text{margin} + \lVert a_n - p_n + \varepsilon \rVert_p - \lVert a_n - n_n + \varepsilon \rVert_p\bigr),\qquad )" LAB_REDUCE_TEX;
        f.summary = "The anchor must be closer to the positive than to the negative, by a margin.";
        f.notes = {
            "Only relative distances matter: the positive need not be close in absolute terms, just closer "
            "than the negative by the margin; then the triplet costs nothing.",
            "The workhorse of metric learning (face recognition, image retrieval): a shared network embeds "
            "all three inputs and learns a space where distance means dissimilarity.",
            "swap=True also measures the positive-negative distance and uses whichever negative distance is "
            "smaller, a cheap way to get harder triplets.",
            "Triplets that already satisfy the margin give zero gradient, so mining hard or semi-hard "
            "triplets is what keeps training moving.",
        };
        f.example = {{"anchor", "[[0.0, 0.0], [1.0, 1.0]]"},
                     {"positive", "[[0.5, 0.0], [1.0, 2.0]]"},
                     {"negative", "[[0.0, 2.0], [1.5, 1.0]]"}};
        f.loss = triplet_margin_loss;
    }
    {
        FunctionSpec& f = loss("TripletMarginWithDistanceLoss", "Ranking / embedding");
        P dist = P::choice("distance_function", "pairwise", {"pairwise", "cosine"},
                           "distance between embeddings: Euclidean (pairwise) or 1 - cosine similarity");
        dist.s.choice_python = {"nn.PairwiseDistance()", "lambda a, b: 1.0 - F.cosine_similarity(a, b)"};
        f.params = {dist, P::real("margin", 1.0, 0.0, 3.0, "required gap between the negative and positive distances"),
                    P::boolean("swap", false, "also use the positive-negative distance if it is smaller"),
                    P::reduction()};
        f.args = {arg("anchor", "embeddings, shape (N, D)"), arg("positive", "same class as anchor, same shape"),
                  arg("negative", "different class, same shape")};
        f.formula =
            R"(l_n = \max\bigl(0,\; d(a_n, p_n) - d(a_n, n_n) + \text{margin}\bigr),\quad d = \lVert\cdot\rVert_2 \text{ or } 1 - \cos,\qquad )" LAB_REDUCE_TEX;
        f.summary = "Triplet loss with a chosen distance function, e.g. cosine distance instead of Euclidean.";
        f.notes = {
            "The same objective as TripletMarginLoss, but the distance is pluggable; with the default "
            "pairwise distance the two losses agree.",
            "Cosine distance ignores the length of the embeddings, which pairs well with normalised "
            "embeddings; then a margin of a few tenths is typical, since the distance lies in [0, 2].",
            "Any differentiable function of two batches of embeddings can serve as the distance in PyTorch; "
            "this workbench offers the two most common.",
        };
        f.example = {{"anchor", "[[1.0, 0.0], [0.0, 1.0]]"},
                     {"positive", "[[0.9, 0.3], [0.2, 1.0]]"},
                     {"negative", "[[0.7, 0.7], [0.0, -1.0]]"}};
        f.loss = triplet_margin_with_distance_loss;
    }
    return v;
}

constexpr auto kTable = trimmed<make_specs().size()>(make_specs());
static_assert(kTable.size() == 15, "the regression and embedding losses");

}  // namespace

std::span<const FunctionSpec> loss_specs_regression() { return kTable; }

}  // namespace lab
