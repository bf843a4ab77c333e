// Design note: core/nn_random_musl.cpp claims to be musl's log and sincos, two lanes at a time, bit
// for bit, for Box–Muller's arguments (and to fall back to the libm calls elsewhere). This checks it
// against the scalar calls themselves (std::log; ::sincos and std::sin/std::cos as nn_random's
// sin_cos makes them) in WebAssembly: 10^8 random pairs of each, Box–Muller's exact forms
// (x = m·2^-53, log(1 − x), sincos(2π·x)); every m below 2^22 and above 2^53 − 2^22; 2^21 values of m
// around each branch point of the copied code (log's 1 − 2^-4 and every power of two; each quadrant
// bound of __rem_pio2, its "medium" high words, 2^-26 and 2π); special values paired with ordinary
// ones; and box_muller_16 against nn_random.cpp's scalar loop on 10^7 blocks. Prints the counts that
// differ; exit status 1 if any. Run by bench/musl_check.sh (WebAssembly only: natively there is
// nothing to check, the file is empty there).
#include <chrono>
#include <bit>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <numbers>
#include <random>

#include "nn_random_musl.hpp"

namespace mu = lab::nn::musl;

namespace {
bool same(double a, double b) {
    std::uint64_t x, y;
    std::memcpy(&x, &a, sizeof x);
    std::memcpy(&y, &b, sizeof y);
    return x == y;
}
constexpr double kTwoPi = 2.0 * std::numbers::pi;
std::uint64_t bad_log = 0, n_log = 0, bad_sc = 0, n_sc = 0, bad_sep = 0, bad_bm = 0, n_bm = 0;

void check_log(double a, double b) {
    alignas(16) double x[2] = {a, b}, y[2];
    mu::log2(x, y);
    for (int i = 0; i < 2; ++i) {
        volatile double v = x[i];
        if (!same(y[i], std::log(v)) && !(std::isnan(y[i]) && std::isnan(std::log(v)))) {
            if (bad_log < 5) std::printf("log differs at %a: %a\n", x[i], y[i]);
            ++bad_log;
        }
    }
    n_log += 2;
}
void check_sc(double a, double b) {
    alignas(16) double t[2] = {a, b}, s[2], c[2];
    mu::sincos2(t, s, c);
    for (int i = 0; i < 2; ++i) {
        volatile double v = t[i];
        double rs, rc;
        if (t[i] >= 0x1p-26) {
            ::sincos(v, &rs, &rc);
            // and the separate calls ATen makes (sincos = them here: bench/sincos_check.sh)
            bad_sep += !same(s[i], std::sin(v)) || !same(c[i], std::cos(v));
        } else {
            rs = std::sin(v);
            rc = std::cos(v);
        }
        const bool nan_ok = std::isnan(rs) && std::isnan(s[i]) && std::isnan(rc) && std::isnan(c[i]);
        if (!nan_ok && (!same(s[i], rs) || !same(c[i], rc))) {
            if (bad_sc < 5) std::printf("sincos differs at %a: %a %a vs %a %a\n", t[i], s[i], c[i], rs, rc);
            ++bad_sc;
        }
    }
    n_sc += 2;
}
// Box–Muller's two arguments from one uniform x = m·2^-53.
double frac(std::uint64_t m) { return static_cast<double>(m) * 0x1p-53; }
void check_m(std::uint64_t ma, std::uint64_t mb) {
    check_log(1 - frac(ma), 1 - frac(mb));
    check_sc(kTwoPi * frac(ma), kTwoPi * frac(mb));
}
// nn_random.cpp's scalar box_muller_16 (musl's calls).
void box_muller_ref(double* data) {
    for (int j = 0; j < 8; ++j) {
        const double u1 = 1 - data[j];
        const double u2 = data[j + 8];
        const double radius = std::sqrt(-2 * std::log(u1));
        const double th = kTwoPi * u2;
        double s, c;
        if (th >= 0x1p-26) {
            ::sincos(th, &s, &c);
        } else {
            s = std::sin(th);
            c = std::cos(th);
        }
        data[j] = radius * c;
        data[j + 8] = radius * s;
    }
}
double secs(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}
}  // namespace

