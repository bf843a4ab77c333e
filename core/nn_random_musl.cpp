// Design note: see nn_random_musl.hpp (what is musl's and why the bits are its). Each expression
// below is musl's C expression with its parentheses written out as C parses it (left to right), one
// f64x2 operation per scalar operation; a lane whose argument is outside the copied paths, or a
// pair where the two lanes need different paths that are not both computed, goes to the scalar call.
// Built only for WebAssembly SIMD (CMakeLists.txt: -msimd128 -O3); natively this file is empty.
#include "nn_random_musl.hpp"

#if defined(__wasm_simd128__) && defined(__EMSCRIPTEN__)

#include <wasm_simd128.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <numbers>

// musl's log table (src/math/log_data.h, without __FP_FAST_FMA: tab2 is there), linked from libc.
extern "C" const struct lab_musl_log_data {
    double ln2hi, ln2lo;
    double poly[5];
    double poly1[11];
    struct {
        double invc, logc;
    } tab[128];
    struct {
        double chi, clo;
    } tab2[128];
} __log_data;

namespace lab::nn::musl {

namespace {

inline v128_t splat(double v) { return wasm_f64x2_splat(v); }
inline v128_t add(v128_t a, v128_t b) { return wasm_f64x2_add(a, b); }
inline v128_t sub(v128_t a, v128_t b) { return wasm_f64x2_sub(a, b); }
inline v128_t mul(v128_t a, v128_t b) { return wasm_f64x2_mul(a, b); }

// log.c's main path (x = 2^k z, z/c − 1 from the table) for two lanes in [2^-1022, ∞).
v128_t log_main(v128_t x) {
    const auto& D = __log_data;
    const v128_t ix = x;
    const v128_t tmp = wasm_i64x2_sub(ix, wasm_i64x2_splat(0x3fe6000000000000));
    // The high words of tmp (i32 lanes 1, 3): i = (tmp >> 45) % 128 and k = (int64_t)tmp >> 52
    // (arithmetic) are (hi >> 13) & 127 and hi >> 20 of them.
    const v128_t thi = wasm_i32x4_shuffle(tmp, tmp, 1, 3, 1, 3);
    const v128_t iv = wasm_v128_and(wasm_u32x4_shr(thi, 13), wasm_i32x4_splat(127));
    const v128_t kd = wasm_f64x2_convert_low_i32x4(wasm_i32x4_shr(thi, 20));  // (double_t)k, exact
    const v128_t iz = wasm_i64x2_sub(ix, wasm_v128_and(tmp, wasm_i64x2_splat(static_cast<std::int64_t>(0xfffULL << 52))));
    const int i0 = wasm_i32x4_extract_lane(iv, 0), i1 = wasm_i32x4_extract_lane(iv, 1);
    // T[i] = {invc, logc} and T2[i] = {chi, clo}: one load per lane, lanes regrouped.
    const v128_t t0 = wasm_v128_load(&D.tab[i0]), t1 = wasm_v128_load(&D.tab[i1]);
    const v128_t u0 = wasm_v128_load(&D.tab2[i0]), u1 = wasm_v128_load(&D.tab2[i1]);
    const v128_t invc = wasm_i64x2_shuffle(t0, t1, 0, 2), logc = wasm_i64x2_shuffle(t0, t1, 1, 3);
    const v128_t chi = wasm_i64x2_shuffle(u0, u1, 0, 2), clo = wasm_i64x2_shuffle(u0, u1, 1, 3);
    const v128_t z = iz;
    // r = (z - T2[i].chi - T2[i].clo) * invc;
    const v128_t r = mul(sub(sub(z, chi), clo), invc);
    // w = kd * Ln2hi + logc; hi = w + r; lo = w - hi + r + kd * Ln2lo;
    const v128_t w = add(mul(kd, splat(D.ln2hi)), logc);
    const v128_t hi = add(w, r);
    const v128_t lo = add(add(sub(w, hi), r), mul(kd, splat(D.ln2lo)));
    // y = lo + r2 * A[0] + r * r2 * (A[1] + r * A[2] + r2 * (A[3] + r * A[4])) + hi;
    const double* A = D.poly;
    const v128_t r2 = mul(r, r);
    const v128_t p = add(add(splat(A[1]), mul(r, splat(A[2]))), mul(r2, add(splat(A[3]), mul(r, splat(A[4])))));
    return add(add(add(lo, mul(r2, splat(A[0]))), mul(mul(r, r2), p)), hi);
}

// log.c's path for 1 − 2^-4 ≤ x < 1 + 0x1.09p-4, x ≠ 1.
v128_t log_near1(v128_t x) {
    const double* B = __log_data.poly1;
    const auto b = [B](int i) { return splat(B[i]); };
    const v128_t r = sub(x, splat(1.0));
    const v128_t r2 = mul(r, r);
    const v128_t r3 = mul(r, r2);
    // r3 * (B[1] + r*B[2] + r2*B[3] + r3*(B[4] + r*B[5] + r2*B[6] + r3*(B[7] + r*B[8] + r2*B[9] + r3*B[10])))
    const v128_t q3 = add(add(add(b(7), mul(r, b(8))), mul(r2, b(9))), mul(r3, b(10)));
    const v128_t q2 = add(add(add(b(4), mul(r, b(5))), mul(r2, b(6))), mul(r3, q3));
    const v128_t q1 = add(add(add(b(1), mul(r, b(2))), mul(r2, b(3))), mul(r3, q2));
    v128_t y = mul(r3, q1);
    // w = r * 0x1p27; rhi = r + w - w; rlo = r - rhi; w = rhi * rhi * B[0];
    v128_t w = mul(r, splat(0x1p27));
    const v128_t rhi = sub(add(r, w), w);
    const v128_t rlo = sub(r, rhi);
    w = mul(mul(rhi, rhi), b(0));
    // hi = r + w; lo = r - hi + w; lo += B[0] * rlo * (rhi + r); y += lo; y += hi;
    const v128_t hi = add(r, w);
    v128_t lo = add(sub(r, hi), w);
    lo = add(lo, mul(mul(b(0), rlo), add(rhi, r)));
    y = add(y, lo);
    return add(y, hi);
}

// sin.c/cos.c's kernels (__sin with both forms of iy, __cos) on y0 + y1.
constexpr double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03, S3 = -1.98412698298579493134e-04,
                 S4 = 2.75573137070700676789e-06, S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
constexpr double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03, C3 = 2.48015872894767294178e-05,
                 C4 = -2.75573143513906633035e-07, C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
// __rem_pio2.c's first 33 bits of π/2 and the rest.
constexpr double pio2_1 = 1.57079632673412561417e+00, pio2_1t = 6.07710050650619224932e-11;

// The largest high word of each quadrant reduction n = 0…4 in __rem_pio2 / sincos, as the smallest
// double above it: θ < kBound[n] ⇔ high word ≤ that bound (θ ≥ 0).
constexpr double above(std::uint32_t hw) { return __builtin_bit_cast(double, static_cast<std::uint64_t>(hw + 1) << 32); }

// nn_random's sin_cos, one lane.
inline void sin_cos_scalar(double theta, double& s, double& c) {
    if (theta >= 0x1p-26) {
        ::sincos(theta, &s, &c);
        return;
    }
    s = std::sin(theta);
    c = std::cos(theta);
}

inline void sincos_v(v128_t x, v128_t& s_out, v128_t& c_out, const double* theta) {
    constexpr double b0 = above(0x3fe921fb), b1 = above(0x4002d97c), b2 = above(0x400f6a7a), b3 = above(0x4015fdbc),
                        b4 = above(0x401c463b);
    // Lanes the copy covers: 2^-26 ≤ θ < 9π/4's bound, and not a "medium" high word.
    const v128_t hw = wasm_u64x2_shr(x, 32);
    const v128_t medium = wasm_v128_or(wasm_v128_or(wasm_i64x2_eq(hw, wasm_i64x2_splat(0x3ff921fb)),
                                                    wasm_i64x2_eq(hw, wasm_i64x2_splat(0x400921fb))),
                                       wasm_v128_or(wasm_i64x2_eq(hw, wasm_i64x2_splat(0x4012d97c)),
                                                    wasm_i64x2_eq(hw, wasm_i64x2_splat(0x401921fb))));
    const v128_t ok = wasm_v128_andnot(wasm_v128_and(wasm_f64x2_ge(x, splat(0x1p-26)), wasm_f64x2_lt(x, splat(b4))), medium);
    if (!wasm_i64x2_all_true(ok)) {
        double s[2], c[2];
        sin_cos_scalar(theta[0], s[0], c[0]);
        sin_cos_scalar(theta[1], s[1], c[1]);
        s_out = wasm_v128_load(s);
        c_out = wasm_v128_load(c);
        return;
    }
    // n = the number of bounds θ is at or above (0…4), as a double (sums of 1.0: exact).
    const v128_t one = splat(1.0);
    const v128_t m0 = wasm_f64x2_ge(x, splat(b0));
    v128_t n = wasm_v128_and(m0, one);
    n = add(n, wasm_v128_and(wasm_f64x2_ge(x, splat(b1)), one));
    n = add(n, wasm_v128_and(wasm_f64x2_ge(x, splat(b2)), one));
    n = add(n, wasm_v128_and(wasm_f64x2_ge(x, splat(b3)), one));
    // z = x - n*pio2_1; y[0] = z - n*pio2_1t; y[1] = (z-y[0]) - n*pio2_1t; (n = 0: y = (x, +0))
    const v128_t k1 = mul(n, splat(pio2_1)), k1t = mul(n, splat(pio2_1t));
    const v128_t zr = sub(x, k1);
    const v128_t y0 = sub(zr, k1t);
    const v128_t y1 = sub(sub(zr, y0), k1t);
    // __sin: z = x*x; w = z*z; r = S2 + z*(S3 + z*S4) + z*w*(S5 + z*S6); v = z*x;
    const v128_t z = mul(y0, y0);
    const v128_t w = mul(z, z);
    const v128_t r = add(add(splat(S2), mul(z, add(splat(S3), mul(z, splat(S4))))),
                         mul(mul(z, w), add(splat(S5), mul(z, splat(S6)))));
    const v128_t v = mul(z, y0);
    // iy = 0 (n = 0): x + v*(S1 + z*r);  iy = 1: x - ((z*(0.5*y - v*r) - y) - v*S1)
    const v128_t sin0 = add(y0, mul(v, add(splat(S1), mul(z, r))));
    const v128_t sin1 =
        sub(y0, sub(sub(mul(z, sub(mul(splat(0.5), y1), mul(v, r))), y1), mul(v, splat(S1))));
    const v128_t sn = wasm_v128_bitselect(sin1, sin0, m0);
    // __cos: r = z*(C1+z*(C2+z*C3)) + w*w*(C4+z*(C5+z*C6)); hz = 0.5*z; w = 1.0-hz;
    //        w + (((1.0-w)-hz) + (z*r-x*y))
    const v128_t rc = add(mul(z, add(splat(C1), mul(z, add(splat(C2), mul(z, splat(C3)))))),
                          mul(mul(w, w), add(splat(C4), mul(z, add(splat(C5), mul(z, splat(C6)))))));
    const v128_t hz = mul(splat(0.5), z);
    const v128_t wc = sub(one, hz);
    const v128_t cs = add(wc, add(sub(sub(one, wc), hz), sub(mul(z, rc), mul(y0, y1))));
    // switch (n&3): 0: (s, c); 1: (c, −s); 2: (−s, −c); 3: (−c, s).
    // (n is 0…4 exactly; n = 4 is quadrant 0)
    const v128_t n1 = wasm_f64x2_eq(n, one), n2 = wasm_f64x2_eq(n, splat(2.0)), n3 = wasm_f64x2_eq(n, splat(3.0));
    const v128_t swap = wasm_v128_or(n1, n3);
    const v128_t sign = splat(-0.0);
    const v128_t neg_s = wasm_v128_and(wasm_v128_or(n2, n3), sign);
    const v128_t neg_c = wasm_v128_and(wasm_v128_or(n1, n2), sign);
    s_out = wasm_v128_xor(wasm_v128_bitselect(cs, sn, swap), neg_s);
    c_out = wasm_v128_xor(wasm_v128_bitselect(sn, cs, swap), neg_c);
}

inline v128_t log_v(v128_t x, const double* xs) {
    constexpr double kLo = 1.0 - 0x1p-4, kHi = 1.0 + 0x1.09p-4;
    const v128_t main = wasm_v128_and(wasm_f64x2_ge(x, splat(0x1p-1022)), wasm_f64x2_lt(x, splat(kLo)));
    if (wasm_i64x2_all_true(main)) return log_main(x);
    const v128_t near = wasm_v128_and(wasm_v128_and(wasm_f64x2_ge(x, splat(kLo)), wasm_f64x2_lt(x, splat(kHi))),
                                      wasm_f64x2_ne(x, splat(1.0)));
    if (wasm_i64x2_all_true(near)) return log_near1(x);
    if (wasm_i64x2_all_true(wasm_v128_or(main, near))) return wasm_v128_bitselect(log_main(x), log_near1(x), main);
    return wasm_f64x2_make(std::log(xs[0]), std::log(xs[1]));
}

constexpr double kTwoPi = 2.0 * std::numbers::pi;  // as nn_random.cpp's

}  // namespace

void log2(const double* x, double* y) { wasm_v128_store(y, log_v(wasm_v128_load(x), x)); }

void sincos2(const double* theta, double* s, double* c) {
    v128_t sv, cv;
    sincos_v(wasm_v128_load(theta), sv, cv, theta);
    wasm_v128_store(s, sv);
    wasm_v128_store(c, cv);
}

void box_muller_16(double* data) {
    // for j < 8: u1 = 1 - data[j]; u2 = data[j + 8]; radius = sqrt(-2 * log(u1));
    //            data[j] = radius * cos(2π u2); data[j + 8] = radius * sin(2π u2)
    for (int j = 0; j < 8; j += 2) {
        alignas(16) double u1[2], th[2];
        wasm_v128_store(u1, sub(splat(1.0), wasm_v128_load(data + j)));
        wasm_v128_store(th, mul(splat(kTwoPi), wasm_v128_load(data + j + 8)));
        const v128_t radius = wasm_f64x2_sqrt(mul(splat(-2.0), log_v(wasm_v128_load(u1), u1)));
        v128_t s, c;
        sincos_v(wasm_v128_load(th), s, c, th);
        wasm_v128_store(data + j, mul(radius, c));
        wasm_v128_store(data + j + 8, mul(radius, s));
    }
}

}  // namespace lab::nn::musl

#endif
