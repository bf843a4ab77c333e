// Saves the README's screenshots under docs/screenshots/: the explorer, the loss workbench and the
// vector view, light and dark, desktop and phone width, and the two embeds at their smallest
// supported size (400×300). Run after a build: `node web/screenshots.mjs` (ONLY=depth,embed-loss
// takes just those).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, open, root } from '../tests/browser/browser.mjs';

const out = join(root, 'docs/screenshots');
mkdirSync(out, { recursive: true });
const views = {
  explorer: '#f=ELU(alpha=0.5)&f=GELU&f=Sigmoid&f=LeakyReLU(negative_slope=0.1):f&x=-4,4',
  workbench: '#tab=loss&loss=CrossEntropyLoss&p.weight=[1.0,2.0,0.5]',
  vector: '#vec=Softmax&vx=[1.0,2.0,0.5,-1.0]&T=1.5',
  // "Your formula": Swish with beta = 1.5 against SiLU (its beta = 1), the compare readout below
  formula: '#f=formula(beta=1.5)&fx=x * sigmoid(beta * x)&f=SiLU',
  depth: '#net=depth&d.depth=30&d.init=xavier_normal',  // the Network tab's depth view (tanh, Xavier)
  // the training playground: a three-class spiral after 900 steps (replayed from the link)
  playground: '#net=train&data=spiral(n=300,noise=0.2,classes=3)&hidden=16,16,16&act=ReLU&head=CrossEntropyLoss&opt=Adam(lr=0.01)&steps=900',
};
const embeds = {  // name: [link, what shows the point]
  'embed-graph': ['#embed=graph&f=GELU&f=ReLU&x=-3,3', '.u-over'],
  'embed-loss': ['#embed=loss&loss=MSELoss', '#loss-value'],
  'embed-depth': ['#embed=depth&d.depth=20&d.width=64&d.batch=32', '.net-summary:not(:empty)'],
  'embed-network': ['#embed=network&data=moons(noise=0.3)&hidden=8,8&steps=260', '.nt-readout[data-exact^="["]'],
};
const sizes = { desktop: { width: 1440, height: 960 }, phone: { width: 390, height: 844 } };
const only = process.env.ONLY?.split(',');
for (const list of [views, embeds]) for (const k of Object.keys(list)) if (only && !only.includes(k)) delete list[k];

const b = await launch();
try {
  for (const [view, hash] of Object.entries(views)) {
    for (const [size, viewport] of Object.entries(sizes)) {
      for (const theme of ['light', 'dark']) {
        if (view === 'vector' && size === 'phone' && theme === 'dark') continue;
        const page = await b.context.newPage();
        await page.setViewportSize(viewport);
        await page.emulateMedia({ colorScheme: theme });
        await open(page, b.base + hash);
        if (view === 'depth') {  // drawn, and the phase diagram's χ = 1 line traced
          await page.waitForFunction(() => document.querySelector('.net-table tbody tr') && !/Tracing/.test(document.querySelector('.net-phase-note')?.textContent ?? 'Tracing'), null, { timeout: 120000 });
        } else if (view === 'playground') await page.waitForSelector('.nt-readout[data-exact^="["]', { timeout: 120000 });
        else if (view === 'formula') await page.waitForSelector('.compare-table tbody tr', { timeout: 60000 });
        else await page.waitForSelector('.u-over, #jacobian');
        await page.mouse.move(-1, -1);
        await page.waitForTimeout(150);
        const file = join(out, `${view}-${size}-${theme}.png`);
        // desktop: the whole page; phone: the first two screens or so
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        await page.screenshot(size === 'phone'
          ? { path: file, fullPage: true, clip: { x: 0, y: 0, width: viewport.width, height: Math.min(height, 1700) } }
          : { path: file, fullPage: true });
        console.log(`saved ${file}`);
        await page.close();
      }
    }
  }
  for (const [name, [hash, selector]] of Object.entries(embeds)) {
    const page = await b.context.newPage();
    await page.setViewportSize({ width: 400, height: 300 });
    await open(page, b.base + hash);
    await page.waitForSelector(selector);
    await page.mouse.move(-1, -1);
    await page.waitForTimeout(150);
    const file = join(out, `${name}-400x300.png`);
    await page.screenshot({ path: file });
    console.log(`saved ${file}`);
    await page.close();
  }
} finally {
  await b.close();
}
