// Design note: see nn_model.hpp for the order of operations and why it is PyTorch's. This file
// checks a spec field by field (each message prefixed with its field, the registry's PyTorch
// wording kept after it), then runs the pass: Linear by Linear forward keeping what the backward
// needs (each module's f′ or Jacobian), and the reverse sweep. The registry's functions are
// resolved once, at construction, so a pass calls the kernels through plain pointers; and a pass
// is written over the buffers of the one before last (next_pass()), so a training step at the
// page's batch of 10 allocates next to nothing. predict() is the forward pass with no derivatives.
#include "nn_model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <map>
#include <string>
#include <utility>

#include "loss_common.hpp"
#include "nn_act_simd.hpp"
#include "nn_linalg.hpp"

namespace lab::nn {
namespace {

std::size_t uzs(std::int64_t v) { return static_cast<std::size_t>(v); }

// Runs f; a lab::Error it throws comes back with `field: ` in front.
template <class F>
auto with_field(const std::string& field, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const Error& e) {
        throw Error(field + ": " + e.what());
    }
}

// Vector modules work over the classes, dim 1 of the (N, C) output. PyTorch would take dim=0
// (over the batch) too, but that is not what an output module means; refused by name.
ParamMap vector_params(const FunctionSpec& f, const ParamMap& given) {
    ParamMap p = given;
    auto it = p.find("dim");
    if (it != p.end() && it->second.type == Value::Type::Number) {
        const double d = it->second.number;
        if (d != 1.0 && d != -1.0)
            throw Error(f.name + " over dim=" + (d == std::floor(d) ? std::to_string(static_cast<long long>(d)) : py_float(d)) +
                        ": an output module works over dim 1 (the classes) of the (N, C) output");
    } else if (it != p.end() && it->second.type != Value::Type::None) {
        throw Error(f.name + "(): argument 'dim' must be int or None");
    }
    // The kernels see one row at a time, a slice along dim 1.
    p["dim"] = Value::num(1.0);
    return p;
}

// A formula module (issue 11): parsed once here, its parameter values fixed, and run once on x = 0
// so that a value a catalog call inside refuses (Softplus(x, beta=a) with a = 0) is the spec's
// error now, not a step's later. A syntax error keeps its column in the message.
Network::Module resolve_formula(const ModuleSpec& m) {
    FormulaModule f = parse_formula_module(m);
    Network::Module out;
    out.formula = std::move(f.formula);
    out.values = std::move(f.values);
    const double x = 0.0;
    double y = 0.0, dy = 0.0;
    out.run(&x, 1, &y, &dy);
    return out;
}

Network::Module resolve_module(const ModuleSpec& m, bool allow_vector) {
    if (!m.formula.empty()) return resolve_formula(m);
    const FunctionSpec& f = find_function(m.name);
    if (f.kind == Kind::Loss) throw Error(f.name + " is a loss, not an activation");
    if (f.kind == Kind::Vector && !allow_vector)
        throw Error(f.name + " maps a whole vector, not each element; it can be the output module");
    if (f.name == std::string_view("PReLU"))
        throw Error("PReLU has a learnable weight, which this network does not train; use LeakyReLU for a fixed slope");
    Network::Module out;
    out.spec = &f;
    out.params = resolve(f, f.kind == Kind::Vector ? vector_params(f, m.params) : m.params);
    return out;
}

// The losses whose target may be (N,) class indices.
bool takes_class_indices(std::string_view name) {
    return name == "CrossEntropyLoss" || name == "NLLLoss" || name == "MultiMarginLoss";
}
// ... and those whose target can only be that.
bool only_class_indices(std::string_view name) { return name == "NLLLoss" || name == "MultiMarginLoss"; }

// t becomes an (n, w) tensor, its storage reused; every entry is written by the caller.
void reshape_for(Tensor& t, std::int64_t n, std::int64_t w) {
    t.shape.assign({n, w});
    t.data.resize(uzs(n) * uzs(w));
}
void reshape_for(Tensor& t, const Shape& s) {
    t.shape = s;
    t.data.resize(numel(s));
}

// One module over an (N, C) tensor: y = module(x) row by row; `deriv` gets f′ (elementwise) or the
// row Jacobians (vector: N blocks of C_out × C_in), for the backward. y and deriv keep their storage.
void apply_module(const Network::Module& m, const Tensor& x, Tensor& y, std::vector<double>& deriv) {
    const std::size_t n = uzs(x.shape[0]), c = uzs(x.shape[1]);
    reshape_for(y, x.shape[0], static_cast<std::int64_t>(m.width(c)));
    deriv.resize(n * m.deriv_width(c));
    m.forward_rows(x.data.data(), n, c, y.data.data(), deriv.data());
}

// dL/dx (into gx, its storage reused) from dL/dy through the module whose `deriv` apply_module()
// kept; x_shape is its input's.
void module_backward(const Network::Module& m, const Shape& x_shape, const Tensor& gy, const std::vector<double>& deriv,
                     Tensor& gx) {
    reshape_for(gx, x_shape);
    m.backward_rows(gy.data.data(), uzs(x_shape[0]), uzs(x_shape[1]), deriv.data(), gx.data.data());
}

// predict()'s two layer buffers, kept between calls as nn_linalg's packing panels are (the engine is
// single-threaded: one pair per thread): allocated and zero-filled afresh, the decision-boundary
// grid's two 10,000 × 8 buffers cost about 1% of a training frame (memset, malloc). No result
// depends on what they held.
std::array<Tensor, 2>& predict_buffers() {
    thread_local std::array<Tensor, 2> buffers;
    return buffers;
}

// F.linear(x, W, b) = addmm(b, x, Wᵀ) as netlib dgemm sums it: from k = 0, bias last (nn_linalg).
// y keeps its storage (nn_linalg writes every entry); y must not be x.
void linear_forward(const LinearParams& p, const Tensor& x, Tensor& y) {
    reshape_for(y, x.shape[0], p.out);
    linalg::linear_forward(x.data.data(), uzs(x.shape[0]), uzs(p.in), p.weight.data(), uzs(p.out),
                           p.has_bias ? p.bias.data() : nullptr, y.data.data());
}

}  // namespace

