// Page benchmark (not a test), for the README: time to first graph after navigation (median
// of 5, localhost, headless Chromium, with the median of each start-up phase) and the cost of one
// slider frame — recompute + redraw — with 8 curves of 2,001 points (median and 95th percentile
// of 200 frames).
// Run after a build: `node web/bench.mjs` (ONLY=explorer,depth,train: just those parts). The depth
// view's numbers above the A/B are with its Web Worker (the page's default); the A/B lines compare.
import { launch, open } from '../tests/browser/browser.mjs';

const only = process.env.ONLY?.split(',');
const want = (part) => !only || only.includes(part);
const b = await launch();
try {
  if (want('explorer')) {
    const first = [];
    const phases = [];  // where the time goes: [navigation -> our script, script -> lab ready, ready -> first graph]
    for (let i = 0; i < 5; i++) {
      const page = await b.context.newPage();
      await page.goto(b.base);
      await page.waitForFunction(() => performance.getEntriesByName('lab-first-graph').length > 0);
      const [script, ready, graph] = await page.evaluate(() => ['lab-script', 'lab-ready', 'lab-first-graph']
        .map((n) => performance.getEntriesByName(n)[0].startTime));
      first.push(graph);
      phases.push([script, ready - script, graph - ready]);
      await page.close();
  }
  const mid = (k) => phases.map((p) => p[k]).sort((x, y) => x - y)[2];
  first.sort((x, y) => x - y);
  const curves = ['ELU', 'GELU', 'SiLU', 'Mish', 'Softplus', 'Tanh', 'Sigmoid', 'CELU'].map((n) => `f=${n}`).join('&');
  const page = await b.context.newPage();
  await open(page, `${b.base}#${curves}&a=0`);
  await page.waitForSelector('#fn-plot .u-over');
  const stats = await page.evaluate(async () => {
    const ex = window.ActivationLossLab.apps[0].explorer;
    const run = (all) => {
      const t = [];
      for (let i = 0; i < 200; i++) t.push(ex.frame('alpha', 0.2 + (i % 100) * 0.02, all));
      t.sort((x, y) => x - y);
      return { median: t[100], p95: t[190] };
    };
    run(false);  // warm up
    return { one: run(false), all: run(true) };
  });
  const f = (v) => v.toFixed(2);
  console.log(`first graph after navigation: median ${first[2].toFixed(0)} ms over 5 loads (${first.map((t) => t.toFixed(0)).join(', ')})`);
  console.log(`  of which (medians): navigation to our script ${mid(0).toFixed(0)} ms, script to lab ready (wasm inflated + compiled) ${mid(1).toFixed(0)} ms, ready to first graph (catalog, controls, first draw) ${mid(2).toFixed(0)} ms`);
  console.log(`slider frame, 8 curves x 2001 points, dragged curve recomputed: median ${f(stats.one.median)} ms, p95 ${f(stats.one.p95)} ms`);
  console.log(`slider frame, all 8 curves recomputed:                        median ${f(stats.all.median)} ms, p95 ${f(stats.all.p95)} ms`);
  await page.close();
  }
  if (want('depth')) {
    // The Network tab's depth view at its largest case the issue names: 50 layers × 256 wide × batch
    // 256, from a change made as its controls make it (the next frame starts the redraw) to the first
    // paint of the new state (exact numbers for its first examples, labelled so) and to the complete
    // view; medians of 5. The batch slider keeps the network; an activation parameter keeps its
    // weights (setModules); a new seed, a σ_w² of the normal scheme (with σ_b² > 0: its biases set
    // too), a gain of xavier_uniform and a seed under the normal scheme draw new weights into the
    // same network (reinitialize); a
    // depth or width change makes a new network (its pass storage anew). Every task the redraw posts is timed too,
    // and the first task (network, inputs, first block, its statistics and paint): the longest task
    // of each redraw is how long input may wait.
    const depth = await b.context.newPage();
    await open(depth, `${b.base}#net=depth&d.depth=50&d.width=256&d.batch=256&d.act=ELU`);
    await depth.waitForFunction(() => document.querySelectorAll('.net-table tbody tr').length === 50, null, { timeout: 300000 });
    const dv = await depth.evaluate(async () => {
      const v = window.ActivationLossLab.apps[0].netTab.views.depth;
      const post = v.progress.post;
      const tasks = [];
      v.progress.post = (fn) => post(() => { const t = performance.now(); fn(); tasks.push(performance.now() - t); });
      const med = async (patchOf, before = null) => {
        if (before) await v.measure(before);
        const runs = [];
        const longest = [];
        for (let i = 0; i < 5; i++) {
          tasks.length = 0;
          runs.push(await v.measure(patchOf(i)));
          longest.push({ task: Math.max(...tasks), all: Math.max(runs.at(-1).firstTask, ...tasks) });
        }
        const m = (k) => runs.map((r) => r[k]).sort((x, y) => x - y)[2];
        return { first: m('first'), complete: m('complete'), firstTask: m('firstTask'), firstDone: m('firstDone'), paints: m('paints'), paint: m('paint'), longest };
      };
      await v.measure({ act: { name: 'ELU', params: { alpha: 0.95 } } });  // warm up
      return {
        batch: await med((i) => ({ batch: 255 + (i % 2) })),
        act: await med((i) => ({ act: { name: 'ELU', params: { alpha: 0.9 + 0.05 * i } } })),
        seed: await med((i) => ({ seed: 10 + i })),
        sw2: await med((i) => ({ init: { scheme: 'normal', params: { sw2: 1.5 + 0.1 * i, sb2: 0.05 } } }), { init: { scheme: 'normal', params: { sw2: 1.4, sb2: 0.05 } } }),
        gain: await med((i) => ({ init: { scheme: 'xavier_uniform', params: { gain: 1.1 + 0.1 * i } } }), { init: { scheme: 'xavier_uniform', params: { gain: 1 } } }),
        depth: await med((i) => ({ depth: i % 2 ? 50 : 49 })),
        width: await med((i) => ({ width: i % 2 ? 256 : 255 }), { depth: 50 }),
        // a new seed under the normal scheme: every draw made (Box–Muller's log and sincos per pair)
        seedNormal: await med((i) => ({ seed: 20 + i }), { width: 256, init: { scheme: 'normal', params: { sw2: 1, sb2: 0.05 } } }),
      };
    });
    const rows = [['batch slider (same network)', dv.batch], ['activation parameter (setModules)', dv.act], ['seed (new weights)', dv.seed],
      ['normal init σ_w² (σ_b² = 0.05; new weights and biases)', dv.sw2], ['xavier_uniform gain (new weights)', dv.gain],
      ['depth 50 <-> 49 (a new network)', dv.depth], ['width 256 <-> 255 (a new network and inputs)', dv.width],
      ['seed under the normal init (σ_w² = 1, σ_b² = 0.05; new weights and biases)', dv.seedNormal]];
    for (const [what, r] of rows) {
      console.log(`depth view 50 x 256 x batch 256, ${what} (median of 5): first correct preview ${r.first.toFixed(0)} ms (first ${r.firstDone} examples; first task ${r.firstTask.toFixed(0)} ms), complete ${r.complete.toFixed(0)} ms (${r.paints} paints, the last ${r.paint.toFixed(0)} ms)`);
      console.log(`  longest task of each redraw: ${r.longest.map((l) => l.all.toFixed(0)).join(', ')} ms; of its later tasks: ${r.longest.map((l) => l.task.toFixed(0)).join(', ')} ms`);
    }
    // A/B in this one run: the same kinds of change with the depth view's Web Worker
    // (net-depth-worker.js: the batch shared between two threads) and without it
    // (progress.workers = false, as ?workers=0), alternating so that the machine's noise falls on
    // both; medians of 5 each, and the same-run ratio of the complete view's times.
    const ab = await depth.evaluate(async () => {
      const v = window.ActivationLossLab.apps[0].netTab.views.depth;
      const p = v.progress;
      const pair = async (patchOf) => {
        const on = [];
        const off = [];
        for (let i = 0; i < 10; i++) {
          p.workers = i % 2 === 0;
          const r = await v.measure(patchOf(i));
          (p.workers ? on : off).push({ ...r, imported: p.lastImported });
        }
        p.workers = true;
        const m = (list, k) => list.map((r) => r[k]).sort((x, y) => x - y)[2];
        const side = (list) => ({ first: m(list, 'first'), complete: m(list, 'complete'), imported: m(list, 'imported') });
        return { on: side(on), off: side(off), ready: p.pool?.ready ?? false };
      };
      await v.measure({ seed: 0, batch: 256, act: { name: 'ELU', params: { alpha: 1 } }, init: { scheme: 'default', params: {} } });
      return {
        seed: await pair((i) => ({ seed: 60 + i })),
        act: await pair((i) => ({ act: { name: 'ELU', params: { alpha: 0.8 + 0.02 * i } } })),
        batch: await pair((i) => ({ batch: 246 + i })),
      };
    });
    for (const [what, r] of [['seed (new weights)', ab.seed], ['activation parameter (setModules)', ab.act], ['batch 246-255 (same network)', ab.batch]]) {
      console.log(`depth view A/B, ${what} (medians of 5 each, alternating${r.ready ? '' : '; NO WORKER READY'}): complete with the worker ${r.on.complete.toFixed(0)} ms (${r.on.imported} of the rows from it), without ${r.off.complete.toFixed(0)} ms: ratio ${(r.off.complete / r.on.complete).toFixed(2)}; first preview ${r.on.first.toFixed(0)} vs ${r.off.first.toFixed(0)} ms`);
    }
    await depth.close();
  }
  if (want('train')) {
    // The training playground's frame while playing (issue 10's target: under 16 ms): the 2-8×6-1
    // tanh net on 250 training points (n=500, half for test) in batches of 10 — one epoch of 25 SGD
    // steps — plus the decision-boundary redraw (one predict over the 32×32 grid, the heatmap and
    // the points); and, apart, the evaluation the view adds at most ten times a second (train and
    // test loss, accuracy, statistics, charts). Medians of 100 frames after 20 warm-up frames.
    const train = await b.context.newPage();
    await open(train, `${b.base}#net=train&data=circle(n=500)&hidden=8,8,8,8,8,8`);
    await train.waitForSelector('.nt-readout[data-exact^="["]', { timeout: 60000 });
    const tv = await train.evaluate(() => {
      const v = window.ActivationLossLab.apps[0].netTab.views.train;
      for (let i = 0; i < 20; i++) v.frame(true);
      const t = [];
      for (let i = 0; i < 100; i++) t.push(v.frame(i % 10 === 0));
      const med = (k, list = t) => list.map((x) => x[k]).sort((x, y) => x - y)[Math.floor(list.length / 2)];
      const evals = t.filter((_, i) => i % 10 === 0);
      return { epoch: med('epoch'), picture: med('picture'), frame: t.filter((_, i) => i % 10).map((x) => x.total).sort((x, y) => x - y)[45], evaluation: med('evaluation', evals) };
    });
    console.log(`training frame, 2-8x6-1 tanh, 250 points, batch 10 (median of 100): epoch + boundary redraw ${tv.frame.toFixed(2)} ms (epoch ${tv.epoch.toFixed(2)} ms, boundary ${tv.picture.toFixed(2)} ms); evaluation + charts ${tv.evaluation.toFixed(2)} ms, at most 10 times a second`);
    await train.close();
  }
} finally {
  await b.close();
}
