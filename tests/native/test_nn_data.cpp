// The data sets of core/nn_data.*: a seed gives the same points every time (and, since nothing
// depends on libm, on every platform: the golden checksums below are what the WebAssembly build
// must print too); shapes, the split, class balance, ranges, points exactly on their curve at
// noise 0, noise that moves them, and the argument errors. The portable elementary functions are
// held against libm to a couple of ulps.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "nn_data.hpp"
#include "support.hpp"

namespace {

using namespace lab::nn;
constexpr double kPi = 3.14159265358979323846;

// FNV-1a over the bytes of every double, train then test, x then y.
std::uint64_t checksum(const DataSplit& s) {
    std::uint64_t h = 14695981039346656037ULL;
    for (const lab::Tensor* t : {&s.train.x, &s.train.y, &s.test.x, &s.test.y}) {
        for (double v : t->data) {
            unsigned char b[8];
            std::memcpy(b, &v, 8);
            for (unsigned char c : b) h = (h ^ c) * 1099511628211ULL;
        }
    }
    return h;
}

DataSpec spec(const char* name, std::int64_t n, double noise, std::optional<std::int64_t> classes, double ratio = 0.5,
              std::uint64_t seed = 0) {
    return DataSpec{name, n, noise, classes, ratio, seed};
}

// All points of both halves: (x1, x2, class) for classification, (x, y, y) for regression.
struct Row {
    double a, b, y;
};
std::vector<Row> rows(const DataSplit& s) {
    std::vector<Row> out;
    for (const Dataset* d : {&s.train, &s.test}) {
        const auto cols = static_cast<std::size_t>(d->x.shape[1]);
        for (std::size_t i = 0; i < d->y.numel(); ++i)
            out.push_back({d->x.data[i * cols], cols > 1 ? d->x.data[i * cols + 1] : d->y.data[i], d->y.data[i]});
    }
    return out;
}

double ulps(double a, double b) { return std::fabs(a - b) / std::max(std::nextafter(std::fabs(b), 1e300) - std::fabs(b), 1e-300); }

}  // namespace

TEST_CASE("nn_data: portable sin, cos and log stay within 2 ulps of libm") {
    double worst_trig = 0, worst_log = 0;
    for (int i = -20000; i <= 20000; ++i) {
        const double x = i * 0.00137 * (1 + (i % 7) * 0.1);  // to ±~40, irregular steps
        CAPTURE(x);
        if (std::fabs(std::sin(x)) > 1e-3) worst_trig = std::max(worst_trig, ulps(portable_sin(x), std::sin(x)));
        if (std::fabs(std::cos(x)) > 1e-3) worst_trig = std::max(worst_trig, ulps(portable_cos(x), std::cos(x)));
        CHECK(std::fabs(portable_sin(x) - std::sin(x)) <= 4e-16);
        CHECK(std::fabs(portable_cos(x) - std::cos(x)) <= 4e-16);
    }
    for (double x = 1e-300; x < 1e300; x *= 1.37) {
        CAPTURE(x);
        worst_log = std::max(worst_log, ulps(portable_log(x), std::log(x)));
    }
    for (double x = 0.5; x < 2.0; x += 0.0001) worst_log = std::max(worst_log, x == 1.0 ? 0.0 : ulps(portable_log(x), std::log(x)));
    CAPTURE(worst_trig);
    CAPTURE(worst_log);
    CHECK(worst_trig <= 2.0);
    CHECK(worst_log <= 2.0);
    CHECK(portable_log(1.0) == 0.0);
    CHECK(labtest::error_of([] { portable_log(0.0); }) == "portable_log: x must be finite and > 0, got 0.0");
    CHECK(labtest::error_of([] { portable_sin(1e6); }) == "portable_sin/cos: |x| must be <= 1e5, got 1000000.0");
}

