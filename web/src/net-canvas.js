// Design note: the one set of canvas helpers of the Network tab's graphs (depth heatmaps, per-layer
// lines, the phase diagram, the playground's picture and its live charts): a canvas sized to its
// box at the screen's pixel ratio, set up once per draw; the theme's colours read from the CSS
// variables the rest of the page uses (once per element and theme: getComputedStyle after a DOM
// change forces a style pass, and a playground frame redraws several canvases); a container's
// width kept by a ResizeObserver (reading clientWidth mid-frame forces a layout); and ticks whose
// labels name their position exactly (util.js tickLabels, as every other graph of the page; a log
// axis labels its decades). Each graph keeps the ticks it drew (graph.ticks) so a test can read
// every label; the drawing itself is the graph's own.
import { tickLabels } from './util.js';

const themeCache = new WeakMap();
export function themeOf(el) {
  // keyed by the theme and the presentation type (present=1 raises --plot-font-size)
  const key = `${el.closest?.('[data-theme]')?.dataset.theme ?? ''}|${el.closest?.('.present') ? 1 : 0}`;
  const hit = themeCache.get(el);
  if (hit && hit.key === key) return hit;
  const cs = getComputedStyle(el);
  const v = (name, fallback) => cs.getPropertyValue(name).trim() || fallback;
  const px = parseFloat(v('--plot-font-size', '12')) || 12;
  const family = v('--font-ui', 'system-ui, sans-serif');
  const t = {
    key, axis: v('--plot-axis', '#555555'), grid: v('--plot-grid', '#e5e5e5'), fg: v('--fg', '#222222'),
    muted: v('--muted', '#666666'), bg: v('--surface', '#ffffff'), bg2: v('--surface-2', '#eeeeee'), accent: v('--accent', '#0a5cc2'),
    error: v('--error', '#b42318'), px, family, font: `${px}px ${family}`,
  };
  themeCache.set(el, t);
  return t;
}

// A container's width, kept by a ResizeObserver; onResize() when it changes. box.disconnect().
export function watchWidth(el, onResize) {
  const box = { width: el.clientWidth };
  const ro = new ResizeObserver((entries) => {
    const w = Math.floor(entries[entries.length - 1].contentRect.width);
    if (w !== box.width) { box.width = w; onResize(); }
  });
  ro.observe(el);
  box.disconnect = () => ro.disconnect();
  return box;
}

// Sizes the canvas to width × height CSS pixels (width left out: its parent's, at least 120) and
// returns a cleared 2-D context in CSS pixels.
export function prepare(canvas, height, width) {
  const dpr = window.devicePixelRatio || 1;
  const w = width ?? Math.max(120, Math.floor(canvas.parentElement?.clientWidth || canvas.clientWidth || 300));
  canvas.style.width = `${w}px`;
  canvas.style.height = `${height}px`;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(height * dpr);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, height);
  return { ctx, width: w, height };
}

// About `n` round ticks in [lo, hi] (1, 2 or 5 × a power of ten apart).
export function niceTicks(lo, hi, n = 5, integer = false) {
  if (!(hi > lo)) return [lo];
  let step = (hi - lo) / Math.max(1, n);
  const e = 10 ** Math.floor(Math.log10(step));
  const m = step / e;
  step = (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * e;
  if (integer) step = Math.max(1, Math.round(step));
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

// Decades between 10^lo and 10^hi (exponents), thinned to at most `n` labels.
export function decadeTicks(lo, hi, n = 6) {
  const a = Math.floor(lo);
  const b = Math.ceil(hi);
  const every = Math.max(1, Math.ceil((b - a) / n));
  const out = [];
  for (let k = Math.ceil(a / every) * every; k <= b; k += every) if (k >= lo - 1e-9 && k <= hi + 1e-9) out.push(k);
  return out;
}

// A decade's label: 10^k written out near 1, in e-notation beyond (Number(label) is 10^k).
export function decadeLabel(k) {
  return k >= -2 && k <= 2 ? String(10 ** k) : `1e${k}`;
}

// Labels for ticks at `values` (what is drawn), as {value, label} pairs.
export function labelled(values) {
  const labels = tickLabels(values);
  return values.map((value, i) => ({ value, label: labels[i] }));
}

// Draws the ticks of one axis. side: 'left' | 'bottom'. pos(value) → pixel.
export function drawAxis(ctx, theme, side, ticks, pos, box, title) {
  ctx.save();
  ctx.font = theme.font;
  ctx.fillStyle = theme.axis;
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  for (const t of ticks) {
    const p = pos(t.value);
    ctx.beginPath();
    if (side === 'left') { ctx.moveTo(box.x - 4, p); ctx.lineTo(box.x, p); } else { ctx.moveTo(p, box.y + box.h); ctx.lineTo(p, box.y + box.h + 4); }
    ctx.stroke();
    if (side === 'left') { ctx.textAlign = 'right'; ctx.textBaseline = 'middle'; ctx.fillText(t.label, box.x - 6, p); } else { ctx.textAlign = 'center'; ctx.textBaseline = 'top'; ctx.fillText(t.label, p, box.y + box.h + 6); }
  }
  if (title) {
    ctx.font = `600 ${theme.font}`;
    if (side === 'left') {
      ctx.translate(Math.round(theme.px * 0.7) + 3, box.y + box.h / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(title, 0, 0);
    } else {
      ctx.textAlign = 'center';
      ctx.textBaseline = 'top';
      ctx.fillText(title, box.x + box.w / 2, box.y + box.h + 8 + theme.px * 1.2);
    }
  }
  ctx.restore();
}

// rgb(a) of a CSS colour string (#rgb, #rrggbb or rgb(...)), for blending.
export function rgbOf(color) {
  const c = color.trim();
  if (c.startsWith('#')) {
    const hex = c.length === 4 ? [...c.slice(1)].map((x) => x + x).join('') : c.slice(1, 7);
    return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  }
  const m = /rgba?\(([^)]+)\)/.exec(c);
  return m ? m[1].split(',').slice(0, 3).map((x) => Number(x.trim())) : [128, 128, 128];
}
