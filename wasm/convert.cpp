// Design note: see convert.hpp. Everything that walks a JS value or builds one lives here, so a
// change of the JS-visible shapes is a change of this file only. No math lives here.
#include "convert.hpp"

#include <new>
#include <stdexcept>

namespace lab::wasm {

std::vector<double> to_vector(const val& array) {
    const auto n = array["length"].as<std::size_t>();
    std::vector<double> v(n);
    // The view is made after the allocation, so it sees the memory as grown by it.
    val(emscripten::typed_memory_view(n, v.data())).call<void>("set", array);
    return v;
}

namespace {

Tensor to_tensor(const val& object) {
    Tensor t;
    const val shape = object["shape"];
    const auto dims = shape["length"].as<std::size_t>();
    t.shape.resize(dims);
    for (std::size_t i = 0; i < dims; ++i) t.shape[i] = static_cast<std::int64_t>(shape[i].as<double>());
    t.data = to_vector(object["data"]);
    if (t.data.size() != numel(t.shape)) throw Error("internal: tensor data does not match its shape");
    return t;
}

val array_to_js(const std::vector<double>& v) { return to_js(v.data(), v.size()); }

val tensor_to_js(const Tensor& t) {
    val shape = val::array();
    for (auto d : t.shape) shape.call<void>("push", static_cast<double>(d));
    val o = val::object();
    o.set("shape", shape);
    o.set("data", array_to_js(t.data));
    return o;
}

val keys_of(const val& object) { return val::global("Object").call<val>("keys", object); }

val error_object(const std::string& message) {
    val o = val::object();
    o.set("error", message);
    return o;
}

constexpr const char* kTooLarge =
    "out of memory: the input is too large for WebAssembly's 4 GB memory (try fewer points)";

}  // namespace

ParamMap to_params(const val& object) {
    ParamMap out;
    const val keys = keys_of(object);
    const auto n = keys["length"].as<std::size_t>();
    for (std::size_t i = 0; i < n; ++i) {
        const auto key = keys[i].as<std::string>();
        const val v = object[key];
        const auto type = v.typeOf().as<std::string>();
        if (type == "number") out[key] = Value::num(v.as<double>());
        else if (type == "boolean") out[key] = Value::flag(v.as<bool>());
        else if (type == "string") out[key] = Value::str(v.as<std::string>());
        else if (v.isNull() || v.isUndefined()) out[key] = Value::none();
        else out[key] = Value::tensor_of(to_tensor(v));
    }
    return out;
}

bool is_tensor(const val& x) { return !x["shape"].isUndefined(); }

Tensor to_input(const val& x) {
    if (x["shape"].isUndefined()) {
        std::vector<double> data = to_vector(x);
        const auto n = static_cast<std::int64_t>(data.size());
        return Tensor(Shape{n}, std::move(data));
    }
    return to_tensor(x);
}

ArgMap to_args(const val& object) {
    ArgMap out;
    const val keys = keys_of(object);
    const auto n = keys["length"].as<std::size_t>();
    for (std::size_t i = 0; i < n; ++i) {
        const auto key = keys[i].as<std::string>();
        out[key] = to_tensor(object[key]);
    }
    return out;
}

val to_js(const double* data, std::size_t n) {
    return val(emscripten::typed_memory_view(n, data)).call<val>("slice");
}

val elementwise_to_js(const double* y, const double* dy, std::size_t n) {
    val out = val::object();
    out.set("y", to_js(y, n));
    out.set("dy", to_js(dy, n));
    return out;
}

val elementwise_to_js(const Shape& shape, const double* y, const double* dy) {
    const std::size_t n = numel(shape);
    val out = val::object();
    out.set("y", tensor_to_js(Tensor(shape, std::vector<double>(y, y + n))));
    out.set("dy", tensor_to_js(Tensor(shape, std::vector<double>(dy, dy + n))));
    return out;
}

namespace {
val strings_to_js(const std::vector<std::string>& list) {
    val out = val::array();
    for (const auto& w : list) out.call<void>("push", w);
    return out;
}
}  // namespace

val to_js(const VectorTensorResult& r) {
    val out = val::object();
    out.set("y", tensor_to_js(r.y));
    out.set("jacobian", tensor_to_js(r.jacobian));
    out.set("dim", static_cast<double>(r.dim));
    out.set("warnings", strings_to_js(r.warnings));
    return out;
}

val to_js(const LossResult& r) {
    val out = val::object();
    out.set("loss", tensor_to_js(r.loss));
    out.set("elementwise", tensor_to_js(r.elementwise));
    val grad = val::object();
    for (const auto& [k, t] : r.grad) grad.set(k, tensor_to_js(t));
    out.set("grad", grad);
    out.set("warnings", strings_to_js(r.warnings));
    return out;
}

val bytes_view(const std::string& s) {
    return val(emscripten::typed_memory_view(s.size(), reinterpret_cast<const unsigned char*>(s.data())));
}

val error_to_js(const std::exception& e) {
    if (dynamic_cast<const Error*>(&e)) return error_object(e.what());
    if (dynamic_cast<const std::bad_alloc*>(&e) || dynamic_cast<const std::length_error*>(&e))
        return error_object(kTooLarge);
    return error_object(std::string("internal error: ") + e.what());
}

}  // namespace lab::wasm
