// Design note — a second, independent fuzz of parseTensor (wasm/literal.mjs, the workbench's
// tensor-literal parser), for issue 11's "it returns a value or throws an Error, never anything
// else". literal.test.mjs fuzzes with token soup and checks values through lab.loss; this file
// attacks the parser's own edges with its own generator and a stricter judge:
//   * inputs: valid literals of random shapes (0-4 dims, empty dims) whose numbers are written in
//     every spelling a student or numpy's repr could use (huge, tiny, long digit strings, 1e309,
//     signed zeros, inf/nan forms), then character-level mutations (insert / delete / swap /
//     duplicate / truncate, with unicode: NBSP, U+2028, BOM, emoji, lone surrogates, fullwidth
//     and Arabic-Indic digits), random UTF-16 soup, deep nesting and very long inputs;
//   * judge: a thrown value must be a plain Error (not a RangeError from the stack, not a
//     TypeError from a bug) with a non-empty, well-formed message whose column, when given, lies
//     in the text; a returned value must be a number or rectangular nested arrays of numbers
//     (checked here without tensor.mjs), toTensor must give the same shape and data, and writing it
//     back out must read back to the same value (signed zeros and NaN included).
// It imports the parser module itself (no WebAssembly involved), from a seeded PRNG with bounded
// counts and sizes, so a run is the same every time and takes about a second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTensor } from '../../wasm/literal.mjs';
import { toTensor } from '../../wasm/tensor.mjs';

const SEED = 0xf022_2026;
// sfc32 (a different generator from literal.test.mjs's, so the two fuzzes do not walk together)
function sfc32(seed) {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}
const random = sfc32(SEED);
const int = (n) => Math.floor(random() * n);
const pick = (list) => list[int(list.length)];

// ---------------------------------------------------------------- valid literals
// [text, the value Python's float() gives for it]
const SPELLINGS = [
  ['0', 0], ['-0', -0], ['-0.0', -0], ['+0.', 0], ['.0', 0], ['1', 1], ['-1', -1], ['2.5', 2.5], ['.5', 0.5], ['5.', 5],
  ['1e3', 1000], ['1E-3', 0.001], ['1.e2', 100], ['+.25e+1', 2.5], ['1e308', 1e308], ['1.7976931348623157e308', Number.MAX_VALUE],
  ['1e309', Infinity], ['-1e400', -Infinity], ['4.9e-324', 5e-324], ['2e-324', 0], ['1e-400', 0], ['-1e-400', -0],
  ['123456789012345678901234567890', 1.2345678901234568e29], ['0.1000000000000000055511151231257827', 0.1],
  ['00012', 12], ['9007199254740993', 9007199254740992], [`1${'0'.repeat(400)}`, Infinity], [`0.${'0'.repeat(400)}1`, 0],
  ['inf', Infinity], ['-inf', -Infinity], ['+inf', Infinity], ['nan', NaN], ['-nan', NaN], ['math.inf', Infinity],
  ['-math.inf', -Infinity], ['math.nan', NaN], ['torch.inf', Infinity], ['torch.nan', NaN], ['float("inf")', Infinity],
  ["-float('inf')", -Infinity], ["float('nan')", NaN], ['float("nan")', NaN],
];
const SEPARATORS = [',', ', ', ' , ', ',\n', ',\t', ' ,'];

function randomShape() {
  const dims = int(5);
  return Array.from({ length: dims }, () => (random() < 0.1 ? 0 : 1 + int(4)));
}
// A rectangular value of the shape and the text that writes it.
function build(shape, dim = 0) {
  if (dim === shape.length) {
    const [text, value] = pick(SPELLINGS);
    return { text, value };
  }
  const parts = Array.from({ length: shape[dim] }, () => build(shape, dim + 1));
  const [open, close] = pick([['[', ']'], ['(', ')'], ['[ ', ' ]'], ['(\n', '\n)']]);
  const comma = pick(SEPARATORS);
  // Python: a 1-tuple needs its trailing comma — written for tuples, optional for lists
  const trailing = parts.length && ((open[0] === '(' && parts.length === 1) || random() < 0.15) ? ',' : '';
  return { text: `${open}${parts.map((p) => p.text).join(comma)}${trailing}${close}`, value: parts.map((p) => p.value) };
}
function validLiteral() {
  const { text, value } = build(randomShape());
  const wrapped = pick([text, ` ${text}\n`, `torch.tensor(${text})`, `torch.tensor( ${text} , dtype=torch.float64)`,
    `torch.as_tensor(${text}, requires_grad=True,)`, `torch.Tensor(${text})`]);
  return { text: wrapped, value };
}

// ---------------------------------------------------------------- mutations and other inputs
const ODD = ['\u00a0', '\u2028', '\ufeff', '\u3000', '🙂', '\ud800', '\udfff', '\u0000', '\u007f', '１', '٣', 'é', '∞', '−',
  '[', ']', '(', ')', ',', '.', 'e', '-', '+', '_', '=', "'", '"', ' ', '\n', 'inf', 'nan', 'torch.', 'float(', '9', '0'];
