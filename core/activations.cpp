// Design note: the elementwise activations of the ReLU and smooth/exponential groups, with their
// registry entries (the sigmoid-like, shrinkage and non-torch.nn ones are in
// activations_sigmoid_shrink.cpp, and what both files share in activation_kernel.hpp).
//
// Each function is a pair of scalar free functions in lab::act — forward y(x) and the derivative
// dy/dx that autograd reports for y.sum().backward() — written the way ATen's CPU kernels
// (PyTorch 1.13.1, float64) branch and order their arithmetic, so kinks, NaN and infinities come
// out as PyTorch's: e.g. ReLU's backward tests the *output* (y <= 0), Hardtanh's tests
// x <= min || x >= max, ELU's tests x <= 0. Where PyTorch builds a function in Python from
// smaller ops (Softsign, Tanhshrink, Softmin), the derivative repeats autograd's chain of those
// ops rather than the simplified closed form, because the closed form rounds differently.
//
// ATen evaluates most of these with SIMD (SLEEF) for blocks of 8 doubles and with the scalar
// lambda for the rest; the two agree to an ulp or two except at NaN, where some SIMD masks pick
// the other branch. We follow the scalar lambdas (what a short tensor such as torch.tensor([nan])
// gets): with libm and the fused multiply-adds of PyTorch's build (see fma_exact) they come out
// bit for bit. torch.tanh, torch.sin/cos and LogSigmoid's forward always run through SLEEF, so
// Sine and LogSigmoid may differ from PyTorch in the last bit; Tanh, Tanhshrink and GELU's tanh
// use core/tanh_math.hpp, which is within 1 ulp of SLEEF's tanh and identical on 99.99%.
//
// Speed: every ElementwiseFn reads its parameters once, then runs kernel() — a template loop
// over an inlined lambda — so the per-element work is only the arithmetic.
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

// The <cmath> M_* constants are POSIX, not C++; spelled out so every toolchain agrees.
constexpr double kSqrt2 = 1.41421356237309504880;     // M_SQRT2
constexpr double kSqrt1_2 = 0.70710678118654752440;   // M_SQRT1_2
constexpr double k2SqrtPi = 1.12837916709551257390;   // M_2_SQRTPI

