// The ranking and embedding losses' rules (MarginRanking, HingeEmbedding, CosineEmbedding,
// TripletMargin, TripletMarginWithDistance) as tables (loss_rows.hpp): both branches of every
// hinge, the gradient at the hinge point itself (clamp_min's backward uses >=), the norms' eps
// and clamps, and the dimension rules in PyTorch's words. Expected numbers are closed forms
// evaluated here or values printed by torch 1.13.1 in float64 (marked so).
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "loss_rows.hpp"

using labtest::kInf;
using labtest::kNaN;
using labtest::Params;
using labtest::scalar;
using labtest::T;

namespace {

const Params kNone{{"reduction", "none"}};
const Params kExact{{"reduction", "none"}, {"eps", 0.0}};  // TripletMarginLoss without the eps shift

lab::ArgMap triplet(const lab::Tensor& a, const lab::Tensor& p, const lab::Tensor& n) {
    return {{"anchor", a}, {"positive", p}, {"negative", n}};
}

}  // namespace

TEST_CASE("MarginRankingLoss: max(0, -y (x1 - x2) + margin)") {
    labtest::check_cases({
        {"MarginRankingLoss", kNone.with("margin", 0.5),
         {{"input1", T({1.0, 2.0, 3.0})}, {"input2", T({1.5, 2.0, 2.0})}, {"target", T({1.0, -1.0, 1.0})}},
         {{"loss", T({1.0, 0.5, 0.0})}, {"grad input1", T({-1.0, 1.0, -0.0})}, {"grad input2", T({1.0, -1.0, 0.0})},
          {"grad target", T({0.5, -0.0, -0.0})}},
         "value and gradients for x1, x2 and the (float) target"},
        {"MarginRankingLoss", kNone.with("margin", 1.0),
         {{"input1", T({1.0, 1.0})}, {"input2", T({2.0, 0.0})}, {"target", T({-1.0, 1.0})}},
         {{"loss", T({0.0, 0.0})}, {"grad input1", T({1.0, -1.0})}, {"grad input2", T({-1.0, 1.0})},
          {"grad target", T({1.0, -1.0})}},
         "at the hinge point (exactly 0) the gradient still flows: clamp_min's backward uses >="},
        {"MarginRankingLoss", kNone, {{"input1", T({kNaN})}, {"input2", T({1.0})}, {"target", T({1.0})}},
         {{"loss", T({kNaN})}, {"grad input1", T({-0.0})}, {"grad target", T({kNaN})}},
         "NaN: NaN loss, no gradient to the inputs, NaN to the target"},
        {"MarginRankingLoss", kNone,
         {{"input1", T({1.0, 2.0, 3.0})}, {"input2", T({1.5})}, {"target", T({1.0, -1.0, 1.0})}},
         {{"loss", T({0.5, 0.5, 0.0})}, {"grad input2", T({0.0})}},
         "size-1 dims still broadcast (the gradient is summed back)"},
    });
    labtest::check_rejected({
        {"MarginRankingLoss", {},
         {{"input1", T({1.0, 2.0, 3.0})}, {"input2", T({1, 3}, {1, 2, 3})}, {"target", T({1.0, -1.0, 1.0})}},
         "margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: "
         "torch.Size([3]), input2: torch.Size([1, 3]), target: torch.Size([3]) ",
         "all three need the same number of dims"},
    });
}

