// The depth view's engine calls through the JS API (issue 10; core/nn_pass.hpp): gradients
// without weights, setModules, statistics with shared ranges, and pass() — a gradients() pass
// computed a block of examples at a time. Compared bit for bit (assert.deepEqual on the numbers;
// NaN equals NaN there): these are the same computations, not approximations of them. Plus what
// every caller relies on: bad calls refused naming the field, a stale pass refused with the
// reason, and 1,000 rounds leaving the heap as they found it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lab } from './reference.mjs';

const W = 12;
const N = 37;
// The depth view's experiment in small: Linear + Tanh after every Linear, MSELoss(sum) vs zeros.
const SPEC = {
  sizes: [W, W, W, W, W], activation: 'Tanh', output: 'Tanh', seed: 5,
  init: { weight: 'normal', params: { std: 1.5 / Math.sqrt(W) } },
  loss: { name: 'MSELoss', params: { reduction: 'sum' } },
};
const X = { shape: [N, W], data: Float64Array.from({ length: N * W }, (_, i) => Math.sin(0.7 * i) * 1.3) };
const T = { shape: [N, W], data: new Float64Array(N * W) };
const rows = (t, r) => ({ shape: [r, ...t.shape.slice(1)], data: t.data.slice(0, r * (t.data.length / t.shape[0])) });
const OPTIONS = { bins: 16, saturation: 0.05 };

// statistics() with the norms left out (NaN without weights)
const withoutNorms = (stats) => stats.map(({ weightGradNorm, biasGradNorm, ...s }) => s);

test('gradients({weights: false}): the same loss and statistics, no grads, NaN norms', () => {
  const a = lab.network(SPEC);
  const b = lab.network(SPEC);
  const ga = a.gradients({ input: X, target: T });
  const gb = b.gradients({ input: X, target: T, weights: false });
  assert.equal(gb.loss, ga.loss);
  assert.equal(gb.grads, null);
  const sb = b.statistics(OPTIONS);
  assert.ok(sb.every((s) => Number.isNaN(s.weightGradNorm) && Number.isNaN(s.biasGradNorm)));
  assert.deepEqual(withoutNorms(sb), withoutNorms(a.statistics(OPTIONS)));
  assert.throws(() => b.gradients({ input: X, target: T, weights: 0 }), { message: 'weights: expected true or false (false: no dL/dW, dL/db), got number' });
  a.delete();
  b.delete();
});

test('statistics({shared: true}): one range per kind over all layers, the counts of that range given', () => {
  const net = lab.network(SPEC);
  net.gradients({ input: X, target: T });
  const auto = net.statistics({ bins: 1 });
  const span = (k) => [Math.min(...auto.map((s) => s[k].histogram.lo)), Math.max(...auto.map((s) => s[k].histogram.hi))];
  const shared = net.statistics({ ...OPTIONS, shared: true });
  const given = net.statistics({ ...OPTIONS, preRange: span('pre'), postRange: span('post'), gradRange: span('grad') });
  assert.deepEqual(shared, given);
  for (const s of shared) assert.deepEqual([s.pre.histogram.lo, s.pre.histogram.hi], span('pre'));
  // a given range wins over shared for its kind
  const mixed = net.statistics({ ...OPTIONS, shared: true, preRange: [-1, 1] });
  assert.deepEqual(mixed.map((s) => s.pre), net.statistics({ ...OPTIONS, preRange: [-1, 1] }).map((s) => s.pre));
  assert.deepEqual(mixed.map((s) => s.grad), shared.map((s) => s.grad));
  assert.throws(() => net.statistics({ shared: 1 }), { message: 'shared: expected true or false, got number' });
  net.delete();
});

