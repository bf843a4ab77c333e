// Design note: issue 9's network — nn.Sequential(Linear, act, …, Linear[, output]) in float64 — as
// a thin driver over the registry. It holds no activation or loss math: every module is a resolved
// registry function (an elementwise kernel gives f and f′ in one pass, a vector kernel gives y and
// its Jacobian, a loss gives its value and d loss / d input), and the network only does what
// nn.Linear and autograd add around them, in the order PyTorch's CPU build does it:
//   * forward: F.linear on a 2-D input is addmm(bias, x, Wᵀ), which Debian's torch hands to the
//     reference BLAS (netlib dgemm): each output is Σ_k x[n,k]·W[j,k] summed from k = 0, and the bias
//     is added last (checked against torch: every entry bit for bit; bias-first differs in ~half);
//   * backward: grad_W = gradᵀ·x and grad_x = grad·W, each a plain sum from index 0 (bit for bit
//     in the same check); grad_b = grad.sum(0), torch.sum's order over the batch (loss_common's
//     axis_sum); an elementwise module multiplies the incoming gradient by its f′; a vector module
//     applies its Jacobian's transpose (Σ_i g_i J[i][j], rows in order);
//   * step: zero_grad, forward, loss, backward, optimizer.step() over model.parameters()' order
//     (W0, b0, W1, b1, …) with nn_optim's Optimizer.
// A spec is checked once, at construction, and every mistake is a lab::Error whose message starts
// with the field it is about ("activation: unknown function 'Relu'; did you mean 'ReLU'?"); a
// later call with a bad input or target throws the same way and leaves the network as it was.
// The statistics a teacher reads (nn_stats.hpp) are computed from the last pass this object ran.
// The depth view asks for less than a training step (issue 10): gradients(…, weights = false)
// skips ∂L/∂W and ∂L/∂b (a third of the products), set_modules() swaps the activation and output
// modules without new random draws, and a BlockPass (nn_pass.hpp) computes a gradients() pass a
// few examples at a time — exact, since with reduction='sum' each example's forward and backward
// depend on that example alone.
// An activation (or elementwise output) may also be a student's formula (issue 11): its parsed
// program gives f and f′ in one pass like a kernel, so the network treats it as one.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "formula.hpp"
#include "nn_init.hpp"
#include "nn_optim.hpp"
#include "registry.hpp"

namespace lab::nn {

// A registry function or an optimiser by name, with keyword arguments as PyTorch takes them; or,
// for an activation or output module, a formula (issue 11, core/formula.hpp: `name` then empty,
// `params` its parameters' values by name, numbers only).
struct ModuleSpec {
    ModuleSpec() = default;
    ModuleSpec(std::string name, ParamMap params = {}, std::string formula = {})  // NOLINT: {"Tanh", {}} reads well
        : name(std::move(name)), params(std::move(params)), formula(std::move(formula)) {}
    static ModuleSpec of_formula(std::string text, ParamMap params = {}) { return {"", std::move(params), std::move(text)}; }
    std::string name;
    ParamMap params;
    std::string formula;
};

// issue 9's network({sizes, activation, output, bias, seed, init, loss, optimizer}).
struct NetworkSpec {
    std::vector<std::int64_t> sizes;          // [in, hidden…, out], at least two, each ≥ 1
    ModuleSpec activation{"Tanh", {}, {}};    // after every hidden Linear: any elementwise activation, or a formula
    std::optional<ModuleSpec> output;         // after the last Linear: elementwise, or Softmax / Softmin /
                                              // LogSoftmax / GLU over dim 1
    bool bias = true;
    std::uint64_t seed = 0;                   // torch.manual_seed(seed) right before the Linears are built
    std::optional<InitSpec> init;             // siren takes w0 from a Sine activation when not given
    std::optional<ModuleSpec> loss;           // a catalog loss taking (input, target); needed by gradients()
    std::optional<ModuleSpec> optimizer;      // SGD, Adam, AdamW, RMSprop; needed by step()
};

// One Linear's output (pre) and the next module's output (post; = pre when there is none).
struct LayerValues {
    Tensor pre, post;
};
struct ForwardResult {
    Tensor output;                    // = layers.back().post
    std::vector<LayerValues> layers;  // one per Linear
};
struct GradientResult {
    double loss = 0.0;
    std::vector<LinearParams> grads;  // same form as parameters(): dL/dW (out × in), dL/db
    std::vector<std::string> warnings;  // the loss's PyTorch UserWarnings, if any
};

// What Network keeps of its last pass, for the statistics.
struct Pass {
    Tensor input;                      // (N, in)
    std::vector<LayerValues> values;   // pre/post per Linear
    std::vector<std::vector<double>> dpost;  // f′(pre) per layer (elementwise modules; empty otherwise)
    bool has_grads = false;
    std::vector<Tensor> grad_pre;      // dL/d pre per layer (after a backward)
    std::vector<LinearParams> grads;   // dL/dW, dL/db; empty after a backward without weights
    double loss = 0.0;
};


// A formula module (ModuleSpec::formula) parsed, with its parameters' values in the formula's
// order: what Network runs, and what MeanField takes. Errors without a field in front:
// "formula: missing ')' opened at column 4 (column 9)", "unknown parameter 'b' (…)",
// "formula parameter 'a' must be a number".
struct FormulaModule {
    formula::Formula formula;
    std::vector<double> values;
};
FormulaModule parse_formula_module(const ModuleSpec& m);

// Internal, shared with nn_pass.cpp: ∂L/∂W = gᵀ·x and ∂L/∂b = g.sum(0) (torch.sum's order) over n
// rows (g: n × p.out, x: n × p.in), into gp, its storage reused.
void linear_param_grads(const LinearParams& p, const double* g, const double* x, std::size_t n, LinearParams& gp);

class Network {
public:
    explicit Network(const NetworkSpec& spec);
    ~Network();
    Network(Network&&) noexcept;
    Network& operator=(Network&&) noexcept;