TEST_CASE("HingeEmbeddingLoss: x for similar pairs, max(0, margin - x) for dissimilar ones") {
    labtest::check_cases({
        {"HingeEmbeddingLoss", kNone,
         {{"input", T({0.0, 1.0, 2.0, 0.5, -1.0, 3.0})}, {"target", T({1.0, -1.0, -1.0, -1.0, 0.0, 2.0})}},
         {{"loss", T({0.0, 0.0, 0.0, 0.5, 1.0, 3.0})}, {"grad input", T({1.0, -1.0, 0.0, -1.0, 0.0, 1.0})},
          {"grad target", T({0.0, 0.0, 0.0, 0.0, 0.0, 0.0})}},
         "both branches, the kink at x = margin, and a target that is neither 1 nor -1 gets both terms"},
        {"HingeEmbeddingLoss", kNone.with("margin", 2.0), {{"input", T({1.5, 2.5})}, {"target", T({-1.0, -1.0})}},
         {{"loss", T({0.5, 0.0})}, {"grad input", T({-1.0, 0.0})}}, "margin = 2 moves the hinge"},
        {"HingeEmbeddingLoss", kNone, {{"input", T({0.0, 1.0, 2.0})}, {"target", T({2, 1}, {1.0, -1.0})}},
         {{"loss", T({2, 3}, {0.0, 1.0, 2.0, 1.0, 0.0, 0.0})}, {"grad input", T({0.0, 0.0, 1.0})}},
         "the target broadcasts against the input"},
    });
    labtest::check_rejected({
        {"HingeEmbeddingLoss", {}, {{"input", T({0.0, 1.0, 2.0})}, {"target", T({1.0, -1.0})}},
         "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0",
         "shapes that do not broadcast"},
    });
}

TEST_CASE("CosineEmbeddingLoss: 1 - cos for similar pairs, max(0, cos - margin) for dissimilar ones") {
    const double n1 = std::sqrt(5.0), n2 = std::sqrt(10.0), c = 1.0 / (n1 * n2);
    const lab::Tensor z = T({1, 2}, {0.0, 0.0}), a3 = T({1, 3}, {1.0, 2.0, 3.0});
    // Long vectors, so the 1e-12 added to the squared norms is invisible.
    const lab::ArgMap long_pairs{{"input1", T({3, 2}, {1e3, 0.0, 1e3, 0.0, 1e3, 1e3})},
                                 {"input2", T({3, 2}, {1e3, 1e3, 0.0, 1e3, 1e3, 1e3})},
                                 {"target", T({-1.0, -1.0, 0.0})}};
    labtest::check_cases({
        {"CosineEmbeddingLoss", kNone,
         {{"input1", T({1, 2}, {1.0, 2.0})}, {"input2", T({1, 2}, {3.0, -1.0})}, {"target", T({1.0})}},
         {{"loss", T({1 - c})},
          {"grad input1", T({1, 2}, {-(3.0 / (n1 * n2) - c * 1.0 / 5), -(-1.0 / (n1 * n2) - c * 2.0 / 5)})},
          {"grad input2", T({1, 2}, {-(1.0 / (n1 * n2) - c * 3.0 / 10), -(2.0 / (n1 * n2) - c * -1.0 / 10)})},
          {"grad target", T({0.0})}},
         "a generic pair: d(1 - cos)/dx1 = -(x2 / (|x1||x2|) - cos x1 / |x1|^2)"},
        {"CosineEmbeddingLoss", kNone.with("margin", 0.5), long_pairs,
         {{"loss", T({1 / std::sqrt(2.0) - 0.5, 0.0, 0.0})}},
         "dissimilar pairs cost cos - margin above the margin (cos = 1/sqrt(2)), nothing below it (cos = 0); "
         "a 0 target costs nothing (cos = 1)"},
        {"CosineEmbeddingLoss", kNone, {{"input1", a3}, {"input2", a3}, {"target", T({1.0})}},
         {{"loss", T({7.138734048339757e-14})},
          {"grad input1", T({1, 3}, {-5.10702591327572e-15, -1.021405182655144e-14, -1.532107773982716e-14})}},
         "PyTorch adds 1e-12f to each squared norm: identical vectors give 7.1e-14, not 0 (torch 1.13.1)"},
        {"CosineEmbeddingLoss", kNone, {{"input1", z}, {"input2", z}, {"target", T({1.0})}},
         {{"loss", T({1.0})}, {"grad input1", T({1, 2}, {0.0, 0.0})}}, "zero vectors do not divide by zero"},
        {"CosineEmbeddingLoss", kNone, {{"input1", T({1.0, 2.0})}, {"input2", T({3.0, 4.0})}, {"target", scalar(-1.0)}},
         {{"loss", scalar(0.9838699100997894)}},
         "1-D inputs take a 0-D target and give a 0-D loss: 11 / sqrt(125), less 1e-12 effects (torch 1.13.1)"},
    });
    {
        INFO("the gradient of the long pairs: x2 / (|x1||x2|) - cos x1 / |x1|^2 cancels in the first entry; the "
             "pairs below the margin or with a 0 target get none");
        const lab::Tensor g =
            lab::evaluate_loss("CosineEmbeddingLoss", kNone.with("margin", 0.5), long_pairs).grad.at("input1");
        CHECK(std::abs(g.data[0]) < 1e-18);
        labtest::check_close(g.data[1], 1 / (1e3 * std::sqrt(2.0)));
        for (std::size_t i = 2; i < 6; ++i) CHECK(g.data[i] == 0.0);
    }
    labtest::check_rejected({
        {"CosineEmbeddingLoss", {},
         {{"input1", T({1, 2}, {1, 2})}, {"input2", T({1, 2}, {1, 2})}, {"target", T({1, 1}, {1})}},
         "0D or 1D target tensor expected, multi-target not supported", "a 2-D target"},
        {"CosineEmbeddingLoss", {}, {{"input1", T({0.0, 1.0, 2.0})}, {"input2", T({1.0, -1.0, 3.0})},
         {"target", T({1.0})}},
         "1D target tensor expects 2D input tensors, but found inputs with sizes [3] and [3].",
         "a 1-D target needs batched (2-D) inputs"},
        {"CosineEmbeddingLoss", {},
         {{"input1", T({1, 3}, {0, 1, 2})}, {"input2", T({1, 3}, {1, -1, 3})}, {"target", scalar(1.0)}},
         "0D target tensor expects 1D input tensors, but found inputs with sizes [1, 3] and [1, 3].",
         "a 0-D target needs unbatched (1-D) inputs"},
        {"CosineEmbeddingLoss", {}, {{"input1", T({1, 2}, {1, 2})}, {"input2", T({3.0, 4.0})}, {"target", T({-1.0})}},
         "Dimension out of range (expected to be in range of [-1, 0], but got 1)",
         "inputs of different dims: the cosine's dim 1 is out of range for the 1-D one"},
    });
}

