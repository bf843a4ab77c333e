// Design note: the definitions are in nn_stats.hpp. Norms are sqrt of a sum of squares in index
// order (torch.linalg.norm agrees to a few ulps, which is all a plotted number needs); the mean
// uses torch.sum's order so that a mean of nearly cancelling activations is PyTorch's number, not
// noise around it.
// Two implementations of one definition: summarize() is the plain one, value by value; the
// layer statistics use summarize_all(), the same arithmetic arranged for speed (the depth view
// summarises 150 tensors of 65,536 values per redraw): torch.sum's 16 interleaved cascades run
// in SIMD lanes (the cascades are independent, so lanes change no bit), the min and max ride
// along, and Σ (x − mean)² — one sequential sum per tensor, which must stay one — runs for up to
// four tensors at once, so the additions of different tensors overlap instead of waiting on each
// other. Bins are found two at a time in the lanes; where the range is automatic or shared and
// the sum finite, every value is known finite and inside the range, and the checks for below,
// above and non-finite are skipped. (A product by bins / width in place of the division, checked
// against the division where near a bin edge, measured slower here: the division is not the
// bottleneck, the memory is.) tests/native/test_nn_stats_fast.cpp holds the two to each other
// bit for bit, and the dead/saturated shares to their definitions' plain loops.
#include "nn_stats.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "loss_common.hpp"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace lab::nn {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using Range = std::optional<std::pair<double, double>>;

double norm(const std::vector<double>& v) {
    if (v.empty()) return 0.0;
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

Summary summarize_span(const double* x, std::size_t n, std::size_t bins, const std::optional<std::pair<double, double>>& range);

}  // namespace

Summary summarize(const std::vector<double>& values, std::size_t bins, const std::optional<std::pair<double, double>>& range) {
    return summarize_span(values.data(), values.size(), bins, range);
}

