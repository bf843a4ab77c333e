// Design note: core/nn_random.cpp computes Box–Muller's sin θ and cos θ with one sincos call, on
// the claim that it gives separate sin's and cos's bits for θ ≥ 2^-26 — in glibc (native) and in
// Emscripten's musl (WebAssembly). This checks the claim where it matters: 10^8 angles 2π·u with u
// as uniform_ draws it, every angle of the 2^22 smallest u, and 2·10^6 neighbours on each side
// of each branch point of both libms' sin/cos/sincos. Prints the count that differ (and the time
// of each form); exit status 1 if any. Run by bench/sincos_check.sh.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>

namespace {
bool same(double a, double b) {
    std::uint64_t x, y;
    std::memcpy(&x, &a, sizeof x);
    std::memcpy(&y, &b, sizeof y);
    return x == y;
}
std::uint64_t bad = 0, count = 0;
void check(double theta) {
    if (!(theta >= 0x1p-26)) return;  // below it nn_random calls sin and cos
    double s, c;
    ::sincos(theta, &s, &c);
    volatile double v = theta;  // two loads: the compiler cannot merge these two into sincos
    bad += !same(s, std::sin(v)) || !same(c, std::cos(v));
    ++count;
}
double ms(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}
}  // namespace

int main() {
    const double two_pi = 2.0 * 3.14159265358979323846;
    std::mt19937_64 r(1);
    const auto angle = [&] { return two_pi * (static_cast<double>(r() >> 11) * 0x1p-53); };
    for (int i = 0; i < 100000000; ++i) check(angle());
    for (std::uint64_t m = 0; m < (std::uint64_t{1} << 22); ++m) check(two_pi * (static_cast<double>(m) * 0x1p-53));
    for (const double edge : {0x1p-27, 0x1.6a09ep-27, 0x1p-26, 0.7853981633974483, 0.855469, 2.356194490192345, 2.426265,
                              3.9269908169872414, 5.497787143782138, two_pi}) {
        double up = edge, down = edge;
        for (int j = 0; j < 2000000; ++j) {
            check(up = std::nextafter(up, 10.0));
            check(down = std::nextafter(down, 0.0));
        }
    }
    // The time of each form (with the angles' own cost), 2·10^7 angles.
    double acc = 0;
    r.seed(2);
    auto t = std::chrono::steady_clock::now();
    for (int i = 0; i < 20000000; ++i) {
        double s, c;
        ::sincos(angle(), &s, &c);
        acc += s + c;
    }
    const double one = ms(t);
    r.seed(2);
    t = std::chrono::steady_clock::now();
    for (int i = 0; i < 20000000; ++i) {
        volatile double v = angle();
        acc += std::sin(v) + std::cos(v);
    }
    const double two = ms(t);
    std::printf("sincos vs sin, cos: %llu of %llu angles differ; 2e7 angles: sincos %.0f ms, sin + cos %.0f ms (%g)\n",
                static_cast<unsigned long long>(bad), static_cast<unsigned long long>(count), one, two, acc);
    return bad != 0;
}
