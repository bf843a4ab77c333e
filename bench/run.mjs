// The benchmark: f and f' of every elementwise activation and the value and gradient of every loss
// on 1,000,000 points, four ways —
//   native    the C++ core compiled with g++ -O3 (build/release/lab_bench)
//   wasm      the same C++ benchmark code compiled to WebAssembly (build/wasm/lab_bench.mjs), run in Node
//             (no boundary crossing)
//   api       what a JS user calls: dist/lab.mjs, one boundary crossing per call, copies included
//   plain JS  a straightforward JavaScript loop of the same formula (bench/plain_js.mjs)
// Each figure is the median of REPS timed runs after two warm-up calls (V8 tiers a wasm function
// up on a later call). Run with `bash tools/bench.sh`; it rewrites docs/benchmark.md.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import createLab from '../dist/lab.mjs';
import createLabBench from '../build/wasm/lab_bench.mjs';
import * as plain from './plain_js.mjs';

const POINTS = Number(process.env.POINTS ?? 1_000_000);
const REPS = Number(process.env.REPS ?? 7);

const median = (v) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
function timeMs(f) {
  f();
  f();
  const ms = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

const byName = (rows) => new Map(rows.map((r) => [r.name, r]));
const native = byName(JSON.parse(execFileSync('build/release/lab_bench', [String(POINTS), String(REPS)], { encoding: 'utf8' })));
const wasmBench = await createLabBench();
const wasm = byName(JSON.parse(wasmBench.run(POINTS, REPS, '')));
const lab = await createLab();
const catalog = lab.catalog();

// The same inputs as bench_core.cpp: x on [-6, 6]; a loss's example tiled along its batch dim.
const x = Float64Array.from({ length: POINTS }, (_, i) => -6 + (12 * i) / (POINTS - 1));
function flat(nested) {
  const shape = [];
  for (let v = nested; Array.isArray(v); v = v[0]) shape.push(v.length);
  return { shape, data: Float64Array.from(shape.length ? nested.flat(Infinity) : [nested]) };
}
function tile(t, dim, k) {
  if (t.shape.length <= dim || k <= 1) return t;
  const outer = t.shape.slice(0, dim).reduce((a, b) => a * b, 1);
  const block = t.data.length / outer;
  const data = new Float64Array(t.data.length * k);
  let o = 0;
  for (let i = 0; i < outer; i++) for (let j = 0; j < k; j++, o += block) data.set(t.data.subarray(i * block, (i + 1) * block), o);
  const shape = t.shape.slice();
  shape[dim] *= k;
  return { shape, data };
}
function lossArgs(f) {
  const entries = Object.entries(f.example).map(([k, text]) => [k, flat(lab.parseTensor(text))]);
  const first = entries[0][1].data.length;
  const k = Math.max(1, Math.ceil(POINTS / first));
  return Object.fromEntries(entries.map(([name, t]) => [name, tile(t, f.name === 'CTCLoss' && name === 'log_probs' ? 1 : 0, k)]));
}
const defaults = (f, extra = {}) => Object.fromEntries(f.params.map((p) => [p.name, p.required ? (p.sliderMin + p.sliderMax) / 2 : p.default]).concat(Object.entries(extra)));

const rows = [];
for (const f of catalog.activations.filter((s) => s.kind === 'elementwise')) {
  const params = Object.fromEntries(f.params.filter((p) => p.required).map((p) => [p.name, (p.sliderMin + p.sliderMax) / 2]));
  const api = timeMs(() => lab.activation(f.name, params, x));
  const y = new Float64Array(POINTS), dy = new Float64Array(POINTS);
  const js = plain.elementwise[f.name] ? timeMs(() => plain.elementwise[f.name](x, y, dy, defaults(f))) : NaN;
  rows.push({ name: f.name, kind: 'activation', points: POINTS, api, js });
}
for (const f of catalog.losses) {
  const args = lossArgs(f);
  const api = timeMs(() => lab.loss(f.name, {}, args));
  const js = plain.losses[f.name] ? timeMs(() => plain.losses[f.name](args, defaults(f))) : NaN;
  rows.push({ name: f.name, kind: 'loss', points: Object.values(args)[0].data.length, api, js });
}

const fmt = (v) => (Number.isFinite(v) ? v.toFixed(2) : '—');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '—');
let table = '| function | points | native ms | WASM ms | WASM/native | API call ms | plain JS ms | API/plain JS |\n|---|---:|---:|---:|---:|---:|---:|---:|\n';
let worstWasm = 0, worstApi = 0;
for (const r of rows) {
  const n = native.get(r.name), w = wasm.get(r.name);
  worstWasm = Math.max(worstWasm, w.ms / n.ms);
  if (Number.isFinite(r.js)) worstApi = Math.max(worstApi, r.api / r.js);
  table += `| ${r.name} | ${r.points.toLocaleString('en')} | ${fmt(n.ms)} | ${fmt(w.ms)} | ${ratio(w.ms, n.ms)} | ${fmt(r.api)} | ${fmt(r.js)} | ${ratio(r.api, r.js)} |\n`;
}
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const header = `Measured ${new Date().toISOString().slice(0, 10)} on ${cpu} (${os.cpus().length} cores), Node ${process.version}, ` +
  `${POINTS.toLocaleString('en')} points, median of ${REPS} runs after 2 warm-ups. ` +
  `Worst WASM/native: ${worstWasm.toFixed(2)}×; worst API call/plain JS: ${worstApi.toFixed(2)}×.`;
const doc = `# Benchmark\n\nProduced by \`bash tools/bench.sh\` (bench/run.mjs). ${header}\n\n` +
  '- **native**: the C++ core, g++ -O3, timed in C++ (bench/bench_core.cpp).\n' +
  '- **WASM**: the same bench_core.cpp compiled by em++ -O3 and run in Node: the core\'s own speed in WebAssembly.\n' +
  '- **API call**: `lab.activation(...)` / `lab.loss(...)` from dist/lab.mjs — one boundary crossing, input copied in and results copied out (Float64Array / `{shape, data}` inputs).\n' +
  '- **plain JS**: bench/plain_js.mjs, a straightforward JavaScript loop of the same formula.\n\n' + table;
writeFileSync(new URL('../docs/benchmark.md', import.meta.url), doc);
// The README carries the same table between its bench markers.
const readmeUrl = new URL('../README.md', import.meta.url);
const readme = readFileSync(readmeUrl, 'utf8');
const block = `<!-- bench:start -->\n${header} Command: \`bash tools/bench.sh\` ` +
  '(native = g++ -O3 C++; WASM = the same C++ built by em++ and run in Node; API call = `lab.activation`/`lab.loss` ' +
  'including the copies in and out; plain JS = a JavaScript loop of the same formula, bench/plain_js.mjs).\n\n' +
  `${table}<!-- bench:end -->`;
writeFileSync(readmeUrl, readme.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, block));
console.log(header);
console.log(table);
