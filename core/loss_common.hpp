// What every loss shares: the one reduction helper, torch.sum's order of additions, and argument
// checks worded as PyTorch words them. Each loss computes its reduction='none' values, hands them
// to finish(), and multiplies its per-element backward by the `upstream` weights it returns —
// exactly the chain rule autograd applies to loss.sum() (for 'none') or to the scalar loss.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "registry.hpp"

// The reduction part of every pointwise loss's formula, joined to each literal at compile time.
#define LAB_REDUCE_TEX R"(\ell = \begin{cases} L & \text{none} \\ \operatorname{mean}(L) & \text{mean} \\ \operatorname{sum}(L) & \text{sum} \end{cases})"

namespace lab {

// ATen's Loss.cpp declares `constexpr float EPSILON = 1e-12;`, so the value used in double
// arithmetic is the float nearest to 1e-12, not 1e-12 itself.
constexpr double kEpsilonF = static_cast<double>(1e-12f);

// ---------------------------------------------------------------- reduction
enum class Reduction { None, Mean, Sum, BatchMean };

Reduction reduction_of(const Params& params);  // reads the "reduction" choice

struct Reduced {
    Tensor loss;                    // 0-dim for Mean/Sum/BatchMean, else a copy of elementwise
    std::vector<double> upstream;   // d loss.sum() / d elementwise[i]
};
// Mean and BatchMean divide the sum by mean_denominator, or by numel when it is < 0:
// NLLLoss/CrossEntropyLoss pass the summed weight of the kept targets, KLDivLoss's 'batchmean'
// passes input.size(0).
Reduced reduce(const Tensor& elementwise, Reduction r, double mean_denominator = -1.0);

// Finishes a LossResult from the 'none' values: fills loss and elementwise; returns upstream.
std::vector<double> finish(LossResult& out, Tensor elementwise, Reduction r, double mean_denominator = -1.0);

// ---------------------------------------------------------------- torch.sum's order of additions
// SumKernel.cpp's order (AVX2 lanes), so that sums whose terms cancel give PyTorch's answer: the
// sum of a contiguous row, of a strided one (x[0], x[s], ...), and the multi-level cascade both use.
double inner_sum(const double* x, std::size_t n);
double row_sum(const double* x, std::size_t s, std::size_t m);
double cascade_sum(const double* x, std::size_t s, std::size_t m);
// The sum over the middle axis of a contiguous (outer, len, inner) block, for column `col` of the
// inner axis starting at x: an inner reduction when inner == 1, else ATen's outer reduction
// (a cascade down each column in full groups of 16 columns, row_sum for the rest).
double axis_sum(const double* x, std::size_t len, std::size_t inner, std::size_t col);

// ---------------------------------------------------------------- arguments
// The tensor for a required forward argument (Error "X.forward() missing required argument: 'target'").
const Tensor& need_arg(const Params& params, const ArgMap& args, const std::string& name);

struct InputTarget {
    const Tensor& input;
    const Tensor& target;
};
inline InputTarget input_target(const Params& p, const ArgMap& args) {
    return {need_arg(p, args, "input"), need_arg(p, args, "target")};
}

// Checks that every value is a whole number (class indices, lengths); `what` names the argument.
void check_integers(const Tensor& t, const std::string& what);
// A value check_integers() has found whole, as the int64 PyTorch holds (Error beyond its range).
std::int64_t as_int64(double v);

inline std::size_t uz(std::int64_t v) { return static_cast<std::size_t>(v); }
// The product of s[from..to).
inline std::int64_t product(const Shape& s, std::size_t from, std::size_t to) {
    std::int64_t p = 1;
    for (std::size_t i = from; i < to && i < s.size(); ++i) p *= s[i];
    return p;
}
inline const double* weight_data(const Tensor* w) { return w ? w->data.data() : nullptr; }

}  // namespace lab
