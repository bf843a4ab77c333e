// The contract of createLab() beyond the reference numbers: the catalog, argument conversion,
// errors that name the bad argument, memory that does not leak, and very large inputs.
// (parseTensor has its own file, literal.test.mjs; lab.d.ts against the catalog: types.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lab } from './reference.mjs';

const catalog = lab.catalog();
const all = [...catalog.activations, ...catalog.losses];

test('the catalog describes every function with its parameters and notes', () => {
  assert.equal(catalog.activations.filter((f) => f.kind === 'elementwise').length, 27);
  assert.equal(catalog.activations.filter((f) => f.kind === 'vector').length, 4);
  assert.equal(catalog.losses.length, 21);
  for (const f of all) {
    assert.ok(f.formula && f.summary && f.notes.length >= 2, f.name);
    for (const p of f.params) assert.ok(['float', 'int', 'bool', 'choice', 'tensor', 'dim'].includes(p.type), `${f.name}.${p.name}`);
  }
  // catalog() hands out a copy: changing it changes nothing inside the lab.
  const copy = lab.catalog();
  copy.activations[0].name = 'changed';
  assert.notEqual(lab.catalog().activations[0].name, 'changed');
});

test('every activation runs with its defaults (required parameters given)', () => {
  const x = [-2, -0.5, 0, 0.5, 2, 3];  // even: GLU halves it
  for (const f of catalog.activations) {
    const params = Object.fromEntries(f.params.filter((p) => p.required).map((p) => [p.name, 0.5]));
    const r = lab.activation(f.name, params, x);
    assert.ok(r.y instanceof Float64Array, f.name);
    if (f.kind === 'elementwise') assert.equal(r.dy.length, x.length, f.name);
    else assert.equal(r.jacobian.length, r.y.length * x.length, f.name);
  }
});

test("every loss's workbench example parses and evaluates, with a gradient for its first argument", () => {
  for (const f of catalog.losses) {
    const args = Object.fromEntries(Object.entries(f.example).map(([k, text]) => [k, lab.parseTensor(text)]));
    const r = lab.loss(f.name, {}, args);
    assert.equal(typeof r.loss, 'number', f.name);
    assert.ok(Number.isFinite(r.loss), `${f.name}: ${r.loss}`);
    assert.ok(f.args[0].name in r.grad, `${f.name}: grad.${f.args[0].name}`);
    for (const k of Object.keys(r.grad)) assert.ok(k in args && !f.args.find((a) => a.name === k).integer, `${f.name}: grad.${k}`);
  }
});

test('torchCode gives the PyTorch line', () => {
  assert.equal(lab.torchCode('ELU', { alpha: 0.5 }), 'nn.ELU(alpha=0.5)');
  assert.equal(lab.torchCode('MSELoss'), 'nn.MSELoss()');
  assert.equal(lab.torchCode('Sine', {}).includes('torch.sin'), true);
});

// Each result in its form: 'number', 'nested' (arrays), 'typed' (Float64Array) or 'flat' ({shape, data}).
const formOf = (v) => (typeof v === 'number' ? 'number' : v instanceof Float64Array ? 'typed'
  : Array.isArray(v) ? 'nested' : v && Array.isArray(v.shape) && v.data instanceof Float64Array ? 'flat' : typeof v);
