// Issue 11's formula language through the JS API (wasm/formula.mjs over wasm/bindings_formula.cpp):
// the description and error shapes of lab.formula(text) — a dozen bad texts, each with its column
// and caret, and the instance answering after each —, lab.activation({formula, params}, x) in every
// form x takes (the same numbers as the built-in it spells out, and the same result shapes), the
// errors an evaluation throws, lab.torchCode({formula, params}), a formula as a network's
// activation (its forward is lab.activation's on the pre-activations; PyTorch's training run of
// tests/reference/formula_net.json within 1e-9) and as a mean-field activation (the built-in's
// moments to 1e-12), and no heap growth over 1,000 parse/evaluate rounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lab, close, decode } from './reference.mjs';
import { createLabFrom } from '../../dist/lab.mjs';

const X = Float64Array.from({ length: 41 }, (_, i) => -5 + i / 4);
const closeAll = (a, b) => a.length === b.length && Array.from(a).every((v, i) => close(v, b[i]));

test('lab.formula describes a text that parses: parameters in order of first use, PyTorch code, uses', () => {
  const d = lab.formula('x > 0 ? x : a * (exp(x) - 1) + b * 0; b=0.25');
  assert.equal(d.ok, true);
  assert.equal(d.text, 'x > 0 ? x : a * (exp(x) - 1) + b * 0; b=0.25');
  assert.deepEqual(d.parameters.map((p) => [p.name, p.value, p.declared, p.column]), [['a', 1, false, 13], ['b', 0.25, true, 32]]);
  for (const p of d.parameters) assert.ok(p.sliderMin < p.sliderMax && p.sliderMin <= p.value && p.value <= p.sliderMax, p.name);
  assert.equal(typeof d.torch.expression, 'string');
  assert.equal(d.torch.lambda, `lambda x: ${d.torch.expression}`);
  assert.match(d.torch.module, /class \w+\(nn\.Module\)/);
  assert.deepEqual(d.uses, []);
  assert.deepEqual(lab.formula('ELU(x, alpha=0.5) + x').uses, ['ELU']);
});

// [text, column, length or null (any), a word the message must hold]
const BAD = [
  ['', 1, null, ''],
  ['x +', 4, null, 'expected'],
  ['x * (1 + x', 11, null, 'opened at column 5'],
  ['sigmod(x)', 1, 6, 'sigmoid'],
  ['x + )', 5, 1, "after '+'"],
  ['exp + x', 1, 3, 'exp'],
  ['2 * 3', null, null, 'x'],
  ['x $ 2', 3, 1, ''],
  ['x ? 1', 6, null, ':'],
  ['x'.padEnd(600, ' '), null, null, '500'],
  ['('.repeat(200) + 'x' + ')'.repeat(200), null, null, ''],
  ['a*x + b*x + c*x + d*x + f*x + g*x + h*x + k*x + m*x', null, null, 'parameters'],
  ['ELU(x, alpah=0.5)', null, null, 'alpah'],
];

