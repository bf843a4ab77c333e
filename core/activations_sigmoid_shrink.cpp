// Design note: the elementwise activations of the sigmoid-like and shrinkage/threshold groups and
// our three that torch.nn lacks, with their registry entries. Written like activations.cpp (see
// its note): scalar pairs in lab::act that branch and round like ATen's CPU kernels, where
// composite functions (Softsign, Tanhshrink) repeat autograd's chain of their ops.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "activation_kernel.hpp"
#include "registry.hpp"
#include "scalar.hpp"
#include "spec_builders.hpp"
#include "tanh_math.hpp"

namespace lab {
namespace {

namespace act {

using lab::act::hardtanh;  // (activation_kernel.hpp)
using lab::act::hardtanh_backward;

// ---------------------------------------------------------------- sigmoid-like
inline double sigmoid_backward(double y) { return (1.0 - y) * y; }  // from the output, as ATen

// torch.tanh is SLEEF's, not libm's; tanh_math.hpp matches it (and costs less than musl's).
inline double tanh_(double x) { return tanh_math::tanh_fast(x); }
inline double tanh_backward(double y) { return tanh_math::one_minus_square(y); }  // 1 - y*y, fused

// F.softsign is input / (input.abs() + 1): autograd adds the quotient rule's two paths,
// grad/o and (-grad * ((x/o)/o)) * sgn(x), where o = |x| + 1.
inline double softsign(double x) { return x / (std::fabs(x) + 1.0); }
inline double softsign_backward(double x) {
    const double o = std::fabs(x) + 1.0;
    return 1.0 / o + (-((x / o) / o)) * sgn(x);
}

// std::min(std::max(x + 3, 0), 6) / 6, as ATen's scalar kernel writes it.
inline double hardsigmoid(double x) {
    const double a = x + 3.0;
    const double m = a < 0.0 ? 0.0 : a;
    return (6.0 < m ? 6.0 : m) / 6.0;
}
// ATen's constant is the float 1.0f / 6.0f, widened: 0.1666666716337204, not 1/6.
constexpr double kOneSixthF = static_cast<double>(1.0f / 6.0f);
inline double hardsigmoid_backward(double x) { return ((x > -3.0) & (x < 3.0)) ? kOneSixthF : 0.0; }

// ---------------------------------------------------------------- shrinkage / threshold
inline double hardshrink(double x, double lambd) { return ((x >= -lambd) & (x <= lambd)) ? 0.0 : x; }
inline double softshrink(double x, double lambd) {
    return x > lambd ? x - lambd : (x < -lambd ? x + lambd : 0.0);
}
// ATen's shrink_backward serves both: zero on the closed interval [-lambd, lambd].
inline double shrink_backward(double x, double lambd) { return ((x >= -lambd) & (x <= lambd)) ? 0.0 : 1.0; }

// F.tanhshrink is input - input.tanh() (t = tanh(x)): autograd adds 1 and tanh_backward(-1, t).
inline double tanhshrink(double x, double t) { return x - t; }
inline double tanhshrink_backward(double t) { return 1.0 + -tanh_backward(t); }

inline double threshold(double x, double th, double value) { return x <= th ? value : x; }
inline double threshold_backward(double x, double th) { return x <= th ? 0.0 : 1.0; }

// ---------------------------------------------------------------- not in torch.nn
inline double linear(double x, double c) { return c * x; }
inline double binary_step(double x) { return x >= 0.0 ? 1.0 : 0.0; }
inline double sine(double x, double w0) { return std::sin(w0 * x); }
// torch.sin(w0 * x): sin's backward gives cos(w0 x), then mul's backward multiplies by w0.
inline double sine_backward(double x, double w0) { return std::cos(w0 * x) * w0; }

}  // namespace act

// ---------------------------------------------------------------- entry points
void run_sigmoid(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    kernel(x, n, y, dy, [](double v) {
        const double out = sigmoid(v);
        return YD{out, act::sigmoid_backward(out)};
    });
}

void run_tanh(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    kernel(x, n, y, dy, [](double v) {
        const double out = act::tanh_(v);
        return YD{out, act::tanh_backward(out)};
    });
}

void run_softsign(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    kernel(x, n, y, dy, [](double v) { return YD{act::softsign(v), act::softsign_backward(v)}; });
}

void run_log_sigmoid(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    kernel(x, n, y, dy, [](double v) {
        const double z = log_sigmoid_buffer(v);  // (log_sigmoid and its backward live in scalar.hpp)
        return YD{log_sigmoid(v, z), log_sigmoid_backward(v, z)};
    });
}

// nn.Hardtanh asserts max_val > min_val (a bare AssertionError, no message of its own).
void check_hardtanh(const Params& p) {
    if (!(p.num("max_val") > p.num("min_val"))) throw Error("AssertionError: Hardtanh needs max_val > min_val");
}

void run_hardtanh(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    const double lo = p.num("min_val"), hi = p.num("max_val");
    kernel(x, n, y, dy, [lo, hi](double v) { return YD{act::hardtanh(v, lo, hi), act::hardtanh_backward(v, lo, hi)}; });
}

void run_hardsigmoid(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    kernel(x, n, y, dy, [](double v) { return YD{act::hardsigmoid(v), act::hardsigmoid_backward(v)}; });
}

void run_hardshrink(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    const double lambd = p.num("lambd");
    kernel(x, n, y, dy,
           [lambd](double v) { return YD{act::hardshrink(v, lambd), act::shrink_backward(v, lambd)}; });
}

// (The range refuses lambd < 0 and NaN, as PyTorch does.)
void run_softshrink(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    const double lambd = p.num("lambd");
    kernel(x, n, y, dy,
           [lambd](double v) { return YD{act::softshrink(v, lambd), act::shrink_backward(v, lambd)}; });
}

void run_tanhshrink(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    kernel(x, n, y, dy, [](double v) {
        const double t = act::tanh_(v);
        return YD{act::tanhshrink(v, t), act::tanhshrink_backward(t)};
    });
}

void run_threshold(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    const double th = p.num("threshold"), value = p.num("value");
    kernel(x, n, y, dy,
           [th, value](double v) { return YD{act::threshold(v, th, value), act::threshold_backward(v, th)}; });
}

void run_linear(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    const double c = p.num("c");
    kernel(x, n, y, dy, [c](double v) { return YD{act::linear(v, c), c}; });
}

void run_binary_step(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    kernel(x, n, y, dy, [](double v) { return YD{act::binary_step(v), 0.0}; });
}

void run_sine(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    const double w0 = p.num("w0");
    kernel(x, n, y, dy, [w0](double v) { return YD{act::sine(v, w0), act::sine_backward(v, w0)}; });
}

// ---------------------------------------------------------------- the table
constexpr const char* kSigmoid = "Sigmoid-like";
constexpr const char* kShrink = "Shrinkage / threshold";
constexpr const char* kExtra = "Not in torch.nn";

constexpr FunctionSpec kTable[] = {
    {
        .name = "Sigmoid",
        .group = kSigmoid,
        .params = {},
        .formula = R"(\sigma(x) = \frac{1}{1 + e^{-x}})",
        .summary = "Logistic function: squashes any input into (0, 1).",
        .notes = {"Range (0, 1), so an output reads as a probability: the classic final layer for binary or multi-label "
                  "classification (during training prefer BCEWithLogitsLoss on the raw scores).",
                  "Steep only for roughly -2 < x < 2; outside that band the curve is nearly flat. Its derivative is at "
                  "most 0.25 (at 0) and decays exponentially, so gradients vanish through stacks of sigmoid layers.",
                  "Not zero-centred: every output is positive, which makes the gradients of the next layer's weights share "
                  "one sign and slows learning.",
                  "PyTorch computes the derivative from the output, as σ(x)(1 - σ(x))."},
        .elementwise = run_sigmoid,
        .smoothness = [](const Params&) { return Smoothness{{}, 1.0}; },
    },
    {
        .name = "Tanh",
        .group = kSigmoid,
        .params = {},
        .formula = R"(\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}})",
        .summary = "Hyperbolic tangent: an S-curve through the origin with range (-1, 1).",
        .notes = {"Zero-centred, which balances the signs of the next layer's inputs; it equals 2σ(2x) - 1, a rescaled "
                  "sigmoid.",
                  "Its slope at 0 is 1, four times the sigmoid's, so gradients are stronger near the origin.",
                  "It still saturates for |x| beyond about 3 (derivative 1 - tanh² → 0), so deep stacks suffer vanishing "
                  "gradients; inputs should be normalised. Common inside RNN and LSTM cells."},
        .elementwise = run_tanh,
        .smoothness = [](const Params&) { return Smoothness{{}, 1.0}; },
    },
    {
        .name = "Softsign",
        .group = kSigmoid,
        .autograd = Autograd::Softsign,
        .params = {},
        .formula = R"(\mathrm{Softsign}(x) = \frac{x}{1 + |x|})",
        .summary = "Rational S-curve with range (-1, 1), like tanh without exponentials.",
        .notes = {"Zero-centred and bounded like tanh, but it approaches ±1 only polynomially (like 1/|x|), not "
                  "exponentially.",
                  "Its derivative 1/(1 + |x|)² decays slowly, so it saturates more gently than tanh.",
                  "PyTorch builds it from abs, add and divide; ±∞ inputs give NaN (∞/∞)."},
        .elementwise = run_softsign,
        .smoothness = [](const Params&) { return Smoothness{{0.0}, 1.0}; },
    },
    {
        .name = "LogSigmoid",
        .group = kSigmoid,
        .params = {},
        .formula = R"(\mathrm{LogSigmoid}(x) = \ln \sigma(x) = -\ln\left(1 + e^{-x}\right))",
        .summary = "Logarithm of the sigmoid: a log-probability in (-∞, 0).",
        .notes = {"Mainly a building block for losses (the log-likelihood of a binary outcome) rather than a hidden-layer "
                  "activation.",
                  "PyTorch computes it stably as min(x, 0) - log1p(e^{-|x|}), so x = -800 gives -800 instead of -∞.",
                  "Its derivative is σ(-x) = 1 - σ(x): close to 1 for very negative inputs and close to 0 for very "
                  "positive ones."},
        .elementwise = run_log_sigmoid,
        .smoothness = [](const Params&) { return Smoothness{{}, 1.0}; },
    },
    {
        .name = "Hardtanh",
        .group = kSigmoid,
        .autograd = Autograd::SelectFlat,
        .params = {P::real("min_val", -1.0, -3.0, 0.0, "lower clipping value"),
                   P::real("max_val", 1.0, 0.0, 3.0, "upper clipping value (must exceed min_val)")},
        .formula = R"(\mathrm{Hardtanh}(x) = \begin{cases} \text{max\_val} & x > \text{max\_val} \\)"
                   R"( \text{min\_val} & x < \text{min\_val} \\ x & \text{otherwise} \end{cases})",
        .summary = "Piecewise-linear tanh: the identity between min_val and max_val, clipped outside.",
        .notes = {"Range [min_val, max_val]; costs two comparisons, no exponentials.",
                  "The derivative is 1 strictly inside and 0 outside; PyTorch also gives 0 exactly at x = min_val and "
                  "x = max_val.",
                  "Clipped units get no gradient, on both ends. ReLU6 is Hardtanh(0, 6).",
                  "nn.Hardtanh requires max_val > min_val."},
        .elementwise = run_hardtanh,
        .check = check_hardtanh,
        .smoothness = [](const Params& p) { return Smoothness{{p.num("min_val"), p.num("max_val")}, kPiecewisePolynomial}; },
    },
    {
        .name = "Hardsigmoid",
        .group = kSigmoid,
        .autograd = Autograd::SelectFlat,
        .params = {},
        .formula = R"(\mathrm{Hardsigmoid}(x) = \begin{cases} 0 & x \le -3 \\ 1 & x \ge 3 \\)"
                   R"( \dfrac{x}{6} + \dfrac{1}{2} & \text{otherwise} \end{cases})",
        .summary = "Piecewise-linear sigmoid: x/6 + 1/2 clipped to [0, 1].",
        .notes = {"A cheap approximation of the sigmoid used for gating in MobileNetV3's squeeze-and-excitation blocks; "
                  "range [0, 1].",
                  "Derivative 1/6 on the open interval (-3, 3) and 0 elsewhere, including x = ±3.",
                  "PyTorch's CPU backward uses the single-precision constant 1.0f/6.0f, so even in float64 the slope is "
                  "0.1666666716337204 rather than 1/6; the lab reproduces that."},
        .elementwise = run_hardsigmoid,
        .smoothness = [](const Params&) { return Smoothness{{-3.0, 3.0}, kPiecewisePolynomial}; },
    },
    {
        .name = "Hardshrink",
        .group = kShrink,
        .autograd = Autograd::SelectFlat,
        .params = {P::real("lambd", 0.5, 0.0, 2.0, "half-width of the zeroed band")},
        .formula = R"(\mathrm{Hardshrink}(x) = \begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases})",
        .summary = "Hard thresholding: zeroes inputs within lambd of zero, passes the rest unchanged.",
        .notes = {"Discontinuous: the output jumps from 0 to ±lambd at x = ±lambd.",
                  "Used where small coefficients should be treated as noise and removed, e.g. sparse coding and wavelet "
                  "denoising.",
                  "Derivative 0 on the closed band [-lambd, lambd] (PyTorch includes the edges) and 1 outside.",
                  "PyTorch does not validate lambd: a negative value gives the identity."},
        .elementwise = run_hardshrink,
        .smoothness = [](const Params& p) { return Smoothness{{-p.num("lambd"), p.num("lambd")}, kPiecewisePolynomial}; },
    },
    {
        .name = "Softshrink",
        .group = kShrink,
        .autograd = Autograd::SelectFlat,
        .params = {P::real("lambd", 0.5, 0.0, 2.0, "amount every input is shrunk towards zero")
                       .valid_min(0, false, "lambda must be greater or equal to 0, but found to be {value}.")},
        .formula = R"(\mathrm{Softshrink}(x) = \begin{cases} x - \lambda & x > \lambda \\ x + \lambda & x < -\lambda \\)"
                   R"( 0 & \text{otherwise} \end{cases})",
        .summary = "Soft thresholding: moves every input lambd closer to zero and zeroes those within lambd.",
        .notes = {"Continuous, unlike Hardshrink: large inputs are shifted by lambd rather than kept.",
                  "It is the proximal operator of the L1 norm, the step of iterative shrinkage algorithms (ISTA) for "
                  "sparse regression, which is why unrolled sparse-coding networks use it.",
                  "Derivative 0 on the closed band [-lambd, lambd] and 1 outside.",
                  "lambd must be at least 0."},
        .elementwise = run_softshrink,
        .smoothness = [](const Params& p) { return Smoothness{{-p.num("lambd"), p.num("lambd")}, kPiecewisePolynomial}; },
    },
    {
        .name = "Tanhshrink",
        .group = kShrink,
        .autograd = Autograd::Tanhshrink,
        .params = {},
        .formula = R"(\mathrm{Tanhshrink}(x) = x - \tanh(x))",
        .summary = "The input minus its tanh: flat near zero, close to x ∓ 1 far from it.",
        .notes = {"Near the origin it behaves like x³/3, so small inputs are strongly suppressed; for large |x| it "
                  "approaches x - 1 or x + 1.",
                  "Its derivative tanh²(x) is 0 at the origin and approaches 1 away from it; unbounded in both "
                  "directions.",
                  "Rare as a hidden activation; it appears in sparse-coding style models."},
        .elementwise = run_tanhshrink,
        .smoothness = [](const Params&) { return Smoothness{{}, 1.0}; },
    },
    {
        .name = "Threshold",
        .group = kShrink,
        .autograd = Autograd::SelectFlat,
        .params = {P::real("threshold", 0.0, -2.0, 2.0, "inputs at or below this are replaced").required(),
                   P::real("value", 0.0, -2.0, 2.0, "the replacement value").required()},
        .formula = R"(\mathrm{Threshold}(x) = \begin{cases} x & x > \text{threshold} \\)"
                   R"( \text{value} & x \le \text{threshold} \end{cases})",
        .summary = "Replaces every input at or below threshold by a fixed value.",
        .notes = {"Both arguments are required: nn.Threshold has no defaults.",
                  "The derivative is 1 above the threshold and 0 at or below it — including exactly at x == threshold.",
                  "ReLU is Threshold(0, 0); when value differs from threshold the output jumps there."},
        .elementwise = run_threshold,
        .smoothness = [](const Params& p) { return Smoothness{{p.num("threshold")}, kPiecewisePolynomial}; },
    },
    {
        .name = "LinearActivation",
        .group = kExtra,
        .in_torch_nn = false,
        .params = {P::real("c", 1.0, -2.0, 2.0, "slope")},
        .formula = R"(y = c\,x)",
        .summary = "Linear activation y = c·x (not a torch.nn module): constant gradient c.",
        .notes = {"The gradient is the constant c whatever the input, so the update does not depend on the input at all.",
                  "Stacking layers with linear activations gains nothing: the composition of linear maps is one linear "
                  "map, so N such layers can be replaced by a single layer.",
                  "Sensible only at the output of a regression model, where PyTorch simply omits the activation "
                  "(or uses nn.Identity)."},
        .torch = "{c} * x",
        .elementwise = run_linear,
        .smoothness = [](const Params&) { return Smoothness{{}, kPiecewisePolynomial}; },
    },
    {
        .name = "BinaryStep",
        .group = kExtra,
        .in_torch_nn = false,
        .autograd = Autograd::NoGradFn,
        .params = {},
        .formula = R"(\mathrm{step}(x) = \begin{cases} 1 & x \ge 0 \\ 0 & x < 0 \end{cases})",
        .summary = "Binary step (not a torch.nn module): the neuron fires (1) or not (0); its gradient is 0.",
        .notes = {"The threshold unit of the original perceptron: an all-or-nothing answer with no notion of 'how much'.",
                  "Its derivative is 0 everywhere except at 0, where it does not exist, so backpropagation passes no "
                  "signal: a network of step units cannot be trained by gradient descent. The lab shows the derivative as "
                  "0 everywhere.",
                  "In PyTorch, (x >= 0).double() is not differentiable at all: the comparison cuts the autograd graph."},
        .torch = "(x >= 0).double()",
        .elementwise = run_binary_step,
        .smoothness = [](const Params&) { return Smoothness{{0.0}, kPiecewisePolynomial}; },
    },
    {
        .name = "Sine",
        .group = kExtra,
        .in_torch_nn = false,
        .autograd = Autograd::Sine,
        .params = {P::real("w0", 30.0, 1.0, 60.0, "frequency factor omega_0 (SIREN uses 30)")},
        .formula = R"(y = \sin(\omega_0\,x))",
        .summary = "Periodic activation sin(w0·x) of SIREN networks (not a torch.nn module); w0 = 30 by default.",
        .notes = {"SIREN (sinusoidal representation networks) use it to fit implicit neural representations: a network "
                  "that maps coordinates to a signal value such as a pixel colour, a sound sample or a signed distance.",
                  "Derivatives of a sine network are again sine networks, so the fitted signal's gradients and Laplacian "
                  "are represented well — useful for solving PDEs such as the Poisson, Helmholtz or wave equations.",
                  "w0 scales the frequency of the first layer; training only works with SIREN's matching uniform weight "
                  "initialisation. Output range [-1, 1], derivative w0·cos(w0·x)."},
        .torch = "torch.sin({w0} * x)",
        .elementwise = run_sine,
        .smoothness = [](const Params& p) {
            const double w0 = std::fabs(p.num("w0"));
            return Smoothness{{}, w0 > 0 ? std::min(1.0, 1.0 / w0) : kPiecewisePolynomial, true};
        },
    },
};
static_assert(std::size(kTable) == 13, "the sigmoid-like, shrinkage and extra groups");

}  // namespace

std::span<const FunctionSpec> elementwise_specs_sigmoid_shrink() { return kTable; }

}  // namespace lab
