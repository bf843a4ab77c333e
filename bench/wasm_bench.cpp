// The same benchmark code as native_bench.cpp, compiled to WebAssembly: run(points, reps, only) and
// runNetworks(reps, only) -> JSON. Also simdCheck(hex, count, seed) -> JSON, the WebAssembly half
// of tests/native/test_tanh.cpp's "same bits" check of core/nn_act_simd's two-lane twins (run by
// bench/simd_check.mjs): the twin against the registry's scalar kernel, y and dy, on the given
// doubles (space-separated hex bit patterns: tests/reference/tanh.json's points) plus `count`
// random bit patterns, uniform and log-uniform values.
#include <emscripten/bind.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "bench_core.hpp"
#include "nn_act_simd.hpp"
#include "registry.hpp"

namespace {

std::string simd_check(const std::string& hex, int count, int seed) {
    std::vector<double> x;
    std::istringstream in(hex);
    for (std::string h; in >> h;) {
        const std::uint64_t b = std::stoull(h, nullptr, 16);
        double d;
        std::memcpy(&d, &b, sizeof d);
        x.push_back(d);
    }
    const std::size_t given = x.size();
    std::mt19937_64 g(static_cast<std::uint64_t>(seed));
    std::uniform_real_distribution<double> uniform(-20.0, 20.0), log_mag(-12.0, 1.6);
    for (int i = 0; i < count; ++i) {
        if (i % 3 == 0) {
            const std::uint64_t b = g();
            double d;
            std::memcpy(&d, &b, sizeof d);
            x.push_back(d);
        } else {
            x.push_back(i % 3 == 1 ? uniform(g) : (g() & 1 ? -1.0 : 1.0) * std::pow(10.0, log_mag(g)));
        }
    }
    std::string out = "{\"given\":" + std::to_string(given) + ",\"values\":" + std::to_string(x.size());
    for (const char* name : {"Tanh", "Tanhshrink"}) {
        const lab::FunctionSpec& f = lab::find_function(name);
        const lab::Params p = lab::resolve(f, {});
        const lab::ElementwiseFn twin = lab::nn::simd::elementwise(f);
        const std::size_t n = x.size();
        std::vector<double> y(n), dy(n), yt(n), dyt(n), yo(n);
        f.elementwise(p, x.data(), n, y.data(), dy.data());
        twin(p, x.data(), n, yt.data(), dyt.data());
        twin(p, x.data(), n, yo.data(), nullptr);
        std::size_t differ = 0;
        for (std::size_t i = 0; i < n; ++i)
            differ += std::memcmp(&y[i], &yt[i], 8) != 0 || std::memcmp(&dy[i], &dyt[i], 8) != 0 || std::memcmp(&y[i], &yo[i], 8) != 0;
        out += std::string(",\"") + name + "\":{\"twin\":" + (twin != f.elementwise ? "true" : "false") +
               ",\"differ\":" + std::to_string(differ) + "}";
    }
    return out + "}";
}

}  // namespace

EMSCRIPTEN_BINDINGS(lab_bench) {
    emscripten::function("run", &labbench::run);
    emscripten::function("runNetworks", &labbench::run_networks);
    emscripten::function("simdCheck", &simd_check);
}