TEST_CASE("TripletMarginLoss: max(0, margin + d(a, p) - d(a, n)) with d = |a - b + eps|_p") {
    const lab::Tensor o = T({1, 2}, {0.0, 0.0});
    const lab::ArgMap pq = triplet(o, T({1, 2}, {1.0, 2.0}), T({1, 2}, {2.0, 2.5}));
    labtest::check_cases({
        {"TripletMarginLoss", kExact,
         triplet(T({2, 2}, {0.0, 0.0, 0.0, 0.0}), T({2, 2}, {3.0, 4.0, 3.0, 4.0}), T({2, 2}, {6.0, 8.0, 0.0, 4.5})),
         {{"loss", T({0.0, 1.5})}, {"grad anchor", T({2, 2}, {0.0, 0.0, -0.6, -0.8 + 1.0})},
          {"grad positive", T({2, 2}, {0.0, 0.0, 0.6, 0.8})}, {"grad negative", T({2, 2}, {0.0, 0.0, 0.0, -1.0})}},
         "a satisfied triplet costs nothing; a violated one costs the shortfall"},
        {"TripletMarginLoss", kNone, triplet(o, o, T({1, 2}, {0.3, 0.4})),
         {{"loss", T({1.0 + std::sqrt(2.0) * 1e-6 - std::hypot(-0.3 + 1e-6, -0.4 + 1e-6)})}},
         "eps is added to the difference before the norm (default 1e-6)"},
        {"TripletMarginLoss", kExact.with("p", 1.0).with("margin", 2.0), pq,
         {{"loss", T({2.0 + 3.0 - 4.5})}, {"grad anchor", T({1, 2}, {-1.0 + 1.0, -1.0 + 1.0})}}, "p = 1: L1 distances"},
        {"TripletMarginLoss", kExact.with("p", kInf).with("margin", 2.0), pq,
         {{"loss", T({2.0 + 2.0 - 2.5})}, {"grad positive", T({1, 2}, {0.0, 1.0})},
          {"grad negative", T({1, 2}, {0.0, -1.0})}},
         "p = inf: the largest coordinate difference, and only it gets a gradient"},
        {"TripletMarginLoss", kExact, triplet(o, T({1, 2}, {1.0, 0.0}), T({1, 2}, {2.0, 0.0})),
         {{"loss", T({0.0})}, {"grad positive", T({1, 2}, {1.0, -0.0})}, {"grad negative", T({1, 2}, {-1.0, 0.0})}},
         "the kink at exactly 0 passes the gradient (clamp_min's backward uses >=)"},
        {"TripletMarginLoss", kExact.with("swap", true).with("margin", 5.0),
         triplet(o, T({1, 2}, {2.0, 0.0}), T({1, 2}, {1.0, 0.0})),
         {{"loss", T({6.0})}, {"grad anchor", T({1, 2}, {-0.5, 0.0})}, {"grad positive", T({1, 2}, {0.5, -0.0})},
          {"grad negative", T({1, 2}, {0.0, 0.0})}},
         "swap=True uses d(p, n) when it is smaller; a tie splits the gradient in half"},
        {"TripletMarginLoss", kExact.with("p", 0.0), triplet(o, T({1, 2}, {1.0, 0.0}), T({1, 2}, {1.0, 1.0})),
         {{"loss", T({0.0})}, {"grad anchor", T({1, 2}, {0.0, 0.0})}},
         "p = 0 counts nonzero entries and has no gradient"},
    });
    labtest::check_rejected({
        {"TripletMarginLoss", {}, triplet(T({0.0, 0.0}), T({1, 2}, {1, 0}), T({0.0, 2.0})),
         "All inputs should have same dimension but got 1D, 2D and 1D inputs.",
         "the three inputs need the same number of dims"},
    });
}

