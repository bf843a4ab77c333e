// Design note: the order of the draws and of the roundings is the whole point here (see the
// header); each function names the ATen code it stands for, and nothing is rearranged. The fused
// multiply-adds are fma_exact (scalar.hpp): the same correctly rounded result as std::fma, without
// WebAssembly's slow software fma, since a wide layer draws ~10^5 values.
#include "nn_random.hpp"
#include "nn_random_musl.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <numbers>
#include <string>

#include "scalar.hpp"
#include "tensor.hpp"

namespace lab::nn {

namespace {
// A number as ATen's TORCH_CHECK streams it (std::ostream's default: 6 significant digits, "1e+308").
// That default is printf's %g, written here with snprintf: an ostringstream would pull the C++
// locale machinery (num_get, money_get, time_get …, ~75 KB) into the WebAssembly module.
std::string c10_num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

constexpr double kTwoPi = 2.0 * std::numbers::pi;  // `2.0f * c10::pi<double>`: an exact doubling

// sin θ and cos θ as ATen's separate std::sin and std::cos give them, from one range reduction.
// Natively GCC already turns the pair into glibc's sincos (it has for every build of this file; the
// PyTorch reference rows hold those bits). In WebAssembly they were musl's sin and cos; musl's
// sincos (system/lib/libc/musl/src/math/sincos.c) is the same code for θ ≥ 2^-26: above π/4 one
// __rem_pio2 and the same __sin/__cos kernels with the same signs per quadrant as sin.c and cos.c,
// below it __sin(θ, 0, 0) and __cos(θ, 0), which sin and cos also call there (their shortcuts
// return θ and 1 only below 2^-26 and 2^-27·√2). Below 2^-26 the two stay separate. Checked on
// 140M angles in both libms (bench/sincos_check.sh: 0 differ); it saves ~11 ns per pair in Node.
inline void sin_cos(double theta, double& s, double& c) {
    if (theta >= 0x1p-26) {
        ::sincos(theta, &s, &c);
        return;
    }
    s = std::sin(theta);
    c = std::cos(theta);
}

// ATen's normal_fill_16 without its last step: Box–Muller over one block of 16 uniforms, in place,
// leaving z = radius·cos θ and radius·sin θ (normal_ then applies `z * std + mean`, fused, per value).
void box_muller_16(double* data) {
    for (int j = 0; j < 8; ++j) {
        const double u1 = 1 - data[j];  // [0, 1) -> (0, 1] for log
        const double u2 = data[j + 8];
        const double radius = std::sqrt(-2 * std::log(u1));
        double sin_t, cos_t;
        sin_cos(kTwoPi * u2, sin_t, cos_t);
        data[j] = radius * cos_t;
        data[j + 8] = radius * sin_t;
    }
}

[[gnu::noinline]] double fma_rare(double a, double b, double c) { return fma_exact(a, b, c); }

}  // namespace

void Generator::manual_seed(std::uint64_t seed) {
    // CPUGeneratorImpl::set_current_seed: both cached normal samples reset, a fresh engine
    // (mt19937's init_genrand, as std::mt19937::seed and ATen's mt19937 do it).
    next_normal_.reset();
    state_[0] = static_cast<std::uint32_t>(seed & 0xffffffffULL);
    for (std::size_t i = 1; i < kN; ++i)
        state_[i] = 1812433253u * (state_[i - 1] ^ (state_[i - 1] >> 30)) + static_cast<std::uint32_t>(i);
    next_ = kN;
}

void Generator::twist() {
    // MT19937's recurrence, word i from words i, i + 1 and i + 397 (mod 624); three loops so that
    // no index wraps (the later words read ones this pass already replaced, as they must).
    constexpr std::size_t kM = 397;
    constexpr std::uint32_t kUpper = 0x80000000u, kLower = 0x7fffffffu, kA = 0x9908b0dfu;
    const auto mix = [](std::uint32_t cur, std::uint32_t nxt, std::uint32_t far) {
        const std::uint32_t y = (cur & kUpper) | (nxt & kLower);
        return far ^ (y >> 1) ^ ((0u - (y & 1u)) & kA);
    };
    std::uint32_t* x = state_.data();
    std::size_t i = 0;
    for (; i < kN - kM; ++i) x[i] = mix(x[i], x[i + 1], x[i + kM]);
    for (; i < kN - 1; ++i) x[i] = mix(x[i], x[i + 1], x[i + kM - kN]);
    x[kN - 1] = mix(x[kN - 1], x[0], x[kM - 1]);
    next_ = 0;
}

std::uint32_t Generator::random() {
    if (next_ == kN) twist();
    std::uint32_t y = state_[next_++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    return y ^ (y >> 18);
}

void Generator::draws(std::uint32_t* out, std::size_t count) {
    while (count > 0) {
        if (next_ == kN) twist();
        const std::size_t take = std::min(count, kN - next_);
        const std::uint32_t* x = state_.data() + next_;
        for (std::size_t i = 0; i < take; ++i) {
            std::uint32_t y = x[i];
            y ^= y >> 11;
            y ^= (y << 7) & 0x9d2c5680u;
            y ^= (y << 15) & 0xefc60000u;
            out[i] = y ^ (y >> 18);
        }
        next_ += take;
        out += take;
        count -= take;
    }
}

void Generator::discard(std::uint64_t n) {
    // random() only reads state words and moves next_; a whole block still has to be twisted,
    // since the next block is made from it.
    while (n > 0) {
        if (next_ == kN) twist();
        const std::uint64_t take = std::min<std::uint64_t>(n, kN - next_);
        next_ += static_cast<std::size_t>(take);
        n -= take;
    }
}

template <class F>
void Generator::fill_pairs(std::span<double> t, F f) {
    constexpr std::size_t kChunk = 256;  // values per batch of draws
    std::uint32_t d[2 * kChunk];
    for (std::size_t at = 0; at < t.size(); at += kChunk) {
        const std::size_t len = std::min(kChunk, t.size() - at);
        draws(d, 2 * len);
        double* out = t.data() + at;
        // random64(): the first draw is the high word. Read as one 64-bit word per value, the
        // loop vectorises (with d[2i] and d[2i + 1] clang 14 keeps it scalar in WebAssembly).
        for (std::size_t i = 0; i < len; ++i) {
            std::uint64_t w;
            std::memcpy(&w, d + 2 * i, sizeof w);
            if constexpr (std::endian::native == std::endian::little)
                out[i] = f(static_cast<std::uint32_t>(w), static_cast<std::uint32_t>(w >> 32));
            else
                out[i] = f(static_cast<std::uint32_t>(w >> 32), static_cast<std::uint32_t>(w));
        }
    }
}

std::uint64_t Generator::random64() {
    const std::uint64_t hi = random();
    const std::uint64_t lo = random();
    return (hi << 32) | lo;
}

double Generator::uniform(double from, double to) {
    // transformation::uniform_real<double>: (val & (2^53 - 1)) * 2^-53, then x * (to - from) + from.
    constexpr std::uint64_t kMask = (std::uint64_t{1} << std::numeric_limits<double>::digits) - 1;
    constexpr double kDivisor = 1.0 / static_cast<double>(std::uint64_t{1} << std::numeric_limits<double>::digits);
    const double x = static_cast<double>(random64() & kMask) * kDivisor;
    return fma_exact(x, to - from, from);
}

double Generator::normal_unit() {
    // at::normal_distribution<double>::operator(): the cached sample first.
    if (next_normal_) {
        const double ret = *next_normal_;
        next_normal_.reset();
        return ret;
    }
    const double u1 = uniform(0.0, 1.0);
    const double u2 = uniform(0.0, 1.0);
    const double r = std::sqrt(-2.0 * std::log(1.0 - u2));
    double sin_t, cos_t;
    sin_cos(kTwoPi * u1, sin_t, cos_t);
    next_normal_ = r * sin_t;
    return r * cos_t;
}

double Generator::normal(double mean, double std) {
    double v = normal_unit();
    normal_scale(&v, std::span<double>(&v, 1), std, mean);
    return v;
}

void Generator::normal_scale(const double* z, std::span<double> out, double std, double mean) {
    // With mean = ±0 and a finite std, p = z·std rounded: if p ≠ 0 the exact z·std is not 0, so
    // z·std + mean is that same real number and the fma rounds it to p. If p = 0, the sign of the
    // fma's zero depends on whether z·std was exactly 0 (then +0 for mean = +0) or underflowed
    // (then the sign of z·std), which p alone does not tell: those go through fma_exact.
    // In chunks: the products and a count of zeros (loops the compiler vectorises), then the
    // rare zeros' fma, a call it cannot inline (inlined in one loop with the product, -O3
    // -msimd128 computed both for every value: 23x the product's time in Node; a scalar loop
    // with the branch, 3.5x). z may be out: the chunk is written after its z are read.
    const std::size_t n = out.size();
    if (mean == 0.0 && std <= std::numeric_limits<double>::max()) {
        constexpr std::size_t kChunk = 256;
        double p[kChunk];
        for (std::size_t at = 0; at < n; at += kChunk) {
            const std::size_t len = std::min(kChunk, n - at);
            std::size_t zeros = 0;
            for (std::size_t i = 0; i < len; ++i) {
                p[i] = z[at + i] * std;
                zeros += p[i] == 0.0;
            }
            if (zeros != 0)
                for (std::size_t i = 0; i < len; ++i)
                    if (p[i] == 0.0) p[i] = fma_rare(z[at + i], std, mean);
            std::memcpy(out.data() + at, p, len * sizeof(double));
        }
        return;
    }
    for (std::size_t i = 0; i < n; ++i) out[i] = fma_exact(z[i], std, mean);
}

void Generator::check_uniform(double from, double to) {
    // uniform_impl_'s checks, in its order.
    constexpr double lo = std::numeric_limits<double>::lowest(), hi = std::numeric_limits<double>::max();
    if (!(from >= lo && from <= hi)) throw Error("from is out of bounds for double");
    if (!(to >= lo && to <= hi)) throw Error("to is out of bounds for double");
    if (!(from <= to))
        throw Error("uniform_ expects to return a [from, to) range, but found from=" + c10_num(from) + " > to=" + c10_num(to));
    if (!(to - from <= hi))
        throw Error("uniform_ expects to-from <= std::numeric_limits<Double>::max(), but found to=" + c10_num(to) +
                    " and from=" + c10_num(from) + " which result in to-from to exceed the limit");
}

void Generator::check_normal(double std) {
    if (!(std >= 0.0)) throw Error("normal expects std >= 0.0, but found std " + c10_num(std));
}

void Generator::uniform_scale(const double* y, std::span<double> out, double from, double to) {
    const std::size_t n = out.size();
    if (to > 0.0 && from == -to) {  // uniform_'s first shortcut (the proof is there)
        for (std::size_t i = 0; i < n; ++i) out[i] = to * y[i];
        return;
    }
    // x = (y + 1)·0.5 exactly: y + 1 = m·2^-52 is a double, and halving it is exact.
    const double width = to - from;
    for (std::size_t i = 0; i < n; ++i) out[i] = fma_exact((y[i] + 1) * 0.5, width, from);
}

void Generator::uniform_units_(std::span<double> t) {
    fill_pairs(t, [](std::uint32_t a, std::uint32_t b) { return unit(a, b); });
}

void Generator::uniform_(std::span<double> t, double from, double to) {
    check_uniform(from, to);
    // from = −to < 0 < to (the checks above leave 2·to = to − from finite): the fused
    // x·(to − from) + from is x·2to − to = to·(2x − 1) exactly, as real numbers, and 2x − 1 is a
    // double (Generator::unit), so the fma's one rounding of that real number is the rounded product
    // to·(2x − 1) — for every finite to, subnormal results included (a product that rounds to 0
    // keeps the sign of the real number, as the fma's result does); x = 1/2 gives +0 both ways
    // (the fma's exact 0 from opposite signs; to·(+0)). to = 0 is excluded: there the fma gives
    // +0 and the product −0 for x < 1/2.
    if (to > 0.0 && from == -to) {
        fill_pairs(t, [to](std::uint32_t a, std::uint32_t b) { return to * unit(a, b); });
        return;
    }
    // from = ±0 < to: x·to + from is the real number x·to (≥ 0), so the fma is the rounded product;
    // a zero product is +0 and so is the fma's +0 ± 0. (normal_'s uniform(0, 1) is x itself.)
    if (to > 0.0 && from == 0.0) {
        fill_pairs(t, [to](std::uint32_t a, std::uint32_t b) { return to * fraction(a, b); });
        return;
    }
    // uniform() per value, with fma_exact's product split for the one `to - from` hoisted: the
    // fused x·w + from is Dekker's exact product of x and w, an exact sum with from and one
    // addition rounded to odd (scalar.hpp); x = m·2^-53 with m below 2^53 splits exactly by its
    // bits. The same bits as fma_exact (and std::fma), whose range conditions hold here except for
    // x = 0 (probability 2^-53), which goes through uniform()'s own path.
    const double w = to - from;
    const double fw = std::fabs(w);
    if (!(fw >= 0x1p-400 && fw <= 0x1p400 && std::fabs(from) <= 0x1p900)) {
        for (double& v : t) v = uniform(from, to);
        return;
    }
    constexpr std::uint64_t kMask = (std::uint64_t{1} << 53) - 1;
    constexpr double kSplit = 134217729.0;  // 2^27 + 1
    const double cw = kSplit * w, w_hi = cw - (cw - w), w_lo = w - w_hi;
    constexpr std::size_t kChunk = 256;  // values per batch of draws
    std::uint32_t d[2 * kChunk];
    for (std::size_t at = 0; at < t.size(); at += kChunk) {
      const std::size_t len = std::min(kChunk, t.size() - at);
      draws(d, 2 * len);
      for (std::size_t i = 0; i < len; ++i) {
        double& v = t[at + i];
        // random64(): the first draw is the high word.
        const std::uint64_t m = ((std::uint64_t{d[2 * i]} << 32) | d[2 * i + 1]) & kMask;
        if (m == 0) {
            v = fma_exact(0.0, w, from);
            continue;
        }
        // m < 2^53: the signed conversion is exact (and one instruction, unlike the unsigned one).
        const double x = static_cast<double>(static_cast<std::int64_t>(m)) * 0x1p-53;
        // Dekker's split of x: fma_exact's x_hi = ca - (ca - x) with ca = (2^27 + 1)·x.
        const double cx = kSplit * x, x_hi = cx - (cx - x), x_lo = x - x_hi;
        const double ph = x * w;
        const double pl = ((x_hi * w_hi - ph) + x_hi * w_lo + x_lo * w_hi) + x_lo * w_lo;
        // two_sum(from, ph), then sh + (sl + pl rounded to odd), without a branch.
        const double sh = from + ph, bb = sh - from;
        const double sl = (from - (sh - bb)) + (ph - bb);
        const double s = sl + pl, b2 = s - sl;
        const double e = (sl - (s - b2)) + (pl - b2);
        std::uint64_t bits;
        std::memcpy(&bits, &s, sizeof bits);
        const std::uint64_t step = ((e > 0.0) == (s > 0.0)) ? 1u : ~std::uint64_t{0};
        bits += (e != 0.0 && (bits & 1u) == 0) ? step : 0u;
        double odd;
        std::memcpy(&odd, &bits, sizeof odd);
        v = sh + odd;
      }
    }
}

void Generator::normal_units_(std::span<double> t) {
    const std::size_t size = t.size();
    if (size < 16) {
        for (double& v : t) v = normal_unit();
        return;
    }
    // normal_fill: every element's uniform first, then the blocks, then the tail block redone.
    const auto x = [](std::uint32_t a, std::uint32_t b) { return fraction(a, b); };  // uniform(0, 1)
    // In WebAssembly SIMD, the same Box–Muller two lanes at a time (musl's own log and sincos
    // operations: the same bits, bench/musl_check.sh).
    const auto block = [](double* d) {
        if (musl::kTwoLane)  // (not constexpr: the scalar one stays referenced, for -Werror)
            musl::box_muller_16(d);
        else
            box_muller_16(d);
    };
    fill_pairs(t, x);
    for (std::size_t i = 0; i + 16 <= size; i += 16) block(t.data() + i);
    if (size % 16 != 0) {
        double* last = t.data() + size - 16;
        fill_pairs(std::span<double>(last, 16), x);
        block(last);
    }
}

void Generator::normal_(std::span<double> t, double mean, double std) {
    check_normal(std);
    normal_units_(t);
    normal_scale(t.data(), t, std, mean);
}

}  // namespace lab::nn
