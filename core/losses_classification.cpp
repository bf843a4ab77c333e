// Design note: NLLLoss and CrossEntropyLoss. Both view the input as [n][c][d] (batch, class,
// flattened extra dims), exactly as nll_loss_nd reshapes it, and check shapes in its order and
// words (including those of the nll_loss and nll_loss2d kernels it dispatches to).
// CrossEntropyLoss is log_softmax (scalar.hpp's one implementation, whose summation order is
// ATen's) followed by nll_loss, with the log-softmax backward grad - exp(out) * sum(grad); its
// label-smoothing and class-probability forms repeat the ATen composite formulas term by term,
// their sums over the class dim in torch.sum's order.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "loss_common.hpp"
#include "scalar.hpp"
#include "spec_builders.hpp"

namespace lab {
namespace {

using std::int64_t;
using std::size_t;

Shape tail(const Shape& s, size_t from) {
    return from >= s.size() ? Shape{} : Shape(s.begin() + static_cast<std::ptrdiff_t>(from), s.end());
}

// The input seen as [n][c][d] and the targets as [n][d], as nll_loss_nd reshapes them.
struct ClassLayout {
    int64_t n = 1, c = 0, d = 1;
    Shape out;  // shape of the reduction='none' loss
};

// nll_loss_nd's shape rules and messages, including those of the nll_loss (1-D/2-D) and
// nll_loss2d (4-D, and 3-D/5-D+ after reshaping) kernels it dispatches to.
ClassLayout nll_layout(const Shape& in, const Shape& tg, const Tensor* weight) {
    const size_t nd = in.size();
    if (nd < 1) throw Error("Expected 1 or more dimensions (got " + std::to_string(static_cast<int64_t>(nd)) + ")");
    // A 0-dim target has no size(0); PyTorch prints 0 for it here.
    if (nd != 1 && in[0] != (tg.empty() ? 0 : tg[0]))
        throw Error("Expected input batch_size (" + std::to_string(in[0]) + ") to match target batch_size (" +
                    std::to_string(tg.empty() ? 0 : tg[0]) + ").");
    ClassLayout L;
    if (nd == 1 || nd == 2) {
        if (tg.size() > 1) throw Error("0D or 1D target tensor expected, multi-target not supported");
        const bool no_batch_dim = nd == 1 && tg.empty();
        if (!no_batch_dim) {
            if (tg.empty()) throw Error("Dimension specified as 0 but tensor has no dimensions");
            if (in[0] != tg[0])
                throw Error("size mismatch (got input: " + sizes_str(in) + ", target: " + sizes_str(tg) + ")");
        }
        L.c = in.back();
        if (weight && !(weight->dim() == 1 && static_cast<int64_t>(weight->numel()) == L.c))
            throw Error("weight tensor should be defined either for all " + std::to_string(L.c) +
                        " classes or no classes but got weight tensor of shape: " + sizes_str(weight->shape));
        // A 1-D input is one sample. A 1-D target passes the size check above only with C
        // entries, and then the kernel reads target[0] alone.
        L.n = nd == 1 ? 1 : in[0];
        L.out = nd == 1 ? Shape{} : Shape{in[0]};
        return L;
    }
    const auto weight_numel_ok = [&](int64_t c) {
        if (weight && static_cast<int64_t>(weight->numel()) != c)
            throw Error("weight tensor should be defined either for all or no classes");
    };
    if (nd == 4) {
        if (tg.size() != 3)
            throw Error("only batches of spatial targets supported (3D tensors) but got targets of dimension: " +
                        std::to_string(static_cast<int64_t>(tg.size())));
        weight_numel_ok(in[1]);
        if (in[0] != tg[0] || in[2] != tg[1] || in[3] != tg[2])
            throw Error("size mismatch (got input: " + sizes_str(in) + " , target: " + sizes_str(tg));
        L.n = in[0];
        L.c = in[1];
        L.d = in[2] * in[3];
        L.out = Shape{in[0], in[2], in[3]};
        return L;
    }
    Shape out{in[0]};
    for (size_t i = 2; i < nd; ++i) out.push_back(in[i]);
    if (tail(tg, 1) != tail(in, 2)) throw Error("Expected target size " + sizes_str(out) + ", got " + sizes_str(tg));
    weight_numel_ok(in[1]);
    L.n = in[0];
    L.c = in[1];
    L.d = product(in, 2, nd);
    L.out = std::move(out);
    return L;
}

// nll_loss forward over log-probabilities laid out [n][c][d]. cls[i] receives the class of
// target position i, or -1 where it is ignored. Returns the summed weight of the targets kept
// (the 'mean' denominator; their count without weights).
double nll_values(const double* logp, const Tensor& target, const double* w, const ClassLayout& L, int64_t ignore_index,
                  std::vector<int64_t>& cls, std::vector<double>& out) {
    const size_t positions = uz(L.n * L.d);
    cls.assign(positions, -1);
    out.assign(positions, 0.0);
    double total_weight = 0.0;
    for (size_t i = 0; i < positions; ++i) {
        const int64_t t = as_int64(target.data[i]);
        if (t == ignore_index) continue;
        if (t < 0 || t >= L.c) throw Error("Target " + std::to_string(t) + " is out of bounds.");
        const size_t nn = i / uz(L.d), dd = i % uz(L.d);
        const double cur_weight = w ? w[t] : 1.0;
        out[i] = -logp[(nn * uz(L.c) + uz(t)) * uz(L.d) + dd] * cur_weight;
        total_weight += cur_weight;
        cls[i] = t;
    }
    return total_weight;
}

// log_softmax over the class dim of [n][c][d] (scalar.hpp's one log_softmax, row by row), and
// its backward in place: grad_in = grad_out - exp(out) * sum_c(grad_out).
void log_softmax_classes(const double* x, const ClassLayout& L, std::vector<double>& out) {
    const size_t C = uz(L.c), D = uz(L.d), N = uz(L.n);
    out.resize(N * C * D);
    for (size_t n = 0; n < N; ++n)
        for (size_t d = 0; d < D; ++d) log_softmax(x + n * C * D + d, C, D, out.data() + n * C * D + d);
}

void log_softmax_classes_backward(const std::vector<double>& lsm, const ClassLayout& L, std::vector<double>& g) {
    const size_t C = uz(L.c), D = uz(L.d), N = uz(L.n);
    for (size_t n = 0; n < N; ++n)
        for (size_t d = 0; d < D; ++d) log_softmax_backward(lsm.data() + n * C * D + d, C, D, g.data() + n * C * D + d);
}

LossResult nll_loss(const Params& p, const ArgMap& args) {
    const Tensor& input = need_arg(p, args, "input");
    const Tensor& target = need_arg(p, args, "target");
    const Tensor* weight = p.tensor("weight");
    const int64_t ignore_index = p.integer("ignore_index");
    const Reduction r = reduction_of(p);

    const ClassLayout L = nll_layout(input.shape, target.shape, weight);
    check_integers(target, "target");
    std::vector<int64_t> cls;
    std::vector<double> values;
    const double total_weight =
        nll_values(input.data.data(), target, weight_data(weight), L, ignore_index, cls, values);

    LossResult out;
    const std::vector<double> up = finish(out, Tensor(L.out, std::move(values)), r, total_weight);
    std::vector<double> g(input.numel(), 0.0);
    const double* w = weight_data(weight);
    for (size_t i = 0; i < cls.size(); ++i) {
        if (cls[i] < 0) continue;
        const size_t nn = i / uz(L.d), dd = i % uz(L.d);
        const double cur_weight = w ? w[cls[i]] : 1.0;
        g[(nn * uz(L.c) + uz(cls[i])) * uz(L.d) + dd] = cur_weight * -up[i];
    }
    out.grad["input"] = Tensor(input.shape, std::move(g));
    return out;
}

// cross_entropy with class-probability targets (target.shape == input.shape):
//   -(log_softmax(x) * t' * w).sum(class_dim), t' = t (1 - eps) + eps / C when eps > 0,
// and 'mean' divides by numel / C (nan for an empty input).
LossResult cross_entropy_probabilities(const Tensor& input, const Tensor& target, const Tensor* weight, double eps,
                                       Reduction r) {
    if (input.dim() == 0) throw Error("Dimension specified as 1 but tensor has no dimensions");
    const size_t class_dim = input.dim() == 1 ? 0 : 1;
    ClassLayout L;
    L.c = input.shape[class_dim];
    if (weight && !(weight->dim() == 1 && static_cast<int64_t>(weight->numel()) == L.c))
        throw Error("cross_entropy: weight tensor should be defined either for all " + std::to_string(L.c) +
                    " classes or no classes but got weight tensor of shape: " + sizes_str(weight->shape));
    L.n = input.dim() == 1 ? 1 : input.shape[0];
    L.d = product(input.shape, 2, input.shape.size());
    L.out = input.shape;
    L.out.erase(L.out.begin() + static_cast<std::ptrdiff_t>(class_dim));

    std::vector<double> lsm;
    log_softmax_classes(input.data.data(), L, lsm);
    const size_t C = uz(L.c), D = uz(L.d), N = uz(L.n);
    const bool smooth = eps > 0.0;
    const double keep = 1.0 - eps, spread = eps / static_cast<double>(L.c);
    const double* w = weight_data(weight);
    const auto smoothed = [&](double t) { return smooth ? t * keep + spread : t; };

    // -(lsm * t' * w).sum(class_dim), summed in torch.sum's order.
    std::vector<double> terms(N * C * D), values(N * D, 0.0);
    for (size_t n = 0; n < N; ++n)
        for (size_t c = 0; c < C; ++c)
            for (size_t d = 0; d < D; ++d) {
                const size_t k = (n * C + c) * D + d;
                const double term = lsm[k] * smoothed(target.data[k]);
                terms[k] = w ? term * w[c] : term;
            }
    for (size_t n = 0; n < N; ++n)
        for (size_t d = 0; d < D; ++d) values[n * D + d] = -axis_sum(terms.data() + n * C * D + d, C, D, d);

    LossResult out;
    const double denominator = input.numel() == 0 ? 0.0 : -1.0;
    const std::vector<double> up = finish(out, Tensor(L.out, std::move(values)), r, denominator);
    std::vector<double> gx(input.numel()), gt(input.numel());
    for (size_t n = 0; n < N; ++n)
        for (size_t d = 0; d < D; ++d) {
            const double neg = -up[n * D + d];
            for (size_t c = 0; c < C; ++c) {
                const size_t k = (n * C + c) * D + d;
                const double gw = w ? neg * w[c] : neg;  // gradient of (lsm * t')
                gx[k] = gw * smoothed(target.data[k]);
                const double g_smoothed = gw * lsm[k];
                gt[k] = smooth ? g_smoothed * keep : g_smoothed;
            }
        }
    log_softmax_classes_backward(lsm, L, gx);
    out.grad["input"] = Tensor(input.shape, std::move(gx));
    out.grad["target"] = Tensor(target.shape, std::move(gt));
    return out;
}

LossResult cross_entropy_loss(const Params& p, const ArgMap& args) {
    const Tensor& input = need_arg(p, args, "input");
    const Tensor& target = need_arg(p, args, "target");
    const Tensor* weight = p.tensor("weight");
    const int64_t ignore_index = p.integer("ignore_index");
    const double eps = p.num("label_smoothing");
    const Reduction r = reduction_of(p);

    // PyTorch decides by shape alone: equal shapes mean class probabilities.
    if (input.shape == target.shape) {
        if (ignore_index >= 0) throw Error("ignore_index is not supported for floating point target");
        return cross_entropy_probabilities(input, target, weight, eps, r);
    }
    const bool smooth = eps > 0.0;  // a negative label_smoothing is accepted and means none
    // log_softmax(input, 1 if input.dim() != 1 else 0) runs before nll_loss_nd's checks.
    if (input.dim() == 0) throw Error("Dimension out of range (expected to be in range of [-1, 0], but got 1)");
    const ClassLayout L = nll_layout(input.shape, target.shape, weight);
    check_integers(target, "target");
    std::vector<double> lsm;
    log_softmax_classes(input.data.data(), L, lsm);
    std::vector<int64_t> cls;
    std::vector<double> values;
    const double* w = weight_data(weight);
    const double total_weight = nll_values(lsm.data(), target, w, L, ignore_index, cls, values);
    const size_t C = uz(L.c), D = uz(L.d);

    // Label smoothing: (1 - eps) * nll + (eps / C) * smooth, smooth = -(lsm * w).sum(class_dim)
    // with ignored positions zeroed; its 'mean' is normalised by the same target weight as nll's.
    std::vector<double> smooth_loss;
    const double keep = 1.0 - eps, spread = eps / static_cast<double>(L.c);
    if (smooth) {
        if (weight && weight->dim() != 1) {
            Shape view(input.shape.size(), 1);
            view[1] = weight->dim() > 0 ? weight->shape[0] : 1;
            throw Error("shape '" + sizes_str(view) + "' is invalid for input of size " +
                        std::to_string(static_cast<int64_t>(weight->numel())));
        }
        // -(lsm * w).sum(class_dim) in torch.sum's order, zeroed where the target is ignored.
        std::vector<double> terms(lsm.size());
        for (size_t k = 0; k < lsm.size(); ++k) terms[k] = w ? lsm[k] * w[(k / D) % C] : lsm[k];
        smooth_loss.assign(values.size(), 0.0);
        for (size_t i = 0; i < values.size(); ++i) {
            const size_t nn = i / D, dd = i % D;
            if (cls[i] >= 0) smooth_loss[i] = -axis_sum(terms.data() + nn * C * D + dd, C, D, dd);
            values[i] = keep * values[i] + smooth_loss[i] * spread;
        }
    }

    LossResult out;
    const std::vector<double> up = finish(out, Tensor(L.out, std::move(values)), r, total_weight);
    // PyTorch's 'mean' is (1 - eps) * nll_mean + (eps / C) * smooth.sum() / total_weight: with no
    // weight counted nll_mean is 0 / 0, so the loss is nan, even where the smoothing terms are not
    // 0 (zero-weight targets), which our one division of the combined terms would make +-inf.
    if (smooth && r == Reduction::Mean && total_weight == 0.0)
        out.loss = Tensor::scalar(std::numeric_limits<double>::quiet_NaN());
    // Gradient with respect to log_softmax's output, then through log_softmax.
    std::vector<double> g(input.numel(), 0.0);
    for (size_t i = 0; i < cls.size(); ++i) {
        const size_t nn = i / D, dd = i % D;
        if (smooth && cls[i] >= 0) {
            const double gs = up[i] * spread;
            for (size_t c = 0; c < C; ++c) g[(nn * C + c) * D + dd] = w ? -gs * w[c] : -gs;
        }
        if (cls[i] < 0) continue;
        const double g_nll = smooth ? keep * up[i] : up[i];
        const double cur_weight = w ? w[cls[i]] : 1.0;
        g[(nn * C + uz(cls[i])) * D + dd] += cur_weight * -g_nll;
    }
    log_softmax_classes_backward(lsm, L, g);
    out.grad["input"] = Tensor(input.shape, std::move(g));
    return out;
}

// ---------------------------------------------------------------- the table
constexpr P ignore_index_param() {
    return P::integer("ignore_index", -100, -100, 9,
                      "a target value that is skipped: no loss, no gradient, no weight in the mean");
}

constexpr FunctionSpec kTable[] = {
    {
        .name = "NLLLoss",
        .kind = Kind::Loss,
        .group = "Classification",
        .params = {P::tensor("weight", "rescaling weight per class, shape (C,)"), ignore_index_param(), P::reduction()},
        .args = {arg("input", "log-probabilities (N, C), (C,) or (N, C, d1, ...)"),
                 int_arg("target", "class indices (N,), () or (N, d1, ...), each in [0, C) or ignore_index")},
        .formula = R"(\ell_n = -\,w_{y_n}\, x_{n,y_n}, \qquad \ell_{\text{mean}} = \frac{\sum_n \ell_n}{\sum_{n:\,y_n \neq \text{ignore}} w_{y_n}})",
        .summary = "Negative log-likelihood: minus the log-probability given to the true class.",
        .notes = {"NLLLoss does no normalisation of its own: it expects log-probabilities (for example from "
                  "LogSoftmax) and simply reads off minus the entry of the correct class. Fed raw scores it "
                  "happily rewards making them ever larger.",
                  "Class weights are the usual answer to class imbalance: give rare classes a larger weight so "
                  "their mistakes count for more, instead of oversampling them. With reduction='mean' the sum is "
                  "divided by the total weight of the targets, so the result stays a weighted average.",
                  "Targets equal to ignore_index (default -100) add neither loss nor weight, which is how padding "
                  "positions are skipped. If every target is ignored, 'mean' is 0/0 and PyTorch returns nan.",
                  "The gradient is -w on the true class's entry and exactly zero everywhere else: all the "
                  "coupling between classes comes from the LogSoftmax in front of it."},
        .example = {{"input", "[[-0.417, -1.417, -2.317], [-2.22, -0.22, -2.42]]"}, {"target", "[0, 1]"}},
        .loss = &nll_loss,
    },
    {
        .name = "CrossEntropyLoss",
        .kind = Kind::Loss,
        .group = "Classification",
        .params = {P::tensor("weight", "rescaling weight per class, shape (C,)"), ignore_index_param(), P::reduction(),
                   P::real("label_smoothing", 0.0, 0.0, 1.0,
                           "mix the target with a uniform distribution over the C classes by this amount")
                       .valid_range(-kInf, 1.0, false, "label_smoothing must be between 0.0 and 1.0. Got: {value}")},
        .args = {arg("input", "logits (N, C), (C,) or (N, C, d1, ...) — unnormalised scores"),
                 arg("target", "class indices (N,) or probabilities (N, C); probabilities when its shape equals input's")},
        .formula = R"(\ell_n = -\sum_{c} w_c\, q_{n,c} \log \frac{e^{x_{n,c}}}{\sum_{k} e^{x_{n,k}}}, \qquad q_{n,c} = (1-\varepsilon)\,\mathbf{1}[c = y_n] + \frac{\varepsilon}{C})",
        .summary = "Softmax cross-entropy on logits: LogSoftmax followed by NLLLoss in one numerically stable step.",
        .notes = {"CrossEntropyLoss is LogSoftmax followed by NLLLoss: it turns logits into log-probabilities with a "
                  "log-sum-exp that subtracts the row maximum, so logits of ±800 are no problem.",
                  "Give it raw logits, not probabilities. Applying softmax first normalises twice, squeezes the "
                  "scores into [0, 1] and leaves the loss with tiny, badly scaled gradients.",
                  "Its gradient with respect to the logits is softmax(x) minus the (smoothed) one-hot target, times "
                  "the class weight: every wrong class is pushed down in proportion to the probability it steals, "
                  "the true class is pulled up.",
                  "label_smoothing = ε moves ε of the target mass onto a uniform distribution (ε/C per class). The "
                  "model is no longer rewarded for driving logits towards infinity, which curbs over-confidence.",
                  "weight rescales each class (a remedy for imbalance; 'mean' then divides by the targets' total "
                  "weight). A target with the same shape as the input is read as class probabilities (soft labels), "
                  "and 'mean' divides by the number of samples instead."},
        .example = {{"input", "[[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]"}, {"target", "[0, 1]"}},
        .loss = &cross_entropy_loss,
    },
};
static_assert(std::size(kTable) == 2, "NLL, CE");

}  // namespace

std::span<const FunctionSpec> loss_specs_classification() { return kTable; }

}  // namespace lab
