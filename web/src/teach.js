// Design note: the options a teacher puts into a link (state.teach, read by state.js), applied
// here so the views only ask two questions: "is this hidden until revealed?" (`hiddenNow`, with
// `revealGate` drawn in its place) and "may the student change this field?" (`canEdit`).
//   hide=loss,grad,worked,deriv   predict, then reveal: the loss (its value, the per-element losses
//                                 and the loss plot), the gradients, the worked steps, or f′ (its
//                                 curves, readout column and export columns) wait behind a button
//   edit=input,target,reduction   only these fields may be changed; every other control is read-only
//                                 (fn: the picker, curves: adding/removing/toggling curves, x: the
//                                 range, pan and zoom, rx: the readout's x, vx and T: the vector view,
//                                 any argument or parameter by its PyTorch name, a formula's
//                                 parameter by its name in the formula)
//   title=…&caption=…             words above and below the app (plain text)
//   panels=inputs,result,…        which panels show (state.js's PANELS)
//   present=1                     large type for a lecture hall
// Locking works on whatever the views draw: a MutationObserver marks every control as it is added,
// by the field it belongs to (an argument or parameter row names its field in data-arg /
// data-param), so no view has to know about it.
import { h } from './util.js';

export const ALWAYS = new Set(['reveal', 'export', 'copy', 'theme', 'tab', 'png']);

export function createTeach(app) {
  const revealed = new Set();
  const listeners = [];
  // the depth view's fields (web/src/net-depth-controls.js marks its controls with these)
  const known = new Set(['fn', 'curves', 'x', 'split', 'rx', 'vx', 'T', 'depth', 'width', 'batch', 'act', 'init', 'seed', 'show', 'preset',
    // the training view's (web/src/net-train-controls.js), and the torch.optim keywords it shows
    'data', 'points', 'hidden', 'bias', 'head', 'opt', 'lr', 'momentum', 'dampening', 'nesterov', 'weight_decay', 'beta1', 'beta2', 'eps', 'amsgrad', 'centered', 'compare']);
  for (const s of [...app.catalog.activations, ...app.catalog.losses]) {
    for (const p of s.params) known.add(p.name);
    for (const a of s.args ?? []) known.add(a.name);
  }
  let hideKey = null;
  const teach = {
    lockActive: false,
    // read live: a link edited by hand replaces app.state.teach (then refresh() runs)
    hiddenNow: (key) => app.state.teach.hide.includes(key) && !revealed.has(key),
    canEdit: (field) => { const e = app.state.teach.edit; return !e || ALWAYS.has(field) || e.includes(field); },
    onReveal: (fn) => listeners.push(fn),
    reveal(key) {
      revealed.add(key);
      for (const fn of listeners) fn(key);
    },
    // For the options as the link now has them (at start, and after a hand edit of the link):
    // names `edit` cannot use are said and dropped; a changed `hide` list hides again what it
    // names, even if it was revealed before.
    refresh() {
      const t = app.state.teach;
      if (t.edit) {
        const words = formulaWords(app.state);
        const ok = (w) => known.has(w) || words.has(w);
        const bad = t.edit.filter((w) => !ok(w));
        if (bad.length) app.state.ignored.push(`edit=${bad.join(',')}`);
        t.edit = t.edit.filter(ok);
      }
      teach.lockActive = !!t.edit;
      const key = t.hide.join(',');
      if (hideKey !== null && key !== hideKey) revealed.clear();
      hideKey = key;
    },
    // what stands in for a hidden result: the question, and the button that answers it
    revealGate(key, question) {
      const btn = h('button', { type: 'button', class: 'btn reveal-btn', dataset: { field: 'reveal', reveal: key }, text: `Reveal ${WHAT[key]}` });
      btn.addEventListener('click', () => teach.reveal(key));
      return h('div', { class: 'reveal-gate', dataset: { gate: key } },
        h('p', { class: 'reveal-q', text: question ?? `Predict ${WHAT[key]} first, then check it.` }), btn);
    },
  };
  teach.refresh();
  return teach;
}

