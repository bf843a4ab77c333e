// The binary-classification losses' rules (BCELoss, BCEWithLogitsLoss, SoftMarginLoss) as tables
// (loss_rows.hpp): the formulas, PyTorch's clamps (each log at -100, the gradient's denominator
// at 1e-12f), what the stable logit form keeps exact, the weights' broadcasting, and the shape
// errors in PyTorch's words. Expected numbers are closed forms evaluated here or values printed by
// torch 1.13.1 in float64 (marked so).
#include <doctest/doctest.h>

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

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double softplus(double v) { return std::log1p(std::exp(v)); }  // -log sigmoid(-v)

}  // namespace

TEST_CASE("BCELoss: -w [y log x + (1 - y) log(1 - x)] with PyTorch's clamps") {
    labtest::check_cases({
        {"BCELoss", kNone, {{"input", T({0.9, 0.2, 0.6})}, {"target", T({1.0, 0.0, 0.25})}},
         {{"loss", T({-std::log(0.9), -std::log(0.8), -(0.25 * std::log(0.6) + 0.75 * std::log(0.4))})},
          {"grad input", T({-0.1 / (0.9 * 0.1), 0.2 / (0.2 * 0.8), 0.35 / (0.6 * 0.4)})},
          {"grad target", T({-std::log(9.0), std::log(4.0), -std::log(1.5)})}},
         "inside (0, 1): d/dx = (x - y) / (x (1 - x)) and d/dy = -logit(x)"},
        {"BCELoss", kNone, {{"input", T({0.0, 1.0, 0.0, 1.0})}, {"target", T({1.0, 0.0, 0.0, 1.0})}},
         {{"loss", T({100.0, 100.0, 0.0, 0.0})},
          {"grad input", T({-1000000003995.8029, 1000000003995.8029, 0.0, 0.0})},  // 1 / float(1e-12), torch 1.13.1
          {"grad target", T({kInf, -kInf, kInf, -kInf})}},
         "exact 0 and 1: each log is clamped at -100, the gradient's denominator at 1e-12f"},
        {"BCELoss", kNone, {{"input", T({1e-300, 1e-40})}, {"target", T({1.0, 1.0})}},
         {{"loss", T({100.0, -std::log(1e-40)})}},
         "a tiny probability: log(1e-300) = -690.8 is clamped too, so the loss is 100"},
        {"BCELoss", kNone.with("weight", T({2, 1}, {1.0, 2.0})),
         {{"input", T({2, 2}, {0.5, 0.2, 0.1, 0.7})}, {"target", T({2, 2}, {1.0, 0.0, 0.0, 1.0})}},
         {{"loss", T({2, 2}, {std::log(2.0), -std::log(0.8), -2 * std::log(0.9), -2 * std::log(0.7)})},
          {"grad input", T({2, 2}, {-0.5 / 0.25, 0.2 / 0.16, 2 * (0.1 / 0.09), 2 * (-0.3 / 0.21)})}},
         "weight broadcasts against the input and scales value and gradient"},
        {"BCELoss", {{"weight", T({3.0, 1.0})}}, {{"input", T({0.5, 0.5})}, {"target", T({1.0, 0.0})}},
         {{"loss", scalar(2 * std::log(2.0))}, {"grad input", T({-3.0, 1.0})}},
         "'mean' divides the weighted gradient by numel"},
    });
    const lab::ArgMap a{{"input", T({0.5, 0.2, 0.5})}, {"target", T({1.0, 0.0, 1.0})}};
    labtest::check_rejected({
        {"BCELoss", {}, {{"input", T({0.5, 1.5})}, {"target", T({1.0, 0.0})}},
         "all elements of input should be between 0 and 1", "the input must be a probability"},
        {"BCELoss", {}, {{"input", T({0.5, -0.1})}, {"target", T({1.0, 0.0})}},
         "all elements of input should be between 0 and 1", "the input must be a probability"},
        {"BCELoss", {}, {{"input", T({0.5, kNaN})}, {"target", T({1.0, 0.0})}},
         "all elements of input should be between 0 and 1", "NaN is not a probability"},
        {"BCELoss", {}, {{"input", T({0.5, 0.5, 0.5})}, {"target", T({3, 1}, {1, 0, 1})}},
         "Using a target size (torch.Size([3, 1])) that is different to the input size (torch.Size([3])) is "
         "deprecated. Please ensure they have the same size.",
         "no broadcasting of the target"},
        {"BCELoss", {{"weight", T({2, 3}, {1, 2, 3, 1, 1, 1})}}, a,
         "output with shape [3] doesn't match the broadcast shape [2, 3]", "a weight must not grow the loss"},
        {"BCELoss", {{"weight", T({1.0, 2.0})}}, a,
         "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0",
         "a weight must broadcast"},
    });
}

