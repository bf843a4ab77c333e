// The network model (core/nn_model.*, core/nn_stats.*) against PyTorch (tests/reference/
// network_forward.json and training.json, written by generate_training.py), then the rules.
// How exact, and why:
//   * first-step gradients: support.hpp's rule, 1e-12 relative — the products are summed in
//     netlib BLAS's order, but a module's backward multiplies f′ by the incoming gradient where
//     some autograd formulas group the factors differently (sigmoid: (g·(1 − y))·y), a few ulps;
//   * forward passes, every layer's pre and post: 1e-12 relative to the larger of the value and
//     the sum's own scale S = Σ_k |x_k·W_jk| + |b_j|. The Linear's sums are bit for bit torch's
//     (generate_training.py's cases were checked in Python from torch's own layer inputs), but
//     torch's vectorised tanh/exp may differ from glibc's by an ulp, and a sum that cancels (S ≫
//     |pre|) turns that ulp of the previous layer into 1e-12 of the result (seen: 2.5e-12 in a
//     20-wide tanh layer; Tanhshrink's x − tanh(x) near 0 likewise). An error of the sum's order
//     or of a factor shows up at S's scale and is still caught;
//   * the seeded initial parameters: bit for bit (they are init_linears', tested in test_nn_init);
//   * 25-step training runs (full batch and minibatches of 4 taken in order): each step's loss and
//     the final parameters within 1e-9 relative, as issue 9 asks (ulp differences may grow a little
//     over the steps); an exact 0 still needs an exact 0;
//   * statistics: mean and population std of pre, post and dL/dpre against torch's, and the
//     gradient norms against torch's .norm(), 1e-12; histograms, dead and saturated shares by
//     hand-written rows (their definitions are the lab's, nn_stats.hpp).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "nn_model.hpp"
#include "nn_stats.hpp"
#include "reference.hpp"
#include "support.hpp"

namespace {

using labtest::json;
using namespace lab::nn;

lab::nn::ModuleSpec module_of(const json& j) {
    if (j.is_string()) return {j.get<std::string>(), {}};
    return {j["name"].get<std::string>(), j.contains("params") ? labtest::params(j["params"]) : lab::ParamMap{}};
}

NetworkSpec spec_of(const json& c) {
    NetworkSpec s;
    s.sizes = c["sizes"].get<std::vector<std::int64_t>>();
    s.activation = module_of(c["activation"]);
    if (!c["output"].is_null()) s.output = module_of(c["output"]);
    s.bias = c["bias"].get<bool>();
    s.seed = c["seed"].get<std::uint64_t>();
    if (c.contains("init") && !c["init"].is_null()) {
        InitSpec init;
        init.weight = c["init"]["weight"].get<std::string>();
        if (c["init"].contains("params")) init.params = labtest::params(c["init"]["params"]);
        if (c["init"].contains("bias")) init.bias = c["init"]["bias"].get<std::string>();
        s.init = init;
    }
    if (c.contains("loss")) s.loss = module_of(c["loss"]);
    if (c.contains("optimizer")) s.optimizer = module_of(c["optimizer"]);
    return s;
}

bool close9(double a, double e) {
    if (std::isnan(a) || std::isnan(e)) return std::isnan(a) && std::isnan(e);
    return std::fabs(a - e) <= 1e-9 * std::fmax(std::fabs(a), std::fabs(e));
}

void check_values(const std::vector<double>& got, const json& want, const char* what, bool loose = false) {
    const lab::Tensor w = labtest::tensor(want);
    CAPTURE(what);
    REQUIRE(got.size() == w.numel());
    for (std::size_t i = 0; i < got.size(); ++i) {
        CAPTURE(i);
        if (loose) {
            const labtest::Exact g{got[i]}, e{w.data[i]};
            CAPTURE(g);
            CAPTURE(e);
            CHECK(close9(got[i], w.data[i]));
        } else {
            labtest::check_close(got[i], w.data[i]);
        }
    }
}

// |got − want| ≤ 1e-12 · max(|got|, |want|, scale) (the forward rule above).
void check_scaled(const lab::Tensor& got, const json& want_nested, const std::vector<double>& scale, const char* what) {
    const lab::Tensor want = labtest::tensor(want_nested);
    CAPTURE(what);
    REQUIRE(lab::sizes_str(got.shape) == lab::sizes_str(want.shape));
    for (std::size_t i = 0; i < got.numel(); ++i) {
        const double a = got.data[i], e = want.data[i];
        const labtest::Exact g{a}, w{e}, sc{scale[i]};
        CAPTURE(i);
        CAPTURE(g);
        CAPTURE(w);
        CAPTURE(sc);
        if (std::isnan(e) || std::isinf(e)) CHECK(labtest::close(a, e));
        else CHECK(std::fabs(a - e) <= labtest::kRelTol * std::fmax(std::fmax(std::fabs(a), std::fabs(e)), scale[i]));
    }
}

lab::Tensor rows(const lab::Tensor& t, std::int64_t from, std::int64_t count) {
    lab::Shape s = t.shape;
    s[0] = count;
    const std::size_t w = t.numel() / static_cast<std::size_t>(t.shape[0]);
    std::vector<double> d(t.data.begin() + static_cast<std::ptrdiff_t>(from * static_cast<std::int64_t>(w)),
                          t.data.begin() + static_cast<std::ptrdiff_t>((from + count) * static_cast<std::int64_t>(w)));
    return lab::Tensor(s, d);
}

std::string describe(const json& c) {
    std::string s = c["sizes"].dump() + " act=" + c["activation"].dump() + " out=" + c["output"].dump() + " seed=" + c["seed"].dump();
    if (c.contains("loss")) s += " loss=" + c["loss"].dump();
    if (c.contains("optimizer")) s += " opt=" + c["optimizer"].dump() + " batch=" + c["batch"].dump();
    return s;
}

}  // namespace

