// Design note: the ranking and embedding losses MarginRanking, HingeEmbedding, CosineEmbedding,
// TripletMargin and TripletMarginWithDistance. All are composite in PyTorch, so each backward
// repeats autograd's chain through the ops of the forward, step by step, with every sum over an
// embedding dim or back onto a broadcast operand in torch.sum's order: the gradient of a cosine
// between nearly parallel vectors is a sum of large terms that cancel to almost nothing. The
// triplet losses share triplet() and the distances of pair_distance.hpp.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "broadcast.hpp"
#include "loss_common.hpp"
#include "pair_distance.hpp"
#include "scalar.hpp"
#include "spec_builders.hpp"

namespace lab {
namespace {

LossResult margin_ranking_loss(const Params& p, const ArgMap& args) {
    const Tensor& input1 = need_arg(p, args, "input1");
    const Tensor& input2 = need_arg(p, args, "input2");
    const Tensor& target = need_arg(p, args, "target");
    const double margin = p.num("margin");
    if (input1.dim() != input2.dim() || input1.dim() != target.dim())
        throw Error("margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: " +
                    shape_str(input1.shape) + ", input2: " + shape_str(input2.shape) +
                    ", target: " + shape_str(target.shape) + " ");
    const Shape dshape = broadcast_shape(input1.shape, input2.shape);  // input1 - input2
    const Shape frame = broadcast_shape(target.shape, dshape);         // -target * (...)
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
    const Shape frame = broadcast_shape(target.shape, input.shape);  // where(target != 1, ...)
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
    const Shape frame = broadcast_shape(input1.shape, input2.shape);  // input1 * input2
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
    const Shape oshape = broadcast_shape(target.shape, cos_shape);  // where(target == 1, pos, zeros)
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
    f.shape = broadcast_shape(a, b);
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

// ---------------------------------------------------------------- the table
constexpr FunctionSpec kTable[] = {
    {
        .name = "MarginRankingLoss",
        .kind = Kind::Loss,
        .group = "Ranking / embedding",
        .params = {P::real("margin", 0.0, -1.0, 2.0, "required gap between the two scores"), P::reduction()},
        .args = {arg("input1", "first scores, shape (N) or ()"), arg("input2", "second scores, same shape as input1"),
                 arg("target", "1 if input1 should rank higher, -1 if input2 should")},
        .formula = R"(l_n = \max\bigl(0,\; -y_n\,(x^{(1)}_n - x^{(2)}_n) + \text{margin}\bigr),\qquad )" LAB_REDUCE_TEX,
        .summary = "Hinge loss on the difference of two scores: rank the right one higher by a margin.",
        .notes = {
            "Only the order of the two scores matters, not their values: it is the building block of "
            "learning-to-rank and of pairwise preference models.",
            "Pairs already ordered by more than the margin cost nothing and give no gradient; inside the "
            "margin the cost grows linearly.",
            "With margin 0 a correctly ordered pair is enough; a positive margin demands a safety gap, which "
            "tends to give more robust scores.",
        },
        .example = {{"input1", "[0.8, 0.2, 0.5]"}, {"input2", "[0.3, 0.6, 0.5]"}, {"target", "[1.0, 1.0, -1.0]"}},
        .loss = margin_ranking_loss,
    },
    {
        .name = "HingeEmbeddingLoss",
        .kind = Kind::Loss,
        .group = "Ranking / embedding",
        .params = {P::real("margin", 1.0, 0.0, 3.0, "distance beyond which dissimilar pairs cost nothing"),
                   P::reduction()},
        .args = {arg("input", "distances (e.g. L1 distance of a pair), any shape"),
                 arg("target", "1 for similar pairs, -1 for dissimilar ones, broadcastable to input")},
        .formula = R"(l_n = \begin{cases} x_n & y_n = 1 \\ \max(0,\, \text{margin} - x_n) & y_n = -1 \end{cases},\qquad )" LAB_REDUCE_TEX,
        .summary = "Pulls similar pairs' distances down and pushes dissimilar ones beyond a margin.",
        .notes = {
            "The input is usually a distance between two embeddings, so similar pairs are simply penalised "
            "by how far apart they are.",
            "Dissimilar pairs only need to be margin apart: once they are, they stop contributing, so the "
            "embedding is not blown apart to infinity.",
            "The target is only compared with 1 and -1; any other value (PyTorch does not check) gets both terms.",
        },
        .example = {{"input", "[0.3, 1.5, 0.4, 2.0]"}, {"target", "[1.0, 1.0, -1.0, -1.0]"}},
        .loss = hinge_embedding_loss,
    },
    {
        .name = "CosineEmbeddingLoss",
        .kind = Kind::Loss,
        .group = "Ranking / embedding",
        .params = {P::real("margin", 0.0, -1.0, 1.0, "cosine below which dissimilar pairs cost nothing"),
                   P::reduction()},
        .args = {arg("input1", "first embeddings, shape (N, D) or (D)"), arg("input2", "second embeddings, same shape"),
                 arg("target", "1 (similar) or -1 (dissimilar), shape (N) or ()")},
        .formula = R"(l_n = \begin{cases} 1 - \cos(x^{(1)}_n, x^{(2)}_n) & y_n = 1 \\ \max\bigl(0,\, \cos(x^{(1)}_n, x^{(2)}_n) - \text{margin}\bigr) & y_n = -1 \end{cases},\qquad )" LAB_REDUCE_TEX,
        .summary = "Compares the directions of two embeddings: aligned if similar, below a margin if not.",
        .notes = {
            "Only the angle counts, not the length of the vectors, so it suits embeddings whose norm carries "
            "no meaning (think of points on a high-dimensional sphere).",
            "Dissimilar pairs need not point in opposite directions, only below the margin; in many "
            "dimensions there is a lot of room near orthogonality, so a small margin such as 0 to 0.5 is usual.",
            "PyTorch adds 1e-12 to each squared norm, so two identical vectors give a loss of about 1e-13 "
            "rather than exactly 0, and zero vectors do not divide by zero.",
        },
        .example = {{"input1", "[[1.0, 0.0, 1.0], [0.5, 1.0, 0.0]]"},
                    {"input2", "[[1.0, 0.2, 0.8], [0.4, 1.0, 0.1]]"},
                    {"target", "[1.0, -1.0]"}},
        .loss = cosine_embedding_loss,
    },
    {
        .name = "TripletMarginLoss",
        .kind = Kind::Loss,
        .group = "Ranking / embedding",
        .params = {P::real("margin", 1.0, 0.0, 3.0, "required gap between the negative and positive distances"),
                   P::real("p", 2.0, 1.0, 3.0, "order of the p-norm distance"),
                   P::real("eps", 1e-6, 0.0, 1e-3, "added to the difference before the norm"),
                   P::boolean("swap", false, "also use the positive-negative distance if it is smaller"),
                   P::reduction()},
        .args = {arg("anchor", "embeddings, shape (N, D) or (D)"), arg("positive", "same class as anchor, same shape"),
                 arg("negative", "different class, same shape")},
        .formula = R"(l_n = \max\bigl(0,\; \text{margin} + \lVert a_n - p_n + \varepsilon \rVert_p - \lVert a_n - n_n + \varepsilon \rVert_p\bigr),\qquad )" LAB_REDUCE_TEX,
        .summary = "The anchor must be closer to the positive than to the negative, by a margin.",
        .notes = {
            "Only relative distances matter: the positive need not be close in absolute terms, just closer "
            "than the negative by the margin; then the triplet costs nothing.",
            "The workhorse of metric learning (face recognition, image retrieval): a shared network embeds "
            "all three inputs and learns a space where distance means dissimilarity.",
            "swap=True also measures the positive-negative distance and uses whichever negative distance is "
            "smaller, a cheap way to get harder triplets.",
            "Triplets that already satisfy the margin give zero gradient, so mining hard or semi-hard "
            "triplets is what keeps training moving.",
        },
        .example = {{"anchor", "[[0.0, 0.0], [1.0, 1.0]]"},
                    {"positive", "[[0.5, 0.0], [1.0, 2.0]]"},
                    {"negative", "[[0.0, 2.0], [1.5, 1.0]]"}},
        .loss = triplet_margin_loss,
    },
    {
        .name = "TripletMarginWithDistanceLoss",
        .kind = Kind::Loss,
        .group = "Ranking / embedding",
        .params = {P::choice("distance_function", "pairwise", {"pairwise", "cosine"},
                     "distance between embeddings: Euclidean (pairwise) or 1 - cosine similarity")
                .python_choices({"nn.PairwiseDistance()", "lambda a, b: 1.0 - F.cosine_similarity(a, b)"}),
            P::real("margin", 1.0, 0.0, 3.0, "required gap between the negative and positive distances"),
                   P::boolean("swap", false, "also use the positive-negative distance if it is smaller"),
                   P::reduction()},
        .args = {arg("anchor", "embeddings, shape (N, D)"), arg("positive", "same class as anchor, same shape"),
                 arg("negative", "different class, same shape")},
        .formula = R"(l_n = \max\bigl(0,\; d(a_n, p_n) - d(a_n, n_n) + \text{margin}\bigr),\quad d = \lVert\cdot\rVert_2 \text{ or } 1 - \cos,\qquad )" LAB_REDUCE_TEX,
        .summary = "Triplet loss with a chosen distance function, e.g. cosine distance instead of Euclidean.",
        .notes = {
            "The same objective as TripletMarginLoss, but the distance is pluggable; with the default "
            "pairwise distance the two losses agree.",
            "Cosine distance ignores the length of the embeddings, which pairs well with normalised "
            "embeddings; then a margin of a few tenths is typical, since the distance lies in [0, 2].",
            "Any differentiable function of two batches of embeddings can serve as the distance in PyTorch; "
            "this workbench offers the two most common.",
        },
        .example = {{"anchor", "[[1.0, 0.0], [0.0, 1.0]]"},
                    {"positive", "[[0.9, 0.3], [0.2, 1.0]]"},
                    {"negative", "[[0.7, 0.7], [0.0, -1.0]]"}},
        .loss = triplet_margin_with_distance_loss,
    },
};
static_assert(std::size(kTable) == 5, "MarginRanking, HingeEmbedding, CosineEmbedding, TripletMargin, TripletMarginWithDistance");

}  // namespace

std::span<const FunctionSpec> loss_specs_embedding() { return kTable; }

}  // namespace lab
