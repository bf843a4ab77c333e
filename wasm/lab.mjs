// Design note — the JavaScript face of the lab (`createLab()`), used by the page, by course
// authors and by our tests. It only converts: nested arrays and PyTorch-style literals become
// {shape, data: Float64Array} for the Embind layer (one bulk copy each way), and results come back
// nested the way the caller wrote them. It holds no math; every name, default and check lives in
// the C++ registry. Errors from the core arrive as {error} and are thrown here as JS Errors, so the
// WebAssembly instance is never aborted and keeps answering.
import createLabCore, { wasmGzipBase64 } from './lab_core.mjs';

const isTypedArray = (v) => ArrayBuffer.isView(v) && !(v instanceof DataView);
// {shape: [2, 3], data: Float64Array(6)}: the fast form for large inputs, no nesting to walk.
const isFlatTensor = (v) => v !== null && typeof v === 'object' && Array.isArray(v.shape) &&
  v.shape.every((d) => Number.isInteger(d) && d >= 0) && (isTypedArray(v.data) || Array.isArray(v.data));

function describe(v) {
  if (v === null) return 'None';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'string') return `str ${JSON.stringify(v)}`;
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

// A number, a typed array, or nested arrays of numbers -> {shape, data}; ragged lists are refused
// with torch.tensor's own message.
export function toTensor(value, label) {
  if (typeof value === 'number') return { shape: [], data: Float64Array.of(value) };
  if (isFlatTensor(value)) {
    const n = value.shape.reduce((a, b) => a * b, 1);
    if (value.data.length !== n) throw new Error(`${label}: data has ${value.data.length} values but shape [${value.shape.join(', ')}] needs ${n}`);
    return { shape: Array.from(value.shape), data: value.data instanceof Float64Array ? value.data : Float64Array.from(value.data, Number) };
  }
  if (isTypedArray(value)) {
    if (typeof value[0] === 'bigint') return { shape: [value.length], data: Float64Array.from(value, Number) };
    return { shape: [value.length], data: value instanceof Float64Array ? value : Float64Array.from(value) };
  }
  if (!Array.isArray(value)) throw new Error(`${label}: expected a number or a (nested) list of numbers, got ${describe(value)}`);
  const shape = [];
  for (let v = value; Array.isArray(v) || isTypedArray(v); v = v[0]) {
    shape.push(v.length);
    if (v.length === 0) break;
  }
  const total = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(total);
  let k = 0;
  const walk = (v, dim, path) => {
    if (dim === shape.length) {
      if (typeof v !== 'number') {
        throw new Error(`${label}: must be real number, not ${Array.isArray(v) ? 'list' : describe(v)} (at ${path || 'top level'})`);
      }
      data[k++] = v;
      return;
    }
    if (!Array.isArray(v) && !isTypedArray(v)) {
      throw new Error(`${label}: expected sequence of length ${shape[dim]} at dim ${dim} (got ${describe(v)} at ${path})`);
    }
    if (v.length !== shape[dim]) {
      throw new Error(`${label}: expected sequence of length ${shape[dim]} at dim ${dim} (got ${v.length})`);
    }
    for (let i = 0; i < v.length; i++) walk(v[i], dim + 1, `${path}[${i}]`);
  };
  walk(value, 0, '');
  return { shape, data };
}

// {shape, data} -> a number (0-dim) or nested arrays; 1-D results stay Float64Array when the
// caller passed a typed array.
export function fromTensor(t, typed = false) {
  if (t.shape.length === 0) return t.data[0];
  if (typed && t.shape.length === 1) return t.data;
  let k = 0;
  const build = (dim) => {
    const n = t.shape[dim];
    const out = new Array(n);
    if (dim === t.shape.length - 1) for (let i = 0; i < n; i++) out[i] = t.data[k++];
    else for (let i = 0; i < n; i++) out[i] = build(dim + 1);
    return out;
  };
  return build(0);
}

