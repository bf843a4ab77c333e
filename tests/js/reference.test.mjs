// The WASM module, through createLab(), against PyTorch's own numbers: the same reference data
// as the native tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lab, reference, compare } from './reference.mjs';

const label = (c) => `${c.name}(${JSON.stringify(c.params)})`;

test('elementwise activations match PyTorch (value and derivative)', () => {
  const cases = reference('elementwise');
  assert.ok(cases.length > 0);
  for (const c of cases) {
    const r = lab.activation(c.name, c.params, c.x);
    const bad = [...compare(r.y, c.y, 'y'), ...compare(r.dy, c.dy, 'dy')];
    assert.deepEqual(bad, [], `${label(c)} at x=${JSON.stringify(c.x)}`);
  }
});

test('vector activations match PyTorch (value and Jacobian), 1-D flat and N-D per slice', () => {
  let nd = 0;
  for (const c of reference('vector')) {
    const r = lab.activation(c.name, c.params, c.x);
    if (!Array.isArray(c.x) || c.x.some(Array.isArray)) {  // N-D or 0-dim: nested in, nested out
      nd++;
      const bad = [...compare(r.y, c.y, 'y'), ...compare(r.jacobian, c.jacobian, 'jacobian')];
      assert.deepEqual(bad, [], `${label(c)} x=${JSON.stringify(c.x)}`);
      continue;
    }
    const n = c.x.length;
    const rows = Array.from({ length: r.y.length }, (_, i) => Array.from(r.jacobian.subarray(i * n, (i + 1) * n)));
    const bad = [...compare(r.y, c.y, 'y'), ...compare(rows, c.jacobian, 'jacobian')];
    assert.deepEqual(bad, [], `${label(c)} x=${JSON.stringify(c.x)}`);
  }
  assert.ok(nd >= 60, `${nd} N-D cases`);
});

test('losses match PyTorch (value, reduction, gradients, warnings)', () => {
  for (const c of reference('losses')) {
    const r = lab.loss(c.name, c.params, c.args);
    const bad = [
      ...compare(r.loss, c.loss, 'loss'),
      ...Object.entries(c.grad).flatMap(([k, g]) => (k in r.grad ? compare(r.grad[k], g, `grad.${k}`) : [`no grad.${k}`])),
    ];
    for (const w of c.warnings ?? []) if (!r.warnings.includes(w)) bad.push(`missing warning ${w}`);
    assert.deepEqual(bad, [], `${label(c)} args=${JSON.stringify(c.args)}`);
  }
});

test('every case where PyTorch raises throws an Error with its wording, and the lab keeps working', () => {
  for (const c of reference('errors')) {
    const call = () => (c.kind === 'loss' ? lab.loss(c.name, c.params, c.args) : lab.activation(c.name, c.params, c.x));
    assert.throws(call, (e) => e instanceof Error && e.message.includes(c.match), `${label(c)}: want "${c.match}"`);
    // The instance is still healthy after every error.
    assert.deepEqual(Array.from(lab.activation('ReLU', {}, [-1, 0, 2]).y), [0, 0, 2]);
  }
});
