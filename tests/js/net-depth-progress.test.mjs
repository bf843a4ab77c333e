// The depth view's progressive redraw (web/src/net-depth-progress.js over net-depth-model.js's
// DepthRun/DepthJob), in Node over the JS API, its task queue stepped by hand: whatever the block
// sizes, the complete state is the one-shot computation (gradients + statistics) number for number,
// histograms included, and the same as the two statistics calls the page made before; every
// partial state is exactly the statistics of its first examples; a newer change during a run ends
// with the newer state's numbers and nothing of the older one is shown after it starts; an
// activation change keeps the weights (setModules) and equals a fresh network; SIREN's ω₀ makes
// new ones; the statistics of a redraw computed a chunk of layers per task (the ranges first) are
// the one call's, a change between two chunks leaves nothing of the older state drawn, and the
// normal scheme's biases set alone (the weights left out) are the whole round trip's. Issue 10,
// "Depth view … redrawn within 100 ms of a slider change". No timings here (a simulated clock).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lab } from './reference.mjs';
import { DepthRun, useNetworkCatalog, networkSpec, gaussianRows, BINS, SATURATION } from '../../web/src/net-depth-model.js';
import { Progressive } from '../../web/src/net-depth-progress.js';

useNetworkCatalog(lab);
const state = (over = {}) => ({
  depth: 6, width: 16, batch: 9, seed: 3, show: 'post',
  act: { name: 'ELU', params: { alpha: 0.5 } }, init: { scheme: 'xavier_normal', params: { gain: 1.5 } }, ...over,
});
const STATES = [
  state(),
  state({ depth: 5, width: 12, batch: 10, seed: 0, act: { name: 'Tanh', params: {} }, init: { scheme: 'default', params: {} } }),
  state({ depth: 4, width: 10, batch: 7, act: { name: 'ReLU', params: {} }, init: { scheme: 'normal', params: { sw2: 2, sb2: 0.3 } } }),
  state({ depth: 3, width: 8, batch: 5, act: { name: 'Sine', params: { w0: 10 } }, init: { scheme: 'siren', params: { bias: 'zeros' } } }),
];

// The experiment one-shot on a fresh network (the normal scheme's biases set as the model's note
// says): the loss and statistics of gradients() over the first `rows` examples.
function oneShot(d, rows = d.batch, { weights = false, old = false } = {}) {
  const net = lab.network(networkSpec(d));
  try {
    if (d.init.scheme === 'normal' && d.init.params.sb2 > 0) {
      const b = gaussianRows(lab, d.depth, d.width, d.seed + 2);
      net.setParameters(net.parameters().map((layer, l) => ({
        weight: layer.weight, bias: Array.from(b.data.subarray(l * d.width, (l + 1) * d.width), (z) => Math.sqrt(d.init.params.sb2) * z),
      })));
    }
    const x = gaussianRows(lab, d.batch, d.width, d.seed + 1);
    const input = { shape: [rows, d.width], data: x.data.slice(0, rows * d.width) };
    const { loss } = net.gradients({ input, target: { shape: [rows, d.width], data: new Float64Array(rows * d.width) }, weights });
    if (!old) return { loss, layers: net.statistics({ bins: BINS, saturation: SATURATION, shared: true }) };
    // before: one call for each layer's range, the union over the layers, a second call over it
    const auto = net.statistics({ bins: 1, saturation: SATURATION });
    const span = (k) => {
      const lo = Math.min(...auto.map((s) => s[k].histogram.lo).filter(Number.isFinite));
      const hi = Math.max(...auto.map((s) => s[k].histogram.hi).filter(Number.isFinite));
      return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
    };
    return { loss, layers: net.statistics({ bins: BINS, saturation: SATURATION, preRange: span('pre'), postRange: span('post'), gradRange: span('grad') }) };
  } finally {
    net.delete();
  }
}
const shown = (layers) => layers.map((s) => ({ pre: s.pre, post: s.post, grad: s.grad, dead: s.dead, saturated: s.saturated }));

