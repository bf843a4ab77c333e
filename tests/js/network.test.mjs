// The network engine through the JS API (dist/lab.mjs → dist/lab_net.mjs) against PyTorch: every
// reference file of the engine that the API reaches, with the native tests' rules
// (tests/native/test_nn_*.cpp), so the WebAssembly build is held to the same numbers:
//   * seeded initial parameters (network_init.json): bit for bit (Object.is), EXCEPT the
//     normal-based schemes (normal, xavier_normal, kaiming_normal): their Box–Muller uses log, sin
//     and cos, and Emscripten's libm differs from glibc's in the last bits (measured: 95 of the
//     3,600 weights of these rows differ, by at most 2 ulp), so those compare at 1e-12 relative.
//     Natively all of them are bit for bit;
//   * forward passes (network_forward.json): 1e-12 relative to the larger of the value and the
//     sum's own scale S = Σ_k |x_k·W_jk| + |b_j| (test_nn_model.cpp explains why), plus each
//     layer's mean and std from statistics();
//   * first-step loss, gradients, dL/dpre statistics and gradient norms (training.json): 1e-12;
//   * 25-step training runs, full batch and minibatches: each loss and the final parameters
//     within 1e-9 (issue 9's bound);
//   * mean-field moments and the literature's numbers (meanfield.json): 1e-12, as natively.
// Not reachable through the API, so tested natively only: the generator's raw draws, calculate_gain
// and fan rows of network_init.json, and optim.json's bare optimiser problem (the API trains
// networks; its optimisers are covered here by the training runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lab, close, decode } from './reference.mjs';
// Parameter values as the API takes them: 'nan', 'inf', '-inf' are the JSON's spelling of numbers.
const paramsOf = (p) => p && Object.fromEntries(Object.entries(p).map(([k, v]) =>
  [k, typeof v === 'string' && !['nan', 'inf', '-inf'].includes(v) ? v : decode(v)]));
const load = (name) => JSON.parse(readFileSync(new URL(`../reference/${name}.json`, import.meta.url), 'utf8'));
const flat = (v) => (Array.isArray(v) ? v.flat(Infinity).map(decode) : [decode(v)]);
const close9 = (a, e) => (Number.isNaN(a) || Number.isNaN(e) ? Number.isNaN(a) && Number.isNaN(e)
  : Math.abs(a - e) <= 1e-9 * Math.max(Math.abs(a), Math.abs(e)));

// The reference row's spec as lab.network takes it (the JSON already uses the API's field names).
const specOf = (c) => {
  const s = { sizes: c.sizes, activation: c.activation, output: c.output, bias: c.bias, seed: c.seed };
  for (const k of ['init', 'loss', 'optimizer']) if (c[k] !== undefined) s[k] = c[k];
  return s;
};
const describe = (c) => `${JSON.stringify(c.sizes)} act=${JSON.stringify(c.activation)} out=${JSON.stringify(c.output)} seed=${c.seed}` +
  (c.init ? ` init=${JSON.stringify(c.init)}` : '') + (c.loss ? ` loss=${JSON.stringify(c.loss)}` : '') +
  (c.optimizer ? ` opt=${JSON.stringify(c.optimizer)} batch=${c.batch}` : '');

// Fails with every mismatch listed (at most 10), so one run shows the pattern.
function expectAll(problems, what) {
  assert.deepEqual(problems.slice(0, 10), [], `${what}: ${problems.length} mismatches`);
}
function compareValues(got, want, where, rule, problems) {
  const g = Array.from(got);
  const w = flat(want);
  if (g.length !== w.length) { problems.push(`${where}: ${g.length} values, PyTorch ${w.length}`); return; }
  for (let i = 0; i < w.length; i++) if (!rule(g[i], w[i])) problems.push(`${where}[${i}]: got ${g[i]}, PyTorch ${w[i]}`);
}

const NORMAL_SCHEMES = new Set(['normal', 'xavier_normal', 'kaiming_normal']);

