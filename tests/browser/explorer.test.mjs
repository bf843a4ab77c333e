// Browser tests of the function explorer: loading (http and file://, offline, no console
// errors), drawn values against lab.activation and PyTorch's reference data, sliders, the
// permalink, embed mode, exports, vector functions, accessibility (axe-core) and first-graph time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, open, fileUrl, root, close, decode } from './browser.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); });

const drawnMatchesLab = (page) => page.evaluate(() => {
  // every drawn series must equal lab.activation on the drawn x samples, bit for bit
  const app = window.ActivationLossLab.apps[0];
  const u = app.explorer.plot.u;
  const xs = Float64Array.from(u.data[0]);
  const bad = [];
  app.state.act.curves.forEach((c, i) => {
    const spec = app.specOf(c.name);
    const params = {};
    for (const p of spec.params) if (c.params[p.name] !== undefined) params[p.name] = c.params[p.name];
    else if (p.required) params[p.name] = (p.sliderMin + p.sliderMax) / 2;
    const r = app.lab.activation(c.name, params, xs);
    const y = u.data[1 + 2 * i];
    const dy = u.data[2 + 2 * i];
    for (let k = 0; k < xs.length; k++) {
      const want = [r.y[k], r.dy[k]].map((v) => (Number.isFinite(v) ? v : null));
      if (y[k] !== want[0] || dy[k] !== want[1]) { bad.push(`${c.name} at x=${xs[k]}: drew ${y[k]}, ${dy[k]}; lab says ${want}`); break; }
    }
  });
  return { bad, n: xs.length };
});

