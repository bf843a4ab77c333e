// The elementwise activations' rules as tables, written by hand from PyTorch's documented and
// observed behaviour (1.13.1, float64): what each function returns, which side every kink belongs
// to, what happens at NaN, ±inf and extreme inputs, which parameters PyTorch rejects and in what
// words. Each row is {function, params, x, y, dy, why}; a failure prints the row's `why`, so it
// names the convention that broke. Expected values are closed forms (evaluated here) or, where
// PyTorch's own rounding is the point, numbers printed by torch. The data-driven comparison with
// PyTorch lives in test_reference.cpp; the vector activations in test_vector_rules.cpp.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "support.hpp"

using labtest::check_close;
using labtest::kInf;
using labtest::kNaN;
using labtest::Params;

namespace {

struct Point {
    std::string function;
    Params params;
    double x, y, dy;
    std::string why;
    bool signed_zero = false;  // y must be a zero of the expected sign
};

void check_points(const std::vector<Point>& table) {
    for (const Point& p : table) {
        const std::string params = labtest::show(p.params);
        CAPTURE(p.why);
        CAPTURE(p.function);
        CAPTURE(params);
        const labtest::Exact x{p.x};
        CAPTURE(x);
        const lab::ElementwiseResult r = lab::evaluate_elementwise(p.function, p.params, std::vector<double>{p.x});
        check_close(r.y[0], p.y, p.signed_zero);
        check_close(r.dy[0], p.dy);
    }
}

double y_of(std::string_view f, double x, const Params& p = {}) { return lab::evaluate_elementwise(f, p, {x}).y[0]; }
double dy_of(std::string_view f, double x, const Params& p = {}) { return lab::evaluate_elementwise(f, p, {x}).dy[0]; }

// Closed forms the rows use, named once.
const double kMeanSlope = (1.0 / 8.0 + 1.0 / 3.0) / 2;  // RReLU's (lower + upper) / 2 = 11/48
const double kSeluAlpha = 1.6732632423543772848170429916717, kSeluScale = 1.0507009873554804934193349852946;
// CELU's derivative is elu_backward(..., input_scale = 1.0 / alpha.toFloat()).
const double kCeluAlpha = 0.3, kCeluInvF = 1.0 / static_cast<double>(static_cast<float>(0.3));
const double kPhi1 = 0.5 * (1.0 + std::erf(1.0 / std::sqrt(2.0)));            // Phi(1)
const double kPdf1 = std::exp(-0.5) / std::sqrt(2.0 * std::numbers::pi);     // phi(1)
const double kTanhGelu1 = std::tanh(std::sqrt(2.0 / std::numbers::pi) * (1.0 + 0.044715));
const double kTanhGeluSlope1 = 0.5 * (1.0 + kTanhGelu1) + 0.5 * (1.0 - kTanhGelu1 * kTanhGelu1) *
                                                             std::sqrt(2.0 / std::numbers::pi) * (1.0 + 3 * 0.044715);
const double kSig2 = 1.0 / (1.0 + std::exp(-2.0)), kSig1 = 1.0 / (1.0 + std::exp(-1.0));
const double kMishTs1 = std::tanh(std::log1p(std::exp(1.0)));  // tanh(softplus(1))
const double kExp20 = std::exp(20.0), kExp5 = std::exp(5.0);
const double kOneSixthF = static_cast<double>(1.0f / 6.0f);  // Hardsigmoid's float constant
const double kTanh1 = std::tanh(1.0);

const Params kTanhForm{{"approximate", "tanh"}};
const Params kSoftplus2_5{{"beta", 2.0}, {"threshold", 5.0}};
const Params kHardtanh_2_3{{"min_val", -2.0}, {"max_val", 3.0}};
const Params kThreshold{{"threshold", 0.5}, {"value", -2.0}};

}  // namespace

