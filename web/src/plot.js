// Design note: a thin wrapper over uPlot (canvas, fast enough to redraw 16 series of 2,000
// points inside one frame) for every line chart of the page. It owns what uPlot leaves to us:
// theme colours from CSS variables, sizing to the container (ResizeObserver), rebuilding only when
// the set of series changes (a slider drag only swaps data), marker dots, and optional
// wheel-zoom / drag-pan / double-click-reset of the x-range, which are reported to the owner —
// the owner resamples the functions over the new range, so zooming never just stretches pixels.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { tickLabels } from './util.js';

function themeColors(el) {
  const cs = getComputedStyle(el);
  const v = (name, fallback) => cs.getPropertyValue(name).trim() || fallback;
  return {
    axis: v('--plot-axis', '#555'),
    grid: v('--plot-grid', '#e5e5e5'),
    zero: v('--plot-zero', '#999'),
    text: v('--fg', '#222'),
    bg: v('--surface', '#fff'),
    px: parseFloat(v('--plot-font-size', '12')) || 12,  // larger in the presentation type (teach.js)
    font: `${parseFloat(v('--plot-font-size', '12')) || 12}px ${v('--font-ui', 'system-ui, sans-serif')}`,
  };
}

// Non-finite values become gaps (uPlot skips null, but NaN would break a path).
export function toGaps(arr) {
  const out = new Array(arr.length);
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    out[i] = Number.isFinite(v) ? v : null;
  }
  return out;
}

export class LinePlot {
  constructor(container, opts = {}) {
    this.container = container;
    this.opts = opts;  // {xLabel, yLabel, interactive, onRange(range|null), onCursor(idx|null), height(width), minWidth, xSpace, syncKey}
    this.u = null;
    this.signature = '';
    this.data = null;
    this.xRange = [-1, 1];
    this.markers = [];
    this.yClip = null;
    this.ticks = { x: [], y: [] };
    this.ro = new ResizeObserver(() => this.resize());
    this.ro.observe(container);
  }

  size() {
    const w = Math.max(this.opts.minWidth ?? 200, Math.floor(this.container.clientWidth));  // minWidth: f and f′ side by side in a small embed
    const hgt = this.opts.height?.(w) ?? Math.round(Math.min(440, Math.max(240, w * 0.58)));
    return { width: w, height: Math.max(120, Math.floor(hgt)) };  // a small embed's graph may be 120 px
  }

  resize() {
    if (!this.u) return;
    const s = this.size();
    if (s.width !== this.u.width || s.height !== this.u.height) this.u.setSize(s);
  }

  // series: [{label, color, dash, width, show, values}] ; xs: array ; xRange: [a, b]
  update(xs, series, xRange, markers = []) {
    this.xRange = xRange;
    this.markers = markers;
    this.series = series;
    const data = [xs, ...series.map((s) => s.values)];
    this.data = data;
    const sig = series.map((s) => `${s.label}|${s.color}|${s.dash ?? ''}|${s.show !== false}`).join(';') + `#${this.themeKey ?? ''}`;
    if (!this.u || sig !== this.signature) {
      this.signature = sig;
      this.build(data);
    } else {
      this.u.setData(data, true);
    }
  }

  rebuild() {  // after a theme change
    this.signature = '';
    if (this.data) this.update(this.data[0], this.series, this.xRange, this.markers);
  }

