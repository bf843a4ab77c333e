// Benchmark (not a test): the depth view's redraw at 50 layers × 256 wide × batch 256 in Node, the
// page's own scheduler and job (web/src/net-depth-progress.js, net-depth-model.js) over dist/'s
// engine, with their tasks run from a queue here. Every task's CPU time (process.cpuUsage — wall
// time swings with the load of a shared machine; the scheduler's clock is CPU time too), the first
// paint's time and rows from the change, the complete view's; per kind of change as the view's
// controls make it. With a revision, the same changes A/B against that revision's web/src in one
// process, alternating (the engine is the same: only the page's scheduling and job differ).
//   node bench/depth-redraw.mjs            this tree's web/src
//   node bench/depth-redraw.mjs d1a6be0    … and A/B against d1a6be0's
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import createLab from '../dist/lab.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const rev = process.argv[2];
const lab = await createLab();
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

async function side(dir) {
  const M = await import(pathToFileURL(join(dir, 'net-depth-model.js')).href);
  const P = await import(pathToFileURL(join(dir, 'net-depth-progress.js')).href);
  const queue = [];
  return { queue, run: new M.DepthRun(lab), p: new P.Progressive({ post: (fn) => queue.push(fn), clock: cpu }) };
}
const sides = { now: await side(join(root, 'web/src')) };
let scratch = null;
if (rev) {
  scratch = mkdtempSync(join(tmpdir(), 'depth-redraw-'));
  execFileSync('sh', ['-c', `git -C "${root}" archive "${rev}" web/src | tar -x -C "${scratch}"`]);
  sides[rev] = await side(join(scratch, 'web/src'));
}

const base = { depth: 50, width: 256, batch: 256, seed: 1, show: 'post', act: { name: 'ELU', params: { alpha: 1 } }, init: { scheme: 'default', params: {} } };
function redraw(s, d) {
  const t0 = cpu();
  const job = s.run.begin(d);  // the network, modules and inputs, as the change's task does first
  let first = null;
  const tasks = [];
  s.p.run(job, { show: (r) => { first ??= { at: cpu() - t0, done: r.done }; }, failed: (e) => { throw e; }, since: t0, started: t0 });
  tasks.push(cpu() - t0);
  while (s.queue.length) {
    const t = cpu();
    s.queue.shift()();
    tasks.push(cpu() - t);
  }
  return { first, tasks, total: cpu() - t0 };
}
const changes = [
  ['batch 255/256 (same network)', (i) => ({ ...base, batch: 255 + (i % 2) })],
  ['ELU alpha (setModules)', (i) => ({ ...base, act: { name: 'ELU', params: { alpha: 0.9 + 0.01 * i } } })],
  ['seed (new weights)', (i) => ({ ...base, seed: 10 + i })],
  ['normal σ_w² (σ_b² = 0.05)', (i) => ({ ...base, init: { scheme: 'normal', params: { sw2: 1.5 + 0.01 * i, sb2: 0.05 } } })],
  ['xavier_uniform gain', (i) => ({ ...base, init: { scheme: 'xavier_uniform', params: { gain: 1.1 + 0.01 * i } } })],
];
const med = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const names = Object.keys(sides);
for (const s of Object.values(sides)) redraw(s, base);
console.log(`depth view 50 x 256 x batch 256 in Node, CPU ms, medians of 8 redraws${rev ? `, alternating with ${rev}'s web/src` : ''}`);
for (const [what, f] of changes) {
  const res = Object.fromEntries(names.map((k) => [k, []]));
  for (let i = 0; i < 10; i++) for (const k of i % 2 ? names : [...names].reverse()) res[k].push(redraw(sides[k], f(i)));
  for (const k of names) {
    const rs = res[k].slice(2);  // (two warm-up redraws)
    const longest = rs.map((r) => Math.max(...r.tasks));
    console.log(`${what.padEnd(30)} ${k.padEnd(8)} first paint ${med(rs.map((r) => r.first.at)).toFixed(0)} ms (${med(rs.map((r) => r.first.done))} examples), complete ${med(rs.map((r) => r.total)).toFixed(0)} ms in ${med(rs.map((r) => r.tasks.length))} tasks; longest task ${med(longest).toFixed(0)} ms (max ${Math.max(...longest).toFixed(0)}), second longest ${med(rs.map((r) => r.tasks.slice().sort((a, b) => b - a)[1])).toFixed(0)} ms`);
  }
}
for (const s of Object.values(sides)) s.run.delete();
if (scratch) rmSync(scratch, { recursive: true, force: true });
