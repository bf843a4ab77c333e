// Browser tests of embedding in a course page: the first screenful of an embed shows the point
// (a loss's inputs and result, a graph with its legend and parameters) at 400×300, 800×500 and in
// the example page's iframes, checked by bounding boxes against the viewport; the wheel over an
// embedded graph scrolls the page until the graph is focused (or with Ctrl); the pinned
// "Values at x" readout: a marker drawn on every curve, kept in the link, not overwritten by a
// hover, moved with the arrow keys.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, settled, outsideEmbed as outside } from './browser.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); });

const SIZES = [[400, 300], [800, 500]];

const losses = async () => {
  const page = await b.page(b.base);
  const list = await page.evaluate(() => window.ActivationLossLab.apps[0].catalog.losses.map((s) => ({ name: s.name, args: s.args.length })));
  await page.close();
  return list;
};

test('loss embed: the inputs and the loss value are in the first screenful at 400×300 and 800×500', async () => {
  const all = await losses();
  const failures = [];
  for (const [w, hgt] of SIZES) {
    const page = await b.page(null, { viewport: { width: w, height: hgt } });
    for (const { name, args } of all) {
      // every loss, CTC's four arguments too (a tall (T, N, C) literal scrolls inside its field)
      await page.goto(`${b.base}#embed=loss&loss=${name}`);
      await page.waitForSelector('#loss-value, .loss-value .tensor');
      // the result: its label and the value (the full-precision digits may wrap below)
      const bad = await outside(page, ['.arg-row textarea', '.loss-label', '#loss-value, .loss-value .tensor', '#loss-picker']);
      if (bad.length) failures.push(`${name} at ${w}×${hgt}: ${bad.join('; ')}`);
    }
    assert.deepEqual(page.problems, []);
    await page.close();
  }
  assert.deepEqual(failures, []);
});

test('graph embed: the graph(s), its legend and the first parameter are in the first screenful; at 800×500 the readout too', async () => {
  const failures = [];
  for (const [w, hgt] of [...SIZES, [640, 480]]) {
    for (const hash of ['f=ELU(alpha=0.5)&f=ReLU', 'f=Hardtanh', 'f=GELU&f=SiLU&x=-3,3', 'f=ELU&split=1', 'f=Softplus(beta=0.5)&f=ELU&split=1']) {
      const page = await b.page(`${b.base}#embed=graph&${hash}`, { viewport: { width: w, height: hgt } });
      await page.waitForSelector('#fn-plot .u-over');
      await settled(page);  // the graph refits to the frame once the readout is filled
      const split = hash.includes('split=1');
      const sels = ['#fn-plot canvas', '.legend', '#fn-picker', '.param-row:first-child .param-controls', ...(split ? ['#fn-plot-d canvas'] : [])];
      if (w >= 800) sels.push('#readout', '.toolbar', '#add-curve');
      const bad = await outside(page, sels);
      // f and f′ on their own axes share the height: each still a graph to read
      for (const sel of split ? ['#fn-plot canvas', '#fn-plot-d canvas'] : ['#fn-plot canvas']) {
        const plot = await page.locator(sel).boundingBox();
        const least = split ? (hgt >= 500 ? 120 : 75) : (hgt >= 500 ? 150 : 110);
        if (plot.height < least) bad.push(`${sel} only ${plot.height}px tall`);
      }
      if (bad.length) failures.push(`${hash} at ${w}×${hgt}: ${bad.join('; ')}`);
      assert.deepEqual(page.problems, []);
      await page.close();
    }
  }
  assert.deepEqual(failures, []);
});

test('graph embed of a vector function: the bars and the input vector are in the first screenful', async () => {
  const failures = [];
  for (const [w, hgt] of SIZES) {
    const page = await b.page(`${b.base}#embed=graph&vec=Softmax&vx=[1.0,2.0,0.5]`, { viewport: { width: w, height: hgt } });
    await page.waitForSelector('#vec-bars svg');
    const bad = await outside(page, ['#vec-bars svg', '#vec-x']);
    if (bad.length) failures.push(`${w}×${hgt}: ${bad.join('; ')}`);
    assert.deepEqual(page.problems, []);
    await page.close();
  }
  assert.deepEqual(failures, []);
});

