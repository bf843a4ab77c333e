// Design note: the options a teacher puts into a link (state.teach, read by state.js), applied
// here so the views only ask two questions: "is this hidden until revealed?" (`hiddenNow`, with
// `revealGate` drawn in its place) and "may the student change this field?" (`canEdit`).
//   hide=loss,grad,worked,deriv   predict, then reveal: the loss (its value, the per-element losses
//                                 and the loss plot), the gradients, the worked steps, or f′ (its
//                                 curves, readout column and export columns) wait behind a button
//   edit=input,target,reduction   only these fields may be changed; every other control is read-only
//                                 (fn: the picker, curves: adding/removing/toggling curves, x: the
//                                 range, pan and zoom, rx: the readout's x, vx and T: the vector view,
//                                 any argument or parameter by its PyTorch name)
//   title=…&caption=…             words above and below the app (plain text)
//   panels=inputs,result,…        which panels show (state.js's PANELS)
//   present=1                     large type for a lecture hall
// Locking works on whatever the views draw: a MutationObserver marks every control as it is added,
// by the field it belongs to (an argument or parameter row names its field in data-arg /
// data-param), so no view has to know about it.
import { h } from './util.js';

export const ALWAYS = new Set(['reveal', 'export', 'copy', 'theme', 'tab', 'png']);

export function createTeach(app) {
  const t = app.state.teach;
  const revealed = new Set();
  const listeners = [];
  const known = new Set(['fn', 'curves', 'x', 'split', 'rx', 'vx', 'T']);
  for (const s of [...app.catalog.activations, ...app.catalog.losses]) {
    for (const p of s.params) known.add(p.name);
    for (const a of s.args ?? []) known.add(a.name);
  }
  if (t.edit) {
    const bad = t.edit.filter((w) => !known.has(w));
    if (bad.length) app.state.ignored.push(`edit=${bad.join(',')}`);
    t.edit = t.edit.filter((w) => known.has(w));
  }
  const teach = {
    lockActive: !!t.edit,
    // read live: a link edited by hand replaces app.state.teach
    hiddenNow: (key) => app.state.teach.hide.includes(key) && !revealed.has(key),
    canEdit: (field) => { const e = app.state.teach.edit; return !e || ALWAYS.has(field) || e.includes(field); },
    onReveal: (fn) => listeners.push(fn),
    reveal(key) {
      revealed.add(key);
      for (const fn of listeners) fn(key);
    },
    // what stands in for a hidden result: the question, and the button that answers it
    revealGate(key, question) {
      const btn = h('button', { type: 'button', class: 'btn reveal-btn', dataset: { field: 'reveal', reveal: key }, text: `Reveal ${WHAT[key]}` });
      btn.addEventListener('click', () => teach.reveal(key));
      return h('div', { class: 'reveal-gate', dataset: { gate: key } },
        h('p', { class: 'reveal-q', text: question ?? `Predict ${WHAT[key]} first, then check it.` }), btn);
    },
  };
  return teach;
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

// Marks every control under root that the link does not let the student change.
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
    }
  }
}

export function watchLock(root, teach) {
  if (!root || !teach || !teach.lockActive) return;
  const run = () => applyLock(root, teach);
  new MutationObserver(run).observe(root, { subtree: true, childList: true });
  run();
}

// Title, caption, presentation type, the "ignored" line, and the panel choice: the shell's part.
export function applyShell(app, parts) {
  const t = app.state.teach;
  const { root, main } = parts;
  root.classList.toggle('present', t.present);
  const head = [];
  if (t.title) head.push(h('h2', { class: 'embed-title', text: t.title }));
  const notice = app.state.ignored.length
    ? h('p', { class: 'link-notice small', role: 'status', text: `Ignored in the link: ${app.state.ignored.join('; ')}` })
    : null;
  if (head.length) main.before(...head);
  if (t.caption) main.after(h('p', { class: 'embed-caption', text: t.caption }));
  if (notice && !root.querySelector('.link-notice')) main.before(notice);
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
