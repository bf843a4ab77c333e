// The classification and sequence losses' rules (NLL, CrossEntropy, MultiLabelMargin,
// MultiLabelSoftMargin, MultiMargin, CTC) as tables (loss_rows.hpp): each rule PyTorch follows,
// stated on small inputs whose answer can be written down by hand (closed forms evaluated here,
// or numbers checked against torch 1.13.1 in float64).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "loss_rows.hpp"

using labtest::kInf;
using labtest::kNaN;
using labtest::Params;
using labtest::scalar;
using labtest::T;

namespace {

const Params kNone{{"reduction", "none"}};
const Params kSum{{"reduction", "sum"}};

std::vector<double> softmax(const std::vector<double>& x) {
    const double m = *std::max_element(x.begin(), x.end());
    double s = 0;
    for (double v : x) s += std::exp(v - m);
    std::vector<double> p;
    for (double v : x) p.push_back(std::exp(v - m) / s);
    return p;
}

double logsumexp(const std::vector<double>& x) {
    const double m = *std::max_element(x.begin(), x.end());
    double s = 0;
    for (double v : x) s += std::exp(v - m);
    return m + std::log(s);
}

}  // namespace

TEST_CASE("NLLLoss: minus the log-probability of the target class, weighted, with ignore_index") {
    const lab::Tensor x = T({2, 3}, {-0.5, -1.25, -2.0, -3.0, -0.25, -1.5});
    const lab::ArgMap ignored{{"input", x}, {"target", T({-100, -100})}};
    // input[n][c][d] = n + c / 10 + d / 100
    std::vector<double> ncd;
    for (int n = 0; n < 2; ++n)
        for (int c = 0; c < 3; ++c)
            for (int d = 0; d < 2; ++d) ncd.push_back(n + c / 10.0 + d / 100.0);
    labtest::check_cases({
        {"NLLLoss", kNone, {{"input", x}, {"target", T({0, 1})}},
         {{"loss", T({0.5, 0.25})}, {"grad input", T({2, 3}, {-1, 0, 0, 0, -1, 0})}},
         "each sample's loss is -x[n, y_n]; the gradient is -1 there and 0 elsewhere"},
        {"NLLLoss", {{"weight", T({1.0, 3.0, 0.5})}}, {{"input", x}, {"target", T({0, 1})}},
         {{"loss", scalar((1.0 * 0.5 + 3.0 * 0.25) / 4.0)}, {"grad input", T({2, 3}, {-0.25, 0, 0, 0, -0.75, 0})},
          {"elementwise", T({0.5, 0.75})}},
         "'mean' divides by the summed weight of the targets, not by N"},
        {"NLLLoss", {{"ignore_index", 1}}, {{"input", x}, {"target", T({2, 1})}},
         {{"loss", scalar(2.0)}, {"grad input", T({2, 3}, {0, 0, -1, 0, 0, 0})}},
         "a target equal to ignore_index adds no loss, no weight and no gradient: the mean is over sample 0 alone"},
        {"NLLLoss", {}, ignored, {{"loss", scalar(kNaN)}, {"grad input", T({2, 3}, {0, 0, 0, 0, 0, 0})}},
         "every target ignored: 'mean' is 0/0 = nan, and the gradients are 0"},
        {"NLLLoss", kSum, ignored, {{"loss", scalar(0.0)}}, "every target ignored: 'sum' is 0"},
        {"NLLLoss", kNone, {{"input", T({-0.5, -1.25, -2.0})}, {"target", scalar(2)}},
         {{"loss", scalar(2.0)}, {"grad input", T({0, 0, -1})}},
         "unbatched input (C,) with a 0-dim target gives a 0-dim loss"},
        {"NLLLoss", kNone, {{"input", T({2, 3, 2}, ncd)}, {"target", T({2, 2}, {0, 2, 1, -100})}},
         {{"loss", T({2, 2}, {-0.0, -0.21, -1.1, 0.0})}},
         "(N, C, d) input: the class dim is dim 1 and the loss has shape (N, d)"},
    });
    labtest::check_rejected({
        {"NLLLoss", {}, {{"input", x}, {"target", T({0, 5})}}, "Target 5 is out of bounds.", "a class past C - 1"},
        {"NLLLoss", {}, {{"input", x}, {"target", T({-1, 0})}}, "Target -1 is out of bounds.",
         "a negative class that is not ignore_index"},
        {"NLLLoss", {{"weight", T({1, 2})}}, {{"input", x}, {"target", T({0, 1})}},
         "weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: [2]",
         "one weight per class"},
        {"NLLLoss", {}, {{"input", x}, {"target", T({0})}},
         "Expected input batch_size (2) to match target batch_size (1).", "one target per sample"},
        {"NLLLoss", {}, {{"input", x}, {"target", T({2, 1}, {0, 1})}},
         "0D or 1D target tensor expected, multi-target not supported", "class indices, not a 2-D target"},
        {"NLLLoss", {}, {{"input", T({2, 3, 4}, std::vector<double>(24, 0.0))},
         {"target", T({2, 3}, std::vector<double>(6, 0.0))}},
         "Expected target size [2, 4], got [2, 3]", "(N, C, d) input needs an (N, d) target"},
    });
}