// ================================================================== ReLU family
TEST_CASE("ReLU family: value and slope at the points PyTorch's rules decide") {
    check_points({
        {"Identity", {}, -800.0, -800.0, 1.0, "returns x with slope 1 everywhere"},
        {"Identity", {}, -1.5, -1.5, 1.0, "returns x with slope 1 everywhere"},
        {"Identity", {}, 0.0, 0.0, 1.0, "returns x with slope 1 everywhere"},
        {"Identity", {}, 2.0, 2.0, 1.0, "returns x with slope 1 everywhere"},
        {"Identity", {}, 1e-300, 1e-300, 1.0, "returns x with slope 1 everywhere"},
        {"Identity", {}, kNaN, kNaN, 1.0, "NaN and infinities pass through"},
        {"Identity", {}, kInf, kInf, 1.0, "NaN and infinities pass through"},

        {"ReLU", {}, 2.5, 2.5, 1.0, "positive side: y = x, slope 1"},
        {"ReLU", {}, -3.0, 0.0, 0.0, "negative side: y = 0, slope 0"},
        {"ReLU", {}, 0.0, 0.0, 0.0, "at the kink x=0 the derivative is 0"},
        {"ReLU", {}, 5e-324, 5e-324, 1.0, "the smallest positive input already gets slope 1"},
        {"ReLU", {}, -5e-324, 0.0, 0.0, "the smallest negative input gets slope 0"},
        {"ReLU", {}, kNaN, kNaN, 1.0, "NaN propagates and gets slope 1, because the backward tests output <= 0"},
        {"ReLU", {}, kInf, kInf, 1.0, "infinities"},
        {"ReLU", {}, -kInf, 0.0, 0.0, "infinities"},
        {"ReLU", {}, -0.0, -0.0, 0.0, "-0.0 stays -0.0 (clamp_min keeps it)", true},

        {"ReLU6", {}, 3.5, 3.5, 1.0, "identity strictly between 0 and 6"},
        {"ReLU6", {}, 0.0, 0.0, 0.0, "at the lower corner x=0 the derivative is 0"},
        {"ReLU6", {}, 6.0, 6.0, 0.0, "at the upper corner x=6 the derivative is 0"},
        {"ReLU6", {}, std::nextafter(6.0, 0.0), std::nextafter(6.0, 0.0), 1.0,
         "just inside the corners the slope is 1"},
        {"ReLU6", {}, 1e-300, 1e-300, 1.0, "just inside the corners the slope is 1"},
        {"ReLU6", {}, 800.0, 6.0, 0.0, "saturated above 6 and below 0"},
        {"ReLU6", {}, -800.0, 0.0, 0.0, "saturated above 6 and below 0"},
        {"ReLU6", {}, kInf, 6.0, 0.0, "saturated above 6 and below 0"},
        {"ReLU6", {}, kNaN, kNaN, 1.0, "NaN: value NaN, slope 1 (the scalar kernel's x <= 0 || x >= 6 is false)"},
        {"ReLU6", {}, -0.0, -0.0, 0.0, "-0.0 stays -0.0 (clamp keeps it)", true},

        {"LeakyReLU", {}, -2.0, -0.02, 0.01, "default negative_slope is 0.01"},
        {"LeakyReLU", {}, 3.0, 3.0, 1.0, "positive side: y = x, slope 1"},
        {"LeakyReLU", {}, 0.0, 0.0, 0.01, "at the kink x=0 the derivative is negative_slope"},
        {"LeakyReLU", {{"negative_slope", 0.2}}, 0.0, 0.0, 0.2, "at the kink x=0 the derivative is negative_slope"},
        {"LeakyReLU", {{"negative_slope", -0.5}}, -2.0, 1.0, -0.5, "a negative slope is accepted (non-monotonic)"},
        {"LeakyReLU", {}, -800.0, -8.0, 0.01, "extremes stay finite"},
        {"LeakyReLU", {}, -kInf, -kInf, 0.01, "extremes stay finite"},
        {"LeakyReLU", {}, kNaN, kNaN, 0.01, "NaN takes the negative-side slope"},

        {"PReLU", {}, -4.0, -1.0, 0.25, "one shared slope, initialised to 0.25"},
        {"PReLU", {}, 0.0, 0.0, 0.25, "at the kink x=0 the derivative is the slope"},
        {"PReLU", {{"init", 0.1}}, -3.0, -0.30000000000000004, 0.1, "init sets the slope"},
        {"PReLU", {}, 1.5, 1.5, 1.0, "positive side: y = x, slope 1"},

        {"RReLU", {}, -1.0, -kMeanSlope, kMeanSlope, "evaluation mode: the negative slope is (lower + upper) / 2"},
        {"RReLU", {{"lower", 0.1}, {"upper", 0.3}}, -2.0, -0.4, 0.2, "evaluation mode: slope (lower + upper) / 2"},
        {"RReLU", {}, 0.0, 0.0, kMeanSlope, "at the kink x=0 the derivative is the mean slope"},
        {"RReLU", {}, 2.0, 2.0, 1.0, "positive side: y = x, slope 1"},
        {"RReLU", {{"lower", 0.2}, {"upper", 0.2}}, -1.0, -0.2, 0.2, "lower == upper is allowed"},

        {"Hardswish", {}, -4.0, 0.0, 0.0, "zero below -3"},
        {"Hardswish", {}, 4.0, 4.0, 1.0, "identity above 3"},
        {"Hardswish", {}, 1.0, 4.0 / 6.0, 1.0 / 3.0 + 0.5, "x(x+3)/6 between -3 and 3"},
        {"Hardswish", {}, -3.0, 0.0, -0.5, "at x=-3 the derivative is the middle formula's -0.5"},
        {"Hardswish", {}, 3.0, 3.0, 1.5, "at x=3 the derivative is the middle formula's 1.5, not 1"},
        {"Hardswish", {}, -1.5, -0.375, 0.0, "minimum -0.375 at x = -1.5, where the slope is 0"},
        {"Hardswish", {}, -kInf, kNaN, 0.0, "-inf gives NaN (-inf * 0)"},
        {"Hardswish", {}, kNaN, kNaN, 1.0, "NaN gets slope 1 from the scalar kernel"},
    });
}

