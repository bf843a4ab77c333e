// Design note: the depth view — signal propagation at initialisation. It owns the depth state,
// runs the experiment through net-depth-model.js (the engine does all the arithmetic: network,
// gradients, per-layer statistics, mean-field theory) and draws it: two layer × value heatmaps
// (activations, back-propagated gradients ∂L/∂pre) with the dead and saturated shares beside the
// rows, std and mean per layer as lines with the mean-field prediction dashed over them, and the
// (σ_w², σ_b²) phase diagram whose click sets a normal init. Every number on screen is one the
// engine returned, formatted by util.js fmt; the table under "Numbers per layer" holds them all, and
// the summary line says in words what the graphs show (for screen readers, and for the tests).
// A slider drag redraws once per frame (perFrame); the run keeps its network while only the batch
// or the activation changes. A redraw is progressive (net-depth-progress.js): the first block of
// examples is drawn at once, the rest in short tasks. What a partial state shows is exact for the
// examples done and says so — "first 32 of 256 examples" beside every graph's title, in the
// canvases' labels, the status line and the readout — while the summary and the table wait for the
// complete state (the table is empty, a line says how far it is), which equals a one-shot run bit
// for bit. An engine error (a bad activation parameter, say) is shown under the field it names.
import { h, fmt, perFrame, copyButton } from './util.js';
import { depthScript } from './net-depth-snippet.js';
import { colorOf } from './palette.js';
import { DepthRun, theoryOf, SCHEMES, schemeParams } from './net-depth-model.js';
import { Progressive } from './net-depth-progress.js';
import { Heatmap, ShadeKey, KEY_SHARES, shadeOf } from './net-depth-heat.js';
import { LineChart } from './net-depth-lines.js';
import { PhaseDiagram, SB2_MAX } from './net-phase.js';
import { createDepthControls } from './net-depth-controls.js';
import { PRESETS } from './net-depth-presets.js';
import { defaultDepthState } from './net-state.js';
import { isFormula, engineAct, actLabel } from './net-formula.js';

// (the table's digits: the PyTorch script prints page(100 * share, 3); a share is never below 1e-6)
const pct = (v) => (Number.isFinite(v) ? `${fmt(100 * v, 3)} %` : '—');
// three significant digits, four in e-notation (fmt(2.47e11, 3) is "2e+11": one digit, a 19 % error)
const sig3 = (v) => fmt(v, Math.abs(v) >= 1e-4 && Math.abs(v) < 1e7 ? 3 : 6);
// A text whose "1 %", "43.8 %" stay on one line (a legend broke "below 1" | "% going back"): each
// number with its sign in a nowrap span, the text itself (textContent) unchanged.
const keepPct = (text) => text.split(/(\S+ %)/).map((t, i) => (i % 2 ? h('span', { style: 'white-space: nowrap', text: t }) : t));

