// Checks a worked-computation line the way a student with a calculator would: every segment of
// "ℓ₀ = −log p = −(−0.41703) = 0.41703" that is plain arithmetic (numbers, + − · / ², log, exp,
// max, min, σ, √, |…|, π) is evaluated and must give the printed result to its printed digits.
// Printed numbers are rounded, so each stands for an interval (the page writes 5 significant
// digits, 3 in exponent form): a number "0.41703" is 0.41703 ± 0.000005. Evaluation is interval
// arithmetic, and a segment passes when its interval meets the result's. Segments with symbols
// (ℓ₀, w[c], log pₙ,c, Σ) are what the line explains, not arithmetic, and are skipped.

const NUM = /^(\d+(?:\.\d+)?)(?:e([-+]?\d+))?/;

function uncertainty(text) {
  const m = NUM.exec(text);
  const v = Number(text);
  if (v === 0) return 0;
  if (m[2] !== undefined) {  // exponent form: the mantissa's decimals
    const dec = (m[1].split('.')[1] ?? '').length;
    return 0.5 * 10 ** (Number(m[2]) - dec);
  }
  const digits = m[1].replace('.', '').replace(/^0+/, '').length;
  const sig = Math.max(5, digits);
  return 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(v))) - (sig - 1));
}

const I = (lo, hi = lo) => [lo, hi];
const isNaNI = (a) => Number.isNaN(a[0]) || Number.isNaN(a[1]);
const NANI = [NaN, NaN];
const corners = (a, b, op) => {
  if (isNaNI(a) || isNaNI(b)) return NANI;
  const v = [op(a[0], b[0]), op(a[0], b[1]), op(a[1], b[0]), op(a[1], b[1])].map((x) => (Number.isNaN(x) ? 0 : x));
  return [Math.min(...v), Math.max(...v)];
};
const ops = {
  add: (a, b) => [a[0] + b[0], a[1] + b[1]],
  sub: (a, b) => [a[0] - b[1], a[1] - b[0]],
  mul: (a, b) => corners(a, b, (x, y) => x * y),
  div: (a, b) => {
    if (isNaNI(a) || isNaNI(b)) return NANI;
    if (b[0] <= 0 && b[1] >= 0) return a[0] === 0 && a[1] === 0 && b[0] === 0 && b[1] === 0 ? NANI : [-Infinity, Infinity];
    return corners(a, b, (x, y) => x / y);
  },
  neg: (a) => [-a[1], -a[0]],
  abs: (a) => (a[0] >= 0 ? a : a[1] <= 0 ? [-a[1], -a[0]] : [0, Math.max(-a[0], a[1])]),
  log: (a) => (a[1] < 0 ? NANI : [a[0] <= 0 ? -Infinity : Math.log(a[0]), Math.log(a[1])]),
  exp: (a) => [Math.exp(a[0]), Math.exp(a[1])],
  sqrt: (a) => (a[1] < 0 ? NANI : [Math.sqrt(Math.max(0, a[0])), Math.sqrt(a[1])]),
  sig: (a) => [1 / (1 + Math.exp(-a[0])), 1 / (1 + Math.exp(-a[1]))],
  max: (...xs) => [Math.max(...xs.map((x) => x[0])), Math.max(...xs.map((x) => x[1]))],
  min: (...xs) => [Math.min(...xs.map((x) => x[0])), Math.min(...xs.map((x) => x[1]))],
  pow: (a, b) => (a[0] < 0 ? NANI : corners(a, b, (x, y) => x ** y)),
};
const FUNCS = { log: ops.log, exp: ops.exp, max: ops.max, min: ops.min, 'σ': ops.sig, '√': ops.sqrt };

function tokenize(src) {
  const s = src.replace(/−/g, '-').replace(/[·×]/g, '*').replace(/½/g, '0.5').replace(/e\^/g, 'exp ')
    .replace(/\[/g, '(').replace(/\]/g, ')');
  const out = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ') { i++; continue; }
    const m = NUM.exec(s.slice(i));
    if (m) { out.push({ num: m[0] }); i += m[0].length; continue; }
    const w = /^(log|exp|max|min|nan|inf)/.exec(s.slice(i));
    if (w) { out.push({ op: w[0] }); i += w[0].length; continue; }
    if ('+-*/()|,²^σ√π'.includes(c)) { out.push({ op: c }); i++; continue; }
    return null;  // a symbol: not arithmetic
  }
  return out;
}

