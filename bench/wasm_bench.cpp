// The same benchmark code as native_bench.cpp, compiled to WebAssembly: run(points, reps, only) and
// runNetworks(reps, only) -> JSON.
#include <emscripten/bind.h>

#include "bench_core.hpp"

EMSCRIPTEN_BINDINGS(lab_bench) {
    emscripten::function("run", &labbench::run);
    emscripten::function("runNetworks", &labbench::run_networks);
}
