// Design note: the small live charts beside the picture — losses and accuracy over steps, each
// layer's gradient norm over steps on a log axis (vanishing gradients are lines drifting apart by
// decades, which a linear axis would flatten into the floor), and dead units per layer as bars.
// uPlot (plot.js) has no log axis in our wrapper and these charts redraw every frame with a
// growing history, so they are a few dozen lines of canvas each, on net-canvas.js's helpers. Tick
// labels come from util.js's tickLabels (every label names its own position) and are kept on
// `this.ticks` for the tests; a log axis labels its powers of ten. Colours are the palette's (a
// layer keeps its colour in every chart) and the theme's CSS variables.
import { colorOf } from './palette.js';
import { themeOf, watchWidth, prepare, niceTicks, decadeLabel, labelled } from './net-canvas.js';
import { svgContext } from './net-train-svg.js';

// draw(to): to(w, h) gives the context to draw on instead of the chart's canvas (the SVG file).
function svgOf(chart) {
  let rec = null;
  chart.draw((w, h) => (rec = svgContext(w, h)));
  return rec.toString();
}

export class LineChart {
  // opts: { label, yLabel, log, yMin, yMax, height }
  constructor(container, opts) {
    this.opts = opts;
    this.container = container;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'nt-chart';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', opts.label);
    container.append(this.canvas);
    this.series = [];
    this.ticks = { x: [], y: [] };
    this.box = watchWidth(container, () => this.draw());
  }

  destroy() { this.box.disconnect(); }

  // series: [{ label, color, dash, xs: number[], ys: number[] }]
  update(series) {
    this.series = series;
    this.draw();
  }

  svg() { return svgOf(this); }

  draw(to = null) {
    const w = Math.max(160, Math.floor(this.box.width));
    const c = themeOf(this.container);
    const k = c.px / 12;  // present=1: larger type, taller charts, wider margins
    const h = Math.round((this.opts.height ?? 150) * k);
    const ctx = to ? to(w, h) : prepare(this.canvas, h, w).ctx;
    ctx.fillStyle = c.bg;
    ctx.fillRect(0, 0, w, h);
    const log = !!this.opts.log;
    const tf = (v) => (log ? Math.log10(v) : v);
    let xmax = 1, ylo = Infinity, yhi = -Infinity;
    for (const s of this.series) {
      for (let i = 0; i < s.xs.length; i++) {
        const y = s.ys[i];
        if (!Number.isFinite(y) || (log && !(y > 0))) continue;
        xmax = Math.max(xmax, s.xs[i]);
        ylo = Math.min(ylo, tf(y)); yhi = Math.max(yhi, tf(y));
      }
    }
    if (this.opts.yMin !== undefined) ylo = tf(this.opts.yMin);
    if (this.opts.yMax !== undefined) yhi = tf(this.opts.yMax);
    if (!Number.isFinite(ylo)) { ylo = log ? -1 : 0; yhi = log ? 1 : 1; }
    if (log) { ylo = Math.floor(ylo); yhi = Math.max(ylo + 1, Math.ceil(yhi)); }
    else if (yhi - ylo < 1e-12) { yhi = ylo + (Math.abs(ylo) || 1) * 0.5; ylo -= (Math.abs(ylo) || 1) * 0.5; }
    const pad = { l: Math.round(52 * k), r: 8, t: 8, b: Math.round(22 * k) };
    const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
    const X = (x) => pad.l + (x / xmax) * pw;
    const Y = (y) => pad.t + (1 - (y - ylo) / (yhi - ylo)) * ph;
    ctx.font = `${c.px - 1}px ${c.family}`;
    ctx.strokeStyle = c.grid;
    ctx.fillStyle = c.axis;
    ctx.lineWidth = 1;
    let yt;
    if (log) {
      const stride = Math.max(1, Math.ceil((yhi - ylo) / 5));
      yt = [];
      for (let e = ylo; e <= yhi; e += stride) yt.push(e);
    } else yt = niceTicks(ylo, yhi, 4).filter((v) => v >= ylo && v <= yhi);
    const ylab = log ? yt.map(decadeLabel) : labelled(yt).map((t) => t.label);
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    yt.forEach((v, i) => { const y = Y(v); ctx.beginPath(); ctx.moveTo(pad.l, y); ctx.lineTo(pad.l + pw, y); ctx.stroke(); ctx.fillText(ylab[i], pad.l - 5, y); });
    // steps are whole numbers: no tick at step 0.5; a label at the right end is kept inside the canvas
    const xt = niceTicks(0, xmax, 4, true).filter((v) => v <= xmax);
    const xlab = labelled(xt).map((t) => t.label);
    ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    const xspan = xt.map((v, i) => {
      const half = ctx.measureText(xlab[i]).width / 2;
      const at = Math.min(X(v), w - 1 - half);
      ctx.fillText(xlab[i], at, pad.t + ph + 5);
      return [at - half, at + half];
    });
    this.ticks = { x: xt.map((value, i) => ({ value, label: xlab[i], span: xspan[i] })), y: yt.map((v, i) => ({ value: log ? 10 ** v : v, label: ylab[i] })), width: w };
    ctx.strokeStyle = c.axis;
    ctx.strokeRect(pad.l, pad.t, pw, ph);
    ctx.save();
    ctx.beginPath(); ctx.rect(pad.l, pad.t, pw, ph); ctx.clip();
    for (const s of this.series) {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = s.width ?? 2;
      ctx.setLineDash(s.dash ?? []);
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < s.xs.length; i++) {
        const y = s.ys[i];
        if (!Number.isFinite(y) || (log && !(y > 0))) { pen = false; continue; }
        const px = X(s.xs[i]), py = Y(tf(y));
        if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
        pen = true;
      }
      if (s.xs.length === 1 && pen) { ctx.arc(X(s.xs[0]), Y(tf(s.ys[0])), 1.5, 0, 2 * Math.PI); }
      ctx.stroke();
    }
    ctx.restore();
    ctx.setLineDash([]);
  }
}

