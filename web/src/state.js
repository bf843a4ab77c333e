// Design note: the whole view lives in the URL fragment so any state is a link. The fragment is
// URLSearchParams text, readable by a teacher who edits it by hand:
//   #f=ELU(alpha=0.5)&f=ReLU:d&x=-4,4            explorer: two curves (the second shows f′ only)
//   &split=1                                      f′ drawn on its own axes, below f
//   #vec=Softmax(dim=0)&vx=[1,2,0.5]&T=2          a vector function
//   &vs=1                                         a batch's slice along dim that bars and Jacobian show
//   #tab=loss&loss=CrossEntropyLoss&p.reduction=sum&a.target=[0,2]   loss workbench
//   &embed=graph | embed=loss                     embed mode;   &theme=dark   force a theme
//   #net=depth&d.depth=20 | #tab=net&hidden=8,8   the Network tab (embed=depth | embed=network): its
//                                                 keys are kept as text in state.netLink, which that
//                                                 tab's part reads and writes (web/src/net-state.js)
//   &rx=1.5                                       the readout's x, pinned (marked on the graph)
//   #f=formula(beta=0.5)&fx=x*sigmoid(beta*x)     "Your formula": a curve named formula, with its changed
//                                                 parameters; its text in the next fx= (an fx= beyond the
//                                                 formula curves adds one; its spaces are %20, a + is a +).
//                                                 The formula part keeps params to the formula's own,
//                                                 without defaults (formula-model.js)
//   &hide=loss,grad,worked,deriv  &edit=input,target  &title=…&caption=…  &panels=inputs,result  &present=1
//                                                 teaching options (teach.js): predict-then-reveal, which
//                                                 fields a student may edit, words, which panels, large type
// Values of these options that cannot be read are listed in state.ignored (one line on screen).
// Only values that differ from the defaults are written, so links stay short. The fragment (not
// the query) is used because it never triggers a reload and works the same from file://.

export const DEFAULT_X = [-5, 5];
export const DEFAULT_T = 1;  // the vector view's temperature: x / 1 is x itself

export function defaultState() {
  return {
    tab: 'act',
    embed: '',
    netLink: '',  // the Network tab's own keys (URLSearchParams text), read by its part
    theme: '',
    teach: { hide: [], edit: null, title: '', caption: '', panels: null, present: false },
    ignored: [],  // 'name=value' of link options that could not be read
    act: {
      mode: 'curve', // or 'vector'
      curves: [{ name: 'ReLU', params: {}, f: true, d: true }],
      active: 0,
      x: [...DEFAULT_X],
      split: false,  // f′ on its own axes
      readX: null,  // the readout's pinned x (typed, clicked or moved with the arrow keys), or null
      vec: { name: 'Softmax', params: {}, x: '[1.0, 2.0, 0.5, -1.0]', T: DEFAULT_T },
    },
    loss: { name: 'CrossEntropyLoss', params: {}, args: {}, probe: null },
  };
}

// Parameter values in text form: 0.5, True/False, None, or a bare choice string.
export function encodeValue(v) {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  return String(v);
}
export function decodeValue(text) {
  if (text === 'None') return null;
  if (text === 'True' || text === 'true') return true;
  if (text === 'False' || text === 'false') return false;
  const t = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) || /^[+-]?(inf|nan)$/i.test(t) || /^[+-]?Infinity$/.test(t)) {
    return /nan/i.test(t) ? NaN : /inf/i.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : Number(t);
  }
  return text.replace(/^'(.*)'$/, '$1');
}

