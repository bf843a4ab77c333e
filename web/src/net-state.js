// Design note: the Network tab's part of the link. state.js keeps every key of a Network-tab link
// that is not the shell's as text (state.netLink), so app.js needs to know nothing about this tab;
// this module, in the tab's own script, reads that text into the tab's state and writes it back.
//   net=depth | net=train                 the sub-view (Depth is the default)
//   d.depth=20 d.width=128 d.batch=128    the depth view's network: depth Linear layers width × width,
//                                         a batch of N(0, 1) inputs
//   d.act=ELU(alpha=0.5)                  the activation (after every Linear), with its parameters
//   d.act=formula(a=2)&d.actx=x*sigmoid(a*x)   "Your formula" (issue 11): its text in d.actx, the
//                                         parameters that differ from the formula's own defaults
//   d.init=xavier_normal(gain=1.6667,bias=zeros)   the init scheme (net-depth-model.js: SCHEMES)
//   d.seed=3                              torch.manual_seed before the network is built
//   d.show=pre                            which values the heatmap shows (post: after the activation)
// The training view's keys (data=, hidden=, act=, …) are its own: net-train-state.js parses and
// writes them. A value that cannot be read is pushed onto `ignored` as 'key=value' (the link
// notice names it) and the default is kept; names are checked against the catalog by the views.
import { parseTrainState, writeTrainState, defaultTrainState, decodeTrainCall, encodeTrainCall } from './net-train-state.js';

export const DEPTH_LIMITS = { depth: [1, 100], width: [2, 512], batch: [1, 512], seed: [0, 2 ** 32 - 1] }  // seed + 2 is drawn from too;
export const SHOW = ['post', 'pre'];

export function defaultDepthState() {
  return {
    depth: 20, width: 128, batch: 128,
    act: { name: 'Tanh', params: {} },
    init: { scheme: 'default', params: {} },
    seed: 0,
    show: 'post',
  };
}

export function defaultNetState() {
  return { view: 'depth', depth: defaultDepthState(), train: defaultTrainState() };
}

const INT = /^[+-]?\d+$/;

// text: URLSearchParams text (state.netLink). Returns the tab's state.
export function parseNetState(text, ignored = []) {
  const q = new URLSearchParams(text ?? '');
  const st = defaultNetState();
  const bad = (k, why) => ignored.push(`${k}=${q.get(k)}${why ? ` (${why})` : ''}`);
  if (q.has('net')) {
    const v = q.get('net');
    if (v === 'depth' || v === 'train') st.view = v; else bad('net', 'use depth or train');
  }
  const d = st.depth;
  for (const key of ['depth', 'width', 'batch', 'seed']) {
    const k = `d.${key}`;
    if (!q.has(k)) continue;
    const t = q.get(k).trim();
    const v = INT.test(t) ? Number(t) : NaN;
    const [lo, hi] = DEPTH_LIMITS[key];
    if (Number.isSafeInteger(v) && v >= lo && v <= hi) d[key] = v; else bad(k, `an integer from ${lo} to ${hi}`);
  }
  for (const key of ['act', 'init']) {
    const k = `d.${key}`;
    if (!q.has(k)) continue;
    const call = decodeTrainCall(q.get(k));
    if (!call) { bad(k); continue; }
    if (key === 'act') d.act = call.name === 'formula' ? { name: 'formula', formula: q.get('d.actx') ?? '', params: call.params } : { name: call.name, params: call.params };
    else d.init = { scheme: call.name, params: call.params };
  }
  if (q.has('d.show')) {
    if (SHOW.includes(q.get('d.show'))) d.show = q.get('d.show'); else bad('d.show', 'use post or pre');
  }
  st.train = parseTrainState(q, ignored);
  return st;
}

// The tab's state as URLSearchParams text: only what differs from the defaults.
export function writeNetState(st) {
  const q = new URLSearchParams();
  if (st.view !== 'depth') q.set('net', st.view);
  const d = st.depth;
  const d0 = defaultDepthState();
  for (const key of ['depth', 'width', 'batch']) if (d[key] !== d0[key]) q.set(`d.${key}`, String(d[key]));
  const act = encodeTrainCall(d.act.name, d.act.params);
  if (act !== encodeTrainCall(d0.act.name, d0.act.params)) q.set('d.act', act);
  if (d.act.name === 'formula') q.set('d.actx', d.act.formula ?? '');
  const init = encodeTrainCall(d.init.scheme, d.init.params);
  if (init !== 'default') q.set('d.init', init);
  for (const key of ['seed', 'show']) if (d[key] !== d0[key]) q.set(`d.${key}`, String(d[key]));
  writeTrainState(st.train, q);
  return q.toString();
}