// Dead (or saturated) share per layer, as horizontal bars from 0 to 100 %.
export class BarChart {
  constructor(container, opts) {
    this.opts = opts;
    this.container = container;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'nt-chart';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', opts.label);
    container.append(this.canvas);
    this.rows = [];
    this.box = watchWidth(container, () => this.draw());
  }

  destroy() { this.box.disconnect(); }

  // rows: [{ label, value (0..1 or NaN), text }]
  update(rows, theme) {
    this.rows = rows;
    this.theme = theme;
    this.draw();
  }

  svg() { return svgOf(this); }

  draw(to = null) {
    const w = Math.max(160, Math.floor(this.box.width));
    const c = themeOf(this.container);
    const k = c.px / 12;
    const rowH = Math.round(18 * k);
    const h = Math.max(40, this.rows.length * rowH + 10);
    const ctx = to ? to(w, h) : prepare(this.canvas, h, w).ctx;
    ctx.fillStyle = c.bg;
    ctx.fillRect(0, 0, w, h);
    ctx.font = `${c.px - 1}px ${c.family}`;
    const l = Math.round(70 * k), r = Math.round(60 * k);
    this.rows.forEach((row, i) => {
      const y = 5 + i * rowH;
      ctx.fillStyle = c.fg;
      ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
      ctx.fillText(row.label, 0, y + rowH / 2);
      ctx.fillStyle = c.bg2;
      ctx.fillRect(l, y + 3, w - l - r, rowH - 6);
      if (Number.isFinite(row.value)) {
        ctx.fillStyle = colorOf(row.color ?? i, this.theme);
        ctx.fillRect(l, y + 3, (w - l - r) * row.value, rowH - 6);
      }
      ctx.fillStyle = c.fg;
      ctx.textAlign = 'right';
      ctx.fillText(row.text, w, y + rowH / 2);
    });
  }
}