// A formula's parameters (issue 11) are named by the formula itself, so edit= may name a word of
// one of the link's formulas (the explorer's fx=, the Network tab's actx=, d.actx=, b.actx=): the
// parameter rows carry their names (data-param) as the catalog's do. Read from the link's text,
// not the parser, which loads with the formula part.
function formulaWords(state) {
  const texts = state.act.curves.map((c) => c.formula ?? '');
  for (const [k, v] of new URLSearchParams(state.netLink ?? '')) if (/(^|\.)actx$/.test(k)) texts.push(v);
  return new Set(texts.join(' ').match(/[A-Za-z_]\w*/g));
}

const WHAT = { loss: 'the loss', grad: 'the gradients', worked: 'the worked computation', deriv: 'the derivative f′' };

// Which field a control belongs to, or null for one that changes no state of the view.
function fieldOf(el) {
  const own = el.closest('[data-field]')?.dataset.field;
  if (own) return own;
  const arg = el.closest('[data-arg]');
  if (arg) return arg.dataset.arg;
  const param = el.closest('[data-param]');
  if (param) return param.dataset.param;
  if (el.classList.contains('picker')) return 'fn';
  return null;
}

// Marks every control under root that the link does not let the student change, and gives back
// what a lock taken away by a hand edit of the link had taken (the views, redrawn after it, set
// their own disabled states again).
export function applyLock(root, teach) {
  for (const el of root.querySelectorAll('input, select, textarea, button')) {
    const field = fieldOf(el);
    if (field === null) continue;
    const locked = !teach.canEdit(field);
    if (!locked && el.dataset.locked !== '1') continue;
    if (locked) {  // every time: a view may have re-enabled it (the add-curve button below 8 curves)
      el.dataset.locked = '1';
      if (el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && /^(text|number)$/.test(el.type))) el.readOnly = true;
      else el.disabled = true;
      el.title = 'Fixed by this course page';
    } else {
      delete el.dataset.locked;
      if (el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && /^(text|number)$/.test(el.type))) el.readOnly = false;
      else el.disabled = false;
      if (el.title === 'Fixed by this course page') el.removeAttribute('title');
    }
  }
}

// Locks what the link locks, now and whatever the views draw later; called again after a hand
// edit of the link (a lock added, changed or taken away).
const observers = new WeakMap();
export function watchLock(root, teach) {
  if (!root || !teach) return;
  const watching = observers.get(root);
  if (teach.lockActive && !watching) {
    const observer = new MutationObserver(() => applyLock(root, teach));
    observer.observe(root, { subtree: true, childList: true });
    observers.set(root, observer);
  } else if (!teach.lockActive && watching) {
    watching.disconnect();
    observers.delete(root);
  }
  if (teach.lockActive || watching) applyLock(root, teach);
}

// Title, caption, presentation type, the "ignored" line, and the panel choice: the shell's part.
// Idempotent: run at start and again whenever the link is edited by hand, it replaces what an
// earlier run put in. The presentation type is the app's own (styles.css sizes everything of the
// app from its --rem), so the lab's page, an iframe and a direct embed in a course page scale alike.
export function applyShell(app, parts) {
  const t = app.state.teach;
  const { root, main } = parts;
  root.classList.toggle('present', t.present);
  for (const el of root.querySelectorAll(':scope > .embed-title, :scope > .embed-caption, :scope > .link-notice')) el.remove();
  if (t.title) main.before(h('h2', { class: 'embed-title', text: t.title }));
  if (app.state.ignored.length) {
    main.before(h('p', { class: 'link-notice small', role: 'status', text: `Ignored in the link: ${app.state.ignored.join('; ')}` }));
  }
  if (t.caption) main.after(h('p', { class: 'embed-caption', text: t.caption }));
  applyPanels(app);
}

// panels=: each named panel shows, the others do not (default: all, or the embed's own choice).
const PANEL_OF = {
  params: ['.wb-controls', '.explorer .controls'],
  inputs: ['.wb-inputs'],
  result: ['.wb-results'],
  info: ['.wb-info', '.info-panel'],
  worked: ['.wb-worked'],
  curve: ['.wb-curve'],
  snippet: ['.wb-snippet'],
};
export function applyPanels(app) {
  const chosen = app.state.teach.panels;
  app.root.classList.toggle('panels-chosen', !!chosen);
  for (const [name, sels] of Object.entries(PANEL_OF)) {
    for (const sel of sels) {
      for (const el of app.root.querySelectorAll(sel)) {
        if (chosen) el.dataset.panel = chosen.includes(name) ? 'on' : 'off';
        else delete el.dataset.panel;
      }
    }
  }
}
