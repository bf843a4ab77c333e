// Design note: the classification and sequence losses — NLLLoss, CrossEntropyLoss,
// MultiLabelMarginLoss, MultiLabelSoftMarginLoss, MultiMarginLoss and CTCLoss — with their
// registry entries.
//
// Each loss is one free function (a LossFn) that checks its arguments in the order PyTorch 1.13.1
// does, with PyTorch's messages, computes the reduction='none' values, hands them to finish() and
// then runs the backward the way ATen's kernel or autograd's chain does it:
//   * NLLLoss/CrossEntropyLoss view the input as [n][c][d] (batch, class, flattened extra dims),
//     exactly as nll_loss_nd reshapes it; CrossEntropyLoss is log_softmax + nll_loss with the
//     log-softmax backward grad - exp(out) * sum(grad), and its label-smoothing and
//     class-probability forms repeat the ATen composite formulas term by term.
//   * The margin losses follow their CPU kernels, including the per-pair repeated additions of
//     g = 1/dim (or 1/(nframe*dim) for 'mean') in the backward, which round differently from a count.
//   * MultiLabelSoftMarginLoss is Python in PyTorch: log-sigmoid terms, broadcasting, a sum over
//     the input's last dim divided by C; its backward repeats autograd's chain.
//   * CTCLoss is the CPU alpha/beta recursion in log space with its exact branch structure; the
//     gradient is PyTorch's own (exp(lp) - exp(log(alpha*beta) + nll - lp)) * grad, which is the
//     derivative with respect to logits that went through log_softmax.
// Where 1.13.1 reads out of bounds instead of checking (negative CTC lengths, CTC targets outside
// [0, C), MultiMarginLoss weights of the wrong size, input_length 0) we raise newer PyTorch's
// error, or our own where PyTorch has none, instead of copying undefined numbers.
//
// Speed: the inner loops index flat arrays; every buffer is allocated once per call.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "loss_common.hpp"
#include "registry.hpp"
#include "scalar.hpp"
#include "spec_builders.hpp"


namespace lab {
namespace {

using std::int64_t;
using std::size_t;

constexpr double kNegInf = -std::numeric_limits<double>::infinity();
constexpr double kPosInf = std::numeric_limits<double>::infinity();

size_t uz(int64_t v) { return static_cast<size_t>(v); }

// Class indices and lengths arrive as doubles that check_integers() has found whole; PyTorch
// holds them as int64, so anything beyond that range could not have been passed at all.
int64_t as_int64(double v) {
    if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0))
        throw Error("value " + py_float(v) + " does not fit in int64");
    return static_cast<int64_t>(v);
}

Shape tail(const Shape& s, size_t from) {
    return from >= s.size() ? Shape{} : Shape(s.begin() + static_cast<std::ptrdiff_t>(from), s.end());
}

int64_t product(const Shape& s, size_t from, size_t to) {
    int64_t p = 1;
    for (size_t i = from; i < to && i < s.size(); ++i) p *= s[i];
    return p;
}

std::string istr(int64_t v) { return std::to_string(v); }

// ================================================================ NLLLoss / CrossEntropyLoss
// The input seen as [n][c][d] and the targets as [n][d], as nll_loss_nd reshapes them.
struct ClassLayout {
    int64_t n = 1, c = 0, d = 1;
    Shape out;  // shape of the reduction='none' loss
};