    const NetworkSpec& spec() const { return spec_; }
    const std::vector<std::int64_t>& sizes() const { return spec_.sizes; }
    std::size_t layers() const { return params_.size(); }
    std::int64_t output_width() const { return out_width_; }

    const std::vector<LinearParams>& parameters() const { return params_; }
    // Copies new values in (as `with torch.no_grad(): p.copy_(v)`): the optimiser keeps its state.
    // Shapes must be those of parameters() (Error "parameters[1].weight: …" otherwise).
    void set_parameters(const std::vector<LinearParams>& values);

    // input (N, in), N ≥ 1.
    ForwardResult forward(const Tensor& input);
    // The output of forward(input), bit for bit, computing nothing else: no module derivatives, no
    // per-layer values kept, and the last pass (what the statistics read) left as it was.
    Tensor predict(const Tensor& input) const;
    // Forward, loss, backward; no update. Needs a loss. The target's shape must fit: the output's
    // shape, or (N,) class indices for CrossEntropyLoss, NLLLoss and MultiMarginLoss.
    // weights = false: no ∂L/∂W, ∂L/∂b (grads empty; the statistics' norms are then NaN).
    GradientResult gradients(const Tensor& input, const Tensor& target, bool weights = true);
    // zero_grad, forward, loss, backward, optimizer.step(); returns the loss before the update.
    double step(const Tensor& input, const Tensor& target);
    std::int64_t steps() const;  // optimizer.step() calls so far
    // A new optimiser instance over the same parameters (its state forgotten).
    void reset_optimizer();
    // Replaces the activation and the output module (nullopt: none), as assigning new modules to
    // an nn.Sequential's slots would: the parameters and the optimiser's state stay; the last pass
    // is dropped (its values were the old modules'). Checked as the constructor checks them, with
    // its messages; on an error nothing changes. A siren init's ω₀ was used at construction only.
    void set_modules(const ModuleSpec& activation, const std::optional<ModuleSpec>& output);
    // Draws the parameters again, exactly as Network(spec() with this seed and init) would draw
    // them (init_linears, so nn_init's memo serves a scale-only change; a siren init without w0
    // takes ω₀ from the current Sine activation, as the constructor does) — PyTorch's idiom of
    // torch.manual_seed(seed) and re-running the init over an existing model. What carries over:
    // the sizes, bias flag, modules, loss and the optimiser's settings. What does not: the
    // parameters, the optimiser's state and step count (as a fresh network's: reset), the last
    // pass (dropped, its buffers kept as the spare, so the next pass allocates nothing), and any
    // BlockPass (stale). Errors are the constructor's ("init: …"); on an error nothing changes.
    void reinitialize(std::uint64_t seed, const std::optional<InitSpec>& init);

