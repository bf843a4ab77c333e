// Statistics split by layers through the JS API (issue 10: the depth view's redraw as short tasks):
// ranges() gives the shared ranges once, statistics({preRange, postRange, gradRange, layers}) a
// few layers at a time — and the calls' results concatenated are statistics({shared: true}) bit for
// bit (assert.deepEqual; NaN equals NaN there), on a network's last pass and on a pass part way and
// at the end, with and without dL/dW. Also setParameters with weights left out (the biases only:
// the weights kept, one copy on the C++ side), parameters({flat: true}), and what they refuse,
// naming the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lab } from './reference.mjs';

const W = 10;
const N = 29;
const SPEC = {
  sizes: [W, W, W, W, W, W, W, 4], activation: 'ReLU', output: 'ReLU', seed: 7,
  init: { weight: 'normal', params: { std: 1.4 / Math.sqrt(W) } },
  loss: { name: 'MSELoss', params: { reduction: 'sum' } },
};
const L = SPEC.sizes.length - 1;
const X = { shape: [N, W], data: Float64Array.from({ length: N * W }, (_, i) => Math.cos(0.37 * i) * 1.7) };
const T = { shape: [N, 4], data: new Float64Array(N * 4) };
const OPTIONS = { bins: 12, saturation: 0.05 };

// statistics of chunks of `step` layers with the shared ranges given, concatenated
function byLayers(source, step, ranges = source.ranges()) {
  const out = [];
  for (let a = 0; a < L; a += step) {
    const part = source.statistics({ ...OPTIONS, preRange: ranges.pre, postRange: ranges.post, gradRange: ranges.grad, layers: [a, Math.min(L, a + step)] });
    assert.equal(part.length, Math.min(L, a + step) - a);
    out.push(...part);
  }
  return out;
}

test('ranges() are the shared ranges; statistics by layers, concatenated, are the one shared call', () => {
  for (const run of ['forward', 'gradients', 'gradients without weights']) {
    const net = lab.network(SPEC);
    if (run === 'forward') net.forward(X);
    else net.gradients({ input: X, target: T, weights: run === 'gradients' });
    const one = net.statistics({ ...OPTIONS, shared: true });
    const r = net.ranges();
    assert.deepEqual(Object.keys(r), ['pre', 'post', 'grad']);
    assert.deepEqual(r.pre, [one[0].pre.histogram.lo, one[0].pre.histogram.hi]);
    assert.deepEqual(r.post, [one[3].post.histogram.lo, one[3].post.histogram.hi]);
    assert.deepEqual(r.grad, run === 'forward' ? null : [one[5].grad.histogram.lo, one[5].grad.histogram.hi]);
    for (const step of [1, 2, 3, L]) assert.deepEqual(byLayers(net, step), one, `${run}, ${step} layers a call`);
    // shared with layers but no range given: the ranges over every layer, found by the call itself
    assert.deepEqual(net.statistics({ ...OPTIONS, shared: true, layers: [2, 5] }), one.slice(2, 5));
    // not shared: each tensor's own range, layer by layer the same too
    assert.deepEqual(net.statistics({ ...OPTIONS, layers: [4, L] }), net.statistics(OPTIONS).slice(4));
    net.delete();
  }
});

test('a pass: statistics by layers part way and at the end are the one call\'s, dL/dW norms included', () => {
  for (const weights of [true, false]) {
    const a = lab.network(SPEC);
    const b = lab.network(SPEC);
    const whole = a.pass({ input: X, target: T, weights });
    const split = b.pass({ input: X, target: T, weights });
    for (const rows of [1, 4, 11, 100]) {
      whole.advance(rows);
      split.advance(rows);
      const one = whole.statistics({ ...OPTIONS, shared: true });
      assert.deepEqual(byLayers(split, 3), one, `weights ${weights}, ${split.done} rows`);
      if (weights) assert.ok(one.every((s) => s.weightGradNorm > 0));
    }
    // done: the network's last pass, the same through the network
    assert.deepEqual(byLayers(b, 2), a.statistics({ ...OPTIONS, shared: true }));
    whole.delete();
    split.delete();
    a.delete();
    b.delete();
  }
});

