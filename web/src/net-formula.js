// Design note: "Your formula" (issue 11) as the Network tab's activation, for both views. In the
// tab's state a formula activation is { name: 'formula', formula: text, params } — the name keeps
// every place that shows or compares act.name working, and the engine gets { formula, params }
// (engineAct) wherever it gets an activation: lab.network, lab.meanField, the weights' JSON. The
// formula is parsed and described by the engine only (lab.formula: its parameters with their
// defaults and slider ranges, its PyTorch code, or the error with its column): nothing here reads
// the text. The field keeps what was typed, good or bad; a bad formula shows its error with the
// caret under the column and is not handed on, so the views keep the last good network (as the
// explorer keeps the last good curve). Parameters are stored like a built-in's: only those that
// differ from the formula's own defaults.
import { h, uid } from './util.js';
import { renderParams } from './params.js';

export const FORMULA = 'formula';
// What the option in the pickers starts from: Swish with the GELU-like slope (x·σ(1.702x)).
export const FORMULA_START = 'x * sigmoid(a * x); a = 1.702';
export const isFormula = (act) => act?.name === FORMULA;
// A lab without the formula engine (an older build) offers no "Your formula".
export const hasFormulas = (lab) => typeof lab.formula === 'function';
export const engineAct = (act) => (isFormula(act) ? { formula: act.formula, params: act.params ?? {} } : { name: act.name, params: act.params ?? {} });
// A short name for labels and summaries.
export const actLabel = (act) => (isFormula(act) ? `f(x) = ${act.formula}` : act.name);

// The formula's parameters in the registry's parameter form (params.js draws them), or null.
export function formulaSpec(described) {
  if (!described?.ok) return null;
  return {
    name: FORMULA,
    params: described.parameters.map((p) => ({
      name: p.name, type: 'float', default: p.value, required: false, min: null, max: null, minOpen: false, maxOpen: false,
      sliderMin: p.sliderMin, sliderMax: p.sliderMax, choices: [],
      doc: p.declared ? `a parameter of your formula (declared = ${p.value})` : `a parameter of your formula (default 1: end the formula with "; ${p.name} = 0.5" to start it elsewhere)`,
    })),
  };
}

// The formula's PyTorch module: { cls: the class definition, code: the instance expression }
// at the state's parameter values (the class's defaults are those values).
export function formulaTorch(lab, act) {
  const t = lab.torchCode({ formula: act.formula, params: act.params ?? {} });
  const cls = t.module.trimEnd();
  const name = /^class (\w+)/.exec(cls)?.[1] ?? 'MyActivation';
  return { cls, code: `${name}()`, expression: t.expression };
}

// The text field, its inline error and the parameter rows. onChange(act, {live}) gets a new
// formula activation whenever the text parses (debounced while typing) or a parameter moves.
// set(act) shows a state's formula (a link, a preset, the picker).
export function createFormulaField(lab, { onChange, label = 'f(x) =' }) {
  const id = uid('fx');
  const errId = `${id}-err`;
  const input = h('input', {
    type: 'text', id, class: 'mono net-formula-text', spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off',
    'aria-describedby': errId, dataset: { param: FORMULA },
  });
  const message = h('span', { class: 'net-formula-msg' });
  const caret = h('pre', { class: 'net-formula-caret mono', 'aria-hidden': 'true' });
  const error = h('div', { class: 'field-error net-formula-error', id: errId, role: 'alert', hidden: true }, message, caret);
  const params = h('div', { class: 'nt-params net-formula-params' });
  const root = h('div', { class: 'net-formula' },
    h('div', { class: 'param-row' }, h('label', { for: id, class: 'param-name', text: label }), input), error, params);
  let act = { name: FORMULA, formula: '', params: {} };
  let described = null;
  let timer = null;
  let rows = { showError() {} };

  const describe = (text) => {
    const d = hasFormulas(lab) ? lab.formula(text) : { ok: false, error: { message: 'this build of the lab has no formula engine', column: 1, caret: '' } };
    error.hidden = d.ok;
    message.textContent = d.ok ? '' : `${d.error.message} (column ${d.error.column})`;
    caret.textContent = d.ok ? '' : d.error.caret;
    input.setAttribute('aria-invalid', String(!d.ok));
    return d;
  };
  const drawRows = () => {
    const spec = formulaSpec(described);
    if (!spec) return;
    rows = renderParams(params, spec, act.params, (name, v, o) => {
      const next = { ...act.params, [name]: v };
      const p = spec.params.find((q) => q.name === name);
      if (p && Object.is(v, p.default)) delete next[name];
      act = { ...act, params: next };
      onChange(act, o);
    }, { emptyText: 'No parameters: every name other than x in the formula becomes one.' });
  };
  const apply = () => {
    clearTimeout(timer);
    timer = null;
    const text = input.value;
    if (text === act.formula && described) return;
    const d = describe(text);
    act = { ...act, formula: text };
    if (!d.ok) return;
    described = d;
    // keep the values of parameters the new text still has
    const names = new Set(d.parameters.map((p) => p.name));
    act.params = Object.fromEntries(Object.entries(act.params).filter(([k]) => names.has(k)));
    drawRows();
    onChange(act, { live: false });
  };
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(apply, 300); });
  input.addEventListener('change', apply);

  return {
    root,
    input,
    set(next) {
      act = { name: FORMULA, formula: next.formula ?? '', params: { ...(next.params ?? {}) } };
      input.value = act.formula;
      const d = describe(act.formula);
      described = d.ok ? d : null;
      if (d.ok) drawRows(); else params.replaceChildren();
    },
    // the lab's message for a parameter (an unknown name, a value refused by a call inside)
    showError(name, msg) { rows.showError(name, msg); },
    // whether the field shows its own parse error (with the caret): a view that cannot run the
    // formula then points here instead of repeating the message
    get invalid() { return !error.hidden; },
    get act() { return act; },
  };
}
