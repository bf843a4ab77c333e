// Design note: each scheme is init.py's function line for line — the same Python float
// operations in the same order, then one call of the generator's uniform_/normal_ — because the
// bound is part of what must match bit for bit (an extra rounding in `gain / sqrt(fan)` would change
// the weights' last bits even with the right random stream). Keyword checking mirrors Python's
// TypeError texts; value checking is init.py's own (mode, nonlinearity, negative_slope) or, where
// Python would fail with an unhelpful type error, a sentence naming the argument.
#include "nn_init.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <initializer_list>

namespace lab::nn {

namespace {

// Python's str() of a parameter value, for the messages that format one.
std::string py_str(const Value& v) {
    switch (v.type) {
        case Value::Type::None: return "None";
        case Value::Type::Number: return py_float(v.number);
        case Value::Type::Bool: return v.boolean ? "True" : "False";
        case Value::Type::String: return v.string;
        case Value::Type::Tensor: return "tensor(" + sizes_str(v.tensor.shape) + ")";
    }
    return "?";
}

// The keyword arguments of one torch.nn.init function: unknown ones refused as Python does, the
// rest read with their defaults.
class Kwargs {
public:
    Kwargs(std::string fn, const ParamMap& given, std::initializer_list<const char*> allowed) : fn_(std::move(fn)), given_(given) {
        for (const auto& entry : given) {
            bool known = false;
            for (const char* a : allowed) known = known || entry.first == a;
            if (!known) throw Error(fn_ + "() got an unexpected keyword argument '" + entry.first + "'");
        }
    }
    bool has(const char* key) const { return given_.count(key) != 0; }
    const Value& value(const char* key, const Value& fallback) const {
        auto it = given_.find(key);
        return it == given_.end() ? fallback : it->second;
    }
    double number(const char* key, double fallback) const {
        auto it = given_.find(key);
        if (it == given_.end()) return fallback;
        const Value& v = it->second;
        if (v.type == Value::Type::Number) return v.number;
        if (v.type == Value::Type::Bool) return v.boolean ? 1.0 : 0.0;  // Python: True is 1
        throw Error(fn_ + "(): argument '" + key + "' must be a number, got " + py_str(v));
    }
    std::string text(const char* key, const char* fallback) const {
        auto it = given_.find(key);
        if (it == given_.end()) return fallback;
        if (it->second.type != Value::Type::String)
            throw Error(fn_ + "(): argument '" + key + "' must be a string, got " + py_str(it->second));
        return it->second.string;
    }

private:
    std::string fn_;
    const ParamMap& given_;
};

// init._calculate_correct_fan (mode lower-cased first, as init.py does).
std::int64_t correct_fan(const Shape& shape, std::string mode) {
    std::transform(mode.begin(), mode.end(), mode.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (mode != "fan_in" && mode != "fan_out")
        throw Error("Mode " + mode + " not supported, please use one of ['fan_in', 'fan_out']");
    const Fans f = calculate_fan_in_and_fan_out(shape);
    return mode == "fan_in" ? f.fan_in : f.fan_out;
}

std::int64_t numel(const Shape& shape) {
    std::int64_t n = 1;
    for (auto s : shape) n *= s;
    return n;
}

}  // namespace

double calculate_gain(std::string_view nonlinearity, const Value& param) {
    static constexpr std::string_view linear_fns[] = {"linear",           "conv1d",           "conv2d",          "conv3d",
                                                      "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"};
    if (nonlinearity == "sigmoid" || std::find(std::begin(linear_fns), std::end(linear_fns), nonlinearity) != std::end(linear_fns))
        return 1;
    if (nonlinearity == "tanh") return 5.0 / 3;
    if (nonlinearity == "relu") return std::sqrt(2.0);
    if (nonlinearity == "leaky_relu") {
        double negative_slope = 0.01;
        if (param.type == Value::Type::Number) negative_slope = param.number;
        else if (param.type != Value::Type::None) throw Error("negative_slope " + py_str(param) + " not a valid number");
        return std::sqrt(2.0 / (1 + std::pow(negative_slope, 2.0)));  // CPython's float ** is pow()
    }
    if (nonlinearity == "selu") return 3.0 / 4;
    throw Error("Unsupported nonlinearity " + std::string(nonlinearity));
}

Fans calculate_fan_in_and_fan_out(const Shape& shape) {
    if (shape.size() < 2) throw Error("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
    std::int64_t receptive = 1;
    for (std::size_t i = 2; i < shape.size(); ++i) receptive *= shape[i];
    return {shape[1] * receptive, shape[0] * receptive};
}

const std::vector<std::string>& init_schemes() {
    static const std::vector<std::string> names = {"xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal",
                                                   "normal",         "uniform",       "constant",        "ones",
                                                   "zeros",          "siren"};
    return names;
}

void init_tensor(Generator& gen, std::string_view scheme, const ParamMap& params, const Shape& shape, std::span<double> data) {
    const std::string fn = std::string(scheme) + "_";
    if (static_cast<std::int64_t>(data.size()) != numel(shape)) throw Error(fn + "(): data does not hold the shape's elements");
    if (scheme == "uniform") {
        const Kwargs kw(fn, params, {"a", "b"});
        gen.uniform_(data, kw.number("a", 0.0), kw.number("b", 1.0));
    } else if (scheme == "normal") {
        const Kwargs kw(fn, params, {"mean", "std"});
        gen.normal_(data, kw.number("mean", 0.0), kw.number("std", 1.0));
    } else if (scheme == "constant") {
        const Kwargs kw(fn, params, {"val"});
        if (!kw.has("val")) throw Error("constant_() missing 1 required positional argument: 'val'");
        std::fill(data.begin(), data.end(), kw.number("val", 0.0));
    } else if (scheme == "ones" || scheme == "zeros") {
        const Kwargs kw(fn, params, {});
        std::fill(data.begin(), data.end(), scheme == "ones" ? 1.0 : 0.0);
    } else if (scheme == "xavier_uniform" || scheme == "xavier_normal") {
        const Kwargs kw(fn, params, {"gain"});
        const double gain = kw.number("gain", 1.0);
        const Fans f = calculate_fan_in_and_fan_out(shape);
        const double std = gain * std::sqrt(2.0 / static_cast<double>(f.fan_in + f.fan_out));
        if (scheme == "xavier_uniform") {
            const double a = std::sqrt(3.0) * std;
            gen.uniform_(data, -a, a);
        } else {
            gen.normal_(data, 0.0, std);
        }
    } else if (scheme == "kaiming_uniform" || scheme == "kaiming_normal") {
        const Kwargs kw(fn, params, {"a", "mode", "nonlinearity"});
        if (data.empty()) return;  // "Initializing zero-element tensors is a no-op"
        const std::int64_t fan = correct_fan(shape, kw.text("mode", "fan_in"));
        const double gain = calculate_gain(kw.text("nonlinearity", "leaky_relu"), kw.value("a", Value::num(0)));
        const double std = gain / std::sqrt(static_cast<double>(fan));
        if (scheme == "kaiming_uniform") {
            const double bound = std::sqrt(3.0) * std;
            gen.uniform_(data, -bound, bound);
        } else {
            gen.normal_(data, 0, std);
        }
    } else if (scheme == "siren") {
        throw Error("init 'siren' depends on the layer: it is applied by init_linears");
    } else {
        std::string list;
        for (const auto& n : init_schemes()) list += (list.empty() ? "" : ", ") + n;
        throw Error("unknown init scheme '" + std::string(scheme) + "'; one of " + list);
    }
}

std::vector<std::span<double>> parameter_buffers(std::vector<LinearParams>& layers) {
    std::vector<std::span<double>> out;
    for (LinearParams& m : layers) {
        out.emplace_back(m.weight);
        if (m.has_bias) out.emplace_back(m.bias);
    }
    return out;
}

std::vector<std::size_t> parameter_sizes(const std::vector<LinearParams>& layers) {
    std::vector<std::size_t> out;
    for (const LinearParams& m : layers) {
        out.push_back(m.weight.size());
        if (m.has_bias) out.push_back(m.bias.size());
    }
    return out;
}

void reset_parameters(Generator& gen, LinearParams& layer) {
    const Shape shape{layer.out, layer.in};
    layer.weight.assign(static_cast<std::size_t>(layer.out * layer.in), 0.0);
    // init.kaiming_uniform_(self.weight, a=math.sqrt(5))
    init_tensor(gen, "kaiming_uniform", ParamMap{{"a", Value::num(std::sqrt(5.0))}}, shape, layer.weight);
    layer.bias.clear();
    if (layer.has_bias) {
        layer.bias.assign(static_cast<std::size_t>(layer.out), 0.0);
        const std::int64_t fan_in = calculate_fan_in_and_fan_out(shape).fan_in;
        const double bound = fan_in > 0 ? 1 / std::sqrt(static_cast<double>(fan_in)) : 0;
        gen.uniform_(layer.bias, -bound, bound);
    }
}

std::vector<LinearParams> init_linears(Generator& gen, const std::vector<std::int64_t>& sizes, bool bias,
                                       const std::optional<InitSpec>& init) {
    if (sizes.size() < 2) throw Error("sizes needs at least two entries (inputs and outputs), got " + std::to_string(sizes.size()));
    for (std::size_t i = 0; i < sizes.size(); ++i)
        if (sizes[i] < 1) throw Error("sizes[" + std::to_string(i) + "] must be at least 1, got " + std::to_string(sizes[i]));
    if (init) {  // a bad spec is refused before any draw
        const auto& names = init_schemes();
        if (std::find(names.begin(), names.end(), init->weight) == names.end()) {
            std::string list;
            for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
            throw Error("init.weight: unknown init scheme '" + init->weight + "'; one of " + list);
        }
        if (init->bias != "default" && init->bias != "zeros")
            throw Error("init.bias must be 'default' or 'zeros', got '" + init->bias + "'");
    }
    std::vector<LinearParams> layers(sizes.size() - 1);
    for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
        layers[i].in = sizes[i];
        layers[i].out = sizes[i + 1];
        layers[i].has_bias = bias;
        reset_parameters(gen, layers[i]);
    }
    if (!init) return layers;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        LinearParams& m = layers[i];
        const Shape shape{m.out, m.in};
        if (init->weight == "siren") {
            const Kwargs kw("siren", init->params, {"w0"});
            const double w0 = kw.number("w0", 30.0);
            if (!(w0 > 0) || !std::isfinite(w0)) throw Error("siren: w0 must be a positive number, got " + py_float(w0));
            const double fan_in = static_cast<double>(calculate_fan_in_and_fan_out(shape).fan_in);
            const double bound = i == 0 ? 1 / fan_in : std::sqrt(6 / fan_in) / w0;
            gen.uniform_(m.weight, -bound, bound);
        } else {
            init_tensor(gen, init->weight, init->params, shape, m.weight);
        }
        if (m.has_bias && init->bias == "zeros") std::fill(m.bias.begin(), m.bias.end(), 0.0);
    }
    return layers;
}

std::vector<LinearParams> init_linears(const std::vector<std::int64_t>& sizes, bool bias, std::uint64_t seed,
                                       const std::optional<InitSpec>& init) {
    Generator gen(seed);
    return init_linears(gen, sizes, bias, init);
}

}  // namespace lab::nn