namespace act {

using lab::act::hardtanh;  // (activation_kernel.hpp)
using lab::act::hardtanh_backward;

// ---------------------------------------------------------------- ReLU family
inline double identity(double x) { return x; }

// clamp_min(x, 0) is std::max(x, 0): NaN and -0.0 pass through unchanged. The sign test changes
// nothing (x < 0 implies it) but stops clang's WebAssembly backend from emitting f64.max, which
// turns -0.0 into +0.0.
inline double relu(double x) { return (std::signbit(x) && x < 0.0) ? 0.0 : x; }
// threshold_backward(grad, result, 0): the test is on the output, so NaN gets slope 1.
inline double relu_backward(double y) { return y <= 0.0 ? 0.0 : 1.0; }

// ReLU6 is hardtanh(x, 0, 6); spelled through relu() for the same -0.0 reason.
inline double relu6(double x) {
    const double m = relu(x);
    return 6.0 < m ? 6.0 : m;
}

// LeakyReLU, PReLU and RReLU (eval) share this: x == 0 takes the negative slope.
inline double leaky_relu(double x, double slope) { return x > 0.0 ? x : x * slope; }
inline double leaky_relu_backward(double x, double slope) { return x > 0.0 ? 1.0 : slope; }

// Hardswish belongs to the ReLU group of the menu.
inline double hardswish(double x) {
    const double a = x + 3.0;
    const double m = a < 0.0 ? 0.0 : a;
    return x * (6.0 < m ? 6.0 : m) / 6.0;
}
// The middle piece owns both ends: x == -3 gives -0.5 and x == 3 gives 1.5.
inline double hardswish_backward(double x) {
    if (x < -3.0) return 0.0;
    if (x <= 3.0) return (x / 3.0) + 0.5;
    return 1.0;
}

// ---------------------------------------------------------------- exponential family
// ATen's elu kernel serves ELU, CELU and SELU through three coefficients. It uses exp(x) - 1,
// not expm1, and x == 0 takes the exponential side (derivative alpha * scale * input_scale).
struct EluCoef {
    double negcoef;     // alpha * scale
    double poscoef;     // scale
    double negiptcoef;  // input_scale
};
inline EluCoef elu_coef(double alpha, double scale, double input_scale) {
    return EluCoef{alpha * scale, scale, input_scale};
}
inline double elu(double x, const EluCoef& c) {
    return x <= 0.0 ? (std::exp(x * c.negiptcoef) - 1.0) * c.negcoef : x * c.poscoef;
}
inline double elu_backward(double x, const EluCoef& c) {
    return x <= 0.0 ? c.negiptcoef * c.negcoef * std::exp(x * c.negiptcoef) : c.poscoef;
}

// Where the forward and the backward call the same libm function on the same argument, that
// value (`erf_`, `tanh_inner`, `e`, `ts`, `z`, `t` below) is computed once by the caller and
// passed to both: the bits are the same as computing it twice, the work is not.

// GELU, exact: x * Phi(x) with Phi through erf; erf_ = erf(x / sqrt 2).
inline double gelu_erf(double x) { return std::erf(x * kSqrt1_2); }
inline double gelu(double x, double erf_) { return x * 0.5 * (1.0 + erf_); }
inline double gelu_backward(double x, double erf_) {
    constexpr double kBeta = k2SqrtPi * kSqrt1_2 * 0.5;  // 1 / sqrt(2 pi)
    const double cdf = 0.5 * (1.0 + erf_);
    const double pdf = kBeta * std::exp(x * x * -0.5);
    return cdf + x * pdf;
}

// GELU, approximate='tanh'. The fused multiply-adds are GCC's contractions in PyTorch's build
// (its AVX2 kernels are compiled with FMA enabled, and GCC fuses a*b+c by default).
constexpr double kGeluBeta = kSqrt2 * k2SqrtPi * 0.5;  // sqrt(2 / pi)
constexpr double kGeluKappa = 0.044715;
inline double gelu_tanh_inner(double x) {
    const double x_cube = x * x * x;
    return tanh_math::tanh_fast(kGeluBeta * fma_exact(kGeluKappa, x_cube, x));  // SLEEF's, as ATen's vector path
}
inline double gelu_tanh(double x, double tanh_inner) { return 0.5 * x * (1.0 + tanh_inner); }
inline double gelu_tanh_backward(double x, double tanh_inner) {
    const double x_sq = x * x;
    const double left = 0.5 * x;
    const double right = 1.0 + tanh_inner;
    const double left_derivative = 0.5 * right;
    const double tanh_derivative = tanh_math::one_minus_square(tanh_inner);  // fma(-t, t, 1)
    const double inner_derivative = kGeluBeta * fma_exact(3.0 * kGeluKappa, x_sq, 1.0);
    const double right_derivative = left * tanh_derivative * inner_derivative;
    return left_derivative + right_derivative;
}

// e = exp(-x).
inline double silu(double x, double e) { return x / (1.0 + e); }
inline double silu_backward(double x, double e) {
    const double s = 1.0 / (1.0 + e);  // sigmoid(x), from the forward's exp
    return s * fma_exact(x, 1.0 - s, 1.0);
}

// ts = tanh(softplus(x)). Mish's softplus has no threshold: for large x, log1p(exp(x)) overflows
// to inf and tanh(inf) = 1 rescues it.
inline double mish_ts(double x) { return std::tanh(std::log1p(std::exp(x))); }
inline double mish(double x, double ts) { return x * ts; }
inline double mish_backward(double x, double ts) {
    return fma_exact(x * sigmoid(x), fma_exact(-ts, ts, 1.0), ts);
}

// z = exp(beta * x). Linear once beta * x exceeds the threshold (strictly); at equality the log
// formula is used.
inline double softplus(double x, double z, double beta, double threshold) {
    return (x * beta) > threshold ? x : std::log1p(z) / beta;
}
inline double softplus_backward(double x, double z, double beta, double threshold) {
    return (x * beta) > threshold ? 1.0 : z / (z + 1.0);
}

}  // namespace act

// ---------------------------------------------------------------- entry points
void run_identity(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    kernel(x, n, y, dy, [](double v) { return YD{act::identity(v), 1.0}; });
}

