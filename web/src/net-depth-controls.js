// Design note: the depth view's controls — presets, the network's shape, the activation (any
// elementwise one of the catalog, its parameters drawn by params.js from the registry as on the
// other tabs), the init scheme with its own keywords (net-depth-model.js SCHEMES, drawn by the
// same params.js rows), the seed and which values the heatmap shows. Every control calls
// onChange(patch, {live}) with what changed; the view owns the state and redraws. Each control
// carries data-field (depth, width, batch, act, init, seed, show, preset) for teach.js's lock; the
// activation's parameter rows carry their own names (params.js data-param: edit=alpha).
// As the training view: an activation the engine refuses in a network (PReLU's weight is not
// trained) is listed disabled with the reason, and a new activation starts with its required
// keywords (Threshold's) at the values its boxes show. A lab error is shown under the row it names,
// else under the row last edited, else under the picker; a value typed wrong stays in its box
// (with its message) while another control changes the view.
import { h, uid } from './util.js';
import { renderParams, initialValue } from './params.js';
import { SCHEMES, sirenOmega } from './net-depth-model.js';
import { DEPTH_LIMITS } from './net-state.js';
import { PRESETS } from './net-depth-presets.js';
import { FORMULA, FORMULA_START, isFormula, hasFormulas, createFormulaField } from './net-formula.js';

// A scheme's parameters in the registry's parameter form, so params.js can draw them: the
// torch.nn.init keywords are already (lab.networkCatalog()), the page's own rows are made so.
function schemeSpec(scheme) {
  return {
    name: scheme, params: SCHEMES[scheme].params.map((p) => (p.sliderMin !== undefined ? p : {
      name: p.name, type: p.type, default: p.default, required: false, choices: p.choices,
      min: p.min ?? null, max: null, minOpen: false, maxOpen: false,
      sliderMin: p.min ?? 0, sliderMax: p.name === 'sw2' ? 4 : p.name === 'sb2' ? 0.5 : 1,
      doc: p.doc ?? (p.label ? `${p.label}` : `torch.nn.init keyword ${p.name}`),
    })),
  };
}

// An integer row: number box and slider over [lo, hi].
function intRow(field, label, lo, hi, value, onChange, doc) {
  const id = uid(`d-${field}`);
  const box = h('input', { type: 'number', id, class: 'num', min: lo, max: hi, step: 1, inputmode: 'numeric', value: String(value) });
  const slider = h('input', { type: 'range', min: lo, max: hi, step: 1, value: String(value), 'aria-label': `${label} slider` });
  const err = h('div', { class: 'field-error', role: 'alert', hidden: true });
  const take = (v, live) => {
    const ok = Number.isInteger(v) && v >= lo && v <= hi;
    err.hidden = ok;
    err.textContent = ok ? '' : `${label} must be a whole number from ${lo} to ${hi}; the view still uses ${box.dataset.applied}.`;
    if (ok) { box.dataset.applied = String(v); onChange({ [field]: v }, { live }); }
  };
  box.dataset.applied = String(value);
  slider.addEventListener('input', () => { box.value = slider.value; take(Number(slider.value), true); });
  slider.addEventListener('change', () => take(Number(slider.value), false));
  box.addEventListener('input', () => {
    const t = box.value.trim();
    const v = t === '' ? NaN : Number(t);
    if (Number.isInteger(v) && v >= lo && v <= hi) slider.value = String(v);
    take(v, false);
  });
  const row = h('div', { class: 'param-row net-int', dataset: { field } },
    h('label', { for: id, class: 'param-name', text: label }),
    h('div', { class: 'param-controls slider-controls' }, box, slider),
    doc ? h('div', { class: 'param-doc', text: doc }) : null, err);
  // a value typed wrong stays (with its message) while the view keeps the one it applied
  row.set = (v) => {
    if (!err.hidden && String(v) === box.dataset.applied) return;
    box.value = String(v); slider.value = String(v); box.dataset.applied = String(v); err.hidden = true;
  };
  return row;
}

