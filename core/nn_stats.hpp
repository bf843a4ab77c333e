// Design note: what a teacher reads off a network, per layer, from the pass it just ran — small
// arrays instead of the raw activations, so the page can draw a step of a 50-layer net cheaply.
// The definitions are fixed here so that the page, the docs and the tests mean the same thing:
//   * mean and std are over every entry of the (N, width) tensor; std is the population one
//     (torch.std(unbiased=False)), two-pass: sqrt(Σ (x − mean)² / n); mean = torch.sum's order / n;
//   * a histogram has `bins` equal bins over [lo, hi]: given in StatsOptions, or automatic = the
//     tensor's finite min and max (widened by ±0.5 when they are equal, so one value still has a
//     bin); a value equal to hi falls in the last bin; values outside a given range are counted in
//     `below` / `above`, NaN and ±inf in `nonfinite`, never in a bin;
//   * grad is ∂L/∂pre, the gradient arriving at the Linear's output (what ∂L/∂W is built from:
//     ∂L/∂W = gradᵀ·x) — the back-propagated signal whose shrinking is "vanishing gradients";
//   * a unit (one column of the layer) is dead when its module gives output exactly 0 AND f′
//     exactly 0 for every example of the batch: no gradient reaches its weights from this batch.
//     That is ReLU's dead unit, and also ReLU6, Threshold, Hardshrink or BinaryStep stuck in their
//     flat zero part. (The registry's "ReLU family" group is no test of it: Identity and LeakyReLU
//     are in that group and cannot die.) `dead` is the share of units;
//   * saturated is the share of (example, unit) entries with |f′(pre)| < saturation — a sigmoid or
//     tanh deep in its tails, but also a dead ReLU's zeros;
// both need f′, which elementwise modules have: for a vector output module or none they are NaN;
//   * shared: each kind (pre, post, grad) without a given range gets ONE automatic range for all
//     layers, the finite min and max over every layer (widened as above), so that a layer ×
//     value heatmap compares layers bin for bin; the counts are those of that range given.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "nn_model.hpp"

namespace lab::nn {

struct StatsOptions {
    std::size_t bins = 20;          // ≥ 1
    double saturation = 1e-2;       // |f′| below this counts as saturated (≥ 0)
    // Fixed histogram ranges [lo, hi] (lo < hi, finite); automatic when left out.
    std::optional<std::pair<double, double>> pre_range, post_range, grad_range;
    bool shared = false;            // one automatic range per kind over all layers (above)
    // Only the layers [first, last) (0-based, first < last ≤ the number of Linears): each entry is
    // the one a call over every layer gives, bit for bit. Shared ranges stay those over EVERY layer
    // (found again per call unless given: pass the ones stats_ranges() returns), so a redraw can be
    // split into calls of a few layers each.
    std::optional<std::pair<std::size_t, std::size_t>> layers;
};

// The automatic shared ranges of a pass, per kind: what statistics with `shared` and no given
// range puts in every layer's histogram.lo/hi (widened as above); grad absent without gradients.
struct StatsRanges {
    std::pair<double, double> pre, post;
    std::optional<std::pair<double, double>> grad;
};

struct Histogram {
    double lo = 0.0, hi = 0.0;
    std::vector<double> counts;     // `bins` entries (doubles: JS numbers)
    double below = 0.0, above = 0.0, nonfinite = 0.0;
};

struct Summary {
    double mean = 0.0, std = 0.0;
    Histogram histogram;
};

struct LayerStats {
    Summary pre, post;
    std::optional<Summary> grad;           // after gradients()/step(), not after forward()
    double weight_grad_norm = 0.0;         // ‖∂L/∂W‖ (Frobenius); NaN without grads
    double bias_grad_norm = 0.0;           // ‖∂L/∂b‖; 0 without bias, NaN without grads
    double dead = 0.0, saturated = 0.0;    // shares in [0, 1]; NaN where f′ is unknown
};

// Statistics of one tensor's values (mean, std, histogram) by the rules above.
Summary summarize(const std::vector<double>& values, std::size_t bins, const std::optional<std::pair<double, double>>& range);

// Several tensors' summaries at once, each the Summary summarize() gives it bit for bit (the fast
// path the layer statistics take, nn_stats.cpp). With `shared`, the tasks of one group ≥ 0 that
// have no given range share one automatic range: the finite min and max over all of them.
struct SummaryTask {
    const double* x = nullptr;
    std::size_t n = 0;
    std::optional<std::pair<double, double>> range;
    int group = -1;
};
std::vector<Summary> summarize_all(const std::vector<SummaryTask>& tasks, std::size_t bins, bool shared = false);

// Per Linear of the network's last pass (forward, gradients or step). Error when it has none.
std::vector<LayerStats> layer_statistics(const Network& net, const StatsOptions& options = {});
// The same over the first `rows` examples of a pass run with these modules (a BlockPass's rows
// done, nn_pass.hpp): what gradients() on those rows alone would give. Norms are NaN unless
// pass.grads holds every layer.
std::vector<LayerStats> pass_statistics(const Pass& pass, std::size_t rows, const Network::Module& act,
                                        const Network::Module& out, const StatsOptions& options);
// The shared ranges of the network's last pass (Error when it has none), and of a pass's first rows.
StatsRanges stats_ranges(const Network& net);
StatsRanges pass_ranges(const Pass& pass, std::size_t rows);

}  // namespace lab::nn
