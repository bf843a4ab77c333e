// Design note: the Network tab's training playground (issue 10), mounted by the tab's shell as
// createTrainingView({root, lab, catalog, state, setState}). `state` is the view's part of the
// link (net-train-state.js); the view edits its own copy and hands every settled change back via
// setState(copy), which the shell writes into the URL (the step count too, when training pauses).
// Every number on screen is the engine's: losses from net.gradients, the minibatch steps from
// net.epoch, the picture from net.predict (probabilities through the lab's own Sigmoid/Softmax),
// the gradient norms and dead units from net.statistics; the page only counts correct classes.
// One frame trains to the end of the current epoch, evaluates, and redraws: the picture, the
// charts and the readout line, which prints exactly what the exported script prints.
// A link replays: the view trains `steps` steps from the seed before it first draws (a couple of
// hundred epochs of a small net take a fraction of a second), so the numbers after a reload equal
// those before it — provided the settings were not changed mid-run (the view says when they were).
import { h, download, copyButton } from './util.js';
import { buildControls } from './net-train-controls.js';
import { BoundaryCanvas } from './net-boundary.js';
import { LineChart, BarChart } from './net-train-plots.js';
import { TrainingRun } from './net-train-run.js';
import { engineData, ownData, toPoints, parseCsv, toCsv } from './net-data.js';
import { findHead, defaultHead, accuracyText, pyG } from './net-train-heads.js';
import { pytorchScript, evaluationLine, weightsJson, historyCsv } from './net-export.js';
import { MAX_LINK_POINTS, defaultTrainState } from './net-train-state.js';
import { PRESETS } from './net-train-presets.js';
import { colorOf } from './palette.js';
import trainCss from './net-train.css';

const clone = (v) => JSON.parse(JSON.stringify(v));

// The part's build imports the stylesheet as text (a classic script brings no .css file along).
function addStyles(doc) {
  if (typeof trainCss !== 'string' || doc.getElementById('nt-styles')) return;
  doc.head.append(Object.assign(doc.createElement('style'), { id: 'nt-styles', textContent: trainCss }));
}

