// Design note: two constant tables (constexpr, like the registry's family tables: data, not
// start-up code), one entry per scheme or optimiser in the engine's own name order, and their JSON.
// Defaults are torch 1.13's (init.py, optim/*.py); a bound is written only where the engine refuses
// past it (nn_optim's "Invalid learning rate", nn_random's "normal expects std >= 0.0", the lab's
// siren w0 > 0); slider ranges are what shows a keyword well on the page.
#include "nn_catalog.hpp"

#include "json_text.hpp"

#include <array>
#include <cmath>
#include <cstdio>

namespace lab::nn {

namespace {

struct K {
    KeywordSpec s;
    constexpr operator KeywordSpec() const { return s; }  // NOLINT: implicit, for table entries
    static constexpr K real(Text name, double def, double slider_min, double slider_max, Text doc) {
        K k;
        k.s.name = name;
        k.s.default_value = Default::num(def);
        k.s.start = def;
        k.s.slider_min = slider_min;
        k.s.slider_max = slider_max;
        k.s.doc = doc;
        return k;
    }
    static constexpr K flag(Text name, bool def, Text doc) {
        K k;
        k.s.name = name;
        k.s.type = ParamType::Bool;
        k.s.default_value = Default::flag(def);
        k.s.doc = doc;
        return k;
    }
    static constexpr K choice(Text name, Text def, FixedList<Text, 8> choices, Text doc) {
        K k;
        k.s.name = name;
        k.s.type = ParamType::Choice;
        k.s.default_value = Default::str(def);
        k.s.choices = choices;
        k.s.doc = doc;
        return k;
    }
    constexpr K min(double lo, bool open = false) const {
        K k = *this;
        k.s.min = lo;
        k.s.min_open = open;
        return k;
    }
    constexpr K max(double hi, bool open = false) const {
        K k = *this;
        k.s.max = hi;
        k.s.max_open = open;
        return k;
    }
    // No default in PyTorch: the control starts from `start`.
    constexpr K required(double start) const {
        K k = *this;
        k.s.required = true;
        k.s.default_value = Default::none();
        k.s.start = start;
        return k;
    }
    constexpr K element_of(Text keyword, int index) const {
        K k = *this;
        k.s.keyword = keyword;
        k.s.index = index;
        return k;
    }
};

constexpr K lr(double def, double slider_max) { return K::real("lr", def, 0, slider_max, "learning rate").min(0); }
constexpr K weight_decay(double def, Text doc) { return K::real("weight_decay", def, 0, 0.1, doc).min(0); }
constexpr K eps() { return K::real("eps", 1e-8, 0, 1e-3, "added to the denominator").min(0); }
constexpr K beta(int i, double def, double slider_min, Text doc) {
    return K::real(i == 0 ? "beta1" : "beta2", def, slider_min, 1, doc).min(0).max(1, true).element_of("betas", i);
}
constexpr K amsgrad() { return K::flag("amsgrad", false, "use the running maximum of the second moment"); }
constexpr K momentum() { return K::real("momentum", 0, 0, 0.99, "momentum factor").min(0); }

constexpr std::array<SchemeSpec, 4> kOptimizers{{
    {"SGD", "SGD", "Stochastic gradient descent, optionally with (Nesterov) momentum.",
     {lr(0, 1).required(0.1), momentum(), K::real("dampening", 0, 0, 1, "dampening of the momentum"),
      K::flag("nesterov", false, "Nesterov momentum (needs momentum > 0, dampening 0)"),
      weight_decay(0, "L2 penalty, added to the gradient")}},
    {"Adam", "Adam", "Adaptive moments: a step size per weight from running gradient statistics.",
     {lr(1e-3, 0.1), beta(0, 0.9, 0, "betas[0]: decay of the running mean of gradients"),
      beta(1, 0.999, 0.9, "betas[1]: decay of the running mean of squared gradients"), eps(),
      weight_decay(0, "L2 penalty, added to the gradient"), amsgrad()}},
    {"AdamW", "AdamW", "Adam with the weight decay applied to the weights directly, not through the gradient.",
     {lr(1e-3, 0.1), beta(0, 0.9, 0, "betas[0]: decay of the running mean of gradients"),
      beta(1, 0.999, 0.9, "betas[1]: decay of the running mean of squared gradients"), eps(),
      weight_decay(1e-2, "decoupled decay: the weights shrink by lr * weight_decay each step"), amsgrad()}},
    {"RMSprop", "RMSprop", "Divides each step by a running root-mean-square of the gradients.",
     {lr(1e-2, 0.1), K::real("alpha", 0.99, 0.8, 1, "smoothing constant").min(0), eps(),
      weight_decay(0, "L2 penalty, added to the gradient"), momentum(),
      K::flag("centered", false, "normalise by the gradient's estimated variance")}},
}};

constexpr K gain() { return K::real("gain", 1, 0, 5, "scale of the weights (calculate_gain of the activation)"); }
constexpr FixedList<KeywordSpec, 8> kaiming() {
    return {K::real("a", 0, 0, 1, "negative slope of the leaky_relu after this layer"),
            K::choice("mode", "fan_in", {"fan_in", "fan_out"}, "fan_in keeps the forward variance, fan_out the backward"),
            K::choice("nonlinearity", "leaky_relu", {"leaky_relu", "relu", "tanh", "sigmoid", "linear", "selu"},
                      "whose calculate_gain to use")};
}

constexpr std::array<SchemeSpec, 10> kInit{{
    {"xavier_uniform", "Xavier (Glorot) uniform", "U(±gain·√(6/(fan_in + fan_out))): keeps the variance both ways for tanh-like units.",
     {gain()}},
    {"xavier_normal", "Xavier (Glorot) normal", "N(0, gain²·2/(fan_in + fan_out)).", {gain()}},
    {"kaiming_uniform", "Kaiming (He) uniform", "U(±gain·√(3/fan)): the variance kept through ReLU-like units.", kaiming()},
    {"kaiming_normal", "Kaiming (He) normal", "N(0, gain²/fan); nonlinearity 'linear' is LeCun normal.", kaiming()},
    {"normal", "Normal", "N(mean, std²) for every weight.",
     {K::real("mean", 0, -1, 1, "mean of the weights"), K::real("std", 1, 0, 3, "standard deviation of the weights").min(0)}},
    {"uniform", "Uniform", "U(a, b) for every weight.",
     {K::real("a", 0, -2, 0, "lower bound"), K::real("b", 1, 0, 2, "upper bound")}},
    {"constant", "Constant", "Every weight the same value: the units of a layer stay identical (the symmetry is never broken).",
     {K::real("val", 0, -1, 1, "the value of every weight").required(0.1)}},
    {"ones", "Ones", "Every weight 1.", {}},
    {"zeros", "Zeros", "Every weight 0: no signal passes until the biases move.", {}},
    {"siren", "SIREN (Sitzmann et al. 2020)",
     "First layer U(±1/fan_in), later layers U(±√(6/fan_in)/ω₀), for Sine(ω₀·x) units (the lab's own scheme, not in torch.nn.init).",
     {K::real("w0", 30, 1, 60, "ω₀ of the Sine activation the weights are scaled for").min(0, true)}},
}};

const SchemeSpec& find_in(std::span<const SchemeSpec> list, std::string_view name, const char* what) {
    for (const SchemeSpec& s : list)
        if (s.name == name) return s;
    std::string names;
    for (const SchemeSpec& s : list) names += (names.empty() ? "" : ", ") + s.name;
    throw Error(std::string("unknown ") + what + " '" + std::string(name) + "'; one of " + names);
}

const char* type_name(ParamType t) {
    switch (t) {
        case ParamType::Bool: return "bool";
        case ParamType::Choice: return "choice";
        default: return "float";
    }
}

void json_keyword(std::string& o, const KeywordSpec& k) {
    o += '{';
    json_param_fields(o, k, type_name(k.type), [&k](std::string& out) {
        const Default& d = k.default_value;
        if (d.type == Value::Type::Number) json_number(out, d.number);
        else if (d.type == Value::Type::Bool) out += d.boolean ? "true" : "false";
        else if (d.type == Value::Type::String) json_string(out, d.string);
        else out += "null";
    });
    o += ",\"start\":";
    if (k.type == ParamType::Float) json_number(o, k.start);
    else o += "null";
    o += ",\"keyword\":";
    json_string(o, k.keyword.empty() ? k.name : k.keyword);
    o += ",\"index\":";
    if (k.index >= 0) o += std::to_string(k.index);
    else o += "null";
    o += '}';
}

void json_schemes(std::string& o, std::span<const SchemeSpec> list) {
    o += '[';
    for (std::size_t i = 0; i < list.size(); ++i) {
        const SchemeSpec& s = list[i];
        if (i) o += ',';
        o += "{\"name\":";
        json_string(o, s.name);
        o += ",\"label\":";
        json_string(o, s.label);
        o += ",\"summary\":";
        json_string(o, s.summary);
        o += ",\"params\":[";
        for (std::size_t j = 0; j < s.params.size(); ++j) {
            if (j) o += ',';
            json_keyword(o, s.params[j]);
        }
        o += "]}";
    }
    o += ']';
}

}  // namespace

std::span<const SchemeSpec> init_catalog() { return kInit; }
std::span<const SchemeSpec> optimizer_catalog() { return kOptimizers; }
const SchemeSpec& find_init_scheme(std::string_view name) { return find_in(kInit, name, "init scheme"); }
const SchemeSpec& find_optimizer(std::string_view name) { return find_in(kOptimizers, name, "optimizer"); }

std::string network_catalog_json() {
    std::string o = "{\"init\":{\"default\":";
    json_string(o, "nn.Linear's reset_parameters(): kaiming_uniform_(weight, a=√5), bias U(±1/√fan_in)");
    o += ",\"bias\":[\"default\",\"zeros\"],\"schemes\":";
    json_schemes(o, kInit);
    o += "},\"optimizers\":";
    json_schemes(o, kOptimizers);
    return o + '}';
}

}  // namespace lab::nn