// nll_loss_nd's shape rules and messages, including those of the nll_loss (1-D/2-D) and
// nll_loss2d (4-D, and 3-D/5-D+ after reshaping) kernels it dispatches to.
ClassLayout nll_layout(const Shape& in, const Shape& tg, const Tensor* weight) {
    const size_t nd = in.size();
    if (nd < 1) throw Error("Expected 1 or more dimensions (got " + istr(static_cast<int64_t>(nd)) + ")");
    // A 0-dim target has no size(0); PyTorch prints 0 for it here.
    if (nd != 1 && in[0] != (tg.empty() ? 0 : tg[0]))
        throw Error("Expected input batch_size (" + istr(in[0]) + ") to match target batch_size (" +
                    istr(tg.empty() ? 0 : tg[0]) + ").");
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
            throw Error("weight tensor should be defined either for all " + istr(L.c) +
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
                        istr(static_cast<int64_t>(tg.size())));
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
        if (t < 0 || t >= L.c) throw Error("Target " + istr(t) + " is out of bounds.");
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
void log_softmax(const double* x, const ClassLayout& L, std::vector<double>& out) {
    const size_t C = uz(L.c), D = uz(L.d), N = uz(L.n);
    out.resize(N * C * D);
    for (size_t n = 0; n < N; ++n)
        for (size_t d = 0; d < D; ++d) lab::log_softmax(x + n * C * D + d, C, D, out.data() + n * C * D + d);
}

void log_softmax_backward(const std::vector<double>& lsm, const ClassLayout& L, std::vector<double>& g) {
    const size_t C = uz(L.c), D = uz(L.d), N = uz(L.n);
    for (size_t n = 0; n < N; ++n)
        for (size_t d = 0; d < D; ++d) lab::log_softmax_backward(lsm.data() + n * C * D + d, C, D, g.data() + n * C * D + d);
}

const double* weight_data(const Tensor* w) { return w ? w->data.data() : nullptr; }

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
        throw Error("cross_entropy: weight tensor should be defined either for all " + istr(L.c) +
                    " classes or no classes but got weight tensor of shape: " + sizes_str(weight->shape));
    L.n = input.dim() == 1 ? 1 : input.shape[0];
    L.d = product(input.shape, 2, input.shape.size());
    L.out = input.shape;
    L.out.erase(L.out.begin() + static_cast<std::ptrdiff_t>(class_dim));
    if (eps > 1.0) throw Error("label_smoothing must be between 0.0 and 1.0. Got: " + py_float(eps));

    std::vector<double> lsm;
    log_softmax(input.data.data(), L, lsm);
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
    log_softmax_backward(lsm, L, gx);
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
    if (smooth && eps > 1.0) throw Error("label_smoothing must be between 0.0 and 1.0. Got: " + py_float(eps));
    // log_softmax(input, 1 if input.dim() != 1 else 0) runs before nll_loss_nd's checks.
    if (input.dim() == 0) throw Error("Dimension out of range (expected to be in range of [-1, 0], but got 1)");
    const ClassLayout L = nll_layout(input.shape, target.shape, weight);
    check_integers(target, "target");
    std::vector<double> lsm;
    log_softmax(input.data.data(), L, lsm);
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
                        istr(static_cast<int64_t>(weight->numel())));
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
    log_softmax_backward(lsm, L, g);
    out.grad["input"] = Tensor(input.shape, std::move(g));
    return out;
}

// ================================================================ margin losses
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
    if (p != 1 && p != 2) throw Error("only p == 1 and p == 2 supported");
    if (weight && weight->dim() != 1) throw Error("weight must be one-dimensional");
    const Frames f = margin_frames(input.shape);
    if (!(target.dim() <= 1 && static_cast<int64_t>(target.numel()) == f.nframe))
        throw Error("inconsistent target size, got: " + sizes_str(target.shape));
    // 1.13.1 indexes a short weight out of bounds; newer PyTorch checks it like this.
    if (weight && static_cast<int64_t>(weight->numel()) != f.dim)
        throw Error("inconsistent weight size, expected " + istr(f.dim) + " but got " + sizes_str(weight->shape));
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

// ================================================================ CTCLoss
// The log-sum-exp steps below mostly see exact special arguments: -inf (a state no path
// reaches), 0 (the maximum term itself) and a sum of exactly 1 (a single live predecessor).
// These return the values libm would, without the call.
inline double exp0(double v) { return v == kNegInf ? 0.0 : v == 0.0 ? 1.0 : std::exp(v); }
inline double log1(double v) { return v == 1.0 ? 0.0 : std::log(v); }

std::string ctc_arg_message(const std::string& what) { return what + " (while checking arguments for ctc_loss_cpu)"; }