export function createDepthView(root, { lab, catalog, state, setState, theme, canEdit = () => true, embedded = false }) {
  const d = state;  // the tab's depth state, changed in place; setState() writes the link
  const run = new DepthRun(lab);
  const progress = new Progressive();
  let result = null;
  let generation = 0;   // one per redraw started; the paint log below names it
  const paints = [];    // {generation, done, total, at}: what was drawn when (tests, web/bench.mjs)
  const waiters = [];   // resolved at the next complete paint
  let preset = null;
  let picked = null;
  let timing = null;
  const say = h('p', { class: 'net-summary', id: 'net-depth-summary', 'aria-live': 'polite' });
  const error = h('p', { class: 'banner-error', role: 'alert', hidden: true });
  const look = h('p', { class: 'net-look', hidden: true });
  const status = h('p', { class: 'net-progress small muted', hidden: true });
  const readout = h('p', { class: 'net-readout small', 'aria-live': 'polite', text: 'Point at a row of a heatmap (or focus it and use ↑ ↓) for that layer\'s numbers.' });
  const labels = new Map();  // canvas -> its label for a complete state
  const canvas = (label) => {
    const c = h('canvas', { role: 'img', 'aria-label': label, 'aria-describedby': 'net-depth-summary' });
    labels.set(c, label);
    return c;
  };
  const partialTags = [];  // "first 32 of 256 examples" beside each graph's title
  const tag = () => { const t = h('span', { class: 'net-partial', style: 'font-weight: 400', hidden: true }); partialTags.push(t); return t; };
  const shading = 'shade: the square root of each bin\'s share of its layer\'s fullest bin';
  const heatActC = canvas(`Heatmap of the activations per layer (${shading})`);
  const heatGradC = canvas(`Heatmap of the back-propagated gradients per layer (${shading})`);
  // the key in words, from the shares it draws: "25 % of the fullest bin: shaded 50 % of the way …"
  const keyImg = h('img', { class: 'net-heat-key-img', alt: `Shade key. An empty bin: the background. ${KEY_SHARES.filter((v) => v > 0).map((v) => `${fmt(100 * v)} % of the fullest bin: shaded ${fmt(100 * shadeOf(v), 3)} % of the way to the full colour`).join('; ')}.` });
  const stdC = canvas('Standard deviation per layer, measured and predicted');
  const gradC = canvas('Gradient standard deviation per layer');
  const meanC = canvas('Mean of the activations per layer, measured and predicted');
  // the gradient's mean on its own axes: beside the activations' (−1…1 for tanh) it can run to
  // ±2e8 (tanh under normal(0, 1), SIREN's default init) and flatten their line
  const gradMeanC = canvas('Gradient mean per layer');
  const phaseC = canvas('Phase diagram: sigma_w squared against sigma_b squared, with the order-to-chaos line');
  const onPick = (i) => { picked = i; showLayer(); heatAct.picked = i; heatGrad.picked = i; heatAct.draw(); heatGrad.draw(); };
  // in an embed the heatmaps are what the first screenful shows: sized to the frame's height (each
  // half of it when a narrow frame stacks them)
  const stacked = () => heatActC.parentElement.offsetTop !== heatGradC.parentElement.offsetTop;
  const heatHeight = embedded ? () => Math.round(Math.max(140, Math.min(300, stacked() ? (window.innerHeight - 190) / 2 : window.innerHeight - 140))) : 300;
  const heatAct = new Heatmap(heatActC, { onPick, height: heatHeight });
  const heatGrad = new Heatmap(heatGradC, { onPick, marks: false, height: heatHeight });
  const stdChart = new LineChart(stdC, { log: true, yLabel: 'std' });
  const gradChart = new LineChart(gradC, { log: true, yLabel: 'std of ∂L/∂pre' });
  const meanChart = new LineChart(meanC, { yLabel: 'mean' });
  const gradMeanChart = new LineChart(gradMeanC, { yLabel: 'mean' })  // (the title says whose: a longer one outgrows a phone's chart);
  const shadeKey = new ShadeKey(keyImg);
  const phaseNote = h('p', { class: 'small muted net-phase-note', 'aria-live': 'polite' });
  const phase = new PhaseDiagram(phaseC, {
    lab,
    // a course page's lock (edit=…) covers the diagram too: it sets the init
    onPick: (sw2, sb2) => {
      if (!canEdit('init')) { phaseNote.textContent = 'The init is fixed by this course page.'; return; }
      change({ init: { scheme: 'normal', params: { sw2, sb2 } } }, { live: false, rows: true });  // its boxes show the new values
    },
    onStatus: (text) => { phaseNote.textContent = text; },
    onTraced: () => phaseText(),
  });
  const legend = (items) => h('ul', { class: 'net-legend small' }, items.map(([text, color, dashed]) => h('li', {},
    h('span', { class: `line-sample${dashed ? ' dashed' : ''}`, style: `border-color: ${color}` }), keepPct(` ${text}`))));
  const legends = { std: h('div'), grad: h('div'), mean: h('div'), gradMean: h('div') };
  const heatTitleText = h('span');
  const heatTitle = h('figcaption', { class: 'panel-title' }, heatTitleText, tag());
  const script = h('pre', { class: 'net-script-code mono', tabIndex: 0 });
  const table = h('table', { class: 'readout-table net-table' });
  const tableNote = h('p', { class: 'small muted', hidden: true });
  const graphs = h('section', { class: 'panel net-graphs', 'aria-label': 'Depth view graphs' },
    say, status, error, look,
    h('div', { class: 'net-heat-grid' },
      h('figure', { class: 'net-fig' }, heatTitle, heatActC),
      h('figure', { class: 'net-fig' }, h('figcaption', { class: 'panel-title' }, 'Gradients ∂L/∂pre', tag()), heatGradC)),
    h('div', { class: 'net-heat-key small muted' }, h('span', { text: 'Shade, as a share of the layer\'s fullest bin:' }), h('div', { class: 'net-heat-key-bar' }, keyImg)),
    readout,
    h('p', { class: 'small muted net-heat-note', text: 'Shade: the square root of how full each bin is, relative to that layer\'s fullest bin (one value axis for all layers), so a thin tail still shows: a bin a quarter as full as the fullest is shaded half-way, not a quarter of the way (the key above). Beside the rows, as bars (a full column is 100 %): the share of dead units (no output and no gradient for the whole batch) and of saturated entries (|f′| < 0.01).' }),
    h('div', { class: 'net-line-grid' },
      ...[['Std per layer', stdC, legends.std], ['Gradient std per layer', gradC, legends.grad], ['Mean per layer', meanC, legends.mean], ['Gradient mean per layer', gradMeanC, legends.gradMean]]
        .map(([title, c, l]) => h('figure', { class: 'net-fig' }, h('figcaption', { class: 'panel-title' }, title, tag()), c, l))),
    h('details', { class: 'net-numbers' }, h('summary', { text: 'Numbers per layer' }), tableNote, h('div', { class: 'net-table-wrap' }, table)),
    h('details', { class: 'net-numbers net-script' }, h('summary', { text: 'PyTorch script (prints this table)' }),
      h('div', { class: 'net-script-bar' }, copyButton(() => depthScript(lab, d), 'Copy script')), script));
  const side = h('section', { class: 'panel net-phase', 'aria-label': 'Phase diagram' },
    // (in a box of its own: drawn at the panel's width with its padding, the canvas was shown
    // shrunk, and a click set another σ_w² than the axis said under the pointer)
    h('h2', { class: 'panel-title', text: 'Phase diagram (σ_w², σ_b²)' }), h('div', { class: 'net-phase-box' }, phaseC), phaseNote,
    h('p', { class: 'small muted', text: `The χ = 1 line separates ordered inits (signals and gradients shrink with depth) from chaotic ones (they grow). Click to set the init to W ~ N(0, σ_w²/width), b ~ N(0, σ_b²); or focus the diagram, move with the arrow keys (Shift: ten steps) and press Enter.` }));
  const layout = h('div', { class: 'net-depth' });
  root.replaceChildren(layout);
  const controls = createDepthControls(layout, { lab, catalog, state: d, onChange: (p, o) => change(p, o), onPreset: (p) => applyPreset(p) });
  layout.append(graphs, side);

  // A state from a link: the preset it is (a preset's link), with its sentence and pressed button
  const presetState = (st) => JSON.stringify({ depth: st.depth, width: st.width, batch: st.batch, act: st.act, init: st.init });
  function fromLink() {
    preset = PRESETS.find((p) => JSON.stringify(p.state) === presetState(d)) ?? null;
    look.hidden = !preset;
    look.textContent = preset?.look ?? '';
    controls.set(d, preset?.id ?? null);
  }

  function applyPreset(p) {
    preset = p;
    Object.assign(d, { ...defaultDepthState(), seed: d.seed, show: d.show, ...structuredClone(p.state) });
    controls.set(d, p.id);
    look.hidden = false;
    look.textContent = p.look;
    setState();
    redraw();
  }

  function change(patch, { live, rows: force = false }) {
    // a new activation or scheme redraws the parameter rows; a parameter's own change must not
    // (it would replace the slider being dragged)
    const rows = force || (patch.act && patch.act.name !== d.act.name) || (patch.init && patch.init.scheme !== d.init.scheme);
    Object.assign(d, patch);
    if (Object.keys(patch).every((k) => k === 'show') && result) {  // the same numbers, another heatmap
      if (!live) setState();
      paint();
      return;
    }
    if (preset && JSON.stringify(preset.state) !== presetState(d)) {
      preset = null;
      look.hidden = true;
    }
    if (rows) controls.set(d, preset?.id, { keep: true });
    else controls.mark(preset?.id);
    if (!live) setState();
    redraw();
  }

  // A redraw per frame at most; its first block is drawn in that frame, the rest follows in tasks.
  // A change stops the running redraw at once: nothing of the older state is drawn after it.
  // The first block's budget counts from the change (the earliest one a frame takes up).
  let changedAt = null;
  const frame = perFrame(() => start());
  const redraw = () => { progress.cancel(); changedAt ??= performance.now(); frame(); };

  function start() {
    generation++;
    progress.cancel();
    let job;
    const t0 = performance.now();
    const since = changedAt ?? t0;
    changedAt = null;
    try {
      checkOwnParams(d);
      job = run.begin(d);  // the network (new weights or new modules) and the inputs
    } catch (e) {
      failed(e);
      return;
    }
    const gen = generation;
    timing = { begin: performance.now() - t0 };
    progress.run(job, {
      show: (r) => {
        const t = performance.now();
        result = r;
        error.hidden = true;
        controls.showError(null);
        paint();
        paints.push({ generation: gen, done: r.done, total: r.total, at: performance.now() });
        if (paints.length > 64) paints.splice(0, paints.length - 64);
        timing.paint = performance.now() - t;
        if (r.done === r.total) for (const w of waiters.splice(0)) w();
      },
      failed,
      since,
      started: t0,
    });
    timing.firstTask = performance.now() - t0;  // the network, the inputs and the first block, in one task
  }

  function failed(e) {
    result = null;
    graphs.removeAttribute('aria-busy');
    status.hidden = true;
    // a formula that does not parse already says why under its field, with the caret: point there
    if (/^(activation|output): formula: /.test(e.message) && controls.formulaInvalid()) {
      error.hidden = true;
      controls.showError(null);
      say.textContent = 'Nothing to show until the formula under "Activation" parses.';
      return;
    }
    error.hidden = false;
    error.textContent = e.message;
    controls.showError(/^(activation|output)/.test(e.message) ? 'act' : /^init/.test(e.message) ? 'init' : null, e.message);
    say.textContent = `Nothing to show: ${e.message}`;
  }

  // The page's own keywords (the normal scheme's σ_w², σ_b²: no PyTorch call checks them) in their
  // ranges: a negative σ_b² would leave the biases at 0 and feed the theory a negative variance.
  function checkOwnParams(st) {
    const s = SCHEMES[st.init.scheme];
    const p = s && schemeParams(st.init);
    for (const k of s?.params ?? []) {
      if (k.sliderMin !== undefined || k.type !== 'float') continue;  // (a torch.nn.init keyword: the engine checks it)
      const v = p[k.name];
      if (!(typeof v === 'number' && v >= k.min && v <= k.max)) throw new Error(`init: ${k.label} (${k.name}) must be a number from ${k.min} to ${fmt(k.max)}, got ${v}`);
    }
  }

  // "first 32 of 256 examples" while a redraw is under way, nothing once complete
  function partialText() {
    return result.done < result.total ? `first ${result.done} of ${result.total} examples` : '';
  }

  function markPartial() {
    const part = partialText();
    for (const t of partialTags) { t.hidden = !part; t.textContent = part ? ` — ${part}` : ''; }
    for (const [c, label] of labels) c.setAttribute('aria-label', part ? `${label} (${part}; computing the rest)` : label);
    graphs.dataset.done = String(result.done);
    graphs.dataset.total = String(result.total);
    status.hidden = !part;
    tableNote.hidden = !part;
    if (part) {
      graphs.setAttribute('aria-busy', 'true');  // the summary is announced once, when complete
      status.textContent = `Computing: ${result.done} of ${result.total} examples done. The graphs show the exact values for the ${part}${result.theory ? '' : ', the mean-field prediction follows'}; the summary and the table follow when all ${result.total} are done.`;
      tableNote.textContent = `Computing… ${result.done}/${result.total} examples; the numbers appear when all are done.`;
    } else graphs.removeAttribute('aria-busy');
  }

  function paint() {
    const th = theme();
    const L = result.layers;
    const key = d.show;
    heatTitle.title = heatTitleText.textContent = key === 'post' ? `Activations ${isFormula(d.act) ? 'f' : d.act.name}(Wx + b)` : 'Pre-activations Wx + b';
    heatAct.update({ rows: L.map((s) => ({ counts: s[key].histogram.counts, dead: s.dead, saturated: s.saturated })), range: result.ranges[key], xLabel: key === 'post' ? 'value' : 'pre-activation' });
    heatGrad.update({ rows: L.map((s) => ({ counts: s.grad.histogram.counts })), range: result.ranges.grad, xLabel: '∂L/∂pre' });
    shadeKey.update();
    const t = result.theory;  // null until the mean-field prediction is in (a partial state)
    const pred = t?.layers;
    const c = (i) => colorOf(i, th);
    const stdSeries = [
      { label: 'post std', color: c(0), values: L.map((s) => s.post.std) },
      { label: 'pre std', color: c(1), values: L.map((s) => s.pre.std) },
    ];
    if (pred) {
      stdSeries.push({ label: 'predicted post std', color: c(0), dash: [6, 4], width: 1.5, values: Array.from(pred.postVar, Math.sqrt) });
      stdSeries.push({ label: 'predicted pre std √q', color: c(1), dash: [6, 4], width: 1.5, values: Array.from(pred.q, Math.sqrt) });
    }
    stdChart.update({ n: L.length, series: stdSeries });
    legends.std.replaceChildren(legend(stdSeries.map((s) => [s.label, s.color, !!s.dash])));
    const f = result.floor;
    gradChart.update({
      n: L.length, series: [{ label: 'grad std', color: c(2), values: L.map((s) => s.grad.std) }],
      hline: f.last > 0 ? { value: f.last * 0.01 } : null, vline: f.layer ? { x: f.layer } : null,
    });
    // the guides' entries only when drawn: the 1 % line, and the layer where the gradient falls below it
    const guide = th === 'dark' ? '#9ba5b6' : '#566071';
    legends.grad.replaceChildren(legend([['std of ∂L/∂pre', c(2)], f.last > 0 && Number.isFinite(f.last) && ['1 % of the last layer\'s', guide, true],
      f.layer && [`layer ${f.layer} (vertical line): the first below 1 %, going back`, guide, true]].filter(Boolean)));
    const meanSeries = [
      { label: 'post mean', color: c(0), values: L.map((s) => s.post.mean) },
    ];
    if (pred) meanSeries.push({ label: 'predicted post mean', color: c(0), dash: [6, 4], width: 1.5, values: Array.from(pred.postMean) });
    meanChart.update({ n: L.length, series: meanSeries });
    legends.mean.replaceChildren(legend(meanSeries.map((s) => [s.label, s.color, !!s.dash])));
    const gradMeanSeries = [{ label: 'mean of ∂L/∂pre', color: c(2), values: L.map((s) => s.grad.mean) }];
    gradMeanChart.update({ n: L.length, series: gradMeanSeries });
    legends.gradMean.replaceChildren(legend(gradMeanSeries.map((s) => [s.label, s.color, !!s.dash])));
    const point = t ?? theoryOf(d);
    phase.update(engineAct(d.act), { sw2: point.sw2, sb2: point.sb2 });
    phaseText();
    markPartial();
    const complete = result.done === result.total;
    say.replaceChildren(...keepPct(complete ? summary() : `Computing ${actLabel(d.act)}, ${d.depth} layer${d.depth > 1 ? 's' : ''} of width ${d.width}, batch ${d.batch}: ${result.done} of ${result.total} examples done.`));
    if (complete) writeTable();
    else table.replaceChildren();
    script.textContent = depthScript(lab, d);
    showLayer();
  }

  function phaseText() {
    if (!result) return;
    const t = result.theory ?? theoryOf(d);
    phaseNote.textContent = `This init: σ_w² = ${fmt(t.sw2)}, σ_b² = ${fmt(t.sb2)}${t.sw2 > phase.xmax || t.sb2 > SB2_MAX ? ' (beyond the axes: the arrow at the edge)' : ''}. ${phase.describe()}`;
  }

  function summary() {
    const L = result.layers;
    const t = result.theory;
    const first = L[0];
    const last = L.at(-1);
    const f = result.floor;
    const parts = [`${actLabel(d.act)}, ${d.depth} layer${d.depth > 1 ? 's' : ''} of width ${d.width}, batch ${d.batch}, ${SCHEMES[d.init.scheme].short} init, seed ${d.seed}.`];
    // float64 overflows (σ_w² far in the chaotic phase, deep): from which layer, not "nan times"
    const over = (k) => L.findIndex((s) => !Number.isFinite(s[k].std)) + 1;
    parts.push(`Activations' std: ${fmt(first.post.std)} at layer 1${L.length > 1 ? `, ${fmt(last.post.std)} at layer ${L.length}` : ''}${t.layers ? ` (mean-field prediction ${fmt(Math.sqrt(t.layers.postVar.at(-1)))})` : ''}${over('post') ? `; float64 overflows: the std is ${fmt(L[over('post') - 1].post.std)} first at layer ${over('post')}` : ''}.`);
    const badGrad = L.filter((s) => !Number.isFinite(s.grad.std)).length;
    if (badGrad) parts.push(`The gradient's std is not finite (float64 overflows) in ${badGrad} of ${L.length} layers, ${fmt(f.last)} at the last: there is no 1 % layer to give.`);
    else if (L.length === 1 && f.last > 0) parts.push(`One layer only: its gradient's std is ${fmt(f.last)}, with no layer before it to fall in.`);
    else if (f.layer) parts.push(`The gradient's std falls below 1 % of the last layer's (${fmt(f.last)}) at layer ${f.layer}, going back towards the input.`);
    else if (f.min && f.min.ratio < 1) parts.push(`The gradient's std stays above 1 % of the last layer's (${fmt(f.last)}) in every layer; its lowest is ${pct(f.min.ratio)} of it, at layer ${f.min.layer}.`);
    else if (f.min) parts.push(`The gradient's std does not fall towards the input: at layer 1 it is ${sig3(L[0].grad.std / f.last)} times the last layer's (${fmt(f.last)}).`);
    else parts.push('The last layer receives no gradient.');
    const worst = (k) => L.reduce((m, s, i) => (s[k] > m.v ? { v: s[k], i } : m), { v: 0, i: -1 });
    const dead = worst('dead');
    const sat = worst('saturated');
    parts.push(dead.i < 0 ? 'No dead units.' : `Dead units: up to ${pct(dead.v)} (layer ${dead.i + 1}).`);
    parts.push(sat.i < 0 ? 'No saturated entries.' : `Saturated entries: up to ${pct(sat.v)} (layer ${sat.i + 1}).`);
    if (t.error) parts.push(`No mean-field prediction: ${t.error}`);
    return parts.join(' ');
  }

  function showLayer() {
    if (picked === null || !result || picked >= result.layers.length) return;
    const s = result.layers[picked];
    const p = result.theory?.layers;
    const part = partialText();
    readout.replaceChildren(...keepPct(`Layer ${picked + 1}${part ? ` (${part})` : ''}: activations mean ${fmt(s.post.mean)}, std ${fmt(s.post.std)}; pre std ${fmt(s.pre.std)}${p ? ` (predicted √q ${fmt(Math.sqrt(p.q[picked]))})` : ''}; gradient std ${fmt(s.grad.std)}; dead ${pct(s.dead)}, saturated ${pct(s.saturated)}.`));
  }

  function writeTable() {
    const p = result.theory.layers;
    const head = ['layer', 'pre std', p ? 'predicted √q' : null, 'post mean', 'post std', p ? 'predicted post std' : null, 'grad std', 'dead', 'saturated'].filter(Boolean);
    table.replaceChildren(h('thead', {}, h('tr', {}, head.map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, result.layers.map((s, i) => h('tr', {}, h('th', { scope: 'row', text: String(i + 1) }),
        [s.pre.std, p && Math.sqrt(p.q[i]), s.post.mean, s.post.std, p && Math.sqrt(p.postVar[i]), s.grad.std]
          .filter((v, k) => p || (k !== 1 && k !== 4)).map((v) => h('td', { class: 'num-cell', title: String(v), text: fmt(v) })),
        [s.dead, s.saturated].map((v) => h('td', { class: 'num-cell', title: String(v), text: pct(v) }))))));
  }

  // a resized box redraws the canvases at their new width (no new computation)
  let lastWidth = 0;
  new ResizeObserver(perFrame(() => {
    const w = graphs.clientWidth + side.clientWidth;
    if (!result || w === lastWidth) return;
    lastWidth = w;
    for (const c of [heatAct, heatGrad, stdChart, gradChart, meanChart, gradMeanChart, phase]) c.draw();
    shadeKey.update();
  })).observe(layout);

  fromLink();
  return {
    render() { redraw(); },
    onTheme() { if (result) paint(); phase.draw(); },
    // a link changed by hand: take its state
    setDepthState(next) { Object.assign(d, next); fromLink(); redraw(); },
    result: () => result,
    timing: () => timing,
    // tests and web/bench.mjs: the scheduler (its plan and task queue), the paint log, and a change
    // made as a control makes it, resolved when drawn complete with the times from the change to
    // the first paint of its state and to the complete one (ms)
    progress,
    paints: () => paints.map((p) => ({ ...p })),
    generation: () => generation,
    measure(patch) {
      const t0 = performance.now();
      const gen = generation + 1;
      const done = new Promise((ok) => waiters.push(ok));
      change(patch, { live: true });
      return done.then(() => {
        const mine = paints.filter((p) => p.generation === gen);
        return { first: mine[0].at - t0, complete: mine.at(-1).at - t0, firstDone: mine[0].done, total: mine[0].total, paints: mine.length, begin: timing.begin, firstTask: timing.firstTask, paint: timing.paint };
      });
    },
    theory: () => theoryOf(d),
    phase,
    charts: { heatAct, heatGrad, stdChart, gradChart, meanChart, gradMeanChart },
    shadeKey,  // (its ticks are shares of a bin, not {x, y}: apart from the charts)
    delete() { progress.cancel(); progress.pool?.terminate(); run.delete(); },  // (the worker holds its own network and pass)
  };
}
