// Design note: evaluating a parsed formula — values, and the derivative PyTorch's autograd gives
// for y.sum().backward() on the same expression written with torch functions.
//   * Block-wise: up to 256 points at a time, every node of the tape computes its whole block
//     (one switch per node, a tight loop per block), and every node's block is kept for the
//     backward. Nodes that do not depend on x are computed once per call and broadcast. Memory is
//     a few vectors per call (nodes × block), nothing per element.
//   * The backward walks the tape in reverse, which is the order autograd's engine runs the
//     backward functions (it always pops the ready node created last, and every consumer of a
//     node is created after it). Gradients reaching one node are summed in arrival order, the
//     first one taken as it is (so -0.0 stays -0.0, as autograd's InputBuffer moves it in).
//   * Each op's backward is ATen's derivatives.yaml formula of PyTorch 1.13, operation by
//     operation, and each forward is the operation torch runs for the Python spelling: a Python
//     number operand is a scalar, so `3 / x` is x.reciprocal() * 3 (Tensor.__rdiv__), `x ** 2` is
//     pow.Tensor_Scalar with its special exponents (2 → x*x, 0.5 → sqrt, -1 → reciprocal, …),
//     while `2 ** x` is a tensor base (Tensor.__rpow__). Constant subexpressions are 0-dim tensor
//     operations in the generated code (formula_torch.cpp), so here they are plain IEEE ops.
//   * Scalar math is the lab's own where the registry's kernels use it: tanh is tanh_math's (so
//     tanh(x) is the Tanh built-in bit for bit), sigmoid scalar.hpp's; catalog activations run the registry's kernels.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "formula_program.hpp"
#include "scalar.hpp"
#include "tanh_math.hpp"

