// Design note (see nn_data.hpp for the contract): the sets are written as one table of what the
// page may ask (name, classes, ranges, a sentence of definition) and one function per set that
// places point i of class c from uniforms of the shared stream; make_dataset() does the common
// part (checks, class order, noise, shuffle, split) once. The elementary functions reduce their
// argument exactly enough (Cody–Waite with a three-part π/2 for |x| ≤ 1e5; frexp for log) and
// then sum short series whose truncation error is below 1e-18 relative, so they sit within an
// ulp or two of the correctly rounded value: far more than the pictures need, and the same bits
// on every IEEE platform.
#include "nn_data.hpp"

#include <array>
#include <cmath>
#include <string_view>
#include <utility>
#include <vector>

namespace lab::nn {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// sin and cos of r, |r| ≤ π/4, by Horner on r²: terms to r^17 and r^18.
double sin_kernel(double r) {
    const double r2 = r * r;
    double s = 1.0 / 355687428096000.0;  // 1/17!
    s = s * r2 - 1.0 / 1307674368000.0;  // 1/15!
    s = s * r2 + 1.0 / 6227020800.0;
    s = s * r2 - 1.0 / 39916800.0;
    s = s * r2 + 1.0 / 362880.0;
    s = s * r2 - 1.0 / 5040.0;
    s = s * r2 + 1.0 / 120.0;
    s = s * r2 - 1.0 / 6.0;
    return r + r * r2 * s;
}
double cos_kernel(double r) {
    const double r2 = r * r;
    double c = 1.0 / 6402373705728000.0;  // 1/18!
    c = c * r2 - 1.0 / 20922789888000.0;  // 1/16!
    c = c * r2 + 1.0 / 87178291200.0;
    c = c * r2 - 1.0 / 479001600.0;
    c = c * r2 + 1.0 / 3628800.0;
    c = c * r2 - 1.0 / 40320.0;
    c = c * r2 + 1.0 / 720.0;
    c = c * r2 - 1.0 / 24.0;
    c = c * r2 + 0.5;
    return 1.0 - r2 * c;
}
// x = k·π/2 + r with |r| ≲ π/4; k·(each part) is exact for |k| < 2^20.
double reduce(double x, long long& k) {
    constexpr double kPio2a = 1.57079632673412561417e+00, kPio2b = 6.07710050630396597660e-11,
                     kPio2c = 2.02226624871116645580e-21;
    const double kd = std::nearbyint(x * (2.0 / kPi));
    k = static_cast<long long>(kd);
    return ((x - kd * kPio2a) - kd * kPio2b) - kd * kPio2c;
}
void check_trig(double x) {
    if (!(std::fabs(x) <= 1e5)) throw Error("portable_sin/cos: |x| must be <= 1e5, got " + py_float(x));
}

}  // namespace

double portable_sin(double x) {
    check_trig(x);
    long long k;
    const double r = reduce(x, k);
    switch (k & 3) {
        case 0: return sin_kernel(r);
        case 1: return cos_kernel(r);
        case 2: return -sin_kernel(r);
        default: return -cos_kernel(r);
    }
}

double portable_cos(double x) {
    check_trig(x);
    long long k;
    const double r = reduce(x, k);
    switch (k & 3) {
        case 0: return cos_kernel(r);
        case 1: return -sin_kernel(r);
        case 2: return -cos_kernel(r);
        default: return sin_kernel(r);
    }
}

double portable_log(double x) {
    if (!(x > 0) || !std::isfinite(x)) throw Error("portable_log: x must be finite and > 0, got " + py_float(x));
    int e;
    double m = std::frexp(x, &e);  // x = m·2^e, m in [0.5, 1): exact
    if (m < 0.70710678118654752440) {
        m *= 2;
        --e;
    }
    const double s = (m - 1.0) / (m + 1.0), s2 = s * s;  // log m = 2 atanh s, |s| ≤ 0.1716
    double t = 1.0 / 25;
    for (int j = 23; j >= 3; j -= 2) t = t * s2 + 1.0 / j;
    const double log_m = 2.0 * (s + s * s2 * t);
    constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
    return e * kLn2Hi + (e * kLn2Lo + log_m);
}