TEST_CASE("CrossEntropyLoss: log-sum-exp of the logits minus the target logit") {
    const std::vector<double> row0{2.0, 1.0, 0.1}, row1{0.5, 2.5, 0.3};
    const lab::Tensor x = T({2, 3}, {2.0, 1.0, 0.1, 0.5, 2.5, 0.3});
    const lab::ArgMap classes{{"input", x}, {"target", T({0, 1})}};
    const double lse0 = logsumexp(row0), lse1 = logsumexp(row1), l0 = lse0 - 2.0, l1 = lse1 - 2.5;
    const std::vector<double> p0 = softmax(row0), p1 = softmax(row1);
    const double eps = 0.3;  // label_smoothing
    const double s0 = 3 * lse0 - (2.0 + 1.0 + 0.1), s1 = 3 * lse1 - (0.5 + 2.5 + 0.3);
    // class probabilities as the target
    const lab::Tensor q = T({2, 3}, {0.7, 0.2, 0.1, 0.0, 0.5, 0.5});
    double q_loss = 0;
    for (int c = 0; c < 3; ++c) q_loss += -q.data[c] * (row0[c] - lse0) - q.data[3 + c] * (row1[c] - lse1);
    labtest::check_cases({
        {"CrossEntropyLoss", {}, classes,
         {{"loss", scalar((l0 + l1) / 2)},
          {"grad input", T({2, 3}, {(p0[0] - 1) / 2, p0[1] / 2, p0[2] / 2, p1[0] / 2, (p1[1] - 1) / 2, p1[2] / 2})}},
         "loss = logsumexp(x) - x[y]; gradient = softmax(x) - onehot(y), over N for 'mean'"},
        {"CrossEntropyLoss", kNone, {{"input", T({2, 2}, {800.0, -800.0, 800.0, -800.0})}, {"target", T({0, 1})}},
         {{"loss", T({0.0, 1600.0})}, {"grad input", T({2, 2}, {0, 0, 1, -1})}},
         "logits of +-800 do not overflow: the row maximum is subtracted first"},
        {"CrossEntropyLoss", kNone, {{"input", T({2, 2}, {kNaN, 0.0, 0.0, 0.0})}, {"target", T({1, 0})}},
         {{"loss", T({kNaN, std::log(2.0)})}}, "a NaN logit makes its whole row NaN, other rows are untouched"},
        {"CrossEntropyLoss", {{"weight", T({1.0, 2.0, 0.5})}}, classes, {{"loss", scalar((1.0 * l0 + 2.0 * l1) / 3.0)}},
         "class weights: 'mean' is the weighted average over the targets' weights"},
        {"CrossEntropyLoss", kNone.with("label_smoothing", eps), classes,
         {{"loss", T({(1 - eps) * (lse0 - 2.0) + eps / 3 * s0, (1 - eps) * (lse1 - 2.5) + eps / 3 * s1})},
          {"grad input", T({2, 3}, {p0[0] - (1 - eps) - eps / 3, p0[1] - eps / 3, p0[2] - eps / 3, p1[0] - eps / 3,
                                    p1[1] - (1 - eps) - eps / 3, p1[2] - eps / 3})}},
         "label_smoothing: (1 - eps) * nll + eps / C * sum over classes of -log p; "
         "the gradient is softmax minus the smoothed target"},
        {"CrossEntropyLoss", kSum, {{"input", x}, {"target", q}},
         {{"loss", scalar(q_loss)},
          {"grad input",
           T({2, 3}, {p0[0] * 1.0 - 0.7, p0[1] - 0.2, p0[2] - 0.1, p1[0] - 0.0, p1[1] - 0.5, p1[2] - 0.5})},
          {"grad target", T({2, 3}, {lse0 - 2.0, lse0 - 1.0, lse0 - 0.1, lse1 - 0.5, lse1 - 2.5, lse1 - 0.3})}},
         "a target shaped like the input holds class probabilities and gets a gradient too; "
         "d/dx = softmax * sum(q) - q"},
        {"CrossEntropyLoss", {{"weight", T({2, 2, 2})}}, {{"input", x}, {"target", q}}, {{"loss", scalar(q_loss)}},
         "probability targets: 'mean' divides by the number of samples, whatever the weights"},
        {"CrossEntropyLoss", kNone, {{"input", T(row0)}, {"target", scalar(2)}}, {{"loss", scalar(lse0 - 0.1)}},
         "unbatched (C,) input with a 0-dim class index"},
        {"CrossEntropyLoss", {{"label_smoothing", eps}, {"weight", T({1.0, 0.0, 2.0})}}, {{"input", x}, {"target", T({1, 1})}},
         {{"loss", scalar(kNaN)}},
         "label smoothing with a counted weight of 0: PyTorch's nll mean is 0 / 0, so nan (not the +inf of the "
         "smoothing terms over 0)"},
        {"CrossEntropyLoss", {{"label_smoothing", eps}, {"weight", T({1.0, 0.0, 2.0})}, {"reduction", "sum"}},
         {{"input", x}, {"target", T({1, 1})}},
         {{"loss", scalar(eps / 3 * (1.0 * (lse0 - 2.0) + 2.0 * (lse0 - 0.1) + 1.0 * (lse1 - 0.5) + 2.0 * (lse1 - 0.3)))}},
         "... while 'sum' keeps the weighted smoothing terms of the zero-weight targets"},
    });
    labtest::check_same({
        {{"CrossEntropyLoss", {{"label_smoothing", -0.2}}, classes},
         {"CrossEntropyLoss", {}, classes},
         {"loss"},
         "a negative label_smoothing is accepted and means none"},
    });
    labtest::check_rejected({
        {"CrossEntropyLoss", {{"label_smoothing", 1.5}}, classes,
         "label_smoothing must be between 0.0 and 1.0. Got: 1.5",
         "label_smoothing above 1"},
        {"CrossEntropyLoss", {{"ignore_index", 0}}, {{"input", x}, {"target", x}},
         "ignore_index is not supported for floating point target",
         "probability targets refuse a non-negative ignore_index"},
        {"CrossEntropyLoss", {{"weight", 2.0}}, classes,
         "weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: []",
         "a bare number for weight is a 0-dim tensor, which a class weight cannot be"},
    });
}