test('pass(): in blocks, bit for bit gradients() — whole, after r rows, any block sizes', () => {
  for (const weights of [true, false]) {
    const ref = lab.network(SPEC);
    const { loss } = ref.gradients({ input: X, target: T, weights });
    const whole = ref.statistics({ ...OPTIONS, shared: true });
    for (const block of [1, 8, 32, N]) {
      const net = lab.network(SPEC);
      const pass = net.pass({ input: X, target: T, weights });
      assert.equal(pass.total, N);
      assert.equal(pass.done, 0);
      let r;
      let done = 0;
      do {
        r = pass.advance(block);
        done = Math.min(N, done + block);
        assert.equal(r.done, done);
        assert.equal(r.total, N);
        if (done < N) {
          assert.equal(r.loss, null);
          if (block === 8) {  // after r rows: gradients() of those rows alone
            const sub = lab.network(SPEC);
            sub.gradients({ input: rows(X, done), target: rows(T, done), weights });
            assert.deepEqual(pass.statistics({ ...OPTIONS, shared: true }), sub.statistics({ ...OPTIONS, shared: true }));
            sub.delete();
          }
        }
      } while (r.done < r.total);
      assert.equal(r.loss, loss);
      assert.deepEqual(pass.statistics({ ...OPTIONS, shared: true }), whole);
      assert.deepEqual(net.statistics({ ...OPTIONS, shared: true }), whole);  // the network's last pass now
      assert.deepEqual(pass.advance(5), r);  // past the end: nothing more
      pass.delete();
      net.delete();
    }
    ref.delete();
  }
});

test('pass(): refused naming the field; stale after another pass, setParameters, setModules, delete', () => {
  const mean = lab.network({ ...SPEC, loss: 'MSELoss' });
  assert.throws(() => mean.pass({ input: X, target: T }), {
    message: "pass: the loss must have reduction='sum' (then each example's forward and backward depend on that example alone), got reduction='mean'",
  });
  mean.delete();
  const net = lab.network(SPEC);
  assert.throws(() => net.pass({ input: X }), { message: 'target: pass() needs input and target' });
  assert.throws(() => net.pass({ input: X, target: T, rows: 3 }), { message: 'pass: unknown field \'rows\'; expected one of input, target, weights' });
  assert.throws(() => net.pass({ input: X, target: rows(T, 3) }), { message: /^target: MSELoss expects a target of shape torch.Size\(\[37, 12\]\)/ });
  const pass = net.pass({ input: X, target: T });
  assert.throws(() => pass.statistics(), { message: 'statistics: the pass has no examples yet; call advance(rows) first' });
  for (const bad of [0, -1, 2.5, NaN]) assert.throws(() => pass.advance(bad), { message: /^rows: expected a whole number of examples ≥ 1, got / });
  assert.throws(() => pass.advance('3'), { message: 'rows: expected a whole number of examples ≥ 1, got str "3"' });
  assert.equal(pass.advance(3).done, 3);
  net.predict(X);  // no pass: the pass goes on
  assert.equal(pass.advance(3).done, 6);
  const stale = 'pass: the network has run another pass since (or its parameters or modules changed); make a new pass';
  for (const change of [
    () => net.gradients({ input: X, target: T }),
    () => net.forward(X),
    () => net.setParameters(net.parameters()),
    () => net.setModules({ activation: 'ReLU' }),
    () => net.pass({ input: X, target: T }),
  ]) {
    const p = net.pass({ input: X, target: T });
    p.advance(2);
    change();
    assert.throws(() => p.advance(1), { message: stale });
    assert.throws(() => p.statistics(), { message: stale });
    p.delete();
  }
  assert.throws(() => pass.advance(1), { message: stale });
  pass.delete();
  assert.throws(() => pass.advance(1), { message: 'pass: this pass has been deleted' });
  const last = net.pass({ input: X, target: T });
  net.delete();
  assert.throws(() => last.advance(1), { message: 'pass: the network has been deleted' });
  last.delete();
});

