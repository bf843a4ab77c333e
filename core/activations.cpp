// Design note: every elementwise activation of the lab, with its registry entry.
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
// Tanh, Tanhshrink, Sine and LogSigmoid may differ from PyTorch in the last bit.
//
// Speed: every ElementwiseFn reads its parameters once, then runs kernel() — a template loop
// over an inlined lambda — so the per-element work is only the arithmetic.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "registry.hpp"
#include "scalar.hpp"
#include "spec_builders.hpp"

namespace lab {
namespace {

// The <cmath> M_* constants are POSIX, not C++; spelled out so every toolchain agrees.
constexpr double kSqrt2 = 1.41421356237309504880;     // M_SQRT2
constexpr double kSqrt1_2 = 0.70710678118654752440;   // M_SQRT1_2
constexpr double k2SqrtPi = 1.12837916709551257390;   // M_2_SQRTPI

namespace act {

// ---------------------------------------------------------------- ReLU family
inline double identity(double x) { return x; }

// clamp_min(x, 0) is std::max(x, 0): NaN and -0.0 pass through unchanged. The sign test changes
// nothing (x < 0 implies it) but stops clang's WebAssembly backend from emitting f64.max, which
// turns -0.0 into +0.0.
inline double relu(double x) { return (std::signbit(x) && x < 0.0) ? 0.0 : x; }
// threshold_backward(grad, result, 0): the test is on the output, so NaN gets slope 1.
inline double relu_backward(double y) { return y <= 0.0 ? 0.0 : 1.0; }

// clamp(x, lo, hi) = min(max(x, lo), hi); NaN compares false everywhere and passes through.
inline double hardtanh(double x, double lo, double hi) {
    const double m = x < lo ? lo : x;
    return hi < m ? hi : m;
}
// Both corners belong to the flat part: derivative 0 at x == lo and x == hi. (Here and below,
// `|` and `&` on comparisons mean the same as `||` and `&&`, without a branch.)
inline double hardtanh_backward(double x, double lo, double hi) { return ((x <= lo) | (x >= hi)) ? 0.0 : 1.0; }

// ReLU6 is hardtanh(x, 0, 6); spelled through relu() for the same -0.0 reason.
inline double relu6(double x) {
    const double m = relu(x);
    return 6.0 < m ? 6.0 : m;
}

// LeakyReLU, PReLU and RReLU (eval) share this: x == 0 takes the negative slope.
inline double leaky_relu(double x, double slope) { return x > 0.0 ? x : x * slope; }
inline double leaky_relu_backward(double x, double slope) { return x > 0.0 ? 1.0 : slope; }

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
    return std::tanh(kGeluBeta * fma_exact(kGeluKappa, x_cube, x));
}
inline double gelu_tanh(double x, double tanh_inner) { return 0.5 * x * (1.0 + tanh_inner); }
inline double gelu_tanh_backward(double x, double tanh_inner) {
    const double x_sq = x * x;
    const double left = 0.5 * x;
    const double right = 1.0 + tanh_inner;
    const double left_derivative = 0.5 * right;
    const double tanh_derivative = fma_exact(-tanh_inner, tanh_inner, 1.0);
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

// ---------------------------------------------------------------- sigmoid-like
inline double sigmoid_backward(double y) { return (1.0 - y) * y; }  // from the output, as ATen

inline double tanh_(double x) { return std::tanh(x); }
inline double tanh_backward(double y) { return fma_exact(-y, y, 1.0); }  // 1 - y*y, fused

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

// ---------------------------------------------------------------- the loop
struct YD {
    double y, dy;
};

// One tight loop per function; `step` is a lambda holding the already-read parameters.
template <class Step>
inline void kernel(const double* x, std::size_t n, double* y, double* dy, Step step) {
    for (std::size_t i = 0; i < n; ++i) {
        const YD r = step(x[i]);
        y[i] = r.y;
        dy[i] = r.dy;
    }
}

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

void run_prelu(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    const std::int64_t count = p.integer("num_parameters");
    if (count < 0)
        throw Error("Trying to create tensor with negative dimension " + std::to_string(count) + ": [" +
                    std::to_string(count) + "]");
    // A 1-D input has no channel dimension, so PyTorch counts one channel.
    if (count != 1)
        throw Error("Mismatch of parameter numbers and input channel size. Found parameter numbers = " +
                    std::to_string(count) + " and channel size = 1.");
    run_leaky(p.num("init"), x, n, y, dy);
}

void run_rrelu(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    const double lower = p.num("lower"), upper = p.num("upper");
    if (!(lower <= upper)) throw Error("Lower bound should be less than or equal to the upper bound");
    // Evaluation mode: the random slope is replaced by its mean.
    run_leaky((lower + upper) / 2, x, n, y, dy);
}

void run_elu_coef(const act::EluCoef fwd, const act::EluCoef bwd, const double* x, std::size_t n, double* y,
                  double* dy) {
    kernel(x, n, y, dy, [fwd, bwd](double v) { return YD{act::elu(v, fwd), act::elu_backward(v, bwd)}; });
}

void run_elu(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    const act::EluCoef c = act::elu_coef(p.num("alpha"), 1.0, 1.0);
    run_elu_coef(c, c, x, n, y, dy);
}

void run_celu(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    const double alpha = p.num("alpha");
    if (alpha == 0.0) throw Error("ZeroDivisionError: alpha cannot be 0 for CELU");
    // CELU's registered derivative is elu_backward(grad, alpha, 1, 1.0/alpha.toFloat(), ...): the
    // input scale of the backward is built from alpha rounded to float (a checked conversion that
    // raises beyond float's range), while the forward uses the double 1.0/alpha.
    if (std::isfinite(alpha) && (alpha < -std::numeric_limits<float>::max() ||
                                 alpha > std::numeric_limits<float>::max()))
        throw Error("value cannot be converted to type float without overflow");
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

void run_softsign(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    kernel(x, n, y, dy, [](double v) { return YD{act::softsign(v), act::softsign_backward(v)}; });
}

void run_log_sigmoid(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    kernel(x, n, y, dy, [](double v) {
        const double z = log_sigmoid_buffer(v);  // (log_sigmoid and its backward live in scalar.hpp)
        return YD{log_sigmoid(v, z), log_sigmoid_backward(v, z)};
    });
}

void run_hardtanh(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    const double lo = p.num("min_val"), hi = p.num("max_val");
    // nn.Hardtanh asserts max_val > min_val (a bare AssertionError, no message of its own).
    if (!(hi > lo)) throw Error("AssertionError: Hardtanh needs max_val > min_val");
    kernel(x, n, y, dy, [lo, hi](double v) { return YD{act::hardtanh(v, lo, hi), act::hardtanh_backward(v, lo, hi)}; });
}

void run_hardsigmoid(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    kernel(x, n, y, dy, [](double v) { return YD{act::hardsigmoid(v), act::hardsigmoid_backward(v)}; });
}

void run_hardswish(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    kernel(x, n, y, dy, [](double v) { return YD{act::hardswish(v), act::hardswish_backward(v)}; });
}

void run_hardshrink(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    const double lambd = p.num("lambd");
    kernel(x, n, y, dy,
           [lambd](double v) { return YD{act::hardshrink(v, lambd), act::shrink_backward(v, lambd)}; });
}

std::string softshrink_message(double lambd) {
    return "lambda must be greater or equal to 0, but found to be " + py_float(lambd) + ".";
}

void run_softshrink(const Params& p, const double* x, std::size_t n, double* y, double* dy) {
    const double lambd = p.num("lambd");
    if (!(lambd >= 0.0)) throw Error(softshrink_message(lambd));  // also catches NaN, as PyTorch does
    kernel(x, n, y, dy,
           [lambd](double v) { return YD{act::softshrink(v, lambd), act::shrink_backward(v, lambd)}; });
}

void run_tanhshrink(const Params&, const double* x, std::size_t n, double* y, double* dy) {
    kernel(x, n, y, dy, [](double v) {
        const double t = std::tanh(v);
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
constexpr const char* kRelu = "ReLU family";
constexpr const char* kSmooth = "Smooth / exponential";
constexpr const char* kSigmoid = "Sigmoid-like";
constexpr const char* kShrink = "Shrinkage / threshold";
constexpr const char* kExtra = "Not in torch.nn";

constexpr FunctionSpec make(Text name, Text group, decltype(FunctionSpec::params) params, Text formula,
                            Text summary, decltype(FunctionSpec::notes) notes, ElementwiseFn fn, Text torch = {},
                            bool in_torch_nn = true) {
    FunctionSpec f;
    f.name = std::move(name);
    f.kind = Kind::Elementwise;
    f.group = std::move(group);
    f.in_torch_nn = in_torch_nn;
    f.params = std::move(params);
    f.formula = std::move(formula);
    f.summary = std::move(summary);
    f.notes = std::move(notes);
    f.torch = std::move(torch);
    f.elementwise = fn;
    return f;
}

constexpr FamilyTable build_table() {
    FamilyTable t;

    // ---------------------------------------------------------------- ReLU family
    t.push_back(make(
        "Identity", kRelu, {}, R"(y = x)",
        "Returns its input unchanged; slope 1 everywhere.",
        {"The do-nothing baseline: useful where a model expects a module but you want no activation, e.g. to "
         "switch one off in an ablation.",
         "Between linear layers it adds no expressive power at all: the layers multiply out into a single linear "
         "map (see LinearActivation)."},
        run_identity));

    t.push_back(make(
        "ReLU", kRelu, {}, R"(\mathrm{ReLU}(x) = \max(0, x))",
        "Rectified linear unit: keeps positive inputs, replaces negative ones by zero.",
        {"Range [0, ∞): unbounded above and not zero-centred. Only the sharp corner at 0 makes it non-linear, "
         "yet sums of shifted ReLUs can approximate any continuous function.",
         "Every negative input gives exactly 0 with gradient 0, so a typical layer has many silent units (sparse "
         "activations), and it costs just one comparison — no exponentials.",
         "PyTorch takes the derivative at x = 0 to be 0: the backward checks whether the output is positive.",
         "Dying ReLU: a unit whose pre-activation is negative for every training example never receives a "
         "gradient again, so its weights freeze; large learning rates or unlucky initialisation make this common.",
         "The usual first choice for hidden layers when nothing specific is known about the target function."},
        run_relu));

    t.push_back(make(
        "ReLU6", kRelu, {}, R"(\mathrm{ReLU6}(x) = \min(\max(0, x), 6))",
        "ReLU capped at 6: output in [0, 6].",
        {"Bounding the output keeps activations in a fixed range, which suits low-precision (quantised) "
         "inference; it is the activation of MobileNetV1/V2.",
         "It is Hardtanh(0, 6). The derivative is 1 strictly between 0 and 6 and 0 elsewhere — PyTorch gives 0 "
         "at both corners, x = 0 and x = 6.",
         "Saturated units (x > 6) get no gradient, just like dead units on the negative side."},
        run_relu6));

    t.push_back(make(
        "LeakyReLU", kRelu,
        {P::real("negative_slope", 0.01, 0.0, 0.5, "slope used for x <= 0")},
        R"(\mathrm{LeakyReLU}(x) = \begin{cases} x & x > 0 \\ \text{negative\_slope}\cdot x & x \le 0 \end{cases})",
        "ReLU with a small slope (0.01 by default) instead of zero for negative inputs.",
        {"The negative side keeps a small gradient, so a unit pushed into negative territory can still recover: "
         "the remedy for dying ReLUs.",
         "Range (-∞, ∞) for a positive slope; still cheap and still close to sparse, since negative outputs are "
         "tiny.",
         "At x = 0 PyTorch uses the negative-side slope as the derivative.",
         "PyTorch does not restrict the slope: a negative value makes the function non-monotonic, and slope 1 "
         "turns it into the identity."},
        run_leaky_relu));

    t.push_back(make(
        "PReLU", kRelu,
        {P::integer("num_parameters", 1, 0, 3,
                    "number of learnable slopes: 1, or the channel count (needs a channel dim)")
             .valid_min(0, false, "Trying to create tensor with negative dimension {value}: [{value}]"),
         P::real("init", 0.25, 0.0, 1.0, "initial value of the learnable negative slope a")},
        R"(\mathrm{PReLU}(x) = \begin{cases} x & x > 0 \\ a\,x & x \le 0 \end{cases})",
        "Leaky ReLU whose negative slope a is learned during training (starts at init = 0.25).",
        {"Instead of fixing the leak, the network learns it by gradient descent together with the weights.",
         "num_parameters=1 shares one slope across the layer; num_parameters=C learns one per channel of dim 1. "
         "A 1-D input has no channel dimension, so PyTorch rejects any count other than 1 there.",
         "Like every ReLU variant it is positively homogeneous: scaling the input by c > 0 scales the output by "
         "c, so it has no built-in preferred scale.",
         "The derivative at x = 0 is a (PyTorch takes the negative side)."},
        run_prelu));

    t.push_back(make(
        "RReLU", kRelu,
        {P::real("lower", 1.0 / 8.0, 0.0, 1.0, "lower bound of the random negative slope"),
         P::real("upper", 1.0 / 3.0, 0.0, 1.0, "upper bound of the random negative slope")},
        R"(\mathrm{RReLU}_{\text{eval}}(x) = \begin{cases} x & x > 0 \\)"
        R"( \dfrac{\text{lower} + \text{upper}}{2}\, x & x \le 0 \end{cases})",
        "Randomised leaky ReLU, shown in evaluation mode: fixed negative slope (lower + upper) / 2.",
        {"While training, every negative element gets its own slope drawn uniformly from [lower, upper]; the "
         "noise acts as a regulariser.",
         "This lab shows evaluation mode (module.eval()): the slope is the mean (lower + upper) / 2, which is "
         "11/48 ≈ 0.229 with the defaults, so it is a deterministic LeakyReLU.",
         "PyTorch requires lower <= upper.",
         "At x = 0 the derivative is the negative-side slope."},
        run_rrelu, "nn.RReLU({args}).eval()"));

    t.push_back(make(
        "Hardswish", kRelu, {},
        R"(\mathrm{Hardswish}(x) = \begin{cases} 0 & x \le -3 \\ x & x \ge 3 \\)"
        R"( \dfrac{x\,(x + 3)}{6} & \text{otherwise} \end{cases})",
        "Piecewise-quadratic stand-in for SiLU/Swish: x · Hardsigmoid(x).",
        {"Designed for MobileNetV3: close to SiLU in shape but needs no exponential, only additions, clamps and "
         "a multiplication.",
         "Non-monotonic: it dips to -0.375 at x = -1.5 before rising; range [-0.375, ∞).",
         "Continuous but with kinks at ±3. PyTorch's derivative uses the middle formula x/3 + 1/2 on the "
         "closed interval, so it is -0.5 at x = -3 and 1.5 at x = 3 (the one-sided limits outside are 0 and 1)."},
        run_hardswish));

    // ---------------------------------------------------------------- smooth / exponential
    t.push_back(make(
        "ELU", kSmooth, {P::real("alpha", 1.0, 0.0, 3.0, "size of the negative saturation (-alpha)")},
        R"(\mathrm{ELU}(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases})",
        "Exponential linear unit: identity for positive inputs, smooth exponential approach to -alpha below 0.",
        {"Range (-alpha, ∞). Negative outputs pull the mean activation towards zero, which tends to speed up "
         "learning compared with ReLU.",
         "With alpha = 1 the slope is 1 on both sides of 0; for other alpha it jumps from alpha to 1. PyTorch "
         "evaluates the exponential branch at x = 0, so the derivative there is alpha.",
         "Very negative inputs saturate (gradient alpha·e^x → 0), but the unit is only saturated, never exactly "
         "dead, and positive inputs always pass gradient 1.",
         "Costs an exponential per negative element."},
        run_elu));

    t.push_back(make(
        "CELU", kSmooth,
        {P::real("alpha", 1.0, 0.1, 3.0, "size of the negative saturation; also rescales the exponent")},
        R"(\mathrm{CELU}(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x/\alpha} - 1) & x \le 0 \end{cases})",
        "Continuously differentiable ELU: dividing the exponent by alpha keeps the slope 1 at 0 for every alpha.",
        {"ELU's slope at 0 is alpha from the left and 1 from the right; CELU's exponent x/alpha makes both sides "
         "1, so the function is C¹ for every alpha (Barron, 2017).",
         "Range (-alpha, ∞); alpha = 1 gives exactly ELU.",
         "alpha = 0 is rejected, because PyTorch divides by alpha."},
        run_celu));

    t.push_back(make(
        "SELU", kSmooth, {},
        R"(\mathrm{SELU}(x) = \lambda \begin{cases} x & x > 0 \\)"
        R"( \alpha\,(e^{x} - 1) & x \le 0 \end{cases},\quad \alpha \approx 1.6733,\ \lambda \approx 1.0507)",
        "Scaled ELU with fixed constants that make deep networks self-normalising.",
        {"alpha ≈ 1.6733 and the scale λ ≈ 1.0507 are not tunable: they are the solution of a fixed-point "
         "condition that drives each layer's activations towards mean 0 and variance 1.",
         "This normalisation happens inside the network (no BatchNorm needed) when the weights use LeCun-normal "
         "initialisation; pair it with AlphaDropout rather than ordinary dropout.",
         "The flat negative tail (towards -λα ≈ -1.758) is what shrinks the variance, and the slope λ > 1 on the "
         "positive side is what grows it — the saturation that hurts elsewhere is useful here.",
         "The gradient is never exactly zero for finite inputs, so SELU units do not die. PyTorch's derivative "
         "at x = 0 is λα ≈ 1.758."},
        run_selu));

    t.push_back(make(
        "GELU", kSmooth,
        {[] {
            P p = P::choice("approximate", "none", {"none", "tanh"},
                            "'none': exact erf form; 'tanh': tanh approximation");
            p.s.invalid = "approximate argument must be either none or tanh.";
            return p;
        }()},
        R"(\mathrm{GELU}(x) = \begin{cases})"
        R"( x\,\Phi(x) = \dfrac{x}{2}\left(1 + \operatorname{erf}\!\left(\dfrac{x}{\sqrt{2}}\right)\right))"
        R"( & \text{approximate='none'} \\[1ex])"
        R"( \dfrac{x}{2}\left(1 + \tanh\!\left(\sqrt{2/\pi}\,(x + 0.044715\,x^{3})\right)\right))"
        R"( & \text{approximate='tanh'} \end{cases})",
        "Gaussian error linear unit: the input scaled by the probability Phi(x) that a standard normal is below it.",
        {"Rather than a hard gate at 0, each input is weighted by how likely it is to be 'kept' under Gaussian "
         "noise — a smooth, probabilistic cousin of ReLU.",
         "Smooth and slightly non-monotonic: it dips to about -0.17 near x ≈ -0.75, then returns to 0; range "
         "about [-0.17, ∞).",
         "The default activation of Transformers (BERT, GPT). approximate='tanh' is the cheaper formula from the "
         "original paper and stays within about 5e-4 of the exact one.",
         "The derivative at 0 is 1/2."},
        run_gelu));

    t.push_back(make(
        "SiLU", kSmooth, {}, R"(\mathrm{SiLU}(x) = x\,\sigma(x) = \frac{x}{1 + e^{-x}})",
        "Sigmoid-weighted linear unit (Swish): the input times its own sigmoid.",
        {"Smooth, unbounded above and bounded below: the minimum is about -0.278 at x ≈ -1.278, so small negative "
         "inputs pass through slightly before being damped.",
         "Behaves like ReLU far from 0 but has a smooth, non-zero gradient around it; the derivative at 0 is 1/2.",
         "Found by automated search (as Swish) and used in EfficientNet and many detection and diffusion "
         "models."},
        run_silu));

    t.push_back(make(
        "Mish", kSmooth, {}, R"(\mathrm{Mish}(x) = x\,\tanh\bigl(\ln(1 + e^{x})\bigr))",
        "Self-gated smooth activation: x times tanh of softplus(x).",
        {"Shape close to SiLU: smooth, non-monotonic, minimum about -0.309 near x ≈ -1.19, unbounded above.",
         "The derivative at 0 is 0.6; for large positive x it tends to 1 and for very negative x to 0.",
         "PyTorch computes softplus here without Softplus's threshold; for huge x, exp overflows to infinity, "
         "tanh of that is 1 and the output is still x.",
         "Popularised by YOLOv4's backbone."},
        run_mish));

    t.push_back(make(
        "Softplus", kSmooth,
        {P::real("beta", 1.0, 0.25, 5.0, "sharpness: larger beta follows ReLU more closely"),
         P::real("threshold", 20.0, 1.0, 30.0, "above beta*x > threshold the output is x itself")},
        R"(\mathrm{Softplus}(x) = \begin{cases} \dfrac{1}{\beta}\ln\left(1 + e^{\beta x}\right))"
        R"( & \beta x \le \text{threshold})"
        R"( \\[1ex] x & \beta x > \text{threshold} \end{cases})",
        "Smooth approximation of ReLU whose output is always positive.",
        {"Range (0, ∞): useful wherever a layer must produce a strictly positive quantity, such as a standard "
         "deviation or a rate.",
         "beta controls how tightly it hugs ReLU; its derivative is σ(beta·x), never exactly zero, so there are "
         "no dead units.",
         "For numerical safety PyTorch returns x itself once beta·x exceeds threshold (strictly); at "
         "beta·x == threshold the log formula is still used.",
         "Unlike ReLU it is non-linear everywhere, so the response depends on the input's magnitude at every "
         "scale."},
        run_softplus));

    // ---------------------------------------------------------------- sigmoid-like
    t.push_back(make(
        "Sigmoid", kSigmoid, {}, R"(\sigma(x) = \frac{1}{1 + e^{-x}})",
        "Logistic function: squashes any input into (0, 1).",
        {"Range (0, 1), so an output reads as a probability: the classic final layer for binary or multi-label "
         "classification (during training prefer BCEWithLogitsLoss on the raw scores).",
         "Steep only for roughly -2 < x < 2; outside that band the curve is nearly flat. Its derivative is at "
         "most 0.25 (at 0) and decays exponentially, so gradients vanish through stacks of sigmoid layers.",
         "Not zero-centred: every output is positive, which makes the gradients of the next layer's weights share "
         "one sign and slows learning.",
         "PyTorch computes the derivative from the output, as σ(x)(1 - σ(x))."},
        run_sigmoid));

    t.push_back(make(
        "Tanh", kSigmoid, {}, R"(\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}})",
        "Hyperbolic tangent: an S-curve through the origin with range (-1, 1).",
        {"Zero-centred, which balances the signs of the next layer's inputs; it equals 2σ(2x) - 1, a rescaled "
         "sigmoid.",
         "Its slope at 0 is 1, four times the sigmoid's, so gradients are stronger near the origin.",
         "It still saturates for |x| beyond about 3 (derivative 1 - tanh² → 0), so deep stacks suffer vanishing "
         "gradients; inputs should be normalised. Common inside RNN and LSTM cells."},
        run_tanh));

    t.push_back(make(
        "Softsign", kSigmoid, {}, R"(\mathrm{Softsign}(x) = \frac{x}{1 + |x|})",
        "Rational S-curve with range (-1, 1), like tanh without exponentials.",
        {"Zero-centred and bounded like tanh, but it approaches ±1 only polynomially (like 1/|x|), not "
         "exponentially.",
         "Its derivative 1/(1 + |x|)² decays slowly, so it saturates more gently than tanh.",
         "PyTorch builds it from abs, add and divide; ±∞ inputs give NaN (∞/∞)."},
        run_softsign));

    t.push_back(make(
        "LogSigmoid", kSigmoid, {}, R"(\mathrm{LogSigmoid}(x) = \ln \sigma(x) = -\ln\left(1 + e^{-x}\right))",
        "Logarithm of the sigmoid: a log-probability in (-∞, 0).",
        {"Mainly a building block for losses (the log-likelihood of a binary outcome) rather than a hidden-layer "
         "activation.",
         "PyTorch computes it stably as min(x, 0) - log1p(e^{-|x|}), so x = -800 gives -800 instead of -∞.",
         "Its derivative is σ(-x) = 1 - σ(x): close to 1 for very negative inputs and close to 0 for very "
         "positive ones."},
        run_log_sigmoid));

    t.push_back(make(
        "Hardtanh", kSigmoid,
        {P::real("min_val", -1.0, -3.0, 0.0, "lower clipping value"),
         P::real("max_val", 1.0, 0.0, 3.0, "upper clipping value (must exceed min_val)")},
        R"(\mathrm{Hardtanh}(x) = \begin{cases} \text{max\_val} & x > \text{max\_val} \\)"
        R"( \text{min\_val} & x < \text{min\_val} \\ x & \text{otherwise} \end{cases})",
        "Piecewise-linear tanh: the identity between min_val and max_val, clipped outside.",
        {"Range [min_val, max_val]; costs two comparisons, no exponentials.",
         "The derivative is 1 strictly inside and 0 outside; PyTorch also gives 0 exactly at x = min_val and "
         "x = max_val.",
         "Clipped units get no gradient, on both ends. ReLU6 is Hardtanh(0, 6).",
         "nn.Hardtanh requires max_val > min_val."},
        run_hardtanh));

    t.push_back(make(
        "Hardsigmoid", kSigmoid, {},
        R"(\mathrm{Hardsigmoid}(x) = \begin{cases} 0 & x \le -3 \\ 1 & x \ge 3 \\)"
        R"( \dfrac{x}{6} + \dfrac{1}{2} & \text{otherwise} \end{cases})",
        "Piecewise-linear sigmoid: x/6 + 1/2 clipped to [0, 1].",
        {"A cheap approximation of the sigmoid used for gating in MobileNetV3's squeeze-and-excitation blocks; "
         "range [0, 1].",
         "Derivative 1/6 on the open interval (-3, 3) and 0 elsewhere, including x = ±3.",
         "PyTorch's CPU backward uses the single-precision constant 1.0f/6.0f, so even in float64 the slope is "
         "0.1666666716337204 rather than 1/6; the lab reproduces that."},
        run_hardsigmoid));

    // ---------------------------------------------------------------- shrinkage / threshold
    t.push_back(make(
        "Hardshrink", kShrink, {P::real("lambd", 0.5, 0.0, 2.0, "half-width of the zeroed band")},
        R"(\mathrm{Hardshrink}(x) = \begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases})",
        "Hard thresholding: zeroes inputs within lambd of zero, passes the rest unchanged.",
        {"Discontinuous: the output jumps from 0 to ±lambd at x = ±lambd.",
         "Used where small coefficients should be treated as noise and removed, e.g. sparse coding and wavelet "
         "denoising.",
         "Derivative 0 on the closed band [-lambd, lambd] (PyTorch includes the edges) and 1 outside.",
         "PyTorch does not validate lambd: a negative value gives the identity."},
        run_hardshrink));

    t.push_back(make(
        "Softshrink", kShrink,
        {P::real("lambd", 0.5, 0.0, 2.0, "amount every input is shrunk towards zero")
             .valid_min(0, false, "lambda must be greater or equal to 0, but found to be {value}.")},
        R"(\mathrm{Softshrink}(x) = \begin{cases} x - \lambda & x > \lambda \\ x + \lambda & x < -\lambda \\)"
        R"( 0 & \text{otherwise} \end{cases})",
        "Soft thresholding: moves every input lambd closer to zero and zeroes those within lambd.",
        {"Continuous, unlike Hardshrink: large inputs are shifted by lambd rather than kept.",
         "It is the proximal operator of the L1 norm, the step of iterative shrinkage algorithms (ISTA) for "
         "sparse regression, which is why unrolled sparse-coding networks use it.",
         "Derivative 0 on the closed band [-lambd, lambd] and 1 outside.",
         "lambd must be at least 0."},
        run_softshrink));

    t.push_back(make(
        "Tanhshrink", kShrink, {}, R"(\mathrm{Tanhshrink}(x) = x - \tanh(x))",
        "The input minus its tanh: flat near zero, close to x ∓ 1 far from it.",
        {"Near the origin it behaves like x³/3, so small inputs are strongly suppressed; for large |x| it "
         "approaches x - 1 or x + 1.",
         "Its derivative tanh²(x) is 0 at the origin and approaches 1 away from it; unbounded in both "
         "directions.",
         "Rare as a hidden activation; it appears in sparse-coding style models."},
        run_tanhshrink));

    t.push_back(make(
        "Threshold", kShrink,
        {P::real("threshold", 0.0, -2.0, 2.0, "inputs at or below this are replaced").required(),
         P::real("value", 0.0, -2.0, 2.0, "the replacement value").required()},
        R"(\mathrm{Threshold}(x) = \begin{cases} x & x > \text{threshold} \\)"
        R"( \text{value} & x \le \text{threshold} \end{cases})",
        "Replaces every input at or below threshold by a fixed value.",
        {"Both arguments are required: nn.Threshold has no defaults.",
         "The derivative is 1 above the threshold and 0 at or below it — including exactly at x == threshold.",
         "ReLU is Threshold(0, 0); when value differs from threshold the output jumps there."},
        run_threshold));

    // ---------------------------------------------------------------- not in torch.nn
    t.push_back(make(
        "LinearActivation", kExtra, {P::real("c", 1.0, -2.0, 2.0, "slope")}, R"(y = c\,x)",
        "Linear activation y = c·x (not a torch.nn module): constant gradient c.",
        {"The gradient is the constant c whatever the input, so the update does not depend on the input at all.",
         "Stacking layers with linear activations gains nothing: the composition of linear maps is one linear "
         "map, so N such layers can be replaced by a single layer.",
         "Sensible only at the output of a regression model, where PyTorch simply omits the activation "
         "(or uses nn.Identity)."},
        run_linear, "{c} * x", false));

    t.push_back(make(
        "BinaryStep", kExtra, {},
        R"(\mathrm{step}(x) = \begin{cases} 1 & x \ge 0 \\ 0 & x < 0 \end{cases})",
        "Binary step (not a torch.nn module): the neuron fires (1) or not (0); its gradient is 0.",
        {"The threshold unit of the original perceptron: an all-or-nothing answer with no notion of 'how much'.",
         "Its derivative is 0 everywhere except at 0, where it does not exist, so backpropagation passes no "
         "signal: a network of step units cannot be trained by gradient descent. The lab shows the derivative as "
         "0 everywhere.",
         "In PyTorch, (x >= 0).double() is not differentiable at all: the comparison cuts the autograd graph."},
        run_binary_step, "(x >= 0).double()", false));

    t.push_back(make(
        "Sine", kExtra, {P::real("w0", 30.0, 1.0, 60.0, "frequency factor omega_0 (SIREN uses 30)")},
        R"(y = \sin(\omega_0\,x))",
        "Periodic activation sin(w0·x) of SIREN networks (not a torch.nn module); w0 = 30 by default.",
        {"SIREN (sinusoidal representation networks) use it to fit implicit neural representations: a network "
         "that maps coordinates to a signal value such as a pixel colour, a sound sample or a signed distance.",
         "Derivatives of a sine network are again sine networks, so the fitted signal's gradients and Laplacian "
         "are represented well — useful for solving PDEs such as the Poisson, Helmholtz or wave equations.",
         "w0 scales the frequency of the first layer; training only works with SIREN's matching uniform weight "
         "initialisation. Output range [-1, 1], derivative w0·cos(w0·x)."},
        run_sine, "torch.sin({w0} * x)", false));

    return t;
}

}  // namespace

namespace {
constexpr auto kTable = trimmed<build_table().size()>(build_table());
static_assert(kTable.size() == 27, "24 activations of torch.nn and 3 from the lecture");
}  // namespace

std::span<const FunctionSpec> elementwise_specs() { return kTable; }

}  // namespace lab
