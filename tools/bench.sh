#!/usr/bin/env bash
# Runs the benchmark (not a test): native vs WASM vs the JS API vs plain JS, 1,000,000 points
# (bench/run.mjs, which rewrites docs/benchmark.md), then the network engine's training frame against
# a Playground-style JS trainer and the depth view's worst case (bench/network.mjs, which writes the
# file's "Networks" section — so it runs second). POINTS=... REPS=... to change the size
# (NET_REPS=... DEPTH_REPS=... for the networks).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/build.sh
cmake --build --preset wasm --target lab_bench   # the benchmark's wasm twin, build/wasm/lab_bench.mjs
node bench/run.mjs
node bench/network.mjs
