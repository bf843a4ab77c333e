// The shared scalar math of core/scalar.hpp and the summation orders, checked where 1e-12 cannot
// see them: bit for bit. Two log_softmax implementations once agreed to 1e-12 and disagreed in
// the last bit on a fifth of the entries; only the order of ATen's kernels reproduces PyTorch's
// doubles, so these rows compare exact bits (tests/reference/bits.json, written by PyTorch) —
// through both users of the one log_softmax, and through torch.sum's cascade, which only a sum of
// hundreds of values reaches. The rule rows pin the helpers' NaN and signed-zero behaviour to
// what ATen does (values observed in PyTorch 1.13).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "reference.hpp"
#include "scalar.hpp"
#include "support.hpp"

namespace {

using labtest::json;
using labtest::kInf;
using labtest::kNaN;

// Bit-exact equality (NaN matches any NaN; -0.0 does not match +0.0). Deliberately not
// support.hpp's close(): these rows are about the last bit.
bool same_bits(double a, double b) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    std::uint64_t ua, ub;
    std::memcpy(&ua, &a, sizeof ua);
    std::memcpy(&ub, &b, sizeof ub);
    return ua == ub;
}

void check_bits(const lab::Tensor& actual, const lab::Tensor& expected, const std::string& what) {
    CAPTURE(what);
    REQUIRE(lab::sizes_str(actual.shape) == lab::sizes_str(expected.shape));
    for (std::size_t i = 0; i < expected.numel(); ++i) {
        CAPTURE(i);
        CAPTURE(actual.data[i]);
        CAPTURE(expected.data[i]);
        CHECK(same_bits(actual.data[i], expected.data[i]));
    }
}

// generate.py's lcg_values: a 64-bit LCG, each draw mapped to k / 1000 with k in [-1e6, 1e6].
std::vector<double> lcg_values(std::uint64_t seed, std::size_t n) {
    std::vector<double> out(n);
    std::uint64_t s = seed;
    for (auto& v : out) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        v = static_cast<double>(static_cast<std::int64_t>((s >> 33) % 2000001) - 1000000) / 1000.0;
    }
    return out;
}

lab::Tensor lcg_tensor(const json& spec) {
    const lab::Shape shape = spec[1].get<lab::Shape>();
    return lab::Tensor(shape, lcg_values(spec[0].get<std::uint64_t>(), lab::numel(shape)));
}

}  // namespace

// log_softmax with a left-to-right sum: the order of the second implementation that was removed.
std::vector<double> left_to_right_log_softmax(const std::vector<double>& x) {
    double m = -kInf, sum = 0.0;
    for (double v : x) m = lab::nan_max(m, v);
    for (double v : x) sum += std::exp(v - m);
    std::vector<double> y(x.size());
    for (std::size_t j = 0; j < x.size(); ++j) y[j] = x[j] - m - std::log(sum);
    return y;
}

// The forward values are pinned to PyTorch's bits. PyTorch's exp and log are SLEEF's vector
// routines, ours glibc's; where the two differ by an ulp (one entry in this data) every order
// of summation misses alike, so a miss is accepted only where the removed left-to-right order
// gives the very same double, and still within 1e-12. The gradients go through exp(y) again
// (SLEEF's, in the backward kernel), so they are compared with the shared 1e-12 rule.
TEST_CASE("log_softmax: PyTorch's bits through LogSoftmax and CrossEntropyLoss") {
    int order_rows = 0, loss_rows = 0, misses = 0, entries = 0;
    for (const json& c : labtest::reference("bits")["cases"]) {
        if (c["what"] != "log_softmax") continue;
        const std::string name = c["name"];
        const lab::ParamMap params = labtest::params(c["params"]);
        CAPTURE(name);
        CAPTURE(labtest::show(params));
        if (name == "LogSoftmax") {
            const lab::Tensor x = labtest::tensor(c["x"]), expected = labtest::tensor(c["y"]);
            CAPTURE(labtest::show(x));
            const lab::VectorResult r = lab::evaluate_vector(name, params, x.data);
            const std::vector<double> other = left_to_right_log_softmax(x.data);
            REQUIRE(r.y.size() == expected.numel());
            for (std::size_t i = 0; i < r.y.size(); ++i) {
                CAPTURE(i);
                CAPTURE(r.y[i]);
                CAPTURE(expected.data[i]);
                CAPTURE(other[i]);
                if (same_bits(r.y[i], expected.data[i])) {
                    order_rows += !same_bits(other[i], expected.data[i]);
                } else {
                    ++misses;
                    CHECK(same_bits(other[i], r.y[i]));  // not a matter of order: libm
                    labtest::check_close(r.y[i], expected.data[i]);
                }
                ++entries;
            }
        } else {
            const lab::ArgMap args = labtest::args(c["args"]);
            CAPTURE(labtest::show(args));
            const lab::LossResult r = lab::evaluate_loss(name, params, args);
            check_bits(r.loss, labtest::tensor(c["loss"]), "loss");
            labtest::check_tensor(r.grad.at("input"), labtest::tensor(c["grad"]["input"]), "grad[input]");
            ++loss_rows;
        }
    }
    CAPTURE(entries);
    CAPTURE(order_rows);
    CHECK(misses <= 1);      // the one SLEEF-vs-glibc entry (C = 17, at the row's maximum)
    CHECK(order_rows > 20);  // entries a left-to-right sum gets wrong: the test tells the orders apart
    CHECK(loss_rows > 0);
}