TEST_CASE("MultiLabelMarginLoss: every listed label must beat every other class by 1") {
    const lab::Tensor x = T({1, 4}, {0.1, 0.2, 0.4, 0.8});
    // labels {3, 0}: pairs (3,1) (3,2) (0,1) (0,2): (1-0.6) + (1-0.4) + (1+0.1) + (1+0.3), over C = 4
    const double documented = (0.4 + 0.6 + 1.1 + 1.3) / 4;
    labtest::check_cases({
        {"MultiLabelMarginLoss", {}, {{"input", x}, {"target", T({1, 4}, {3, 0, -1, 1})}},
         {{"loss", scalar(documented)}, {"grad input", T({1, 4}, {-0.5, 0.5, 0.5, -0.5})}},
         "PyTorch's documented example: labels {3, 0}, the list stops at -1"},
        {"MultiLabelMarginLoss", kSum, {{"input", T({1, 3}, {5.0, 0.0, 4.5})}, {"target", T({1, 3}, {0, -1, 2})}},
         {{"loss", scalar(0.5 / 3)}, {"grad input", T({1, 3}, {-1.0 / 3, 0, 1.0 / 3})}},
         "a pair already separated by the margin contributes nothing: only label 0, (0,1) has 1 - 5 < 0, "
         "(0,2) has 1 - 0.5 = 0.5"},
        {"MultiLabelMarginLoss", kNone, {{"input", T({0.1, 0.2, 0.4, 0.8})}, {"target", T({3, 0, -1, 1})}},
         {{"loss", scalar(documented)}}, "a 1-D input gives a 0-dim loss even with reduction='none'"},
    });
    labtest::check_rejected({
        {"MultiLabelMarginLoss", {}, {{"input", x}, {"target", T({1, 4}, {4, 0, -1, 1})}},
         "argument #2 'target' is out of range", "a label past C - 1"},
        {"MultiLabelMarginLoss", {}, {{"input", x}, {"target", T({0, 1, 2, 3})}},
         "inconsistent size [4] for argument #2 'target'", "the target has the input's shape"},
    });
}