function mutate(text) {
  let s = text;
  for (let k = 1 + int(4); k > 0; k--) {
    const at = int(s.length + 1);
    const len = 1 + int(6);
    switch (int(6)) {
      case 0: s = s.slice(0, at) + pick(ODD) + s.slice(at); break;                                   // insert
      case 1: s = s.slice(0, at) + s.slice(at + len); break;                                          // delete
      case 2: {                                                                                       // swap two characters
        const b = int(s.length);
        if (at < s.length && b !== at) {
          const [i, j] = at < b ? [at, b] : [b, at];
          s = s.slice(0, i) + s[j] + s.slice(i + 1, j) + s[i] + s.slice(j + 1);
        }
        break;
      }
      case 3: s = s.slice(0, at) + s.slice(at, at + len).repeat(2 + int(3)) + s.slice(at + len); break; // duplicate
      case 4: s = s.slice(0, at); break;                                                              // truncate
      default: s = s.slice(0, at) + pick(ODD) + s.slice(at + 1);                                      // replace
    }
  }
  return s;
}
function utf16Soup() {
  return Array.from({ length: int(24) }, () => (random() < 0.6 ? pick(ODD) : String.fromCharCode(int(0x10000)))).join('');
}
// Deep nesting and long inputs: a handful each, sizes bounded so the whole file stays fast.
const DEEP = [];
for (const depth of [128, 129, 1000, 20_000]) {
  DEEP.push('['.repeat(depth), `${'['.repeat(depth)}1${']'.repeat(depth)}`, `${'('.repeat(depth)}${')'.repeat(depth)}`,
    `${'[('.repeat(depth / 2)}0,${')]'.repeat(depth / 2)}`);
}
const LONG = [
  `[${Array.from({ length: 20_000 }, (_, i) => (i % 7 ? i / 8 : '-inf')).join(', ')}]`,
  `[${'[1, 2], '.repeat(10_000)}[3, 4]]`,
  `${' '.repeat(100_000)}1${'\n'.repeat(100_000)}`,
  `1${'0'.repeat(100_000)}`,
  `1e${'9'.repeat(10_000)}`,
  `[1e-${'9'.repeat(10_000)}, -0.${'0'.repeat(10_000)}1]`,
  `torch.tensor([1], ${'dtype=torch.float64, '.repeat(5_000)})`,
  `[${'1,'.repeat(50_000)}`,
];

// ---------------------------------------------------------------- the judge
const hasLoneSurrogate = (s) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
// The shape of a number or of rectangular nested arrays of numbers, or a string saying why not.
function shapeOf(v, path = 'value') {
  if (typeof v === 'number') return [];
  if (!Array.isArray(v)) return `${path} is ${typeof v}, not a number or an array`;
  if (Object.keys(v).length !== v.length) return `${path} has holes or extra properties`;
  if (v.length === 0) return [0];
  const inner = shapeOf(v[0], `${path}[0]`);
  if (typeof inner === 'string') return inner;
  for (let i = 1; i < v.length; i++) {
    const s = shapeOf(v[i], `${path}[${i}]`);
    if (typeof s === 'string') return s;
    if (s.length !== inner.length || s.some((d, k) => d !== inner[k])) return `${path} is ragged at [${i}]`;
  }
  return [v.length, ...inner];
}
const flatten = (v) => (Array.isArray(v) ? v.flatMap(flatten) : [v]);
const same = (a, b) => (Array.isArray(a) ? Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i])) : Object.is(a, b));
const py = (v) => (Array.isArray(v) ? `[${v.map(py).join(', ')}]` : Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : Object.is(v, -0) ? '-0.0' : String(v));

// null when the outcome is acceptable, else what is wrong with it.
function verdict(text) {
  let value;
  try {
    value = parseTensor(text);
  } catch (e) {
    if (!(e instanceof Error)) return `threw a non-Error: ${String(e)}`;
    if (e.constructor !== Error) return `threw a ${e.constructor.name} (${e.message}), not the parser's own Error`;
    if (typeof e.message !== 'string' || e.message.trim() === '') return 'threw an Error without a message';
    if (hasLoneSurrogate(e.message) && !hasLoneSurrogate(text)) return `message ${JSON.stringify(e.message)} holds half a character`;
    if (e.position !== undefined) {
      if (!Number.isInteger(e.position) || e.position < 0 || e.position > text.length) return `position ${e.position} outside the text`;
      if (!e.message.endsWith(` at column ${e.position + 1}`)) return `message "${e.message}" does not name column ${e.position + 1}`;
    } else if (!e.message.startsWith('tensor: ')) {
      return `message "${e.message}" names no column and is not a tensor check`;
    }
    return null;
  }
  const shape = shapeOf(value);
  if (typeof shape === 'string') return `returned a malformed value: ${shape}`;
  const t = toTensor(value, 'tensor');
  if (!same(t.shape, shape)) return `toTensor's shape [${t.shape}] differs from the value's [${shape}]`;
  const data = flatten(value);
  if (t.data.length !== shape.reduce((a, b) => a * b, 1) || !same(Array.from(t.data), data)) return 'toTensor data differs from the value';
  let again;
  try { again = parseTensor(py(value)); } catch (e) { return `its own repr ${py(value).slice(0, 60)} does not read back: ${e.message}`; }
  if (!same(again, value)) return `its repr reads back as ${py(again).slice(0, 60)}`;
  return null;
}

function run(kind, inputs, bad) {
  for (const text of inputs) {
    const why = verdict(text);
    if (why && bad.length < 12) bad.push(`${kind} ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)}: ${why}`);
  }
}

test(`parseTensor, fuzzed at its edges (seed ${SEED.toString(16)}): valid literals read exactly, everything else is an Error`, () => {
  const bad = [];
  const valid = Array.from({ length: 1500 }, validLiteral);
  for (const { text, value } of valid) {
    let got;
    try { got = parseTensor(text); } catch (e) { got = e; }
    if (!same(got, value) && bad.length < 12) bad.push(`valid ${JSON.stringify(text)} read as ${got instanceof Error ? got.message : py(got)}`);
  }
  run('valid', valid.map((v) => v.text), bad);
  run('mutant', valid.flatMap((v) => [mutate(v.text), mutate(v.text)]), bad);
  run('soup', Array.from({ length: 1500 }, utf16Soup), bad);
  run('deep', DEEP, bad);
  run('long', [...LONG, ...LONG.map(mutate)], bad);
  assert.deepEqual(bad, []);
});