TEST_CASE("BCEWithLogitsLoss: BCE of sigmoid(x), computed stably on logits") {
    const std::vector<double> x{-2.0, 0.5, 3.0}, y{0.0, 1.0, 0.3};
    std::vector<double> bce, dx;
    for (std::size_t i = 0; i < 3; ++i) {
        const double s = sigmoid(x[i]);
        bce.push_back(-(y[i] * std::log(s) + (1 - y[i]) * std::log(1 - s)));
        dx.push_back(s - y[i]);
    }
    const auto sp = softplus;
    labtest::check_cases({
        {"BCEWithLogitsLoss", kNone, {{"input", T(x)}, {"target", T(y)}},
         {{"loss", T(bce)}, {"grad input", T(dx)}, {"grad target", T({2.0, -0.5, -3.0})}},
         "moderate logits: equals BCELoss(sigmoid(x)); d/dx = sigmoid(x) - y, d/dy = -x"},
        {"BCEWithLogitsLoss", kNone, {{"input", T({800.0, -800.0, 800.0, -800.0})},
         {"target", T({0.0, 1.0, 1.0, 0.0})}},
         {{"loss", T({800.0, 800.0, 0.0, 0.0})}, {"grad input", T({1.0, -1.0, 0.0, 0.0})}},
         "huge logits stay exact ..."},
        {"BCELoss", kNone, {{"input", T({1.0, 0.0})}, {"target", T({0.0, 1.0})}}, {{"loss", T({100.0, 100.0})}},
         "... where sigmoid + BCELoss would clamp at 100"},
        {"BCEWithLogitsLoss", kNone, {{"input", T({40.0, -40.0})}, {"target", T({1.0, 0.0})}},
         {{"loss", T({0.0, 0.0})}, {"grad input", T({0.0, 4.248354255291589e-18})}},
         "ATen 1.13 adds log(1 + e^-40) in a form that rounds it to exactly 0; sigmoid(40) rounds to 1, "
         "sigmoid(-40) does not round to 0"},
        {"BCEWithLogitsLoss", kNone, {{"input", T({kInf, -kInf})}, {"target", T({1.0, 0.0})}},
         {{"loss", T({kNaN, kNaN})}, {"grad input", T({0.0, 0.0})}, {"grad target", T({-kInf, kInf})}},
         "infinite logits: NaN loss (0 * inf), finite gradient"},
        {"BCEWithLogitsLoss", kNone.with("pos_weight", T({2.0, 3.0})),
         {{"input", T({2, 2}, {1.0, -2.0, 0.5, 0.0})}, {"target", T({2, 2}, {1.0, 1.0, 0.0, 0.5})}},
         {{"loss", T({2, 2}, {2 * sp(-1.0), 3 * sp(2.0), sp(0.5), 0.5 * 3 * sp(0.0) + 0.5 * sp(0.0)})},
          {"grad input", T({2, 2}, {2 * sigmoid(1.0) - 2, 3 * sigmoid(-2.0) - 3, sigmoid(0.5), 2 * 0.5 - 1.5})},
          {"grad target",
           T({2, 2},
             {-sp(1.0) + 2 * sp(-1.0), -sp(-2.0) + 3 * sp(2.0), -sp(0.5) + 2 * sp(-0.5), -sp(0.0) + 3 * sp(0.0)})}},
         "pos_weight scales the positive term, broadcast over the last dim; "
         "d/dx = (pw y + 1 - y) sigmoid(x) - pw y; d/dy = log sigmoid(-x) - pw log sigmoid(x)"},
        {"BCEWithLogitsLoss", {{"weight", T({2.0, 0.5})}}, {{"input", T({0.0, 0.0})}, {"target", T({1.0, 0.0})}},
         {{"loss", scalar((2.0 + 0.5) * std::log(2.0) / 2)}, {"grad input", T({2 * -0.5 / 2, 0.5 * 0.5 / 2})}},
         "weight multiplies value and both gradients; 'mean' divides after it"},
    });
    const lab::ArgMap a{{"input", T({0.5, 0.2, 0.5})}, {"target", T({1.0, 0.0, 1.0})}};
    labtest::check_rejected({
        {"BCEWithLogitsLoss", {}, {{"input", T({0.5, 0.5, 0.5})}, {"target", T({3, 1}, {1, 0, 1})}},
         "Target size (torch.Size([3, 1])) must be the same as input size (torch.Size([3]))",
         "the target has the input's size"},
        {"BCEWithLogitsLoss", {{"pos_weight", T({2, 3}, {1, 2, 3, 1, 1, 1})}}, a,
         "output with shape [3] doesn't match the broadcast shape [2, 3]", "pos_weight must not grow the loss"},
        {"BCEWithLogitsLoss", {{"pos_weight", T({1.0, 2.0})}}, a,
         "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0",
         "pos_weight must broadcast (it is the first operand)"},
        {"BCEWithLogitsLoss", {{"weight", T({1.0, 2.0})}}, a,
         "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0",
         "weight must broadcast (it is the second operand)"},
    });
}