// A Progressive whose tasks wait in a queue the test runs; shows are recorded.
function stepped(plan) {
  const queue = [];
  const p = new Progressive({ post: (fn) => queue.push(fn) });
  p.plan = plan;
  return { p, queue, drain() { while (queue.length) queue.shift()(); } };
}

test('a progressive run ends with the one-shot numbers, whatever the blocks; before, the page made two statistics calls: the same bits', () => {
  for (const d of STATES) {
    const want = oneShot(d);
    // the page's old two calls, and gradients with ∂L/∂W: the same numbers shown, bit for bit
    assert.deepEqual(shown(oneShot(d, d.batch, { old: true }).layers), shown(want.layers), JSON.stringify(d.act));
    assert.deepEqual(shown(oneShot(d, d.batch, { weights: true }).layers), shown(want.layers));
    for (const plan of [null, { first: 1, next: 1 }, { first: 2, next: 3 }, { first: d.batch - 1, next: 5 }, { first: 100, next: 1 },
      { first: 1, next: 2, layers: 1 }, { first: 3, next: 3, layers: 2 }, { first: 2, next: 100, layers: 4 }]) {
      const run = new DepthRun(lab);
      const { p, drain } = stepped(plan);
      const seen = [];
      p.run(run.begin(d), { show: (r) => seen.push(r), failed: (e) => assert.fail(e) });
      drain();
      const last = seen.at(-1);
      assert.equal(last.done, d.batch);
      assert.equal(last.loss, want.loss, JSON.stringify([d, plan]));
      assert.deepEqual(last.layers, want.layers, `${JSON.stringify(d.act)} ${JSON.stringify(plan)}`);
      assert.ok(last.theory, 'the complete state has the mean-field prediction (or its error)');
      assert.deepEqual(last.ranges.post, [want.layers[0].post.histogram.lo, want.layers[0].post.histogram.hi]);
      // done rises, and only the last state is complete
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i].done >= seen[i - 1].done);
      assert.ok(seen.slice(0, -1).every((r) => r.done < r.total && r.loss === null));
      if (plan?.first === 1) assert.ok(seen.length >= 3, 'blocks of one example: partial states were drawn');
      run.delete();
    }
  }
});

test('every partial state is exactly the statistics of the first examples done', () => {
  const d = state({ batch: 12 });
  const run = new DepthRun(lab);
  const { p, drain } = stepped({ first: 1, next: 2, layers: 4 });  // 6 layers: chunks of 4 and 2
  const seen = [];
  p.run(run.begin(d), { show: (r) => seen.push(r), failed: (e) => assert.fail(e) });
  drain();
  const partial = seen.filter((r) => r.done < r.total);
  assert.deepEqual([...new Set(partial.map((r) => r.done))], [1, 5, 11]);  // drawn when the rows done have doubled and grown by 3
  for (const r of partial) assert.deepEqual(shown(r.layers), shown(oneShot(d, r.done).layers), `first ${r.done}`);
  // the first state drawn has no mean-field prediction yet; the next one, the same rows, has it
  assert.equal(seen[0].theory, null);
  assert.equal(seen[1].done, 1);
  assert.ok(seen[1].theory.layers);
  run.delete();
});

