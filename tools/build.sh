#!/usr/bin/env bash
# Builds everything through the CMake presets of CMakePresets.json: the native library, tests and
# benchmark (preset release, build/release) and the WebAssembly module (preset wasm, build/wasm),
# then the static site into dist/: dist/lab.mjs (the JS API) beside the two WASM modules, inlined
# by tools/pack-wasm.mjs: dist/lab_net.mjs (everything; what dist/lab.mjs loads) and
# dist/lab_core.mjs (functions and losses only, for the page's first visit); then the page
# (web/build.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."

for preset in release wasm; do
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j"$(nproc)"
done

mkdir -p dist
node tools/pack-wasm.mjs build/wasm/lab_core.mjs dist/lab_core.mjs
node tools/pack-wasm.mjs build/wasm/lab_net.mjs dist/lab_net.mjs
node_modules/.bin/esbuild wasm/lab.mjs --bundle --format=esm --external:./lab_net.mjs --log-level=warning --banner:js="// Activation & Loss Lab, JS API: wasm/*.mjs bundled by esbuild (tools/build.sh); design notes are in those sources." --outfile=dist/lab.mjs
cp wasm/lab.d.ts dist/lab.d.ts
if [ -f web/build.mjs ]; then node web/build.mjs; fi
echo "build: dist/ is ready"
