// Browser tests from the depth view's audit (session 7): what a control shows is what the view
// uses, and a bad value is said next to its field with nothing typed lost. Each test failed on the
// page before its fix: a second phase-diagram click left the σ_w²/σ_b² boxes at the first click's
// values; the lab's message for an activation parameter or init keyword appeared only in the banner
// above the graphs (and a link's PReLU nowhere near the picker); a negative σ_b² was taken (biases
// left at 0, the theory fed a negative variance); Threshold failed for want of its required
// keywords although its boxes showed them, and PReLU, which no network takes, was offered; a wrong
// value typed in a box was wiped (with its message) when another control changed the view. The
// phase diagram was drawn at its panel's width with the padding and shown shrunk, so a click set
// σ_w² = 1.58 where the axis said 2. Labels ran into each other or off the canvas: a heatmap's
// right-end tick into "dead", the lines' "100" and the phase diagram's "0.005" past the edge, ticks
// on a narrow heatmap in the presentation type. A one-layer summary said "0.12 at layer 1, 0.12 at
// layer 1" and "1 times the last layer's"; the gradient chart's vertical line was in no legend. A
// preset's link opened without its sentence or pressed button. An overflowing network's summary
// said "nan times the last layer's (inf)". Session 8: the heatmaps' √ shading was said nowhere (now
// the note, the canvases' labels and a key, checked pixel by pixel against the cells); embed=depth
// on a phone kept the two heatmaps side by side, ~170 px each; a ~200 px heatmap had one value
// label; large gradient ratios had one digit ("2e+11"); "1 %" broke across lines in a legend.
// Small networks: the whole file ran in 60 s at load 5 (session 8). DEPTH_SHOTS=dir saves the
// phone test's screenshots there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, dist, root } from './browser.mjs';

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
// the view drawn complete (its table there) for the state now set (of `layers` layers, when given:
// after a link changed by hand the last state's stays complete until the new one starts)
const complete = (page, layers = null) => page.waitForFunction((n) => {
  const r = window.ActivationLossLab.apps[0].netTab?.views?.depth?.result();
  return r && r.done === r.total && (n === null || r.layers.length === n) && document.querySelector('.net-table tbody tr') && /^\S.*layers? of width/.test(document.querySelector('.net-summary').textContent);
}, layers, { timeout: 30000 });
// does `action` (a control's change), then waits until a redraw started after it is drawn complete
// (complete() alone could see the last state's complete result before the new redraw starts: a
// race a loaded machine lost, the Threshold test comparing Tanh's numbers)
const redrawnAfter = async (page, action) => {
  const gen = await page.evaluate(() => window.ActivationLossLab.apps[0].netTab.views.depth.generation());
  await action();
  await page.waitForFunction((g) => window.ActivationLossLab.apps[0].netTab.views.depth.paints().some((p) => p.generation > g && p.done === p.total), gen, { timeout: 30000 });
  await complete(page);
};
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

