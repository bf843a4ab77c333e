// Design note: the "Your formula" field of the explorer. The text is evaluated as it is typed
// (debounced: one parse per pause, not per key), and the field is never rewritten by the page, so
// nothing typed is lost; a mistake is shown under the field as the lab reports it
// (lab.formula(text).error): the text with a caret under the columns and the message, while the
// explorer keeps the last good curve (dimmed) and its sliders. One editor per curve, kept across
// redraws, so the field keeps its focus and caret while the sliders below it are rebuilt.
// The examples are one click each: the text goes into the field as if typed.
import { h, uid } from './util.js';

const DEBOUNCE_MS = 150;
const CARET_WINDOW = 56;  // characters of a long formula shown around the mistake

export const EXAMPLES = [
  { name: 'Swish', text: 'x * sigmoid(beta * x)', about: 'Swish (Ramachandran, Zoph & Le, 2017), found by automated search; beta = 1 is SiLU.' },
  { name: 'Mish', text: 'x * tanh(softplus(x))', about: 'Mish (Misra, 2019): smooth and not monotonic; PyTorch has it as nn.Mish.' },
  { name: 'GELU (tanh)', text: '0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))', about: 'GELU\'s tanh approximation (Hendrycks & Gimpel, 2016): nn.GELU(approximate=\'tanh\').' },
  { name: 'Squared ReLU', text: 'max(x, 0)^2', about: 'Squared ReLU (So et al., 2021, Primer): ReLU squared, smooth at 0 to first order.' },
  { name: 'x·σ(1.702x)', text: 'x * sigmoid(1.702 * x)', about: 'The sigmoid approximation of GELU = x·Φ(x): Φ, the normal CDF, is close to σ(1.702x).' },
];

// The lab's caret (the text line and a line of ^ under the columns), cut to a window around the
// mistake when the formula is long.
export function caretLines(caret, column) {
  // by code points, as the lab counts columns: an emoji is one column of text and of marks
  const [text = [], marks = []] = caret.split('\n').map((l) => Array.from(l));
  if (text.length <= CARET_WINDOW) return caret;
  const from = Math.max(0, Math.min(column - 1 - CARET_WINDOW / 2, text.length - CARET_WINDOW));
  const cut = (s) => `${from > 0 ? '…' : ''}${s.slice(from, from + CARET_WINDOW).join('')}${from + CARET_WINDOW < text.length ? '…' : ''}`;
  return `${cut(text)}\n${from > 0 ? ' ' : ''}${marks.slice(from, from + CARET_WINDOW).join('')}`;
}

export function createEditors(model) {
  const editors = new WeakMap();
  return (c, onEdit) => {
    let ed = editors.get(c);
    if (!ed) editors.set(c, (ed = editor(c, model)));
    ed.onEdit = onEdit;
    ed.show();
    return ed.el;
  };
}

function editor(c, model) {
  const id = uid('formula');
  const input = h('input', {
    type: 'text', id, class: 'mono formula-input', spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off',
    'aria-describedby': `${id}-err ${id}-hint`, maxLength: 2000,
  });
  input.value = c.formula;
  const caret = h('pre', { class: 'formula-caret', 'aria-hidden': 'true' });
  const message = h('p', { class: 'formula-message' });
  const error = h('div', { class: 'field-error formula-error', id: `${id}-err`, 'aria-live': 'polite', hidden: true }, caret, message);
  const hint = h('p', { class: 'small muted formula-hint', id: `${id}-hint` },
    'x is the variable; any other name (a, beta, …) is a parameter with a slider, 1 unless set after a ; as in ',
    h('code', { text: 'x * sigmoid(a * x); a=0.5' }), '.');
  const ed = { onEdit: () => {}, show: () => {} };
  let timer = 0;
  const apply = () => {
    clearTimeout(timer);
    if (c.formula === input.value) return;
    c.formula = input.value;
    model.prune(c);
    ed.show();
    ed.onEdit();
  };
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(apply, DEBOUNCE_MS); });
  input.addEventListener('change', apply);
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') apply(); });
  ed.show = () => {
    const d = model.describe(c.formula);
    error.hidden = d.ok;
    input.setAttribute('aria-invalid', String(!d.ok));
    if (d.ok) return;
    caret.textContent = caretLines(d.error.caret, d.error.column);
    message.textContent = `${d.error.message} (column ${d.error.column})`;
  };
  const examples = h('details', { class: 'formula-examples' },
    h('summary', { class: 'small', text: 'Examples to try' }),
    h('ul', {}, EXAMPLES.map((x) => h('li', {},
      h('button', {
        type: 'button', class: 'btn btn-small', title: x.text,
        onclick: () => { input.value = x.text; apply(); input.focus(); },
      }, x.name),
      h('code', { class: 'formula-example-text', text: x.text }),
      h('span', { class: 'small muted', text: x.about })))));
  ed.el = h('div', { class: 'formula-editor', dataset: { field: 'fn' } },
    h('label', { for: id, class: 'formula-label' }, 'Your formula ', h('span', { class: 'muted', text: 'f(x) =' })),
    input, error, hint, examples);
  return ed;
}