TEST_CASE("MultiLabelSoftMarginLoss: a logistic loss per class, averaged over the classes") {
    const std::vector<double> xv{0.8, -1.2, 2.0, -0.5, 1.5, 0.3}, yv{1, 0, 1, 0, 1, 0}, w{2.0, 1.0, 0.5};
    const lab::ArgMap xy{{"input", T({2, 3}, xv)}, {"target", T({2, 3}, yv)}};
    const auto sig = [](double v) { return 1 / (1 + std::exp(-v)); };
    const auto bce = [&](double v, double t) { return -(t * std::log(sig(v)) + (1 - t) * std::log(sig(-v))); };
    std::vector<double> gx, gy;
    double weighted = 0;
    for (std::size_t i = 0; i < 6; ++i) {
        gx.push_back((sig(xv[i]) - yv[i]) / 3);
        gy.push_back(-xv[i] / 3);  // d/dy = -(log sig(x) - log sig(-x)) / C = -x / C
        weighted += w[i % 3] * bce(xv[i], yv[i]) / 3;
    }
    labtest::check_cases({
        {"MultiLabelSoftMarginLoss", kNone, xy,
         {{"loss", T({(bce(0.8, 1) + bce(-1.2, 0) + bce(2.0, 1)) / 3, (bce(-0.5, 0) + bce(1.5, 1) + bce(0.3, 0)) / 3})},
          {"grad input", T({2, 3}, gx)}, {"grad target", T({2, 3}, gy)}},
         "loss_n = mean over classes of BCE-with-logits; d/dx = (sigmoid(x) - y) / C, d/dy = -x / C"},
        {"MultiLabelSoftMarginLoss", kSum.with("weight", T(w)), xy, {{"loss", scalar(weighted)}},
         "per-class weight scales each class's term"},
        {"MultiLabelSoftMarginLoss", kNone, {{"input", T({1, 2}, {800.0, -800.0})}, {"target", T({1, 2}, {0, 1})}},
         {{"loss", T({800.0})}, {"grad input", T({1, 2}, {0.5, -0.5})}},
         "log-sigmoid keeps huge logits exact: a wrong +-800 logit costs 800 / C"},
    });
}

