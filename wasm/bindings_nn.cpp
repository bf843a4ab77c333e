// Design note — what JS can call of the network engine (core/nn_*.hpp), linked only into the
// second module, lab_net (CMakeLists.txt), so the page's first visit never carries it.
// Networks live in a table on this side and JS holds an integer handle: a plain function per
// method keeps every call inside guarded() (a lab::Error, even one thrown while a spec is being
// read, comes back as {error} for wasm/network.mjs to throw — an Embind constructor would throw
// across the boundary instead), and `delete()` is one erase, so a leak is visible as a table
// that does not shrink. Mean-field objects and data sets hold no state worth keeping: each call
// builds its MeanField from the spec (cheap: a registry lookup) and nothing needs deleting.
//
// Two conveniences the page needs, still no math here:
//   * predict(input) is Network::predict: the output only (no module derivatives computed, no
//     layer values kept), so the decision-boundary grid does not replace the pass statistics()
//     reads (Network keeps exactly one last pass) and only the output crosses to JS;
//   * epoch(input, target, batchSize) is a DataLoader(shuffle=False, drop_last=False) over the
//     rows: one step() per consecutive minibatch, the last one smaller — one call per page frame.
// A BlockPass (core/nn_pass.hpp, the depth view's progressive pass) is a handle into a second
// table; it knows by itself when its network has run something else. Deleting a network deletes
// its passes too (wasm/network.mjs then says which of the two is gone). A pass's rows cross as
// one Float64Array each way (rows / setRows: the depth view's Web Worker sends its half this way).
#include <emscripten/bind.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "convert_nn.hpp"
#include "nn_catalog.hpp"
#include "nn_pass.hpp"

namespace {

using namespace lab::wasm;
namespace nn = lab::nn;

struct Entry {
    explicit Entry(nn::NetworkSpec spec) : net(spec) {}
    nn::Network net;
};

std::map<int, std::unique_ptr<Entry>>& table() {
    static std::map<int, std::unique_ptr<Entry>> nets;
    return nets;
}

Entry& entry(int handle) {
    auto it = table().find(handle);
    if (it == table().end()) throw lab::Error("network: this network has been deleted");
    return *it->second;
}

val number(double v) { return val(v); }

struct PassEntry {
    int net = 0;
    std::unique_ptr<nn::BlockPass> pass;
};

std::map<int, PassEntry>& passes() {
    static std::map<int, PassEntry> table;
    return table;
}

nn::BlockPass& pass_of(int handle) {
    auto it = passes().find(handle);
    if (it == passes().end()) throw lab::Error("pass: this pass has been deleted");
    return *it->second.pass;
}

// A count as the core's messages print one: an int when it is whole, Python's float otherwise.
std::string count_str(double v) {
    return std::fabs(v) < 1e15 && v == std::floor(v) ? std::to_string(static_cast<long long>(v)) : lab::py_float(v);
}

// out = rows [from, from + count) of a (N, …) tensor; out's storage is reused from batch to batch.
void rows(const lab::Tensor& t, std::int64_t from, std::int64_t count, lab::Tensor& out) {
    out.shape = t.shape;
    out.shape[0] = count;
    const std::size_t w = t.numel() / static_cast<std::size_t>(t.shape[0]);
    const auto begin = t.data.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(from) * w);
    out.data.assign(begin, begin + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(count) * w));
}

val net_create(const val& spec) {
    return guarded([&] {
        static int next = 1;
        auto e = std::make_unique<Entry>(to_network_spec(spec));
        const int handle = next++;
        table().emplace(handle, std::move(e));
        return number(handle);
    });
}

void net_delete(int handle) {
    std::erase_if(passes(), [handle](const auto& p) { return p.second.net == handle; });
    table().erase(handle);
}

double net_count() { return static_cast<double>(table().size()); }

val net_parameters(int handle) {
    return guarded([&] { return to_js(entry(handle).net.parameters()); });
}

val net_set_parameters(int handle, const val& list) {
    return guarded([&] {
        nn::Network& net = entry(handle).net;
        net.set_parameters(to_linear_params(list, net.parameters()));
        return val::undefined();
    });
}

val net_forward(int handle, const val& input) {
    return guarded([&] { return to_js(entry(handle).net.forward(to_input(input))); });
}

val net_predict(int handle, const val& input) {
    return guarded([&] {
        const lab::Tensor y = entry(handle).net.predict(to_input(input));
        return to_js(y.data.data(), y.numel());
    });
}

val net_gradients(int handle, const val& input, const val& target, bool weights) {
    return guarded([&] { return to_js(entry(handle).net.gradients(to_input(input), to_input(target), weights)); });
}

