// init_linears' fast paths (core/nn_init.cpp): the default weights an init overwrites are skipped
// (Generator::discard), and the seeded call keeps the last (seed, sizes, bias)'s draws to rescale
// them. Both must give the bits of the plain algorithm — every reset_parameters, then the init's
// call per layer, as torch does it — which this file writes out itself (test_nn_init holds that
// algorithm to PyTorch). Each spec is checked on a fresh memo, again on a hit, after other keys
// (seeds, sizes, bias flag; more of them than the memo keeps), and the memo's counts show that
// the hits were hits.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "nn_init.hpp"
#include "support.hpp"

namespace {

using namespace lab::nn;

// torch.manual_seed(seed); [nn.Linear(...)]; for m: nn.init.<scheme>_(m.weight, ...); zeros_(m.bias)
std::vector<LinearParams> plain(const std::vector<std::int64_t>& sizes, bool bias, std::uint64_t seed,
                                const std::optional<InitSpec>& init) {
    Generator g(seed);
    std::vector<LinearParams> layers(sizes.size() - 1);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        layers[i].in = sizes[i];
        layers[i].out = sizes[i + 1];
        layers[i].has_bias = bias;
        reset_parameters(g, layers[i]);
    }
    if (!init) return layers;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        LinearParams& m = layers[i];
        if (init->weight == "siren") {
            const double w0 = init->params.count("w0") ? init->params.at("w0").number : 30.0;
            const double fan_in = static_cast<double>(m.in);
            const double bound = i == 0 ? 1 / fan_in : std::sqrt(6 / fan_in) / w0;
            g.uniform_(m.weight, -bound, bound);
        } else {
            init_tensor(g, init->weight, init->params, lab::Shape{m.out, m.in}, m.weight);
        }
        if (m.has_bias && init->bias == "zeros") std::fill(m.bias.begin(), m.bias.end(), 0.0);
    }
    return layers;
}

std::size_t differing(const std::vector<LinearParams>& a, const std::vector<LinearParams>& b) {
    if (a.size() != b.size()) return ~std::size_t{0};
    std::size_t bad = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].weight.size() != b[i].weight.size() || a[i].bias.size() != b[i].bias.size()) return ~std::size_t{0};
        bad += std::memcmp(a[i].weight.data(), b[i].weight.data(), a[i].weight.size() * sizeof(double)) != 0;
        bad += !a[i].bias.empty() && std::memcmp(a[i].bias.data(), b[i].bias.data(), a[i].bias.size() * sizeof(double)) != 0;
    }
    return bad;
}

InitSpec spec(const char* weight, labtest::Params params = {}, const char* bias = "default") { return InitSpec{weight, params, bias}; }

const std::vector<std::optional<InitSpec>>& specs() {
    static const std::vector<std::optional<InitSpec>> all = {
        std::nullopt,
        spec("xavier_uniform"),
        spec("xavier_uniform", {{"gain", 1.7}}),
        spec("kaiming_uniform", {{"a", 0.1}, {"mode", "fan_out"}}, "zeros"),
        spec("kaiming_uniform", {{"nonlinearity", "relu"}}),
        spec("siren", {{"w0", 30.0}}),
        spec("siren", {{"w0", 5.0}}, "zeros"),
        spec("uniform", {{"a", -0.2}, {"b", 0.5}}),
        spec("uniform"),
        spec("uniform", {{"a", -0.0}, {"b", 0.3}}),
        spec("xavier_normal"),
        spec("xavier_normal", {{"gain", 5.0 / 3}}, "zeros"),
        spec("kaiming_normal", {{"nonlinearity", "relu"}}),
        spec("normal", {{"std", 0.06}}, "zeros"),
        spec("normal", {{"mean", 0.3}, {"std", 0.2}}),
        spec("normal", {{"mean", -0.0}, {"std", 1.0}}),
        spec("normal", {{"std", 0.0}}),
        spec("constant", {{"val", 0.25}}),
        spec("zeros"),
        spec("ones", {}, "zeros"),
    };
    return all;
}

}  // namespace