// ∂L/∂W = gᵀ·x and ∂L/∂b = g.sum(0) over n rows (g: n × out, x: n × in), into gp (storage reused).
void linear_param_grads(const LinearParams& p, const double* g, const double* x, std::size_t n, LinearParams& gp) {
    const std::size_t in = uzs(p.in), o = uzs(p.out);
    gp.in = p.in;
    gp.out = p.out;
    gp.has_bias = p.has_bias;
    gp.weight.resize(o * in);
    linalg::linear_grad_weight(g, x, n, in, o, gp.weight.data());
    gp.bias.resize(p.has_bias ? o : 0);
    for (std::size_t j = 0; j < gp.bias.size(); ++j) gp.bias[j] = axis_sum(g + j, n, o, j);
}

FormulaModule parse_formula_module(const ModuleSpec& m) {
    if (!m.name.empty()) throw Error("give a name or a formula, not both (got '" + m.name + "' and a formula)");
    std::optional<formula::Formula> f;
    try {
        f = formula::Formula::parse(m.formula);
    } catch (const formula::SyntaxError& e) {
        throw Error(std::string("formula: ") + e.what() + " (column " + std::to_string(e.column) + ")");
    }
    std::map<std::string, double> given;
    for (const auto& [key, v] : m.params) {
        if (v.type != Value::Type::Number) throw Error("formula parameter '" + key + "' must be a number");
        given[key] = v.number;
    }
    std::vector<double> values = f->values(given);
    return {std::move(*f), std::move(values)};
}

void Network::Module::run(const double* x, std::size_t n, double* y, double* dy) const {
    if (formula)
        formula->evaluate(values, x, n, y, dy);
    else
        simd::elementwise(*spec)(params, x, n, y, dy);  // a two-lane twin where there is one (same bits)
}

// GLU halves dim 1 (its width is checked even at construction); the other vector modules keep it.
std::size_t Network::Module::width(std::size_t cin) const {
    return !elementwise() && spec->name == std::string_view("GLU") ? cin / 2 : cin;
}
std::size_t Network::Module::deriv_width(std::size_t cin) const { return elementwise() ? cin : width(cin) * cin; }

