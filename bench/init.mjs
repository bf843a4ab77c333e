// Design note: what the depth view waits for when an init changes (issue 10: 50 × Linear(256, 256),
// a new network per change of the seed or of the init's numbers): lab.network(spec) per scheme,
// for a NEW SEED (every draw made) and for a SCALE-ONLY change (the same seed, sizes and bias, only
// the gain / a / std / scheme of the same family differs: nn_init's memo rescales its kept draws).
// An A/B in ONE process when OLD is given (another build's lab.mjs, e.g. a worktree of the
// previous commit packed as common.md says): both labs are loaded and called in alternation, so
// both see the same machine state, and each call is timed in CPU time (process.cpuUsage: the
// machine is shared, WebAssembly runs on this one thread) and wall time. Medians of REPS (default
// 9) after a warm-up. Prints a table, writes nothing. The networks are deleted at once; the
// weights are not read back (bench/init-bits.mjs and tests/js/network-init.test.mjs check them).
//   LAB=dist/lab.mjs OLD=/tmp/old-dist/lab.mjs REPS=9 node bench/init.mjs
import { pathToFileURL } from 'node:url';

const REPS = Number(process.env.REPS ?? 9);
const urlOf = (p) => pathToFileURL(p).href;
const labs = [['new', process.env.LAB ? urlOf(process.env.LAB) : new URL('../dist/lab.mjs', import.meta.url).href]];
if (process.env.OLD) labs.unshift(['old', urlOf(process.env.OLD)]);
for (const l of labs) l.push(await (await import(l[1])).default());

const W = 256, D = 50;
// Each scheme with two settings of its numbers (the scale-only change goes from one to the other).
const SCHEMES = {
  default: [undefined, undefined],
  xavier_uniform: [{ weight: 'xavier_uniform', params: { gain: 1 } }, { weight: 'xavier_uniform', params: { gain: 5 / 3 } }],
  kaiming_uniform: [{ weight: 'kaiming_uniform', params: { nonlinearity: 'relu' } }, { weight: 'kaiming_uniform', params: { a: 0.2 } }],
  xavier_normal: [{ weight: 'xavier_normal', params: { gain: 1 } }, { weight: 'xavier_normal', params: { gain: 5 / 3 } }],
  kaiming_normal: [{ weight: 'kaiming_normal', params: { nonlinearity: 'relu' } }, { weight: 'kaiming_normal', params: { a: 0.2 } }],
  'normal (σ_w)': [{ weight: 'normal', params: { std: 1 / 16 }, bias: 'zeros' }, { weight: 'normal', params: { std: 1.5 / 16 }, bias: 'zeros' }],
};
const spec = (seed, init) => ({
  sizes: Array(D + 1).fill(W), activation: 'Tanh', output: 'Tanh', seed, ...(init ? { init } : {}),
  loss: { name: 'MSELoss', params: { reduction: 'sum' } },
});
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const timed = (lab, s) => {
  const w0 = performance.now(), c0 = cpu();
  const net = lab.network(s);
  const t = [performance.now() - w0, cpu() - c0];
  net.delete();
  return t;
};
const times = {};  // `${scheme}|${case}|${lab}` -> [[wall, cpu]]
const add = (k, t) => (times[k] ??= []).push(t);
let seed = 1000;
for (let rep = 0; rep <= REPS; rep++) {
  for (const [name, [a, b]] of Object.entries(SCHEMES)) {
    seed += 1;
    for (const [which, , lab] of labs) {
      add(`${name}|new seed|${which}`, timed(lab, spec(seed, a)));
      if (name !== 'default') add(`${name}|scale only|${which}`, timed(lab, spec(seed, b)));
    }
  }
}
const median = (a, i) => a.slice(1).map((t) => t[i]).sort((p, q) => p - q)[(a.length - 1) >> 1];
console.log(`lab.network(spec) at 50 × Linear(256, 256), Node ${process.version}, median of ${REPS} (ms, cpu / wall)`);
console.log(labs.map(([w, u]) => `  ${w}: ${u}`).join('\n'));
const cols = labs.map(([w]) => w);
console.log(`  ${'scheme'.padEnd(18)} ${'change'.padEnd(11)} ${cols.map((c) => `${c} cpu`.padStart(9) + `${c} wall`.padStart(10)).join(' ')}`);
for (const name of Object.keys(SCHEMES))
  for (const c of ['new seed', 'scale only']) {
    if (!times[`${name}|${c}|new`]) continue;
    const cells = cols.map((w) => {
      const v = times[`${name}|${c}|${w}`];
      return median(v, 1).toFixed(1).padStart(9) + median(v, 0).toFixed(1).padStart(10);
    });
    console.log(`  ${name.padEnd(18)} ${c.padEnd(11)} ${cells.join(' ')}`);
  }
