// Design note: the definitions are in nn_stats.hpp; this is their one implementation. Norms are
// sqrt of a sum of squares in index order (torch.linalg.norm agrees to a few ulps, which is all a
// plotted number needs); the mean uses torch.sum's order so that a mean of nearly cancelling
// activations is PyTorch's number, not noise around it.
#include "nn_stats.hpp"

#include <cmath>
#include <limits>
#include <string>

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

}  // namespace

Summary summarize(const std::vector<double>& values, std::size_t bins, const std::optional<std::pair<double, double>>& range) {
    Summary s;
    const std::size_t n = values.size();
    s.mean = n ? inner_sum(values.data(), n) / static_cast<double>(n) : kNaN;
    double ss = 0.0;
    for (double v : values) ss += (v - s.mean) * (v - s.mean);
    s.std = n ? std::sqrt(ss / static_cast<double>(n)) : kNaN;

    Histogram& h = s.histogram;
    h.counts.assign(bins, 0.0);
    if (range) {
        h.lo = range->first;
        h.hi = range->second;
    } else {
        bool any = false;
        for (double v : values) {
            if (!std::isfinite(v)) continue;
            if (!any || v < h.lo) h.lo = v;
            if (!any || v > h.hi) h.hi = v;
            any = true;
        }
        if (!any) h.lo = h.hi = 0.0;
        if (h.lo == h.hi) {
            h.lo -= 0.5;
            h.hi += 0.5;
        }
    }
    const double width = h.hi - h.lo;
    for (double v : values) {
        if (!std::isfinite(v)) h.nonfinite += 1;
        else if (v < h.lo) h.below += 1;
        else if (v > h.hi) h.above += 1;
        else {
            auto b = static_cast<std::size_t>((v - h.lo) / width * static_cast<double>(bins));
            if (b >= bins) b = bins - 1;
            h.counts[b] += 1;
        }
    }
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
        if (!m.spec) {  // no module: f′ = 1 everywhere
            st.dead = st.saturated = 0.0;
            if (o.saturation > 1.0) st.saturated = 1.0;
            continue;
        }
        if (m.spec->kind != Kind::Elementwise) {
            st.dead = st.saturated = kNaN;
            continue;
        }
        const std::size_t n = static_cast<std::size_t>(v.pre.shape[0]), w = static_cast<std::size_t>(v.pre.shape[1]);
        std::size_t dead = 0, saturated = 0;
        for (std::size_t j = 0; j < w; ++j) {
            bool all_zero = true;
            for (std::size_t r = 0; r < n; ++r) {
                const std::size_t i = r * w + j;
                all_zero = all_zero && v.post.data[i] == 0.0 && d[i] == 0.0;
                saturated += std::fabs(d[i]) < o.saturation;
            }
            dead += all_zero;
        }
        st.dead = static_cast<double>(dead) / static_cast<double>(w);
        st.saturated = static_cast<double>(saturated) / static_cast<double>(n * w);
    }
    return out;
}

}  // namespace lab::nn
