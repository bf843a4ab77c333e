// Design note: two-lane (f64x2) twins of registry kernels, for the network engine only. The page's
// decision-boundary grid is 480,000 tanh evaluations per frame, most of a frame's time in scalar
// WebAssembly; tanh_math.hpp's algorithm has no data-dependent loop, so two lanes can run it side
// by side: both branches (Taylor and exp-based) are computed for both lanes and the right one is
// selected, the table entries gathered lane by lane. Every lane performs exactly the scalar code's
// IEEE operations in the scalar code's order (no FMA, no reassociation: the build's
// -ffp-contract=off), so each output has the scalar kernel's bits — tests/native/test_tanh.cpp
// checks that on tests/reference/tanh.json and on millions of random doubles, and the WebAssembly
// build is checked the same way through bench/wasm_bench.cpp's simdCheck and tests/js.
// Why a separate file: CMakeLists.txt compiles it alone with -msimd128 (with nn_linalg.cpp and
// nn_stats.cpp), and only the network engine calls it, so lab_core.wasm (the page's first visit,
// which the registry's scalar kernels serve) keeps no SIMD instruction. Natively the same source
// compiles to SSE2.
#pragma once

#include <cstddef>

#include "registry.hpp"

namespace lab::nn::simd {

// f's kernel with the same signature and the same bits: a two-lane twin when this file has one
// (Tanh, Tanhshrink), f.elementwise otherwise.
ElementwiseFn elementwise(const FunctionSpec& f);

// f over a (rows × width) row-major array x (y likewise; y may be x): the same values, bit for bit,
// as f's kernel over all rows * width elements. A twin pairs its lanes down the columns here —
// element (r, u) with (r + 1, u), the same unit of two neighbouring examples — where the flat
// kernel pairs (r, u) with (r, u + 1). Both lanes of a pair take tanh_math's cheap branch
// (|x| < 0.125) or neither far more often so: on the decision-boundary grid of a trained
// 2-8×6-1 net, 30% of flat pairs mix the two branches and compute both, 1.5% of column pairs
// (neighbouring grid points see nearly the same pre-activation; one unit's scale differs from
// another's). A function without a twin runs f.elementwise over the whole array.
void elementwise_rows(const FunctionSpec& f, const Params& p, const double* x, std::size_t rows, std::size_t width,
                      double* y, double* dy);

// The twins themselves (y = tanh(x), dy = 1 - y² rounded once; Tanhshrink y = x - tanh(x),
// dy = 1 + -(1 - tanh²)); dy may be nullptr (values only). Params are unused.
void tanh(const Params& p, const double* x, std::size_t n, double* y, double* dy);
void tanhshrink(const Params& p, const double* x, std::size_t n, double* y, double* dy);

}  // namespace lab::nn::simd
