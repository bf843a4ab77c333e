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
#include <memory>
#include <mutex>

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

namespace {

// What one init call draws and how it scales its unit draws: uniform_(a, b), normal_(mean a,
// std b), a constant a, or nothing (kaiming on a zero-element tensor). Computed from the keywords
// and the shape exactly as init.py does, before any draw, so that init_linears can refuse a bad
// spec first and nn_init's memo can rescale kept unit draws instead of drawing.
struct Draw {
    enum class Kind { Uniform, Normal, Fill, None } kind = Kind::None;
    double a = 0, b = 0;
};

Draw plan_tensor(std::string_view scheme, const ParamMap& params, const Shape& shape) {
    const std::string fn = std::string(scheme) + "_";
    Draw d;
    if (scheme == "uniform") {
        const Kwargs kw(fn, params, {"a", "b"});
        d = {Draw::Kind::Uniform, kw.number("a", 0.0), kw.number("b", 1.0)};
    } else if (scheme == "normal") {
        const Kwargs kw(fn, params, {"mean", "std"});
        d = {Draw::Kind::Normal, kw.number("mean", 0.0), kw.number("std", 1.0)};
    } else if (scheme == "constant") {
        const Kwargs kw(fn, params, {"val"});
        if (!kw.has("val")) throw Error("constant_() missing 1 required positional argument: 'val'");
        d = {Draw::Kind::Fill, kw.number("val", 0.0), 0.0};
    } else if (scheme == "ones" || scheme == "zeros") {
        const Kwargs kw(fn, params, {});
        d = {Draw::Kind::Fill, scheme == "ones" ? 1.0 : 0.0, 0.0};
    } else if (scheme == "xavier_uniform" || scheme == "xavier_normal") {
        const Kwargs kw(fn, params, {"gain"});
        const double gain = kw.number("gain", 1.0);
        const Fans f = calculate_fan_in_and_fan_out(shape);
        const double std = gain * std::sqrt(2.0 / static_cast<double>(f.fan_in + f.fan_out));
        if (scheme == "xavier_uniform") {
            const double a = std::sqrt(3.0) * std;
            d = {Draw::Kind::Uniform, -a, a};
        } else {
            d = {Draw::Kind::Normal, 0.0, std};
        }
    } else if (scheme == "kaiming_uniform" || scheme == "kaiming_normal") {
        const Kwargs kw(fn, params, {"a", "mode", "nonlinearity"});
        if (numel(shape) == 0) return d;  // "Initializing zero-element tensors is a no-op"
        const std::int64_t fan = correct_fan(shape, kw.text("mode", "fan_in"));
        const double gain = calculate_gain(kw.text("nonlinearity", "leaky_relu"), kw.value("a", Value::num(0)));
        const double std = gain / std::sqrt(static_cast<double>(fan));
        if (scheme == "kaiming_uniform") {
            const double bound = std::sqrt(3.0) * std;
            d = {Draw::Kind::Uniform, -bound, bound};
        } else {
            d = {Draw::Kind::Normal, 0, std};
        }
    } else if (scheme == "siren") {
        throw Error("init 'siren' depends on the layer: it is applied by init_linears");
    } else {
        std::string list;
        for (const auto& n : init_schemes()) list += (list.empty() ? "" : ", ") + n;
        throw Error("unknown init scheme '" + std::string(scheme) + "'; one of " + list);
    }
    // The generator's own checks, here so that they come before any draw as well.
    if (d.kind == Draw::Kind::Uniform) Generator::check_uniform(d.a, d.b);
    if (d.kind == Draw::Kind::Normal) Generator::check_normal(d.b);
    return d;
}

void apply(Generator& gen, const Draw& d, std::span<double> data) {
    switch (d.kind) {
        case Draw::Kind::Uniform: gen.uniform_(data, d.a, d.b); break;
        case Draw::Kind::Normal: gen.normal_(data, d.a, d.b); break;
        case Draw::Kind::Fill: std::fill(data.begin(), data.end(), d.a); break;
        case Draw::Kind::None: break;
    }
}

}  // namespace