void Network::Module::forward_rows(const double* x, std::size_t rows, std::size_t cin, double* y, double* deriv) const {
    if (formula) {
        run(x, rows * cin, y, deriv);
        return;
    }
    if (elementwise()) {  // a twin's lanes paired down the columns (nn_act_simd.hpp; the same bits)
        simd::elementwise_rows(*spec, params, x, rows, cin, y, deriv);
        return;
    }
    const std::size_t cout = width(cin);
    std::vector<double> row(cin);
    for (std::size_t i = 0; i < rows; ++i) {
        std::copy_n(x + i * cin, cin, row.begin());
        VectorResult r = spec->vector(params, row, 1);  // each row is a slice along dim 1
        std::copy_n(r.y.begin(), cout, y + i * cout);
        std::copy_n(r.jacobian.begin(), cout * cin, deriv + i * cout * cin);
    }
}

void Network::Module::backward_rows(const double* gy, std::size_t rows, std::size_t cin, const double* deriv,
                                    double* gx) const {
    if (elementwise()) {
        for (std::size_t i = 0; i < rows * cin; ++i) gx[i] = gy[i] * deriv[i];
        return;
    }
    // The Jacobian's transpose: Σ_i g_i J[i][j], rows in order.
    const std::size_t cout = width(cin);
    for (std::size_t r = 0; r < rows; ++r) {
        const double* J = deriv + r * cout * cin;
        const double* g = gy + r * cout;
        double* out = gx + r * cin;
        for (std::size_t j = 0; j < cin; ++j) {
            double s = 0.0;
            for (std::size_t i = 0; i < cout; ++i) s += g[i] * J[i * cin + j];
            out[j] = s;
        }
    }
}

// ---------------------------------------------------------------- construction
Network::Network(const NetworkSpec& spec) : spec_(spec) {
    if (spec.sizes.size() < 2)
        throw Error("sizes: needs at least two entries (the input width and the output width), got " +
                    std::to_string(spec.sizes.size()));
    for (std::size_t i = 0; i < spec.sizes.size(); ++i)
        if (spec.sizes[i] < 1)
            throw Error("sizes[" + std::to_string(i) + "]: every width must be at least 1, got " + std::to_string(spec.sizes[i]));

    resolve_modules(spec.activation, spec.output, act_, out_, out_width_);
    if (spec.loss && !spec.loss->formula.empty()) throw Error("loss: a formula can be an activation or the output module, not a loss");
    if (spec.optimizer && !spec.optimizer->formula.empty()) throw Error("optimizer: a formula can be an activation or the output module, not an optimizer");
    if (spec.loss && !spec.loss->name.empty()) {
        with_field("loss", [&] {
            const FunctionSpec& f = find_function(spec.loss->name);
            if (f.kind != Kind::Loss) throw Error(f.name + " is not a loss");
            bool fits = f.args.size() >= 2 && f.args[0].name == "input" && f.args[1].name == "target";
            for (std::size_t i = 2; i < f.args.size(); ++i) fits = fits && f.args[i].optional;
            if (!fits) {
                std::string a;
                for (const ArgSpec& s : f.args) a += (a.empty() ? "" : ", ") + s.name;
                throw Error(f.name + " takes (" + a + "), not a network's (input, target)");
            }
            loss_ = &f;
            loss_params_ = resolve(f, spec.loss->params);
            index_target_ = takes_class_indices(f.name);
            return 0;
        });
    }
    params_ = with_field("init", [&] { return init_linears(spec.sizes, spec.bias, spec.seed, init_as_drawn(spec.init)); });
    if (spec.optimizer && !spec.optimizer->name.empty()) {
        std::vector<std::size_t> sizes;
        for (const LinearParams& p : params_) {
            sizes.push_back(p.weight.size());
            if (p.has_bias) sizes.push_back(p.bias.size());
        }
        optimizer_ = with_field("optimizer", [&] { return std::make_unique<Optimizer>(spec.optimizer->name, spec.optimizer->params, sizes); });
    }
}

std::optional<InitSpec> Network::init_as_drawn(const std::optional<InitSpec>& init) const {
    std::optional<InitSpec> drawn = init;
    if (drawn && drawn->weight == "siren" && !drawn->params.count("w0") && act_.spec && act_.spec->name == std::string_view("Sine"))
        drawn->params["w0"] = Value::num(act_.params.num("w0"));
    return drawn;
}

