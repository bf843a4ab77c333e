// PyTorch's CPU generator (core/nn_random.*), bit for bit. The reference rows replay sequences of
// uniform_/normal_ calls after one torch.manual_seed and compare every double's bits: a seeded
// network is only "PyTorch's" if the stream, the 53-bit fraction, the fused scale, both normal_
// paths and the cached sample all agree. The rule rows pin what the reference cannot show by
// itself (the engine is the standard mt19937; which bits of the seed count; argument checks).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numbers>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "nn_random.hpp"
#include "reference.hpp"
#include "scalar.hpp"
#include "support.hpp"

namespace {

using labtest::json;
using lab::nn::Generator;

bool same_bits(double a, double b) {
    std::uint64_t ua, ub;
    std::memcpy(&ua, &a, sizeof ua);
    std::memcpy(&ub, &b, sizeof ub);
    return ua == ub;
}

// A JSON seed as torch.manual_seed receives it (a negative one as its two's complement).
std::uint64_t seed_of(const json& j) {
    return j.is_number_unsigned() ? j.get<std::uint64_t>() : static_cast<std::uint64_t>(j.get<std::int64_t>());
}

}  // namespace

TEST_CASE("nn_random: uniform_/normal_ sequences are PyTorch's, bit for bit") {
    std::size_t cases = 0, values = 0;
    for (const json& c : labtest::reference("network_init")["cases"]) {
        if (c["kind"] != "generator") continue;
        const std::string what = c["what"];
        const std::string seed = c["seed"].dump();
        CAPTURE(what);
        CAPTURE(seed);
        Generator g(seed_of(c["seed"]));
        std::size_t out = 0;
        for (const json& call : c["calls"]) {
            const std::string op = call[0];
            if (op == "reseed") {
                g.manual_seed(seed_of(c["seed"]));
                continue;
            }
            std::vector<double> t(call[1].get<std::size_t>());
            const double a = labtest::number(call[2]), b = labtest::number(call[3]);
            if (op == "uniform") g.uniform_(t, a, b);
            else g.normal_(t, a, b);
            const json& want = c["values"][out++];
            REQUIRE(want.size() == t.size());
            CAPTURE(op);
            for (std::size_t i = 0; i < t.size(); ++i) {
                const labtest::Exact got{t[i]}, expected{labtest::number(want[i])};
                CAPTURE(i);
                CAPTURE(got);
                CAPTURE(expected);
                CHECK(same_bits(t[i], expected.v));
                ++values;
            }
        }
        ++cases;
    }
    CHECK(cases == 54);
    CHECK(values == 1482);
}

TEST_CASE("nn_random: rules of the engine and the seed") {
    SUBCASE("the engine is the standard mt19937 (10000th draw from 5489 is 4123659995)") {
        Generator g(5489);
        std::uint32_t v = 0;
        for (int i = 0; i < 10000; ++i) v = g.random();
        CHECK(v == 4123659995u);
    }
    struct Row {
        const char* what;
        std::uint64_t seed, same_as;
        const char* why;
    };
    const Row rows[] = {
        {"2^32 + 5 seeds like 5", (1ULL << 32) + 5, 5, "mt19937 takes the low 32 bits of the 64-bit seed"},
        {"-1 seeds like 0xffffffff", ~0ULL, 0xffffffffULL, "torch.manual_seed(-1) is 2^64 - 1"},
    };
    for (const Row& r : rows) {
        CAPTURE(r.what);
        CAPTURE(r.why);
        Generator a(r.seed), b(r.same_as);
        for (int i = 0; i < 8; ++i) CHECK(a.random() == b.random());
    }
    SUBCASE("a float64 uniform is two draws, the first the high word, 53 bits kept") {
        Generator a(7), b(7);
        const std::uint64_t hi = b.random(), lo = b.random();
        const double expected = static_cast<double>(((hi << 32) | lo) & ((1ULL << 53) - 1)) * 0x1p-53;
        CHECK(same_bits(a.uniform(0.0, 1.0), expected));
    }
    SUBCASE("the scale is fused: fma(x, to - from, from)") {
        Generator a(3), b(3);
        const double x = b.uniform(0.0, 1.0);
        CHECK(same_bits(a.uniform(-0.1, 0.7), std::fma(x, 0.7 - -0.1, -0.1)));
    }
    SUBCASE("the serial normal caches its second sample; manual_seed drops it") {
        Generator a(11);
        const double first = a.normal(0.0, 1.0);
        const double second = a.normal(0.0, 1.0);  // the cached r·sin θ
        a.manual_seed(11);
        CHECK(same_bits(a.normal(0.0, 1.0), first));
        a.manual_seed(11);
        std::vector<double> two(2);
        a.normal_(two, 0.0, 1.0);
        CHECK(same_bits(two[0], first));
        CHECK(same_bits(two[1], second));
    }
}