void run_relu(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    kernel(x, n, y, dy, [](double v) {
        const double out = act::relu(v);
        return YD{out, act::relu_backward(out)};
    });
}

void run_relu6(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    kernel(x, n, y, dy, [](double v) { return YD{act::relu6(v), act::hardtanh_backward(v, 0.0, 6.0)}; });
}

void run_leaky(double slope, const double* x, std::size_t n, double* y, double* dy) {
    kernel(x, n, y, dy,
           [slope](double v) { return YD{act::leaky_relu(v, slope), act::leaky_relu_backward(v, slope)}; });
}

void run_leaky_relu(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    run_leaky(p.num("negative_slope"), x, n, y, dy);
}

// ATen's prelu: more than one slope needs a channel dimension (dim 1) of that size; a 1-D input
// has none, so PyTorch counts one channel there (the range already refuses a negative count).
// Every slope starts at init, so a fitting count computes what one slope does.
void check_prelu(const Params& p, const Shape& x) {
    const std::int64_t count = p.integer("num_parameters");
    if (count == 1) return;
    if (x.empty()) throw Error("Not allow zero-dim input tensor.");
    const std::int64_t channels = x.size() > 1 ? x[1] : 1;
    if (count != channels)
        throw Error("Mismatch of parameter numbers and input channel size. Found parameter numbers = " +
                    std::to_string(count) + " and channel size = " + std::to_string(channels) + ".");
}

void run_prelu(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    run_leaky(p.num("init"), x, n, y, dy);
}

void check_rrelu(const Params& p) {
    if (!(p.num("lower") <= p.num("upper")))
        throw Error("Lower bound should be less than or equal to the upper bound");
}

void run_rrelu(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    // Evaluation mode: the random slope is replaced by its mean.
    run_leaky((p.num("lower") + p.num("upper")) / 2, x, n, y, dy);
}

void run_elu_coef(const act::EluCoef fwd, const act::EluCoef bwd, const double* x, std::size_t n, double* y,
                  double* dy) {
    kernel(x, n, y, dy, [fwd, bwd](double v) { return YD{act::elu(v, fwd), act::elu_backward(v, bwd)}; });
}

void run_elu(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    const act::EluCoef c = act::elu_coef(p.num("alpha"), 1.0, 1.0);
    run_elu_coef(c, c, x, n, y, dy);
}

// CELU's registered derivative is elu_backward(grad, alpha, 1, 1.0/alpha.toFloat(), ...): the
// input scale of the backward is built from alpha rounded to float (a checked conversion that
// raises beyond float's range), while the forward uses the double 1.0/alpha.
void check_celu(const Params& p) {
    const double alpha = p.num("alpha");
    if (alpha == 0.0) throw Error("ZeroDivisionError: alpha cannot be 0 for CELU");
    if (std::isfinite(alpha) && (alpha < -std::numeric_limits<float>::max() ||
                                 alpha > std::numeric_limits<float>::max()))
        throw Error("value cannot be converted to type float without overflow");
}

void run_celu(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    const double alpha = p.num("alpha");
    const double inv_alpha_float = 1.0 / static_cast<double>(static_cast<float>(alpha));
    run_elu_coef(act::elu_coef(alpha, 1.0, 1.0 / alpha), act::elu_coef(alpha, 1.0, inv_alpha_float), x, n, y, dy);
}

void run_selu(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    constexpr double kAlpha = 1.6732632423543772848170429916717;
    constexpr double kScale = 1.0507009873554804934193349852946;
    const act::EluCoef c = act::elu_coef(kAlpha, kScale, 1.0);
    run_elu_coef(c, c, x, n, y, dy);
}

void run_gelu(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    if (p.choice("approximate") == "tanh")
        kernel(x, n, y, dy, [](double v) {
            const double t = act::gelu_tanh_inner(v);
            return YD{act::gelu_tanh(v, t), act::gelu_tanh_backward(v, t)};
        });
    else
        kernel(x, n, y, dy, [](double v) {
            const double e = act::gelu_erf(v);
            return YD{act::gelu(v, e), act::gelu_backward(v, e)};
        });
}

void run_silu(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    kernel(x, n, y, dy, [](double v) {
        const double e = std::exp(-v);
        return YD{act::silu(v, e), act::silu_backward(v, e)};
    });
}

