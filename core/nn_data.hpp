// Design note: the page's toy data sets (issue 9), made in C++ from a seed so a link such as
// "spiral, 3 classes, noise 0.2, seed 7" is the same picture natively, in WebAssembly and in every
// browser. They need not match any framework's generator (PyTorch only makes the weights), but
// they must match themselves everywhere, so nothing here depends on a platform's libm:
//   * the PRNG is xoshiro256** (Blackman & Vigna 2018) seeded through splitmix64 — integer
//     arithmetic only; a uniform double is the top 53 bits times 2^-53, in [0, 1);
//   * a normal sample is Box–Muller from two uniforms (u1 = 1 − u, so never log 0), the second of
//     the pair kept for the next call; its log, cos and sin are the portable_* functions below —
//     argument reduction and series in plain IEEE double arithmetic (the build forbids FMA
//     contraction), within a couple of ulps of libm but bit-identical on every platform. The same
//     functions place the points on circles, spirals, moons and chirps.
// Every set draws its points in class order (point i has class i mod classes, so the classes are
// balanced to within one point), then shuffles all n with Fisher–Yates from the same stream and
// cuts the first round(train_ratio·n) off as the training set (at least 1; and at least one test
// point when n ≥ 2). Ranges are TensorFlow Playground's spirit: 2-D inputs within about [−6, 6]²,
// 1-D inputs in [−1, 1] with targets in [−1, 1] (see dataset_infos() for each set's).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "tensor.hpp"

namespace lab::nn {

// The generator, documented so another implementation can reproduce it.
class DataRng {
public:
    explicit DataRng(std::uint64_t seed);     // state = four splitmix64 outputs from seed
    std::uint64_t next();                     // xoshiro256**
    double uniform();                         // (next() >> 11) · 2^-53, in [0, 1)
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    std::uint64_t below(std::uint64_t n);     // in [0, n), n ≥ 1: rejects next() < 2^64 mod n, then mod n
    double normal();                          // N(0, 1), Box–Muller with the second sample cached

private:
    std::uint64_t s_[4];
    bool has_cached_ = false;
    double cached_ = 0;
};

// Platform-independent elementary functions (|x| ≤ 1e5 for sin/cos; x > 0 finite for log).
double portable_sin(double x);
double portable_cos(double x);
double portable_log(double x);

struct DataSpec {
    std::string name;                      // circle, xor, gaussians, spiral, moons | sine, step, abs, chirp
    std::int64_t n = 200;                  // points in all, train + test, in [1, 1e6]
    double noise = 0.0;                    // std of Gaussian noise: on each coordinate, or on y
    std::optional<std::int64_t> classes;   // classification sets only (default 2)
    double train_ratio = 0.5;              // in (0, 1)
    std::uint64_t seed = 0;
};

struct Dataset {
    Tensor x;                  // (N, 2) for classification, (N, 1) for regression
    Tensor y;                  // (N) class indices 0..classes−1, or (N, 1) values
    std::int64_t classes = 0;  // 0 for regression
};
struct DataSplit {
    Dataset train, test;
};

// Throws lab::Error naming the field: unknown name, n < 1, noise < 0, classes out of range for
// that set, train_ratio outside (0, 1).
DataSplit make_dataset(const DataSpec& spec);

struct DataSetInfo {
    const char* name;
    bool classification;
    int min_classes, max_classes;   // 0, 0 for regression
    double x_lo, x_hi;              // every input coordinate lies in [x_lo, x_hi] at noise 0
    double y_lo, y_hi;              // regression targets at noise 0 (0, 0 for classification)
    const char* doc;                // one line: what the set is, exactly
};
std::span<const DataSetInfo> dataset_infos();

}  // namespace lab::nn
