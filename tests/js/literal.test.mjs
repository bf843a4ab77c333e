// parseTensor, the tensor-literal parser behind the workbench's text fields: what it reads (a
// table of rows {text, expected, why}), what it refuses, and a fuzz run. The fuzz feeds it random
// token soup, random valid literals (which must read back to the value they were written from)
// and mutations of both and of the catalog's examples, from a seeded PRNG with a bounded count: it
// must return a tensor value or throw an Error — with a column that lies inside the text when it
// names one — and nothing else; what it returns must also go through lab.loss without harming the
// WebAssembly instance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lab } from './reference.mjs';

const READS = [
  { text: '[[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]', expected: [[2, 1, 0.1], [0.5, 2.5, 0.3]], why: 'nested lists as torch.tensor takes them' },
  { text: 'torch.tensor([0, 1], dtype=torch.long)', expected: [0, 1], why: 'the call and its keyword arguments are accepted; dtype is ignored' },
  { text: ' 1.5 ', expected: 1.5, why: 'a 0-dim tensor is a number; spaces around are fine' },
  { text: '[-inf, float("nan"), 1e-3, .5, 2.]', expected: [-Infinity, NaN, 0.001, 0.5, 2], why: "Python's spellings of infinity and NaN, and of floats" },
  { text: "[math.inf, float('inf'), torch.nan, +3]", expected: [Infinity, Infinity, NaN, 3], why: 'more spellings, and a plus sign' },
  { text: '((1, 2), (3, 4))', expected: [[1, 2], [3, 4]], why: 'tuples are lists' },
  { text: '[1, 2, ]', expected: [1, 2], why: 'a trailing comma, as Python allows' },
  { text: '[]', expected: [], why: 'an empty tensor' },
  { text: '[[], []]', expected: [[], []], why: 'shape (2, 0)' },
];

const REFUSES = [
  { text: '[1, 2,, 3]', message: "expected a number but found ',' at column 7", why: 'a doubled comma' },
  { text: '[[1, 2], [3]]', message: 'tensor: expected sequence of length 2 at dim 1 (got 1)', why: "ragged: torch.tensor's words" },
  { text: '[1, 2', message: "missing ']' at column 6", why: 'an unclosed list' },
  { text: 'torch.tensor([1]', message: "missing ')' at column 17", why: 'an unclosed call' },
  { text: '[1] 2', message: "unexpected '2' at column 5", why: 'something after the tensor' },
  { text: '', message: 'expected a number but found the end of the text at column 1', why: 'nothing typed' },
];

test('parseTensor reads what students type', () => {
  for (const row of READS) assert.deepEqual(lab.parseTensor(row.text), row.expected, `${row.text}: ${row.why}`);
});

test('parseTensor refuses with a message that says where', () => {
  for (const row of REFUSES) {
    assert.throws(() => lab.parseTensor(row.text), (e) => e instanceof Error && e.message === row.message, `${row.text}: ${row.why}`);
  }
});

// ---------------------------------------------------------------- fuzz
const SEED = 0x1ab5eed;
const COUNT = 3000;  // inputs of each kind below

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(SEED);
const int = (n) => Math.floor(random() * n);
const pick = (list) => list[int(list.length)];

const SOUP = ['[', ']', '(', ')', ',', ' ', '  ', '\n', '\t', '-', '+', '.', 'e', 'E', '0', '1', '7', '42', '3.25', '1e308', '1e400',
  'inf', 'nan', 'math.inf', 'float("inf")', "float('nan')", 'torch.tensor(', 'torch.as_tensor (', 'dtype=torch.long', 'requires_grad=True',
  '=', "'", '"', 'x', '_', 'é', '∞', '\u0000', '🙂', 'torch', 'float', '(('];
const soup = () => Array.from({ length: int(30) }, () => pick(SOUP)).join('');