  build(data) {
    this.u?.destroy();
    const c = themeColors(this.container);
    this.colors = c;
    const axis = (label) => ({
      label, ...(label ? {} : { labelSize: 0 }),  // no room kept for an empty label
      stroke: c.axis, font: c.font, labelFont: `600 ${c.font}`,
      grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1, size: 4 },
      // what is drawn is kept (this.ticks.x / .y: [{value, label}]) so a test can read every label
      values: (u, splits, axisIdx) => {
        const labels = tickLabels(splits);
        self.ticks[axisIdx === 0 ? 'x' : 'y'] = splits.map((value, i) => ({ value, label: labels[i] }));
        return labels;
      },
    });
    const self = this;
    const opts = {
      ...this.size(),
      pxAlign: false,
      legend: { show: false },
      scales: {
        x: { time: false, auto: false, range: () => self.xRange },
        // yClip: the owner may cut the axis short of a lone extreme value (drawn off the top)
        y: { range: (u, min, max) => padRange(self.yClip ? Math.max(min, self.yClip[0]) : min, self.yClip ? Math.min(max, self.yClip[1]) : max) },
      },
      // xSpace: the least room between x ticks (uPlot's 50 px leaves a narrow graph one tick)
      axes: [{ ...axis(this.opts.xLabel ?? 'x'), space: this.opts.xSpace ?? 50 }, { ...axis(this.opts.yLabel ?? ''), size: Math.round(56 * c.px / 12) }],
      series: [{}, ...this.series.map((s) => ({
        label: s.label, stroke: s.color, width: s.width ?? 2, dash: s.dash, show: s.show !== false,
        points: { show: false }, spanGaps: false,
      }))],
      cursor: {
        // plots with the same syncKey (the explorer's f and f′ panels) move one crosshair along x
        ...(this.opts.syncKey ? { sync: { key: this.opts.syncKey, setSeries: false, scales: ['x', null] } } : {}),
        drag: { x: false, y: false, setScale: false },
        points: { size: 8, width: 2, fill: c.bg },
        focus: { prox: -1 },
      },
      hooks: {
        drawAxes: [(u) => self.drawZeroLines(u)],
        draw: [(u) => self.drawMarkers(u)],
        setCursor: [(u) => self.opts.onCursor?.(u.cursor.idx ?? null, u)],
      },
    };
    this.u = new uPlot(opts, data, this.container);
    this.u.root.setAttribute('aria-hidden', 'true');
    if (this.opts.interactive) this.attachPanZoom();
  }

  drawZeroLines(u) {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.strokeStyle = this.colors.zero;
    ctx.lineWidth = Math.max(1, uPlot.pxRatio);
    const x0 = u.valToPos(0, 'x', true);
    const y0 = u.valToPos(0, 'y', true);
    ctx.beginPath();
    if (x0 >= left && x0 <= left + width) { ctx.moveTo(x0, top); ctx.lineTo(x0, top + height); }
    if (y0 >= top && y0 <= top + height) { ctx.moveTo(left, y0); ctx.lineTo(left + width, y0); }
    ctx.stroke();
    ctx.restore();
  }

  drawMarkers(u) {
    if (!this.markers.length) return;
    const ctx = u.ctx;
    const r = 5 * uPlot.pxRatio;
    ctx.save();
    for (const m of this.markers) {
      if (!Number.isFinite(m.x) || !Number.isFinite(m.y)) continue;
      const cx = u.valToPos(m.x, 'x', true);
      const cy = u.valToPos(m.y, 'y', true);
      ctx.beginPath();
      ctx.arc(cx, cy, r, 0, 2 * Math.PI);
      ctx.fillStyle = m.color;
      ctx.fill();
      ctx.lineWidth = 2 * uPlot.pxRatio;
      ctx.strokeStyle = this.colors.bg;
      ctx.stroke();
      if (m.label) {
        ctx.font = `${12 * uPlot.pxRatio}px ${getComputedStyle(this.container).getPropertyValue('--font-ui') || 'sans-serif'}`;
        ctx.fillStyle = this.colors.text;
        ctx.textAlign = cx > u.bbox.left + u.bbox.width * 0.7 ? 'right' : 'left';
        ctx.fillText(m.label, cx + (ctx.textAlign === 'left' ? 1 : -1) * 9 * uPlot.pxRatio, cy - 8 * uPlot.pxRatio);
      }
    }
    ctx.restore();
  }

  attachPanZoom() {
    const over = this.u.over;
    over.style.touchAction = 'pan-y';
    over.style.cursor = 'grab';
    const u = this.u;
    over.addEventListener('wheel', (e) => {
      e.preventDefault();
      const [a, b] = this.xRange;
      const x = u.posToVal(e.offsetX, 'x');
      const k = Math.exp(Math.sign(e.deltaY) * Math.min(Math.abs(e.deltaY), 100) * 0.002);
      this.opts.onRange?.([x - (x - a) * k, x + (b - x) * k]);
    }, { passive: false });
    let drag = null;
    over.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      drag = { x: e.clientX, range: [...this.xRange], id: e.pointerId };
      over.setPointerCapture(e.pointerId);
      over.style.cursor = 'grabbing';
    });
    over.addEventListener('pointermove', (e) => {
      if (!drag || e.pointerId !== drag.id) return;
      const [a, b] = drag.range;
      const dx = ((e.clientX - drag.x) / u.bbox.width) * uPlot.pxRatio * (b - a);
      if (dx !== 0) this.opts.onRange?.([a - dx, b - dx]);
    });
    const end = () => { drag = null; over.style.cursor = 'grab'; };
    over.addEventListener('pointerup', end);
    over.addEventListener('pointercancel', end);
    over.addEventListener('dblclick', () => this.opts.onRange?.(null));
  }

  yRange() {
    return this.u ? [this.u.scales.y.min, this.u.scales.y.max] : [0, 1];
  }

  canvas() {
    return this.u?.ctx.canvas;
  }
}

export function padRange(min, max) {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [-1, 1];
  if (min === max) {
    const d = Math.abs(min) > 0 ? Math.abs(min) * 0.5 : 1;
    return [min - d, max + d];
  }
  const pad = (max - min) * 0.08;
  return [min - pad, max + pad];
}