namespace lab::formula {
namespace {

constexpr std::size_t kBlock = 256;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kLn2 = 0.6931471805599453;    // derivatives.yaml's log2 constant
constexpr double kLn10 = 2.3025850929940456;   // and log10's
// erf's "2.0 / sqrt(M_PI)", as the double it rounds to (0x1.20dd750429b6dp+0), so that it is a
// constant and not start-up code that every module linking the core would carry.
constexpr double kTwoOverSqrtPi = 1.1283791670955126;

// pow.Tensor_Scalar: at::pow's special exponents (pow_out: 0 fills 1, 1 copies; PowKernel.cpp:
// 0.5 sqrt, -0.5 rsqrt, -1 reciprocal, 2 / 3 / -2 by multiplication), else std::pow.
inline double pow_scalar(double a, double e) {
    if (e == 0.0) return 1.0;
    if (e == 1.0) return a;
    if (e == 0.5) return std::sqrt(a);
    if (e == -0.5) return 1.0 / std::sqrt(a);
    if (e == -1.0) return 1.0 / a;
    if (e == 2.0) return a * a;
    if (e == 3.0) return a * a * a;
    if (e == -2.0) return 1.0 / (a * a);
    return std::pow(a, e);
}

// clamp_min_/clamp_max_ (std::max(a, lo), std::min(a, hi)) and clamp with both (NaN bounds fill NaN).
inline double clamp_value(double a, bool has_lo, double lo, bool has_hi, double hi) {
    if (has_lo && has_hi) {
        if (std::isnan(lo) || std::isnan(hi)) return kNaN;
        const double m = a < lo ? lo : a;
        return hi < m ? hi : m;
    }
    if (has_lo) return a < lo ? lo : a;
    return hi < a ? hi : a;
}

// torch.maximum / minimum as ATen's scalar lambda computes them: NaN if either is NaN, else
// std::max(a, b) / std::min(a, b), which keep the first operand on a tie (max(-0.0, 0.0) is -0.0,
// max(0.0, -0.0) is 0.0). (ATen's 4-lane vector path takes the second; the lab follows the
// scalar lambdas, what a short tensor gets — see activations.cpp.)
inline double maximum(double a, double b) {
    if (std::isnan(a) || std::isnan(b)) return kNaN;
    return a < b ? b : a;
}
inline double minimum(double a, double b) {
    if (std::isnan(a) || std::isnan(b)) return kNaN;
    return b < a ? b : a;
}

// sinh and cosh as glibc computes them (torch.sinh's scalar path is std::sinh of PyTorch's glibc):
// from |x| = 22 on, 0.5 * exp(|x|) (and exp(|x|/2) squared in two halves near overflow), so
// sinh(40) == cosh(40) bit for bit. musl (the WebAssembly libc) uses another formula there, one
// ulp apart, which turns sinh(x)/cosh(x)'s quotient rule into a nonzero residual; below 22 the
// libm's own function is used.
inline std::uint32_t high_word_abs(double a) {
    std::uint64_t b;
    std::memcpy(&b, &a, sizeof b);
    return static_cast<std::uint32_t>(b >> 32) & 0x7fffffffu;
}
inline double glibc_large(double a, double h, double (*small)(double)) {
    const std::uint32_t ix = high_word_abs(a);
    if (ix >= 0x40360000u && ix < 0x7ff00000u) {  // 22 <= |x| < inf
        if (ix < 0x40862E42u) return h * std::exp(std::fabs(a));  // |x| < log(DBL_MAX)
        const double w = std::exp(0.5 * std::fabs(a));
        const double t = h * w;
        return t * w;  // overflows to ±inf past glibc's threshold, as glibc's does
    }
    return small(a);
}
inline double sinh_(double a) {
    return glibc_large(a, std::signbit(a) ? -0.5 : 0.5, [](double v) { return std::sinh(v); });
}
inline double cosh_(double a) {
    return glibc_large(a, 0.5, [](double v) { return std::cosh(v); });
}

inline double relu(double a) { return (std::signbit(a) && a < 0.0) ? 0.0 : a; }

inline double unary_value(Op op, double a) {
    switch (op) {
        case Op::Exp: return std::exp(a);
        case Op::Expm1: return std::expm1(a);
        case Op::Log: return std::log(a);
        case Op::Log1p: return std::log1p(a);
        case Op::Log2: return std::log2(a);
        case Op::Log10: return std::log10(a);
        case Op::Sqrt: return std::sqrt(a);
        case Op::Abs: return std::fabs(a);
        case Op::Sign: return sgn(a);
        case Op::Floor: return std::floor(a);
        case Op::Ceil: return std::ceil(a);
        case Op::Round: return std::nearbyint(a);  // half to even, as torch.round
        case Op::Sin: return std::sin(a);
        case Op::Cos: return std::cos(a);
        case Op::Tan: return std::tan(a);
        case Op::Tanh: return tanh_math::tanh_fast(a);
        case Op::Sinh: return sinh_(a);
        case Op::Cosh: return cosh_(a);
        case Op::Atan: return std::atan(a);
        case Op::Asinh: return std::asinh(a);
        case Op::Erf: return std::erf(a);
        case Op::Erfc: return std::erfc(a);
        case Op::Sigmoid: return sigmoid(a);
        case Op::Relu: return relu(a);
        default: return kNaN;
    }
}

// A catalog call's backward is grad · f′ with f′ from the registry's kernel (one autograd node),
// except where the registry entry says PyTorch's graph for the module is built otherwise
// (FunctionSpec::autograd): a select on a flat part (an infinite or NaN incoming gradient gives 0
// there, not inf · 0 = NaN, and a negative one +0, not -0), or a Python composition of several
// ops whose backward nodes the incoming gradient goes through in turn (their f′ for grad 1 is the
// same chain).

class Evaluator {
public:
    Evaluator(const Program& p, const std::vector<double>& values, std::size_t n, bool want_dy)
        : p_(p), values_(values), want_dy_(want_dy) {
        const std::size_t count = p.nodes.size();
        block_ = std::min(kBlock, std::max<std::size_t>(n, 1));
        val_.assign(count * block_, 0.0);
        if (want_dy_) {
            adj_.assign(count * block_, 0.0);
            has_.assign(count, 0);
            tmp_.assign(block_, 0.0);
        }
        // Catalog calls: one derivative block each (kept for the backward).
        aux_slot_.assign(count, -1);
        int slots = 0;
        for (std::size_t i = 0; i < count; ++i)
            if (p.nodes[i].op == Op::Catalog) aux_slot_[i] = slots++;
        aux_.assign(static_cast<std::size_t>(slots) * block_, 0.0);
        // Constants, once: the parameters, the numbers and everything built only from them.
        params_.resize(p.calls.size());
        for (std::size_t i = 1; i < count; ++i) {
            if (!p.nodes[i].constant) continue;
            forward(static_cast<int>(i), 1);
            double* out = v(static_cast<int>(i));
            std::fill(out + 1, out + block_, out[0]);
        }
        // Catalog calls whose input depends on x still need their parameters resolved.
        for (std::size_t i = 0; i < count; ++i)
            if (p.nodes[i].op == Op::Catalog && !p.nodes[i].constant) resolve_call(p.nodes[i].index);
    }

