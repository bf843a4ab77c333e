// The Linear products (core/nn_linalg.*) against the plain loops that define their order: each
// output is acc = +0.0, acc += a·b for p = 0, 1, …, then + bias. Compared bit for bit (the sign of
// zero included), because that order is what makes the network's sums PyTorch's (nn_model.hpp);
// a tolerance would let a reordered or split sum through. The operands have exponents spread over
// ±2^20, so sums cancel and almost any other order changes some last bits — the first case
// checks that the data can tell orders apart, so this test cannot pass by accident. Shapes cover
// whole tiles, every kind of edge tile, a K longer than one block (continued sums), and 1 × 1.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "nn_data.hpp"
#include "nn_linalg.hpp"

namespace {

namespace la = lab::nn::linalg;

std::uint64_t bits(double v) {
    std::uint64_t u;
    std::memcpy(&u, &v, sizeof u);
    return u;
}

// Values of both signs with exponents in ±2^20, some exact zeros and negative zeros.
std::vector<double> operand(std::size_t n, std::uint64_t seed) {
    lab::nn::DataRng rng(seed);
    std::vector<double> v(n);
    for (double& x : v) {
        const double u = rng.uniform();
        if (u < 0.03) x = 0.0;
        else if (u < 0.06) x = -0.0;
        else x = std::ldexp(rng.normal(), static_cast<int>(rng.below(41)) - 20);
    }
    return v;
}

// The definition: C(i, j) = (Σ_p A(i, p)·B(p, j) from +0.0, p in order) + bias[j].
std::vector<double> plain(std::size_t m, std::size_t n, std::size_t k, const double* a, std::size_t ar, std::size_t ac,
                          const double* b, std::size_t br, std::size_t bc, const double* bias) {
    std::vector<double> c(m * n);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            double acc = 0.0;
            for (std::size_t p = 0; p < k; ++p) acc += a[i * ar + p * ac] * b[p * br + j * bc];
            c[i * n + j] = bias ? acc + bias[j] : acc;
        }
    return c;
}

// How many entries differ in their bits (NaN matches NaN).
std::size_t differing(const std::vector<double>& got, const std::vector<double>& want) {
    std::size_t d = 0;
    for (std::size_t i = 0; i < got.size(); ++i)
        d += !(bits(got[i]) == bits(want[i]) || (std::isnan(got[i]) && std::isnan(want[i])));
    return d;
}

struct Dims {
    std::size_t n, in, out;  // batch, Linear in, Linear out
};
// Whole tiles, edges in rows, columns or both, K over one block (256), tiny and wide; outputs 1 to
// 4 wide (the narrow tiles: a last Linear of 1 output, or grad_W of a 2- or 3-wide input), with an
// odd row count and with K over a block.
const Dims kShapes[] = {{1, 1, 1},   {4, 8, 4},    {5, 3, 7},     {3, 2, 1},   {10, 2, 8},    {13, 257, 6},
                        {9, 600, 3}, {64, 300, 65}, {31, 17, 129}, {2, 513, 2}, {256, 256, 256},
                        {7, 8, 1},   {10, 8, 2},   {11, 8, 4},    {3, 300, 1}, {600, 3, 2},   {257, 1, 4},
                        {1, 5, 3},   {33, 4, 5}};

}  // namespace

TEST_CASE("nn_linalg: the data tells summation orders apart") {
    // Summing the same products backwards changes many of the 64 × 300 × 65 outputs; if it did
    // not, equality below would prove nothing about the order.
    const std::size_t m = 64, n = 65, k = 300;
    const std::vector<double> a = operand(m * k, 1), b = operand(k * n, 2);
    const std::vector<double> fwd = plain(m, n, k, a.data(), k, 1, b.data(), n, 1, nullptr);
    std::vector<double> back(m * n);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            double acc = 0.0;
            for (std::size_t p = k; p-- > 0;) acc += a[i * k + p] * b[p * n + j];
            back[i * n + j] = acc;
        }
    CHECK(differing(back, fwd) > m * n / 4);
}

