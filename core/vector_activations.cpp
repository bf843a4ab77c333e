// Design note: activations that map a whole 1-D vector to a vector — Softmax, Softmin, LogSoftmax
// and GLU — with their registry entries.
//
// Forward passes follow ATen's CPU "last dim" kernels (PyTorch 1.13.1, float64): subtract the
// maximum before exponentiating; softmax multiplies by the reciprocal of the sum; log-softmax
// computes (x - max) - log(sum), in that order, so large nearly-equal inputs keep their digits.
// Jacobian row i is what the backward kernel returns for the upstream gradient e_i (that is how
// autograd builds a Jacobian), using the same expressions: softmax (g_j - <g, y>) * y_j,
// log-softmax g_j - exp(y_j) * sum(g), GLU sigmoid(b) * g and (1 - sigmoid(b)) * sigmoid(b) * a * g.
// Working row by row rather than from a closed form keeps autograd's NaN spreading (0 * inf).
//
// The kernels see one 1-D slice at a time: registry.cpp's evaluate_vector_tensor checks dim
// against the input's dimensions (PyTorch's range and words), resolves None as
// torch.nn.functional._get_softmax_dim does (with its deprecation warning, which names the
// functional's own name, implicit_dim_name), and cuts the input into slices along dim.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "registry.hpp"
#include "scalar.hpp"
#include "spec_builders.hpp"