test('seeded parameters are PyTorch\'s: bit for bit, normal-based schemes to 1e-12 (Emscripten\'s libm)', () => {
  const problems = [];
  let cases = 0;
  for (const c of load('network_init').cases) {
    if (c.kind !== 'linears') continue;
    const normal = c.init && NORMAL_SCHEMES.has(c.init.weight);
    const rule = normal ? close : Object.is;
    const net = lab.network({ sizes: c.sizes, bias: c.bias, seed: c.seed ?? 0, init: c.init });
    const params = net.parameters();
    net.delete();
    assert.equal(params.length, c.layers.length);
    params.forEach((p, k) => {
      compareValues(p.weight.flat(), c.layers[k].weight, `${describe(c)} [${k}].weight`, rule, problems);
      if (c.bias) compareValues(p.bias, c.layers[k].bias, `${describe(c)} [${k}].bias`, rule, problems);
      else assert.equal(p.bias, null);
    });
    cases++;
  }
  expectAll(problems, 'initial parameters');
  assert.equal(cases, 304);
});

test('an init scheme\'s bad keyword is refused in torch.nn.init\'s words, under init:', () => {
  let n = 0;
  for (const c of load('network_init').cases) {
    if (c.kind !== 'init_error') continue;
    const [rows, cols] = c.shape;
    assert.throws(() => lab.network({ sizes: [cols, rows], init: { weight: c.scheme, params: paramsOf(c.params) } }),
      { message: `init: ${c.message}` }, JSON.stringify(c));
    n++;
  }
  assert.equal(n, 14);
});

test('forward passes are PyTorch\'s, every layer\'s pre and post, with their mean and std', () => {
  const problems = [];
  let cases = 0;
  for (const c of load('network_forward').cases) {
    const net = lab.network(specOf(c));
    const r = net.forward(c.input);
    const stats = net.statistics();
    const params = net.parameters();
    net.delete();
    assert.equal(r.layers.length, c.layers.length);
    r.layers.forEach((layer, l) => {
      const want = c.layers[l];
      const x = l ? c.layers[l - 1].post : c.input;
      const { weight, bias } = params[l];
      // S per entry, from torch's own input to this layer
      const scale = x.map((row) => weight.map((w, j) => w.reduce((s, wk, k) => s + Math.abs(row[k] * wk), bias ? Math.abs(bias[j]) : 0)));
      const scaled = (got, wantRows, what) => {
        const g = got.flat(), w = flat(wantRows), s = scale.flat();
        if (g.length !== w.length) { problems.push(`${describe(c)} layer ${l} ${what}: ${g.length} values, PyTorch ${w.length}`); return; }
        for (let i = 0; i < w.length; i++) {
          const ok = Number.isFinite(w[i]) ? Math.abs(g[i] - w[i]) <= 1e-12 * Math.max(Math.abs(g[i]), Math.abs(w[i]), s[i]) : close(g[i], w[i]);
          if (!ok) problems.push(`${describe(c)} layer ${l} ${what}[${i}]: got ${g[i]}, PyTorch ${w[i]}`);
        }
      };
      scaled(layer.pre, want.pre, 'pre');
      if (layer.post.flat().length === scale.flat().length) scaled(layer.post, want.post, 'post');
      else compareValues(layer.post.flat(), want.post, `${describe(c)} layer ${l} post (GLU)`, close, problems);
      const st = stats[l];
      for (const [got, key] of [[st.pre.mean, 'pre_mean'], [st.pre.std, 'pre_std'], [st.post.mean, 'post_mean'], [st.post.std, 'post_std']]) {
        if (!close(got, decode(want[key]))) problems.push(`${describe(c)} layer ${l} ${key}: got ${got}, PyTorch ${want[key]}`);
      }
      assert.equal(st.grad, null);
      assert.ok(Number.isNaN(st.weightGradNorm));
    });
    compareValues(r.output.flat(), c.output_values, `${describe(c)} output`, close, problems);
    cases++;
  }
  expectAll(problems, 'forward');
  assert.equal(cases, 27);
});