function toParams(params) {
  if (params === undefined || params === null) return {};
  if (typeof params !== 'object' || Array.isArray(params)) throw new Error(`params must be an object keyed by PyTorch's constructor keywords, got ${describe(params)}`);
  const out = {};
  for (const [key, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') out[key] = v;
    else if (Array.isArray(v) || isTypedArray(v)) out[key] = toTensor(v, key);
    else throw new Error(`${key}: expected a number, bool, string, None or a list of numbers, got ${describe(v)}`);
  }
  return out;
}

function toVector(x) {
  if (x instanceof Float64Array) return x;
  if (isTypedArray(x)) return Float64Array.from(x, Number);
  if (!Array.isArray(x)) throw new Error(`x: expected a Float64Array or an array of numbers, got ${describe(x)}`);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    if (typeof x[i] !== 'number') throw new Error(`x: must be real number, not ${describe(x[i])} (at [${i}])`);
    out[i] = x[i];
  }
  return out;
}

function unwrap(result) {
  if (result && typeof result.error === 'string') throw new Error(result.error);
  return result;
}

// ---------------------------------------------------------------- PyTorch-style literals
const NAMED = new Map([
  ['inf', Infinity], ['nan', NaN], ['math.inf', Infinity], ['math.nan', NaN],
  ['float("inf")', Infinity], ["float('inf')", Infinity], ['float("nan")', NaN], ["float('nan')", NaN],
  ['torch.inf', Infinity], ['torch.nan', NaN],
]);

// Parses what a student would type: 1.5, [0, 1], [[2.0, 1.0], [0.5, 2.5]], torch.tensor([...]),
// optionally with keyword arguments such as dtype=torch.long (ignored). Errors name the column.
export function parseTensor(text) {
  if (typeof text !== 'string') throw new Error(`expected a string, got ${describe(text)}`);
  let i = 0;
  const fail = (msg) => {
    const e = new Error(`${msg} at column ${i + 1}`);
    e.position = i;
    throw e;
  };
  const skip = () => { while (i < text.length && /\s/.test(text[i])) i++; };
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
      const found = rest.length ? `'${rest[j] ?? rest[0]}'` : 'the end of the text';
      i += j;
      fail(`expected a number but found ${found}`);
    }
    i += j + m[0].length;
    return sign * Number(m[0]);
  };
  const value = () => {
    skip();
    if (text[i] !== '[' && text[i] !== '(') return number();
    const close = text[i] === '[' ? ']' : ')';
    i++;
    const items = [];
    skip();
    while (text[i] !== close) {
      if (i >= text.length) fail(`missing '${close}'`);
      items.push(value());
      skip();
      if (text[i] === ',') { i++; skip(); continue; }
      if (text[i] !== close) fail(i >= text.length ? `missing '${close}'` : `expected ',' or '${close}' but found '${text[i]}'`);
    }
    i++;
    return items;
  };
  skip();
  const call = /^torch\.(tensor|Tensor|as_tensor)\s*\(/.exec(text.slice(i));
  if (call) i += call[0].length;
  const result = value();
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
    if (text[i] !== ')') fail(i >= text.length ? "missing ')'" : `expected ')' but found '${text[i]}'`);
    i++;
    skip();
  }
  if (i < text.length) fail(`unexpected '${text[i]}'`);
  toTensor(result, 'tensor');  // ragged lists are an error here already
  return result;
}

// ---------------------------------------------------------------- the lab
// A plain table-driven base64 decoder: ~20x faster than atob() + Uint8Array.from on 160 KB.
function fromBase64(text) {
  const table = new Uint8Array(128);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) table[alphabet.charCodeAt(i)] = i;
  let end = text.length;
  while (text[end - 1] === '=') end--;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 4 <= end; i += 4) {
    const n = (table[text.charCodeAt(i)] << 18) | (table[text.charCodeAt(i + 1)] << 12) |
      (table[text.charCodeAt(i + 2)] << 6) | table[text.charCodeAt(i + 3)];
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  if (end - i >= 2) {
    const n = (table[text.charCodeAt(i)] << 18) | (table[text.charCodeAt(i + 1)] << 12) |
      (end - i === 3 ? table[text.charCodeAt(i + 2)] << 6 : 0);
    out[o++] = n >> 16;
    if (end - i === 3) out[o++] = (n >> 8) & 255;
  }
  return out;
}

