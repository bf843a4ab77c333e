// Design note — the conversions of the network engine's types (core/nn_*.hpp) to and from JS
// values, kept apart from bindings_nn.cpp for the same reason convert.hpp is apart from
// bindings.cpp: the bindings only say what JS can call. The JS wrapper (wasm/network.mjs) has
// already checked every field's JS type and flattened every tensor to {shape, data:
// Float64Array}, so this side reads trusted shapes and leaves the checking of values to the core
// (whose messages name the field). Arrays cross in one bulk copy each way (convert.hpp's
// to_vector / to_js), never element by element; per-layer results are small objects holding
// Float64Arrays. Results use the JS side's camelCase names for the lab's own fields
// (weightGradNorm, postMean …); PyTorch's keyword names stay PyTorch's.
#pragma once

#include <emscripten/val.h>

#include <vector>

#include "convert.hpp"
#include "nn_data.hpp"
#include "nn_meanfield.hpp"
#include "nn_model.hpp"
#include "nn_stats.hpp"

namespace lab::wasm {

// ---------------------------------------------------------------- JS -> C++
// Every field below may be absent (undefined or null): the core's own default then stands
// (NetworkSpec, StatsOptions, DataSpec), so no default is written twice.
// {sizes, activation: {name, params} or {formula, params}, output, bias, seed, init: {weight,
// params, bias}, loss, optimizer}.
nn::NetworkSpec to_network_spec(const val& spec);
// {activation, output} over `base`: a field that is undefined keeps base's; output null is none.
nn::NetworkSpec to_network_spec(const val& modules, const nn::NetworkSpec& base);
// {seed, init} over `base` for reinitialize(): undefined keeps base's; init null is none.
nn::NetworkSpec to_reinit_spec(const val& spec, const nn::NetworkSpec& base);
// {activation: {name, params} or {formula, params}, sigmaW2, sigmaB2}
nn::MeanField to_mean_field(const val& spec);
// [{weight: {shape, data} | undefined, bias: {shape, data} | null}, …]; a weight left out is the
// layer's in `current` (the network's own: a bias-only update crosses no weights).
std::vector<nn::LinearParams> to_linear_params(const val& list, const std::vector<nn::LinearParams>& current = {});
// {bins, saturation, preRange, postRange, gradRange, shared, layers}: ranges [lo, hi] or null,
// layers [first, last) or null.
nn::StatsOptions to_stats_options(const val& options);
// {name, n, noise, classes, trainRatio, seed}
nn::DataSpec to_data_spec(const val& spec);
// A seed as JS holds it (an integer number, negative ones as torch.manual_seed wraps them).
std::uint64_t to_seed(const val& seed);

// ---------------------------------------------------------------- C++ -> JS
val tensor_js(const Tensor& t);                            // {shape, data: Float64Array}
val to_js(const std::vector<nn::LinearParams>& layers);    // [{weight: {shape, data}, bias: {shape, data} | null}]
val to_js(const nn::ForwardResult& r);                     // {output, layers: [{pre, post}]}
val to_js(const nn::GradientResult& r);                    // {loss, grads, warnings}
val to_js(const std::vector<nn::LayerStats>& stats);       // [{pre, post, grad, weightGradNorm, …}]
val to_js(const nn::StatsRanges& r);                       // {pre: [lo, hi], post: [lo, hi], grad: [lo, hi] | null}
val to_js(const nn::DataSplit& split);                     // {train: {x, y}, test: {x, y}, classes}
val dataset_infos_js();                                    // [{name, classification, …}]
val to_js(const nn::Moments& m);                           // {mean, second, slope2}
// Column arrays, one entry per layer: {q, postMean, postSecond, postVar, chi} (Float64Arrays).
val to_js(const std::vector<nn::LayerPrediction>& layers);

}  // namespace lab::wasm
