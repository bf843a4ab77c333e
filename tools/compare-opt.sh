#!/usr/bin/env bash
# Not a test: what one optimisation level for every wasm source (OPT, default -Oz) would do,
# against the shipped per-file levels (kernels -O3, registry -Oz, the rest -O2): the JS API
# module's gzipped size, the wasm twin's timings and one 1M-point API call. README's "Speed and
# size" quotes it. POINTS=... REPS=... as for tools/bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
OPT=${OPT:--Oz}
bash tools/build.sh
cmake --build --preset wasm --target lab_bench
cmake --preset wasm -B build/wasm-opt -DLAB_WASM_OPT="$OPT" >/dev/null
cmake --build build/wasm-opt -j"$(nproc)" --target lab_core lab_bench
node bench/compare-opt.mjs build/wasm build/wasm-opt "$OPT"
