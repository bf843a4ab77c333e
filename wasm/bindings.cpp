// Design note — what JS can call, and nothing else. Each binding converts its arguments
// (convert.hpp), calls the core's entry point by name — lab::evaluate_elementwise,
// evaluate_vector, evaluate_loss, torch_code: the same code the native tests run, with the same
// lookup, kind check and validation — and converts the result back, inside guarded(), so a
// lab::Error comes back as {error: message} for the wrapper (wasm/lab.mjs) to throw. Functions and
// parameters keep PyTorch's names. No math, and no walking of JS values, lives in this file.
#include <emscripten/bind.h>

#include <malloc.h>

#include <memory>
#include <string>
#include <vector>

#include "convert.hpp"
#include "registry.hpp"

namespace {

using namespace lab::wasm;

// The registry as JSON, as the bytes of one string made once (see bytes_view).
val catalog() {
    static const std::string json = lab::catalog_json();
    return bytes_view(json);
}

val activation(const std::string& name, const val& params, const val& x) {
    return guarded([&] {
        const lab::FunctionSpec& f = lab::find_function(name);
        if (f.kind == lab::Kind::Elementwise) {
            // Any shape: the kernel runs over the data in order, and y and dy keep x's shape
            // ({shape, data} each); a flat vector (a Float64Array) gets Float64Arrays back.
            const bool tensor = is_tensor(x);
            const lab::Tensor in = to_input(x);
            // Left uninitialised: the kernel writes every element (saves zero-filling 2 x 8 MB per 1M points).
            const std::size_t n = in.data.size();
            const std::unique_ptr<double[]> y(new double[n]), dy(new double[n]);
            lab::evaluate_elementwise(name, to_params(params), in.shape, in.data.data(), y.get(), dy.get());
            return tensor ? elementwise_to_js(in.shape, y.get(), dy.get()) : elementwise_to_js(y.get(), dy.get(), n);
        }
        if (f.kind == lab::Kind::Vector)
            return to_js(lab::evaluate_vector_tensor(name, to_params(params), to_input(x)));
        throw lab::Error("'" + f.name + "' is a loss: use loss(name, params, args)");
    });
}

val loss(const std::string& name, const val& params, const val& args) {
    return guarded([&] { return to_js(lab::evaluate_loss(name, to_params(params), to_args(args))); });
}

val torch_code(const std::string& name, const val& params) {
    return guarded([&] { return val(lab::torch_code(name, to_params(params))); });
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