TEST_CASE("nn_data: the generator is xoshiro256** seeded by splitmix64") {
    // The first outputs for seed 0 (checked against an independent Python transcription of the
    // reference algorithms), so another implementation can check itself.
    DataRng r(0);
    CHECK(r.next() == 11091344671253066420ULL);
    CHECK(r.next() == 13793997310169335082ULL);
    DataRng other(1);
    CHECK(other.next() != 11091344671253066420ULL);
    // uniform in [0, 1), below(n) in [0, n), normal with the pair's second value cached
    DataRng u(42);
    double lo = 1, hi = 0, sum = 0, sum2 = 0;
    for (int i = 0; i < 20000; ++i) {
        const double v = u.uniform();
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        CHECK(u.below(7) < 7);
        const double g = u.normal();
        sum += g;
        sum2 += g * g;
    }
    CHECK(lo >= 0.0);
    CHECK(hi < 1.0);
    CHECK(std::fabs(sum / 20000) < 0.03);
    CHECK(std::fabs(sum2 / 20000 - 1) < 0.05);
}

TEST_CASE("nn_data: one seed, one data set; golden checksums for the WebAssembly build") {
    struct Golden {
        DataSpec s;
        std::uint64_t sum;
    };
    const std::vector<Golden> golden = {
        {spec("circle", 200, 0.1, 3, 0.5, 7), 0xd9ebf2a7850bf91eULL},   {spec("xor", 101, 0.2, 2, 0.7, 1), 0xc22141ffe4c740faULL},
        {spec("gaussians", 64, 0.5, 4, 0.5, 3), 0x9ac313d7c7f73e2aULL}, {spec("spiral", 300, 0.05, 5, 0.8, 11), 0x5fe22f3b18eb3d35ULL},
        {spec("moons", 50, 0.1, std::nullopt, 0.5, 2), 0xcc527679c3b750f0ULL}, {spec("sine", 120, 0.05, std::nullopt, 0.5, 5), 0x130078c07bd448a3ULL},
        {spec("step", 33, 0.0, std::nullopt, 0.3, 9), 0x52c4563bf751c674ULL},  {spec("abs", 40, 0.1, std::nullopt, 0.5, 0), 0x24fc6a4eddaa7307ULL},
        {spec("chirp", 500, 0.02, std::nullopt, 0.9, 123456789), 0x4102b698fd88286bULL},
    };
    for (const Golden& g : golden) {
        const std::string name = g.s.name;
        CAPTURE(name);
        const DataSplit a = make_dataset(g.s), b = make_dataset(g.s);
        CHECK(checksum(a) == checksum(b));
        DataSpec other = g.s;
        other.seed += 1;
        CHECK(checksum(make_dataset(other)) != checksum(a));
        CHECK(checksum(a) == g.sum);
    }
}

TEST_CASE("nn_data: shapes, the split and class balance") {
    struct Row {
        const char* name;
        std::int64_t n;
        std::optional<std::int64_t> classes;
        double ratio;
        std::int64_t train, d;
    };
    const Row table[] = {
        {"circle", 200, 2, 0.5, 100, 2},  {"circle", 7, 8, 0.5, 4, 2},     {"xor", 101, 2, 0.7, 71, 2},
        {"gaussians", 90, 3, 0.25, 23, 2}, {"spiral", 300, 5, 0.8, 240, 2}, {"moons", 11, std::nullopt, 0.5, 6, 2},
        {"sine", 120, std::nullopt, 0.5, 60, 1}, {"step", 2, std::nullopt, 0.99, 1, 1}, {"abs", 1, std::nullopt, 0.5, 1, 1},
        {"chirp", 10, std::nullopt, 0.01, 1, 1},
    };
    for (const Row& r : table) {
        const std::string name = r.name;
        CAPTURE(name);
        CAPTURE(r.n);
        const DataSplit s = make_dataset(spec(r.name, r.n, 0.1, r.classes, r.ratio, 3));
        const bool cls = r.d == 2;
        CHECK(s.train.x.shape == lab::Shape{r.train, r.d});
        CHECK(s.test.x.shape == lab::Shape{r.n - r.train, r.d});
        CHECK(s.train.y.shape == (cls ? lab::Shape{r.train} : lab::Shape{r.train, 1}));
        CHECK(s.test.y.shape == (cls ? lab::Shape{r.n - r.train} : lab::Shape{r.n - r.train, 1}));
        const std::int64_t k = cls ? r.classes.value_or(2) : 0;
        CHECK(s.train.classes == k);
        CHECK(s.test.classes == k);
        if (!cls) continue;
        std::vector<std::int64_t> count(static_cast<std::size_t>(k));
        for (const auto& row : rows(s)) {
            REQUIRE(row.y == std::floor(row.y));
            REQUIRE(row.y >= 0);
            REQUIRE(row.y < static_cast<double>(k));
            ++count[static_cast<std::size_t>(row.y)];
        }
        for (std::int64_t c = 0; c < k; ++c) {
            CAPTURE(c);
            CHECK(count[static_cast<std::size_t>(c)] == r.n / k + (c < r.n % k ? 1 : 0));
        }
    }
    // the split is a shuffle: both halves hold every class of a large set, not the first classes only
    const DataSplit s = make_dataset(spec("spiral", 400, 0.0, 4, 0.5, 1));
    std::vector<int> seen(4);
    for (double y : s.test.y.data) seen[static_cast<std::size_t>(y)] = 1;
    CHECK(seen == std::vector<int>{1, 1, 1, 1});
}