// Returns an interval, or null when the text is not plain arithmetic.
export function evaluate(src) {
  const toks = tokenize(src);
  if (!toks || !toks.length || !toks.some((t) => t.num)) return null;
  let k = 0;
  const peek = () => toks[k]?.op;
  const fail = () => { throw new Error('syntax'); };
  const expect = (op) => { if (peek() !== op) fail(); k++; };
  function expr() {
    let a = term();
    while (peek() === '+' || peek() === '-') { const o = toks[k++].op; const b = term(); a = o === '+' ? ops.add(a, b) : ops.sub(a, b); }
    return a;
  }
  function term() {
    let a = unary();
    while (peek() === '*' || peek() === '/') { const o = toks[k++].op; const b = unary(); a = o === '*' ? ops.mul(a, b) : ops.div(a, b); }
    return a;
  }
  function unary() {
    if (peek() === '-') { k++; return ops.neg(unary()); }
    return power();
  }
  function power() {
    const a = postfix();
    if (peek() === '^') { k++; return ops.pow(a, unary()); }
    return a;
  }
  function postfix() {
    let a = primary();
    while (peek() === '²') { k++; a = ops.mul(ops.abs(a), ops.abs(a)); }
    return a;
  }
  function primary() {
    const t = toks[k++];
    if (!t) fail();
    if (t.num) { const v = Number(t.num); const u = uncertainty(t.num); return [v - u, v + u]; }
    if (t.op === 'nan') return NANI;
    if (t.op === 'inf') return I(Infinity);
    if (t.op === 'π') return I(Math.PI);
    if (t.op === '(') { const a = expr(); expect(')'); return a; }
    if (t.op === '|') { const a = expr(); expect('|'); return ops.abs(a); }
    const fn = FUNCS[t.op];
    if (!fn) fail();
    if (peek() === '(') {
      k++;
      const args = [expr()];
      while (peek() === ',') { k++; args.push(expr()); }
      expect(')');
      return fn(...args);
    }
    return fn(postfix());  // "log 0.3", "log σ(x)"
  }
  try {
    const v = expr();
    if (k !== toks.length) return null;
    return v;
  } catch {
    return null;
  }
}

// The printed result as an interval.
export function printed(text) {
  const t = text.trim().replace(/−/g, '-');
  if (t === 'nan') return NANI;
  if (t === 'inf') return I(Infinity);
  if (t === '-inf') return I(-Infinity);
  const neg = t.startsWith('-');
  const body = neg ? t.slice(1) : t;
  if (!NUM.test(body) || NUM.exec(body)[0] !== body) return null;
  const v = Number(t);
  const u = uncertainty(body);
  return [v - u, v + u];
}

export function meets(a, r) {
  if (isNaNI(r)) return isNaNI(a);
  if (isNaNI(a)) return false;
  if (!Number.isFinite(r[0]) && r[0] === r[1]) return a[0] === r[0] || a[1] === r[1];
  const slack = 1e-12 * Math.max(1, Math.abs(r[0]), Math.abs(r[1]));
  return a[0] <= r[1] + slack && a[1] >= r[0] - slack;
}

// One line: problems found (empty when it checks out). An elided line ("…") is not checked.
export function checkLine(line) {
  const text = line.replace(/\s{2,}[[(][^\]]*[\])]\s*$/, '').trim();  // a trailing "   [note]"
  if (!text.includes(' = ') || text.includes('…')) return [];
  const parts = text.split(' = ');
  const result = printed(parts[parts.length - 1]);
  if (!result) return [`the result "${parts[parts.length - 1]}" is not a number: ${line}`];
  const numeric = parts.slice(0, -1).map((p) => [p, evaluate(p)]).filter(([, v]) => v);
  if (!numeric.length) return [`no arithmetic a student can redo: ${line}`];
  return numeric.filter(([, v]) => !meets(v, result)).map(([p, v]) => `"${p}" gives [${v[0]}, ${v[1]}], not ${parts[parts.length - 1]}: ${line}`);
}