test('setModules(): new modules, the same parameters; checked with the constructor\'s messages', () => {
  const net = lab.network({ ...SPEC, optimizer: { name: 'SGD', params: { lr: 0.01, momentum: 0.9 } } });
  net.step({ input: X, target: T });
  const params = net.parameters();
  net.setModules({ activation: { name: 'ELU', params: { alpha: 0.5 } }, output: null });
  assert.throws(() => net.statistics(), { message: 'statistics: the network has not run yet; call forward(), gradients() or step() first' });
  assert.deepEqual(net.parameters(), params);
  assert.equal(net.steps, 1);
  const fresh = lab.network({ ...SPEC, activation: { name: 'ELU', params: { alpha: 0.5 } }, output: null });
  fresh.setParameters(params);
  assert.deepEqual(net.predict(X), fresh.predict(X));
  net.setModules({ output: 'Sigmoid' });  // the activation kept
  fresh.delete();
  const again = lab.network({ ...SPEC, activation: { name: 'ELU', params: { alpha: 0.5 } }, output: 'Sigmoid' });
  again.setParameters(params);
  assert.deepEqual(net.predict(X), again.predict(X));
  again.delete();
  assert.throws(() => net.setModules({ activation: 'Relu' }), { message: "activation: unknown function 'Relu'; did you mean 'ReLU'?" });
  assert.throws(() => net.setModules({ activation: { name: 'ELU', params: { alpha: 'x' } } }), { message: /^activation: / });
  assert.throws(() => net.setModules({ activation: null }), { message: /^activation: expected a name/ });
  assert.throws(() => net.setModules({ act: 'ReLU' }), { message: "setModules: unknown field 'act'; expected one of activation, output" });
  assert.throws(() => net.setModules({ activation: { formula: 'x * (1 + x' } }), { message: /^activation: formula: missing '\)'/ });
  net.setModules({ activation: { formula: 'x * sigmoid(a * x)', params: { a: 1.702 } } });
  assert.equal(net.forward(X).output.data.length, N * W);
  net.delete();
});

test('1,000 pass/advance/statistics/delete rounds leave the heap as they found it', () => {
  const net = lab.network(SPEC);
  const round = () => {
    const pass = net.pass({ input: X, target: T, weights: false });
    pass.advance(10);
    pass.statistics({ bins: 8, shared: true });
    pass.advance(100);
    pass.statistics({ bins: 8 });
    assert.throws(() => pass.advance(0));
    pass.delete();
    net.setModules({ activation: 'Tanh' });
    assert.throws(() => net.setModules({ activation: 'Relu' }));
    const other = lab.network(SPEC);
    other.pass({ input: X, target: T });  // deleted with its network
    other.delete();
  };
  round();
  const before = lab.heapBytes();
  for (let i = 0; i < 1000; i++) round();
  assert.equal(lab.heapBytes(), before);
  net.delete();
});

test('calculateGain(): torch.nn.init.calculate_gain\'s values and messages', () => {
  // printed by torch 1.13: calculate_gain('tanh'), ('relu'), ('leaky_relu'), ('leaky_relu', 0.2), ('selu'), ('conv2d')
  assert.deepEqual(
    [lab.calculateGain('tanh'), lab.calculateGain('relu'), lab.calculateGain('leaky_relu'), lab.calculateGain('leaky_relu', 0.2), lab.calculateGain('selu'), lab.calculateGain('conv2d')],
    [1.6666666666666667, 1.4142135623730951, 1.4141428569978354, 1.3867504905630728, 0.75, 1],
  );
  assert.throws(() => lab.calculateGain('gelu'), { message: 'Unsupported nonlinearity gelu' });
  assert.throws(() => lab.calculateGain('leaky_relu', true), { message: 'negative_slope True not a valid number' });
  assert.throws(() => lab.calculateGain('leaky_relu', 'x'), { message: 'negative_slope x not a valid number' });
  assert.throws(() => lab.calculateGain(3), { message: /^nonlinearity: expected a name such as 'relu', got / });
  assert.throws(() => lab.calculateGain('relu', [1]), { message: /^param: expected a number/ });
});