export function createTrainingView({ root, lab, catalog, state, setState, app }) {
  addStyles(root.ownerDocument);
  // The view works on its own copy; commit() copies it into the object the shell holds (the one
  // it passed in, or a later one handed to setState) and asks the shell to write the link.
  let shellState = state ?? defaultTrainState();
  const st = Object.assign(defaultTrainState(), clone(shellState));
  const theme = () => app?.theme ?? root.closest('[data-theme]')?.dataset.theme ?? 'light';
  const run = new TrainingRun(lab);
  let data = null;
  let head = null;
  let playing = false;
  let raf = 0;
  let rate = { t: 0, steps: 0, value: NaN };

  // ---------------------------------------------------------------- layout
  const controls = buildControls({ lab, catalog, st, onChange: (kind, arg) => changed(kind, arg), theme });
  const playBtn = h('button', { type: 'button', class: 'btn nt-play', text: '▶ Play', 'aria-pressed': 'false' });
  const stepBtn = h('button', { type: 'button', class: 'btn', text: 'One step', title: 'one optimizer step on the next minibatch' });
  const epochBtn = h('button', { type: 'button', class: 'btn', text: 'One epoch', title: 'train to the end of the epoch' });
  const resetBtn = h('button', { type: 'button', class: 'btn', text: 'Reset weights', title: 'back to the seed’s initial weights, step 0' });
  const stepsOut = h('output', { class: 'nt-steps', 'aria-label': 'steps trained' });
  const rateOut = h('output', { class: 'nt-rate muted small' });
  const readout = h('p', { class: 'nt-readout mono', 'aria-live': 'polite' });
  const note = h('p', { class: 'nt-note small', hidden: true });
  const runErr = h('div', { class: 'field-error', role: 'alert', hidden: true });
  const summary = h('p', { class: 'nt-summary small', 'aria-live': 'polite' });
  const presetSel = h('select', { id: 'nt-preset', dataset: { field: 'preset' } }, h('option', { value: '', text: 'Presets…' }), PRESETS.map((p, i) => h('option', { value: String(i), text: p.title })));
  const presetDoc = h('p', { class: 'muted small nt-doc' });
  const picture = h('div', { class: 'nt-picture' });
  const legend = h('div', { class: 'nt-legend small' });
  const canvas = new BoundaryCanvas(picture, {
    label: 'the data and the network’s prediction',
    onEdit: (pts, how) => editPoints(pts, how),
    getTool: () => controls.tool(),
    canEdit: () => app?.teach?.canEdit?.('points') ?? true,
    getClass: () => controls.newClass(),
    getSet: () => controls.newTest(),
  });
  const chartBox = (title) => { const el = h('div', { class: 'nt-chartbox' }); return [h('h3', { class: 'nt-chart-title', text: title }), el]; };
  const [lossTitle, lossEl] = chartBox('Loss (log scale): train —, test - - -');
  const [accTitle, accEl] = chartBox('Accuracy (%): train —, test - - -');
  const [gradTitle, gradEl] = chartBox('‖∂L/∂W‖ per layer (log scale)');
  const [deadTitle, deadEl] = chartBox('Dead units per Linear (no output, no gradient on any training point)');
  const lossChart = new LineChart(lossEl, { label: 'train and test loss over steps', log: true });
  const accChart = new LineChart(accEl, { label: 'train and test accuracy over steps', yMin: 0, yMax: 100 });
  const gradChart = new LineChart(gradEl, { label: 'gradient norm of each layer over steps', log: true });
  const deadChart = new BarChart(deadEl, { label: 'share of dead units per layer' });
  const gradLegend = h('div', { class: 'nt-legend small' });
  const accBlock = h('div', {}, accTitle, accEl);

  const scriptPre = h('pre', { class: 'mono nt-script', tabIndex: 0 });
  const scriptBox = h('details', { class: 'nt-export' }, h('summary', { text: 'Export to PyTorch: a script that reruns this training' }),
    h('p', { class: 'muted small', text: 'It seeds torch, builds the same nn.Sequential, initialises it the same way, writes the data out, and trains on the same minibatches in order; it prints what the line under the picture shows.' }),
    h('div', { class: 'nt-row' }, copyButton(() => script(), 'Copy script'),
      h('button', { type: 'button', class: 'btn btn-small', text: 'Download .py', onclick: () => download(script(), 'playground.py', 'text/x-python') })),
    scriptPre);
  scriptBox.addEventListener('toggle', () => { if (scriptBox.open) scriptPre.textContent = script(); });
  const files = h('div', { class: 'nt-row' },
    h('button', { type: 'button', class: 'btn btn-small', text: 'Weights (JSON)', onclick: () => download(weights(), 'weights.json', 'application/json') }),
    h('button', { type: 'button', class: 'btn btn-small', text: 'History (CSV)', onclick: () => download(historyCsv(run.history, data.task === 'class'), 'history.csv', 'text/csv') }),
    h('button', { type: 'button', class: 'btn btn-small', text: 'Picture (PNG)', onclick: async () => download(await canvas.pngBlob(), 'playground.png') }),
    h('button', { type: 'button', class: 'btn btn-small', text: 'Loss chart (PNG)', onclick: () => lossChart.canvas.toBlob((b) => download(b, 'loss.png')) }),
    h('button', { type: 'button', class: 'btn btn-small', text: 'Gradient chart (PNG)', onclick: () => gradChart.canvas.toBlob((b) => download(b, 'gradients.png')) }),
    h('button', { type: 'button', class: 'btn btn-small', text: 'Points (CSV)', onclick: () => download(`${toCsv(st.data.name === 'own' ? st.points : toPoints(data))}\n`, 'points.csv', 'text/csv') }));

  const view = h('div', { class: 'nt-view' },
    h('div', { class: 'nt-presets nt-row' }, h('label', { for: 'nt-preset', class: 'visually-hidden', text: 'Presets' }), presetSel, presetDoc),
    h('div', { class: 'nt-layout' },
      h('div', { class: 'nt-settings' }, controls.groups),
      h('div', { class: 'nt-main' },
        h('div', { class: 'nt-toolbar nt-row', role: 'group', 'aria-label': 'training' }, playBtn, stepBtn, epochBtn, resetBtn, stepsOut, rateOut),
        runErr, picture, legend, readout, note, summary, scriptBox, files),
      h('div', { class: 'nt-charts' }, lossTitle, lossEl, accBlock, gradTitle, gradEl, gradLegend, deadTitle, deadEl)));
  root.replaceChildren(view);

  // ---------------------------------------------------------------- data, network
  function makeData() {
    if (st.data.name === 'own') return ownData(st.points);
    return engineData(lab, st.data);
  }
  function cfg() {
    return { data, head, hidden: st.hidden, act: st.act, init: st.init, lossParams: st.head.params, opt: st.opt, bias: st.bias, seed: st.seed, batch: st.batch };
  }
  function fitHead() {
    head = findHead(st.head.loss, data.task, data.classes);
    if (!head) {
      st.head = { loss: defaultHead(data.task, data.classes), params: {} };
      head = findHead(st.head.loss, data.task, data.classes);
      controls.redrawParams();
    }
  }
  function showRunError(msg) { runErr.hidden = !msg; runErr.textContent = msg ?? ''; }

  // Rebuilds what `kind` invalidates. Returns false (and shows why) when the lab refuses.
  function rebuild(kind) {
    try {
      if (kind === 'data' || kind === 'own' || !data) data = makeData();
    } catch (e) {
      controls.showError(`data: ${e.message.replace(/^data: /, '')}`);
      return false;
    }
    if (!data.train.y.length) { controls.showError('data: the training set is empty: add a point to it'); return false; }
    fitHead();
    const keep = (kind === 'soft' || kind === 'own') && !controls.resetOnChange();
    try {
      run.configure(cfg(), keep);
    } catch (e) {
      controls.showError(e.message);
      return false;
    }
    controls.showError(null);
    showRunError(null);
    return true;
  }

  function changed(kind, arg) {
    if (kind === 'to-own') {
      if (st.data.name !== 'own') { st.points = toPoints(data); st.data.name = 'own'; }
      controls.setCsv(toCsv(st.points));
      kind = 'own';
    } else if (kind === 'clear') {
      st.points = [];
      pause();
      controls.refresh(data);
      canvas.setScene({ ...scene(), points: [], probs: null, curve: null });
      controls.showError('data: no points yet: click on the picture to add some, or paste CSV');
      commit();
      return;
    } else if (kind === 'csv') {
      try {
        st.points = parseCsv(arg);
        st.data.name = 'own';
        controls.csvError(null);
      } catch (e) {
        controls.csvError(e.message);
        return;
      }
      kind = 'data';
    }
    if (kind === 'data' || kind === 'arch') pause();
    const ok = rebuild(kind === 'own' ? 'own' : kind);
    controls.refresh(data);
    if (kind === 'data' && st.data.name === 'own') controls.setCsv(toCsv(st.points));
    if (ok) { evaluate(); draw(); }
    commit();
  }

  function editPoints(pts, how) {
    if (st.data.name !== 'own') { st.points = toPoints(data); st.data.name = 'own'; }
    st.points = pts;
    if (how === 'move') {  // while dragging: redraw the points only
      canvas.setScene({ ...canvas.scene, points: pts });
      return;
    }
    controls.setCsv(toCsv(st.points));
    if (!pts.length) { changed('clear'); return; }
    const wasTask = data?.task;
    const ok = rebuild('own');
    controls.refresh(data);
    if (ok) { if (data.task !== wasTask) run.configure(cfg(), false); evaluate(); draw(); }
    commit();
  }

  // ---------------------------------------------------------------- training
  let last = null;  // the last evaluation
  function evaluate() {
    if (!run.net) return;
    try {
      last = run.evaluate();
    } catch (e) {
      pause();
      showRunError(e.message);
    }
  }
  function trainSteps(k) {
    try {
      run.train(k);
      return true;
    } catch (e) {
      pause();
      showRunError(e.message);
      return false;
    }
  }
  // One frame while playing: an epoch and the picture; the evaluation (two passes over the data
  // and the statistics) and the charts at most ten times a second, so the frame stays short — the
  // readout names the step it was measured at, and pausing measures the step reached.
  let lastEval = 0;
  function frame(t) {
    raf = 0;
    if (!playing) return;
    if (trainSteps(run.toEpochEnd())) {
      drawPicture();
      if (t - lastEval >= 100) {
        lastEval = t;
        evaluate();
        drawPanels();
      }
      if (!rate.t) rate = { t, steps: run.steps, value: NaN };
      else if (t - rate.t >= 500) { rate = { t, steps: run.steps, value: ((run.steps - rate.steps) * 1000) / (t - rate.t) }; }
      rateOut.textContent = Number.isFinite(rate.value) ? `${Math.round(rate.value)} steps/s` : '';
    }
    if (playing) raf = requestAnimationFrame(frame);
  }
  function play() {
    if (playing || !run.net) return;
    playing = true;
    summary.setAttribute('aria-live', 'off');
    readout.setAttribute('aria-live', 'off');
    playBtn.textContent = '⏸ Pause';
    playBtn.setAttribute('aria-pressed', 'true');
    rate = { t: 0, steps: 0, value: NaN };
    raf = requestAnimationFrame(frame);
  }
  function pause() {
    if (!playing) return;
    playing = false;
    if (raf) cancelAnimationFrame(raf);
    raf = 0;
    playBtn.textContent = '▶ Play';
    playBtn.setAttribute('aria-pressed', 'false');
    summary.setAttribute('aria-live', 'polite');
    readout.setAttribute('aria-live', 'polite');
    if (last?.step !== run.steps) evaluate();
    draw();
    commit();
  }
  playBtn.addEventListener('click', () => (playing ? pause() : play()));
  stepBtn.addEventListener('click', () => { pause(); if (run.net && trainSteps(1)) { evaluate(); draw(); commit(); } });
  epochBtn.addEventListener('click', () => { pause(); if (run.net && trainSteps(run.toEpochEnd())) { evaluate(); draw(); commit(); } });
  resetBtn.addEventListener('click', () => { pause(); if (rebuild('arch')) { evaluate(); draw(); } commit(); });
  presetSel.addEventListener('change', () => {
    const p = PRESETS[Number(presetSel.value)];
    if (!p) { presetDoc.textContent = ''; return; }
    pause();
    Object.assign(st, defaultTrainState(), clone(p.state));
    presetDoc.textContent = p.text;
    data = null;
    rebuild('data');
    controls.refresh(data);
    controls.redrawParams();
    evaluate();
    draw();
    commit();
  });

  // ---------------------------------------------------------------- drawing
  function probabilities(out, width) {
    if (width > 1) return lab.activation('Softmax', { dim: 1 }, { shape: [out.length / width, width], data: out }).y.data;
    if (head.decide === 'prob') return out;
    if (head.output?.name === 'Tanh') return out.map((z) => (z + 1) / 2);  // a ±1 output read as a share
    return lab.activation('Sigmoid', {}, out).y;
  }
  function viewRange() {
    const pts = st.data.name === 'own' ? st.points : null;
    if (data.task === 'class') {
      let lo = data.info ? data.info.xRange[0] * 1.2 : -6, hi = data.info ? data.info.xRange[1] * 1.2 : 6;
      for (const p of pts ?? []) { lo = Math.min(lo, p[0], p[1]); hi = Math.max(hi, p[0], p[1]); }
      return { x: [lo, hi], y: [lo, hi] };
    }
    let [x0, x1] = data.info ? data.info.xRange : [-1, 1];
    let [y0, y1] = data.info ? data.info.yRange : [-1, 1];
    for (const set of [data.train, data.test]) {
      for (let i = 0; i < set.y.length; i++) { x0 = Math.min(x0, set.x[i]); x1 = Math.max(x1, set.x[i]); y0 = Math.min(y0, set.y[i]); y1 = Math.max(y1, set.y[i]); }
    }
    const px = (x1 - x0) * 0.1, py = (y1 - y0) * 0.15 || 1;
    return { x: [x0 - px, x1 + px], y: [y0 - py, y1 + py] };
  }
  function scene() {
    return { task: data.task, points: st.data.name === 'own' ? st.points : toPoints(data), theme: theme(), editable: true, probs: null, curve: null, K: 1 };
  }
  // The picture (one predict over the grid or the curve) and the step count: every frame.
  function drawPicture() {
    if (!data || !run.net) return;
    const s = scene();
    canvas.view = viewRange();
    const width = run.spec.sizes[run.spec.sizes.length - 1];
    try {
      if (data.task === 'class') {
        s.probs = probabilities(run.net.predict(canvas.gridInput()), width);
        s.K = width;
      } else {
        const xs = canvas.curveInput();
        s.curve = { x: xs.data, y: run.net.predict(xs) };
      }
    } catch (e) {
      showRunError(e.message);
    }
    canvas.setScene(s);
    stepsOut.textContent = `step ${run.steps}`;
  }
  // The charts, legends, readout and notes: after each evaluation.
  function drawPanels() {
    if (!data || !run.net) return;
    drawLegend();
    drawCharts();
    readout.textContent = last ? evaluationLine(displayed(last)) : '';
    // the same numbers at full precision, for tests: [step, train loss, train correct, test loss, test correct]
    readout.dataset.exact = last ? JSON.stringify([last.step, last.trainLoss, last.trainCorrect ?? null, last.testLoss ?? null, last.testCorrect ?? null]) : '';
    const notes = [];
    if (run.changedAt !== null) notes.push(`The settings changed at step ${run.changedAt} while the weights were kept: the link and the exported script replay the current settings from step 0, so their numbers differ from these.`);
    if (st.data.name === 'own' && st.points.length > MAX_LINK_POINTS) notes.push(`Your ${st.points.length} points are too many for the link (up to ${MAX_LINK_POINTS}): save them with “Points (CSV)”.`);
    note.hidden = !notes.length;
    note.textContent = notes.join(' ');
    if (!playing) summary.textContent = summarize();
  }
  function draw() {
    drawPicture();
    drawPanels();
  }
  function displayed(ev) {
    const acc = (c, n) => (c === undefined ? undefined : `${c}/${n} (${accuracyText(c, n)})`);
    return { step: ev.step, trainLoss: ev.trainLoss, testLoss: ev.testLoss, trainAcc: acc(ev.trainCorrect, ev.trainTotal), testAcc: acc(ev.testCorrect, ev.testTotal) };
  }
  function drawLegend() {
    if (data.task === 'class') {
      legend.replaceChildren(...Array.from({ length: data.classes }, (_, k) => h('span', { class: 'nt-key' },
        h('span', { class: 'nt-swatch', style: `background:${colorOf(k, theme())}` }), `class ${k}`)),
      h('span', { class: 'nt-key muted', text: '● training  ○ test' }));
    } else legend.replaceChildren(h('span', { class: 'nt-key muted', text: '● training  ○ test  — the network’s fit' }));
  }
  function drawCharts() {
    const hist = run.history;
    const xs = hist.map((e) => e.step);
    const c0 = colorOf(0, theme());
    const c1 = colorOf(1, theme());
    lossChart.update([
      { label: 'train', color: c0, xs, ys: hist.map((e) => e.trainLoss) },
      { label: 'test', color: c1, dash: [5, 4], xs, ys: hist.map((e) => e.testLoss) },
    ]);
    accBlock.hidden = data.task !== 'class';
    if (data.task === 'class') {
      accChart.update([
        { label: 'train', color: c0, xs, ys: hist.map((e) => (100 * e.trainCorrect) / e.trainTotal) },
        { label: 'test', color: c1, dash: [5, 4], xs, ys: hist.map((e) => (e.testTotal ? (100 * e.testCorrect) / e.testTotal : NaN)) },
      ]);
    }
    const layers = run.spec.sizes.length - 1;
    gradChart.update(Array.from({ length: layers }, (_, l) => ({ label: `Linear ${l + 1}`, color: colorOf(l, theme()), xs, ys: hist.map((e) => e.gradNorms[l]) })));
    gradLegend.replaceChildren(...Array.from({ length: layers }, (_, l) => h('span', { class: 'nt-key' },
      h('span', { class: 'nt-swatch', style: `background:${colorOf(l, theme())}` }), `Linear ${l + 1}${last ? ` ${pyG(last.gradNorms[l], 3)}` : ''}`)));
    deadChart.update(Array.from({ length: layers }, (_, l) => {
      const v = last?.dead[l];
      return { label: `Linear ${l + 1}`, value: v, text: Number.isFinite(v) ? `${Math.round(v * 100)} %` : 'n/a' };
    }), theme());
  }
  // The plots in words: loss, accuracy, where the gradient falls below 1 % of the last layer's.
  function summarize() {
    if (!last) return '';
    const parts = [];
    const g = last.gradNorms;
    const top = g[g.length - 1];
    const low = g.findIndex((v, i) => i < g.length - 1 && v < 0.01 * top);
    parts.push(low >= 0 ? `The gradient of Linear ${low + 1} is below 1 % of the last layer’s.` : 'No layer’s gradient is below 1 % of the last layer’s.');
    const dead = last.dead.map((v, i) => [v, i]).filter(([v]) => v > 0);
    if (dead.length) parts.push(`Dead units: ${dead.map(([v, i]) => `Linear ${i + 1} ${Math.round(v * 100)} %`).join(', ')}.`);
    return parts.join(' ');
  }

  // ---------------------------------------------------------------- export, link
  function script() {
    return pytorchScript({ lab, data, head, sizes: run.spec.sizes, act: st.act, init: st.init, lossParams: st.head.params, opt: st.opt, bias: st.bias, batch: st.batch, seed: st.seed, steps: run.steps });
  }
  function weights() {
    return weightsJson(run.net.parameters(), { step: run.steps, sizes: run.spec.sizes, activation: st.act, output: head.output, loss: { name: head.loss, params: st.head.params }, optimizer: st.opt, seed: st.seed });
  }
  function commit() {
    st.steps = run.changedAt === null ? run.steps : st.steps;
    for (const k of Object.keys(shellState)) delete shellState[k];
    Object.assign(shellState, clone(st));
    setState?.(shellState);
  }

  // ---------------------------------------------------------------- start: replay the link's steps
  function start() {
    const target = st.steps;
    if (st.data.name === 'own' && !st.points?.length) st.data = defaultTrainState().data;
    if (!rebuild('data')) { controls.refresh(data); return; }
    controls.refresh(data);
    controls.redrawParams();
    if (st.data.name === 'own') controls.setCsv(toCsv(st.points));
    evaluate();
    // replaying a link: the charts get about 100 evaluations, and one at the step reached
    const every = Math.max(1, Math.floor(target / run.batches / 100));
    for (let epoch = 1; run.steps < target; epoch++) {
      if (!trainSteps(Math.min(run.toEpochEnd(), target - run.steps))) break;
      if (epoch % every === 0 || run.steps === target) evaluate();
    }
    draw();
  }
  start();

  const themeObserver = new MutationObserver(() => draw());
  const themed = root.closest('[data-theme]');
  if (themed) themeObserver.observe(themed, { attributes: true, attributeFilter: ['data-theme'] });

  return {
    element: view,
    render() {},
    onTheme: () => draw(),
    // a link edited by hand: the shell hands over the state it read
    setState(next) {
      pause();
      shellState = next;
      for (const k of Object.keys(st)) delete st[k];
      Object.assign(st, defaultTrainState(), clone(next));
      data = null;
      start();
    },
    // for tests and the benchmark
    get run() { return run; },
    get pictures() { return { canvas, lossChart, accChart, gradChart, deadChart }; },
    get last() { return last; },
    play, pause, draw,
    // one playing frame, timed: an epoch + the picture; with evaluate, also the evaluation and charts
    frame(withEvaluation = false) {
      const t0 = performance.now();
      trainSteps(run.toEpochEnd());
      const t1 = performance.now();
      drawPicture();
      const t2 = performance.now();
      if (withEvaluation) { evaluate(); drawPanels(); }
      const t3 = performance.now();
      return { epoch: t1 - t0, picture: t2 - t1, evaluation: t3 - t2, total: t3 - t0 };
    },
    destroy() {
      pause();
      themeObserver.disconnect();
      canvas.destroy(); lossChart.destroy(); accChart.destroy(); gradChart.destroy(); deadChart.destroy();
      run.delete();
    },
  };
}
