// The forward-only path (issue 9's training frame): an ElementwiseFn given dy = nullptr computes
// the values alone, and Network::predict runs the layers with it. Neither may change a single
// bit of what the full path gives, so these rows compare bits (as test_scalar.cpp does), not the
// 1e-12 rule: the question is "the same arithmetic?", not "close to PyTorch?" (the full path's
// agreement with PyTorch is test_nn_model's and the reference tests').
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "nn_model.hpp"
#include "nn_optim.hpp"
#include "scalar.hpp"
#include "nn_stats.hpp"
#include "registry.hpp"
#include "support.hpp"

namespace {

using namespace lab::nn;

std::uint64_t bits(double v) {
    std::uint64_t b;
    std::memcpy(&b, &v, sizeof b);
    return b;
}

// Same bits everywhere, NaN payloads included.
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (bits(a[i]) != bits(b[i])) return false;
    return true;
}

// Points across every activation's interesting ranges: tails, corners, tiny, signed zeros, NaN, ±∞.
std::vector<double> probe_points() {
    std::vector<double> x = {0.0, -0.0, 1e-300, -1e-300, 5e-324, 1e-8, -1e-8, 0.5, -0.5, 1.0, -1.0, 3.0, -3.0, 6.0, -6.0,
                             19.0, -19.0, 20.0, 25.0, -40.0, 700.0, -745.0, 1e300, -1e300, labtest::kInf, -labtest::kInf,
                             labtest::kNaN};
    for (int i = -400; i <= 400; ++i) x.push_back(i / 37.0);
    return x;
}

Network make(const std::vector<std::int64_t>& sizes, const std::string& act, const std::string& output) {
    NetworkSpec s;
    s.sizes = sizes;
    s.activation = {act, {}};
    if (!output.empty()) s.output = ModuleSpec{output, {}};
    s.seed = 7;
    s.loss = ModuleSpec{"MSELoss", {}};
    s.optimizer = ModuleSpec{"SGD", {{"lr", lab::Value::num(0.1)}}};
    return Network(s);
}

lab::Tensor grid(std::int64_t n, std::int64_t w) {
    lab::Tensor t(lab::Shape{n, w});
    for (std::size_t i = 0; i < t.numel(); ++i) t.data[i] = -6.0 + 12.0 * static_cast<double>((i * 7919) % 1000) / 999.0;
    return t;
}

}  // namespace

TEST_CASE("every elementwise activation: dy = nullptr gives the same y bits as with dy") {
    const std::vector<double> x = probe_points();
    int checked = 0;
    for (const lab::FunctionSpec& f : lab::elementwise_specs()) {
        CAPTURE(std::string(f.name));
        lab::ParamMap given;  // defaults; a required parameter (Threshold's) gets its slider's middle
        for (const lab::ParamSpec& ps : f.params)
            if (ps.required) given[std::string(ps.name)] = lab::Value::num((ps.slider_min + ps.slider_max) / 2);
        const lab::Params p = lab::resolve(f, given);
        std::vector<double> y_full(x.size()), dy(x.size()), y_only(x.size(), 12345.0);
        f.elementwise(p, x.data(), x.size(), y_full.data(), dy.data());
        f.elementwise(p, x.data(), x.size(), y_only.data(), nullptr);
        CHECK(same_bits(y_full, y_only));
        ++checked;
    }
    CHECK(checked >= 20);
    // The public entry point passes nullptr through too.
    std::vector<double> y(x.size()), y2(x.size()), dy(x.size());
    lab::evaluate_elementwise("ELU", {{"alpha", lab::Value::num(0.7)}}, x.data(), x.size(), y.data(), dy.data());
    lab::evaluate_elementwise("ELU", {{"alpha", lab::Value::num(0.7)}}, x.data(), x.size(), y2.data(), nullptr);
    CHECK(same_bits(y, y2));
}

TEST_CASE("Network::predict: forward()'s output bit for bit, and the last pass left alone") {
    struct Case {
        std::vector<std::int64_t> sizes;
        std::string act, output;
    };
    const Case cases[] = {
        {{2, 8, 8, 8, 8, 8, 8, 1}, "Tanh", ""},
        {{2, 4, 2, 1}, "ReLU", "Sigmoid"},
        {{3, 5, 4}, "GELU", "Softmax"},
        {{3, 6, 4}, "SiLU", "LogSoftmax"},
        {{2, 3}, "Tanh", ""},  // one Linear, no module at all
    };
    for (const Case& c : cases) {
        CAPTURE(c.act);
        CAPTURE(c.output);
        Network net = make(c.sizes, c.act, c.output);
        const lab::Tensor x = grid(257, c.sizes[0]);
        const lab::Tensor t(lab::Shape{257, c.sizes.back()}, std::vector<double>(257 * static_cast<std::size_t>(c.sizes.back()), 0.25));
        net.step(x, t);  // parameters that are not the initial ones, and a pass with gradients
        const Pass* before = net.last_pass();
        REQUIRE(before != nullptr);
        const std::vector<double> loss_pass_pre0 = before->values[0].pre.data;

        const lab::Tensor y = net.predict(x);
        CHECK(net.last_pass() == before);             // the same object …
        CHECK(same_bits(before->values[0].pre.data, loss_pass_pre0));  // … unchanged
        CHECK(before->has_grads);

        const ForwardResult full = net.forward(x);
        CHECK(y.shape == full.output.shape);
        CHECK(same_bits(y.data, full.output.data));
    }
}