test('a redraw\'s statistics as tasks: the ranges, a chunk of layers per task, then the paint — the one call\'s numbers; a change between chunks draws nothing old', () => {
  const d = state({ batch: 10 });
  const run = new DepthRun(lab);
  const { p, queue } = stepped({ first: 2, next: 100, layers: 2 });
  const seen = [];
  const job = run.begin(d);
  p.run(job, { show: (r) => seen.push(r), failed: (e) => assert.fail(e) });
  assert.deepEqual([job.done, seen.length], [2, 0], 'the first block computed in the first task');
  queue.shift()();  // its statistics and paint
  assert.deepEqual(seen.map((r) => r.done), [2]);
  queue.shift()();  // the mean-field prediction, drawn
  queue.shift()();  // the rest of the batch in one slice; its statistics are posted
  assert.equal(job.done, 10);
  assert.equal(seen.length, 2);
  queue.shift()();  // the shared ranges
  assert.equal(job.layersLeft, 6);
  for (const left of [4, 2, 0]) {
    queue.shift()();  // a chunk of 2 layers: nothing drawn yet
    assert.equal(seen.length, 2);
    if (left) assert.equal(job.layersLeft, left);
  }
  assert.equal(queue.length, 1, 'the paint, alone');
  queue.shift()();
  assert.equal(queue.length, 0);
  const want = oneShot(d);
  assert.equal(seen.length, 3);
  assert.deepEqual(seen[2].layers, want.layers);
  assert.equal(seen[2].loss, want.loss);
  // a newer change after two chunks of the older redraw's statistics: the older ones never land
  const b = state({ batch: 10, act: { name: 'ELU', params: { alpha: 1.5 } } });
  const other = stepped({ first: 3, next: 100, layers: 2 });
  const drawn = [];
  other.p.run(run.begin(state({ batch: 10, seed: 9 })), { show: (r) => drawn.push(['old', r]), failed: (e) => assert.fail(e) });
  for (let i = 0; i < 4; i++) other.queue.shift()();  // theory, slice, ranges, one chunk
  const before = drawn.length;
  other.p.run(run.begin(b), { show: (r) => drawn.push(['new', r]), failed: (e) => assert.fail(e) });
  other.drain();
  assert.ok(drawn.slice(before).every(([who]) => who === 'new'));
  assert.deepEqual(drawn.at(-1)[1].layers, oneShot(b).layers);
  run.delete();
});

test('a change during a run: the older run\'s remaining tasks draw nothing, the view ends with the newer state\'s numbers', () => {
  const a = state({ batch: 10 });
  const b = state({ batch: 10, act: { name: 'ELU', params: { alpha: 1.25 } } });  // same weights: setModules
  const c = state({ batch: 10, seed: 4 });  // new weights
  for (const next of [b, c]) {
    const run = new DepthRun(lab);
    const { p, queue, drain } = stepped({ first: 2, next: 2 });
    const seen = [];
    const jobA = run.begin(a);
    p.run(jobA, { show: (r) => seen.push(['a', r]), failed: (e) => assert.fail(e) });
    queue.shift()();  // the first block's statistics and paint
    queue.shift()();  // the theory
    queue.shift()();  // a slice
    assert.ok(queue.length > 0 && seen.length > 0, 'the older run is under way');
    const before = seen.length;
    p.run(run.begin(next), { show: (r) => seen.push(['next', r]), failed: (e) => assert.fail(e) });
    assert.equal(jobA.pass, null, 'the older pass is freed');
    drain();
    assert.ok(seen.slice(before).every(([who]) => who === 'next'), 'nothing of the older run after the newer started');
    const want = oneShot(next);
    assert.deepEqual(seen.at(-1)[1].layers, want.layers);
    assert.equal(seen.at(-1)[1].loss, want.loss);
    run.delete();
  }
});

test('an activation change keeps the weights (setModules) and equals a fresh network; SIREN\'s ω₀ makes new weights', () => {
  const run = new DepthRun(lab);
  const d1 = state();
  run.run(d1);
  const net = run.net;
  const d2 = state({ act: { name: 'ELU', params: { alpha: 0.8 } } });
  const r2 = run.run(d2);
  assert.equal(run.net, net, 'same network object');
  assert.deepEqual(r2.layers, oneShot(d2).layers);
  const d3 = state({ act: { name: 'SiLU', params: {} } });
  assert.deepEqual(run.run(d3).layers, oneShot(d3).layers);
  assert.equal(run.net, net);
  // only the batch changes: the same network too
  const d4 = state({ act: { name: 'SiLU', params: {} }, batch: 4 });
  assert.deepEqual(run.run(d4).layers, oneShot(d4).layers);
  assert.equal(run.net, net);
  // SIREN with Sine: its ω₀ is the activation's w0, so a new w0 is new weights (drawn into the
  // same network, net.reinitialize, after the new module: they equal a fresh network's)
  const s1 = STATES[3];
  run.run(s1);
  const siren = run.net;
  const weights = siren.parameters({ flat: true });
  const s2 = { ...s1, act: { name: 'Sine', params: { w0: 20 } } };
  const r = run.run(s2);
  assert.equal(run.net, siren);
  assert.notDeepEqual(run.net.parameters({ flat: true }), weights);
  assert.deepEqual(r.layers, oneShot(s2).layers);
  run.delete();
});

