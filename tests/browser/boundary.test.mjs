// Browser tests of the playground's picture (web/src/net-boundary.js) and its cached layer of
// points: the picture drawn with the layer as the page left it equals one whose layer is drawn
// afresh (at first, after the dark theme switch, while and after dragging a point, after a
// resize, with the keyboard's cross), the switch and the drag show at once (a point's centre in
// its class colour where it now is), and a playing frame, which changes only the heat, does not
// redraw the layer (counted by the picture's layerDraws, no timing).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open } from './browser.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); });

// the page's problems, less Chromium's advice on this file's own getImageData readbacks
const problems = (page) => page.problems.filter((p) => !/getImageData are faster with the willReadFrequently/.test(p));
const openTrain = async (link) => {
  const page = await b.page(null);
  await open(page, `${b.base}#net=train&${link}`);
  await page.waitForSelector('.nt-readout[data-exact^="["]', { timeout: 60000 });
  return page;
};

// The picture's pixels as shown, and as drawn again with the layer redrawn from nothing
// (layerKey cleared): how many bytes differ, the layer's redraw count, the theme.
const compare = (page) => page.evaluate(() => {
  const c = window.ActivationLossLab.apps[0].netTab.views.train.lanes[0].canvas;
  const grab = () => c.canvas.getContext('2d').getImageData(0, 0, c.canvas.width, c.canvas.height).data;
  const shown = grab();
  const draws = c.layerDraws;
  c.layerKey = null;
  c.draw();
  const fresh = grab();
  let differ = 0;
  for (let i = 0; i < shown.length; i++) if (shown[i] !== fresh[i]) differ++;
  return { differ, bytes: shown.length, draws, theme: document.documentElement.dataset.theme };
});
// The colour (#rrggbb) of the picture at data point (x, y), and the points as the picture has them.
const colourAt = (page, x, y) => page.evaluate(([x, y]) => {
  const c = window.ActivationLossLab.apps[0].netTab.views.train.lanes[0].canvas;
  const [px, py] = c.toPx(x, y, c.L);
  const k = c.canvas.width / c.L.w;
  const d = c.canvas.getContext('2d').getImageData(Math.floor(px * k), Math.floor(py * k), 1, 1).data;
  return `#${[d[0], d[1], d[2]].map((v) => v.toString(16).padStart(2, '0')).join('')}`.toUpperCase();
}, [x, y]);

test('the picture with its cached points equals a fresh draw: at first, after the theme switch, during and after a drag, after a resize, with the cross', async () => {
  const page = await openTrain('data=own&pts=1,1,0;-1,-1,1;2,-2,0;-2,2,1;3,-3,1,t&hidden=3&steps=4');
  const same = async (when) => {
    const r = await compare(page);
    assert.equal(r.differ, 0, `${when}: ${r.differ} of ${r.bytes} bytes differ from a fresh draw`);
    return r;
  };
  const first = await same('at first');
  assert.equal(first.theme, 'light');
  assert.equal(await colourAt(page, 1, 1), '#0072B2', 'class 0 in the light palette');
  // the dark theme: redrawn at once, in the dark palette
  await page.click('#theme-toggle');
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await page.waitForFunction(() => window.ActivationLossLab.apps[0].netTab.views.train.lanes[0].canvas.scene.theme === 'dark');
  const dark = await same('after the switch to dark');
  assert.ok(dark.draws > first.draws, 'the layer was redrawn');
  assert.equal(await colourAt(page, 1, 1), '#56B4E9', 'class 0 in the dark palette');
  assert.equal(await colourAt(page, -1, -1), '#E69F00', 'class 1 in the dark palette');
  // a drag: the point is where the mouse is while the button is still down
  const box = await page.locator('.nt-boundary').boundingBox();
  const at = (x, y) => [box.x + 40 + ((x + 6) / 12) * (box.width - 48), box.y + 8 + ((6 - y) / 12) * (box.height - 36)];
  await page.mouse.move(...at(1, 1));
  await page.mouse.down();
  await page.mouse.move(...at(3, 3), { steps: 5 });
  const live = await page.evaluate(() => window.ActivationLossLab.apps[0].netTab.views.train.lanes[0].canvas.scene.points[0]);
  assert.ok(Math.abs(live[0] - 3) <= 0.06 && Math.abs(live[1] - 3) <= 0.06, `dragged to ${live}`);
  assert.equal(await colourAt(page, live[0], live[1]), '#56B4E9', 'the point drawn where it was dragged');
  assert.notEqual(await colourAt(page, 1, 1), '#56B4E9', 'and no longer where it was');
  await same('during the drag');
  await page.mouse.up();
  await page.waitForFunction(() => !/^1,1,0,/m.test(document.querySelector('.nt-csv').value));
  await same('after the drag');
  // a narrower page: a smaller picture
  const width = await page.evaluate(() => document.querySelector('.nt-boundary').width);
  await page.setViewportSize({ width: 700, height: 900 });
  await page.waitForFunction((w) => document.querySelector('.nt-boundary').width !== w, width);
  await same('after the resize');
  // twice the device pixels (the page redraws on its next draw)
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: 700, height: 900, deviceScaleFactor: 2, mobile: false });
  await page.evaluate(() => window.ActivationLossLab.apps[0].netTab.views.train.draw());
  const [dev, css] = await page.evaluate(() => { const cv = document.querySelector('.nt-boundary'); return [cv.width, parseFloat(cv.style.width)]; });
  assert.equal(dev, 2 * css, 'drawn at twice the CSS width');
  await same('at device pixel ratio 2');
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: 700, height: 900, deviceScaleFactor: 1, mobile: false });
  await cdp.detach();
  // the keyboard's cross, drawn over the layer
  await page.focus('.nt-boundary');
  await page.keyboard.press('ArrowRight');
  await same('with the cross');
  assert.deepEqual(problems(page), []);
  await page.close();
});

