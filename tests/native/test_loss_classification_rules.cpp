// Specification tests for the classification and sequence losses: each rule PyTorch follows,
// stated on small inputs whose answer can be written down by hand (closed forms evaluated here,
// or numbers checked against torch 1.13.1 in float64), to a relative 1e-12.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "registry.hpp"

namespace {

using lab::ArgMap;
using lab::LossResult;
using lab::ParamMap;
using lab::Shape;
using lab::Tensor;
using lab::Value;

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfty = std::numeric_limits<double>::infinity();

// Relative 1e-12, with a floor for values that should be zero; NaN matches NaN, inf matches inf.
bool near(double got, double want) {
    if (std::isnan(got) || std::isnan(want)) return std::isnan(got) && std::isnan(want);
    if (std::isinf(got) || std::isinf(want)) return got == want;
    return std::abs(got - want) <= 1e-12 * std::max(std::abs(got), std::abs(want)) + 1e-15;
}

void check_values(const Tensor& got, const Shape& shape, const std::vector<double>& want) {
    REQUIRE(lab::sizes_str(got.shape) == lab::sizes_str(shape));
    REQUIRE(got.numel() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        CAPTURE(i);
        CAPTURE(got.data[i]);
        CAPTURE(want[i]);
        CHECK(near(got.data[i], want[i]));
    }
}

void check_scalar(const Tensor& got, double want) { check_values(got, Shape{}, {want}); }

Tensor T(Shape s, std::vector<double> d) { return Tensor(std::move(s), std::move(d)); }

LossResult run(const std::string& name, const ParamMap& params, const ArgMap& args) {
    return lab::evaluate_loss(name, params, args);
}

std::string error_of(const std::string& name, const ParamMap& params, const ArgMap& args) {
    try {
        run(name, params, args);
    } catch (const lab::Error& e) {
        return e.what();
    }
    return "(no error)";
}

Value str(const char* s) { return Value::str(s); }

std::vector<double> softmax(const std::vector<double>& x) {
    double m = x[0];
    for (double v : x) m = std::max(m, v);
    double s = 0;
    for (double v : x) s += std::exp(v - m);
    std::vector<double> p;
    for (double v : x) p.push_back(std::exp(v - m) / s);
    return p;
}

double logsumexp(const std::vector<double>& x) {
    double m = x[0];
    for (double v : x) m = std::max(m, v);
    double s = 0;
    for (double v : x) s += std::exp(v - m);
    return m + std::log(s);
}

}  // namespace

