// Bit-for-bit comparison of nn_stats results (NaN matches NaN, and ±0 must match in sign), shared
// by the tests that hold two ways of computing statistics to each other: test_nn_stats_fast.cpp
// (summarize_all against summarize) and test_nn_pass.cpp (a BlockPass against gradients()).
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "nn_stats.hpp"

namespace labtest {

inline bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0; }

inline void check_same(const lab::nn::Summary& got, const lab::nn::Summary& want, const char* what = "") {
    CAPTURE(what);
    CHECK(same(got.mean, want.mean));
    CHECK(same(got.std, want.std));
    CHECK(same(got.histogram.lo, want.histogram.lo));
    CHECK(same(got.histogram.hi, want.histogram.hi));
    CHECK(got.histogram.counts == want.histogram.counts);
    CHECK(got.histogram.below == want.histogram.below);
    CHECK(got.histogram.above == want.histogram.above);
    CHECK(got.histogram.nonfinite == want.histogram.nonfinite);
}

inline void check_same(const std::vector<lab::nn::LayerStats>& got, const std::vector<lab::nn::LayerStats>& want) {
    REQUIRE(got.size() == want.size());
    for (std::size_t l = 0; l < got.size(); ++l) {
        CAPTURE(l);
        check_same(got[l].pre, want[l].pre, "pre");
        check_same(got[l].post, want[l].post, "post");
        REQUIRE(got[l].grad.has_value() == want[l].grad.has_value());
        if (got[l].grad) check_same(*got[l].grad, *want[l].grad, "grad");
        CHECK(same(got[l].weight_grad_norm, want[l].weight_grad_norm));
        CHECK(same(got[l].bias_grad_norm, want[l].bias_grad_norm));
        CHECK(same(got[l].dead, want[l].dead));
        CHECK(same(got[l].saturated, want[l].saturated));
    }
}

}  // namespace labtest