// spec: {activation (undefined: keep), output (undefined: keep, null: none)}, each {name, params}
// or {formula, params} as at construction.
val net_set_modules(int handle, const val& spec) {
    return guarded([&] {
        nn::Network& net = entry(handle).net;
        const nn::NetworkSpec s = to_network_spec(spec, net.spec());
        net.set_modules(s.activation, s.output);
        return val::undefined();
    });
}

// spec: {seed (undefined: keep), init (undefined: keep, null: none)}, init as at construction.
val net_reinitialize(int handle, const val& spec) {
    return guarded([&] {
        nn::Network& net = entry(handle).net;
        const nn::NetworkSpec s = to_reinit_spec(spec, net.spec());
        net.reinitialize(s.seed, s.init);
        return val::undefined();
    });
}

val net_pass(int handle, const val& input, const val& target, bool weights) {
    return guarded([&] {
        static int next = 1;
        auto p = std::make_unique<nn::BlockPass>(entry(handle).net, to_input(input), to_input(target), weights);
        const int h = next++;
        passes().emplace(h, PassEntry{handle, std::move(p)});
        return number(h);
    });
}

val progress_js(const nn::BlockPass::Progress& p) {
    val o = val::object();
    o.set("done", static_cast<double>(p.done));
    o.set("total", static_cast<double>(p.total));
    o.set("top", static_cast<double>(p.top));
    o.set("loss", p.loss ? val(*p.loss) : val::null());
    val warnings = val::array();
    for (const std::string& w : p.warnings) warnings.call<void>("push", w);
    o.set("warnings", warnings);
    return o;
}

val pass_advance(int handle, double rows, bool from_end) {
    return guarded([&] {
        if (!(rows >= 1 && rows < 1e15) || rows != std::floor(rows))
            throw lab::Error("rows: expected a whole number of examples ≥ 1, got " + count_str(rows));
        return progress_js(pass_of(handle).advance(static_cast<std::int64_t>(rows), from_end));
    });
}

// A row index from JS: a whole number (the range is the pass's to check, with its message).
std::int64_t row_arg(const char* name, double v) {
    if (!(std::fabs(v) < 1e15) || v != std::floor(v))
        throw lab::Error(std::string(name) + ": expected a whole number (a row of the batch), got " + count_str(v));
    return static_cast<std::int64_t>(v);
}

// rows(from, to): one Float64Array (one bulk copy out of the heap).
val pass_rows(int handle, double from, double to) {
    return guarded([&] {
        const std::vector<double> v = pass_of(handle).rows(row_arg("from", from), row_arg("to", to));
        return to_js(v.data(), v.size());
    });
}

val pass_set_rows(int handle, double from, const val& data) {
    return guarded([&] {
        nn::BlockPass& p = pass_of(handle);
        const std::int64_t f = row_arg("from", from);
        const std::vector<double> v = to_vector(data);  // (one bulk copy into the heap)
        return progress_js(p.set_rows(f, v.data(), v.size()));
    });
}

val pass_values_per_row(int handle) {
    return guarded([&] { return number(static_cast<double>(pass_of(handle).values_per_row())); });
}

val pass_progress(int handle) {
    return guarded([&] { return progress_js(pass_of(handle).progress()); });
}

val pass_statistics(int handle, const val& options) {
    return guarded([&] { return to_js(pass_of(handle).statistics(to_stats_options(options))); });
}

val pass_ranges(int handle) {
    return guarded([&] { return to_js(pass_of(handle).ranges()); });
}

void pass_delete(int handle) { passes().erase(handle); }

double pass_count() { return static_cast<double>(passes().size()); }

val net_step(int handle, const val& input, const val& target) {
    return guarded([&] { return number(entry(handle).net.step(to_input(input), to_input(target))); });
}

val net_epoch(int handle, const val& input, const val& target, double batch_size) {
    return guarded([&] {
        nn::Network& net = entry(handle).net;
        const lab::Tensor x = to_input(input), t = to_input(target);
        if (!(batch_size >= 1 && batch_size < 1e15) || batch_size != std::floor(batch_size))
            throw lab::Error("batchSize: expected a whole number ≥ 1, got " + count_str(batch_size));
        if (x.dim() < 1 || x.shape[0] < 1)
            throw lab::Error("input: expected a 2-D tensor (N, " + std::to_string(net.sizes()[0]) + ") with N ≥ 1, got shape " +
                             lab::shape_str(x.shape));
        if (t.dim() < 1 || t.shape[0] != x.shape[0])
            throw lab::Error("target: expected " + std::to_string(x.shape[0]) + " rows, one per input row, got shape " +
                             lab::shape_str(t.shape));
        const auto total = x.shape[0], batch = static_cast<std::int64_t>(batch_size);
        std::vector<double> losses;
        lab::Tensor xb, tb;
        for (std::int64_t lo = 0; lo < total; lo += batch) {
            const std::int64_t n = std::min(batch, total - lo);
            rows(x, lo, n, xb);
            rows(t, lo, n, tb);
            losses.push_back(net.step(xb, tb));
        }
        return to_js(losses.data(), losses.size());
    });
}