TEST_CASE("NLLLoss: minus the log-probability of the target class, weighted, with ignore_index") {
    const Tensor x = T({2, 3}, {-0.5, -1.25, -2.0, -3.0, -0.25, -1.5});
    CAPTURE(lab::sizes_str(x.shape));

    SUBCASE("each sample's loss is -x[n, y_n]; the gradient is -1 there and 0 elsewhere") {
        const auto r = run("NLLLoss", {{"reduction", str("none")}}, {{"input", x}, {"target", T({2}, {0, 1})}});
        check_values(r.loss, {2}, {0.5, 0.25});
        check_values(r.grad.at("input"), {2, 3}, {-1, 0, 0, 0, -1, 0});
    }
    SUBCASE("'mean' divides by the summed weight of the targets, not by N") {
        const ParamMap p{{"weight", Value::tensor_of(T({3}, {1.0, 3.0, 0.5}))}};
        const auto r = run("NLLLoss", p, {{"input", x}, {"target", T({2}, {0, 1})}});
        check_scalar(r.loss, (1.0 * 0.5 + 3.0 * 0.25) / 4.0);
        check_values(r.grad.at("input"), {2, 3}, {-0.25, 0, 0, 0, -0.75, 0});
        check_values(r.elementwise, {2}, {0.5, 0.75});
    }
    SUBCASE("a target equal to ignore_index adds no loss, no weight and no gradient") {
        const ParamMap p{{"ignore_index", Value::num(1)}};
        const auto r = run("NLLLoss", p, {{"input", x}, {"target", T({2}, {2, 1})}});
        check_scalar(r.loss, 2.0);  // only sample 0 counts, and the mean is over it alone
        check_values(r.grad.at("input"), {2, 3}, {0, 0, -1, 0, 0, 0});
    }
    SUBCASE("every target ignored: 'mean' is 0/0 = nan, 'sum' is 0, gradients are 0") {
        const ArgMap a{{"input", x}, {"target", T({2}, {-100, -100})}};
        const auto mean = run("NLLLoss", {}, a);
        check_scalar(mean.loss, kNan);
        check_values(mean.grad.at("input"), {2, 3}, {0, 0, 0, 0, 0, 0});
        check_scalar(run("NLLLoss", {{"reduction", str("sum")}}, a).loss, 0.0);
    }
    SUBCASE("unbatched input (C,) with a 0-dim target gives a 0-dim loss") {
        const auto r = run("NLLLoss", {{"reduction", str("none")}},
                           {{"input", T({3}, {-0.5, -1.25, -2.0})}, {"target", T({}, {2})}});
        check_scalar(r.loss, 2.0);
        check_values(r.grad.at("input"), {3}, {0, 0, -1});
    }
    SUBCASE("(N, C, d) input: the class dim is dim 1 and the loss has shape (N, d)") {
        // input[n][c][d] = n + c / 10 + d / 100
        std::vector<double> v;
        for (int n = 0; n < 2; ++n)
            for (int c = 0; c < 3; ++c)
                for (int d = 0; d < 2; ++d) v.push_back(n + c / 10.0 + d / 100.0);
        const auto r = run("NLLLoss", {{"reduction", str("none")}},
                           {{"input", T({2, 3, 2}, v)}, {"target", T({2, 2}, {0, 2, 1, -100})}});
        check_values(r.loss, {2, 2}, {-0.0, -0.21, -1.1, 0.0});
    }
    SUBCASE("PyTorch's messages for bad targets and weights") {
        CHECK(error_of("NLLLoss", {}, {{"input", x}, {"target", T({2}, {0, 5})}}) == "Target 5 is out of bounds.");
        CHECK(error_of("NLLLoss", {}, {{"input", x}, {"target", T({2}, {-1, 0})}}) == "Target -1 is out of bounds.");
        CHECK(error_of("NLLLoss", {{"weight", Value::tensor_of(T({2}, {1, 2}))}},
                       {{"input", x}, {"target", T({2}, {0, 1})}}) ==
              "weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: "
              "[2]");
        CHECK(error_of("NLLLoss", {}, {{"input", x}, {"target", T({1}, {0})}}) ==
              "Expected input batch_size (2) to match target batch_size (1).");
        CHECK(error_of("NLLLoss", {}, {{"input", x}, {"target", T({2, 1}, {0, 1})}}) ==
              "0D or 1D target tensor expected, multi-target not supported");
        CHECK(error_of("NLLLoss", {},
                       {{"input", T({2, 3, 4}, std::vector<double>(24, 0.0))},
                        {"target", T({2, 3}, std::vector<double>(6, 0.0))}}) ==
              "Expected target size [2, 4], got [2, 3]");
    }
}

