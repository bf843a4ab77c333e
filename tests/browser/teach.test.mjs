// Browser tests of the options for teachers (teach.js, read from the link by state.js): predict,
// then reveal (hide=), lock (edit=), title and caption, panels=, presentation type (present=1),
// the one-line notice for link options that cannot be read; and the exports a teacher puts on a
// slide: vector functions too, PNG at 2× on a light background from dark mode, the PyTorch
// snippet's printed digits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, root, frames, settled } from './browser.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); });

const app0 = (page, fn, arg) => page.evaluate(([f, a]) => new Function('app', 'arg', `return (${f})(app, arg)`)(window.ActivationLossLab.apps[0], a), [fn.toString(), arg]);

test('hide=loss,grad,worked: no number of the answer is on screen until its Reveal button is pressed', async () => {
  const page = await b.page(`${b.base}#embed=loss&loss=CrossEntropyLoss&hide=loss,grad,worked&panels=inputs,result,worked`, { viewport: { width: 900, height: 800 } });
  await page.waitForSelector('[data-gate="loss"]');
  const want = await app0(page, (app) => {
    const r = app.lab.loss('CrossEntropyLoss', {}, { input: app.lab.parseTensor(app.catalog.losses.find((s) => s.name === 'CrossEntropyLoss').example.input), target: [0, 1] });
    return { loss: r.loss, grad: Array.from(r.grad.input.flat()) };
  });
  const shown = async () => page.evaluate(() => document.querySelector('.lab').innerText + [...document.querySelectorAll('.lab [title]')].map((e) => e.title).join(' '));
  let text = await shown();
  assert.equal(await page.locator('#loss-value').count(), 0);
  assert.equal(await page.locator('[data-grad]').count(), 0);
  assert.ok(!text.includes(String(want.loss).slice(0, 6)), 'the loss is not on screen');
  assert.ok(!text.includes(String(want.grad[0]).slice(0, 6)), 'nor a gradient');
  assert.match(await page.textContent('.wb-worked'), /Reveal the worked computation/);
  // reveal the loss: the value appears, the gradients stay hidden
  await page.click('[data-reveal="loss"]');
  assert.equal(Number(await page.getAttribute('#loss-value', 'title')), want.loss);
  assert.equal(await page.locator('[data-grad]').count(), 0);
  assert.equal(await page.locator('[data-gate="grad"]').count(), 1);
  // editing keeps what was revealed revealed, and the rest hidden
  await page.fill('#arg-target', '[1, 1]');
  await page.waitForFunction(() => document.querySelector('#loss-value')?.title && !document.querySelector('.workbench.stale'));
  assert.equal(await page.locator('[data-gate="grad"]').count(), 1);
  await page.click('[data-reveal="grad"]');
  assert.equal(await page.locator('[data-grad="input"]').count(), 1);
  await page.click('[data-reveal="worked"]');
  assert.ok((await page.locator('.wb-worked .step').count()) > 0);
  text = await shown();
  assert.ok(text.includes('Reveal') === false, 'every gate is gone');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('hide=deriv: the graph draws no f′, the readout and exports leave it out, until revealed', async () => {
  const page = await b.page(`${b.base}#embed=graph&f=ELU&f=Tanh&hide=deriv`, { viewport: { width: 900, height: 600 } });
  await page.waitForSelector('#fn-plot .u-over');
  const drawn = () => app0(page, (app) => app.explorer.plot.u.series.slice(1).map((s) => [s.label, s.show]));
  assert.deepEqual((await drawn()).filter(([l, show]) => l.endsWith('f′') && show), []);
  assert.equal(await page.locator('.chip .toggle').count(), 2, 'only the f toggles');
  assert.deepEqual(await page.$$eval('#readout tbody td:last-child', (tds) => tds.map((t) => t.textContent)), ['?', '?']);
  const split = await b.page(`${b.base}#f=ELU&split=1&hide=deriv`);
  await split.waitForSelector('#fn-plot .u-over');
  assert.equal(await split.isVisible('#fn-plot-d'), false, 'no empty f′ panel');
  await split.close();
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const head = readFileSync(await dl.path(), 'utf8').split('\n')[0];
  assert.equal(head, 'x,ELU f,Tanh f');
  await page.click('[data-reveal="deriv"]');
  assert.equal((await drawn()).filter(([l, show]) => l.endsWith('f′') && show).length, 2);
  const want = await app0(page, (app) => app.lab.activation('ELU', {}, [Number(document.querySelector('#read-x').value)]).dy[0]);
  assert.equal(Number(await page.getAttribute('#readout tbody tr:first-child td:last-child', 'title')), want);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('edit=target: only the target may be changed; edit=alpha in a graph: only alpha', async () => {
  const page = await b.page(`${b.base}#embed=loss&loss=CrossEntropyLoss&edit=target`, { viewport: { width: 800, height: 600 } });
  await page.waitForSelector('#loss-value');
  assert.equal(await page.getAttribute('#arg-input', 'readonly'), '');
  assert.equal(await page.getAttribute('#arg-target', 'readonly'), null);
  assert.ok(await page.isDisabled('#loss-picker'));
  const params = await page.$$eval('.wb-params input, .wb-params select, .wb-params button', (els) => els.map((e) => e.disabled || e.readOnly));
  assert.ok(params.length > 3 && params.every(Boolean), JSON.stringify(params));
  await page.fill('#arg-target', '[2, 2]');
  await page.waitForFunction(() => /target=\[2, 2\]|target=\[2,%202\]|target=%5B2/.test(location.hash) || document.querySelector('#loss-value'));
  const loss = await app0(page, (app) => app.lab.loss('CrossEntropyLoss', {}, { input: app.lab.parseTensor(document.querySelector('#arg-input').value), target: [2, 2] }).loss);
  await page.waitForFunction((v) => Number(document.querySelector('#loss-value')?.title) === v, loss);
  // "Open in the full lab" opens it unlocked
  const open = await page.getAttribute('.open-full', 'href');
  assert.ok(!/[#&]edit=/.test(open) && /loss=CrossEntropyLoss/.test(open), open);
  // typing into a locked field changes nothing
  await page.focus('#arg-input');
  const before0 = await page.inputValue('#arg-input');
  await page.keyboard.type('9');
  assert.equal(await page.inputValue('#arg-input'), before0);

  const graph = await b.page(`${b.base}#embed=graph&f=ELU(alpha=0.5)&edit=alpha`, { viewport: { width: 800, height: 500 } });
  await graph.waitForSelector('#fn-plot .u-over');
  assert.ok(await graph.isDisabled('#fn-picker'));
  assert.ok(await graph.isDisabled('#add-curve'));
  assert.equal(await graph.getAttribute('#x-min', 'readonly'), '');
  assert.equal(await graph.getAttribute('.param-row[data-param="alpha"] input[type="number"]', 'readonly'), null);
  // the range is fixed: the wheel (focused, so it would zoom) does not change it
  await graph.click('#fn-plot');
  const box = await graph.locator('#fn-plot').boundingBox();
  await graph.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await graph.mouse.wheel(0, 300);
  await frames(graph);  // (a zoom is applied by the wheel's own listener)
  assert.deepEqual(await app0(graph, (app) => app.state.act.x), [-5, 5]);
  // the vector view's input and temperature, and "Restore the example", which rewrites locked arguments
  const vec = await b.page(`${b.base}#vec=Softmax&edit=fn`);
  await vec.waitForSelector('#vec-bars svg');
  assert.equal(await vec.getAttribute('#vec-x', 'readonly'), '');
  assert.equal(await vec.getAttribute('#vec-t', 'readonly'), '');
  const full = await b.page(`${b.base}#tab=loss&loss=MSELoss&edit=target`);
  await full.waitForSelector('#loss-value');
  assert.ok(await full.isDisabled('.wb-inputs .panel-head button'));
  assert.deepEqual([...page.problems, ...graph.problems, ...vec.problems, ...full.problems], []);
  await Promise.all([page.close(), graph.close(), vec.close(), full.close()]);
});

test('edit= names a parameter of the student\'s own formula by its name in the formula (explorer and depth view); a name in no formula is still refused', async () => {
  const graph = await b.page(`${b.base}#embed=graph&f=formula(k=2)&fx=k*tanh(x)&edit=k`, { viewport: { width: 800, height: 500 } });
  await graph.waitForSelector('.param-row[data-param="k"] input[type="number"]');
  assert.equal(await graph.getAttribute('.param-row[data-param="k"] input[type="number"]', 'readonly'), null, 'k is editable');
  assert.ok(await graph.isDisabled('#fn-picker'));
  assert.equal(await graph.locator('.link-notice').count(), 0, 'edit=k is known');
  const typo = await b.page(`${b.base}#embed=graph&f=formula(k=2)&fx=k*tanh(x)&edit=kk`, { viewport: { width: 800, height: 500 } });
  await typo.waitForSelector('.param-row[data-param="k"] input[type="number"]');
  assert.match(await typo.textContent('.link-notice'), /edit=kk/);
  assert.equal(await typo.getAttribute('.param-row[data-param="k"] input[type="number"]', 'readonly'), '');
  const depth = await b.page(`${b.base}#embed=depth&d.depth=4&d.width=8&d.batch=4&d.act=formula(a=2)&d.actx=a*tanh(x)&edit=a`);
  await depth.waitForSelector('.param-row[data-param="a"] input[type="number"]');
  assert.equal(await depth.getAttribute('.param-row[data-param="a"] input[type="number"]', 'readonly'), null, 'a is editable');
  assert.equal(await depth.locator('.link-notice').count(), 0, 'edit=a is known');
  assert.deepEqual([...graph.problems, ...typo.problems, ...depth.problems], []);
  await Promise.all([graph.close(), typo.close(), depth.close()]);
});

test('title, caption, panels and presentation type; unreadable options are named in one line', async () => {
  const page = await b.page(`${b.base}#embed=loss&loss=MSELoss&title=Squared%20error&caption=Change%20the%20target&panels=inputs,result,snippet`, { viewport: { width: 800, height: 500 } });
  await page.waitForSelector('#loss-value');
  assert.equal(await page.textContent('.embed-title'), 'Squared error');
  assert.equal(await page.textContent('.embed-caption'), 'Change the target');
  assert.ok(await page.isVisible('.wb-snippet'));
  assert.ok(!(await page.isVisible('#loss-picker')), 'params (the picker with them) not chosen');
  assert.ok(!(await page.isVisible('.wb-info')));
  for (const sel of ['.embed-title', '.arg-row textarea', '#loss-value', '.embed-caption']) {
    const r = await page.locator(sel).first().boundingBox();
    assert.ok(r && r.y >= 0 && r.y + r.height <= 500, `${sel} in the first screenful: ${JSON.stringify(r)}`);
  }
  // the options survive the app's own link
  assert.match(await page.evaluate(() => location.hash), /title=Squared/);
  assert.match(await page.evaluate(() => location.hash), /panels=inputs,result,snippet/);

  const size = async (url) => {
    const p = await b.page(url, { viewport: { width: 1000, height: 700 } });
    await p.waitForSelector('#loss-value');
    const s = await p.evaluate(() => ({
      text: parseFloat(getComputedStyle(document.querySelector('.arg-row .param-name')).fontSize),
      loss: parseFloat(getComputedStyle(document.querySelector('#loss-value')).fontSize),
    }));
    await p.close();
    return s;
  };
  // the graphs' axis text too
  const fonts = [];
  for (const extra of ['', '&present=1']) {
    const g = await b.page(`${b.base}#f=ELU${extra}`);
    await g.waitForSelector('#fn-plot .u-over');
    fonts.push(await app0(g, (app) => parseFloat(app.explorer.plot.u.axes[0].font[0])));
    await g.close();
  }
  assert.ok(fonts[1] >= fonts[0] * 1.3, `axis font ${fonts}`);
  const plain = await size(`${b.base}#embed=loss&loss=MSELoss`);
  const big = await size(`${b.base}#embed=loss&loss=MSELoss&present=1`);
  assert.ok(big.text >= plain.text * 1.3 && big.loss >= plain.loss * 1.3, JSON.stringify({ plain, big }));

  const bad = await b.page(`${b.base}#embed=loss&loss=MSELoss&hide=loss,answers&present=maybe&edit=input,nothing&panels=result,charts`);
  await bad.waitForSelector('.link-notice');
  const notice = await bad.textContent('.link-notice');
  for (const w of ['hide=answers', 'present=maybe', 'edit=nothing', 'panels=charts']) assert.ok(notice.includes(w), `${w} in "${notice}"`);
  assert.equal(await bad.locator('.wb-results [data-gate="loss"]').count(), 1, 'the readable part still applies');
  // names the registry does not know: said, and the rest of the link still applies
  const names = await b.page(`${b.base}#f=Nope&f=ELU(alpha=0.5,gamma=2)&x=-2,2`);
  await names.waitForSelector('.link-notice');
  const said = await names.textContent('.link-notice');
  assert.match(said, /f=Nope/);
  assert.match(said, /gamma=/);
  assert.deepEqual(await app0(names, (app) => [app.state.act.curves.map((c) => c.name), app.state.act.x]), [['ELU'], [-2, 2]]);
  await names.close();
  const lossNames = await b.page(`${b.base}#loss=Nope`);
  await lossNames.waitForSelector('.link-notice');
  assert.match(await lossNames.textContent('.link-notice'), /loss=Nope/);
  const lossArgs = await b.page(`${b.base}#loss=MSELoss&p.gamma=2&a.weights=[1]`);
  await lossArgs.waitForSelector('.link-notice');
  assert.match(await lossArgs.textContent('.link-notice'), /p\.gamma.*a\.weights/);
  await Promise.all([lossNames.close(), lossArgs.close()]);
  const rx = await b.page(`${b.base}#f=ELU&rx=abc`);
  await rx.waitForSelector('.link-notice');
  assert.match(await rx.textContent('.link-notice'), /rx=abc/);
  assert.deepEqual([...page.problems, ...bad.problems, ...rx.problems], []);
  await Promise.all([page.close(), bad.close(), rx.close()]);
});

// The font size of every readable kind of text an app shows (the first visible one of each), and
// its graph's axis type.
const READABLE = ['.embed-title', '.embed-caption', '#fn-picker, [id$="fn-picker"]', '.param-name', '.param-row input.num', '.chip-label',
  '.btn-small', '.readout-head label', '.readout-table td', '.range-group label', '#loss-picker, [id$="loss-picker"]',
  '.arg-row textarea', '.loss-label', '#loss-value, [id$="loss-value"]', '.wb-params .param-name', '.open-full'];
const fontsOf = (page, rootSel) => page.evaluate(([sels, rsel]) => {
  const root = document.querySelector(rsel);
  const out = {};
  for (const sel of sels) {
    const el = [...root.querySelectorAll(sel)].find((e) => e.getClientRects().length > 0);
    if (el) out[sel] = parseFloat(getComputedStyle(el).fontSize);
  }
  const app = window.ActivationLossLab.apps.find((a) => a.root === root);
  const plot = app.explorer?.plot?.u;
  if (plot && root.querySelector('.u-over')?.getClientRects().length) out.axis = parseFloat(plot.axes[0].font[0]);
  return out;
}, [READABLE, rootSel]);

test('present=1 in a direct embed (no iframe) enlarges everything readable exactly as in an iframe', async () => {
  const failures = [];
  for (const [embed, state] of [['graph', 'f=ELU&f=ReLU&title=Two%20curves&caption=Compare'], ['loss', 'loss=MSELoss&title=Squared']]) {
    // the iframe / the lab's own page
    const sizes = {};
    for (const p of ['', '&present=1']) {
      const page = await b.page(`${b.base}#embed=${embed}&${state}${p}`, { viewport: { width: 800, height: 560 } });
      await page.waitForSelector(embed === 'loss' ? '#loss-value' : '#fn-plot .u-over');
      sizes[`frame${p}`] = await fontsOf(page, '.lab');
      if (embed === 'graph') {  // larger axis type does not eat the curve: the graph grows with it
        await settled(page);
        const { height } = await page.locator('#fn-plot canvas').boundingBox();
        if (height < (p ? 175 : 130)) failures.push(`graph embed${p}: the graph is ${height}px tall`);
      }
      await page.close();
    }
    // a course page with two direct embeds of the same size, one in presentation type
    const host = await b.page(`${b.base}embed-example.html`, { viewport: { width: 1000, height: 800 } });
    await host.waitForFunction(() => window.ActivationLossLab?.apps?.length >= 2);
    for (const p of ['', '&present=1']) {
      await host.evaluate(async ([e, s, id]) => {
        const el = document.createElement('div');
        el.id = id;
        el.style.cssText = 'width: 800px; height: 560px';
        document.body.prepend(el);
        await window.ActivationLossLab.mount(el, { state: s, embed: e, embedded: true }).then((app) => window.ActivationLossLab.apps.push(app));
      }, [embed, `${state}${p}`, `direct${p ? '-present' : ''}`]);
      await settled(host);
      sizes[`direct${p}`] = await fontsOf(host, `#direct${p ? '-present' : ''}`);
    }
    assert.deepEqual(host.problems, []);
    await host.close();
    for (const [sel, plain] of Object.entries(sizes.frame)) {
      const want = sizes['frame&present=1'][sel];
      const [d, dp] = [sizes.direct[sel], sizes['direct&present=1'][sel]];
      if (!(want >= plain * 1.3)) failures.push(`${embed} ${sel}: the frame's presentation type ${want}px for ${plain}px`);
      if (d === undefined || dp === undefined) failures.push(`${embed} ${sel}: not shown in the direct embed`);
      else if (Math.abs(dp - want) > 0.5 || Math.abs(d - plain) > 0.5) failures.push(`${embed} ${sel}: direct ${d}px → ${dp}px, frame ${plain}px → ${want}px`);
    }
  }
  assert.deepEqual(failures, []);
});

test('every teaching option edited by hand in the link (hashchange, no reload) takes effect as on load, and is undone when removed', async () => {
  const page = await b.page(`${b.base}#f=ELU`, { viewport: { width: 1000, height: 700 } });
  await page.waitForSelector('#fn-plot .u-over');
  // the app's own hashchange listener was added first, so it has run when ours runs
  const go = (hash) => page.evaluate((hsh) => new Promise((ok) => {
    addEventListener('hashchange', () => setTimeout(ok, 100), { once: true });
    location.hash = hsh;
  }), hash);
  const look = () => page.evaluate(() => ({
    title: [...document.querySelectorAll('.embed-title')].map((e) => e.textContent),
    caption: [...document.querySelectorAll('.embed-caption')].map((e) => e.textContent),
    notice: [...document.querySelectorAll('.link-notice')].map((e) => e.textContent),
    present: document.querySelector('.lab').classList.contains('present'),
    param: parseFloat(getComputedStyle(document.querySelector('.param-name')).fontSize),
    axis: parseFloat(window.ActivationLossLab.apps[0].explorer.plot.u.axes[0].font[0]),
    alphaLocked: document.querySelector('.param-row[data-param="alpha"] input[type="number"]').readOnly,
    pickerLocked: document.querySelector('#fn-picker').disabled,
    infoShown: !!document.querySelector('.info-panel')?.offsetParent,
    derivDrawn: window.ActivationLossLab.apps[0].explorer.plot.u.series.slice(1).some((s) => s.label.endsWith('f′') && s.show),
    gate: document.querySelectorAll('[data-gate="deriv"]').length,
  }));
  const plain = await look();
  assert.deepEqual([plain.title, plain.caption, plain.notice, plain.present, plain.alphaLocked, plain.gate, plain.derivDrawn],
    [[], [], [], false, false, 0, true]);
  await go('#f=ELU&title=Slope%20of%20ELU&caption=Guess%20first&present=1&hide=deriv&edit=fn,zzz&panels=params');
  let now = await look();
  assert.deepEqual(now.title, ['Slope of ELU']);
  assert.deepEqual(now.caption, ['Guess first']);
  assert.equal(now.notice.length, 1);
  assert.match(now.notice[0], /edit=zzz/);
  assert.ok(now.present && now.param >= plain.param * 1.3 && now.axis >= plain.axis * 1.3, JSON.stringify({ plain, now }));
  assert.equal(now.alphaLocked, true, 'edit=fn locks alpha');
  assert.equal(now.pickerLocked, false, 'but not the picker');
  assert.equal(now.infoShown, false, 'panels=params hides the info panel');
  assert.equal(now.derivDrawn, false, 'hide=deriv takes f′ off the graph');
  assert.equal(now.gate, 1, 'behind a Reveal button');
  // edited again: the new words replace the old ones (not added to them)
  await page.click('[data-reveal="deriv"]');
  await go('#f=ELU&title=Second%20title&hide=deriv');
  now = await look();
  assert.deepEqual([now.title, now.caption, now.notice, now.present, now.alphaLocked, now.infoShown], [['Second title'], [], [], false, false, true]);
  assert.equal(now.derivDrawn, true, 'the same hide= list: what was revealed stays revealed');
  await go('#f=ELU&title=Second%20title&hide=deriv,grad');
  assert.equal((await look()).gate, 1, 'a changed hide= list hides f′ again');
  // every option taken out of the link: the page as plain as it opened
  await go('#f=ELU');
  now = await look();
  assert.deepEqual([now.title, now.caption, now.notice, now.present, now.alphaLocked, now.pickerLocked, now.gate, now.derivDrawn],
    [[], [], [], false, false, false, 0, true]);
  assert.equal(now.param, plain.param);
  // a loss embed: hide=loss and panels= on a hash change
  const loss = await b.page(`${b.base}#embed=loss&loss=MSELoss`, { viewport: { width: 800, height: 500 } });
  await loss.waitForSelector('#loss-value');
  await loss.evaluate(() => { location.hash = '#embed=loss&loss=MSELoss&hide=loss&panels=inputs,result&edit=target'; });
  await loss.waitForSelector('.wb-results [data-gate="loss"]');
  assert.equal(await loss.locator('#loss-value').count(), 0);
  assert.equal(await loss.isVisible('#loss-picker'), false, 'params not among the panels');
  assert.equal(await loss.getAttribute('#arg-input', 'readonly'), '');
  assert.deepEqual([...page.problems, ...loss.problems], []);
  await Promise.all([page.close(), loss.close()]);
});

test('the PyTorch snippet prints every digit the page shows', async () => {
  const page = await b.page(`${b.base}#tab=loss&loss=CrossEntropyLoss`);
  await page.waitForSelector('#loss-value');
  const code = await page.textContent('#loss-snippet');
  assert.match(code, /^torch\.set_printoptions\(precision=16\)/m);
  assert.match(code, /^print\(loss\.item\(\)\)/m, 'a scalar loss is printed with Python repr, the page\'s long form');
  assert.match(code, /^print\(input\.grad\)/m);
  // reduction='none' is a tensor: printed with the 16 decimals
  await page.selectOption('.param-row[data-param="reduction"] select', 'none');
  await page.waitForFunction(() => /print\(loss\)$/m.test(document.querySelector('#loss-snippet').textContent));
  assert.deepEqual(page.problems, []);
  await page.close();
});

// PNG width and height from the IHDR chunk, and a few pixels decoded by the browser.
const pngInfo = async (page, file) => {
  const buf = readFileSync(file);
  const w = buf.readUInt32BE(16);
  const hgt = buf.readUInt32BE(20);
  const px = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const colors = new Set();
    for (let i = 0; i < d.length; i += 4 * 7) colors.add(`#${[d[i], d[i + 1], d[i + 2]].map((v) => v.toString(16).padStart(2, '0')).join('')}`);
    return { corner: [...ctx.getImageData(1, 1, 1, 1).data].slice(0, 3), colors: [...colors] };
  }, buf.toString('base64'));
  return { w, hgt, ...px };
};

test('PNG export: 2× on a light background from dark mode (explorer, loss plot), or as on screen', async () => {
  const page = await b.page(`${b.base}#f=ELU&f=Tanh&theme=dark`);
  await page.waitForSelector('#fn-plot .u-over');
  let [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  let info = await pngInfo(page, await dl.path());
  const [svgDl] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  const svg = readFileSync(await svgDl.path(), 'utf8');
  const [sw, sh] = /width="(\d+)" height="(\d+)"/.exec(svg).slice(1).map(Number);
  assert.deepEqual([info.w, info.hgt], [sw * 2, sh * 2], 'twice the drawing\'s size');
  assert.deepEqual(info.corner, [255, 255, 255], 'light background');
  for (const c of ['#0072b2', '#d55e00']) assert.ok(info.colors.includes(c), `light-theme curve colour ${c} drawn`);
  // as on screen, 1×: the dark surface
  await page.selectOption('#png-options', '1-page');
  [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  info = await pngInfo(page, await dl.path());
  assert.deepEqual([info.w, info.hgt], [sw, sh]);
  const surface = await page.evaluate(() => getComputedStyle(document.querySelector('.lab')).getPropertyValue('--surface').trim());
  assert.equal(`#${info.corner.map((v) => v.toString(16).padStart(2, '0')).join('')}`, surface.toLowerCase());
  // the loss plot's PNG follows the same choice; back to the default first
  await page.selectOption('#png-options', '2-light');
  await page.click('#tab-btn-loss');
  await page.waitForSelector('#loss-plot .u-over');
  [dl] = await Promise.all([page.waitForEvent('download'), page.click('#loss-export-png')]);
  info = await pngInfo(page, await dl.path());
  assert.deepEqual(info.corner, [255, 255, 255]);
  assert.ok(info.w >= 1600, `2× wide: ${info.w}`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('vector functions export too: CSV of x, y and the Jacobian, SVG of the bars, PNG', async () => {
  const page = await b.page(`${b.base}#vec=Softmax&vx=[1.0,2.0,0.5]&T=2&theme=dark`);
  await page.waitForSelector('#vec-bars svg');
  const want = await app0(page, (app) => {
    const r = app.lab.activation('Softmax', {}, [0.5, 1, 0.25]);
    return { y: Array.from(r.y), J: Array.from(r.jacobian, (e) => e / 2) };
  });
  let [dl] = await Promise.all([page.waitForEvent('download'), page.click('#vec-export-csv')]);
  const rows = readFileSync(await dl.path(), 'utf8').trim().split('\n').map((l) => l.split(','));
  assert.deepEqual(rows[0], ['i', 'x', 'y', 'dy_i/dx_0', 'dy_i/dx_1', 'dy_i/dx_2']);
  rows.slice(1).forEach((r, i) => {
    assert.equal(Number(r[2]), want.y[i]);
    for (let j = 0; j < 3; j++) assert.equal(Number(r[3 + j]), want.J[i * 3 + j]);
  });
  [dl] = await Promise.all([page.waitForEvent('download'), page.click('#vec-export-svg')]);
  const svg = readFileSync(await dl.path(), 'utf8');
  assert.ok(!svg.includes('var(--'), 'colours written in');
  assert.match(svg, /Softmax of x \/ 2/);
  for (const v of want.y) assert.ok(svg.includes(`>${String(+v.toPrecision(3))}<`), `bar label ${v}`);
  [dl] = await Promise.all([page.waitForEvent('download'), page.click('#vec-export-png')]);
  const info = await pngInfo(page, await dl.path());
  assert.deepEqual(info.corner, [255, 255, 255]);
  assert.ok(info.colors.includes('#0072b2'), 'the output bars in the light theme\'s colour');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('accessibility with the teaching options: no serious or critical axe-core violations (Reveal, locked fields, title, presentation; light and dark)', async () => {
  const failures = [];
  for (const [hash, scheme] of [
    ['#embed=loss&loss=CrossEntropyLoss&hide=loss,grad,worked&edit=target&title=Predict&caption=Then%20reveal', 'light'],
    ['#embed=loss&loss=CrossEntropyLoss&hide=loss,grad&edit=target&title=Predict', 'dark'],
    ['#embed=graph&f=ELU&f=ReLU&hide=deriv&edit=alpha&rx=1&title=ELU', 'light'],
    ['#embed=graph&f=GELU&hide=deriv&edit=fn', 'dark'],
    ['#f=ELU&present=1&hide=nope', 'light'],
    ['#embed=graph&vec=Softmax', 'dark'],
  ]) {
    const page = await b.page(b.base + hash, { colorScheme: scheme, viewport: { width: 800, height: 500 } });
    await page.waitForSelector('.u-over, #vec-bars svg, [data-gate], #loss-value');
    await page.addScriptTag({ path: join(root, 'node_modules/axe-core/axe.min.js') });
    const v = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
      .filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`));
    if (v.length) failures.push(`${hash} (${scheme}): ${v.join('; ')}`);
    await page.close();
  }
  assert.deepEqual(failures, []);
});