int main() {
    if (!mu::kTwoLane) {
        std::puts("not a WebAssembly SIMD build: nothing to check");
        return 0;
    }
    const auto t0 = std::chrono::steady_clock::now();
    constexpr std::uint64_t kM = (std::uint64_t{1} << 53) - 1, kTop = std::uint64_t{1} << 53;
    std::mt19937_64 r(1);
    for (int i = 0; i < 100000000; ++i) {
        const std::uint64_t a = r() & kM, b = r() & kM;
        check_m(a, b);
    }
    // The ends: u1 near 1 and θ near 0; u1 near 0 and θ near 2π.
    for (std::uint64_t m = 0; m < (std::uint64_t{1} << 22); m += 2) {
        check_m(m, m + 1);
        check_m(kTop - 2 - m, kTop - 1 - m);
    }
    // Around each branch point, as m values: for log(1 − x), x = 1 − t; for sincos(2πx), x = t/2π.
    const auto around = [&](std::uint64_t m0, bool for_log) {
        const std::uint64_t lo = m0 > (1u << 20) ? m0 - (1u << 20) : 0, hi = std::min(kTop - 2, m0 + (1u << 20));
        for (std::uint64_t m = lo; m < hi; m += 2) {
            if (for_log)
                check_log(1 - frac(m), 1 - frac(m + 1));
            else
                check_sc(kTwoPi * frac(m), kTwoPi * frac(m + 1));
        }
    };
    const auto m_log = [](double t) { return static_cast<std::uint64_t>((1 - t) * 0x1p53); };
    const auto m_sc = [](double t) { return static_cast<std::uint64_t>(t / kTwoPi * 0x1p53); };
    around(m_log(1 - 0x1p-4), true);
    for (int e = 1; e <= 52; ++e) around(m_log(std::ldexp(1.0, -e)), true);
    const auto hw = [](std::uint32_t h) { return __builtin_bit_cast(double, static_cast<std::uint64_t>(h) << 32); };
    for (const std::uint32_t h : {0x3fe921fcu, 0x4002d97du, 0x400f6a7bu, 0x4015fdbdu, 0x401c463cu, 0x3ff921fbu, 0x3ff921fcu,
                                  0x400921fbu, 0x400921fcu, 0x4012d97cu, 0x4012d97du, 0x401921fbu})
        around(m_sc(hw(h)), false);
    around(m_sc(0x1p-26), false);
    around(m_sc(kTwoPi), false);
    // Special values, each beside an ordinary one and beside itself.
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    const double specials[] = {0.0, -0.0, 0x1p-1074, 0x1p-1022, 0x1.fffffffffffffp-1023, 1.0, std::nextafter(1.0, 0.0),
                               std::nextafter(1.0, 2.0), 1 - 0x1p-4, 1 + 0x1.09p-4, 2.0, 1e300, inf, -inf, nan, -1.0,
                               -0x1p-1074, 0x1p-26, std::nextafter(0x1p-26, 0.0), kTwoPi, 9 * std::numbers::pi / 4, 1e22,
                               std::numbers::pi / 2, std::numbers::pi, 3 * std::numbers::pi / 2, 0.5, 0.8};
    for (const double a : specials)
        for (const double b : specials) {
            check_log(a, b);
            check_sc(a, b);
        }
    for (const double a : specials) {
        check_log(a, 0.3);
        check_log(0.97, a);
        check_sc(a, 1.0);
        check_sc(4.0, a);
    }
    // Whole blocks, as normal_ makes them.
    r.seed(2);
    for (int i = 0; i < 10000000; ++i) {
        alignas(16) double a[16], b[16];
        for (double& v : a) v = frac(r() & kM);
        std::memcpy(b, a, sizeof a);
        mu::box_muller_16(a);
        box_muller_ref(b);
        for (int j = 0; j < 16; ++j) bad_bm += !same(a[j], b[j]);
        n_bm += 16;
    }
    std::printf("log: %llu of %llu differ; sincos: %llu of %llu differ (%llu from separate sin/cos); box_muller_16: %llu "
                "of %llu values differ (%.0f s)\n",
                (unsigned long long)bad_log, (unsigned long long)n_log, (unsigned long long)bad_sc,
                (unsigned long long)n_sc, (unsigned long long)bad_sep, (unsigned long long)bad_bm,
                (unsigned long long)n_bm, secs(t0));
    // Speed, one block's Box–Muller (16 values), the copy and the scalar calls, 2·10^6 blocks each.
    double acc = 0;
    alignas(16) double blk[16];
    for (int k = 0; k < 2; ++k) {
        r.seed(3);
        const auto t = std::chrono::steady_clock::now();
        for (int i = 0; i < 2000000; ++i) {
            for (double& v : blk) v = frac(r() & kM);
            k == 0 ? mu::box_muller_16(blk) : box_muller_ref(blk);
            acc += blk[0] + blk[15];
        }
        std::printf("%s: %.1f ns per value (with the uniforms' cost)\n", k == 0 ? "two-lane" : "scalar musl",
                    secs(t) * 1e9 / (2000000.0 * 16));
    }
    if (acc == 12345.0) std::puts("");
    return bad_log + bad_sc + bad_sep + bad_bm == 0 ? 0 : 1;
}