// The engine is our own block-regenerating mt19937 and uniform_ a batched copy of uniform() (the
// header's speed note): both held to what they replace, draw for draw and bit for bit.
TEST_CASE("nn_random: the block mt19937 is std::mt19937; uniform_ in bulk is uniform() per value") {
    for (const std::uint64_t seed : {0ULL, 1ULL, 5489ULL, 0xffffffffULL, (1ULL << 32) + 5, 67280421310721ULL}) {
        CAPTURE(seed);
        Generator g(seed);
        std::mt19937 want(static_cast<std::uint32_t>(seed));
        std::size_t differ = 0;
        for (int i = 0; i < 3 * 624 + 5; ++i) differ += g.random() != want();
        CHECK(differ == 0);
        // Bulk draws leave the stream where single draws would: 2 per value, then random() goes on.
        std::vector<double> t(1000);
        g.uniform_(t, -0.5, 0.5);
        want.discard(2 * t.size());
        CHECK(g.random() == want());
    }
    struct Range {
        double from, to;
    };
    // Ordinary bounds, [0, 1) (normal_'s uniforms), and the ones uniform_ leaves to uniform()'s own
    // fma_exact: an empty range, a tiny one, a huge one, a huge `from`.
    const Range ranges[] = {{-0.3, 0.3}, {0.0, 1.0}, {-1e-3, 7.0}, {2.0, 2.0}, {-0x1p-450, 0.0}, {-1e300, 1e300}, {1e290, 1e291}};
    for (const Range& r : ranges) {
        for (const std::size_t n : {1u, 255u, 256u, 257u, 1000u}) {
            CAPTURE(r.from);
            CAPTURE(r.to);
            CAPTURE(n);
            Generator bulk(42), single(42);
            std::vector<double> t(n);
            bulk.uniform_(t, r.from, r.to);
            std::size_t differ = 0;
            for (const double v : t) differ += !same_bits(v, single.uniform(r.from, r.to));
            CHECK(differ == 0);
        }
    }
}

TEST_CASE("nn_random: argument checks in ATen's words") {
    struct Row {
        const char* what;
        bool uniform;
        double a, b;
        const char* message;
        const char* why;
    };
    const Row rows[] = {
        {"from > to", true, 1.0, 0.0, "uniform_ expects to return a [from, to) range, but found from=1 > to=0", "uniform_impl_"},
        {"range overflows", true, -1e308, 1e308,
         "uniform_ expects to-from <= std::numeric_limits<Double>::max(), but found to=1e+308 and from=-1e+308 which result in "
         "to-from to exceed the limit",
         "to - from is inf"},
        {"from = -inf", true, -labtest::kInf, 0.0, "from is out of bounds for double", "CHECK_OUT_OF_BOUNDS"},
        {"to = NaN", true, 0.0, labtest::kNaN, "to is out of bounds for double", "NaN fails the bound check"},
        {"std < 0", false, 0.0, -1.0, "normal expects std >= 0.0, but found std -1", "c10 streams -1.0 as -1"},
        {"std NaN", false, 0.0, labtest::kNaN, "normal expects std >= 0.0, but found std nan", "NaN fails std >= 0"},
    };
    for (const Row& r : rows) {
        CAPTURE(r.what);
        CAPTURE(r.why);
        Generator g(0);
        std::vector<double> t(3, 0.0);
        CHECK(labtest::error_of([&] { r.uniform ? g.uniform_(t, r.a, r.b) : g.normal_(t, r.a, r.b); }) == r.message);
    }
    SUBCASE("accepted edge values") {
        Generator g(0);
        std::vector<double> t(2);
        g.normal_(t, 0.0, labtest::kInf);  // PyTorch gives ±inf (or nan), no error
        g.normal_(t, labtest::kNaN, 1.0);
        CHECK(std::isnan(t[0]));
        g.uniform_(t, 0.5, 0.5);
        CHECK(t[0] == 0.5);
    }
}

