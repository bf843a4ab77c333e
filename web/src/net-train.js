// Design note: the Network tab's training playground (issue 10), mounted by the tab's shell as
// createTrainingView({root, lab, catalog, state, setState, app}). `state` is the view's part of
// the link (net-train-state.js); the view works on its own copy and, after every settled change,
// copies it into the object the shell holds and calls setState(that object) to write the link.
// Every number on screen is the engine's: losses from net.gradients, the minibatch steps from
// net.epoch, the picture from net.predict (probabilities through the lab's own Sigmoid/Softmax),
// the gradient norms and dead units from net.statistics; the page only counts correct classes.
// The view holds the data (shared) and the clock (net-train-clock.js); each configuration is a lane (net-train-lane.js),
// one normally, two for Compare (B on A's data and seed; any change restarts both from step 0, so
// the two curves always start from the same weights' seed and can be read against each other).
// While playing, a frame trains each lane to the end of its epoch and redraws the pictures; the
// evaluation and the charts follow at most ten times a second (the readout names its step).
// A link replays (net-train-replay.js): `steps` steps are trained from the seed before the first draw, so the numbers
// after a reload equal those before it — unless the settings changed mid-run with the weights kept
// (one lane only), which the view says. The exports are net-train-exports.js, the own points'
// CSV box net-train-csv.js.
import { h } from './util.js';
import { Lane } from './net-train-lane.js';
import { Panels } from './net-train-panels.js';
import { engineData, ownData, toPoints, parseCsv, toCsv } from './net-data.js';
import { trainExports } from './net-train-exports.js';
import { MAX_LINK_POINTS, defaultTrainState, laneOf } from './net-train-state.js';
import { PRESETS } from './net-train-presets.js';
import { createReplayer } from './net-train-replay.js';
import { createClock } from './net-train-clock.js';
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
  let shellState = state ?? defaultTrainState();
  const st = Object.assign(defaultTrainState(), clone(shellState));
  const theme = () => app?.theme ?? root.closest('[data-theme]')?.dataset.theme ?? 'light';
  let data = null;
  // Why nothing may train now (null: training may go on): the data is unusable (no points, an
  // empty training set) or the lab refused a setting. The lanes keep their last network (a fixed
  // setting carries its weights on), but training it would train settings or data no longer on
  // screen — and the link would name a step count of a run it cannot replay.
  let blocked = null;

  // ---------------------------------------------------------------- lanes
  // embed=network: the picture and the play controls make the first screenful
  const embedded = app?.embed === 'network' || app?.state?.embed === 'network';
  // the room from a picture's top (as if the embed were not scrolled) to the bottom of its visible
  // area, above the "Open in the full lab" line: a title or presentation type moves the top down
  const fitHeight = (el) => {
    const main = root.closest('.main');
    const bottom = Math.min(window.innerHeight, main?.getBoundingClientRect().bottom ?? Infinity);
    const top = el.getBoundingClientRect().top + (main?.scrollTop ?? 0) + window.scrollY;
    return Math.floor(bottom - top) - 4;
  };
  const laneOpts = (name, laneSt, shared) => ({
    name, lab, catalog, st: laneSt, shared, theme, app,
    maxHeight: embedded ? fitHeight : undefined,
    label: `the data and the network’s prediction${name === 'B' ? ', configuration B' : ''}`,
    onChange: (lane, kind, arg) => changed(lane, kind, arg),
    onEdit: (pts, how) => editPoints(pts, how),
  });
  const A = new Lane(laneOpts('A', st, false));
  let B = null;
  const lanes = () => (B ? [A, B] : [A]);
  // B's settings object: its own lane keys, A's data and seed (the same objects, kept in step)
  const bState = () => Object.assign(st.compare, { data: st.data, points: st.points, seed: st.seed });

  // ---------------------------------------------------------------- layout
  const playBtn = h('button', { type: 'button', class: 'btn nt-play', text: '▶ Play', 'aria-pressed': 'false' });
  const stepBtn = h('button', { type: 'button', class: 'btn', text: 'One step', title: 'one optimizer step on the next minibatch' });
  const epochBtn = h('button', { type: 'button', class: 'btn', text: 'One epoch', title: 'train to the end of the epoch' });
  const resetBtn = h('button', { type: 'button', class: 'btn', text: 'Reset weights', title: 'back to the seed’s initial weights, step 0' });
  const stepsOut = h('output', { class: 'nt-steps', 'aria-label': 'steps trained' });
  const rateOut = h('output', { class: 'nt-rate muted small' });
  const note = h('p', { class: 'nt-note small', hidden: true });
  const summary = h('p', { class: 'nt-summary small', 'aria-live': 'polite' });
  const presetSel = h('select', { id: 'nt-preset', dataset: { field: 'preset' } }, h('option', { value: '', text: 'Presets…' }),
    PRESETS.map((p, i) => h('option', { value: String(i), text: p.title })));
  const presetDoc = h('p', { class: 'muted small nt-doc' });
  const compareBtn = h('button', { type: 'button', class: 'btn', text: 'Compare…', 'aria-pressed': 'false', dataset: { field: 'compare' },
    title: 'train a second configuration B beside this one, on the same data and seed' });
  const legend = h('div', { class: 'nt-legend small' });
  const panels = new Panels();
  const laneTabs = h('div', { class: 'nt-row nt-lanetabs', role: 'group', 'aria-label': 'settings of', hidden: true });
  const settings = h('div', { class: 'nt-settings' }, laneTabs);
  const pictures = h('div', { class: 'nt-pictures' });
  const readouts = h('div', { class: 'nt-readouts' });
  const errors = h('div', {});
  let editing = 'A';
  const showSettings = (name) => {
    editing = name;
    for (const ln of lanes()) for (const g of ln.controls.groups) g.parentElement === settings && (g.hidden = ln.name !== name || (ln.name === 'B' && g.dataset.shared === '1'));
    for (const b of laneTabs.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.lane === name));
  };

  const { scriptBox, files } = trainExports({ lanes, data: () => data, points: () => (st.data.name === 'own' ? st.points : null), panels });
  const exportBox = h('div', {});

  const view = h('div', { class: `nt-view${embedded ? ' nt-embed' : ''}` },
    h('div', { class: 'nt-presets nt-row' }, h('label', { for: 'nt-preset', class: 'visually-hidden', text: 'Presets' }), presetSel, compareBtn, presetDoc),
    h('div', { class: 'nt-layout' },
      settings,
      h('div', { class: 'nt-main' },
        h('div', { class: 'nt-toolbar nt-row', role: 'group', 'aria-label': 'training' }, playBtn, stepBtn, epochBtn, resetBtn, stepsOut, rateOut),
        errors, pictures, legend, readouts, note, summary, exportBox, files),
      panels.element));
  root.replaceChildren(view);
  const clock = createClock({
    lanes, blocked: () => blocked, playBtn, rateOut, drawPictures, evaluate: () => evaluate(), drawPanels,
    liveElements: () => [summary, ...lanes().map((ln) => ln.readout)],
    paused: () => { if (lanes().some((ln) => ln.last?.step !== ln.run.steps)) evaluate(); draw(); commit(); },
  });
  const play = () => clock.play();
  const pause = () => clock.pause();
  const replayer = createReplayer({ block, blocked: () => blocked, drawPictures, draw, stepsOut });
  const stopReplay = () => replayer.stop();

  // (Re)places the lanes' pieces in the layout.
  function layoutLanes() {
    for (const g of [...settings.children]) if (g !== laneTabs) g.remove();
    for (const ln of lanes()) settings.append(...ln.controls.groups);
    if (B) B.controls.groups[0].dataset.shared = '1';  // the data group: A's
    laneTabs.hidden = !B;
    laneTabs.replaceChildren(...(B ? lanes().map((ln) => h('button', { type: 'button', class: 'btn btn-small', dataset: { lane: ln.name }, text: `Settings of ${ln.name}`, onclick: () => showSettings(ln.name) })) : []));
    pictures.classList.toggle('nt-two', !!B);
    pictures.replaceChildren(...lanes().map((ln) => h('div', { class: 'nt-lane' }, B ? h('p', { class: 'nt-lane-name', text: `Configuration ${ln.name}` }) : null, ln.picture)));
    readouts.replaceChildren(...lanes().map((ln) => ln.readout));
    errors.replaceChildren(...lanes().map((ln) => ln.error));
    exportBox.replaceChildren(...lanes().map(scriptBox));
    compareBtn.textContent = B ? 'Stop comparing' : 'Compare…';
    compareBtn.setAttribute('aria-pressed', String(!!B));
    showSettings(B ? editing : 'A');
  }

  // ---------------------------------------------------------------- data, networks
  function makeData() {
    return st.data.name === 'own' ? ownData(st.points) : engineData(lab, st.data);
  }
  // Rebuilds what `kind` invalidates, for one lane or all. Returns false when nothing stands.
  function rebuild(kind, only = null) {
    try {
      if (kind === 'data' || kind === 'own' || !data) data = makeData();
    } catch (e) {
      A.controls.showError(`data: ${e.message.replace(/^data: /, '')}`);
      return block('data');
    }
    if (!data.train.y.length) { A.controls.showError('data: the training set is empty: add a point to it'); return block('data'); }
    if (B) bState();
    // Compare restarts both from step 0 on any change; alone, a hyper-parameter change keeps the weights
    const keep = !B && (kind === 'soft' || kind === 'own') && !A.controls.resetOnChange();
    let ok = true;
    for (const ln of (B || !only ? lanes() : [only])) ok = ln.configure(data, keep) && ok;
    // a new run (step 0): the last steps per second were another run's
    if (ok && lanes().every((ln) => ln.run.steps === 0)) rateOut.textContent = '';
    return ok ? block(null) : block('settings');
  }
  // Sets (or, with null, lifts) the reason nothing may train; returns whether training may go on.
  function block(why) {
    blocked = why;
    if (why) pause();
    for (const btn of [playBtn, stepBtn, epochBtn]) btn.disabled = !!why;  // the message says why
    if (why === 'data' && data && A.run.net) drawPanels();
    return !why;
  }
  function refreshControls() {
    for (const ln of lanes()) ln.controls.refresh(data);
  }

  function changed(lane, kind, arg) {
    stopReplay();
    let applied = false;  // the student's CSV text is now the points
    if (kind === 'to-own') {
      if (st.data.name !== 'own') { st.points = toPoints(data); st.data.name = 'own'; }
      A.controls.setCsv(toCsv(st.points));
      kind = 'own';
    } else if (kind === 'clear') {
      st.points = [];
      pause();
      refreshControls();
      A.controls.setCsv(data?.task === 'reg' ? 'x,y,set' : 'x1,x2,class,set');  // the header of no points
      for (const ln of lanes()) ln.canvas.setScene({ ...scene(), points: [] });
      A.controls.showError('data: no points yet: click on the picture to add some, or paste CSV');
      block('data');
      commit();
      return;
    } else if (kind === 'csv') {
      try {
        st.points = parseCsv(arg);
        st.data.name = 'own';
        applied = true;
        A.controls.csvError(null);
      } catch (e) {
        A.controls.csvError(e.message);
        return;
      }
      kind = 'data';
    }
    if (kind === 'data' || kind === 'arch' || B) pause();
    const ok = rebuild(kind, lane);
    refreshControls();
    if (kind === 'data' && st.data.name === 'own') A.controls.setCsv(toCsv(st.points), { applied });
    if (ok) { evaluate(); draw(); }
    commit();
  }

  function editPoints(pts, how) {
    stopReplay();
    if (st.data.name !== 'own') { st.points = toPoints(data); st.data.name = 'own'; }
    st.points = pts;
    if (how === 'move') {  // while dragging: redraw the points only
      for (const ln of lanes()) ln.canvas.setScene({ ...ln.canvas.scene, points: pts });
      return;
    }
    if (!pts.length) { changed(A, 'clear'); return; }
    A.controls.setCsv(toCsv(st.points));
    const wasTask = data?.task;
    if (B) pause();
    let ok = rebuild('own');
    refreshControls();
    if (ok && data.task !== wasTask) ok = lanes().every((ln) => ln.configure(data, false));
    if (ok) { evaluate(); draw(); }
    commit();
  }

  function setCompare(on) {
    stopReplay();
    pause();
    if (on && !B) {
      st.compare = laneOf(st);
      B = new Lane(laneOpts('B', bState(), true));
      editing = 'B';
    } else if (!on && B) {
      B.destroy();
      B = null;
      st.compare = null;
      editing = 'A';
    }
    layoutLanes();
    if (rebuild('arch')) { refreshControls(); for (const ln of lanes()) ln.controls.redrawParams(); evaluate(); draw(); }
    commit();
  }
  compareBtn.addEventListener('click', () => setCompare(!B));

  // ---------------------------------------------------------------- training
  const evaluate = () => { for (const ln of lanes()) ln.evaluate(); };
  function trainSteps(k) {
    if (blocked) { pause(); return false; }
    let ok = true;
    for (const ln of lanes()) if (ln.run.net) ok = ln.train(k === 'epoch' ? ln.run.toEpochEnd() : k) && ok;
    if (!ok) pause();
    return ok;
  }
  const once = (k) => { pause(); if (A.run.net && trainSteps(k)) { evaluate(); draw(); commit(); } };
  stepBtn.addEventListener('click', () => once(1));
  epochBtn.addEventListener('click', () => once('epoch'));
  resetBtn.addEventListener('click', () => { stopReplay(); pause(); if (rebuild('arch')) { evaluate(); draw(); } commit(); });
  presetSel.addEventListener('change', () => {
    const p = PRESETS[Number(presetSel.value)];
    if (!p) { presetDoc.textContent = ''; return; }
    pause();
    const next = Object.assign(defaultTrainState(), clone(p.state));
    if (p.compare) next.compare = { ...laneOf(next), ...clone(p.compare) };
    adopt(next);
    presetDoc.textContent = p.text;
    commit();
  });

  // ---------------------------------------------------------------- drawing
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
    return { task: data.task, points: st.data.name === 'own' ? st.points : toPoints(data), theme: theme(), editable: true };
  }
  function drawPictures() {
    if (!data) return;
    const s = scene();
    const range = viewRange();
    for (const ln of lanes()) ln.drawPicture(s, range);
    stepsOut.textContent = B ? `steps A ${A.run.steps}, B ${B.run.steps}` : `step ${A.run.steps}`;
  }
  function drawPanels() {
    if (!data || !A.run.net) return;
    if (data.task === 'class') {
      legend.replaceChildren(...Array.from({ length: data.classes }, (_, k) => h('span', { class: 'nt-key' },
        h('span', { class: 'nt-swatch', style: `background:${colorOf(k, theme())}` }), `class ${k}`)),
      h('span', { class: 'nt-key muted', text: '● training  ○ test' }));
    } else legend.replaceChildren(h('span', { class: 'nt-key muted', text: '● training  ○ test  — the network’s fit' }));
    panels.update(lanes().filter((ln) => ln.run.net), data.task, theme());
    // no usable data: no numbers of points that are gone
    for (const ln of lanes()) ln.drawReadout(!!B, blocked === 'data');
    const notes = [];
    if (A.run.changedAt !== null) notes.push(`The settings changed at step ${A.run.changedAt} while the weights were kept: the link and the exported script replay the current settings from step 0, so their numbers differ from these.`);
    if (st.data.name === 'own' && st.points.length > MAX_LINK_POINTS) notes.push(`Your ${st.points.length} points are too many for the link (up to ${MAX_LINK_POINTS}): save them with “Points (CSV)”.`);
    note.hidden = !notes.length;
    note.textContent = notes.join(' ');
    if (!clock.playing) summary.textContent = blocked === 'data' ? '' : Panels.summary(lanes());
  }
  function draw() {
    drawPictures();
    drawPanels();
  }

  // ---------------------------------------------------------------- link
  function commit() {
    st.steps = A.run.changedAt === null ? A.run.steps : st.steps;
    if (B) st.compare.steps = B.run.steps;
    const out = clone({ ...st, compare: st.compare ? laneOf(st.compare) : null });
    for (const k of Object.keys(shellState)) delete shellState[k];
    Object.assign(shellState, out);
    setState?.(shellState);
  }

  // Takes a whole state (a link, a preset) and replays its steps.
  function adopt(next) {
    replayer.cancel();  // an older replay stops here, even if this state cannot be built
    const copy = clone(next);  // `next` may be `st` itself (at start)
    for (const k of Object.keys(st)) delete st[k];
    Object.assign(st, defaultTrainState(), copy);
    if (st.data.name === 'own' && !st.points?.length) st.data = defaultTrainState().data;
    // A's controls hold `st` itself (changed in place); B's are built afresh on the new settings
    if (B) { B.destroy(); B = null; }
    if (st.compare) B = new Lane(laneOpts('B', bState(), true));
    layoutLanes();
    data = null;
    if (!rebuild('data')) { refreshControls(); return; }
    refreshControls();
    for (const ln of lanes()) ln.controls.redrawParams();
    if (st.data.name === 'own') A.controls.setCsv(toCsv(st.points));
    evaluate();
    replayer.run(lanes().map((ln) => ({ ln, target: ln === A ? st.steps : st.compare.steps })));
  }
  adopt(st);

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
      adopt(next);
    },
    // for tests and the benchmark
    get lanes() { return lanes(); },
    charts: panels,
    play, pause, draw,
    // one playing frame, timed: an epoch + the pictures; with evaluation, also the evaluation and charts
    frame(withEvaluation = false) {
      const t0 = performance.now();
      trainSteps('epoch');
      const t1 = performance.now();
      drawPictures();
      const t2 = performance.now();
      if (withEvaluation) { evaluate(); drawPanels(); }
      const t3 = performance.now();
      return { epoch: t1 - t0, picture: t2 - t1, evaluation: t3 - t2, total: t3 - t0 };
    },
    destroy() {
      replayer.cancel();
      pause();
      themeObserver.disconnect();
      panels.destroy();
      for (const ln of lanes()) ln.destroy();
    },
  };
}
