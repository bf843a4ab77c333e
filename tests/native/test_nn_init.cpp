// torch.nn.init and nn.Linear.reset_parameters (core/nn_init.*). The initial weights are an exact
// function of the seed, so the PyTorch rows (tests/reference/network_init.json) compare bits: every
// layer of every case — default reset_parameters for six seeds and ten layer-size lists with and
// without bias, then each init scheme with non-default keywords — must equal torch's doubles. The
// shapes reach both normal_ paths and the cached sample across layers (see generate_network.py).
// The rule rows check what a spec can get wrong, in PyTorch's words where it has them.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "nn_init.hpp"
#include "reference.hpp"
#include "support.hpp"

namespace {

using labtest::json;
using namespace lab::nn;

bool same_bits(double a, double b) {
    std::uint64_t ua, ub;
    std::memcpy(&ua, &a, sizeof ua);
    std::memcpy(&ub, &b, sizeof ub);
    return ua == ub;
}

std::uint64_t seed_of(const json& j) {
    return j.is_number_unsigned() ? j.get<std::uint64_t>() : static_cast<std::uint64_t>(j.get<std::int64_t>());
}

// Counts the values whose bits differ; CHECKs each with both numbers in full.
std::size_t compare_bits(const std::vector<double>& got, const json& want_nested, const char* what) {
    const lab::Tensor want = labtest::tensor(want_nested);
    CAPTURE(what);
    REQUIRE(got.size() == want.numel());
    std::size_t bad = 0;
    for (std::size_t i = 0; i < got.size(); ++i) {
        const labtest::Exact g{got[i]}, w{want.data[i]};
        CAPTURE(i);
        CAPTURE(g);
        CAPTURE(w);
        CHECK(same_bits(got[i], want.data[i]));
        bad += !same_bits(got[i], want.data[i]);
    }
    return bad;
}

}  // namespace

TEST_CASE("nn_init: seeded nn.Linear stacks are PyTorch's, bit for bit") {
    std::size_t cases = 0, values = 0;
    for (const json& c : labtest::reference("network_init")["cases"]) {
        if (c["kind"] != "linears") continue;
        const std::string spec = c["sizes"].dump() + " bias=" + c["bias"].dump() + " seed=" + c["seed"].dump() + " init=" + c["init"].dump();
        CAPTURE(spec);
        std::optional<InitSpec> init;
        if (!c["init"].is_null()) {
            init = InitSpec{c["init"]["weight"], c["init"].contains("params") ? labtest::params(c["init"]["params"]) : lab::ParamMap{},
                            c["init"].value("bias", std::string("default"))};
        }
        const auto layers = init_linears(c["sizes"].get<std::vector<std::int64_t>>(), c["bias"].get<bool>(), seed_of(c["seed"]), init);
        REQUIRE(layers.size() == c["layers"].size());
        for (std::size_t k = 0; k < layers.size(); ++k) {
            CAPTURE(k);
            CHECK(compare_bits(layers[k].weight, c["layers"][k]["weight"], "weight") == 0);
            CHECK(compare_bits(layers[k].bias, c["layers"][k]["bias"], "bias") == 0);
            values += layers[k].weight.size() + layers[k].bias.size();
        }
        ++cases;
    }
    CHECK(cases == 304);
    CHECK(values > 20000);
}

TEST_CASE("nn_init: calculate_gain and fans as torch.nn.init computes them") {
    std::size_t n = 0;
    for (const json& c : labtest::reference("network_init")["cases"]) {
        const std::string kind = c["kind"];
        const std::string row = c.dump().substr(0, 160);
        CAPTURE(row);
        if (kind == "gain") {
            const lab::Value param = labtest::params(json{{"p", c["param"]}}).at("p");
            CHECK(same_bits(calculate_gain(c["nonlinearity"].get<std::string>(), param), labtest::number(c["value"])));
        } else if (kind == "gain_error") {
            const lab::Value param = labtest::params(json{{"p", c["param"]}}).at("p");
            CHECK(labtest::error_of([&] { calculate_gain(c["nonlinearity"].get<std::string>(), param); }) == c["message"]);
        } else if (kind == "fans") {
            const Fans f = calculate_fan_in_and_fan_out(c["shape"].get<lab::Shape>());
            CHECK(f.fan_in == c["fan_in"].get<std::int64_t>());
            CHECK(f.fan_out == c["fan_out"].get<std::int64_t>());
        } else if (kind == "fan_error") {
            CHECK(labtest::error_of([&] { calculate_fan_in_and_fan_out(c["shape"].get<lab::Shape>()); }) == c["message"]);
        } else if (kind == "init_error") {
            Generator g(0);
            const lab::Shape shape = c["shape"].get<lab::Shape>();
            std::vector<double> w(static_cast<std::size_t>(shape[0] * shape[1]));
            CHECK(labtest::error_of([&] { init_tensor(g, c["scheme"].get<std::string>(), labtest::params(c["params"]), shape, w); }) ==
                  c["message"]);
        } else {
            continue;
        }
        ++n;
    }
    CHECK(n == 14 + 3 + 3 + 1 + 14);
}