test('the lab\'s message for an activation parameter or an init keyword is under that row (the one edited when it names two), else under the picker', async () => {
  const page = await b.page(`${b.base}#${SMALL}`);
  await complete(page);
  const act = (name) => redrawnAfter(page, () => page.selectOption('.net-controls select[data-field="act"]', name));
  const type = async (where, name, v) => { await page.fill(`.net-controls ${where} [data-param="${name}"] input[type="number"]`, v); await page.waitForFunction(() => !document.querySelector('.net-graphs .banner-error').hidden); };
  await act('Hardtanh');
  await type('.net-act-params', 'min_val', '2');
  const hardtanh = await banner(page);
  assert.match(hardtanh, /^activation: .*max_val > min_val/);
  assert.deepEqual(await fieldErrors(page), [['min_val', hardtanh]]);
  await act('RReLU');
  await type('.net-act-params', 'lower', '0.9');
  const rrelu = await banner(page);
  assert.match(rrelu, /^activation: Lower bound should be less than or equal to the upper bound/);
  assert.deepEqual(await fieldErrors(page), [['lower', rrelu]], 'the row edited, not the other one named');
  assert.equal(await page.inputValue('.net-act-params [data-param="lower"] input[type="number"]'), '0.9');
  await act('Tanh');
  assert.deepEqual(await fieldErrors(page), []);
  await redrawnAfter(page, () => page.selectOption('.net-controls select[data-field="init"]', 'xavier_uniform'));
  await type('.net-init-params', 'gain', '-1');
  const gain = await banner(page);
  assert.match(gain, /^init: uniform_ expects to return a \[from, to\) range/);
  assert.deepEqual(await fieldErrors(page), [['gain', gain]]);
  assert.equal(await page.inputValue('.net-init-params [data-param="gain"] input[type="number"]'), '-1');
  // a link with an activation no network takes: the message under the picker
  await page.goto(`${b.base}#${SMALL}&d.act=PReLU`);
  await page.waitForFunction(() => /PReLU/.test(document.querySelector('.net-graphs .banner-error')?.textContent ?? ''));
  const prelu = await banner(page);
  assert.match(prelu, /^activation: PReLU has a learnable weight/);
  assert.deepEqual(await fieldErrors(page), [['act', prelu]]);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('σ_w² and σ_b² of the normal init out of their ranges are refused under their row (no biases left at 0 under a negative σ_b²)', async () => {
  const page = await b.page(`${b.base}#${SMALL}&d.init=normal(sw2=1.5,sb2=0.1)`);
  await complete(page);
  const before = await page.evaluate(() => JSON.stringify(window.ActivationLossLab.apps[0].netTab.views.depth.result().layers));
  for (const [name, v, msg] of [['sb2', '-1', /^init: σ_b² \(sb2\) must be a number from 0 to 100, got -1$/], ['sb2', '200', /got 200$/], ['sw2', '-0.5', /^init: σ_w² \(sw2\) must be a number from 0 to 10000, got -0\.5$/]]) {
    await page.fill(`.net-init-params [data-param="${name}"] input[type="number"]`, v);
    await page.waitForFunction(() => !document.querySelector('.net-graphs .banner-error').hidden);
    const m = await banner(page);
    assert.match(m, msg);
    assert.deepEqual(await fieldErrors(page), [[name, m]]);
    assert.match(await page.textContent('.net-summary'), /^Nothing to show: init: /);
    assert.equal(await page.inputValue(`.net-init-params [data-param="${name}"] input[type="number"]`), v, 'the typed value stays');
    await page.fill(`.net-init-params [data-param="${name}"] input[type="number"]`, name === 'sb2' ? '0.1' : '1.5');
    await complete(page);
    assert.deepEqual(await fieldErrors(page), []);
  }
  assert.equal(await page.evaluate(() => JSON.stringify(window.ActivationLossLab.apps[0].netTab.views.depth.result().layers)), before);
  // a link with one: the same message, under the row showing the link's value
  await page.goto(`${b.base}#${SMALL}&d.init=normal(sb2=-0.25)`);
  await page.waitForFunction(() => /-0\.25/.test(document.querySelector('.net-graphs .banner-error')?.textContent ?? ''));
  assert.deepEqual(await fieldErrors(page), [['sb2', 'init: σ_b² (sb2) must be a number from 0 to 100, got -0.25']]);
  assert.equal(await page.inputValue('.net-init-params [data-param="sb2"] input[type="number"]'), '-0.25');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('Threshold starts with its required keywords at the values its boxes show; PReLU is listed disabled with the engine\'s reason', async () => {
  const page = await b.page(`${b.base}#${SMALL}`);
  await complete(page);
  const prelu = await page.evaluate(() => { const o = document.querySelector('.net-controls select[data-field="act"] option[value="PReLU"]'); return { disabled: o.disabled, text: o.textContent, title: o.title }; });
  assert.equal(prelu.disabled, true);
  assert.equal(prelu.text, 'PReLU (not in a network)');
  assert.match(prelu.title, /PReLU has a learnable weight/);
  await redrawnAfter(page, () => page.selectOption('.net-controls select[data-field="act"]', 'Threshold'));
  assert.equal(await banner(page), null);
  const shown = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('.net-act-params [data-param]')].map((r) => [r.dataset.param, Number(r.querySelector('input[type="number"]').value)])));
  assert.deepEqual(Object.keys(shown).sort(), ['threshold', 'value']);
  assert.match(await page.evaluate(() => decodeURIComponent(location.hash)), new RegExp(`d\\.act=Threshold\\(threshold=${shown.threshold},value=${shown.value}\\)`));
  // the numbers are the JS API's for those keywords
  const act = { name: 'Threshold', params: shown };
  const g = lab.network({ sizes: [8, 4], bias: false, seed: 1, init: { weight: 'normal', params: {} } });
  const x = g.parameters()[0].weight;
  g.delete();
  const net = lab.network({ sizes: [8, 8, 8, 8, 8], activation: act, output: act, bias: true, seed: 0, loss: { name: 'MSELoss', params: { reduction: 'sum' } } });
  net.gradients({ input: x, target: x.map((r) => r.map(() => 0)) });
  const want = net.statistics().map((s) => s.post.std);
  net.delete();
  assert.deepEqual(await page.evaluate(() => window.ActivationLossLab.apps[0].netTab.views.depth.result().layers.map((s) => s.post.std)), want);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a wrong value typed in a box stays there with its message when another control changes the view', async () => {
  const page = await b.page(`${b.base}#${SMALL}&d.init=xavier_normal(gain=1.5)`);
  await complete(page);
  const num = (sel) => `.net-controls ${sel} input[type="number"]`;
  await page.fill(num('[data-field="depth"]'), '0');
  await page.fill(num('[data-field="width"]'), '600');
  await page.fill('.net-controls [data-field="seed"] input', '-5');
  await page.fill(num('.net-init-params [data-param="gain"]'), '');
  const typed = ['0', '600', '-5', ''];
  const read = () => Promise.all([num('[data-field="depth"]'), num('[data-field="width"]'), '.net-controls [data-field="seed"] input', num('.net-init-params [data-param="gain"]')].map((s) => page.inputValue(s)));
  assert.deepEqual(await read(), typed);
  const messages = await fieldErrors(page);
  assert.equal(messages.length, 4);
  // another activation, then the heatmap's other values: the boxes and messages stay; the view
  // still uses depth 4, width 8, seed 0, gain 1.5
  await redrawnAfter(page, () => page.selectOption('.net-controls select[data-field="act"]', 'ReLU'));
  await page.check('.net-controls .net-show input[value="pre"]');
  await complete(page);
  assert.deepEqual(await read(), typed);
  assert.deepEqual(await fieldErrors(page), messages);
  assert.deepEqual(await view(page), { done: true, layers: 4 });
  assert.match(await page.textContent('.net-summary'), /^ReLU, 4 layers of width 8, batch 4, Xavier normal init, seed 0\./);
  // a preset sets the boxes of what it sets (and clears their messages); it keeps the seed
  await redrawnAfter(page, () => page.click('.net-presets button[data-preset="sigmoid-default"]'));
  assert.deepEqual(await fieldErrors(page), messages.filter(([k]) => k === 'seed'));
  assert.equal(await page.inputValue(num('[data-field="depth"]')), '20');
  assert.equal(await page.inputValue(num('[data-field="width"]')), '128');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a click on the phase diagram sets the σ_w² and σ_b² under the pointer (every graph shown at the size it is drawn), desktop and phone', async () => {
  for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
    const page = await b.page(`${b.base}#${SMALL}`, { viewport });
    await complete(page);
    await page.waitForFunction(() => /Axes: σ_w² from 0 to 6,/.test(document.querySelector('.net-phase-note').textContent));
    const sizes = await page.evaluate(() => [...document.querySelectorAll('.net-depth canvas')].map((c) => [c.getAttribute('aria-label'), c.width / devicePixelRatio, c.getBoundingClientRect().width]));
    for (const [label, drawnW, shownW] of sizes) assert.ok(Math.abs(drawnW - shownW) < 0.5, `${label}: drawn ${drawnW} px wide, shown ${shownW}`);
    await page.locator('.net-phase canvas').scrollIntoViewIfNeeded();
    // where the diagram drew σ_w² = 4 and σ_b² = 0.1 (its ticks), on the screen
    const at = await page.evaluate(() => {
      const p = window.ActivationLossLab.apps[0].netTab.views.depth.phase;
      const r = p.canvas.getBoundingClientRect();
      const k = r.width / (p.canvas.width / devicePixelRatio);
      if (!p.ticks.x.some((t) => t.value === 4) || !p.ticks.y.some((t) => Math.abs(t.value - 0.1) < 1e-12)) return null;
      return { x: r.left + (p.box.x + (4 / p.xmax) * p.box.w) * k, y: r.top + (p.box.y + p.box.h - (0.1 / 0.5) * p.box.h) * k };
    });
    assert.ok(at, 'the diagram has ticks at σ_w² = 4 and σ_b² = 0.1');
    await page.mouse.click(at.x, at.y);
    await complete(page);
    const t = await page.evaluate(() => window.ActivationLossLab.apps[0].netTab.views.depth.theory());
    // within a pixel's worth of each axis
    assert.ok(Math.abs(t.sw2 - 4) <= 0.04 && Math.abs(t.sb2 - 0.1) <= 0.004, `clicked at σ_w² = 4, σ_b² = 0.1 (${viewport.width} px), set ${t.sw2}, ${t.sb2}`);
    assert.deepEqual(page.problems, []);
    await page.close();
  }
});