const flat = (shape, ...data) => ({ shape, data: Float64Array.from(data) });
const FORMS = [
  { name: 'MSELoss', params: { reduction: 'none' }, args: { input: [[1, 2, 3]], target: [[0, 0, 0]] },
    loss: 'nested', elementwise: 'nested', grad: { input: 'nested', target: 'nested' }, values: { loss: [[1, 4, 9]], input: [[2, 4, 6]] },
    why: 'nested in, nested out' },
  { name: 'MSELoss', params: {}, args: { input: Float64Array.of(1, 2), target: Float64Array.of(0, 0) },
    loss: 'number', elementwise: 'typed', grad: { input: 'typed', target: 'typed' }, values: { loss: 2.5, input: Float64Array.of(1, 2) },
    why: 'a 1-D typed array gives Float64Arrays; a reduced loss is a number' },
  { name: 'MSELoss', params: { reduction: 'none' }, args: { input: flat([2, 2], 1, 2, 3, 4), target: [[0, 0], [0, 0]] },
    loss: 'flat', elementwise: 'flat', grad: { input: 'flat', target: 'nested' }, values: { loss: flat([2, 2], 1, 4, 9, 16), input: flat([2, 2], 2, 4, 6, 8) },
    why: "{shape, data} in, {shape, data} out; each gradient follows its own argument's form" },
  { name: 'MSELoss', params: {}, args: { input: flat([2], 1, 2), target: flat([2], 0, 0) },
    loss: 'number', elementwise: 'flat', grad: { input: 'flat', target: 'flat' }, values: { loss: 2.5 },
    why: 'a 0-dim result is a number even for {shape, data}' },
  { name: 'MSELoss', params: { reduction: 'none' }, args: { target: [[0, 0]], input: Float64Array.of(1, 2) },
    loss: 'nested', elementwise: 'nested', grad: { input: 'typed', target: 'nested' }, values: { loss: [[1, 4]] },
    why: "loss and elementwise follow the FIRST argument listed (here target, nested), not the function's first" },
  { name: 'MSELoss', params: { reduction: 'none' }, args: { input: Float64Array.of(1, 2), target: [[0, 0], [0, 0]] },
    loss: 'nested', elementwise: 'nested', grad: { input: 'typed', target: 'nested' }, values: { loss: [[1, 4], [1, 4]] },
    why: 'typed first argument, but a broadcast 2-D result: nested arrays' },
  { name: 'CrossEntropyLoss', params: { reduction: 'none' }, args: { input: Float64Array.of(1, 2, 3), target: 2 },
    loss: 'number', elementwise: 'number', grad: { input: 'typed' }, values: {},
    why: 'one sample (C,): the per-sample loss has no dimensions and is a number' },
];

test('results come back in the form the caller gave', () => {
  for (const row of FORMS) {
    const r = lab.loss(row.name, row.params, row.args);
    const label = `${row.name} ${JSON.stringify(Object.fromEntries(Object.entries(row.args).map(([k, v]) => [k, formOf(v)])))}: ${row.why}`;
    assert.equal(formOf(r.loss), row.loss, `loss, ${label}`);
    assert.equal(formOf(r.elementwise), row.elementwise, `elementwise, ${label}`);
    assert.deepEqual(Object.fromEntries(Object.entries(r.grad).map(([k, v]) => [k, formOf(v)])), row.grad, `grad, ${label}`);
    if ('loss' in row.values) assert.deepEqual(r.loss, row.values.loss, `loss value, ${label}`);
    if ('input' in row.values) assert.deepEqual(r.grad.input, row.values.input, `grad.input value, ${label}`);
  }
  // activations: Float64Arrays whatever x came in as
  for (const x of [[-1, 3], Int32Array.of(-1, 3), Float64Array.of(-1, 3)]) {
    const r = lab.activation('ReLU', {}, x);
    assert.deepEqual([formOf(r.y), formOf(r.dy), Array.from(r.y)], ['typed', 'typed', [0, 3]], String(x.constructor.name));
  }
});

