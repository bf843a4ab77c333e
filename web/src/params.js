// Design note: the controls for a function's constructor parameters, built from the registry
// alone: a slider (over the registry's slider range) plus a number box (over its valid range)
// for float/int, a select for choices and dims, a checkbox for bools, a literal text field for
// tensors (weight, pos_weight; empty means None). Every row has a reset to the default. The page
// checks nothing itself: values go to the lab, and the lab's error is shown under the row by
// `showError` (see explorer.js / losses.js).
import { h, uid, pyValue } from './util.js';

// The value a control starts from. Required parameters (Threshold's) have no default: they
// start at the middle of their slider range.
export function initialValue(p) {
  if (p.default !== null || !p.required) return p.default;
  if (p.type === 'float' || p.type === 'int') {
    const mid = (p.sliderMin + p.sliderMax) / 2;
    return p.type === 'int' ? Math.round(mid) : mid;
  }
  return p.default;
}

export function fullParams(spec, given) {
  const out = {};
  for (const p of spec.params) out[p.name] = given[p.name] !== undefined ? given[p.name] : initialValue(p);
  return out;
}

function rangeText(p) {
  if (p.min === null && p.max === null) return '';
  const lo = p.min === null ? '(−∞' : `${p.minOpen ? '(' : '['}${p.min}`;
  const hi = p.max === null ? '∞)' : `${p.max}${p.maxOpen ? ')' : ']'}`;
  return `valid range ${lo}, ${hi}`;
}