export function createDepthControls(root, { lab, catalog, state, onChange, onPreset }) {
  const acts = catalog.activations.filter((s) => s.kind === 'elementwise');
  // the engine says which ones a network can use: each tried once on a 1-1-1 net
  const required = (spec) => Object.fromEntries((spec?.params ?? []).filter((p) => p.required).map((p) => [p.name, initialValue(p)]));
  const refusal = (spec) => {
    try { lab.network({ sizes: [1, 1, 1], activation: { name: spec.name, params: required(spec) } }).delete(); return null; } catch (e) { return e.message; }
  };
  const presetBox = h('div', { class: 'net-presets', role: 'group', 'aria-label': 'Presets', dataset: { field: 'preset' } });
  const groups = new Map();
  for (const p of PRESETS) {
    if (!acts.some((s) => s.name === p.state.act.name)) continue;
    if (!groups.has(p.group)) groups.set(p.group, []);
    groups.get(p.group).push(p);
  }
  for (const [group, list] of groups) {
    presetBox.append(h('div', { class: 'net-preset-group' }, h('span', { class: 'net-preset-name small', text: group }),
      list.map((p) => h('button', { type: 'button', class: 'btn btn-small', dataset: { preset: p.id }, 'aria-pressed': 'false', text: p.label, onclick: () => onPreset(p) }))));
  }
  const d = state;
  const rows = {
    depth: intRow('depth', 'Depth (Linear layers)', ...DEPTH_LIMITS.depth, d.depth, onChange),
    width: intRow('width', 'Width', ...DEPTH_LIMITS.width, d.width, onChange),
    batch: intRow('batch', 'Batch (N(0, 1) inputs)', ...DEPTH_LIMITS.batch, d.batch, onChange),
  };
  const actId = uid('d-act');
  const actSel = h('select', { id: actId, class: 'picker', dataset: { field: 'act' } },
    acts.map((s) => { const why = refusal(s); return h('option', { value: s.name, text: why ? `${s.name} (not in a network)` : s.name, disabled: !!why, title: why ?? '' }); }),
    h('optgroup', { label: 'Your own' }, h('option', { value: FORMULA, text: 'Your formula…', disabled: !hasFormulas(lab) })));
  let lastFormula = isFormula(d.act) ? d.act.formula : FORMULA_START;
  const formulaField = createFormulaField(lab, { onChange: (act, o) => { lastFormula = act.formula; onChange({ act }, o); drawn.act = JSON.stringify(d.act); } });
  // its rows keep their parameter's name (edit=alpha), as in the explorer
  const actParams = h('div', { class: 'net-act-params' });
  const initId = uid('d-init');
  const initSel = h('select', { id: initId, dataset: { field: 'init' } },
    Object.entries(SCHEMES).map(([k, s]) => h('option', { value: k, text: s.label })));
  const initParams = h('div', { class: 'net-init-params', dataset: { field: 'init' } });
  const seedId = uid('d-seed');
  const seedBox = h('input', { type: 'number', id: seedId, class: 'num', min: 0, step: 1, inputmode: 'numeric', dataset: { field: 'seed' } });
  const seedErr = h('div', { class: 'field-error', role: 'alert', hidden: true });
  let seedApplied = d.seed;
  seedBox.addEventListener('input', () => {
    const v = seedBox.value.trim() === '' ? NaN : Number(seedBox.value);
    const ok = Number.isInteger(v) && v >= DEPTH_LIMITS.seed[0] && v <= DEPTH_LIMITS.seed[1];
    seedErr.hidden = ok;
    seedErr.textContent = ok ? '' : `seed must be a whole number from 0 to ${DEPTH_LIMITS.seed[1]}.`;
    if (ok) { seedApplied = v; onChange({ seed: v }, { live: false }); }
  });
  const showName = uid('d-show');
  const show = h('fieldset', { class: 'net-show', dataset: { field: 'show' } }, h('legend', { class: 'param-name', text: 'Heatmap of' }),
    [['post', 'activations φ(Wx + b)'], ['pre', 'pre-activations Wx + b']].map(([v, text]) => h('label', { class: 'net-radio' },
      h('input', { type: 'radio', name: showName, value: v, onchange: () => onChange({ show: v }, { live: false }) }), ` ${text}`)));
  actSel.addEventListener('change', () => onChange({ act: actSel.value === FORMULA ? { name: FORMULA, formula: lastFormula, params: {} } : { name: actSel.value, params: required(acts.find((s) => s.name === actSel.value)) } }, { live: false }));
  initSel.addEventListener('change', () => onChange({ init: { scheme: initSel.value, params: {} } }, { live: false }));

  let actErr = { showError() {} };
  let initErr = { showError() {} };
  // an error the lab names no row for: under the picker; the row last edited, per group
  const actRowErr = h('div', { class: 'field-error', role: 'alert', hidden: true });
  const initRowErr = h('div', { class: 'field-error', role: 'alert', hidden: true });
  const edited = { act: null, init: null };
  let drawn = { act: '', init: '' };  // what the rows show (a row is drawn again only when its state is not this)
  const sirenNote = h('p', { class: 'param-doc net-siren-w0' });
  const showOmega = () => {
    if (d.init.scheme === 'siren') sirenNote.textContent = `ω₀ = ${sirenOmega(d.act)}: ${d.act.name === 'Sine' ? 'the Sine activation’s w0' : 'the scheme’s default (the activation is not Sine)'}`;
  };
  const drawParams = (force = true) => {
    const spec = acts.find((s) => s.name === d.act.name);
    if (force || drawn.act !== JSON.stringify(d.act)) {
      edited.act = null;
      if (isFormula(d.act)) {
        formulaField.set(d.act);
        actParams.replaceChildren(formulaField.root);
        actErr = formulaField;
      } else actErr = spec ? renderParams(actParams, spec, d.act.params, (name, v, o) => { edited.act = name; onChange({ act: { name: d.act.name, params: { ...d.act.params, [name]: v } } }, o); drawn.act = JSON.stringify(d.act); }, { emptyText: `${d.act.name} has no parameters.` }) : actErr;
      drawn.act = JSON.stringify(d.act);
    }
    if (force || drawn.init !== JSON.stringify(d.init)) {
      edited.init = null;
      initErr = renderParams(initParams, schemeSpec(d.init.scheme), d.init.params, (name, v, o) => { edited.init = name; onChange({ init: { scheme: d.init.scheme, params: { ...d.init.params, [name]: v } } }, o); drawn.init = JSON.stringify(d.init); }, { emptyText: 'No keywords.' });
      // SIREN's ω₀ is the one the engine uses: the Sine activation's w0, else the scheme's default
      if (d.init.scheme === 'siren') initParams.append(sirenNote);
      drawn.init = JSON.stringify(d.init);
    }
    showOmega();
  };
  const panel = h('section', { class: 'panel net-controls', 'aria-label': 'Depth view settings' },
    h('h2', { class: 'panel-title', text: 'Presets' }), presetBox,
    h('h2', { class: 'panel-title net-gap', text: 'Network' }), rows.depth, rows.width, rows.batch,
    h('div', { class: 'param-row', dataset: { field: 'act' } }, h('label', { for: actId, class: 'param-name', text: 'Activation (after every Linear)' }), actSel, actRowErr),
    actParams,
    h('div', { class: 'param-row', dataset: { field: 'init' } }, h('label', { for: initId, class: 'param-name', text: 'Init scheme' }), initSel, initRowErr),
    initParams,
    h('div', { class: 'param-row', dataset: { field: 'seed' } }, h('label', { for: seedId, class: 'param-name', text: 'Seed (torch.manual_seed)' }), seedBox, seedErr),
    show);
  root.append(panel);

  return {
    // Sets every control from the state (after a preset, a link or a phase-diagram click). keep:
    // only the rows whose state changed are drawn again (another control's change), so what is
    // typed in the others stays.
    set(st, presetId, { keep = false } = {}) {
      Object.assign(d, st);
      for (const k of ['depth', 'width', 'batch']) rows[k].set(st[k]);
      actSel.value = st.act.name;
      initSel.value = st.init.scheme;
      if (seedErr.hidden || st.seed !== seedApplied) { seedBox.value = String(st.seed); seedErr.hidden = true; }
      seedApplied = st.seed;
      for (const r of show.querySelectorAll('input')) r.checked = r.value === st.show;
      for (const b of presetBox.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.preset === presetId));
      drawParams(!keep);
    },
    // Which preset (if any) the view now shows.
    mark(presetId) {
      showOmega();  // the activation's w0 may have moved
      for (const b of presetBox.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.preset === presetId));
    },
    // Whether the activation is a formula whose field shows its own parse error (with the caret).
    formulaInvalid: () => actErr === formulaField && formulaField.invalid,
    // The lab's message for the activation or the init (where: 'act' | 'init' | null clears):
    // under the row of the parameter it names (as the explorer's rule), else the row last
    // edited, else the picker.
    showError(where, msg) {
      // (a message naming two rows, "Lower bound should be less than … the upper bound": the one edited)
      const rowOf = (group, names) => {
        const named = names.filter((n) => new RegExp(`(^|[^\\w])${n}([^\\w]|$)`, 'i').test(msg));
        const last = names.includes(edited[group]) ? edited[group] : null;
        return last && (!named.length || named.includes(last)) ? last : named[0] ?? null;
      };
      const actNames = Object.keys(isFormula(d.act) ? d.act.params : Object.fromEntries((acts.find((s) => s.name === d.act.name)?.params ?? []).map((p) => [p.name, 1])));
      const initNames = schemeSpec(d.init.scheme).params.map((p) => p.name);
      const a = where === 'act' && msg ? rowOf('act', actNames) : null;
      const i = where === 'init' && msg ? rowOf('init', initNames) : null;
      actErr.showError(a, a ? msg : null);
      initErr.showError(i, i ? msg : null);
      for (const [box, on] of [[actRowErr, where === 'act' && msg && !a], [initRowErr, where === 'init' && msg && !i]]) {
        box.hidden = !on;
        box.textContent = on ? msg : '';
      }
    },
  };
}
