// Browser tests of the Network tab's shell and its depth view: the tab's script (dist/app-network.js,
// with the network engine) is requested only when the tab opens, over http and from file://; the
// depth view's numbers equal the JS API's, computed here in Node from the experiment as
// net-depth-model.js's design note defines it (written out again below, not imported: a mistake
// in the page's spec would not be repeated); the link restores the view and names what it cannot
// read; a preset and a phase-diagram click set the init; tick labels name their positions; the
// embeds render; axe finds no serious or critical violation (light and dark).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { launch, open, fileUrl, root, dist } from './browser.mjs';

let b;
let lab;
before(async () => {
  b = await launch();
  lab = await (await import(pathToFileURL(join(dist, 'lab.mjs')).href)).default();
});
after(async () => { await b?.close(); });

const PART = /\/app-network\.js(\?|$)/;
const SMALL = 'net=depth&d.depth=6&d.width=16&d.batch=8&d.act=ELU(alpha=0.5)&d.init=xavier_normal(gain=1.5)&d.seed=3';

// Waits until the depth view shows a table of `rows` layers and its summary.
const drawn = (page, rows) => page.waitForFunction((n) => {
  const t = document.querySelectorAll('.net-table tbody tr').length;
  return t === n && /layer/.test(document.querySelector('.net-summary')?.textContent ?? '');
}, rows, { timeout: 60000 });

async function axe(page) {
  await page.addScriptTag({ path: join(root, 'node_modules/axe-core/axe.min.js') });
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

// The experiment through the JS API: depth Linear(w, w) + act (the last one as output), x from
// seed + 1, MSELoss(sum) against zeros; the statistics and the mean-field prediction.
function expected({ depth, width, batch, act, init, seed, sw2, sb2 }) {
  const g = lab.network({ sizes: [width, batch], bias: false, seed: seed + 1, init: { weight: 'normal', params: {} } });
  const x = g.parameters()[0].weight;
  g.delete();
  const net = lab.network({
    sizes: Array(depth + 1).fill(width), activation: act, output: act, bias: true, seed, init,
    loss: { name: 'MSELoss', params: { reduction: 'sum' } },
  });
  net.gradients({ input: x, target: x.map((r) => r.map(() => 0)) });
  const stats = net.statistics();
  net.delete();
  const mf = lab.meanField({ activation: act, sigmaW2: sw2, sigmaB2: sb2 }).layers(sw2 + sb2, depth);
  return stats.map((s, i) => [s.pre.std, Math.sqrt(mf.q[i]), s.post.mean, s.post.std, Math.sqrt(mf.postVar[i]), s.grad.std, s.dead, s.saturated]);
}
const tableValues = (page) => page.evaluate(() => [...document.querySelectorAll('.net-table tbody tr')]
  .map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.title))));