void init_tensor(Generator& gen, std::string_view scheme, const ParamMap& params, const Shape& shape, std::span<double> data) {
    const std::string fn = std::string(scheme) + "_";
    if (static_cast<std::int64_t>(data.size()) != numel(shape)) throw Error(fn + "(): data does not hold the shape's elements");
    apply(gen, plan_tensor(scheme, params, shape), data);
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

namespace {

double default_bias_bound(std::int64_t fan_in) { return fan_in > 0 ? 1 / std::sqrt(static_cast<double>(fan_in)) : 0; }

}  // namespace

void reset_parameters(Generator& gen, LinearParams& layer) {
    const Shape shape{layer.out, layer.in};
    layer.weight.assign(static_cast<std::size_t>(layer.out * layer.in), 0.0);
    // init.kaiming_uniform_(self.weight, a=math.sqrt(5))
    init_tensor(gen, "kaiming_uniform", ParamMap{{"a", Value::num(std::sqrt(5.0))}}, shape, layer.weight);
    layer.bias.clear();
    if (layer.has_bias) {
        layer.bias.assign(static_cast<std::size_t>(layer.out), 0.0);
        const double bound = default_bias_bound(calculate_fan_in_and_fan_out(shape).fan_in);
        gen.uniform_(layer.bias, -bound, bound);
    }
}

namespace {

// The checks of init_linears, all before any draw, and the init's Draw for every layer (none
// without an init).
std::vector<Draw> plan_linears(const std::vector<std::int64_t>& sizes, const std::optional<InitSpec>& init) {
    if (sizes.size() < 2) throw Error("sizes needs at least two entries (inputs and outputs), got " + std::to_string(sizes.size()));
    for (std::size_t i = 0; i < sizes.size(); ++i)
        if (sizes[i] < 1) throw Error("sizes[" + std::to_string(i) + "] must be at least 1, got " + std::to_string(sizes[i]));
    if (!init) return {};
    const auto& names = init_schemes();
    if (std::find(names.begin(), names.end(), init->weight) == names.end()) {
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        throw Error("init.weight: unknown init scheme '" + init->weight + "'; one of " + list);
    }
    if (init->bias != "default" && init->bias != "zeros")
        throw Error("init.bias must be 'default' or 'zeros', got '" + init->bias + "'");
    std::vector<Draw> plans(sizes.size() - 1);
    for (std::size_t i = 0; i < plans.size(); ++i) {
        const Shape shape{sizes[i + 1], sizes[i]};
        if (init->weight == "siren") {
            const Kwargs kw("siren", init->params, {"w0"});
            const double w0 = kw.number("w0", 30.0);
            if (!(w0 > 0) || !std::isfinite(w0)) throw Error("siren: w0 must be a positive number, got " + py_float(w0));
            const double fan_in = static_cast<double>(calculate_fan_in_and_fan_out(shape).fan_in);
            const double bound = i == 0 ? 1 / fan_in : std::sqrt(6 / fan_in) / w0;
            Generator::check_uniform(-bound, bound);
            plans[i] = {Draw::Kind::Uniform, -bound, bound};
        } else {
            plans[i] = plan_tensor(init->weight, init->params, shape);
        }
    }
    return plans;
}

std::vector<LinearParams> empty_layers(const std::vector<std::int64_t>& sizes, bool bias) {
    std::vector<LinearParams> layers(sizes.size() - 1);
    for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
        layers[i].in = sizes[i];
        layers[i].out = sizes[i + 1];
        layers[i].has_bias = bias;
    }
    return layers;
}

// ---------------------------------------------------------------- the memo
// The depth view builds a new network for every change of the init's numbers; at 50 × 256 × 256
// drawing the weights again was most of the redraw's wait, although with the same seed, sizes and
// bias flag every draw is the same and only the bound or the std differs. So the draws of the
// last few such keys are kept here: the default biases and the generator after every
// reset_parameters (what any init shares), and per family the unit draws of the whole init pass —
// uniform: 2x − 1 per weight (uniform_(−b, b) is b·(2x − 1), any other uniform_(a, b) the exact
// fma of x); normal: Box–Muller's z (normal_ is z·std + mean, fused). Rescaling them is one
// product (or exact fma) per weight, the same bits as drawing (Generator::uniform_units_ and
// normal_units_ are the fills' own first half). A memo here rather than an object the Network
// keeps: lab.network(spec) makes a new Network each time and the page deletes the old one. More
// than one key because the page's "normal" scheme draws its biases from a second small network
// (another seed and sizes) between two of the big one. Bounded: kMemoKeys keys, least recently
// used dropped first, and kMemoDoubles unit draws in all (64 MB; the depth view's 50 × 256 × 256
// keeps both families, 2 × 3.3M; a larger network is drawn each time). Vectors are freed, not
// reused, so alternating specs leave the heap as it was (tests/js/network-init.test.mjs). Behind
// a mutex, for native callers with threads.
constexpr std::size_t kMemoDoubles = std::size_t{8} << 20;
constexpr std::size_t kMemoKeys = 4;

struct Entry {
    std::uint64_t seed = 0;
    std::vector<std::int64_t> sizes;
    bool bias = false;
    Generator after{Generator::kDefaultSeed};  // after every layer's reset_parameters
    std::vector<std::vector<double>> biases;   // reset_parameters' biases (empty without bias)
    std::vector<double> uniform, normal;       // unit draws of the init pass, layer after layer
};

struct Memo {
    std::vector<std::unique_ptr<Entry>> entries;  // most recently used last
    InitMemoInfo info;
    std::size_t kept() const {
        std::size_t n = 0;
        for (const auto& e : entries) n += e->uniform.size() + e->normal.size();
        return n;
    }
};

std::mutex memo_mutex;
Memo& memo() {
    static Memo m;
    return m;
}

void free_vector(std::vector<double>& v) { std::vector<double>().swap(v); }

// The entry of (seed, sizes, bias), made the most recent; a new one has the defaults: every
// reset_parameters, the weights' draws skipped.
Entry& memo_entry(Memo& m, std::uint64_t seed, const std::vector<std::int64_t>& sizes, bool bias) {
    for (std::size_t i = 0; i < m.entries.size(); ++i) {
        Entry& e = *m.entries[i];
        if (e.seed != seed || e.bias != bias || e.sizes != sizes) continue;
        std::rotate(m.entries.begin() + static_cast<std::ptrdiff_t>(i), m.entries.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                    m.entries.end());
        return *m.entries.back();
    }
    if (m.entries.size() == kMemoKeys) m.entries.erase(m.entries.begin());
    auto e = std::make_unique<Entry>();
    Generator gen(seed);
    e->biases.resize(sizes.size() - 1);
    for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
        gen.discard(2 * static_cast<std::uint64_t>(sizes[i] * sizes[i + 1]));
        if (!bias) continue;
        e->biases[i].resize(static_cast<std::size_t>(sizes[i + 1]));
        const double bound = default_bias_bound(sizes[i]);
        gen.uniform_(e->biases[i], -bound, bound);
    }
    e->after = gen;
    e->seed = seed;
    e->sizes = sizes;
    e->bias = bias;
    m.entries.push_back(std::move(e));
    ++m.info.defaults;
    return *m.entries.back();
}

