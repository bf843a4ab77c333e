// Shared set-up for the browser tests: Debian's Chromium driven by playwright-core (no browser
// download), a fresh profile per launch, dist/ served from 127.0.0.1 by tools/serve.mjs, and a
// page wrapper that records console errors and uncaught exceptions so every test can assert
// there were none.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serve } from '../../tools/serve.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const dist = join(root, 'dist');
export const fileUrl = pathToFileURL(join(dist, 'index.html')).href;
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export async function launch() {
  if (!existsSync(join(dist, 'app.js'))) throw new Error('dist/app.js is missing: run bash tools/build.sh first');
  const profile = mkdtempSync(join(tmpdir(), 'lab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  const server = await serve(dist, 0);
  const base = `http://127.0.0.1:${server.address().port}/`;
  return {
    context,
    base,
    async page(url, opts = {}) {
      const page = await context.newPage();
      if (opts.viewport) await page.setViewportSize(opts.viewport);
      if (opts.colorScheme) await page.emulateMedia({ colorScheme: opts.colorScheme });
      page.problems = [];
      page.requests = [];
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') page.problems.push(`console.${m.type()}: ${m.text()}`); });
      page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
      page.on('request', (r) => page.requests.push(r.url()));
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