TEST_CASE("nn_data: at noise 0 every point lies exactly on its set's curve, inside the documented range") {
    for (const DataSetInfo& info : dataset_infos()) {
        const std::string name = info.name;
        CAPTURE(name);
        const std::int64_t classes = info.classification ? info.max_classes : 0;
        const DataSplit s = make_dataset(spec(info.name, 400, 0.0, info.classification ? std::optional<std::int64_t>(classes) : std::nullopt, 0.5, 17));
        for (const auto& p : rows(s)) {
            const double a = p.a, b = p.b, c = p.y;
            const auto k = static_cast<double>(classes);
            CAPTURE(a);
            CAPTURE(b);
            CAPTURE(c);
            REQUIRE(a >= info.x_lo);
            REQUIRE(a <= info.x_hi);
            if (info.classification && name != "gaussians") {
                REQUIRE(b >= info.x_lo);
                REQUIRE(b <= info.x_hi);
            }
            if (!info.classification) {
                REQUIRE(b >= info.y_lo);
                REQUIRE(b <= info.y_hi);
            }
            const double r = std::hypot(a, b);
            if (name == "circle") CHECK(std::fabs(r - 5 * (c + 1) / k) <= 1e-14);
            if (name == "xor") {
                CHECK(std::fmin(std::fabs(a), std::fabs(b)) >= 0.5);
                CHECK(std::fmax(std::fabs(a), std::fabs(b)) <= 5.0);
                CHECK((a * b > 0) == (c == 0));
            }
            if (name == "spiral") {  // r = 5t and the angle 3.5πt + 2πc/k
                const double t = r / 5, angle = 3.5 * kPi * t + 2 * kPi * c / k;
                CHECK(std::fabs(a - r * std::cos(angle)) <= 1e-13);
                CHECK(std::fabs(b - r * std::sin(angle)) <= 1e-13);
            }
            if (name == "moons") {  // back to scikit-learn's coordinates: unit circles about (0, 0) and (1, 0.5)
                const double u = a / 2.5 + 0.5, v = b / 2.5 + 0.25;
                const double cu = c == 0 ? 0.0 : 1.0, cv = c == 0 ? 0.0 : 0.5;
                CHECK(std::fabs(std::hypot(u - cu, v - cv) - 1) <= 1e-14);
                CHECK((c == 0 ? v >= -1e-15 : v <= 0.5 + 1e-15));
            }
            if (name == "sine") CHECK(std::fabs(b - std::sin(2 * kPi * a)) <= 1e-15);
            if (name == "step") CHECK(b == (a < 0 ? -1.0 : 1.0));
            if (name == "abs") CHECK(b == std::fabs(a));
            if (name == "chirp") CHECK(std::fabs(b - std::sin(3 * kPi * (a + 1) * (a + 1))) <= 1e-14);
        }
    }
    // the Gaussian clusters: each class's mean near its centre, its spread near 1 (noise 0 adds none)
    const DataSplit g = make_dataset(spec("gaussians", 4000, 0.0, 2, 0.5, 5));
    double m[2][2] = {}, v[2] = {};
    for (const auto& p : rows(g)) {
        m[static_cast<int>(p.y)][0] += p.a / 2000;
        m[static_cast<int>(p.y)][1] += p.b / 2000;
    }
    for (const auto& p : rows(g)) {
        const int c = static_cast<int>(p.y);
        v[c] += ((p.a - m[c][0]) * (p.a - m[c][0]) + (p.b - m[c][1]) * (p.b - m[c][1])) / 4000;
    }
    const double centre = 3 * std::cos(kPi / 4);
    CHECK(std::fabs(m[0][0] - centre) < 0.1);
    CHECK(std::fabs(m[0][1] - centre) < 0.1);
    CHECK(std::fabs(m[1][0] + centre) < 0.1);
    CHECK(std::fabs(m[1][1] + centre) < 0.1);
    CHECK(std::fabs(v[0] - 1) < 0.1);
    CHECK(std::fabs(v[1] - 1) < 0.1);
}