DataRng::DataRng(std::uint64_t seed) {
    for (auto& s : s_) s = splitmix64(seed);
}

std::uint64_t DataRng::next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

double DataRng::uniform() { return static_cast<double>(next() >> 11) * 0x1p-53; }

std::uint64_t DataRng::below(std::uint64_t n) {
    // Unbiased: reject the lowest (2^64 mod n) outputs, then reduce modulo n.
    const std::uint64_t reject = (0 - n) % n;
    for (;;) {
        const std::uint64_t x = next();
        if (x >= reject) return x % n;
    }
}

double DataRng::normal() {
    if (has_cached_) {
        has_cached_ = false;
        return cached_;
    }
    const double u1 = 1.0 - uniform(), u2 = uniform();
    const double r = std::sqrt(-2.0 * portable_log(u1)), theta = 2.0 * kPi * u2;
    cached_ = r * portable_sin(theta);
    has_cached_ = true;
    return r * portable_cos(theta);
}

namespace {

constexpr std::array<DataSetInfo, 9> kSets{{
    {"circle", true, 2, 8, -5, 5, 0, 0,
     "class c on the circle of radius 5(c+1)/classes about the origin, angle uniform"},
    {"xor", true, 2, 2, -5, 5, 0, 0,
     "uniform in the four squares 0.5 <= |x1|, |x2| <= 5; class 0 where x1*x2 > 0, class 1 where x1*x2 < 0"},
    {"gaussians", true, 2, 8, -6, 6, 0, 0,
     "class c ~ N(3(cos a_c, sin a_c), I), a_c = pi/4 + 2 pi c/classes (two classes: centres +-(2.12, 2.12)); "
     "its range is nominal (a normal sample is unbounded)"},
    {"spiral", true, 2, 8, -5, 5, 0, 0,
     "class c on the arm r = 5t, angle 3.5 pi t + 2 pi c/classes, t uniform in [0, 1)"},
    {"moons", true, 2, 2, -3.75, 3.75, 0, 0,
     "scikit-learn's two moons scaled by 2.5 about (0.5, 0.25): class 0 2.5(cos t - 0.5, sin t - 0.25), "
     "class 1 2.5(0.5 - cos t, 0.25 - sin t), t uniform in [0, pi]"},
    {"sine", false, 0, 0, -1, 1, -1, 1, "y = sin(2 pi x), x uniform in [-1, 1]"},
    {"step", false, 0, 0, -1, 1, -1, 1, "y = -1 for x < 0, +1 for x >= 0, x uniform in [-1, 1]"},
    {"abs", false, 0, 0, -1, 1, 0, 1, "y = |x|, x uniform in [-1, 1]"},
    {"chirp", false, 0, 0, -1, 1, -1, 1,
     "y = sin(3 pi (x + 1)^2), x uniform in [-1, 1]: frequency rising from 0 to 6 cycles per unit "
     "(six periods; a SIREN fits it, a small ReLU net smooths it)"},
}};

const DataSetInfo& find_set(const std::string& name) {
    std::string names;
    for (const DataSetInfo& s : kSets) {
        if (name == s.name) return s;
        names += (names.empty() ? "" : ", ") + std::string(s.name);
    }
    throw Error("name: unknown data set '" + name + "'; expected one of " + names);
}

// Point i of class c (classification) or sample i (regression), noise-free.
std::pair<double, double> place(std::string_view set, std::int64_t c, std::int64_t k, DataRng& rng) {
    const double cd = static_cast<double>(c), kd = static_cast<double>(k);
    if (set == "circle") {
        const double r = 5.0 * (cd + 1) / kd, a = 2 * kPi * rng.uniform();
        return {r * portable_cos(a), r * portable_sin(a)};
    }
    if (set == "xor") {
        const double a = rng.uniform(0.5, 5.0), b = rng.uniform(0.5, 5.0);
        const bool flip = rng.next() >> 63;  // which of the class's two squares
        const double sa = flip ? -1.0 : 1.0, sb = (c == 0) ? sa : -sa;
        return {sa * a, sb * b};
    }
    if (set == "gaussians") {
        const double a = kPi / 4 + 2 * kPi * cd / kd;
        const double gx = rng.normal(), gy = rng.normal();
        return {3 * portable_cos(a) + gx, 3 * portable_sin(a) + gy};
    }
    if (set == "spiral") {
        const double t = rng.uniform(), r = 5 * t, a = 3.5 * kPi * t + 2 * kPi * cd / kd;
        return {r * portable_cos(a), r * portable_sin(a)};
    }
    if (set == "moons") {
        const double t = kPi * rng.uniform(), s = c == 0 ? 1.0 : -1.0;
        return {2.5 * s * (portable_cos(t) - 0.5), 2.5 * s * (portable_sin(t) - 0.25)};
    }
    const double x = rng.uniform(-1.0, 1.0);
    if (set == "sine") return {x, portable_sin(2 * kPi * x)};
    if (set == "step") return {x, x < 0 ? -1.0 : 1.0};
    if (set == "abs") return {x, std::fabs(x)};
    return {x, portable_sin(3 * kPi * (x + 1) * (x + 1))};  // chirp
}

}  // namespace

