// Statistics by layers (StatsOptions::layers, stats_ranges / BlockPass::ranges): the depth view
// splits one redraw's statistics into calls of a few layers each so that no call blocks the page
// for long. The claim held here is that nothing is lost in the split: the calls' results
// concatenated are the one call's, bit for bit — with shared ranges found once (the ranges call)
// or again per call, with given ranges, on a network's last pass and on a BlockPass part way
// through (its ∂L/∂W summed per layer asked for) — and that the ranges are the ones a shared call
// puts in its histograms. Bad layer ranges are refused naming the field.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "nn_model.hpp"
#include "nn_pass.hpp"
#include "nn_random.hpp"
#include "nn_stats.hpp"
#include "stats_same.hpp"
#include "support.hpp"
#include "nn_randn.hpp"

namespace {

using namespace lab::nn;
using labtest::check_same;
using labtest::error_of;
using labtest::same;

using labtest::randn;

NetworkSpec depth_net(const char* act, std::int64_t depth, std::int64_t width, std::int64_t out, std::uint64_t seed) {
    NetworkSpec s;
    s.sizes.assign(static_cast<std::size_t>(depth + 1), width);
    s.sizes.back() = out;  // a last layer of another width: its own tensor length in the ranges
    s.activation = {act, {}};
    s.output = ModuleSpec{act, {}};
    s.seed = seed;
    s.loss = ModuleSpec{"MSELoss", labtest::Params{{"reduction", "sum"}}};
    return s;
}

// `stats(options)` over chunks of `step` layers, concatenated; the shared ranges given from
// `ranges` when it is set, else found by each call.
template <class Stats>
std::vector<LayerStats> by_layers(Stats stats, std::size_t L, std::size_t step, StatsOptions o, const std::optional<StatsRanges>& ranges) {
    if (ranges) {
        if (!o.pre_range) o.pre_range = ranges->pre;
        if (!o.post_range) o.post_range = ranges->post;
        if (!o.grad_range) o.grad_range = ranges->grad;
    }
    std::vector<LayerStats> all;
    for (std::size_t a = 0; a < L; a += step) {
        o.layers = std::make_pair(a, std::min(L, a + step));
        std::vector<LayerStats> part = stats(o);
        REQUIRE(part.size() == o.layers->second - a);
        for (LayerStats& s : part) all.push_back(std::move(s));
    }
    return all;
}

void check_ranges(const StatsRanges& r, const std::vector<LayerStats>& shared) {
    for (const LayerStats& s : shared) {
        CHECK(same(r.pre.first, s.pre.histogram.lo));
        CHECK(same(r.pre.second, s.pre.histogram.hi));
        CHECK(same(r.post.first, s.post.histogram.lo));
        CHECK(same(r.post.second, s.post.histogram.hi));
        REQUIRE(r.grad.has_value() == s.grad.has_value());
        if (r.grad) {
            CHECK(same(r.grad->first, s.grad->histogram.lo));
            CHECK(same(r.grad->second, s.grad->histogram.hi));
        }
    }
}

}  // namespace

TEST_CASE("nn_stats: statistics by layers, concatenated, are the one call's — shared, given or own ranges") {
    StatsOptions own;
    own.bins = 13;
    own.saturation = 0.05;
    StatsOptions shared = own;
    shared.shared = true;
    StatsOptions given = own;
    given.post_range = std::make_pair(-0.25, 0.5);  // values outside it: below/above counted
    StatsOptions mixed = shared;
    mixed.pre_range = std::make_pair(-1.0, 1.0);    // one kind given, the others shared
    // ReLU: zeros of both signs (the sign of a range's zero), dead units; Tanh; Sigmoid (post
    // all positive); ELU. A forward pass only (no grad kind) and gradients with and without ∂L/∂W.
    for (const char* act : {"ReLU", "Tanh", "Sigmoid", "ELU"}) {
        for (int run = 0; run < 3; ++run) {
            CAPTURE(act);
            CAPTURE(run);
            const NetworkSpec spec = depth_net(act, 7, 12, 5, 3);
            Network net(spec);
            const lab::Tensor x = randn(9, 12, 4, 2.0);
            if (run == 0) net.forward(x);
            else net.gradients(x, lab::Tensor(lab::Shape{9, 5}, std::vector<double>(45)), run == 1);
            const std::size_t L = 7;
            auto stats = [&](const StatsOptions& o) { return layer_statistics(net, o); };
            const StatsRanges r = stats_ranges(net);
            CHECK(r.grad.has_value() == (run != 0));
            check_ranges(r, layer_statistics(net, shared));
            for (const StatsOptions& o : {own, shared, given, mixed}) {
                const std::vector<LayerStats> one = layer_statistics(net, o);
                for (const std::size_t step : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}}) {
                    CAPTURE(step);
                    check_same(by_layers(stats, L, step, o, std::nullopt), one);    // ranges found per call
                    if (o.shared) check_same(by_layers(stats, L, step, o, r), one);  // given from ranges()
                }
            }
        }
    }
}

