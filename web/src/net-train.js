// Design note: the Network tab's training playground (issue 10), mounted by the tab's shell as
// createTrainingView({root, lab, catalog, state, setState, app}). `state` is the view's part of
// the link (net-train-state.js); the view works on its own copy and, after every settled change,
// copies it into the object the shell holds and calls setState(that object) to write the link.
// Every number on screen is the engine's: losses from net.gradients, the minibatch steps from
// net.epoch, the picture from net.predict (probabilities through the lab's own Sigmoid/Softmax),
// the gradient norms and dead units from net.statistics; the page only counts correct classes.
// The view holds the data (shared) and the clock; each configuration is a lane (net-train-lane.js),
// one normally, two for Compare (B on A's data and seed; any change restarts both from step 0, so
// the two curves always start from the same weights' seed and can be read against each other).
// While playing, a frame trains each lane to the end of its epoch and redraws the pictures; the
// evaluation and the charts follow at most ten times a second (the readout names its step).
// A link replays: `steps` steps are trained from the seed before the first draw, so the numbers
// after a reload equal those before it — unless the settings changed mid-run with the weights kept
// (one lane only), which the view says.
import { h, download, copyButton } from './util.js';
import { Lane } from './net-train-lane.js';
import { Panels } from './net-train-panels.js';
import { engineData, ownData, toPoints, parseCsv, toCsv } from './net-data.js';
import { historyCsv } from './net-export.js';
import { MAX_LINK_POINTS, defaultTrainState, laneOf } from './net-train-state.js';
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
  let shellState = state ?? defaultTrainState();
  const st = Object.assign(defaultTrainState(), clone(shellState));
  const theme = () => app?.theme ?? root.closest('[data-theme]')?.dataset.theme ?? 'light';
  let data = null;
  let playing = false;
  let raf = 0;
  let rate = { t: 0, steps: 0, value: NaN };
  // Why nothing may train now (null: training may go on): the data is unusable (no points, an
  // empty training set) or the lab refused a setting. The lanes keep their last network (a fixed
  // setting carries its weights on), but training it would train settings or data no longer on
  // screen — and the link would name a step count of a run it cannot replay.
  let blocked = null;
  let replayJob = 0;  // the current replay of a link (adopt); a newer one, or a change, stops it

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

  const exports = {};
  const scriptBox = (ln) => {
    const pre = h('pre', { class: 'mono nt-script', tabIndex: 0 });
    const box = h('details', { class: 'nt-export' }, h('summary', { text: `Export to PyTorch${B ? ` (${ln.name})` : ''}: a script that reruns this training` }),
      h('p', { class: 'muted small', text: 'It seeds torch, builds the same nn.Sequential, initialises it the same way, writes the data out, and trains on the same minibatches in order; it prints what the line under the picture shows.' }),
      h('div', { class: 'nt-row' }, copyButton(() => ln.script(data), 'Copy script'),
        h('button', { type: 'button', class: 'btn btn-small', text: 'Download .py', onclick: () => download(ln.script(data), `playground${B ? `-${ln.name}` : ''}.py`, 'text/x-python') })),
      pre);
    box.addEventListener('toggle', () => { if (box.open) pre.textContent = ln.script(data); });
    return box;
  };
  const exportBox = h('div', {});
  const files = h('div', { class: 'nt-row' },
    h('button', { type: 'button', class: 'btn btn-small', text: 'Weights (JSON)', onclick: () => { for (const ln of lanes()) download(ln.weights(), `weights${B ? `-${ln.name}` : ''}.json`, 'application/json'); } }),
    h('button', { type: 'button', class: 'btn btn-small', text: 'History (CSV)', onclick: () => { for (const ln of lanes()) download(historyCsv(ln.run.history, data.task === 'class'), `history${B ? `-${ln.name}` : ''}.csv`, 'text/csv'); } }),
    h('button', { type: 'button', class: 'btn btn-small', text: 'Picture (PNG)', onclick: async () => { for (const ln of lanes()) download(await ln.canvas.pngBlob(), `playground${B ? `-${ln.name}` : ''}.png`); } }),
    h('button', { type: 'button', class: 'btn btn-small', text: 'Loss chart (PNG)', onclick: () => panels.loss.canvas.toBlob((b) => download(b, 'loss.png')) }),
    h('button', { type: 'button', class: 'btn btn-small', text: 'Gradient chart (PNG)', onclick: () => panels.grad.canvas.toBlob((b) => download(b, 'gradients.png')) }),
    h('button', { type: 'button', class: 'btn btn-small', text: 'Loss chart (SVG)', onclick: () => download(panels.loss.svg(), 'loss.svg', 'image/svg+xml') }),
    h('button', { type: 'button', class: 'btn btn-small', text: 'Gradient chart (SVG)', onclick: () => download(panels.grad.svg(), 'gradients.svg', 'image/svg+xml') }),
    h('button', { type: 'button', class: 'btn btn-small', text: 'Points (CSV)', onclick: () => download(`${toCsv(st.data.name === 'own' ? st.points : toPoints(data))}\n`, 'points.csv', 'text/csv') }));

  const view = h('div', { class: `nt-view${embedded ? ' nt-embed' : ''}` },
    h('div', { class: 'nt-presets nt-row' }, h('label', { for: 'nt-preset', class: 'visually-hidden', text: 'Presets' }), presetSel, compareBtn, presetDoc),
    h('div', { class: 'nt-layout' },
      settings,
      h('div', { class: 'nt-main' },
        h('div', { class: 'nt-toolbar nt-row', role: 'group', 'aria-label': 'training' }, playBtn, stepBtn, epochBtn, resetBtn, stepsOut, rateOut),
        errors, pictures, legend, readouts, note, summary, exportBox, files),
      panels.element));
  root.replaceChildren(view);

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
  // A playing frame trains each lane to the end of its epoch, unless that would take more than
  // FRAME_MS: then as many steps as fit by the lane's cost per step on its last frame, and the
  // epoch goes on in the next frame (2000 points, batch 1, two layers of 256: one epoch took 10 s,
  // the page was frozen and Pause waited for it). The evaluation (the whole training set through
  // the net) follows at most ten times a second, and less often when it is itself slow.
  const FRAME_MS = 30;
  function frameSteps() {
    if (blocked) { pause(); return false; }
    let ok = true;
    for (const ln of lanes()) {
      if (!ln.run.net) continue;
      const left = ln.run.toEpochEnd();
      const k = ln.perStep > 0 ? Math.max(1, Math.min(left, Math.floor(FRAME_MS / lanes().length / ln.perStep))) : Math.min(left, 8);
      const t0 = performance.now();
      ok = ln.train(k) && ok;
      ln.perStep = (performance.now() - t0) / k;
    }
    if (!ok) pause();
    return ok;
  }
  let lastEval = 0;
  let evalCost = 0;
  function frame(t) {
    raf = 0;
    if (!playing) return;
    if (frameSteps()) {
      drawPictures();
      if (t - lastEval >= Math.max(100, 4 * evalCost)) {
        lastEval = t;
        const e0 = performance.now();
        evaluate();
        drawPanels();
        evalCost = performance.now() - e0;
      }
      if (!rate.t) rate = { t, steps: A.run.steps, value: NaN };
      else if (t - rate.t >= 500) rate = { t, steps: A.run.steps, value: ((A.run.steps - rate.steps) * 1000) / (t - rate.t) };
      rateOut.textContent = Number.isFinite(rate.value) ? `${Math.round(rate.value)} steps/s` : '';
    }
    if (playing) raf = requestAnimationFrame(frame);
  }
  function live(on) {
    for (const el of [summary, ...lanes().map((ln) => ln.readout)]) el.setAttribute('aria-live', on ? 'polite' : 'off');
  }
  function play() {
    if (playing || !A.run.net || blocked) return;
    playing = true;
    live(false);
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
    // paused within the first half second: the rate over the frames that ran (else none was shown)
    const dt = performance.now() - rate.t;
    if (rate.t && !Number.isFinite(rate.value) && dt > 0 && A.run.steps > rate.steps) {
      rateOut.textContent = `${Math.round(((A.run.steps - rate.steps) * 1000) / dt)} steps/s`;
    }
    playBtn.textContent = '▶ Play';
    playBtn.setAttribute('aria-pressed', 'false');
    live(true);
    if (lanes().some((ln) => ln.last?.step !== ln.run.steps)) evaluate();
    draw();
    commit();
  }
  playBtn.addEventListener('click', () => (playing ? pause() : play()));
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
    if (!playing) summary.textContent = blocked === 'data' ? '' : Panels.summary(lanes());
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
    const job = ++replayJob;  // an older replay stops here, even if this state cannot be built
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
    // replaying: the charts get about 100 evaluations, and one at the step reached
    const plan = lanes().map((ln) => {
      const target = ln === A ? st.steps : st.compare.steps;
      return { ln, target, every: Math.max(1, Math.floor(target / ln.run.batches / 100)), epoch: 1 };
    });
    // trains epochs for up to `budget` ms; returns whether every lane reached its step
    const replay = (budget) => {
      const t0 = performance.now();
      for (const p of plan) {
        while (p.ln.run.steps < p.target) {
          if (performance.now() - t0 > budget) return false;
          if (!p.ln.train(Math.min(p.ln.run.toEpochEnd(), p.target - p.ln.run.steps))) { p.target = p.ln.run.steps; break; }
          if (p.epoch % p.every === 0 || p.ln.run.steps === p.target) p.ln.evaluate();
          p.epoch++;
        }
      }
      return true;
    };
    if (replay(150)) { draw(); return; }
    // A long run (a student who played for minutes has a link of 100 000 steps) is replayed in
    // slices between which the page stays responsive; any change stops it where it is.
    block('replay');
    for (const ln of lanes()) { ln.readout.textContent = ''; ln.readout.dataset.exact = ''; }
    const total = plan.reduce((sum, p) => sum + p.target, 0);
    const progress = () => {
      drawPictures();
      stepsOut.textContent = `replaying the link to step ${plan[0].target}${B ? ` (B ${plan[1].target})` : ''}: ${Math.floor((100 * plan.reduce((sum, p) => sum + p.ln.run.steps, 0)) / total)} %`;
    };
    const more = () => {
      if (job !== replayJob) return;
      if (!replay(40)) { progress(); setTimeout(more, 0); return; }
      block(null);
      draw();
    };
    progress();
    setTimeout(more, 0);
  }
  // A change while a long link is replayed: the replay stops at the step reached.
  function stopReplay() {
    if (blocked !== 'replay') return;
    replayJob++;
    block(null);
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
      replayJob++;
      pause();
      themeObserver.disconnect();
      panels.destroy();
      for (const ln of lanes()) ln.destroy();
    },
  };
}