void run_mish(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    kernel(x, n, y, dy, [](double v) {
        const double ts = act::mish_ts(v);
        return YD{act::mish(v, ts), act::mish_backward(v, ts)};
    });
}

void run_softplus(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    const double beta = p.num("beta"), threshold = p.num("threshold");
    kernel(x, n, y, dy, [beta, threshold](double v) {
        const double z = std::exp(v * beta);
        return YD{act::softplus(v, z, beta, threshold), act::softplus_backward(v, z, beta, threshold)};
    });
}

void run_hardswish(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    kernel(x, n, y, dy, [](double v) { return YD{act::hardswish(v), act::hardswish_backward(v)}; });
}

// ---------------------------------------------------------------- the table
constexpr const char* kRelu = "ReLU family";
constexpr const char* kSmooth = "Smooth / exponential";

constexpr FunctionSpec kTable[] = {
    {
        .name = "Identity",
        .group = kRelu,
        .params = {},
        .formula = R"(y = x)",
        .summary = "Returns its input unchanged; slope 1 everywhere.",
        .notes = {"The do-nothing baseline: useful where a model expects a module but you want no activation, e.g. to "
                  "switch one off in an ablation.",
                  "Between linear layers it adds no expressive power at all: the layers multiply out into a single linear "
                  "map (see LinearActivation)."},
        .elementwise = run_identity,
        .smoothness = [](const Params&) { return Smoothness{{}, kPiecewisePolynomial}; },
    },
    {
        .name = "ReLU",
        .group = kRelu,
        .autograd = Autograd::SelectFlat,
        .params = {},
        .formula = R"(\mathrm{ReLU}(x) = \max(0, x))",
        .summary = "Rectified linear unit: keeps positive inputs, replaces negative ones by zero.",
        .notes = {"Range [0, ∞): unbounded above and not zero-centred. Only the sharp corner at 0 makes it non-linear, "
                  "yet sums of shifted ReLUs can approximate any continuous function.",
                  "Every negative input gives exactly 0 with gradient 0, so a typical layer has many silent units (sparse "
                  "activations), and it costs just one comparison — no exponentials.",
                  "PyTorch takes the derivative at x = 0 to be 0: the backward checks whether the output is positive.",
                  "Dying ReLU: a unit whose pre-activation is negative for every training example never receives a "
                  "gradient again, so its weights freeze; large learning rates or unlucky initialisation make this common.",
                  "The usual first choice for hidden layers when nothing specific is known about the target function."},
        .elementwise = run_relu,
        .smoothness = [](const Params&) { return Smoothness{{0.0}, kPiecewisePolynomial}; },
    },
    {
        .name = "ReLU6",
        .group = kRelu,
        .autograd = Autograd::SelectFlat,
        .params = {},
        .formula = R"(\mathrm{ReLU6}(x) = \min(\max(0, x), 6))",
        .summary = "ReLU capped at 6: output in [0, 6].",
        .notes = {"Bounding the output keeps activations in a fixed range, which suits low-precision (quantised) "
                  "inference; it is the activation of MobileNetV1/V2.",
                  "It is Hardtanh(0, 6). The derivative is 1 strictly between 0 and 6 and 0 elsewhere — PyTorch gives 0 "
                  "at both corners, x = 0 and x = 6.",
                  "Saturated units (x > 6) get no gradient, just like dead units on the negative side."},
        .elementwise = run_relu6,
        .smoothness = [](const Params&) { return Smoothness{{0.0, 6.0}, kPiecewisePolynomial}; },
    },
    {
        .name = "LeakyReLU",
        .group = kRelu,
        .params = {P::real("negative_slope", 0.01, 0.0, 0.5, "slope used for x <= 0")},
        .formula = R"(\mathrm{LeakyReLU}(x) = \begin{cases} x & x > 0 \\ \text{negative\_slope}\cdot x & x \le 0 \end{cases})",
        .summary = "ReLU with a small slope (0.01 by default) instead of zero for negative inputs.",
        .notes = {"The negative side keeps a small gradient, so a unit pushed into negative territory can still recover: "
                  "the remedy for dying ReLUs.",
                  "Range (-∞, ∞) for a positive slope; still cheap and still close to sparse, since negative outputs are "
                  "tiny.",
                  "At x = 0 PyTorch uses the negative-side slope as the derivative.",
                  "PyTorch does not restrict the slope: a negative value makes the function non-monotonic, and slope 1 "
                  "turns it into the identity."},
        .elementwise = run_leaky_relu,
        .smoothness = [](const Params&) { return Smoothness{{0.0}, kPiecewisePolynomial}; },
    },
    {
        .name = "PReLU",
        .group = kRelu,
        .params = {P::integer("num_parameters", 1, 0, 3,
                              "number of learnable slopes: 1, or the channel count (needs a channel dim)")
                       .valid_min(0, false, "Trying to create tensor with negative dimension {value}: [{value}]"),
                   P::real("init", 0.25, 0.0, 1.0, "initial value of the learnable negative slope a")},
        .formula = R"(\mathrm{PReLU}(x) = \begin{cases} x & x > 0 \\ a\,x & x \le 0 \end{cases})",
        .summary = "Leaky ReLU whose negative slope a is learned during training (starts at init = 0.25).",
        .notes = {"Instead of fixing the leak, the network learns it by gradient descent together with the weights.",
                  "num_parameters=1 shares one slope across the layer; num_parameters=C learns one per channel of dim 1. "
                  "A 1-D input has no channel dimension, so PyTorch rejects any count other than 1 there.",
                  "Like every ReLU variant it is positively homogeneous: scaling the input by c > 0 scales the output by "
                  "c, so it has no built-in preferred scale.",
                  "The derivative at x = 0 is a (PyTorch takes the negative side)."},
        .elementwise = run_prelu,
        .check_input = check_prelu,
        .smoothness = [](const Params&) { return Smoothness{{0.0}, kPiecewisePolynomial}; },
    },
    {
        .name = "RReLU",
        .group = kRelu,
        .params = {P::real("lower", 1.0 / 8.0, 0.0, 1.0, "lower bound of the random negative slope"),
                   P::real("upper", 1.0 / 3.0, 0.0, 1.0, "upper bound of the random negative slope")},
        .formula = R"(\mathrm{RReLU}_{\text{eval}}(x) = \begin{cases} x & x > 0 \\)"
                   R"( \dfrac{\text{lower} + \text{upper}}{2}\, x & x \le 0 \end{cases})",
        .summary = "Randomised leaky ReLU, shown in evaluation mode: fixed negative slope (lower + upper) / 2.",
        .notes = {"While training, every negative element gets its own slope drawn uniformly from [lower, upper]; the "
                  "noise acts as a regulariser.",
                  "This lab shows evaluation mode (module.eval()): the slope is the mean (lower + upper) / 2, which is "
                  "11/48 ≈ 0.229 with the defaults, so it is a deterministic LeakyReLU.",
                  "PyTorch requires lower <= upper.",
                  "At x = 0 the derivative is the negative-side slope."},
        .torch = "nn.RReLU({args}).eval()",
        .elementwise = run_rrelu,
        .check = check_rrelu,
        .smoothness = [](const Params&) { return Smoothness{{0.0}, kPiecewisePolynomial}; },
    },
    {
        .name = "Hardswish",
        .group = kRelu,
        .autograd = Autograd::SelectBelowMinus3,
        .params = {},
        .formula = R"(\mathrm{Hardswish}(x) = \begin{cases} 0 & x \le -3 \\ x & x \ge 3 \\)"
                   R"( \dfrac{x\,(x + 3)}{6} & \text{otherwise} \end{cases})",
        .summary = "Piecewise-quadratic stand-in for SiLU/Swish: x · Hardsigmoid(x).",
        .notes = {"Designed for MobileNetV3: close to SiLU in shape but needs no exponential, only additions, clamps and "
                  "a multiplication.",
                  "Non-monotonic: it dips to -0.375 at x = -1.5 before rising; range [-0.375, ∞).",
                  "Continuous but with kinks at ±3. PyTorch's derivative uses the middle formula x/3 + 1/2 on the "
                  "closed interval, so it is -0.5 at x = -3 and 1.5 at x = 3 (the one-sided limits outside are 0 and 1)."},
        .elementwise = run_hardswish,
        .smoothness = [](const Params&) { return Smoothness{{-3.0, 3.0}, kPiecewisePolynomial}; },
    },
    {
        .name = "ELU",
        .group = kSmooth,
        .params = {P::real("alpha", 1.0, 0.0, 3.0, "size of the negative saturation (-alpha)")},
        .formula = R"(\mathrm{ELU}(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases})",
        .summary = "Exponential linear unit: identity for positive inputs, smooth exponential approach to -alpha below 0.",
        .notes = {"Range (-alpha, ∞). Negative outputs pull the mean activation towards zero, which tends to speed up "
                  "learning compared with ReLU.",
                  "With alpha = 1 the slope is 1 on both sides of 0; for other alpha it jumps from alpha to 1. PyTorch "
                  "evaluates the exponential branch at x = 0, so the derivative there is alpha.",
                  "Very negative inputs saturate (gradient alpha·e^x → 0), but the unit is only saturated, never exactly "
                  "dead, and positive inputs always pass gradient 1.",
                  "Costs an exponential per negative element."},
        .elementwise = run_elu,
        .smoothness = [](const Params&) { return Smoothness{{0.0}, 1.0}; },
    },
    {
        .name = "CELU",
        .group = kSmooth,
        .params = {P::real("alpha", 1.0, 0.1, 3.0, "size of the negative saturation; also rescales the exponent")},
        .formula = R"(\mathrm{CELU}(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x/\alpha} - 1) & x \le 0 \end{cases})",
        .summary = "Continuously differentiable ELU: dividing the exponent by alpha keeps the slope 1 at 0 for every alpha.",
        .notes = {"ELU's slope at 0 is alpha from the left and 1 from the right; CELU's exponent x/alpha makes both sides "
                  "1, so the function is C¹ for every alpha (Barron, 2017).",
                  "Range (-alpha, ∞); alpha = 1 gives exactly ELU.",
                  "alpha = 0 is rejected, because PyTorch divides by alpha."},
        .elementwise = run_celu,
        .check = check_celu,
        .smoothness = [](const Params& p) { return Smoothness{{0.0}, std::min(1.0, p.num("alpha"))}; },
    },
    {
        .name = "SELU",
        .group = kSmooth,
        .params = {},
        .formula = R"(\mathrm{SELU}(x) = \lambda \begin{cases} x & x > 0 \\)"
                   R"( \alpha\,(e^{x} - 1) & x \le 0 \end{cases},\quad \alpha \approx 1.6733,\ \lambda \approx 1.0507)",
        .summary = "Scaled ELU with fixed constants that make deep networks self-normalising.",
        .notes = {"alpha ≈ 1.6733 and the scale λ ≈ 1.0507 are not tunable: they are the solution of a fixed-point "
                  "condition that drives each layer's activations towards mean 0 and variance 1.",
                  "This normalisation happens inside the network (no BatchNorm needed) when the weights use LeCun-normal "
                  "initialisation; pair it with AlphaDropout rather than ordinary dropout.",
                  "The flat negative tail (towards -λα ≈ -1.758) is what shrinks the variance, and the slope λ > 1 on the "
                  "positive side is what grows it — the saturation that hurts elsewhere is useful here.",
                  "The gradient is never exactly zero for finite inputs, so SELU units do not die. PyTorch's derivative "
                  "at x = 0 is λα ≈ 1.758."},
        .elementwise = run_selu,
        .smoothness = [](const Params&) { return Smoothness{{0.0}, 1.0}; },
    },
    {
        .name = "GELU",
        .group = kSmooth,
        .params = {[] {
                      P p = P::choice("approximate", "none", {"none", "tanh"},
                                      "'none': exact erf form; 'tanh': tanh approximation");
                      p.s.invalid = "approximate argument must be either none or tanh.";
                      return p;
                  }()},
        .formula = R"(\mathrm{GELU}(x) = \begin{cases})"
                   R"( x\,\Phi(x) = \dfrac{x}{2}\left(1 + \operatorname{erf}\!\left(\dfrac{x}{\sqrt{2}}\right)\right))"
                   R"( & \text{approximate='none'} \\[1ex])"
                   R"( \dfrac{x}{2}\left(1 + \tanh\!\left(\sqrt{2/\pi}\,(x + 0.044715\,x^{3})\right)\right))"
                   R"( & \text{approximate='tanh'} \end{cases})",
        .summary = "Gaussian error linear unit: the input scaled by the probability Phi(x) that a standard normal is below it.",
        .notes = {"Rather than a hard gate at 0, each input is weighted by how likely it is to be 'kept' under Gaussian "
                  "noise — a smooth, probabilistic cousin of ReLU.",
                  "Smooth and slightly non-monotonic: it dips to about -0.17 near x ≈ -0.75, then returns to 0; range "
                  "about [-0.17, ∞).",
                  "The default activation of Transformers (BERT, GPT). approximate='tanh' is the cheaper formula from the "
                  "original paper and stays within about 5e-4 of the exact one.",
                  "The derivative at 0 is 1/2."},
        .elementwise = run_gelu,
        .smoothness = [](const Params&) { return Smoothness{{}, 1.0}; },
    },
    {
        .name = "SiLU",
        .group = kSmooth,
        .params = {},
        .formula = R"(\mathrm{SiLU}(x) = x\,\sigma(x) = \frac{x}{1 + e^{-x}})",
        .summary = "Sigmoid-weighted linear unit (Swish): the input times its own sigmoid.",
        .notes = {"Smooth, unbounded above and bounded below: the minimum is about -0.278 at x ≈ -1.278, so small negative "
                  "inputs pass through slightly before being damped.",
                  "Behaves like ReLU far from 0 but has a smooth, non-zero gradient around it; the derivative at 0 is 1/2.",
                  "Found by automated search (as Swish) and used in EfficientNet and many detection and diffusion "
                  "models."},
        .elementwise = run_silu,
        .smoothness = [](const Params&) { return Smoothness{{}, 1.0}; },
    },
    {
        .name = "Mish",
        .group = kSmooth,
        .params = {},
        .formula = R"(\mathrm{Mish}(x) = x\,\tanh\bigl(\ln(1 + e^{x})\bigr))",
        .summary = "Self-gated smooth activation: x times tanh of softplus(x).",
        .notes = {"Shape close to SiLU: smooth, non-monotonic, minimum about -0.309 near x ≈ -1.19, unbounded above.",
                  "The derivative at 0 is 0.6; for large positive x it tends to 1 and for very negative x to 0.",
                  "PyTorch computes softplus here without Softplus's threshold; for huge x, exp overflows to infinity, "
                  "tanh of that is 1 and the output is still x.",
                  "Popularised by YOLOv4's backbone."},
        .elementwise = run_mish,
        .smoothness = [](const Params&) { return Smoothness{{}, 1.0}; },
    },
    {
        .name = "Softplus",
        .group = kSmooth,
        .params = {P::real("beta", 1.0, 0.25, 5.0, "sharpness: larger beta follows ReLU more closely"),
                   P::real("threshold", 20.0, 1.0, 30.0, "above beta*x > threshold the output is x itself")},
        .formula = R"(\mathrm{Softplus}(x) = \begin{cases} \dfrac{1}{\beta}\ln\left(1 + e^{\beta x}\right))"
                   R"( & \beta x \le \text{threshold})"
                   R"( \\[1ex] x & \beta x > \text{threshold} \end{cases})",
        .summary = "Smooth approximation of ReLU whose output is always positive.",
        .notes = {"Range (0, ∞): useful wherever a layer must produce a strictly positive quantity, such as a standard "
                  "deviation or a rate.",
                  "beta controls how tightly it hugs ReLU; its derivative is σ(beta·x), never exactly zero, so there are "
                  "no dead units.",
                  "For numerical safety PyTorch returns x itself once beta·x exceeds threshold (strictly); at "
                  "beta·x == threshold the log formula is still used.",
                  "Unlike ReLU it is non-linear everywhere, so the response depends on the input's magnitude at every "
                  "scale."},
        .elementwise = run_softplus,
        .smoothness = [](const Params& p) {
            // linear past beta·x > threshold; beta = 0 is a constant
            const double beta = p.num("beta");
            if (beta == 0.0) return Smoothness{{}, 1.0};
            return Smoothness{{p.num("threshold") / beta}, std::min(1.0, 1.0 / std::fabs(beta))};
        },
    },
};
static_assert(std::size(kTable) == 14, "the ReLU and smooth groups");

}  // namespace

std::span<const FunctionSpec> elementwise_specs_relu_smooth() { return kTable; }

}  // namespace lab