    const Pass* last_pass() const { return pass_.get(); }

    // Internal, shared with nn_stats.cpp: the resolved modules. A formula module has no spec: it
    // is its parsed Formula and the parameter values, run where an elementwise kernel runs.
    struct Module {
        const FunctionSpec* spec = nullptr;  // nullptr (and no formula): no module
        Params params;
        std::optional<formula::Formula> formula;
        std::vector<double> values;          // the formula's parameters, in its parameters()' order
        bool present() const { return spec || formula; }
        bool elementwise() const { return formula || (spec && spec->kind == Kind::Elementwise); }
        // y = f(x), dy = f′(x) (dy may be nullptr: values only); elementwise modules only.
        void run(const double* x, std::size_t n, double* y, double* dy) const;
        // Over `rows` rows of width cin (row-major), a present module: y (rows × width(cin)) and
        // what the backward needs, deriv (rows × deriv_width(cin)): f′, or each row's Jacobian.
        std::size_t width(std::size_t cin) const;
        std::size_t deriv_width(std::size_t cin) const;
        void forward_rows(const double* x, std::size_t rows, std::size_t cin, double* y, double* deriv) const;
        // gx (rows × cin) = dL/dx from gy (rows × width(cin)) and forward_rows()' deriv.
        void backward_rows(const double* gy, std::size_t rows, std::size_t cin, const double* deriv, double* gx) const;
    };
    const Module& activation_module() const { return act_; }
    const Module& output_module() const { return out_; }

    // How many passes, module or parameter changes (and moves) this object has seen: a BlockPass
    // made at one count refuses to run at another. Shared, so one that outlives the network knows.
    struct Clock {
        std::shared_ptr<std::uint64_t> count = std::make_shared<std::uint64_t>(0);
        Clock() = default;
        Clock(Clock&& o) noexcept : count(std::make_shared<std::uint64_t>(0)) { ++*o.count; }
        Clock& operator=(Clock&& o) noexcept {
            ++*count;
            ++*o.count;
            return *this;
        }
        void tick() const { ++*count; }
    };

private:
    friend class BlockPass;
    void check_input(const Tensor& input) const;
    void run_forward(const Tensor& input, Pass& pass) const;
    void run_backward(const Tensor& input, const Tensor& target, Pass& pass, GradientResult& out, bool weights) const;
    void check_target(const Tensor& input, const Tensor& target) const;
    // The loss on `output` where it lies (moved into loss_args_ and back, no copy, also when the
    // loss throws; its errors say "loss: …"): run_backward's, and a BlockPass's at its last rows.
    LossResult loss_on(Tensor& output, const Tensor& target) const;
    // The init as drawn: a siren init without w0 gets the Sine activation's ω₀.
    std::optional<InitSpec> init_as_drawn(const std::optional<InitSpec>& init) const;
    void resolve_modules(const ModuleSpec& activation, const std::optional<ModuleSpec>& output, Module& act, Module& out,
                         std::int64_t& out_width) const;

    NetworkSpec spec_;
    Module act_, out_;
    const FunctionSpec* loss_ = nullptr;
    Params loss_params_;
    bool index_target_ = false;  // the loss also takes (N,) class indices
    std::int64_t out_width_ = 0;
    std::vector<LinearParams> params_;
    std::unique_ptr<Optimizer> optimizer_;
    std::unique_ptr<Pass> pass_;
    // Storage reused from call to call (nn_model.cpp, next_pass()): no result depends on it.
    Pass& next_pass();
    void keep_pass();
    std::unique_ptr<Pass> spare_;             // the pass before the last, its buffers reused
    mutable ArgMap loss_args_;                // the loss's {input, target}, nodes kept
    mutable Tensor grad_x_;                   // dL/dx of a Linear, before its module's backward
    std::vector<std::span<double>> step_params_;
    std::vector<std::span<const double>> step_grads_;
    Clock clock_;
};

}  // namespace lab::nn