test('first-step loss, gradients, dL/dpre statistics and gradient norms are PyTorch\'s', () => {
  const problems = [];
  let cases = 0;
  for (const c of load('training').cases) {
    if (c.kind !== 'gradients') continue;
    const net = lab.network(specOf(c));
    const g = net.gradients({ input: c.input, target: c.target });
    const stats = net.statistics();
    net.delete();
    const d = describe(c);
    if (!close(g.loss, decode(c.loss_value))) problems.push(`${d} loss: got ${g.loss}, PyTorch ${c.loss_value}`);
    assert.equal(g.grads.length, c.grads.length);
    g.grads.forEach((p, l) => {
      const want = c.grads[l];
      compareValues(p.weight.flat(), want.weight, `${d} dL/dW[${l}]`, close, problems);
      compareValues(p.bias, want.bias, `${d} dL/db[${l}]`, close, problems);
      const st = stats[l];
      for (const [got, key] of [[st.weightGradNorm, 'weight_norm'], [st.biasGradNorm, 'bias_norm'], [st.grad.std, 'pre_grad_std']]) {
        if (!close(got, decode(want[key]))) problems.push(`${d} [${l}] ${key}: got ${got}, PyTorch ${want[key]}`);
      }
      // The mean of dL/dpre cancels to ~0 behind a softmax: compared at the scale mean |dL/dpre|.
      const pg = flat(want.pre_grad);
      const absMean = pg.reduce((s, v) => s + Math.abs(v), 0) / pg.length;
      const m = st.grad.mean, wm = decode(want.pre_grad_mean);
      if (!(Math.abs(m - wm) <= 1e-12 * Math.max(Math.abs(m), Math.abs(wm), absMean))) problems.push(`${d} [${l}] pre_grad_mean: got ${m}, PyTorch ${wm}`);
    });
    cases++;
  }
  expectAll(problems, 'gradients');
  assert.equal(cases, 26);
});

// Rows [lo, lo + n) of nested rows.
const rows = (x, lo, n) => x.slice(lo, lo + n);

test('25-step training runs (full batch and minibatches) stay within 1e-9 of PyTorch', () => {
  const problems = [];
  let cases = 0;
  for (const c of load('training').cases) {
    if (c.kind !== 'train') continue;
    const net = lab.network(specOf(c));
    const d = describe(c);
    const total = c.input.length;
    for (let s = 0; s < c.steps; s++) {
      const lo = (s * c.batch) % total;
      const { loss } = net.step({ input: rows(c.input, lo, c.batch), target: rows(c.target, lo, c.batch) });
      if (!close9(loss, decode(c.losses[s]))) problems.push(`${d} step ${s}: loss ${loss}, PyTorch ${c.losses[s]}`);
    }
    assert.equal(net.steps, c.steps);
    net.parameters().forEach((p, l) => {
      compareValues(p.weight.flat(), c.final[l].weight, `${d} final weight[${l}]`, close9, problems);
      compareValues(p.bias ?? [], c.final[l].bias, `${d} final bias[${l}]`, close9, problems);
    });
    net.delete();
    cases++;
  }
  expectAll(problems, 'training');
  assert.equal(cases, 30);
});

