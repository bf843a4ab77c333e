// Browser tests of the parts loaded on demand (main.js's loadPart): the first visit does not
// request dist/app-losses.js until the Losses tab is opened, then requests it once (several apps on
// one page share it); a link or embed that opens on the Losses tab loads it at start; while it loads
// the tab says so (role=status), a missing file gives an inline error and opening the tab again
// retries; the workbench works from file://, and the part uses app.js's own modules and state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, fileUrl } from './browser.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); });

const PART = /\/app-losses\.js(\?|$)/;
const partRequests = (page) => page.requests.filter((u) => PART.test(u));
const drawn = (page) => page.waitForFunction(() => document.querySelector('#loss-value')?.title && !document.querySelector('.workbench.stale'), null, { timeout: 15000 });

test('first visit over http: app-losses.js is requested only when the Losses tab opens, once, with a status line while it loads', async () => {
  const page = await b.page(null);
  let release;
  const held = new Promise((ok) => { release = ok; });
  await page.route(PART, async (route) => { await held; await route.continue(); });
  await open(page, b.base);
  await page.waitForSelector('#fn-plot .u-over');
  assert.deepEqual(partRequests(page), [], 'the Activations tab needs no app-losses.js');
  assert.equal(await page.evaluate(() => window.ActivationLossLab.apps[0].workbench), null);
  await page.click('#tab-btn-loss');
  const status = page.locator('#tab-loss [role="status"]');
  await status.waitFor();
  assert.match(await status.textContent(), /Loading the loss workbench/);
  release();
  await drawn(page);
  assert.equal(await status.count(), 0, 'the status line gives way to the workbench');
  assert.equal(await page.locator('#tab-loss .wb-info .formula math').count(), 1, 'the loss formula came with the part');
  // switching back and forth loads nothing more
  await page.click('#tab-btn-act');
  await page.click('#tab-btn-loss');
  await drawn(page);
  assert.equal(partRequests(page).length, 1, partRequests(page).join(', '));
  assert.deepEqual(page.requests.filter((u) => !u.startsWith(b.base) && !u.startsWith('data:') && !u.startsWith('blob:')), []);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the part uses app.js\'s modules and state: editing in the workbench writes the app\'s link', async () => {
  const page = await b.page(`${b.base}#tab=loss&loss=MSELoss`);
  await drawn(page);
  const same = await page.evaluate(() => {
    const ns = globalThis.__activationLossLab;
    return typeof ns.parts.losses.createWorkbench === 'function' && typeof ns.modules['util.js'].h === 'function'
      && window.ActivationLossLab.apps[0].workbench !== null;
  });
  assert.ok(same);
  await page.selectOption('#loss-picker', 'HuberLoss');
  await drawn(page);
  assert.match(await page.evaluate(() => location.hash), /loss=HuberLoss/);
  assert.equal(await page.evaluate(() => window.ActivationLossLab.apps[0].state.loss.name), 'HuberLoss');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('embed=loss and a #loss= link on the Losses tab load app-losses.js at start', async () => {
  for (const hash of ['#embed=loss&loss=CrossEntropyLoss', '#loss=HuberLoss&p.delta=0.5', '#tab=loss']) {
    const page = await b.page(`${b.base}${hash}`);
    // mount() resolves once the workbench is drawn
    assert.notEqual(await page.evaluate(() => window.ActivationLossLab.apps[0].workbench), null, hash);
    await drawn(page);
    assert.equal(partRequests(page).length, 1, `${hash}: ${partRequests(page).join(', ')}`);
    assert.deepEqual(page.problems, [], hash);
    await page.close();
  }
});

test('several direct embeds on one page load app-losses.js once; a graph-only page loads none', async () => {
  const html = (embeds) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Course</title>
<link rel="stylesheet" href="app.css"></head><body>${embeds}<script src="app.js" defer></script></body></html>`;
  const loss = (s) => `<div style="height:560px" data-activation-lab="${s}" data-embed="loss"></div>`;
  const pages = {
    'course-losses.html': html(`${loss('loss=MSELoss')}<div style="height:400px" data-activation-lab="f=GELU" data-embed="graph"></div>${loss('loss=L1Loss')}`),
    'course-graph.html': html('<div style="height:400px" data-activation-lab="f=ELU" data-embed="graph"></div>'),
  };
  for (const [name, body] of Object.entries(pages)) {
    const page = await b.page(null);
    await page.route(`${b.base}${name}`, (route) => route.fulfill({ contentType: 'text/html', body }));
    await open(page, `${b.base}${name}`);
    await page.waitForFunction(() => window.ActivationLossLab.apps.length === document.querySelectorAll('[data-activation-lab]').length);
    if (name === 'course-losses.html') {
      await page.waitForFunction(() => document.querySelectorAll('.workbench').length === 2 && [...document.querySelectorAll('[id$="loss-value"]')].every((e) => e.title));
      assert.equal(partRequests(page).length, 1, partRequests(page).join(', '));
      // each app keeps its own ids
      assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('[id$="loss-picker"]')].map((e) => e.id)), ['lab1-loss-picker', 'lab3-loss-picker']);
    } else {
      await page.waitForSelector('.u-over');
      assert.deepEqual(partRequests(page), []);
    }
    assert.deepEqual(page.problems, [], name);
    await page.close();
  }
});

test('a missing app-losses.js gives an inline error; opening the tab again retries', async () => {
  const page = await b.page(null);
  let fail = true;
  await page.route(PART, (route) => (fail ? route.fulfill({ status: 404, body: 'not found' }) : route.continue()));
  await open(page, b.base);
  await page.click('#tab-btn-loss');
  const err = page.locator('#tab-loss .part-error[role="alert"]');
  await err.waitFor();
  assert.match(await err.textContent(), /could not be loaded.*app-losses\.js/);
  fail = false;
  await page.click('#tab-btn-act');
  await page.click('#tab-btn-loss');
  await drawn(page);
  assert.equal(await err.count(), 0);
  // the failed load is the browser's own console error (the 404); nothing else went wrong
  assert.deepEqual(page.problems.filter((p) => !/Failed to load resource.*404/.test(p)), []);
  await page.close();
});

test('from file:// the Losses tab loads its part and the workbench works', async () => {
  const page = await b.page(`${fileUrl}#f=ReLU`);
  await page.waitForSelector('#fn-plot .u-over');
  assert.deepEqual(partRequests(page), []);
  await page.click('#tab-btn-loss');
  await drawn(page);
  const v = await page.evaluate(() => {
    const app = window.ActivationLossLab.apps[0];
    return { shown: Number(document.querySelector('#loss-value').title), math: !!document.querySelector('.wb-info .formula math'), same: app.workbench !== null };
  });
  assert.ok(Number.isFinite(v.shown), `loss value ${v.shown}`);
  assert.ok(v.math, 'the typeset formula of the loss');
  assert.ok(v.same);
  assert.ok(partRequests(page).every((u) => u.startsWith('file://')), partRequests(page).join(', '));
  assert.deepEqual(page.problems, []);
  await page.close();
});