test('vector functions take N-D x along dim: y in x\'s form, one Jacobian per slice', () => {
  const x = [[1, 2, 0.5], [0.1, 0.2, 3]];
  const rows = x.map((row) => lab.activation('Softmax', {}, row));
  // nested in: nested out, y shaped like x, jacobian (N, C, C); each row as its own 1-D call
  const r = lab.activation('Softmax', { dim: 1 }, x);
  assert.equal(r.dim, 1);
  assert.deepEqual(r.y, rows.map((q) => Array.from(q.y)));
  assert.deepEqual(r.jacobian, rows.map((q) => [0, 1, 2].map((i) => Array.from(q.jacobian.subarray(i * 3, i * 3 + 3)))));
  assert.deepEqual(lab.activation('Softmax', { dim: -1 }, x), r);
  const implicit = lab.activation('Softmax', {}, x);
  assert.deepEqual({ ...implicit, warnings: [] }, r, 'None picks 1 for 2-D input');
  // dim 0: per column; {shape, data} in, {shape, data} out
  const flat = lab.activation('LogSoftmax', { dim: 0 }, { shape: [2, 3], data: x.flat() });
  assert.deepEqual([flat.y.shape, flat.jacobian.shape, flat.dim], [[2, 3], [3, 2, 2], 0]);
  const col = lab.activation('LogSoftmax', {}, [x[0][2], x[1][2]]);
  assert.deepEqual([flat.y.data[2], flat.y.data[5]], Array.from(col.y));
  assert.deepEqual(Array.from(flat.jacobian.data.subarray(8, 12)), Array.from(col.jacobian));
  // GLU halves dim; a 0-dim x gives numbers
  const glu = lab.activation('GLU', {}, [[1, -2, 0.5, 3]]);
  assert.deepEqual([glu.y.length, glu.y[0].length, glu.jacobian[0].length, glu.jacobian[0][0].length], [1, 2, 2, 4]);
  assert.deepEqual(lab.activation('Softmax', { dim: 0 }, 0.7), { y: 1, jacobian: 0, dim: 0, warnings: [] });
  // 1-D x keeps the flat Float64Array results (backward compatible), with dim
  const one = lab.activation('Softmax', {}, [1, 2, 3]);
  assert.deepEqual([one.y instanceof Float64Array, one.jacobian instanceof Float64Array, one.jacobian.length, one.dim], [true, true, 9, 0]);
  // PyTorch's words for a dim outside the input's dims
  assert.throws(() => lab.activation('Softmax', { dim: 2 }, x), /^Error: Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)$/);
  assert.throws(() => lab.activation('GLU', {}, x), /Halving dimension must be even, but dimension 1 is size 3/);
  assert.throws(() => lab.activation('Softmax', {}, [[1, 2], [3]]), /^Error: x: expected sequence of length 2 at dim 1 \(got 1\)$/);
});

test('vector functions without dim: PyTorch\'s pick and its deprecation warning, in the op\'s own name', () => {
  const say = (op) => `Implicit dimension choice for ${op} has been deprecated. Change the call to include dim=X as an argument.`;
  for (const [name, op] of [['Softmax', 'softmax'], ['Softmin', 'softmin'], ['LogSoftmax', 'log_softmax']]) {
    // _get_softmax_dim: 0 for 0-, 1- and 3-D input, 1 otherwise
    for (const [x, dim] of [[0.5, 0], [[1, 2, 3], 0], [[[1, 2], [3, 4]], 1], [[[[1, 2]], [[3, 4]]], 0], [{ shape: [1, 2, 1, 2], data: [1, 2, 3, 4] }, 1]]) {
      const r = lab.activation(name, {}, x);
      assert.deepEqual([r.dim, r.warnings], [dim, [say(op)]], `${name} ${JSON.stringify(x)}`);
      const given = lab.activation(name, { dim }, x);
      assert.deepEqual(given.warnings, [], 'no warning with dim given');
      assert.deepEqual(given.y, r.y);
    }
    assert.deepEqual(lab.activation(name, { dim: null }, [1, 2]).warnings, [say(op)], 'dim: null is None');
  }
  assert.deepEqual(lab.activation('GLU', {}, [1, 2]).warnings, [], 'GLU has dim=-1 by default');
});

