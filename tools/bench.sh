#!/usr/bin/env bash
# Runs the benchmark (not a test): native vs WASM vs the JS API vs plain JS, 1,000,000 points.
# Writes docs/benchmark.md. POINTS=... REPS=... to change the size.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/build.sh
cmake --build --preset wasm --target lab_bench   # the benchmark's wasm twin, build/wasm/lab_bench.mjs
node bench/run.mjs
