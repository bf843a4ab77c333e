// Design note: exports of a graph (the explorer's and the loss workbench's). Both hand over
// "lines": {label (legend), column (CSV header), color, dashed, width, values}, sampled at xs.
// PNG copies uPlot's canvas (already at device resolution) and adds a legend; SVG is written
// from the same sampled values with its own axes, so it stays a vector drawing that scales into
// slides and papers; CSV holds every sample at full float64 precision (shortest round-trip
// decimal).
import { download, tickLabels } from './util.js';

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

// plots: one LinePlot, or several drawn one below the other (the explorer's f and f′ panels)
export function exportPNG(plots, lines, filename) {
  const srcs = [plots].flat().map((p) => p.canvas()).filter(Boolean);
  if (!srcs.length) return;
  const first = [plots].flat()[0];
  const dpr = srcs[0].width / srcs[0].clientWidth || 1;
  const lineH = 20 * dpr;
  const plotsH = srcs.reduce((t, c) => t + c.height, 0);
  const out = document.createElement('canvas');
  out.width = Math.max(...srcs.map((c) => c.width));
  out.height = plotsH + Math.ceil(lines.length * lineH + 16 * dpr);
  const ctx = out.getContext('2d');
  const cs = getComputedStyle(first.container);
  ctx.fillStyle = cs.getPropertyValue('--surface').trim() || '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  let top = 0;
  for (const c of srcs) { ctx.drawImage(c, 0, top); top += c.height; }
  ctx.font = `${13 * dpr}px ${cs.getPropertyValue('--font-ui') || 'sans-serif'}`;
  ctx.textBaseline = 'middle';
  lines.forEach((e, k) => {
    const y = plotsH + 8 * dpr + lineH * (k + 0.5);
    ctx.strokeStyle = e.color;
    ctx.lineWidth = 2 * dpr;
    ctx.setLineDash(e.dashed ? [6 * dpr, 4 * dpr] : []);
    ctx.beginPath();
    ctx.moveTo(60 * dpr, y);
    ctx.lineTo(90 * dpr, y);
    ctx.stroke();
    ctx.fillStyle = cs.getPropertyValue('--fg').trim() || '#222';
    ctx.fillText(e.label, 98 * dpr, y);
  });
  out.toBlob((blob) => download(blob, filename));
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