// ================================================================== smooth / exponential
TEST_CASE("smooth and exponential activations: value and slope at the points PyTorch's rules decide") {
    check_points({
        {"ELU", {}, -1.0, std::exp(-1.0) - 1.0, std::exp(-1.0), "negative side: alpha * (e^x - 1), slope alpha * e^x"},
        {"ELU", {{"alpha", 2.0}}, -1.0, 2.0 * (std::exp(-1.0) - 1.0), 2.0 * std::exp(-1.0),
         "negative side: alpha * (e^x - 1), slope alpha * e^x"},
        {"ELU", {}, 0.0, 0.0, 1.0, "at the kink x=0 the derivative is alpha (the exponential branch owns 0)"},
        {"ELU", {{"alpha", 0.5}}, 0.0, 0.0, 0.5,
         "at the kink x=0 the derivative is alpha (the exponential branch owns 0)"},
        {"ELU", {{"alpha", 0.5}}, 2.0, 2.0, 1.0, "positive side: y = x, slope 1"},
        {"ELU", {}, -800.0, -1.0, 0.0, "saturates at -alpha with slope 0 for very negative inputs"},
        {"ELU", {}, -kInf, -1.0, 0.0, "saturates at -alpha with slope 0 for very negative inputs"},
        {"ELU", {}, -1e-300, 0.0, 1.0, "exp(x) - 1, not expm1: tiny negative inputs round to 0"},
        {"ELU", {}, kNaN, kNaN, 1.0, "NaN: value NaN, slope 1 from the scalar kernel (x <= 0 is false)"},

        {"CELU", {{"alpha", 2.0}}, -2.0, 2.0 * (std::exp(-1.0) - 1.0), std::exp(-1.0),
         "negative side: alpha * (e^(x/alpha) - 1)"},
        {"CELU", {{"alpha", 2.0}}, 0.0, 0.0, 1.0, "slope 1 on both sides of 0 for any float-exact alpha"},
        {"CELU", {{"alpha", 0.5}}, 0.0, 0.0, 1.0, "slope 1 on both sides of 0 for any float-exact alpha"},
        {"CELU", {{"alpha", kCeluAlpha}}, 0.0, 0.0, kCeluInvF * kCeluAlpha,
         "the derivative's 1/alpha is built from alpha rounded to float"},
        {"CELU", {{"alpha", kCeluAlpha}}, -1.0, kCeluAlpha * (std::exp(-1.0 / kCeluAlpha) - 1.0),
         kCeluInvF * kCeluAlpha * std::exp(-1.0 * kCeluInvF),
         "the derivative's 1/alpha is built from alpha rounded to float"},

        {"SELU", {}, 2.0, kSeluScale * 2.0, kSeluScale, "positive side: scale * x, slope scale"},
        {"SELU", {}, -1.0, kSeluAlpha * kSeluScale * (std::exp(-1.0) - 1.0), kSeluAlpha * kSeluScale * std::exp(-1.0),
         "negative side: scale * alpha * (e^x - 1)"},
        {"SELU", {}, 0.0, 0.0, kSeluAlpha * kSeluScale, "at the kink x=0 the derivative is scale * alpha ≈ 1.758"},
        {"SELU", {}, -800.0, -kSeluAlpha * kSeluScale, 0.0, "saturates at -scale * alpha"},

        {"GELU", {}, 1.0, kPhi1, kPhi1 + kPdf1, "exact form: x * Phi(x)"},
        {"GELU", {}, 0.0, 0.0, 0.5, "at x=0: value 0, slope 1/2, in both forms"},
        {"GELU", kTanhForm, 0.0, 0.0, 0.5, "at x=0: value 0, slope 1/2, in both forms"},
        {"GELU", kTanhForm, 1.0, 0.5 * (1.0 + kTanhGelu1), kTanhGeluSlope1,
         "tanh form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))"},
        {"GELU", {}, -800.0, 0.0, 0.0, "far tails: 0 below, identity above"},
        {"GELU", {}, 800.0, 800.0, 1.0, "far tails: 0 below, identity above"},
        {"GELU", kTanhForm, 800.0, 800.0, 1.0, "far tails: 0 below, identity above"},
        {"GELU", {}, -kInf, kNaN, kNaN, "-inf gives NaN (-inf * 0)"},

        {"SiLU", {}, 2.0, 2.0 * kSig2, kSig2 * (1.0 + 2.0 * (1.0 - kSig2)),
         "x * sigmoid(x), slope sigmoid(x) (1 + x (1 - sigmoid(x)))"},
        {"SiLU", {}, 0.0, 0.0, 0.5, "at x=0: value 0, slope 1/2"},
        {"SiLU", {}, -800.0, 0.0, 0.0, "extremes: 0 far left, identity far right, all finite"},
        {"SiLU", {}, 800.0, 800.0, 1.0, "extremes: 0 far left, identity far right, all finite"},

        {"Mish", {}, 1.0, kMishTs1, kMishTs1 + kSig1 * (1.0 - kMishTs1 * kMishTs1), "x * tanh(softplus(x))"},
        {"Mish", {}, 0.0, 0.0, 0.6, "at x=0: value 0, slope 0.6"},
        {"Mish", {}, 800.0, 800.0, 1.0, "stays finite at large |x|: exp overflows, tanh(inf) = 1"},
        {"Mish", {}, 40.0, 40.0, 1.0, "identity on the right"},
        {"Mish", {}, -800.0, 0.0, 0.0, "0 on the left"},

        {"Softplus", {}, 0.0, std::log(2.0), 0.5, "log(1 + e^x) with the defaults beta=1, threshold=20"},
        {"Softplus", {}, 1.0, std::log1p(std::exp(1.0)), std::exp(1.0) / (std::exp(1.0) + 1.0),
         "log(1 + e^x) with the defaults beta=1, threshold=20"},
        {"Softplus", {}, 20.0, std::log1p(kExp20), kExp20 / (kExp20 + 1.0),
         "at beta*x == threshold the log formula is still used"},
        {"Softplus", {}, std::nextafter(20.0, 21.0), std::nextafter(20.0, 21.0), 1.0,
         "above the threshold the output is x itself, slope exactly 1"},
        {"Softplus", {}, 800.0, 800.0, 1.0, "above the threshold the output is x itself, slope exactly 1"},
        {"Softplus", kSoftplus2_5, 2.5, std::log1p(kExp5) / 2.0, kExp5 / (kExp5 + 1.0),
         "beta scales the switch point: beta=2, threshold=5 still uses the log at x = 2.5"},
        {"Softplus", kSoftplus2_5, 3.0, 3.0, 1.0,
         "beta scales the switch point: beta=2, threshold=5 switches above 2.5"},
        {"Softplus", {}, -800.0, 0.0, 0.0, "very negative inputs give 0 with slope 0, not NaN"},
        {"Softplus", {}, -kInf, 0.0, 0.0, "very negative inputs give 0 with slope 0, not NaN"},
        {"Softplus", {{"beta", 0.0}}, 1.0, kInf, 0.5, "beta = 0 is not validated: log(2)/0 = inf, slope 1/2"},
    });
}

