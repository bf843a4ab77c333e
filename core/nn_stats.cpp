// Design note: the definitions are in nn_stats.hpp; this is their one implementation. Norms are
// sqrt of a sum of squares in index order (torch.linalg.norm agrees to a few ulps, which is all a
// plotted number needs); the mean uses torch.sum's order so that a mean of nearly cancelling
// activations is PyTorch's number, not noise around it.
#include "nn_stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "loss_common.hpp"

namespace lab::nn {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double norm(const std::vector<double>& v) {
    double s = 0.0;
    for (double x : v) s += x * x;
    return std::sqrt(s);
}

void check_range(const std::optional<std::pair<double, double>>& r, const char* field) {
    if (r && !(std::isfinite(r->first) && std::isfinite(r->second) && r->first < r->second))
        throw Error(std::string(field) + ": a histogram range needs finite lo < hi, got [" + py_float(r->first) + ", " +
                    py_float(r->second) + "]");
}

// Σ (x − mean)² in index order and, when asked, the finite min and max (the first finite value
// sets both; a later one replaces them only when strictly smaller / larger; lo > hi: none).
struct Spread {
    double ss, lo, hi;
};
[[gnu::noinline]] Spread spread(const double* x, std::size_t n, double mean, bool extrema) {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    double ss = 0.0, lo = kInf, hi = -kInf;
    if (!extrema) {
        for (std::size_t i = 0; i < n; ++i) ss += (x[i] - mean) * (x[i] - mean);
        return {ss, lo, hi};
    }
    for (std::size_t i = 0; i < n; ++i) {
        const double v = x[i];
        ss += (v - mean) * (v - mean);
        // (A non-finite value is swapped for one that cannot win: no branch in the loop.)
        const bool finite = std::isfinite(v);
        const double vl = finite ? v : kInf, vh = finite ? v : -kInf;
        lo = vl < lo ? vl : lo;
        hi = vh > hi ? vh : hi;
    }
    return {ss, lo, hi};
}

}  // namespace

Summary summarize(const std::vector<double>& values, std::size_t bins, const std::optional<std::pair<double, double>>& range) {
    Summary s;
    const std::size_t n = values.size();
    const double* x = values.data();
    s.mean = n ? inner_sum(x, n) / static_cast<double>(n) : kNaN;
    const Spread sp = spread(x, n, s.mean, !range);
    const double ss = sp.ss, lo = sp.lo, hi = sp.hi;
    const bool any = lo <= hi;
    s.std = n ? std::sqrt(ss / static_cast<double>(n)) : kNaN;

    Histogram& h = s.histogram;
    if (range) {
        h.lo = range->first;
        h.hi = range->second;
    } else {
        h.lo = any ? lo : 0.0;
        h.hi = any ? hi : 0.0;
        if (h.lo == h.hi) {
            h.lo -= 0.5;
            h.hi += 0.5;
        }
    }
    // A bin's position (v − lo) / width · bins is computed for a chunk at a time in a loop without
    // branches (so the compiler can vectorise the division), then the chunk is sorted into bins.
    // Whole counts in integers, four interleaved tallies so that a run of values in one bin is not
    // one chain of read-modify-writes; summed into the doubles at the end (exact).
    const double hlo = h.lo, hhi = h.hi, width = hhi - hlo, scale = static_cast<double>(bins);
    std::vector<std::size_t> tally(4 * bins, 0);
    std::size_t below = 0, above = 0, nonfinite = 0;
    constexpr std::size_t kChunk = 256;
    double pos[kChunk];
    for (std::size_t i0 = 0; i0 < n; i0 += kChunk) {
        const std::size_t m = std::min(kChunk, n - i0);
        const double* xc = x + i0;
        for (std::size_t k = 0; k < m; ++k) pos[k] = (xc[k] - hlo) / width * scale;
        for (std::size_t k = 0; k < m; ++k) {
            const double v = xc[k];
            if (!std::isfinite(v)) ++nonfinite;
            else if (v < hlo) ++below;
            else if (v > hhi) ++above;
            else {
                // pos is in [0, bins] here, so the conversion through int64 is the size_t one.
                auto b = static_cast<std::size_t>(static_cast<std::int64_t>(pos[k]));
                if (b >= bins) b = bins - 1;
                ++tally[(k & 3) * bins + b];
            }
        }
    }
    h.counts.assign(bins, 0.0);
    for (std::size_t b = 0; b < bins; ++b)
        h.counts[b] = static_cast<double>(tally[b] + tally[bins + b] + tally[2 * bins + b] + tally[3 * bins + b]);
    h.below = static_cast<double>(below);
    h.above = static_cast<double>(above);
    h.nonfinite = static_cast<double>(nonfinite);
    return s;
}

std::vector<LayerStats> layer_statistics(const Network& net, const StatsOptions& o) {
    if (o.bins < 1) throw Error("bins: a histogram needs at least 1 bin, got 0");
    if (!(o.saturation >= 0.0)) throw Error("saturation: the |f′| threshold must be ≥ 0, got " + py_float(o.saturation));
    check_range(o.pre_range, "pre_range");
    check_range(o.post_range, "post_range");
    check_range(o.grad_range, "grad_range");
    const Pass* pass = net.last_pass();
    if (!pass) throw Error("statistics: the network has not run yet; call forward(), gradients() or step() first");

    const std::size_t L = pass->values.size();
    std::vector<LayerStats> out(L);
    for (std::size_t l = 0; l < L; ++l) {
        const LayerValues& v = pass->values[l];
        LayerStats& st = out[l];
        st.pre = summarize(v.pre.data, o.bins, o.pre_range);
        st.post = summarize(v.post.data, o.bins, o.post_range);
        if (pass->has_grads) {
            st.grad = summarize(pass->grad_pre[l].data, o.bins, o.grad_range);
            st.weight_grad_norm = norm(pass->grads[l].weight);
            st.bias_grad_norm = norm(pass->grads[l].bias);
        } else {
            st.weight_grad_norm = st.bias_grad_norm = kNaN;
        }
        const Network::Module& m = l + 1 < L ? net.activation_module() : net.output_module();
        const std::vector<double>& d = pass->dpost[l];
        if (!m.present()) {  // no module: f′ = 1 everywhere
            st.dead = st.saturated = 0.0;
            if (o.saturation > 1.0) st.saturated = 1.0;
            continue;
        }
        if (!m.elementwise()) {
            st.dead = st.saturated = kNaN;
            continue;
        }
        const std::size_t n = static_cast<std::size_t>(v.pre.shape[0]), w = static_cast<std::size_t>(v.pre.shape[1]);
        // Row by row (contiguous): a unit stays dead while every example gives output 0 and f′ 0.
        std::vector<unsigned char> alive(w, 0);
        std::size_t dead = 0, saturated = 0;
        for (std::size_t r = 0; r < n; ++r) {
            const double* post = v.post.data.data() + r * w;
            const double* dr = d.data() + r * w;
            for (std::size_t j = 0; j < w; ++j) {
                alive[j] |= static_cast<unsigned char>(!(post[j] == 0.0 && dr[j] == 0.0));
                saturated += std::fabs(dr[j]) < o.saturation;
            }
        }
        for (std::size_t j = 0; j < w; ++j) dead += !alive[j];
        st.dead = static_cast<double>(dead) / static_cast<double>(w);
        st.saturated = static_cast<double>(saturated) / static_cast<double>(n * w);
    }
    return out;
}

}  // namespace lab::nn