test('the same state again is the complete result at once; a bad parameter is an Error naming it and the run stays usable', () => {
  const run = new DepthRun(lab);
  const d = state();
  const first = run.run(d);
  const job = run.begin({ ...d, show: 'pre' });
  assert.equal(job.done, job.total);
  const { p, queue } = stepped(null);
  const seen = [];
  p.run(job, { show: (r) => seen.push(r), failed: (e) => assert.fail(e) });
  assert.equal(queue.length, 0);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].layers, first.layers);
  // a bad alpha (setModules' check, the constructor's words); then a good state still runs
  assert.throws(() => run.begin(state({ act: { name: 'ELU', params: { alpha: 'x' } } })), (e) => e instanceof Error && /^activation: .*alpha/.test(e.message));
  const d5 = state({ act: { name: 'ELU', params: { alpha: 0.7 } } });
  assert.deepEqual(run.run(d5).layers, oneShot(d5).layers);
  // an engine error in a task (the network ran another pass meanwhile, say) goes to failed(),
  // not out of the task
  const d8 = state({ batch: 8 });
  const bad = run.begin(d8);
  const errs = [];
  const s = stepped({ first: 1, next: 1 });
  s.p.run(bad, { show: () => {}, failed: (e) => errs.push(e) });
  run.net.gradients({ input: gaussianRows(lab, 2, d8.width, 0), target: { shape: [2, d8.width], data: new Float64Array(2 * d8.width) } });
  s.drain();
  assert.equal(errs.length, 1);
  assert.ok(errs[0] instanceof Error);
  run.delete();
});