// ================================================================== sigmoid-like
TEST_CASE("sigmoid-like activations: value and slope at the points PyTorch's rules decide") {
    check_points({
        {"Sigmoid", {}, 2.0, kSig2, (1.0 - kSig2) * kSig2, "1 / (1 + e^-x), slope from the output: s (1 - s)"},
        {"Sigmoid", {}, 0.0, 0.5, 0.25, "at x=0: value 1/2, the largest slope 1/4"},
        {"Sigmoid", {}, -800.0, 0.0, 0.0, "saturates to 0 and 1 with slope 0"},
        {"Sigmoid", {}, 800.0, 1.0, 0.0, "saturates to 0 and 1 with slope 0"},
        {"Sigmoid", {}, kInf, 1.0, 0.0, "saturates to 0 and 1 with slope 0"},

        {"Tanh", {}, 0.0, 0.0, 1.0, "zero-centred: tanh(0) = 0, slope 1"},
        {"Tanh", {}, 1.0, kTanh1, 1.0 - kTanh1 * kTanh1, "slope 1 - tanh^2"},
        {"Tanh", {}, -1.0, -kTanh1, 1.0 - kTanh1 * kTanh1, "odd function, even slope"},
        {"Tanh", {}, 800.0, 1.0, 0.0, "saturates at ±1 with slope 0"},
        {"Tanh", {}, -kInf, -1.0, 0.0, "saturates at ±1 with slope 0"},

        {"Softsign", {}, 3.0, 0.75, 0.0625, "x / (1 + |x|), slope 1 / (1 + |x|)^2"},
        {"Softsign", {}, -3.0, -0.75, 0.0625, "x / (1 + |x|), slope 1 / (1 + |x|)^2"},
        {"Softsign", {}, 0.0, 0.0, 1.0, "at x=0 the slope is 1 (sgn(0) = 0 drops the |x| path)"},
        {"Softsign", {}, 800.0, 800.0 / 801.0, 1.0 / (801.0 * 801.0), "polynomial tails: still a visible slope at 800"},
        {"Softsign", {}, kInf, kNaN, kNaN, "±inf gives NaN (inf / inf)"},
        {"Softsign", {}, -kInf, kNaN, kNaN, "±inf gives NaN (inf / inf)"},

        {"LogSigmoid", {}, 0.0, -std::log(2.0), 0.5, "log sigmoid(x), slope 1 - sigmoid(x)"},
        {"LogSigmoid", {}, 1.0, -std::log1p(std::exp(-1.0)), 1.0 - 1.0 / (1.0 + std::exp(-1.0)),
         "log sigmoid(x), slope 1 - sigmoid(x)"},
        {"LogSigmoid", {}, -800.0, -800.0, 1.0, "stable at -800: the value is -800 (not -inf) and the slope 1"},
        {"LogSigmoid", {}, -kInf, -kInf, 1.0, "stable at -inf: value -inf, slope 1"},
        {"LogSigmoid", {}, 800.0, 0.0, 0.0, "0 with slope 0 for very positive inputs"},

        {"Hardtanh", {}, 0.5, 0.5, 1.0, "identity strictly inside [-1, 1]"},
        {"Hardtanh", {}, -1.0, -1.0, 0.0, "at x == min_val the derivative is 0"},
        {"Hardtanh", {}, 1.0, 1.0, 0.0, "at x == max_val the derivative is 0"},
        {"Hardtanh", kHardtanh_2_3, 3.0, 3.0, 0.0, "custom range: the derivative is 0 at max_val"},
        {"Hardtanh", kHardtanh_2_3, -2.0, -2.0, 0.0, "custom range: the derivative is 0 at min_val"},
        {"Hardtanh", kHardtanh_2_3, 5.0, 3.0, 0.0, "custom range clips at max_val"},
        {"Hardtanh", kHardtanh_2_3, 2.5, 2.5, 1.0, "custom range: identity inside"},
        {"Hardtanh", {}, kNaN, kNaN, 1.0, "NaN: value NaN, slope 1 from the scalar kernel"},

        {"Hardsigmoid", {}, 1.0, 4.0 / 6.0, kOneSixthF, "x/6 + 1/2 inside (-3, 3), slope PyTorch's float 1.0f/6.0f"},
        {"Hardsigmoid", {}, 0.0, 0.5, 0.1666666716337204, "x/6 + 1/2 inside (-3, 3), slope PyTorch's float 1.0f/6.0f"},
        {"Hardsigmoid", {}, -3.0, 0.0, 0.0, "at x = -3 the derivative is 0"},
        {"Hardsigmoid", {}, 3.0, 1.0, 0.0, "at x = 3 the derivative is 0"},
        {"Hardsigmoid", {}, -800.0, 0.0, 0.0, "saturated outside"},
        {"Hardsigmoid", {}, 800.0, 1.0, 0.0, "saturated outside"},
        {"Hardsigmoid", {}, kNaN, kNaN, 0.0, "NaN: value NaN, slope 0 (x > -3 && x < 3 is false)"},
    });
}