test('lab.formula answers a bad text with its message, column, length and caret, and keeps answering', () => {
  for (const [text, column, length, word] of BAD) {
    const r = lab.formula(text);
    assert.equal(r.ok, false, text);
    const e = r.error;
    assert.equal(typeof e.message, 'string');
    assert.ok(e.message.length > 0, text);
    if (column !== null) assert.equal(e.column, column, `${text}: ${e.message}`);
    if (length !== null) assert.equal(e.length, length, `${text}: ${e.message}`);
    assert.ok(Number.isInteger(e.column) && e.column >= 1 && e.column <= text.length + 1, `${text}: column ${e.column}`);
    assert.ok(Number.isInteger(e.length) && e.length >= 1, text);
    assert.ok(e.message.includes(word), `${text}: ${e.message}`);
    const [line, marks] = e.caret.split('\n');
    assert.equal(line, text);
    assert.equal(marks, ' '.repeat(e.column - 1) + '^'.repeat(e.length));
    // the instance still answers
    assert.equal(lab.formula('x * x').ok, true);
    assert.deepEqual(Array.from(lab.activation({ formula: 'x * x' }, [3]).y), [9]);
  }
  assert.throws(() => lab.formula(42), (e) => e instanceof TypeError && /formula: expected the formula's text as a string, got number/.test(e.message));
});

test('lab.activation({formula, params}, x) equals the built-in it writes out, in every form of x', () => {
  const rows = [
    ['tanh(x)', {}, 'Tanh', {}],
    ['x * sigmoid(x)', {}, 'SiLU', {}],
    ['x > 0 ? x : a * (exp(x) - 1)', { a: 0.5 }, 'ELU', { alpha: 0.5 }],
    ['Softplus(x, beta=b)', { b: 2 }, 'Softplus', { beta: 2 }],
  ];
  for (const [formula, params, name, builtin] of rows) {
    const f = lab.activation({ formula, params }, X);
    const b = lab.activation(name, builtin, X);
    assert.ok(f.y instanceof Float64Array && f.dy instanceof Float64Array);
    assert.ok(closeAll(f.y, b.y), `${formula}: y`);
    assert.ok(closeAll(f.dy, b.dy), `${formula}: dy`);
  }
  // forms: a plain list, nested lists, {shape, data}, a number
  const spec = { formula: 'a * x ^ 2', params: { a: 3 } };
  assert.deepEqual(Array.from(lab.activation(spec, [1, 2]).dy), [6, 12]);
  assert.deepEqual(lab.activation(spec, [[1, 2], [3, 4]]), { y: [[3, 12], [27, 48]], dy: [[6, 12], [18, 24]] });
  const flat = lab.activation(spec, { shape: [2, 1], data: Float64Array.of(-1, 0.5) });
  assert.deepEqual(flat.y.shape, [2, 1]);
  assert.deepEqual(Array.from(flat.y.data), [3, 0.75]);
  assert.deepEqual(lab.activation(spec, 2), { y: 12, dy: 12 });
  assert.deepEqual(Array.from(lab.activation(spec, []).y), []);
  // a default (1), and one given by name
  assert.deepEqual(Array.from(lab.activation({ formula: 'a * x' }, [2]).y), [2]);
  assert.deepEqual(Array.from(lab.activation({ formula: 'a * x; a=0.5' }, [2]).y), [1]);
  assert.deepEqual(Array.from(lab.activation({ formula: 'a * x; a=0.5', params: { a: 4 } }, [2]).y), [8]);
});

test('an evaluation of a bad formula throws with its column; unknown parameters and wrong types are named', () => {
  assert.throws(() => lab.activation({ formula: 'x * (1 + x' }, X), (e) =>
    /^formula: .* \(column \d+\)$/.test(e.message) && e.column === lab.formula('x * (1 + x').error.column && e.length >= 1);
  assert.throws(() => lab.activation({ formula: 'a * x', params: { b: 2 } }, X), /unknown parameter 'b'/);
  assert.throws(() => lab.activation({ formula: 'a * x', params: { a: 'big' } }, X), /^Error: params\.a: expected a number, got str "big"$/);
  assert.throws(() => lab.activation({ formula: 'a * x', alpha: 1 }, X), /activation: unknown field 'alpha'; expected one of formula, params/);
  assert.throws(() => lab.activation({ formula: 'x' }, {}, X), /activation\(\{formula, params\}, x\)/);
  assert.throws(() => lab.activation({ formula: 7 }, X), /formula: expected the formula's text as a string, got number/);
  // a keyword value the registry refuses, in its words, after the call's name
  assert.throws(() => lab.activation({ formula: 'Hardtanh(x, min_val=a, max_val=0)', params: { a: 1 } }, X), /^Error: Hardtanh\(\.\.\.\): .*max_val > min_val/);
  assert.deepEqual(Array.from(lab.activation({ formula: 'x + 1' }, [1]).y), [2]);  // still answering
});

test('lab.torchCode({formula, params}) is the PyTorch code at those values', () => {
  const t = lab.torchCode({ formula: 'a * tanh(x)', params: { a: 2.5 } });
  assert.deepEqual(Object.keys(t), ['expression', 'lambda', 'module']);
  assert.ok(t.expression.includes('2.5'), t.expression);
  assert.equal(t.lambda, `lambda x: ${t.expression}`);
  assert.ok(t.module.includes('2.5'), t.module);
  assert.deepEqual(t, lab.torchCode({ formula: 'a * tanh(x)', params: { a: 2.5 } }));
  assert.throws(() => lab.torchCode({ formula: 'tanh(' }), /^Error: formula: .*\(column \d+\)$/);
  assert.equal(lab.torchCode('ELU', { alpha: 0.5 }), 'nn.ELU(alpha=0.5)');  // the built-in's form is unchanged
  assert.ok(!JSON.stringify(lab.catalog()).includes('"formula":"x'));       // no formula entries in the catalog
});

test('a formula activation in lab.network: forward is lab.activation on the pre-activations', () => {
  const act = { formula: 'x * sigmoid(a * x)', params: { a: 1.702 } };
  const net = lab.network({ sizes: [2, 5, 5, 1], activation: act, output: { formula: 'tanh(x)' }, seed: 4, loss: 'MSELoss', optimizer: { name: 'SGD', params: { lr: 0.1 } } });
  const input = [[0.5, -1], [1.5, 0.25], [-2, 3]];
  const f = net.forward(input);
  for (const [l, layer] of f.layers.entries()) {
    const want = lab.activation(l < 2 ? act : { formula: 'tanh(x)' }, layer.pre).y;
    assert.deepEqual(layer.post, want, `layer ${l}`);
  }
  assert.deepEqual(Array.from(net.predict(input)), f.output.flat());
  const s = net.statistics();
  assert.equal(s.length, 3);
  assert.ok(Number.isFinite(s[0].saturated) && Number.isFinite(s[0].dead));
  assert.ok(Number.isFinite(net.step({ input, target: [[0.1], [0.2], [0.3]] }).loss));
  net.delete();
  assert.throws(() => lab.network({ sizes: [2, 3, 1], activation: { formula: 'x * (1 + x' } }), /^Error: activation: formula: .*\(column \d+\)$/);
  assert.throws(() => lab.network({ sizes: [2, 3, 1], activation: { formula: 'a * x', params: { b: 1 } } }), /^Error: activation: unknown parameter 'b'/);
  assert.throws(() => lab.network({ sizes: [2, 3, 1], loss: { formula: 'x' } }), /^Error: loss: /);
});

test('formula networks train as PyTorch does (formula_net.json), within 1e-9', () => {
  const data = JSON.parse(readFileSync(new URL('../reference/formula_net.json', import.meta.url), 'utf8'));
  const near = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  assert.equal(data.cases.length, 6);
  for (const c of data.cases) {
    const net = lab.network({ sizes: c.sizes, activation: c.activation, output: c.output, seed: c.seed, loss: c.loss, optimizer: c.optimizer });
    const x = decode(c.input);
    const t = decode(c.target);
    const f = net.forward(x);
    for (const [l, layer] of f.layers.entries()) {
      assert.ok(closeAll(layer.post.flat(), c.layers[l].post.flat()), `${c.activation.formula}: layer ${l} post`);
    }
    for (let s = 0; s < c.steps; s++) {
      const lo = (s * c.batch) % x.length;
      const { loss } = net.step({ input: x.slice(lo, lo + c.batch), target: t.slice(lo, lo + c.batch) });
      assert.ok(near(loss, c.losses[s]), `${c.activation.formula} step ${s}: ${loss} vs ${c.losses[s]}`);
    }
    for (const [l, p] of net.parameters().entries()) {
      assert.ok(p.weight.flat().every((v, i) => near(v, c.final[l].weight.flat()[i])), `final weight ${l}`);
      assert.ok(p.bias.every((v, i) => near(v, c.final[l].bias[i])), `final bias ${l}`);
    }
    net.delete();
  }
});

test('lab.meanField takes a formula: the built-in\'s moments, fixed point and edge of chaos', () => {
  for (const [formula, name] of [['tanh(x)', 'Tanh'], ['max(x, 0)', 'ReLU']]) {
    const f = lab.meanField({ activation: { formula }, sigmaW2: 1.5, sigmaB2: 0.05 });
    const b = lab.meanField({ activation: name, sigmaW2: 1.5, sigmaB2: 0.05 });
    assert.deepEqual(f.activation, { formula, params: {} });
    for (const q of [0.1, 1, 4]) {
      const mf = f.moments(q);
      const mb = b.moments(q);
      for (const k of ['second', 'slope2']) assert.ok(close(mf[k], mb[k]), `${formula} q=${q} ${k}: ${mf[k]} vs ${mb[k]}`);
      // tanh's mean is 0 by symmetry: both are sums of ± terms, equal to 1e-14 of the activation's size
      if (name === 'Tanh') assert.ok(Math.abs(mf.mean - mb.mean) <= 1e-14 * Math.sqrt(mb.second), `${formula} q=${q} mean`);
      else assert.ok(close(mf.mean, mb.mean), `${formula} q=${q} mean: ${mf.mean} vs ${mb.mean}`);
    }
    assert.ok(close(f.fixedPoint(), b.fixedPoint()), formula);
  }
  const f = lab.meanField({ activation: { formula: 'tanh(x)' }, sigmaW2: 1, sigmaB2: 0.05 });
  assert.ok(Math.abs(f.criticalSigmaW2() - lab.meanField({ activation: 'Tanh', sigmaW2: 1, sigmaB2: 0.05 }).criticalSigmaW2()) < 1e-10);
  assert.throws(() => lab.meanField({ activation: { formula: 'tanh(' }, sigmaW2: 1, sigmaB2: 0 }), /^Error: activation: formula: /);
});

test('no heap growth over 1,000 parse/evaluate rounds, bad texts included', () => {
  const x = Float64Array.from({ length: 200 }, (_, i) => i / 20 - 5);
  const round = (i) => {
    lab.formula(`x * sigmoid(${1 + (i % 7)} * x)`);
    lab.formula('x * (1 + ');
    lab.activation({ formula: 'a * tanh(x) + b', params: { a: i % 3, b: 1 } }, x);
    try { lab.activation({ formula: 'sigmod(x)' }, x); } catch { /* expected */ }
    lab.torchCode({ formula: 'abs(x) ^ p', params: { p: 2 } });
  };
  for (let i = 0; i < 50; i++) round(i);  // warm up (the one-entry parse cache, first allocations)
  const before = lab.heapBytes();
  for (let i = 0; i < 1000; i++) round(i);
  assert.equal(lab.heapBytes(), before);
});

test('a lab over lab_core has no formula engine and says so', async () => {
  const core = await createLabFrom(await import('../../dist/lab_core.mjs'));
  assert.throws(() => core.formula('x'), /no formula engine/);
  assert.throws(() => core.activation({ formula: 'x' }, [1]), /no formula engine/);
  assert.deepEqual(Array.from(core.activation('ReLU', {}, [-1, 2]).y), [0, 2]);
});
