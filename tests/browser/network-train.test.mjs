// Browser tests of the Network tab's training playground (web/src/net-train*.js): a preset trains
// and its loss falls; the numbers after a few steps are the JS API's, computed here in Node with
// net.step one minibatch at a time (not the page's net.epoch path) and written the way the page
// writes them; every exported-script case of tests/reference/network_export.json, opened as a
// link, replays to the line PyTorch printed (losses within 1e-9), and the page's script is the
// one the generator ran; own points added by clicks and by CSV end up in the training (or test)
// set; a link restores the view and the step count; axe finds no serious or critical violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, open, root, dist, fileUrl, frames } from './browser.mjs';

let b;
let lab;
let build;
let pyG;
let accuracyText;
const REF = JSON.parse(readFileSync(join(root, 'tests/reference/network_export.json'), 'utf8'));
before(async () => {
  b = await launch();
  lab = await (await import(pathToFileURL(join(dist, 'lab.mjs')).href)).default();
  ({ build } = await import(pathToFileURL(join(root, 'tests/reference/generate_network_export.mjs')).href));
  ({ pyG, accuracyText } = await import(pathToFileURL(join(root, 'web/src/net-train-heads.js')).href));
});
after(async () => { await b?.close(); });

// The readout line and its full-precision values [step, train loss, train correct, test loss, test correct].
const readout = (page) => page.evaluate(() => {
  const r = document.querySelector('.nt-readout');
  return { text: r.textContent, exact: r.dataset.exact ? JSON.parse(r.dataset.exact) : null };
});
// Waits until the readout shows step `step` (a replayed link, or after clicks).
const atStep = (page, step) => page.waitForFunction((s) => {
  const e = document.querySelector('.nt-readout')?.dataset.exact;
  return e && JSON.parse(e)[0] === s;
}, step, { timeout: 60000 });
const openTrain = async (link) => {
  const page = await b.page(null);
  await open(page, `${b.base}#net=train${link ? `&${link}` : ''}`);
  await page.waitForSelector('.nt-readout[data-exact^="["]', { timeout: 60000 });
  return page;
};
const button = (page, text) => page.locator('.nt-toolbar button', { hasText: text });
const rel = (a, want) => Math.abs(a - want) / Math.max(Math.abs(want), 1e-300);