test('mean-field moments agree with the mpmath reference; the literature\'s numbers hold', () => {
  const ref = load('meanfield');
  const problems = [];
  for (const r of ref.moments) {
    const mf = lab.meanField({ activation: { name: r.name, params: r.params }, sigmaW2: 1, sigmaB2: 0 });
    const m = mf.moments(r.q);
    const where = `${r.name} ${JSON.stringify(r.params)} q=${r.q}`;
    if (!close(m.second, r.second)) problems.push(`${where} second: ${m.second} vs ${r.second}`);
    if (r.slope2 === 0 ? m.slope2 !== 0 : !close(m.slope2, r.slope2)) problems.push(`${where} slope2: ${m.slope2} vs ${r.slope2}`);
    const symmetric = Math.abs(r.mean) < 1e-10 * Math.sqrt(r.second);
    if (symmetric ? !(Math.abs(m.mean - r.mean) <= 1e-14 * Math.sqrt(r.second)) : !close(m.mean, r.mean)) problems.push(`${where} mean: ${m.mean} vs ${r.mean}`);
  }
  expectAll(problems, 'moments');
  assert.equal(ref.moments.length, 132);

  // tanh, sigma_w2 = 1, sigma_b2 = 0, from q0 = 1: 0.394, 0.236, 0.103, 0.0522 at layers 1, 2, 5, 10
  const tanh = lab.meanField({ activation: 'Tanh', sigmaW2: 1, sigmaB2: 0 });
  const layers = tanh.layers(1, 1000);
  ref.tanh_sequence.forEach((v, i) => {
    assert.ok(close(layers.postSecond[i], v), `tanh layer ${i + 1}: ${layers.postSecond[i]} vs ${v}`);
    assert.equal(layers.q[i + 1], layers.postSecond[i]);
  });
  for (const [l, v, half] of [[1, 0.394, 5e-4], [2, 0.236, 5e-4], [5, 0.103, 5e-4], [10, 0.0522, 5e-5]]) {
    assert.ok(Math.abs(layers.postSecond[l - 1] - v) <= half, `layer ${l}`);
  }
  assert.ok(Math.abs(2 * 1000 * layers.postSecond[999] - 1) < 0.01);
  // tanh's edge of chaos: 1 at sigma_b2 = 0, ~1.76 at 0.05 (relative 1e-10 as natively: a root found by bisection)
  assert.equal(tanh.criticalSigmaW2(), 1);
  const c = tanh.criticalSigmaW2(0.05);
  assert.ok(Math.abs(c - ref['tanh_critical_sigma_b2_0.05']) <= 1e-10 * c, `${c}`);
  assert.ok(close(lab.meanField({ activation: 'Tanh', sigmaW2: c, sigmaB2: 0.05 }).chiStar(), 1));
  // ReLU with He init keeps q; SELU's fixed point is (mean 0, variance 1)
  const relu = lab.meanField({ activation: 'ReLU', sigmaW2: 2, sigmaB2: 0 });
  for (const q0 of [0.3, 1, 7.5]) {
    const p = relu.layers(q0, 50);
    for (let i = 0; i < 50; i++) assert.ok(close(p.q[i], q0) && close(p.chi[i], 1), `ReLU q0=${q0} layer ${i + 1}`);
    assert.ok(close(relu.fixedPoint(q0), q0));
    assert.ok(close(relu.chiStar(q0), 1));
  }
  assert.equal(lab.meanField({ activation: 'ReLU', sigmaW2: 2.5, sigmaB2: 0 }).fixedPoint(), Infinity);
  const selu = lab.meanField({ activation: 'SELU', sigmaW2: 1, sigmaB2: 0 });
  const [mean, second] = ref.selu_mean_second_at_q1;
  const m = selu.moments(1);
  assert.ok(Math.abs(m.mean - mean) <= 1e-15 && close(m.second, second));
  assert.ok(Math.abs(selu.fixedPoint(1) - 1) < 1e-13);
  // q = 0 is the limit q -> 0+: SELU's slopes λ and λα averaged (PyTorch's φ′(0) is λα), so its
  // σ_b² = 0 edge of chaos is 2 / (λ²(1 + α²)) ≈ 0.4768, where the σ_b² > 0 line ends (not 0.3235)
  const lam = 1.0507009873554804934193349852946, alp = 1.6732632423543772848170429916717;
  assert.ok(close(selu.moments(0).slope2, lam * lam * (1 + alp * alp) / 2));
  assert.ok(close(selu.criticalSigmaW2(0), 2 / (lam * lam * (1 + alp * alp))));
  assert.ok(close(relu.map(1.5), 1.5));
  assert.ok(close(tanh.chi(1), tanh.moments(1).slope2));
});