TEST_CASE("nn_init memo: every scheme, fresh and from kept draws, is the plain algorithm bit for bit") {
    struct Key {
        std::vector<std::int64_t> sizes;
        bool bias;
        std::uint64_t seed;
    };
    // Serial normal_ with its cached sample across layers (< 16), tails (size % 16 != 0), whole blocks.
    const Key keys[] = {{{3, 5, 4, 1}, true, 0},    {{2, 17, 33, 3}, true, 7}, {{2, 17, 33, 3}, false, 7},
                        {{2, 17, 33, 3}, true, 8},  {{2, 17, 33, 2}, true, 7}, {{64, 64, 64}, true, 1},
                        {{7, 300, 1}, false, ~0ULL}, {{7, 300, 1}, false, 0xffffffffULL}};
    init_memo_clear();
    const InitMemoInfo start = init_memo_info();
    std::size_t calls = 0;
    for (int round = 0; round < 2; ++round) {
        for (const Key& k : keys) {
            for (int again = 0; again < 2; ++again) {
                for (const auto& init : specs()) {
                    CAPTURE(round);
                    CAPTURE(k.seed);
                    CAPTURE(k.sizes.size());
                    CAPTURE(k.sizes[1]);
                    CAPTURE(k.bias);
                    CAPTURE(again);
                    const std::string scheme = init ? init->weight + "/" + init->bias : std::string("default");
                    CAPTURE(scheme);
                    const auto want = plain(k.sizes, k.bias, k.seed, init);
                    Generator g(k.seed);
                    CHECK(differing(init_linears(g, k.sizes, k.bias, init), want) == 0);
                    CHECK(differing(init_linears(k.sizes, k.bias, k.seed, init), want) == 0);
                    calls += init.has_value();
                }
            }
        }
    }
    const InitMemoInfo end = init_memo_info();
    // One key after another: defaults once per key and round; each family drawn once per key and
    // round, every other drawn spec of the family a hit (9 uniform-family and 7 normal-family specs).
    const std::uint64_t key_rounds = 2 * std::size(keys);
    CHECK(end.defaults - start.defaults == key_rounds);
    CHECK(end.unit_fills - start.unit_fills == 2 * key_rounds);
    CHECK(end.hits - start.hits == key_rounds * (2 * 9 - 1 + 2 * 7 - 1));
    CHECK(calls == key_rounds * 2 * (specs().size() - 1));
}

TEST_CASE("nn_init memo: bounded, freed, and unharmed by a refused spec") {
    init_memo_clear();
    CHECK(init_memo_info().kept_doubles == 0);
    const std::vector<std::int64_t> sizes = {16, 40, 40, 5};
    const std::size_t weights = 16 * 40 + 40 * 40 + 40 * 5;
    init_linears(sizes, true, 3, spec("xavier_uniform"));
    CHECK(init_memo_info().kept_doubles == weights);
    init_linears(sizes, true, 3, spec("kaiming_normal"));
    CHECK(init_memo_info().kept_doubles == 2 * weights);  // both families fit
    // A refused spec throws before it touches the memo.
    CHECK(labtest::error_of([&] { init_linears(sizes, true, 3, spec("normal", {{"std", -1.0}})); }) ==
          "normal expects std >= 0.0, but found std -1");
    CHECK(labtest::error_of([&] { init_linears(sizes, true, 3, spec("uniform", {{"a", 1.0}, {"b", 0.0}})); }) ==
          "uniform_ expects to return a [from, to) range, but found from=1 > to=0");
    const InitMemoInfo before = init_memo_info();
    for (const char* s : {"xavier_normal", "kaiming_uniform"}) {
        CAPTURE(s);
        CHECK(differing(init_linears(sizes, true, 3, spec(s)), plain(sizes, true, 3, spec(s))) == 0);
    }
    CHECK(init_memo_info().hits == before.hits + 2);
    // Another key (the page's bias network between two of the big one) keeps the first one's draws.
    init_linears({4, 4}, false, 5, spec("normal"));
    CHECK(init_memo_info().kept_doubles == 2 * weights + 16);
    init_linears(sizes, true, 3, spec("normal", {{"std", 0.3}}));
    CHECK(init_memo_info().hits == before.hits + 3);
    // At most four keys: a fifth drops the least recently used ({4, 4}), then its draws.
    for (const std::uint64_t seed : {10u, 11u, 12u}) init_linears({4, 4}, false, seed, spec("normal"));
    CHECK(init_memo_info().keys == 4);
    CHECK(init_memo_info().kept_doubles == 2 * weights + 3 * 16);
    init_linears(sizes, true, 3, spec("xavier_uniform", {{"gain", 2.0}}));
    CHECK(init_memo_info().hits == before.hits + 4);
    SUBCASE("larger than the bound (8M unit draws): drawn each time, nothing kept") {
        const std::vector<std::int64_t> huge = {3000, 2800};  // 8.4M weights
        init_memo_clear();
        const auto got = init_linears(huge, false, 1, spec("kaiming_uniform"));
        CHECK(init_memo_info().kept_doubles == 0);
        Generator g(1);
        CHECK(differing(got, init_linears(g, huge, false, spec("kaiming_uniform"))) == 0);
    }
    SUBCASE("two families over the bound: the second drops the first") {
        const std::vector<std::int64_t> big = {2100, 2100};  // 4.41M weights each
        init_memo_clear();
        init_linears(big, false, 1, spec("xavier_uniform"));
        const auto got = init_linears(big, false, 1, spec("normal", {{"std", 0.02}}));
        CHECK(init_memo_info().kept_doubles == 2100 * 2100);
        CHECK(differing(got, plain(big, false, 1, spec("normal", {{"std", 0.02}}))) == 0);
    }
    init_memo_clear();
}