test('elementwise activations take x of any shape: y and dy in x\'s form and shape; 1-D as always', () => {
  const x = [[-2, -0.5, 0], [0.5, 2, 3]];
  const flat = lab.activation('ELU', { alpha: 0.5 }, x.flat());
  const rows = (v) => [Array.from(v.subarray(0, 3)), Array.from(v.subarray(3, 6))];
  // nested in, nested out
  assert.deepEqual(lab.activation('ELU', { alpha: 0.5 }, x), { y: rows(flat.y), dy: rows(flat.dy) });
  // {shape, data} in, {shape, data: Float64Array} out
  const t = lab.activation('ELU', { alpha: 0.5 }, { shape: [3, 1, 2], data: x.flat() });
  assert.deepEqual([t.y.shape, t.dy.shape, t.y.data, t.dy.data], [[3, 1, 2], [3, 1, 2], flat.y, flat.dy]);
  assert.ok(t.y.data instanceof Float64Array);
  // deeper nesting, and a nested typed array as the last level
  const deep = lab.activation('Tanh', {}, [[[0.1, -0.2]], [[0.3, 0.4]]]);
  const tanh = lab.activation('Tanh', {}, [0.1, -0.2, 0.3, 0.4]);
  assert.deepEqual(deep.y, [[[tanh.y[0], tanh.y[1]]], [[tanh.y[2], tanh.y[3]]]]);
  assert.deepEqual(lab.activation('Tanh', {}, [Float64Array.of(0.1, -0.2), Float64Array.of(0.3, 0.4)]).dy, [[tanh.dy[0], tanh.dy[1]], [tanh.dy[2], tanh.dy[3]]]);
  // a 0-dim x: numbers
  const relu0 = lab.activation('ReLU', {}, 0);
  assert.deepEqual(relu0, { y: 0, dy: 0 });
  const e = lab.activation('ELU', { alpha: 0.5 }, -2);
  assert.deepEqual(e, { y: flat.y[0], dy: flat.dy[0] });
  assert.deepEqual(lab.activation('ELU', { alpha: 0.5 }, { shape: [], data: [-2] }), e);
  // 1-D, whatever its form, keeps the Float64Array results
  for (const one of [[-2, 0.5], Float64Array.of(-2, 0.5), { shape: [2], data: [-2, 0.5] }]) {
    const r = lab.activation('ELU', { alpha: 0.5 }, one);
    assert.ok(r.y instanceof Float64Array && r.dy instanceof Float64Array);
    assert.deepEqual([r.y[0], r.dy[1]], [flat.y[0], flat.dy[3]]);
  }
  // PReLU: one slope per channel of dim 1 (each starts at init, so the numbers are one slope's);
  // PyTorch's words when the count does not match the channels, or there is no dim 1
  assert.deepEqual(lab.activation('PReLU', { num_parameters: 3, init: 0.1 }, [[-1, 2, -3]]), lab.activation('PReLU', { init: 0.1 }, [[-1, 2, -3]]));
  assert.throws(() => lab.activation('PReLU', { num_parameters: 3 }, [[-1, 2]]), /Found parameter numbers = 3 and channel size = 2\.$/);
  assert.throws(() => lab.activation('PReLU', { num_parameters: 3 }, [-1, 2, 3]), /Found parameter numbers = 3 and channel size = 1\.$/);
  assert.throws(() => lab.activation('PReLU', { num_parameters: 2 }, -1), /^Error: Not allow zero-dim input tensor\.$/);
  // an empty N-D x, and a ragged one refused in torch.tensor's words
  assert.deepEqual(lab.activation('ReLU', {}, { shape: [2, 0], data: [] }).y, { shape: [2, 0], data: new Float64Array(0) });
  assert.throws(() => lab.activation('ReLU', {}, [[1, 2], [3]]), /^Error: x: expected sequence of length 2 at dim 1 \(got 1\)$/);
});

test('tensor parameters: a bare number (0-dim) and {shape, data} are accepted', () => {
  const args = { input: [0.5, -1], target: [1, 0] };
  const three = lab.loss('BCEWithLogitsLoss', { pos_weight: [3, 3] }, args).loss;
  assert.equal(lab.loss('BCEWithLogitsLoss', { pos_weight: 3 }, args).loss, three);
  assert.equal(lab.loss('BCEWithLogitsLoss', { pos_weight: { shape: [], data: [3] } }, args).loss, three);
  assert.equal(lab.loss('BCEWithLogitsLoss', { pos_weight: { shape: [2], data: Float64Array.of(3, 3) } }, args).loss, three);
  const bce = { input: [0.5, 0.8], target: [1, 0] };
  assert.equal(lab.loss('BCELoss', { weight: 1.5 }, bce).loss, lab.loss('BCELoss', { weight: [1.5, 1.5] }, bce).loss);
  assert.equal(lab.torchCode('BCELoss', { weight: 1.5 }), 'nn.BCELoss(weight=torch.tensor(1.5))');
  assert.throws(() => lab.loss('CrossEntropyLoss', { weight: 2 }, { input: [[1, 2, 3]], target: [0] }),
    /weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: \[\]/);
});

test('CrossEntropyLoss: label smoothing with a counted weight of 0 is nan under mean, as PyTorch', () => {
  const args = { input: [[1, 2, 0.5], [0.1, 0.2, 3]], target: [1, 1] };
  assert.ok(Number.isNaN(lab.loss('CrossEntropyLoss', { label_smoothing: 0.1, weight: [1, 0, 2] }, args).loss));
  assert.ok(Number.isFinite(lab.loss('CrossEntropyLoss', { label_smoothing: 0.1, weight: [1, 0, 2], reduction: 'sum' }, args).loss));
});