// ================================================================== shrinkage / threshold
TEST_CASE("shrinkage and threshold activations: value and slope at the points PyTorch's rules decide") {
    check_points({
        {"Hardshrink", {}, 0.75, 0.75, 1.0, "passes x outside [-lambd, lambd] with slope 1"},
        {"Hardshrink", {}, -2.0, -2.0, 1.0, "passes x outside [-lambd, lambd] with slope 1"},
        {"Hardshrink", {}, 0.5, 0.0, 0.0, "at x = lambd the output is 0 and the derivative 0"},
        {"Hardshrink", {}, -0.5, 0.0, 0.0, "at x = -lambd the output is 0 and the derivative 0"},
        {"Hardshrink", {}, std::nextafter(0.5, 1.0), std::nextafter(0.5, 1.0), 1.0,
         "just outside lambd the full value jumps in"},
        {"Hardshrink", {{"lambd", -1.0}}, 0.0, 0.0, 1.0, "lambd is not validated: a negative lambd is the identity"},
        {"Hardshrink", {}, kNaN, kNaN, 1.0, "NaN: value NaN, slope 1 from the scalar kernel"},

        {"Softshrink", {}, 0.75, 0.25, 1.0, "shifts by lambd outside the band, slope 1"},
        {"Softshrink", {}, -0.75, -0.25, 1.0, "shifts by lambd outside the band, slope 1"},
        {"Softshrink", {}, 0.5, 0.0, 0.0, "at x = lambd the output is 0 and the derivative 0"},
        {"Softshrink", {}, -0.5, 0.0, 0.0, "at x = -lambd the output is 0 and the derivative 0"},
        {"Softshrink", {}, kNaN, 0.0, 1.0, "NaN falls through both comparisons: value 0, slope 1 (scalar kernel)"},
        {"Softshrink", {{"lambd", 0.0}}, 0.0, 0.0, 0.0, "lambd = 0 is the identity, with slope 0 at 0"},

        {"Tanhshrink", {}, 1.0, 1.0 - kTanh1, kTanh1 * kTanh1, "x - tanh(x), slope tanh(x)^2"},
        {"Tanhshrink", {}, 0.0, 0.0, 0.0, "flat at the origin: value 0, slope 0"},
        {"Tanhshrink", {}, 800.0, 799.0, 1.0, "x - 1 far right, slope 1"},
        {"Tanhshrink", {}, -800.0, -799.0, 1.0, "x + 1 far left, slope 1"},

        {"Threshold", kThreshold, 0.6, 0.6, 1.0, "above the threshold: y = x, slope 1"},
        {"Threshold", kThreshold, 0.5, -2.0, 0.0, "at x == threshold the value is replaced and the derivative is 0"},
        {"Threshold", kThreshold, -800.0, -2.0, 0.0, "below: the replacement value, slope 0"},
        {"Threshold", kThreshold, kNaN, kNaN, 1.0, "NaN is not <= threshold: it passes with slope 1"},
    });
}