LossResult ctc_loss(const Params& p, const ArgMap& args) {
    const Tensor& log_probs = need_arg(p, args, "log_probs");
    const Tensor& targets = need_arg(p, args, "targets");
    const Tensor& input_lengths_t = need_arg(p, args, "input_lengths");
    const Tensor& target_lengths_t = need_arg(p, args, "target_lengths");
    const int64_t blank = p.integer("blank");
    const bool zero_infinity = p.flag("zero_infinity");
    const Reduction r = reduction_of(p);

    check_integers(input_lengths_t, "input_lengths");
    check_integers(target_lengths_t, "target_lengths");
    // Unbatched (T, C) input is unsqueezed to (T, 1, C) before the kernel checks for 3 dims.
    const bool batched = log_probs.dim() == 3;
    if (log_probs.dim() == 0) throw Error("Dimension out of range (expected to be in range of [-1, 0], but got 1)");
    const int64_t kernel_dims = batched ? 3 : log_probs.dim() + 1;
    if (kernel_dims != 3)
        throw Error(ctc_arg_message("Expected 3-dimensional tensor, but got " + istr(kernel_dims) +
                                    "-dimensional tensor for argument #1 'log_probs'"));
    if (targets.dim() < 1 || targets.dim() > 2)
        throw Error(ctc_arg_message("Expected 1 to 2 dimensions, but got " + istr(targets.dim()) +
                                    "-dimensional tensor for argument #2 'targets'"));
    const int64_t T = log_probs.shape[0];
    const int64_t N = batched ? log_probs.shape[1] : 1;
    const int64_t C = log_probs.shape.back();
    if (!(0 <= blank && blank < C)) throw Error("blank must be in label range");
    if (static_cast<int64_t>(input_lengths_t.numel()) != N) throw Error("input_lengths must be of size batch_size");
    if (static_cast<int64_t>(target_lengths_t.numel()) != N) throw Error("target_lengths must be of size batch_size");

    std::vector<int64_t> il(uz(N)), tl(uz(N)), offset(uz(N));
    for (size_t b = 0; b < uz(N); ++b) {
        il[b] = as_int64(input_lengths_t.data[b]);
        tl[b] = as_int64(target_lengths_t.data[b]);
    }
    int64_t max_tl = 0;
    if (targets.dim() == 1) {  // concatenated targets
        int64_t pos = 0;
        for (size_t b = 0; b < uz(N); ++b) {
            if (tl[b] < 0)
                throw Error(
                    ctc_arg_message("Expected target_lengths to have value at least 0, but got value " + istr(tl[b])));
            offset[b] = pos;
            // Saturate rather than overflow; such a sum can never match targets' length anyway.
            pos = tl[b] > std::numeric_limits<int64_t>::max() - pos ? std::numeric_limits<int64_t>::max() : pos + tl[b];
            max_tl = std::max(max_tl, tl[b]);
        }
        if (targets.shape[0] != pos)
            throw Error(ctc_arg_message("Expected tensor to have size " + istr(pos) + " at dimension 0, but got size " +
                                        istr(targets.shape[0]) + " for argument #2 'targets'"));
    } else {  // padded (N, S)
        for (size_t b = 0; b < uz(N); ++b) {
            if (tl[b] < 0)
                throw Error(
                    ctc_arg_message("Expected target_lengths to have value at least 0, but got value " + istr(tl[b])));
            offset[b] = static_cast<int64_t>(b) * targets.shape[1];
            max_tl = std::max(max_tl, tl[b]);
        }
        if (targets.shape[0] != N)
            throw Error(ctc_arg_message("Expected tensor to have size " + istr(N) + " at dimension 0, but got size " +
                                        istr(targets.shape[0]) + " for argument #2 'targets'"));
        if (targets.shape[1] < max_tl)
            throw Error(ctc_arg_message("Expected tensor to have size at least " + istr(max_tl) +
                                        " at dimension 1, but got size " + istr(targets.shape[1]) +
                                        " for argument #2 'targets'"));
    }
    for (size_t b = 0; b < uz(N); ++b) {
        if (il[b] < 0)
            throw Error(
                ctc_arg_message("Expected input_lengths to have value at least 0, but got value " + istr(il[b])));
        if (il[b] > T)
            throw Error(ctc_arg_message("Expected input_lengths to have value at most " + istr(T) + ", but got value " +
                                        istr(il[b])));
    }
    // log_alpha.narrow(1, 0, 1) on an empty time axis.
    if (T == 0) throw Error("start (0) + length (1) exceeds dimension size (0).");
    check_integers(targets, "targets");
    // The kernel indexes log_probs with the targets unchecked; we refuse instead.
    for (size_t b = 0; b < uz(N); ++b)
        for (int64_t k = 0; k < tl[b]; ++k) {
            const int64_t v = as_int64(targets.data[uz(offset[b] + k)]);
            if (v < 0 || v >= C)
                throw Error("ctc_loss: target " + istr(v) + " is out of range for " + istr(C) +
                            " classes (PyTorch does not check this and reads out of bounds)");
        }

    // log_probs[t][b][c] lives at (t * N + b) * C + c. Each sample keeps its alpha table
    // (T x (2 * target_length + 1), at b * T * S_max) for the backward, as PyTorch's log_alpha;
    // beta is needed one sample at a time.
    const size_t Nn = uz(N), Cc = uz(C);
    const double* lp = log_probs.data.data();
    const auto LP = [&](size_t t, size_t b, int64_t c) { return lp[(t * Nn + b) * Cc + uz(c)]; };
    // PyTorch allocates log_alpha as (N, T, 2 * max_target_length + 1) too; refuse sizes that
    // would overflow an index rather than corrupt memory.
    if (static_cast<double>(N) * static_cast<double>(T) * (2.0 * static_cast<double>(max_tl) + 1.0) > 1e9)
        throw Error("ctc_loss: N * T * (2 * max(target_lengths) + 1) is too large for the lab");
    const size_t S_max = uz(2 * max_tl + 1);
    std::vector<double> alpha(Nn * uz(T) * S_max), beta(uz(T) * S_max);
    std::vector<int64_t> prime(S_max);  // the target with blanks interleaved: l'
    std::vector<double> nll(Nn);
    std::vector<double> grad(log_probs.numel(), 0.0);

    const auto load_prime = [&](size_t b) {
        const size_t S = uz(2 * tl[b] + 1);
        for (size_t s = 0; s < S; ++s) prime[s] = s % 2 == 0 ? blank : as_int64(targets.data[uz(offset[b]) + s / 2]);
    };
    const auto forward = [&](size_t b) {
        const int64_t in_len = il[b], tg_len = tl[b];
        if (in_len == 0) return tg_len == 0 ? -0.0 : kPosInf;  // 1.13.1 reads garbage here; newer PyTorch
        const size_t S = uz(2 * tg_len + 1);
        double* la = alpha.data() + b * uz(T) * S_max;
        std::fill(la, la + S, kNegInf);
        la[0] = LP(0, b, blank);
        if (tg_len > 0) la[1] = LP(0, b, prime[1]);
        for (size_t t = 1; t < uz(in_len); ++t) {
            const double* prev = la + (t - 1) * S;
            double* cur = la + t * S;
            for (size_t s = 0; s < S; ++s) {
                const double la1 = prev[s];
                double lamax = la1;
                double la2, la3;
                if (s > 0) {
                    la2 = prev[s - 1];
                    if (la2 > lamax) lamax = la2;
                } else {
                    la2 = kNegInf;
                }
                if (s > 1 && prime[s - 2] != prime[s]) {
                    la3 = prev[s - 2];
                    if (la3 > lamax) lamax = la3;
                } else {
                    la3 = kNegInf;
                }
                if (lamax == kNegInf) lamax = 0;  // avoid -inf - -inf
                cur[s] = log1(exp0(la1 - lamax) + exp0(la2 - lamax) + exp0(la3 - lamax)) + lamax + LP(t, b, prime[s]);
            }
        }
        const double* last = la + uz(in_len - 1) * S;
        if (tg_len == 0) return -last[0];
        const double l1 = last[S - 1], l2 = last[S - 2];
        double m = std::max(l1, l2);
        m = m == kNegInf ? 0 : m;
        return -(log1(exp0(l1 - m) + exp0(l2 - m)) + m);
    };
    // Beta recursion, collecting log(sum over s with l'[s] == c of alpha * beta) into grad, then
    // PyTorch's closing formula (exp(lp) - exp(collected + nll - lp)) * grad_out.
    const auto backward = [&](size_t b, double gr) {
        const int64_t in_len = il[b], tg_len = tl[b];
        if (in_len == 0) return;
        const size_t S = uz(2 * tg_len + 1);
        const double* la = alpha.data() + b * uz(T) * S_max;
        double* lb = beta.data();
        for (size_t t = 0; t < uz(in_len); ++t)
            for (size_t c = 0; c < Cc; ++c) grad[(t * Nn + b) * Cc + c] = kNegInf;
        const auto G = [&](size_t t, int64_t c) -> double& { return grad[(t * Nn + b) * Cc + uz(c)]; };
        const size_t tl_last = uz(in_len - 1);
        std::fill(lb + tl_last * S, lb + tl_last * S + S, kNegInf);
        lb[tl_last * S + S - 1] = LP(tl_last, b, blank);
        G(tl_last, blank) = la[tl_last * S + S - 1] + lb[tl_last * S + S - 1];
        if (tg_len > 0) {
            const int64_t c = prime[S - 2];
            lb[tl_last * S + S - 2] = LP(tl_last, b, c);
            G(tl_last, c) = la[tl_last * S + S - 2] + lb[tl_last * S + S - 2];
        }
        for (int64_t t = in_len - 2; t >= 0; --t) {
            const size_t tt = uz(t);
            const double* next = lb + (tt + 1) * S;
            double* cur = lb + tt * S;
            for (size_t s = S; s-- > 0;) {
                const double lb1 = next[s];
                double lbmax = lb1;
                double lb2, lb3;
                if (s + 1 < S) {
                    lb2 = next[s + 1];
                    if (lb2 > lbmax) lbmax = lb2;
                } else {
                    lb2 = kNegInf;
                }
                if (s + 2 < S && prime[s + 2] != prime[s]) {
                    lb3 = next[s + 2];
                    if (lb3 > lbmax) lbmax = lb3;
                } else {
                    lb3 = kNegInf;
                }
                if (lbmax == kNegInf) lbmax = 0;
                cur[s] = log1(exp0(lb1 - lbmax) + exp0(lb2 - lbmax) + exp0(lb3 - lbmax)) + lbmax + LP(tt, b, prime[s]);
                const double log_alpha_beta = la[tt * S + s] + cur[s];
                double& lcab = G(tt, prime[s]);
                if (lcab == kNegInf) {
                    lcab = log_alpha_beta;
                } else {
                    const double mx = std::max(lcab, log_alpha_beta);
                    lcab = log1(exp0(lcab - mx) + exp0(log_alpha_beta - mx)) + mx;
                }
            }
        }
        const double nl = nll[b];
        for (size_t t = 0; t < uz(in_len); ++t)
            for (size_t c = 0; c < Cc; ++c) {
                double& res = grad[(t * Nn + b) * Cc + c];
                const double l = lp[(t * Nn + b) * Cc + c];
                res = (std::exp(l) - exp0(res + nl - l)) * gr;
            }
    };

    // The kernel's nll keeps inf for the backward's zero_infinity test; the returned loss has it zeroed.
    std::vector<double> values(Nn);
    for (size_t b = 0; b < Nn; ++b) {
        load_prime(b);
        nll[b] = forward(b);
        values[b] = zero_infinity && nll[b] == kPosInf ? 0.0 : nll[b];
    }
    const Shape out_shape = batched ? Shape{N} : Shape{};
    LossResult out;
    std::vector<double> gr(Nn);
    if (r == Reduction::Mean) {
        // (loss / target_lengths.clamp_min(1)).mean()
        std::vector<double> clamped(Nn), scaled(Nn);
        for (size_t b = 0; b < Nn; ++b) {
            clamped[b] = static_cast<double>(std::max<int64_t>(tl[b], 1));
            scaled[b] = values[b] / clamped[b];
        }
        Reduced red = reduce(Tensor(Shape{N}, std::move(scaled)), r);
        out.loss = std::move(red.loss);
        out.elementwise = Tensor(out_shape, std::move(values));
        for (size_t b = 0; b < Nn; ++b) gr[b] = red.upstream[b] / clamped[b];
    } else {
        gr = finish(out, Tensor(out_shape, std::move(values)), r);
    }
    for (size_t b = 0; b < Nn; ++b) {
        if (zero_infinity && nll[b] == kPosInf) continue;  // the whole sample's gradient stays 0
        load_prime(b);
        backward(b, gr[b]);
    }
    out.grad["log_probs"] = Tensor(log_probs.shape, std::move(grad));
    return out;
}