test('bad input throws an Error that names the problem, and the lab keeps answering', () => {
  const cases = [
    [() => lab.activation('Relu', {}, [1]), /unknown function 'Relu'; did you mean 'ReLU'\?/],
    [() => lab.activation('ELU', { alpah: 1 }, [1]), /unexpected keyword argument 'alpah'/],
    [() => lab.activation('ELU', { alpha: 'big' }, [1]), /alpha/],
    [() => lab.activation('ELU', {}, [1, 'x']), /must be real number, not str "x" \(at \[1\]\)/],
    [() => lab.activation('ELU', {}, 'abc'), /^x: /],
    [() => lab.activation('MSELoss', {}, [1]), /is a loss/],
    [() => lab.loss('ReLU', {}, { input: [1] }), /is not a loss/],
    [() => lab.loss('MSELoss', {}, { input: [[1, 2], [3]], target: [1] }), /expected sequence of length 2 at dim 1 \(got 1\)/],
    [() => lab.loss('MSELoss', {}, { input: [1, 2, 3], target: [1, 2] }), /size of tensor a \(3\) must match the size of tensor b \(2\)/],
    [() => lab.loss('MSELoss', {}, { input: [1] }), /missing 1 required positional argument: 'target'/],
    [() => lab.loss('MSELoss', {}, { input: [1], target: [1], inptu: [1] }), /unexpected keyword argument 'inptu'/],
    [() => lab.loss('MSELoss', { reduction: 'meanx' }, { input: [1], target: [1] }), /meanx is not a valid value for reduction/],
    [() => lab.loss('MSELoss', {}, null), /args must be an object/],
    [() => lab.loss('CrossEntropyLoss', {}, { input: [[1, 2]], target: [0.5] }), /integer|Long|class ind/i],
    [() => lab.loss('CrossEntropyLoss', {}, { input: [[1, 2]], target: [5] }), /out of bounds/],
    [() => lab.loss('BCELoss', {}, { input: [1.2], target: [1] }), /between 0 and 1/],
    [() => lab.loss('CrossEntropyLoss', { label_smoothing: 1.5 }, { input: [[1, 2]], target: [0] }), /label_smoothing/],
    [() => lab.parseTensor('[1, 2,, 3]'), /expected a number but found ',' at column 7/],
    [() => lab.parseTensor('[[1, 2], [3]]'), /expected sequence of length 2 at dim 1 \(got 1\)/],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (e) => e instanceof Error && message.test(e.message), String(message));
    assert.deepEqual(Array.from(lab.activation('ReLU', {}, [-1, 2]).y), [0, 2]);
  }
});

test('repeated calls, including failing ones, do not leak WebAssembly memory', () => {
  const x = new Float64Array(10_000).map((_, i) => i / 1000 - 5);
  const work = () => {
    lab.activation('GELU', { approximate: 'tanh' }, x);
    lab.activation('Softmax', {}, [1, 2, 3]);
    lab.loss('CrossEntropyLoss', { label_smoothing: 0.1 }, { input: [[2, 1, 0.1], [0.5, 2.5, 0.3]], target: [0, 1] });
    try { lab.loss('BCELoss', {}, { input: [1.5], target: [1] }); } catch { /* expected */ }
    try { lab.activation('ELU', { nope: 1 }, x); } catch { /* expected */ }
  };
  for (let i = 0; i < 20; i++) work();  // warm up: let the allocator settle
  const before = lab.heapBytes();
  for (let i = 0; i < 300; i++) work();
  assert.equal(lab.heapBytes(), before);
});

test('tens of millions of points work; an impossible size fails with a clear Error', () => {
  const n = 20_000_000;
  const x = new Float64Array(n);
  x[n - 1] = 3;
  const r = lab.activation('ReLU', {}, x);
  assert.equal(r.y.length, n);
  assert.equal(r.y[n - 1], 3);
  assert.throws(() => lab.activation('ReLU', {}, new Float64Array(300_000_000)), /out of memory/);
  assert.deepEqual(Array.from(lab.activation('ReLU', {}, [-1, 2]).y), [0, 2]);
});