TEST_CASE("Network::predict: a bad input is the same Error as forward()'s, and the network still works") {
    Network net = make({2, 4, 1}, "Tanh", "");
    const lab::Tensor bad = grid(5, 3);
    std::string a = labtest::error_of([&] { net.predict(bad); });
    std::string b = labtest::error_of([&] { net.forward(bad); });
    CHECK(a == b);
    CHECK(a.rfind("input: mat1 and mat2 shapes cannot be multiplied (5x3 and 2x4)", 0) == 0);
    CHECK(labtest::error_of([&] { net.predict(lab::Tensor(lab::Shape{4}, std::vector<double>(4, 1.0))); }).rfind("input: expected a 2-D tensor", 0) == 0);
    CHECK(net.predict(grid(3, 2)).numel() == 3);
}

// A Network writes each pass into the storage of the one before last (nn_model.cpp, next_pass()):
// the results must be those of fresh storage, whatever sizes came before, and a call that throws
// must leave the last pass as it was.
TEST_CASE("reused pass storage: the same bits as a fresh network, batch sizes changing, errors leave the pass") {
    for (const char* output : {"", "Softmax"}) {
        CAPTURE(std::string(output));
        Network net = make({3, 6, 5, 4}, "Tanh", output);
        const lab::Tensor x = grid(51, 3);  // the batches below, back to back
        const std::int64_t batches[] = {10, 10, 3, 17, 1, 10};
        std::int64_t lo = 0;
        for (const std::int64_t n : batches) {
            const lab::Tensor xb(lab::Shape{n, 3}, std::vector<double>(x.data.begin() + lo * 3, x.data.begin() + (lo + n) * 3));
            lab::Tensor tb(lab::Shape{n, 4});
            for (std::size_t i = 0; i < tb.numel(); ++i) tb.data[i] = static_cast<double>(i % 5) / 4.0;
            lo += n;
            // A fresh network with the same parameters computes the same gradients.
            NetworkSpec fresh_spec = net.spec();
            fresh_spec.optimizer.reset();
            Network fresh(fresh_spec);
            fresh.set_parameters(net.parameters());
            const GradientResult want = fresh.gradients(xb, tb);

            const GradientResult got = net.gradients(xb, tb);
            CHECK(bits(got.loss) == bits(want.loss));
            for (std::size_t l = 0; l < want.grads.size(); ++l) {
                CHECK(same_bits(got.grads[l].weight, want.grads[l].weight));
                CHECK(same_bits(got.grads[l].bias, want.grads[l].bias));
                CHECK(same_bits(net.last_pass()->grad_pre[l].data, fresh.last_pass()->grad_pre[l].data));
                CHECK(same_bits(net.last_pass()->dpost[l], fresh.last_pass()->dpost[l]));
                CHECK(same_bits(net.last_pass()->values[l].post.data, fresh.last_pass()->values[l].post.data));
            }
            const double loss = net.step(xb, tb);
            CHECK(bits(loss) == bits(want.loss));

            // A step that throws (a target of the wrong shape) leaves the last pass and the parameters.
            const Pass* before = net.last_pass();
            const std::vector<double> post = before->values.back().post.data, w0 = net.parameters()[0].weight;
            CHECK(labtest::error_of([&] { net.step(xb, lab::Tensor(lab::Shape{n, 2})); }).rfind("target: MSELoss expects", 0) == 0);
            CHECK(net.last_pass() == before);
            CHECK(same_bits(before->values.back().post.data, post));
            CHECK(same_bits(net.parameters()[0].weight, w0));
            CHECK(before->has_grads);
            // forward() then: no gradients in the pass, as a fresh forward pass has none.
            net.forward(xb);
            CHECK(!net.last_pass()->has_grads);
            CHECK(net.last_pass()->grads.empty());
        }
    }
}

// nn_optim's updates round a*b + c once with a branch-free copy of scalar.hpp's fma_exact: bit for
// bit the same, on random values of every magnitude and on the edges where it defers to std::fma.
TEST_CASE("SGD's update: param − lr·grad rounded once, bit for bit fma_exact") {
    std::vector<double> p, g;
    std::uint64_t state = 0x9E3779B97F4A7C15u;
    auto next = [&] {  // splitmix64
        std::uint64_t z = (state += 0x9E3779B97F4A7C15u);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
        return z ^ (z >> 31);
    };
    auto value = [&](int exp_span) {
        const double m = static_cast<double>(next() >> 11) * 0x1p-53 * 2.0 - 1.0;  // (-1, 1), 53 bits
        return std::ldexp(m, static_cast<int>(next() % static_cast<std::uint64_t>(2 * exp_span + 1)) - exp_span);
    };
    for (int i = 0; i < 20000; ++i) {
        const int span = i % 4 == 0 ? 1000 : 20;  // mostly everyday magnitudes, some extreme ones
        p.push_back(value(span));
        g.push_back(value(span));
    }
    const double edges[] = {0.0, -0.0, 5e-324, -1e-310, 0x1p-400, 0x1p400, 1e300, -1e300, labtest::kInf, -labtest::kInf, labtest::kNaN, 1.0, 0.5};
    for (double a : edges)
        for (double b : edges) {
            p.push_back(a);
            g.push_back(b);
        }
    for (const double lr : {0.03, 1.0, 1e-5, 3e200}) {
        CAPTURE(lr);
        Optimizer opt("SGD", {{"lr", lab::Value::num(lr)}}, {p.size()});
        std::vector<std::vector<double>> params{p};
        opt.step(params, {g});
        std::vector<double> want(p.size());
        for (std::size_t j = 0; j < p.size(); ++j) want[j] = lab::fma_exact(-lr, g[j], p[j]);
        CHECK(same_bits(params[0], want));
    }
}
