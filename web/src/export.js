// Design note: exports of a graph (the explorer's and the loss workbench's). Both hand over
// "lines": {label (legend), column (CSV header), color, dashed, width, values}, sampled at xs.
// SVG is written from the sampled values with its own axes, so it stays a vector drawing that
// scales into slides and papers; PNG is that drawing rasterised (2× by default, on a light
// background by default, so a dark-mode graph still prints on white); CSV holds every sample at full float64 precision (shortest round-trip
// decimal).
import { download, tickLabels } from './util.js';
import { colorOf, MAX_CURVES } from './palette.js';

export function exportCSV(xs, lines, filename, xName = 'x') {
  const out = [[xName, ...lines.map((l) => l.column ?? l.label)].map(csvField).join(',')];
  for (let i = 0; i < xs.length; i++) {
    const row = [num(xs[i])];
    for (const l of lines) row.push(num(l.values[i]));
    out.push(row.join(','));
  }
  download(out.join('\n') + '\n', filename, 'text/csv');
  return out.length - 1;
}
const num = (v) => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v));
const csvField = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

// PNG: the SVG drawing of the same graph (buildSVG, the same ticks and legend), rasterised at
// `scale` × its size — on the light theme's colours when `light` (a dark-mode graph for a white
// slide or paper), else on the page's own. pngOptions is the page's choice (pngOptionsControl).
export const pngOptions = { scale: 2, light: true };

export function pngOptionsControl(id) {
  const choices = [['2-light', '2× · light background'], ['2-page', '2× · as on screen'], ['1-light', '1× · light background'], ['1-page', '1× · as on screen'], ['3-light', '3× · light background']];
  const sel = document.createElement('select');
  sel.id = id;
  sel.className = 'png-options';
  sel.setAttribute('aria-label', 'PNG size and background');
  sel.dataset.field = 'png';
  for (const [v, t] of choices) sel.append(new Option(t, v));
  const sync = () => { sel.value = `${pngOptions.scale}-${pngOptions.light ? 'light' : 'page'}`; };
  sync();
  sel.addEventListener('focus', sync);
  sel.addEventListener('change', () => {
    const [k, bg] = sel.value.split('-');
    pngOptions.scale = Number(k);
    pngOptions.light = bg === 'light';
  });
  return sel;
}

// The light theme's colours, read from the stylesheet (a detached .lab[data-theme=light] probe).
export function themeVars(el, light) {
  let probe = null;
  if (light) {
    probe = document.createElement('div');
    probe.className = 'lab';
    probe.dataset.theme = 'light';
    probe.hidden = true;
    document.body.append(probe);
  }
  const cs = getComputedStyle(probe ?? el);
  const v = (name, fallback) => cs.getPropertyValue(name).trim() || fallback;
  const out = { fg: v('--fg', '#222'), bg: v('--surface', '#fff'), grid: v('--plot-grid', '#e3e3e3'), muted: v('--muted', '#666'), bar: v('--muted-bar', '#98a2b3'), axis: v('--plot-axis', '#555') };
  probe?.remove();
  return out;
}

// Draws an SVG text at scale × its width/height onto a canvas and downloads it as PNG.
export function rasterize(svg, filename, scale, bg) {
  const [w, hgt] = /width="([\d.]+)" height="([\d.]+)"/.exec(svg).slice(1).map(Number);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  const img = new Image();
  return new Promise((ok, fail) => {
    img.onload = () => {
      const out = document.createElement('canvas');
      out.width = Math.round(w * scale);
      out.height = Math.round(hgt * scale);
      const ctx = out.getContext('2d');
      ctx.fillStyle = bg;
      ctx.fillRect(0, 0, out.width, out.height);
      ctx.drawImage(img, 0, 0, out.width, out.height);
      URL.revokeObjectURL(url);
      out.toBlob((blob) => { download(blob, filename); ok(out); });
    };
    img.onerror = () => { URL.revokeObjectURL(url); fail(new Error('the drawing could not be rasterised')); };
    img.src = url;
  });
}

// plots: one LinePlot, or several drawn one below the other (the explorer's f and f′ panels);
// lines give the legend's words for the series each plot shows (matched by colour and dash).
export function exportPNG(plots, lines, filename, opts = pngOptions) {
  const ps = [plots].flat().filter((p) => p.data);
  if (!ps.length) return null;
  const colors = themeVars(ps[0].container, opts.light);
  const recolor = (c) => (opts.light ? toLight(c) : c);
  const svgs = ps.map((p, k) => {
    const shown = p.series.map((s, i) => ({ s, values: p.data[i + 1] })).filter(({ s }) => s.show !== false);
    const own = shown.map(({ s, values }) => ({
      label: lines.find((l) => l.color === s.color && !!l.dashed === !!s.dash)?.label ?? s.label,
      color: recolor(s.color), width: s.width, dashed: !!s.dash, values,
    }));
    return buildSVG(p.data[0], own, p.xRange, p.yRange(), colors, p.opts.xLabel || 'x', `png-area-${k}`);
  });
  return rasterize(svgs.length === 1 ? svgs[0] : stackSVG(svgs), filename, opts.scale, colors.bg);
}