// Every text a graph draws (ticks, axis titles, the marks' "dead" and "sat.", the phase names), as
// boxes in CSS pixels: unrotated fillText calls are recorded while each graph draws again.
const texts = (page) => page.evaluate(() => {
  const v = window.ActivationLossLab.apps[0].netTab.views.depth;
  const P = CanvasRenderingContext2D.prototype;
  const fill = P.fillText;
  let log = [];
  P.fillText = function (text, x, y, ...rest) {
    // the text's box in its own space, its corners through the transform (rotated axis titles too)
    const t = this.getTransform();
    const m = this.measureText(text);
    const corners = [[x - m.actualBoundingBoxLeft, y - m.actualBoundingBoxAscent], [x + m.actualBoundingBoxRight, y - m.actualBoundingBoxAscent],
      [x - m.actualBoundingBoxLeft, y + m.actualBoundingBoxDescent], [x + m.actualBoundingBoxRight, y + m.actualBoundingBoxDescent]]
      .map(([u, w]) => [(t.a * u + t.c * w + t.e) / devicePixelRatio, (t.b * u + t.d * w + t.f) / devicePixelRatio]);
    const xs = corners.map((c) => c[0]);
    const ys = corners.map((c) => c[1]);
    log.push({ text, l: Math.min(...xs), r: Math.max(...xs), t: Math.min(...ys), b: Math.max(...ys) });
    return fill.call(this, text, x, y, ...rest);
  };
  const out = {};
  try {
    for (const [k, c] of [...Object.entries(v.charts), ...(v.shadeKey ? [['shadeKey', v.shadeKey]] : []), ['phase', v.phase]]) { log = []; c.draw(); out[k] = { width: (c.img ?? c.canvas).clientWidth, height: (c.img ?? c.canvas).clientHeight, texts: log }; }
  } finally { P.fillText = fill; }
  return out;
});

