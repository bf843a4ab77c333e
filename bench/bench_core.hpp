// The benchmark's C++ side, compiled twice from the same source: natively (bench/native_bench.cpp)
// and to WebAssembly (bench/wasm_bench.cpp), so "WASM vs native" compares identical code.
#pragma once

#include <string>

namespace labbench {

// Times f and f' of every elementwise activation on `points` points, and the value and gradient
// of every loss on inputs of about `points` elements (its workbench example tiled along dim 0).
// Returns JSON: [{"name", "kind", "points", "ms"}] with ms the median of `reps` timed runs.
std::string run(std::size_t points, int reps, const std::string& only = "");

}  // namespace labbench