// Renders the rows into `container`; calls onChange(name, value, {live}) — live is true while a
// slider is being dragged. Returns {showError(name, msg|null)}.
export function renderParams(container, spec, values, onChange, opts = {}) {
  container.replaceChildren();
  const rows = new Map();
  if (!spec.params.length) {
    container.append(h('p', { class: 'muted small', text: opts.emptyText ?? 'No parameters.' }));
    return { showError() {} };
  }
  for (const p of spec.params) {
    const id = uid(`p-${p.name}`);
    const errId = `${id}-err`;
    const docId = `${id}-doc`;
    const err = h('div', { class: 'field-error', id: errId, role: 'alert', hidden: true });
    const doc = h('div', { class: 'param-doc', id: docId },
      p.doc, p.required ? h('span', { class: 'tag', text: 'required' }) : null,
      rangeText(p) ? h('span', { class: 'range', text: ` · ${rangeText(p)}` }) : null);
    const reset = h('button', {
      type: 'button', class: 'btn-icon', title: `Reset ${p.name} to ${p.required ? 'its start value' : `default ${pyValue(p.default)}`}`,
      'aria-label': `Reset ${p.name} to default`, text: '↺',
    });
    const label = h('label', { for: id, class: 'param-name' }, h('code', { text: p.name }));
    let controls;
    let set;
    const v0 = values[p.name] !== undefined ? values[p.name] : initialValue(p);
    let applied = v0;  // the value last handed on (what the result uses)
    const local = (msg) => { rows.get(p.name).local = msg; show(p.name); };

    if (p.type === 'float' || p.type === 'int') {
      const step = p.type === 'int' ? 1 : niceStep((p.sliderMax - p.sliderMin) / 200);
      const slider = h('input', {
        type: 'range', min: p.sliderMin, max: p.sliderMax, step, 'aria-label': `${p.name} slider`,
        'aria-describedby': docId, tabIndex: 0,
      });
      const box = h('input', {
        type: 'number', id, step: p.type === 'int' ? 1 : 'any', inputmode: p.type === 'int' ? 'numeric' : 'decimal',
        'aria-describedby': `${docId} ${errId}`, class: 'num',
      });
      if (p.min !== null && !p.minOpen) box.min = p.min;
      if (p.max !== null && !p.maxOpen) box.max = p.max;
      set = (v) => {
        box.value = v === null || v === undefined ? '' : String(v);
        if (typeof v === 'number' && Number.isFinite(v)) slider.value = String(v);
      };
      slider.addEventListener('input', () => {
        const v = Number(slider.value);
        box.value = String(v);
        applied = v;
        local(null);
        onChange(p.name, v, { live: true });
      });
      slider.addEventListener('change', () => onChange(p.name, Number(slider.value), { live: false }));
      // A value the box cannot hand on (empty, not a number, beyond float64) is said beside it,
      // with the value the result still uses, so the box and the graph never silently disagree.
      box.addEventListener('input', () => {
        const text = box.value.trim();
        const v = text === '' ? NaN : Number(text);
        const using = `the result still uses ${p.name} = ${pyValue(applied)}`;
        if (box.validity.badInput || (text !== '' && Number.isNaN(v))) return local(`Not a finite float64 number (a typo, or beyond ±1.8e308): ${using}.`);
        if (text === '') return local(`${p.name} is empty: type a number (${using}).`);
        if (!Number.isFinite(v)) return local(`${text} is beyond float64's range (about ±1.8e308): ${using}.`);
        local(null);
        if (v >= p.sliderMin && v <= p.sliderMax) slider.value = String(v);
        applied = v;
        onChange(p.name, v, { live: false });
      });
      // an integer with a wide range (ignore_index: −100 … 9) is typed, not slid through
      let slides = p.type === 'float' || p.sliderMax - p.sliderMin <= 30;
      // an integer slider offers only the values the lab takes for the page's input (opts.check:
      // the lab's message for a value, or null); one value left means no slider, and a note why
      if (p.type === 'int' && slides && opts.check) {
        const all = Array.from({ length: p.sliderMax - p.sliderMin + 1 }, (_, k) => p.sliderMin + k);
        const refused = all.map((v) => [v, opts.check(p.name, v)]).filter(([, m]) => m);
        const ok = all.filter((v) => !refused.some(([r]) => r === v));
        if (refused.length && ok.length) {
          slider.min = Math.min(...ok);
          slider.max = Math.max(...ok);
          if (ok.length === 1) slides = false;
          doc.append(h('span', { class: 'range', title: refused[0][1], text: ` · ${ok.length === 1 ? `only ${ok[0]} applies` : `${ok.join(', ')} apply`} here (the lab refuses ${refused.map(([v]) => v).join(', ')} for this input)` }));
        }
      }
      controls = h('div', { class: `param-controls${slides ? ' slider-controls' : ''}` }, box, reset, slides ? slider : null);
    } else if (p.type === 'bool') {
      const box = h('input', { type: 'checkbox', id, 'aria-describedby': `${docId} ${errId}` });
      set = (v) => { box.checked = !!v; };
      box.addEventListener('change', () => onChange(p.name, box.checked, { live: false }));
      controls = h('div', { class: 'param-controls' }, box, reset);
    } else if (p.type === 'choice' || p.type === 'dim') {
      const options = p.type === 'choice' ? p.choices.map((c) => [c, c]) : dimOptions(p, opts.ndim, values[p.name]);
      const sel = h('select', { id, 'aria-describedby': `${docId} ${errId}` },
        options.map(([v, text]) => h('option', { value: v, text })));
      set = (v) => { sel.value = v === null ? 'None' : String(v); };
      sel.addEventListener('change', () => {
        const v = p.type === 'dim' ? (sel.value === 'None' ? null : Number(sel.value)) : sel.value;
        onChange(p.name, v, { live: false });
      });
      controls = h('div', { class: 'param-controls' }, sel, reset);
    } else {  // tensor: a PyTorch literal, empty for None
      const box = h('input', {
        type: 'text', id, class: 'mono', spellcheck: 'false', autocomplete: 'off', placeholder: 'None',
        'aria-describedby': `${docId} ${errId}`,
      });
      set = (v) => { box.value = v ?? ''; };
      box.addEventListener('input', () => onChange(p.name, box.value, { live: false }));
      controls = h('div', { class: 'param-controls' }, box, reset);
    }
    reset.addEventListener('click', () => {
      const v = p.type === 'tensor' ? '' : initialValue(p);
      set(v);
      applied = v;
      local(null);
      onChange(p.name, v, { live: false });
    });
    set(v0);
    const row = h('div', { class: 'param-row', dataset: { param: p.name } }, label, controls, doc, err);
    rows.set(p.name, { err, row, local: null, lab: null });
    container.append(row);
  }
  // A row shows its own box's message (a value it could not hand on) before the lab's.
  function show(name) {
    const r = rows.get(name);
    const msg = r.local ?? r.lab;
    r.err.hidden = !msg;
    r.err.textContent = msg ?? '';
    r.row.classList.toggle('has-error', !!msg);
  }
  return {
    showError(name, msg) {
      for (const [k, r] of rows) {
        r.lab = k === name && msg ? msg : null;
        show(k);
      }
    },
  };
}

// A dim's choices: the dims of the page's input (opts.ndim: -ndim .. ndim - 1, as PyTorch takes
// them), else the registry's slider range; a current value outside them stays listed, so the
// select shows it and the lab's message says why it does not apply.
function dimOptions(p, ndim, current) {
  const out = [];
  if (p.default === null) out.push(['None', 'None (pick automatically)']);
  const [lo, hi] = ndim > 0 ? [-ndim, ndim - 1] : [p.sliderMin, p.sliderMax];
  for (let d = lo; d <= hi; d++) out.push([String(d), String(d)]);
  if (Number.isInteger(current) && (current < lo || current > hi)) out.push([String(current), `${current} (out of range)`]);
  return out;
}

function niceStep(raw) {
  const e = 10 ** Math.floor(Math.log10(raw));
  const m = raw / e;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * e;
}
