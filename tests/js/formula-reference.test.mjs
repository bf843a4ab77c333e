// Issue 11's formula language through the WebAssembly module and the JS API, held to PyTorch:
// every row of tests/reference/formula.json (generate_formula.py: each formula beside the same
// function hand-written with torch ops) through lab.activation({formula, params}, x). The same
// bar as tests/native/test_formula_reference.cpp — relative 1e-12, NaN only against NaN, an
// infinity only against the same one, and the sign of every zero (sqrt′(-0) = -inf) — here on
// the module the page loads (WebAssembly: no hardware FMA, musl's libm), one test per row so a
// failure names its formula. A row's "odd" points (PyTorch's own tan/log1p off by a subnormal unit
// at ±5e-324, found by the generator against libm) are left out, and must still differ.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lab, reference, close, decode } from './reference.mjs';

const rows = reference('formula');
const closeSigned = (a, e) => close(a, e) && (e !== 0 || Object.is(a, e));
const show = (v) => (Object.is(v, -0) ? '-0' : String(v));

test('formula.json is there: at least 40 formulas, each grid with ±0, ±inf and NaN', () => {
  assert.ok(new Set(rows.map((r) => r.formula)).size >= 40);
  for (const r of rows) {
    assert.ok(r.x.some((v) => Object.is(v, -0)) && r.x.some((v) => Object.is(v, 0)), r.formula);
    assert.ok(r.x.some(Number.isNaN) && r.x.includes(Infinity) && r.x.includes(-Infinity), r.formula);
    assert.equal(r.y.length, r.x.length);
    assert.equal(r.dy.length, r.x.length);
  }
});

for (const r of rows) {
  const params = JSON.stringify(r.params);
  test(`${r.formula} ${params}: values and derivatives as PyTorch's`, () => {
    const out = lab.activation({ formula: r.formula, params: r.params }, Float64Array.from(r.x));
    assert.equal(lab.formula(r.formula).differentiable, r.differentiable, 'differentiable: whether PyTorch\'s y has a grad_fn');
    assert.ok(out.y instanceof Float64Array && out.dy instanceof Float64Array);
    assert.equal(out.y.length, r.x.length);
    const odd = (r.odd ?? []).map((o) => decode(o.x));
    const wrong = [];
    r.x.forEach((x, i) => {
      if (odd.some((o) => Object.is(o, x))) {
        assert.ok(!(closeSigned(out.y[i], r.y[i]) && closeSigned(out.dy[i], r.dy[i])), `odd point x=${show(x)} no longer odd`);
        return;
      }
      if (!closeSigned(out.y[i], r.y[i])) wrong.push(`x=${show(x)}: y ${show(out.y[i])}, PyTorch ${show(r.y[i])}`);
      if (!closeSigned(out.dy[i], r.dy[i])) wrong.push(`x=${show(x)}: dy ${show(out.dy[i])}, PyTorch ${show(r.dy[i])}`);
    });
    assert.deepEqual(wrong, [], `${r.formula} ${params} (${r.why}):\n${wrong.join('\n')}`);
  });
}