TEST_CASE("nn_model: forward passes are PyTorch's, every layer's pre and post, with their mean and std") {
    std::size_t n = 0;
    for (const json& c : labtest::reference("network_forward")["cases"]) {
        const std::string spec = describe(c);
        CAPTURE(spec);
        Network net(spec_of(c));
        const ForwardResult r = net.forward(labtest::tensor(c["input"]));
        REQUIRE(r.layers.size() == c["layers"].size());
        const std::vector<LayerStats> st = layer_statistics(net);
        for (std::size_t l = 0; l < r.layers.size(); ++l) {
            CAPTURE(l);
            const json& want = c["layers"][l];
            // S per entry, from torch's own input to this layer.
            const lab::Tensor x = l ? labtest::tensor(c["layers"][l - 1]["post"]) : labtest::tensor(c["input"]);
            const LinearParams& p = net.parameters()[l];
            const std::size_t rows_n = static_cast<std::size_t>(x.shape[0]), in = static_cast<std::size_t>(p.in),
                              out = static_cast<std::size_t>(p.out);
            std::vector<double> scale(rows_n * out);
            for (std::size_t r0 = 0; r0 < rows_n; ++r0)
                for (std::size_t j = 0; j < out; ++j) {
                    double sc = p.has_bias ? std::fabs(p.bias[j]) : 0.0;
                    for (std::size_t k = 0; k < in; ++k) sc += std::fabs(x.data[r0 * in + k] * p.weight[j * in + k]);
                    scale[r0 * out + j] = sc;
                }
            check_scaled(r.layers[l].pre, want["pre"], scale, "pre");
            if (r.layers[l].post.numel() == scale.size()) check_scaled(r.layers[l].post, want["post"], scale, "post");
            else labtest::check_tensor(r.layers[l].post, labtest::tensor(want["post"]), "post (GLU)");
            labtest::check_close(st[l].pre.mean, labtest::number(want["pre_mean"]));
            labtest::check_close(st[l].pre.std, labtest::number(want["pre_std"]));
            labtest::check_close(st[l].post.mean, labtest::number(want["post_mean"]));
            labtest::check_close(st[l].post.std, labtest::number(want["post_std"]));
            CHECK(!st[l].grad);
            CHECK(std::isnan(st[l].weight_grad_norm));
        }
        labtest::check_tensor(r.output, labtest::tensor(c["output_values"]), "output");
        ++n;
    }
    CHECK(n == 27);
}

