// Design note: see convert_nn.hpp. Everything that walks a network-engine value from JS or builds
// one for JS lives here; no math, and no check of a value the core checks itself.
#include "convert_nn.hpp"

#include <cmath>
#include <cstdint>
#include <string>

namespace lab::wasm {

namespace {

bool absent(const val& v) { return v.isNull() || v.isUndefined(); }

// {name, params} or, for an activation or output, {formula, params} (issue 11).
nn::ModuleSpec module_of(const val& m) {
    if (!absent(m["formula"])) return {"", to_params(m["params"]), m["formula"].as<std::string>()};
    return {m["name"].as<std::string>(), to_params(m["params"]), {}};
}

std::optional<std::pair<double, double>> range_of(const val& r) {
    if (absent(r)) return std::nullopt;
    return std::make_pair(r[0].as<double>(), r[1].as<double>());
}

val vector_js(const std::vector<double>& v) { return to_js(v.data(), v.size()); }

val summary_js(const nn::Summary& s) {
    val h = val::object();
    h.set("lo", s.histogram.lo);
    h.set("hi", s.histogram.hi);
    h.set("counts", vector_js(s.histogram.counts));
    h.set("below", s.histogram.below);
    h.set("above", s.histogram.above);
    h.set("nonfinite", s.histogram.nonfinite);
    val o = val::object();
    o.set("mean", s.mean);
    o.set("std", s.std);
    o.set("histogram", h);
    return o;
}

val range_js(double lo, double hi) {
    val r = val::array();
    r.call<void>("push", lo);
    r.call<void>("push", hi);
    return r;
}

// {weight, params, bias} (the wrapper checked the types).
nn::InitSpec init_of(const val& init) {
    nn::InitSpec i;
    i.weight = init["weight"].as<std::string>();
    i.params = to_params(init["params"]);
    if (!absent(init["bias"])) i.bias = init["bias"].as<std::string>();
    return i;
}

}  // namespace

std::uint64_t to_seed(const val& seed) {
    const double s = seed.as<double>();
    // The wrapper has checked it is a safe integer; negative seeds wrap as torch.manual_seed's do.
    return s < 0 ? static_cast<std::uint64_t>(static_cast<std::int64_t>(s)) : static_cast<std::uint64_t>(s);
}

nn::NetworkSpec to_network_spec(const val& spec) {
    nn::NetworkSpec s;
    const std::vector<double> sizes = to_vector(spec["sizes"]);
    for (double d : sizes) s.sizes.push_back(static_cast<std::int64_t>(d));
    if (!absent(spec["activation"])) s.activation = module_of(spec["activation"]);
    if (!absent(spec["output"])) s.output = module_of(spec["output"]);
    if (!absent(spec["bias"])) s.bias = spec["bias"].as<bool>();
    if (!absent(spec["seed"])) s.seed = to_seed(spec["seed"]);
    if (!absent(spec["init"])) s.init = init_of(spec["init"]);
    if (!absent(spec["loss"])) s.loss = module_of(spec["loss"]);
    if (!absent(spec["optimizer"])) s.optimizer = module_of(spec["optimizer"]);
    return s;
}

nn::NetworkSpec to_network_spec(const val& modules, const nn::NetworkSpec& base) {
    nn::NetworkSpec s = base;
    if (!absent(modules["activation"])) s.activation = module_of(modules["activation"]);
    const val output = modules["output"];
    if (output.isNull())
        s.output.reset();
    else if (!output.isUndefined())
        s.output = module_of(output);
    return s;
}

nn::NetworkSpec to_reinit_spec(const val& spec, const nn::NetworkSpec& base) {
    nn::NetworkSpec s = base;
    if (!absent(spec["seed"])) s.seed = to_seed(spec["seed"]);
    const val init = spec["init"];
    if (init.isNull())
        s.init.reset();
    else if (!init.isUndefined())
        s.init = init_of(init);
    return s;
}

nn::MeanField to_mean_field(const val& spec) {
    const nn::ModuleSpec act = module_of(spec["activation"]);
    const double w2 = spec["sigmaW2"].as<double>(), b2 = spec["sigmaB2"].as<double>();
    if (act.formula.empty()) return nn::MeanField(act.name, act.params, w2, b2);
    nn::FormulaModule f = nn::parse_formula_module(act);
    return nn::MeanField(f.formula, std::move(f.values), w2, b2);
}

std::vector<nn::LinearParams> to_linear_params(const val& list, const std::vector<nn::LinearParams>& current) {
    std::vector<nn::LinearParams> out;
    const auto n = list["length"].as<std::size_t>();
    for (std::size_t l = 0; l < n; ++l) {
        const val layer = list[l];
        nn::LinearParams p;
        if (absent(layer["weight"]) && l < current.size()) {  // left out: the weight it has (one copy here)
            p.out = current[l].out;
            p.in = current[l].in;
            p.weight = current[l].weight;
        } else {
            const Tensor w = to_input(layer["weight"]);
            if (w.dim() == 2) {
                p.out = w.shape[0];
                p.in = w.shape[1];
            }
            p.weight = w.data;
        }
        p.has_bias = !absent(layer["bias"]);
        if (p.has_bias) p.bias = to_input(layer["bias"]).data;
        out.push_back(std::move(p));
    }
    return out;
}

nn::StatsOptions to_stats_options(const val& o) {
    nn::StatsOptions s;
    if (!absent(o["bins"])) {
        const double bins = o["bins"].as<double>();
        if (!(bins >= 0) || bins != std::floor(bins) || bins > 1e6)
            throw Error("bins: expected a whole number of bins in [1, 1000000], got " + py_float(bins));
        s.bins = static_cast<std::size_t>(bins);
    }
    if (!absent(o["saturation"])) s.saturation = o["saturation"].as<double>();
    s.pre_range = range_of(o["preRange"]);
    s.post_range = range_of(o["postRange"]);
    s.grad_range = range_of(o["gradRange"]);
    if (!absent(o["shared"])) s.shared = o["shared"].as<bool>();
    if (!absent(o["layers"])) {  // [first, last): whole numbers (wasm/network.mjs), ≥ 0 checked here
        const double a = o["layers"][0].as<double>(), b = o["layers"][1].as<double>();
        if (!(a >= 0 && b >= 0 && a < 1e15 && b < 1e15))
            throw Error("layers: expected [first, last) with 0 ≤ first < last (layer indices from 0, last excluded), got [" +
                        py_float(a) + ", " + py_float(b) + ")");
        s.layers = std::make_pair(static_cast<std::size_t>(a), static_cast<std::size_t>(b));
    }
    return s;
}

nn::DataSpec to_data_spec(const val& spec) {
    nn::DataSpec d;
    d.name = spec["name"].as<std::string>();
    if (!absent(spec["n"])) d.n = static_cast<std::int64_t>(spec["n"].as<double>());
    if (!absent(spec["noise"])) d.noise = spec["noise"].as<double>();
    if (!absent(spec["classes"])) d.classes = static_cast<std::int64_t>(spec["classes"].as<double>());
    if (!absent(spec["trainRatio"])) d.train_ratio = spec["trainRatio"].as<double>();
    if (!absent(spec["seed"])) d.seed = to_seed(spec["seed"]);
    return d;
}

val tensor_js(const Tensor& t) {
    val shape = val::array();
    for (auto d : t.shape) shape.call<void>("push", static_cast<double>(d));
    val o = val::object();
    o.set("shape", shape);
    o.set("data", vector_js(t.data));
    return o;
}

val to_js(const std::vector<nn::LinearParams>& layers) {
    val out = val::array();
    for (const nn::LinearParams& p : layers) {
        val layer = val::object();
        layer.set("weight", tensor_js(Tensor(Shape{p.out, p.in}, p.weight)));
        layer.set("bias", p.has_bias ? tensor_js(Tensor(Shape{p.out}, p.bias)) : val::null());
        out.call<void>("push", layer);
    }
    return out;
}

val to_js(const nn::ForwardResult& r) {
    val layers = val::array();
    for (const nn::LayerValues& v : r.layers) {
        val layer = val::object();
        layer.set("pre", tensor_js(v.pre));
        layer.set("post", tensor_js(v.post));
        layers.call<void>("push", layer);
    }
    val out = val::object();
    out.set("output", tensor_js(r.output));
    out.set("layers", layers);
    return out;
}

val to_js(const nn::GradientResult& r) {
    val warnings = val::array();
    for (const std::string& w : r.warnings) warnings.call<void>("push", w);
    val out = val::object();
    out.set("loss", r.loss);
    out.set("grads", to_js(r.grads));
    out.set("warnings", warnings);
    return out;
}

val to_js(const std::vector<nn::LayerStats>& stats) {
    val out = val::array();
    for (const nn::LayerStats& s : stats) {
        val layer = val::object();
        layer.set("pre", summary_js(s.pre));
        layer.set("post", summary_js(s.post));
        layer.set("grad", s.grad ? summary_js(*s.grad) : val::null());
        layer.set("weightGradNorm", s.weight_grad_norm);
        layer.set("biasGradNorm", s.bias_grad_norm);
        layer.set("dead", s.dead);
        layer.set("saturated", s.saturated);
        out.call<void>("push", layer);
    }
    return out;
}

val to_js(const nn::StatsRanges& r) {
    auto pair = [](const std::pair<double, double>& p) {
        val a = val::array();
        a.call<void>("push", p.first);
        a.call<void>("push", p.second);
        return a;
    };
    val o = val::object();
    o.set("pre", pair(r.pre));
    o.set("post", pair(r.post));
    o.set("grad", r.grad ? pair(*r.grad) : val::null());
    return o;
}

val to_js(const nn::DataSplit& split) {
    auto part = [](const nn::Dataset& d) {
        val o = val::object();
        o.set("x", tensor_js(d.x));
        o.set("y", tensor_js(d.y));
        return o;
    };
    val out = val::object();
    out.set("train", part(split.train));
    out.set("test", part(split.test));
    out.set("classes", static_cast<double>(split.train.classes));
    return out;
}

val dataset_infos_js() {
    val out = val::array();
    for (const nn::DataSetInfo& i : nn::dataset_infos()) {
        val o = val::object();
        o.set("name", std::string(i.name));
        o.set("classification", i.classification);
        o.set("minClasses", i.min_classes);
        o.set("maxClasses", i.max_classes);
        o.set("xRange", range_js(i.x_lo, i.x_hi));
        o.set("yRange", range_js(i.y_lo, i.y_hi));
        o.set("doc", std::string(i.doc));
        out.call<void>("push", o);
    }
    return out;
}

val to_js(const nn::Moments& m) {
    val o = val::object();
    o.set("mean", m.mean);
    o.set("second", m.second);
    o.set("slope2", m.slope2);
    return o;
}

val to_js(const std::vector<nn::LayerPrediction>& layers) {
    const std::size_t n = layers.size();
    std::vector<double> q(n), mean(n), second(n), var(n), chi(n);
    for (std::size_t i = 0; i < n; ++i) {
        q[i] = layers[i].q;
        mean[i] = layers[i].post_mean;
        second[i] = layers[i].post_second;
        var[i] = layers[i].post_var;
        chi[i] = layers[i].chi;
    }
    val o = val::object();
    o.set("q", vector_js(q));
    o.set("postMean", vector_js(mean));
    o.set("postSecond", vector_js(second));
    o.set("postVar", vector_js(var));
    o.set("chi", vector_js(chi));
    return o;
}

}  // namespace lab::wasm