TEST_CASE("SoftMarginLoss: log(1 + exp(-y x)) for labels +-1") {
    labtest::check_cases({
        {"SoftMarginLoss", kNone, {{"input", T({0.0, 1.0, -2.0})}, {"target", T({1.0, -1.0, -1.0})}},
         {{"loss", T({std::log(2.0), std::log(1 + std::exp(1.0)), std::log(1 + std::exp(-2.0))})},
          {"grad input", T({-0.5, sigmoid(1.0), sigmoid(-2.0)})}, {"grad target", T({0.0, 0.0, 0.0})}},
         "value and gradient -y / (1 + exp(y x)); the target gets no gradient"},
        {"SoftMarginLoss", kNone, {{"input", T({-800.0, 800.0})}, {"target", T({1.0, -1.0})}},
         {{"loss", T({kInf, kInf})}, {"grad input", T({kNaN, kNaN})}},
         "PyTorch evaluates exp literally: a margin of -800 overflows to inf, and the gradient to NaN"},
        {"SoftMarginLoss", kSum, {{"input", T({2, 2}, {0, 0, 0, 0})}, {"target", T({1.0, -1.0})}},
         {{"loss", scalar(4 * std::log(2.0))}}, "the target may broadcast into the input"},
    });
    const lab::Tensor x = T({0.3, -1.2, 2.5});
    labtest::check_same({
        {{"SoftMarginLoss", kNone, {{"input", x}, {"target", T({1.0, -1.0, -1.0})}}},
         {"BCEWithLogitsLoss", kNone, {{"input", x}, {"target", T({1.0, 0.0, 0.0})}}},
         {"loss"},
         "the same loss as BCEWithLogitsLoss with the labels mapped to 1/0"},
    });
    labtest::check_rejected({
        {"SoftMarginLoss", {}, {{"input", T({0.0, 1.0})}, {"target", T({2, 2}, {1, -1, 1, 1})}},
         "output with shape [2] doesn't match the broadcast shape [2, 2]", "the target must not grow the input"},
    });
}

TEST_CASE("a tensor parameter given as a bare number is the 0-dim tensor torch.tensor(v)") {
    const double l2 = std::log(2.0);
    labtest::check_cases({
        {"BCELoss", kNone.with("weight", 1.5), {{"input", T({0.5, 0.8})}, {"target", T({1.0, 0.0})}},
         {{"loss", T({1.5 * l2, -1.5 * std::log(0.2)})}},
         "BCELoss(weight=torch.tensor(1.5)): the 0-dim weight broadcasts over every element"},
        {"BCEWithLogitsLoss", kNone.with("pos_weight", 3.0), {{"input", T({0.0, 0.0})}, {"target", T({1.0, 0.0})}},
         {{"loss", T({3.0 * l2, l2})}},
         "BCEWithLogitsLoss(pos_weight=torch.tensor(3.)): the positive term of every element weighs 3"},
        {"BCEWithLogitsLoss", kSum.with("weight", 0.5).with("pos_weight", 2.0),
         {{"input", T({0.0})}, {"target", T({1.0})}}, {{"loss", scalar(0.5 * 2.0 * l2)}},
         "both as numbers"},
        {"BCELoss", kNone.with("weight", T(lab::Shape{}, {1.5})), {{"input", T({0.5})}, {"target", T({1.0})}},
         {{"loss", T({1.5 * l2})}}, "the same weight given as a 0-dim tensor"},
    });
}
