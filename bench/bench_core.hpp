// The benchmark's C++ side, compiled twice from the same source: natively (bench/native_bench.cpp)
// and to WebAssembly (bench/wasm_bench.cpp), so "WASM vs native" compares identical code.
#pragma once

#include <string>

namespace labbench {

// Times f and f' of every elementwise activation on `points` points, and the value and gradient
// of every loss on inputs of about `points` elements (its workbench example tiled along dim 0).
// Returns JSON: [{"name", "kind", "points", "ms"}] with ms the median of `reps` timed runs.
std::string run(std::size_t points, int reps, const std::string& only = "");

// Times the network engine (core/nn_model, nn_stats) on issue 9's speed cases: the depth view's
// worst case (50 Linear layers of width 256, tanh, batch 256: forward, forward + gradients of an
// MSE loss, and those + layer_statistics) and the page's training frame (one epoch of 250 2-D
// points in batches of 10 = 25 SGD steps, then the forward pass of a 100×100 grid) for the
// 2-8-8-8-8-8-8-1 and 2-4-2-1 tanh nets. Returns JSON: [{"name", "ms", "min_ms"}]: the median and
// the fastest of `reps` runs.
std::string run_networks(int reps, const std::string& only = "");

}  // namespace labbench
