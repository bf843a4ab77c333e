// Browser tests of how errors are shown: the message stands beside the argument or parameter it
// is about (a mismatch between two marks both), only the out-of-date results are marked while the
// inputs and the error keep full contrast, and axe finds no serious or critical violation with
// an error showing (light and dark).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, root } from './browser.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); });

async function axe(page) {
  await page.addScriptTag({ path: join(root, 'node_modules/axe-core/axe.min.js') });
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

// The fields showing an error (arguments by data-arg, parameters by data-param) and the banner.
const errorsShown = (page) => page.evaluate(() => ({
  fields: [...document.querySelectorAll('.has-error')].map((r) => r.dataset.arg ?? r.dataset.param).sort(),
  texts: [...document.querySelectorAll('.has-error .field-error')].map((e) => e.textContent),
  banner: document.querySelector('#loss-error:not([hidden])')?.textContent ?? null,
}));

test('a lab error stands beside the arguments or parameters it is about', async () => {
  const cases = [
    ['BCELoss with weight [1, 2]', 'BCELoss', { 'p.weight': '[1.0, 2.0]' }, ['input', 'weight']],
    ['TripletMarginLoss with a 3-column negative', 'TripletMarginLoss', { 'a.negative': '[[0.0, 2.0, 1.0], [1.5, 1.0, 1.0]]' }, ['anchor', 'negative']],
    ['TripletMarginLoss with a 1-D negative', 'TripletMarginLoss', { 'a.negative': '[0.0, 2.0]' }, ['negative']],
    ['CrossEntropyLoss with a 3-element target for 2 rows', 'CrossEntropyLoss', { 'a.target': '[0, 1, 2]' }, ['input', 'target']],
    ['MSELoss with 3 inputs and 2 targets', 'MSELoss', { 'a.input': '[1.0, 2.0, 3.0]', 'a.target': '[1.0, 2.0]' }, ['input', 'target']],
    ['BCEWithLogitsLoss with a 3-element pos_weight', 'BCEWithLogitsLoss', { 'p.pos_weight': '[1.0, 2.0, 3.0]' }, ['input', 'pos_weight']],
  ];
  const page = await b.page(`${b.base}#tab=loss`);
  for (const [what, name, fields, want] of cases) {
    const q = [`tab=loss`, `loss=${name}`, ...Object.entries(fields).map(([k, v]) => `${k}=${encodeURIComponent(v)}`)];
    await page.evaluate((h) => { location.hash = h; }, `#${q.join('&')}`);
    await page.waitForFunction(() => document.querySelector('.workbench.stale .has-error'), null, { timeout: 5000 })
      .catch(() => { throw new Error(`${what}: no field marked`); });
    const got = await errorsShown(page);
    assert.deepEqual(got.fields, [...want].sort(), `${what}: ${JSON.stringify(got)}`);
    const message = await page.evaluate(({ name, fields }) => {
      const app = window.ActivationLossLab.apps[0];
      const spec = app.specOf(name);
      const args = Object.fromEntries(spec.args.map((a) => [a.name, app.lab.parseTensor(fields[`a.${a.name}`] ?? spec.example[a.name])]));
      const params = Object.fromEntries(Object.entries(fields).filter(([k]) => k.startsWith('p.')).map(([k, v]) => [k.slice(2), app.lab.parseTensor(v)]));
      try { app.lab.loss(name, params, args); return null; } catch (e) { return e.message; }
    }, { name, fields });
    assert.ok(message, `${what}: the lab accepts it`);
    for (const t of got.texts) assert.match(t, new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), what);
    assert.ok(got.banner && !got.banner.includes(message), `${what}: the banner repeats the message instead of pointing at the fields: ${got.banner}`);
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});

// The opacity a reader sees an element at: the product over its ancestors.
const seenOpacity = (page, sel) => page.evaluate((s) => {
  let o = 1;
  for (let el = document.querySelector(s); el; el = el.parentElement) o *= Number(getComputedStyle(el).opacity);
  return o;
}, sel);

test('with an error showing, the inputs and the error keep full contrast and axe finds nothing serious (light and dark)', async () => {
  for (const scheme of ['light', 'dark']) {
    // a good result first, then a typo: the old result stays, marked out of date
    const page = await b.page(`${b.base}#tab=loss&loss=CrossEntropyLoss`, { colorScheme: scheme });
    await page.waitForSelector('#loss-value');
    await page.fill('#arg-input', '[[2.0, 1.0, 0.1], [0.5, 2.5');
    await page.waitForSelector('.workbench.stale #arg-input-err:not([hidden])');
    for (const sel of ['#arg-input', '#arg-input-err', '#loss-error', '#arg-target', '#loss-picker']) {
      assert.equal(await seenOpacity(page, sel), 1, `${scheme}: ${sel} is faded`);
    }
    assert.match(await page.evaluate(() => getComputedStyle(document.querySelector('.workbench.stale .results'), '::before').content), /Out of date/);
    assert.deepEqual(await axe(page), [], `${scheme}: workbench with an error`);
    // a lab error (not a typo) under a parameter
    await page.fill('#arg-input', '[[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]');
    await page.waitForSelector('.workbench:not(.stale)');
    await page.evaluate(() => { location.hash = '#tab=loss&loss=CrossEntropyLoss&p.weight=[1.0,2.0]'; });
    await page.waitForSelector('.workbench.stale [data-param="weight"].has-error');
    assert.deepEqual(await axe(page), [], `${scheme}: workbench with a parameter error`);
    // the vector view with a typo
    await page.evaluate(() => { location.hash = '#vec=Softmax'; });
    await page.waitForSelector('#vec-x');
    await page.fill('#vec-x', '[1.0, 2.0,');
    await page.waitForSelector('#vec-x-err:not([hidden])');
    for (const sel of ['#vec-x', '#vec-x-err']) assert.equal(await seenOpacity(page, sel), 1, `${scheme}: ${sel} is faded`);
    assert.deepEqual(await axe(page), [], `${scheme}: vector view with an error`);
    // the explorer with a range error and a parameter box it cannot use
    await page.evaluate(() => { location.hash = '#f=ELU'; });
    await page.waitForSelector('#fn-plot .u-over');
    await page.fill('#x-min', '10');
    await page.press('#x-min', 'Enter');
    await page.fill('[data-param="alpha"] input.num', '');
    await page.waitForSelector('#x-range-err:not([hidden])');
    await page.waitForSelector('[data-param="alpha"].has-error');
    for (const sel of ['#x-min', '#x-range-err', '[data-param="alpha"] .field-error']) assert.equal(await seenOpacity(page, sel), 1, `${scheme}: ${sel} is faded`);
    assert.deepEqual(await axe(page), [], `${scheme}: explorer with errors`);
    assert.deepEqual(page.problems, []);
    await page.close();
  }
});

// The message beside a box (its row's error, or the one its aria-describedby names).
const messageFor = (page, sel) => page.evaluate((s) => {
  const box = document.querySelector(s);
  const ids = (box.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  const err = ids.map((id) => document.getElementById(id)).find((e) => e?.classList.contains('field-error'));
  return err && !err.hidden ? err.textContent : null;
}, sel);

test('number boxes never silently ignore a value: empty, not a number, beyond float64, x-from ≥ x-to, T ≤ 0', async () => {
  const page = await b.page(`${b.base}#f=Softplus`);
  const beta = '[data-param="beta"] input.num';
  const state = () => page.evaluate(() => structuredClone(window.ActivationLossLab.apps[0].state.act));
  // partial keystrokes of 1e400: 1e40 is taken, 1e400 is not (and says that 1e40 is in use)
  await page.fill(beta, '1e40');
  await page.waitForFunction(() => window.ActivationLossLab.apps[0].state.act.curves[0].params.beta === 1e40);
  await page.fill(beta, '1e400');
  await page.waitForFunction((s) => !document.querySelector(s).closest('.param-row').querySelector('.field-error').hidden, beta);
  // (Chromium's number box calls 1e400 bad input: its value reads '' while it still shows 1e400)
  assert.match(await messageFor(page, beta), /Not a finite float64 number.*beta = 1e\+40/);
  await page.fill(beta, '');
  assert.match(await messageFor(page, beta), /beta is empty.*beta = 1e\+40/);
  await page.fill(beta, '2');
  await page.waitForFunction(() => window.ActivationLossLab.apps[0].state.act.curves[0].params.beta === 2);
  assert.equal(await messageFor(page, beta), null, 'a good value clears the message');
  // x from 10 to 5: said beside the boxes, the graph keeps its range
  await page.fill('#x-min', '10');
  await page.press('#x-min', 'Enter');
  await page.fill('#x-max', '5');
  await page.press('#x-max', 'Enter');
  assert.match(await messageFor(page, '#x-min'), /"x from" must be less than "x to".*x from -5 to 5/);
  assert.deepEqual((await state()).x, [-5, 5]);
  await page.fill('#x-max', '12');
  await page.press('#x-max', 'Enter');
  await page.waitForFunction(() => window.ActivationLossLab.apps[0].state.act.x[1] === 12);
  assert.equal(await messageFor(page, '#x-min'), null);
  // Softplus with beta = 0 is inf everywhere: said, not a blank graph
  await page.fill(beta, '0');
  await page.waitForFunction(() => /not finite anywhere/.test(document.querySelector('.controls .field-error.general')?.textContent ?? ''));
  // an emptied integer box in the workbench
  await page.evaluate(() => { location.hash = '#tab=loss&loss=CrossEntropyLoss'; });
  const ii = '[data-param="ignore_index"] input.num';
  await page.waitForSelector(ii);
  await page.fill(ii, '');
  assert.match(await messageFor(page, ii), /ignore_index is empty.*ignore_index = -100/);
  // temperature 0 and −1
  await page.evaluate(() => { location.hash = '#vec=Softmax'; });
  await page.waitForSelector('#vec-t');
  for (const t of ['0', '-1', '']) {
    await page.fill('#vec-t', t);
    assert.match(await messageFor(page, '#vec-t') ?? '', /the bars still use T = 1/, `T = "${t}"`);
    assert.equal((await state()).vec.T, 1);
  }
  await page.fill('#vec-t', '2');
  assert.equal(await messageFor(page, '#vec-t'), null);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('switching functions resets what does not apply: Softmax with T = 2 and 3 entries, then GLU', async () => {
  const page = await b.page(`${b.base}#vec=Softmax&vx=[1.0,2.0,0.5]&T=2`);
  await page.waitForSelector('#vec-bars svg');
  await page.selectOption('#fn-picker', 'GLU');
  await page.waitForFunction(() => document.querySelector('.info-panel .info-title')?.textContent === 'GLU');
  const got = await page.evaluate(() => ({
    line: document.querySelector('.info-panel .torch-line').textContent,
    T: window.ActivationLossLab.apps[0].state.act.vec.T,
    stale: !!document.querySelector('.vector-host.stale'),
    error: [...document.querySelectorAll('.vector-host .field-error')].filter((e) => !e.hidden).map((e) => e.textContent),
    hash: location.hash,
  }));
  assert.equal(got.line, 'nn.GLU()');
  assert.equal(got.T, 1);
  assert.equal(got.stale, false, `GLU opens on an error: ${got.error}`);
  assert.doesNotMatch(got.hash, /T=/);
  // a vector with a typo is kept (and the error says so) rather than replaced
  await page.fill('#vec-x', '[1.0, 2.0,');
  await page.selectOption('#fn-picker', 'Softmin');
  await page.waitForFunction(() => document.querySelector('.info-panel .info-title')?.textContent === 'Softmin');
  assert.equal(await page.inputValue('#vec-x'), '[1.0, 2.0,');
  assert.equal(await page.locator('#vec-bars svg').count(), 0, 'no chart of another function under the error');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a malformed link says in one line what it ignored, and shows no control that does not apply', async () => {
  const page = await b.page(`${b.base}#f=ReLU:z&x=a,b`);
  const notice = await page.textContent('.link-notice');
  assert.match(notice, /:z/);
  assert.match(notice, /x=a,b/);
  assert.deepEqual(await page.evaluate(() => window.ActivationLossLab.apps[0].state.act.curves.map((c) => [c.name, c.f, c.d])), [['ReLU', true, true]]);
  const loss = await b.page(`${b.base}#loss=CrossEntropyLoss&a.input=[[1,`);
  await loss.waitForSelector('#arg-input-err:not([hidden])');
  assert.equal(await loss.inputValue('#arg-input'), '[[1,');
  for (const sel of ['#probe-select', '#probe-compare']) assert.equal(await loss.isVisible(sel), false, `${sel} shown with nothing to vary`);
  assert.match(await loss.textContent('.loss-curve'), /Drawn once the forward arguments give a result/);
  assert.deepEqual([...page.problems, ...loss.problems], []);
  await Promise.all([page.close(), loss.close()]);
});

test('a broadcast warning goes once the input it was about is gone (another target, valid or not)', async () => {
  const page = await b.page(`${b.base}#tab=loss&loss=MSELoss`);
  await page.waitForSelector('#loss-value');
  const warnings = () => page.evaluate(() => [...document.querySelectorAll('.wb-results .warning')].map((e) => e.textContent));
  await page.fill('#arg-target', '[[0.0], [2.0]]');
  await page.waitForFunction(() => document.querySelectorAll('.wb-results .warning').length === 1);
  await page.fill('#arg-target', '[0.0, 2.0, 1.0, 10.0, 3.0]');
  await page.waitForSelector('.workbench.stale');
  assert.deepEqual(await warnings(), [], 'the warning about [[0.0], [2.0]] stays beside an error about another target');
  await page.fill('#arg-target', '[0.0, 2.0, 1.0, 10.0]');
  await page.waitForSelector('.workbench:not(.stale)');
  assert.deepEqual(await warnings(), []);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('an integer slider offers only the values the lab takes here (PReLU: num_parameters 1 on a 1-D x)', async () => {
  const page = await b.page(`${b.base}#f=PReLU`);
  const row = '[data-param="num_parameters"]';
  await page.waitForSelector(row);
  const got = await page.evaluate((r) => {
    const el = document.querySelector(r);
    const lab = window.ActivationLossLab.apps[0].lab;
    const takes = [0, 1, 2, 3].filter((n) => { try { lab.activation('PReLU', { num_parameters: n }, [-1, 0.5]); return true; } catch { return false; } });
    return { slider: !!el.querySelector('input[type="range"]'), doc: el.querySelector('.param-doc').textContent, takes };
  }, row);
  assert.deepEqual(got.takes, [1], 'the lab takes only 1 for a 1-D input');
  assert.equal(got.slider, false, 'a slider over 0–3 where only 1 applies');
  assert.match(got.doc, /only 1 applies here \(the lab refuses 0, 2, 3 for this input\)/);
  assert.deepEqual(page.problems, []);
  await page.close();
});
