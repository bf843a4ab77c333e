// Design note: what the elementwise activation files share — the one loop every ElementwiseFn
// runs (a template over an inlined lambda, so the per-element work is only the arithmetic), and
// the clamp pair that ReLU6 (activations.cpp) and Hardtanh (activations_sigmoid_shrink.cpp) both
// are. Everything else about an activation lives in its family file, next to its registry entry.
// (The loop's dy may be nullptr: values only, with no derivative computed; see kernel().)
#pragma once

#include <cstddef>

namespace lab {
namespace act {

// clamp(x, lo, hi) = min(max(x, lo), hi); NaN compares false everywhere and passes through.
inline double hardtanh(double x, double lo, double hi) {
    const double m = x < lo ? lo : x;
    return hi < m ? hi : m;
}
// Both corners belong to the flat part: derivative 0 at x == lo and x == hi. (Here and below,
// `|` and `&` on comparisons mean the same as `||` and `&&`, without a branch.)
inline double hardtanh_backward(double x, double lo, double hi) { return ((x <= lo) | (x >= hi)) ? 0.0 : 1.0; }

}  // namespace act

struct YD {
    double y, dy;
};

// One tight loop per function; `step` is a lambda holding the already-read parameters.
// dy == nullptr asks for the values only (a forward pass nobody differentiates, such as the
// page's decision-boundary grid): the test is made once, and in that loop r.dy is never stored,
// so once `step` is inlined the compiler drops the derivative's arithmetic (fma_exact is plain
// inline double arithmetic, not a call it must keep). y's bits are the same on both paths.
template <class Step>
inline void kernel(const double* x, std::size_t n, double* y, double* dy, Step step) {
    if (dy == nullptr) {
        for (std::size_t i = 0; i < n; ++i) y[i] = step(x[i]).y;
        return;
    }
    for (std::size_t i = 0; i < n; ++i) {
        const YD r = step(x[i]);
        y[i] = r.y;
        dy[i] = r.dy;
    }
}

}  // namespace lab
