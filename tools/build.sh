#!/usr/bin/env bash
# Builds everything into build/ (native library, tests, benchmark, WebAssembly module) and the
# static site into dist/: dist/lab.mjs (the JS API) beside dist/lab_core.mjs (the WASM module,
# inlined by tools/pack-wasm.mjs), then the page (web/build.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs   # Debian's emcc runs node and needs its acorn from there

cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DLAB_WASM=ON >/dev/null
cmake --build build/release -j"$(nproc)"

mkdir -p dist
node tools/pack-wasm.mjs build/release/wasm/lab_core.mjs dist/lab_core.mjs
node_modules/.bin/esbuild wasm/lab.mjs --bundle --format=esm --external:./lab_core.mjs --log-level=warning --banner:js="// Activation & Loss Lab, JS API: wasm/*.mjs bundled by esbuild (tools/build.sh); design notes are in those sources." --outfile=dist/lab.mjs
cp wasm/lab.d.ts dist/lab.d.ts
if [ -f web/build.mjs ]; then node web/build.mjs; fi
echo "build: dist/ is ready"