// A random value and one of the ways a student could write it.
function numberText(v) {
  if (Number.isNaN(v)) return pick(['nan', 'float("nan")', 'math.nan', 'torch.nan']);
  if (v === Infinity || v === -Infinity) return (v < 0 ? '-' : pick(['', '+'])) + pick(['inf', "float('inf')", 'math.inf', 'torch.inf']);
  if (Object.is(v, -0)) return pick(['-0', '-0.0', '-0e3']);
  return pick([String(v), v.toExponential(), v.toFixed(20).replace(/0+$/, '')].filter((t) => Number(t) === v));
}
function randomValue(depth) {
  if (depth === 0) return pick([0, -0, 1, -2.5, 1e-300, 7e22, 0.1, NaN, Infinity, -Infinity, Math.round(random() * 1e6) / 1e3]);
  const n = int(4);
  const first = randomValue(depth - 1);
  // every element of a list shares the first one's shape: the literal is rectangular
  const like = (v) => (Array.isArray(v) ? v.map(like) : randomValue(0));
  return [first, ...Array.from({ length: n }, () => like(first))];
}
function write(v) {
  if (!Array.isArray(v)) return numberText(v);
  const [open, close] = pick([['[', ']'], ['(', ')'], ['[ ', ' ]']]);
  const body = v.map(write).join(pick([',', ', ', ' ,\n ']));
  return `${open}${body}${close}`;
}
function literal() {
  const value = randomValue(int(4));
  const text = write(value);
  return { value, text: pick([text, ` ${text} `, `torch.tensor(${text})`, `torch.tensor(${text}, dtype=torch.float64)`]) };
}

const EXAMPLES = lab.catalog().losses.flatMap((f) => Object.values(f.example));
function mutate(text) {
  let s = text;
  for (let k = 1 + int(3); k > 0; k--) {
    const at = int(s.length + 1);
    const len = 1 + int(4);
    switch (int(5)) {
      case 0: s = s.slice(0, at) + s.slice(at + len); break;                            // delete
      case 1: s = s.slice(0, at) + pick(SOUP) + s.slice(at); break;                     // insert
      case 2: s = s.slice(0, at) + pick(SOUP) + s.slice(at + 1); break;                 // replace
      case 3: s = s.slice(0, at) + s.slice(at, at + len).repeat(2) + s.slice(at + len); break;  // repeat
      default: s = s.slice(at) + s.slice(0, at);                                        // rotate
    }
  }
  return s;
}

const isTensorValue = (v) => typeof v === 'number' || (Array.isArray(v) && v.every(isTensorValue));
const sameValue = (a, b) => (Array.isArray(a) ? Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i])) : Object.is(a, b));

// The outcome of one input: null when it is acceptable, else what went wrong.
function verdict(text) {
  let value;
  try {
    value = lab.parseTensor(text);
  } catch (e) {
    if (!(e instanceof Error) || typeof e.message !== 'string' || !e.message) return `threw ${String(e)} (not an Error with a message)`;
    if (e.position !== undefined) {
      if (!Number.isInteger(e.position) || e.position < 0 || e.position > text.length) return `column index ${e.position} outside the text`;
      if (!e.message.endsWith(` at column ${e.position + 1}`)) return `message "${e.message}" does not name column ${e.position + 1}`;
    }
    return null;
  }
  if (!isTensorValue(value)) return `returned ${JSON.stringify(value)}, not a number or nested arrays of numbers`;
  try {
    lab.loss('MSELoss', { reduction: 'none' }, { input: value, target: value });
  } catch (e) {
    if (!(e instanceof Error)) return `lab.loss threw ${String(e)}`;
  }
  return null;
}

test(`parseTensor under fuzzing (seed ${SEED.toString(16)}): a value or an Error, never anything else`, () => {
  const heap = lab.heapBytes();
  const bad = [];
  const note = (kind, text, why) => { if (why && bad.length < 10) bad.push(`${kind} ${JSON.stringify(text)}: ${why}`); };
  for (let i = 0; i < COUNT; i++) {
    const s = soup();
    note('soup', s, verdict(s));
    const { value, text } = literal();
    let got;
    try { got = lab.parseTensor(text); } catch (e) { got = e; }
    if (!sameValue(got, value)) note('literal', text, `read ${got instanceof Error ? got.message : JSON.stringify(got)}`);
    const m = mutate(random() < 0.5 ? text : pick(EXAMPLES));
    note('mutant', m, verdict(m));
  }
  for (const depth of [1_000, 100_000]) {
    for (const s of ['['.repeat(depth), `${'['.repeat(depth)}1${']'.repeat(depth)}`]) note(`depth ${depth}`, s.slice(0, 12), verdict(s));
  }
  assert.deepEqual(bad, []);
  // The instance keeps working, and nothing the fuzz ran through lab.loss stayed allocated.
  assert.deepEqual(lab.loss('MSELoss', {}, { input: [1, 2], target: [0, 0] }).loss, 2.5);
  assert.equal(lab.heapBytes(), heap);
});
