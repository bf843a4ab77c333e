// Benchmark (not a test) of issue 11's formula engine through the JS API of dist/: a formula
// against the built-in it writes out, for an evaluation of many points and for the mean-field
// calls the depth view and the phase diagram make (a formula has no kink table: its moments take
// the adaptive rule, core/nn_meanfield.hpp). `node bench/formula.mjs` (LAB=path/to/lab.mjs to
// measure another build). Best of several runs, in ms.
import { pathToFileURL } from 'node:url';

const { default: createLab } = await import(process.env.LAB ? pathToFileURL(process.env.LAB).href : '../dist/lab.mjs');
const lab = await createLab();

function best(f, runs = 7) {
  let t = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    t = Math.min(t, performance.now() - t0);
  }
  return t;
}
const row = (what, a, b) => console.log(`${what.padEnd(48)} formula ${a.toFixed(2).padStart(9)} ms   built-in ${b.toFixed(2).padStart(9)} ms   ratio ${(a / b).toFixed(2)}`);

const x = Float64Array.from({ length: 1e6 }, (_, i) => -8 + (16 * i) / 1e6);
for (const [formula, params, name, builtin] of [
  ['tanh(x)', {}, 'Tanh', {}],
  ['x * sigmoid(x)', {}, 'SiLU', {}],
  ['x > 0 ? x : a * (exp(x) - 1)', { a: 0.5 }, 'ELU', { alpha: 0.5 }],
]) {
  row(`activation, 1M points: ${formula}`, best(() => lab.activation({ formula, params }, x)), best(() => lab.activation(name, builtin, x)));
}
for (const [formula, name] of [['tanh(x)', 'Tanh'], ['max(x, 0)', 'ReLU'], ['x > 0 ? x : 0.5 * (exp(x) - 1)', 'ELU']]) {
  const params = name === 'ELU' ? { alpha: 0.5 } : {};
  const f = { activation: { formula }, sigmaW2: 1.5, sigmaB2: 0.05 };
  const b = { activation: { name, params }, sigmaW2: 1.5, sigmaB2: 0.05 };
  row(`meanField(…).layers(1, 50): ${formula}`, best(() => lab.meanField(f).layers(1, 50)), best(() => lab.meanField(b).layers(1, 50)));
  row(`meanField(…).criticalSigmaW2(): ${formula}`, best(() => lab.meanField(f).criticalSigmaW2(), 3), best(() => lab.meanField(b).criticalSigmaW2(), 3));
}