namespace lab {
namespace {

namespace vact {

// _vec_softmax_lastdim: max and sum in vec::reduce_all's order (scalar.hpp), then a multiply by
// the reciprocal of the sum. One NaN input makes the whole softmax NaN.
std::vector<double> softmax(const std::vector<double>& x) {
    const double max_input = nan_max_of(x.data(), x.size());
    std::vector<double> y(x.size());
    for (std::size_t j = 0; j < x.size(); ++j) y[j] = std::exp(x[j] - max_input);
    const double sum = lane_sum(y.data(), y.size());
    const double inv = 1 / sum;
    for (double& v : y) v *= inv;
    return y;
}

// Backward of softmax for upstream gradient e_row: (g_j - dot) * y_j with dot = <g, y>.
void softmax_jacobian_row(const std::vector<double>& y, std::size_t row, double sign, double* out) {
    double dot = 0.0;
    for (std::size_t k = 0; k < y.size(); ++k) dot += (k == row ? 1.0 : 0.0) * y[k];
    for (std::size_t j = 0; j < y.size(); ++j) out[j] = sign * (((j == row ? 1.0 : 0.0) - dot) * y[j]);
}

// Backward of log-softmax for upstream gradient e_row: g_j - exp(y_j) * sum(g); exp_y = exp(y),
// the same for every row. (The sum of e_row is exactly 1 in any order.)
void log_softmax_jacobian_row(const std::vector<double>& exp_y, std::size_t row, double* out) {
    double sum = 0.0;
    for (std::size_t k = 0; k < exp_y.size(); ++k) sum += (k == row ? 1.0 : 0.0);
    for (std::size_t j = 0; j < exp_y.size(); ++j) out[j] = (j == row ? 1.0 : 0.0) - exp_y[j] * sum;
}

}  // namespace vact

VectorResult run_softmax(const Params&, const std::vector<double>& x, std::int64_t) {
    VectorResult r;
    r.y = vact::softmax(x);
    const std::size_t n = x.size();
    r.jacobian.resize(n * n);
    for (std::size_t i = 0; i < n; ++i) vact::softmax_jacobian_row(r.y, i, 1.0, &r.jacobian[i * n]);
    return r;
}

// F.softmin is (-input).softmax(dim): the negation's backward flips the sign of every entry.
VectorResult run_softmin(const Params&, const std::vector<double>& x, std::int64_t) {
    std::vector<double> neg(x.size());
    for (std::size_t j = 0; j < x.size(); ++j) neg[j] = -x[j];
    VectorResult r;
    r.y = vact::softmax(neg);
    const std::size_t n = x.size();
    r.jacobian.resize(n * n);
    for (std::size_t i = 0; i < n; ++i) vact::softmax_jacobian_row(r.y, i, -1.0, &r.jacobian[i * n]);
    return r;
}

VectorResult run_log_softmax(const Params&, const std::vector<double>& x, std::int64_t) {
    VectorResult r;
    const std::size_t n = x.size();
    r.y.resize(n);
    log_softmax(x.data(), n, 1, r.y.data());  // the one log-softmax (scalar.hpp)
    std::vector<double> exp_y(n);
    for (std::size_t j = 0; j < n; ++j) exp_y[j] = std::exp(r.y[j]);
    r.jacobian.resize(n * n);
    for (std::size_t i = 0; i < n; ++i) vact::log_softmax_jacobian_row(exp_y, i, &r.jacobian[i * n]);
    return r;
}

// Unlike the softmax family, F.glu has no None default to fall back on.
void check_glu(const Params& p) {
    if (p.is_none("dim")) throw Error("glu(): argument 'dim' (position 2) must be int, not NoneType");
}

VectorResult run_glu(const Params&, const std::vector<double>& x, std::int64_t dim) {
    if (dim < 0) throw Error("glu does not support scalars because halving size must be even");
    const std::size_t n = x.size();
    if (n % 2 != 0)
        throw Error("Halving dimension must be even, but dimension " + std::to_string(dim) + " is size " +
                    std::to_string(n));
    const std::size_t h = n / 2;
    std::vector<double> sig(h);
    VectorResult r;
    r.y.resize(h);
    for (std::size_t j = 0; j < h; ++j) {
        const double a = x[j], b = x[h + j];
        sig[j] = sigmoid(b);
        r.y[j] = a * sig[j];
    }
    r.jacobian.resize(h * n);
    for (std::size_t i = 0; i < h; ++i) {
        double* row = &r.jacobian[i * n];
        for (std::size_t j = 0; j < h; ++j) {
            const double g = j == i ? 1.0 : 0.0;
            row[j] = sig[j] * g;
            row[h + j] = (1.0 - sig[j]) * sig[j] * x[j] * g;
        }
    }
    return r;
}

// ---------------------------------------------------------------- the table
// Its valid values depend on the input's dimensions, so evaluate_vector_tensor checks them.
constexpr ParamSpec dim_param(bool none_default, std::int64_t def, Text doc) { return P::dim("dim", none_default, def, doc); }

constexpr FunctionSpec kTable[] = {
    {
        .name = "Softmax",
        .kind = Kind::Vector,
        .group = "Vector functions",
        .params = {dim_param(true, 0, "dimension that sums to 1 (None picks 0 for 0-, 1- or 3-D input, else 1)")},
        .formula = R"(\mathrm{softmax}(x)_i = \frac{e^{x_i - m}}{\sum_j e^{x_j - m}},\qquad m = \max_j x_j)",
        .summary = "Turns a vector of scores into a probability distribution: positive entries summing to 1.",
        .notes = {"Each output lies in (0, 1) and together they sum to 1, so the standard use is turning a classifier's "
                  "logits into class probabilities for multi-class, single-label problems.",
                  "Adding the same constant to every input changes nothing; PyTorch subtracts the maximum before "
                  "exponentiating so no exp can overflow.",
                  "Every output depends on every input: the Jacobian is diag(s) - s sᵀ, symmetric, with rows summing to 0.",
                  "For training, feed raw logits to CrossEntropyLoss (or LogSoftmax + NLLLoss) instead of taking the log "
                  "of a softmax, which can underflow to log(0).",
                  "dim=None is deprecated: PyTorch picks dim 0 for a 0-, 1- or 3-D input and dim 1 otherwise, and warns."},
        .temperature = true,
        .implicit_dim_name = "softmax",
        .vector = run_softmax,
    },
    {
        .name = "Softmin",
        .kind = Kind::Vector,
        .group = "Vector functions",
        .params = {dim_param(true, 0, "dimension that sums to 1 (None picks 0 for 0-, 1- or 3-D input, else 1)")},
        .formula = R"(\mathrm{softmin}(x)_i = \frac{e^{-x_i}}{\sum_j e^{-x_j}} = \mathrm{softmax}(-x)_i)",
        .summary = "Softmax of the negated input: the smallest entry gets the largest probability.",
        .notes = {"Outputs in (0, 1) summing to 1, like softmax, but weighted towards low values — a natural way to turn "
                  "costs, distances or energies into a distribution.",
                  "PyTorch computes it literally as softmax(-x), so its Jacobian is minus the softmax Jacobian at -x: "
                  "s sᵀ - diag(s)."},
        .temperature = true,
        .implicit_dim_name = "softmin",
        .vector = run_softmin,
    },
    {
        .name = "LogSoftmax",
        .kind = Kind::Vector,
        .group = "Vector functions",
        .params = {dim_param(true, 0, "dimension to normalise over (None picks 0 for 0-, 1- or 3-D input, else 1)")},
        .formula = R"(\mathrm{logsoftmax}(x)_i = x_i - m - \ln \sum_j e^{x_j - m},\qquad m = \max_j x_j)",
        .summary = "Logarithm of the softmax, computed directly and stably: log-probabilities, all <= 0.",
        .notes = {"Evaluated as (x - max) - log Σ exp(x - max), it stays finite where log(softmax(x)) would hit log(0) "
                  "= -∞.",
                  "The outputs are log-probabilities (≤ 0), not probabilities; it is the partner of NLLLoss, and the pair "
                  "equals CrossEntropyLoss.",
                  "Jacobian: J[i][j] = [i = j] - softmax(x)[j]: each row is a row of the identity minus the softmax."},
        .temperature = true,
        .implicit_dim_name = "log_softmax",
        .vector = run_log_softmax,
    },
    {
        .name = "GLU",
        .kind = Kind::Vector,
        .group = "Vector functions",
        .params = {dim_param(false, -1, "dimension that is split in half")},
        .formula = R"(\mathrm{GLU}(x) = a \otimes \sigma(b),\qquad x = [\,a;\ b\,] \text{ split in half along dim})",
        .summary = "Gated linear unit: the first half of the input, gated by the sigmoid of the second half.",
        .notes = {"The input is cut in two halves a and b; each a_i is multiplied by the gate σ(b_i), so the output has "
                  "half the length.",
                  "The gate is learned: the layer decides per feature how much signal passes, with a linear path for the "
                  "gradient through a. Used in gated convolutional language models and, as SwiGLU/GEGLU variants, in "
                  "Transformer feed-forward blocks.",
                  "The size along dim must be even."},
        .vector = run_glu,
        .check = check_glu,
    },
};
static_assert(std::size(kTable) == 4, "Softmax, Softmin, LogSoftmax, GLU");

}  // namespace

std::span<const FunctionSpec> vector_specs() { return kTable; }

}  // namespace lab