// ================================================================ registry entries
constexpr FunctionSpec make(Text name, Text group, decltype(FunctionSpec::params) params,
                            decltype(FunctionSpec::args) args, Text formula, Text summary,
                            decltype(FunctionSpec::notes) notes, decltype(FunctionSpec::example) example, LossFn fn) {
    FunctionSpec f;
    f.name = std::move(name);
    f.kind = Kind::Loss;
    f.group = std::move(group);
    f.params = std::move(params);
    f.args = std::move(args);
    f.formula = std::move(formula);
    f.summary = std::move(summary);
    f.notes = std::move(notes);
    f.example = std::move(example);
    f.loss = fn;
    return f;
}

// F.multilabel_soft_margin_loss checks reduction itself, in Python, with its own wording.
constexpr P python_reduction() { return P::reduction().invalid_message("{value} is not valid"); }

constexpr P ignore_index_param() {
    return P::integer("ignore_index", -100, -100, 9,
                      "a target value that is skipped: no loss, no gradient, no weight in the mean");
}

constexpr FamilyTable build_table() {
    FamilyTable t;

    t.push_back(make(
        "NLLLoss", "Classification",
        {P::tensor("weight", "rescaling weight per class, shape (C,)"), ignore_index_param(), P::reduction()},
        {arg("input", "log-probabilities (N, C), (C,) or (N, C, d1, ...)"),
         int_arg("target", "class indices (N,), () or (N, d1, ...), each in [0, C) or ignore_index")},
        R"(\ell_n = -\,w_{y_n}\, x_{n,y_n}, \qquad \ell_{\text{mean}} = \frac{\sum_n \ell_n}{\sum_{n:\,y_n \neq \text{ignore}} w_{y_n}})",
        "Negative log-likelihood: minus the log-probability given to the true class.",
        {"NLLLoss does no normalisation of its own: it expects log-probabilities (for example from "
         "LogSoftmax) and simply reads off minus the entry of the correct class. Fed raw scores it "
         "happily rewards making them ever larger.",
         "Class weights are the usual answer to class imbalance: give rare classes a larger weight so "
         "their mistakes count for more, instead of oversampling them. With reduction='mean' the sum is "
         "divided by the total weight of the targets, so the result stays a weighted average.",
         "Targets equal to ignore_index (default -100) add neither loss nor weight, which is how padding "
         "positions are skipped. If every target is ignored, 'mean' is 0/0 and PyTorch returns nan.",
         "The gradient is -w on the true class's entry and exactly zero everywhere else: all the "
         "coupling between classes comes from the LogSoftmax in front of it."},
        {{"input", "[[-0.417, -1.417, -2.317], [-2.22, -0.22, -2.42]]"}, {"target", "[0, 1]"}}, &nll_loss));

    t.push_back(make(
        "CrossEntropyLoss", "Classification",
        {P::tensor("weight", "rescaling weight per class, shape (C,)"), ignore_index_param(), P::reduction(),
         P::real("label_smoothing", 0.0, 0.0, 1.0,
                 "mix the target with a uniform distribution over the C classes by this amount")
             .valid_range(-kInf, 1.0, false, "label_smoothing must be between 0.0 and 1.0. Got: {value}")},
        {arg("input", "logits (N, C), (C,) or (N, C, d1, ...) — unnormalised scores"),
         arg("target", "class indices (N,) or probabilities (N, C); probabilities when its shape equals input's")},
        R"(\ell_n = -\sum_{c} w_c\, q_{n,c} \log \frac{e^{x_{n,c}}}{\sum_{k} e^{x_{n,k}}}, \qquad q_{n,c} = (1-\varepsilon)\,\mathbf{1}[c = y_n] + \frac{\varepsilon}{C})",
        "Softmax cross-entropy on logits: LogSoftmax followed by NLLLoss in one numerically stable step.",
        {"CrossEntropyLoss is LogSoftmax followed by NLLLoss: it turns logits into log-probabilities with a "
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
        {{"input", "[[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]"}, {"target", "[0, 1]"}}, &cross_entropy_loss));

    t.push_back(
        make("MultiLabelMarginLoss", "Classification", {P::reduction()},
             {arg("input", "scores (N, C) or (C,)"),
              int_arg("target", "class indices, same shape as input: the labels of each sample, ended by -1")},
             R"(\ell_n = \sum_{j \in Y_n} \sum_{i \notin Y_n} \frac{\max\!\big(0,\; 1 - (x_{n,j} - x_{n,i})\big)}{C})",
             "Multi-label hinge: every true label must outscore every other class by a margin of 1.",
             {"A hinge loss for multi-label problems: for each sample, every listed label should score at least 1 "
              "more than every class that is not listed; each violated pair adds its shortfall, divided by C.",
              "target holds class indices, not a 0/1 mask: the labels come first and the list stops at the first "
              "-1, so [3, 0, -1, 1] means labels {3, 0} and the trailing 1 is ignored.",
              "The gradient is piecewise constant: each violated (label, non-label) pair moves the label's score "
              "up and the other score down by 1/C, and pairs already separated by the margin contribute nothing."},
             {{"input", "[[0.1, 0.2, 0.4, 0.8], [0.3, -0.2, 1.5, 0.0]]"}, {"target", "[[3, 0, -1, 1], [2, -1, 0, 0]]"}},
             &multilabel_margin_loss));

    t.push_back(make(
        "MultiLabelSoftMarginLoss", "Classification",
        {P::tensor("weight", "rescaling weight per class, shape (C,)"), python_reduction()},
        {arg("input", "logits (N, C) or (C,)"), arg("target", "0/1 label per class, same shape as input")},
        R"(\ell_n = -\frac{1}{C} \sum_{c} w_c \Big[ y_{n,c} \log \sigma(x_{n,c}) + (1 - y_{n,c}) \log \sigma(-x_{n,c}) \Big])",
        "Independent binary cross-entropy on logits for every class, averaged over the classes.",
        {"Each of the C classes is its own yes/no question: the loss is a logistic (binary cross-entropy) "
         "loss on every logit, averaged over the classes — the multi-label counterpart of CrossEntropyLoss, "
         "where several classes can be right at once.",
         "It works on logits through log-sigmoid, log σ(x) = min(x, 0) - log(1 + e^{-|x|}), so very large "
         "or very negative scores neither overflow nor lose the gradient; it equals BCEWithLogitsLoss "
         "averaged over the class dimension.",
         "Unlike MultiLabelMarginLoss the target is a 0/1 indicator per class (soft values in between are "
         "allowed); weight scales the classes, e.g. to counter rare labels."},
        {{"input", "[[0.8, -1.2, 2.0], [-0.5, 1.5, 0.3]]"}, {"target", "[[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]"}},
        &multilabel_soft_margin_loss));

    t.push_back(make(
        "MultiMarginLoss", "Classification",
        {P::integer("p", 1, 1, 2, "1 for the plain hinge, 2 for the squared hinge")
             .valid_range(1, 2, false, "only p == 1 and p == 2 supported"),
         P::real("margin", 1.0, 0.0, 2.0, "how far the true class must outscore the others"),
         P::tensor("weight", "rescaling weight per class, shape (C,)"), P::reduction()},
        {arg("input", "scores (N, C) or (C,)"), int_arg("target", "class indices (N,) or (), each in [0, C)")},
        R"(\ell_n = \frac{1}{C} \sum_{i \neq y_n} w_{y_n} \max\!\big(0,\; \text{margin} - x_{n,y_n} + x_{n,i}\big)^{p})",
        "Multi-class hinge (SVM) loss: the true class must beat each other class by the margin.",
        {"The multi-class SVM loss: the true class's score should exceed every other score by at least "
         "margin; each class that comes closer adds its violation, and the sum is divided by C.",
         "Once every margin is met the loss and its gradient are exactly zero — unlike cross-entropy, which "
         "keeps pushing confident predictions further.",
         "p=1 gives every violator the same gradient size (1/C); p=2 squares the violations, so the "
         "gradient grows with the violation and vanishes smoothly at the margin.",
         "weight scales a sample's loss by the weight of its true class."},
        {{"input", "[[0.1, 0.2, 0.4, 0.8], [0.3, -0.2, 1.5, 0.0]]"}, {"target", "[3, 1]"}}, &multi_margin_loss));

    t.push_back(make(
        "CTCLoss", "Sequence",
        {P::integer("blank", 0, 0, 9, "index of the blank class"), P::reduction(),
         P::boolean("zero_infinity", false,
                    "replace infinite losses (impossible alignments) and their gradients by 0")},
        {arg("log_probs", "log-softmax outputs (T, N, C) or (T, C): T frames, N sequences, C classes incl. blank"),
         int_arg("targets", "label sequences: padded (N, S) or all concatenated (sum of target_lengths,)"),
         int_arg("input_lengths", "frames used per sequence (N,), each <= T"),
         int_arg("target_lengths", "labels per sequence (N,)")},
        R"(\ell_n = -\log \sum_{\pi \in \mathcal{B}^{-1}(y_n)} \prod_{t=1}^{T_n} \exp\big(\text{log\_probs}_{t,n,\pi_t}\big))",
        "Connectionist Temporal Classification: the negative log-probability of all alignments of the target.",
        {"CTC trains sequence models when the input frames and the labels are not aligned (speech, "
         "handwriting): it adds up the probability of every frame-by-frame path that collapses to the target "
         "— merge repeats, drop blanks — with a forward-backward dynamic programme in log space.",
         "The blank class marks frames that emit nothing and separates repeated labels: 'aa' needs a blank "
         "between the two a's. A target that cannot fit in its input frames has probability 0, so the loss "
         "is inf; zero_infinity=True replaces such losses and their gradients by 0.",
         "Gradient convention, as in PyTorch: the gradient shown for log_probs is exp(log_probs) minus the "
         "posterior occupation of each class. That is the derivative with respect to the logits that went "
         "through log_softmax, not the partial derivative with respect to log_probs (which lacks the "
         "exp(log_probs) term); it matches autograd's numbers.",
         "reduction='mean' divides each sequence's loss by its target length (at least 1) and then averages "
         "over the batch, so long transcripts do not dominate."},
        {{"log_probs",
          "[[[-1.2705, -0.5705, -1.8705]], [[-0.5311, -1.5311, -1.6311]], [[-1.6216, -1.9216, -0.4216]], "
          "[[-0.4216, -1.9216, -1.6216]]]"},
         {"targets", "[[1, 2]]"},
         {"input_lengths", "[4]"},
         {"target_lengths", "[2]"}},
        &ctc_loss));

    return t;
}

constexpr auto kTable = trimmed<build_table().size()>(build_table());
static_assert(kTable.size() == 6, "NLL, CE, MultiLabelMargin, MultiLabelSoftMargin, MultiMargin, CTC");

}  // namespace

std::span<const FunctionSpec> loss_specs_classification() { return kTable; }

}  // namespace lab