    void run(const double* x, std::size_t n, double* y, double* dy) {
        const int root = p_.root();
        for (std::size_t start = 0; start < n; start += block_) {
            const std::size_t m = std::min(block_, n - start);
            std::copy(x + start, x + start + m, v(0));
            for (int i = 1; i <= root; ++i)
                if (!p_.nodes[i].constant) forward(i, m);
            std::copy(v(root), v(root) + m, y + start);
            if (dy) {
                backward(m);
                const double* g = a(0);
                if (has_[0])
                    std::copy(g, g + m, dy + start);
                else
                    std::fill(dy + start, dy + start + m, 0.0);
            }
        }
    }

private:
    double* v(int i) { return val_.data() + static_cast<std::size_t>(i) * block_; }
    double* a(int i) { return adj_.data() + static_cast<std::size_t>(i) * block_; }
    double* d(int i) { return aux_.data() + static_cast<std::size_t>(aux_slot_[i]) * block_; }
    bool is_const(int i) const { return p_.nodes[i].constant; }

    void resolve_call(int index) {
        const Call& call = p_.calls[index];
        ParamMap given;
        for (const Keyword& k : call.keywords)
            given[k.name] = k.node >= 0 ? Value::num(v(k.node)[0]) : Value::str(k.text);
        try {
            params_[index] = resolve(*call.spec, given);
            if (call.spec->check_input) call.spec->check_input(params_[index], Shape{1});
        } catch (const SyntaxError&) {
            throw;
        } catch (const Error& e) {
            throw Error(call.spec->name.str() + "(...): " + e.what());
        }
    }

    template <class F>
    void map1(int i, std::size_t m, F f) {
        const double* A = v(p_.nodes[i].a);
        double* out = v(i);
        for (std::size_t k = 0; k < m; ++k) out[k] = f(A[k]);
    }
    template <class F>
    void map2(int i, std::size_t m, F f) {
        const double* A = v(p_.nodes[i].a);
        const double* B = v(p_.nodes[i].b);
        double* out = v(i);
        for (std::size_t k = 0; k < m; ++k) out[k] = f(A[k], B[k]);
    }

    void forward(int i, std::size_t m) {
        const Node& n = p_.nodes[i];
        double* out = v(i);
        switch (n.op) {
            case Op::X: return;
            case Op::Number: out[0] = n.number; return;
            case Op::Param: out[0] = values_[static_cast<std::size_t>(n.index)]; return;
            case Op::Neg: map1(i, m, [](double x) { return -x; }); return;
            case Op::Add: map2(i, m, [](double x, double y) { return x + y; }); return;
            case Op::Sub: map2(i, m, [](double x, double y) { return x - y; }); return;
            case Op::Mul: map2(i, m, [](double x, double y) { return x * y; }); return;
            case Op::Div:
                if (!n.constant && is_const(n.a))  // c / x: x.reciprocal() * c
                    map2(i, m, [](double c, double x) { return (1.0 / x) * c; });
                else
                    map2(i, m, [](double x, double y) { return x / y; });
                return;
            case Op::Pow:
                if (!n.constant && is_const(n.b)) {  // x ** c: pow.Tensor_Scalar
                    const double e = v(n.b)[0];
                    map1(i, m, [e](double x) { return pow_scalar(x, e); });
                } else {
                    map2(i, m, [](double x, double y) { return std::pow(x, y); });
                }
                return;
            case Op::Lt: map2(i, m, [](double x, double y) { return x < y ? 1.0 : 0.0; }); return;
            case Op::Le: map2(i, m, [](double x, double y) { return x <= y ? 1.0 : 0.0; }); return;
            case Op::Gt: map2(i, m, [](double x, double y) { return x > y ? 1.0 : 0.0; }); return;
            case Op::Ge: map2(i, m, [](double x, double y) { return x >= y ? 1.0 : 0.0; }); return;
            case Op::Eq: map2(i, m, [](double x, double y) { return x == y ? 1.0 : 0.0; }); return;
            case Op::Ne: map2(i, m, [](double x, double y) { return x != y ? 1.0 : 0.0; }); return;
            case Op::Where: {
                const double *C = v(n.a), *A = v(n.b), *B = v(n.c);
                for (std::size_t k = 0; k < m; ++k) out[k] = C[k] != 0.0 ? A[k] : B[k];
                return;
            }
            case Op::Softplus: {
                const double beta = v(n.b)[0], threshold = v(n.c)[0];
                map1(i, m, [beta, threshold](double x) {
                    return (x * beta) > threshold ? x : std::log1p(std::exp(x * beta)) / beta;
                });
                return;
            }
            case Op::Clamp: {
                const bool has_lo = n.b >= 0, has_hi = n.c >= 0;
                const double lo = has_lo ? v(n.b)[0] : 0.0, hi = has_hi ? v(n.c)[0] : 0.0;
                map1(i, m, [=](double x) { return clamp_value(x, has_lo, lo, has_hi, hi); });
                return;
            }
            case Op::Minimum: map2(i, m, [](double x, double y) { return minimum(x, y); }); return;
            case Op::Maximum: map2(i, m, [](double x, double y) { return maximum(x, y); }); return;
            case Op::Catalog: {
                if (n.constant) resolve_call(n.index);
                const Params& prm = params_[n.index];
                prm.spec->elementwise(prm, v(n.a), m, out, want_dy_ && !n.constant ? d(i) : nullptr);
                return;
            }
            default: {
                const Op op = n.op;
                map1(i, m, [op](double x) { return unary_value(op, x); });
                return;
            }
        }
    }

