// Shared set-up for the browser tests: Debian's Chromium driven by playwright-core (no browser
// download), a fresh profile per launch, dist/ served from 127.0.0.1 by tools/serve.mjs, and a
// page wrapper that records console errors and uncaught exceptions so every test can assert
// there were none.
// Pages are pooled: a test's page.close() parks the tab on about:blank (its routes removed, the
// mouse back at the corner) and the next b.page() navigates it, instead of opening a tab with its
// own renderer process each time (a new tab cost 0.5-1 s more than a navigation on this machine).
// Every b.page() still starts a new document: nothing of the app's state survives, and the
// viewport and colour scheme are set to what the caller asked for (else the context's default).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serve } from '../../tools/serve.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// LAB_DIST points the suite at another build of the page (a private copy while dist/ is rebuilt).
export const dist = process.env.LAB_DIST ? resolve(process.env.LAB_DIST) : join(root, 'dist');
export const fileUrl = pathToFileURL(join(dist, 'index.html')).href;
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const VIEWPORT = { width: 1280, height: 900 };

export async function launch() {
  if (!existsSync(join(dist, 'app.js'))) throw new Error('dist/app.js is missing: run bash tools/build.sh first');
  const profile = mkdtempSync(join(tmpdir(), 'lab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: VIEWPORT,
    colorScheme: 'light',
    acceptDownloads: true,
  });
  const server = await serve(dist, 0);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const parked = [];
  const fresh = async () => {
    const page = await context.newPage();
    page.problems = [];
    page.requests = [];
    page.scheme = 'light';
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') page.problems.push(`console.${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => page.requests.push(r.url()));
    const closeTab = page.close.bind(page);
    let busy = true;
    page.close = async () => {  // park the tab for the next b.page(); a tab that will not park is closed
      if (!busy) return;
      busy = false;
      try {
        await page.unrouteAll({ behavior: 'ignoreErrors' });
        await page.mouse.move(0, 0);
        await page.goto('about:blank');
        parked.push(page);
      } catch { await closeTab().catch(() => {}); }
    };
    page.reuse = () => { busy = true; };
    return page;
  };
  return {
    context,
    base,
    async page(url, opts = {}) {
      const page = parked.pop() ?? await fresh();
      page.reuse();
      // in front, as a new tab would be: a parked tab behind others is throttled (rAF, timers) —
      // the PNG exports and settled() waits ran 3-4x slower in one
      await page.bringToFront();
      page.problems.length = 0;
      page.requests.length = 0;
      const viewport = opts.viewport ?? VIEWPORT;
      const now = page.viewportSize();
      if (now?.width !== viewport.width || now?.height !== viewport.height) await page.setViewportSize(viewport);
      const scheme = opts.colorScheme ?? 'light';
      if (page.scheme !== scheme) { await page.emulateMedia({ colorScheme: scheme }); page.scheme = scheme; }
      if (url) await open(page, url);
      return page;
    },
    async close() {
      await context.close();
      await new Promise((ok) => server.close(ok));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Navigates and waits until the app has mounted and drawn.
export async function open(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => window.ActivationLossLab?.apps?.length > 0, null, { timeout: 15000 });
}

export const app = (page, expr, arg) => page.evaluate(expr, arg);

// |a - b| <= 1e-12 * max(1, |b|), with NaN == NaN.
export function close(a, b, rel = 1e-12) {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (!Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));
}

export function decode(v) {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return Array.isArray(v) ? v.map(decode) : v;
}

// Waits (instead of a fixed sleep) until the layout has settled: two animation frames in a row in
// which no element matching `sel` moved or changed size. A page or a frame.
export const settled = (where, sel = '.lab, .lab canvas') => where.evaluate(async (s) => {
  const snap = () => [...document.querySelectorAll(s)].map((e) => { const r = e.getBoundingClientRect(); return `${r.x},${r.y},${r.width},${r.height}`; }).join(';');
  let last = snap();
  for (let same = 0, i = 0; same < 2 && i < 120; i++) {
    await new Promise((ok) => requestAnimationFrame(ok));
    const now = snap();
    same = now === last ? same + 1 : 0;
    last = now;
  }
}, sel);

// Two animation frames: one whole rendering update (style, layout, resize observers, paint) has run.
export const frames = (where) => where.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));

// Which of the selectors' elements are not wholly visible: inside the viewport and inside the
// embed's scrolling area (whatever lies under the "Open in the full lab" line is not seen).
export const outsideEmbed = (page, sels) => page.evaluate((list) => {
  const bad = [];
  const main = document.querySelector('.lab.embed .main')?.getBoundingClientRect();
  const top = Math.max(0, main?.top ?? 0);
  const bottom = Math.min(innerHeight, main?.bottom ?? innerHeight);
  for (const sel of list) {
    const els = [...document.querySelectorAll(sel)];
    if (!els.length) bad.push(`${sel}: missing`);
    for (const el of els) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.top < top || r.left < 0 || r.bottom > bottom + 0.5 || r.right > innerWidth + 0.5) {
        bad.push(`${sel}: ${Math.round(r.left)},${Math.round(r.top)} → ${Math.round(r.right)},${Math.round(r.bottom)} in ${innerWidth}×${innerHeight} (seen: ${Math.round(top)}–${Math.round(bottom)})`);
      }
    }
  }
  return bad;
}, sels);
