// Design note: the C++ half of bench/ab_kernels.sh — the old (renamed) and current kernels side by
// side behind two exports: check() compares their bits on every case, run(side, case) runs one.
// The cases are the engine's hot spots: the 100×100 grid's tanh (480,000 N(0, 1.5²) values, y and
// y with dy), the grid's seven forward products of a 2-8×6-1 net (bias included), 256×256×256
// forward / grad_x / grad_W (the depth view), the same with ONE row (a progressive pass's block),
// and uniform_ / normal_ of 65,536 doubles (a new network's weights).
#include <emscripten/emscripten.h>

#include <cstring>
#include <random>
#include <span>
#include <vector>

#include "nn_act_simd.hpp"
#include "nn_linalg.hpp"
#include "nn_random.hpp"
#include "random_old.hpp"

namespace lab::nn::linalg_old {
void linear_forward(const double*, std::size_t, std::size_t, const double*, std::size_t, const double*, double*);
void linear_grad_weight(const double*, const double*, std::size_t, std::size_t, std::size_t, double*);
void linear_grad_input(const double*, const double*, std::size_t, std::size_t, std::size_t, double*);
}  // namespace lab::nn::linalg_old
namespace lab::nn::simd_old {
void tanh(const Params&, const double*, std::size_t, double*, double*);
}

namespace {

namespace L = lab::nn::linalg;
namespace LO = lab::nn::linalg_old;

std::vector<double> X, W, B, G, T, Y[2];
constexpr std::size_t kGrid = 10000, kTanh = 480000, kDraws = 65536;

std::vector<double> filled(std::size_t n, unsigned seed, double sd) {
    std::mt19937_64 g(seed);
    std::normal_distribution<double> d(0.0, sd);
    std::vector<double> v(n);
    for (double& x : v) x = d(g);
    return v;
}

// Runs case c on side s (0 old, 1 new) into Y[s]; returns how many doubles it wrote.
std::size_t run_case(int s, int c) {
    auto fwd = s ? L::linear_forward : LO::linear_forward;
    double* y = Y[s].data();
    switch (c) {
        case 0:
        case 1: {
            std::memcpy(y, T.data(), kTanh * sizeof(double));
            (s ? lab::nn::simd::tanh : lab::nn::simd_old::tanh)({}, y, kTanh, y, c ? y + kTanh : nullptr);
            return c ? 2 * kTanh : kTanh;
        }
        case 2: {  // 2 → 8, five 8 → 8, 8 → 1, each with its bias; y holds the last two layers
            double* a = y;
            double* b = y + kGrid * 8;
            fwd(X.data(), kGrid, 2, W.data(), 8, B.data(), a);
            for (int l = 0; l < 5; ++l) {
                fwd(a, kGrid, 8, W.data() + 64 * (l + 1), 8, B.data() + 8 * (l + 1), b);
                std::swap(a, b);
            }
            fwd(a, kGrid, 8, W.data() + 512, 1, B.data() + 64, b);
            return 2 * kGrid * 8;
        }
        case 3: fwd(G.data(), 256, 256, W.data(), 256, B.data(), y); return 65536;
        case 4: (s ? L::linear_grad_input : LO::linear_grad_input)(G.data(), W.data(), 256, 256, 256, y); return 65536;
        case 5: (s ? L::linear_grad_weight : LO::linear_grad_weight)(G.data(), W.data(), 256, 256, 256, y); return 65536;
        case 6: fwd(G.data(), 1, 256, W.data(), 256, B.data(), y); return 256;
        case 7: (s ? L::linear_grad_input : LO::linear_grad_input)(G.data(), W.data(), 1, 256, 256, y); return 256;
        case 8:
        case 9: {
            static lab::nn::Generator gn(7);
            static lab::nn_old::Generator go(7);
            if (s == 0) gn.manual_seed(7), go.manual_seed(7);  // both sides start each pair alike
            std::span<double> t(y, kDraws);
            if (c == 8) s ? gn.uniform_(t, -0.0625, 0.0625) : go.uniform_(t, -0.0625, 0.0625);
            else s ? gn.normal_(t, 0.0, 0.0625) : go.normal_(t, 0.0, 0.0625);
            return kDraws;
        }
    }
    return 0;
}

}  // namespace

extern "C" {
EMSCRIPTEN_KEEPALIVE int cases() { return 10; }
// Every case on both sides: 1 if all bits agree.
EMSCRIPTEN_KEEPALIVE int check() {
    X = filled(kGrid * 2, 1, 3.0);
    W = filled(65536, 2, 0.06);
    B = filled(256, 3, 0.1);
    G = filled(65536, 4, 1.0);
    T = filled(kTanh, 5, 1.5);
    Y[0].assign(2 * kTanh, 0.0);
    Y[1].assign(2 * kTanh, 0.0);
    int same = 1;
    for (int c = 0; c < cases(); ++c) {
        const std::size_t n0 = run_case(0, c), n1 = run_case(1, c);
        same &= n0 == n1 && std::memcmp(Y[0].data(), Y[1].data(), n0 * sizeof(double)) == 0;
    }
    return same;
}
EMSCRIPTEN_KEEPALIVE void run(int side, int c) { run_case(side, c); }
}