TEST_CASE("nn_linalg: forward, grad_W and grad_x are the plain loops, bit for bit") {
    for (const Dims& d : kShapes) {
        CAPTURE(d.n);
        CAPTURE(d.in);
        CAPTURE(d.out);
        const std::vector<double> x = operand(d.n * d.in, 10 + d.n), w = operand(d.out * d.in, 20 + d.in),
                                  g = operand(d.n * d.out, 30 + d.out), bias = operand(d.out, 40);
        // y = x·Wᵀ + b, and without bias.
        std::vector<double> y(d.n * d.out);
        la::linear_forward(x.data(), d.n, d.in, w.data(), d.out, bias.data(), y.data());
        CHECK(differing(y, plain(d.n, d.out, d.in, x.data(), d.in, 1, w.data(), 1, d.in, bias.data())) == 0);
        la::linear_forward(x.data(), d.n, d.in, w.data(), d.out, nullptr, y.data());
        CHECK(differing(y, plain(d.n, d.out, d.in, x.data(), d.in, 1, w.data(), 1, d.in, nullptr)) == 0);
        // grad_W = gᵀ·x.
        std::vector<double> gw(d.out * d.in);
        la::linear_grad_weight(g.data(), x.data(), d.n, d.in, d.out, gw.data());
        CHECK(differing(gw, plain(d.out, d.in, d.n, g.data(), 1, d.out, x.data(), d.in, 1, nullptr)) == 0);
        // grad_x = g·W.
        std::vector<double> gx(d.n * d.in);
        la::linear_grad_input(g.data(), w.data(), d.n, d.in, d.out, gx.data());
        CHECK(differing(gx, plain(d.n, d.in, d.out, g.data(), d.out, 1, w.data(), d.in, 1, nullptr)) == 0);
    }
}

TEST_CASE("nn_linalg: signed zeros, infinities and NaN land where the plain loops put them") {
    // All products −0.0: the sum from +0.0 is +0.0 (−0.0 only if it started from the first term);
    // −0.0 + a bias of −0.0 stays +0.0 + −0.0 = +0.0.
    const std::size_t n = 6, in = 5, out = 7;
    std::vector<double> x(n * in, -0.0), w(out * in, 1.0), bias(out, -0.0), y(n * out, 1.0);
    la::linear_forward(x.data(), n, in, w.data(), out, bias.data(), y.data());
    for (double v : y) CHECK(bits(v) == bits(0.0));
    // An infinity or NaN in one row of x reaches only that row's outputs, as in the loops.
    x = operand(n * in, 7);
    w = operand(out * in, 8);
    x[2 * in + 3] = std::numeric_limits<double>::infinity();
    x[4 * in] = std::numeric_limits<double>::quiet_NaN();
    la::linear_forward(x.data(), n, in, w.data(), out, bias.data(), y.data());
    const std::vector<double> want = plain(n, out, in, x.data(), in, 1, w.data(), 1, in, bias.data());
    CHECK(differing(y, want) == 0);
    std::size_t nonfinite = 0;
    for (double v : y) nonfinite += !std::isfinite(v);
    CHECK(nonfinite == 2 * out);
}

TEST_CASE("nn_linalg: gemm over general strides (transposed operands) and K = 0") {
    const std::size_t m = 7, n = 9, k = 270;
    const std::vector<double> a = operand(m * k, 50), b = operand(k * n, 51), bias = operand(n, 52);
    std::vector<double> c(m * n);
    // A stored transposed (column-major), B stored transposed.
    la::gemm(m, n, k, a.data(), 1, m, b.data(), 1, k, bias.data(), c.data());
    CHECK(differing(c, plain(m, n, k, a.data(), 1, m, b.data(), 1, k, bias.data())) == 0);
    // An empty sum is +0.0, then the bias.
    la::gemm(m, n, 0, a.data(), 1, m, b.data(), 1, k, bias.data(), c.data());
    for (std::size_t i = 0; i < m * n; ++i) CHECK(bits(c[i]) == bits(0.0 + bias[i % n]));
}
