// Design note: in WebAssembly, Box–Muller's log and sincos are musl's (Emscripten's libc), one call
// per value, ~50 ns a pair in Node — most of a normal init's time (3.3M values in the depth view).
// This is musl's log and sincos again, two lanes at a time (f64x2), for the arguments Box–Muller
// gives them: the same double operations in the same order, so the same bits as the scalar calls
// (no fused operations exist in WebAssembly, and the file is built with -ffp-contract=off and no
// fast-math). What is copied, from Emscripten 3.1.6's system/lib/libc/musl/src/math/ (musl, MIT
// licence; log.c is Arm's, MIT; the sin/cos kernels FreeBSD's/Sun's, freely redistributable):
// log.c's main and near-1 paths, with musl's own table __log_data (log_data.c, reached by extern,
// not copied); sincos.c for 0 ≤ θ < 9π/4: __rem_pio2.c's quadrant reductions n = 0…4 (its
// constants pio2_1, pio2_1t), __sin.c's two forms and __cos.c, the quadrant's swap and signs.
// Everything else goes lane by lane to the libm call the scalar code makes: log's x = 1, x < 2^-1022,
// x ≥ 1 + 0x1.09p-4, NaN; sin/cos for θ < 2^-26 (nn_random calls sin and cos there), θ ≥ 9π/4, NaN,
// and __rem_pio2's "medium" cancellation cases (θ's high word that of π/2, π, 3π/2 or 2π).
// Checked, not argued: bench/musl_check.sh runs these against the libm calls on > 10^8 arguments of
// Box–Muller's exact forms, every branch point's neighbours and special values (0 differ).
// Natively (glibc, which the PyTorch reference needs) nothing here is built: kTwoLane is false.
#pragma once

namespace lab::nn::musl {

#if defined(__wasm_simd128__) && defined(__EMSCRIPTEN__)
inline constexpr bool kTwoLane = true;
#else
inline constexpr bool kTwoLane = false;
#endif

// y[i] = std::log(x[i]) for i < 2 (x may be y).
void log2(const double* x, double* y);
// s[i], c[i] = sin θ[i], cos θ[i] as nn_random's sin_cos gives them: ::sincos for θ ≥ 2^-26, else
// std::sin and std::cos.
void sincos2(const double* theta, double* s, double* c);
// ATen's normal_fill_16 Box–Muller over one block of 16 uniforms, in place (nn_random.cpp's
// box_muller_16, the same bits).
void box_muller_16(double* data);

}  // namespace lab::nn::musl