TEST_CASE("CrossEntropyLoss: log-sum-exp of the logits minus the target logit") {
    const std::vector<double> row0{2.0, 1.0, 0.1}, row1{0.5, 2.5, 0.3};
    const Tensor x = T({2, 3}, {2.0, 1.0, 0.1, 0.5, 2.5, 0.3});
    CAPTURE(lab::sizes_str(x.shape));

    SUBCASE("loss = logsumexp(x) - x[y]; gradient = softmax(x) - onehot(y), over N for 'mean'") {
        const auto r = run("CrossEntropyLoss", {}, {{"input", x}, {"target", T({2}, {0, 1})}});
        const double l0 = logsumexp(row0) - 2.0, l1 = logsumexp(row1) - 2.5;
        check_scalar(r.loss, (l0 + l1) / 2);
        const auto p0 = softmax(row0), p1 = softmax(row1);
        check_values(r.grad.at("input"), {2, 3},
                     {(p0[0] - 1) / 2, p0[1] / 2, p0[2] / 2, p1[0] / 2, (p1[1] - 1) / 2, p1[2] / 2});
    }
    SUBCASE("logits of +-800 do not overflow: the row maximum is subtracted first") {
        const Tensor big = T({2, 2}, {800.0, -800.0, 800.0, -800.0});
        const auto r =
            run("CrossEntropyLoss", {{"reduction", str("none")}}, {{"input", big}, {"target", T({2}, {0, 1})}});
        check_values(r.loss, {2}, {0.0, 1600.0});
        check_values(r.grad.at("input"), {2, 2}, {0, 0, 1, -1});
    }
    SUBCASE("a NaN logit makes its whole row NaN, other rows are untouched") {
        const auto r = run("CrossEntropyLoss", {{"reduction", str("none")}},
                           {{"input", T({2, 2}, {kNan, 0.0, 0.0, 0.0})}, {"target", T({2}, {1, 0})}});
        check_values(r.loss, {2}, {kNan, std::log(2.0)});
    }
    SUBCASE("class weights: 'mean' is the weighted average over the targets' weights") {
        const ParamMap p{{"weight", Value::tensor_of(T({3}, {1.0, 2.0, 0.5}))}};
        const auto r = run("CrossEntropyLoss", p, {{"input", x}, {"target", T({2}, {0, 1})}});
        const double l0 = logsumexp(row0) - 2.0, l1 = logsumexp(row1) - 2.5;
        check_scalar(r.loss, (1.0 * l0 + 2.0 * l1) / 3.0);
    }
    SUBCASE("label_smoothing: (1 - eps) * nll + eps / C * sum over classes of -log p") {
        const double eps = 0.3;
        const auto r = run("CrossEntropyLoss", {{"label_smoothing", Value::num(eps)}, {"reduction", str("none")}},
                           {{"input", x}, {"target", T({2}, {0, 1})}});
        const double lse0 = logsumexp(row0), lse1 = logsumexp(row1);
        const double s0 = 3 * lse0 - (2.0 + 1.0 + 0.1), s1 = 3 * lse1 - (0.5 + 2.5 + 0.3);
        check_values(r.loss, {2}, {(1 - eps) * (lse0 - 2.0) + eps / 3 * s0, (1 - eps) * (lse1 - 2.5) + eps / 3 * s1});
        // gradient = softmax - smoothed target
        const auto p0 = softmax(row0);
        const Tensor& g = r.grad.at("input");
        CHECK(near(g.data[0], p0[0] - (1 - eps) - eps / 3));
        CHECK(near(g.data[1], p0[1] - eps / 3));
    }
    SUBCASE("a negative label_smoothing is accepted and means none; above 1 is PyTorch's error") {
        const ArgMap a{{"input", x}, {"target", T({2}, {0, 1})}};
        check_scalar(run("CrossEntropyLoss", {{"label_smoothing", Value::num(-0.2)}}, a).loss,
                     run("CrossEntropyLoss", {}, a).loss.item());
        CHECK_THROWS_WITH_AS(run("CrossEntropyLoss", {{"label_smoothing", Value::num(1.5)}}, a),
                             "label_smoothing must be between 0.0 and 1.0. Got: 1.5", lab::Error);
    }
    SUBCASE("a target shaped like the input holds class probabilities and gets a gradient too") {
        const Tensor q = T({2, 3}, {0.7, 0.2, 0.1, 0.0, 0.5, 0.5});
        const auto r = run("CrossEntropyLoss", {{"reduction", str("sum")}}, {{"input", x}, {"target", q}});
        const double lse0 = logsumexp(row0), lse1 = logsumexp(row1);
        double want = 0;
        for (int c = 0; c < 3; ++c) want += -q.data[c] * (row0[c] - lse0) - q.data[3 + c] * (row1[c] - lse1);
        check_scalar(r.loss, want);
        const auto p0 = softmax(row0);
        CHECK(near(r.grad.at("input").data[0], p0[0] * 1.0 - 0.7));  // softmax * sum(q) - q
        check_values(r.grad.at("target"), {2, 3},
                     {lse0 - 2.0, lse0 - 1.0, lse0 - 0.1, lse1 - 0.5, lse1 - 2.5, lse1 - 0.3});
        // 'mean' divides by the number of samples, whatever the weights
        const auto m =
            run("CrossEntropyLoss", {{"weight", Value::tensor_of(T({3}, {2, 2, 2}))}}, {{"input", x}, {"target", q}});
        check_scalar(m.loss, want);
    }
    SUBCASE("probability targets refuse a non-negative ignore_index") {
        CHECK(error_of("CrossEntropyLoss", {{"ignore_index", Value::num(0)}}, {{"input", x}, {"target", x}}) ==
              "ignore_index is not supported for floating point target");
    }
    SUBCASE("unbatched (C,) input with a 0-dim class index") {
        const auto r =
            run("CrossEntropyLoss", {{"reduction", str("none")}}, {{"input", T({3}, row0)}, {"target", T({}, {2})}});
        check_scalar(r.loss, logsumexp(row0) - 0.1);
    }
}