TEST_CASE("MultiMarginLoss: the multi-class hinge around the true class") {
    const lab::Tensor x = T({1, 4}, {0.1, 0.2, 0.4, 0.8});
    const double z = 0.5 - 0.8 + 0.4;  // with margin 0.5 only class 2 violates
    labtest::check_cases({
        {"MultiMarginLoss", {}, {{"input", x}, {"target", T({3})}},
         {{"loss", scalar(((1 - 0.7) + (1 - 0.6) + (1 - 0.4)) / 4)},
          {"grad input", T({1, 4}, {0.25, 0.25, 0.25, -0.75})}},
         "p=1, margin=1: PyTorch's documented example"},
        {"MultiMarginLoss", {{"p", 2}, {"margin", 0.5}, {"weight", T({1.0, 2.0, 3.0, 4.0})}},
         {{"input", x}, {"target", T({3})}},
         {{"loss", scalar(4.0 * z * z / 4)}, {"grad input", T({1, 4}, {0, 0, 4.0 * 2 * z / 4, -4.0 * 2 * z / 4})}},
         "p=2 squares each violation, margin and the true class's weight scale it"},
        {"MultiMarginLoss", kNone, {{"input", T({2, 3}, {3.0, 0.0, 1.0, 0.0, 0.5, 0.0})}, {"target", T({0, 1})}},
         {{"loss", T({0.0, 2 * 0.5 / 3})}, {"grad input", T({2, 3}, {0, 0, 0, 1.0 / 3, -2.0 / 3, 1.0 / 3})}},
         "a sample that meets every margin has zero loss and zero gradient"},
    });
    labtest::check_rejected({
        {"MultiMarginLoss", {{"p", 3}}, {{"input", x}, {"target", T({3})}}, "only p == 1 and p == 2 supported",
         "only p = 1 or 2"},
        {"MultiMarginLoss", {}, {{"input", x}, {"target", T({4})}}, "target out of range", "a class past C - 1"},
        {"MultiMarginLoss", {}, {{"input", x}, {"target", T({0, 1})}}, "inconsistent target size, got: [2]",
         "one target per sample"},
    });
}

