// Design note: the playground's settings, four groups — data, network, head and loss, optimiser —
// each a <fieldset> with a legend, so a screen reader hears which group a field is in. Every
// choice comes from where it is defined: the data sets from lab.datasets(), the activations and
// losses (with their parameter rows, ranges and defaults) from lab.catalog() through params.js,
// the init schemes and optimisers from lab.networkCatalog() (net-train-options.js), the heads from
// net-train-heads.js.
// A change edits the state and tells the view what kind of change it was, because that decides
// what happens to the weights:
//   'data'  new data (new run)              'arch'  new shapes or a new initialisation (new run)
//   'soft'  activation, head, loss, optimiser, batch: the weights are kept
//   'own'   own points edited (weights kept) 'view'  nothing to retrain (editing tools)
// An error the lab reports is shown in the group its field belongs to (showError), the page's
// own checks (a width that is not a whole number) beside their field. The own points' CSV box is
// net-train-csv.js: the page's writes of the points never overwrite a text the student has not applied.
import { h, uid } from './util.js';
import { renderParams, initialValue } from './params.js';
import { colorName } from './palette.js';
import { headsFor, findHead, defaultHead } from './net-train-heads.js';
import { networkOptions, optimizerKeywords, optimizerControls, sirenW0, changedOnly } from './net-train-options.js';
import { MAX_CLASSES } from './net-data.js';
import { csvBox } from './net-train-csv.js';
import { FORMULA, FORMULA_START, isFormula, hasFormulas, createFormulaField } from './net-formula.js';

const field = (label, control, hint) => {
  const id = control.id || (control.id = uid('nt'));
  return h('div', { class: 'nt-field' }, h('label', { for: id, text: label }), control, hint ? h('span', { class: 'muted small', text: hint }) : null);
};
const num = (attrs) => h('input', { type: 'number', class: 'num', ...attrs });
const errorBox = () => h('div', { class: 'field-error', role: 'alert', hidden: true });
const showIn = (box, msg) => { box.hidden = !msg; box.textContent = msg ?? ''; };

