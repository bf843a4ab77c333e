// The WebAssembly half of the "same bits" check of core/nn_act_simd's two-lane Tanh and Tanhshrink
// (the native half is tests/native/test_tanh.cpp): runs the wasm benchmark twin's simdCheck — the
// twin against the registry's scalar kernel, f and f′, on tests/reference/tanh.json's 20,020
// points and COUNT random doubles — and exits non-zero unless every value has the same bits.
//   node bench/simd_check.mjs [path/to/lab_bench.mjs] [count]   (default build/wasm/lab_bench.mjs, 3000000)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const path = process.argv[2] ?? 'build/wasm/lab_bench.mjs';
const count = Number(process.argv[3] ?? 3_000_000);
const { default: create } = await import(pathToFileURL(resolve(path)).href);
const bench = await create();
const points = JSON.parse(readFileSync(new URL('../tests/reference/tanh.json', import.meta.url), 'utf8')).x;
const r = JSON.parse(bench.simdCheck(points.join(' '), count, 9));
console.log(JSON.stringify(r));
const ok = r.given === points.length && ['Tanh', 'Tanhshrink'].every((f) => r[f].twin && r[f].differ === 0);
if (!ok) {
  console.error('simd_check: the two-lane kernels differ from the scalar ones (or are not in use)');
  process.exit(1);
}
