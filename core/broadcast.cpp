#include "broadcast.hpp"

#include <algorithm>
#include <string>

#include "loss_common.hpp"

namespace lab {

Shape broadcast_shape(const Shape& a, const Shape& b) {
    const std::size_t n = std::max(a.size(), b.size());
    Shape r(n, 1);
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
        const std::int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
        if (da != db && da != 1 && db != 1)
            throw Error("The size of tensor a (" + std::to_string(da) + ") must match the size of tensor b (" +
                        std::to_string(db) + ") at non-singleton dimension " + std::to_string(n - 1 - i));
        r[n - 1 - i] = da == 1 ? db : da;
    }
    return r;
}

Broadcast broadcast(const Shape& a, const Shape& b) {
    const std::size_t n = std::max(a.size(), b.size());
    Broadcast r;
    r.shape = broadcast_shape(a, b);
    const std::size_t total = numel(r.shape);
    r.a_index.resize(total);
    r.b_index.resize(total);
    // Strides of each operand in the broadcast frame (0 along broadcast dims).
    std::vector<std::size_t> sa(n, 0), sb(n, 0);
    std::size_t ka = 1, kb = 1;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t d = n - 1 - i;
        if (i < a.size()) {
            const auto da = static_cast<std::size_t>(a[a.size() - 1 - i]);
            sa[d] = da == 1 ? 0 : ka;
            ka *= da;
        }
        if (i < b.size()) {
            const auto db = static_cast<std::size_t>(b[b.size() - 1 - i]);
            sb[d] = db == 1 ? 0 : kb;
            kb *= db;
        }
    }
    std::vector<std::size_t> idx(n, 0);
    std::size_t oa = 0, ob = 0;
    for (std::size_t k = 0; k < total; ++k) {
        r.a_index[k] = oa;
        r.b_index[k] = ob;
        for (std::size_t d = n; d-- > 0;) {
            ++idx[d];
            oa += sa[d];
            ob += sb[d];
            if (idx[d] < static_cast<std::size_t>(r.shape[d])) break;
            oa -= sa[d] * idx[d];
            ob -= sb[d] * idx[d];
            idx[d] = 0;
        }
    }
    return r;
}

void check_inplace(const Shape& out, const Shape& other) {
    const Shape b = broadcast_shape(out, other);
    if (b != out)
        throw Error("output with shape " + sizes_str(out) + " doesn't match the broadcast shape " + sizes_str(b));
}

namespace {
std::vector<double> reduce_to(const std::vector<double>& grad, const std::vector<std::size_t>& index,
                              std::size_t operand_numel) {
    std::vector<double> out(operand_numel, 0.0);
    for (std::size_t k = 0; k < grad.size(); ++k) out[index[k]] += grad[k];
    return out;
}

}  // namespace

// When the summed dims form one block — kept dims (outer), summed dims (len), kept dims (inner) —
// each output is ATen's sum down its column of that block; two separate blocks of summed dims are
// rare enough to be added in plain order.
std::vector<double> sum_to(std::vector<double> g, const Shape& frame, const Shape& shape,
                           const std::vector<std::size_t>& map) {
    const std::size_t kept = numel(shape);
    if (g.size() == kept) return g;
    const std::size_t lead = frame.size() - shape.size();
    std::size_t outer = 1, len = 1, inner = 1;
    int phase = 0;  // 0: leading kept dims, 1: summed dims, 2: trailing kept dims
    for (std::size_t i = 0; i < frame.size(); ++i) {
        const auto d = static_cast<std::size_t>(frame[i]);
        if (d == 1) continue;
        const bool summed = i < lead || shape[i - lead] == 1;
        if (summed && phase == 2) return reduce_to(g, map, kept);
        if (summed) {
            phase = 1;
            len *= d;
        } else if (phase == 0) {
            outer *= d;
        } else {
            phase = 2;
            inner *= d;
        }
    }
    std::vector<double> out(kept);
    for (std::size_t o = 0; o < outer; ++o)
        for (std::size_t i = 0; i < inner; ++i)
            out[o * inner + i] = axis_sum(g.data() + o * len * inner + i, len, inner, i);
    return out;
}

InFrame::InFrame(const Tensor& t, const Shape& frame) : InFrame(&t, frame) {}

InFrame::InFrame(const Tensor* t, const Shape& frame) : t_(t), frame_(frame) {
    if (!t || t->shape == frame) return;
    map_ = broadcast(t->shape, frame).a_index;
    copy_.resize(map_.size());
    for (std::size_t k = 0; k < map_.size(); ++k) copy_[k] = t->data[map_[k]];
}

std::vector<double> InFrame::sum_back(std::vector<double> g) const {
    if (map_.empty()) return g;
    return sum_to(std::move(g), frame_, t_->shape, map_);
}

}  // namespace lab