TEST_CASE("nn_model: first-step loss and gradients of every fitting loss are PyTorch's") {
    std::size_t n = 0;
    for (const json& c : labtest::reference("training")["cases"]) {
        if (c["kind"] != "gradients") continue;
        const std::string spec = describe(c);
        CAPTURE(spec);
        Network net(spec_of(c));
        const GradientResult g = net.gradients(labtest::tensor(c["input"]), labtest::tensor(c["target"]));
        labtest::check_close(g.loss, labtest::number(c["loss_value"]));
        REQUIRE(g.grads.size() == c["grads"].size());
        const std::vector<LayerStats> st = layer_statistics(net);
        for (std::size_t l = 0; l < g.grads.size(); ++l) {
            CAPTURE(l);
            check_values(g.grads[l].weight, c["grads"][l]["weight"], "dL/dW");
            check_values(g.grads[l].bias, c["grads"][l]["bias"], "dL/db");
            REQUIRE(st[l].grad);
            labtest::check_close(st[l].weight_grad_norm, labtest::number(c["grads"][l]["weight_norm"]));
            labtest::check_close(st[l].bias_grad_norm, labtest::number(c["grads"][l]["bias_norm"]));
            check_values(net.last_pass()->grad_pre[l].data, c["grads"][l]["pre_grad"], "dL/dpre");
            // The mean of dL/dpre cancels to ~0 wherever a softmax sits between it and the loss (each
            // row of the gradient sums to 0): its noise is the point, so it is compared at the scale of
            // the terms, mean |dL/dpre|, as check_scaled does for the forward sums.
            double abs_mean = 0.0;
            for (double v : net.last_pass()->grad_pre[l].data) abs_mean += std::fabs(v);
            abs_mean /= static_cast<double>(net.last_pass()->grad_pre[l].numel());
            const double got_mean = st[l].grad->mean, want_mean = labtest::number(c["grads"][l]["pre_grad_mean"]);
            const labtest::Exact gm{got_mean}, wm{want_mean}, am{abs_mean};
            CAPTURE(gm);
            CAPTURE(wm);
            CAPTURE(am);
            CHECK(std::fabs(got_mean - want_mean) <=
                  labtest::kRelTol * std::fmax(std::fmax(std::fabs(got_mean), std::fabs(want_mean)), abs_mean));
            labtest::check_close(st[l].grad->std, labtest::number(c["grads"][l]["pre_grad_std"]));
        }
        ++n;
    }
    CHECK(n == 26);
}

TEST_CASE("nn_model: 25-step training runs (full batch and minibatches) stay within 1e-9 of PyTorch") {
    std::size_t n = 0;
    for (const json& c : labtest::reference("training")["cases"]) {
        if (c["kind"] != "train") continue;
        const std::string spec = describe(c);
        CAPTURE(spec);
        Network net(spec_of(c));
        const lab::Tensor x = labtest::tensor(c["input"]), t = labtest::tensor(c["target"]);
        const auto batch = c["batch"].get<std::int64_t>(), total = x.shape[0];
        const auto steps = c["steps"].get<int>();
        for (int s = 0; s < steps; ++s) {
            CAPTURE(s);
            const std::int64_t lo = (s * batch) % total;
            const double loss = net.step(rows(x, lo, batch), rows(t, lo, batch));
            const double want = labtest::number(c["losses"][static_cast<std::size_t>(s)]);
            const labtest::Exact got_loss{loss}, want_loss{want};
            CAPTURE(got_loss);
            CAPTURE(want_loss);
            CHECK(close9(loss, want));
        }
        CHECK(net.steps() == steps);
        for (std::size_t l = 0; l < net.layers(); ++l) {
            CAPTURE(l);
            check_values(net.parameters()[l].weight, c["final"][l]["weight"], "final weight", true);
            check_values(net.parameters()[l].bias, c["final"][l]["bias"], "final bias", true);
        }
        ++n;
    }
    CHECK(n == 30);
}

