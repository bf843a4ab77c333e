// Browser tests of the vector view with a small batch: a 2-D literal runs the function along the
// chosen dim; what the page SHOWS (the batch table's x and y per row, the bars' table and the
// Jacobian of the chosen slice) is read back and checked against the API (lab.activation on the
// same input): each cell's title is the exact value, its text that value to its printed digits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, frames } from './browser.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); });

const X = [[1, 2, 0.5], [0.1, 0.2, 3]];

// A printed number agrees with the value to the digits it shows (half a unit of its last digit).
function printedOk(text, value) {
  if (!Number.isFinite(value)) return text === String(value) || text.includes(value > 0 ? '∞' : '-∞') || text === 'NaN';
  const t = text.replace('−', '-');
  const m = /^(-?\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(t);
  if (!m) return false;
  const decimals = (m[2] ?? '').length;
  const exp = Number(m[3] ?? 0);
  return Math.abs(Number(t) - value) <= 0.5 * 10 ** (exp - decimals) * (1 + 1e-9);
}

// What the page shows: the batch table by row, the bars' x/y table and the Jacobian cells.
const shown = (page) => page.evaluate(() => {
  const cells = (tr) => Array.from(tr.querySelectorAll('td')).filter((td) => td.title !== '').map((td) => ({ title: td.title, text: td.textContent }));
  const batch = Array.from(document.querySelectorAll('#vec-batch-table tbody tr')).map((tr) => ({ row: Number(tr.dataset.row), of: tr.dataset.of, cells: cells(tr) }));
  const barRows = Array.from(document.querySelectorAll('#vec-bars .vec-table tr')).map(cells);
  const jac = Array.from(document.querySelectorAll('#jacobian tbody tr')).map(cells);
  const slice = document.querySelector('#vec-slice');
  return {
    batch, barRows, jac,
    sliceHidden: slice.closest('.param-row').hidden,
    slices: Array.from(slice.options).map((o) => o.textContent),
    jacTitle: Array.from(document.querySelectorAll('.sub-title')).map((e) => e.textContent).find((t) => t.startsWith('Jacobian')),
  };
});

const api = (page, name, params, x) => page.evaluate(([n, p, v]) => {
  const r = window.ActivationLossLab.apps[0].lab.activation(n, p, v);
  return { y: r.y, jacobian: r.jacobian, dim: r.dim };
}, [name, params, x]);

function checkCells(where, cells, values) {
  assert.equal(cells.length, values.length, `${where}: ${cells.length} cells shown for ${values.length} values`);
  cells.forEach((c, j) => {
    // (a title is String(v): -0 reads "0", as the page shows it)
    const same = Number(c.title) === values[j] || (Number.isNaN(values[j]) && c.title === 'NaN');
    assert.ok(same, `${where}[${j}]: title ${c.title} is not ${values[j]}`);
    assert.ok(printedOk(c.text, values[j]), `${where}[${j}]: "${c.text}" does not read ${values[j]}`);
  });
}

async function selectDim(page, dim) {
  await page.selectOption('[data-param="dim"] select', String(dim));
}

test('a 2-D batch: y per row, and the bars and Jacobian of the chosen slice, as the API computes them', async () => {
  const page = await b.page(`${b.base}#vec=Softmax(dim=1)&vx=${encodeURIComponent(JSON.stringify(X))}`);
  await page.waitForSelector('#vec-batch-table');
  const r = await api(page, 'Softmax', { dim: 1 }, X);
  assert.equal(r.dim, 1);
  let s = await shown(page);
  assert.equal(s.sliceHidden, false);
  assert.deepEqual(s.slices, ['row 0', 'row 1']);
  // the dim select offers the batch's dims, -2 .. 1
  const dims = await page.$$eval('[data-param="dim"] select option', (os) => os.map((o) => o.value));
  assert.deepEqual(dims, ['None', '-2', '-1', '0', '1']);
  for (const { row, of, cells } of s.batch) checkCells(`${of}[${row}]`, cells, of === 'x' ? X[row] : r.y[row]);
  assert.equal(s.batch.length, 4);
  // the chosen slice (row 1): bars' table and Jacobian block jacobian[1]
  await page.selectOption('#vec-slice', '1');
  await page.waitForFunction(() => document.querySelector('.jacobian-wrap')?.previousElementSibling?.textContent.includes('row 1'));
  s = await shown(page);
  checkCells('bars x', s.barRows[0], X[1]);
  checkCells('bars y', s.barRows[1], r.y[1]);
  assert.match(s.jacTitle, /of row 1/);
  assert.equal(s.jac.length, 3);
  s.jac.forEach((cells, i) => checkCells(`J[1][${i}]`, cells, r.jacobian[1][i]));

  // dim 0: columns are the slices; column 2's Jacobian is 2 x 2
  await selectDim(page, 0);
  await page.waitForFunction(() => document.querySelector('#vec-slice').options[0]?.textContent === 'column 0');
  await page.selectOption('#vec-slice', '2');
  await page.waitForFunction(() => document.querySelector('.jacobian-wrap')?.previousElementSibling?.textContent.includes('column 2'));
  const c = await api(page, 'Softmax', { dim: 0 }, X);
  s = await shown(page);
  assert.deepEqual(s.slices, ['column 0', 'column 1', 'column 2']);
  for (const { row, of, cells } of s.batch) checkCells(`dim 0 ${of}[${row}]`, cells, of === 'x' ? X[row] : c.y[row]);
  checkCells('dim 0 bars x', s.barRows[0], [X[0][2], X[1][2]]);
  checkCells('dim 0 bars y', s.barRows[1], [c.y[0][2], c.y[1][2]]);
  assert.equal(s.jac.length, 2);
  s.jac.forEach((cells, i) => checkCells(`dim 0 J[2][${i}]`, cells, c.jacobian[2][i]));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('GLU over a batch halves each row; a dim the input does not have is said next to dim, the input kept', async () => {
  const x = [[1, -2, 0.5, 3], [0, 1, 2, -1]];
  const page = await b.page(`${b.base}#vec=GLU&vx=${encodeURIComponent(JSON.stringify(x))}`);
  await page.waitForSelector('#vec-batch-table');
  const r = await api(page, 'GLU', {}, x);
  let s = await shown(page);
  for (const { row, of, cells } of s.batch) checkCells(`${of}[${row}]`, cells, of === 'x' ? x[row] : r.y[row]);
  s.jac.forEach((cells, i) => checkCells(`J[0][${i}]`, cells, r.jacobian[0][i]));
  assert.equal(s.jac.length, 2);
  // dim 1 chosen, then the input made 1-D: dim 1 is out of range, said beside the dim select
  await selectDim(page, 1);
  await page.fill('#vec-x', '[1.0, 2.0]');
  await page.waitForFunction(() => !document.querySelector('[data-param="dim"] .field-error').hidden);
  const err = await page.$eval('[data-param="dim"] .field-error', (e) => e.textContent);
  assert.match(err, /Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)/);
  assert.equal(await page.inputValue('#vec-x'), '[1.0, 2.0]');
  s = await shown(page);
  assert.equal(s.sliceHidden, true, 'no slice select for a 1-D vector');
  // back to a valid dim: the 1-D view, no batch table
  await selectDim(page, 0);
  await page.waitForFunction(() => document.querySelector('[data-param="dim"] .field-error').hidden);
  assert.equal(await page.$eval('#vec-batch', (e) => e.hidden), true);
  const one = await api(page, 'GLU', { dim: 0 }, [1, 2]);
  s = await shown(page);
  checkCells('1-D y', s.barRows[1], Object.values(one.y));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a 3-D literal or an over-long batch is refused beside x with what to type', async () => {
  const page = await b.page(`${b.base}#vec=Softmax`);
  await page.waitForSelector('#vec-bars svg');
  await page.fill('#vec-x', '[[[1, 2]]]');
  await page.waitForFunction(() => !document.querySelector('#vec-x-err').hidden);
  assert.match(await page.$eval('#vec-x-err', (e) => e.textContent), /batch of rows, e\.g\. \[\[1, 2, 0\.5\], \[0\.1, 0\.2, 3\]\]/);
  await page.fill('#vec-x', JSON.stringify(Array.from({ length: 9 }, () => [1, 2])));
  await page.waitForFunction(() => /at most 8 rows/.test(document.querySelector('#vec-x-err').textContent));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the chosen slice is in the link (vs=) and a link restores it; an unreadable vs= is named', async () => {
  const link = `${b.base}#vec=Softmax(dim=0)&vx=${encodeURIComponent(JSON.stringify(X))}`;
  const page = await b.page(link);
  await page.waitForSelector('#vec-batch-table');
  await page.selectOption('#vec-slice', '2');
  await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get('vs') === '2');
  const again = await b.page(`${link}&vs=1`);
  await again.waitForFunction(() => document.querySelector('.jacobian-wrap')?.previousElementSibling?.textContent.includes('column 1'));
  assert.equal(await again.inputValue('#vec-slice'), '1');
  const bad = await b.page(`${link}&vs=x`);
  await bad.waitForSelector('#vec-batch-table');
  assert.match(await bad.textContent('.link-notice'), /vs=x/);
  assert.deepEqual([...page.problems, ...again.problems, ...bad.problems], []);
  await Promise.all([page.close(), again.close(), bad.close()]);
});

test('dim left at None: PyTorch\'s deprecation warning is shown (in the op\'s own name), the PyTorch line writes dim, and a given dim does not warn', async () => {
  const page = await b.page(`${b.base}#vec=Softmax&vx=[1.0,2.0,0.5]`);
  await page.waitForSelector('#vec-bars svg');
  const warned = () => page.$$eval('#vec-warnings .warning', (ps) => ps.map((p) => p.textContent));
  const want = async (name, x) => page.evaluate(([n, v]) => window.ActivationLossLab.apps[0].lab.activation(n, {}, v), [name, x]);
  let api = await want('Softmax', [1, 2, 0.5]);
  assert.deepEqual(api.warnings, ['Implicit dimension choice for softmax has been deprecated. Change the call to include dim=X as an argument.']);
  let shownNow = await warned();
  assert.equal(shownNow.length, 1);
  assert.ok(shownNow[0].startsWith(`UserWarning: ${api.warnings[0]}`), shownNow[0]);
  assert.match(shownNow[0], /picks dim 0/);
  assert.match(await page.textContent('.torch-line'), /nn\.Softmax\(dim=-1\)/);
  // a batch: None picks dim 1, said so
  await page.fill('#vec-x', '[[1, 2, 0.5], [0.1, 0.2, 3]]');
  await page.waitForSelector('#vec-batch-table');
  assert.match((await warned())[0], /picks dim 1/);
  // LogSoftmax names log_softmax; GLU (dim=-1 by default) and a given dim do not warn
  await page.selectOption('#fn-picker', 'LogSoftmax');
  await page.waitForFunction(() => document.querySelector('.info-title')?.textContent === 'LogSoftmax');
  await frames(page);  // (the view renders its warnings with the title, synchronously)
  api = await want('LogSoftmax', [[1, 2, 0.5], [0.1, 0.2, 3]]);
  shownNow = await warned();
  assert.ok(shownNow.length === 1 && shownNow[0].includes(api.warnings[0]) && /log_softmax/.test(api.warnings[0]), shownNow.join());
  for (const hash of ['#vec=Softmax(dim=0)&vx=[1.0,2.0,0.5]', '#vec=GLU&vx=[1.0,2.0,0.5,3.0]']) {
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.waitForFunction((n) => document.querySelector('.info-title')?.textContent === n, hash.slice(5, hash.indexOf('&')).replace(/\(.*/, ''));
    await frames(page);
    assert.deepEqual(await warned(), [], hash);
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});
