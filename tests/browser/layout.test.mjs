// Browser tests of the layout items: every formula fits its panel or visibly scrolls (every
// function, desktop and phone), the REQUIRED tag keeps its distance from the text, the pickers
// show whole names and say "not in torch.nn" once, the eight curve colours stay apart and are
// named for what they show, and no result table runs out of an embed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); });

// Opens each link in turn by changing the hash (one round trip for the whole list: the loop runs in
// the page) and, once its title shows and a rendering update has run (the resize observer that fits
// a formula runs after layout), reads every visible formula: typeset, fits or scrolls, its scale.
const formulasOf = (page, links) => page.evaluate(async (list) => {
  const frame = () => new Promise((ok) => requestAnimationFrame(ok));
  const out = [];
  for (const { hash, title, name } of list) {
    const changed = new Promise((ok) => addEventListener('hashchange', ok, { once: true }));
    const was = location.href;
    location.hash = hash;
    if (location.href !== was) await changed;
    for (let i = 0; document.querySelector(title)?.textContent !== name; i++) {
      if (i > 900) throw new Error(`${hash}: the title never showed ${name}`);
      await frame();
    }
    await frame();
    await frame();
    out.push({ name, formulas: [...document.querySelectorAll('.formula')].filter((f) => f.offsetParent).map((f) => {
      const hint = f.parentElement.querySelector('.formula-hint');
      return {
        math: !!f.querySelector('math'),  // typeset at build time, not the LaTeX fallback
        fits: f.scrollWidth <= f.clientWidth + 1,
        scrolls: f.classList.contains('scrolls') && getComputedStyle(f).backgroundImage.includes('gradient') && !!hint && !hint.hidden && !!hint.offsetParent,
        scale: Number(getComputedStyle(f).getPropertyValue('--fit') || 1),
        where: f.closest('section')?.className,
      };
    }) });
  }
  return out;
}, links);

test('every formula fits its panel or shows that it scrolls (all functions, 1366 px and 390 px)', async () => {
  const problems = [];
  for (const width of [1366, 390]) {
    const page = await b.page(`${b.base}#tab=loss`, { viewport: { width, height: 900 } });
    const cat = await page.evaluate(() => {
      const c = window.ActivationLossLab.apps[0].catalog;
      return { losses: c.losses.map((s) => s.name), acts: c.activations.map((s) => [s.name, s.kind]) };
    });
    const seen = [
      ...await formulasOf(page, cat.losses.map((n) => ({ hash: `#tab=loss&loss=${n}`, title: '.wb-info .info-title', name: n }))),
      ...await formulasOf(page, cat.acts.map(([n, kind]) => ({ hash: kind === 'vector' ? `#vec=${n}` : `#f=${n}`, title: '.info-panel .info-title', name: n }))),
    ];
    assert.equal(seen.length, cat.losses.length + cat.acts.length);
    for (const { name, formulas: fs } of seen) {
      if (!fs.length) problems.push(`${width}px ${name}: no formula shown`);
      for (const f of fs) {
        if (!f.math) problems.push(`${width}px ${name} (${f.where}): shown as LaTeX source, not typeset`);
        if (!f.fits && !f.scrolls) problems.push(`${width}px ${name} (${f.where}): clipped with no sign that it scrolls`);
        if (f.scale < 0.7) problems.push(`${width}px ${name}: set at ${f.scale} of its size`);
      }
    }
    assert.deepEqual(page.problems, []);
    await page.close();
  }
  assert.deepEqual(problems, []);
});

