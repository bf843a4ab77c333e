// Design note: torch.optim 1.13's SGD, Adam, AdamW and RMSprop on the single-tensor path (the
// default on the CPU: foreach=None means False in 1.13), one parameter tensor after another, so that
// a training run of tens of steps stays within 1e-9 of PyTorch (in practice: bit for bit). Two
// things decide the last bits and are reproduced on purpose:
//   * the order of the tensor ops is the Python source's (`exp_avg.mul_(beta1).add_(grad, alpha=1 -
//     beta1)` is two roundings, not one lerp), and the scalar factors are computed in Python floats
//     (`1 - beta1`, `lr / bias_correction1`, `beta2 ** step` as pow());
//   * ATen's kernels fuse where its AVX2 build does: add/sub with alpha is fma(alpha, other, self)
//     (the ufunc's vec::fmadd and its contracted scalar twin), addcmul is fma(value * t1, t2, self);
//     addcdiv is self + value * t1 / t2 with no fusion (a division sits in between); mul, sqrt and
//     maximum are single roundings.
// Parameters are flat float64 buffers (a weight's out × in row-major, a bias); each buffer has its
// own state, created lazily as torch.optim does (SGD's momentum buffer is a copy of the first
// step's direction, not zeros). Hyper-parameters come as torch.optim's keywords with its defaults,
// and are refused in its words ("Invalid learning rate: -1.0", "SGD.__init__() got an unexpected
// keyword argument 'betas'"). `betas` is a 2-element tensor (a JS/JSON array). The keywords that pick
// another implementation (foreach, differentiable, capturable, fused) are accepted as None/False only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "registry.hpp"

namespace lab::nn {

enum class OptimizerKind { SGD, Adam, AdamW, RMSprop };

// Every keyword with torch.optim's default filled in (only the fields of `kind` matter).
struct OptimizerOptions {
    OptimizerKind kind = OptimizerKind::SGD;
    std::string name;            // "SGD", "Adam", "AdamW", "RMSprop"
    double lr = 0.0;             // SGD: required; Adam/AdamW 1e-3; RMSprop 1e-2
    double momentum = 0.0;       // SGD, RMSprop
    double dampening = 0.0;      // SGD
    double weight_decay = 0.0;   // AdamW: 1e-2
    bool nesterov = false;       // SGD
    double beta1 = 0.9, beta2 = 0.999;  // Adam, AdamW
    double eps = 1e-8;           // Adam, AdamW, RMSprop
    bool amsgrad = false;        // Adam, AdamW
    double alpha = 0.99;         // RMSprop
    bool centered = false;       // RMSprop
    bool maximize = false;       // all four
};

// The optimiser names, in this order: SGD, Adam, AdamW, RMSprop.
const std::vector<std::string>& optimizer_names();
// Checks the keywords as the torch.optim constructor does (same order, same messages) and fills in defaults.
OptimizerOptions resolve_optimizer(std::string_view name, const ParamMap& params);

class Optimizer {
public:
    // One parameter group over buffers of these sizes (torch.optim's `params`, in order).
    Optimizer(std::string_view name, const ParamMap& params, std::vector<std::size_t> sizes);
    explicit Optimizer(OptimizerOptions options, std::vector<std::size_t> sizes);

    const OptimizerOptions& options() const { return options_; }
    const std::vector<std::size_t>& sizes() const { return sizes_; }
    std::int64_t steps() const { return steps_; }  // optimizer.step() calls so far

    // optimizer.step() with p.grad = grads[i]: updates params[i] in place. Sizes must be those
    // given at construction (lab::Error otherwise, before anything changes). A default-constructed
    // span (data() == nullptr) is p.grad None: that parameter and its state are left alone.
    void step(std::span<const std::span<double>> params, std::span<const std::span<const double>> grads);
    void step(std::vector<std::vector<double>>& params, const std::vector<std::vector<double>>& grads);

    // Forget all state (a new torch.optim instance over the same parameters).
    void reset();

private:
    struct State {
        std::int64_t step = 0;
        std::vector<double> momentum_buffer;  // SGD (empty = None), RMSprop (momentum > 0)
        std::vector<double> exp_avg, exp_avg_sq, max_exp_avg_sq;  // Adam, AdamW
        std::vector<double> square_avg, grad_avg;                 // RMSprop
    };
    void sgd(std::span<double> p, std::span<const double> g, State& s);
    void adam(std::span<double> p, std::span<const double> g, State& s) const;  // and AdamW
    void rmsprop(std::span<double> p, std::span<const double> g, State& s) const;

    OptimizerOptions options_;
    std::vector<std::size_t> sizes_;
    std::vector<State> state_;
    std::int64_t steps_ = 0;
    std::vector<double> scratch_;  // d_p / grad after maximize and weight decay
};

}  // namespace lab::nn
