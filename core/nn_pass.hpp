// Design note: a gradients() pass computed a block of examples at a time, for the depth view
// (issue 10): at 50 × 256 × 256 a whole pass takes a noticeable fraction of a second, but the first
// 16–32 examples through every layer take a few tens of milliseconds, and they are already exact
// values of the final result — so the page can draw them at once and refine block by block.
// Why it is exact: every Linear, module and product treats the rows of the batch independently
// (each output entry is one sum over its own row, nn_linalg.hpp), and with reduction='sum' the
// loss's gradient for a row depends on that row alone (d Σ / d row = the row's own derivative).
// So a block computed alone gives the very bits the whole batch gives, whatever the block sizes.
// What is NOT row by row is left to the end: the loss is torch's sum over the whole output,
// computed once when the last row is done (a sum of block losses would add in another order), and
// ∂L/∂W, ∂L/∂b (sums over the rows) are computed over the rows done when they are asked for.
// Any other reduction couples the rows (mean divides by N; batchmean too) and is refused.
//
// The pass writes into the network's own pass storage, and when its last row is done it becomes
// the network's last pass, as if gradients() had run: net.statistics() then reads it too. So it
// is valid only while the network runs nothing else: another forward/gradients/step/pass,
// set_parameters or set_modules (Network::Clock counts them), or the network's end, makes every
// later call an Error saying so. advance() past the end does nothing and says where it stands.
//
// Two threads on one batch (the page's Web Worker): a pass fills from both ends — a prefix
// [0, done) by advance(rows), a suffix [top, total) by advance(rows, from_end) — and the rows a
// pass of the same network computed elsewhere come in through rows()/set_rows(), a copy of exactly
// what the statistics, the loss and ∂L/∂W read (pre, post, ∂L/∂pre and f′ per layer). Rows are
// independent, so an imported row is the row this pass would have computed, bit for bit; when the
// prefix meets the suffix the pass ends as it always did (the loss over the whole output once).
// The statistics of a pass under way stay those of the prefix: the suffix is not "the first rows".
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nn_model.hpp"
#include "nn_stats.hpp"

namespace lab::nn {

class BlockPass {
public:
    struct Progress {
        std::int64_t done = 0, total = 0;
        std::int64_t top = 0;                // the suffix [top, total) done too (total: none)
        std::optional<double> loss;          // once done == total: the whole batch's loss
        std::vector<std::string> warnings;   // with the loss: its PyTorch UserWarnings, if any
    };

    // Checks everything gradients(input, target) checks (the input, the target's shape, the
    // target's values against the loss), and that the loss has reduction='sum'. Nothing is
    // computed yet (done = 0). weights = false: no ∂L/∂W, ∂L/∂b (norms NaN).
    BlockPass(Network& net, const Tensor& input, const Tensor& target, bool weights = true);

    // The next min(rows, total − done) examples: forward through every layer, the loss's gradient
    // for them, backward. rows ≥ 1 (Error "rows: …"); after the end: nothing, the same Progress.
    Progress advance(std::int64_t rows);
    // from_end: the rows [max(top − rows, done), top) instead (the suffix grows down).
    Progress advance(std::int64_t rows, bool from_end);
    // The values per row that rows() exports: Σ over layers of pre + post + ∂L/∂pre + f′ widths.
    std::size_t values_per_row() const;
    // Rows [from, to) (all done: in the prefix or the suffix) as one flat array, layer by layer,
    // each layer's pre, post, ∂L/∂pre and f′ blocks for those rows in turn.
    std::vector<double> rows(std::int64_t from, std::int64_t to) const;
    // Imports rows from rows() of a pass of the same network, input and target: n values are
    // n / values_per_row() rows starting at `from`; they must reach the suffix (from + rows ≥ top)
    // and stay in the batch. Rows already done are skipped. Errors "from: …", "rows: …".
    Progress set_rows(std::int64_t from, const double* data, std::size_t n);
    Progress progress() const;
    // The statistics (nn_stats.hpp) of gradients() run on the first `done` examples, bit for bit.
    // Error before the first advance (no examples yet).
    // With options.layers, ∂L/∂W is summed for those layers only (each layer's kept for its rows).
    std::vector<LayerStats> statistics(const StatsOptions& options = {});
    // The shared ranges of those statistics (nn_stats.hpp stats_ranges), for calls by layers.
    StatsRanges ranges();

private:
    void check_current() const;
    void compute(std::int64_t a, std::int64_t k);  // rows [a, a + k): forward, loss gradient, backward
    Progress settle();                             // ends the pass when prefix and suffix meet
    template <class F> void each_block(F&& f) const;  // f(layer's storage pointer, values per row) in rows()' order

    Network* net_;
    std::weak_ptr<std::uint64_t> clock_;
    std::uint64_t at_ = 0;
    Pass* pass_;                 // the network's spare pass until the end, then its last pass
    Tensor target_;
    bool weights_;
    std::int64_t done_ = 0, total_ = 0, top_ = 0;
    std::size_t target_width_ = 0;
    std::vector<std::int64_t> grads_rows_;  // per layer, the rows pass_->grads[l] sums (-1: none)
    Progress finished_;
    // per block, storage reused
    ArgMap loss_args_;
    Tensor grad_x_;
};

}  // namespace lab::nn
