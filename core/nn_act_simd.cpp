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

// Two lanes (one f64x2 / SSE2 register), and four as two such registers side by side: one tanh is
// a long chain of dependent operations (the Horner polynomial, the division, the Dekker product),
// and two independent pairs in the same straight-line code, with one branch test for the four
// lanes and each constant loaded once for both, keep more of them in flight. The kernels below
// are templates over the two; every lane runs the scalar code's operations in its order.
using v2d = double __attribute__((vector_size(16)));
using v2u = std::uint64_t __attribute__((vector_size(16)));
struct v4d {
    v2d lo, hi;
};
struct v4u {
    v2u lo, hi;
};
template <class D> struct Lanes;
template <> struct Lanes<v2d> { using U = v2u; };
template <> struct Lanes<v4d> { using U = v4u; };
template <class D> using U_of = typename Lanes<D>::U;

// v4d and v4u: each operation on both halves.
#define LAB_V4_OP(R, T, op) \
    inline R operator op(const T& a, const T& b) { return {a.lo op b.lo, a.hi op b.hi}; }
LAB_V4_OP(v4d, v4d, +)
LAB_V4_OP(v4d, v4d, -)
LAB_V4_OP(v4d, v4d, *)
LAB_V4_OP(v4d, v4d, /)
LAB_V4_OP(v4u, v4u, +)
LAB_V4_OP(v4u, v4u, &)
LAB_V4_OP(v4u, v4u, |)
LAB_V4_OP(v4u, v4u, ^)
#undef LAB_V4_OP
#define LAB_V4_CMP(T, op) \
    inline v4u operator op(const T& a, const T& b) { \
        return {reinterpret_cast<v2u>(a.lo op b.lo), reinterpret_cast<v2u>(a.hi op b.hi)}; \
    }
LAB_V4_CMP(v4d, <)
LAB_V4_CMP(v4d, <=)
LAB_V4_CMP(v4d, >)
LAB_V4_CMP(v4d, !=)
LAB_V4_CMP(v4u, ==)
#undef LAB_V4_CMP
inline v4d operator-(const v4d& a) { return {-a.lo, -a.hi}; }
inline v4u operator~(const v4u& a) { return {~a.lo, ~a.hi}; }
inline v4u operator>>(const v4u& a, int s) { return {a.lo >> s, a.hi >> s}; }
inline v4u operator<<(const v4u& a, int s) { return {a.lo << s, a.hi << s}; }

