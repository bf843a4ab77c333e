// Browser tests of the numbers a student reads: every tick label drawn names its own position
// (explorer, split view, loss plot, embeds, phone width, SVG exports), the worked computation's
// lines are arithmetic that gives the printed number, and no "-0" is shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, settled } from './browser.mjs';

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
    ['split embed, f and f′ side by side', '#embed=graph&f=Softplus(beta=0.5)&f=ELU&split=1', { width: 400, height: 300 }, ['plot', 'plotD']],
    ['split embed beside the controls', '#embed=graph&f=Softplus(beta=0.5)&f=ELU&split=1', { width: 800, height: 500 }, ['plot', 'plotD']],
    ['loss plot', '#tab=loss&loss=CrossEntropyLoss', null, ['loss']],
    ['loss plot, BCE', '#tab=loss&loss=BCELoss', { width: 390, height: 800 }, ['loss']],
  ];
  const page = await b.page(null);
  for (const [what, hash, viewport, plots] of cases) {
    await page.setViewportSize(viewport ?? { width: 1280, height: 900 });
    await page.goto(`${b.base}${hash}`);
    await page.waitForFunction(() => window.ActivationLossLab?.apps?.length > 0);
    // the plots drawn (the loss plot comes with the losses part, loaded on demand), then the layout
    // settled (a resize redraws the axes)
    await page.waitForFunction((ws) => {
      const app = window.ActivationLossLab.apps[0];
      return ws.every((w) => (w === 'loss' ? app.workbench?.curvePlot : app.explorer[w])?.ticks?.x?.length);
    }, plots);
    await settled(page);
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

// Parameter combinations for one loss, from its registry entry: every reduction, each tensor
// parameter as a per-class tensor, ignore_index on a target that occurs, label smoothing alone
// and with weights and ignore_index, every flag, each other choice, another value of each float,
// and (CrossEntropyLoss's input shape) probability targets with and without smoothing and weights.
function combos(spec, ex) {
  const out = [];
  const first = ex[spec.args[0].name];
  const shapeOf = (v) => (Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : []);
  const C = shapeOf(first).at(-1) ?? 1;
  const perClass = JSON.stringify(Array.from({ length: C }, (_, c) => [1, 2, 0.5, 1.5][c % 4]));
  const has = (n) => spec.params.find((p) => p.name === n);
  const reductions = has('reduction')?.choices ?? [null];
  for (const r of reductions) out.push({ params: r ? { reduction: r } : {} });
  const tensors = spec.params.filter((p) => p.type === 'tensor');
  for (const t of tensors) for (const r of reductions) out.push({ params: { [t.name]: perClass, ...(r ? { reduction: r } : {}) } });
  if (tensors.length > 1) out.push({ params: Object.fromEntries(tensors.map((t) => [t.name, perClass])) });
  for (const p of spec.params) {
    if (p.type === 'bool') out.push({ params: { [p.name]: !p.default } });
    if (p.type === 'choice' && p.name !== 'reduction') for (const c of p.choices) out.push({ params: { [p.name]: c } });
    if (p.type === 'float' && p.name !== 'eps' && p.name !== 'label_smoothing') out.push({ params: { [p.name]: p.default === 0 ? 0.5 : p.default === 2 ? 3 : p.default / 2 } });
    if (p.type === 'int' && p.name === 'p') out.push({ params: { p: 2 } });
  }
  if (has('swap')) out.push({ params: { swap: true, margin: 2 } });
  if (has('ignore_index')) {
    const t0 = [ex.target].flat(Infinity)[0];
    const allSame = JSON.stringify([ex.target].flat(Infinity).map(() => t0));
    for (const r of reductions) out.push({ params: { ignore_index: t0, reduction: r } });
    out.push({ params: { ignore_index: t0, weight: perClass } });
    out.push({ params: { ignore_index: t0 }, args: { target: allSame } });
  }
  if (has('label_smoothing')) {
    for (const r of reductions) out.push({ params: { label_smoothing: 0.1, reduction: r } });
    out.push({ params: { label_smoothing: 0.1, weight: JSON.stringify([1, 2, 0.5].slice(0, C)) } });
    out.push({ params: { label_smoothing: 0.2, weight: perClass, ignore_index: [ex.target].flat(Infinity)[0] } });
    out.push({ params: { label_smoothing: 0.1, weight: perClass, reduction: 'sum' } });
    // the counted targets' weights add up to 0 (PyTorch: nan), with and without smoothing
    const zeroOnTargets = JSON.stringify(Array.from({ length: C }, (_, c) => ([ex.target].flat(Infinity).includes(c) ? 0 : 1)));
    out.push({ params: { label_smoothing: 0.1, weight: zeroOnTargets } });
    out.push({ params: { weight: zeroOnTargets } });
    // probability targets: one row of C probabilities per input row
    const rows = Array.isArray(first[0]) ? first.length : 0;
    const row = Array.from({ length: C }, (_, c) => (C - c) / ((C * (C + 1)) / 2));
    const probs = JSON.stringify(rows ? Array.from({ length: rows }, (_, n) => (n % 2 ? [...row].reverse() : row)) : row);
    for (const params of [{}, { label_smoothing: 0.1 }, { weight: perClass }, { weight: perClass, label_smoothing: 0.2 }, { reduction: 'sum', weight: perClass }]) {
      out.push({ params, args: { target: probs } });
    }
  }
  return out;
}

test('every worked computation is arithmetic that gives its printed numbers, and its last line is the loss', async () => {
  const { checkLine, printed, meets } = await import('./worked-arith.mjs');
  // the checker itself: the wrong line fails, the right one passes
  assert.equal(checkLine('loss = (0.52231 + 0.52509) / 2 = 0.34914').length, 1);
  assert.deepEqual(checkLine('loss = (0.52231 + 0.52509) / 3 = 0.34913'), []);
  assert.equal(checkLine('ℓ₀ = −log Σ = 1.2').length, 1, 'a line with nothing to redo is reported');
  const page = await b.page(`${b.base}#tab=loss`);
  const specs = await page.evaluate(() => window.ActivationLossLab.apps[0].catalog.losses.map((s) => ({
    name: s.name, args: s.args, params: s.params, example: s.example,
  })));
  const problems = [];
  let checked = 0;
  for (const spec of specs) {
    const ex = Object.fromEntries(Object.entries(spec.example).map(([k, v]) => [k, JSON.parse(v)]));
    for (const c of combos(spec, ex)) {
      const got = await page.evaluate(({ name, c }) => {
        const app = window.ActivationLossLab.apps[0];
        app.state.tab = 'loss';
        app.state.loss = { name, params: { ...c.params }, args: { ...(c.args ?? {}) }, probe: null };
        app.workbench.render();
        const worked = document.querySelector('#worked');
        const spec = app.specOf(name);
        const params = {};
        for (const [k, v] of Object.entries(c.params)) params[k] = typeof v === 'string' && spec.params.find((p) => p.name === k).type === 'tensor' ? app.lab.parseTensor(v) : v;
        const args = Object.fromEntries(spec.args.map((a) => [a.name, app.lab.parseTensor(c.args?.[a.name] ?? spec.example[a.name])]));
        let loss = null;
        let error = null;
        try { loss = app.lab.loss(name, params, args).loss; } catch (e) { error = e.message; }
        return {
          loss: typeof loss === 'number' ? (Number.isNaN(loss) ? 'nan' : loss) : null, error,
          stale: !!document.querySelector('.workbench.stale'),
          generic: /Per-element values \(reduction='none'\), from the lab/.test(worked.textContent),
          lines: [...worked.querySelectorAll('.eq')].map((e) => e.textContent),
          cells: [...document.querySelectorAll('.wb-results td, .wb-results output, .wb-worked td')].map((e) => e.textContent),
        };
      }, { name: spec.name, c });
      const where = `${spec.name} ${JSON.stringify(c)}`;
      if (got.error) { problems.push(`${where}: the lab refuses it: ${got.error}`); continue; }
      if (got.stale) { problems.push(`${where}: the page shows an error`); continue; }
      if (got.generic) problems.push(`${where}: only the generic steps`);
      for (const l of got.lines) for (const p of checkLine(l)) problems.push(`${where}: ${p}`);
      for (const t of [...got.lines, ...got.cells]) if (/(^|[^\w.])-0(?![\w.])/.test(t)) problems.push(`${where}: "-0" shown in ${t}`);
      if (got.loss !== null) {
        const last = got.lines.filter((l) => l.startsWith('loss = ')).pop();
        const value = last?.split(' = ').pop();
        const want = got.loss === 'nan' ? [NaN, NaN] : [got.loss, got.loss];
        if (!last || !printed(value) || !meets(want, printed(value))) problems.push(`${where}: the last line "${last}" is not the loss ${got.loss}`);
      }
      checked++;
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(checked > 120, `${checked} combinations checked`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('"-0" is shown as 0: Hardswish(−3) in the readout (the workbench cells and worked lines are checked above)', async () => {
  const page = await b.page(`${b.base}#f=Hardswish`);
  await page.fill('#read-x', '-3');
  await page.waitForFunction(() => document.querySelector('#readout tbody td')?.textContent === '0');
  const y = await page.evaluate(() => window.ActivationLossLab.apps[0].lab.activation('Hardswish', {}, [-3]).y[0]);
  assert.ok(Object.is(y, -0), 'the lab gives −0 here, so the page must not print it');
  await page.close();
});

test('the PyTorch line of a vector function names its dim (nn.Softmax(dim=-1), not nn.Softmax()), and the page computes that', async () => {
  const page = await b.page(`${b.base}#vec=Softmax&vx=[1.0,2.0,0.5]`);
  await page.waitForSelector('#vec-bars svg');
  for (const name of ['Softmax', 'Softmin', 'LogSoftmax']) {
    await page.selectOption('#fn-picker', name);
    await page.waitForFunction((n) => document.querySelector('.info-panel .info-title')?.textContent === n, name);
    const got = await page.evaluate((n) => {
      const app = window.ActivationLossLab.apps[0];
      const x = [1, 2, 0.5];
      return {
        line: document.querySelector('.info-panel .torch-line').textContent,
        same: JSON.stringify(Array.from(app.lab.activation(n, { dim: -1 }, x).y)) === JSON.stringify(Array.from(app.lab.activation(n, {}, x).y)),
      };
    }, name);
    assert.equal(got.line, `nn.${name}(dim=-1)`);
    assert.ok(got.same, `${name}: dim=-1 and the page's None differ on a 1-D vector`);
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});