// a curve's colour in the light theme: the same palette entry
export function toLight(c) {
  for (let i = 0; i < MAX_CURVES; i++) if (colorOf(i, 'dark').toLowerCase() === String(c).toLowerCase()) return colorOf(i, 'light');
  return c;
}

export function niceTicks(lo, hi, count = 6) {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / count;
  const e = 10 ** Math.floor(Math.log10(raw));
  const m = raw / e;
  const step = (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * e;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// clip: the clip-path id, unique per panel when several SVGs are stacked into one file
export function buildSVG(xs, lines, xRange, yRange, colors = {}, xLabel = 'x', clip = 'plot-area') {
  const W = 800;
  const entries = lines;
  const H = 480 + entries.length * 20;
  const m = { l: 64, r: 20, t: 20, b: 48 + entries.length * 20 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const [x0, x1] = xRange;
  const [y0, y1] = yRange;
  const X = (v) => m.l + ((v - x0) / (x1 - x0)) * pw;
  const Y = (v) => m.t + ((y1 - v) / (y1 - y0)) * ph;
  const fg = colors.fg ?? '#222';
  const grid = colors.grid ?? '#e3e3e3';
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="${colors.bg ?? '#fff'}"/>`,
    `<defs><clipPath id="${clip}"><rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}"/></clipPath></defs>`];
  const xt = niceTicks(x0, x1, 8);
  const yt = niceTicks(y0, y1, 6);
  const xl = tickLabels(xt);
  const yl = tickLabels(yt);
  // tick-x / tick-y: a test maps each label's position back through X / Y and compares
  xt.forEach((t, i) => parts.push(`<line x1="${X(t).toFixed(2)}" x2="${X(t).toFixed(2)}" y1="${m.t}" y2="${m.t + ph}" stroke="${t === 0 ? '#999' : grid}"/>`,
    `<text class="tick-x" x="${X(t).toFixed(2)}" y="${m.t + ph + 16}" text-anchor="middle" fill="${fg}">${xl[i]}</text>`));
  yt.forEach((t, i) => parts.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${Y(t).toFixed(2)}" y2="${Y(t).toFixed(2)}" stroke="${t === 0 ? '#999' : grid}"/>`,
    `<text class="tick-y" x="${m.l - 6}" y="${(Y(t) + 4).toFixed(2)}" text-anchor="end" fill="${fg}">${yl[i]}</text>`));
  parts.push(`<text x="${m.l + pw / 2}" y="${m.t + ph + 34}" text-anchor="middle" fill="${fg}" font-weight="600">${esc(xLabel)}</text>`);
  parts.push(`<g clip-path="url(#${clip})" fill="none" stroke-linejoin="round">`);
  for (const l of lines) {
    let d = '';
    let pen = false;
    for (let i = 0; i < xs.length; i++) {
      const v = l.values[i];
      if (!Number.isFinite(v)) { pen = false; continue; }
      const yy = Math.max(-1e5, Math.min(1e5, Y(v)));
      d += `${pen ? 'L' : 'M'}${X(xs[i]).toFixed(2)} ${yy.toFixed(2)}`;
      pen = true;
    }
    parts.push(`<path d="${d}" stroke="${l.color}" stroke-width="${l.width ?? 2}"${l.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
  }
  parts.push('</g>', `<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="${grid}"/>`);
  entries.forEach((e, k) => {
    const y = m.t + ph + 52 + k * 20;
    parts.push(`<line x1="${m.l}" x2="${m.l + 30}" y1="${y}" y2="${y}" stroke="${e.color}" stroke-width="2"${e.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${m.l + 38}" y="${y + 4}" fill="${fg}">${esc(e.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

// panels: [{plot, lines, xLabel?}], drawn one below the other in one SVG file.
export function exportSVG(panels, xs, xRange, filename, xLabel = 'x') {
  const cs = getComputedStyle(panels[0].plot.container);
  const colors = {
    fg: cs.getPropertyValue('--fg').trim() || '#222',
    bg: cs.getPropertyValue('--surface').trim() || '#fff',
    grid: cs.getPropertyValue('--plot-grid').trim() || '#e3e3e3',
  };
  const svgs = panels.map((p, k) => buildSVG(xs, p.lines, xRange, p.plot.yRange(), colors, xLabel, `plot-area-${k}`));
  download(svgs.length === 1 ? svgs[0] : stackSVG(svgs), filename, 'image/svg+xml');
}

// Several standalone SVGs as nested <svg> elements, one below the other.
function stackSVG(svgs) {
  const size = (svg) => /width="(\d+)" height="(\d+)"/.exec(svg).slice(1).map(Number);
  let y = 0;
  let w = 0;
  const body = svgs.map((svg) => {
    const [sw, sh] = size(svg);
    const placed = svg.replace('<svg ', `<svg y="${y}" `);
    y += sh;
    w = Math.max(w, sw);
    return placed;
  });
  return [`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${y}" viewBox="0 0 ${w} ${y}">`, ...body, '</svg>'].join('\n');
}