TEST_CASE("nn_model: seeded parameters are init_linears', and setParameters round-trips") {
    NetworkSpec s;
    s.sizes = {2, 8, 8, 1};
    s.seed = 42;
    Network net(s);
    const auto want = init_linears(s.sizes, true, 42);
    REQUIRE(net.parameters().size() == want.size());
    for (std::size_t l = 0; l < want.size(); ++l) {
        CHECK(net.parameters()[l].weight == want[l].weight);  // bit for bit (same code path)
        CHECK(net.parameters()[l].bias == want[l].bias);
    }
    auto p = net.parameters();
    p[1].weight[3] = 0.25;
    net.set_parameters(p);
    CHECK(net.parameters()[1].weight[3] == 0.25);
    // A Sine network's siren init takes ω₀ from the activation.
    NetworkSpec sine;
    sine.sizes = {1, 4, 1};
    sine.activation = {"Sine", {{"w0", lab::Value::num(10.0)}}};
    sine.init = InitSpec{"siren", {}, "default"};
    InitSpec with_w0{"siren", {{"w0", lab::Value::num(10.0)}}, "default"};
    const auto siren = init_linears(sine.sizes, true, 0, with_w0);
    CHECK(Network(sine).parameters()[1].weight == siren[1].weight);
}

TEST_CASE("nn_model: a bad spec, input or target is an Error naming the field") {
    auto mk = [](auto edit) {
        NetworkSpec s;
        s.sizes = {2, 3, 1};
        s.loss = ModuleSpec{"MSELoss", {}};
        s.optimizer = ModuleSpec{"SGD", {{"lr", lab::Value::num(0.1)}}};
        edit(s);
        return labtest::error_of([&] { Network n(s); });
    };
    struct Row {
        const char* why;
        std::string got;
        const char* want;
    };
    const Row rows_[] = {
        {"one size", mk([](NetworkSpec& s) { s.sizes = {3}; }), "sizes: needs at least two entries (the input width and the output width), got 1"},
        {"a zero width", mk([](NetworkSpec& s) { s.sizes = {2, 0, 1}; }), "sizes[1]: every width must be at least 1, got 0"},
        {"unknown activation", mk([](NetworkSpec& s) { s.activation.name = "Relu"; }), "activation: unknown function 'Relu'; did you mean 'ReLU'?"},
        {"vector as activation", mk([](NetworkSpec& s) { s.activation.name = "Softmax"; }),
         "activation: Softmax maps a whole vector, not each element; it can be the output module"},
        {"a loss as activation", mk([](NetworkSpec& s) { s.activation.name = "MSELoss"; }), "activation: MSELoss is a loss, not an activation"},
        {"PReLU", mk([](NetworkSpec& s) { s.activation.name = "PReLU"; }),
         "activation: PReLU has a learnable weight, which this network does not train; use LeakyReLU for a fixed slope"},
        {"bad activation param", mk([](NetworkSpec& s) { s.activation = {"ELU", {{"alpah", lab::Value::num(1.0)}}}; }), ""},
        {"softmax over the batch", mk([](NetworkSpec& s) { s.output = ModuleSpec{"Softmax", {{"dim", lab::Value::num(0.0)}}}; }),
         "output: Softmax over dim=0: an output module works over dim 1 (the classes) of the (N, C) output"},
        {"GLU on an odd width", mk([](NetworkSpec& s) { s.output = ModuleSpec{"GLU", {}}; }),
         "output: Halving dimension must be even, but dimension 1 is size 1"},
        {"unknown loss", mk([](NetworkSpec& s) { s.loss->name = "MSE"; }), ""},
        {"a loss of three arguments", mk([](NetworkSpec& s) { s.loss->name = "CosineEmbeddingLoss"; }),
         "loss: CosineEmbeddingLoss takes (input1, input2, target), not a network's (input, target)"},
        {"GaussianNLLLoss needs var", mk([](NetworkSpec& s) { s.loss->name = "GaussianNLLLoss"; }),
         "loss: GaussianNLLLoss takes (input, target, var), not a network's (input, target)"},
        {"an activation as loss", mk([](NetworkSpec& s) { s.loss->name = "Tanh"; }), "loss: Tanh is not a loss"},
        {"lr < 0", mk([](NetworkSpec& s) { s.optimizer->params["lr"] = lab::Value::num(-1.0); }), "optimizer: Invalid learning rate: -1.0"},
        {"bad init", mk([](NetworkSpec& s) { s.init = InitSpec{"glorot", {}, "default"}; }), ""},
    };
    for (const Row& r : rows_) {
        CAPTURE(r.why);
        CAPTURE(r.got);
        if (*r.want) CHECK(r.got == r.want);
        else CHECK(!r.got.empty());
    }
    CHECK(mk([](NetworkSpec& s) { s.activation = {"ELU", {{"alpah", lab::Value::num(1.0)}}}; }).rfind("activation: ", 0) == 0);
    CHECK(mk([](NetworkSpec& s) { s.loss->name = "MSE"; }).rfind("loss: unknown function 'MSE'", 0) == 0);
    CHECK(mk([](NetworkSpec& s) { s.init = InitSpec{"glorot", {}, "default"}; }).rfind("init: ", 0) == 0);

    // Calls: wrong input and target shapes, a missing loss or optimizer; the network keeps working.
    NetworkSpec s;
    s.sizes = {2, 3, 3};
    s.loss = ModuleSpec{"CrossEntropyLoss", {}};
    s.optimizer = ModuleSpec{"SGD", {{"lr", lab::Value::num(0.1)}}};
    Network net(s);
    const lab::Tensor x = labtest::T({4, 2}, {0.1, 0.2, 0.3, -0.4, 0.5, 0.6, -0.7, 0.8});
    const auto before = net.parameters();
    CHECK(labtest::error_of([&] { net.forward(labtest::T({4, 3}, std::vector<double>(12, 0.0))); }) ==
          "input: mat1 and mat2 shapes cannot be multiplied (4x3 and 2x3)");
    CHECK(labtest::error_of([&] { net.forward(labtest::T({1.0, 2.0})); }) ==
          "input: expected a 2-D tensor (N, 2) with N ≥ 1, got shape torch.Size([2])");
    CHECK(labtest::error_of([&] { net.step(x, labtest::T({0, 1, 2})); }) ==
          "target: CrossEntropyLoss expects a target of shape torch.Size([4, 3]) (the network's output) or torch.Size([4]) "
          "(class indices), got torch.Size([3])");
    CHECK(labtest::error_of([&] { net.step(x, labtest::T({0, 1, 2, 3})); }) ==
          "loss: Target 3 is out of bounds.");
    CHECK(net.parameters()[0].weight == before[0].weight);
    CHECK(net.steps() == 0);
    CHECK(net.step(x, labtest::T({0, 1, 2, 1})) > 0.0);
    CHECK(net.steps() == 1);

    NetworkSpec bare;
    bare.sizes = {2, 1};
    Network plain(bare);
    CHECK(labtest::error_of([&] { plain.gradients(labtest::T({1, 2}, {1.0, 2.0}), labtest::T({1, 1}, {0.0})); }) ==
          "loss: the network was made without a loss; gradients() and step() need one");
    CHECK(labtest::error_of([&] { layer_statistics(plain); }) ==
          "statistics: the network has not run yet; call forward(), gradients() or step() first");
    NetworkSpec none_red = bare;
    none_red.loss = ModuleSpec{"MSELoss", {{"reduction", lab::Value::str("none")}}};
    CHECK(labtest::error_of([&] { Network(none_red).gradients(labtest::T({2, 2}, {1, 2, 3, 4}), labtest::T({2, 1}, {0.0, 1.0})); })
              .rfind("loss: grad can be implicitly created only for scalar outputs", 0) == 0);
    NetworkSpec mse = bare;
    mse.loss = ModuleSpec{"MSELoss", {}};
    CHECK(labtest::error_of([&] { Network(mse).gradients(labtest::T({2, 2}, {1, 2, 3, 4}), labtest::T({2.0, 1.0})); }) ==
          "target: MSELoss expects a target of shape torch.Size([2, 1]) (the network's output), got torch.Size([2])");
    CHECK(labtest::error_of([&] { Network(mse).step(labtest::T({1, 2}, {1.0, 2.0}), labtest::T({1, 1}, {0.0})); }) ==
          "optimizer: the network was made without an optimizer; step() needs one");
}