TEST_CASE("nn_pass: a pass's statistics by layers, part way and at the end, are the one call's") {
    StatsOptions o;
    o.bins = 16;
    o.shared = true;
    const NetworkSpec spec = depth_net("Tanh", 6, 10, 4, 5);
    const lab::Tensor x = randn(11, 10, 6);
    const lab::Tensor t(lab::Shape{11, 4}, std::vector<double>(44));
    for (const bool weights : {true, false}) {
        CAPTURE(weights);
        Network a(spec), b(spec);
        BlockPass whole(a, x, t, weights), split(b, x, t, weights);
        for (const std::int64_t rows : {std::int64_t{1}, std::int64_t{3}, std::int64_t{7}}) {
            whole.advance(rows);
            split.advance(rows);
            CAPTURE(split.progress().done);
            const std::vector<LayerStats> one = whole.statistics(o);
            const StatsRanges r = split.ranges();
            check_ranges(r, one);
            // ∂L/∂W of the rows done, layer by layer as asked (norms included in the comparison)
            check_same(by_layers([&](const StatsOptions& p) { return split.statistics(p); }, 6, 4, o, r), one);
            check_same(by_layers([&](const StatsOptions& p) { return split.statistics(p); }, 6, 1, o, std::nullopt), one);
        }
        // at the end: the network's last pass, and the same bits again
        whole.advance(100);
        split.advance(100);
        const std::vector<LayerStats> one = whole.statistics(o);
        check_same(by_layers([&](const StatsOptions& p) { return split.statistics(p); }, 6, 2, o, split.ranges()), one);
        check_same(by_layers([&](const StatsOptions& p) { return layer_statistics(b, p); }, 6, 5, o, stats_ranges(b)), one);
        if (weights) CHECK(one[0].weight_grad_norm > 0.0);
    }
}

TEST_CASE("nn_stats: a given range that holds every value counts as the automatic one does") {
    // the fast path's shortcut (no below/above/non-finite checks) taken for a given range that
    // holds the finite min and max: the same bits as summarize(), also at the range's very ends
    Generator g(7);
    std::vector<double> v(70001);
    g.normal_(v, 0.0, 1.0);
    v[17] = -0.0;
    double lo = v[0], hi = v[0];
    for (double e : v) {
        lo = std::min(lo, e);
        hi = std::max(hi, e);
    }
    for (const auto& range : {std::make_pair(lo, hi), std::make_pair(lo - 1.0, hi + 1.0), std::make_pair(lo, 0.5), std::make_pair(-0.5, hi)}) {
        CAPTURE(range.first);
        CAPTURE(range.second);
        const std::vector<Summary> fast = summarize_all({{v.data(), v.size(), range, -1}, {v.data(), 255, range, -1}}, 64);
        check_same(fast[0], summarize(v, 64, range));
        check_same(fast[1], summarize(std::vector<double>(v.begin(), v.begin() + 255), 64, range));
    }
}

TEST_CASE("nn_stats: what statistics by layers refuses") {
    Network net(depth_net("Tanh", 3, 4, 2, 1));
    CHECK(error_of([&] { stats_ranges(net); }) == "ranges: the network has not run yet; call forward(), gradients() or step() first");
    net.forward(randn(2, 4, 1));
    StatsOptions o;
    for (const auto& bad : {std::make_pair(0, 0), std::make_pair(2, 1), std::make_pair(0, 4), std::make_pair(3, 3)}) {
        o.layers = std::make_pair(static_cast<std::size_t>(bad.first), static_cast<std::size_t>(bad.second));
        CHECK(error_of([&] { layer_statistics(net, o); }) ==
              "layers: expected [first, last) with 0 ≤ first < last ≤ 3 (the network's Linears), got [" + std::to_string(bad.first) +
                  ", " + std::to_string(bad.second) + ")");
    }
    o.layers = std::make_pair(std::size_t{2}, std::size_t{3});
    CHECK(layer_statistics(net, o).size() == 1);
    BlockPass pass(net, randn(2, 4, 1), lab::Tensor(lab::Shape{2, 2}, std::vector<double>(4)));
    CHECK(error_of([&] { pass.ranges(); }) == "ranges: the pass has no examples yet; call advance(rows) first");
    pass.advance(1);
    o.layers = std::make_pair(std::size_t{1}, std::size_t{9});
    CHECK(error_of([&] { pass.statistics(o); }).rfind("layers: expected [first, last) with 0 ≤ first < last ≤ 3", 0) == 0);
    net.forward(randn(2, 4, 1));
    CHECK(error_of([&] { pass.ranges(); }).rfind("pass: the network has run another pass since", 0) == 0);
}