TEST_CASE("nn_data: noise moves the points by about its standard deviation") {
    for (const std::string name : {"circle", "sine"}) {
        CAPTURE(name);
        const bool cls = name == "circle";
        const std::optional<std::int64_t> k = cls ? std::optional<std::int64_t>(2) : std::nullopt;
        const auto clean = rows(make_dataset(spec(name.c_str(), 4000, 0.0, k, 0.5, 8)));
        const auto noisy = rows(make_dataset(spec(name.c_str(), 4000, 0.3, k, 0.5, 8)));
        // noise draws from the same stream, so the points differ; measure distance to the curve instead
        double sq = 0;
        for (const auto& p : noisy) {
            const double off = cls ? std::hypot(p.a, p.b) - 5 * (p.y + 1) / 2 : p.b - std::sin(2 * kPi * p.a);
            sq += off * off;
        }
        const double rms = std::sqrt(sq / static_cast<double>(noisy.size()));
        CAPTURE(rms);
        CHECK(rms > 0.25);
        CHECK(rms < 0.35);
        CHECK(clean.size() == noisy.size());
    }
}

TEST_CASE("nn_data: bad arguments name the field") {
    struct Row {
        DataSpec s;
        const char* message;
    };
    const Row table[] = {
        {spec("spirals", 10, 0, std::nullopt),
         "name: unknown data set 'spirals'; expected one of circle, xor, gaussians, spiral, moons, sine, step, abs, chirp"},
        {spec("circle", 0, 0, std::nullopt), "n must be in [1, 1000000], got 0"},
        {spec("circle", -5, 0, std::nullopt), "n must be in [1, 1000000], got -5"},
        {spec("circle", 2000000, 0, std::nullopt), "n must be in [1, 1000000], got 2000000"},
        {spec("circle", 10, -0.1, std::nullopt), "noise must be a finite number >= 0, got -0.1"},
        {spec("sine", 10, labtest::kNaN, std::nullopt), "noise must be a finite number >= 0, got nan"},
        {spec("circle", 10, 0, 1), "classes must be in [2, 8] for 'circle', got 1"},
        {spec("spiral", 10, 0, 9), "classes must be in [2, 8] for 'spiral', got 9"},
        {spec("xor", 10, 0, 3), "classes must be 2 for 'xor', got 3"},
        {spec("moons", 10, 0, 1), "classes must be 2 for 'moons', got 1"},
        {spec("chirp", 10, 0, 2), "classes: 'chirp' is a regression set and takes no classes"},
        {spec("circle", 10, 0, std::nullopt, 0.0), "train_ratio must be in (0, 1), got 0.0"},
        {spec("circle", 10, 0, std::nullopt, 1.0), "train_ratio must be in (0, 1), got 1.0"},
        {spec("abs", 10, 0, std::nullopt, labtest::kNaN), "train_ratio must be in (0, 1), got nan"},
    };
    for (const Row& r : table) {
        const std::string name = r.s.name;
        CAPTURE(name);
        CHECK(labtest::error_of([&] { make_dataset(r.s); }) == r.message);
    }
}

TEST_CASE("nn_data: the table describes every set once") {
    std::vector<std::string> names;
    for (const DataSetInfo& s : dataset_infos()) {
        names.push_back(s.name);
        CAPTURE(names.back());
        CHECK(std::string(s.doc).size() > 10);
        CHECK(s.x_lo < s.x_hi);
        CHECK((s.classification ? s.min_classes >= 2 && s.min_classes <= s.max_classes : s.min_classes == 0));
    }
    CHECK(names == std::vector<std::string>{"circle", "xor", "gaussians", "spiral", "moons", "sine", "step", "abs", "chirp"});
}