TEST_CASE("nn_stats: histograms, dead and saturated units by their definitions") {
    struct Row {
        const char* why;
        std::vector<double> values;
        std::size_t bins;
        std::optional<std::pair<double, double>> range;
        double lo, hi;
        std::vector<double> counts;
        double below, above, nonfinite;
    };
    const double inf = labtest::kInf, nan = labtest::kNaN;
    const Row rows_[] = {
        {"automatic range: min and max, hi in the last bin", {0, 1, 2, 3, 4}, 4, std::nullopt, 0, 4, {1, 1, 1, 2}, 0, 0, 0},
        {"one value: widened by 0.5", {2, 2}, 2, std::nullopt, 1.5, 2.5, {0, 2}, 0, 0, 0},
        {"given range: outside counted apart", {-2, -1, 0, 0.5, 1, 3}, 2, std::make_pair(-1.0, 1.0), -1, 1, {1, 3}, 1, 1, 0},
        {"non-finite values in no bin", {nan, inf, -inf, 1.0}, 3, std::nullopt, 0.5, 1.5, {0, 1, 0}, 0, 0, 3},
    };
    for (const Row& r : rows_) {
        CAPTURE(r.why);
        const Summary s = summarize(r.values, r.bins, r.range);
        CHECK(s.histogram.lo == r.lo);
        CHECK(s.histogram.hi == r.hi);
        CHECK(s.histogram.counts == r.counts);
        CHECK(s.histogram.below == r.below);
        CHECK(s.histogram.above == r.above);
        CHECK(s.histogram.nonfinite == r.nonfinite);
    }
    const Summary s = summarize({1.0, 2.0, 3.0, 4.0}, 5, std::nullopt);
    CHECK(s.mean == 2.5);
    labtest::check_close(s.std, std::sqrt(1.25));

    // 2 → 3 ReLU units → 1, weights chosen so unit 0 is dead (pre < 0 for both examples), unit 1
    // alive for one example, unit 2 alive for both.
    NetworkSpec spec;
    spec.sizes = {2, 3, 1};
    spec.activation = {"ReLU", {}};
    spec.loss = ModuleSpec{"MSELoss", {}};
    Network net(spec);
    auto p = net.parameters();
    p[0].weight = {-1, -1, 1, 0, 1, 1};
    p[0].bias = {0, 0, 0};
    net.set_parameters(p);
    net.gradients(labtest::T({2, 2}, {1, 2, -1, 3}), labtest::T({2, 1}, {0.5, 0.5}));
    StatsOptions o;
    o.bins = 3;
    const auto st = layer_statistics(net, o);
    REQUIRE(st.size() == 2);
    CHECK(st[0].dead == doctest::Approx(1.0 / 3));  // 1 of 3 units
    // saturated entries (f′ = 0): unit 0 twice, unit 1 once → 3 of 6
    CHECK(st[0].saturated == 0.5);
    CHECK(st[1].dead == 0.0);       // no output module: f′ = 1
    CHECK(st[1].saturated == 0.0);
    CHECK(st[0].pre.histogram.counts.size() == 3);
    REQUIRE(st[0].grad);
    // A dead unit's row of ∂L/∂W is exactly zero.
    const auto g = net.gradients(labtest::T({2, 2}, {1, 2, -1, 3}), labtest::T({2, 1}, {0.5, 0.5}));
    CHECK(g.grads[0].weight[0] == 0.0);
    CHECK(g.grads[0].weight[1] == 0.0);

    // Tanh deep in its tails is saturated; a LogSoftmax output has no f′ (NaN).
    NetworkSpec t;
    t.sizes = {1, 2, 2};
    t.output = ModuleSpec{"LogSoftmax", {}};
    Network tn(t);
    auto tp = tn.parameters();
    tp[0].weight = {10, 0.1};
    tp[0].bias = {0, 0};
    tn.set_parameters(tp);
    tn.forward(labtest::T({2, 1}, {1.0, -1.0}));
    const auto ts = layer_statistics(tn);
    CHECK(ts[0].saturated == 0.5);  // unit 0: tanh′(±10) ≈ 8e-9; unit 1: tanh′(±0.1) ≈ 0.99
    CHECK(ts[0].dead == 0.0);
    CHECK(std::isnan(ts[1].saturated));
    CHECK(std::isnan(ts[1].dead));
    o.bins = 0;
    CHECK(labtest::error_of([&] { layer_statistics(tn, o); }) == "bins: a histogram needs at least 1 bin, got 0");
    o.bins = 4;
    o.pre_range = std::make_pair(1.0, 1.0);
    CHECK(labtest::error_of([&] { layer_statistics(tn, o); }) == "pre_range: a histogram range needs finite lo < hi, got [1.0, 1.0]");
}