val net_statistics(int handle, const val& options) {
    return guarded([&] { return to_js(nn::layer_statistics(entry(handle).net, to_stats_options(options))); });
}

val net_ranges(int handle) {
    return guarded([&] { return to_js(nn::stats_ranges(entry(handle).net)); });
}

val net_steps(int handle) {
    return guarded([&] { return number(static_cast<double>(entry(handle).net.steps())); });
}

val net_reset_optimizer(int handle) {
    return guarded([&] {
        entry(handle).net.reset_optimizer();
        return val::undefined();
    });
}

// ---------------------------------------------------------------- mean-field theory
// spec: {activation: {name, params} or {formula, params}, sigmaW2, sigmaB2}
nn::MeanField mean_field(const val& spec) { return to_mean_field(spec); }

val mf_layers(const val& spec, double q0, double depth) {
    return guarded([&] {
        if (!(depth >= 1 && depth <= 10000) || depth != std::floor(depth))
            throw lab::Error("depth must be in [1, 10000], got " + count_str(depth));
        return to_js(mean_field(spec).layers(q0, static_cast<int>(depth)));
    });
}
val mf_moments(const val& spec, double q) {
    return guarded([&] { return to_js(mean_field(spec).moments(q)); });
}
val mf_map(const val& spec, double q) {
    return guarded([&] { return number(mean_field(spec).map(q)); });
}
val mf_chi(const val& spec, double q) {
    return guarded([&] { return number(mean_field(spec).chi(q)); });
}
val mf_fixed_point(const val& spec, double q0) {
    return guarded([&] { return number(mean_field(spec).fixed_point(q0)); });
}
val mf_chi_star(const val& spec, double q0) {
    return guarded([&] { return number(mean_field(spec).chi_star(q0)); });
}
val mf_critical(const val& spec, double sigma_b2, double q0) {
    return guarded([&] { return number(nn::critical_sigma_w2(mean_field(spec), sigma_b2, q0)); });
}

// ---------------------------------------------------------------- data sets
val dataset(const val& spec) {
    return guarded([&] { return to_js(nn::make_dataset(to_data_spec(spec))); });
}
val dataset_infos() {
    return guarded([&] { return dataset_infos_js(); });
}
// torch.nn.init.calculate_gain(nonlinearity, param): param a number, a bool, a string or absent
// (None), as Python would pass it; nn_init gives the value and PyTorch's messages.
val calculate_gain(const std::string& nonlinearity, const val& param) {
    return guarded([&] {
        lab::Value p = lab::Value::none();
        if (param.isNumber()) p = lab::Value::num(param.as<double>());
        else if (param.isTrue() || param.isFalse()) p = lab::Value::flag(param.isTrue());
        else if (param.isString()) p = lab::Value::str(param.as<std::string>());
        return number(nn::calculate_gain(nonlinearity, p));
    });
}

// The init schemes' and optimisers' keywords (core/nn_catalog), as the bytes of one string made once.
val net_catalog() {
    static const std::string json = nn::network_catalog_json();
    return bytes_view(json);
}

}  // namespace

EMSCRIPTEN_BINDINGS(activation_loss_lab_nn) {
    using emscripten::function;
    function("netCreate", &net_create);
    function("netDelete", &net_delete);
    function("netCount", &net_count);
    function("netParameters", &net_parameters);
    function("netSetParameters", &net_set_parameters);
    function("netForward", &net_forward);
    function("netPredict", &net_predict);
    function("netGradients", &net_gradients);
    function("netSetModules", &net_set_modules);
    function("netReinitialize", &net_reinitialize);
    function("netPass", &net_pass);
    function("passAdvance", &pass_advance);
    function("passProgress", &pass_progress);
    function("passRows", &pass_rows);
    function("passSetRows", &pass_set_rows);
    function("passValuesPerRow", &pass_values_per_row);
    function("passStatistics", &pass_statistics);
    function("passRanges", &pass_ranges);
    function("passDelete", &pass_delete);
    function("passCount", &pass_count);
    function("netStep", &net_step);
    function("netEpoch", &net_epoch);
    function("netStatistics", &net_statistics);
    function("netRanges", &net_ranges);
    function("netSteps", &net_steps);
    function("netResetOptimizer", &net_reset_optimizer);
    function("mfLayers", &mf_layers);
    function("mfMoments", &mf_moments);
    function("mfMap", &mf_map);
    function("mfChi", &mf_chi);
    function("mfFixedPoint", &mf_fixed_point);
    function("mfChiStar", &mf_chi_star);
    function("mfCriticalSigmaW2", &mf_critical);
    function("dataset", &dataset);
    function("datasetInfos", &dataset_infos);
    function("netCatalog", &net_catalog);
    function("calculateGain", &calculate_gain);
}