// The unit draws of one family of the most recent entry: true if they are kept (a hit), else
// false with `units` sized for the caller to draw, layer by layer from the entry's `after` (so
// each layer is scaled while its draws are in the cache); room is made by dropping other keys'
// draws, least recently used first, then this key's other family.
bool memo_units(Memo& m, Draw::Kind kind, std::size_t total, std::vector<double>*& units) {
    Entry& e = *m.entries.back();
    units = kind == Draw::Kind::Uniform ? &e.uniform : &e.normal;
    std::vector<double>& other = kind == Draw::Kind::Uniform ? e.normal : e.uniform;
    if (units->size() == total) {
        ++m.info.hits;
        return true;
    }
    for (std::size_t i = 0; i + 1 < m.entries.size() && m.kept() + total > kMemoDoubles; ++i) {
        free_vector(m.entries[i]->uniform);
        free_vector(m.entries[i]->normal);
    }
    if (m.kept() + total > kMemoDoubles) free_vector(other);
    units->resize(total);
    ++m.info.unit_fills;
    return false;
}

// One layer's weights from its kept unit draws: what apply() would have drawn.
void scale_units(const Draw& d, const double* u, std::span<double> w) {
    if (d.kind == Draw::Kind::Uniform) {
        Generator::uniform_scale(u, w, d.a, d.b);
    } else if (d.kind == Draw::Kind::Normal) {
        Generator::normal_scale(u, w, d.b, d.a);
    } else if (d.kind == Draw::Kind::Fill) {
        std::fill(w.begin(), w.end(), d.a);
    }
}

}  // namespace

