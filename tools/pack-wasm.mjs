// Writes dist/lab_core.mjs: Emscripten's loader for the core, followed by the .wasm itself,
// gzip-compressed and base64-encoded (`export const wasmGzipBase64`). wasm/lab.mjs inflates it
// with the platform's DecompressionStream, compiles it while it inflates and hands the instance
// to the loader, so the module needs no fetch (Node, file:// pages) and gzips ~40 KB smaller than Emscripten's plain base64 SINGLE_FILE.
// Usage: node tools/pack-wasm.mjs build/release/wasm/lab_core.mjs dist/lab_core.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const [input, output] = process.argv.slice(2);
const loader = readFileSync(input, 'utf8');
const wasm = readFileSync(input.replace(/\.mjs$/, '.wasm'));
const packed = gzipSync(wasm, { level: 9 }).toString('base64');
writeFileSync(output, `${loader}\nexport const wasmGzipBase64 = "${packed}";\n`);
