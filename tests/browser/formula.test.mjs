// Browser tests of the explorer's "Your formula" (issue 11): the formula part (app-formula.js) and
// the engine part it runs on (app-engine.js, lab_net, shared with the Network tab) load on first
// need, once each, with a status line, an inline error and a retry; what is typed is drawn, and
// every number on screen (the curves, the readout, the tick labels, the compare readout, the CSV)
// is the JS API's; a mistake shows the lab's message with the caret under its column while the
// field keeps its text and the last good curve stays drawn, dimmed; parameters are sliders; the
// link round-trips (a long formula too, a bad one opens with its error); file://, an embed, the
// keyboard, the first-visit budget and axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launch, open, fileUrl, root, dist } from './browser.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); });

const FORMULA = /\/app-formula\.js(\?|$)/;
const ENGINE = /\/app-engine\.js(\?|$)/;
const count = (page, re) => page.requests.filter((u) => re.test(u)).length;

// waits for the formula field (the part and the engine loaded)
const editor = (page) => page.waitForSelector('.formula-input', { timeout: 60000 });
// types into the field and waits until the explorer has taken the text (debounced) and redrawn
async function typeFormula(page, text) {
  await page.fill('.formula-input', text);
  await page.waitForFunction((t) => window.ActivationLossLab.apps[0].state.act.curves.some((c) => c.formula === t), text);
  await page.evaluate(() => new Promise(requestAnimationFrame));
}

// In the page: the drawn series of every curve against the JS API on the drawn x samples, bit for
// bit (formula curves through the engine's lab, built-ins through app.lab).
const drawnMatchesApi = (page) => page.evaluate(async () => {
  const app = window.ActivationLossLab.apps[0];
  const lab = await globalThis.__activationLossLab.parts.engine.getLab();
  const plot = app.explorer.plot;
  const xs = Float64Array.from(plot.data[0]);
  const bad = [];
  app.state.act.curves.forEach((c, i) => {
    let r;
    if (c.formula != null) {
      const d = lab.formula(c.formula);
      const params = Object.fromEntries(d.parameters.map((p) => [p.name, c.params[p.name] ?? p.value]));
      r = lab.activation({ formula: c.formula, params }, xs);
    } else r = app.lab.activation(c.name, c.params, xs);
    const [y, dy] = [plot.data[1 + 2 * i], plot.data[2 + 2 * i]];
    for (let k = 0; k < xs.length; k++) {
      const want = [r.y[k], r.dy[k]].map((v) => (Number.isFinite(v) ? v : null));
      if (y[k] !== want[0] || dy[k] !== want[1]) { bad.push(`curve ${i} at x=${xs[k]}: drew ${y[k]}, ${dy[k]}; the API says ${want}`); break; }
    }
  });
  return bad;
});