// ================================================================== not in torch.nn
TEST_CASE("activations outside torch.nn: value and slope") {
    check_points({
        {"LinearActivation", {}, -3.0, -3.0, 1.0, "y = c x with the constant slope c (default 1)"},
        {"LinearActivation", {{"c", 2.5}}, 2.0, 5.0, 2.5, "y = c x with the constant slope c"},
        {"LinearActivation", {{"c", 2.5}}, -800.0, -2000.0, 2.5, "y = c x with the constant slope c"},

        {"BinaryStep", {}, 0.0, 1.0, 0.0, "1 for x >= 0 (including 0)"},
        {"BinaryStep", {}, -0.0, 1.0, 0.0, "1 for x >= 0 (including -0.0)"},
        {"BinaryStep", {}, 2.0, 1.0, 0.0, "1 for x >= 0"},
        {"BinaryStep", {}, -1e-300, 0.0, 0.0, "0 below 0"},
        {"BinaryStep", {}, kNaN, 0.0, 0.0, "NaN is not >= 0"},
        {"BinaryStep", {}, -800.0, 0.0, 0.0, "the derivative is 0 everywhere: gradient descent gets no signal"},
        {"BinaryStep", {}, -1.0, 0.0, 0.0, "the derivative is 0 everywhere: gradient descent gets no signal"},
        {"BinaryStep", {}, 1.0, 1.0, 0.0, "the derivative is 0 everywhere: gradient descent gets no signal"},
        {"BinaryStep", {}, 800.0, 1.0, 0.0, "the derivative is 0 everywhere: gradient descent gets no signal"},

        {"Sine", {}, 0.1, std::sin(3.0), std::cos(3.0) * 30.0,
         "sin(w0 x) with SIREN's default w0 = 30, slope w0 cos(w0 x)"},
        {"Sine", {}, 0.0, 0.0, 30.0, "sin(w0 x) with SIREN's default w0 = 30, slope w0 cos(w0 x)"},
        {"Sine", {{"w0", 1.0}}, 0.5, std::sin(0.5), std::cos(0.5), "w0 sets the frequency"},
    });
}

// ================================================================== rounding, PyTorch's way
// PyTorch's AVX2 kernels are compiled with FMA enabled, and GCC fuses a*b + c into one rounding.
// Where a derivative cancels (1 - y*y near |y| = 1), that single rounding decides the digits.
// Expected values are PyTorch 1.13.1's own, for these exact inputs.
TEST_CASE("derivatives round like PyTorch's build, where cancellation makes it visible") {
    check_points({
        {"Tanh", {}, -9.704251456098605, -0.9999999925522639, 1.4895472133556099e-08,
         "Tanh: 1 - y*y is one fused multiply-add"},
        {"GELU", kTanhForm, -5.342776739148082, -1.9901220098182816e-08, -1.4963979246068393e-07,
         "GELU tanh form: fused inner polynomial and 1 - tanh^2"},
        {"Mish", {}, -1.1923433235949137, -0.30884341198614257, 2.3463879452498556e-05,
         "Mish: fused 1 - ts^2 and the final multiply-add"},
        {"CELU", {{"alpha", 0.3}}, -190.87033461104042, -0.3, 4.862959960212158e-277,
         "CELU: the float-rounded 1/alpha, amplified by the exponential far out"},
    });
}

