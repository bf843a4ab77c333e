// What every loss shares: the one reduction helper, and argument checks worded as PyTorch words
// them. Each loss computes its reduction='none' values, hands them to reduce(), and multiplies
// its per-element backward by the `upstream` weights reduce() returns — exactly the chain rule
// autograd applies to loss.sum() (for 'none') or to the scalar loss (for 'mean'/'sum'/'batchmean').
#pragma once

#include <string>

#include "registry.hpp"

namespace lab {

enum class Reduction { None, Mean, Sum, BatchMean };

Reduction reduction_of(const Params& params);  // reads the "reduction" choice

struct Reduced {
    Tensor loss;                    // 0-dim for Mean/Sum/BatchMean, else a copy of elementwise
    std::vector<double> upstream;   // d loss.sum() / d elementwise[i]
};
// mean_denominator < 0 means numel (plain mean). NLLLoss/CrossEntropyLoss pass the summed
// weight of the non-ignored targets; BatchMean divides by the size of dim 0 (numel for 0-dim).
Reduced reduce(const Tensor& elementwise, Reduction r, double mean_denominator = -1.0);

// torch.sum's order of additions (SumKernel.cpp, AVX2 lanes), so that sums whose terms cancel
// give PyTorch's answer: the sum of a contiguous row, and of a strided one (x[0], x[s], ...).
double inner_sum(const double* x, std::size_t n);
double row_sum(const double* x, std::size_t s, std::size_t m);
double cascade_sum(const double* x, std::size_t s, std::size_t m);
// The sum over the middle axis of a contiguous (outer, len, inner) block, for column `col` of the
// inner axis starting at x: an inner reduction when inner == 1, else ATen's outer reduction
// (a cascade down each column in full groups of 16 columns, row_sum for the rest).
double axis_sum(const double* x, std::size_t len, std::size_t inner, std::size_t col);

// Finishes a LossResult from the 'none' values: fills loss and elementwise; returns upstream.
std::vector<double> finish(LossResult& out, Tensor elementwise, Reduction r, double mean_denominator = -1.0);

// The tensor for a required forward argument (Error "X.forward() missing required argument: 'target'").
const Tensor& need_arg(const Params& params, const ArgMap& args, const std::string& name);

// Checks that every value is a whole number (class indices, lengths); `what` names the argument.
void check_integers(const Tensor& t, const std::string& what);

}  // namespace lab