test('no two texts of a graph overlap and none runs off its canvas: depth 1 to 100, desktop, phone, a phone embed in the presentation type', async () => {
  for (const [hash, viewport] of [
    ['tab=net&net=depth&d.depth=1&d.width=2&d.batch=1', { width: 1280, height: 900 }],  // ticks to 0.65 at the right end, beside "dead"
    ['embed=depth&present=1&net=depth&d.depth=100&d.width=8&d.batch=2&d.act=ReLU', { width: 390, height: 844 }],  // "100" at the lines' right end
    ['embed=depth&present=1&net=depth&d.depth=7&d.width=9&d.batch=3&d.act=Sigmoid', { width: 390, height: 844 }],  // 0.4, 0.6 … on a narrow heatmap
    ['tab=net&net=depth&d.depth=2&d.width=8&d.batch=4&d.act=Sine(w0=30)', { width: 390, height: 844 }],  // σ_w² axis to 0.005
    ['tab=net&net=depth&d.depth=10&d.width=64&d.batch=64&d.act=Sine(w0=30)', { width: 1280, height: 900 }],  // the means' "-2.0e8" into the rotated "mean"
    ['embed=depth&present=1&net=depth&d.depth=10&d.width=64&d.batch=64&d.act=Sine(w0=30)', { width: 390, height: 844 }],
  ]) {
    const page = await b.page(`${b.base}#${hash}`, { viewport });
    await complete(page);
    await page.waitForFunction(() => /Axes: σ_w² from 0 to/.test(document.querySelector('.net-phase-note').textContent));
    for (const [graph, { width, height, texts: all }] of Object.entries(await texts(page))) {
      const where = `${hash} at ${viewport.width} px, ${graph}`;
      assert.ok(all.length >= 4, `${where}: texts drawn`);
      for (const [i, a] of all.entries()) {
        assert.ok(a.l >= -0.5 && a.r <= width + 0.5, `${where}: '${a.text}' spans ${a.l.toFixed(1)}..${a.r.toFixed(1)} of 0..${width}`);
        assert.ok(a.t >= -0.5 && a.b <= height + 0.5, `${where}: '${a.text}' spans ${a.t.toFixed(1)}..${a.b.toFixed(1)} of 0..${height} down`);
        for (const o of all.slice(i + 1)) {
          const apart = a.r <= o.l + 0.5 || o.r <= a.l + 0.5 || a.b <= o.t + 0.5 || o.b <= a.t + 0.5;
          assert.ok(apart, `${where}: '${a.text}' and '${o.text}' overlap`);
        }
      }
    }
    assert.deepEqual(page.problems, []);
    await page.close();
  }
});

test('the summary of a one-layer network says so (no "layer 1, … at layer 1", no "1 times the last layer\'s"); the gradient legend names the vertical line it draws', async () => {
  const { fmt } = await import(pathToFileURL(join(root, 'web/src/util.js')).href);
  const page = await b.page(`${b.base}#tab=net&net=depth&d.depth=1&d.width=2&d.batch=1`);
  await complete(page);
  const one = await page.evaluate(() => { const r = window.ActivationLossLab.apps[0].netTab.views.depth.result(); return { post: r.layers[0].post.std, grad: r.layers[0].grad.std, pred: Math.sqrt(r.theory.layers.postVar[0]) }; });
  assert.equal(await page.textContent('.net-summary'), `Tanh, 1 layer of width 2, batch 1, PyTorch's default init, seed 0. Activations' std: ${fmt(one.post)} at layer 1 (mean-field prediction ${fmt(one.pred)}). One layer only: its gradient's std is ${fmt(one.grad)}, with no layer before it to fall in. No dead units. No saturated entries.`);
  const legend = () => page.evaluate(() => [...document.querySelectorAll('.net-legend')[1].querySelectorAll('li')].map((li) => li.textContent.trim()));
  assert.deepEqual(await legend(), ['std of ∂L/∂pre', '1 % of the last layer\'s']);
  // 20 layers: the gradient falls below 1 % at a layer, drawn upright and named in the legend as in the summary
  await page.goto(`${b.base}#tab=net&net=depth&d.depth=20&d.width=16&d.batch=8`);
  await complete(page, 20);
  const layer = await page.evaluate(() => window.ActivationLossLab.apps[0].netTab.views.depth.result().floor.layer);
  assert.ok(layer > 1);
  assert.match(await page.textContent('.net-summary'), new RegExp(`falls below 1 % of the last layer's \\(.*\\) at layer ${layer},`));
  assert.deepEqual(await legend(), ['std of ∂L/∂pre', '1 % of the last layer\'s', `layer ${layer} (vertical line): the first below 1 %, going back`]);
  assert.deepEqual(await page.evaluate(() => window.ActivationLossLab.apps[0].netTab.views.depth.charts.gradChart.data.vline), { x: layer });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a preset\'s link opens with its sentence and its button pressed (a new page and a link changed by hand)', async () => {
  const first = await b.page(`${b.base}#${SMALL}`);
  await complete(first);
  const all = await first.evaluate(() => [...document.querySelectorAll('.net-presets button')].map((x) => x.dataset.preset));
  assert.equal(all.length, 8);
  // (the 50 × 256 × 256 ones, ReLU's and SELU's, left out for time: the same code path)
  const ids = ['sigmoid-default', 'tanh-normal1', 'siren'];
  const links = [];
  for (const id of ids) {
    await first.click(`.net-presets button[data-preset="${id}"]`);
    await first.waitForFunction((p) => document.querySelector(`.net-presets button[data-preset="${p}"]`).getAttribute('aria-pressed') === 'true' && /d\./.test(location.hash), id);
    links.push({ id, hash: await first.evaluate(() => location.hash), look: await first.textContent('.net-look') });
  }
  assert.deepEqual(first.problems, []);
  await first.close();
  const page = await b.page(`${b.base}${links[0].hash}`);
  const shown = () => page.evaluate(() => ({ look: document.querySelector('.net-look').hidden ? null : document.querySelector('.net-look').textContent, pressed: [...document.querySelectorAll('.net-presets button[aria-pressed="true"]')].map((x) => x.dataset.preset) }));
  for (const [k, { id, hash, look }] of links.entries()) {
    if (k > 0) await page.evaluate((h) => { location.hash = h; }, hash);
    await page.waitForFunction((want) => document.querySelector('.net-look')?.textContent === want, look);
    assert.deepEqual(await shown(), { look, pressed: [id] }, hash);
  }
  // another state: no sentence, nothing pressed
  await page.evaluate((h) => { location.hash = h; }, `#${SMALL}`);
  await page.waitForFunction(() => document.querySelector('.net-look').hidden);
  assert.deepEqual(await shown(), { look: null, pressed: [] });
  await complete(page);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('when float64 overflows (ReLU, σ_w² = 10⁴, 100 layers) the summary says where, not "nan times the last layer\'s"', async () => {
  const { fmt } = await import(pathToFileURL(join(root, 'web/src/util.js')).href);
  const page = await b.page(`${b.base}#tab=net&net=depth&d.depth=100&d.width=8&d.batch=4&d.act=ReLU&d.init=normal(sw2=10000)`);
  await complete(page, 100);
  const r = await page.evaluate(() => window.ActivationLossLab.apps[0].netTab.views.depth.result().layers.map((s) => [s.post.std, s.grad.std]));
  const first = r.findIndex(([p]) => !Number.isFinite(p)) + 1;
  const bad = r.filter(([, g]) => !Number.isFinite(g)).length;
  assert.ok(first > 1 && bad > 0, 'this state overflows');
  const summary = await page.textContent('.net-summary');
  assert.doesNotMatch(summary, /nan times/);
  assert.match(summary, new RegExp(`float64 overflows: the std is ${fmt(r[first - 1][0])} first at layer ${first}\\. The gradient's std is not finite \\(float64 overflows\\) in ${bad} of 100 layers, ${fmt(r[99][1])} at the last: there is no 1 % layer to give\\.`));
  // no legend entry for a 1 % line that is not drawn
  assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('.net-legend')[1].querySelectorAll('li')].map((li) => li.textContent.trim())), ['std of ∂L/∂pre']);
  assert.deepEqual(page.problems, []);
  await page.close();
});

