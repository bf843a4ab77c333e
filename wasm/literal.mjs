// Design note — the tensor-literal parser: reads what a student would type into the workbench or
// copy from a notebook (1.5, [0, 1], [[2.0, 1.0], [0.5, 2.5]], torch.tensor([...], dtype=...),
// inf, nan, float('inf')) into nested arrays. A hand-written recursive descent rather than
// JSON.parse or eval: Python's spellings of infinity and NaN, tuples and trailing keyword
// arguments are not JSON, and every error can say at which column the typing went wrong
// (e.position holds the 0-based index). Keyword arguments such as dtype are accepted and ignored:
// the function's registry entry already says which arguments hold class indices.
import { describe, toTensor } from './tensor.mjs';

const NAMED = new Map([
  ['inf', Infinity], ['nan', NaN], ['math.inf', Infinity], ['math.nan', NaN],
  ['float("inf")', Infinity], ["float('inf')", Infinity], ['float("nan")', NaN], ["float('nan')", NaN],
  ['torch.inf', Infinity], ['torch.nan', NaN],
]);

export function parseTensor(text) {
  if (typeof text !== 'string') throw new Error(`expected a string, got ${describe(text)}`);
  let i = 0;
  const fail = (msg) => {
    const e = new Error(`${msg} at column ${i + 1}`);
    e.position = i;
    throw e;
  };
  const skip = () => { while (i < text.length && /\s/.test(text[i])) i++; };
  const char = (k) => String.fromCodePoint(text.codePointAt(k));  // a whole emoji, not half of its pair
  const number = () => {
    skip();
    const rest = text.slice(i);
    let sign = 1;
    let m = /^[+-]/.exec(rest);
    let j = 0;
    if (m) { sign = m[0] === '-' ? -1 : 1; j = 1; }
    for (const [name, v] of NAMED) {
      if (rest.startsWith(name, j)) { i += j + name.length; return sign * v; }
    }
    m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(rest.slice(j));
    if (!m) {
      i += j;
      const found = i < text.length ? `'${char(i)}'` : 'the end of the text';
      fail(`expected a number but found ${found}`);
    }
    i += j + m[0].length;
    return sign * Number(m[0]);
  };
  const value = (depth) => {
    skip();
    if (text[i] !== '[' && text[i] !== '(') return number();
    // torch.tensor's own limit and words; deeper nesting would otherwise overflow the stack
    if (depth === 128) fail(`too many dimensions '${text[i] === '[' ? 'list' : 'tuple'}'`);
    const close = text[i] === '[' ? ']' : ')';
    i++;
    const items = [];
    skip();
    while (text[i] !== close) {
      if (i >= text.length) fail(`missing '${close}'`);
      items.push(value(depth + 1));
      skip();
      if (text[i] === ',') { i++; skip(); continue; }
      if (text[i] !== close) fail(i >= text.length ? `missing '${close}'` : `expected ',' or '${close}' but found '${char(i)}'`);
    }
    i++;
    return items;
  };
  skip();
  const call = /^torch\.(tensor|Tensor|as_tensor)\s*\(/.exec(text.slice(i));
  if (call) i += call[0].length;
  const result = value(0);
  skip();
  if (call) {
    // keyword arguments such as dtype=torch.long or requires_grad=True
    while (text[i] === ',') {
      i++;
      skip();
      const kw = /^[A-Za-z_]\w*\s*=\s*[\w.]+/.exec(text.slice(i));
      if (!kw) break;
      i += kw[0].length;
      skip();
    }
    if (text[i] !== ')') fail(i >= text.length ? "missing ')'" : `expected ')' but found '${char(i)}'`);
    i++;
    skip();
  }
  if (i < text.length) fail(`unexpected '${char(i)}'`);
  toTensor(result, 'tensor');  // ragged lists are an error here already
  return result;
}
