// Network::reinitialize (the depth view's seed or init change without new pass storage). The claim
// is "exactly a fresh Network(spec with this seed and init)", so every comparison is bit for bit:
// parameters, a gradients() pass over the kept buffers, its statistics, a BlockPass, and a
// training step (the optimiser starts over as a fresh one's). Also: errors are the constructor's
// and change nothing; a pass made before it is stale; the siren init reads ω₀ from the activation
// the network has now (after set_modules), as a fresh network with that activation would.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nn_model.hpp"
#include "nn_pass.hpp"
#include "nn_random.hpp"
#include "nn_stats.hpp"
#include "stats_same.hpp"
#include "support.hpp"
#include "nn_randn.hpp"

namespace {

using namespace lab::nn;
using labtest::check_same;
using labtest::error_of;
using labtest::same;

using labtest::randn;

void check_params(const std::vector<LinearParams>& got, const std::vector<LinearParams>& want) {
    REQUIRE(got.size() == want.size());
    for (std::size_t l = 0; l < got.size(); ++l) {
        CAPTURE(l);
        CHECK(got[l].weight == want[l].weight);
        CHECK(got[l].bias == want[l].bias);
        CHECK(got[l].has_bias == want[l].has_bias);
    }
}

InitSpec init(std::string weight, labtest::Params params = {}, std::string bias = "default") {
    return InitSpec{std::move(weight), std::move(params), std::move(bias)};
}

// Everything a fresh network of `spec` gives, against `net` after reinitialize.
void check_as_fresh(Network& net, const NetworkSpec& spec, const lab::Tensor& x, const lab::Tensor& t) {
    Network fresh(spec);
    check_params(net.parameters(), fresh.parameters());
    CHECK(net.last_pass() == nullptr);
    CHECK(net.steps() == 0);
    CHECK(net.spec().seed == spec.seed);
    CHECK(net.spec().init.has_value() == spec.init.has_value());
    if (spec.init) CHECK(net.spec().init->weight == spec.init->weight);
    const auto got = net.gradients(x, t, false), want = fresh.gradients(x, t, false);
    CHECK(same(got.loss, want.loss));
    check_same(layer_statistics(net), layer_statistics(fresh));
    BlockPass pass(net, x, t, false);  // in blocks, over the buffers kept from before
    pass.advance(2);
    pass.advance(5);
    check_same(pass.statistics(), layer_statistics(fresh));
    if (!spec.optimizer) return;
    // a training step: the optimiser as a fresh one (momentum buffers empty, step 1)
    CHECK(same(net.step(x, t), fresh.step(x, t)));
    CHECK(net.steps() == 1);
    check_params(net.parameters(), fresh.parameters());
}

}  // namespace

TEST_CASE("nn_model: reinitialize — a fresh network's parameters, passes, statistics and optimiser, bit for bit") {
    for (const bool bias : {true, false}) {
        CAPTURE(bias);
        NetworkSpec spec;
        spec.sizes = {5, 7, 7, 7, 3};
        spec.bias = bias;
        spec.seed = 1;
        spec.loss = ModuleSpec{"MSELoss", labtest::Params{{"reduction", "sum"}}};
        spec.optimizer = ModuleSpec{"SGD", labtest::Params{{"lr", 0.05}, {"momentum", 0.9}}};
        const lab::Tensor x = randn(7, 5, 11), t = randn(7, 3, 12);
        Network net(spec);
        net.gradients(x, t);  // a pass whose buffers stay
        net.step(x, t);
        net.step(x, t);       // optimiser state and a step count to forget
        const std::vector<std::pair<std::uint64_t, std::optional<InitSpec>>> changes = {
            {2, std::nullopt},
            {2, init("xavier_uniform", {{"gain", 1.7}})},
            {2, init("xavier_uniform", {{"gain", 0.4}}, "zeros")},  // scale-only: served by nn_init's memo
            {9, init("kaiming_normal", {{"a", 0.1}, {"nonlinearity", "leaky_relu"}})},
            {9, init("normal", {{"std", 0.3}})},
            {1, std::nullopt},
        };
        for (const auto& change : changes) {
            const auto seed = change.first;  // (no structured binding: clang 14 cannot capture one for CAPTURE)
            const auto& in = change.second;
            CAPTURE(seed);
            CAPTURE(in ? in->weight : std::string("default"));
            net.reinitialize(seed, in);
            NetworkSpec s = spec;
            s.seed = seed;
            s.init = in;
            check_as_fresh(net, s, x, t);
        }
    }
}

TEST_CASE("nn_model: reinitialize with siren takes ω₀ from the current Sine activation") {
    NetworkSpec spec;
    spec.sizes = {2, 6, 6, 1};
    spec.activation = {"Sine", labtest::Params{{"w0", 10.0}}};
    spec.loss = ModuleSpec{"MSELoss", labtest::Params{{"reduction", "sum"}}};
    const lab::Tensor x = randn(7, 2, 3), t = randn(7, 1, 4);
    Network net(spec);
    net.gradients(x, t);
    net.reinitialize(5, init("siren"));
    NetworkSpec s = spec;
    s.seed = 5;
    s.init = init("siren");
    check_as_fresh(net, s, x, t);
    // after set_modules, the new ω₀ (a fresh network made with that activation)
    net.set_modules({"Sine", labtest::Params{{"w0", 3.0}}}, std::nullopt);
    net.reinitialize(5, init("siren"));
    s.activation = {"Sine", labtest::Params{{"w0", 3.0}}};
    check_as_fresh(net, s, x, t);
    CHECK(!net.spec().init->params.count("w0"));  // the spec stays as given
    // an explicit w0 wins over the activation's
    net.reinitialize(5, init("siren", {{"w0", 20.0}}));
    s.init = init("siren", {{"w0", 20.0}});
    check_as_fresh(net, s, x, t);
}

TEST_CASE("nn_model: reinitialize refuses what the constructor refuses, changes nothing then, and ends a pass") {
    NetworkSpec spec;
    spec.sizes = {3, 4, 2};
    spec.seed = 6;
    spec.init = init("kaiming_uniform");
    spec.loss = ModuleSpec{"MSELoss", labtest::Params{{"reduction", "sum"}}};
    const lab::Tensor x = randn(6, 3, 1), t = randn(6, 2, 2);
    Network net(spec);
    net.gradients(x, t);
    const auto p0 = net.parameters();
    const Pass* before = net.last_pass();
    for (const InitSpec& bad : {init("glorot"), init("xavier_uniform", {{"gian", 1.0}}), init("normal", {}, "ones")}) {
        CAPTURE(bad.weight);
        NetworkSpec s = spec;
        s.init = bad;
        const std::string constructor = error_of([&] { Network n(s); });
        CHECK(constructor.rfind("init: ", 0) == 0);
        CHECK(error_of([&] { net.reinitialize(7, bad); }) == constructor);
        check_params(net.parameters(), p0);
        CHECK(net.spec().seed == 6);
        CHECK(net.spec().init->weight == "kaiming_uniform");
        CHECK(net.last_pass() == before);
    }
    BlockPass pass(net, x, t);
    pass.advance(1);
    net.reinitialize(6, spec.init);
    CHECK(error_of([&] { pass.advance(1); }) ==
          "pass: the network has run another pass since (or its parameters or modules changed); make a new pass");
    check_params(net.parameters(), p0);  // the same seed and init: the same draws
}