std::vector<LinearParams> init_linears(Generator& gen, const std::vector<std::int64_t>& sizes, bool bias,
                                       const std::optional<InitSpec>& init) {
    const std::vector<Draw> plans = plan_linears(sizes, init);  // a bad spec is refused before any draw
    std::vector<LinearParams> layers = empty_layers(sizes, bias);
    for (LinearParams& m : layers) {
        if (!init) {
            reset_parameters(gen, m);
            continue;
        }
        // reset_parameters' draws, of which only a bias that stays is computed: the init
        // overwrites every weight, and bias='zeros' every bias.
        m.weight.assign(static_cast<std::size_t>(m.out * m.in), 0.0);
        gen.discard(2 * static_cast<std::uint64_t>(m.weight.size()));
        if (!m.has_bias) continue;
        m.bias.assign(static_cast<std::size_t>(m.out), 0.0);
        if (init->bias == "zeros") {
            gen.discard(2 * static_cast<std::uint64_t>(m.out));
        } else {
            const double bound = default_bias_bound(m.in);
            gen.uniform_(m.bias, -bound, bound);
        }
    }
    for (std::size_t i = 0; i < plans.size(); ++i) apply(gen, plans[i], layers[i].weight);
    return layers;
}

std::vector<LinearParams> init_linears(const std::vector<std::int64_t>& sizes, bool bias, std::uint64_t seed,
                                       const std::optional<InitSpec>& init) {
    const std::vector<Draw> plans = plan_linears(sizes, init);
    std::size_t total = 0;
    for (std::size_t i = 0; i + 1 < sizes.size(); ++i) total += static_cast<std::size_t>(sizes[i] * sizes[i + 1]);
    if (!init || total > kMemoDoubles) {
        Generator gen(seed);
        return init_linears(gen, sizes, bias, init);
    }
    const std::lock_guard<std::mutex> lock(memo_mutex);
    Memo& m = memo();
    const Entry& e = memo_entry(m, seed, sizes, bias);
    const Draw::Kind kind = plans[0].kind;  // one scheme for every layer: one family
    const bool drawn = kind == Draw::Kind::Uniform || kind == Draw::Kind::Normal;
    std::vector<double>* units = nullptr;
    const bool kept = drawn && memo_units(m, kind, total, units);
    double* u = drawn ? units->data() : nullptr;
    Generator gen = e.after;  // for draws not kept yet
    std::vector<LinearParams> layers = empty_layers(sizes, bias);
    try {
        for (std::size_t i = 0; i < layers.size(); ++i) {
            LinearParams& l = layers[i];
            l.weight.resize(static_cast<std::size_t>(l.out * l.in));
            if (drawn && !kept) {
                const std::span<double> layer(u, l.weight.size());
                if (kind == Draw::Kind::Uniform) gen.uniform_units_(layer);
                else gen.normal_units_(layer);  // its tail block and the cached sample, per layer as normal_
            }
            scale_units(plans[i], u, l.weight);
            if (u) u += l.weight.size();
            if (bias) l.bias = init->bias == "zeros" ? std::vector<double>(static_cast<std::size_t>(l.out), 0.0) : e.biases[i];
        }
    } catch (...) {  // out of memory part way: draws not all made are not kept
        if (drawn && !kept) free_vector(*units);
        throw;
    }
    return layers;
}

InitMemoInfo init_memo_info() {
    const std::lock_guard<std::mutex> lock(memo_mutex);
    InitMemoInfo info = memo().info;
    info.kept_doubles = memo().kept();
    info.keys = memo().entries.size();
    return info;
}

void init_memo_clear() {
    const std::lock_guard<std::mutex> lock(memo_mutex);
    memo().entries.clear();
    memo().entries.shrink_to_fit();
}

}  // namespace lab::nn
