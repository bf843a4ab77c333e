// Design note — converting between what JavaScript callers hold and what the Embind layer takes:
// {shape, data: Float64Array}, one bulk copy each way. Callers write tensors the way
// torch.tensor(...) takes them (numbers, nested arrays), as 1-D typed arrays, or as
// {shape, data} for large inputs; results go back in the caller's own form, so a course author
// who typed nested arrays never sees a Float64Array and a caller with a million points never
// pays for nesting. Refusals use torch.tensor's own words ("expected sequence of length 2 at
// dim 1 (got 1)") and name the argument. No math and no knowledge of any function lives here.

export const isTypedArray = (v) => ArrayBuffer.isView(v) && !(v instanceof DataView);
// {shape: [2, 3], data: Float64Array(6)}: the fast form for large inputs, no nesting to walk.
export const isFlatTensor = (v) => v !== null && typeof v === 'object' && Array.isArray(v.shape) &&
  v.shape.every((d) => Number.isInteger(d) && d >= 0) && (isTypedArray(v.data) || Array.isArray(v.data));

// How a value reads in Python's words, for error messages.
export function describe(v) {
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

// The form a caller gave a tensor in, which its results come back in.
export const formOf = (v) => (isFlatTensor(v) ? 'flat' : isTypedArray(v) ? 'typed' : 'nested');

// A result tensor in a caller's form: {shape, data} for 'flat' (a 0-dim result is a plain number
// in every form), a Float64Array for a 1-D result of 'typed', nested arrays otherwise.
export const inForm = (t, form) => (form === 'flat' && t.shape.length > 0 ? t : fromTensor(t, form === 'typed'));

// Constructor keywords: scalars pass as they are (the core reads a number given for a tensor
// parameter as a 0-dim tensor), lists and {shape, data} become tensors (e.g. a class weight).
export function toParams(params) {
  if (params === undefined || params === null) return {};
  if (typeof params !== 'object' || Array.isArray(params)) throw new Error(`params must be an object keyed by PyTorch's constructor keywords, got ${describe(params)}`);
  const out = {};
  for (const [key, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') out[key] = v;
    else if (Array.isArray(v) || isTypedArray(v) || isFlatTensor(v)) out[key] = toTensor(v, key);
    else throw new Error(`${key}: expected a number, bool, string, None, a list of numbers or {shape, data}, got ${describe(v)}`);
  }
  return out;
}

// True for an activation input that is one flat vector: a typed array, or a list holding no
// lists (its entries are checked by toVector). Anything else is a tensor for toTensor.
export const isVector = (x) => isTypedArray(x) ||
  (Array.isArray(x) && !x.some((v) => Array.isArray(v) || isTypedArray(v)));

// An activation's 1-D input: one flat vector.
export function toVector(x) {
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
