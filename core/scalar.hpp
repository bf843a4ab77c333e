// Design note: the scalar math that several kernels share, each helper once, written the way the
// ATen code it stands for computes it — because "the same function" rounded or NaN-handled two
// ways is exactly how a reimplementation drifts from PyTorch in the last bit:
//   * sgn, nan_max/nan_min: torch.sign's (0 < a) - (a < 0), and vec::maximum/minimum (NaN wins;
//     on a tie, e.g. -0.0 against +0.0, the second operand, as the x86 max/min instructions do);
//   * sigmoid, log_sigmoid: the scalar lambdas of ATen's kernels (log_sigmoid's exp(-|x|) is its
//     "buffer", kept for the backward);
//   * fma_exact: a*b + c rounded once, where PyTorch's build fuses it;
//   * lane_sum and log_softmax: ATen's vec::reduce_all order (4 double lanes) and the one
//     log-softmax, shared by the LogSoftmax activation and CrossEntropyLoss.
// Everything is inline: the kernels' loops must see through it.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

namespace lab {

// ---------------------------------------------------------------- signs and NaN-propagating extrema
// torch.sign / sgn on reals: NaN and ±0 give 0.
inline double sgn(double a) { return static_cast<double>(0.0 < a) - static_cast<double>(a < 0.0); }

// vec::maximum(a, b): NaN if either is NaN, else a > b ? a : b (b on a tie of zeros).
inline double nan_max(double a, double b) {
    if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<double>::quiet_NaN();
    return a > b ? a : b;
}
inline double nan_min(double a, double b) {
    if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<double>::quiet_NaN();
    return a < b ? a : b;
}

// clamp_min(a, lo) as ATen computes it: std::max(a, lo), so a NaN a stays NaN.
inline double clamp_min(double a, double lo) { return a < lo ? lo : a; }

// ---------------------------------------------------------------- sigmoids
inline double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// log_sigmoid_cpu_kernel: min(x, 0) - log1p(buffer) with buffer = exp(-|x|), which the backward
// reuses. logsigmoid(x) and logsigmoid(-x) share the buffer (|-x| == |x| exactly).
inline double log_sigmoid_buffer(double x) { return std::exp(-std::fabs(x)); }
inline double log_sigmoid(double x, double buffer) { return nan_min(x, 0.0) - std::log1p(buffer); }
inline double log_sigmoid(double x) { return log_sigmoid(x, log_sigmoid_buffer(x)); }
// log_sigmoid_backward_cpu for an incoming gradient of 1 (callers multiply by theirs).
inline double log_sigmoid_backward(double x, double buffer) {
    const bool in_negative = x < 0.0;
    const double max_deriv = in_negative ? 1.0 : 0.0;
    const double sign = in_negative ? 1.0 : -1.0;
    return max_deriv - sign * (buffer / (1.0 + buffer));
}

// ---------------------------------------------------------------- fused multiply-add
// PyTorch's AVX2 kernels are built with FMA enabled and GCC fuses a*b + c there, so several
// derivatives round once where plain C++ rounds twice (1 - y*y near |y| = 1 is where it shows).
// std::fma is exact but, in WebAssembly, a slow software routine; fma_exact() gets the same
// correctly rounded result from plain double arithmetic: Dekker's exact product, an exact sum,
// and one addition rounded to odd (Boldo & Melquiond, "Emulation of FMA and correctly rounded
// sums: proved algorithms using rounding to odd", 2008). Outside the magnitudes where the exact
// product cannot under- or overflow it defers to std::fma. This needs the compiler not to fuse or
// reassociate on its own (no -ffast-math, -ffp-contract=off), as the builds do.
namespace detail {
inline void two_prod(double a, double b, double& hi, double& lo) {
    constexpr double kSplit = 134217729.0;  // 2^27 + 1
    hi = a * b;
    const double ca = kSplit * a, a_hi = ca - (ca - a), a_lo = a - a_hi;
    const double cb = kSplit * b, b_hi = cb - (cb - b), b_lo = b - b_hi;
    lo = ((a_hi * b_hi - hi) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo;
}
inline void two_sum(double a, double b, double& s, double& e) {
    s = a + b;
    const double bb = s - a;
    e = (a - (s - bb)) + (b - bb);
}
// a + b rounded to odd: exact if representable, else the neighbour whose last bit is 1.
inline double add_round_to_odd(double a, double b) {
    double s, e;
    two_sum(a, b, s, e);
    if (e == 0.0) return s;
    std::uint64_t bits;
    std::memcpy(&bits, &s, sizeof bits);
    if (bits & 1u) return s;
    bits += ((e > 0.0) == (s > 0.0)) ? 1u : ~std::uint64_t{0};  // one step away from / towards 0
    std::memcpy(&s, &bits, sizeof s);
    return s;
}
}  // namespace detail

inline double fma_exact(double a, double b, double c) {
    const double fa = std::fabs(a), fb = std::fabs(b);
    if (fa >= 0x1p-400 && fa <= 0x1p400 && fb >= 0x1p-400 && fb <= 0x1p400 && std::fabs(c) <= 0x1p900) {
        double ph, pl, sh, sl;
        detail::two_prod(a, b, ph, pl);
        detail::two_sum(c, ph, sh, sl);
        return sh + detail::add_round_to_odd(sl, pl);
    }
    return std::fma(a, b, c);  // zeros, NaN, infinities, extreme magnitudes
}

// ---------------------------------------------------------------- vec::reduce_all and log-softmax
// The order in which ATen's vec::reduce_all / map_reduce_all add n doubles with 4-wide vectors:
// lane l collects v[l], v[l+4], v[l+8], ... (a last partial block touches only its own lanes),
// then the lanes are added left to right; below 4 values, left to right. The softmax kernels over
// a contiguous last dim sum this way. f(j) gives value j, so a caller can sum exp(x[j] - max)
// without storing it.
template <class Value>
inline double lane_sum_of(std::size_t n, Value f) {
    constexpr std::size_t kLanes = 4;
    if (n < kLanes) {
        double s = n ? f(0) : 0.0;
        for (std::size_t j = 1; j < n; ++j) s += f(j);
        return s;
    }
    double acc[kLanes] = {f(0), f(1), f(2), f(3)};
    for (std::size_t j = kLanes; j < n; ++j) acc[j % kLanes] += f(j);
    return ((acc[0] + acc[1]) + acc[2]) + acc[3];
}
inline double lane_sum(const double* v, std::size_t n) {
    return lane_sum_of(n, [v](std::size_t j) { return v[j]; });
}

// The maximum of x[0], x[s], ..., NaN if any is NaN. ATen takes it in lane order too, but that
// order shows only in the sign of a zero maximum, which x - max then loses (exp(±0) is 1, and a
// lone value's log-sum is 0), so a running max gives the softmaxes the same bits.
inline double nan_max_of(const double* x, std::size_t n, std::size_t s = 1) {
    double m = -std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < n; ++j) m = nan_max(m, x[j * s]);
    return m;
}

// log_softmax of the n values x[0], x[s], x[2s], ... into out (same stride):
// (x - max) - log(sum(exp(x - max))), in that order, so large nearly-equal inputs keep their
// digits. A contiguous row (s == 1) is ATen's last-dim kernel (lane order); a strided one is its
// kernel for an inner dim, which runs down the dim one value at a time.
inline void log_softmax(const double* x, std::size_t n, std::size_t s, double* out) {
    if (n == 0) return;
    const double m = nan_max_of(x, n, s);
    double sum = 0.0;
    if (s == 1) {
        sum = lane_sum_of(n, [x, m](std::size_t j) { return std::exp(x[j] - m); });
    } else {
        for (std::size_t j = 0; j < n; ++j) sum += std::exp(x[j * s] - m);
    }
    const double log_sum = std::log(sum);
    for (std::size_t j = 0; j < n; ++j) out[j * s] = x[j * s] - m - log_sum;
}

// _log_softmax_backward over the same row: g_j - exp(y_j) * sum(g), in place in g.
inline void log_softmax_backward(const double* y, std::size_t n, std::size_t s, double* g) {
    double sum;
    if (s == 1) {
        sum = lane_sum(g, n);
    } else {
        sum = 0.0;
        for (std::size_t j = 0; j < n; ++j) sum += g[j * s];
    }
    for (std::size_t j = 0; j < n; ++j) g[j * s] = g[j * s] - std::exp(y[j * s]) * sum;
}

}  // namespace lab
