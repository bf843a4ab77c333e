// Design note: each update loop is the Python single-tensor function's body written per element,
// tensor op by tensor op; a comment gives the Python line each statement stands for. Ops that run
// over the whole tensor before the next begins (mul_ then add_) are still one element at a time
// here: the ops are elementwise, so interleaving them changes nothing but memory traffic.
#include "nn_optim.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "scalar.hpp"

namespace lab::nn {

namespace {

std::string py_value(const Value& v) {
    switch (v.type) {
        case Value::Type::None: return "None";
        case Value::Type::Number: return py_float(v.number);
        case Value::Type::Bool: return v.boolean ? "True" : "False";
        case Value::Type::String: return "'" + v.string + "'";
        case Value::Type::Tensor: return "tensor of shape " + sizes_str(v.tensor.shape);
    }
    return "?";
}

struct Reader {
    const std::string& name;
    const ParamMap& given;
    double number(const char* key, double fallback) const {
        auto it = given.find(key);
        if (it == given.end()) return fallback;
        if (it->second.type != Value::Type::Number)
            throw Error(name + ": " + key + " must be a number, got " + py_value(it->second));
        return it->second.number;
    }
    bool flag(const char* key, bool fallback) const {
        auto it = given.find(key);
        if (it == given.end()) return fallback;
        if (it->second.type != Value::Type::Bool)
            throw Error(name + ": " + key + " must be True or False, got " + py_value(it->second));
        return it->second.boolean;
    }
    void betas(double& b1, double& b2) const {
        auto it = given.find("betas");
        if (it == given.end()) return;
        const Value& v = it->second;
        if (v.type != Value::Type::Tensor || v.tensor.shape.size() != 1 || v.tensor.numel() != 2)
            throw Error(name + ": betas must be a pair of numbers (beta1, beta2), got " + py_value(v));
        b1 = v.tensor.data[0];
        b2 = v.tensor.data[1];
    }
};

// fma_exact (scalar.hpp) with its last step, the addition rounded to odd, done by selects instead
// of two data-dependent branches: the same bits (the same operations; only the choice between
// "s" and "s one step on" is made without a jump), and in an update loop the branches are coin
// flips the CPU or V8 mispredicts half the time. The range test stays a branch: it is nearly
// always true.
inline double fma_sel(double a, double b, double c) {
    const double fa = std::fabs(a), fb = std::fabs(b);
    if (!(fa >= 0x1p-400 && fa <= 0x1p400 && fb >= 0x1p-400 && fb <= 0x1p400 && std::fabs(c) <= 0x1p900))
        return std::fma(a, b, c);
    double ph, pl, sh, sl, s, e;
    detail::two_prod(a, b, ph, pl);
    detail::two_sum(c, ph, sh, sl);
    detail::two_sum(sl, pl, s, e);  // sl + pl = s + e exactly
    std::uint64_t bits;
    std::memcpy(&bits, &s, sizeof bits);
    const std::uint64_t step = ((e > 0.0) == (s > 0.0)) ? 1u : ~std::uint64_t{0};
    bits += (e != 0.0 && (bits & 1u) == 0) ? step : 0u;  // inexact and even: to the odd neighbour
    std::memcpy(&s, &bits, sizeof s);
    return sh + s;
}

}  // namespace

const std::vector<std::string>& optimizer_names() {
    static const std::vector<std::string> names = {"SGD", "Adam", "AdamW", "RMSprop"};
    return names;
}

OptimizerOptions resolve_optimizer(std::string_view name_in, const ParamMap& params) {
    OptimizerOptions o;
    o.name = std::string(name_in);
    std::vector<const char*> allowed;
    if (o.name == "SGD") {
        o.kind = OptimizerKind::SGD;
        allowed = {"lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize", "foreach", "differentiable"};
    } else if (o.name == "Adam" || o.name == "AdamW") {
        o.kind = o.name == "Adam" ? OptimizerKind::Adam : OptimizerKind::AdamW;
        o.lr = 1e-3;
        o.weight_decay = o.name == "Adam" ? 0.0 : 1e-2;
        allowed = {"lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "foreach", "capturable"};
        if (o.name == "Adam") {
            allowed.push_back("differentiable");
            allowed.push_back("fused");
        }
    } else if (o.name == "RMSprop") {
        o.kind = OptimizerKind::RMSprop;
        o.lr = 1e-2;
        allowed = {"lr", "alpha", "eps", "weight_decay", "momentum", "centered", "maximize", "foreach", "differentiable"};
    } else {
        throw Error("unknown optimizer '" + o.name + "'; one of SGD, Adam, AdamW, RMSprop");
    }
    // Python refuses an unknown keyword before the constructor's body runs.
    for (const auto& entry : params) {
        bool known = false;
        for (const char* a : allowed) known = known || entry.first == a;
        if (!known) throw Error(o.name + ".__init__() got an unexpected keyword argument '" + entry.first + "'");
    }
    const Reader r{o.name, params};
    // torch.optim 1.13's keywords that choose another implementation: the lab has the default one
    // (single-tensor, not differentiable, not capturable, not fused), so None/False only.
    for (const char* key : {"foreach", "differentiable", "capturable", "fused"}) {
        auto it = params.find(key);
        if (it == params.end() || it->second.type == Value::Type::None) continue;
        if (it->second.type == Value::Type::Bool && !it->second.boolean) continue;
        throw Error(o.name + ": " + key + "=" + py_value(it->second) +
                    " is not supported (the lab runs torch.optim's default single-tensor path)");
    }
    auto invalid = [](const char* what, double v) { return Error(std::string("Invalid ") + what + ": " + py_float(v)); };
    switch (o.kind) {
        case OptimizerKind::SGD: {
            const bool has_lr = params.count("lr") != 0;
            o.lr = r.number("lr", 0.0);
            o.momentum = r.number("momentum", 0.0);
            o.dampening = r.number("dampening", 0.0);
            o.weight_decay = r.number("weight_decay", 0.0);
            o.nesterov = r.flag("nesterov", false);
            o.maximize = r.flag("maximize", false);
            // sgd.py: `lr < 0.0` and so on (a NaN passes, as in PyTorch)
            if (has_lr && o.lr < 0.0) throw invalid("learning rate", o.lr);
            if (o.momentum < 0.0) throw invalid("momentum value", o.momentum);
            if (o.weight_decay < 0.0) throw invalid("weight_decay value", o.weight_decay);
            if (o.nesterov && (o.momentum <= 0 || o.dampening != 0))
                throw Error("Nesterov momentum requires a momentum and zero dampening");
            if (!has_lr) throw Error("parameter group didn't specify a value of required optimization parameter lr");
            break;
        }
        case OptimizerKind::Adam:
        case OptimizerKind::AdamW: {
            o.lr = r.number("lr", o.lr);
            r.betas(o.beta1, o.beta2);
            o.eps = r.number("eps", 1e-8);
            o.weight_decay = r.number("weight_decay", o.weight_decay);
            o.amsgrad = r.flag("amsgrad", false);
            o.maximize = r.flag("maximize", false);
            // adam.py: `not 0.0 <= lr` and so on (a NaN fails)
            if (!(0.0 <= o.lr)) throw invalid("learning rate", o.lr);
            if (!(0.0 <= o.eps)) throw invalid("epsilon value", o.eps);
            if (!(0.0 <= o.beta1 && o.beta1 < 1.0)) throw invalid("beta parameter at index 0", o.beta1);
            if (!(0.0 <= o.beta2 && o.beta2 < 1.0)) throw invalid("beta parameter at index 1", o.beta2);
            if (!(0.0 <= o.weight_decay)) throw invalid("weight_decay value", o.weight_decay);
            break;
        }
        case OptimizerKind::RMSprop: {
            o.lr = r.number("lr", o.lr);
            o.alpha = r.number("alpha", 0.99);
            o.eps = r.number("eps", 1e-8);
            o.weight_decay = r.number("weight_decay", 0.0);
            o.momentum = r.number("momentum", 0.0);
            o.centered = r.flag("centered", false);
            o.maximize = r.flag("maximize", false);
            if (!(0.0 <= o.lr)) throw invalid("learning rate", o.lr);
            if (!(0.0 <= o.eps)) throw invalid("epsilon value", o.eps);
            if (!(0.0 <= o.momentum)) throw invalid("momentum value", o.momentum);
            if (!(0.0 <= o.weight_decay)) throw invalid("weight_decay value", o.weight_decay);
            if (!(0.0 <= o.alpha)) throw invalid("alpha value", o.alpha);
            break;
        }
    }
    return o;
}

Optimizer::Optimizer(std::string_view name, const ParamMap& params, std::vector<std::size_t> sizes)
    : Optimizer(resolve_optimizer(name, params), std::move(sizes)) {}

Optimizer::Optimizer(OptimizerOptions options, std::vector<std::size_t> sizes)
    : options_(std::move(options)), sizes_(std::move(sizes)), state_(sizes_.size()) {}

void Optimizer::reset() {
    state_.assign(sizes_.size(), State{});
    steps_ = 0;
}

void Optimizer::step(std::span<const std::span<double>> params, std::span<const std::span<const double>> grads) {
    if (params.size() != sizes_.size() || grads.size() != sizes_.size())
        throw Error(options_.name + ".step: expected " + std::to_string(sizes_.size()) + " parameters and gradients, got " +
                    std::to_string(params.size()) + " and " + std::to_string(grads.size()));
    for (std::size_t i = 0; i < sizes_.size(); ++i)
        if (params[i].size() != sizes_[i] || (grads[i].data() != nullptr && grads[i].size() != sizes_[i]))
            throw Error(options_.name + ".step: parameter " + std::to_string(i) + " has " + std::to_string(sizes_[i]) +
                        " elements, got a buffer of " + std::to_string(params[i].size()) + " and a gradient of " +
                        std::to_string(grads[i].size()));
    for (std::size_t i = 0; i < sizes_.size(); ++i) {
        if (grads[i].data() == nullptr) continue;  // p.grad is None: torch.optim leaves p and its state alone
        switch (options_.kind) {
            case OptimizerKind::SGD: sgd(params[i], grads[i], state_[i]); break;
            case OptimizerKind::Adam:
            case OptimizerKind::AdamW: adam(params[i], grads[i], state_[i]); break;
            case OptimizerKind::RMSprop: rmsprop(params[i], grads[i], state_[i]); break;
        }
    }
    ++steps_;
}

void Optimizer::step(std::vector<std::vector<double>>& params, const std::vector<std::vector<double>>& grads) {
    std::vector<std::span<double>> p(params.begin(), params.end());
    std::vector<std::span<const double>> g(grads.begin(), grads.end());
    step(std::span<const std::span<double>>(p), std::span<const std::span<const double>>(g));
}

// _single_tensor_sgd
void Optimizer::sgd(std::span<double> p, std::span<const double> g, State& s) {
    const OptimizerOptions& o = options_;
    const std::size_t n = p.size();
    if (!o.maximize && o.weight_decay == 0 && o.momentum == 0) {  // plain SGD: d_p is the gradient itself
        const double neg_lr = -o.lr;
        for (std::size_t j = 0; j < n; ++j) p[j] = fma_sel(neg_lr, g[j], p[j]);  // param.add_(d_p, alpha=-lr)
        ++s.step;
        return;
    }
    std::vector<double>& d = scratch_;
    d.resize(n);
    for (std::size_t j = 0; j < n; ++j) {
        double dj = o.maximize ? -g[j] : g[j];                           // d_p = d_p_list[i] if not maximize else -d_p_list[i]
        if (o.weight_decay != 0) dj = fma_sel(o.weight_decay, p[j], dj);  // d_p = d_p.add(param, alpha=weight_decay)
        d[j] = dj;
    }
    if (o.momentum != 0) {
        if (s.momentum_buffer.empty()) {
            s.momentum_buffer = d;                                       // buf = torch.clone(d_p).detach()
        } else {
            const double keep = 1 - o.dampening;
            for (std::size_t j = 0; j < n; ++j)                         // buf.mul_(momentum).add_(d_p, alpha=1 - dampening)
                s.momentum_buffer[j] = fma_sel(keep, d[j], s.momentum_buffer[j] * o.momentum);
        }
        for (std::size_t j = 0; j < n; ++j)
            d[j] = o.nesterov ? fma_sel(o.momentum, s.momentum_buffer[j], d[j])  // d_p = d_p.add(buf, alpha=momentum)
                              : s.momentum_buffer[j];                                 // d_p = buf
    }
    const double neg_lr = -o.lr;
    for (std::size_t j = 0; j < n; ++j) p[j] = fma_sel(neg_lr, d[j], p[j]);  // param.add_(d_p, alpha=-lr)
    ++s.step;
}

// _single_tensor_adam / _single_tensor_adamw (capturable=False, differentiable=False)
void Optimizer::adam(std::span<double> p, std::span<const double> g, State& s) const {
    const OptimizerOptions& o = options_;
    const bool adamw = o.kind == OptimizerKind::AdamW;
    const std::size_t n = p.size();
    if (s.exp_avg.empty()) {  // lazy state: zeros_like(p)
        s.exp_avg.assign(n, 0.0);
        s.exp_avg_sq.assign(n, 0.0);
        if (o.amsgrad) s.max_exp_avg_sq.assign(n, 0.0);
    }
    ++s.step;  // step_t += 1 (a float32 tensor in torch: exact up to 2^24 steps)
    const double step = static_cast<double>(static_cast<float>(s.step));
    // Python floats, in the source's order.
    const double decay = 1 - o.lr * o.weight_decay;        // AdamW: param.mul_(1 - lr * weight_decay)
    const double keep1 = 1 - o.beta1, keep2 = 1 - o.beta2;
    const double bias_correction1 = 1 - std::pow(o.beta1, step);
    const double bias_correction2 = 1 - std::pow(o.beta2, step);
    const double step_size = o.lr / bias_correction1;
    const double bias_correction2_sqrt = std::sqrt(bias_correction2);
    const double neg_step_size = -step_size;
    for (std::size_t j = 0; j < n; ++j) {
        double gj = o.maximize ? -g[j] : g[j];
        if (adamw) p[j] = p[j] * decay;
        else if (o.weight_decay != 0) gj = fma_sel(o.weight_decay, p[j], gj);  // grad = grad.add(param, alpha=weight_decay)
        s.exp_avg[j] = fma_sel(keep1, gj, s.exp_avg[j] * o.beta1);          // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        s.exp_avg_sq[j] = fma_sel(keep2 * gj, gj, s.exp_avg_sq[j] * o.beta2);  // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        double second = s.exp_avg_sq[j];
        if (o.amsgrad) {                                                       // torch.maximum(max_exp_avg_sqs[i], exp_avg_sq, out=...)
            s.max_exp_avg_sq[j] = nan_max(s.max_exp_avg_sq[j], s.exp_avg_sq[j]);
            second = s.max_exp_avg_sq[j];
        }
        const double denom = std::sqrt(second) / bias_correction2_sqrt + o.eps;  // (….sqrt() / bias_correction2_sqrt).add_(eps)
        p[j] = p[j] + neg_step_size * s.exp_avg[j] / denom;                    // param.addcdiv_(exp_avg, denom, value=-step_size)
    }
}

// _single_tensor_rmsprop (differentiable=False)
void Optimizer::rmsprop(std::span<double> p, std::span<const double> g, State& s) const {
    const OptimizerOptions& o = options_;
    const std::size_t n = p.size();
    if (s.square_avg.empty()) {  // lazy state
        s.square_avg.assign(n, 0.0);
        if (o.momentum > 0) s.momentum_buffer.assign(n, 0.0);
        if (o.centered) s.grad_avg.assign(n, 0.0);
    }
    ++s.step;
    const double keep = 1 - o.alpha, neg_lr = -o.lr;
    for (std::size_t j = 0; j < n; ++j) {
        double gj = o.maximize ? -g[j] : g[j];
        if (o.weight_decay != 0) gj = fma_sel(o.weight_decay, p[j], gj);     // grad = grad.add(param, alpha=weight_decay)
        s.square_avg[j] = fma_sel(keep * gj, gj, s.square_avg[j] * o.alpha);  // square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
        double avg;
        if (o.centered) {
            s.grad_avg[j] = fma_sel(keep, gj, s.grad_avg[j] * o.alpha);     // grad_avg.mul_(alpha).add_(grad, alpha=1 - alpha)
            avg = std::sqrt(fma_sel(-1.0 * s.grad_avg[j], s.grad_avg[j], s.square_avg[j]));  // square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
        } else {
            avg = std::sqrt(s.square_avg[j]);                                    // square_avg.sqrt()
        }
        avg = avg + o.eps;                                                       // avg.add_(eps)
        if (o.momentum > 0) {
            s.momentum_buffer[j] = s.momentum_buffer[j] * o.momentum + 1.0 * gj / avg;  // buf.mul_(momentum).addcdiv_(grad, avg)
            p[j] = fma_sel(neg_lr, s.momentum_buffer[j], p[j]);               // param.add_(buf, alpha=-lr)
        } else {
            p[j] = p[j] + neg_lr * gj / avg;                                     // param.addcdiv_(grad, avg, value=-lr)
        }
    }
}

}  // namespace lab::nn