// The heatmaps' shade is √(bin / the layer's fullest bin). What the page says of it (the note, the
// key's tick labels and its words) against what it draws: the key's pixel at each tick, and every
// cell of both heatmaps, are the background-to-accent blend at √share. (Before: a plain "how full
// each bin is" and no key, so a student read twice as dark as twice as full.)
test('the heatmaps\' shade is the square root of the share, said in the note and shown by a key whose every tick has the shade the heatmap gives that share', async () => {
  const page = await b.page(`${b.base}#${SMALL}`);
  await complete(page);
  assert.match(await page.textContent('.net-heat-note'), /^Shade: the square root of how full each bin is, relative to that layer's fullest bin .*a bin a quarter as full as the fullest is shaded half-way.*Beside the rows, as bars \(a full column is 100 %\): the share of dead units/);
  for (const sel of ['.net-heat-grid figure:nth-child(1) canvas', '.net-heat-grid figure:nth-child(2) canvas']) assert.match(await page.getAttribute(sel, 'aria-label'), /square root of each bin's share of its layer's fullest bin/);
  const got = await page.evaluate(() => {
    const v = window.ActivationLossLab.apps[0].netTab.views.depth;
    const dpr = devicePixelRatio;
    const cs = getComputedStyle(v.shadeKey.img);
    // (each canvas read once: many small reads warn on the console)
    const images = new Map();
    const px = (c, x, y) => {
      if (!images.has(c)) images.set(c, c.getContext('2d').getImageData(0, 0, c.width, c.height));
      const im = images.get(c);
      const o = 4 * (Math.floor(y * dpr) * im.width + Math.floor(x * dpr));
      return Array.from(im.data.slice(o, o + 3));
    };
    const k = v.shadeKey;
    const key = k.ticks.map((t) => ({ ...t, rgb: px(k.canvas, k.box.x + Math.min(k.box.w - 0.5, Math.max(0.5, Math.floor(k.xOf(t.value) - k.box.x) + 0.5)), k.box.y + k.box.h / 2) }));
    const cells = [];
    for (const m of [v.charts.heatAct, v.charts.heatGrad]) {
      const { rows } = m.data;
      const bins = rows[0].counts.length;
      const rowH = m.box.h / rows.length;
      const colW = m.box.w / bins;
      rows.forEach((r, l) => {
        const max = Math.max(...r.counts);
        r.counts.forEach((c, i) => { if (c > 0) cells.push({ share: c / max, rgb: px(m.canvas, m.box.x + (i + 0.5) * colW, m.box.y + (l + 0.5) * rowH) }); });
      });
      if (colW < 3 || rowH < 3) return null;
    }
    return { key, cells, label: k.img.alt, shown: k.img.src === k.canvas.toDataURL() && k.img.getBoundingClientRect().width === k.canvas.width / dpr && k.img.getBoundingClientRect().height === k.canvas.height / dpr, bg: cs.getPropertyValue('--surface').trim(), fg: cs.getPropertyValue('--accent').trim() };
  });
  assert.ok(got, 'cells wide enough to read');
  assert.ok(got.shown, 'the key shown is its canvas, at its size');
  const hex = (c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
  const [bg, fg] = [hex(got.bg), hex(got.fg)];
  const shade = (s) => bg.map((v, i) => v + (fg[i] - v) * Math.sqrt(s));
  const near = (a, want, tol, what) => assert.ok(a.every((v, i) => Math.abs(v - want[i]) <= tol), `${what}: drawn rgb(${a}), √share gives rgb(${want.map(Math.round)})`);
  // the tick labels name shares: '0', '25 %'
  assert.deepEqual(got.key.map((t) => t.label), ['0', '5 %', '25 %', '50 %', '100 %']);
  for (const t of got.key) {
    assert.equal(t.label === '0' ? 0 : Number(t.label.replace(' %', '')) / 100, t.value);
    near(t.rgb, shade(t.value), 2, `key at '${t.label}'`);
  }
  // the key's words: "25 % of the fullest bin: shaded 50 % of the way to the full colour"
  const said = [...got.label.matchAll(/([\d.]+) % of the fullest bin: shaded ([\d.]+) % of the way/g)].map((m) => [Number(m[1]) / 100, Number(m[2]) / 100]);
  assert.equal(said.length, 4);
  for (const [s, t] of said) {
    assert.ok(Math.abs(Math.sqrt(s) - t) < 0.0005, `${s}: ${t}`);
    near(got.key.find((k) => k.value === s).rgb, bg.map((v, i) => v + (fg[i] - v) * t), 2, `key at ${s}, as said`);
  }
  assert.ok(got.cells.length > 20);
  for (const c of got.cells) near(c.rgb, shade(c.share), 1, `a cell of share ${c.share}`);
  assert.ok(got.cells.some((c) => c.share > 0.2 && c.share < 0.3), 'a cell near a quarter of the fullest');
  assert.deepEqual(page.problems, []);
  await page.close();
});

// On a phone the two heatmaps side by side were each ~170 px wide (embed=depth kept its two columns
// at any width): now one above the other at the frame's width, both in the first screenful of a
// 390×700 and a 360×640 frame (and on the full page at phone width), no caption cut, no two texts
// of a graph overlapping (the key's ticks too).
const heatLayout = (page) => page.evaluate(() => {
  const r = (e) => { const b = e.getBoundingClientRect(); return { l: b.left, r: b.right, t: b.top, b: b.bottom, w: b.width, h: b.height }; };
  const figs = [...document.querySelectorAll('.net-heat-grid figure')];
  return {
    frame: { w: document.documentElement.clientWidth, h: innerHeight },
    grid: r(document.querySelector('.net-heat-grid')),
    canvases: figs.map((f) => r(f.querySelector('canvas'))),
    captions: figs.map((f) => { const c = f.querySelector('figcaption'); return { text: c.textContent, cut: c.scrollWidth > c.clientWidth + 0.5 }; }),
    key: document.querySelector('.net-heat-key img') && r(document.querySelector('.net-heat-key img')),
  };
});

test('on a phone (an embed of 390×700 or 360×640, the page at 390 px) the heatmaps are stacked at full width, captions whole, no texts overlapping', async () => {
  const hash = 'net=depth&d.depth=20&d.width=16&d.batch=8&d.act=Sigmoid';
  for (const [url, viewport, firstScreen] of [
    [`embed=depth&${hash}`, { width: 390, height: 700 }, true],
    [`embed=depth&${hash}`, { width: 360, height: 640 }, true],
    [`embed=depth&present=1&${hash}`, { width: 390, height: 700 }, false],
    [`embed=depth&present=1&${hash}`, { width: 360, height: 640 }, false],  // "Activations Sigmoid(…" cut
    [`tab=net&${hash}`, { width: 390, height: 844 }, false],
    [`embed=depth&${hash}`, { width: 800, height: 600 }, true],  // wide: still side by side
  ]) {
    const where = `${url} at ${viewport.width}×${viewport.height}`;
    const page = await b.page(`${b.base}#${url}`, { viewport });
    await complete(page);
    await page.waitForFunction(() => /Axes: σ_w² from 0 to/.test(document.querySelector('.net-phase-note').textContent));
    const L = await heatLayout(page);
    const [a, g] = L.canvases;
    const shots = process.env.DEPTH_SHOTS;  // a directory: a screenshot of each state, to look at
    if (shots) await page.screenshot({ path: `${shots}/${viewport.width}x${viewport.height}-${url.split('&')[0].replace('=', '-')}${url.includes('present') ? '-present' : ''}.png`, fullPage: !firstScreen });
    if (viewport.width >= 620) assert.ok(Math.abs(a.t - g.t) < 1 && g.l >= a.r, `${where}: side by side`);
    else {
      assert.ok(g.t >= a.b, `${where}: the gradients' heatmap under the activations' (${JSON.stringify(L.canvases)})`);
      for (const c of L.canvases) assert.ok(c.w >= L.grid.w - 1 && c.w >= viewport.width - 60, `${where}: a heatmap ${c.w} px wide in ${L.grid.w}`);
    }
    assert.ok(L.key, `${where}: the shade key`);
    for (const c of [...L.canvases, L.key]) assert.ok(c.l >= 0 && c.r <= L.frame.w + 0.5, `${where}: inside the frame's width`);
    if (firstScreen) for (const c of L.canvases) assert.ok(c.b <= viewport.height && c.h >= 140, `${where}: a heatmap ${c.h} px tall ends at ${c.b}`);
    for (const c of L.captions) assert.ok(!c.cut, `${where}: caption '${c.text}' cut`);
    for (const [graph, { width, texts: all }] of Object.entries(await texts(page))) {
      for (const [i, t] of all.entries()) {
        assert.ok(t.l >= -0.5 && t.r <= width + 0.5, `${where}, ${graph}: '${t.text}' off the canvas`);
        for (const o of all.slice(i + 1)) assert.ok(t.r <= o.l + 0.5 || o.r <= t.l + 0.5 || t.b <= o.t + 0.5 || o.b <= t.t + 0.5, `${where}, ${graph}: '${t.text}' and '${o.text}' overlap`);
      }
    }
    assert.deepEqual(page.problems, []);
    await page.close();
  }
});

// A heatmap about 200 px wide (the three-column layout at 1400 px) labelled tanh's -1..1 with "0"
// alone: no scale to read. Every heatmap's value axis now has two labels at least, apart.
test('every heatmap\'s value axis has at least two labels (tanh\'s −1..1 on a 200 px heatmap got "0" alone), desktop to phone', async () => {
  for (const [hash, viewport] of [
    ['d.depth=6&d.width=16&d.batch=8&d.act=Tanh&d.init=xavier_normal', { width: 1400, height: 1000 }],
    ['d.depth=6&d.width=16&d.batch=8&d.act=Sigmoid', { width: 1400, height: 1000 }],
    ['d.depth=6&d.width=16&d.batch=8&d.act=Sine(w0=30)&d.init=siren', { width: 1400, height: 1000 }],
    ['d.depth=6&d.width=16&d.batch=8&d.act=Tanh&d.init=xavier_normal', { width: 1280, height: 900 }],
    ['d.depth=6&d.width=16&d.batch=8&d.act=Tanh&d.init=xavier_normal&present=1', { width: 390, height: 844 }],
  ]) {
    const page = await b.page(`${b.base}#tab=net&net=depth&${hash}`, { viewport });
    await complete(page, 6);
    const got = await page.evaluate(() => Object.fromEntries(['heatAct', 'heatGrad'].map((k) => {
      const m = window.ActivationLossLab.apps[0].netTab.views.depth.charts[k];
      return [k, { w: m.box.w, labels: m.ticks.x.map((t) => t.label) }];
    })));
    for (const [k, { w, labels }] of Object.entries(got)) assert.ok(labels.length >= 2, `${hash} at ${viewport.width} px, ${k} (${w} px): ${JSON.stringify(labels)}`);
    assert.deepEqual(page.problems, []);
    await page.close();
  }
});

// "at layer 1 it is 2e+11 times the last layer's" for 2.47e11 (tanh, normal(0, 1) preset): the
// ratio had one significant digit in e-notation. Now four, as the table's numbers.
test('the summary\'s "times the last layer\'s" ratio is the table\'s numbers\' ratio to four digits, when it is large too', async () => {
  const page = await b.page(`${b.base}#tab=net&net=depth&d.depth=30&d.width=32&d.batch=16&d.act=Tanh&d.init=normal(sw2=100)`);
  await complete(page, 30);
  const { first, last } = await page.evaluate(() => { const L = window.ActivationLossLab.apps[0].netTab.views.depth.result().layers; return { first: L[0].grad.std, last: L.at(-1).grad.std }; });
  assert.ok(first / last >= 1e7, `a large ratio: ${first / last}`);
  const m = /at layer 1 it is (\S+) times the last layer's/.exec(await page.textContent('.net-summary'));
  assert.ok(m);
  assert.ok(Math.abs(Number(m[1]) / (first / last) - 1) < 5e-4, `said ${m[1]}, the ratio is ${first / last}`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

// The gradient legend broke "the first below 1" | "% going back" at 1280 px (100 layers): every
// "N %" of the summary, the legends and the readout now stays on one line.
test('a percentage ("1 %", "43.8 %") in the summary, the legends and the readout never breaks between the number and its sign', async () => {
  const page = await b.page(`${b.base}#tab=net&net=depth&d.depth=20&d.width=16&d.batch=8&d.act=ReLU`);
  await complete(page, 20);
  await page.focus('.net-heat-grid canvas');
  await page.keyboard.press('End');
  const bad = await page.evaluate(() => {
    const out = [];
    let n = 0;
    for (const el of document.querySelectorAll('.net-summary, .net-legend, .net-readout')) {
      const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let t = walk.nextNode(); t; t = walk.nextNode()) {
        for (const m of t.data.matchAll(/\S* %/g)) {
          n++;
          if (getComputedStyle(t.parentElement).whiteSpace !== 'nowrap' || m[0] !== t.data.trim()) out.push(`${el.className}: '${t.data}'`);
        }
      }
    }
    return { n, out };
  });
  assert.ok(bad.n >= 6, `percentages found: ${bad.n}`);
  assert.deepEqual(bad.out, []);
  assert.deepEqual(page.problems, []);
  await page.close();
});

// The gradients' heatmap (no marks beside it) in the presentation type put a right-end "200" past
// the canvas's edge (SELU's preset, ±218): every value range's labels stay on it. The range is set
// by hand on the drawn heatmap, a label at each end of the axis in turn.
test('a heatmap\'s labels at the ends of its value axis stay on the canvas (the presentation type, the gradients\' heatmap)', async () => {
  const page = await b.page(`${b.base}#embed=depth&present=1&${SMALL}`, { viewport: { width: 360, height: 640 } });
  await complete(page);
  const off = await page.evaluate(() => {
    const v = window.ActivationLossLab.apps[0].netTab.views.depth;
    const out = [];
    for (const m of [v.charts.heatGrad, v.charts.heatAct]) {
      const data = m.data;
      const P = CanvasRenderingContext2D.prototype;
      const fill = P.fillText;
      for (const range of [[-218, 218.5], [-218.5, 200.2], [-0.2, 1.003], [-1e12, 2.02e12], [0, 4.05]]) {
        const log = [];
        P.fillText = function (text, x, y, ...rest) { const t = this.getTransform(); const w = this.measureText(text); if (Math.abs(t.b) < 1e-9) log.push([text, t.e / devicePixelRatio + x - w.actualBoundingBoxLeft, t.e / devicePixelRatio + x + w.actualBoundingBoxRight]); return fill.call(this, text, x, y, ...rest); };
        try { m.update({ ...data, range }); } finally { P.fillText = fill; }
        for (const [text, l, r] of log) if (l < -0.5 || r > m.canvas.clientWidth + 0.5) out.push(`${range}: '${text}' spans ${l.toFixed(1)}..${r.toFixed(1)} of ${m.canvas.clientWidth}`);
        if (m.ticks.x.length < 2) out.push(`${range}: ${m.ticks.x.length} label(s)`);
      }
      m.update(data);
    }
    return out;
  });
  assert.deepEqual(off, []);
  assert.deepEqual(page.problems, []);
  await page.close();
});

// "Mean per layer" drew the gradient's mean on the activations' axis: under tanh with normal(0, 1)
// the gradient's mean runs to ~1e7 and the activations' mean (within ±1) was a flat line at 0.
// The gradient's mean has its own chart beside it, as the std charts are paired.
test('the activations\' mean and the gradient\'s mean are on charts of their own, each the engine\'s numbers, each axis spanning its own values', async () => {
  const page = await b.page(`${b.base}#tab=net&net=depth&d.depth=30&d.width=32&d.batch=16&d.act=Tanh&d.init=normal(sw2=100)`);
  await complete(page, 30);
  const got = await page.evaluate(() => {
    const v = window.ActivationLossLab.apps[0].netTab.views.depth;
    const L = v.result().layers;
    const { meanChart, gradMeanChart } = v.charts;
    const titles = [...document.querySelectorAll('.net-line-grid figcaption')].map((f) => f.textContent);
    const legends = [...document.querySelectorAll('.net-line-grid .net-legend')].map((l) => l.textContent.trim());
    return {
      titles, legends,
      post: L.map((s) => s.post.mean), grad: L.map((s) => s.grad.mean),
      mean: meanChart.data.series.map((s) => ({ label: s.label, values: Array.from(s.values) })),
      gradMean: gradMeanChart.data.series.map((s) => ({ label: s.label, values: Array.from(s.values) })),
      meanTicks: meanChart.ticks.y.map((t) => t.value ?? t), gradTicks: gradMeanChart.ticks.y.map((t) => t.value ?? t),
    };
  });
  assert.deepEqual(got.titles, ['Std per layer', 'Gradient std per layer', 'Mean per layer', 'Gradient mean per layer']);
  assert.deepEqual(got.mean.map((s) => s.label), ['post mean', 'predicted post mean']);
  assert.deepEqual(got.mean[0].values, got.post);
  assert.deepEqual(got.gradMean, [{ label: 'mean of ∂L/∂pre', values: got.grad }]);
  assert.match(got.legends[3], /mean of ∂L\/∂pre/);
  assert.doesNotMatch(got.legends[2], /∂L/);
  // the activations' axis is about their values (tanh: within ±1), not the gradient's
  const span = (t) => Math.max(...t) - Math.min(...t);
  const big = Math.max(...got.grad.map(Math.abs));
  assert.ok(big > 1e3, `the gradient's mean is large here: ${big}`);
  assert.ok(span(got.meanTicks) <= 2.5, `the activations' mean axis: ${got.meanTicks}`);
  assert.ok(span(got.gradTicks) >= big / 2, `the gradient's mean axis: ${got.gradTicks}`);
  assert.deepEqual(page.problems, []);
  await page.close();
});