// The .wasm travels inside lab_core.mjs, gzip-compressed and base64-encoded (tools/pack-wasm.mjs).
// The platform's DecompressionStream inflates it and WebAssembly.compileStreaming compiles the
// bytes as they come out, on the engine's background threads: in Chromium this halves the time
// from script to a ready lab compared with inflating first and compiling after.
const inflated = () => new Blob([fromBase64(wasmGzipBase64)]).stream().pipeThrough(new DecompressionStream('gzip'));

async function compileCore() {
  if (typeof WebAssembly.compileStreaming === 'function' && typeof Response === 'function') {
    try {
      return await WebAssembly.compileStreaming(new Response(inflated(), { headers: { 'Content-Type': 'application/wasm' } }));
    } catch {
      // an engine without streaming compilation of a constructed Response: compile the whole buffer
    }
  }
  return WebAssembly.compile(await new Response(inflated()).arrayBuffer());
}

export default async function createLab() {
  const module = await compileCore();
  let failed;
  const failure = new Promise((_, reject) => { failed = reject; });
  const core = await Promise.race([
    createLabCore({
      // Emscripten's hook for supplying our own instance; it reports the result through receive().
      instantiateWasm(imports, receive) {
        WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module), (e) => failed(e));
        return {};
      },
    }),
    failure,
  ]);
  // Built on first use: most pages need the catalog, but a plain evaluation should not wait for it.
  let catalogText = null;
  let specs = null;
  const catalogJson = () => (catalogText ??= new TextDecoder().decode(core.catalog()));
  const specMap = () => {
    if (!specs) {
      specs = new Map();
      for (const list of Object.values(JSON.parse(catalogJson()))) for (const s of list) specs.set(s.name, s);
    }
    return specs;
  };

  return Object.freeze({
    catalog() {
      return JSON.parse(catalogJson());  // a fresh copy each call: callers may change theirs
    },

    activation(name, params, x) {
      const r = unwrap(core.activation(String(name), toParams(params), toVector(x)));
      return 'dy' in r ? { y: r.y, dy: r.dy } : { y: r.y, jacobian: r.jacobian };
    },

    loss(name, params, args) {
      if (args === null || typeof args !== 'object' || Array.isArray(args)) {
        throw new Error(`args must be an object keyed by forward-argument names (e.g. {input, target}), got ${describe(args)}`);
      }
      const tensors = {};
      const form = {};  // how each argument was given: 'nested', 'typed' or 'flat'
      for (const [key, v] of Object.entries(args)) {
        if (v === undefined) continue;
        tensors[key] = toTensor(v, key);
        form[key] = isFlatTensor(v) ? 'flat' : isTypedArray(v) ? 'typed' : 'nested';
      }
      const r = unwrap(core.loss(String(name), toParams(params), tensors));
      const first = Object.values(form)[0] ?? 'nested';
      const out = (t, how) => (how === 'flat' && t.shape.length > 0 ? t : fromTensor(t, how === 'typed'));
      const grad = {};
      for (const [key, t] of Object.entries(r.grad)) grad[key] = out(t, form[key]);
      return {
        loss: out(r.loss, first),
        elementwise: out(r.elementwise, first),
        grad,
        warnings: r.warnings,
      };
    },

    torchCode(name, params) {
      return unwrap(core.torchCode(String(name), toParams(params)));
    },

    parseTensor,

    // Bytes of the WebAssembly heap in use: a diagnostic for leak checks.
    heapBytes() {
      return core.heapBytes();
    },

    // The registry entry for one name (or undefined), without copying the whole catalog.
    spec(name) {
      const s = specMap().get(name);
      return s && JSON.parse(JSON.stringify(s));
    },
  });
}