test('graph embed: "+ Compare another curve" leaves the picker and the new curve\'s parameters in view', async () => {
  const page = await b.page(`${b.base}#embed=graph&f=ELU(alpha=0.5)`, { viewport: { width: 400, height: 300 } });
  await page.waitForSelector('#fn-plot .u-over');
  await page.click('#add-curve');
  await page.waitForFunction(() => /Editing curve 2 of 2/.test(document.querySelector('.editing')?.textContent));
  await settled(page);
  assert.deepEqual(await outside(page, ['#fn-picker', '.param-row:first-child .param-controls']), []);
  assert.match(await page.textContent('.editing'), /Editing curve 2 of 2/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the example page: every iframe shows the point in its first screenful', async () => {
  const page = await b.page(`${b.base}embed-example.html`, { viewport: { width: 1280, height: 900 } });
  await page.waitForFunction(() => window.ActivationLossLab?.apps?.length >= 2);
  const frames = page.frames().slice(1);
  assert.ok(frames.length >= 2, `${frames.length} iframes`);
  const failures = [];
  for (const frame of frames) {
    await frame.waitForFunction(() => window.ActivationLossLab?.apps?.length > 0, null, { timeout: 15000 });
    const kind = await frame.evaluate(() => window.ActivationLossLab.apps[0].embed);
    await frame.waitForSelector(kind === 'loss' ? '.loss-value, [data-gate="loss"]' : '#fn-plot .u-over');
    await settled(frame);
    // a hidden result (hide=) shows its Reveal button in its place; a frame 500 px tall holds the readout too
    const tall = await frame.evaluate(() => innerHeight >= 500);
    const sels = kind === 'loss' ? ['.arg-row textarea', '.loss-value, .wb-results [data-gate="loss"]']
      : ['#fn-plot canvas', '.legend', '.param-row:first-child .param-controls', ...(tall ? ['#readout'] : [])];
    const bad = await outside(frame, sels);
    if (bad.length) failures.push(`${await frame.evaluate(() => location.hash)}: ${bad.join('; ')}`);
  }
  assert.deepEqual(failures, []);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('wheel over an embedded graph scrolls the course page until the graph is focused or Ctrl is held; the full page zooms at once', async () => {
  const page = await b.page(`${b.base}embed-example.html`, { viewport: { width: 1000, height: 700 } });
  await page.waitForFunction(() => window.ActivationLossLab?.apps?.length >= 2);
  const plot = page.locator('[data-activation-lab] [id$="fn-plot"]').first();
  await plot.scrollIntoViewIfNeeded();
  await settled(page);
  const range = () => page.evaluate(() => window.ActivationLossLab.apps[0].state.act.x.join(','));
  const before0 = await range();
  const box = await plot.boundingBox();
  const y0 = await page.evaluate(() => scrollY);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 200);
  // the wheel's listener runs before the page scrolls: once it has scrolled, a zoom would show
  await page.waitForFunction((y) => scrollY > y, y0).catch(() => {});
  await settled(page);
  assert.equal(await range(), before0, 'an unfocused embedded graph must not zoom');
  assert.ok(await page.evaluate(() => scrollY) > y0, 'the course page scrolls');
  assert.ok(await page.locator('[data-activation-lab] .wheel-hint.on').count() === 1, 'a hint says how to zoom');
  // with Ctrl held it zooms
  const box2 = await plot.boundingBox();
  await page.mouse.move(box2.x + box2.width / 2, box2.y + box2.height / 2);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, 200);
  await page.keyboard.up('Control');
  await page.waitForFunction((r) => window.ActivationLossLab.apps[0].state.act.x.join(',') !== r, before0).catch(() => {});
  const afterCtrl = await range();
  assert.notEqual(afterCtrl, before0, 'Ctrl + wheel zooms');
  // after a click (focus) it zooms, and the page stays put
  await page.mouse.click(box2.x + box2.width / 2, box2.y + box2.height / 2);
  const y1 = await page.evaluate(() => scrollY);
  await page.mouse.wheel(0, -200);
  await page.waitForFunction((r) => window.ActivationLossLab.apps[0].state.act.x.join(',') !== r, afterCtrl).catch(() => {});
  await settled(page);
  assert.notEqual(await range(), afterCtrl, 'a focused graph zooms');
  assert.equal(await page.evaluate(() => scrollY), y1, 'and the page does not scroll');
  assert.deepEqual(page.problems, []);
  await page.close();

  const full = await b.page(`${b.base}#f=ELU`);
  await full.waitForSelector('#fn-plot .u-over');
  const fb = await full.locator('#fn-plot').boundingBox();
  await full.mouse.move(fb.x + fb.width / 2, fb.y + fb.height / 2);
  await full.mouse.wheel(0, 200);
  await full.waitForFunction(() => window.ActivationLossLab.apps[0].state.act.x.join(',') !== '-5,5').catch(() => {});
  assert.notEqual(await full.evaluate(() => window.ActivationLossLab.apps[0].state.act.x.join(',')), '-5,5');
  await full.close();
});

// The marker dots the plot draws (what plot.js's draw hook paints), each with the canvas pixel under it.
const markers = (page) => page.evaluate(() => {
  const app = window.ActivationLossLab.apps[0];
  const p = app.explorer.plot;
  const ctx = p.u.ctx;
  return p.markers.map((m) => {
    const cx = Math.round(p.u.valToPos(m.x, 'x', true));
    const cy = Math.round(p.u.valToPos(m.y, 'y', true));
    const px = [...ctx.getImageData(cx, cy, 1, 1).data].slice(0, 3);
    return { x: m.x, y: m.y, color: m.color, px };
  });
});
const hex = (rgb) => `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

test('Values at x: a typed x is marked on every curve, kept in the link, survives a hover, and the arrow keys move it', async () => {
  const page = await b.page(`${b.base}#f=ELU(alpha=2)&f=ReLU:f`);
  await page.waitForSelector('#fn-plot .u-over');
  await page.fill('#read-x', '-1.5');
  await page.waitForFunction(() => { const m = window.ActivationLossLab.apps[0].explorer.plot.markers; return m.length === 3 && m.every((d) => d.x === -1.5); }).catch(() => {});
  const lab = await page.evaluate(() => {
    const app = window.ActivationLossLab.apps[0];
    const e = app.lab.activation('ELU', { alpha: 2 }, [-1.5]);
    const r = app.lab.activation('ReLU', {}, [-1.5]);
    return [e.y[0], e.dy[0], r.y[0]];
  });
  let m = await markers(page);
  // ELU: f and f′; ReLU: f only (its f′ is switched off)
  assert.deepEqual(m.map((d) => [d.x, d.y]), [[-1.5, lab[0]], [-1.5, lab[1]], [-1.5, lab[2]]]);
  for (const d of m) assert.equal(hex(d.px), d.color.toLowerCase(), `the dot at (${d.x}, ${d.y}) is drawn in its curve's colour`);
  assert.match(await page.evaluate(() => location.hash), /[#&]rx=-1\.5(&|$)/);
  // hover shows other values, leaving returns to the pinned x
  const box = await page.locator('#fn-plot .u-over').boundingBox();
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2);
  await page.waitForFunction(() => document.querySelector('#read-x').value !== '-1.5').catch(() => {});
  assert.notEqual(await page.inputValue('#read-x'), '-1.5');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height + 200);
  await page.waitForFunction(() => document.querySelector('#read-x').value === '-1.5').catch(() => {});
  assert.equal(await page.inputValue('#read-x'), '-1.5');
  assert.equal(Number(await page.getAttribute('#readout tbody tr:first-child td', 'title')), lab[0]);
  // arrow keys: one hundredth of the range per press
  await page.focus('#fn-plot');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('#read-x').value === '-1.3' && /[#&]rx=-1\.3(&|$)/.test(location.hash)).catch(() => {});
  assert.equal(await page.inputValue('#read-x'), '-1.3');
  assert.match(await page.evaluate(() => location.hash), /[#&]rx=-1\.3(&|$)/);
  m = await markers(page);
  assert.ok(m.length === 3 && m.every((d) => d.x === -1.3), JSON.stringify(m));
  // the link restores it
  const again = await b.page(`${b.base}#f=ELU(alpha=0.5)&rx=-2`);
  await again.waitForSelector('#fn-plot .u-over');
  await again.waitForFunction(() => window.ActivationLossLab.apps[0].explorer.plot.markers.length === 2).catch(() => {});
  assert.equal(await again.inputValue('#read-x'), '-2');
  assert.equal((await markers(again)).length, 2);
  // (the test's own pixel reads make Chromium suggest willReadFrequently: not the page's problem)
  assert.deepEqual([...page.problems, ...again.problems].filter((p) => !/willReadFrequently/.test(p)), []);
  await Promise.all([page.close(), again.close()]);
});

test('network embed: the play controls and the whole picture fit the first screenful with a title and in presentation type (1000×700, 800×600, 390×700)', async () => {
  const failures = [];
  for (const [w, hgt] of [[1000, 700], [800, 600], [390, 700]]) {
    const page = await b.page(null, { viewport: { width: w, height: hgt } });
    for (const q of ['title=Watch%20the%20ring', 'present=1&title=Watch%20the%20ring', 'present=1&data=sine', 'cmp=1&b.act=ReLU&title=Two']) {
      await page.goto(`${b.base}#embed=network&${q}`);
      await page.waitForSelector('.nt-readout[data-exact^="["]', { timeout: 60000 });
      await settled(page);
      const bad = await outside(page, ['.nt-toolbar', '.nt-picture canvas']);
      if (bad.length) failures.push(`${q} at ${w}×${hgt}: ${bad.join('; ')}`);
    }
    assert.deepEqual(page.problems, []);
    await page.close();
  }
  assert.deepEqual(failures, []);
});