test('loads over http with no console errors and no request leaving the page', async () => {
  const page = await b.page(b.base);
  await page.waitForSelector('#fn-plot .u-over');
  assert.deepEqual(page.problems, []);
  const outside = page.requests.filter((u) => !u.startsWith(b.base) && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(outside, []);
  await page.close();
});

test('loads from file:// (one classic script, no module imports) with no console errors', async () => {
  const page = await b.page(`${fileUrl}#f=GELU&f=Tanh`);
  await page.waitForSelector('#fn-plot .u-over');
  const r = await drawnMatchesLab(page);
  assert.deepEqual(r.bad, []);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('every elementwise activation: pick it, the drawn f and f′ are lab.activation\'s', async () => {
  const page = await b.page(b.base);
  const names = await page.evaluate(() => window.ActivationLossLab.apps[0].catalog.activations.filter((s) => s.kind === 'elementwise').map((s) => s.name));
  assert.ok(names.length >= 25, `only ${names.length} elementwise activations`);
  for (const name of names) {
    await page.selectOption('#fn-picker', name);
    const r = await drawnMatchesLab(page);
    assert.deepEqual(r.bad, [], name);
    assert.equal(r.n, 2001);
    const title = await page.textContent('.info-title');
    assert.equal(title, name);
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('moving a slider redraws with the new parameter and updates the URL', async () => {
  const page = await b.page(`${b.base}#f=ELU`);
  const slider = page.locator('.param-row[data-param="alpha"] input[type="range"]');
  await slider.focus();
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  const alpha = Number(await page.inputValue('.param-row[data-param="alpha"] input[type="number"]'));
  assert.ok(alpha > 1, `alpha ${alpha}`);
  await page.waitForFunction((a) => location.hash.includes(`alpha=${a}`), alpha);
  const r = await drawnMatchesLab(page);
  assert.deepEqual(r.bad, []);
  const line = await page.textContent('.torch-line');
  assert.match(line, /^nn\.ELU\(alpha=/);
  // typing a value in the number box works the same
  await page.fill('.param-row[data-param="alpha"] input[type="number"]', '0.25');
  await page.waitForFunction(() => location.hash.includes('alpha=0.25'));
  assert.deepEqual((await drawnMatchesLab(page)).bad, []);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the readout at a typed x agrees with PyTorch reference data', async () => {
  const ref = JSON.parse(readFileSync(join(root, 'tests/reference/elementwise.json'), 'utf8')).cases;
  const page = await b.page(b.base);
  const picked = ['ELU', 'GELU', 'Softplus', 'Hardswish', 'Mish', 'LeakyReLU'];
  let checked = 0;
  for (const name of picked) {
    const c = ref.find((r) => r.name === name && Object.keys(r.params).length > 0) ?? ref.find((r) => r.name === name);
    if (!c) continue;
    const call = `${name}(${Object.entries(c.params).map(([k, v]) => `${k}=${typeof v === 'boolean' ? (v ? 'True' : 'False') : v}`).join(',')})`;
    await page.evaluate((h) => { location.hash = h; }, `f=${call}`);
    await page.waitForFunction((n) => document.querySelector('.info-title')?.textContent === n, name);
    for (let i = 0; i < c.x.length; i += Math.max(1, Math.floor(c.x.length / 6))) {
      const x = decode(c.x[i]);
      if (!Number.isFinite(x)) continue;
      await page.fill('#read-x', String(x));
      const [ty, tdy] = await page.$$eval('#readout tbody tr:first-child td', (tds) => tds.map((td) => Number(td.title)));
      assert.ok(close(ty, decode(c.y[i])), `${call} f(${x}) = ${ty}, PyTorch ${c.y[i]}`);
      assert.ok(close(tdy, decode(c.dy[i])), `${call} f'(${x}) = ${tdy}, PyTorch ${c.dy[i]}`);
      checked++;
    }
  }
  assert.ok(checked > 10, `checked ${checked}`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a permalink restores curves, parameters, flags, active curve and x-range', async () => {
  const page = await b.page(`${b.base}#f=ELU(alpha=0.5)`);
  await page.click('#add-curve');
  await page.selectOption('#fn-picker', 'Softplus');
  await page.fill('.param-row[data-param="beta"] input[type="number"]', '2.5');
  await page.locator('.chip:nth-child(2) .toggle').first().click();  // hide f of the second curve
  await page.fill('#x-min', '-3');
  await page.fill('#x-max', '2');
  await page.locator('#x-max').press('Tab');
  await page.waitForFunction(() => location.hash.includes('x=-3,2') && location.hash.includes('beta=2.5'));
  const url = page.url();
  const want = await page.evaluate(() => JSON.stringify(window.ActivationLossLab.apps[0].state.act));
  const again = await b.page(url);
  const got = await again.evaluate(() => JSON.stringify(window.ActivationLossLab.apps[0].state.act));
  assert.deepEqual(JSON.parse(got), JSON.parse(want));
  assert.deepEqual((await drawnMatchesLab(again)).bad, []);
  const series = await again.evaluate(() => window.ActivationLossLab.apps[0].explorer.plot.u.series.slice(1).map((s) => s.show));
  assert.deepEqual(series, [true, true, false, true]);
  assert.deepEqual([...page.problems, ...again.problems], []);
  await page.close();
  await again.close();
});

test('embed mode: graph without site chrome, and the example page with iframe and direct embed', async () => {
  const page = await b.page(`${b.base}#embed=graph&f=ELU(alpha=0.5)&f=ReLU`, { viewport: { width: 640, height: 480 } });
  await page.waitForSelector('#fn-plot .u-over');
  assert.equal(await page.locator('.site-header').count(), 0);
  assert.equal(await page.isVisible('.info-panel'), false);
  const box = await page.locator('#fn-plot').boundingBox();
  assert.ok(box.width > 500 && box.height > 200 && box.height < 480, JSON.stringify(box));
  const loss = await b.page(`${b.base}#embed=loss&loss=MSELoss`, { viewport: { width: 640, height: 600 } });
  await loss.waitForSelector('#loss-value');
  assert.equal(await loss.locator('.site-header').count(), 0);
  const example = await b.page(null);
  await example.goto(`${b.base}embed-example.html`);
  await example.waitForFunction(() => window.ActivationLossLab?.apps?.length === 2);
  await example.waitForSelector('[data-activation-lab] .u-over');
  await example.waitForSelector('[data-activation-lab] [id$="loss-value"]');
  // two direct embeds on one page: ids unique, and every label and ARIA reference stays in its app
  const ids = await example.evaluate(() => {
    const all = [...document.querySelectorAll('[id]')].map((e) => e.id);
    const strays = [];
    for (const root of document.querySelectorAll('[data-activation-lab]')) {
      for (const el of root.querySelectorAll('[for], [aria-labelledby], [aria-describedby], [aria-controls]')) {
        const refs = ['for', 'aria-labelledby', 'aria-describedby', 'aria-controls'].flatMap((a) => (el.getAttribute(a) ?? '').split(/\s+/)).filter(Boolean);
        for (const r of refs) { const t = document.getElementById(r); if (t && !root.contains(t)) strays.push(r); }
      }
    }
    return { total: all.length, unique: new Set(all).size, strays, prefixes: window.ActivationLossLab.apps.map((a) => a.idPrefix) };
  });
  assert.equal(ids.unique, ids.total, 'duplicate ids on the example page');
  assert.deepEqual(ids.strays, []);
  assert.deepEqual(ids.prefixes, ['lab1-', 'lab2-']);
  // (a frame with hide=loss shows its Reveal button where the loss would be)
  for (const frame of example.frames().slice(1)) await frame.waitForSelector('.u-over, #loss-value, [data-gate="loss"]', { timeout: 15000 });
  assert.deepEqual([...page.problems, ...loss.problems, ...example.problems], []);
  await Promise.all([page.close(), loss.close(), example.close()]);
});

test('f′ on its own axes: a second graph below f, the same lab values, kept in the link, exported as two panels', async () => {
  const page = await b.page(`${b.base}#f=Softplus(beta=0.5)&f=ELU&x=-6,6`);
  await page.waitForSelector('#fn-plot .u-over');
  assert.equal(await page.isVisible('#fn-plot-d'), false);
  await page.check('#split-toggle');
  await page.waitForSelector('#fn-plot-d .u-over');
  await page.waitForFunction(() => location.hash.includes('split=1'));
  const check = await page.evaluate(() => {
    const app = window.ActivationLossLab.apps[0];
    const { plot, plotD } = app.explorer;
    const xs = Float64Array.from(plot.u.data[0]);
    const bad = [];
    app.state.act.curves.forEach((c, i) => {
      const r = app.lab.activation(c.name, c.params, xs);
      for (let k = 0; k < xs.length; k += 50) {
        if (plot.u.data[1 + i][k] !== r.y[k] || plotD.u.data[1 + i][k] !== r.dy[k]) { bad.push(`${c.name} at ${xs[k]}`); break; }
      }
    });
    return { bad, f: plot.u.series.length - 1, d: plotD.u.series.length - 1, dMax: plotD.yRange()[1], fMax: plot.yRange()[1] };
  });
  assert.deepEqual(check.bad, []);
  assert.equal(check.f, 2);
  assert.equal(check.d, 2);
  assert.ok(check.dMax < 1.5 && check.fMax > 5, JSON.stringify(check));  // each panel on its own scale
  // one crosshair: hovering the f panel moves the f′ panel's cursor to the same sample
  const box = await page.locator('#fn-plot .u-over').boundingBox();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.waitForFunction(() => window.ActivationLossLab.apps[0].explorer.plot.u.cursor.idx != null);
  const idx = await page.evaluate(() => { const e = window.ActivationLossLab.apps[0].explorer; return [e.plot.u.cursor.idx, e.plotD.u.cursor.idx]; });
  assert.equal(idx[1], idx[0]);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  const svg = readFileSync(await dl.path()).toString();
  assert.equal((svg.match(/<svg /g) ?? []).length, 3);  // the file and its two panels
  assert.equal((svg.match(/<path d="M/g) ?? []).length, 4);
  // the link restores the split view
  const again = await b.page(`${b.base}${new URL(page.url()).hash}`);
  await again.waitForSelector('#fn-plot-d .u-over');
  assert.equal(await again.isChecked('#split-toggle'), true);
  assert.deepEqual([...page.problems, ...again.problems], []);
  await Promise.all([page.close(), again.close()]);
});

test('export: PNG, SVG and CSV downloads', async () => {
  const page = await b.page(`${b.base}#f=Tanh&f=Sigmoid`);
  const get = async (id) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(id)]);
    return { name: dl.suggestedFilename(), data: readFileSync(await dl.path()) };
  };
  const png = await get('#export-png');
  assert.match(png.name, /\.png$/);
  assert.deepEqual([...png.data.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  const svg = await get('#export-svg');
  assert.match(svg.data.toString(), /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg.data.toString(), /<path d="M/);
  const csv = (await get('#export-csv')).data.toString().trim().split('\n');
  assert.equal(csv.length, 2002);
  assert.equal(csv[0], "x,Tanh f,Tanh f',Sigmoid f,Sigmoid f'");
  const [x, y] = csv[1].split(',').map(Number);
  const want = await page.evaluate((v) => window.ActivationLossLab.apps[0].lab.activation('Tanh', {}, [v]).y[0], x);
  assert.equal(y, want);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('vector functions: bars and the Jacobian from the lab, temperature, GLU halves', async () => {
  const page = await b.page(`${b.base}#vec=Softmax&vx=[1.0,2.0,0.5]`);
  await page.waitForSelector('#jacobian');
  const cells = await page.$$eval('#jacobian tbody td', (tds) => tds.map((td) => Number(td.title)));
  const want = await page.evaluate(() => Array.from(window.ActivationLossLab.apps[0].lab.activation('Softmax', { dim: null }, [1, 2, 0.5]).jacobian));
  assert.deepEqual(cells, want);
  assert.equal(await page.locator('#vec-bars rect').count(), 6);
  await page.selectOption('#fn-picker', 'GLU');
  await page.fill('#vec-x', '[1.0, 2.0, 3.0]');
  await page.waitForSelector('#vec-x-err:not([hidden])');
  assert.match(await page.textContent('#tab-act'), /even/);  // the lab's message about the odd length
  await page.fill('#vec-x', '[1.0, 2.0, 3.0, 4.0]');
  await page.waitForFunction(() => document.querySelectorAll('#jacobian tbody tr').length === 2);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the temperature row appears exactly for the vector functions whose registry entry takes a temperature', async () => {
  const page = await b.page(`${b.base}#vec=Softmax`);
  await page.waitForSelector('#jacobian');
  const specs = await page.evaluate(() => window.ActivationLossLab.apps[0].catalog.activations
    .filter((s) => s.kind === 'vector').map((s) => ({ name: s.name, temperature: s.temperature })));
  assert.ok(specs.some((s) => s.temperature === true) && specs.some((s) => s.temperature === false), JSON.stringify(specs));
  for (const { name, temperature } of specs) {
    await page.selectOption('#fn-picker', name);
    await page.waitForFunction((n) => document.querySelector('.info-title')?.textContent === n, name);
    assert.equal(await page.isVisible('#vec-t'), temperature, name);
  }
  // T feeds x / T only where it is offered: GLU ignores a T left in the link
  await page.evaluate(() => { location.hash = '#vec=GLU&vx=[1.0,2.0,3.0,4.0]&T=2'; });
  await page.waitForFunction(() => document.querySelectorAll('#jacobian tbody tr').length === 2);
  const [cells, want] = await page.evaluate(() => [[...document.querySelectorAll('#jacobian tbody td')].map((td) => Number(td.title)),
    Array.from(window.ActivationLossLab.apps[0].lab.activation('GLU', {}, [1, 2, 3, 4]).jacobian)]);
  assert.deepEqual(cells, want);
  assert.doesNotMatch(await page.textContent('.torch-line'), /x \/ 2/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

async function axe(page) {
  await page.addScriptTag({ path: join(root, 'node_modules/axe-core/axe.min.js') });
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

test('accessibility: no serious or critical axe-core violations (light, dark, phone)', async () => {
  for (const [hash, opts] of [['#f=ELU&f=ReLU', {}], ['#f=GELU&theme=dark', {}], ['#vec=Softmax', {}],
    ['#f=ELU', { viewport: { width: 390, height: 844 } }], ['#tab=loss', { colorScheme: 'dark' }],
    ['#tab=loss&loss=BCEWithLogitsLoss', {}], ['#vec=Softmax&theme=dark', {}], ['#embed=graph&f=ELU', {}]]) {
    const page = await b.page(b.base + hash, opts);
    await page.waitForSelector('.u-over, #jacobian, #loss-value');
    assert.deepEqual(await axe(page), [], hash);
    await page.close();
  }
});

test('first graph is drawn quickly (median of 5 loads)', async () => {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const page = await b.page(b.base);
    await page.waitForFunction(() => performance.getEntriesByName('lab-first-graph').length > 0);
    times.push(await page.evaluate(() => performance.getEntriesByName('lab-first-graph')[0].startTime));
    await page.close();
  }
  times.sort((a, c) => a - c);
  console.log(`first graph after navigation: median ${times[2].toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')})`);
  assert.ok(times[2] < 1500, `median ${times[2]} ms`);  // the 300 ms target is measured by web/bench.mjs
});
