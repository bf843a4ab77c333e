// Design note: the three matrix products of nn.Linear (forward, grad_W, grad_x), fast but with
// PyTorch's rounding. Debian's torch hands them to the reference BLAS (netlib dgemm), whose every
// output is one running sum: acc = 0, then acc += a_p·b_p for p = 0, 1, …, K−1 (each product
// rounded, then the addition rounded; the build contracts nothing), and F.linear's bias is added
// after the sum (nn_model.hpp has the check against torch). Floating-point addition is not
// associative, so any split of a sum (partial sums, pairwise trees, vector lanes along p) would
// change the last bits. What does NOT change a result is the order in which DIFFERENT outputs are
// computed, so the speed comes only from there:
//   * operands are packed into contiguous panels (a transposed copy where the layout needs it;
//     a row-major A and whole strips of a row-major B are read in place), zero-padded to whole
//     tiles — padded rows and columns only feed outputs that are dropped; outputs at most 4 wide
//     put two rows in the lanes instead; fewer rows than columns with a transposed B (F.linear on a
//     few examples) computes Cᵀ = Bᵀ·Aᵀ, which packs the small operand instead of W (a·b = b·a);
//   * a register tile of outputs (kRows × kCols) is accumulated at once, each entry its own
//     sequential sum over p; the entries of a tile row are neighbouring outputs, so they go in
//     SIMD lanes (GCC/Clang vector types: SSE2 natively, f64x2 in WebAssembly with -msimd128,
//     plain scalar code without it) — lanes never add into each other;
//   * a long K is cut into blocks, and the next block continues each output's stored running
//     sum (a double stored and reloaded is exact), so the order over p stays 0, 1, …, K−1.
// Each sum starts from +0.0, as the plain loops these replace did (so a sum of −0.0 products is
// +0.0), and tests/native/test_nn_linalg.cpp compares every kernel bit for bit with those loops.
#pragma once

#include <cstddef>

namespace lab::nn::linalg {

// y (n × out) = x (n × in) · Wᵀ (+ bias, added after each sum), W row-major out × in; bias may be
// null. y[r][j] = (Σ_k x[r][k]·W[j][k]) + bias[j].
void linear_forward(const double* x, std::size_t n, std::size_t in, const double* w, std::size_t out,
                    const double* bias, double* y);

// grad_W (out × in) = gᵀ · x: gw[j][k] = Σ_r g[r][j]·x[r][k], g is n × out, x is n × in.
void linear_grad_weight(const double* g, const double* x, std::size_t n, std::size_t in, std::size_t out, double* gw);

// grad_x (n × in) = g · W: gx[r][k] = Σ_j g[r][j]·W[j][k].
void linear_grad_input(const double* g, const double* w, std::size_t n, std::size_t in, std::size_t out, double* gx);

// The general product the three are made of: C (m × n, row-major) = Σ_p A(i, p)·B(p, j) from p = 0,
// then + bias[j] when bias is not null, where A(i, p) = a[i·a_row + p·a_col] and
// B(p, j) = b[p·b_row + j·b_col] (any layout, transposes included). c must not overlap a or b.
void gemm(std::size_t m, std::size_t n, std::size_t k, const double* a, std::size_t a_row, std::size_t a_col,
          const double* b, std::size_t b_row, std::size_t b_col, const double* bias, double* c);

}  // namespace lab::nn::linalg