void Network::resolve_modules(const ModuleSpec& activation, const std::optional<ModuleSpec>& output, Module& act,
                              Module& out, std::int64_t& out_width) const {
    act = with_field("activation", [&] { return resolve_module(activation, false); });
    out = Module{};
    out_width = spec_.sizes.back();
    if (output && (!output->name.empty() || !output->formula.empty())) {
        out = with_field("output", [&] { return resolve_module(*output, true); });
        if (out.spec && out.spec->name == std::string_view("GLU")) {
            if (out_width % 2 != 0)
                throw Error("output: Halving dimension must be even, but dimension 1 is size " + std::to_string(out_width));
            out_width /= 2;
        }
    }
}

void Network::set_modules(const ModuleSpec& activation, const std::optional<ModuleSpec>& output) {
    Module act, out;
    std::int64_t width = 0;
    resolve_modules(activation, output, act, out, width);
    act_ = std::move(act);
    out_ = std::move(out);
    out_width_ = width;
    spec_.activation = activation;
    spec_.output = output;
    // The last pass was computed by the old modules: it is dropped, but its buffers become the
    // spare when there is none (next_pass()), so the depth view's next pass after an activation
    // change (~105 MB at 50 × 256 × 256) is not allocated and zero-filled again.
    if (!spare_) spare_ = std::move(pass_);
    pass_.reset();
    clock_.tick();
}

void Network::reinitialize(std::uint64_t seed, const std::optional<InitSpec>& init) {
    std::vector<LinearParams> params =
        with_field("init", [&] { return init_linears(spec_.sizes, spec_.bias, seed, init_as_drawn(init)); });
    params_ = std::move(params);
    spec_.seed = seed;
    spec_.init = init;
    if (optimizer_) optimizer_->reset();
    // As in set_modules: the last pass was the old parameters'; its buffers become the spare.
    if (!spare_) spare_ = std::move(pass_);
    pass_.reset();
    clock_.tick();
}

Network::~Network() = default;
Network::Network(Network&&) noexcept = default;
Network& Network::operator=(Network&&) noexcept = default;

void Network::set_parameters(const std::vector<LinearParams>& values) {
    if (values.size() != params_.size())
        throw Error("parameters: expected " + std::to_string(params_.size()) + " layers, got " + std::to_string(values.size()));
    for (std::size_t l = 0; l < values.size(); ++l) {
        const LinearParams& p = params_[l];
        const LinearParams& v = values[l];
        const std::string at = "parameters[" + std::to_string(l) + "]";
        if (v.weight.size() != p.weight.size() || (v.in && v.in != p.in) || (v.out && v.out != p.out))
            throw Error(at + ".weight: expected " + std::to_string(p.out) + " × " + std::to_string(p.in) +
                        " (out × in), got " + std::to_string(v.weight.size()) + " values");
        if (v.bias.size() != p.bias.size())
            throw Error(at + ".bias: expected " + std::to_string(p.bias.size()) + " values" +
                        (p.has_bias ? "" : " (the network has bias=False)") + ", got " + std::to_string(v.bias.size()));
    }
    for (std::size_t l = 0; l < values.size(); ++l) {
        params_[l].weight = values[l].weight;
        params_[l].bias = values[l].bias;
    }
    clock_.tick();
}

std::int64_t Network::steps() const { return optimizer_ ? optimizer_->steps() : 0; }

void Network::reset_optimizer() {
    if (optimizer_) optimizer_->reset();
}

// ---------------------------------------------------------------- the pass
void Network::check_input(const Tensor& input) const {
    if (input.dim() != 2 || input.shape[0] < 1)
        throw Error("input: expected a 2-D tensor (N, " + std::to_string(spec_.sizes[0]) + ") with N ≥ 1, got shape " +
                    shape_str(input.shape));
    if (input.shape[1] != spec_.sizes[0])
        throw Error("input: mat1 and mat2 shapes cannot be multiplied (" + std::to_string(input.shape[0]) + "x" +
                    std::to_string(input.shape[1]) + " and " + std::to_string(spec_.sizes[0]) + "x" +
                    std::to_string(spec_.sizes[1]) + ")");
}

void Network::run_forward(const Tensor& input, Pass& pass) const {
    check_input(input);
    // Every field is overwritten in place: a reused Pass keeps its buffers (see next_pass()).
    pass.input = input;
    pass.values.resize(params_.size());
    pass.dpost.resize(params_.size());  // a layer without a module leaves its entry empty
    pass.has_grads = false;
    const Tensor* x = &input;
    for (std::size_t l = 0; l < params_.size(); ++l) {
        LayerValues& v = pass.values[l];
        linear_forward(params_[l], *x, v.pre);
        const Module& m = l + 1 < params_.size() ? act_ : out_;
        if (m.present())
            apply_module(m, v.pre, v.post, pass.dpost[l]);
        else
            v.post = v.pre;
        x = &v.post;
    }
}