async function axe(page) {
  await page.addScriptTag({ path: join(root, 'node_modules/axe-core/axe.min.js') });
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

test('over http: picking "Your formula" loads app-formula.js and app-engine.js once each, with a status line; x * sigmoid(x) against SiLU: curves, readout, ticks and compare readout are the API\'s', async () => {
  const page = await b.page(null);
  let release;
  const held = new Promise((ok) => { release = ok; });
  await page.route(ENGINE, async (route) => { await held; await route.continue(); });
  await open(page, `${b.base}#f=SiLU`);
  await page.waitForSelector('#fn-plot .u-over');
  assert.equal(count(page, FORMULA) + count(page, ENGINE), 0, 'the first visit loads neither part');
  await page.selectOption('#fn-picker', 'formula');
  const status = page.locator('.formula-host [role="status"]');
  await status.waitFor();
  assert.match(await status.textContent(), /Loading the formula engine…/);
  release();
  await editor(page);
  assert.equal(await status.count(), 0, 'the status line gives way to the field');
  await typeFormula(page, 'x * sigmoid(x)');
  // SiLU beside it (the first curve was SiLU; it is the formula now): compare against a second curve
  await page.click('#add-curve');
  await page.selectOption('#fn-picker', 'SiLU');
  await page.waitForSelector('.compare-table tbody tr');
  assert.deepEqual(await drawnMatchesApi(page), []);
  const got = await page.evaluate(async () => {
    const app = window.ActivationLossLab.apps[0];
    const { fmt, tickLabels } = globalThis.__activationLossLab.modules['util.js'];
    const lab = await globalThis.__activationLossLab.parts.engine.getLab();
    const xs = Float64Array.from(app.explorer.plot.data[0]);
    const f = lab.activation({ formula: 'x * sigmoid(x)', params: {} }, xs);
    const s = app.lab.activation('SiLU', {}, xs);
    const maxDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, v === b[i] ? 0 : Math.abs(v - b[i])), 0);
    // the readout's row of the formula: at the x it shows
    const x = Number(document.querySelector('#read-x').value);
    const at = lab.activation({ formula: 'x * sigmoid(x)', params: {} }, [x]);
    const cells = [...document.querySelectorAll('#readout tbody tr')[0].querySelectorAll('td')];
    const cmp = [...document.querySelectorAll('.compare-table tbody tr')[0].querySelectorAll('td')];
    const ticks = app.explorer.plot.ticks;
    return {
      readout: cells.map((td) => [Number(td.title), td.textContent]),
      readoutWant: [[at.y[0], fmt(at.y[0], 7)], [at.dy[0], fmt(at.dy[0], 7)]],
      compare: cmp.map((td) => [Number(td.dataset.max), td.firstChild.textContent]),
      compareWant: [maxDiff(f.y, s.y), maxDiff(f.dy, s.dy)].map((v) => [v, fmt(v, 7)]),
      label: document.querySelector('.compare-table tbody th').textContent,
      ticks: ['x', 'y'].map((k) => [ticks[k].map((t) => t.label), tickLabels(ticks[k].map((t) => t.value)), ticks[k].map((t) => t.value)]),
    };
  });
  assert.deepEqual(got.readout, got.readoutWant);
  assert.deepEqual(got.compare, got.compareWant);
  assert.match(got.label, /x \* sigmoid\(x\) vs SiLU/);
  for (const [labels, want, values] of got.ticks) {
    assert.ok(labels.length >= 2);
    assert.deepEqual(labels, want);
    labels.forEach((l, i) => assert.ok(Math.abs(Number(l) - values[i]) <= 1e-9 * Math.max(1, Math.abs(values[i])), `tick "${l}" at ${values[i]}`));
  }
  // the Network tab runs on the same engine: nothing is loaded twice
  await page.click('#tab-btn-net');
  await page.waitForFunction(() => window.ActivationLossLab.apps[0].netTab, null, { timeout: 60000 });
  assert.equal(count(page, ENGINE), 1, page.requests.filter((u) => ENGINE.test(u)).join(', '));
  assert.equal(count(page, FORMULA), 1);
  assert.deepEqual(page.requests.filter((u) => !u.startsWith(b.base) && !u.startsWith('data:') && !u.startsWith('blob:')), []);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a mistake: the lab\'s message with the caret under its column, the text kept, the last good curve drawn dimmed; fixing it draws again', async () => {
  const page = await b.page(`${b.base}#fx=x * sigmoid(x)`);
  await editor(page);
  const good = await page.evaluate(() => Array.from(window.ActivationLossLab.apps[0].explorer.plot.data[1]));
  const long = `${Array.from({ length: 12 }, (_, i) => `${i + 1} * x`).join(' + ')} + sigmoid(x) * (x + 1 + )`;
  for (const text of ['x * sigmod(x)', 'x * (1 + x', '2 * x +', long]) {
    await typeFormula(page, text);
    await page.waitForSelector('.formula-error:not([hidden])');
    const r = await page.evaluate(async (t) => {
      const app = window.ActivationLossLab.apps[0];
      const lab = await globalThis.__activationLossLab.parts.engine.getLab();
      return {
        api: lab.formula(t),
        caret: document.querySelector('.formula-caret').textContent,
        message: document.querySelector('.formula-message').textContent,
        value: document.querySelector('.formula-input').value,
        invalid: document.querySelector('.formula-input').getAttribute('aria-invalid'),
        drawn: Array.from(app.explorer.plot.data[1]),
        color: app.explorer.plot.series[0].color,
        url: app.state.act.curves[0].formula,
      };
    }, text);
    assert.equal(r.api.ok, false, text);
    assert.equal(r.value, text, 'the field keeps what was typed');
    assert.equal(r.url, text, 'and so does the link');
    assert.equal(r.invalid, 'true');
    assert.equal(r.message, `${r.api.error.message} (column ${r.api.error.column})`);
    const [line, marks] = r.caret.split('\n');
    if (text.length <= 56) assert.equal(r.caret, r.api.error.caret, text);
    else assert.ok(line.startsWith('…'), `a long formula is cut around the mistake: ${line}`);
    // the character over the first ^ is the one the lab names
    const k = marks.indexOf('^');
    assert.ok(k >= 0, r.caret);
    const apiLine = r.api.error.caret.split('\n')[0];
    assert.equal(line[k], apiLine[r.api.error.column - 1] ?? undefined, `${text}: caret over "${line[k]}"`);
    assert.deepEqual(r.drawn, good, 'the last good curve stays');
    assert.match(r.color, /^#[0-9A-Fa-f]{6}66$/, 'drawn dimmed');
  }
  await typeFormula(page, 'x * tanh(softplus(x))');
  await page.waitForSelector('.formula-error[hidden]', { state: 'attached' });
  assert.deepEqual(await drawnMatchesApi(page), []);
  assert.match(await page.evaluate(() => window.ActivationLossLab.apps[0].explorer.plot.series[0].color), /^#[0-9A-Fa-f]{6}$/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('parameters become sliders with the lab\'s range; moving one redraws the curve, the card\'s PyTorch code and the link', async () => {
  const page = await b.page(`${b.base}#fx=x * sigmoid(beta * x)`);
  await editor(page);
  await page.waitForSelector('[data-param="beta"] input[type="range"]');
  const spec = await page.evaluate(async () => {
    const lab = await globalThis.__activationLossLab.parts.engine.getLab();
    const p = lab.formula('x * sigmoid(beta * x)').parameters[0];
    const row = document.querySelector('[data-param="beta"]');
    return { p, min: Number(row.querySelector('input[type="range"]').min), max: Number(row.querySelector('input[type="range"]').max), box: Number(row.querySelector('input.num').value) };
  });
  assert.equal(spec.p.name, 'beta');
  assert.deepEqual([spec.min, spec.max, spec.box], [spec.p.sliderMin, spec.p.sliderMax, spec.p.value]);
  const before = await page.evaluate(() => Array.from(window.ActivationLossLab.apps[0].explorer.plot.data[1]));
  await page.fill('[data-param="beta"] input.num', '2');
  await page.waitForFunction(() => window.ActivationLossLab.apps[0].state.act.curves[0].params.beta === 2);
  await page.evaluate(() => new Promise(requestAnimationFrame));
  assert.deepEqual(await drawnMatchesApi(page), []);
  assert.notDeepEqual(await page.evaluate(() => Array.from(window.ActivationLossLab.apps[0].explorer.plot.data[1])), before);
  // the slider by the keyboard
  await page.focus('[data-param="beta"] input[type="range"]');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => window.ActivationLossLab.apps[0].state.act.curves[0].params.beta < 2);
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  assert.deepEqual(await drawnMatchesApi(page), []);
  const r = await page.evaluate(async () => {
    const app = window.ActivationLossLab.apps[0];
    const lab = await globalThis.__activationLossLab.parts.engine.getLab();
    const beta = app.state.act.curves[0].params.beta;
    const codes = [...document.querySelectorAll('.info-panel .torch-block code')].map((c) => c.textContent);
    return { beta, codes, want: lab.torchCode({ formula: 'x * sigmoid(beta * x)', params: { beta } }), hash: decodeURIComponent(location.hash) };
  });
  assert.equal(r.codes[0], `${r.want.module.trimEnd()}\n\nact = ${/class (\w+)/.exec(r.want.module)[1]}()`);
  assert.equal(r.codes[1], r.want.lambda);
  assert.match(r.hash, new RegExp(`f=formula\\(beta=${r.beta}\\)`));
  assert.match(r.hash.replace(/\+/g, ' '), /fx=x \* sigmoid\(beta \* x\)/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the link round-trips: formula text (long, with ; + ? in it, a bad one with & #) and parameter values; a link with a bad formula opens with its text and error', async () => {
  const page = await b.page(null);
  const long = `x > 0 ? x + 0.5 * a : b * (exp(x) - 1); a=0.25, b=1.5`;
  for (const text of ['x * sigmoid(beta * x)', long, `${'0.001 * x + '.repeat(30)}x`]) {
    const link = `f=SiLU&fx=${encodeURIComponent(text)}&a=1`;
    await open(page, `${b.base}#${link}`);
    await editor(page);
    await page.evaluate(() => new Promise(requestAnimationFrame));
    assert.equal(await page.inputValue('.formula-input'), text);
    assert.deepEqual(await drawnMatchesApi(page), [], text);
    // a slider moved, then the page's own link opened again: the same view
    const names = await page.evaluate(() => [...document.querySelectorAll('.params [data-param]')].map((r) => r.dataset.param));
    if (names.length) {
      await page.fill(`[data-param="${names[0]}"] input.num`, '0.75');
      await page.waitForFunction((n) => window.ActivationLossLab.apps[0].state.act.curves[1].params[n] === 0.75, names[0]);
    }
    await page.evaluate(() => window.ActivationLossLab.apps[0].commit());
    const hash = await page.evaluate(() => location.hash);
    await page.goto('about:blank');
    await open(page, `${b.base}${hash}`);
    await editor(page);
    const st = await page.evaluate(() => window.ActivationLossLab.apps[0].state.act.curves.map((c) => ({ name: c.name, formula: c.formula ?? null, params: c.params })));
    assert.deepEqual(st, [{ name: 'SiLU', formula: null, params: {} }, { name: 'formula', formula: text, params: names.length ? { [names[0]]: 0.75 } : {} }], hash);
    assert.deepEqual(await drawnMatchesApi(page), [], hash);
  }
  // a bad formula with & and # in it: opens with its text and error, and its own link keeps them
  const bad = 'a * sigmod(x) && x # 1';
  await open(page, `${b.base}#f=formula(a=2)&fx=${encodeURIComponent(bad)}`);
  await editor(page);
  await page.waitForSelector('.formula-error:not([hidden])');
  assert.equal(await page.inputValue('.formula-input'), bad);
  assert.match(await page.textContent('.formula-message'), /column \d+/);
  await page.evaluate(() => window.ActivationLossLab.apps[0].commit());
  const own = await page.evaluate(() => location.hash);
  await page.goto('about:blank');
  await open(page, `${b.base}${own}`);
  await editor(page);
  assert.equal(await page.inputValue('.formula-input'), bad, own);
  assert.deepEqual(await page.evaluate(() => window.ActivationLossLab.apps[0].state.act.curves[0].params), { a: 2 }, 'a bad formula prunes nothing');
  // typed by hand: a + in fx= is a plus (not a space, as URLSearchParams would read it)
  await page.goto('about:blank');
  await open(page, `${b.base}#fx=x+0.5*x^2`);
  await editor(page);
  assert.equal(await page.inputValue('.formula-input'), 'x+0.5*x^2');
  assert.deepEqual(await drawnMatchesApi(page), []);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('from file:// and in a graph embed: the formula part loads beside app.js and draws the API\'s values', async () => {
  // the formula curve second, Mish the one being edited: the part loads for any formula curve
  const page = await b.page(`${fileUrl}#f=Mish&fx=x * tanh(softplus(x))`);
  await page.waitForFunction(() => window.ActivationLossLab.apps[0].formula, null, { timeout: 60000 });
  await page.click('.legend li:nth-child(2) .chip-label');
  await editor(page);
  await page.waitForSelector('.compare-table tbody tr');
  assert.deepEqual(await drawnMatchesApi(page), []);
  const parts = page.requests.filter((u) => FORMULA.test(u) || ENGINE.test(u));
  assert.equal(parts.length, 2, parts.join(', '));
  assert.ok(parts.every((u) => u.startsWith('file://')), parts.join(', '));
  assert.deepEqual(page.problems, []);
  await page.close();
  const embed = await b.page(`${b.base}#embed=graph&fx=max(x, 0)^2&x=-2,2`, { viewport: { width: 400, height: 300 } });
  await editor(embed);
  await embed.waitForSelector('#fn-plot .u-over');
  assert.deepEqual(await drawnMatchesApi(embed), []);
  assert.ok(await embed.isVisible('.formula-input'), 'the field shows in the embed');
  assert.deepEqual(embed.problems, []);
  await embed.close();
});

test('a missing app-formula.js gives an inline error with a retry that works', async () => {
  const page = await b.page(null);
  let fail = true;
  await page.route(FORMULA, (route) => (fail ? route.fulfill({ status: 404, body: 'not found' }) : route.continue()));
  await open(page, `${b.base}#fx=x^2`);
  const err = page.locator('.formula-host .part-error[role="alert"]');
  await err.waitFor();
  assert.match(await err.textContent(), /formula engine could not be loaded.*app-formula\.js/);
  fail = false;
  await page.click('.formula-host .part-error button');
  await editor(page);
  assert.equal(await err.count(), 0);
  assert.deepEqual(await drawnMatchesApi(page), []);
  assert.deepEqual(page.problems.filter((p) => !/Failed to load resource.*404/.test(p)), []);
  await page.close();
});

test('the examples parse, each is one click (or Enter) away; CSV, SVG and PNG exports: the CSV holds the formula\'s values', async () => {
  const page = await b.page(`${b.base}#fx=x`);
  await editor(page);
  const examples = await page.evaluate(async () => {
    const lab = await globalThis.__activationLossLab.parts.engine.getLab();
    return [...document.querySelectorAll('.formula-examples li')].map((li) => {
      const text = li.querySelector('code').textContent;
      return { text, ok: lab.formula(text).ok, about: li.querySelector('.muted').textContent };
    });
  });
  assert.equal(examples.length, 5);
  for (const e of examples) { assert.ok(e.ok, e.text); assert.ok(e.about.length > 20, e.text); }
  // keyboard: open the list, Tab to the first example, Enter
  await page.focus('.formula-examples summary');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForFunction((t) => window.ActivationLossLab.apps[0].state.act.curves[0].formula === t, examples[0].text);
  for (const [i, e] of examples.entries()) {
    await page.click(`.formula-examples li:nth-child(${i + 1}) button`);
    await page.waitForFunction((t) => window.ActivationLossLab.apps[0].state.act.curves[0].formula === t, e.text);
    await page.evaluate(() => new Promise(requestAnimationFrame));
    assert.deepEqual(await drawnMatchesApi(page), [], e.text);
  }
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const rows = readFileSync(await dl.path(), 'utf8').trim().split('\n').map((l) => l.split(','));
  const want = await page.evaluate(async (xs) => {
    const lab = await globalThis.__activationLossLab.parts.engine.getLab();
    const c = window.ActivationLossLab.apps[0].state.act.curves[0];
    const r = lab.activation({ formula: c.formula, params: {} }, xs);
    return [Array.from(r.y, String), Array.from(r.dy, String)];
  }, rows.slice(1).map((r) => Number(r[0])));
  assert.deepEqual(rows.slice(1).map((r) => r[1]), want[0]);
  assert.deepEqual(rows.slice(1).map((r) => r[2]), want[1]);
  assert.equal(rows[0][1], `${examples.at(-1).text} f`, 'the CSV column is named by the formula');
  // SVG and PNG like any curve: the legend names the formula
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  assert.ok(readFileSync(await svg.path(), 'utf8').includes(`>${examples.at(-1).text}  f(x)<`));
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  assert.deepEqual([...readFileSync(await png.path()).subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the first visit stays under 200 KB gzipped and bundles neither part', () => {
  const gz = ['index.html', 'app.js', 'app.css'].reduce((n, f) => n + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0);
  assert.ok(gz < 200 * 1024, `first visit ${(gz / 1024).toFixed(1)} KB gzipped`);
  const app = readFileSync(join(dist, 'app.js'), 'utf8');
  assert.ok(!app.includes('Examples to try'), 'the formula editor is not in app.js');
  assert.ok(readFileSync(join(dist, 'app-formula.js'), 'utf8').includes('Examples to try'));
});

test('accessibility: the formula view with a compare readout and with a mistake, light and dark, desktop and phone', async () => {
  for (const colorScheme of ['light', 'dark']) {
    for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
      const page = await b.page(null, { colorScheme, viewport });
      await open(page, `${b.base}#f=formula&fx=x * sigmoid(beta * x)&f=SiLU`);
      await editor(page);
      await page.waitForSelector('.compare-table tbody tr');
      await page.click('.formula-examples summary');
      assert.deepEqual(await axe(page), [], `${colorScheme} ${viewport.width}`);
      await typeFormula(page, 'x * sigmod(x)');
      await page.waitForSelector('.formula-error:not([hidden])');
      assert.deepEqual(await axe(page), [], `${colorScheme} ${viewport.width}: with a mistake`);
      assert.deepEqual(page.problems, []);
      await page.close();
    }
  }
});