// "ELU(alpha=0.5)" <-> {name, params}
export function encodeCall(name, params) {
  const kw = Object.entries(params ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${encodeValue(v)}`);
  return kw.length ? `${name}(${kw.join(',')})` : name;
}
export function decodeCall(text) {
  const m = /^\s*([A-Za-z_]\w*)\s*(?:\((.*)\))?\s*$/.exec(text);
  if (!m) return null;
  const params = {};
  if (m[2]) {
    for (const part of m[2].split(',')) {
      const eq = part.indexOf('=');
      if (eq <= 0) continue;
      params[part.slice(0, eq).trim()] = decodeValue(part.slice(eq + 1).trim());
    }
  }
  return { name: m[1], params };
}

// Drops parameters equal to the registry default, so URLs and labels show only what was changed.
export function changedParams(spec, params) {
  const out = {};
  for (const p of spec?.params ?? []) {
    const v = params[p.name];
    if (v === undefined) continue;
    if (p.required || !Object.is(v, p.default)) out[p.name] = v;
  }
  return out;
}

export function toHash(state, specOf, exampleOf) {
  const q = new URLSearchParams();
  if (state.tab === 'loss') q.set('tab', 'loss');
  if (state.tab === 'net' && !new URLSearchParams(state.netLink ?? '').has('net')) q.set('tab', 'net');
  if (state.embed) q.set('embed', state.embed);
  if (state.theme) q.set('theme', state.theme);
  const t = state.teach;
  if (t?.hide.length) q.set('hide', t.hide.join(','));
  if (t?.edit) q.set('edit', t.edit.join(','));
  if (t?.title) q.set('title', t.title);
  if (t?.caption) q.set('caption', t.caption);
  if (t?.panels) q.set('panels', t.panels.join(','));
  if (t?.present) q.set('present', '1');
  if (state.tab === 'act') {
    const a = state.act;
    for (const c of a.curves) {
      const flags = c.f && c.d ? '' : c.f ? ':f' : c.d ? ':d' : ':-';
      q.append('f', encodeCall(c.name, c.formula != null ? c.params : changedParams(specOf(c.name), c.params)) + flags);
      if (c.formula != null) q.append('fx', c.formula);
    }
    if (a.active) q.set('a', String(a.active));
    if (a.x[0] !== DEFAULT_X[0] || a.x[1] !== DEFAULT_X[1]) q.set('x', `${+a.x[0].toPrecision(6)},${+a.x[1].toPrecision(6)}`);
    if (a.split) q.set('split', '1');
    if (a.readX !== null && a.mode === 'curve') q.set('rx', String(+a.readX.toPrecision(8)));
    if (a.mode === 'vector') {
      q.set('vec', encodeCall(a.vec.name, changedParams(specOf(a.vec.name), a.vec.params)));
      q.set('vx', a.vec.x);
      if (a.vec.T !== DEFAULT_T) q.set('T', String(a.vec.T));
      if (a.vec.slice) q.set('vs', String(a.vec.slice));
    }
  } else if (state.tab === 'net') {
    for (const [k, v] of new URLSearchParams(state.netLink ?? '')) q.append(k, v);
  } else {
    const l = state.loss;
    q.set('loss', l.name);
    const spec = specOf(l.name);
    for (const p of spec?.params ?? []) {
      const v = l.params[p.name];
      if (v === undefined || (!p.required && Object.is(v, p.default)) || (p.type === 'tensor' && v === '')) continue;
      q.set(`p.${p.name}`, encodeValue(v));
    }
    const ex = exampleOf(l.name);
    for (const [k, v] of Object.entries(l.args)) if (v !== (ex[k] ?? '')) q.set(`a.${k}`, v);
    if (l.probe) q.set('probe', `${l.probe.arg}:${l.probe.index}${l.probe.total ? ':total' : ''}`);
  }
  const s = q.toString().replace(/%2C/g, ',').replace(/%5B/g, '[').replace(/%5D/g, ']').replace(/%3A/g, ':')
    .replace(/%28/g, '(').replace(/%29/g, ')').replace(/%3D/g, '=')
    .replace(/(^|&)fx=[^&]*/g, (m) => m.replace(/\+/g, '%20'));  // a + in fx= is a plus, as typed by hand
  return s ? `#${s}` : '';
}

export function fromHash(hash) {
  const state = defaultState();
  const q = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
  if (q.get('tab') === 'loss' || q.has('loss')) state.tab = 'loss';
  state.embed = q.get('embed') ?? '';
  if (state.embed === '1') state.embed = state.tab === 'loss' ? 'loss' : 'graph';
  if (state.embed === 'loss') state.tab = 'loss';
  // The Network tab: every key that is not one of the shell's (tab, embed, theme, teach options)
  // belongs to it, as text for its part to read.
  if (q.get('tab') === 'net' || q.has('net') || state.embed === 'depth' || state.embed === 'network') {
    state.tab = 'net';
    state.netLink = new URLSearchParams([...q].filter(([k]) => !SHELL_KEYS.has(k))).toString();
  }
  const theme = q.get('theme');
  if (theme === 'light' || theme === 'dark') state.theme = theme;

  const curves = [];
  for (const f of q.getAll('f')) {
    const m = /^(.*?)(?::([^:()]*))?$/.exec(f);
    const call = decodeCall(m[1]);
    if (!call) { state.ignored.push(`f=${f}`); continue; }
    let flags = m[2] ?? 'fd';
    if (!/^[fd-]+$/.test(flags)) { state.ignored.push(`:${flags} in f=${f} (use :f, :d or :-)`); flags = 'fd'; }
    curves.push({ name: call.name, params: call.params, f: flags.includes('f'), d: flags.includes('d') });
  }
  // fx= read from the raw text: a formula's + stays a + (URLSearchParams would make it a space)
  const fx = String(hash ?? '').replace(/^#/, '').split('&').filter((p) => p.startsWith('fx=')).map((p) => { try { return decodeURIComponent(p.slice(3)); } catch { return p.slice(3); } });
  for (const c of curves) if (c.name === 'formula') c.formula = fx.shift() ?? '';
  for (const t of fx) curves.push({ name: 'formula', formula: t, params: {}, f: true, d: true });
  if (curves.length) state.act.curves = curves.slice(0, 8);
  const active = Number(q.get('a'));
  if (Number.isInteger(active) && active >= 0 && active < state.act.curves.length) state.act.active = active;
  const x = (q.get('x') ?? '').split(',').map((v) => (v.trim() === '' ? NaN : Number(v)));
  if (x.length === 2 && x.every(Number.isFinite) && x[0] < x[1]) state.act.x = x;
  else if (q.has('x')) state.ignored.push(`x=${q.get('x')}`);
  state.act.split = q.get('split') === '1';
  if (q.has('rx')) {
    const rx = q.get('rx').trim() === '' ? NaN : Number(q.get('rx'));
    if (Number.isFinite(rx)) state.act.readX = rx; else state.ignored.push(`rx=${q.get('rx')}`);
  }
  readTeach(q, state);
  if (q.has('vec')) {
    const call = decodeCall(q.get('vec'));
    if (call) {
      state.act.mode = 'vector';
      state.act.vec.name = call.name;
      state.act.vec.params = call.params;
    }
  }
  if (q.has('vx')) state.act.vec.x = q.get('vx');
  const T = Number(q.get('T'));
  if (q.has('T') && Number.isFinite(T) && T > 0) state.act.vec.T = T;
  else if (q.has('T')) state.ignored.push(`T=${q.get('T')}`);
  const vs = Number(q.get('vs'));
  if (q.has('vs') && Number.isInteger(vs) && vs >= 0) state.act.vec.slice = vs;
  else if (q.has('vs')) state.ignored.push(`vs=${q.get('vs')}`);

  if (q.has('loss')) state.loss.name = q.get('loss');
  for (const [k, v] of q) {
    if (k.startsWith('p.')) state.loss.params[k.slice(2)] = v;  // decoded against the spec later
    if (k.startsWith('a.')) state.loss.args[k.slice(2)] = v;
  }
  const probe = /^(\w+):(\d+)(:total)?$/.exec(q.get('probe') ?? '');
  if (probe) state.loss.probe = { arg: probe[1], index: Number(probe[2]), total: !!probe[3] };
  return state;
}

// The teaching options' words (teach.js says what each does). Names are checked here against the
// lists a link may use; names of arguments and parameters in `edit` are checked by teach.js
// against the function's registry entry.
export const HIDE = ['loss', 'grad', 'worked', 'deriv'];
const SHELL_KEYS = new Set(['tab', 'embed', 'theme', 'hide', 'edit', 'title', 'caption', 'panels', 'present']);
export const PANELS = ['params', 'inputs', 'result', 'info', 'worked', 'curve', 'snippet'];
const list = (text) => text.split(',').map((w) => w.trim()).filter(Boolean);

function readTeach(q, state) {
  const t = state.teach;
  const words = (key, allowed) => {
    if (!q.has(key)) return null;
    const got = list(q.get(key));
    const bad = got.filter((w) => !allowed.includes(w));
    if (bad.length) state.ignored.push(`${key}=${bad.join(',')}`);
    return [...new Set(got.filter((w) => allowed.includes(w)))];
  };
  t.hide = words('hide', HIDE) ?? [];
  t.panels = words('panels', PANELS);
  if (t.panels && !t.panels.length) t.panels = null;
  if (q.has('edit')) t.edit = [...new Set(list(q.get('edit')))];
  t.title = (q.get('title') ?? '').trim().slice(0, 200);
  t.caption = (q.get('caption') ?? '').trim().slice(0, 600);
  if (q.has('present')) {
    if (['1', 'true', 'True'].includes(q.get('present'))) t.present = true;
    else if (!['0', 'false', 'False'].includes(q.get('present'))) state.ignored.push(`present=${q.get('present')}`);
  }
}
