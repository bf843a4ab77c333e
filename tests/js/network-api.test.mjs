// The network API's contract beyond PyTorch's numbers (network.test.mjs has those): what the page
// relies on — predict() is forward()'s output and leaves statistics() alone, epoch() is the same
// steps one by one (bit for bit, the last batch smaller), statistics() describe the pass just run —
// and what every caller relies on: results in the caller's form, bad specs and calls refused
// with an Error naming the field and the instance working after, delete() leaving no leak, data
// sets reproducible from their seed, and a lab built on lab_core saying it has no network engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lab, close } from './reference.mjs';
import { createLabFrom } from '../../dist/lab.mjs';

const SPEC = {
  sizes: [2, 5, 4, 1], activation: 'Tanh', seed: 3, loss: 'MSELoss',
  optimizer: { name: 'SGD', params: { lr: 0.05, momentum: 0.9 } },
};
// 25 rows: batches of 10 are 10, 10 and 5.
const X = Array.from({ length: 25 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
const T = X.map(([a, b]) => [a * b]);

test('predict() is forward()\'s output, one Float64Array, and leaves the pass statistics() reads', () => {
  const net = lab.network(SPEC);
  net.step({ input: X, target: T });
  const before = net.statistics();
  const grid = Array.from({ length: 100 }, (_, i) => [i / 50 - 1, 1 - i / 70]);
  const p = net.predict(grid);
  assert.ok(p instanceof Float64Array);
  assert.equal(p.length, 100);
  assert.deepEqual(net.statistics(), before);
  assert.deepEqual(Array.from(p), net.forward(grid).output.flat());
  // {shape, data} in, the same numbers
  assert.deepEqual(net.predict({ shape: [100, 2], data: Float64Array.from(grid.flat()) }), p);
  net.delete();
});

test('an elementwise module\'s values in predict() and forward() are its registry kernel\'s, bit for bit, at every shape', () => {
  // The engine pairs a twin's lanes down the columns (core/nn_act_simd.hpp): every parity of rows
  // and width, values on both sides of tanh's branch cut (|x| = 0.125) and past saturation. An
  // identity weight (bias=False) hands x through the Linear unchanged (nonzero finite x: each sum
  // is x plus zeros), so the output module sees exactly x.
  let s = 7;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (const output of ['Tanh', 'Tanhshrink']) {
    for (const width of [1, 2, 3, 8]) {
      const net = lab.network({ sizes: [width, width], output, bias: false, seed: 0 });
      net.setParameters([{ weight: Array.from({ length: width }, (_, j) => Array.from({ length: width }, (_, k) => (j === k ? 1 : 0))), bias: null }]);
      for (const rows of [1, 2, 3, 7, 10]) {
        const x = Float64Array.from({ length: rows * width }, () => {
          const scale = [0.2, 3, 30][Math.floor(next() * 3)];
          return (next() - 0.5) * scale || 0.01;
        });
        const want = lab.activation(output, {}, x);
        const input = { shape: [rows, width], data: x };
        const got = net.predict(input);
        const layer = net.forward(input).layers[0];
        for (let i = 0; i < x.length; i++) {
          assert.ok(Object.is(got[i], want.y[i]), `${output} ${rows}×${width} predict [${i}]: ${got[i]} vs ${want.y[i]}`);
          assert.ok(Object.is(layer.pre.data[i], x[i]), `${output} ${rows}×${width}: the identity Linear changed x[${i}]`);
          assert.ok(Object.is(layer.post.data[i], want.y[i]), `${output} ${rows}×${width} forward [${i}]`);
        }
      }
      net.delete();
    }
  }
});

test('epoch() equals the same steps one by one, bit for bit, the last minibatch smaller', () => {
  for (const optimizer of [SPEC.optimizer, { name: 'Adam', params: { lr: 0.01, betas: [0.8, 0.99] } }]) {
    const a = lab.network({ ...SPEC, optimizer });
    const b = lab.network({ ...SPEC, optimizer });
    const { losses } = a.epoch({ input: X, target: T, batchSize: 10 });
    assert.ok(losses instanceof Float64Array);
    const one = [0, 10, 20].map((lo) => b.step({ input: X.slice(lo, lo + 10), target: T.slice(lo, lo + 10) }).loss);
    assert.deepEqual(Array.from(losses), one);
    assert.deepEqual(a.parameters(), b.parameters());
    assert.deepEqual(a.statistics(), b.statistics());
    assert.equal(a.steps, 3);
    // a second epoch carries the optimiser state on; {shape, data} rows give the same numbers
    const again = a.epoch({ input: { shape: [25, 2], data: Float64Array.from(X.flat()) }, target: { shape: [25, 1], data: Float64Array.from(T.flat()) }, batchSize: 25 });
    assert.deepEqual(Array.from(again.losses), [b.step({ input: X, target: T }).loss]);
    assert.deepEqual(a.parameters(), b.parameters());
    assert.equal(a.steps, 4);
    a.resetOptimizer();
    b.resetOptimizer();
    assert.deepEqual(a.epoch({ input: X, target: T, batchSize: 7 }).losses.length, 4);
    a.delete();
    b.delete();
  }
});

test('gradients() are nested when first read, and still this call\'s after later passes', () => {
  const a = lab.network(SPEC);
  const b = lab.network(SPEC);
  const early = a.gradients({ input: X, target: T });
  const now = b.gradients({ input: X, target: T }).grads;
  a.step({ input: X, target: T });
  a.gradients({ input: X.slice(3), target: T.slice(3) });
  assert.deepEqual(early.grads, now);
  assert.equal(early.grads, early.grads);  // nested once
  assert.notDeepEqual(a.gradients({ input: X, target: T }).grads, now);
  a.delete();
  b.delete();
});

test('statistics() describe the pass just run: means, histograms, gradient norms', () => {
  const net = lab.network({ ...SPEC, activation: 'ReLU' });
  const f = net.forward(X);
  const st = net.statistics({ bins: 7 });
  assert.equal(st.length, 3);
  st.forEach((s, l) => {
    const pre = f.layers[l].pre.flat();
    const mean = pre.reduce((a, v) => a + v, 0) / pre.length;
    const scale = pre.reduce((a, v) => a + Math.abs(v), 0) / pre.length;
    assert.ok(Math.abs(s.pre.mean - mean) <= 1e-12 * scale, `layer ${l} mean`);
    const std = Math.sqrt(pre.reduce((a, v) => a + (v - s.pre.mean) ** 2, 0) / pre.length);
    assert.ok(close(s.pre.std, std) || Math.abs(s.pre.std - std) <= 1e-13 * scale, `layer ${l} std`);
    assert.ok(s.pre.histogram.counts instanceof Float64Array);
    assert.equal(s.pre.histogram.counts.length, 7);
    assert.equal(s.pre.histogram.counts.reduce((a, v) => a + v, 0), pre.length);
    assert.equal(s.pre.histogram.lo, Math.min(...pre));
    assert.equal(s.pre.histogram.hi, Math.max(...pre));
    assert.equal(s.grad, null);
    assert.ok(Number.isNaN(s.weightGradNorm));
    assert.ok(s.dead >= 0 && s.dead <= 1 && s.saturated >= 0 && s.saturated <= 1);
  });
  const g = net.gradients({ input: X, target: T });
  const sg = net.statistics({ gradRange: [-0.01, 0.01], saturation: 0 });
  g.grads.forEach((p, l) => {
    const norm = Math.hypot(...p.weight.flat());
    assert.ok(Math.abs(sg[l].weightGradNorm - norm) <= 1e-12 * norm, `layer ${l} ‖dL/dW‖`);
    assert.ok(close(sg[l].biasGradNorm, Math.hypot(...p.bias)) || sg[l].biasGradNorm === 0);
    const h = sg[l].grad.histogram;
    assert.equal(h.lo, -0.01);
    assert.equal(h.hi, 0.01);
    assert.equal(h.counts.reduce((a, v) => a + v, 0) + h.below + h.above + h.nonfinite, X.length * SPEC.sizes[l + 1]);
    assert.equal(sg[l].saturated, 0);  // saturation 0: no |f'| is below it
  });
  // the output layer has no module: f' = 1, nothing dead or saturated
  assert.equal(sg[2].dead, 0);
  net.delete();
});

test('results come in the caller\'s form; parameters round-trip through setParameters', () => {
  const net = lab.network({ sizes: [2, 3, 2], output: 'LogSoftmax', bias: false, seed: 1, loss: 'NLLLoss' });
  const p = net.parameters();
  assert.equal(p[0].weight.length, 3);
  assert.equal(p[0].weight[0].length, 2);
  assert.equal(p[0].bias, null);
  const nested = net.forward([[1, 2]]);
  assert.ok(Array.isArray(nested.output[0]));
  const flat = net.forward({ shape: [1, 2], data: Float64Array.of(1, 2) });
  assert.deepEqual(flat.output.shape, [1, 2]);
  assert.ok(flat.output.data instanceof Float64Array);
  assert.deepEqual(Array.from(flat.layers[0].post.data), nested.layers[0].post.flat());
  const g = net.gradients({ input: [[1, 2], [0, -1]], target: [1, 0] });
  assert.equal(typeof g.loss, 'number');
  assert.deepEqual(g.warnings, []);
  assert.equal(g.grads[1].bias, null);
  p[1].weight[0][0] = 0.25;
  net.setParameters(p);
  assert.equal(net.parameters()[1].weight[0][0], 0.25);
  net.setParameters([{ weight: { shape: [3, 2], data: new Float64Array(6) } }, { weight: p[1].weight, bias: null }]);
  assert.deepEqual(net.parameters()[0].weight, [[0, 0], [0, 0], [0, 0]]);
  net.delete();
});

// [what, call, the Error's message (a string: exact; a RegExp: its pattern)]
const BAD_SPECS = [
  ['one size', { sizes: [3] }, 'sizes: needs at least two entries (the input width and the output width), got 1'],
  ['a zero width', { sizes: [2, 0, 1] }, 'sizes[1]: every width must be at least 1, got 0'],
  ['a fractional width', { sizes: [2, 1.5] }, 'sizes[1]: expected an integer width, got 1.5'],
  ['sizes not a list', { sizes: 3 }, 'sizes: expected a list of layer widths such as [2, 8, 1], got number'],
  ['unknown activation', { sizes: [2, 1], activation: 'Relu' }, "activation: unknown function 'Relu'; did you mean 'ReLU'?"],
  ['an activation\'s bad keyword', { sizes: [2, 1], activation: { name: 'ELU', params: { alpah: 1 } } }, /^activation: /],
  ['a vector activation', { sizes: [2, 2, 1], activation: 'Softmax' }, 'activation: Softmax maps a whole vector, not each element; it can be the output module'],
  ['activation of the wrong type', { sizes: [2, 1], activation: 5 }, "activation: expected a name such as 'Tanh' or {name, params}, got number"],
  ['softmax over the batch', { sizes: [2, 2], output: { name: 'Softmax', params: { dim: 0 } } }, 'output: Softmax over dim=0: an output module works over dim 1 (the classes) of the (N, C) output'],
  ['a loss of three arguments', { sizes: [2, 1], loss: 'CosineEmbeddingLoss' }, "loss: CosineEmbeddingLoss takes (input1, input2, target), not a network's (input, target)"],
  ['lr < 0', { sizes: [2, 1], optimizer: { name: 'SGD', params: { lr: -1 } } }, 'optimizer: Invalid learning rate: -1.0'],
  ['a keyword of another optimiser', { sizes: [2, 1], optimizer: { name: 'SGD', params: { lr: 0.1, betas: [0.9, 0.99] } } }, /^optimizer: SGD.__init__\(\) got an unexpected keyword argument 'betas'/],
  ['unknown init scheme', { sizes: [2, 1], init: { weight: 'glorot' } }, /^init: .*unknown init scheme 'glorot'/],
  ['a misspelt field', { sizes: [2, 1], activaton: 'ReLU' }, "network: unknown field 'activaton'; expected one of sizes, activation, output, bias, seed, init, loss, optimizer"],
  ['a seed that is no integer', { sizes: [2, 1], seed: 0.5 }, 'seed: expected an integer (the seed of torch.manual_seed), got 0.5'],
  ['bias not a boolean', { sizes: [2, 1], bias: 1 }, 'bias: expected true or false, got number'],
  ['no spec', undefined, /^network: expected a spec object/],
];

test('bad specs throw an Error naming the field; the instance keeps working', () => {
  for (const [what, spec, message] of BAD_SPECS) {
    assert.throws(() => lab.network(spec), { message }, what);
  }
  assert.deepEqual(Array.from(lab.activation('ReLU', {}, [-1, 2]).y), [0, 2]);
  const net = lab.network(SPEC);
  assert.ok(net.step({ input: X, target: T }).loss > 0);
  net.delete();
});

test('bad calls throw naming the argument and leave the network as it was', () => {
  const net = lab.network({ sizes: [2, 3, 3], loss: 'CrossEntropyLoss', optimizer: { name: 'SGD', params: { lr: 0.1 } } });
  const x = [[0.1, 0.2], [0.3, -0.4], [0.5, 0.6], [-0.7, 0.8]];
  const before = net.parameters();
  const calls = [
    [() => net.forward([[1, 2, 3]]), 'input: mat1 and mat2 shapes cannot be multiplied (1x3 and 2x3)'],
    [() => net.forward([1, 2]), 'input: expected a 2-D tensor (N, 2) with N ≥ 1, got shape torch.Size([2])'],
    [() => net.forward([[1, 2], [3]]), 'input: expected sequence of length 2 at dim 1 (got 1)'],
    [() => net.step({ input: x, target: [0, 1, 2] }), 'target: CrossEntropyLoss expects a target of shape torch.Size([4, 3]) (the network\'s output) or torch.Size([4]) (class indices), got torch.Size([3])'],
    [() => net.step({ input: x, target: [0, 1, 2, 3] }), 'loss: Target 3 is out of bounds.'],
    [() => net.step({ input: x }), 'target: step() needs input and target'],
    [() => net.gradients({ input: x, target: [0, 1, 2, 1], weight: 2 }), "gradients: unknown field 'weight'; expected one of input, target, weights"],
    [() => net.epoch({ input: x, target: [0, 1, 2, 1], batchSize: 0 }), 'batchSize: expected a whole number ≥ 1, got 0'],
    [() => net.epoch({ input: x, target: [0, 1, 2, 1], batchSize: 1.5 }), 'batchSize: expected a whole number ≥ 1, got 1.5'],
    [() => net.epoch({ input: x, target: [0, 1], batchSize: 2 }), 'target: expected 4 rows, one per input row, got shape torch.Size([2])'],
    [() => net.setParameters([before[0]]), 'parameters: expected 2 layers, got 1'],
    [() => net.setParameters([before[0], { weight: [[1, 2, 3]], bias: [0, 0, 0] }]), 'parameters[1].weight: expected 3 × 3 (out × in), got 3 values'],
    [() => net.setParameters([before[0], { weight: before[1].weight, bias: [0] }]), 'parameters[1].bias: expected 3 values, got 1'],
    [() => net.statistics({ bins: 0 }), /^(bins: a histogram needs at least 1 bin, got 0|statistics: the network has not run yet)/],
    [() => net.statistics({ bin: 3 }), "statistics: unknown field 'bin'; expected one of bins, saturation, preRange, postRange, gradRange, shared, layers"],
  ];
  for (const [call, message] of calls) assert.throws(call, { message });
  assert.deepEqual(net.parameters(), before);
  assert.equal(net.steps, 0);
  assert.ok(net.step({ input: x, target: [0, 1, 2, 1] }).loss > 0);
  assert.equal(net.steps, 1);
  assert.throws(() => net.statistics({ preRange: [1, 1] }), { message: 'preRange: a histogram range needs finite lo < hi, got [1.0, 1.0]' });
  assert.throws(() => net.statistics({ preRange: 1 }), { message: 'preRange: expected [lo, hi] or null, got number' });
  net.delete();
  assert.throws(() => net.forward(x), { message: 'network: this network has been deleted' });
  assert.throws(() => net.steps, { message: 'network: this network has been deleted' });
  net.delete();  // a second delete is harmless

  const bare = lab.network({ sizes: [2, 1] });
  assert.throws(() => bare.statistics(), { message: 'statistics: the network has not run yet; call forward(), gradients() or step() first' });
  assert.throws(() => bare.gradients({ input: [[1, 2]], target: [[0]] }), { message: 'loss: the network was made without a loss; gradients() and step() need one' });
  const mse = lab.network({ sizes: [2, 1], loss: 'MSELoss' });
  assert.throws(() => mse.step({ input: [[1, 2]], target: [[0]] }), { message: 'optimizer: the network was made without an optimizer; step() needs one' });
  bare.delete();
  mse.delete();
});

test('1,000 create/step/delete rounds leave the heap as they found it', () => {
  const x = { shape: [25, 2], data: Float64Array.from(X.flat()) };
  const t = { shape: [25, 1], data: Float64Array.from(T.flat()) };
  const round = () => {
    const net = lab.network(SPEC);
    net.step({ input: x, target: t });
    net.epoch({ input: x, target: t, batchSize: 10 });
    net.predict(x);
    net.statistics();
    assert.throws(() => net.step({ input: x, target: [1] }));
    net.delete();
    assert.throws(() => lab.network({ ...SPEC, activation: 'Relu' }));
  };
  round();  // one-time growth (the registry's lookups, the allocator's first pages)
  const before = lab.heapBytes();
  for (let i = 0; i < 1000; i++) round();
  assert.equal(lab.heapBytes(), before);
});

test('data sets: reproducible from the seed, split as asked, refused naming the field', () => {
  const infos = lab.datasets();
  assert.deepEqual(infos.map((i) => i.name), ['circle', 'xor', 'gaussians', 'spiral', 'moons', 'sine', 'step', 'abs', 'chirp']);
  for (const info of infos) {
    const d = lab.dataset({ name: info.name, n: 40, noise: 0, seed: 5 });
    const width = info.classification ? 2 : 1;
    assert.equal(d.train.x.shape[0] + d.test.x.shape[0], 40, info.name);
    assert.equal(d.train.x.shape[1], width);
    assert.equal(d.classes, info.classification ? 2 : 0);
    for (const v of [...d.train.x.data, ...d.test.x.data]) assert.ok(v >= info.xRange[0] && v <= info.xRange[1], `${info.name}: x ${v}`);
    if (info.classification) for (const v of d.train.y.data) assert.ok(v === 0 || v === 1);
    else assert.deepEqual(d.train.y.shape, [d.train.x.shape[0], 1]);
  }
  const a = lab.dataset({ name: 'spiral', n: 90, classes: 3, noise: 0.2, trainRatio: 0.7, seed: 7 });
  assert.deepEqual(lab.dataset({ name: 'spiral', n: 90, classes: 3, noise: 0.2, trainRatio: 0.7, seed: 7 }), a);
  assert.notDeepEqual(lab.dataset({ name: 'spiral', n: 90, classes: 3, noise: 0.2, trainRatio: 0.7, seed: 8 }).train.x.data, a.train.x.data);
  assert.equal(a.train.x.shape[0], 63);
  assert.equal(a.classes, 3);
  // the sets feed a network as they are
  const net = lab.network({ sizes: [2, 8, 3], loss: 'CrossEntropyLoss', optimizer: { name: 'Adam', params: { lr: 0.05 } } });
  const { losses } = net.epoch({ input: a.train.x, target: a.train.y, batchSize: 10 });
  assert.equal(losses.length, 7);
  assert.equal(net.predict(a.test.x).length, 27 * 3);
  net.delete();
  const bad = [
    [{ name: 'spirals' }, /^name: unknown data set 'spirals'; expected one of /],
    [{ name: 'spiral', trainRatio: 2 }, 'trainRatio: must be in (0, 1), got 2.0'],
    [{ name: 'spiral', n: 0 }, 'n: must be in [1, 1000000], got 0'],
    [{ name: 'sine', classes: 3 }, "classes: 'sine' is a regression set and takes no classes"],
    [{ name: 'spiral', noise: -1 }, 'noise: must be a finite number >= 0, got -1.0'],
    [{ name: 'spiral', n: 2.5 }, 'n: expected a whole number of points, got 2.5'],
    [{ name: 'spiral', seeds: 1 }, "dataset: unknown field 'seeds'; expected one of name, n, noise, classes, trainRatio, seed"],
  ];
  for (const [spec, message] of bad) assert.throws(() => lab.dataset(spec), { message }, JSON.stringify(spec));
});

test('mean-field objects refuse bad specs and arguments naming the field', () => {
  const bad = [
    [{ activation: 'Relu', sigmaW2: 1, sigmaB2: 0 }, "activation: unknown function 'Relu'; did you mean 'ReLU'?"],
    [{ activation: 'Softmax', sigmaW2: 1, sigmaB2: 0 }, "activation: mean-field theory needs an elementwise activation; 'Softmax' is not one"],
    [{ activation: 'Tanh', sigmaW2: -1, sigmaB2: 0 }, 'sigmaW2: must be a finite number >= 0, got -1.0'],
    [{ activation: 'Tanh', sigmaW2: 1, sigmaB2: Infinity }, 'sigmaB2: must be a finite number >= 0, got inf'],
    [{ activation: 'Tanh', sigmaW2: 1 }, 'sigmaB2: expected a number, got undefined'],
    [{ activation: { name: 'Softshrink', params: { lambd: -1 } }, sigmaW2: 1, sigmaB2: 0 }, /^activation: lambda must be greater or equal to 0/],
  ];
  for (const [spec, message] of bad) assert.throws(() => lab.meanField(spec), { message }, JSON.stringify(spec));
  const mf = lab.meanField({ activation: 'ReLU', sigmaW2: 1, sigmaB2: 0 });
  assert.throws(() => mf.moments(-0.5), { message: 'q: must be a finite number >= 0, got -0.5' });
  assert.throws(() => mf.layers(1, 0), { message: 'depth: must be in [1, 10000], got 0' });
  assert.throws(() => mf.criticalSigmaW2(-1), { message: 'sigmaB2: must be a finite number >= 0, got -1.0' });
  assert.equal(mf.layers(1, 3).q.length, 3);
});

test('a lab built on lab_core has no network engine and says so', async () => {
  const core = await createLabFrom(await import('../../dist/lab_core.mjs'));
  const message = { message: /^this build of the lab has no network engine/ };
  assert.throws(() => core.network(SPEC), message);
  assert.throws(() => core.meanField({ activation: 'Tanh', sigmaW2: 1, sigmaB2: 0 }), message);
  assert.throws(() => core.dataset({ name: 'spiral' }), message);
  assert.throws(() => core.datasets(), message);
  assert.throws(() => core.calculateGain('relu'), message);
  assert.deepEqual(Array.from(core.activation('ReLU', {}, [-1, 2]).y), [0, 2]);
  await assert.rejects(createLabFrom({}), /^Error: loadModule: expected a packed lab module/);
});