std::span<const DataSetInfo> dataset_infos() { return kSets; }

DataSplit make_dataset(const DataSpec& spec) {
    const DataSetInfo& info = find_set(spec.name);
    if (spec.n < 1 || spec.n > 1000000) throw Error("n must be in [1, 1000000], got " + std::to_string(spec.n));
    if (!(spec.noise >= 0) || !std::isfinite(spec.noise))
        throw Error("noise must be a finite number >= 0, got " + py_float(spec.noise));
    if (!(spec.train_ratio > 0 && spec.train_ratio < 1))
        throw Error("train_ratio must be in (0, 1), got " + py_float(spec.train_ratio));
    std::int64_t k = 0;
    if (info.classification) {
        k = spec.classes.value_or(2);
        if (k < info.min_classes || k > info.max_classes) {
            const std::string range = info.min_classes == info.max_classes
                                          ? "must be " + std::to_string(info.min_classes)
                                          : "must be in [" + std::to_string(info.min_classes) + ", " +
                                                std::to_string(info.max_classes) + "]";
            throw Error("classes " + range + " for '" + spec.name + "', got " + std::to_string(k));
        }
    } else if (spec.classes) {
        throw Error("classes: '" + spec.name + "' is a regression set and takes no classes");
    }

    DataRng rng(spec.seed);
    const auto n = static_cast<std::size_t>(spec.n);
    std::vector<double> xs(n * (info.classification ? 2 : 1)), ys(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t c = info.classification ? static_cast<std::int64_t>(i) % k : 0;
        auto [a, b] = place(info.name, c, k, rng);
        if (info.classification) {
            if (spec.noise > 0) {
                a += spec.noise * rng.normal();
                b += spec.noise * rng.normal();
            }
            xs[2 * i] = a;
            xs[2 * i + 1] = b;
            ys[i] = static_cast<double>(c);
        } else {
            xs[i] = a;
            ys[i] = spec.noise > 0 ? b + spec.noise * rng.normal() : b;
        }
    }
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);

    const auto want = static_cast<std::int64_t>(std::llround(spec.train_ratio * static_cast<double>(spec.n)));
    const std::int64_t n_train = std::max<std::int64_t>(1, std::min<std::int64_t>(want, std::max<std::int64_t>(1, spec.n - 1)));
    const std::int64_t d = info.classification ? 2 : 1;
    const auto take = [&](std::size_t from, std::size_t to) {
        Dataset out;
        out.classes = k;
        const auto rows = static_cast<std::int64_t>(to - from);
        std::vector<double> x, y;
        for (std::size_t j = from; j < to; ++j) {
            const std::size_t i = order[j];
            for (std::int64_t c = 0; c < d; ++c) x.push_back(xs[i * static_cast<std::size_t>(d) + static_cast<std::size_t>(c)]);
            y.push_back(ys[i]);
        }
        out.x = Tensor(Shape{rows, d}, std::move(x));
        out.y = info.classification ? Tensor(Shape{rows}, std::move(y)) : Tensor(Shape{rows, 1}, std::move(y));
        return out;
    };
    return {take(0, static_cast<std::size_t>(n_train)), take(static_cast<std::size_t>(n_train), n)};
}

}  // namespace lab::nn