    // ---------------------------------------------------------------- backward
    // Adds contribution t (m values) to node j's gradient, in arrival order.
    void give(int j, const double* t, std::size_t m) {
        if (!p_.nodes[j].grad) return;
        double* g = a(j);
        if (!has_[j]) {
            std::copy(t, t + m, g);
            has_[j] = 1;
        } else {
            for (std::size_t k = 0; k < m; ++k) g[k] = g[k] + t[k];
        }
    }
    template <class F>
    void give_from(int j, std::size_t m, F f) {
        if (!p_.nodes[j].grad) return;
        double* t = tmp_.data();
        for (std::size_t k = 0; k < m; ++k) t[k] = f(k);
        give(j, t, m);
    }

    void backward(std::size_t m) {
        std::fill(has_.begin(), has_.end(), 0);
        const int root = p_.root();
        if (!p_.nodes[root].grad) return;  // nothing reaches x (torch would refuse backward())
        std::fill(a(root), a(root) + m, 1.0);  // d sum / d y
        has_[root] = 1;
        for (int i = root; i >= 1; --i) {
            const Node& n = p_.nodes[i];
            if (!n.grad || !has_[i]) continue;
            step(i, m);
        }
    }

    void step(int i, std::size_t m) {
        const Node& n = p_.nodes[i];
        const double* G = a(i);
        const double* Y = v(i);
        const double* A = n.a >= 0 ? v(n.a) : nullptr;
        const double* B = n.b >= 0 ? v(n.b) : nullptr;
        switch (n.op) {
            case Op::Neg: give_from(n.a, m, [&](std::size_t k) { return -G[k]; }); return;
            case Op::Add:
                give(n.a, G, m);
                give(n.b, G, m);
                return;
            case Op::Sub:
                give(n.a, G, m);
                give_from(n.b, m, [&](std::size_t k) { return -G[k]; });
                return;
            case Op::Mul:
                give_from(n.a, m, [&](std::size_t k) { return G[k] * B[k]; });
                give_from(n.b, m, [&](std::size_t k) { return G[k] * A[k]; });
                return;
            case Op::Div:
                if (is_const(n.a)) {
                    // (x.reciprocal() * c): mul's backward grad * c, then reciprocal's
                    // -grad * (result * result) with result = 1 / x.
                    give_from(n.b, m, [&](std::size_t k) {
                        const double r = 1.0 / B[k];
                        return -(G[k] * A[k]) * (r * r);
                    });
                    return;
                }
                give_from(n.a, m, [&](std::size_t k) { return G[k] / B[k]; });  // div_tensor_self_backward
                give_from(n.b, m, [&](std::size_t k) { return -G[k] * ((A[k] / B[k]) / B[k]); });  // ..._other_
                return;
            case Op::Pow:
                if (is_const(n.b)) {
                    // pow_backward: exponent == 0 gives zeros; else grad * (e * self.pow(e - 1)).
                    const double e = B[0];
                    if (e == 0.0) {
                        give_from(n.a, m, [](std::size_t) { return 0.0; });
                    } else {
                        const double e1 = e - 1.0;
                        give_from(n.a, m, [&](std::size_t k) { return G[k] * (e * pow_scalar(A[k], e1)); });
                    }
                    return;
                }
                // pow_backward_self: where(exponent == 0, 0, grad * (exponent * pow(self, exponent - 1)))
                give_from(n.a, m, [&](std::size_t k) {
                    return B[k] == 0.0 ? 0.0 : G[k] * (B[k] * std::pow(A[k], B[k] - 1.0));
                });
                // pow_backward_exponent: grad * where(self == 0 & exponent >= 0, 0, result * log(self))
                give_from(n.b, m, [&](std::size_t k) {
                    return G[k] * ((A[k] == 0.0 && B[k] >= 0.0) ? 0.0 : Y[k] * std::log(A[k]));
                });
                return;
            case Op::Where: {
                const double* C = A;
                give_from(n.b, m, [&](std::size_t k) { return C[k] != 0.0 ? G[k] : 0.0; });
                give_from(n.c, m, [&](std::size_t k) { return C[k] != 0.0 ? 0.0 : G[k]; });
                return;
            }
            case Op::Exp: give_from(n.a, m, [&](std::size_t k) { return G[k] * Y[k]; }); return;
            case Op::Expm1: give_from(n.a, m, [&](std::size_t k) { return G[k] * (Y[k] + 1.0); }); return;
            case Op::Log: give_from(n.a, m, [&](std::size_t k) { return G[k] / A[k]; }); return;
            case Op::Log1p: give_from(n.a, m, [&](std::size_t k) { return G[k] / (A[k] + 1.0); }); return;
            case Op::Log2: give_from(n.a, m, [&](std::size_t k) { return G[k] / (A[k] * kLn2); }); return;
            case Op::Log10: give_from(n.a, m, [&](std::size_t k) { return G[k] / (A[k] * kLn10); }); return;
            case Op::Sqrt: give_from(n.a, m, [&](std::size_t k) { return G[k] / (2.0 * Y[k]); }); return;
            case Op::Abs: give_from(n.a, m, [&](std::size_t k) { return G[k] * sgn(A[k]); }); return;
            case Op::Sign:
            case Op::Floor:
            case Op::Ceil:
            case Op::Round: give_from(n.a, m, [](std::size_t) { return 0.0; }); return;
            case Op::Sin: give_from(n.a, m, [&](std::size_t k) { return G[k] * std::cos(A[k]); }); return;
            case Op::Cos: give_from(n.a, m, [&](std::size_t k) { return G[k] * -std::sin(A[k]); }); return;
            case Op::Tan: give_from(n.a, m, [&](std::size_t k) { return G[k] * (1.0 + Y[k] * Y[k]); }); return;
            case Op::Tanh:
                give_from(n.a, m, [&](std::size_t k) { return G[k] * tanh_math::one_minus_square(Y[k]); });
                return;
            case Op::Sinh: give_from(n.a, m, [&](std::size_t k) { return G[k] * cosh_(A[k]); }); return;
            case Op::Cosh: give_from(n.a, m, [&](std::size_t k) { return G[k] * sinh_(A[k]); }); return;
            case Op::Atan: give_from(n.a, m, [&](std::size_t k) { return G[k] / (A[k] * A[k] + 1.0); }); return;
            case Op::Asinh:
                give_from(n.a, m, [&](std::size_t k) { return G[k] * (1.0 / std::sqrt(A[k] * A[k] + 1.0)); });
                return;
            case Op::Erf:
                give_from(n.a, m, [&](std::size_t k) { return (kTwoOverSqrtPi * std::exp(-(A[k] * A[k]))) * G[k]; });
                return;
            case Op::Erfc:
                give_from(n.a, m, [&](std::size_t k) { return (-kTwoOverSqrtPi * std::exp(-(A[k] * A[k]))) * G[k]; });
                return;
            case Op::Sigmoid:
                give_from(n.a, m, [&](std::size_t k) { return G[k] * (1.0 - Y[k]) * Y[k]; });  // sigmoid_backward
                return;
            case Op::Relu: give_from(n.a, m, [&](std::size_t k) { return Y[k] <= 0.0 ? 0.0 : G[k]; }); return;
            case Op::Softplus: {
                const double beta = v(n.b)[0], threshold = v(n.c)[0];
                give_from(n.a, m, [&](std::size_t k) {
                    const double z = std::exp(A[k] * beta);
                    return (A[k] * beta) > threshold ? G[k] : G[k] * z / (z + 1.0);
                });
                return;
            }
            case Op::Clamp: {
                const bool has_lo = n.b >= 0, has_hi = n.c >= 0;
                const double lo = has_lo ? v(n.b)[0] : 0.0, hi = has_hi ? v(n.c)[0] : 0.0;
                give_from(n.a, m, [&](std::size_t k) {
                    const bool in = (!has_lo || A[k] >= lo) && (!has_hi || A[k] <= hi);
                    return in ? G[k] : 0.0;
                });
                return;
            }
            case Op::Minimum:
            case Op::Maximum: {
                // maximum: self gets where(self == other, grad / 2, grad).masked_fill_(self < other, 0),
                // other the same masked where self > other; minimum with the masks swapped.
                const bool mx = n.op == Op::Maximum;
                give_from(n.a, m, [&](std::size_t k) {
                    const double h = A[k] == B[k] ? G[k] / 2.0 : G[k];
                    return (mx ? A[k] < B[k] : A[k] > B[k]) ? 0.0 : h;
                });
                give_from(n.b, m, [&](std::size_t k) {
                    const double h = A[k] == B[k] ? G[k] / 2.0 : G[k];
                    return (mx ? A[k] > B[k] : A[k] < B[k]) ? 0.0 : h;
                });
                return;
            }
            case Op::Catalog: {
                const double* D = d(i);
                const FunctionSpec& f = *p_.calls[static_cast<std::size_t>(n.index)].spec;
                switch (f.autograd) {
                    case Autograd::SelectFlat:
                        give_from(n.a, m, [&](std::size_t k) { return D[k] == 0.0 ? 0.0 : G[k] * D[k]; });
                        return;
                    case Autograd::SelectBelowMinus3:
                        give_from(n.a, m, [&](std::size_t k) { return A[k] < -3.0 ? 0.0 : G[k] * D[k]; });
                        return;
                    case Autograd::Softsign:
                        // x / (x.abs() + 1): div's self path grad / o, then its other path through add
                        // and abs, -grad * ((x / o) / o) * sgn(x) — two arrivals, in that order.
                        give_from(n.a, m, [&](std::size_t k) { return G[k] / (std::fabs(A[k]) + 1.0); });
                        give_from(n.a, m, [&](std::size_t k) {
                            const double o = std::fabs(A[k]) + 1.0;
                            return (-G[k] * ((A[k] / o) / o)) * sgn(A[k]);
                        });
                        return;
                    case Autograd::Tanhshrink:
                        // x - x.tanh(): sub's self path grad, then tanh_backward(-grad, t).
                        give(n.a, G, m);
                        give_from(n.a, m, [&](std::size_t k) {
                            return -G[k] * tanh_math::one_minus_square(tanh_math::tanh_fast(A[k]));
                        });
                        return;
                    case Autograd::Sine: {
                        // torch.sin(w0 * x): sin's grad * cos(w0 x), then mul's * w0.
                        const double w0 = params_[static_cast<std::size_t>(n.index)].num("w0");
                        give_from(n.a, m, [&](std::size_t k) { return (G[k] * std::cos(w0 * A[k])) * w0; });
                        return;
                    }
                    case Autograd::NoGradFn: return;  // never reached: such a node has no grad (formula_parse.cpp)
                    case Autograd::Multiply: break;
                }
                give_from(n.a, m, [&](std::size_t k) { return G[k] * D[k]; });
                return;
            }
            default: return;  // leaves and comparisons carry no gradient
        }
    }

    const Program& p_;
    const std::vector<double>& values_;
    bool want_dy_;
    std::size_t block_ = 1;
    std::vector<double> val_, adj_, aux_, tmp_;
    std::vector<char> has_;
    std::vector<int> aux_slot_;
    std::vector<Params> params_;
};

}  // namespace

void Formula::evaluate(const std::vector<double>& values, const double* x, std::size_t n, double* y, double* dy) const {
    const Program& p = checked(program_);
    if (values.size() != p.parameters.size())
        throw Error("evaluate: expected " + std::to_string(p.parameters.size()) + " parameter value" +
                    (p.parameters.size() == 1 ? "" : "s") + ", got " + std::to_string(values.size()));
    Evaluator e(p, values, n, dy != nullptr);
    if (n == 0) return;
    e.run(x, n, y, dy);
}

}  // namespace lab::formula
