// Design note: the training playground's part of the link. A link is a lesson ("this spiral, this
// net, 300 steps — look at the second layer"), so it holds everything that decides the numbers and
// nothing derived from them: the data (the engine's set by name and seed, or the student's own
// points written out when they are few), the network, the head and loss, the optimiser, the batch
// size, the model's seed and the step count to replay to. Replaying is exact because the engine is
// deterministic; the trained weights themselves are never in the link.
//   data=spiral(n=300,noise=0.5,classes=3,split=0.7,seed=4)   an engine set (only changed keys)
//   data=own&pts=1.5,-2,0;0.5,1,1,t                            own points: x1,x2,class[,t = test]
//   data=own&pts=0.1,0.5;0.2,0.7,t                             own 1-D points: x,y[,t]
//   hidden=8,8  act=ELU(alpha=0.5)  init=xavier_uniform(gain=2,bias=zeros)
//   head=CrossEntropyLoss(label_smoothing=0.1)  opt=Adam(lr=0.01,betas=[0.9,0.99])  batch=10
//   seed=3  steps=250  bias=0
//   act=formula(a=2)&actx=x*sigmoid(a*x)                       "Your formula" (issue 11): the text in actx, the
//                                                               parameters that differ from its own defaults
//   cmp=1&b.act=ReLU&b.opt=Adam(lr=0.01)                        Compare: a second configuration B on the
//                                                               same data and seed; b.KEY where B differs from A
// The shell (net-state.js, engineer "tab") calls parseTrainState / writeTrainState with its
// URLSearchParams; values that cannot be read are pushed onto `ignored` as 'key=value' (the link
// notice names them) and the default is kept. Checking a value against the registry (an unknown
// activation, a bad keyword) is left to the lab: the view shows its error next to the field.

export const HEAD_DEFAULT = 'BCEWithLogitsLoss';
export const MAX_LINK_POINTS = 400;  // more own points than this are not written into the link

export function defaultTrainState() {
  return {
    data: { name: 'circle', n: 250, noise: 0.5, classes: 2, split: 0.5, seed: 0 },
    points: null,  // own points: [[x1, x2, class, test?], …] or [[x, y, test?], …] when data.name === 'own'
    hidden: [8, 8],
    act: { name: 'Tanh', params: {} },
    init: { weight: 'default', params: {}, bias: 'default' },
    head: { loss: HEAD_DEFAULT, params: {} },
    opt: { name: 'SGD', params: { lr: 0.1 } },
    bias: true,
    batch: 10,
    seed: 0,
    steps: 0,
    compare: null,  // Compare's configuration B: { hidden, act, init, head, opt, bias, batch, steps }
  };
}
// What B has of its own (its data and seed are A's).
export const LANE_KEYS = ['hidden', 'act', 'init', 'head', 'opt', 'bias', 'batch', 'steps'];
export const laneOf = (st) => Object.fromEntries(LANE_KEYS.map((k) => [k, JSON.parse(JSON.stringify(st[k]))]));

// ---------------------------------------------------------------- calls: Name(k=v,k=[a,b])
function splitTop(text, sep) {
  const out = [];
  let depth = 0, start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') depth--;
    else if (ch === sep && depth === 0) { out.push(text.slice(start, i)); start = i + 1; }
  }
  out.push(text.slice(start));
  return out;
}

export function encodeScalar(v) {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (Array.isArray(v)) return `[${v.map(encodeScalar).join(',')}]`;
  return String(v);
}
export function decodeScalar(text) {
  const t = text.trim();
  if (t === 'None') return null;
  if (t === 'True' || t === 'true') return true;
  if (t === 'False' || t === 'false') return false;
  if (/^\[.*\]$/.test(t)) return splitTop(t.slice(1, -1), ',').filter((s) => s.trim() !== '').map(decodeScalar);
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  return t.replace(/^'(.*)'$/, '$1');
}

