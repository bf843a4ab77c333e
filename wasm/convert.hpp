// Design note — the conversions between JS values (emscripten::val) and the core's C++ types,
// kept apart so that bindings.cpp only declares what JS can call and calls the core's own entry
// points, the ones the native tests call. Why Embind's val: C++ builds and reads plain JS objects,
// so the JS wrapper needs no hand-written memory management and the core keeps its natural types.
// Why copies: arrays cross the boundary as one bulk copy each way — a Float64Array is copied into a
// std::vector through a typed_memory_view's set(), and results leave as
// typed_memory_view(...).slice() — never element by element (measured ~5x slower for 1M points).
// Tensors arrive as {shape, data}: the JS wrapper (wasm/lab.mjs) flattens nested arrays first.
// Errors: guarded() turns every lab::Error (and std::bad_alloc for huge inputs) into a returned
// {error: message}, which the wrapper throws as a JS Error; nothing aborts the instance.
#pragma once

#include <emscripten/val.h>

#include <cstddef>
#include <exception>
#include <string>
#include <vector>

#include "registry.hpp"

namespace lab::wasm {

using emscripten::val;

// ---------------------------------------------------------------- JS -> C++
std::vector<double> to_vector(const val& array);  // a Float64Array (or array of numbers)
// Numbers, booleans, strings, null/undefined (None) and {shape, data} tensors, by keyword.
ParamMap to_params(const val& object);
ArgMap to_args(const val& object);  // forward-argument name -> {shape, data}
// An activation's input: {shape, data}, or a Float64Array (1-D).
Tensor to_input(const val& x);
bool is_tensor(const val& x);  // {shape, data}, not a bare Float64Array

// ---------------------------------------------------------------- C++ -> JS
val to_js(const double* data, std::size_t n);  // a new Float64Array
val elementwise_to_js(const double* y, const double* dy, std::size_t n);  // {y, dy}
// {y: tensor, dy: tensor}, each of that shape
val elementwise_to_js(const Shape& shape, const double* y, const double* dy);
val to_js(const VectorTensorResult& r);  // {y: tensor, jacobian: tensor, dim, warnings: [string]}
val to_js(const LossResult& r);  // {loss, elementwise, grad: {arg: tensor}, warnings: [string]}
// A Uint8Array view (not a copy) of the string's bytes, for TextDecoder: Embind's std::string
// conversion scans ~70 KB byte by byte in JS twice (~15 ms on a cold page load). The string must
// outlive the view.
val bytes_view(const std::string& s);

// ---------------------------------------------------------------- errors
// An exception as {error: message}: lab::Error's own message (PyTorch's words), an
// out-of-memory text for std::bad_alloc and std::length_error, "internal error: ..." otherwise.
val error_to_js(const std::exception& e);

template <class F>
val guarded(F&& f) {
    try {
        return f();
    } catch (const std::exception& e) {
        return error_to_js(e);
    }
}

}  // namespace lab::wasm
