// Test inputs for the network engine's tests: n × w values of PyTorch's generator (normal_ from
// torch.manual_seed(seed)), scaled — so a case's input is reproducible in a notebook, and one
// helper serves every nn test instead of a copy per file.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "nn_random.hpp"
#include "tensor.hpp"

namespace labtest {

inline lab::Tensor randn(std::int64_t n, std::int64_t w, std::uint64_t seed, double scale = 1.0) {
    lab::nn::Generator g(seed);
    std::vector<double> v(static_cast<std::size_t>(n * w));
    g.normal_(v, 0.0, scale);
    return lab::Tensor(lab::Shape{n, w}, std::move(v));
}

}  // namespace labtest
