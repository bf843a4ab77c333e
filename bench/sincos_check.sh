#!/bin/bash
# Design note: bench/sincos_check.cpp built twice — natively (glibc) and with Debian's emscripten
# (musl, run by Node) — so the claim behind nn_random's sin_cos is checked in both libms the
# weights come from. Same flags as the code it checks (-O2/-O3, -ffp-contract=off).
#   bash bench/sincos_check.sh      (~1 minute)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d /tmp/sincos_check.XXXXXX)
c++ -std=c++20 -O2 -ffp-contract=off "$root/bench/sincos_check.cpp" -o "$out/native"
NODE_PATH=/usr/share/nodejs em++ -std=c++20 -O3 -msimd128 -ffp-contract=off -sENVIRONMENT=node "$root/bench/sincos_check.cpp" -o "$out/check.js"
echo -n "glibc: " && "$out/native"
echo -n "musl (wasm): " && node --no-experimental-fetch "$out/check.js"