test('small layout: REQUIRED apart from its text, whole names in the picker, "not in torch.nn" once', async () => {
  const page = await b.page(`${b.base}#f=Threshold`);
  const gap = await page.evaluate(() => {
    const tag = document.querySelector('[data-param="threshold"] .param-doc .tag');
    const range = document.createRange();
    range.selectNodeContents(tag.parentElement.firstChild);
    const text = [...range.getClientRects()].pop();
    const t = tag.getBoundingClientRect();
    return Math.abs(t.top - text.top) < 4 ? t.left - text.right : Infinity;  // same line: the gap between them
  });
  assert.ok(gap >= 3, `REQUIRED is ${gap}px from its text`);
  // every option's text fits the closed picker (measured in the picker's own font)
  const cut = await page.evaluate(() => {
    const sel = document.querySelector('#fn-picker');
    const cs = getComputedStyle(sel);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const room = sel.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20;  // the arrow
    return [...sel.options].filter((o) => ctx.measureText(o.text).width > room).map((o) => o.text);
  });
  assert.deepEqual(cut, []);
  for (const name of ['Sine', 'BinaryStep']) {
    await page.evaluate((n) => { location.hash = `#f=${n}`; }, name);
    await page.waitForFunction((n) => document.querySelector('.info-panel .info-title')?.textContent === n, name);
    const shown = await page.evaluate(() => {
      const sel = document.querySelector('#fn-picker');
      const visible = [sel.options[sel.selectedIndex].text, ...[...document.querySelectorAll('.badge')].filter((e) => e.offsetParent).map((e) => e.textContent)];
      return visible.filter((t) => /not in torch\.nn/.test(t)).length;
    });
    assert.equal(shown, 1, `${name}: "not in torch.nn" shown ${shown} times`);
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});

// CIELAB distance of two sRGB colours (CIE76)
function lab(hex) {
  const lin = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const [r, g, bl] = [1, 3, 5].map((i) => lin(parseInt(hex.slice(i, i + 2), 16) / 255));
  const f = (t) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const X = (0.4124 * r + 0.3576 * g + 0.1805 * bl) / 0.95047;
  const Y = 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  const Z = (0.0193 * r + 0.1192 * g + 0.9505 * bl) / 1.08883;
  return [116 * f(Y) - 16, 500 * (f(X) - f(Y)), 200 * (f(Y) - f(Z))];
}

test('eight curves: every two colours stay apart, and each is named for the colour it shows in its theme', async () => {
  const curves = ['ReLU', 'SiLU', 'CELU', 'ELU', 'GELU', 'Tanh', 'Sigmoid', 'Softplus'];
  for (const theme of ['light', 'dark']) {
    const page = await b.page(`${b.base}#${curves.map((c) => `f=${c}`).join('&')}&theme=${theme}`);
    const chips = await page.evaluate(() => [...document.querySelectorAll('.legend .swatch')].map((s) => getComputedStyle(s).backgroundColor));
    const hexes = chips.map((c) => `#${c.match(/\d+/g).slice(0, 3).map((v) => Number(v).toString(16).padStart(2, '0')).join('')}`);
    assert.equal(new Set(hexes).size, 8, `${theme}: ${hexes}`);
    for (let i = 0; i < 8; i++) {
      for (let j = i + 1; j < 8; j++) {
        const d = Math.hypot(...lab(hexes[i]).map((v, k) => v - lab(hexes[j])[k]));
        assert.ok(d >= 25, `${theme}: ${curves[i]} ${hexes[i]} and ${curves[j]} ${hexes[j]} are only ${d.toFixed(1)} apart`);
      }
    }
    // the name in "Editing curve k of 8 (name)" matches the colour's hue family
    const family = (hex) => {
      const [L, a, bb] = lab(hex);
      const chroma = Math.hypot(a, bb);
      if (chroma < 12) return 'grey';
      const hue = (Math.atan2(bb, a) * 180 / Math.PI + 360) % 360;
      if (hue >= 88 && hue < 110) return L > 70 ? 'yellow' : 'olive';
      return hue < 20 || hue >= 330 ? 'pink' : hue < 65 ? 'red' : hue < 88 ? 'orange' : hue < 120 ? 'yellow' : hue < 200 ? 'green' : hue < 285 ? 'blue' : 'violet';
    };
    const words = { grey: /grey/, pink: /pink|wine/, red: /vermillion|coral|red/, orange: /orange|ochre/, yellow: /yellow/, olive: /olive/, green: /green/, blue: /blue/, violet: /violet|lavender/ };
    for (let i = 0; i < 8; i++) {
      await page.locator('.legend .chip-label').nth(i).click();
      const name = (await page.textContent('.editing')).match(/\((.+)\)/)[1];
      assert.match(name, words[family(hexes[i])], `${theme}: curve ${i + 1} is ${hexes[i]} (${family(hexes[i])}) but is called ${name}`);
    }
    assert.deepEqual(page.problems, []);
    await page.close();
  }
});

test('no result table runs out of an embed (direct embeds on the example page, a 400 px iframe view)', async () => {
  const page = await b.page(null);
  await page.goto(`${b.base}embed-example.html`);
  await page.waitForFunction(() => window.ActivationLossLab?.apps?.length === 2);
  await page.waitForSelector('[data-activation-lab] [id$="loss-value"]');
  const small = await b.page(`${b.base}#embed=loss&loss=CrossEntropyLoss`, { viewport: { width: 400, height: 300 } });
  await small.waitForSelector('#loss-value');
  for (const p of [page, small]) {
    const out = await p.evaluate(() => [...document.querySelectorAll('.results .table-scroll, .results .tensor')].filter((e) => e.offsetParent).map((e) => {
      const r = e.getBoundingClientRect();
      const root = e.closest('.lab').getBoundingClientRect();
      const scrollable = ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
      return r.right <= root.right + 1 && (e.scrollWidth <= e.clientWidth + 1 || scrollable) ? null : `${e.className} ends at ${r.right}, the app at ${root.right}`;
    }).filter(Boolean));
    assert.deepEqual(out, []);
  }
  assert.deepEqual([...page.problems, ...small.problems], []);
  await Promise.all([page.close(), small.close()]);
});
