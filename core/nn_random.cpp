// Design note: the order of the draws and of the roundings is the whole point here (see the
// header); each function names the ATen code it stands for, and nothing is rearranged. The fused
// multiply-adds are fma_exact (scalar.hpp): the same correctly rounded result as std::fma, without
// WebAssembly's slow software fma, since a wide layer draws ~10^5 values.
#include "nn_random.hpp"

#include <cmath>
#include <cstdio>
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

// ATen's normal_fill_16: Box–Muller over one block of 16 uniforms, in place.
void normal_fill_16(double* data, double mean, double std) {
    for (int j = 0; j < 8; ++j) {
        const double u1 = 1 - data[j];  // [0, 1) -> (0, 1] for log
        const double u2 = data[j + 8];
        const double radius = std::sqrt(-2 * std::log(u1));
        const double theta = kTwoPi * u2;
        data[j] = fma_exact(radius * std::cos(theta), std, mean);
        data[j + 8] = fma_exact(radius * std::sin(theta), std, mean);
    }
}
}  // namespace

void Generator::manual_seed(std::uint64_t seed) {
    // CPUGeneratorImpl::set_current_seed: both cached normal samples reset, a fresh engine.
    next_normal_.reset();
    engine_.seed(static_cast<std::uint32_t>(seed & 0xffffffffULL));
}

std::uint32_t Generator::random() { return static_cast<std::uint32_t>(engine_()); }

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

double Generator::normal(double mean, double std) {
    // at::normal_distribution<double>::operator(): the cached sample first.
    if (next_normal_) {
        const double ret = *next_normal_;
        next_normal_.reset();
        return fma_exact(ret, std, mean);
    }
    const double u1 = uniform(0.0, 1.0);
    const double u2 = uniform(0.0, 1.0);
    const double r = std::sqrt(-2.0 * std::log(1.0 - u2));
    const double theta = kTwoPi * u1;
    next_normal_ = r * std::sin(theta);
    return fma_exact(r * std::cos(theta), std, mean);
}

void Generator::uniform_(std::span<double> t, double from, double to) {
    // uniform_impl_'s checks, in its order.
    constexpr double lo = std::numeric_limits<double>::lowest(), hi = std::numeric_limits<double>::max();
    if (!(from >= lo && from <= hi)) throw Error("from is out of bounds for double");
    if (!(to >= lo && to <= hi)) throw Error("to is out of bounds for double");
    if (!(from <= to))
        throw Error("uniform_ expects to return a [from, to) range, but found from=" + c10_num(from) + " > to=" + c10_num(to));
    if (!(to - from <= hi))
        throw Error("uniform_ expects to-from <= std::numeric_limits<Double>::max(), but found to=" + c10_num(to) +
                    " and from=" + c10_num(from) + " which result in to-from to exceed the limit");
    for (double& v : t) v = uniform(from, to);
}

void Generator::normal_(std::span<double> t, double mean, double std) {
    if (!(std >= 0.0)) throw Error("normal expects std >= 0.0, but found std " + c10_num(std));
    const std::size_t size = t.size();
    if (size < 16) {
        for (double& v : t) v = normal(mean, std);
        return;
    }
    // normal_fill: every element's uniform first, then the blocks, then the tail block redone.
    for (double& v : t) v = uniform(0.0, 1.0);
    for (std::size_t i = 0; i + 16 <= size; i += 16) normal_fill_16(t.data() + i, mean, std);
    if (size % 16 != 0) {
        double* last = t.data() + size - 16;
        for (int i = 0; i < 16; ++i) last[i] = uniform(0.0, 1.0);
        normal_fill_16(last, mean, std);
    }
}

}  // namespace lab::nn
