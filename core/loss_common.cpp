#include "loss_common.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace lab {

// ---------------------------------------------------------------- ATen's summation order
// torch.sum does not add left to right. SumKernel.cpp's cascade_sum (AVX2: 4 doubles per vector)
// keeps four interleaved accumulators, sums long runs in a multi-level cascade and, along a
// contiguous row, adds the tail before the vector lanes. The order is invisible unless terms
// cancel, but they do: the gradient of a cosine between nearly parallel vectors is a sum of large
// terms that cancel to almost nothing. So the sums inside composite losses and the sum_to of
// broadcast gradients follow it (rows longer than 32768 elements, which ATen splits across
// threads, are the exception).

namespace {
std::size_t ceil_log2(std::size_t x) {
    if (x <= 2) return 1;
    std::size_t r = 0;
    for (std::size_t v = x - 1; v; v >>= 1) ++r;
    return r;
}
}  // namespace

// multi_row_sum for one row of m values x[0], x[s], x[2s], ...
double cascade_sum(const double* x, std::size_t s, std::size_t m) {
    if (m < 16) {  // shorter than one cascade step: a plain running sum
        double acc = 0.0;
        for (std::size_t i = 0; i < m; ++i) acc += x[i * s];
        return acc;
    }
    constexpr std::size_t levels = 4;
    const std::size_t power = std::max<std::size_t>(4, ceil_log2(m) / levels);
    const std::size_t step = std::size_t{1} << power, mask = step - 1;
    std::array<double, levels> acc{};
    std::size_t i = 0;
    while (i + step <= m) {
        for (std::size_t j = 0; j < step; ++j, ++i) acc[0] += x[i * s];
        for (std::size_t j = 1; j < levels; ++j) {
            acc[j] += acc[j - 1];
            acc[j - 1] = 0.0;
            if ((i & (mask << (j * power))) != 0) break;
        }
    }
    for (; i < m; ++i) acc[0] += x[i * s];
    for (std::size_t j = 1; j < levels; ++j) acc[0] += acc[j];
    return acc[0];
}

// row_sum: four interleaved cascades, the leftover values into the first, then combined.
double row_sum(const double* x, std::size_t s, std::size_t m) {
    const std::size_t groups = m / 4;
    std::array<double, 4> part{};
    if (groups < 16) {  // each cascade is a running sum
        for (std::size_t g = 0; g < groups; ++g)
            for (std::size_t k = 0; k < 4; ++k) part[k] += x[(4 * g + k) * s];
    } else {
        for (std::size_t k = 0; k < 4; ++k) part[k] = cascade_sum(x + k * s, 4 * s, groups);
    }
    for (std::size_t i = groups * 4; i < m; ++i) part[0] += x[i * s];
    for (std::size_t k = 1; k < 4; ++k) part[0] += part[k];
    return part[0];
}

// The sum of a contiguous row (vectorized_inner_sum from 4 values on, scalar_inner_sum below).
double inner_sum(const double* x, std::size_t n) {
    if (n < 4) {  // row_sum of fewer than 4 values: a running sum
        double acc = 0.0;
        for (std::size_t i = 0; i < n; ++i) acc += x[i];
        return acc;
    }
    const std::size_t vecs = n / 4;
    double total = 0.0;
    for (std::size_t k = vecs * 4; k < n; ++k) total += x[k];
    for (std::size_t lane = 0; lane < 4; ++lane) total += row_sum(x + lane, 4, vecs);
    return total;
}

double axis_sum(const double* x, std::size_t len, std::size_t inner, std::size_t col) {
    if (inner == 1) return inner_sum(x, len);
    if (inner >= 4 && col < inner / 16 * 16) return cascade_sum(x, inner, len);
    return row_sum(x, inner, len);
}

Reduction reduction_of(const Params& params) {
    const std::string& r = params.choice("reduction");
    if (r == "none") return Reduction::None;
    if (r == "sum") return Reduction::Sum;
    if (r == "batchmean") return Reduction::BatchMean;
    return Reduction::Mean;
}

Reduced reduce(const Tensor& elementwise, Reduction r, double mean_denominator) {
    Reduced out;
    const std::size_t n = elementwise.numel();
    if (r == Reduction::None) {
        out.loss = elementwise;
        out.upstream.assign(n, 1.0);
        return out;
    }
    const double sum = inner_sum(elementwise.data.data(), n);
    const double denom = r == Reduction::Sum ? 1.0 : mean_denominator < 0 ? static_cast<double>(n) : mean_denominator;
    out.loss = Tensor::scalar(sum / denom);
    out.upstream.assign(n, 1.0 / denom);
    return out;
}

std::vector<double> finish(LossResult& out, Tensor elementwise, Reduction r, double mean_denominator) {
    Reduced red = reduce(elementwise, r, mean_denominator);
    out.loss = std::move(red.loss);
    out.elementwise = std::move(elementwise);
    return std::move(red.upstream);
}

const Tensor& need_arg(const Params& params, const ArgMap& args, const std::string& name) {
    auto it = args.find(name);
    if (it == args.end())
        throw Error(params.spec->name + ".forward() missing 1 required positional argument: '" + name + "'");
    return it->second;
}

void check_integers(const Tensor& t, const std::string& what) {
    for (std::size_t i = 0; i < t.numel(); ++i) {
        const double v = t.data[i];
        if (!(std::isfinite(v) && v == std::floor(v)))
            throw Error(what + " must hold integers (class indices or lengths, int64 in PyTorch), but element " +
                        std::to_string(i) + " is " + py_float(v));
    }
}

// Class indices and lengths arrive as doubles; PyTorch holds them as int64, so anything beyond
// that range could not have been passed at all.
std::int64_t as_int64(double v) {
    if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0))
        throw Error("value " + py_float(v) + " does not fit in int64");
    return static_cast<std::int64_t>(v);
}

}  // namespace lab