test('a frame that changes only the heat does not redraw the points\' layer; the theme, a resize and an added point do', async () => {
  const page = await openTrain('data=circle(n=4000)&hidden=8');
  const state = () => page.evaluate(() => {
    const v = window.ActivationLossLab.apps[0].netTab.views.train;
    const c = v.lanes[0].canvas;
    const px = c.canvas.getContext('2d').getImageData(0, 0, c.canvas.width, c.canvas.height).data;
    let sum = 0;
    for (let i = 0; i < px.length; i += 97) sum = (sum * 31 + px[i]) % 1000000007;
    return { draws: c.layerDraws, step: v.lanes[0].run.steps, sum };
  });
  const s0 = await state();
  assert.ok(s0.draws >= 1);
  let last = s0;
  for (let i = 0; i < 3; i++) {
    await page.evaluate(() => window.ActivationLossLab.apps[0].netTab.views.train.frame());
    const s = await state();
    assert.ok(s.step > last.step, 'the frame trained');
    assert.notEqual(s.sum, last.sum, 'and the picture changed (the heat)');
    assert.equal(s.draws, s0.draws, `frame ${i + 1}: the points' layer not redrawn`);
    last = s;
  }
  // Play and Pause: frames, an evaluation, the paused redraw
  await page.click('.nt-play');
  await page.waitForFunction((n) => window.ActivationLossLab.apps[0].netTab.views.train.lanes[0].run.steps > n + 30, last.step);
  await page.click('.nt-play');
  await page.waitForFunction(() => document.querySelector('.nt-play').textContent === '▶ Play');
  assert.equal((await state()).draws, s0.draws, 'Play and Pause: not redrawn');
  await page.click('#theme-toggle');
  await page.waitForFunction((n) => window.ActivationLossLab.apps[0].netTab.views.train.lanes[0].canvas.layerDraws === n + 1, s0.draws);
  await page.setViewportSize({ width: 700, height: 900 });
  await page.waitForFunction((n) => window.ActivationLossLab.apps[0].netTab.views.train.lanes[0].canvas.layerDraws === n + 2, s0.draws);
  await page.locator('button', { hasText: 'Edit these points' }).click();
  await page.locator('.nt-boundary').scrollIntoViewIfNeeded();
  const box = await page.locator('.nt-boundary').boundingBox();
  await page.mouse.click(box.x + 40 + 5, box.y + 8 + 5);
  await page.waitForFunction(() => window.ActivationLossLab.apps[0].netTab.views.train.lanes[0].canvas.scene.points.length === 4001);
  assert.ok((await state()).draws > s0.draws + 2, 'the added point: redrawn');
  assert.equal((await compare(page)).differ, 0, 'and equal to a fresh draw');
  assert.deepEqual(problems(page), []);
  await page.close();
});
