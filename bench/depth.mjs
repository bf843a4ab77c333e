// Design note: the depth view's engine calls at its worst case (issue 10: 50 Linear layers of
// width 256, batch 256, tanh after every Linear, MSELoss(reduction='sum') against zeros), timed
// one by one through the JS API the way the page makes them, so each number says what one call
// costs: creating the network (50 × 65,536 weights drawn), gradients with and without ∂L/∂W,
// predict (the forward pass alone), pass() in blocks of 32 (the first block is what the page can
// draw first), statistics with shared ranges (one call, 64 bins), and setModules (an activation
// change with no new weights). It checks before it prints that the pass's final loss and
// statistics equal gradients()' (the timings would mean nothing if they did different work).
// Medians of REPS runs after a warm-up; prints a table, writes nothing. Each call is timed twice:
// wall clock, and this process's CPU time (process.cpuUsage: on a machine shared with other jobs
// the wall clock also counts the time others had the core; WebAssembly runs on this one thread).
// `LAB=path/to/lab.mjs` measures another build (default dist/lab.mjs); REPS (default 7). Creation
// here is PyTorch's default init with a new seed; bench/init.mjs has every scheme, new seed and
// scale-only (nn_init's memo), and an A/B of two builds.
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const REPS = Number(process.env.REPS ?? 7);
const labUrl = process.env.LAB ? pathToFileURL(process.env.LAB).href : new URL('../dist/lab.mjs', import.meta.url).href;
const { default: createLab } = await import(labUrl);
const lab = await createLab();

const W = 256, D = 50, B = 256, BLOCK = 32;
const spec = (seed) => ({
  sizes: Array(D + 1).fill(W), activation: 'Tanh', output: 'Tanh', seed,
  loss: { name: 'MSELoss', params: { reduction: 'sum' } },
});
const g = lab.network({ sizes: [W, B], bias: false, seed: 1, init: { weight: 'normal', params: {} } });
const x = { shape: [B, W], data: Float64Array.from(g.parameters()[0].weight.flat()) };
g.delete();
const target = { shape: [B, W], data: new Float64Array(B * W) };
const STATS = { bins: 64, saturation: 0.01, shared: true };

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
// now() is [wall, cpu] in ms; a difference of two is taken lane by lane.
const now = () => [performance.now(), cpu()];
const times = {};
const add = (k, t) => (times[k] ??= []).push(t);
const since = (t) => {
  const n = now();
  return [n[0] - t[0], n[1] - t[1]];
};
for (let rep = 0; rep <= REPS; rep++) {
  let t = now();
  const net = lab.network(spec(rep));
  add('create (50 × 256 × 256 weights drawn)', since(t));
  t = now();
  const withW = net.gradients({ input: x, target });
  add('gradients (with ∂L/∂W)', since(t));
  t = now();
  const { loss } = net.gradients({ input: x, target, weights: false });
  add('gradients (weights: false)', since(t));
  if (loss !== withW.loss) throw new Error('gradients: the loss changed with weights: false');
  t = now();
  const whole = net.statistics(STATS);
  add('statistics (pre, post, grad; 64 bins, shared)', since(t));
  t = now();
  net.predict(x);
  add('predict (forward only)', since(t));
  t = now();
  const pass = net.pass({ input: x, target, weights: false });
  add('pass(): checks, buffers', since(t));
  let p = pass.advance(BLOCK);
  const first = since(t);
  add(`pass(), then its first block of ${BLOCK}`, first);
  t = now();
  pass.statistics(STATS);
  add(`statistics of the first ${BLOCK} rows`, since(t));
  t = now();
  while (p.done < p.total) p = pass.advance(BLOCK);
  const rest = since(t);
  add(`pass: the other ${B / BLOCK - 1} blocks`, rest);
  add('pass(), all blocks', [first[0] + rest[0], first[1] + rest[1]]);
  if (p.loss !== loss || !isDeepStrictEqual(pass.statistics(STATS), whole)) throw new Error('pass: not gradients() bit for bit');
  pass.delete();
  t = now();
  net.setModules({ activation: 'ReLU', output: 'ReLU' });
  add('setModules (ReLU; weights kept)', since(t));
  net.delete();
}
// (the first run is the warm-up)
const median = (a, i) => a.slice(1).map((t) => t[i]).sort((p, q) => p - q)[(a.length - 1) >> 1];
console.log(`depth view, 50 × Linear(256, 256) + Tanh, batch 256, Node ${process.version}, ${labUrl}: median of ${REPS}`);
console.log(`  ${''.padEnd(48)} ${'wall'.padStart(8)}    ${'cpu'.padStart(8)}`);
for (const [k, v] of Object.entries(times)) console.log(`  ${k.padEnd(48)} ${median(v, 0).toFixed(1).padStart(8)} ms ${median(v, 1).toFixed(1).padStart(8)} ms`);