async function axe(page) {
  await page.addScriptTag({ path: join(root, 'node_modules/axe-core/axe.min.js') });
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

test('a preset trains: Play runs epochs, the loss falls, Pause measures the step reached', async () => {
  const page = await openTrain('');
  await page.selectOption('#nt-preset', { label: 'Spiral, three classes, ReLU, Adam' });
  await atStep(page, 0);
  const start = await readout(page);
  assert.match(start.text, /^step 0: train loss [\d.]+, train accuracy \d+\/150 \(\d+\.\d%\), test loss [\d.]+, test accuracy \d+\/150/);
  await button(page, 'Play').click();
  await page.waitForFunction(() => Number(/\d+/.exec(document.querySelector('.nt-steps').textContent)[0]) >= 300, null, { timeout: 60000 });
  await button(page, 'Pause').click();
  const end = await readout(page);
  const steps = Number(/\d+/.exec(await page.textContent('.nt-steps'))[0]);
  assert.equal(end.exact[0], steps, 'after Pause the readout is measured at the step reached');
  assert.ok(end.exact[1] < 0.8 * start.exact[1], `train loss ${end.exact[1]} did not fall from ${start.exact[1]}`);
  assert.ok(end.exact[2] > start.exact[2], 'more training points right');
  assert.match(await page.textContent('.nt-rate'), /^\d+ steps\/s$/);
  assert.match(await page.evaluate(() => location.hash), new RegExp(`steps=${steps}`));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the numbers shown after one-step and one-epoch clicks equal net.step through the JS API, step by step in Node', async () => {
  const link = 'data=moons(n=120,noise=0.3)&hidden=6,6&act=ELU&head=CrossEntropyLoss&opt=SGD(lr=0.1,momentum=0.9)&batch=8&seed=4';
  const page = await openTrain(link);
  for (let i = 0; i < 3; i++) await button(page, 'One step').click();
  await atStep(page, 3);
  await button(page, 'One epoch').click();
  await atStep(page, 8);  // 60 training points in batches of 8: an epoch is 8 steps
  await button(page, 'One epoch').click();
  await atStep(page, 16);
  const shown = await readout(page);

  const ds = lab.dataset({ name: 'moons', n: 120, noise: 0.3, trainRatio: 0.5, seed: 0 });
  const net = lab.network({ sizes: [2, 6, 6, 2], activation: 'ELU', seed: 4, loss: 'CrossEntropyLoss', optimizer: { name: 'SGD', params: { lr: 0.1, momentum: 0.9 } } });
  const rows = (t, r0, r1) => ({ shape: [r1 - r0, ...t.shape.slice(1)], data: t.data.slice(r0 * (t.shape[1] ?? 1), r1 * (t.shape[1] ?? 1)) });
  const n = ds.train.y.shape[0];
  for (let k = 0; k < 16; k++) {
    const b0 = (k % Math.ceil(n / 8)) * 8;
    net.step({ input: rows(ds.train.x, b0, Math.min(n, b0 + 8)), target: rows(ds.train.y, b0, Math.min(n, b0 + 8)) });
  }
  const correct = (set) => {
    const out = net.predict(set.x);
    let c = 0;
    for (let i = 0; i < set.y.shape[0]; i++) c += (out[2 * i + 1] > out[2 * i] ? 1 : 0) === set.y.data[i] ? 1 : 0;
    return c;
  };
  const testLoss = net.gradients({ input: ds.test.x, target: ds.test.y }).loss;
  const trainLoss = net.gradients({ input: ds.train.x, target: ds.train.y }).loss;
  const want = [16, trainLoss, correct(ds.train), testLoss, correct(ds.test)];
  net.delete();
  assert.deepEqual(shown.exact, want, 'bit for bit: the same engine in Chromium and in Node');
  assert.equal(shown.text, `step 16: train loss ${pyG(trainLoss)}, train accuracy ${want[2]}/60 (${accuracyText(want[2], 60)}), test loss ${pyG(testLoss)}, test accuracy ${want[4]}/60 (${accuracyText(want[4], 60)})`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test(`every exported-script case replays, as a link, to the line PyTorch printed (${REF.cases.length} links); the page's script is the generator's`, async () => {
  for (const [i, c] of REF.cases.entries()) {
    const page = await openTrain(c.link);
    const steps = Number(/steps=(\d+)/.exec(c.link)[1]);
    await atStep(page, steps);
    const shown = await readout(page);
    assert.equal(shown.text, c.printed[c.printed.length - 1], c.link);
    const want = c.exact[c.exact.length - 1];
    const got = shown.exact.filter((v) => v !== null);
    assert.equal(got.length, want.length, c.link);
    got.forEach((v, j) => {
      const count = j === 0 || (got.length === 5 && (j === 2 || j === 4));  // the step and correct counts: equal
      assert.ok(count ? v === want[j] : rel(v, want[j]) <= 1e-9, `${c.link}: value ${j} ${v} vs PyTorch ${want[j]}`);
    });
    if (i % 5 === 0) {  // the script the page offers is the one the generator ran
      await page.click('.nt-export summary');
      // the script is written when the details' toggle event fires, which comes after the click
      await page.waitForFunction(() => document.querySelector('.nt-script').textContent !== '');
      const text = await page.textContent('.nt-script');
      assert.equal(text, (await build(lab, c.link)).script, c.link);
    }
    assert.deepEqual(page.problems, [], c.link);
    await page.close();
  }
});

test('own points: a click adds one to the chosen set, right-click deletes, CSV replaces them (errors name line and column)', async () => {
  const pts = '1.5,-2,0;0.5,1,1;-1,-1.25,0;2,2,1;-2.5,1,1;0.25,-0.75,0,t';
  const page = await openTrain(`data=own&pts=${pts}&hidden=4`);
  assert.match((await readout(page)).text, /train accuracy \d+\/5 .*test accuracy \d+\/1 /);
  const box = await page.locator('.nt-boundary').boundingBox();
  // the plot area is inset 40 px left, 8 right, 8 top, 28 bottom; own points within ±6 show [-6, 6]²
  const at = (x, y) => [box.x + 40 + ((x + 6) / 12) * (box.width - 48), box.y + 8 + ((6 - y) / 12) * (box.height - 36)];
  await page.mouse.click(...at(0, 0));
  await page.waitForFunction(() => /\/6 /.test(document.querySelector('.nt-readout').textContent));
  let csv = await page.inputValue('.nt-csv');
  assert.match(csv.split('\n').pop(), /^-?0(\.0\d)?,-?0(\.0\d)?,0,train$/, 'class 0 into the training set by default');
  assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), /pts=[^&]*;-?0(\.0\d)?,-?0(\.0\d)?,0(&|$)/, 'the link holds the new point');
  // class 1 into the test set
  await page.selectOption('.nt-own select >> nth=1', '1');
  await page.selectOption('.nt-own select >> nth=2', 'test');
  await page.mouse.click(...at(3, -3));
  await page.waitForFunction(() => /test accuracy \d+\/2 /.test(document.querySelector('.nt-readout').textContent));
  csv = await page.inputValue('.nt-csv');
  assert.match(csv.split('\n').pop(), /^3(\.0\d)?,-3(\.0\d)?,1,test$|^2\.9\d,-2\.9\d,1,test$|^3(\.0\d)?,-2\.9\d,1,test$|^2\.9\d,-3(\.0\d)?,1,test$/);
  // right-click on the first point (1.5, -2) deletes it
  await page.mouse.click(...at(1.5, -2), { button: 'right' });
  await page.waitForFunction(() => /train accuracy \d+\/5 /.test(document.querySelector('.nt-readout').textContent));
  // CSV: a mistake is named; a good text replaces the points (here 1-D: regression)
  await page.fill('.nt-csv', 'x1,x2,class\n1,2,0\n3,abc,1');
  await page.click('.nt-own button:has-text("Use these points")');
  assert.equal(await page.textContent('.nt-own .field-error'), "line 3, column 2: 'abc' is not a number");
  await page.fill('.nt-csv', 'x,y\n-1,0.5\n-0.5,0.1\n0,-0.2\n0.5,0.3,train\n1,0.9\n0.75,0.6,test\n');
  await page.click('.nt-own button:has-text("Use these points")');
  await page.waitForFunction(() => /^step 0: train loss [\d.e-]+, test loss [\d.e-]+$/.test(document.querySelector('.nt-readout').textContent));
  assert.equal(await page.locator('.nt-own .field-error').isHidden(), true);
  assert.equal(await page.inputValue('.nt-group:has(legend:text("Output head and loss")) select'), 'MSELoss');
  const hash = decodeURIComponent(await page.evaluate(() => location.hash));
  assert.match(hash, /pts=-1,0\.5;-0\.5,0\.1;0,-0\.2;0\.5,0\.3;1,0\.9;0\.75,0\.6,t/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a link restores the view and the step count: the same numbers after a reload', async () => {
  const page = await openTrain('data=xor(n=100,noise=0.2)&hidden=5&act=Softsign&head=SoftMarginLoss&opt=RMSprop(lr=0.01)&batch=6');
  for (let i = 0; i < 3; i++) await button(page, 'One epoch').click();
  await button(page, 'One step').click();
  const steps = 3 * Math.ceil(50 / 6) + 1;
  await atStep(page, steps);
  const before = await readout(page);
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, new RegExp(`steps=${steps}(&|$)`));
  const again = await b.page(null);
  await open(again, `${b.base}${hash}`);
  await atStep(again, steps);
  assert.deepEqual(await readout(again), before);
  assert.equal(await again.inputValue('.nt-group:has(legend:text("Network")) select >> nth=0'), 'Softsign');
  assert.equal(await again.inputValue('.nt-group:has(legend:text("Network")) input[type="text"]'), '5');
  assert.deepEqual([...page.problems, ...again.problems], []);
  await page.close();
  await again.close();
});

test('Compare: B trains beside A on the same data and seed, each lane exactly as it would alone; a hand-edited link is taken over', async () => {
  const alone = async (link) => {
    const p = await openTrain(link);
    const r = await readout(p);
    await p.close();
    return r.text;
  };
  const a = await alone('data=xor(n=120)&hidden=6&act=Tanh&steps=24');
  const bAlone = await alone('data=xor(n=120)&hidden=6&act=ReLU&opt=Adam(lr=0.01)&batch=12&steps=20');
  const page = await openTrain('data=xor(n=120)&hidden=6&act=Tanh&steps=24&cmp=1&b.act=ReLU&b.opt=Adam(lr=0.01)&b.batch=12&b.steps=20');
  await page.waitForFunction(() => document.querySelectorAll('.nt-readout').length === 2 && document.querySelector('.nt-readout-b').dataset.exact);
  const [ra, rb] = await page.$$eval('.nt-readout', (els) => els.map((e) => e.textContent));
  assert.equal(ra, `A: ${a}`);
  assert.equal(rb, `B: ${bAlone}`);
  assert.equal(await page.locator('.nt-pictures canvas').count(), 2);
  // B's settings: its own activation; data and seed are A's (hidden there)
  await page.click('.nt-lanetabs button:has-text("Settings of B")');
  assert.equal(await page.locator('.nt-settings .nt-group:visible legend:text("Data")').count(), 0);
  await page.click('.nt-presets button:has-text("Stop comparing")');
  await page.waitForFunction(() => document.querySelectorAll('.nt-readout').length === 1);
  assert.doesNotMatch(await page.evaluate(() => location.hash), /cmp=/);
  await page.click('.nt-presets button:has-text("Compare…")');
  await page.waitForFunction(() => document.querySelectorAll('.nt-readout').length === 2);
  assert.match(await page.evaluate(() => location.hash), /cmp=1/);
  // a link edited by hand (no reload): the view takes it over and replays its steps
  await page.evaluate(() => { location.hash = '#net=train&data=moons(n=80)&hidden=3&steps=16'; });
  await page.waitForFunction(() => document.querySelectorAll('.nt-readout').length === 1 && /^step 16: /.test(document.querySelector('.nt-readout').textContent));
  assert.equal((await readout(page)).text, await alone('data=moons(n=80)&hidden=3&steps=16'));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a value the lab refuses is said in its group, in PyTorch\'s words, and the run goes on once it is fixed', async () => {
  const page = await openTrain('hidden=4&steps=13');
  const opt = page.locator('.nt-group:has(legend:text("Optimiser"))');
  const lr = opt.locator('[data-param="lr"] input[type="number"]');
  await lr.fill('-1');
  await opt.locator('.field-error:visible').first().waitFor();
  assert.equal(await opt.locator('.field-error:visible').first().textContent(), 'optimizer: Invalid learning rate: -1.0');
  await lr.fill('0.2');
  await page.waitForFunction(() => ![...document.querySelectorAll('.nt-settings .field-error')].some((e) => !e.hidden));
  await button(page, 'One step').click();
  await atStep(page, 14);  // the weights were kept: step 13 + 1
  assert.match(await page.textContent('.nt-note'), /settings changed at step 13/);
  // the page's own check of a field, beside it
  const net = page.locator('.nt-group:has(legend:text("Network"))');
  await net.locator('input[type="text"]').fill('8, abc');
  await net.locator('input[type="text"]').press('Tab');
  assert.match(await net.locator('.field-error:visible').first().textContent(), /^hidden layers: up to 16 widths, whole numbers from 1 to 512/);
  // an activation the lab does not know, from a link: its message, and no network until it is fixed
  const bad = await b.page(null);
  await open(bad, `${b.base}#net=train&act=Relu`);
  await bad.waitForSelector('.nt-group .field-error:not([hidden])');
  assert.match(await bad.textContent('.nt-group .field-error:not([hidden])'), /^activation: unknown function 'Relu'; did you mean 'ReLU'\?/);
  await bad.selectOption('.nt-group:has(legend:text("Network")) select >> nth=0', 'ReLU');
  await bad.waitForSelector('.nt-readout[data-exact^="["]');
  assert.deepEqual([...page.problems, ...bad.problems], []);
  await page.close();
  await bad.close();
});

test('embed=network with a course page\'s lock (edit=lr) and title: only the learning rate changes; Play and the picture work, points stay', async () => {
  const page = await b.page(null);
  await open(page, `${b.base}#embed=network&data=own&pts=1,1,0;-1,-1,1;2,-2,0;-2,2,1&hidden=3&edit=lr&title=Pick%20a%20learning%20rate`);
  await page.waitForSelector('.nt-readout[data-exact^="["]', { timeout: 60000 });
  assert.match(await page.textContent('body'), /Pick a learning rate/);
  const locked = await page.evaluate(() => ({
    hidden: document.querySelector('[data-field="hidden"] input').readOnly,
    act: document.querySelector('[data-field="act"] select').disabled,
    opt: document.querySelector('[data-field="opt"] select').disabled,
    csv: document.querySelector('[data-field="points"] textarea').readOnly,
    lr: document.querySelector('[data-param="lr"] input[type="number"]').readOnly,
    play: document.querySelector('.nt-play').disabled,
  }));
  assert.deepEqual(locked, { hidden: true, act: true, opt: true, csv: true, lr: false, play: false });
  const box = await page.locator('.nt-boundary').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await frames(page);  // (the picture's pointer listener adds a point at once, or not at all)
  assert.match((await readout(page)).text, /train accuracy \d+\/4 /, 'a click adds no point while points are locked');
  await page.fill('[data-param="lr"] input[type="number"]', '0.5');
  await button(page, 'One epoch').click();
  await atStep(page, 1);
  assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), /opt=SGD\(lr=0\.5\)/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

// Every control of the settings, with the lock name teach.js reads for it (its own data-field, else
// its parameter row's name) and whether it is locked; `none` for a control that has no name.
const lockMap = (page) => page.evaluate(() => [...document.querySelectorAll('.nt-group input, .nt-group select, .nt-group textarea, .nt-group button')]
  .filter((el) => !el.closest('[hidden]'))
  .map((el) => ({
    field: el.closest('[data-field]')?.dataset.field ?? el.closest('[data-param]')?.dataset.param ?? 'none',
    label: el.labels?.[0]?.textContent?.trim() ?? el.getAttribute('aria-label') ?? el.textContent.trim(),
    locked: !!(el.disabled || el.readOnly),
  })));

test('edit= locks exactly what it names: every settings control has a name, a parameter row is its parameter\'s (edit=alpha,opt)', async () => {
  const page = await b.page(null);
  await open(page, `${b.base}#embed=network&act=ELU(alpha=0.5)&opt=Adam&edit=alpha,opt`);
  await page.waitForSelector('.nt-readout[data-exact^="["]', { timeout: 60000 });
  await page.waitForSelector('[data-param="alpha"] input[type="number"]');
  const controls = await lockMap(page);
  // the one control without a lock name: a preference of the view, not part of the link's state
  const unnamed = controls.filter((c) => c.field === 'none').map((c) => c.label);
  assert.deepEqual(unnamed, ['reset the weights when a setting changes']);
  for (const c of controls) {
    if (c.field === 'none') continue;
    assert.equal(c.locked, !['alpha', 'opt'].includes(c.field), `${c.field}: ${c.label}`);
  }
  const fields = new Set(controls.map((c) => c.field));
  for (const f of ['data', 'hidden', 'act', 'alpha', 'bias', 'init', 'seed', 'head', 'reduction', 'opt', 'lr', 'beta1', 'beta2', 'batch']) assert.ok(fields.has(f), `a control named ${f}`);
  // the unlocked ones work: alpha changes the run and the link
  await page.fill('[data-param="alpha"] input[type="number"]', '0.25');
  await page.locator('[data-param="alpha"] input[type="number"]').press('Enter');
  await page.waitForFunction(() => /act=ELU%28alpha%3D0\.25%29|act=ELU\(alpha=0\.25\)/.test(location.hash));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a training link with a formula that does not parse: its message once, under the field with the caret, the text kept', async () => {
  const bad = 'x*sigmod(x)';
  const page = await b.page(`${b.base}#net=train&act=formula&actx=${encodeURIComponent(bad)}`);
  await page.waitForSelector('.net-formula-error:not([hidden])');
  await frames(page);
  const shown = await page.evaluate(() => [...document.querySelectorAll('[role=alert], .field-error, .banner-error')]
    .filter((e) => !e.hidden && e.offsetParent && /sigmod/.test(e.textContent)).map((e) => e.className));
  assert.deepEqual(shown, ['field-error net-formula-error'], 'the message is shown once, by the field');
  assert.equal(await page.textContent('.net-formula-caret'), lab.formula(bad).error.caret);
  assert.equal(await page.inputValue('.net-formula-text'), bad);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('"Your formula" as the activation: its field and parameter rows, a caret under a mistake (text kept, last good run kept), the link, and the script', async () => {
  const text = 'x*sigmoid(a*x)';
  const page = await openTrain(`data=moons(noise=0.2)&hidden=6&act=formula(a=1.5)&actx=${encodeURIComponent(text)}&head=CrossEntropyLoss&opt=Adam(lr=0.02)&steps=20`);
  await atStep(page, 20);
  assert.equal(await page.inputValue('.net-formula-text'), text);
  assert.equal(await page.inputValue('.nt-group [data-param="a"] input[type="number"]'), '1.5');
  assert.equal(await page.inputValue('[data-field="act"] select'), 'formula');
  // the numbers: the same run through the JS API, the activation given as {formula, params}
  const ds = lab.dataset({ name: 'moons', n: 250, noise: 0.2, trainRatio: 0.5, seed: 0 });
  const net = lab.network({ sizes: [2, 6, 2], activation: { formula: text, params: { a: 1.5 } }, seed: 0, loss: 'CrossEntropyLoss', optimizer: { name: 'Adam', params: { lr: 0.02 } } });
  const rows = (t, r0, r1) => ({ shape: [r1 - r0, ...t.shape.slice(1)], data: t.data.slice(r0 * (t.shape[1] ?? 1), r1 * (t.shape[1] ?? 1)) });
  const n = ds.train.y.shape[0];
  for (let k = 0; k < 20; k++) {
    const b0 = (k % Math.ceil(n / 10)) * 10;
    net.step({ input: rows(ds.train.x, b0, Math.min(n, b0 + 10)), target: rows(ds.train.y, b0, Math.min(n, b0 + 10)) });
  }
  net.gradients({ input: ds.test.x, target: ds.test.y });
  const { loss } = net.gradients({ input: ds.train.x, target: ds.train.y });
  net.delete();
  assert.equal((await readout(page)).exact[1], loss);
  // a mistake: the message and the caret the engine gives, the text kept, the run unchanged
  const bad = 'x*sigmod(a*x)';
  await page.fill('.net-formula-text', bad);
  await page.waitForSelector('.net-formula-error:not([hidden])');
  const d = lab.formula(bad);
  assert.equal(await page.textContent('.net-formula-caret'), d.error.caret);
  assert.match(await page.textContent('.net-formula-msg'), new RegExp(`column ${d.error.column}`));
  assert.equal(await page.inputValue('.net-formula-text'), bad);
  assert.equal((await readout(page)).exact[1], loss);
  assert.deepEqual(await axe(page), [], 'the field, its error and its rows are labelled');
  // a good one again: in the link, and the exported script defines it as a module
  await page.fill('.net-formula-text', 'tanh(a*x)');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('actx=tanh(a*x)'));
  await page.click('.nt-export summary');
  await page.waitForFunction(() => /MyActivation\(\)/.test(document.querySelector('.nt-script').textContent));
  const script = await page.textContent('.nt-script');
  assert.match(script, /^class MyActivation\(nn\.Module\):$/m);
  assert.match(script, /nn\.Linear\(2, 6\),\n {4}MyActivation\(\),\n {4}nn\.Linear\(6, 2\)/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('every tick label of the picture and the live charts names its position (the loss and gradient charts\' decades too)', async () => {
  for (const link of ['data=spiral(n=200,classes=3)&hidden=8,8&act=ReLU&head=CrossEntropyLoss&opt=Adam(lr=0.01)&steps=30', 'data=sine(n=60)&hidden=8&steps=25']) {
    const page = await openTrain(link);
    await atStep(page, Number(/steps=(\d+)/.exec(link)[1]));
    // (regression has no accuracy chart)
    const ticks = await page.evaluate((charts) => {
      const v = window.ActivationLossLab.apps[0].netTab.views.train;
      const out = { picture: { log: false, ...v.lanes[0].canvas.ticks } };
      for (const k of charts) out[k] = { log: !!v.charts[k].opts.log, ...v.charts[k].ticks };
      return out;
    }, link.includes('sine') ? ['loss', 'grad'] : ['loss', 'acc', 'grad']);
    for (const [name, t] of Object.entries(ticks)) {
      assert.ok(t.x.length >= 2 && t.y.length >= 2, `${link}: ${name} has ticks`);
      for (const axis of ['x', 'y']) {
        for (const { value, label } of t[axis]) {
          assert.ok(Math.abs(Number(label) - value) <= 1e-9 * Math.max(1, Math.abs(value)), `${link}: ${name} ${axis}: '${label}' at ${value}`);
        }
      }
    }
    await page.close();
  }
});

test('SIREN in the playground: the init\'s w0 row shows the w0 the engine uses (the Sine activation\'s) and follows it', async () => {
  const page = await openTrain('data=chirp(n=60)&hidden=8&act=Sine(w0=10)&init=siren&head=MSELoss&opt=Adam(lr=0.001)');
  const initW0 = '[data-field="init"] [data-param="w0"] input[type="number"]';
  assert.equal(await page.inputValue(initW0), '10');
  await page.fill('[data-field="act"] ~ .nt-params [data-param="w0"] input[type="number"]', '20');
  await page.locator('[data-field="act"] ~ .nt-params [data-param="w0"] input[type="number"]').press('Enter');
  await page.waitForFunction((sel) => document.querySelector(sel).value === '20', initW0);
  // the link stores no init w0 (the engine takes the activation's), and the run is siren(w0=20)'s
  assert.doesNotMatch(decodeURIComponent(await page.evaluate(() => location.hash)), /init=siren\(w0/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('exports: the weights are the trained ones (bit for bit with the same run in Node), the history ends at the readout, the pictures are PNG', async () => {
  const link = 'data=gaussians(n=60,classes=3)&hidden=4&act=SiLU&head=NLLLoss&opt=RMSprop(lr=0.02)&batch=7&steps=13';
  const page = await openTrain(link);
  const file = async (text) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`.nt-main button:has-text("${text}")`)]);
    return readFileSync(await dl.path());
  };
  const weights = JSON.parse(await file('Weights (JSON)'));
  const { TrainingRun } = await import(pathToFileURL(join(root, 'web/src/net-train-run.js')).href);
  const { st, data, head } = await build(lab, link);
  const run = new TrainingRun(lab);
  run.configure({ data, head, hidden: st.hidden, act: st.act, init: st.init, lossParams: st.head.params, opt: st.opt, bias: st.bias, seed: st.seed, batch: st.batch });
  run.train(13);
  assert.equal(weights.step, 13);
  assert.deepEqual(weights.sizes, [2, 4, 3]);
  assert.deepEqual(weights.output, { name: 'LogSoftmax', params: { dim: 1 } });
  assert.deepEqual(weights.layers, run.net.parameters());
  run.delete();
  const rows = (await file('History (CSV)')).toString().trim().split('\n');
  assert.equal(rows[0], 'step,train_loss,train_correct,train_total,test_loss,test_correct,test_total');
  const exact = (await readout(page)).exact;
  assert.deepEqual(rows[rows.length - 1].split(',').map(Number), [exact[0], exact[1], exact[2], 30, exact[3], exact[4], 30]);
  for (const text of ['Picture (PNG)', 'Loss chart (PNG)', 'Gradient chart (PNG)']) {
    assert.deepEqual([...(await file(text)).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], text);
  }
  const pts = (await file('Points (CSV)')).toString().trim().split('\n');
  assert.equal(pts.length, 61);
  assert.equal(pts[0], 'x1,x2,class,set');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('own points: a drag moves a point (rounded to 0.01); on 1-D data a click adds an (x, y) pair to the regression set', async () => {
  const page = await openTrain('data=own&pts=1,1,0;-1,-1,1;2,-2,0;-2,2,1&hidden=3');
  const box = await page.locator('.nt-boundary').boundingBox();
  const at = (x, y) => [box.x + 40 + ((x + 6) / 12) * (box.width - 48), box.y + 8 + ((6 - y) / 12) * (box.height - 36)];
  await page.mouse.move(...at(1, 1));
  await page.mouse.down();
  await page.mouse.move(...at(2, 3), { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => !/^1,1,0,/m.test(document.querySelector('.nt-csv').value));
  const moved = (await page.inputValue('.nt-csv')).split('\n')[1].split(',');
  assert.ok(Math.abs(Number(moved[0]) - 2) <= 0.06 && Math.abs(Number(moved[1]) - 3) <= 0.06, `moved to ${moved}`);
  assert.deepEqual(moved.slice(2), ['0', 'train']);
  assert.ok(moved.slice(0, 2).every((v) => Math.abs(Number(v) * 100 - Math.round(Number(v) * 100)) < 1e-9), 'rounded to 0.01');
  assert.match((await readout(page)).text, /train accuracy \d+\/4 /);
  // 1-D points: the picture is the fitted curve over x; a click adds (x, y)
  await page.fill('.nt-csv', 'x,y\n-0.8,0.2\n-0.2,-0.4\n0.4,0.5\n0.9,-0.1\n');
  await page.click('.nt-own button:has-text("Use these points")');
  await page.waitForFunction(() => /^step 0: train loss [\d.e-]+$/.test(document.querySelector('.nt-readout').textContent));
  const b2 = await page.locator('.nt-boundary').boundingBox();
  await page.mouse.click(b2.x + 40 + (b2.width - 48) / 2, b2.y + 8 + (b2.height - 36) / 2);
  await page.waitForFunction(() => document.querySelector('.nt-csv').value.trim().split('\n').length === 6);
  const added = (await page.inputValue('.nt-csv')).trim().split('\n').pop().split(',');
  assert.equal(added.length, 3);
  assert.equal(added[2], 'train');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('own points: a CSV text not applied is kept over a click, a drag, a delete, Clear, a hand-edited link and "Edit these points", with its message and a note; fixed, it applies', async () => {
  const page = await openTrain('data=own&pts=1,1,0;-1,-1,1;2,-2,0;-2,2,1&hidden=3');
  // the picture where it is now (typing in the box scrolls the page)
  const at = async (x, y) => {
    await page.locator('.nt-boundary').scrollIntoViewIfNeeded();
    const box = await page.locator('.nt-boundary').boundingBox();
    return [box.x + 40 + ((x + 6) / 12) * (box.width - 48), box.y + 8 + ((6 - y) / 12) * (box.height - 36)];
  };
  const bad = 'x1,x2,class\n1,1,0\n-1,-1,1\n3,abc,1';
  const err = "line 4, column 2: 'abc' is not a number";
  const note = page.locator('.nt-own .nt-csv-note');
  const kept = async (what) => {
    assert.equal(await page.inputValue('.nt-csv'), bad, `${what}: the text is kept`);
    assert.equal(await page.textContent('.nt-own .field-error'), err, `${what}: its message is kept`);
    assert.equal(await note.isVisible(), true, `${what}: the note says the text is not applied`);
  };
  await page.fill('.nt-csv', bad);
  await page.click('.nt-own button:has-text("Use these points")');
  assert.equal(await page.textContent('.nt-own .field-error'), err);
  assert.equal(await note.isVisible(), false, 'no note before the points change');
  // a click on the picture still adds its point
  await page.mouse.click(...await at(0, 3));
  await page.waitForFunction(() => /train accuracy \d+\/5 /.test(document.querySelector('.nt-readout').textContent));
  await kept('a click');
  assert.match(await note.textContent(), /^Not applied: /);
  assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), /pts=1,1,0;-1,-1,1;2,-2,0;-2,2,1;-?0(\.0\d)?,[23]\.9\d|3(\.0\d)?,0(&|$)/, 'the link holds the new point');
  // a drag, a right-click delete, Clear: the same
  await page.mouse.move(...await at(2, -2));
  await page.mouse.down();
  await page.mouse.move(...await at(3, -4), { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => !/;2,-2,0;/.test(decodeURIComponent(location.hash)));
  await kept('a drag');
  await page.mouse.click(...await at(-2, 2), { button: 'right' });
  await page.waitForFunction(() => /train accuracy \d+\/4 /.test(document.querySelector('.nt-readout').textContent));
  await kept('a delete');
  await page.click('.nt-own button:has-text("Clear all points")');
  await kept('Clear');
  // a link edited by hand (the view adopts it), and another data set's points taken as own
  await page.evaluate(() => { location.hash = '#net=train&data=own&pts=1,1,0;-1,-1,1;2,2,1&hidden=3'; });
  await page.waitForFunction(() => /train accuracy \d+\/3 /.test(document.querySelector('.nt-readout').textContent));
  await kept('a hand-edited link');
  await page.selectOption('.nt-group:has(legend:text("Data")) select >> nth=0', 'moons');
  await page.waitForFunction(() => /data=moons/.test(location.hash));
  await page.click('button:has-text("Edit these points")');
  await page.waitForFunction(() => /data=own/.test(location.hash));
  await kept('“Edit these points”');
  // the text fixed and applied: its points, the message and the note gone
  await page.fill('.nt-csv', bad.replace('abc', '-3'));
  assert.equal(await note.isVisible(), true, 'still not applied while typed');
  await page.click('.nt-own button:has-text("Use these points")');
  await page.waitForFunction(() => /train accuracy \d+\/3 /.test(document.querySelector('.nt-readout').textContent));
  assert.equal(await page.locator('.nt-own .field-error').isHidden(), true);
  assert.equal(await note.isVisible(), false);
  assert.equal(await page.inputValue('.nt-csv'), 'x1,x2,class,set\n1,1,0,train\n-1,-1,1,train\n3,-3,1,train');
  assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), /pts=1,1,0;-1,-1,1;3,-3,1(&|$)/);
  // with no draft the box follows the picture; a new draft can be discarded for the points in use
  await page.mouse.click(...await at(0, -4));
  await page.waitForFunction(() => document.querySelector('.nt-csv').value.split('\n').length === 5);
  await page.fill('.nt-csv', 'x1,x2,class\n9,9,0');
  await page.mouse.click(...await at(-4, 0));
  await page.waitForFunction(() => /train accuracy \d+\/5 /.test(document.querySelector('.nt-readout').textContent));
  assert.equal(await page.inputValue('.nt-csv'), 'x1,x2,class\n9,9,0', 'a text with no mistake, not applied, is kept too');
  await page.click('.nt-own button:has-text("Discard the text")');
  assert.equal((await page.inputValue('.nt-csv')).split('\n').length, 6, 'Discard shows the 5 points in use');
  assert.equal(await note.isVisible(), false);
  await page.click('.nt-own button:has-text("Clear all points")');
  assert.equal(await page.inputValue('.nt-csv'), 'x1,x2,class,set', 'Clear with no draft: the box has no points either');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('own points from the keyboard: arrows move the cross on the focused picture, Enter adds a point, Delete removes the nearest', async () => {
  const page = await openTrain('data=own&pts=1,1,0;-1,-1,1;2,-2,0;-2,2,1&hidden=3');
  await page.focus('.nt-boundary');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');  // 5 × 2 % of the 12 wide view
  await page.keyboard.press('Shift+ArrowUp');  // 10 % of 12
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('.nt-csv').value.trim().split('\n').length === 6);
  assert.equal((await page.inputValue('.nt-csv')).trim().split('\n').pop(), '1.2,1.2,0,train');
  assert.match(await page.getAttribute('.nt-boundary', 'aria-label'), /cross at \(1\.2, 1\.2\)/);
  await page.keyboard.press('Delete');  // the nearest point is the new one
  await page.waitForFunction(() => document.querySelector('.nt-csv').value.trim().split('\n').length === 5);
  assert.equal((await page.inputValue('.nt-csv')).trim().split('\n').pop(), '-2,2,1,train');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('axe: no serious or critical violation, light and dark; the view also opens from file://', async () => {
  for (const theme of ['light', 'dark']) {
    // dark: with Compare on (two pictures, the lane switch)
    const page = await openTrain(`theme=${theme}&data=spiral(classes=3)&head=CrossEntropyLoss&steps=26${theme === 'dark' ? '&cmp=1&b.act=ReLU' : ''}`);
    await page.click('.nt-export summary');
    assert.deepEqual(await axe(page), [], theme);
    await page.close();
  }
  const page = await b.page(null);
  await open(page, `${fileUrl}#net=train&steps=13`);
  await atStep(page, 13);
  assert.deepEqual(page.problems, []);
  await page.close();
});
