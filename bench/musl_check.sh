#!/bin/bash
# Design note: bench/musl_check.cpp with core/nn_random_musl.cpp, built as lab_net builds that file
# (em++ -O3 -msimd128 -ffp-contract=off) against Emscripten's musl, and run by Node: the two-lane
# log/sincos against the scalar libm calls (0 differ, or exit status 1).
#   bash bench/musl_check.sh      (a few minutes)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d /tmp/musl_check.XXXXXX)
NODE_PATH=/usr/share/nodejs em++ -std=c++20 -O3 -msimd128 -ffp-contract=off -sENVIRONMENT=node -I"$root/core" \
  "$root/bench/musl_check.cpp" "$root/core/nn_random_musl.cpp" -o "$out/check.js"
node --no-experimental-fetch "$out/check.js"
