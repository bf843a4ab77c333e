// Design note: see nn_act_simd.hpp. tanh_math.hpp's tanh_fast and one_minus_square transcribed
// operation for operation onto GCC/Clang vector types of two doubles (SSE2 natively, WebAssembly
// f64x2 under -msimd128); the scalar code's branches become lane selects, its integer tricks
// (k from the shifted significand, 2^(k/256)'s exponent) 64-bit lane arithmetic, and the table
// lookup one 16-byte load per lane. An odd last element goes through the scalar functions.
// elementwise_rows() only chooses which two elements share a register (two rows of one column);
// what each lane computes is the same function of its own element.
#include "nn_act_simd.hpp"

#include <cstdint>
#include <cstring>
#include <string_view>

#include "tanh_math.hpp"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace lab::nn::simd {
namespace {

using v2d = double __attribute__((vector_size(16)));
using v2u = std::uint64_t __attribute__((vector_size(16)));

template <class To, class From>
inline To cast(From f) {
    static_assert(sizeof(To) == sizeof(From));
    To t;
    std::memcpy(&t, &f, sizeof t);
    return t;
}
inline v2d splat(double d) { return v2d{d, d}; }
inline v2u splat_u(std::uint64_t u) { return v2u{u, u}; }
// A lane comparison's all-ones / all-zeros mask, as unsigned lanes.
template <class M>
inline v2u mask(M m) { return cast<v2u>(m); }
// Whether either lane of a mask is set, in one instruction where there is one (v128.any_true,
// movmskpd): V8 compiles two lane extracts and an OR otherwise, on the hot path of every pair.
inline bool any(v2u m) {
#if defined(__wasm_simd128__)
    return wasm_v128_any_true(cast<v128_t>(m));
#elif defined(__SSE2__)
    return _mm_movemask_pd(cast<__m128d>(m)) != 0;
#else
    return (m[0] | m[1]) != 0;
#endif
}
inline v2d select(v2u m, v2d a, v2d b) { return cast<v2d>((m & cast<v2u>(a)) | (~m & cast<v2u>(b))); }
inline v2d load(const double* p) {
    v2d v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline void store(double* p, v2d v) { std::memcpy(p, &v, sizeof v); }

// tanh_math::exact_mul, lane-wise.
inline void exact_mul(v2d a, v2d b, v2d& hi, v2d& lo) {
    const v2d split = splat(134217729.0);
    hi = a * b;
    const v2d ca = split * a, ah = ca - (ca - a), al = a - ah;
    const v2d cb = split * b, bh = cb - (cb - b), bl = b - bh;
    lo = ((ah * bh - hi) + ah * bl + al * bh) + al * bl;
}

// tanh_math::tanh_mid, lane-wise (lanes outside its range compute garbage that is not selected).
inline v2d tanh_mid(v2d a) {
    const v2d t = splat(2.0) * a;
    const v2d shifted = t * splat(0x1.71547652b82fep+8) + splat(0x1.8p52);
    const v2d kd = shifted - splat(0x1.8p52);
    const v2u k = cast<v2u>(shifted) & splat_u(0xffffffffu);  // the scalar code's uint32 k
    const v2d r = (t - kd * splat(0x1.62e42fefa0000p-9)) - kd * splat(0x1.cf79abc9e3b3ap-48);
    const v2d p = r + r * r * (splat(0.5) + r * (splat(1.0 / 6) + r * (splat(1.0 / 24) + r * splat(1.0 / 120))));
    const v2u j = k & splat_u(255);
    const v2d t0 = load(tanh_math::kExp2Table[j[0]]), t1 = load(tanh_math::kExp2Table[j[1]]);
    const v2d th = {t0[0], t1[0]}, tl = {t0[1], t1[1]};
    const v2d scale = cast<v2d>(((k >> 8) + splat_u(1023)) << 52);
    const v2d e0 = th * scale, e1 = (tl + th * p) * scale;
    const v2d eh = e0 + e1, el = (e0 - eh) + e1;
    const v2d one = splat(1.0);
    const v2d nh = eh - one, nl = ((eh - nh) - one) + el;
    const v2d dh = eh + one, dl = ((eh - dh) + one) + el;
    const v2d inv = one / dh;
    const v2d q = nh * inv;
    v2d ph, pl;
    exact_mul(q, dh, ph, pl);
    const v2d rem = (((nh - ph) - pl) + nl) - q * dl;
    return q + rem * inv;
}

// tanh_math::tanh_small, lane-wise.
inline v2d tanh_small(v2d a) {
    const v2d z = a * a;
    v2d s = splat(-0x1.f57d7734d1664p-13);
    s = s * z + splat(0x1.3558248036744p-11);
    s = s * z + splat(-0x1.7da36452b75e3p-10);
    s = s * z + splat(0x1.d6d3d0e157de0p-9);
    s = s * z + splat(-0x1.226e355e6c23dp-7);
    s = s * z + splat(0x1.664f4882c10fap-6);
    s = s * z + splat(-0x1.ba1ba1ba1ba1cp-5);
    s = s * z + splat(0x1.1111111111111p-3);
    s = s * z + splat(-0x1.5555555555555p-2);
    return a + a * (z * s);
}

// tanh_math::tanh_fast, lane-wise: both branches, then the scalar code's choice per lane. y >= 0
// before the sign, so -y is y with x's sign bit; a NaN lane returns x itself, as the scalar code.
inline v2d tanh_fast(v2d x) {
    const v2u sign = splat_u(std::uint64_t{1} << 63);
    const v2u xb = cast<v2u>(x);
    const v2d a = cast<v2d>(xb & ~sign);
    // A branch no lane takes is skipped (it would only be selected away): most of a network's
    // pre-activations are past 0.125, and a lane's result does not depend on the other's.
    const v2u small = mask(a < splat(0.125)), mid = mask(a <= splat(18.714973875));
    v2d y = splat(1.0);
    if (any(mid & ~small)) y = select(mid, tanh_mid(a), y);
    if (any(small)) y = select(small, tanh_small(a), y);
    const v2d signed_y = cast<v2d>(cast<v2u>(y) ^ (xb & sign));
    return select(mask(a != a), x, signed_y);
}

// tanh_math::one_minus_square, lane-wise; the round-to-odd step by masks.
inline v2d one_minus_square(v2d y) {
    const v2d one = splat(1.0), zero = splat(0.0);
    const v2d p = y * y;
    const v2d c = splat(134217729.0) * y, yh = c - (c - y), yl = y - yh;
    const v2d pl = ((yh * yh - p) + splat(2.0) * (yh * yl)) + yl * yl;
    const v2d sh = one - p, sl = (one - sh) - p;
    const v2d u = sl - pl, v = u - sl;
    const v2d w = (sl - (u - v)) + (-pl - v);
    v2u b = cast<v2u>(u);
    const v2u same = ~(mask(w > zero) ^ mask(u > zero));
    const v2u step = (same & splat_u(1)) | ~same;  // 1 where the signs agree, ~0 (= -1) otherwise
    const v2u bump = mask(w != zero) & mask((b & splat_u(1)) == splat_u(0));
    b += bump & step;
    return sh + cast<v2d>(b);
}

// Lane-wise functions of one pair: y, and dy when WithDy.
template <bool WithDy>
struct TanhPair {
    void operator()(v2d x, v2d& y, v2d& dy) const {
        y = tanh_fast(x);
        if (WithDy) dy = one_minus_square(y);
    }
};
template <bool WithDy>
struct TanhshrinkPair {
    void operator()(v2d x, v2d& y, v2d& dy) const {
        const v2d t = tanh_fast(x);
        y = x - t;
        if (WithDy) dy = splat(1.0) + -one_minus_square(t);  // (activations_sigmoid_shrink.cpp)
    }
};

// elementwise_rows() with a pair function: rows r and r + 1 two units at a time — the four inputs
// loaded before any output is stored, so y may be x — as two column pairs (unit u of both rows,
// unit u + 1 of both rows); an odd last unit as one column pair; an odd last row by the flat kernel.
template <bool WithDy, template <bool> class Pair>
void by_rows(const Params& p, const double* x, std::size_t rows, std::size_t w, double* y, double* dy, ElementwiseFn flat) {
    const Pair<WithDy> pair;
    std::size_t r = 0;
    for (; r + 2 <= rows; r += 2) {
        const double* x0 = x + r * w;
        const double* x1 = x0 + w;
        double* y0 = y + r * w;
        double* y1 = y0 + w;
        double* d0 = WithDy ? dy + r * w : nullptr;
        double* d1 = WithDy ? d0 + w : nullptr;
        std::size_t u = 0;
        for (; u + 2 <= w; u += 2) {
            const v2d a = load(x0 + u), b = load(x1 + u);
            v2d yp, yq, dp, dq;
            pair(v2d{a[0], b[0]}, yp, dp);
            pair(v2d{a[1], b[1]}, yq, dq);
            store(y0 + u, v2d{yp[0], yq[0]});
            store(y1 + u, v2d{yp[1], yq[1]});
            if (WithDy) {
                store(d0 + u, v2d{dp[0], dq[0]});
                store(d1 + u, v2d{dp[1], dq[1]});
            }
        }
        if (u < w) {
            v2d yp, dp;
            pair(v2d{x0[u], x1[u]}, yp, dp);
            y0[u] = yp[0];
            y1[u] = yp[1];
            if (WithDy) {
                d0[u] = dp[0];
                d1[u] = dp[1];
            }
        }
    }
    if (r < rows) flat(p, x + r * w, w, y + r * w, WithDy ? dy + r * w : nullptr);
}

}  // namespace

void elementwise_rows(const FunctionSpec& f, const Params& p, const double* x, std::size_t rows, std::size_t width,
                      double* y, double* dy) {
    const std::string_view name = f.name;
    if (name == "Tanh")
        dy ? by_rows<true, TanhPair>(p, x, rows, width, y, dy, &simd::tanh)
           : by_rows<false, TanhPair>(p, x, rows, width, y, dy, &simd::tanh);
    else if (name == "Tanhshrink")
        dy ? by_rows<true, TanhshrinkPair>(p, x, rows, width, y, dy, &simd::tanhshrink)
           : by_rows<false, TanhshrinkPair>(p, x, rows, width, y, dy, &simd::tanhshrink);
    else
        f.elementwise(p, x, rows * width, y, dy);
}

void tanh(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    std::size_t i = 0;
    if (dy == nullptr) {
        for (; i + 2 <= n; i += 2) store(y + i, tanh_fast(load(x + i)));
    } else {
        for (; i + 2 <= n; i += 2) {
            const v2d t = tanh_fast(load(x + i));
            store(y + i, t);
            store(dy + i, one_minus_square(t));
        }
    }
    for (; i < n; ++i) {
        const double t = tanh_math::tanh_fast(x[i]);
        y[i] = t;
        if (dy) dy[i] = tanh_math::one_minus_square(t);
    }
}

void tanhshrink(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    // x - t, and autograd's 1 + tanh_backward(-1, t) = 1 + -(1 - t²) (activations_sigmoid_shrink.cpp).
    std::size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        const v2d v = load(x + i), t = tanh_fast(v);
        store(y + i, v - t);
        if (dy) store(dy + i, splat(1.0) + -one_minus_square(t));
    }
    for (; i < n; ++i) {
        const double t = tanh_math::tanh_fast(x[i]);
        y[i] = x[i] - t;
        if (dy) dy[i] = 1.0 + -tanh_math::one_minus_square(t);
    }
}

ElementwiseFn elementwise(const FunctionSpec& f) {
    const std::string_view name = f.name;
    if (name == "Tanh") return &simd::tanh;
    if (name == "Tanhshrink") return &simd::tanhshrink;
    return f.elementwise;
}

}  // namespace lab::nn::simd