TEST_CASE("torch.sum's cascade order: long sums and broadcast gradients, bit for bit") {
    int rows = 0;
    for (const json& c : labtest::reference("bits")["cases"]) {
        if (c["what"] != "sum") continue;
        const std::string name = c["name"];
        lab::ArgMap args{{"input", lcg_tensor(c["lcg"]["input"])}, {"target", lcg_tensor(c["lcg"]["target"])}};
        CAPTURE(name);
        CAPTURE(lab::sizes_str(args["input"].shape));
        CAPTURE(lab::sizes_str(args["target"].shape));
        const lab::LossResult r = lab::evaluate_loss(name, labtest::params(c["params"]), args);
        const lab::Tensor loss = labtest::tensor(c["loss"]), grad = labtest::tensor(c["grad"]["input"]);
        check_bits(r.loss, loss, "loss");
        check_bits(r.grad.at("input"), grad, "grad[input]");
        // The row has teeth: a left-to-right sum of the same terms gives other bits somewhere.
        double naive = 0.0;
        for (double v : r.elementwise.data) naive += v;
        bool differs = !same_bits(naive, loss.data[0]);
        if (args["input"].shape != args["target"].shape) {  // the gradient is a sum down dim 0
            const std::vector<double>& up = r.elementwise.data;  // (only its shape is used)
            const std::size_t cols = args["input"].numel(), rows_n = up.size() / cols;
            const double* x = args["input"].data.data();
            const double* y = args["target"].data.data();
            for (std::size_t j = 0; j < cols; ++j) {
                double col = 0.0;
                for (std::size_t i = 0; i < rows_n; ++i) col += 2.0 * (x[j] - y[i * cols + j]);
                differs = differs || !same_bits(col, grad.data[j]);
            }
        }
        CHECK(differs);
        ++rows;
    }
    CHECK(rows > 0);
}

TEST_CASE("scalar helpers follow ATen on NaN and signed zero") {
    struct Row {
        const char* function;
        double a, b, expected;
        const char* why;
    };
    const Row rows[] = {
        {"sgn", kNaN, 0, 0.0, "torch.sign(nan) is 0: (0 < a) - (a < 0)"},
        {"sgn", -0.0, 0, 0.0, "torch.sign(-0.0) is +0"},
        {"sgn", -kInf, 0, -1.0, "torch.sign(-inf) is -1"},
        {"sgn", 1e-300, 0, 1.0, "any positive value gives 1"},
        {"nan_max", 1.0, kNaN, kNaN, "vec::maximum propagates NaN from either side"},
        {"nan_max", kNaN, 1.0, kNaN, "vec::maximum propagates NaN from either side"},
        {"nan_max", -0.0, 0.0, 0.0, "a tie of zeros gives the second: torch.tensor([-0., 0.]).max() is +0"},
        {"nan_max", 0.0, -0.0, -0.0, "a tie of zeros gives the second: torch.tensor([0., -0.]).max() is -0"},
        {"nan_min", -0.0, 0.0, 0.0, "torch.tensor([-0., 0.]).min() is +0"},
        {"nan_min", 2.0, kNaN, kNaN, "vec::minimum propagates NaN"},
        {"clamp_min", kNaN, 0.0, kNaN, "clamp_min keeps NaN"},
        {"clamp_min", -0.0, 0.0, -0.0, "clamp_min(-0.0, 0) keeps the input (std::max returns its first on a tie)"},
    };
    for (const Row& r : rows) {
        CAPTURE(r.function);
        CAPTURE(r.a);
        CAPTURE(r.b);
        CAPTURE(r.why);
        const std::string f = r.function;
        const double got = f == "sgn"         ? lab::sgn(r.a)
                           : f == "nan_max"   ? lab::nan_max(r.a, r.b)
                           : f == "nan_min"   ? lab::nan_min(r.a, r.b)
                                              : lab::clamp_min(r.a, r.b);
        CAPTURE(got);
        CHECK(same_bits(got, r.expected));
    }
    // A NaN anywhere makes the running max NaN (one NaN input makes a whole softmax NaN).
    const double with_nan[] = {1.0, kNaN, 3.0};
    CHECK(std::isnan(lab::nan_max_of(with_nan, 3)));
    // lane_sum's order: with 5 values the last joins the first lane: (v0 + v4) + v1 + v2 + v3.
    const double five[] = {1.0, 1e16, -1e16, 0.0, 1.0};
    CHECK(same_bits(lab::lane_sum(five, 5), ((1.0 + 1.0) + 1e16) + -1e16));
}

TEST_CASE("fma_exact rounds a*b + c once, like std::fma") {
    // 1 - y*y near |y| = 1, where a separate multiply and add lose the low bits (Tanh's backward).
    const double ys[] = {0.9999999999999999, 0.99999999, -0.7071067811865476, 1e-170, 3.0e200, 0.0, kInf};
    for (double y : ys) {
        CAPTURE(y);
        CHECK(same_bits(lab::fma_exact(-y, y, 1.0), std::fma(-y, y, 1.0)));
    }
}
