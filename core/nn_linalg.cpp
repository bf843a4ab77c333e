// Design note: see nn_linalg.hpp for why the order of additions is PyTorch's. This is a small
// GotoBLAS-style product without its one liberty (splitting a sum): per block of K, A and B are
// packed into zero-padded panels (A as kRows-row strips, p-major; B as kCols-column strips,
// p-major; A, and B's whole strips, read in place when their rows are contiguous; a few rows
// against a transposed B swap the operands), and a register tile walks each pair of strips (a
// narrow one, lanes over two rows, for outputs at most 4 wide). The tile is written with GCC/Clang
// vector types, which compile to SSE2 natively, to WebAssembly f64x2 under -msimd128 and to
// scalar code otherwise — the same lane-wise IEEE multiplies and adds in every case (the build's
// -ffp-contract=off keeps them from fusing). The packing buffers are reused between calls.
#include "nn_linalg.hpp"

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

namespace lab::nn::linalg {
namespace {

using v2d = double __attribute__((vector_size(16)));

// Outputs per register tile: kRows rows × kCols columns (kVecs vectors of 2): 8 accumulators,
// the 4 vectors of a B row (each used kRows times) and a broadcast of A fit in 16 vector registers
// (x86-64 SSE, and V8's allocation of WebAssembly's v128 on it). Measured with -msimd128 in Node
// at 256 × 256 × 256, 2 × 8 beat 4 × 4, 6 × 4, 8 × 2 and 4 × 6 (fewer broadcasts per product).
constexpr std::size_t kRows = 2, kVecs = 4, kCols = 2 * kVecs;
// K per block: a kRows × kBlockK strip of A and a kBlockK × kCols strip of B (4 KB and 16 KB)
// stay in L1 while the tile runs.
constexpr std::size_t kBlockK = 256;

inline v2d load(const double* p) {
    v2d v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline void store(double* p, v2d v) { std::memcpy(p, &v, sizeof v); }

// A strip of kRows rows as a tile reads it: row i's p-th value at ap[p·ps + i·is] — a packed strip
// (ps = kRows, is = 1), or A itself when its rows are contiguous (ps = 1, is = the row stride; no
// copy: packing a row-major A cost as much as a narrow product's arithmetic).
struct Strip {
    const double* ap;
    std::size_t ps, is;
};

// c (kRows × kCols, row stride ldc) = [c +] Σ_p A(i, p)·bp[p][j] over p in [0, kc), p in order,
// then + bias[j] when bias is not null (the last block of K: F.linear's bias after the sum, added
// while the sum is still in a register instead of in a second pass over C).
// The operands are walked by pointers bumped each step: Emscripten builds with LLVM's loop
// strength reduction off (-disable-lsr), so `ap[p * ps + i * is]` would cost a multiply and
// several adds per load in the innermost loop (a third of its instructions).
template <bool Continue>
void tile(std::size_t kc, Strip A, const double* bp, std::size_t bs, double* c, std::size_t ldc, const double* bias) {
    static_assert(kRows == 2, "two A pointers");
    const double* a0 = A.ap;
    const double* a1 = A.ap + A.is;
    const std::size_t ps = A.ps;
    v2d acc[kRows][kVecs];
    for (std::size_t i = 0; i < kRows; ++i)
        for (std::size_t v = 0; v < kVecs; ++v) acc[i][v] = Continue ? load(c + i * ldc + 2 * v) : v2d{0.0, 0.0};
    for (const double* const end = bp + kc * bs; bp != end; bp += bs, a0 += ps, a1 += ps) {
        v2d b[kVecs];
        for (std::size_t v = 0; v < kVecs; ++v) b[v] = load(bp + 2 * v);
        const v2d x0 = {*a0, *a0}, x1 = {*a1, *a1};
        for (std::size_t v = 0; v < kVecs; ++v) acc[0][v] += x0 * b[v];
        for (std::size_t v = 0; v < kVecs; ++v) acc[1][v] += x1 * b[v];
    }
    if (bias)
        for (std::size_t v = 0; v < kVecs; ++v) {
            const v2d bv = load(bias + 2 * v);
            for (std::size_t i = 0; i < kRows; ++i) acc[i][v] += bv;
        }
    for (std::size_t i = 0; i < kRows; ++i)
        for (std::size_t v = 0; v < kVecs; ++v) store(c + i * ldc + 2 * v, acc[i][v]);
}

// The narrow twin of tile() for outputs only NC ≤ 4 columns wide (a network's last Linear, often
// 1 output): lanes hold two ROWS instead — the A strip's p-th pair (A(i0, p), A(i0 + 1, p)) is one
// load — and each column is its own accumulator, so no lane computes a padded column. Each lane is
// still one output's sequential sum over p. c gets only the first `rows` rows.
template <bool Continue, std::size_t NC>
void tile_narrow(std::size_t kc, Strip A, const double* bp, double* c, std::size_t ldc, std::size_t rows, const double* bias) {
    v2d acc[NC];
    for (std::size_t j = 0; j < NC; ++j)
        acc[j] = Continue ? v2d{c[j], rows > 1 ? c[ldc + j] : 0.0} : v2d{0.0, 0.0};
    const double* a0 = A.ap;
    const double* a1 = A.ap + A.is;
    const std::size_t ps = A.ps;
    for (const double* const end = bp + kc * kCols; bp != end; bp += kCols, a0 += ps, a1 += ps) {
        const v2d a = {*a0, *a1};
        for (std::size_t j = 0; j < NC; ++j) {
            const double s = bp[j];
            acc[j] += a * v2d{s, s};
        }
    }
    if (bias)
        for (std::size_t j = 0; j < NC; ++j) acc[j] += v2d{bias[j], bias[j]};
    for (std::size_t j = 0; j < NC; ++j) {
        c[j] = acc[j][0];
        if (rows > 1) c[ldc + j] = acc[j][1];
    }
}
template <bool Continue>
void tile_narrow(std::size_t nc, std::size_t kc, Strip A, const double* bp, double* c, std::size_t ldc, std::size_t rows,
                 const double* bias) {
    if (nc == 1) return tile_narrow<Continue, 1>(kc, A, bp, c, ldc, rows, bias);
    if (nc == 2) return tile_narrow<Continue, 2>(kc, A, bp, c, ldc, rows, bias);
    double t[2 * 4];  // 3 or 4 columns: through a 4-wide copy, its padding dropped
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < 4; ++j) t[i * 4 + j] = Continue && j < nc ? c[i * ldc + j] : 0.0;
    tile_narrow<Continue, 4>(kc, A, bp, t, 4, rows, bias);
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < nc; ++j) c[i * ldc + j] = t[i * 4 + j];
}
static_assert(kRows == 2, "tile_narrow's lanes are the two rows of an A strip");
constexpr std::size_t kNarrow = 4;  // outputs this narrow (n ≤ 4) take tile_narrow

// Packed panels, kept between calls (the engine is single-threaded: one set per thread).
struct Workspace {
    std::vector<double> a, b, bias, t;  // bias: zero-padded to whole tiles; t: a transposed product
};
Workspace& workspace() {
    thread_local Workspace w;
    return w;
}

std::size_t round_up(std::size_t v, std::size_t to) { return (v + to - 1) / to * to; }

}  // namespace

