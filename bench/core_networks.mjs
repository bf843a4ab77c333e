// The network engine's own speed (issue 9, "Speed"), native vs WebAssembly, without the JS API:
// bench_core.cpp's run_networks() — the depth view's worst case (50 Linear layers × 256 wide,
// batch 256: forward, gradients, statistics) and the page's training frame (25 SGD steps of batch
// 10 + a 100×100 grid forward) — timed in C++ by the native lab_bench and by its WASM twin(s).
// Several builds can be compared in one run (e.g. WASM with and without -msimd128, or a build of an
// older commit): a native one is named native:label=path, a WASM one label=path/lab_bench.mjs.
//   node bench/core_networks.mjs [--reps 5] [--rounds 2] [native:label=path …] [label=path/lab_bench.mjs …]
// Default: native=build/release/lab_bench and wasm=build/wasm/lab_bench.mjs; ratios are to the
// first native build. The builds run one after
// another, alternating, `--rounds` times (default 2), and each cell is the fastest of its rounds'
// medians: the machine this runs on is shared, and the least disturbed run is the comparable one.
// Prints a Markdown table (ms, and each build's ratio to the first native one) and the load average.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
let reps = 5, rounds = 2;
const natives = [], wasm = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--reps') reps = Number(args[++i]);
  else if (args[i] === '--rounds') rounds = Number(args[++i]);
  else {
    const isNative = args[i].startsWith('native:'), a = isNative ? args[i].slice(7) : args[i];
    const eq = a.indexOf('=');
    (isNative ? natives : wasm).push(eq > 0 ? { label: a.slice(0, eq), path: a.slice(eq + 1) } : { label: a, path: a });
  }
}
if (!natives.length) natives.push({ label: 'native', path: 'build/release/lab_bench' });
if (!wasm.length) wasm.push({ label: 'wasm', path: 'build/wasm/lab_bench.mjs' });

const modules = [];
for (const w of wasm) {
  const { default: create } = await import(pathToFileURL(resolve(w.path)).href);
  modules.push({ ...w, module: await create() });
}

const best = new Map();  // `${build}|${case}` → fastest median
const names = [];
function record(build, rows) {
  for (const r of JSON.parse(rows)) {
    if (!names.includes(r.name)) names.push(r.name);
    const key = `${build}|${r.name}`;
    best.set(key, Math.min(best.get(key) ?? Infinity, r.ms));
  }
}
const load0 = os.loadavg()[0];
for (let round = 0; round < rounds; round++) {
  for (const n of natives) record(n.label, execFileSync(n.path, ['networks', String(reps)], { encoding: 'utf8' }));
  for (const m of modules) record(m.label, m.module.runNetworks(reps, ''));
}

const builds = [...natives, ...modules].map((b) => b.label), base = natives[0].label;
const others = builds.slice(1);
let table = `| case | ${builds.map((b) => `${b} ms`).join(' | ')} | ${others.map((b) => `${b}/${base}`).join(' | ')} |\n`;
table += `|---|${builds.map(() => '---:').join('|')}|${others.map(() => '---:').join('|')}|\n`;
for (const name of names) {
  const n = best.get(`${base}|${name}`);
  const cells = builds.map((b) => best.get(`${b}|${name}`).toFixed(1));
  const ratios = others.map((b) => `${(best.get(`${b}|${name}`) / n).toFixed(2)}×`);
  table += `| ${name} | ${cells.join(' | ')} | ${ratios.join(' | ')} |\n`;
}
console.log(`${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), Node ${process.version}; ` +
  `median of ${reps} runs, fastest of ${rounds} rounds; load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}`);
console.log(table);
