// Compares two wasm builds of the lab (run by tools/compare-opt.sh): the shipped one and one with a
// single optimisation level everywhere. For each: the JS API module's size as dist ships it
// (dist/lab.mjs + lab_core.mjs packed by tools/pack-wasm.mjs, gzipped), the wasm twin's time for
// every function (bench_core.cpp, no boundary crossing), and the API call for MSELoss on 1M points.
// Both run in this one process, one after the other, so the ratios share the machine's noise.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const [shippedDir, otherDir, opt] = process.argv.slice(2);
const POINTS = Number(process.env.POINTS ?? 1_000_000);
const REPS = Number(process.env.REPS ?? 7);
const kb = (n) => (n / 1024).toFixed(1);

async function measure(dir) {
  const out = mkdtempSync(join(tmpdir(), 'lab-opt-'));
  execFileSync(process.execPath, ['tools/pack-wasm.mjs', join(dir, 'lab_core.mjs'), join(out, 'lab_core.mjs')], { stdio: 'inherit' });
  copyFileSync('dist/lab.mjs', join(out, 'lab.mjs'));
  copyFileSync('dist/lab_net.mjs', join(out, 'lab_net.mjs'));  // lab.mjs imports it; measured here: lab_core
  const gz = ['lab.mjs', 'lab_core.mjs'].reduce((a, f) => a + gzipSync(readFileSync(join(out, f)), { level: 9 }).length, 0);
  const { default: createLabBench } = await import(pathToFileURL(resolve(dir, 'lab_bench.mjs')).href);
  const rows = new Map(JSON.parse((await createLabBench()).run(POINTS, REPS, '')).map((r) => [r.name, r.ms]));
  const { createLabFrom } = await import(pathToFileURL(join(out, 'lab.mjs')).href);
  const lab = await createLabFrom(await import(pathToFileURL(join(out, 'lab_core.mjs')).href));
  const input = { shape: [POINTS], data: Float64Array.from({ length: POINTS }, (_, i) => Math.sin(i)) };
  const target = { shape: [POINTS], data: new Float64Array(POINTS) };
  const times = [];
  for (let r = 0; r < REPS + 2; r++) {
    const t0 = performance.now();
    lab.loss('MSELoss', {}, { input, target });
    if (r >= 2) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { gz, rows, mse: times[Math.floor(times.length / 2)] };
}

const a = await measure(shippedDir);
const b = await measure(otherDir);
const ratios = [...a.rows].map(([name, ms]) => [name, b.rows.get(name) / ms]);
const losses = ratios.filter(([n]) => n.endsWith('Loss')).map(([, r]) => r);
const acts = ratios.filter(([n]) => !n.endsWith('Loss')).map(([, r]) => r);
const span = (v) => `${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)}×`;
console.log(`JS API module, gzipped: shipped ${kb(a.gz)} KB, ${opt} everywhere ${kb(b.gz)} KB (${kb(a.gz - b.gz)} KB less)`);
console.log(`wasm twin, ${opt} everywhere / shipped: losses ${span(losses)}, activations ${span(acts)} (${POINTS.toLocaleString('en')} points, median of ${REPS})`);
console.log(`MSELoss API call on ${POINTS.toLocaleString('en')} points: shipped ${a.mse.toFixed(1)} ms, ${opt} everywhere ${b.mse.toFixed(1)} ms (${(b.mse / a.mse).toFixed(1)}×)`);
for (const [name, r] of ratios) console.log(`  ${name.padEnd(30)} ${r.toFixed(2)}×`);
