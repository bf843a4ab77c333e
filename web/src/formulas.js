// Design note: formulas are typeset with KaTeX at build time (web/build.mjs renders every
// registry formula to MathML into this map, keyed by the function's name). Browsers render MathML
// natively, so the page ships none of KaTeX's 270 KB of JavaScript, nor its CSS and fonts. A formula missing from the map (a registry newer than
// the build) falls back to its LaTeX source. app.js holds the activations' formulas; a part loaded
// on demand (main.js's loadPart) brings its own and adds them with addFormulas (the Losses tab's).
import FORMULAS from 'virtual:formulas';
import { h, textKey } from './util.js';

export function addFormulas(more) { Object.assign(FORMULAS, more); }

// A formula wider than its panel is first set smaller (down to MIN_FIT of its size, still easy to
// read); one still wider scrolls sideways, and says so: shadows at the edges that hide content
// and a line under it. MathML has no line breaking in browsers, so a formula cannot be wrapped.
const MIN_FIT = 0.72;
const widths = new WeakMap();
let observer = null;
function fit(el) {
  const box = el.querySelector('.formula');
  const w = box.clientWidth;
  if (!w || widths.get(box) === w) return;  // only a new width matters (no resize loop)
  widths.set(box, w);
  box.style.removeProperty('--fit');
  const ratio = w / box.scrollWidth;
  if (ratio < 1) box.style.setProperty('--fit', String(Math.max(MIN_FIT, Math.floor(ratio * 100) / 100)));
  const scrolls = box.scrollWidth > box.clientWidth + 1;
  box.classList.toggle('scrolls', scrolls);
  el.querySelector('.formula-hint').hidden = !scrolls;
}

// spec: a registry entry. The build keyed its MathML by the name, with a fingerprint of the LaTeX
// it typeset: a registry whose formula changed since the build shows its LaTeX source instead.
export function formulaElement(spec) {
  const tex = spec.formula;
  const [key, html] = FORMULAS[spec.name] ?? [];
  if (!html || key !== textKey(tex)) return h('pre', { class: 'formula formula-src' }, h('code', { text: tex }));
  const el = h('div', { class: 'formula-box' },
    h('div', { class: 'formula', html, tabIndex: 0 }),  // focusable: it may scroll sideways
    h('p', { class: 'formula-hint small muted', hidden: true, text: 'The formula is wider than this panel: scroll it sideways ⇆' }));
  observer ??= new ResizeObserver((entries) => { for (const e of entries) fit(e.target); });
  observer.observe(el);
  return el;
}