TEST_CASE("MultiLabelMarginLoss: every listed label must beat every other class by 1") {
    const Tensor x = T({1, 4}, {0.1, 0.2, 0.4, 0.8});

    SUBCASE("PyTorch's documented example: labels {3, 0}, the list stops at -1") {
        const auto r = run("MultiLabelMarginLoss", {}, {{"input", x}, {"target", T({1, 4}, {3, 0, -1, 1})}});
        // pairs (3,1) (3,2) (0,1) (0,2): (1-0.6) + (1-0.4) + (1+0.1) + (1+0.3), over C = 4
        check_scalar(r.loss, (0.4 + 0.6 + 1.1 + 1.3) / 4);
        check_values(r.grad.at("input"), {1, 4}, {-0.5, 0.5, 0.5, -0.5});
    }
    SUBCASE("a pair already separated by the margin contributes nothing") {
        const auto r = run("MultiLabelMarginLoss", {{"reduction", str("sum")}},
                           {{"input", T({1, 3}, {5.0, 0.0, 4.5})}, {"target", T({1, 3}, {0, -1, 2})}});
        // only label 0: (0,1) has 1 - 5 < 0, (0,2) has 1 - 0.5 = 0.5
        check_scalar(r.loss, 0.5 / 3);
        check_values(r.grad.at("input"), {1, 3}, {-1.0 / 3, 0, 1.0 / 3});
    }
    SUBCASE("a 1-D input gives a 0-dim loss even with reduction='none'") {
        const auto r = run("MultiLabelMarginLoss", {{"reduction", str("none")}},
                           {{"input", T({4}, {0.1, 0.2, 0.4, 0.8})}, {"target", T({4}, {3, 0, -1, 1})}});
        check_scalar(r.loss, (0.4 + 0.6 + 1.1 + 1.3) / 4);
    }
    SUBCASE("PyTorch's messages") {
        CHECK(error_of("MultiLabelMarginLoss", {}, {{"input", x}, {"target", T({1, 4}, {4, 0, -1, 1})}}) ==
              "argument #2 'target' is out of range");
        CHECK(error_of("MultiLabelMarginLoss", {}, {{"input", x}, {"target", T({4}, {0, 1, 2, 3})}}) ==
              "inconsistent size [4] for argument #2 'target'");
    }
}

TEST_CASE("MultiLabelSoftMarginLoss: a logistic loss per class, averaged over the classes") {
    const std::vector<double> xv{0.8, -1.2, 2.0, -0.5, 1.5, 0.3}, yv{1, 0, 1, 0, 1, 0};
    const Tensor x = T({2, 3}, xv), y = T({2, 3}, yv);
    const auto sig = [](double v) { return 1 / (1 + std::exp(-v)); };
    const auto bce = [&](double v, double t) { return -(t * std::log(sig(v)) + (1 - t) * std::log(sig(-v))); };

    SUBCASE("loss_n = mean over classes of BCE-with-logits; d/dx = (sigmoid(x) - y) / C") {
        const auto r = run("MultiLabelSoftMarginLoss", {{"reduction", str("none")}}, {{"input", x}, {"target", y}});
        check_values(r.loss, {2},
                     {(bce(0.8, 1) + bce(-1.2, 0) + bce(2.0, 1)) / 3, (bce(-0.5, 0) + bce(1.5, 1) + bce(0.3, 0)) / 3});
        std::vector<double> gx, gy;
        for (std::size_t i = 0; i < 6; ++i) {
            gx.push_back((sig(xv[i]) - yv[i]) / 3);
            gy.push_back(-xv[i] / 3);  // d/dy = -(log sig(x) - log sig(-x)) / C = -x / C
        }
        check_values(r.grad.at("input"), {2, 3}, gx);
        check_values(r.grad.at("target"), {2, 3}, gy);
    }
    SUBCASE("per-class weight scales each class's term") {
        const ParamMap p{{"weight", Value::tensor_of(T({3}, {2.0, 1.0, 0.5}))}, {"reduction", str("sum")}};
        const auto r = run("MultiLabelSoftMarginLoss", p, {{"input", x}, {"target", y}});
        double want = 0;
        for (std::size_t i = 0; i < 6; ++i) want += std::vector<double>{2.0, 1.0, 0.5}[i % 3] * bce(xv[i], yv[i]) / 3;
        check_scalar(r.loss, want);
    }
    SUBCASE("log-sigmoid keeps huge logits exact: a wrong +-800 logit costs 800 / C") {
        const auto r = run("MultiLabelSoftMarginLoss", {{"reduction", str("none")}},
                           {{"input", T({1, 2}, {800.0, -800.0})}, {"target", T({1, 2}, {0, 1})}});
        check_values(r.loss, {1}, {800.0});
        check_values(r.grad.at("input"), {1, 2}, {0.5, -0.5});
    }
}