// The shortcuts of the draws (the header's second speed note), each against what it replaces.
TEST_CASE("nn_random: discard(n) is n draws thrown away, across twist boundaries") {
    for (const std::uint64_t before : {0ULL, 1ULL, 300ULL, 623ULL, 624ULL}) {
        for (const std::uint64_t n : {0ULL, 1ULL, 323ULL, 324ULL, 623ULL, 624ULL, 625ULL, 1248ULL, 1249ULL, 7ULL * 624 + 3, 100003ULL}) {
            CAPTURE(before);
            CAPTURE(n);
            Generator g(99);
            std::mt19937 want(99);
            for (std::uint64_t i = 0; i < before; ++i) CHECK(g.random() == want());
            g.discard(n);
            want.discard(n);
            std::size_t differ = 0;
            for (int i = 0; i < 1300; ++i) differ += g.random() != want();
            CHECK(differ == 0);
        }
    }
    SUBCASE("the cached normal sample is not a draw: discard leaves it") {
        Generator a(5), b(5);
        a.normal(0.0, 1.0);
        b.normal(0.0, 1.0);
        a.discard(1000);
        for (int i = 0; i < 1000; ++i) b.random();
        CHECK(same_bits(a.normal(0.0, 1.0), b.normal(0.0, 1.0)));  // the cached r·sin θ, both
        CHECK(same_bits(a.normal(0.0, 1.0), b.normal(0.0, 1.0)));  // then fresh draws, the same ones
    }
}

TEST_CASE("nn_random: the exact conversions and uniform_'s one-product shortcuts") {
    // m at its edges (0, 1, 2^52 − 1, 2^52, 2^53 − 1), the 11 dropped bits of the high word set or not.
    const std::uint64_t edges[] = {0, 1, (1ULL << 52) - 1, 1ULL << 52, (1ULL << 52) + 1, (1ULL << 53) - 1, 0x123456789abcdULL};
    // Bounds: ordinary ones, exact powers of two, a subnormal result range, the largest with 2·to finite.
    const double bounds[] = {0.3, 1.0 / 16, 1.0, 0.1767766952966369, 1e-300, 0x1p-1022, 0x1p-1074, 3e-310, 1e300,
                             std::numeric_limits<double>::max() / 2};
    for (const std::uint64_t m : edges) {
        for (const std::uint32_t junk : {0u, 0xffe00000u, 0x80000000u}) {
            const auto hi = static_cast<std::uint32_t>(m >> 32) | junk, lo = static_cast<std::uint32_t>(m);
            const double x = static_cast<double>(m) * 0x1p-53;  // uniform_real's x, the old way
            CAPTURE(m);
            CAPTURE(junk);
            CHECK(same_bits(Generator::fraction(hi, lo), x));
            CHECK(same_bits(Generator::unit(hi, lo), 2 * x - 1));
            for (const double to : bounds) {
                CAPTURE(to);
                CHECK(same_bits(to * Generator::unit(hi, lo), std::fma(x, to - -to, -to)));
                CHECK(same_bits(to * Generator::unit(hi, lo), lab::fma_exact(x, to - -to, -to)));
                CHECK(same_bits(to * Generator::fraction(hi, lo), std::fma(x, to, 0.0)));
                CHECK(same_bits(to * Generator::fraction(hi, lo), std::fma(x, to, -0.0)));
            }
        }
    }
    // uniform_ in bulk (the shortcuts) against uniform() per value (fma_exact), millions of draws.
    struct Range {
        double from, to;
        std::size_t n;
    };
    const double big = std::numeric_limits<double>::max() / 2;
    const Range ranges[] = {{-0.3, 0.3, 2000000}, {-0.0625, 0.0625, 1000000}, {0.0, 1.0, 1000000}, {-0.0, 0.7, 300000},
                            {-0.2, 0.5, 300000}, {-1e-3, 7.0, 100000}, {1e290, 1e291, 10000},
                            {0.0, 3e-310, 100000}, {-1e-300, 1e-300, 100000}, {-0x1p-1074, 0x1p-1074, 100000},
                            {-3e-310, 3e-310, 100000}, {-big, big, 100000}, {0.0, 0.0, 1000}, {-0.0, 0.0, 1000}};
    for (const Range& r : ranges) {
        CAPTURE(r.from);
        CAPTURE(r.to);
        Generator bulk(2024), single(2024);
        std::vector<double> t(r.n);
        bulk.uniform_(t, r.from, r.to);
        std::size_t differ = 0;
        for (const double v : t) differ += !same_bits(v, single.uniform(r.from, r.to));
        CHECK(differ == 0);
        CHECK(bulk.random() == single.random());
        // The same values from the unit draws, rescaled (nn_init's memo).
        Generator units(2024);
        std::vector<double> u(r.n);
        units.uniform_units_(u);
        Generator::uniform_scale(u.data(), u, r.from, r.to);
        differ = 0;
        for (std::size_t i = 0; i < r.n; ++i) differ += !same_bits(u[i], t[i]);
        CHECK(differ == 0);
    }
    SUBCASE("uniform_units_ is 2x − 1 of uniform()'s x, draw for draw") {
        Generator units(8), single(8);
        std::vector<double> t(100000);
        units.uniform_units_(t);
        std::size_t differ = 0;
        for (const double v : t) differ += !same_bits(v, 2 * single.uniform(0.0, 1.0) - 1);
        CHECK(differ == 0);
    }
}