TEST_CASE("TripletMarginWithDistanceLoss: the triplet loss with a chosen distance") {
    const lab::ArgMap args = triplet(T({2, 2}, {0.0, 0.0, 1.0, 1.0}), T({2, 2}, {1.0, 0.0, 1.0, 2.0}),
                                     T({2, 2}, {0.0, 3.0, 1.0, 1.5}));
    const Params cosine = kNone.with("distance_function", "cosine");
    labtest::check_same({
        {{"TripletMarginWithDistanceLoss", kNone.with("swap", false), args},
         {"TripletMarginLoss", kNone.with("swap", false), args},
         {"loss", "grad anchor", "grad positive", "grad negative"},
         "the default pairwise distance gives TripletMarginLoss's numbers"},
        {{"TripletMarginWithDistanceLoss", kNone.with("swap", true), args},
         {"TripletMarginLoss", kNone.with("swap", true), args},
         {"loss", "grad anchor", "grad positive", "grad negative"},
         "the default pairwise distance gives TripletMarginLoss's numbers, with swap too"},
    });
    labtest::check_cases({
        {"TripletMarginWithDistanceLoss", cosine,
         triplet(T({1, 2}, {2.0, 0.0}), T({1, 2}, {5.0, 5.0}), T({1, 2}, {0.0, 0.1})),
         {{"loss", T({(1 - 1 / std::sqrt(2.0)) - 1.0 + 1.0})},
          {"grad anchor", T({1, 2}, {0.0, -(1 / std::sqrt(2.0)) / 2 + 0.5})}},
         "cosine distance 1 - cos: only directions matter; d(-cos(a, p))/da + d(cos(a, n))/da at a = (2, 0) is "
         "-(p/|p| - cos a/|a|)/|a| + (n/|n|)/|a|"},
        {"TripletMarginWithDistanceLoss", cosine,
         triplet(T({1, 2}, {0.0, 0.0}), T({1, 2}, {1.0, 1.0}), T({1, 2}, {0.0, 1.0})),
         {{"loss", T({1.0})}, {"grad anchor", T({1, 2}, {-70710678.11865474, 29289321.881345257})}},
         "cosine distance from a zero anchor: the norm is clamped at 1e-8, so the gradient is huge (torch 1.13.1)"},
    });
    labtest::check_rejected({
        {"TripletMarginWithDistanceLoss", {{"distance_function", "cosine"}},
         triplet(T({1.0, 0.0}), T({1.0, 1.0}), T({0.0, 1.0})),
         "Dimension out of range (expected to be in range of [-1, 0], but got 1)",
         "cosine_similarity's default dim=1 rejects 1-D inputs, as in PyTorch"},
    });
}
