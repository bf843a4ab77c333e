// Design note: the depth view's two threads through the JS API (core/nn_pass.hpp's rows /
// setRows): the page's Web Worker runs a pass of the same network from the end and sends its rows
// as one Float64Array each, which the page's pass imports. The claim is exactness, so two passes
// (two networks of one spec: the same weights), one from each end, exchanging rows, are held to a
// one-shot gradients() + statistics() bit for bit (deepEqual; NaN equals NaN there), with and
// without ∂L/∂W. Also: bad ranges and lengths are Errors naming the argument and the pass goes on,
// and a lab built over another lab's compiled module (lab.wasmModule: what the worker is posted)
// computes the same bits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lab } from './reference.mjs';
import { createLabFrom } from '../../dist/lab.mjs';
import labNetFactory from '../../dist/lab_net.mjs';

const W = 10;
const N = 29;
const SPEC = {
  sizes: [W, W, W, W], activation: 'ELU', output: 'ELU', seed: 7,
  loss: { name: 'MSELoss', params: { reduction: 'sum' } },
};
const X = { shape: [N, W], data: Float64Array.from({ length: N * W }, (_, i) => Math.sin(0.37 * i) * 1.7) };
const T = { shape: [N, W], data: Float64Array.from({ length: N * W }, (_, i) => Math.cos(i) * 0.2) };
const OPTIONS = { bins: 16, saturation: 0.05 };

// a (the page) from the start in blocks of aBlock, b (the worker) from the end in blocks of bBlock,
// every block of b imported into a; returns a's final progress and statistics
function bothEnds(l, { weights, first, aBlock, bBlock }) {
  const na = l.network(SPEC);
  const nb = l.network(SPEC);
  const a = na.pass({ input: X, target: T, weights });
  const b = nb.pass({ input: X, target: T, weights });
  let p = first ? a.advance(first) : { done: 0, total: N };
  let top = N;
  while (p.done < p.total) {
    if (top > 0) {
      const from = Math.max(0, top - bBlock);
      b.advance(bBlock, { fromEnd: true });
      const data = b.rows(from, top);
      assert.equal(data.length, (top - from) * b.valuesPerRow);
      p = a.setRows(from, data);
      top = from;
    }
    if (p.done < p.total) p = a.advance(aBlock);
  }
  const out = { p, stats: a.statistics(OPTIONS), net: na.statistics(OPTIONS) };
  na.delete();
  nb.delete();
  return out;
}

test('pass from both ends, exchanging rows(): gradients() + statistics() bit for bit', () => {
  for (const weights of [true, false]) {
    const ref = lab.network(SPEC);
    const whole = ref.gradients({ input: X, target: T, weights });
    const stats = ref.statistics(OPTIONS);
    ref.delete();
    for (const split of [{ first: 0, aBlock: 3, bBlock: 4 }, { first: 1, aBlock: 1, bBlock: 1 }, { first: 5, aBlock: 2, bBlock: 29 }, { first: 29, aBlock: 1, bBlock: 2 }]) {
      const { p, stats: s, net } = bothEnds(lab, { weights, ...split });
      assert.equal(p.done, N, JSON.stringify(split));
      assert.equal(p.top, N);
      assert.equal(p.loss, whole.loss);
      assert.deepEqual(p.warnings, whole.warnings ?? []);
      assert.deepEqual(s, stats, `${JSON.stringify(split)} weights=${weights}`);
      assert.deepEqual(net, stats);
    }
  }
});

test('rows(), setRows(), advance({fromEnd}): bad ranges and lengths are Errors naming the argument; the pass goes on', () => {
  const na = lab.network(SPEC);
  const nb = lab.network(SPEC);
  const a = na.pass({ input: X, target: T, weights: false });
  const b = nb.pass({ input: X, target: T, weights: false });
  const per = b.valuesPerRow;
  assert.equal(per, 3 * 4 * W);  // pre, post, dL/dpre and f′ of 3 layers of W units
  a.advance(2);
  assert.equal(b.advance(3, { fromEnd: true }).top, N - 3);
  const three = b.rows(N - 3, N);
  const bad = [
    [() => a.setRows(-1, three), `from: expected a row in [0, ${N}), got -1`],
    [() => a.setRows(1.5, three), 'from: expected a whole number (a row of the batch), got 1.5'],
    [() => a.setRows('3', three), 'from: expected a whole number (a row of the batch), got str "3"'],
    [() => a.setRows(N - 3, [1, 2]), 'data: expected a Float64Array (from rows()), got list'],
    [() => a.setRows(N - 3, new Float64Array(12)), `rows: data has 12 values, expected a whole number ≥ 1 of rows of ${per} values (this network's pre, post, ∂L/∂pre and f′ per layer)`],
    [() => a.setRows(N - 2, three), `rows: data has 3 rows from row ${N - 2}, past the batch's ${N}`],
    [() => a.setRows(5, three), `rows: [5, 8) does not reach the rows done from the end (from ${N})`],
    [() => b.rows(0, N), `rows: rows [0, ${N}) are not all done (done: [0, 0) and [${N - 3}, ${N}])`],
    [() => b.rows(N - 3, N + 1), `to: expected a row in [${N - 3}, ${N}], got ${N + 1}`],
    [() => b.rows(-2, 1), `from: expected a row in [0, ${N}], got -2`],
    [() => b.advance(2, { fromEnd: 1 }), 'fromEnd: expected true or false, got number'],
    [() => b.advance(2, 'end'), 'options: expected {fromEnd} or nothing, got str "end"'],
  ];
  for (const [f, message] of bad) assert.throws(f, { message });
  assert.deepEqual(Object.keys(a.setRows(N - 3, three)), ['done', 'total', 'top', 'loss', 'warnings']);
  assert.equal(a.top, N - 3);
  assert.equal(a.done, 2);
  assert.deepEqual(a.rows(N - 3, N), three);
  const p = a.advance(N);
  assert.equal(p.done, N);
  const ref = lab.network(SPEC);
  assert.equal(p.loss, ref.gradients({ input: X, target: T, weights: false }).loss);
  assert.deepEqual(a.statistics(OPTIONS), ref.statistics(OPTIONS));
  for (const n of [na, nb, ref]) n.delete();
});

test('createLabFrom({default, wasmModule}): a lab over another lab\'s compiled module, nothing compiled, the same bits', async () => {
  assert.ok(lab.wasmModule instanceof WebAssembly.Module);
  const twin = await createLabFrom({ default: labNetFactory, wasmModule: lab.wasmModule });
  assert.equal(twin.wasmModule, lab.wasmModule);
  const x = lab.network(SPEC);
  const y = twin.network(SPEC);
  assert.deepEqual(y.gradients({ input: X, target: T }), x.gradients({ input: X, target: T }));
  // rows cross between the two instances as they would between threads
  const a = x.pass({ input: X, target: T, weights: false });
  const b = y.pass({ input: X, target: T, weights: false });
  b.advance(N - 4, { fromEnd: true });
  a.advance(4);
  const p = a.setRows(4, b.rows(4, N));
  assert.equal(p.done, N);
  const ref = lab.network(SPEC);
  assert.equal(p.loss, ref.gradients({ input: X, target: T, weights: false }).loss);
  assert.deepEqual(a.statistics(OPTIONS), ref.statistics(OPTIONS));
  for (const n of [x, y, ref]) n.delete();
  await assert.rejects(createLabFrom({ default: labNetFactory, wasmModule: {} }), /loadModule: expected a packed lab module/);
});
