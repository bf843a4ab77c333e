// What a 400×300 graph embed must not hide: a formula curve's field and its first parameter sit
// in the first screenful beside the picker, as a built-in's parameters do (the picker already says
// "Your formula", so the field's label is for screen readers only), and no number box cuts its
// value — "1.702" shown as "1.70" would be a wrong number on screen. (embeds.test.mjs checks the
// built-ins' graphs, legends and loss embeds the same way.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, settled, outsideEmbed } from './browser.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); });

// What the embed hides of `sels` (browser.mjs's outsideEmbed: above the "Open in the full lab"
// line), and every number box whose text is wider than the box.
const problems = async (page, sels) => [...await outsideEmbed(page, sels), ...await page.evaluate(() =>
  [...document.querySelectorAll('input.num')].filter((box) => box.offsetParent && box.scrollWidth > box.clientWidth + 1)
    .map((box) => `number box "${box.value}" cut: ${box.scrollWidth}px of text in ${box.clientWidth}px`))];

test('graph embed at 400×300 with a formula: the field and its parameter in the first screenful, no value cut', async () => {
  const text = 'x * sigmoid(a * x); a = 1.702';
  const page = await b.page(`${b.base}#embed=graph&f=formula&fx=${encodeURIComponent(text)}`, { viewport: { width: 400, height: 300 } });
  await page.waitForSelector('.formula-input');
  await page.waitForSelector('.param-row[data-param="a"] input.num');
  await settled(page);
  assert.equal(await page.inputValue('.formula-input'), text);
  assert.equal(await page.inputValue('.param-row[data-param="a"] input.num'), '1.702');
  assert.deepEqual(await problems(page, ['#fn-plot canvas', '#fn-picker', '.formula-input', '.param-row[data-param="a"] input.num']), []);
  // the field keeps its accessible name though its label is not shown
  assert.equal(await page.evaluate(() => document.querySelector('.formula-input').labels?.[0]?.textContent.trim().length > 0), true);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('graph embeds at 400×300: parameter values with several digits are shown whole', async () => {
  const failures = [];
  for (const hash of ['f=ELU(alpha=0.125)', 'f=Softplus(beta=0.375,threshold=12.5)', 'f=LeakyReLU(negative_slope=0.0625)']) {
    const page = await b.page(`${b.base}#embed=graph&${hash}`, { viewport: { width: 400, height: 300 } });
    await page.waitForSelector('#fn-plot .u-over');
    await settled(page);
    const bad = await problems(page, ['.param-row:first-child input.num']);
    if (bad.length) failures.push(`${hash}: ${bad.join('; ')}`);
    assert.deepEqual(page.problems, []);
    await page.close();
  }
  assert.deepEqual(failures, []);
});