test('layers and ranges() refused naming the field; the instance keeps working', () => {
  const net = lab.network(SPEC);
  const message = (f) => { try { f(); } catch (e) { return e.message; } return null; };
  assert.equal(message(() => net.ranges()), 'ranges: the network has not run yet; call forward(), gradients() or step() first');
  net.forward(X);
  for (const [layers, want] of [
    [[0, 0], 'layers: expected [first, last) with 0 ≤ first < last ≤ 7 (the network\'s Linears), got [0, 0)'],
    [[3, 8], 'layers: expected [first, last) with 0 ≤ first < last ≤ 7 (the network\'s Linears), got [3, 8)'],
    [[-1, 2], 'layers: expected [first, last) with 0 ≤ first < last (layer indices from 0, last excluded), got [-1.0, 2.0)'],
    [[1.5, 2], 'layers: expected [first, last] (layer indices from 0, last excluded) or null, got [1.5,2]'],
    [[1], 'layers: expected [first, last] (layer indices from 0, last excluded) or null, got [1]'],
    ['0,2', 'layers: expected [first, last] (layer indices from 0, last excluded) or null, got str "0,2"'],
  ]) assert.equal(message(() => net.statistics({ layers })), want, JSON.stringify(layers));
  assert.equal(message(() => net.statistics({ layers: [0, 1], preRange: [1, 1] })), 'preRange: a histogram range needs finite lo < hi, got [1.0, 1.0]');
  const pass = net.pass({ input: X, target: T });
  assert.equal(message(() => pass.ranges()), 'ranges: the pass has no examples yet; call advance(rows) first');
  pass.advance(3);
  assert.equal(pass.ranges().grad.length, 2);
  net.forward(X);
  assert.match(message(() => pass.ranges()), /^pass: the network has run another pass since/);
  assert.equal(net.statistics({ layers: [6, 7] }).length, 1);
  pass.delete();
  net.delete();
});

test('setParameters with the weights left out sets the biases only, as the whole round trip does', () => {
  const a = lab.network(SPEC);
  const b = lab.network(SPEC);
  const before = a.parameters();
  const bias = (l) => Float64Array.from({ length: SPEC.sizes[l + 1] }, (_, i) => 0.1 * Math.sin(l + 0.3 * i));
  a.setParameters(before.map((p, l) => ({ weight: p.weight, bias: bias(l) })));
  b.setParameters(before.map((_, l) => ({ bias: bias(l) })));
  const pa = a.parameters();
  const pb = b.parameters();
  assert.deepEqual(pb, pa);
  assert.deepEqual(pb.map((p) => p.weight), before.map((p) => p.weight), 'the weights kept');
  assert.deepEqual(b.gradients({ input: X, target: T }).loss, a.gradients({ input: X, target: T }).loss);
  // some layers' weights given, others left out
  b.setParameters(pa.map((p, l) => (l % 2 ? { weight: p.weight, bias: p.bias } : { bias: p.bias })));
  assert.deepEqual(b.parameters(), pa);
  const message = (f) => { try { f(); } catch (e) { return e.message; } return null; };
  assert.equal(message(() => b.setParameters(pa.map(() => ({ bias: [1, 2] })))), 'parameters[0].bias: expected 10 values, got 2');
  assert.equal(message(() => b.setParameters([{ bias: bias(0) }])), 'parameters: expected 7 layers, got 1');
  assert.equal(message(() => b.setParameters(pa.map((p, l) => ({ bias: p.bias, wieght: 1 })))), 'parameters[0]: unknown field \'wieght\'; expected one of weight, bias');
  assert.deepEqual(b.parameters(), pa, 'nothing changed by the refused calls');
  const nobias = lab.network({ ...SPEC, bias: false });
  nobias.setParameters(pa.map(() => ({})));  // nothing given: the weights kept, no bias
  assert.equal(message(() => nobias.setParameters(pa.map((p) => ({ bias: p.bias })))), 'parameters[0].bias: expected 0 values (the network has bias=False), got 10');
  // parameters({flat: true}): the same values as {shape, data} tensors, no nesting
  const flat = b.parameters({ flat: true });
  assert.deepEqual(flat.map((p) => p.weight.shape), pa.map((p) => [p.weight.length, p.weight[0].length]));
  assert.deepEqual(flat.map((p) => Array.from(p.weight.data)), pa.map((p) => p.weight.flat()));
  assert.deepEqual(flat.map((p) => Array.from(p.bias.data)), pa.map((p) => p.bias));
  assert.equal(nobias.parameters({ flat: true })[0].bias, null);
  assert.deepEqual(b.parameters({ flat: false }), pa);
  assert.equal(message(() => b.parameters({ flat: 1 })), 'flat: expected true or false, got number');
  assert.equal(message(() => b.parameters({ flatt: true })), "parameters: unknown field 'flatt'; expected one of flat");
  b.setParameters(flat.map((p) => ({ bias: p.bias })));  // the flat form goes back in as it is
  assert.deepEqual(b.parameters(), pa);
  nobias.delete();
  a.delete();
  b.delete();
});