TEST_CASE("MultiMarginLoss: the multi-class hinge around the true class") {
    const Tensor x = T({1, 4}, {0.1, 0.2, 0.4, 0.8});

    SUBCASE("p=1, margin=1: PyTorch's documented example") {
        const auto r = run("MultiMarginLoss", {}, {{"input", x}, {"target", T({1}, {3})}});
        check_scalar(r.loss, ((1 - 0.7) + (1 - 0.6) + (1 - 0.4)) / 4);
        check_values(r.grad.at("input"), {1, 4}, {0.25, 0.25, 0.25, -0.75});
    }
    SUBCASE("p=2 squares each violation, margin and the true class's weight scale it") {
        const ParamMap p{{"p", Value::num(2)},
                         {"margin", Value::num(0.5)},
                         {"weight", Value::tensor_of(T({4}, {1.0, 2.0, 3.0, 4.0}))}};
        const auto r = run("MultiMarginLoss", p, {{"input", x}, {"target", T({1}, {3})}});
        // only class 2 violates: z = 0.5 - 0.8 + 0.4 = 0.1
        const double z = 0.5 - 0.8 + 0.4;
        check_scalar(r.loss, 4.0 * z * z / 4);
        check_values(r.grad.at("input"), {1, 4}, {0, 0, 4.0 * 2 * z / 4, -4.0 * 2 * z / 4});
    }
    SUBCASE("a sample that meets every margin has zero loss and zero gradient") {
        const auto r = run("MultiMarginLoss", {{"reduction", str("none")}},
                           {{"input", T({2, 3}, {3.0, 0.0, 1.0, 0.0, 0.5, 0.0})}, {"target", T({2}, {0, 1})}});
        check_values(r.loss, {2}, {0.0, 2 * 0.5 / 3});
        check_values(r.grad.at("input"), {2, 3}, {0, 0, 0, 1.0 / 3, -2.0 / 3, 1.0 / 3});
    }
    SUBCASE("only p = 1 or 2, and targets in range, as PyTorch says") {
        CHECK(error_of("MultiMarginLoss", {{"p", Value::num(3)}}, {{"input", x}, {"target", T({1}, {3})}}) ==
              "only p == 1 and p == 2 supported");
        CHECK(error_of("MultiMarginLoss", {}, {{"input", x}, {"target", T({1}, {4})}}) == "target out of range");
        CHECK(error_of("MultiMarginLoss", {}, {{"input", x}, {"target", T({2}, {0, 1})}}) ==
              "inconsistent target size, got: [2]");
    }
}