void Network::check_target(const Tensor& input, const Tensor& target) const {
    const Shape out{input.shape[0], out_width_};
    const bool same = target.shape == out;
    const bool indices = target.shape == Shape{input.shape[0]};
    if (only_class_indices(loss_->name) ? indices : (same || (index_target_ && indices))) return;
    std::string want = only_class_indices(loss_->name) ? "" : shape_str(out) + " (the network's output)";
    if (index_target_) want += (want.empty() ? "" : " or ") + shape_str(Shape{input.shape[0]}) + " (class indices)";
    throw Error("target: " + loss_->name + " expects a target of shape " + want + ", got " + shape_str(target.shape));
}

LossResult Network::loss_on(Tensor& output, const Tensor& target) const {
    if (loss_args_.empty()) loss_args_ = ArgMap{{"input", Tensor()}, {"target", Tensor()}};
    Tensor& arg_input = loss_args_.find("input")->second;
    arg_input = std::move(output);
    loss_args_.find("target")->second = target;
    struct Restore {  // moves the output back even when the loss throws
        Tensor& from;
        Tensor& to;
        ~Restore() { to = std::move(from); }
    };
    const Restore restore{arg_input, output};
    return with_field("loss", [&] { return loss_->loss(loss_params_, loss_args_); });
}

void Network::run_backward(const Tensor& input, const Tensor& target, Pass& pass, GradientResult& out, bool weights) const {
    if (!loss_) throw Error("loss: the network was made without a loss; gradients() and step() need one");
    // The input first (its message is the more basic one), then the target against the output.
    run_forward(input, pass);
    check_target(input, target);
    LossResult lr = loss_on(pass.values.back().post, target);
    if (lr.loss.numel() != 1)
        throw Error("loss: grad can be implicitly created only for scalar outputs (reduction='none' gives no single loss to train on)");
    out.loss = lr.loss.data[0];
    out.warnings = std::move(lr.warnings);
    const auto grad_it = lr.grad.find("input");
    if (grad_it == lr.grad.end()) throw Error("loss: " + loss_->name + " gave no gradient for its input");
    const Tensor& g_out = grad_it->second;

    const std::size_t L = params_.size();
    pass.grad_pre.resize(L);
    pass.grads.resize(weights ? L : 0);
    if (out_.present())
        module_backward(out_, pass.values[L - 1].pre.shape, g_out, pass.dpost[L - 1], pass.grad_pre[L - 1]);
    else
        pass.grad_pre[L - 1] = g_out;
    for (std::size_t l = L; l-- > 0;) {
        const LinearParams& p = params_[l];
        const Tensor& g = pass.grad_pre[l];
        const Tensor& x = l ? pass.values[l - 1].post : pass.input;
        const std::size_t n = uzs(x.shape[0]), in = uzs(p.in), o = uzs(p.out);
        // grad_W[j,k] = Σ_r g[r,j]·x[r,k] and grad_x[r,k] = Σ_j g[r,j]·W[j,k], each summed from 0 in
        // index order (nn_linalg).
        if (weights) linear_param_grads(p, g.data.data(), x.data.data(), n, pass.grads[l]);
        if (l > 0) {
            reshape_for(grad_x_, x.shape);
            linalg::linear_grad_input(g.data.data(), p.weight.data(), n, in, o, grad_x_.data.data());
            module_backward(act_, x.shape, grad_x_, pass.dpost[l - 1], pass.grad_pre[l - 1]);
        }
    }
    pass.has_grads = true;
    pass.loss = out.loss;
    // (out.grads is left to gradients(): step() needs no copy of them.)
}