namespace {
Summary summarize_span(const double* x, std::size_t n, std::size_t bins, const std::optional<std::pair<double, double>>& range) {
    Summary s;
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
                // pos is in [0, bins] here, so the conversion through int64 is the size_t one —
                // or NaN, when the range has width 0 or ∞ (lo ± 0.5 rounding to lo at 1e17): the last bin.
                auto b = pos[k] < scale ? static_cast<std::size_t>(static_cast<std::int64_t>(pos[k])) : bins - 1;
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

// ---------------------------------------------------------------- the fast path
constexpr double kInf = std::numeric_limits<double>::infinity();
using v2d = double __attribute__((vector_size(16)));
using v2l = std::int64_t __attribute__((vector_size(16)));
using v2i = std::int32_t __attribute__((vector_size(8)));

// (int32)p of two doubles known to be in [0, 2^31), into out[0..2): one instruction each way
// (cvttpd2dq; i32x4.trunc_sat_f64x2_s_zero, which plain conversion code does not reach in wasm).
inline void trunc2(v2d p, std::int32_t* out) {
#if defined(__wasm_simd128__)
    const v128_t r = wasm_i32x4_trunc_sat_f64x2_zero(reinterpret_cast<v128_t>(p));
    std::memcpy(out, &r, 2 * sizeof(std::int32_t));
#else
    const v2i r = __builtin_convertvector(p, v2i);
    std::memcpy(out, &r, sizeof r);
#endif
}

inline v2d load2(const double* p) {
    v2d v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline v2d select(v2l m, v2d a, v2d b) { return reinterpret_cast<v2d>((m & reinterpret_cast<v2l>(a)) | (~m & reinterpret_cast<v2l>(b))); }

std::size_t ceil_log2(std::size_t x) {  // (loss_common.cpp's, for cascade_sum's step)
    if (x <= 2) return 1;
    std::size_t r = 0;
    for (std::size_t v = x - 1; v; v >>= 1) ++r;
    return r;
}

// The min (max) of the finite values, as spread() finds it: the first occurrence of the smallest
// value. Lanes only find its value; when that is 0 the first zero in index order gives the sign.
double first_zero(const double* x, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (x[i] == 0.0) return x[i];
    return 0.0;
}

struct SumExtrema {
    double sum, lo, hi;  // lo > hi: no finite value (or not asked)
};

// inner_sum(x, n) (loss_common.cpp) bit for bit, and the finite min and max when asked. Its
// order, unrolled: from 256 values on, column c (0..15) is the cascade_sum of x[c + 16g] over
// the `groups` full rows of 16; lane L's row_sum is then column L, plus x[L + 4i] of the rows
// left over, plus columns L + 4, L + 8, L + 12; the total is the tail x[4·vecs ..] then lanes 0..3.
SumExtrema sum_extrema(const double* x, std::size_t n, bool extrema) {
    if (n < 256) {
        const Spread e = extrema ? spread(x, n, 0.0, true) : Spread{0.0, kInf, -kInf};
        return {inner_sum(x, n), e.lo, e.hi};
    }
    const std::size_t vecs = n / 4, groups = vecs / 4;
    const std::size_t power = std::max<std::size_t>(4, ceil_log2(groups) / 4), step = std::size_t{1} << power,
                      mask = step - 1;
    v2d acc[4][8] = {};
    // (NaN never compares smaller or larger, so it is skipped for free; an infinity is not, and
    // when one wins, the scalar scan below finds the finite min and max instead.)
    v2d lo2[2] = {{kInf, kInf}, {kInf, kInf}}, hi2[2] = {{-kInf, -kInf}, {-kInf, -kInf}};
    auto row = [&](std::size_t g) {
        const double* p = x + 16 * g;
        v2d a[8];
        for (int v = 0; v < 8; ++v) {
            a[v] = load2(p + 2 * v);
            acc[0][v] += a[v];
        }
        if (!extrema) return;
        for (int v = 0; v < 8; ++v) {
            lo2[v & 1] = a[v] < lo2[v & 1] ? a[v] : lo2[v & 1];  // (minpd, f64x2.pmin)
            hi2[v & 1] = a[v] > hi2[v & 1] ? a[v] : hi2[v & 1];
        }
    };
    std::size_t g = 0;
    while (g + step <= groups) {
        for (std::size_t j = 0; j < step; ++j) row(g++);
        for (std::size_t l = 1; l < 4; ++l) {
            for (int v = 0; v < 8; ++v) {
                acc[l][v] += acc[l - 1][v];
                acc[l - 1][v] = v2d{0.0, 0.0};
            }
            if ((g & (mask << (l * power))) != 0) break;
        }
    }
    for (; g < groups; ++g) row(g);
    double col[16];
    for (int v = 0; v < 8; ++v) {
        const v2d c = ((acc[0][v] + acc[1][v]) + acc[2][v]) + acc[3][v];
        col[2 * v] = c[0];
        col[2 * v + 1] = c[1];
    }
    double total = 0.0;
    for (std::size_t k = vecs * 4; k < n; ++k) total += x[k];
    for (std::size_t lane = 0; lane < 4; ++lane) {
        double part = col[lane];
        for (std::size_t i = groups * 4; i < vecs; ++i) part += x[lane + 4 * i];
        part += col[lane + 4];
        part += col[lane + 8];
        part += col[lane + 12];
        total += part;
    }
    if (!extrema) return {total, kInf, -kInf};
    double lo = std::min({lo2[0][0], lo2[0][1], lo2[1][0], lo2[1][1]});
    double hi = std::max({hi2[0][0], hi2[0][1], hi2[1][0], hi2[1][1]});
    for (std::size_t k = 16 * groups; k < n; ++k) {  // what the rows of 16 left
        const double v = x[k];
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    if (std::isinf(lo) || std::isinf(hi)) {
        const Spread e = spread(x, n, 0.0, true);
        return {total, e.lo, e.hi};
    }
    if (lo == 0.0) lo = first_zero(x, n);
    if (hi == 0.0) hi = first_zero(x, n);
    return {total, lo, hi};
}

// Σ (x_t[i] − mean_t)² in index order, and the histogram tallies, for K tensors of n values at
// once (the K sums are independent chains, interleaved). tally[t] has 4 × (bins + 3) counters:
// four interleaved copies of [bins…, below, above, nonfinite].
// Inside: every value is finite and within [lo, hi] (an automatic or shared range, and a finite
// sum), so the bin is all there is to find: (v − lo) / width · bins, at most bins − 1.
template <std::size_t K, bool Inside>
void spread_bins(const double* const* x, std::size_t n, const double* mean, const Histogram* const* h, std::size_t bins,
                 double* ss, std::size_t* const* tally) {
    constexpr std::size_t kChunk = 128;
    const std::size_t slots = bins + 3;
    const double maxb = static_cast<double>(bins - 1), scale = static_cast<double>(bins);
    double lo[K], hi[K], width[K], s[K];
    for (std::size_t t = 0; t < K; ++t) {
        lo[t] = h[t]->lo;
        hi[t] = h[t]->hi;
        width[t] = hi[t] - lo[t];
        s[t] = 0.0;
    }
    alignas(16) std::int64_t slot[kChunk];
    alignas(16) std::int32_t bin[kChunk];
    const double magic = 4503599627370496.0;  // 2^52
    const v2d maxb2 = {maxb, maxb}, magic2 = {magic, magic}, one2 = {1.0, 1.0};
    std::int64_t magic_bits;
    std::memcpy(&magic_bits, &magic, sizeof magic);
    const v2l magic_bits2 = {magic_bits, magic_bits};
    const double sl = static_cast<double>(slots), bn = static_cast<double>(bins);
    const v2d offset2[2] = {{0.0, sl}, {2 * sl, 3 * sl}};  // pairs start at k ≡ 0 or 2 (mod 4)
    v2d below2[2], above2[2], nonfinite2[2];
    for (int o = 0; o < 2; ++o) {
        below2[o] = offset2[o] + v2d{bn, bn};
        above2[o] = offset2[o] + v2d{bn + 1, bn + 1};
        nonfinite2[o] = offset2[o] + v2d{bn + 2, bn + 2};
    }
    for (std::size_t i0 = 0; i0 < n; i0 += kChunk) {
        const std::size_t m = std::min(kChunk, n - i0);
        for (std::size_t k = 0; k < m; ++k)
            for (std::size_t t = 0; t < K; ++t) {
                const double d = x[t][i0 + k] - mean[t];
                s[t] += d * d;
            }
        for (std::size_t t = 0; t < K; ++t) {
            const double* xc = x[t] + i0;
            const v2d lo2 = {lo[t], lo[t]}, w2 = {width[t], width[t]}, sc2 = {scale, scale};
            std::size_t k = 0;
            if constexpr (Inside) {
                // (a NaN p — a range of width 0 or ∞ — goes to the last bin, as in summarize())
                auto exact = [&](std::size_t j) {
                    const double p = (xc[j] - lo[t]) / width[t] * scale;
                    return static_cast<std::int32_t>(p < maxb ? p : maxb);
                };
                for (; k + 2 <= m; k += 2) {
                    v2d p = (load2(xc + k) - lo2) / w2 * sc2;
                    p = p < maxb2 ? p : maxb2;
                    trunc2(p, bin + k);
                }
                for (; k < m; ++k) bin[k] = exact(k);
                std::size_t* tl = tally[t];
                std::size_t* t1 = tl + slots;
                std::size_t* t2 = tl + 2 * slots;
                std::size_t* t3 = tl + 3 * slots;
                for (k = 0; k + 4 <= m; k += 4) {
                    ++tl[bin[k]];
                    ++t1[bin[k + 1]];
                    ++t2[bin[k + 2]];
                    ++t3[bin[k + 3]];
                }
                for (; k < m; ++k) ++tl[(k & 3) * slots + static_cast<std::size_t>(bin[k])];
                continue;
            }
            // The slot of each value, in the lanes: the bin, truncated as (int64)p is for p in
            // [0, bins − 1] (p clamped there first; a NaN p — a range of width 0 or ∞ — to the last
            // bin, where summarize()'s conversion of NaN sends it),
            // then below / above / nonfinite in that order of precedence, plus the tally copy's
            // offset ((k & 3) · slots); as doubles (exact: integers far below 2^52), then turned
            // into integers through the bits of x + 2^52.
            const v2d hi2 = {hi[t], hi[t]};
            for (k = 0; k + 2 <= m; k += 2) {
                const v2d v = load2(xc + k), zero = {0.0, 0.0};
                v2d p = (v - lo2) / w2 * sc2;
                p = select(p <= maxb2, p, maxb2);
                p = select(p >= zero, p, zero);
                v2d b = (p + magic2) - magic2;  // p rounded to an integer …
                b = select(b > p, b - one2, b);  // … and down: trunc(p)
                const int o = (k >> 1) & 1;
                b += offset2[o];
                b = select(v < lo2, below2[o], b);
                b = select(v > hi2, above2[o], b);
                b = select((v - v) == zero, b, nonfinite2[o]);
                const v2l bits = reinterpret_cast<v2l>(b + magic2) - magic_bits2;
                std::memcpy(slot + k, &bits, sizeof bits);
            }
            for (; k < m; ++k) {
                const double v = xc[k];
                double p = (v - lo[t]) / width[t] * scale;
                p = p <= maxb ? p : maxb;
                p = p >= 0.0 ? p : 0.0;
                auto b = static_cast<std::int64_t>(p);
                b = v < lo[t] ? static_cast<std::int64_t>(bins) : b;
                b = v > hi[t] ? static_cast<std::int64_t>(bins + 1) : b;
                b = v - v == 0.0 ? b : static_cast<std::int64_t>(bins + 2);
                slot[k] = b + static_cast<std::int64_t>((k & 3) * slots);
            }
            std::size_t* tl = tally[t];
            for (k = 0; k < m; ++k) ++tl[slot[k]];
        }
    }
    for (std::size_t t = 0; t < K; ++t) ss[t] = s[t];
}

void spread_bins_any(std::size_t k, bool inside, const double* const* x, std::size_t n, const double* mean,
                     const Histogram* const* h, std::size_t bins, double* ss, std::size_t* const* tally) {
    if (inside) {
        switch (k) {
            case 4: return spread_bins<4, true>(x, n, mean, h, bins, ss, tally);
            case 3: return spread_bins<3, true>(x, n, mean, h, bins, ss, tally);
            case 2: return spread_bins<2, true>(x, n, mean, h, bins, ss, tally);
            default: return spread_bins<1, true>(x, n, mean, h, bins, ss, tally);
        }
    }
    switch (k) {
        case 4: return spread_bins<4, false>(x, n, mean, h, bins, ss, tally);
        case 3: return spread_bins<3, false>(x, n, mean, h, bins, ss, tally);
        case 2: return spread_bins<2, false>(x, n, mean, h, bins, ss, tally);
        default: return spread_bins<1, false>(x, n, mean, h, bins, ss, tally);
    }
}

// Dead units and saturated entries of an (n, w) layer (nn_stats.hpp's definitions), row by row
// (contiguous), two columns in the lanes: a unit stays dead while every example gives output 0
// and f′ 0; an entry is saturated when |f′| < saturation (NaN is not).
struct UnitShares {
    std::size_t dead, saturated;
};
UnitShares unit_shares(const double* post, const double* d, std::size_t n, std::size_t w, double saturation) {
    const std::size_t w2 = w & ~std::size_t{1};
    std::vector<v2l> alive2(w2 / 2, v2l{0, 0});
    std::vector<unsigned char> alive(w - w2, 0);
    const v2d zero = {0.0, 0.0}, sat2 = {saturation, saturation};
    const v2l abs_mask = {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::max()};
    v2l sat_count = {0, 0};
    std::size_t saturated = 0;
    for (std::size_t r = 0; r < n; ++r) {
        const double* pr = post + r * w;
        const double* dr = d + r * w;
        for (std::size_t j = 0; j < w2; j += 2) {
            const v2d p = load2(pr + j), g = load2(dr + j);
            alive2[j / 2] |= ~((p == zero) & (g == zero));
            sat_count -= reinterpret_cast<v2d>(reinterpret_cast<v2l>(g) & abs_mask) < sat2;  // (a true lane is −1)
        }
        for (std::size_t j = w2; j < w; ++j) {
            alive[j - w2] |= static_cast<unsigned char>(!(pr[j] == 0.0 && dr[j] == 0.0));
            saturated += std::fabs(dr[j]) < saturation;
        }
    }
    std::size_t dead = 0;
    for (const v2l& a : alive2) dead += (a[0] == 0) + (a[1] == 0);
    for (unsigned char a : alive) dead += !a;
    return {dead, saturated + static_cast<std::size_t>(sat_count[0] + sat_count[1])};
}

}  // namespace

std::vector<Summary> summarize_all(const std::vector<SummaryTask>& tasks, std::size_t bins, bool shared) {
    const std::size_t T = tasks.size();
    std::vector<Summary> out(T);
    std::vector<SumExtrema> se(T);
    for (std::size_t i = 0; i < T; ++i) {
        const SummaryTask& t = tasks[i];
        se[i] = sum_extrema(t.x, t.n, true);  // (with a given range: are all values inside it?)
        out[i].mean = t.n ? se[i].sum / static_cast<double>(t.n) : kNaN;
    }
    // Ranges: given, or the tensor's own, or (shared) its group's: the first occurrence of the
    // smallest and largest in task order, as the min and max of one tensor are found.
    for (std::size_t i = 0; i < T; ++i) {
        const SummaryTask& t = tasks[i];
        Histogram& h = out[i].histogram;
        if (t.range) {
            h.lo = t.range->first;
            h.hi = t.range->second;
            continue;
        }
        double lo = se[i].lo, hi = se[i].hi;
        if (shared && t.group >= 0) {
            lo = kInf;
            hi = -kInf;
            for (std::size_t j = 0; j < T; ++j)
                if (tasks[j].group == t.group && !tasks[j].range) {
                    lo = se[j].lo < lo ? se[j].lo : lo;
                    hi = se[j].hi > hi ? se[j].hi : hi;
                }
        }
        const bool any = lo <= hi;
        h.lo = any ? lo : 0.0;
        h.hi = any ? hi : 0.0;
        if (h.lo == h.hi) {
            h.lo -= 0.5;
            h.hi += 0.5;
        }
    }
    // Σ (x − mean)² and the bins, up to four tensors of one length at a time.
    std::vector<std::size_t> order(T);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return tasks[a].n < tasks[b].n; });
    const std::size_t slots = bins + 3, most = bins > 4096 ? 1 : 4;  // (tallies of many bins: one at a time)
    std::vector<std::size_t> tallies(most * 4 * slots);
    for (std::size_t i = 0; i < T;) {
        const std::size_t n = tasks[order[i]].n;
        std::size_t k = 1;
        while (k < most && i + k < T && tasks[order[i + k]].n == n) ++k;
        const double* x[4];
        double mean[4], ss[4];
        const Histogram* h[4];
        std::size_t* tl[4];
        std::fill_n(tallies.begin(), k * 4 * slots, 0);
        bool inside = bins <= (std::size_t{1} << 30);  // (bins as int32)
        for (std::size_t j = 0; j < k; ++j) {
            const std::size_t t = order[i + j];
            // inside: every value finite (a finite sum) and within the range: an automatic one, or a
            // given one that holds the finite min and max (a shared range from stats_ranges(), say)
            const Range& r = tasks[t].range;
            inside = inside && std::isfinite(se[t].sum) && (!r || (se[t].lo >= r->first && se[t].hi <= r->second));
            x[j] = tasks[t].x;
            mean[j] = out[t].mean;
            h[j] = &out[t].histogram;
            tl[j] = tallies.data() + j * 4 * slots;
        }
        spread_bins_any(k, inside, x, n, mean, h, bins, ss, tl);
        for (std::size_t j = 0; j < k; ++j) {
            Summary& s = out[order[i + j]];
            s.std = n ? std::sqrt(ss[j] / static_cast<double>(n)) : kNaN;
            std::vector<double>& counts = s.histogram.counts;
            counts.assign(bins, 0.0);
            double extra[3];
            for (std::size_t b = 0; b < slots; ++b) {
                std::size_t c = 0;
                for (std::size_t r = 0; r < 4; ++r) c += tl[j][r * slots + b];
                (b < bins ? counts[b] : extra[b - bins]) = static_cast<double>(c);
            }
            s.histogram.below = extra[0];
            s.histogram.above = extra[1];
            s.histogram.nonfinite = extra[2];
        }
        i += k;
    }
    return out;
}

std::vector<LayerStats> layer_statistics(const Network& net, const StatsOptions& o) {
    const Pass* pass = net.last_pass();
    if (!pass) throw Error("statistics: the network has not run yet; call forward(), gradients() or step() first");
    return pass_statistics(*pass, static_cast<std::size_t>(pass->input.shape[0]), net.activation_module(), net.output_module(), o);
}

StatsRanges stats_ranges(const Network& net) {
    const Pass* pass = net.last_pass();
    if (!pass) throw Error("ranges: the network has not run yet; call forward(), gradients() or step() first");
    return pass_ranges(*pass, static_cast<std::size_t>(pass->input.shape[0]));
}

// One kind's shared range over every layer, as summarize_all() finds a group's: each tensor's
// finite min and max by sum_extrema(), folded in layer order (the first occurrence wins a tie, so
// the sign of a zero is the same), then widened when they are equal.
StatsRanges pass_ranges(const Pass& pass, std::size_t n) {
    const std::size_t L = pass.values.size();
    auto shared = [&](auto tensor_of) {
        double lo = kInf, hi = -kInf;
        for (std::size_t l = 0; l < L; ++l) {
            const Tensor& t = tensor_of(l);
            const SumExtrema e = sum_extrema(t.data.data(), n * static_cast<std::size_t>(t.shape[1]), true);
            lo = e.lo < lo ? e.lo : lo;
            hi = e.hi > hi ? e.hi : hi;
        }
        const bool any = lo <= hi;
        std::pair<double, double> r{any ? lo : 0.0, any ? hi : 0.0};
        if (r.first == r.second) {
            r.first -= 0.5;
            r.second += 0.5;
        }
        return r;
    };
    StatsRanges r;
    r.pre = shared([&](std::size_t l) -> const Tensor& { return pass.values[l].pre; });
    r.post = shared([&](std::size_t l) -> const Tensor& { return pass.values[l].post; });
    if (pass.has_grads) r.grad = shared([&](std::size_t l) -> const Tensor& { return pass.grad_pre[l]; });
    return r;
}

std::vector<LayerStats> pass_statistics(const Pass& pass, std::size_t n, const Network::Module& act,
                                        const Network::Module& out_module, const StatsOptions& o) {
    if (o.bins < 1) throw Error("bins: a histogram needs at least 1 bin, got 0");
    if (!(o.saturation >= 0.0)) throw Error("saturation: the |f′| threshold must be ≥ 0, got " + py_float(o.saturation));
    check_range(o.pre_range, "pre_range");
    check_range(o.post_range, "post_range");
    check_range(o.grad_range, "grad_range");

    const std::size_t L = pass.values.size();
    std::size_t first = 0, last = L;
    if (o.layers) {
        first = o.layers->first;
        last = o.layers->second;
        if (!(first < last && last <= L))
            throw Error("layers: expected [first, last) with 0 ≤ first < last ≤ " + std::to_string(L) + " (the network's Linears), got [" +
                        std::to_string(first) + ", " + std::to_string(last) + ")");
    }
    // The first n rows of a (N, w) tensor are its first n·w values.
    auto count = [n](const Tensor& t) { return n * static_cast<std::size_t>(t.shape[1]); };
    const bool grads = pass.has_grads, norms = pass.grads.size() == L;
    // Some layers only, with shared ranges: those over every layer, given to these layers' tasks.
    Range pre_range = o.pre_range, post_range = o.post_range, grad_range = o.grad_range;
    bool shared = o.shared;
    if (o.layers && shared) {
        if (!pre_range || !post_range || (grads && !grad_range)) {
            const StatsRanges r = pass_ranges(pass, n);
            if (!pre_range) pre_range = r.pre;
            if (!post_range) post_range = r.post;
            if (!grad_range) grad_range = r.grad;
        }
        shared = false;
    }
    // Every tensor's summary in one call: pre, post (and grad) of layer first + i are tasks 3i,
    // 3i + 1 (and 3i + 2); the groups are the kinds, for shared ranges.
    std::vector<SummaryTask> tasks;
    tasks.reserve(3 * (last - first));
    for (std::size_t l = first; l < last; ++l) {
        const LayerValues& v = pass.values[l];
        tasks.push_back({v.pre.data.data(), count(v.pre), pre_range, 0});
        tasks.push_back({v.post.data.data(), count(v.post), post_range, 1});
        if (grads) tasks.push_back({pass.grad_pre[l].data.data(), count(pass.grad_pre[l]), grad_range, 2});
    }
    std::vector<Summary> summaries = summarize_all(tasks, o.bins, shared);
    const std::size_t per = grads ? 3 : 2;

    std::vector<LayerStats> out(last - first);
    for (std::size_t l = first; l < last; ++l) {
        const LayerValues& v = pass.values[l];
        LayerStats& st = out[l - first];
        const std::size_t i = l - first;
        st.pre = std::move(summaries[per * i]);
        st.post = std::move(summaries[per * i + 1]);
        if (grads) st.grad = std::move(summaries[per * i + 2]);
        st.weight_grad_norm = norms ? norm(pass.grads[l].weight) : kNaN;
        st.bias_grad_norm = norms ? norm(pass.grads[l].bias) : kNaN;
        const Network::Module& m = l + 1 < L ? act : out_module;
        const std::vector<double>& d = pass.dpost[l];
        if (!m.present()) {  // no module: f′ = 1 everywhere
            st.dead = st.saturated = 0.0;
            if (o.saturation > 1.0) st.saturated = 1.0;
            continue;
        }
        if (!m.elementwise()) {
            st.dead = st.saturated = kNaN;
            continue;
        }
        const std::size_t w = static_cast<std::size_t>(v.pre.shape[1]);
        const UnitShares u = unit_shares(v.post.data.data(), d.data(), n, w, o.saturation);
        st.dead = static_cast<double>(u.dead) / static_cast<double>(w);
        st.saturated = static_cast<double>(u.saturated) / static_cast<double>(n * w);
    }
    return out;
}

}  // namespace lab::nn
