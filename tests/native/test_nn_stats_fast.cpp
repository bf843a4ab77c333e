// nn_stats' two implementations of one definition (core/nn_stats.cpp): summarize(), value by
// value, and summarize_all(), the layer statistics' fast path (torch.sum's cascades in SIMD lanes,
// four Σ (x − mean)² chains at once), held to each other bit for bit — mean, std, range and every
// count — over the lengths where the unrolled order changes shape (below 256 values, whole and
// partial rows of 16, the cascade's deeper steps from 2^23 values), values whose sums cancel (where
// a different order shows), NaN, ±inf and ±0 (the min/max's sign of zero), given ranges with
// values outside, and shared ranges over groups of tensors.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "nn_model.hpp"
#include "nn_random.hpp"
#include "nn_stats.hpp"
#include "stats_same.hpp"
#include "support.hpp"

namespace {

using namespace lab::nn;
using Range = std::optional<std::pair<double, double>>;

using labtest::check_same;
using labtest::same;

// n values of one of several kinds, from PyTorch's generator.
std::vector<double> values(std::size_t n, int kind, std::uint64_t seed) {
    Generator g(seed);
    std::vector<double> v(n);
    g.normal_(v, 0.0, 1.0);
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t i = 0; i < n; ++i) {
        switch (kind) {
            case 1: v[i] = (i % 3 == 0 ? 1e17 : 1.0) * v[i]; break;  // sums that cancel: the order shows
            case 2: v[i] = v[i] < 0 ? (i % 2 ? 0.0 : -0.0) : v[i]; break;  // ReLU-like, both zeros
            case 3: v[i] = v[i] > 0 ? -0.0 : v[i]; break;                   // max is a zero
            case 4:                                                          // specials sprinkled in
                if (i % 97 == 5) v[i] = nan;
                if (i % 89 == 7) v[i] = inf;
                if (i % 83 == 11) v[i] = -inf;
                break;
            case 5: v[i] = 2.5; break;  // one value: the range widened
            case 6: v[i] = nan; break;  // nothing finite
            default: break;
        }
    }
    return v;
}

}  // namespace

TEST_CASE("nn_stats: summarize_all is summarize, bit for bit, tensor by tensor") {
    const std::size_t lengths[] = {0, 1, 3, 4, 5, 17, 63, 64, 255, 256, 257, 271, 1000, 4096, 4099, 65536, 65536 + 13, 200003};
    for (const std::size_t bins : {std::size_t{1}, std::size_t{7}, std::size_t{64}}) {
        for (int kind = 0; kind <= 6; ++kind) {
            for (const Range& range : {Range{}, Range{std::make_pair(-0.5, 1.25)}}) {
                std::vector<std::vector<double>> data;
                std::vector<SummaryTask> tasks;
                for (const std::size_t n : lengths) data.push_back(values(n, kind, n + static_cast<std::size_t>(kind)));
                // each length twice, so that groups of up to four equal lengths are formed
                for (int rep = 0; rep < 2; ++rep)
                    for (const auto& d : data) tasks.push_back({d.data(), d.size(), range, -1});
                const std::vector<Summary> fast = summarize_all(tasks, bins);
                REQUIRE(fast.size() == tasks.size());
                for (std::size_t i = 0; i < tasks.size(); ++i) {
                    CAPTURE(bins);
                    CAPTURE(kind);
                    CAPTURE(tasks[i].n);
                    CAPTURE(range.has_value());
                    check_same(fast[i], summarize(std::vector<double>(tasks[i].x, tasks[i].x + tasks[i].n), bins, range));
                }
            }
        }
    }
}

TEST_CASE("nn_stats: summarize_all over 2^23 values and more (the cascade's deeper steps)") {
    const std::vector<double> v = values((std::size_t{1} << 23) + 41, 1, 3);
    const std::vector<Summary> fast = summarize_all({{v.data(), v.size(), std::nullopt, -1}}, 20);
    check_same(fast[0], summarize(v, 20, std::nullopt));
}