// ================================================================== what PyTorch does NOT give
// Values a textbook implementation would produce and PyTorch does not; each row's exact value is
// above, this says which naive answer it rules out.
TEST_CASE("the naive answers PyTorch does not give, and the bounds a picture relies on") {
    enum class Is { Not, Above, Below };
    struct Bound {
        std::string function;
        Params params;
        double x;
        bool of_slope;  // compare dy, else y
        Is is;
        double value;
        std::string why;
    };
    const std::vector<Bound> table{
        {"Softplus", {}, 20.0, false, Is::Not, 20.0, "at beta*x == threshold it is not yet x"},
        {"CELU", {{"alpha", 0.3}}, 0.0, true, Is::Not, 1.0, "1/alpha comes from float(alpha): the slope at 0 is not 1"},
        {"Hardsigmoid", {}, 0.0, true, Is::Not, 1.0 / 6.0, "the slope is the float 1.0f/6.0f, not the double 1/6"},
        {"Sigmoid", {}, 2.0, true, Is::Above, 0.1, "steep between -2 and 2"},
        {"Sigmoid", {}, 6.0, true, Is::Below, 0.0025, "nearly flat outside"},
    };
    for (const Bound& b : table) {
        CAPTURE(b.why);
        CAPTURE(b.function);
        CAPTURE(b.x);
        const double v = b.of_slope ? dy_of(b.function, b.x, b.params) : y_of(b.function, b.x, b.params);
        CAPTURE(v);
        CAPTURE(b.value);
        CHECK((b.is == Is::Not ? v != b.value : b.is == Is::Above ? v > b.value : v < b.value));
    }
}

// ================================================================== one function in terms of another
TEST_CASE("identities between activations") {
    struct Same {
        std::string f;
        Params f_params;
        std::string g;
        Params g_params;
        std::vector<double> xs;
        std::string why;
    };
    const std::vector<Same> same{
        {"CELU", {}, "ELU", {}, {-2.0, -0.5, 0.0, 1.5}, "CELU with alpha = 1 is ELU"},
        {"Threshold", {{"threshold", 0.0}, {"value", 0.0}}, "ReLU", {}, {-1.0, 0.0, 2.0}, "Threshold(0, 0) is ReLU"},
    };
    for (const Same& s : same) {
        CAPTURE(s.why);
        for (double x : s.xs) {
            CAPTURE(x);
            check_close(y_of(s.f, x, s.f_params), y_of(s.g, x, s.g_params));
            check_close(dy_of(s.f, x, s.f_params), dy_of(s.g, x, s.g_params));
        }
    }
    struct Identity {
        std::string why;
        double lhs, rhs;
    };
    const std::vector<Identity> identities{
        {"tanh(x) = 2 sigmoid(2x) - 1, at x = 0.7", y_of("Tanh", 0.7), 2.0 * y_of("Sigmoid", 1.4) - 1.0},
        {"two linear activations compose into one: -0.5 (3 x) = -1.5 x, at x = 1.75",
         y_of("LinearActivation", y_of("LinearActivation", 1.75, {{"c", 3.0}}), {{"c", -0.5}}),
         y_of("LinearActivation", 1.75, {{"c", -1.5}})},
    };
    for (const Identity& i : identities) {
        CAPTURE(i.why);
        check_close(i.lhs, i.rhs);
    }
    // The tanh approximation of GELU stays within 1e-3 of the exact form on [-6, 6].
    for (double x = -6.0; x <= 6.0; x += 0.25) {
        CAPTURE(x);
        CHECK(std::fabs(y_of("GELU", x) - y_of("GELU", x, kTanhForm)) < 1e-3);
    }
}

