// Browser tests from the training playground's audit (session 7): each pins a defect found by
// driving the page as a student would — what the page may do while its settings or data cannot be
// used, and numbers on screen that were off (tick labels, percentages). They are kept apart from
// network-train.test.mjs so the suites run two files at a time; each opens a page or two.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, open, dist } from './browser.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); });

const openTrain = async (link, opts) => {
  const page = await b.page(null, opts);
  await open(page, `${b.base}#net=train${link ? `&${link}` : ''}`);
  await page.waitForSelector('.nt-readout[data-exact^="["]', { timeout: 60000 });
  return page;
};
const button = (page, text) => page.locator('.nt-toolbar button', { hasText: text });
const shown = (page) => page.evaluate(() => ({
  exact: JSON.parse(document.querySelector('.nt-readout').dataset.exact || 'null'),
  steps: document.querySelector('.nt-steps').textContent,
  hash: location.hash,
  errors: [...document.querySelectorAll('.nt-settings .field-error')].filter((e) => !e.hidden).map((e) => e.textContent),
  disabled: [...document.querySelectorAll('.nt-toolbar button')].filter((e) => e.disabled).map((e) => e.textContent),
}));

test('nothing trains while the data cannot be used or a setting is refused: no steps on data or settings no longer on screen', async () => {
  const page = await openTrain('data=own&pts=1,1,0;2,2,1;-1,-1,0;-2,2,1&hidden=4&steps=3');
  // "Clear all points": the old points' network must not train on
  await page.locator('button', { hasText: 'Clear all points' }).click();
  let s = await shown(page);
  assert.deepEqual(s.disabled, ['▶ Play', 'One step', 'One epoch']);
  assert.equal(s.steps, 'step 3');
  // and no numbers of the points that are gone ("train accuracy 4/4" with no point on screen)
  assert.deepEqual(await page.evaluate(() => [document.querySelector('.nt-readout').textContent, document.querySelector('.nt-summary').textContent]), ['', '']);
  // the same with a CSV whose points are all test points (an empty training set)
  await page.locator('.nt-csv').fill('1,1,0,test\n2,2,1,test');
  await page.locator('button', { hasText: 'Use these points' }).click();
  s = await shown(page);
  assert.deepEqual(s.errors, ['data: the training set is empty: add a point to it']);
  assert.equal(s.exact, null);
  assert.deepEqual(s.disabled, ['▶ Play', 'One step', 'One epoch']);
  await page.keyboard.press('Escape');
  // a usable CSV again: training goes on (a new run on the new points)
  await page.locator('.nt-csv').fill('1,1,0\n2,2,1\n-1,-1,0\n-2,2,1,test');
  await page.locator('button', { hasText: 'Use these points' }).click();
  await button(page, 'One step').click();
  await page.waitForFunction(() => JSON.parse(document.querySelector('.nt-readout').dataset.exact)[0] === 1);
  // a learning rate the lab refuses while playing: Play stops, and no step is taken until it is fixed
  const lr = page.locator('.nt-group:has(legend:text("Optimiser")) [data-param="lr"] input[type="number"]');
  await button(page, 'Play').click();
  await lr.fill('-1');
  await page.locator('.nt-group:has(legend:text("Optimiser")) .field-error:visible').waitFor();
  s = await shown(page);
  const at = Number(/\d+/.exec(s.steps)[0]);
  assert.deepEqual(s.disabled, ['▶ Play', 'One step', 'One epoch']);
  await page.waitForTimeout(300);
  s = await shown(page);
  assert.equal(Number(/\d+/.exec(s.steps)[0]), at, 'no step while the learning rate is refused');
  assert.match(s.hash, new RegExp(`steps=${at}(&|$)`));
  await lr.fill('0.2');
  await page.waitForFunction(() => !document.querySelector('.nt-toolbar button').disabled);
  await button(page, 'One step').click();
  await page.waitForFunction((n) => JSON.parse(document.querySelector('.nt-readout').dataset.exact)[0] === n + 1, at);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('dead units: one dead unit of 256 is not "0 %", in the bars and in the text summary', async () => {
  // seed 3: one ReLU unit of 256 is dead at step 0 (1/256 = 0.4 %)
  const dead = await openTrain('hidden=256&act=ReLU&seed=3');
  const got = await dead.evaluate(() => {
    const v = window.ActivationLossLab.apps[0].netTab.views.train;
    return { share: v.lanes[0].last.dead[0], bars: v.charts.dead.rows.map((r) => r.text), summary: document.querySelector('.nt-summary').textContent };
  });
  assert.equal(got.share, 1 / 256);
  assert.deepEqual(got.bars, ['<1 %', '0 %']);
  assert.match(got.summary, /Dead units: Linear 1 <1 %\./);
  assert.deepEqual(dead.problems, []);
  await dead.close();
});

test('chart numbers: the step axis has whole steps only, its last label inside the canvas', async () => {
  const page = await openTrain('data=spiral(n=300,classes=3)&hidden=16,16&act=ReLU&head=CrossEntropyLoss&opt=Adam(lr=0.01)');
  const ticks = () => page.evaluate(() => {
    const v = window.ActivationLossLab.apps[0].netTab.views.train;
    return Object.fromEntries(['loss', 'acc', 'grad'].map((k) => [k, v.charts[k].ticks]));
  });
  for (const [name, t] of Object.entries(await ticks())) assert.deepEqual(t.x.map((k) => k.label), ['0', '1'], `${name} at step 0: no step 0.2`);
  for (let i = 0; i < 3; i++) await button(page, 'One step').click();
  await page.waitForFunction(() => JSON.parse(document.querySelector('.nt-readout').dataset.exact)[0] === 3);
  for (const [name, t] of Object.entries(await ticks())) assert.deepEqual(t.x.map((k) => k.label), ['0', '1', '2', '3'], `${name} at step 3`);
  for (let i = 0; i < 20; i++) await button(page, 'One epoch').click();  // 150 training points, batch 10: to step 300
  await page.waitForFunction(() => JSON.parse(document.querySelector('.nt-readout').dataset.exact)[0] === 300);
  for (const [name, t] of Object.entries(await ticks())) {
    const last = t.x[t.x.length - 1];
    assert.equal(last.label, '300', `${name}: the last step tick`);
    assert.ok(last.span[1] <= t.width, `${name}: '300' ends at ${last.span[1]} px, past the canvas (${t.width} px)`);
    assert.ok(t.x.every((k) => k.span[0] >= 0), `${name}: a label starts left of the canvas`);
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the text summary says what the charts show: loss and accuracy from the first point to the step shown, in the readout\'s digits', async () => {
  const page = await openTrain('data=spiral(n=300,noise=0.2,classes=3)&hidden=16,16,16&act=ReLU&head=CrossEntropyLoss&opt=Adam(lr=0.01)&steps=300');
  const got = await page.evaluate(() => {
    const v = window.ActivationLossLab.apps[0].netTab.views.train;
    return { first: v.lanes[0].run.history[0], last: v.lanes[0].last, summary: document.querySelector('.nt-summary').textContent };
  });
  const { pyG, accuracyText } = await import('../../web/src/net-train-heads.js');
  const { first, last } = got;
  assert.equal(first.step, 0);
  const want = `From step 0 to 300: train loss fell from ${pyG(first.trainLoss)} to ${pyG(last.trainLoss)}, test loss fell from ${pyG(first.testLoss)} to ${pyG(last.testLoss)}, `
    + `train accuracy rose from ${accuracyText(first.trainCorrect, 150)} to ${accuracyText(last.trainCorrect, 150)}, test accuracy rose from ${accuracyText(first.testCorrect, 150)} to ${accuracyText(last.testCorrect, 150)}.`;
  assert.ok(got.summary.startsWith(`${want} `), `${got.summary}\n  wanted it to start with\n${want}`);
  assert.match(got.summary, /Dead units: Linear 1 \d+ %/);
  // at step 0 there is no curve yet: the values at that step
  await button(page, 'Reset weights').click();
  assert.match(await page.textContent('.nt-summary'), /^At step 0: train loss [\d.]+, test loss [\d.]+, train accuracy [\d.]+%, test accuracy [\d.]+%\. /);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the charts as SVG: well-formed files with the chart\'s tick labels and one path per curve, drawn by the same code as on screen', async () => {
  const page = await openTrain('data=spiral(n=200,classes=3)&hidden=8,8&act=ReLU&head=CrossEntropyLoss&opt=Adam(lr=0.01)&steps=60');
  const files = {};
  for (const [name, text] of [['loss', 'Loss chart (SVG)'], ['grad', 'Gradient chart (SVG)']]) {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('.nt-view button', { hasText: text }).click()]);
    files[name] = { file: dl.suggestedFilename(), text: readFileSync(await dl.path(), 'utf8') };
  }
  assert.deepEqual(Object.values(files).map((f) => f.file), ['loss.svg', 'gradients.svg']);
  const got = await page.evaluate(async (svgs) => {
    const v = window.ActivationLossLab.apps[0].netTab.views.train;
    const out = {};
    for (const [name, text] of Object.entries(svgs)) {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const img = new Image();
      const drawn = await new Promise((ok) => { img.onload = () => ok([img.naturalWidth, img.naturalHeight]); img.onerror = () => ok(null); img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`; });
      const chart = v.charts[name];
      out[name] = {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        texts: [...doc.querySelectorAll('text')].map((t) => t.textContent),
        labels: [...chart.ticks.y, ...chart.ticks.x].map((t) => t.label),
        dashed: doc.querySelectorAll('path[stroke-dasharray]').length,
        clipped: doc.querySelectorAll('g[clip-path] path').length,
        series: chart.series.length,
        size: drawn,
        canvas: [parseFloat(chart.canvas.style.width), parseFloat(chart.canvas.style.height)],
      };
    }
    return out;
  }, Object.fromEntries(Object.entries(files).map(([k, f]) => [k, f.text])));
  for (const [name, g] of Object.entries(got)) {
    assert.equal(g.error, null, name);
    assert.deepEqual(g.texts, g.labels, `${name}: the labels on screen`);
    assert.equal(g.clipped, g.series, `${name}: one path per curve, inside the plot area`);
    assert.deepEqual(g.size, g.canvas, `${name}: renders at the chart's size`);
  }
  assert.equal(got.loss.dashed, 1, 'the test loss is dashed');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a link of many steps replays in slices: the page answers meanwhile, the numbers at the end are the engine\'s, a change stops it', async () => {
  const page = await b.page(null);
  // every state the step line shows, kept from the page's start (a warm browser can replay 4000
  // steps before goto() returns, so polling for it afterwards may see only the end)
  await page.addInitScript(() => {
    window.replaySeen = [];
    new MutationObserver(() => {
      const text = document.querySelector('.nt-steps')?.textContent ?? '';
      if (/^replaying the link to step 4000: \d+ %$/.test(text)) window.replaySeen.push(document.querySelector('.nt-play').disabled);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await page.goto(`${b.base}#net=train&hidden=32,32&steps=4000`);
  await page.waitForSelector('.nt-readout[data-exact^="["]', { timeout: 60000 });
  // it was shown as a replay in progress, with Play off while it ran
  const seen = await page.evaluate(() => window.replaySeen);
  assert.ok(seen.length > 0 && seen.every((off) => off), JSON.stringify(seen));
  const exact = JSON.parse(await page.getAttribute('.nt-readout', 'data-exact'));
  assert.equal(await page.textContent('.nt-steps'), 'step 4000');
  // the same 4000 steps through the same run code in Node
  const lab = await (await import(pathToFileURL(join(dist, 'lab.mjs')).href)).default();
  const { TrainingRun } = await import('../../web/src/net-train-run.js');
  const { engineData } = await import('../../web/src/net-data.js');
  const { findHead } = await import('../../web/src/net-train-heads.js');
  const { defaultTrainState } = await import('../../web/src/net-train-state.js');
  const d = defaultTrainState();
  const run = new TrainingRun(lab);
  run.configure({ data: engineData(lab, d.data), head: findHead(d.head.loss, 'class', 2), hidden: [32, 32], act: d.act, init: d.init, lossParams: {}, opt: d.opt, bias: d.bias, seed: d.seed, batch: d.batch });
  while (run.steps < 4000) run.train(Math.min(run.toEpochEnd(), 4000 - run.steps));
  const ev = run.evaluate();
  run.delete();
  assert.deepEqual(exact, [4000, ev.trainLoss, ev.trainCorrect, ev.testLoss, ev.testCorrect]);
  // a change during a replay stops it where it is
  await page.goto('about:blank');
  await page.goto(`${b.base}#net=train&data=moons&hidden=32,32&steps=40000`);  // (long: the replay must still be running when the test looks)
  await page.waitForFunction(() => /^replaying/.test(document.querySelector('.nt-steps')?.textContent), null, { timeout: 20001, polling: 20 });
  // the page answers during the replay: each evaluate() below runs between two slices, and the
  // second sees more steps done (no timing in the test: a loaded machine only makes slices later)
  const during = () => page.evaluate(() => document.querySelector('.nt-steps').textContent);
  const first = await during();
  await page.waitForFunction((was) => {
    const now = document.querySelector('.nt-steps').textContent;
    return now !== was && /^replaying/.test(now);
  }, first, { timeout: 20003, polling: 20 });
  assert.match(first, /^replaying the link to step 40000: \d+ %$/);
  await button(page, 'Reset weights').click();
  assert.equal(await page.textContent('.nt-steps'), 'step 0');
  await page.waitForTimeout(200);
  assert.equal(await page.textContent('.nt-steps'), 'step 0');
  assert.doesNotMatch(await page.evaluate(() => location.hash), /steps=/);
  assert.equal(await page.evaluate(() => document.querySelector('.nt-play').disabled), false);
  // a link edited by hand during a replay, to settings the lab refuses: the replay stops too
  await page.goto('about:blank');
  await page.goto(`${b.base}#net=train&data=moons&hidden=32,32&steps=40000`);  // (long: the replay must still be running when the test looks)
  await page.waitForFunction(() => /^replaying/.test(document.querySelector('.nt-steps')?.textContent), null, { timeout: 20002, polling: 20 });
  await page.evaluate(() => { location.hash = '#net=train&data=moons&hidden=32,32&opt=SGD(lr=-1)&steps=4000'; });
  await page.locator('.nt-group:has(legend:text("Optimiser")) .field-error:visible').waitFor();
  const at = await page.textContent('.nt-steps');
  await page.waitForTimeout(300);
  assert.equal(await page.textContent('.nt-steps'), at, 'no step after the refused link');
  assert.equal(await page.evaluate(() => document.querySelector('.nt-play').disabled), true);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('hidden layers: a stray "x" is not read as a separator that vanishes ("6, x" is refused, not taken as one layer of 6); "8x8", "8 8", "8,,8" still read', async () => {
  const page = await openTrain('hidden=4&steps=5');
  const box = page.locator('.nt-group:has(legend:text("Network")) input[type="text"]');
  const err = page.locator('.nt-group:has(legend:text("Network")) .field-error');
  for (const typed of ['6, x', 'x', '16x']) {
    await box.fill(typed);
    await box.press('Enter');
    assert.match(await err.first().textContent(), /^hidden layers: up to 16 widths/, typed);
    assert.equal(await box.inputValue(), typed, 'the text stays as typed');
    assert.equal(await page.textContent('.nt-steps'), 'step 5', `${typed}: the run was not rebuilt`);
  }
  for (const [typed, want] of [['8x8', 'hidden=8,8'], ['6 6', 'hidden=6,6'], ['5,,5', 'hidden=5,5']]) {
    await box.fill(typed);
    await box.press('Enter');
    await page.waitForFunction((w) => location.hash.includes(w) || (w === 'hidden=8,8' && !/hidden=/.test(location.hash)), want);
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('"Edit these points" (or a test point added) changes nothing that trains: the same run goes on, Adam\'s state too, and the link still replays it', async () => {
  const link = 'data=spiral(n=200,classes=3)&head=CrossEntropyLoss&opt=Adam(lr=0.01)';
  const want = await openTrain(`${link}&steps=31`);
  const ref = JSON.parse(await want.getAttribute('.nt-readout', 'data-exact'));
  await want.close();
  const page = await openTrain(`${link}&steps=30`);
  await page.locator('button', { hasText: 'Edit these points' }).click();
  // a test point: no training point changes either
  await page.locator('.nt-own select').nth(2).selectOption('test');
  const box = await page.locator('.nt-boundary').boundingBox();
  // the corner (-5.7, 5.7) of the plane [-6, 6]² (inset 40 px left, 8 right, 8 top, 28 bottom), far from the spiral
  await page.mouse.click(box.x + 40 + (0.3 / 12) * (box.width - 48), box.y + 8 + (0.3 / 12) * (box.height - 36));
  await page.waitForFunction(() => /\/101 /.test(document.querySelector('.nt-readout').textContent));
  await button(page, 'One step').click();
  await page.waitForFunction(() => JSON.parse(document.querySelector('.nt-readout').dataset.exact)[0] === 31);
  const got = JSON.parse(await page.getAttribute('.nt-readout', 'data-exact'));
  assert.deepEqual([got[0], got[1], got[2]], [ref[0], ref[1], ref[2]], 'step 31 on the training set: the uninterrupted run\'s');
  assert.equal(await page.evaluate(() => document.querySelector('.nt-note').hidden), true, 'no "settings changed" note');
  assert.match(await page.evaluate(() => location.hash), /&steps=31(&|$)/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('Play on a big net with batch 1: a frame trains what fits in its time, Pause answers at once, and the numbers are those of the same steps replayed', async () => {
  // 2000 training points, batch 1, two layers of 256: an epoch is 2000 steps of ~3 ms
  const link = 'data=circle(n=4000)&hidden=256,256&batch=1';
  const page = await openTrain(link);
  await button(page, 'Play').click();
  await page.waitForTimeout(400);
  // Pause is taken between two frames: the run stops inside the first epoch, where an unsliced
  // frame (the whole epoch, 10 s) could not stop it. (No milliseconds asserted: on a loaded
  // machine Playwright's click waits for a busy page, and Pause's own evaluation is ~0.5 s.)
  await button(page, 'Pause').click();
  await page.waitForFunction(() => document.querySelector('.nt-play').textContent === '▶ Play');
  const got = JSON.parse(await page.getAttribute('.nt-readout', 'data-exact'));
  assert.ok(got[0] > 0 && got[0] < 2000, `step ${got[0]}: part of the first epoch`);
  const again = await openTrain(`${link}&steps=${got[0]}`);
  assert.deepEqual(JSON.parse(await again.getAttribute('.nt-readout', 'data-exact')), got);
  assert.deepEqual([...page.problems, ...again.problems], []);
  await page.close();
  await again.close();
});

test('a refused value\'s message sits under the field typed in (the learning rate\'s was ~700 px below it, at the optimiser group\'s end); Adam\'s eps too; the hidden layers\' own check under that field', async () => {
  const page = await openTrain('hidden=4');
  const gap = (field) => page.evaluate((sel) => {
    const f = document.querySelector(sel).getBoundingClientRect();
    const shown = [...document.querySelectorAll('.nt-settings .field-error')].filter((e) => !e.hidden);
    return shown.map((e) => [e.textContent, Math.round(e.getBoundingClientRect().top - f.bottom)]);
  }, field);
  const lr = '[data-param="lr"] input[type="number"]';
  await page.fill(lr, '-1');
  await page.press(lr, 'Enter');
  await page.locator('.nt-group:has(legend:text("Optimiser")) .field-error:visible').waitFor();
  let g = await gap(lr);
  assert.equal(g.length, 1);
  assert.equal(g[0][0], 'optimizer: Invalid learning rate: -1.0');
  assert.ok(g[0][1] >= 0 && g[0][1] < 120, `${g[0][1]} px below the lr field`);
  // Adam's eps: the same under its own row
  await page.selectOption('.nt-group:has(legend:text("Optimiser")) select', 'Adam');
  const eps = '[data-param="eps"] input[type="number"]';
  await page.fill(eps, '-1');
  await page.press(eps, 'Enter');
  await page.locator('.nt-group:has(legend:text("Optimiser")) .field-error:visible').waitFor();
  g = await gap(eps);
  assert.match(g[0][0], /^optimizer: Invalid epsilon value: -1/);
  assert.ok(g.length === 1 && g[0][1] >= 0 && g[0][1] < 120, JSON.stringify(g));
  await page.fill(eps, '1e-8');
  await page.press(eps, 'Enter');
  await page.waitForFunction(() => ![...document.querySelectorAll('.nt-settings .field-error')].some((e) => !e.hidden));
  // the page's own check of the hidden layers: right under that field
  const hid = '[data-field="hidden"] input';
  await page.fill(hid, '0');
  await page.press(hid, 'Enter');
  g = await gap(hid);
  assert.ok(g.length === 1 && /^hidden layers:/.test(g[0][0]) && g[0][1] >= 0 && g[0][1] < 60, JSON.stringify(g));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the text summary when a test set starts mid-run: its curve is said from where it starts (no "nan")', async () => {
  const page = await openTrain('data=own&pts=1,1,0;2,2,1;-1,-1,0;-2,2,1;3,-1,0;-3,-2,1&hidden=4&steps=5');
  await page.locator('.nt-own select').nth(2).selectOption('test');
  const box = await page.locator('.nt-boundary').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + 20);
  await page.waitForFunction(() => /test accuracy \d+\/1 /.test(document.querySelector('.nt-readout').textContent));
  await button(page, 'One step').click();
  await page.waitForFunction(() => JSON.parse(document.querySelector('.nt-readout').dataset.exact)[0] === 6);
  const text = await page.textContent('.nt-summary');
  assert.doesNotMatch(text, /nan|undefined/i);
  assert.match(text, /^From step 0 to 6: train loss (fell|rose) from [\d.]+ to [\d.]+, test loss (fell|rose|stayed) (from [\d.]+ at step 5 to [\d.]+|at [\d.]+ from step 5), train accuracy /);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('steps per second: none shown once the weights are reset (the last figure was the previous run\'s)', async () => {
  const page = await openTrain('data=spiral(n=300,classes=3)&head=CrossEntropyLoss');
  await button(page, 'Play').click();
  await page.waitForTimeout(700);
  await button(page, 'Pause').click();
  assert.match(await page.textContent('.nt-rate'), /^\d+ steps\/s$/);
  await button(page, 'Reset weights').click();
  assert.equal(await page.textContent('.nt-rate'), '');
  assert.deepEqual(page.problems, []);
  await page.close();
});
