#include "loss_common.hpp"

#include <cmath>

namespace lab {

namespace {

// Pairwise summation: error grows with log(n) rather than n, closer to PyTorch's vectorised sum
// on the million-element inputs of the benchmark.
double pairwise_sum(const double* v, std::size_t n) {
    if (n <= 16) {
        double s = 0.0;
        for (std::size_t i = 0; i < n; ++i) s += v[i];
        return s;
    }
    const std::size_t half = n / 2;
    return pairwise_sum(v, half) + pairwise_sum(v + half, n - half);
}

}  // namespace

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
    const double sum = pairwise_sum(elementwise.data.data(), n);
    double denom = 1.0;
    if (r == Reduction::Mean) {
        denom = mean_denominator < 0 ? static_cast<double>(n) : mean_denominator;
    } else if (r == Reduction::BatchMean && elementwise.dim() > 0) {
        denom = static_cast<double>(elementwise.shape[0]);
    }
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

const Tensor* opt_arg(const ArgMap& args, const std::string& name) {
    auto it = args.find(name);
    return it == args.end() ? nullptr : &it->second;
}

void check_integers(const Tensor& t, const std::string& what) {
    for (std::size_t i = 0; i < t.numel(); ++i) {
        const double v = t.data[i];
        if (!(std::isfinite(v) && v == std::floor(v)))
            throw Error(what + " must hold integers (class indices or lengths, int64 in PyTorch), but element " +
                        std::to_string(i) + " is " + py_float(v));
    }
}

}  // namespace lab