Tensor Network::predict(const Tensor& input) const {
    check_input(input);
    // Two buffers in turn; an elementwise module works in place and writes values only (dy = nullptr).
    // They are kept from call to call (predict_buffers()); only the output is copied out.
    Tensor& y = predict_buffers()[0];
    Tensor& next = predict_buffers()[1];
    for (std::size_t l = 0; l < params_.size(); ++l) {
        linear_forward(params_[l], l ? y : input, next);
        std::swap(y, next);
        const Module& m = l + 1 < params_.size() ? act_ : out_;
        if (m.formula) {  // (a formula is not run in place: y and x apart)
            reshape_for(next, y.shape);
            m.run(y.data.data(), y.numel(), next.data.data(), nullptr);
            std::swap(y, next);
        } else if (m.spec && m.spec->kind == Kind::Elementwise) {
            simd::elementwise_rows(*m.spec, m.params, y.data.data(), uzs(y.shape[0]), uzs(y.shape[1]), y.data.data(), nullptr);
        } else if (m.spec) {
            std::vector<double> jacobians;  // a vector module's rows come with their Jacobians anyway
            apply_module(m, y, next, jacobians);
            std::swap(y, next);
        }
    }
    return y;
}

// A pass is written into the spare Pass and becomes the last pass only once the call has
// succeeded, so a call that throws leaves the last pass as it was. The one it replaces becomes
// the next spare, its buffers reused: at the page's batch of 10 on a small net the allocations
// of a fresh Pass cost as much as the arithmetic. A large pass is kept twice too: the depth
// view's (50 layers of 256 × 256, ~105 MB) would otherwise be allocated and zero-filled anew on
// every redraw, a cost its first block of examples (BlockPass) cannot hide; and the peak — two
// passes while a call runs — is the same either way (in WebAssembly the heap never shrinks).
Pass& Network::next_pass() {
    if (!spare_) spare_ = std::make_unique<Pass>();
    return *spare_;
}

void Network::keep_pass() { std::swap(pass_, spare_); }

ForwardResult Network::forward(const Tensor& input) {
    clock_.tick();
    Pass& pass = next_pass();
    run_forward(input, pass);
    pass.grad_pre.clear();  // a forward-only pass has no gradients (has_grads is false)
    pass.grads.clear();
    ForwardResult r;
    r.layers = pass.values;
    r.output = r.layers.back().post;
    keep_pass();
    return r;
}

GradientResult Network::gradients(const Tensor& input, const Tensor& target, bool weights) {
    clock_.tick();
    Pass& pass = next_pass();
    GradientResult r;
    run_backward(input, target, pass, r, weights);
    r.grads = pass.grads;
    keep_pass();
    return r;
}

// A module whose PyTorch code has no grad_fn: BinaryStep's `(x >= 0).double()`, a comparison cast
// to a float tensor. Autograd does not reach past it, so every Linear before it ends backward()
// with .grad None, and torch.optim skips such a parameter altogether (no weight decay, no momentum,
// no AdamW decay): the engine's zero gradient there must not be stepped with.
// A formula is such a module when no path of its program carries a gradient from x to y
// (`x >= 0`, `BinaryStep(x)`, `where(x > 0, 1, 2)`: Formula::differentiable()).
static bool cuts_graph(const Network::Module& m) {
    return m.spec ? m.spec->autograd == Autograd::NoGradFn : (m.formula && !m.formula->differentiable());
}

double Network::step(const Tensor& input, const Tensor& target) {
    if (!optimizer_) throw Error("optimizer: the network was made without an optimizer; step() needs one");
    const std::size_t L = params_.size();
    if (cuts_graph(out_))  // nothing before the loss requires grad: PyTorch's loss.backward() refuses
        throw Error("output: element 0 of tensors does not require grad and does not have a grad_fn (" +
                    (out_.spec ? out_.spec->name + "'s PyTorch code " + out_.spec->torch
                               : "the formula '" + out_.formula->text() + "'") +
                    " is not differentiable)");
    const std::size_t cut = cuts_graph(act_) ? L - 1 : 0;  // Linears 0 .. cut-1 get .grad None
    clock_.tick();
    Pass& pass = next_pass();
    GradientResult r;
    run_backward(input, target, pass, r, true);
    step_params_.clear();
    step_grads_.clear();
    for (std::size_t l = 0; l < L; ++l) {
        const auto none = std::span<const double>();  // .grad None: Optimizer::step skips it
        step_params_.emplace_back(params_[l].weight);
        step_grads_.emplace_back(l < cut ? none : std::span<const double>(pass.grads[l].weight));
        if (params_[l].has_bias) {
            step_params_.emplace_back(params_[l].bias);
            step_grads_.emplace_back(l < cut ? none : std::span<const double>(pass.grads[l].bias));
        }
    }
    optimizer_->step(step_params_, step_grads_);
    keep_pass();
    return r.loss;
}

}  // namespace lab::nn
