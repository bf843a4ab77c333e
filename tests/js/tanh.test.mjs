// The WebAssembly build's Tanh against torch.tanh's own bits (tests/reference/tanh.json, written by
// tests/reference/generate_tanh.py): at most 1 ulp everywhere and identical on at least 99.9% —
// the same bar as tests/native/test_tanh.cpp, here through lab.activation, so the module the page
// loads is held to it (WebAssembly has no hardware FMA and musl's libm; core/tanh_math.hpp needs
// neither). The derivative is 1 - y*y rounded once (autograd's fused tanh_backward).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lab } from './reference.mjs';

const data = JSON.parse(readFileSync(new URL('../reference/tanh.json', import.meta.url), 'utf8'));
const view = new DataView(new ArrayBuffer(8));
const fromHex = (h) => { view.setBigUint64(0, BigInt('0x' + h)); return view.getFloat64(0); };
const bitsOf = (d) => { view.setFloat64(0, d); return view.getBigInt64(0); };
const x = Float64Array.from(data.x, fromHex);
const expected = data.y.map(fromHex);
// Distance in ulps on the ordered line of doubles (two NaNs: 0).
const ordered = (d) => { const b = bitsOf(d); return b < 0n ? -0x8000000000000000n - b : b; };
const ulps = (a, b) => {
  if (Number.isNaN(a) && Number.isNaN(b)) return 0n;
  const d = ordered(a) - ordered(b);
  return d < 0n ? -d : d;
};

test('Tanh: within 1 ulp of torch.tanh on 20,020 doubles, identical on at least 99.9%', () => {
  assert.equal(x.length, 20020);
  const r = lab.activation('Tanh', {}, x);
  let identical = 0;
  for (let i = 0; i < x.length; i++) {
    const d = ulps(r.y[i], expected[i]);
    assert.ok(d <= 1n, `x = ${x[i]}: ${r.y[i]} vs torch ${expected[i]} (${d} ulp)`);
    if (d === 0n) identical++;
  }
  assert.ok(identical >= x.length - x.length / 1000, `${identical} of ${x.length} identical`);
});

test('Tanh: signed zeros, NaN, infinities, saturation; Tanhshrink uses the same tanh', () => {
  const r = lab.activation('Tanh', {}, [0, -0, NaN, Infinity, -Infinity, 18.714973876, -1e300, 5e-324]);
  assert.ok(Object.is(r.y[0], 0) && Object.is(r.y[1], -0));
  assert.ok(Number.isNaN(r.y[2]) && Number.isNaN(r.dy[2]));
  assert.deepEqual([...r.y.slice(3)], [1, -1, 1, -1, 5e-324]);
  assert.deepEqual([...r.dy.slice(3, 7)], [0, 0, 0, 0]);
  const t = lab.activation('Tanh', {}, x.slice(0, 4000));
  const s = lab.activation('Tanhshrink', {}, x.slice(0, 4000));
  for (let i = 0; i < 4000; i++) assert.ok(Object.is(s.y[i], x[i] - t.y[i]), `Tanhshrink at ${x[i]}`);
});
