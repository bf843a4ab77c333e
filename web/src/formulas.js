// Design note: formulas are typeset with KaTeX at build time (web/build.mjs renders every
// registry formula to MathML into this map, keyed by its LaTeX source). Browsers render MathML
// natively, so the page ships none of KaTeX's 270 KB of JavaScript, nor its CSS and fonts. A formula missing from the map (a registry newer than
// the build) falls back to its LaTeX source.
import FORMULAS from 'virtual:formulas';
import { h } from './util.js';

export function formulaElement(tex) {
  const html = FORMULAS[tex];
  if (html) return h('div', { class: 'formula', html, tabIndex: 0 });  // focusable: it may scroll sideways
  return h('pre', { class: 'formula formula-src' }, h('code', { text: tex }));
}