// ================================================================== errors, in PyTorch's words
TEST_CASE("elementwise activations: parameters PyTorch rejects, with its exact message") {
    struct Rejected {
        std::string function;
        Params params;
        std::string message;
        std::string why;
    };
    const std::vector<Rejected> table{
        {"PReLU", {{"num_parameters", 3}},
         "Mismatch of parameter numbers and input channel size. Found parameter numbers = 3 and channel size = 1.",
         "num_parameters != 1 needs a channel dimension, which a 1-D input lacks"},
        {"PReLU", {{"num_parameters", 0}},
         "Mismatch of parameter numbers and input channel size. Found parameter numbers = 0 and channel size = 1.",
         "num_parameters != 1 needs a channel dimension, which a 1-D input lacks"},
        {"PReLU", {{"num_parameters", -2}}, "Trying to create tensor with negative dimension -2: [-2]",
         "a negative count fails when the weight is created"},
        {"RReLU", {{"lower", 0.5}, {"upper", 0.1}}, "Lower bound should be less than or equal to the upper bound",
         "lower > upper"},
        {"CELU", {{"alpha", 0.0}}, "ZeroDivisionError: alpha cannot be 0 for CELU", "alpha = 0 divides by zero"},
        {"CELU", {{"alpha", 1e39}}, "value cannot be converted to type float without overflow",
         "alpha beyond float's range cannot be differentiated (1/alpha is taken in float)"},
        {"GELU", {{"approximate", "fast"}}, "approximate argument must be either none or tanh.",
         "an unknown approximate"},
        {"Hardtanh", {{"min_val", 1.0}, {"max_val", 1.0}}, "AssertionError: Hardtanh needs max_val > min_val",
         "max_val must exceed min_val (equal is not enough)"},
        {"Hardtanh", {{"min_val", 2.0}, {"max_val", -1.0}}, "AssertionError: Hardtanh needs max_val > min_val",
         "max_val must exceed min_val"},
        {"Softshrink", {{"lambd", -0.5}}, "lambda must be greater or equal to 0, but found to be -0.5.",
         "a negative lambd"},
        {"Threshold", {}, "Threshold.__init__() missing 2 required positional arguments: 'threshold' and 'value'",
         "both arguments are required"},
        {"Threshold", {{"threshold", 0.1}}, "Threshold.__init__() missing 1 required positional argument: 'value'",
         "both arguments are required"},
    };
    for (const Rejected& r : table) {
        const std::string params = labtest::show(r.params);
        CAPTURE(r.why);
        CAPTURE(r.function);
        CAPTURE(params);
        CHECK(labtest::error_of([&] { lab::evaluate_elementwise(r.function, r.params, {1.0}); }) == r.message);
    }
}

// ================================================================== the whole elementwise table
// Loops over the registry use plain blocks, not SUBCASEs (doctest re-runs a test case per subcase).
TEST_CASE("every elementwise activation: groups, notes, extremes, arrays, empty input") {
    const std::vector<std::string> groups{"ReLU family", "Smooth / exponential", "Sigmoid-like",
                                          "Shrinkage / threshold", "Not in torch.nn"};
    std::vector<double> grid;
    for (int i = -40; i <= 40; ++i) grid.push_back(i / 4.0);
    for (const auto& f : lab::elementwise_specs()) {
        CAPTURE(f.name);
        const Params params = f.name == "Threshold" ? Params{{"threshold", 0.1}, {"value", 20.0}} : Params{};
        // sits in one of the lab's groups, with 2 to 5 notes
        CHECK(std::find(groups.begin(), groups.end(), f.group) != groups.end());
        CHECK(f.notes.size() >= 2);
        CHECK(f.notes.size() <= 5);
        CHECK((f.group == "Not in torch.nn") == !f.in_torch_nn);
        // stays finite at ±800 and ±1e-300, as PyTorch does for every one of them
        for (double x : {800.0, -800.0, 1e-300, -1e-300}) {
            CAPTURE(x);
            const lab::ElementwiseResult p = lab::evaluate_elementwise(f.name, params, {x});
            CHECK(std::isfinite(p.y[0]));
            CHECK(std::isfinite(p.dy[0]));
        }
        // a whole array gives what each element gives alone
        const lab::ElementwiseResult r = lab::evaluate_elementwise(f.name, params, grid);
        REQUIRE(r.y.size() == grid.size());
        REQUIRE(r.dy.size() == grid.size());
        for (std::size_t i = 0; i < grid.size(); ++i) {
            CAPTURE(grid[i]);
            const lab::ElementwiseResult p = lab::evaluate_elementwise(f.name, params, {grid[i]});
            check_close(r.y[i], p.y[0]);
            check_close(r.dy[i], p.dy[0]);
        }
        // an empty input gives an empty output
        const lab::ElementwiseResult e = lab::evaluate_elementwise(f.name, params, {});
        CHECK(e.y.empty());
        CHECK(e.dy.empty());
    }
}

// ================================================================== registry facts the rules rely on
TEST_CASE("the registry says what these rules assume") {
    {
        INFO("RReLU is shown in evaluation mode: its slope is the mean, not random");
        const lab::FunctionSpec& rrelu = lab::find_function("RReLU");
        CHECK(std::string_view(rrelu.summary).find("evaluation mode") != std::string::npos);
        CHECK(std::any_of(rrelu.notes.begin(), rrelu.notes.end(), [](const lab::Text& n) {
            return std::string_view(n).find("evaluation mode") != std::string::npos;
        }));
    }
    CHECK_MESSAGE(lab::find_function("SELU").params.empty(), "SELU's constants are fixed: no parameters");
}