TEST_CASE("nn_random: normal_scale is fma(z, std, mean), the zeros' signs included") {
    const double zs[] = {0.0, -0.0, 1.5, -1.5, 1e-17, -3e-17, 8.57, -8.57, 0x1p-60};
    const double stds[] = {0.0, 1.0, 0.06, 1e-300, 3e-310, 0x1p-1074, 1e300, std::numeric_limits<double>::max()};
    const double means[] = {0.0, -0.0, 0.5, -1e-300, 2.0};
    for (const double z : zs)
        for (const double s : stds)
            for (const double mean : means) {
                CAPTURE(z);
                CAPTURE(s);
                CAPTURE(mean);
                double got = 0;
                Generator::normal_scale(&z, std::span<double>(&got, 1), s, mean);
                CHECK(same_bits(got, std::fma(z, s, mean)));
            }
    SUBCASE("normal_ is ATen's normal_fill: uniforms, blocks of 16 with the fma, the tail redrawn") {
        struct Row {
            double mean, std;
        };
        const Row rows[] = {{0.0, 1.0}, {0.0, 0.06}, {-0.0, 2.0}, {0.5, 0.1}, {0.0, 0.0}, {0.0, 3e-310}, {-1e-3, 1e-3}};
        for (const std::size_t n : {16u, 17u, 31u, 32u, 100u, 65541u}) {
            for (const Row& r : rows) {
                CAPTURE(n);
                CAPTURE(r.mean);
                CAPTURE(r.std);
                Generator bulk(77), single(77);
                std::vector<double> got(n), want(n);
                bulk.normal_(got, r.mean, r.std);
                const auto fill16 = [&](double* d) {  // the old normal_fill_16
                    for (int j = 0; j < 8; ++j) {
                        const double radius = std::sqrt(-2 * std::log(1 - d[j])), theta = 2.0 * std::numbers::pi * d[j + 8];
                        d[j] = lab::fma_exact(radius * std::cos(theta), r.std, r.mean);
                        d[j + 8] = lab::fma_exact(radius * std::sin(theta), r.std, r.mean);
                    }
                };
                for (double& v : want) v = single.uniform(0.0, 1.0);
                for (std::size_t i = 0; i + 16 <= n; i += 16) fill16(want.data() + i);
                if (n % 16 != 0) {
                    for (std::size_t i = n - 16; i < n; ++i) want[i] = single.uniform(0.0, 1.0);
                    fill16(want.data() + n - 16);
                }
                std::size_t differ = 0;
                for (std::size_t i = 0; i < n; ++i) differ += !same_bits(got[i], want[i]);
                CHECK(differ == 0);
                CHECK(bulk.random() == single.random());
            }
        }
    }
}
