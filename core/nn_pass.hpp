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
    Progress progress() const;
    // The statistics (nn_stats.hpp) of gradients() run on the first `done` examples, bit for bit.
    // Error before the first advance (no examples yet).
    // With options.layers, ∂L/∂W is summed for those layers only (each layer's kept for its rows).
    std::vector<LayerStats> statistics(const StatsOptions& options = {});
    // The shared ranges of those statistics (nn_stats.hpp stats_ranges), for calls by layers.
    StatsRanges ranges();

private:
    void check_current() const;

    Network* net_;
    std::weak_ptr<std::uint64_t> clock_;
    std::uint64_t at_ = 0;
    Pass* pass_;                 // the network's spare pass until the end, then its last pass
    Tensor target_;
    bool weights_;
    std::int64_t done_ = 0, total_ = 0;
    std::size_t target_width_ = 0;
    std::vector<std::int64_t> grads_rows_;  // per layer, the rows pass_->grads[l] sums (-1: none)
    Progress finished_;
    // per block, storage reused
    ArgMap loss_args_;
    Tensor grad_x_;
};

}  // namespace lab::nn
