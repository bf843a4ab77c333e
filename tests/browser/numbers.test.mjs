// Browser tests of the numbers a student reads: every tick label drawn names its own position
// (explorer, split view, loss plot, embeds, phone width, SVG exports), the worked computation's
// lines are arithmetic that gives the printed number, and no "-0" is shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch } from './browser.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); });

// Every label of every axis, as uPlot drew it at its split: the label read as a number is the
// split itself (float noise aside), and neighbours never share a label.
function checkTicks(where, ticks) {
  for (const axis of ['x', 'y']) {
    const t = ticks[axis];
    assert.ok(t.length >= 2, `${where} ${axis}: only ${t.length} ticks drawn`);
    const step = Math.min(...t.slice(1).map((s, i) => Math.abs(s.value - t[i].value)));
    for (const { value, label } of t) {
      assert.match(label, /^-?\d+(\.\d+)?(e-?\d+)?$/, `${where} ${axis}: label "${label}" is not a plain number`);
      assert.ok(Math.abs(Number(label) - value) <= 1e-6 * step, `${where} ${axis}: the label "${label}" is drawn at ${value}`);
    }
    assert.equal(new Set(t.map((s) => s.label)).size, t.length, `${where} ${axis}: repeated labels ${t.map((s) => s.label)}`);
  }
}

const plotTicks = (page, which) => page.evaluate((w) => {
  const app = window.ActivationLossLab.apps[0];
  const plot = w === 'loss' ? app.workbench.curvePlot : app.explorer[w];
  return structuredClone(plot.ticks);
}, which);

test('every tick label drawn names its own position: explorer, split view, phone width, embed, loss plot', async () => {
  const cases = [
    ['Hardtanh on [-2, 2]', '#f=Hardtanh&x=-2,2', null, ['plot']],
    ['Sigmoid (f′ peaks at 0.25)', '#f=Sigmoid', null, ['plot']],
    ['Sigmoid at phone width', '#f=Sigmoid', { width: 390, height: 800 }, ['plot']],
    ['ReLU at phone width', '#f=ReLU', { width: 390, height: 800 }, ['plot']],
    ['split view', '#f=Softplus(beta=0.5)&f=ELU&x=-6,6&split=1', null, ['plot', 'plotD']],
    ['a narrow range', '#f=Tanh&x=0.1,0.35', null, ['plot']],
    ['graph embed', '#embed=graph&f=Hardtanh&x=-2,2', { width: 400, height: 300 }, ['plot']],
    ['loss plot', '#tab=loss&loss=CrossEntropyLoss', null, ['loss']],
    ['loss plot, BCE', '#tab=loss&loss=BCELoss', { width: 390, height: 800 }, ['loss']],
  ];
  const page = await b.page(null);
  for (const [what, hash, viewport, plots] of cases) {
    await page.setViewportSize(viewport ?? { width: 1280, height: 900 });
    await page.goto(`${b.base}${hash}`);
    await page.waitForFunction(() => window.ActivationLossLab?.apps?.length > 0);
    await page.waitForTimeout(150);  // a resize redraws the axes
    for (const p of plots) checkTicks(`${what} (${p})`, await plotTicks(page, p));
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});

// The SVG's tick labels against where they stand: each label's x (or y) is mapped back through
// the plot area (the clip rectangle) and the exported range.
function checkSVG(where, svg, xRange, yRanges) {
  const panels = svg.split(/(?=<svg )/).filter((s) => /clipPath/.test(s));
  assert.equal(panels.length, yRanges.length, `${where}: ${panels.length} panels`);
  panels.forEach((p, k) => {
    const [l, t, w, hgt] = /<clipPath[^>]*><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(p).slice(1).map(Number);
    const read = (axis) => [...p.matchAll(new RegExp(`<text class="tick-${axis}" x="([-\\d.]+)" y="([-\\d.]+)"[^>]*>([^<]*)<`, 'g'))]
      .map((m) => ({ x: Number(m[1]), y: Number(m[2]), label: m[3] }));
    const xs = read('x');
    const ys = read('y');
    assert.ok(xs.length >= 2 && ys.length >= 2, `${where} panel ${k}: ${xs.length} x and ${ys.length} y labels`);
    const [x0, x1] = xRange;
    const [y0, y1] = yRanges[k];
    const perPxX = (x1 - x0) / w;
    const perPxY = (y1 - y0) / hgt;
    for (const s of xs) {
      const at = x0 + (s.x - l) * perPxX;
      assert.ok(Math.abs(Number(s.label) - at) <= 0.02 * perPxX, `${where} panel ${k}: x label "${s.label}" stands at ${at}`);
    }
    for (const s of ys) {
      const at = y1 - (s.y - 4 - t) * perPxY;
      assert.ok(Math.abs(Number(s.label) - at) <= 0.02 * perPxY, `${where} panel ${k}: y label "${s.label}" stands at ${at}`);
    }
    for (const list of [xs, ys]) assert.equal(new Set(list.map((s) => s.label)).size, list.length, `${where}: repeated labels`);
  });
}

test('the SVG exports label every tick with its own position (explorer, split view, loss plot)', async () => {
  const page = await b.page(null);
  const svgOf = async (id) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(id)]);
    return readFileSync(await dl.path()).toString();
  };
  for (const [hash, split] of [['#f=Hardtanh&x=-2,2', false], ['#f=Sigmoid&x=-1.25,1.25', false], ['#f=Softplus(beta=0.5)&f=ELU&x=-6,6&split=1', true]]) {
    await page.goto(`${b.base}${hash}`);
    await page.waitForFunction(() => window.ActivationLossLab?.apps?.length > 0);
    const ranges = await page.evaluate(() => {
      const app = window.ActivationLossLab.apps[0];
      return { x: app.state.act.x, y: [app.explorer.plot.yRange(), app.explorer.plotD.yRange()] };
    });
    checkSVG(hash, await svgOf('#export-svg'), ranges.x, split ? ranges.y : ranges.y.slice(0, 1));
  }
  await page.goto(`${b.base}#tab=loss&loss=MSELoss`);
  await page.waitForFunction(() => window.ActivationLossLab?.apps?.length > 0);
  await page.waitForSelector('#loss-plot .u-over');
  const r = await page.evaluate(() => {
    const p = window.ActivationLossLab.apps[0].workbench.curvePlot;
    return { x: p.xRange, y: p.yRange() };
  });
  checkSVG('loss plot', await svgOf('#loss-export-svg'), r.x, [r.y]);
  assert.deepEqual(page.problems, []);
  await page.close();
});