test('block sizes from the cost model (a simulated clock, not a timing): the first block fits the first budget, the later ones the slice', () => {
  // a block of r rows "takes" fixed + perRow · r simulated ms, statistics 1/256 ms per value read
  // (3 per entry of 8 units × 4 layers: 0.375 ms per row done, all layers), the ranges a quarter
  // of that; the job only counts rows and layers
  const PER_VALUE = 1 / 256;
  const simulate = (fixed, perRow, total, weightCount = 1e6) => {
    let now = 0;
    const blocks = [];
    const statTasks = [];  // simulated ms of each statistics task (ranges, chunks)
    const job = {
      total, done: 0, weightCount, hasTheory: true, layerCount: 4, snapDone: -1, left: 4,
      get valuesPerLayer() { return 3 * 8 * this.done; },
      get valuesPerRow() { return 3 * 8 * 4; },
      get statsPending() { return this.snapDone !== this.done; },
      get layersLeft() { return this.left; },
      advance(n) { blocks.push(n); now += fixed + perRow * n; this.done += n; this.left = 4; },
      statsRanges() { const ms = this.layerCount * this.valuesPerLayer * PER_VALUE / 4; now += ms; statTasks.push(ms); return this.layerCount * this.valuesPerLayer; },
      statsLayers(k) {
        const n = Math.min(k, this.left);
        const ms = n * this.valuesPerLayer * PER_VALUE;
        now += ms;
        statTasks.push(ms);
        this.left -= n;
        if (!this.left) this.snapDone = this.done;
        return n * this.valuesPerLayer;
      },
      snapshot() { if (this.statsPending) { now += this.left * this.valuesPerLayer * PER_VALUE; this.snapDone = this.done; } return { done: this.done, total }; },
      theory() {},
      finish() { return this.snapshot(); },
      cancel() {},
    };
    return { job, blocks, statTasks, clock: () => now };
  };
  const queue = [];
  let sim = simulate(10, 1.5, 256);
  const p = new Progressive({ post: (fn) => queue.push(fn), clock: () => sim.clock(), first: 40, slice: 25 });
  const drain = () => { while (queue.length) queue.shift()(); };
  for (let round = 0; round < 3; round++) {
    sim = simulate(10, 1.5, 256);
    p.run(sim.job, { show() {}, failed: (e) => assert.fail(e) });
    drain();
    assert.equal(sim.blocks.reduce((a, n) => a + n, 0), 256);
    // the statistics' tasks within the slice: a chunk of layers is as many as fit (one at least)
    assert.ok(sim.statTasks.every((ms) => ms <= 25 + 1e-9), sim.statTasks.join(','));
    if (round > 0) {
      // measured before: the first block is the most that ends within 1.2 slices (10 + 1.5·13 ≤ 30);
      // the preview's budget would allow 16 (10 + (1.5 + 0.375)·16 = 40: its statistics counted,
      // nothing spent before it, the paint free here), and after the 13 there is no room for more
      assert.equal(sim.blocks[0], 13, sim.blocks.join(','));
      // and every later block but the last the most within 25 ms (10 + 1.5·10 = 25), but for one of
      // half the size when the last 12 measured were all of one size
      const later = sim.blocks.slice(1, -1);
      assert.ok(later.every((n, i) => n === 10 || (n === 5 && later.slice(Math.max(0, i - 11), i).every((k) => k === 10))), sim.blocks.join(','));
      assert.ok(later.filter((n) => n === 10).length >= 10, sim.blocks.join(','));
    }
  }
  // a call's own cost above the slice: blocks at least as long on rows as on it (here 30 rows)
  sim = simulate(30, 1, 256);
  p.samples = [];
  p.model = null;
  p.run(sim.job, { show() {}, failed: (e) => assert.fail(e) });
  drain();
  // (after the first blocks' ramp: a block is at most twice the last, exploring goes down)
  assert.ok(sim.blocks.slice(3, -1).every((n) => n === 30), sim.blocks.join(","));
  // what the change spent before the run counts: 14 ms of the 40 gone, room for (40 − 14 − 10) / 1.875 = 8 rows
  sim = simulate(10, 1.5, 256);
  p.run(sim.job, { show() {}, failed: (e) => assert.fail(e) });
  drain();
  sim = simulate(10, 1.5, 256);
  p.run(sim.job, { show() {}, failed: (e) => assert.fail(e), since: -14 });
  assert.equal(sim.blocks[0], 8, sim.blocks.join(','));
  drain();
  // and when it spent all of it: one row
  sim = simulate(10, 1.5, 256);
  p.run(sim.job, { show() {}, failed: (e) => assert.fail(e), since: -100 });
  assert.equal(sim.blocks[0], 1);
  drain();
  // the task the run is called in began 10 ms ago (a new network): (30 − 10 − 10) / 1.5 = 6 rows;
  // then the preview's budget holds one more block before the paint: (40 − 10 − 19 − 0.375·6 − 10) / 1.875 = 0 … none
  sim = simulate(10, 1.5, 256);
  p.run(sim.job, { show() {}, failed: (e) => assert.fail(e), started: -10 });
  assert.equal(sim.blocks[0], 6);
  drain();
  // a larger first budget (100 ms): the preview waits for more blocks, each in its own task within
  // 1.2 slices: 13 rows (29.5 ms); then (100 − 29.5 − 0.375·13 − 10) / 1.875 = 29 by the preview but
  // 13 by the slice (59 ms); then (100 − 59 − 0.375·26 − 10) / 1.875 = 11 (85.5 ms); then none
  p.budget.first = 100;
  sim = simulate(10, 1.5, 256);
  const drawnAt = [];
  p.run(sim.job, { show: (r) => drawnAt.push(r.done), failed: (e) => assert.fail(e) });
  assert.deepEqual(sim.blocks, [13]);
  queue.shift()();
  assert.deepEqual(sim.blocks, [13, 13]);
  drain();
  assert.deepEqual(sim.blocks.slice(0, 3), [13, 13, 11], sim.blocks.join(','));
  assert.equal(drawnAt[0], 37);
  p.budget.first = 40;
  // a small batch that fits the first budget is done in one block, drawn once (in the next task)
  sim = simulate(10, 1.5, 8);
  const shows = [];
  p.run(sim.job, { show: (r) => shows.push(r.done), failed: (e) => assert.fail(e) });
  assert.equal(queue.length, 1);
  drain();
  assert.deepEqual([sim.blocks, shows], [[8], [8]]);
});
