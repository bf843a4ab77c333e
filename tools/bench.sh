#!/usr/bin/env bash
# Runs the benchmark (not a test): native vs WASM vs the JS API vs plain JS, 1,000,000 points.
# Writes docs/benchmark.md. POINTS=... REPS=... to change the size.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
bash tools/build.sh
cmake --build build/release --target wasm_bench
node bench/run.mjs
