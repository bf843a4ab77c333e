// Design note — the Embind layer. Why Embind: it lets C++ build and read plain JS objects
// (emscripten::val), so the JS wrapper needs no hand-written memory management and the core
// keeps its natural C++ types. Why copies: arrays cross the boundary as one bulk copy each way —
// a Float64Array is copied into a std::vector through a typed_memory_view's set(), and results
// leave as typed_memory_view(...).slice() — never element by element (measured ~5x slower for 1M
// points). How names map: functions and parameters keep PyTorch's names; the JS wrapper
// (wasm/lab.mjs) flattens nested arrays into {shape, data} before calling here.
// Errors: every lab::Error (and std::bad_alloc for huge inputs) is caught here and returned as
// {error: message}; the wrapper throws it as a JS Error. Nothing aborts the instance.
// No math lives in this file.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <malloc.h>

#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "registry.hpp"

using emscripten::val;

namespace {

std::vector<double> to_vector(const val& typed) {
    const auto n = typed["length"].as<std::size_t>();
    std::vector<double> v(n);
    // The view is made after the allocation, so it sees the memory as grown by it.
    val(emscripten::typed_memory_view(n, v.data())).call<void>("set", typed);
    return v;
}

val to_js(const double* data, std::size_t n) {
    return val(emscripten::typed_memory_view(n, data)).call<val>("slice");
}
val to_js(const std::vector<double>& v) { return to_js(v.data(), v.size()); }

lab::Tensor to_tensor(const val& obj) {
    lab::Tensor t;
    const val shape = obj["shape"];
    const auto dims = shape["length"].as<std::size_t>();
    t.shape.resize(dims);
    for (std::size_t i = 0; i < dims; ++i) t.shape[i] = static_cast<std::int64_t>(shape[i].as<double>());
    t.data = to_vector(obj["data"]);
    if (t.data.size() != lab::numel(t.shape)) throw lab::Error("internal: tensor data does not match its shape");
    return t;
}

val tensor_to_js(const lab::Tensor& t) {
    val shape = val::array();
    for (auto d : t.shape) shape.call<void>("push", static_cast<double>(d));
    val o = val::object();
    o.set("shape", shape);
    o.set("data", to_js(t.data));
    return o;
}

// The wrapper hands over numbers, booleans, strings, null, or {shape, data} tensors.
lab::ParamMap to_params(const val& obj) {
    lab::ParamMap out;
    const val keys = val::global("Object").call<val>("keys", obj);
    const auto n = keys["length"].as<std::size_t>();
    for (std::size_t i = 0; i < n; ++i) {
        const auto key = keys[i].as<std::string>();
        const val v = obj[key];
        const auto type = v.typeOf().as<std::string>();
        if (type == "number") out[key] = lab::Value::num(v.as<double>());
        else if (type == "boolean") out[key] = lab::Value::flag(v.as<bool>());
        else if (type == "string") out[key] = lab::Value::str(v.as<std::string>());
        else if (v.isNull() || v.isUndefined()) out[key] = lab::Value::none();
        else out[key] = lab::Value::tensor_of(to_tensor(v));
    }
    return out;
}

lab::ArgMap to_args(const val& obj) {
    lab::ArgMap out;
    const val keys = val::global("Object").call<val>("keys", obj);
    const auto n = keys["length"].as<std::size_t>();
    for (std::size_t i = 0; i < n; ++i) {
        const auto key = keys[i].as<std::string>();
        out[key] = to_tensor(obj[key]);
    }
    return out;
}

val error_object(const std::string& message) {
    val o = val::object();
    o.set("error", message);
    return o;
}

constexpr const char* kTooLarge =
    "out of memory: the input is too large for WebAssembly's 4 GB memory (try fewer points)";

template <class F>
val guarded(F&& f) {
    try {
        return f();
    } catch (const lab::Error& e) {
        return error_object(e.what());
    } catch (const std::bad_alloc&) {
        return error_object(kTooLarge);
    } catch (const std::length_error&) {
        return error_object(kTooLarge);
    } catch (const std::exception& e) {
        return error_object(std::string("internal error: ") + e.what());
    }
}

// The catalog (~70 KB of JSON) leaves as a view of its UTF-8 bytes for TextDecoder: Embind's
// std::string conversion scans it byte by byte in JS twice (~15 ms on a cold page load).
val catalog() {
    static const std::string json = lab::catalog_json();
    return val(emscripten::typed_memory_view(json.size(), reinterpret_cast<const unsigned char*>(json.data())));
}

val activation(const std::string& name, const val& params, const val& x) {
    return guarded([&] {
        const lab::FunctionSpec& f = lab::find_function(name);
        const lab::Params p = lab::resolve(f, to_params(params));
        val out = val::object();
        if (f.kind == lab::Kind::Elementwise) {
            const std::vector<double> in = to_vector(x);
            // Left uninitialised: the kernel writes every element (saves zero-filling 2 x 8 MB per 1M points).
            const std::unique_ptr<double[]> y(new double[in.size()]), dy(new double[in.size()]);
            lab::evaluate_elementwise(name, to_params(params), in.data(), in.size(), y.get(), dy.get());
            out.set("y", to_js(y.get(), in.size()));
            out.set("dy", to_js(dy.get(), in.size()));
        } else if (f.kind == lab::Kind::Vector) {
            const lab::VectorResult r = f.vector(p, to_vector(x));
            out.set("y", to_js(r.y));
            out.set("jacobian", to_js(r.jacobian));
        } else {
            throw lab::Error("'" + f.name + "' is a loss: use loss(name, params, args)");
        }
        return out;
    });
}

val loss(const std::string& name, const val& params, const val& args) {
    return guarded([&] {
        const lab::LossResult r = lab::evaluate_loss(name, to_params(params), to_args(args));
        val out = val::object();
        out.set("loss", tensor_to_js(r.loss));
        out.set("elementwise", tensor_to_js(r.elementwise));
        val grad = val::object();
        for (const auto& [k, t] : r.grad) grad.set(k, tensor_to_js(t));
        out.set("grad", grad);
        val warnings = val::array();
        for (const auto& w : r.warnings) warnings.call<void>("push", w);
        out.set("warnings", warnings);
        return out;
    });
}

val torch_code(const std::string& name, const val& params) {
    return guarded([&] {
        const lab::FunctionSpec& f = lab::find_function(name);
        return val(lab::torch_code(lab::resolve(f, to_params(params))));
    });
}

// Bytes the C++ heap has handed out and not taken back: lets tests see that calls do not leak.
double heap_bytes() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace

EMSCRIPTEN_BINDINGS(activation_loss_lab) {
    emscripten::function("catalog", &catalog);
    emscripten::function("activation", &activation);
    emscripten::function("loss", &loss);
    emscripten::function("torchCode", &torch_code);
    emscripten::function("heapBytes", &heap_bytes);
}