test('over http: app-network.js is requested only when the Network tab opens, once; the depth view\'s numbers are the JS API\'s', async () => {
  const page = await b.page(null);
  await open(page, b.base);
  await page.waitForSelector('#fn-plot .u-over');
  assert.deepEqual(page.requests.filter((u) => PART.test(u)), [], 'the first visit needs no app-network.js');
  await page.click('#tab-btn-net');
  await drawn(page, 20);
  assert.equal(page.requests.filter((u) => PART.test(u)).length, 1);
  assert.match(await page.evaluate(() => location.hash), /tab=net/);
  await page.click('#tab-btn-act');
  await page.click('#tab-btn-net');
  assert.equal(page.requests.filter((u) => PART.test(u)).length, 1, 'opening the tab again loads nothing more');
  // the default view: Tanh, 20 × 128, batch 128, PyTorch's default init (σ_w² = 1/3, σ_b² = 1/(3·128))
  const want = expected({ depth: 20, width: 128, batch: 128, act: { name: 'Tanh', params: {} }, init: null, seed: 0, sw2: 1 / 3, sb2: 1 / 384 });
  assert.deepEqual(await tableValues(page), want);
  assert.deepEqual(page.requests.filter((u) => !u.startsWith(b.base) && !u.startsWith('data:') && !u.startsWith('blob:')), []);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('while app-network.js loads the tab says so; a missing one gives an inline error, and opening the tab again retries', async () => {
  const page = await b.page(null);
  let release;
  const held = new Promise((ok) => { release = ok; });
  let fail = true;
  await page.route(PART, async (route) => {
    if (fail) return route.fulfill({ status: 404, body: 'not found' });
    await held;
    return route.continue();
  });
  await open(page, b.base);
  await page.click('#tab-btn-net');
  await page.waitForSelector('#tab-net .part-error');
  assert.match(await page.textContent('#tab-net .part-error'), /could not be loaded .*app-network\.js.*Open the Network tab again to retry/);
  fail = false;
  await page.click('#tab-btn-act');
  await page.click('#tab-btn-net');
  const status = page.locator('#tab-net [role="status"].part-status');
  await status.waitFor();
  assert.match(await status.textContent(), /Loading the network engine/);
  release();
  await drawn(page, 20);
  assert.equal(await status.count(), 0);
  assert.deepEqual(page.problems.filter((p) => !/Failed to load resource.*404/.test(p)), []);
  await page.close();
});

test('a link opens the depth view with its state, every number equal to the JS API\'s, the summary naming the 1 % layer', async () => {
  const page = await b.page(`${b.base}#${SMALL}`);
  await drawn(page, 6);
  const want = expected({ depth: 6, width: 16, batch: 8, act: { name: 'ELU', params: { alpha: 0.5 } }, init: { weight: 'xavier_normal', params: { gain: 1.5 }, bias: 'default' }, seed: 3, sw2: 2.25, sb2: 1 / 48 });
  assert.deepEqual(await tableValues(page), want);
  // the shown digits are fmt()'s of those values
  const cells = await page.evaluate(() => [...document.querySelectorAll('.net-table tbody tr:first-child td')].map((td) => td.textContent));
  const fmt = (await import(pathToFileURL(join(root, 'web/src/util.js')).href)).fmt;
  assert.deepEqual(cells.slice(0, 6), want[0].slice(0, 6).map((v) => fmt(v)));
  // the summary's 1 % layer, from the API's gradient stds
  const g = want.map((r) => r[5]);
  let floor = null;
  for (let l = g.length - 1; l >= 0; l--) if (g[l] / g.at(-1) < 0.01) { floor = l + 1; break; }
  const summary = await page.textContent('.net-summary');
  if (floor) assert.match(summary, new RegExp(`below 1 % of the last layer's .* at layer ${floor},`));
  else if (Math.min(...g) < g.at(-1)) assert.match(summary, /stays above 1 % of the last layer's/);
  else assert.match(summary, new RegExp(`does not fall towards the input: at layer 1 it is ${fmt(g[0] / g.at(-1), 3)} times the last layer's`));
  assert.equal(await page.inputValue('.net-controls [data-field="depth"] input[type="number"]'), '6');
  assert.equal(await page.inputValue('.net-controls select[data-field="act"]'), 'ELU');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a progressive redraw: the partial state says whose numbers it shows, a newer change cancels the rest, the complete view is the JS API\'s', async () => {
  const page = await b.page(`${b.base}#${SMALL}`);
  await drawn(page, 6);
  // blocks of 2 examples, and the view's tasks held in a queue this test runs (no timing involved)
  await page.evaluate(() => {
    const v = window.ActivationLossLab.apps[0].netTab.views.depth;
    v.progress.plan = { first: 2, next: 2, layers: 3 };
    window.__tasks = [];
    v.progress.post = (fn) => window.__tasks.push(fn);
  });
  const run = (n = Infinity) => page.evaluate((k) => { let i = 0; while (window.__tasks.length && i++ < k) window.__tasks.shift()(); }, n);
  const at = (done, total) => page.waitForFunction(([dn, tt]) => {
    const g = document.querySelector('.net-graphs');
    return g.dataset.done === String(dn) && g.dataset.total === String(tt);
  }, [done, total]);
  await page.fill('.net-controls [data-field="batch"] input[type="number"]', '7');
  await page.waitForFunction(() => window.__tasks.length > 0);
  await run(1);  // the first block's statistics and paint (the block itself ran in the change's frame)
  await at(2, 7);
  const partial = await page.evaluate(() => ({
    status: document.querySelector('.net-progress').hidden ? null : document.querySelector('.net-progress').textContent,
    tags: [...document.querySelectorAll('.net-partial')].map((t) => (t.hidden ? null : t.textContent)),
    labels: [...document.querySelectorAll('.net-graphs canvas')].map((c) => c.getAttribute('aria-label')),
    busy: document.querySelector('.net-graphs').getAttribute('aria-busy'),
    rows: document.querySelectorAll('.net-table tbody tr').length,
    note: document.querySelector('.net-numbers p').textContent,
    summary: document.querySelector('.net-summary').textContent,
    legend: document.querySelector('.net-line-grid .net-legend').textContent,
  }));
  assert.match(partial.status, /^Computing: 2 of 7 examples done\. The graphs show the exact values for the first 2 of 7 examples, the mean-field prediction follows;/);
  assert.equal(partial.tags.length, 6);  // the two heatmaps and the four line charts
  assert.ok(partial.tags.every((t) => t === ' — first 2 of 7 examples'), partial.tags.join('|'));
  assert.ok(partial.labels.every((l) => l.endsWith('(first 2 of 7 examples; computing the rest)')), partial.labels.join('|'));
  assert.equal(partial.busy, 'true');
  assert.equal(partial.rows, 0, 'the table waits for the complete state');
  assert.equal(partial.note, 'Computing… 2/7 examples; the numbers appear when all are done.');
  assert.match(partial.summary, /^Computing ELU, 6 layers of width 16, batch 7: 2 of 7 examples done\.$/);
  assert.doesNotMatch(partial.legend, /predicted/);
  assert.deepEqual(await axe(page), [], 'the partial state');
  // the readout of a layer says so too
  await page.focus('.net-heat-grid canvas');
  await page.keyboard.press('ArrowDown');
  assert.match(await page.textContent('.net-readout'), /^Layer 1 \(first 2 of 7 examples\): activations mean/);
  // the partial numbers drawn are the first 2 examples' own (the heatmap's row counts sum to 2 × width)
  const counts = await page.evaluate(() => window.ActivationLossLab.apps[0].netTab.views.depth.charts.heatAct.data.rows.map((r) => r.counts.reduce((a, c) => a + c, 0)));
  assert.deepEqual(counts, Array(6).fill(2 * 16));
  await run(1);  // the mean-field prediction
  assert.match(await page.textContent('.net-line-grid .net-legend'), /predicted post std/);
  await run(5);  // a slice (4 done), its statistics (the ranges, two chunks of 3 layers), its paint
  await at(4, 7);
  const gen = await page.evaluate(() => window.ActivationLossLab.apps[0].netTab.views.depth.generation());
  // a newer change before the rest is done: α = 0.8 (the same weights, new modules)
  await page.fill('.net-controls [data-param="alpha"] input[type="number"]', '0.8');
  await page.locator('.net-controls [data-param="alpha"] input[type="number"]').press('Enter');
  await page.waitForFunction((g) => window.ActivationLossLab.apps[0].netTab.views.depth.generation() > g, gen);
  await run();
  await drawn(page, 6);
  const want = expected({ depth: 6, width: 16, batch: 7, act: { name: 'ELU', params: { alpha: 0.8 } }, init: { weight: 'xavier_normal', params: { gain: 1.5 }, bias: 'default' }, seed: 3, sw2: 2.25, sb2: 1 / 48 });
  assert.deepEqual(await tableValues(page), want);
  const log = await page.evaluate(() => window.ActivationLossLab.apps[0].netTab.views.depth.paints());
  const newest = log.at(-1).generation;
  const from = log.findIndex((p) => p.generation === newest);
  assert.ok(from > 0 && log.slice(from).every((p) => p.generation === newest), JSON.stringify(log));
  assert.deepEqual(log.slice(from).map((p) => p.done), [2, 2, 4, 7]);
  assert.ok(log.slice(0, from).every((p) => p.generation < newest));
  // complete: nothing says partial any more, and the heatmaps are the one-shot statistics' histograms
  const after = await page.evaluate(() => {
    const v = window.ActivationLossLab.apps[0].netTab.views.depth;
    return {
      status: document.querySelector('.net-progress').hidden,
      tags: [...document.querySelectorAll('.net-partial')].every((t) => t.hidden),
      labels: [...document.querySelectorAll('.net-graphs canvas')].map((c) => c.getAttribute('aria-label')),
      busy: document.querySelector('.net-graphs').hasAttribute('aria-busy'),
      note: document.querySelector('.net-numbers p').hidden,
      heat: v.charts.heatAct.data.rows.map((r) => Array.from(r.counts)),
      grad: v.charts.heatGrad.data.rows.map((r) => Array.from(r.counts)),
      range: v.charts.heatAct.data.range,
      std: v.charts.stdChart.data.series[0].values,
    };
  });
  assert.deepEqual([after.status, after.tags, after.busy, after.note], [true, true, false, true]);
  assert.ok(after.labels.every((l) => !/examples/.test(l)));
  const net = lab.network({ sizes: Array(7).fill(16), activation: { name: 'ELU', params: { alpha: 0.8 } }, output: { name: 'ELU', params: { alpha: 0.8 } }, bias: true, seed: 3, init: { weight: 'xavier_normal', params: { gain: 1.5 }, bias: 'default' }, loss: { name: 'MSELoss', params: { reduction: 'sum' } } });
  const g = lab.network({ sizes: [16, 7], bias: false, seed: 4, init: { weight: 'normal', params: {} } });
  const x = g.parameters()[0].weight;
  g.delete();
  net.gradients({ input: x, target: x.map((r) => r.map(() => 0)) });
  const stats = net.statistics({ bins: 64, saturation: 0.01, shared: true });
  net.delete();
  assert.deepEqual(after.heat, stats.map((s) => Array.from(s.post.histogram.counts)));
  assert.deepEqual(after.grad, stats.map((s) => Array.from(s.grad.histogram.counts)));
  assert.deepEqual(after.range, [stats[0].post.histogram.lo, stats[0].post.histogram.hi]);
  assert.deepEqual(after.std, stats.map((s) => s.post.std));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the table of numbers per layer reads as the PyTorch script prints it (tests/reference/depth_script.json, torch 1.13)', async () => {
  const ref = JSON.parse(readFileSync(join(root, 'tests/reference/depth_script.json'), 'utf8'));
  for (const { link, output } of ref.cases) {
    const page = await b.page(`${b.base}#net=depth&${link}`);
    const depth = Number(/d\.depth=(\d+)/.exec(link)[1]);
    await drawn(page, depth);
    // the page's columns without the mean-field ones (theory, not PyTorch)
    const text = await page.evaluate(() => {
      const head = [...document.querySelectorAll('.net-table thead th')].map((th) => th.textContent);
      const keep = head.map((t) => !/^predicted/.test(t));
      return [...document.querySelectorAll('.net-table tbody tr')].map((tr) => [...tr.children].filter((c, i) => keep[i]).map((c) => c.textContent).join(' '));
    });
    assert.deepEqual(text, output.trim().split('\n').slice(1), link);
    // the script the page offers is the one that printed it
    const script = await page.textContent('.net-script-code');
    assert.match(script, new RegExp(`depth, width, batch, seed = ${depth}, `));
    assert.deepEqual(page.problems, []);
    await page.close();
  }
});

test('an edit is written to the link, and that link restores the view', async () => {
  const page = await b.page(`${b.base}#${SMALL}`);
  await drawn(page, 6);
  await page.fill('.net-controls [data-field="depth"] input[type="number"]', '4');
  await drawn(page, 4);
  await page.selectOption('.net-controls select[data-field="act"]', 'ReLU');
  await page.waitForFunction(() => /^ReLU, 4 layers/.test(document.querySelector('.net-summary').textContent));
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /d\.depth=4/);
  assert.match(hash, /d\.act=ReLU/);
  const summary = await page.textContent('.net-summary');
  const again = await b.page(`${b.base}${hash}`);
  await drawn(again, 4);
  assert.equal(await again.textContent('.net-summary'), summary);
  assert.deepEqual(await tableValues(again), await tableValues(page));
  assert.deepEqual([...page.problems, ...again.problems], []);
  await page.close();
  await again.close();
});

test('values of the link the tab cannot read are named in the link notice; the rest applies', async () => {
  const page = await b.page(`${b.base}#net=depth&d.depth=500&d.act=Nope&d.show=x&d.width=12&d.batch=4`);
  await drawn(page, 20);
  const notice = await page.textContent('.link-notice');
  for (const bit of ['d.depth=500', 'd.act=Nope', 'd.show=x']) assert.ok(notice.includes(bit), `${bit} in: ${notice}`);
  assert.match(await page.textContent('.net-summary'), /^Tanh, 20 layers of width 12, batch 4/);
  await page.close();
});

test('a preset sets the view and says what to look at; a click on the phase diagram sets a normal init there', async () => {
  const page = await b.page(`${b.base}#net=depth`);
  await drawn(page, 20);
  await page.click('.net-presets button[data-preset="sigmoid-default"]');
  await page.waitForFunction(() => /^Sigmoid, 20 layers/.test(document.querySelector('.net-summary').textContent));
  assert.equal(await page.getAttribute('.net-presets button[data-preset="sigmoid-default"]', 'aria-pressed'), 'true');
  assert.match(await page.textContent('.net-look'), /vanishing gradient/);
  assert.match(await page.textContent('.net-summary'), /falls below 1 % of the last layer's/);
  // the diagram's axes: σ_w² from 0 over the plot box's width (to twice the χ = 1 line's largest
  // σ_w², sigmoid's beyond 100), σ_b² 0..0.5 over its height; once the line is traced
  await page.waitForFunction(() => /Axes: σ_w² from 0 to/.test(document.querySelector('.net-phase-note').textContent));
  assert.match(await page.textContent('.net-phase-note'), /χ = 1 at σ_w² = 103\.\d+ for σ_b² = 0\. Axes: σ_w² from 0 to 250,/);
  await page.locator('.net-phase canvas').scrollIntoViewIfNeeded();
  const box = await page.evaluate(() => {
    const v = window.ActivationLossLab.apps[0].netTab.views.depth;
    const r = document.querySelector('.net-phase canvas').getBoundingClientRect();
    return { ...v.phase.box, left: r.left, top: r.top, xmax: v.phase.xmax };
  });
  await page.mouse.click(box.left + box.x + box.w / 2, box.top + box.y + box.h * 0.8);  // σ_w² = 125, σ_b² = 0.1
  await page.waitForFunction(() => /d\.init=normal/.test(location.hash));
  const hash = decodeURIComponent(await page.evaluate(() => location.hash));
  const m = /d\.init=normal\(sw2=([\d.]+),sb2=([\d.]+)\)/.exec(hash);
  assert.ok(m, hash);
  const [sw2, sb2] = [Number(m[1]), Number(m[2])];
  assert.ok(Math.abs(sw2 - box.xmax / 2) < box.xmax / 100 && Math.abs(sb2 - 0.1) < 0.005, `clicked (${box.xmax / 2}, 0.1), got (${sw2}, ${sb2})`);
  await page.waitForFunction((t) => document.querySelector('.net-phase-note').textContent.startsWith(t), `This init: σ_w² = ${sw2}, σ_b² = ${sb2}.`);
  assert.equal(await page.getAttribute('.net-presets button[data-preset="sigmoid-default"]', 'aria-pressed'), 'false');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('dragging an activation parameter: the phase diagram\'s dot moves at once, older unfinished lines stop, the last value\'s line is traced once it rests', async () => {
  const page = await b.page(`${b.base}#${SMALL}`);
  await drawn(page, 6);
  await page.waitForFunction(() => /Axes: σ_w² from 0 to/.test(document.querySelector('.net-phase-note').textContent));
  // values one after another, as a drag gives them (each a new activation for the diagram)
  const during = await page.evaluate(() => {
    const ph = window.ActivationLossLab.apps[0].netTab.views.depth.phase;
    const xmax = ph.xmax;
    const keys = [];
    for (const alpha of [0.6, 0.7, 0.8, 0.9]) {
      ph.update({ name: 'ELU', params: { alpha } }, { sw2: 1 + alpha, sb2: 0.1 });
      keys.push([...ph.cache.keys()].filter((k) => !ph.cache.get(k).done));
    }
    return { keys, point: ph.point, xmax, now: ph.xmax, text: ph.describe() };
  });
  // at most one unfinished line at a time (the first value's, traced at once, stopped by the next)
  assert.ok(during.keys.every((k) => k.length <= 1), JSON.stringify(during.keys));
  assert.deepEqual(during.keys.slice(1), [[], [], []], 'later values wait to rest');
  assert.deepEqual(during.point, { sw2: 1.9, sb2: 0.1 }, 'the dot is the last value\'s');
  assert.equal(during.now, during.xmax, 'on the axes it had');
  assert.equal(during.text, 'Tracing the χ = 1 line when the activation rests…');
  await page.waitForFunction(() => {
    const ph = window.ActivationLossLab.apps[0].netTab.views.depth.phase;
    return ph.cache.get(JSON.stringify({ name: 'ELU', params: { alpha: 0.9 } }))?.done;
  });
  const after = await page.evaluate(() => {
    const ph = window.ActivationLossLab.apps[0].netTab.views.depth.phase;
    return { keys: [...ph.cache.keys()], text: ph.describe() };
  });
  for (const alpha of [0.7, 0.8]) assert.ok(!after.keys.includes(JSON.stringify({ name: 'ELU', params: { alpha } })), `no line traced for α = ${alpha}`);
  assert.match(after.text, /^χ = 1 at σ_w² = [\d.]+ for σ_b² = 0\./);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('keyboard: the arrow keys reach the Network tab and its sub-views; on a focused heatmap ↓ reads out a layer\'s numbers', async () => {
  const page = await b.page(`${b.base}#${SMALL}`);
  await drawn(page, 6);
  await page.focus('#tab-btn-net');
  await page.keyboard.press('ArrowRight');  // Network → Activations (the three tabs cycle)
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-btn-act');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-btn-net');
  assert.equal(await page.getAttribute('#tab-btn-net', 'aria-selected'), 'true');
  await page.focus('#net-tab-depth');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'net-tab-train');
  assert.match(await page.evaluate(() => location.hash), /net=train/);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getAttribute('#net-tab-depth', 'aria-selected'), 'true');
  await page.focus('.net-heat-grid canvas');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const cells = await page.evaluate(() => [...document.querySelectorAll('.net-table tbody tr:nth-child(2) td')].map((td) => td.textContent));
  const text = await page.textContent('.net-readout');
  assert.ok(text.startsWith(`Layer 2: activations mean ${cells[2]}, std ${cells[3]}; pre std ${cells[0]} (predicted √q ${cells[1]}); gradient std ${cells[5]}`), text);
  await page.close();
});

test('every tick label of the depth view\'s graphs names its position', async () => {
  const page = await b.page(`${b.base}#${SMALL}`);
  await drawn(page, 6);
  const ticks = await page.evaluate(() => {
    const v = window.ActivationLossLab.apps[0].netTab.views.depth;
    const out = {};
    for (const [k, c] of Object.entries(v.charts)) out[k] = { log: !!c.log, ...c.ticks };
    out.phase = { log: false, ...v.phase.ticks };
    return out;
  });
  for (const [name, t] of Object.entries(ticks)) {
    assert.ok(t.x.length >= 2 && t.y.length >= 2, `${name} has ticks`);
    for (const axis of ['x', 'y']) {
      for (const { value, label } of t[axis]) {
        const at = t.log && axis === 'y' ? 10 ** value : value;
        assert.ok(Math.abs(Number(label) - at) <= 1e-9 * Math.max(1, Math.abs(at)), `${name} ${axis}: '${label}' at ${at}`);
      }
    }
  }
  await page.close();
});

test('from file:// the tab loads its script and draws', async () => {
  const page = await b.page(`${fileUrl}#${SMALL}`);
  await drawn(page, 6);
  assert.ok(page.requests.some((u) => u.startsWith('file:') && PART.test(u)));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('embed=depth shows the depth view with the teacher\'s title, without the page\'s header; embed=network mounts the training view', async () => {
  const page = await b.page(`${b.base}#embed=depth&d.depth=5&d.width=8&d.batch=4&title=Depth%20demo`, { viewport: { width: 800, height: 600 } });
  await drawn(page, 5);
  assert.equal(await page.locator('.site-header').count(), 0);
  assert.equal(await page.textContent('.embed-title'), 'Depth demo');
  assert.equal(await page.locator('.net-subtabs').count(), 0, 'no sub-view switch in an embed');
  const heat = await page.locator('.net-heat-grid canvas').first().boundingBox();
  assert.ok(heat.width > 100 && heat.height > 100);
  const train = await b.page(`${b.base}#embed=network`);
  await train.waitForSelector('#net-view-train:not([hidden])');
  assert.equal(await train.locator('#net-view-depth:not([hidden])').count(), 0);
  assert.deepEqual([...page.problems, ...train.problems], []);
  await page.close();
  await train.close();
});

test('a course page\'s lock (edit=seed) leaves only the seed editable in a depth embed, the phase diagram included', async () => {
  const page = await b.page(`${b.base}#embed=depth&d.depth=4&d.width=8&d.batch=4&edit=seed`);
  await drawn(page, 4);
  const locked = await page.evaluate(() => ({
    depth: document.querySelector('.net-controls [data-field="depth"] input[type="number"]').readOnly,
    act: document.querySelector('.net-controls select[data-field="act"]').disabled,
    preset: [...document.querySelectorAll('.net-presets button')].every((x) => x.disabled),
    seed: document.querySelector('.net-controls input[data-field="seed"]').readOnly,
  }));
  assert.deepEqual(locked, { depth: true, act: true, preset: true, seed: false });
  assert.equal(await page.locator('.link-notice').count(), 0, 'edit=seed is a field the lock knows');
  const before = await page.evaluate(() => location.hash);
  await page.locator('.net-phase canvas').scrollIntoViewIfNeeded();
  const r = await page.locator('.net-phase canvas').boundingBox();
  await page.mouse.click(r.x + r.width / 2, r.y + r.height / 2);
  assert.equal(await page.evaluate(() => location.hash), before);
  assert.match(await page.textContent('.net-phase-note'), /fixed by this course page/);
  await page.fill('.net-controls input[data-field="seed"]', '5');
  await page.waitForFunction(() => /d\.seed=5/.test(location.hash));
  await page.close();
});

test('edit=alpha in a depth embed: the activation\'s parameter row is its parameter\'s, the picker stays locked', async () => {
  const page = await b.page(`${b.base}#embed=depth&d.depth=4&d.width=8&d.batch=4&d.act=ELU&edit=alpha`);
  await drawn(page, 4);
  const locked = await page.evaluate(() => ({
    act: document.querySelector('.net-controls select[data-field="act"]').disabled,
    alpha: document.querySelector('.net-controls [data-param="alpha"] input[type="number"]').readOnly,
    init: document.querySelector('.net-controls select[data-field="init"]').disabled,
  }));
  assert.deepEqual(locked, { act: true, alpha: false, init: true });
  await page.fill('.net-controls [data-param="alpha"] input[type="number"]', '0.5');
  await page.locator('.net-controls [data-param="alpha"] input[type="number"]').press('Enter');
  await page.waitForFunction(() => /d\.act=ELU%28alpha%3D0\.5%29|d\.act=ELU\(alpha=0\.5\)/.test(location.hash));
  await page.close();
});

test('"Your formula" in the depth view: its field and parameter, every number the JS API\'s with {formula}, a caret under a mistake, the script\'s module', async () => {
  const text = 'x*sigmoid(a*x)';
  const page = await b.page(`${b.base}#net=depth&d.depth=5&d.width=12&d.batch=6&d.act=formula(a=1.5)&d.actx=${encodeURIComponent(text)}&d.seed=2`);
  await drawn(page, 5);
  assert.equal(await page.inputValue('.net-controls .net-formula-text'), text);
  assert.equal(await page.inputValue('.net-controls [data-param="a"] input[type="number"]'), '1.5');
  const act = { formula: text, params: { a: 1.5 } };
  const want = expected({ depth: 5, width: 12, batch: 6, act, init: null, seed: 2, sw2: 1 / 3, sb2: 1 / 36 });
  assert.deepEqual(await tableValues(page), want);
  const script = await page.textContent('.net-script-code');
  assert.match(script, /^class MyActivation\(nn\.Module\):$/m);
  assert.match(script, /nn\.Linear\(width, width\), MyActivation\(\)/);
  // a mistake: the engine's message and caret, the text kept, the last good numbers kept
  const bad = 'x*sigmoid(a*x';
  await page.fill('.net-controls .net-formula-text', bad);
  await page.waitForSelector('.net-controls .net-formula-error:not([hidden])');
  const d = lab.formula(bad);
  assert.equal(await page.textContent('.net-controls .net-formula-caret'), d.error.caret);
  assert.equal(await page.inputValue('.net-controls .net-formula-text'), bad);
  assert.deepEqual(await tableValues(page), want);
  // a good one again: the link has it, and its numbers are the API's
  await page.fill('.net-controls .net-formula-text', 'tanh(x)');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('d.actx=tanh(x)'));
  // the complete summary of the new formula (a partial state's says "Computing f(x) = …" and has no table yet)
  await page.waitForFunction(() => /^f\(x\) = tanh\(x\), .*Activations' std/.test(document.querySelector('.net-summary')?.textContent ?? ''));
  await drawn(page, 5);
  const tanh = expected({ depth: 5, width: 12, batch: 6, act: { formula: 'tanh(x)', params: {} }, init: null, seed: 2, sw2: 1 / 3, sb2: 1 / 36 });
  assert.deepEqual(await tableValues(page), tanh);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a depth link with a formula that does not parse: its message once, under the field with the caret; the view points there', async () => {
  const bad = 'x*sigmod(x)';
  const page = await b.page(`${b.base}#net=depth&d.act=formula&d.actx=${encodeURIComponent(bad)}`);
  await page.waitForSelector('.net-controls .net-formula-error:not([hidden])');
  await page.waitForFunction(() => /until the formula/.test(document.querySelector('.net-summary')?.textContent ?? ''));
  const shown = await page.evaluate(() => [...document.querySelectorAll('[role=alert], .field-error, .banner-error, .net-summary')]
    .filter((e) => !e.hidden && e.offsetParent && /sigmod/.test(e.textContent)).map((e) => e.className));
  assert.deepEqual(shown, ['field-error net-formula-error'], 'the message is shown once, by the field');
  assert.equal(await page.textContent('.net-controls .net-formula-caret'), lab.formula(bad).error.caret);
  assert.equal(await page.inputValue('.net-controls .net-formula-text'), bad);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('SIREN in the depth view: the ω₀ shown is the one the engine uses (the Sine activation\'s w0, following it)', async () => {
  const page = await b.page(`${b.base}#net=depth&d.depth=3&d.width=8&d.batch=4&d.act=Sine(w0=10)&d.init=siren`);
  await drawn(page, 3);
  assert.equal(await page.textContent('.net-siren-w0'), 'ω₀ = 10: the Sine activation’s w0');
  await page.fill('.net-controls [data-param="w0"] input[type="number"]', '12');
  await page.locator('.net-controls [data-param="w0"] input[type="number"]').press('Enter');
  await page.waitForFunction(() => document.querySelector('.net-siren-w0').textContent.startsWith('ω₀ = 12:'));
  // the theory's σ_w² is 2/ω₀² of that ω₀
  await page.waitForFunction(() => /σ_w² = 0\.0138889/.test(document.querySelector('.net-phase-note')?.textContent ?? ''));
  await page.close();
});

test('axe finds no serious or critical violation in the depth view (light and dark)', async () => {
  for (const scheme of ['light', 'dark']) {
    const page = await b.page(`${b.base}#${SMALL}`, { colorScheme: scheme });
    await drawn(page, 6);
    await page.click('.net-numbers summary');
    assert.deepEqual(await axe(page), [], scheme);
    await page.close();
  }
});