TEST_CASE("CTCLoss: minus the log of the summed probability of all alignments") {
    // Two frames, three classes (0 = blank), probabilities chosen exactly.
    const std::vector<double> p0{0.5, 0.3, 0.2}, p1{0.25, 0.6, 0.15};
    std::vector<double> lp;
    for (double v : p0) lp.push_back(std::log(v));
    for (double v : p1) lp.push_back(std::log(v));
    const Tensor log_probs = T({2, 1, 3}, lp);
    const auto args = [&](std::vector<double> targets, double il, double tl) {
        return ArgMap{{"log_probs", log_probs},
                      {"targets", T({1, static_cast<std::int64_t>(targets.size())}, targets)},
                      {"input_lengths", T({1}, {il})},
                      {"target_lengths", T({1}, {tl})}};
    };

    SUBCASE("target [1] over two frames: the paths 11, 01 and 10") {
        const double prob = p0[1] * p1[1] + p0[0] * p1[1] + p0[1] * p1[0];
        const auto r = run("CTCLoss", {{"reduction", str("sum")}}, args({1}, 2, 1));
        check_scalar(r.loss, -std::log(prob));
        // PyTorch's gradient: exp(lp) minus the posterior share of paths through (t, c).
        const Tensor& g = r.grad.at("log_probs");
        CHECK(near(g.data[0], p0[0] - p0[0] * p1[1] / prob));
        CHECK(near(g.data[1], p0[1] - (p0[1] * p1[1] + p0[1] * p1[0]) / prob));
        CHECK(near(g.data[2], p0[2]));  // class 2 lies on no path
        CHECK(near(g.data[4], p1[1] - (p0[1] * p1[1] + p0[0] * p1[1]) / prob));
    }
    SUBCASE("with log_softmax inputs each frame's gradient sums to 0 (the logits convention)") {
        const auto r = run("CTCLoss", {}, args({2}, 2, 1));
        const Tensor& g = r.grad.at("log_probs");
        CHECK(std::abs(g.data[0] + g.data[1] + g.data[2]) < 1e-14);
        CHECK(std::abs(g.data[3] + g.data[4] + g.data[5]) < 1e-14);
    }
    SUBCASE("'mean' divides by the target length, then averages over the batch") {
        const double prob = p0[1] * p1[2];  // target [1, 2] needs both frames
        check_scalar(run("CTCLoss", {}, args({1, 2}, 2, 2)).loss, -std::log(prob) / 2);
        // reduction='none' reports the undivided loss
        check_values(run("CTCLoss", {{"reduction", str("none")}}, args({1, 2}, 2, 2)).loss, {1}, {-std::log(prob)});
    }
    SUBCASE("an empty target is the all-blank path; its 'mean' divides by max(length, 1)") {
        const auto r = run("CTCLoss", {}, args({0}, 2, 0));
        check_scalar(r.loss, -std::log(p0[0] * p1[0]));
    }
    SUBCASE("a repeated label needs a blank between: [1, 1] cannot fit in two frames") {
        const auto r = run("CTCLoss", {{"reduction", str("none")}}, args({1, 1}, 2, 2));
        check_values(r.loss, {1}, {kInfty});
        const auto z =
            run("CTCLoss", {{"reduction", str("none")}, {"zero_infinity", Value::flag(true)}}, args({1, 1}, 2, 2));
        check_values(z.loss, {1}, {0.0});
        check_values(z.grad.at("log_probs"), {2, 1, 3}, {0, 0, 0, 0, 0, 0});
    }
    SUBCASE("concatenated and padded targets describe the same batch") {
        std::vector<double> lp2;
        for (int t = 0; t < 4; ++t)
            for (int b = 0; b < 2; ++b) {
                const std::vector<double> logits{0.1 * t, 0.3 * b - 0.2, 0.05 * t * b + 0.4};
                const double lse = logsumexp(logits);
                for (double v : logits) lp2.push_back(v - lse);
            }
        const Tensor lpt = T({4, 2, 3}, lp2);
        const auto padded = run("CTCLoss", {{"reduction", str("none")}},
                                {{"log_probs", lpt},
                                 {"targets", T({2, 2}, {1, 2, 2, 0})},
                                 {"input_lengths", T({2}, {4, 3})},
                                 {"target_lengths", T({2}, {2, 1})}});
        const auto concatenated = run("CTCLoss", {{"reduction", str("none")}},
                                      {{"log_probs", lpt},
                                       {"targets", T({3}, {1, 2, 2})},
                                       {"input_lengths", T({2}, {4, 3})},
                                       {"target_lengths", T({2}, {2, 1})}});
        check_values(concatenated.loss, {2}, padded.loss.data);
        check_values(concatenated.grad.at("log_probs"), {4, 2, 3}, padded.grad.at("log_probs").data);
        // frames past a sequence's input_length get no gradient
        for (int c = 0; c < 3; ++c) CHECK(padded.grad.at("log_probs").data[(3 * 2 + 1) * 3 + c] == 0.0);
    }
    SUBCASE("unbatched (T, C) log_probs give a 0-dim loss") {
        const auto r = run("CTCLoss", {{"reduction", str("none")}},
                           {{"log_probs", T({2, 3}, lp)},
                            {"targets", T({1}, {1})},
                            {"input_lengths", T({}, {2})},
                            {"target_lengths", T({}, {1})}});
        check_scalar(r.loss, -std::log(p0[1] * p1[1] + p0[0] * p1[1] + p0[1] * p1[0]));
    }
    SUBCASE("PyTorch's messages for impossible lengths and blanks") {
        CHECK(error_of("CTCLoss", {}, args({1}, 3, 1)) ==
              "Expected input_lengths to have value at most 2, but got value 3 (while checking arguments for "
              "ctc_loss_cpu)");
        CHECK(error_of("CTCLoss", {}, args({1}, 2, 2)) ==
              "Expected tensor to have size at least 2 at dimension 1, but got size 1 for argument #2 'targets' (while "
              "checking arguments for ctc_loss_cpu)");
        CHECK(error_of("CTCLoss", {{"blank", Value::num(3)}}, args({1}, 2, 1)) == "blank must be in label range");
    }
}