export function encodeTrainCall(name, params) {
  const kw = Object.entries(params ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${encodeScalar(v)}`);
  return kw.length ? `${name}(${kw.join(',')})` : name;
}
export function decodeTrainCall(text) {
  const m = /^\s*([A-Za-z_]\w*)\s*(?:\((.*)\))?\s*$/.exec(text ?? '');
  if (!m) return null;
  const params = {};
  if (m[2] !== undefined && m[2].trim() !== '') {
    for (const part of splitTop(m[2], ',')) {
      const eq = part.indexOf('=');
      if (eq <= 0) return null;
      const k = part.slice(0, eq).trim();
      if (!/^[A-Za-z_]\w*$/.test(k)) return null;
      params[k] = decodeScalar(part.slice(eq + 1));
    }
  }
  return { name: m[1], params };
}

// ---------------------------------------------------------------- own points
// A number in a link or a CSV file: plain decimal or exponent form, finite.
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function encodePoints(points) {
  return points.map((p) => p.map((v) => (v === true ? 't' : v === false ? null : String(v))).filter((s) => s !== null).join(',')).join(';');
}
// Returns the points or null when any is unreadable. All points have the same arity: 2 numbers
// (x, y: regression) or 3 (x1, x2, class).
export function decodePoints(text) {
  const out = [];
  let arity = 0;
  for (const item of String(text).split(';')) {
    if (item.trim() === '') continue;
    const f = item.split(',').map((s) => s.trim());
    const test = f[f.length - 1] === 't';
    if (test) f.pop();
    if (!f.every((s) => NUMBER.test(s))) return null;
    const v = f.map(Number);
    if (v.length !== 2 && v.length !== 3) return null;
    if (arity && v.length !== arity) return null;
    arity = v.length;
    if (arity === 3 && !(Number.isInteger(v[2]) && v[2] >= 0 && v[2] < 8)) return null;
    out.push([...v, test]);
  }
  return out.length ? out : null;
}

// ---------------------------------------------------------------- parse / write
const DATA_KEYS = ['n', 'noise', 'classes', 'split', 'seed'];
const isInt = (v, lo, hi) => Number.isInteger(v) && v >= lo && v <= hi;

export function parseTrainState(q, ignored = [], base = null) {
  const st = base ?? defaultTrainState();
  const bad = (k) => ignored.push(`${k}=${q.get(k)}`);
  if (q.has('data')) {
    const call = decodeTrainCall(q.get('data'));
    if (!call || !Object.keys(call.params).every((k) => DATA_KEYS.includes(k) && typeof call.params[k] === 'number')) bad('data');
    else {
      st.data.name = call.name;
      Object.assign(st.data, call.params);
    }
  }
  if (q.has('pts')) {
    const pts = decodePoints(q.get('pts'));
    if (pts) { st.points = pts; st.data.name = 'own'; } else bad('pts');
  }
  if (st.data.name === 'own' && !st.points) { st.data.name = defaultTrainState().data.name; }
  if (q.has('hidden')) {
    const t = q.get('hidden').trim();
    const w = t === '' || t === 'none' ? [] : t.split(',').map((s) => (NUMBER.test(s.trim()) ? Number(s) : NaN));
    if (w.every((v) => isInt(v, 1, 512)) && w.length <= 16) st.hidden = w; else bad('hidden');
  }
  const baseFormula = st.act.formula;  // B: the configuration it starts from (A's)
  for (const [key, field] of [['act', 'act'], ['opt', 'opt']]) {
    if (!q.has(key)) continue;
    const call = decodeTrainCall(q.get(key));
    if (call) st[field] = { name: call.name, params: call.params }; else bad(key);
  }
  // a formula's text: this link's, else (B) the configuration it starts from
  if (st.act.name === 'formula') st.act.formula = q.get('actx') ?? baseFormula ?? '';
  if (q.has('head')) {
    const call = decodeTrainCall(q.get('head'));
    if (call) st.head = { loss: call.name, params: call.params }; else bad('head');
  }
  if (q.has('init')) {
    const call = decodeTrainCall(q.get('init'));
    if (!call) bad('init');
    else {
      const { bias = 'default', ...params } = call.params;
      if (bias !== 'default' && bias !== 'zeros') bad('init');
      else st.init = { weight: call.name, params, bias };
    }
  }
  for (const [key, lo, hi] of [['batch', 1, 1e6], ['seed', 0, 2 ** 53 - 1], ['steps', 0, 1e6]]) {
    if (!q.has(key)) continue;
    const v = NUMBER.test(q.get(key).trim()) ? Number(q.get(key)) : NaN;
    if (isInt(v, lo, hi)) st[key] = v; else bad(key);
  }
  if (q.has('bias')) {
    const v = q.get('bias');
    if (v === '0' || v === '1') st.bias = v === '1'; else bad('bias');
  }
  if (q.get('cmp') === '1' && !base) {
    const qb = new URLSearchParams([...q].filter(([k]) => k.startsWith('b.')).map(([k, v]) => [k.slice(2), v]));
    const got = [];
    const b = parseTrainState(qb, got, { ...defaultTrainState(), ...JSON.parse(JSON.stringify(laneOf(st))) });
    for (const g of got) ignored.push(`b.${g}`);
    st.compare = laneOf(b);
  } else if (q.has('cmp') && !base) bad('cmp');
  return st;
}

// Every key's text, defaults included.
function keyTexts(st) {
  const call = (o) => encodeTrainCall(o.name, o.params);
  return {
    hidden: st.hidden.length ? st.hidden.join(',') : 'none',
    act: call(st.act),
    actx: st.act.name === 'formula' ? st.act.formula ?? '' : '',
    init: encodeTrainCall(st.init.weight, { ...st.init.params, ...(st.init.bias === 'zeros' ? { bias: 'zeros' } : {}) }),
    head: encodeTrainCall(st.head.loss, st.head.params),
    opt: call(st.opt),
    bias: st.bias ? '1' : '0',
    batch: String(st.batch),
    seed: String(st.seed),
    steps: String(st.steps),
  };
}

// Writes the keys whose values differ from the defaults. Returns the number of own points left
// out of the link (0 when they fit), so the view can say so.
export function writeTrainState(st, q) {
  const d = defaultTrainState();
  let omitted = 0;
  if (st.data.name === 'own' && !st.points?.length) {
    // every point deleted: nothing a link can hold (an empty pts= would be named as unreadable);
    // opened again, the link shows the default set, as the view does for own data without points
  } else if (st.data.name === 'own') {
    q.set('data', 'own');
    if (st.points.length <= MAX_LINK_POINTS) q.set('pts', encodePoints(st.points));
    else omitted = st.points.length;
  } else {
    const changed = {};
    for (const k of DATA_KEYS) if (st.data[k] !== d.data[k]) changed[k] = st.data[k];
    if (st.data.name !== d.data.name || Object.keys(changed).length) q.set('data', encodeTrainCall(st.data.name, changed));
  }
  const mine = keyTexts(st);
  const dflt = keyTexts(d);
  for (const k of ['hidden', 'act', 'actx', 'init', 'head', 'opt', 'bias', 'batch', 'seed', 'steps']) if (mine[k] !== dflt[k]) q.set(k, mine[k]);
  if (st.compare) {
    q.set('cmp', '1');
    const b = keyTexts({ ...st, ...st.compare });
    for (const k of LANE_KEYS) if (b[k] !== mine[k]) q.set(`b.${k}`, b[k]);
    if (b.actx && b.actx !== mine.actx) q.set('b.actx', b.actx);
  }
  return omitted;
}
