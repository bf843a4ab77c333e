// Design note: the distances of the triplet losses — torch.pairwise_distance (a p-norm of
// x1 - x2 + eps along the last dim) and 1 - F.cosine_similarity (along dim 1) — between two
// tensors broadcast together, with their backward. Each is ATen's reduction kernel by p,
// accumulated in order, and its backward is FunctionsManual's norm_backward (or autograd's chain
// through the cosine's ops), so ties, zeros and infinite p come out as PyTorch's. Header-only: the
// one user (losses_embedding.cpp) inlines the per-row loops.
#pragma once

#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

#include "broadcast.hpp"
#include "loss_common.hpp"
#include "scalar.hpp"

namespace lab {

// Tensor.pow(scalar) with ATen's special cases (they round differently from std::pow).
inline double aten_pow(double base, double e) {
    if (e == 0.0) return 1.0;
    if (e == 1.0) return base;
    if (e == 0.5) return std::sqrt(base);
    if (e == -0.5) return 1.0 / std::sqrt(base);
    if (e == -1.0) return 1.0 / base;
    if (e == 2.0) return base * base;
    if (e == 3.0) return base * base * base;
    if (e == -2.0) return 1.0 / (base * base);
    return std::pow(base, e);
}

// A distance between two tensors along one axis of their broadcast frame, and its backward.
// Frame = outer x len x inner around the axis; the distance has one value per (outer, inner) row,
// whose elements sit at base(row) + j * inner.
class PairDistance {
public:
    enum class Kind { PNorm, Cosine };

    // PNorm: torch.pairwise_distance(x1, x2, p, eps) = norm(x1 - x2 + eps, p, last dim).
    // Cosine: 1 - F.cosine_similarity(x1, x2) (dim=1, eps=1e-8).
    PairDistance(const Tensor& x1, const Tensor& x2, Kind kind, double p, double eps)
        : kind_(kind), p_(p), eps_(eps), frame_(broadcast_shape(x1.shape, x2.shape)), f1_(x1, frame_), f2_(x2, frame_) {
        const std::int64_t nd = static_cast<std::int64_t>(frame_.size());
        const std::size_t axis =
            kind == Kind::PNorm ? (nd == 0 ? 0 : static_cast<std::size_t>(nd - 1))
                                : static_cast<std::size_t>(wrap_dim(1, nd));
        len_ = nd == 0 ? 1 : static_cast<std::size_t>(frame_[axis]);
        for (std::size_t i = 0; i < frame_.size(); ++i) {
            if (i < axis) outer_ *= static_cast<std::size_t>(frame_[i]);
            if (i > axis) inner_ *= static_cast<std::size_t>(frame_[i]);
            if (i != axis) rows_.push_back(frame_[i]);
        }
        if (kind == Kind::PNorm)
            pnorm_forward();
        else
            cosine_forward();
    }

    const Shape& rows() const { return rows_; }
    const std::vector<double>& values() const { return dist_; }

    // Gradients for x1 and x2 (in their own shapes) from a gradient per row.
    std::pair<std::vector<double>, std::vector<double>> backward(const std::vector<double>& g) const {
        const std::size_t n = numel(frame_);
        std::vector<double> g1(n), g2(n);
        if (kind_ == Kind::PNorm)
            pnorm_backward(g, g1, g2);
        else
            cosine_backward(g, g1, g2);
        return {f1_.sum_back(std::move(g1)), f2_.sum_back(std::move(g2))};
    }

private:
    // Calls f(row, base) for every row.
    template <class F>
    void each_row(F&& f) const {
        for (std::size_t o = 0; o < outer_; ++o)
            for (std::size_t i = 0; i < inner_; ++i) f(o * inner_ + i, o * len_ * inner_ + i);
    }
    // Calls f(row, k) for every frame element k (row-major order).
    template <class F>
    void each_element(F&& f) const {
        std::size_t k = 0;
        for (std::size_t o = 0; o < outer_; ++o)
            for (std::size_t j = 0; j < len_; ++j)
                for (std::size_t i = 0; i < inner_; ++i, ++k) f(o * inner_ + i, k);
    }
    // The sum of a frame-shaped array along the axis, for the row at `base`, in ATen's order.
    double sum_row(const std::vector<double>& t, std::size_t base) const {
        return axis_sum(t.data() + base, len_, inner_, base % inner_);
    }

    void pnorm_forward() {
        const double* a = f1_.data();
        const double* b = f2_.data();
        v_.resize(numel(frame_));
        for (std::size_t k = 0; k < v_.size(); ++k) v_[k] = a[k] - b[k] + eps_;
        dist_.resize(outer_ * inner_);
        each_row([&](std::size_t r, std::size_t base) { dist_[r] = norm_row(v_.data() + base); });
    }

    // ATen's norm reduction kernels by p, accumulated in order (for p = 2 ATen's AVX2 build fuses
    // acc + v * v into an FMA; a plain multiply-add can differ from it in the last bit).
    double norm_row(const double* v) const {
        const double p = p_;
        const std::size_t s = inner_;
        double acc = 0.0;
        if (p == 0.0) {
            for (std::size_t j = 0; j < len_; ++j) acc += v[j * s] == 0.0 ? 0.0 : 1.0;
            return acc;
        }
        if (p == 1.0) {
            for (std::size_t j = 0; j < len_; ++j) acc += std::abs(v[j * s]);
            return acc;
        }
        if (p == 2.0) {
            for (std::size_t j = 0; j < len_; ++j) acc += v[j * s] * v[j * s];
            return std::sqrt(acc);
        }
        if (p == kInf) {
            for (std::size_t j = 0; j < len_; ++j) acc = nan_max(acc, std::abs(v[j * s]));
            return acc;
        }
        if (p == -kInf) {
            acc = kInf;
            for (std::size_t j = 0; j < len_; ++j) acc = nan_min(acc, std::abs(v[j * s]));
            return acc;
        }
        for (std::size_t j = 0; j < len_; ++j) acc += std::pow(std::abs(v[j * s]), p);
        return std::pow(acc, 1.0 / p);
    }