void gemm(std::size_t m, std::size_t n, std::size_t k, const double* a, std::size_t a_row, std::size_t a_col,
          const double* b, std::size_t b_row, std::size_t b_col, const double* bias, double* c) {
    if (m == 0 || n == 0) return;
    Workspace& ws = workspace();
    // Fewer rows than columns, with B's columns contiguous (F.linear's Wᵀ): compute Cᵀ = Bᵀ·Aᵀ, so
    // that the big operand (W, read in place as A) is not copied and only the small one is packed
    // — a block of a few examples (the depth view's progressive pass) paid a transposed copy of
    // every W per call. Each Cᵀ(j, i) is the same sum in the same order (b·a is a·b exactly).
    if (b_row == 1 && b_col != 1 && m < n && k > 0) {
        ws.t.resize(n * m);  // (the inner call does not come here again: n > m there)
        gemm(n, m, k, b, b_col, 1, a, a_col, a_row, nullptr, ws.t.data());
        const double* t = ws.t.data();
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < n; ++j) c[i * n + j] = bias ? t[j * m + i] + bias[j] : t[j * m + i];
        return;
    }
    if (k == 0) {
        std::fill(c, c + m * n, 0.0);
        if (bias)
            for (std::size_t i = 0; i < m; ++i)
                for (std::size_t j = 0; j < n; ++j) c[i * n + j] += bias[j];
        return;
    }
    const std::size_t mp = round_up(m, kRows), np = round_up(n, kCols);
    if (bias) {
        ws.bias.assign(np, 0.0);
        std::copy_n(bias, n, ws.bias.begin());
    }
    for (std::size_t k0 = 0; k0 < k; k0 += kBlockK) {
        const std::size_t kc = std::min(kBlockK, k - k0);
        // A strips: ap[strip][p][i] = A(strip·kRows + i, k0 + p), zero below row m — unless A's
        // rows are contiguous: then the tiles read A in place (a missing last row reads row m − 1
        // again, its outputs dropped).
        const bool direct = a_col == 1;
        const auto strip = [&](std::size_t i0) {
            if (!direct) return Strip{ws.a.data() + i0 * kc, kRows, 1};
            return Strip{a + i0 * a_row + k0, 1, i0 + 1 < m ? a_row : 0};
        };
        if (!direct) ws.a.resize(mp * kc);
        for (std::size_t i0 = 0; i0 < mp && !direct; i0 += kRows) {
            double* dst = ws.a.data() + i0 * kc;
            for (std::size_t p = 0; p < kc; ++p)
                for (std::size_t i = 0; i < kRows; ++i)
                    dst[p * kRows + i] = i0 + i < m ? a[(i0 + i) * a_row + (k0 + p) * a_col] : 0.0;
        }
        // B strips: bp[strip][p][j] = B(k0 + p, strip·kCols + j), zero right of column n — unless
        // B's rows are contiguous: then a whole strip is read in place (row stride b_row), and
        // only a partial last one is packed.
        const bool b_direct = b_col == 1;
        const auto b_strip = [&](std::size_t j0) -> std::pair<const double*, std::size_t> {
            if (b_direct && j0 + kCols <= n) return {b + k0 * b_row + j0, b_row};
            return {ws.b.data() + j0 * kc, kCols};
        };
        ws.b.resize(np * kc);
        for (std::size_t j0 = 0; j0 < np; j0 += kCols) {
            if (b_direct && j0 + kCols <= n) continue;
            double* dst = ws.b.data() + j0 * kc;
            for (std::size_t p = 0; p < kc; ++p)
                for (std::size_t j = 0; j < kCols; ++j)
                    dst[p * kCols + j] = j0 + j < n ? b[(k0 + p) * b_row + (j0 + j) * b_col] : 0.0;
        }
        const bool first = k0 == 0;
        const double* bias_here = bias && k0 + kc == k ? ws.bias.data() : nullptr;  // the last block adds it
        if (n <= kNarrow) {
            for (std::size_t i0 = 0; i0 < mp; i0 += kRows) {
                const Strip ap = strip(i0);
                const std::size_t rows = std::min(kRows, m - i0);
                first ? tile_narrow<false>(n, kc, ap, ws.b.data(), c + i0 * n, n, rows, bias_here)
                      : tile_narrow<true>(n, kc, ap, ws.b.data(), c + i0 * n, n, rows, bias_here);
            }
            continue;
        }
        for (std::size_t j0 = 0; j0 < np; j0 += kCols) {
            const auto [bp, bs] = b_strip(j0);
            const double* bj = bias_here ? bias_here + j0 : nullptr;
            const std::size_t cols = std::min(kCols, n - j0);
            for (std::size_t i0 = 0; i0 < mp; i0 += kRows) {
                const Strip ap = strip(i0);
                const std::size_t rows = std::min(kRows, m - i0);
                double* ct = c + i0 * n + j0;
                if (rows == kRows && cols == kCols) {
                    first ? tile<false>(kc, ap, bp, bs, ct, n, bj) : tile<true>(kc, ap, bp, bs, ct, n, bj);
                    continue;
                }
                // An edge tile goes through a full-size copy; its padding is dropped.
                double t[kRows * kCols] = {};
                if (!first)
                    for (std::size_t i = 0; i < rows; ++i) std::copy_n(ct + i * n, cols, t + i * kCols);
                first ? tile<false>(kc, ap, bp, bs, t, kCols, bj) : tile<true>(kc, ap, bp, bs, t, kCols, bj);
                for (std::size_t i = 0; i < rows; ++i) std::copy_n(t + i * kCols, cols, ct + i * n);
            }
        }
    }
}

void linear_forward(const double* x, std::size_t n, std::size_t in, const double* w, std::size_t out,
                    const double* bias, double* y) {
    // A = x (n × in), B(k, j) = W[j][k].
    gemm(n, out, in, x, in, 1, w, 1, in, bias, y);
}

void linear_grad_weight(const double* g, const double* x, std::size_t n, std::size_t in, std::size_t out, double* gw) {
    // A(j, r) = g[r][j], B = x (n × in).
    gemm(out, in, n, g, 1, out, x, in, 1, nullptr, gw);
}

void linear_grad_input(const double* g, const double* w, std::size_t n, std::size_t in, std::size_t out, double* gx) {
    // A = g (n × out), B = W (out × in).
    gemm(n, in, out, g, out, 1, w, in, 1, nullptr, gx);
}

}  // namespace lab::nn::linalg