TEST_CASE("nn_stats: shared ranges are the groups' finite min and max, the counts those of that range given") {
    std::vector<std::vector<double>> data;
    for (int kind : {0, 2, 3, 4, 1, 5, 6, 2}) data.push_back(values(300 + 50 * data.size(), kind, 11 + data.size()));
    std::vector<SummaryTask> tasks;
    for (std::size_t i = 0; i < data.size(); ++i) tasks.push_back({data[i].data(), data[i].size(), std::nullopt, static_cast<int>(i % 3)});
    tasks[4].range = std::make_pair(-1.0, 1.0);  // a given range: its own, and not in its group's
    const std::vector<Summary> fast = summarize_all(tasks, 16, true);
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        CAPTURE(i);
        Range want_range = tasks[i].range;
        if (!want_range) {
            // the first occurrence of the smallest and largest finite value, task by task in order
            double lo = labtest::kInf, hi = -labtest::kInf;
            for (std::size_t j = 0; j < tasks.size(); ++j) {
                if (tasks[j].group != tasks[i].group || tasks[j].range) continue;
                for (double v : data[j])
                    if (std::isfinite(v)) {
                        lo = v < lo ? v : lo;
                        hi = v > hi ? v : hi;
                    }
            }
            if (!(lo <= hi)) lo = hi = 0.0;
            want_range = lo == hi ? std::make_pair(lo - 0.5, hi + 0.5) : std::make_pair(lo, hi);
        }
        check_same(fast[i], summarize(data[i], 16, want_range));
    }
    // without shared, a group means nothing
    const std::vector<Summary> own = summarize_all(tasks, 16, false);
    for (std::size_t i = 0; i < tasks.size(); ++i) check_same(own[i], summarize(data[i], 16, tasks[i].range));
}

TEST_CASE("nn_stats: dead and saturated shares (two columns in the lanes) are the definitions' plain loops") {
    // ReLU units die, Hardtanh saturates both ways; odd widths leave a column outside the lanes;
    // a NaN f′ (none here from the kernels) would count as not saturated either way.
    for (const char* act : {"ReLU", "Hardtanh", "Sigmoid"}) {
        for (const std::int64_t w : {std::int64_t{7}, std::int64_t{8}, std::int64_t{33}}) {
            CAPTURE(act);
            CAPTURE(w);
            NetworkSpec spec;
            spec.sizes = {5, w, w, 3};
            spec.activation = {act, {}};
            spec.seed = 2;
            spec.init = InitSpec{"normal", {{"std", lab::Value::num(1.5)}}, "zeros"};
            Network net(spec);
            Generator g(4);
            std::vector<double> x(static_cast<std::size_t>(40 * 5));
            g.normal_(x, 0.0, 2.0);
            net.forward(lab::Tensor(lab::Shape{40, 5}, x));
            StatsOptions o;
            o.saturation = 0.05;
            const auto st = layer_statistics(net, o);
            const Pass& p = *net.last_pass();
            for (std::size_t l = 0; l + 1 < st.size(); ++l) {
                const std::size_t n = 40, cols = static_cast<std::size_t>(w);
                std::size_t dead = 0, saturated = 0;
                for (std::size_t j = 0; j < cols; ++j) {
                    bool alive = false;
                    for (std::size_t r = 0; r < n; ++r) {
                        const double post = p.values[l].post.data[r * cols + j], d = p.dpost[l][r * cols + j];
                        alive = alive || !(post == 0.0 && d == 0.0);
                        saturated += std::fabs(d) < o.saturation;
                    }
                    dead += !alive;
                }
                CAPTURE(l);
                CHECK(st[l].dead == static_cast<double>(dead) / static_cast<double>(cols));
                CHECK(st[l].saturated == static_cast<double>(saturated) / static_cast<double>(n * cols));
            }
        }
    }
}