// shared: lane B of Compare, whose data and seed are lane A's (those controls are hidden).
export function buildControls({ lab, catalog, st, onChange, theme, shared = false }) {
  const sets = lab.datasets();
  const opts = networkOptions(lab);
  const { OPTIMIZERS, INIT_SCHEMES } = opts;
  const acts = catalog.activations.filter((s) => s.kind === 'elementwise');
  const lossSpec = (name) => catalog.losses.find((s) => s.name === name);
  const errors = { data: errorBox(), net: errorBox(), head: errorBox(), opt: errorBox(), init: errorBox(), hidden: errorBox() };
  const ui = {};
  // The parameter row edited last ({rows: 'optErr', name: 'lr'}): the lab's message about its
  // group goes under that row, beside the field that was typed in — the group's own box sits at
  // the group's end, in the optimiser's case some 700 px below the learning rate.
  let edited = null;
  let shownAt = null;  // where the current message is (kept while the same message stands)

  // ---------------------------------------------------------------- data
  const dataSel = h('select', {},
    h('optgroup', { label: 'Classification (2-D)' }, sets.filter((s) => s.classification).map((s) => h('option', { value: s.name, text: s.name, title: s.doc }))),
    h('optgroup', { label: 'Regression (1-D)' }, sets.filter((s) => !s.classification).map((s) => h('option', { value: s.name, text: s.name, title: s.doc }))),
    h('option', { value: 'own', text: 'your own points' }));
  const dataDoc = h('p', { class: 'muted small nt-doc' });
  const nBox = num({ min: 1, max: 5000, step: 1 });
  const noiseBox = num({ min: 0, step: 0.05 });
  const classBox = num({ min: 2, max: MAX_CLASSES, step: 1 });
  const splitBox = num({ min: 0.05, max: 0.95, step: 0.05 });
  const dseedBox = num({ min: 0, step: 1 });
  const engineRows = h('div', { class: 'nt-grid' }, field('points', nBox), field('noise', noiseBox), field('classes', classBox),
    field('train share', splitBox), field('data seed', dseedBox));
  const setData = (k, v) => { st.data[k] = v; onChange('data'); };
  const intIn = (box, k, lo, hi) => box.addEventListener('change', () => {
    const v = Number(box.value);
    if (!Number.isInteger(v) || v < lo || v > hi) return showIn(errors.data, `${box.labels?.[0]?.textContent ?? k}: a whole number from ${lo} to ${hi}, got '${box.value}'`);
    setData(k, v);
  });
  intIn(nBox, 'n', 1, 5000);
  intIn(classBox, 'classes', 2, MAX_CLASSES);
  intIn(dseedBox, 'seed', 0, 2 ** 32 - 1);
  noiseBox.addEventListener('change', () => {
    const v = Number(noiseBox.value);
    if (noiseBox.value.trim() === '' || !(v >= 0) || !Number.isFinite(v)) return showIn(errors.data, `noise: a number ≥ 0, got '${noiseBox.value}'`);
    setData('noise', v);
  });
  splitBox.addEventListener('change', () => {
    const v = Number(splitBox.value);
    if (!(v > 0 && v < 1)) return showIn(errors.data, `train share: a number between 0 and 1 (exclusive), got '${splitBox.value}'`);
    setData('split', v);
  });
  dataSel.addEventListener('change', () => {
    if (dataSel.value === 'own') { onChange('to-own'); return; }
    const was = sets.find((s) => s.name === st.data.name)?.classification;
    st.data.name = dataSel.value;
    st.points = null;
    // noise is on the inputs (±5 wide) for classification, on y (±1) for regression
    const now = sets.find((s) => s.name === st.data.name)?.classification;
    if (was !== undefined && was !== now) st.data.noise = now ? 0.5 : 0.05;
    onChange('data');
  });

  // own points: tools, class and set pickers, CSV
  const tool = h('select', {}, h('option', { value: 'add', text: 'add and move (right-click deletes)' }), h('option', { value: 'delete', text: 'delete' }));
  const classSel = h('select', {}, Array.from({ length: MAX_CLASSES }, (_, k) => h('option', { value: String(k), text: `class ${k}` })));
  const setSel = h('select', {}, h('option', { value: 'train', text: 'training set' }), h('option', { value: 'test', text: 'test set' }));
  const csv = csvBox({ onApply: (text) => onChange('csv', text) });
  const file = h('input', { type: 'file', accept: '.csv,text/csv,text/plain', class: 'visually-hidden', tabIndex: -1, 'aria-label': 'CSV file of points' });
  const fileBtn = h('button', { type: 'button', class: 'btn btn-small', text: 'Load CSV file…', onclick: () => file.click() });
  const applyBtn = h('button', { type: 'button', class: 'btn btn-small', text: 'Use these points' });
  const editBtn = h('button', { type: 'button', class: 'btn btn-small', text: 'Edit these points', title: 'copy the data set into your own points, to add, move or delete some' });
  const clearBtn = h('button', { type: 'button', class: 'btn btn-small', text: 'Clear all points' });
  applyBtn.addEventListener('click', () => csv.apply());
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    file.value = '';
    await csv.load(f);
  });
  editBtn.addEventListener('click', () => onChange('to-own'));
  clearBtn.addEventListener('click', () => onChange('clear'));
  const ownRows = h('div', { class: 'nt-own' },
    h('div', { class: 'nt-grid' }, field('click tool', tool), field('new point: class', classSel), field('new point goes to', setSel)),
    h('p', { class: 'muted small', text: 'Click on the picture to add a point, drag one to move it, right-click (or the delete tool) to remove it; from the keyboard, focus the picture and move its cross with the arrow keys, Enter adds, Delete removes. Or write the points as CSV below: x1,x2,class (classification) or x,y (regression), one per line, optionally ending in train or test.' }),
    field('points as CSV', csv.text), csv.error, csv.note, h('div', { class: 'nt-row' }, applyBtn, fileBtn, file, clearBtn));
  // data-field: what a course page's lock (edit=…, teach.js) names. A registry parameter's row (the
  // activation's, the loss's) and an optimiser keyword's row stand outside the groups' wrappers and
  // keep their own name (edit=alpha, edit=lr), as in the explorer; the init keywords belong to `init`.
  const lockAs = (name, ...els) => h('div', { dataset: { field: name } }, ...els);
  ui.data = h('fieldset', { class: 'nt-group' }, h('legend', { text: 'Data' }),
    lockAs('data', field('data set', dataSel), dataDoc, engineRows, h('div', { class: 'nt-row' }, editBtn)), lockAs('points', ownRows), errors.data);

  // ---------------------------------------------------------------- network
  const hiddenBox = h('input', { type: 'text', class: 'mono', inputmode: 'numeric', spellcheck: 'false', autocomplete: 'off' });
  hiddenBox.addEventListener('change', () => {
    const t = hiddenBox.value.trim().replace(/^[\s,]+|[\s,]+$/g, '');
    // widths apart by commas, spaces, × or x ("8, 8", "8 8", "8x8"); a stray "x" is not a width
    const readable = t === '' || t === 'none' || /^\d+((\s*[,×x][\s,]*|\s+)\d+)*$/.test(t);
    const w = !readable ? [NaN] : t === '' || t === 'none' ? [] : t.split(/[\s,×x]+/).map(Number);
    if (!w.every((v) => Number.isInteger(v) && v >= 1 && v <= 512) || w.length > 16) {
      return showIn(errors.hidden, `hidden layers: up to 16 widths, whole numbers from 1 to 512, separated by commas (empty: no hidden layer), got '${hiddenBox.value}'`);
    }
    st.hidden = w;
    onChange('arch');
  });
  const actSel = h('select', {});
  const groups = [...new Set(acts.map((s) => s.group))];
  // The engine says which activations a network can use (PReLU's weight, say, is not trained):
  // each is tried once on a 1-1-1 net, and a refused one is listed disabled with the reason.
  const required = (spec) => Object.fromEntries(spec.params.filter((p) => p.required).map((p) => [p.name, initialValue(p)]));
  const refusal = (spec) => {
    try { lab.network({ sizes: [1, 1, 1], activation: { name: spec.name, params: required(spec) } }).delete(); return null; } catch (e) { return e.message; }
  };
  for (const g of groups) {
    actSel.append(h('optgroup', { label: g }, acts.filter((s) => s.group === g).map((s) => {
      const why = refusal(s);
      return h('option', { value: s.name, text: why ? `${s.name} (not in a network)` : s.name, disabled: !!why, title: why ?? s.summary });
    })));
  }
  // issue 11: a typed formula (its text field and parameter rows replace the built-in's rows)
  actSel.append(h('optgroup', { label: 'Your own' }, h('option', { value: FORMULA, text: 'Your formula…', disabled: !hasFormulas(lab), title: 'type f(x): its exact derivative comes from the engine' })));
  let lastFormula = isFormula(st.act) ? st.act.formula : FORMULA_START;
  const formulaField = createFormulaField(lab, {
    onChange: (act, { live }) => {
      st.act = act;
      lastFormula = act.formula;
      if (!live) onChange('soft');
    },
  });
  const actParams = h('div', { class: 'nt-params' });
  const biasBox = h('input', { type: 'checkbox' });
  biasBox.addEventListener('change', () => { st.bias = biasBox.checked; onChange('arch'); });
  actSel.addEventListener('change', () => {
    st.act = actSel.value === FORMULA ? { name: FORMULA, formula: lastFormula, params: {} }
      : { name: actSel.value, params: required(acts.find((s) => s.name === actSel.value)) };
    drawAct();
    if (st.init.weight === 'siren') drawInit();
    onChange('soft');
  });
  const forget = (rows) => { if (edited?.rows === rows) edited = null; };  // its rows are drawn anew
  const drawAct = () => {
    forget('actErr');
    if (isFormula(st.act)) {
      formulaField.set(st.act);
      actParams.replaceChildren(formulaField.root);
      ui.actErr = formulaField;
      return;
    }
    const spec = acts.find((s) => s.name === st.act.name);
    if (!spec) { actParams.replaceChildren(); return; }
    ui.actErr = renderParams(actParams, spec, st.act.params, (name, v, { live }) => {
      edited = { rows: 'actErr', name };
      st.act.params = changedOnly(spec.params, { ...st.act.params, [name]: v });
      if (st.init.weight === 'siren' && name === 'w0') drawInit();  // the w0 the init uses follows
      if (!live) onChange('soft');
    }, { emptyText: `${spec.name} has no parameters.` });
  };
  const initSel = h('select', {}, Object.entries(INIT_SCHEMES).map(([k, s]) => h('option', { value: k, text: s.label })));
  const initParams = h('div', { class: 'nt-params' });
  const initBias = h('select', {}, h('option', { value: 'default', text: 'nn.Linear’s default' }), h('option', { value: 'zeros', text: 'zeros' }));
  const initBiasField = field('biases', initBias);
  const seedBox = num({ min: 0, step: 1 });
  seedBox.addEventListener('change', () => {
    const v = Number(seedBox.value);
    if (!Number.isInteger(v) || v < 0) return showIn(errors.init, `seed: a whole number ≥ 0, got '${seedBox.value}'`);
    st.seed = v;
    onChange('arch');
  });
  initSel.addEventListener('change', () => { st.init = { weight: initSel.value, params: {}, bias: st.init.bias }; drawInit(); onChange('arch'); });
  initBias.addEventListener('change', () => { st.init.bias = initBias.value; onChange('arch'); });
  const drawInit = () => {
    forget('initErr');
    let s = INIT_SCHEMES[st.init.weight] ?? INIT_SCHEMES.default;
    initBiasField.hidden = st.init.weight === 'default';
    if (st.init.weight === 'siren') {
      // the row shows the ω₀ the init uses: its own, else the Sine activation's (the engine's rule),
      // and resets to the activation's
      const used = sirenW0(opts, {}, st.act, acts.find((a) => a.name === st.act.name));
      s = { ...s, params: s.params.map((p) => (p.name === 'w0' ? { ...p, default: used, doc: st.act.name === 'Sine' ? `${p.doc} (default: the Sine activation’s w0)` : p.doc } : p)) };
    }
    ui.initErr = renderParams(initParams, { params: s.params }, st.init.params, (name, v, { live }) => {
      edited = { rows: 'initErr', name };
      st.init.params = changedOnly(s.params, { ...st.init.params, [name]: v });
      if (!live) onChange('arch');
    }, { emptyText: '' });
  };
  const seedField = lockAs('seed', field('model seed (torch.manual_seed)', seedBox));
  seedField.hidden = shared;
  ui.data.hidden = shared;
  ui.net = h('fieldset', { class: 'nt-group' }, h('legend', { text: 'Network' }),
    lockAs('hidden', field('hidden layers (widths)', hiddenBox, 'e.g. 8, 8')), errors.hidden,
    lockAs('act', field('activation', actSel)), actParams,
    lockAs('bias', h('div', { class: 'nt-field nt-check' }, h('label', {}, biasBox, ' biases in every Linear'))), errors.net,
    lockAs('init', field('initialisation', initSel), initParams, initBiasField), seedField, errors.init);

  // ---------------------------------------------------------------- head and loss
  const headSel = h('select', {});
  const headDoc = h('p', { class: 'muted small nt-doc' });
  const lossParams = h('div', { class: 'nt-params' });
  headSel.addEventListener('change', () => { st.head = { loss: headSel.value, params: {} }; drawHead(); onChange('soft'); });
  const drawHead = () => {
    forget('lossErr');
    const spec = lossSpec(st.head.loss);
    if (!spec) { lossParams.replaceChildren(); return; }
    if (Object.keys(st.head.params).length) lossMore.open = true;
    ui.lossErr = renderParams(lossParams, spec, st.head.params, (name, v, { live }) => {
      edited = { rows: 'lossErr', name };
      const next = { ...st.head.params, [name]: v };
      if (spec.params.find((p) => p.name === name)?.type === 'tensor' && v === '') delete next[name];
      st.head.params = changedOnly(spec.params, next);
      if (!live) onChange('soft');
    }, { emptyText: `${spec.name} has no parameters.` });
  };
  // the loss's own parameters (reduction, weights …) are rarely changed here: folded away
  const lossMore = h('details', { class: 'nt-more' }, h('summary', { text: 'loss parameters' }), lossParams);
  ui.head = h('fieldset', { class: 'nt-group' }, h('legend', { text: 'Output head and loss' }), lockAs('head', field('head + loss', headSel), headDoc), lossMore, errors.head);

  // ---------------------------------------------------------------- optimiser
  const optSel = h('select', {}, Object.keys(OPTIMIZERS).map((k) => h('option', { value: k, text: k })));
  const optDoc = h('p', { class: 'muted small nt-doc' });
  const optParams = h('div', { class: 'nt-params' });
  const batchBox = num({ min: 1, step: 1 });
  const resetOnChange = h('input', { type: 'checkbox' });
  batchBox.addEventListener('change', () => {
    const v = Number(batchBox.value);
    if (!Number.isInteger(v) || v < 1) return showIn(errors.opt, `batch size: a whole number ≥ 1, got '${batchBox.value}'`);
    st.batch = v;
    onChange('soft');
  });
  optSel.addEventListener('change', () => { st.opt = { name: optSel.value, params: optimizerKeywords(opts, optSel.value, {}) }; drawOpt(); onChange('soft'); });
  const drawOpt = () => {
    forget('optErr');
    const o = OPTIMIZERS[st.opt.name] ?? OPTIMIZERS.SGD;
    optDoc.textContent = o.text;
    ui.optErr = renderParams(optParams, { params: o.params }, optimizerControls(opts, st.opt.name, st.opt.params), (name, v, { live }) => {
      edited = { rows: 'optErr', name };
      const controls = changedOnly(o.params, { ...optimizerControls(opts, st.opt.name, st.opt.params), [name]: v });
      st.opt.params = optimizerKeywords(opts, st.opt.name, controls);
      if (!live) onChange('soft');
    });
  };
  ui.opt = h('fieldset', { class: 'nt-group' }, h('legend', { text: 'Optimiser' }), lockAs('opt', field('optimiser (torch.optim)', optSel)), optDoc, optParams,
    lockAs('batch', field('batch size', batchBox)), h('div', { class: 'nt-field nt-check' }, h('label', {}, resetOnChange, ' reset the weights when a setting changes')), errors.opt);

  // ---------------------------------------------------------------- refresh from the state
  function refresh(data) {
    const own = st.data.name === 'own';
    dataSel.value = own ? 'own' : st.data.name;
    const info = sets.find((s) => s.name === st.data.name);
    dataDoc.textContent = own ? `${st.points?.length ?? 0} points of your own (${data?.task === 'reg' ? 'x, y: regression' : 'x1, x2, class: classification'})` : info?.doc ?? '';
    engineRows.hidden = own;
    editBtn.hidden = own;
    ownRows.hidden = !own;
    nBox.value = st.data.n; noiseBox.value = st.data.noise; splitBox.value = st.data.split; dseedBox.value = st.data.seed;
    classBox.value = st.data.classes;
    classBox.disabled = !info || !info.classification || info.minClasses === info.maxClasses;
    if (info) { classBox.min = info.minClasses || 2; classBox.max = info.maxClasses || 2; }
    hiddenBox.value = st.hidden.join(', ');
    actSel.value = st.act.name;
    biasBox.checked = st.bias;
    initSel.value = INIT_SCHEMES[st.init.weight] ? st.init.weight : 'default';
    initBias.value = st.init.bias;
    seedBox.value = st.seed;
    optSel.value = st.opt.name;
    batchBox.value = st.batch;
    // heads that fit the data
    if (data) {
      const list = headsFor(data.task, data.classes);
      headSel.replaceChildren(...list.map((hd) => h('option', { value: hd.loss, text: hd.output ? `${hd.output.name} + ${hd.loss}` : hd.loss })));
      const hd = findHead(st.head.loss, data.task, data.classes);
      headSel.value = hd ? hd.loss : defaultHead(data.task, data.classes);
      headDoc.textContent = hd?.text ?? '';
      classSel.replaceChildren(...Array.from({ length: MAX_CLASSES }, (_, k) => h('option', { value: String(k), text: `class ${k} (${colorName(k, theme())})` })));
      classSel.value = String(Math.min(Number(classSel.dataset.v ?? 0), MAX_CLASSES - 1));
      classSel.parentElement.hidden = data.task === 'reg';
    }
  }
  classSel.addEventListener('change', () => { classSel.dataset.v = classSel.value; });

  drawAct(); drawInit(); drawHead(); drawOpt();
  return {
    groups: [ui.data, ui.net, ui.head, ui.opt],
    refresh,
    redrawParams() { drawAct(); drawInit(); drawHead(); drawOpt(); },
    // the own points in use, as CSV (over a draft of the student's only once it is applied)
    setCsv: (text, how) => csv.set(text, how),
    csvError: (msg) => csv.showError(msg),
    tool: () => tool.value,
    newClass: () => Number(classSel.value),
    newTest: () => setSel.value === 'test',
    resetOnChange: () => resetOnChange.checked,
    // the lab's message, in the group of the field it names; null clears every group
    showError(msg) {
      for (const b of Object.values(errors)) showIn(b, null);
      ui.actErr?.showError?.(null); ui.lossErr?.showError?.(null); ui.optErr?.showError?.(null); ui.initErr?.showError?.(null);
      const before = shownAt;
      shownAt = null;
      if (!msg) return;
      const key = /^(\w+)/.exec(msg)?.[1] ?? '';
      // a formula that does not parse already shows its message, with the caret, under its field
      if (key === 'activation' && ui.actErr?.invalid && msg.startsWith('activation: formula: ')) return;
      const group = { activation: 'net', sizes: 'net', output: 'head', loss: 'head', target: 'head', optimizer: 'opt', batchSize: 'opt', init: 'init', data: 'data', name: 'data', n: 'data', noise: 'data', classes: 'data', trainRatio: 'data' }[key] ?? 'net';
      if (group === 'head') lossMore.open = true;
      const owner = { actErr: 'net', initErr: 'init', lossErr: 'head', optErr: 'opt' };
      const row = before?.msg === msg ? before.row : edited;
      const box = { actErr: actParams, initErr: initParams, lossErr: lossParams, optErr: optParams }[row?.rows];
      if (row && owner[row.rows] === group && box?.querySelector(`[data-param="${CSS.escape(row.name)}"]`)) {
        ui[row.rows].showError(row.name, msg);
        shownAt = { msg, row };
        return;
      }
      showIn(errors[group], msg);
    },
  };
}