TEST_CASE("CTCLoss: minus the log of the summed probability of all alignments") {
    // Two frames, three classes (0 = blank), probabilities chosen exactly.
    const std::vector<double> p0{0.5, 0.3, 0.2}, p1{0.25, 0.6, 0.15};
    std::vector<double> lp;
    for (double v : p0) lp.push_back(std::log(v));
    for (double v : p1) lp.push_back(std::log(v));
    const auto args = [&](std::vector<double> targets, double il, double tl) {
        return lab::ArgMap{{"log_probs", T({2, 1, 3}, lp)},
                           {"targets", T({1, static_cast<std::int64_t>(targets.size())}, targets)},
                           {"input_lengths", T({il})},
                           {"target_lengths", T({tl})}};
    };
    // target [1] over two frames: the paths 11, 01 and 10
    const double prob = p0[1] * p1[1] + p0[0] * p1[1] + p0[1] * p1[0];
    const double prob12 = p0[1] * p1[2];  // target [1, 2] needs both frames
    labtest::check_cases({
        {"CTCLoss", kSum, args({1}, 2, 1),
         {{"loss", scalar(-std::log(prob))},
          {"grad log_probs",
           T({2, 1, 3}, {p0[0] - p0[0] * p1[1] / prob, p0[1] - (p0[1] * p1[1] + p0[1] * p1[0]) / prob, p0[2],
                         p1[0] - p0[1] * p1[0] / prob, p1[1] - (p0[1] * p1[1] + p0[0] * p1[1]) / prob, p1[2]})}},
         "target [1]: -log of the paths 11, 01, 10; PyTorch's gradient is exp(lp) minus the posterior share of "
         "the paths through (t, c) (class 2 lies on no path)"},
        {"CTCLoss", {}, args({1, 2}, 2, 2), {{"loss", scalar(-std::log(prob12) / 2)}},
         "'mean' divides by the target length, then averages over the batch"},
        {"CTCLoss", kNone, args({1, 2}, 2, 2), {{"loss", T({-std::log(prob12)})}},
         "reduction='none' reports the undivided loss"},
        {"CTCLoss", {}, args({0}, 2, 0), {{"loss", scalar(-std::log(p0[0] * p1[0]))}},
         "an empty target is the all-blank path; its 'mean' divides by max(length, 1)"},
        {"CTCLoss", kNone, args({1, 1}, 2, 2), {{"loss", T({kInf})}},
         "a repeated label needs a blank between: [1, 1] cannot fit in two frames"},
        {"CTCLoss", kNone.with("zero_infinity", true), args({1, 1}, 2, 2),
         {{"loss", T({0.0})}, {"grad log_probs", T({2, 1, 3}, {0, 0, 0, 0, 0, 0})}},
         "zero_infinity=True: an impossible alignment costs 0 and gives no gradient"},
        {"CTCLoss", kNone,
         {{"log_probs", T({2, 3}, lp)}, {"targets", T({1})}, {"input_lengths", scalar(2)},
          {"target_lengths", scalar(1)}},
         {{"loss", scalar(-std::log(prob))}}, "unbatched (T, C) log_probs give a 0-dim loss"},
    });
    {
        INFO("with log_softmax inputs each frame's gradient sums to 0 (the logits convention), up to rounding");
        const lab::Tensor g = lab::evaluate_loss("CTCLoss", {}, args({2}, 2, 1)).grad.at("log_probs");
        CHECK(std::abs(g.data[0] + g.data[1] + g.data[2]) < 1e-14);
        CHECK(std::abs(g.data[3] + g.data[4] + g.data[5]) < 1e-14);
    }
    // A batch of two, as padded and as concatenated targets.
    std::vector<double> lp2;
    for (int t = 0; t < 4; ++t)
        for (int b = 0; b < 2; ++b) {
            const std::vector<double> logits{0.1 * t, 0.3 * b - 0.2, 0.05 * t * b + 0.4};
            const double lse = logsumexp(logits);
            for (double v : logits) lp2.push_back(v - lse);
        }
    const lab::ArgMap padded{{"log_probs", T({4, 2, 3}, lp2)},
                             {"targets", T({2, 2}, {1, 2, 2, 0})},
                             {"input_lengths", T({4, 3})},
                             {"target_lengths", T({2, 1})}};
    lab::ArgMap concatenated = padded;
    concatenated["targets"] = T({1, 2, 2});
    labtest::check_same({
        {{"CTCLoss", kNone, concatenated}, {"CTCLoss", kNone, padded}, {"loss", "grad log_probs"},
         "concatenated and padded targets describe the same batch"},
    });
    {
        INFO("frames past a sequence's input_length get no gradient (sample 1 has 3 of 4 frames)");
        const lab::Tensor g = lab::evaluate_loss("CTCLoss", kNone, padded).grad.at("log_probs");
        for (int c = 0; c < 3; ++c) CHECK(g.data[(3 * 2 + 1) * 3 + c] == 0.0);
    }
    labtest::check_rejected({
        {"CTCLoss", {}, args({1}, 3, 1),
         "Expected input_lengths to have value at most 2, but got value 3 (while checking arguments for ctc_loss_cpu)",
         "an input length past the frames"},
        {"CTCLoss", {}, args({1}, 2, 2),
         "Expected tensor to have size at least 2 at dimension 1, but got size 1 for argument #2 'targets' (while "
         "checking arguments for ctc_loss_cpu)",
         "a target length past the padded targets"},
        {"CTCLoss", {{"blank", 3}}, args({1}, 2, 1), "blank must be in label range", "blank must be a class"},
    });
}