TEST_CASE("nn_init: rules") {
    struct Fill {
        const char* what;
        const char* scheme;
        labtest::Params params;
        double expected;  // every element
        const char* why;
    };
    const Fill fills[] = {
        {"constant", "constant", {{"val", 0.25}}, 0.25, "fill_(val)"},
        {"zeros", "zeros", {}, 0.0, "zero_()"},
        {"ones", "ones", {}, 1.0, "fill_(1.)"},
        {"normal with std 0 is the mean", "normal", {{"mean", -2.5}, {"std", 0.0}}, -2.5, "fma(z, 0, mean)"},
        {"uniform with a == b", "uniform", {{"a", 3.0}, {"b", 3.0}}, 3.0, "fma(x, 0, a)"},
    };
    for (const Fill& r : fills) {
        CAPTURE(r.what);
        CAPTURE(r.why);
        Generator g(0);
        std::vector<double> w(6, 9.0);
        init_tensor(g, r.scheme, r.params, lab::Shape{2, 3}, w);
        for (double v : w) CHECK(v == r.expected);
    }

    struct Bad {
        const char* what;
        std::vector<std::int64_t> sizes;
        std::optional<InitSpec> init;
        const char* message;
        const char* why;
    };
    const Bad bad[] = {
        {"one size", {3}, std::nullopt, "sizes needs at least two entries (inputs and outputs), got 1", "a Linear needs in and out"},
        {"size 0", {2, 0, 1}, std::nullopt, "sizes[1] must be at least 1, got 0", "issue 9: sizes < 1 are refused"},
        {"unknown scheme", {2, 1}, InitSpec{"glorot", {}, "default"},
         "init.weight: unknown init scheme 'glorot'; one of xavier_uniform, xavier_normal, kaiming_uniform, kaiming_normal, normal, "
         "uniform, constant, ones, zeros, siren",
         "names are torch.nn.init's without the underscore"},
        {"bad bias mode", {2, 1}, InitSpec{"zeros", {}, "ones"}, "init.bias must be 'default' or 'zeros', got 'ones'", "issue 9's two choices"},
        {"siren w0 <= 0", {2, 2, 1}, InitSpec{"siren", labtest::Params{{"w0", 0.0}}, "default"},
         "siren: w0 must be a positive number, got 0.0", "the bound divides by w0"},
        {"siren keyword", {2, 1}, InitSpec{"siren", labtest::Params{{"omega", 30.0}}, "default"},
         "siren() got an unexpected keyword argument 'omega'", "the keyword is w0, as the Sine activation's"},
        {"a scheme's keyword", {2, 1}, InitSpec{"kaiming_normal", labtest::Params{{"mode", "fan_avg"}}, "default"},
         "Mode fan_avg not supported, please use one of ['fan_in', 'fan_out']", "init.py's message"},
    };
    for (const Bad& r : bad) {
        CAPTURE(r.what);
        CAPTURE(r.why);
        CHECK(labtest::error_of([&] { init_linears(r.sizes, true, 0, r.init); }) == r.message);
    }

    SUBCASE("siren bounds: first layer ±1/fan_in, later ±sqrt(6/fan_in)/w0; bias untouched by default") {
        const auto plain = init_linears({4, 8, 2}, true, 5);
        const auto siren = init_linears({4, 8, 2}, true, 5, InitSpec{"siren", labtest::Params{{"w0", 30.0}}, "default"});
        for (double v : siren[0].weight) CHECK(std::fabs(v) <= 1.0 / 4);
        for (double v : siren[1].weight) CHECK(std::fabs(v) <= std::sqrt(6.0 / 8) / 30);
        CHECK(siren[0].bias == plain[0].bias);
        CHECK(siren[1].bias == plain[1].bias);
    }
    SUBCASE("bias=False draws no bias, so the next layer's weight moves up the stream") {
        const auto with = init_linears({3, 3, 3}, true, 0);
        const auto without = init_linears({3, 3, 3}, false, 0);
        CHECK(without[0].bias.empty());
        CHECK(with[0].weight == without[0].weight);
        CHECK(with[1].weight != without[1].weight);
    }
}