    // norm_backward (FunctionsManual) by p; x1 - x2 then gives +/- the same gradient.
    void pnorm_backward(const std::vector<double>& g, std::vector<double>& g1, std::vector<double>& g2) const {
        const double p = p_;
        if (p == 2.0) {  // the common case, without the per-element dispatch on p
            each_row([&](std::size_t r, std::size_t base) {
                const double nrm = dist_[r], gr = g[r];
                for (std::size_t j = 0; j < len_; ++j) {
                    const std::size_t k = base + j * inner_;
                    const double gv = gr * (nrm == 0.0 ? 0.0 : v_[k] / nrm);
                    g1[k] = gv;
                    g2[k] = -gv;
                }
            });
            return;
        }
        each_row([&](std::size_t r, std::size_t base) {
            const double nrm = dist_[r];
            const double gr = g[r];
            double count = 0.0;  // p = +-inf: the gradient is shared by the entries that attain the norm
            if (std::isinf(p))
                for (std::size_t j = 0; j < len_; ++j) {
                    const double av = std::abs(v_[base + j * inner_]);
                    count += (av == nrm || std::isnan(av)) ? 1.0 : 0.0;
                }
            for (std::size_t j = 0; j < len_; ++j) {
                const std::size_t k = base + j * inner_;
                const double v = v_[k];
                double gv;
                if (p == 0.0) {
                    gv = 0.0;  // PyTorch gives no gradient at all for the 0-"norm"
                } else if (p == 1.0) {
                    gv = sgn(v) * gr;
                } else if (p == 2.0) {
                    gv = gr * (nrm == 0.0 ? 0.0 : v / nrm);
                } else if (std::isinf(p)) {
                    const double av = std::abs(v);
                    const double mask = (av == nrm || std::isnan(av)) ? 1.0 : 0.0;
                    gv = sgn(v) * ((gr / count) * mask);
                } else if (p < 1.0) {
                    const double scaled = sgn(v) * (v == 0.0 ? 0.0 : aten_pow(std::abs(v), p - 1));
                    gv = scaled * gr * aten_pow(nrm, 1 - p);
                } else {
                    const double scaled =
                        p < 2.0 ? sgn(v) * aten_pow(std::abs(v), p - 1) : v * aten_pow(std::abs(v), p - 2);
                    const double scale = nrm == 0.0 ? 0.0 : gr / aten_pow(nrm, p - 1);
                    gv = scaled * scale;
                }
                g1[k] = gv;
                g2[k] = -gv;
            }
        });
    }

    // ((x1 / n1) * (x2 / n2)).sum(1) with n = max(sqrt((x ** 2).sum(1)), eps).
    void cosine_forward() {
        const double* a = f1_.data();
        const double* b = f2_.data();
        const std::size_t n = numel(frame_), nrows = outer_ * inner_;
        std::vector<double> t1(n), t2(n);
        for (std::size_t k = 0; k < n; ++k) {
            t1[k] = a[k] * a[k];
            t2[k] = b[k] * b[k];
        }
        n1_.resize(nrows);
        n2_.resize(nrows);
        dist_.resize(nrows);
        // The norms are clamped at eps under no_grad, so backward sees the clamped values.
        each_row([&](std::size_t r, std::size_t base) {
            n1_[r] = clamp_min(std::sqrt(sum_row(t1, base)), eps_);
            n2_[r] = clamp_min(std::sqrt(sum_row(t2, base)), eps_);
        });
        each_element([&](std::size_t r, std::size_t k) { t1[k] = (a[k] / n1_[r]) * (b[k] / n2_[r]); });
        each_row([&](std::size_t r, std::size_t base) { dist_[r] = 1.0 - sum_row(t1, base); });
    }

    // Autograd through the ops above, then through 1 - cs.
    void cosine_backward(const std::vector<double>& g, std::vector<double>& g1, std::vector<double>& g2) const {
        const double* a = f1_.data();
        const double* b = f2_.data();
        const std::size_t n = numel(frame_), nrows = outer_ * inner_;
        std::vector<double> t1(n), t2(n);
        each_element([&](std::size_t r, std::size_t k) {
            const double n1 = n1_[r], n2 = n2_[r];
            const double gcs = -g[r];
            const double gu = gcs * (b[k] / n2), gw = gcs * (a[k] / n1);
            g1[k] = gu / n1;
            g2[k] = gw / n2;
            t1[k] = -gu * ((a[k] / n1) / n1);
            t2[k] = -gw * ((b[k] / n2) / n2);
        });
        std::vector<double> gs1(nrows), gs2(nrows);
        each_row([&](std::size_t r, std::size_t base) {
            gs1[r] = sum_row(t1, base) / (2 * n1_[r]);
            gs2[r] = sum_row(t2, base) / (2 * n2_[r]);
        });
        each_element([&](std::size_t r, std::size_t k) {
            g1[k] = g1[k] + gs1[r] * (2.0 * a[k]);
            g2[k] = g2[k] + gs2[r] * (2.0 * b[k]);
        });
    }

    Kind kind_;
    double p_, eps_;
    Shape frame_;
    InFrame f1_, f2_;
    std::size_t outer_ = 1, len_ = 1, inner_ = 1;
    Shape rows_;
    std::vector<double> dist_, v_, n1_, n2_;
};

}  // namespace lab
