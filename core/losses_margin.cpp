// Design note: the multi-class and multi-label margin losses — MultiLabelMarginLoss,
// MultiLabelSoftMarginLoss and MultiMarginLoss. The two hinge losses follow their CPU kernels,
// including the per-pair repeated additions of g = 1/dim (or 1/(nframe*dim) for 'mean') in the
// backward, which round differently from a count. MultiLabelSoftMarginLoss is Python in PyTorch:
// log-sigmoid terms (scalar.hpp), broadcasting, a sum over the input's last dim divided by C; its
// backward repeats autograd's chain.
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
#include "broadcast.hpp"
#include "scalar.hpp"
#include "spec_builders.hpp"

namespace lab {
namespace {

using std::int64_t;
using std::size_t;

struct Frames {
    int64_t nframe = 1, dim = 1;
};

// The shape rule MultiLabelMarginLoss and MultiMarginLoss share.
Frames margin_frames(const Shape& in) {
    const size_t nd = in.size();
    const bool valid = (nd == 2 && in[1] != 0) || (nd == 1 && in[0] != 0) || nd == 0;
    if (!valid)
        throw Error("Expected non-empty vector or matrix with optional 0-dim batch size, but got: " + sizes_str(in));
    Frames f;
    if (nd <= 1) {
        f.nframe = 1;
        f.dim = nd == 0 ? 1 : in[0];
    } else {
        f.nframe = in[0];
        f.dim = in[1];
    }
    return f;
}

LossResult multilabel_margin_loss(const Params& p, const ArgMap& args) {
    const Tensor& input = need_arg(p, args, "input");
    const Tensor& target = need_arg(p, args, "target");
    const Reduction r = reduction_of(p);
    const Frames f = margin_frames(input.shape);
    const bool consistent = input.dim() <= 1
                                ? target.dim() <= 1 && static_cast<int64_t>(target.numel()) == f.dim
                                : target.dim() == 2 && target.shape[0] == f.nframe && target.shape[1] == f.dim;
    if (!consistent) throw Error("inconsistent size " + sizes_str(target.shape) + " for argument #2 'target'");
    // A target of at most one dim gives a scalar loss even with reduction='none'.
    const Shape out_shape = target.dim() <= 1 ? Shape{} : Shape{f.nframe};
    const size_t nframe = uz(f.nframe), dim = uz(f.dim);

    std::vector<int64_t> tgt(target.numel());
    if (input.numel() > 0) {
        check_integers(target, "target");
        int64_t lo = std::numeric_limits<int64_t>::max(), hi = std::numeric_limits<int64_t>::min();
        for (size_t i = 0; i < tgt.size(); ++i) {
            tgt[i] = as_int64(target.data[i]);
            lo = std::min(lo, tgt[i]);
            hi = std::max(hi, tgt[i]);
        }
        if (lo < -1 || hi >= f.dim) throw Error("argument #2 'target' is out of range");
    }

    // Per frame: mark the listed classes (the list stops at the first -1), then a hinge for every
    // (listed, unlisted) pair.
    std::vector<char> is_target(dim);
    const auto mark = [&](size_t t) {
        std::fill(is_target.begin(), is_target.end(), 0);
        const int64_t* tg = tgt.data() + t * dim;
        for (size_t k = 0; k < dim && tg[k] >= 0; ++k) is_target[uz(tg[k])] = 1;
    };
    std::vector<double> values(nframe, 0.0);
    for (size_t t = 0; t < nframe; ++t) {
        mark(t);
        const double* x = input.data.data() + t * dim;
        const int64_t* tg = tgt.data() + t * dim;
        double sum = 0.0;
        for (size_t k = 0; k < dim && tg[k] >= 0; ++k) {
            const double x_target = x[tg[k]];
            for (size_t d = 0; d < dim; ++d) {
                if (is_target[d]) continue;
                const double z = 1 - x_target + x[d];
                if (z > 0) sum += z;
            }
        }
        values[t] = sum / static_cast<double>(dim);
    }

    LossResult out;
    const double denominator = nframe == 0 ? 0.0 : -1.0;  // PyTorch leaves an empty batch's mean unwritten
    const std::vector<double> up = finish(out, Tensor(out_shape, std::move(values)), r, denominator);
    const double g =
        r == Reduction::Mean ? 1. / static_cast<double>(f.nframe * f.dim) : 1. / static_cast<double>(f.dim);
    std::vector<double> grad(input.numel(), 0.0);
    for (size_t t = 0; t < nframe; ++t) {
        mark(t);
        const double* x = input.data.data() + t * dim;
        const int64_t* tg = tgt.data() + t * dim;
        double* gr = grad.data() + t * dim;
        for (size_t k = 0; k < dim && tg[k] >= 0; ++k) {
            const double x_target = x[tg[k]];
            for (size_t d = 0; d < dim; ++d) {
                if (is_target[d]) continue;
                const double z = 1 - x_target + x[d];
                if (z > 0) {
                    gr[tg[k]] -= g;
                    gr[d] += g;
                }
            }
        }
        const double grad_output = r == Reduction::None ? up[out_shape.empty() ? 0 : t] : 1.0;
        for (size_t d = 0; d < dim; ++d) gr[d] *= grad_output;
    }
    out.grad["input"] = Tensor(input.shape, std::move(grad));
    return out;
}

LossResult multi_margin_loss(const Params& params, const ArgMap& args) {
    const Tensor& input = need_arg(params, args, "input");
    const Tensor& target = need_arg(params, args, "target");
    const Tensor* weight = params.tensor("weight");
    const int64_t p = params.integer("p");
    const double margin = params.num("margin");
    const Reduction r = reduction_of(params);
    if (weight && weight->dim() != 1) throw Error("weight must be one-dimensional");
    const Frames f = margin_frames(input.shape);
    if (!(target.dim() <= 1 && static_cast<int64_t>(target.numel()) == f.nframe))
        throw Error("inconsistent target size, got: " + sizes_str(target.shape));
    // 1.13.1 indexes a short weight out of bounds; newer PyTorch checks it like this.
    if (weight && static_cast<int64_t>(weight->numel()) != f.dim)
        throw Error("inconsistent weight size, expected " + std::to_string(f.dim) + " but got " + sizes_str(weight->shape));
    const Shape out_shape = target.dim() == 0 ? Shape{} : Shape{f.nframe};
    const size_t nframe = uz(f.nframe), dim = uz(f.dim);
    const double* w = weight_data(weight);

    std::vector<size_t> tgt(nframe);
    if (input.numel() > 0) {
        check_integers(target, "target");
        for (size_t t = 0; t < nframe; ++t) {
            const int64_t idx = as_int64(target.data[t]);
            if (!(idx >= 0 && idx < f.dim)) throw Error("target out of range");
            tgt[t] = uz(idx);
        }
    }

    std::vector<double> values(nframe, 0.0);
    for (size_t t = 0; t < nframe; ++t) {
        const double* x = input.data.data() + t * dim;
        const size_t ti = tgt[t];
        const double x_target = x[ti];
        double sum = 0.0;
        for (size_t d = 0; d < dim; ++d) {
            if (d == ti) continue;
            const double z = margin - x_target + x[d];
            if (z > 0) {
                double h = p == 1 ? z : z * z;
                if (w) h *= w[ti];
                sum += h;
            }
        }
        values[t] = sum / static_cast<double>(dim);
    }

    LossResult out;
    const double denominator = nframe == 0 ? 0.0 : -1.0;
    const std::vector<double> up = finish(out, Tensor(out_shape, std::move(values)), r, denominator);
    const double g =
        r == Reduction::Mean ? 1. / static_cast<double>(f.nframe * f.dim) : 1. / static_cast<double>(f.dim);
    std::vector<double> grad(input.numel(), 0.0);
    for (size_t t = 0; t < nframe; ++t) {
        const double* x = input.data.data() + t * dim;
        double* gr = grad.data() + t * dim;
        const size_t ti = tgt[t];
        const double x_target = x[ti];
        double g_target = 0;
        for (size_t d = 0; d < dim; ++d) {
            if (d == ti) continue;
            const double z = margin - x_target + x[d];
            if (z > 0) {
                double h = p == 1 ? g : 2 * g * z;
                if (w) h *= w[ti];
                g_target -= h;
                gr[d] = h;
            } else {
                gr[d] = 0;
            }
        }
        gr[ti] = g_target;
        const double grad_output = r == Reduction::None ? up[out_shape.empty() ? 0 : t] : 1.0;
        for (size_t d = 0; d < dim; ++d) gr[d] *= grad_output;
    }
    out.grad["input"] = Tensor(input.shape, std::move(grad));
    return out;
}

// ================================================================ MultiLabelSoftMarginLoss
// F.logsigmoid (scalar.hpp): logsigmoid(x) and logsigmoid(-x) share one buffer exp(-|x|), so one
// exp and one log1p serve both terms, bit for bit.
struct LogSigmoidPair {
    double buffer, pos, neg;  // exp(-|x|), logsigmoid(x), logsigmoid(-x)
    explicit LogSigmoidPair(double x)
        : buffer(log_sigmoid_buffer(x)), pos(log_sigmoid(x, buffer)), neg(log_sigmoid(-x, buffer)) {}
};

// loss = -(y * logsigmoid(x) + (1 - y) * logsigmoid(-x)) [* weight], summed over the input's last
// dim (counted from the front of the broadcast shape) and divided by C. IX/IY/IW map a position of
// the broadcast loss to the flat offsets of input, target and weight.
template <class IX, class IY, class IW>
LossResult mlsm_kernel(const Tensor& input, const Tensor& target, const double* w, const Shape& full, IX ix, IY iy,
                       IW iw, Reduction r, bool accumulate) {
    const size_t cd = input.shape.size() - 1;
    const int64_t C = input.shape.back();
    const size_t outer = uz(product(full, 0, cd)), len = uz(full[cd]), inner = uz(product(full, cd + 1, full.size()));
    Shape out_shape = full;
    out_shape.erase(out_shape.begin() + static_cast<std::ptrdiff_t>(cd));
    const double* xd = input.data.data();
    const double* yd = target.data.data();
    const double Cd = static_cast<double>(C);

    std::vector<double> values(outer * inner, 0.0);
    for (size_t o = 0; o < outer; ++o)
        for (size_t j = 0; j < len; ++j)
            for (size_t i = 0; i < inner; ++i) {
                const size_t e = (o * len + j) * inner + i;
                const double x = xd[ix(e)], y = yd[iy(e)];
                const LogSigmoidPair ls(x);
                double l = -(y * ls.pos + (1 - y) * ls.neg);
                if (w) l = l * w[iw(e)];
                values[o * inner + i] += l;
            }
    for (auto& v : values) v = v / Cd;

    LossResult out;
    const std::vector<double> up = finish(out, Tensor(out_shape, std::move(values)), r);
    std::vector<double> gx(input.numel(), 0.0), gy(target.numel(), 0.0);
    for (size_t o = 0; o < outer; ++o)
        for (size_t j = 0; j < len; ++j)
            for (size_t i = 0; i < inner; ++i) {
                const size_t e = (o * len + j) * inner + i;
                const double x = xd[ix(e)], y = yd[iy(e)];
                double g = up[o * inner + i] / Cd;
                if (w) g = g * w[iw(e)];
                const double ng = -g;  // through the leading minus
                const LogSigmoidPair ls(x);
                const double dx = log_sigmoid_backward(x, ls.buffer) * (ng * y) +
                                  -(log_sigmoid_backward(-x, ls.buffer) * (ng * (1 - y)));
                const double dy = ng * ls.pos + -(ng * ls.neg);
                if (accumulate) {
                    gx[ix(e)] += dx;
                    gy[iy(e)] += dy;
                } else {
                    gx[ix(e)] = dx;
                    gy[iy(e)] = dy;
                }
            }
    out.grad["input"] = Tensor(input.shape, std::move(gx));
    out.grad["target"] = Tensor(target.shape, std::move(gy));
    return out;
}

LossResult multilabel_soft_margin_loss(const Params& p, const ArgMap& args) {
    const Tensor& input = need_arg(p, args, "input");
    const Tensor& target = need_arg(p, args, "target");
    const Tensor* weight = p.tensor("weight");
    const Reduction r = reduction_of(p);
    const double* w = weight_data(weight);

    // The usual call — target shaped like input, weight absent or (C,) — needs no index maps.
    if (input.dim() >= 1 && target.shape == input.shape &&
        (!weight || weight->shape == Shape{input.shape.back()} || weight->shape == input.shape)) {
        const size_t C = uz(input.shape.back());
        const bool per_class = weight && weight->shape.size() == 1 && input.shape.size() > 1;
        const auto same = [](size_t e) { return e; };
        if (per_class)
            return mlsm_kernel(
                input, target, w, input.shape, same, same, [C](size_t e) { return e % C; }, r, false);
        return mlsm_kernel(input, target, w, input.shape, same, same, same, r, false);
    }
    // target * logsigmoid(input) broadcasts first, then loss * weight.
    const Broadcast b1 = broadcast(target.shape, input.shape);
    if (!weight) {
        if (input.dim() == 0) throw Error("Dimension specified as -1 but tensor has no dimensions");
        return mlsm_kernel(
            input, target, w, b1.shape, [&](size_t e) { return b1.b_index[e]; },
            [&](size_t e) { return b1.a_index[e]; }, [](size_t e) { return e; }, r, true);
    }
    const Broadcast b2 = broadcast(b1.shape, weight->shape);
    if (input.dim() == 0) throw Error("Dimension specified as -1 but tensor has no dimensions");
    return mlsm_kernel(
        input, target, w, b2.shape, [&](size_t e) { return b1.b_index[b2.a_index[e]]; },
        [&](size_t e) { return b1.a_index[b2.a_index[e]]; }, [&](size_t e) { return b2.b_index[e]; }, r, true);
}

// ---------------------------------------------------------------- the table
constexpr FunctionSpec kTable[] = {
    {
        .name = "MultiLabelMarginLoss",
        .kind = Kind::Loss,
        .group = "Classification",
        .params = {P::reduction()},
        .args = {arg("input", "scores (N, C) or (C,)"),
                 int_arg("target", "class indices, same shape as input: the labels of each sample, ended by -1")},
        .formula = R"(\ell_n = \sum_{j \in Y_n} \sum_{i \notin Y_n} \frac{\max\!\big(0,\; 1 - (x_{n,j} - x_{n,i})\big)}{C})",
        .summary = "Multi-label hinge: every true label must outscore every other class by a margin of 1.",
        .notes = {"A hinge loss for multi-label problems: for each sample, every listed label should score at least 1 "
                  "more than every class that is not listed; each violated pair adds its shortfall, divided by C.",
                  "target holds class indices, not a 0/1 mask: the labels come first and the list stops at the first "
                  "-1, so [3, 0, -1, 1] means labels {3, 0} and the trailing 1 is ignored.",
                  "The gradient is piecewise constant: each violated (label, non-label) pair moves the label's score "
                  "up and the other score down by 1/C, and pairs already separated by the margin contribute nothing."},
        .example = {{"input", "[[0.1, 0.2, 0.4, 0.8], [0.3, -0.2, 1.5, 0.0]]"}, {"target", "[[3, 0, -1, 1], [2, -1, 0, 0]]"}},
        .loss = &multilabel_margin_loss,
    },
    {
        .name = "MultiLabelSoftMarginLoss",
        .kind = Kind::Loss,
        .group = "Classification",
        .params = {P::tensor("weight", "rescaling weight per class, shape (C,)"), P::python_reduction()},
        .args = {arg("input", "logits (N, C) or (C,)"), arg("target", "0/1 label per class, same shape as input")},
        .formula = R"(\ell_n = -\frac{1}{C} \sum_{c} w_c \Big[ y_{n,c} \log \sigma(x_{n,c}) + (1 - y_{n,c}) \log \sigma(-x_{n,c}) \Big])",
        .summary = "Independent binary cross-entropy on logits for every class, averaged over the classes.",
        .notes = {"Each of the C classes is its own yes/no question: the loss is a logistic (binary cross-entropy) "
                  "loss on every logit, averaged over the classes — the multi-label counterpart of CrossEntropyLoss, "
                  "where several classes can be right at once.",
                  "It works on logits through log-sigmoid, log σ(x) = min(x, 0) - log(1 + e^{-|x|}), so very large "
                  "or very negative scores neither overflow nor lose the gradient; it equals BCEWithLogitsLoss "
                  "averaged over the class dimension.",
                  "Unlike MultiLabelMarginLoss the target is a 0/1 indicator per class (soft values in between are "
                  "allowed); weight scales the classes, e.g. to counter rare labels."},
        .example = {{"input", "[[0.8, -1.2, 2.0], [-0.5, 1.5, 0.3]]"}, {"target", "[[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]"}},
        .loss = &multilabel_soft_margin_loss,
    },
    {
        .name = "MultiMarginLoss",
        .kind = Kind::Loss,
        .group = "Classification",
        .params = {P::integer("p", 1, 1, 2, "1 for the plain hinge, 2 for the squared hinge")
                       .valid_range(1, 2, false, "only p == 1 and p == 2 supported"),
                   P::real("margin", 1.0, 0.0, 2.0, "how far the true class must outscore the others"),
                   P::tensor("weight", "rescaling weight per class, shape (C,)"), P::reduction()},
        .args = {arg("input", "scores (N, C) or (C,)"), int_arg("target", "class indices (N,) or (), each in [0, C)")},
        .formula = R"(\ell_n = \frac{1}{C} \sum_{i \neq y_n} w_{y_n} \max\!\big(0,\; \text{margin} - x_{n,y_n} + x_{n,i}\big)^{p})",
        .summary = "Multi-class hinge (SVM) loss: the true class must beat each other class by the margin.",
        .notes = {"The multi-class SVM loss: the true class's score should exceed every other score by at least "
                  "margin; each class that comes closer adds its violation, and the sum is divided by C.",
                  "Once every margin is met the loss and its gradient are exactly zero — unlike cross-entropy, which "
                  "keeps pushing confident predictions further.",
                  "p=1 gives every violator the same gradient size (1/C); p=2 squares the violations, so the "
                  "gradient grows with the violation and vanishes smoothly at the margin.",
                  "weight scales a sample's loss by the weight of its true class."},
        .example = {{"input", "[[0.1, 0.2, 0.4, 0.8], [0.3, -0.2, 1.5, 0.0]]"}, {"target", "[3, 1]"}},
        .loss = &multi_margin_loss,
    },
};
static_assert(std::size(kTable) == 3, "MultiLabelMargin, MultiLabelSoftMargin, MultiMargin");

}  // namespace

std::span<const FunctionSpec> loss_specs_margin() { return kTable; }

}  // namespace lab