template <class To, class From>
inline To cast(const From& f) {
    static_assert(sizeof(To) == sizeof(From));
    To t;
    std::memcpy(&t, &f, sizeof t);
    return t;
}
template <class D> D splat(double d);
template <> inline v2d splat<v2d>(double d) { return v2d{d, d}; }
template <> inline v4d splat<v4d>(double d) { return {v2d{d, d}, v2d{d, d}}; }
template <class D> U_of<D> splat_u(std::uint64_t u);
template <> inline v2u splat_u<v2d>(std::uint64_t u) { return v2u{u, u}; }
template <> inline v4u splat_u<v4d>(std::uint64_t u) { return {v2u{u, u}, v2u{u, u}}; }
// A lane comparison's all-ones / all-zeros mask, as unsigned lanes.
template <class U, class M>
inline U mask(const M& m) { return cast<U>(m); }
// Whether any lane of a mask is set, in one instruction a register where there is one
// (v128.any_true, movmskpd): V8 compiles two lane extracts and an OR otherwise, on the hot path.
inline bool any(const v2u& m) {
#if defined(__wasm_simd128__)
    return wasm_v128_any_true(cast<v128_t>(m));
#elif defined(__SSE2__)
    return _mm_movemask_pd(cast<__m128d>(m)) != 0;
#else
    return (m[0] | m[1]) != 0;
#endif
}
inline bool any(const v4u& m) { return any(m.lo | m.hi); }
template <class D>
inline D select(const U_of<D>& m, const D& a, const D& b) { return cast<D>((m & cast<U_of<D>>(a)) | (~m & cast<U_of<D>>(b))); }
template <class D>
inline D load(const double* p) {
    D v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
template <class D>
inline void store(double* p, const D& v) { std::memcpy(p, &v, sizeof v); }
// th + tl = 2^(j/256) per lane: one 16-byte load a lane.
inline void exp2_table(const v2u& j, v2d& th, v2d& tl) {
    const v2d t0 = load<v2d>(tanh_math::kExp2Table[j[0]]), t1 = load<v2d>(tanh_math::kExp2Table[j[1]]);
    th = v2d{t0[0], t1[0]};
    tl = v2d{t0[1], t1[1]};
}
inline void exp2_table(const v4u& j, v4d& th, v4d& tl) {
    exp2_table(j.lo, th.lo, tl.lo);
    exp2_table(j.hi, th.hi, tl.hi);
}

// tanh_math::exact_mul, lane-wise.
template <class D>
inline void exact_mul(const D& a, const D& b, D& hi, D& lo) {
    const D split = splat<D>(134217729.0);
    hi = a * b;
    const D ca = split * a, ah = ca - (ca - a), al = a - ah;
    const D cb = split * b, bh = cb - (cb - b), bl = b - bh;
    lo = ((ah * bh - hi) + ah * bl + al * bh) + al * bl;
}

// tanh_math::tanh_mid, lane-wise (lanes outside its range compute garbage that is not selected).
template <class D>
[[gnu::always_inline]] inline D tanh_mid(const D& a) {
    using U = U_of<D>;
    const D t = splat<D>(2.0) * a;
    const D shifted = t * splat<D>(0x1.71547652b82fep+8) + splat<D>(0x1.8p52);
    const D kd = shifted - splat<D>(0x1.8p52);
    const U k = cast<U>(shifted) & splat_u<D>(0xffffffffu);  // the scalar code's uint32 k
    const D r = (t - kd * splat<D>(0x1.62e42fefa0000p-9)) - kd * splat<D>(0x1.cf79abc9e3b3ap-48);
    const D p = r + r * r * (splat<D>(0.5) + r * (splat<D>(1.0 / 6) + r * (splat<D>(1.0 / 24) + r * splat<D>(1.0 / 120))));
    const U j = k & splat_u<D>(255);
    D th, tl;
    exp2_table(j, th, tl);
    const D scale = cast<D>(((k >> 8) + splat_u<D>(1023)) << 52);
    const D e0 = th * scale, e1 = (tl + th * p) * scale;
    const D eh = e0 + e1, el = (e0 - eh) + e1;
    const D one = splat<D>(1.0);
    const D nh = eh - one, nl = ((eh - nh) - one) + el;
    const D dh = eh + one, dl = ((eh - dh) + one) + el;
    const D inv = one / dh;
    const D q = nh * inv;
    D ph, pl;
    exact_mul(q, dh, ph, pl);
    const D rem = (((nh - ph) - pl) + nl) - q * dl;
    return q + rem * inv;
}

// tanh_math::tanh_small, lane-wise.
template <class D>
[[gnu::always_inline]] inline D tanh_small(const D& a) {
    const D z = a * a;
    D s = splat<D>(-0x1.f57d7734d1664p-13);
    s = s * z + splat<D>(0x1.3558248036744p-11);
    s = s * z + splat<D>(-0x1.7da36452b75e3p-10);
    s = s * z + splat<D>(0x1.d6d3d0e157de0p-9);
    s = s * z + splat<D>(-0x1.226e355e6c23dp-7);
    s = s * z + splat<D>(0x1.664f4882c10fap-6);
    s = s * z + splat<D>(-0x1.ba1ba1ba1ba1cp-5);
    s = s * z + splat<D>(0x1.1111111111111p-3);
    s = s * z + splat<D>(-0x1.5555555555555p-2);
    return a + a * (z * s);
}

// tanh_math::tanh_fast, lane-wise: both branches, then the scalar code's choice per lane. y >= 0
// before the sign, so -y is y with x's sign bit; a NaN lane returns x itself, as the scalar code.
template <class D>
[[gnu::always_inline]] inline D tanh_fast(const D& x) {
    using U = U_of<D>;
    const U sign = splat_u<D>(std::uint64_t{1} << 63);
    const U xb = cast<U>(x);
    const D a = cast<D>(xb & ~sign);
    // A branch no lane takes is skipped (it would only be selected away): most of a network's
    // pre-activations are past 0.125, and a lane's result does not depend on the others'.
    const U small = mask<U>(a < splat<D>(0.125)), mid = mask<U>(a <= splat<D>(18.714973875));
    D y = splat<D>(1.0);
    if (any(mid & ~small)) y = select(mid, tanh_mid(a), y);
    if (any(small)) y = select(small, tanh_small(a), y);
    const D signed_y = cast<D>(cast<U>(y) ^ (xb & sign));
    return select(mask<U>(a != a), x, signed_y);
}

// tanh_math::one_minus_square, lane-wise; the round-to-odd step by masks.
template <class D>
[[gnu::always_inline]] inline D one_minus_square(const D& y) {
    using U = U_of<D>;
    const D one = splat<D>(1.0), zero = splat<D>(0.0);
    const D p = y * y;
    const D c = splat<D>(134217729.0) * y, yh = c - (c - y), yl = y - yh;
    const D pl = ((yh * yh - p) + splat<D>(2.0) * (yh * yl)) + yl * yl;
    const D sh = one - p, sl = (one - sh) - p;
    const D u = sl - pl, v = u - sl;
    const D w = (sl - (u - v)) + (-pl - v);
    U b = cast<U>(u);
    const U same = ~(mask<U>(w > zero) ^ mask<U>(u > zero));
    const U step = (same & splat_u<D>(1)) | ~same;  // 1 where the signs agree, ~0 (= -1) otherwise
    const U bump = mask<U>(w != zero) & mask<U>((b & splat_u<D>(1)) == splat_u<D>(0));
    b = b + (bump & step);
    return sh + cast<D>(b);
}

// Lane-wise functions of one vector: y, and dy when WithDy.
template <bool WithDy>
struct TanhOf {
    template <class D>
    void operator()(const D& x, D& y, D& dy) const {
        y = tanh_fast(x);
        if (WithDy) dy = one_minus_square(y);
    }
};
template <bool WithDy>
struct TanhshrinkOf {
    template <class D>
    void operator()(const D& x, D& y, D& dy) const {
        const D t = tanh_fast(x);
        y = x - t;
        if (WithDy) dy = splat<D>(1.0) + -one_minus_square(t);  // (activations_sigmoid_shrink.cpp)
    }
};

// elementwise_rows() with a lane function: four rows two units at a time (unit u of the four rows
// in one v4d, unit u + 1 in another; all eight inputs loaded before any output is stored, so y may
// be x), an odd last unit alone; then two rows likewise in v2d pairs (a column pair each); an odd
// last row by the flat kernel.
template <bool WithDy, template <bool> class Of>
void by_rows(const Params& p, const double* x, std::size_t rows, std::size_t w, double* y, double* dy, ElementwiseFn flat) {
    const Of<WithDy> f;
    std::size_t r = 0;
    // Four rows at a time for values only: with f′ too, V8 runs out of registers for two v4d
    // chains and the four-lane loop was slower than the two-lane one (grid, Node: y 6.35 → 6.00 ms
    // with four lanes, y and dy 8.4 → 9.7-10.6).
    for (; !WithDy && r + 4 <= rows; r += 4) {
        const double* xr = x + r * w;
        double* yr = y + r * w;
        double* dr = WithDy ? dy + r * w : nullptr;
        std::size_t u = 0;
        for (; u + 2 <= w; u += 2) {
            const v2d a0 = load<v2d>(xr + u), a1 = load<v2d>(xr + w + u), a2 = load<v2d>(xr + 2 * w + u), a3 = load<v2d>(xr + 3 * w + u);
            v4d yp, yq, dp, dq;
            f(v4d{v2d{a0[0], a1[0]}, v2d{a2[0], a3[0]}}, yp, dp);
            f(v4d{v2d{a0[1], a1[1]}, v2d{a2[1], a3[1]}}, yq, dq);
            store(yr + u, v2d{yp.lo[0], yq.lo[0]});
            store(yr + w + u, v2d{yp.lo[1], yq.lo[1]});
            store(yr + 2 * w + u, v2d{yp.hi[0], yq.hi[0]});
            store(yr + 3 * w + u, v2d{yp.hi[1], yq.hi[1]});
            if (WithDy) {
                store(dr + u, v2d{dp.lo[0], dq.lo[0]});
                store(dr + w + u, v2d{dp.lo[1], dq.lo[1]});
                store(dr + 2 * w + u, v2d{dp.hi[0], dq.hi[0]});
                store(dr + 3 * w + u, v2d{dp.hi[1], dq.hi[1]});
            }
        }
        if (u < w) {
            v4d yp, dp;
            f(v4d{v2d{xr[u], xr[w + u]}, v2d{xr[2 * w + u], xr[3 * w + u]}}, yp, dp);
            for (std::size_t i = 0; i < 4; ++i) {
                yr[i * w + u] = i < 2 ? yp.lo[i] : yp.hi[i - 2];
                if (WithDy) dr[i * w + u] = i < 2 ? dp.lo[i] : dp.hi[i - 2];
            }
        }
    }
    for (; r + 2 <= rows; r += 2) {
        const double* x0 = x + r * w;
        const double* x1 = x0 + w;
        double* y0 = y + r * w;
        double* y1 = y0 + w;
        double* d0 = WithDy ? dy + r * w : nullptr;
        double* d1 = WithDy ? d0 + w : nullptr;
        std::size_t u = 0;
        for (; u + 2 <= w; u += 2) {
            const v2d a = load<v2d>(x0 + u), b = load<v2d>(x1 + u);
            v2d yp, yq, dp, dq;
            f(v2d{a[0], b[0]}, yp, dp);
            f(v2d{a[1], b[1]}, yq, dq);
            store(y0 + u, v2d{yp[0], yq[0]});
            store(y1 + u, v2d{yp[1], yq[1]});
            if (WithDy) {
                store(d0 + u, v2d{dp[0], dq[0]});
                store(d1 + u, v2d{dp[1], dq[1]});
            }
        }
        if (u < w) {
            v2d yp, dp;
            f(v2d{x0[u], x1[u]}, yp, dp);
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
    // the twin, if f has one, as elementwise() chooses it (one list of which functions have twins)
    const ElementwiseFn fn = elementwise(f);
    if (fn == &simd::tanh)
        dy ? by_rows<true, TanhOf>(p, x, rows, width, y, dy, &simd::tanh)
           : by_rows<false, TanhOf>(p, x, rows, width, y, dy, &simd::tanh);
    else if (fn == &simd::tanhshrink)
        dy ? by_rows<true, TanhshrinkOf>(p, x, rows, width, y, dy, &simd::tanhshrink)
           : by_rows<false, TanhshrinkOf>(p, x, rows, width, y, dy, &simd::tanhshrink);
    else
        fn(p, x, rows * width, y, dy);
}

void tanh(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    std::size_t i = 0;
    if (dy == nullptr) {
        for (; i + 2 <= n; i += 2) store(y + i, tanh_fast(load<v2d>(x + i)));
    } else {
        for (; i + 2 <= n; i += 2) {
            const v2d t = tanh_fast(load<v2d>(x + i));
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
        const v2d v = load<v2d>(x + i), t = tanh_fast(v);
        store(y + i, v - t);
        if (dy) store(dy + i, splat<v2d>(1.0) + -one_minus_square(t));
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
