// Design note: the depth view's Web Worker (net-depth-worker.js, net-depth-pool.js): the complete
// view computed on two threads must be the one-thread view bit for bit — every number of the
// result (layers' statistics, ranges, floor, theory, loss) and the table's text — over http and
// from file:// (a Blob-URL worker given the compiled module; no request leaves the page), and a
// change while the worker runs never lets rows of the older state in. Small blocks on the page's
// side (progress.plan) and workerMin 0 make sure the worker's rows are part of every result here
// (asserted: lastImported > 0), at a size that keeps the file to a few seconds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, fileUrl } from './browser.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); });

const STATE = 'net=depth&d.depth=12&d.width=48&d.batch=96&d.act=ELU(alpha=0.7)&d.init=xavier_normal(gain=1.3)&d.seed=4';

const view = 'window.ActivationLossLab.apps[0].netTab.views.depth';
async function ready(page) {
  await page.waitForFunction(() => document.querySelectorAll('.net-table tbody tr').length === 12, null, { timeout: 60000 });
  await page.waitForFunction(`${view}.progress.pool?.ready === true`, null, { timeout: 20000 });
  await page.evaluate(`${view}.progress.workerMin = 0; ${view}.progress.plan = { first: 4, next: 4 }`);
  // the page's tasks 4 ms apart: this small batch would otherwise be done on the page's thread
  // before the worker's first block arrives (so nothing to compare), as it was once in CI
  await page.evaluate(`${view}.progress.post = (fn) => setTimeout(fn, 4)`);
}
// a change made as a control makes it, drawn complete: the result's every number (NaN, ±Infinity
// spelled out) and the table's text, with the rows the worker gave
const complete = (page, patch, workers) => page.evaluate(async ([p, w, v]) => {
  const view = eval(v);  // eslint-disable-line no-eval
  view.progress.workers = w;
  await view.measure(p);
  const text = (x) => JSON.stringify(x, (k, y) => (typeof y === 'number' && !Number.isFinite(y) ? String(y) : y));
  return { result: text(view.result()), table: document.querySelector('.net-table').textContent, imported: view.progress.lastImported };
}, [patch, workers, view]);

async function sameWithAndWithout(url) {
  const page = await b.page(url);
  await ready(page);
  const two = await complete(page, { seed: 11 }, true);
  assert.ok(two.imported > 0, 'the worker computed part of the batch');
  await complete(page, { seed: 12 }, false);  // another state in between: no result in hand
  const one = await complete(page, { seed: 11 }, false);
  assert.equal(one.imported, 0);
  assert.equal(two.result, one.result);
  assert.equal(two.table, one.table);
  // an activation parameter (the same weights, new modules) and a batch change on two threads too
  const act = await complete(page, { act: { name: 'ELU', params: { alpha: 0.9 } } }, true);
  const batch = await complete(page, { batch: 95 }, true);
  assert.ok(act.imported > 0 && batch.imported > 0);
  const act1 = await complete(page, { batch: 96 }, false);  // alpha 0.9, batch 96 on one thread
  assert.equal(act1.result, act.result);
  assert.deepEqual(page.problems, []);
  return page;
}

test('over http: the complete depth view with the worker is the one without, every number', async () => {
  const page = await sameWithAndWithout(`${b.base}#${STATE}`);
  assert.ok(page.requests.every((u) => u.startsWith(b.base) || u.startsWith('blob:') || u.startsWith('data:')), page.requests.join('\n'));
  await page.close();
});

test('from file://: the Blob-URL worker starts with the posted module and gives the same numbers', async () => {
  const page = await sameWithAndWithout(`${fileUrl}#${STATE}`);
  assert.ok(page.requests.every((u) => u.startsWith('file:') || u.startsWith('blob:') || u.startsWith('data:')), page.requests.join('\n'));
  await page.close();
});

test('a change while the worker runs: no row of the older state is imported, the result is the newer state\'s', async () => {
  const page = await b.page(`${b.base}#${STATE}`);
  await ready(page);
  const out = await page.evaluate(async (v) => {
    const view = eval(v);  // eslint-disable-line no-eval
    const p = view.progress;
    const text = (x) => JSON.stringify(x, (k, y) => (typeof y === 'number' && !Number.isFinite(y) ? String(y) : y));
    const wait = (f) => new Promise((ok) => { const t = () => (f() ? ok() : setTimeout(t, 1)); t(); });
    const post = p.post;
    const results = [];
    for (let i = 0; i < 2; i++) {
      p.workers = true;
      p.workerRows = 2;  // many small blocks
      const dropped = p.dropped;
      const stale = p.pool.stale;
      // the page's tasks held (its first block runs in the change's frame), so the worker's blocks
      // of this state pile up unimported; then a newer state, the page's tasks running again
      const held = [];
      p.post = (fn) => held.push(fn);
      const gen = view.generation();
      view.setDepthState({ seed: 30 + i });
      await wait(() => view.generation() > gen && p.current?.inbox.length >= 3);
      p.post = post;
      const newer = view.measure({ seed: 40 + i });
      for (const fn of held) fn();  // the older job's tasks: stale, they do nothing
      await newer;
      const two = { result: text(view.result()), imported: p.lastImported };
      p.workers = false;
      await view.measure({ seed: 50 });
      await view.measure({ seed: 40 + i });
      results.push({ two, one: text(view.result()), dropped: p.dropped - dropped, stale: p.pool.stale - stale, paints: view.paints() });
    }
    return results;
  }, view);
  for (const r of out) {
    assert.ok(r.dropped >= 3, `the older job's blocks were left unimported (${r.dropped}; ${r.stale} more came after it)`);
    assert.ok(r.two.imported > 0);
    assert.equal(r.two.result, r.one);
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});
