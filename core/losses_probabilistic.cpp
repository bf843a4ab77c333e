// Design note: the probabilistic losses KLDiv, PoissonNLL and GaussianNLL. All three are
// composite in PyTorch (Python or ATen code built from smaller ops), so each backward is the chain
// of derivatives.yaml formulas for the ops of the forward; where one tensor receives several
// contributions they are added in the order autograd's engine adds them, because that order
// shows in the last bits when the contributions cancel.
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

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kPi = 3.14159265358979323846;

// at::xlogy: NaN if y is NaN, 0 where x == 0, else x * log(y).
inline double xlogy(double x, double y) {
    if (std::isnan(y)) return kNaN;
    if (x == 0.0) return 0.0;
    return x * std::log(y);
}

Shape drop_last(const Shape& s) { return s.empty() ? s : Shape(s.begin(), s.end() - 1); }

// A tensor with an explicit shape that differs from the caller's (GaussianNLL's unsqueezed var).
Tensor reshaped(const Tensor& t, Shape s) { return Tensor(std::move(s), t.data); }

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
    const Shape frame = broadcast_shape(target.shape, input.shape);
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
    const double batch = input.dim() == 0 ? 1.0 : static_cast<double>(input.shape[0]);
    const std::vector<double> up = finish(out, std::move(e), r, r == Reduction::BatchMean ? batch : -1.0);

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
    const Shape frame = broadcast_shape(target.shape, input.shape);  // target * input
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
    const Shape dshape = broadcast_shape(input.shape, target.shape);  // input - target
    const Shape frame = broadcast_shape(dshape, vshape);              // (...)**2 / var
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

// ---------------------------------------------------------------- the table
constexpr FunctionSpec kTable[] = {
    {
        .name = "KLDivLoss",
        .kind = Kind::Loss,
        .group = "Probabilistic",
        .params = {P::reduction(true),
                   P::boolean("log_target", false, "target is given as log-probabilities")},
        .args = {arg("input", "log-probabilities (e.g. log_softmax output), any shape"),
                 arg("target", "probabilities (or log-probabilities), broadcastable to input")},
        .formula = R"(l_n = y_n\,(\log y_n - x_n)\ \ (0 \text{ where } y_n = 0),\qquad \ell = \begin{cases} L & \text{none} \\ \operatorname{sum}(L)/N_{\text{batch}} & \text{batchmean} \\ \operatorname{mean}(L) & \text{mean} \\ \operatorname{sum}(L) & \text{sum} \end{cases})",
        .summary = "Kullback-Leibler divergence from the target distribution to the predicted one.",
        .notes = {
            "The input must be log-probabilities (apply log_softmax first), while the target is plain "
            "probabilities unless log_target=True; mixing these up gives wrong but plausible-looking numbers.",
            "Only 'batchmean' gives the true KL divergence per sample; 'mean' also divides by the number of "
            "classes, which is why PyTorch warns about it.",
            "Passing the target as log-probabilities (log_target=True) avoids computing log(0) for targets "
            "that underflow to zero.",
            "Used for distillation (matching a teacher's soft labels) and for the regularising term of "
            "variational autoencoders.",
        },
        .example = {{"input", "[[-1.2, -0.9, -1.2], [-0.1, -3.0, -2.6]]"},
                    {"target", "[[0.2, 0.6, 0.2], [0.0, 0.5, 0.5]]"}},
        .loss = kl_div_loss,
    },
    {
        .name = "PoissonNLLLoss",
        .kind = Kind::Loss,
        .group = "Probabilistic",
        .params = {P::boolean("log_input", true, "input is the log of the rate"),
                   P::boolean("full", false, "add the Stirling term for log(target!)"),
                   P::real("eps", 1e-8, 1e-8, 0.1, "added to the rate before the log when log_input=False"),
                   P::python_reduction()},
        .args = {arg("input", "predicted rate (or its log), any shape"),
                 arg("target", "observed counts, broadcastable to input")},
        .formula = R"(l_n = \begin{cases} e^{x_n} - y_n x_n & \text{log\_input} \\ x_n - y_n \log(x_n + \varepsilon) & \text{otherwise} \end{cases} \;+\; [y_n > 1]\bigl(y_n \log y_n - y_n + \tfrac12 \log(2\pi y_n)\bigr)_{\text{full}},\qquad )" LAB_REDUCE_TEX,
        .summary = "Negative log-likelihood of counts under a Poisson distribution with the predicted rate.",
        .notes = {
            "For count data (events, photons, clicks) whose spread grows with the mean, where squared error "
            "would over-weight the large counts.",
            "With log_input=True the network predicts log(rate), so any real output is a valid rate and exp "
            "keeps it positive; with False the rate itself is predicted and eps guards log(0).",
            "full=True adds Stirling's approximation of log(y!), which does not change the gradient for the "
            "input; PyTorch adds it only where the target is above 1.",
        },
        .example = {{"input", "[0.0, 1.0, 2.0, -1.0]"}, {"target", "[1.0, 3.0, 5.0, 0.0]"}},
        .loss = poisson_nll_loss,
    },
    {
        .name = "GaussianNLLLoss",
        .kind = Kind::Loss,
        .group = "Probabilistic",
        .params = {P::boolean("full", false, "add the constant 0.5 log(2 pi)"),
                   P::real("eps", 1e-6, 1e-6, 0.5, "variances are clamped to at least eps"),
                   P::python_reduction()},
        .args = {arg("input", "predicted mean, shape (N, *)"), arg("target", "observed value, same shape as input"),
                 arg("var", "predicted variance > 0: input's shape, or with the last dim 1 or dropped")},
        .formula = R"(l_n = \tfrac12\Bigl(\log \max(\sigma_n^2, \varepsilon) + \frac{(x_n - y_n)^2}{\max(\sigma_n^2, \varepsilon)}\Bigr) \;\bigl(+\tfrac12\log 2\pi\bigr)_{\text{full}},\qquad )" LAB_REDUCE_TEX,
        .summary = "Negative log-likelihood of the target under a Gaussian with predicted mean and variance.",
        .notes = {
            "Lets a regression network say how sure it is: a large predicted variance makes errors cheap but "
            "pays log(var), so the variance settles where it matches the actual squared error.",
            "With a fixed variance it reduces to a scaled MSE; one variance per sample (last dim 1) is the "
            "homoscedastic case, one per output the heteroscedastic one.",
            "The variance is clamped at eps for stability, but the gradient flows as if it were not clamped; "
            "negative variances are an error.",
        },
        .example = {{"input", "[[1.0, 2.0], [0.0, -1.0]]"},
                    {"target", "[[1.5, 2.0], [2.0, -1.0]]"},
                    {"var", "[[0.5, 0.5], [1.0, 4.0]]"}},
        .loss = gaussian_nll_loss,
    },
};
static_assert(std::size(kTable) == 3, "KLDiv, PoissonNLL, GaussianNLL");

}  // namespace

std::span<const FunctionSpec> loss_specs_probabilistic() { return kTable; }

}  // namespace lab
