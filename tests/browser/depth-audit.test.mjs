// Browser tests from the depth view's audit (session 7): what a control shows is what the view
// uses, and a bad value is said next to its field with nothing typed lost. Each test failed on the
// page before its fix: a second phase-diagram click left the σ_w²/σ_b² boxes at the first click's
// values. Small networks: the whole file runs in seconds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, dist } from './browser.mjs';

let b;
let lab;
before(async () => {
  b = await launch();
  lab = await (await import(pathToFileURL(join(dist, 'lab.mjs')).href)).default();
});
after(async () => { await b?.close(); });

const SMALL = 'tab=net&net=depth&d.depth=4&d.width=8&d.batch=4';
const view = (page) => page.evaluate(() => {
  const v = window.ActivationLossLab.apps[0].netTab.views.depth;
  const r = v.result();
  return { done: !!r && r.done === r.total, layers: r?.layers.length ?? 0 };
});
// the view drawn complete (its table there) for the state now set
const complete = (page) => page.waitForFunction(() => {
  const r = window.ActivationLossLab.apps[0].netTab?.views?.depth?.result();
  return r && r.done === r.total && document.querySelector('.net-table tbody tr') && /^\S.*layers? of width/.test(document.querySelector('.net-summary').textContent);
}, null, { timeout: 30000 });
// the messages shown in the settings, by the row they sit in (a parameter's name, or the picker's field)
const fieldErrors = (page) => page.evaluate(() => [...document.querySelectorAll('.net-controls .field-error:not([hidden])')]
  .map((e) => [e.closest('[data-param]')?.dataset.param ?? e.closest('[data-field]')?.dataset.field, e.textContent]));
const banner = (page) => page.evaluate(() => { const e = document.querySelector('.net-graphs .banner-error'); return e.hidden ? null : e.textContent; });

test('every click on the phase diagram writes its σ_w² and σ_b² into the boxes, the second one too (the scheme already normal)', async () => {
  const page = await b.page(`${b.base}#${SMALL}`);
  await complete(page);
  const c = page.locator('.net-phase canvas');
  const box = await c.boundingBox();
  const boxes = () => page.evaluate(() => [...document.querySelectorAll('.net-init-params input[type="number"]')].map((i) => Number(i.value)));
  const used = () => page.evaluate(() => { const t = window.ActivationLossLab.apps[0].netTab.views.depth.theory(); return [t.sw2, t.sb2]; });
  for (const [fx, fy] of [[0.5, 0.4], [0.75, 0.25], [0.3, 0.6]]) {
    await c.click({ position: { x: box.width * fx, y: box.height * fy } });
    await complete(page);
    assert.deepEqual(await boxes(), await used(), `click at ${fx}, ${fy}`);
  }
  // the keyboard's Enter too
  await c.focus();
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Enter');
  await complete(page);
  assert.deepEqual(await boxes(), await used());
  assert.match(await page.evaluate(() => decodeURIComponent(location.hash)), new RegExp(`d\\.init=normal\\(sw2=${(await used())[0]},sb2=${(await used())[1]}\\)`));
  assert.deepEqual(page.problems, []);
  await page.close();
});
