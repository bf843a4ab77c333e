// Design note: a layer × value heatmap, the depth view's picture of a distribution per layer that
// stays readable at 100 layers (a ridgeline of 100 curves does not). Row l is layer l (layer 1, the
// input side, at the top), columns are the histogram's bins over ONE value range shared by every
// layer (net-depth-model.js asks the engine for it), so a distribution narrowing layer by layer
// reads as a column closing in on 0 — vanishing — and one spreading as the row widening. Each row is
// shaded relative to its own fullest bin (the shape of every layer is visible, whatever its count);
// entries outside the range are none here: the range covers every finite value. The shade is the
// square root of that share (a thin tail still shows beside the peak), so "half as dark" is a
// quarter as full: the page says so, and ShadeKey draws the scale with the same shadeColor, its
// ticks at the shares they name — a linear reading of the shade would mislead. Beside the rows, two
// narrow columns mark the dead units' and the saturated entries' shares per layer. A row is picked
// by pointer or by ↑/↓ on the focused graph; the owner shows that layer's numbers.
import { prepare, themeOf, niceTicks, labelled, drawAxis, rgbOf } from './net-canvas.js';
import { fmt } from './util.js';

// A bin holding `share` (0..1) of its layer's fullest bin's count: √share of the way from the
// background to the accent (one function for the cells and the key).
export const shadeOf = (share) => Math.sqrt(share);
export function shadeColor(share, bg, fg) {
  const t = shadeOf(share);
  return `rgb(${bg.map((v, k) => Math.round(v + (fg[k] - v) * t)).join(',')})`;
}

export class Heatmap {
  constructor(canvas, { height = 300, onPick, marks = true } = {}) {
    this.canvas = canvas;
    this.height = height;
    this.onPick = onPick;
    this.marks = marks;
    this.ticks = { x: [], y: [] };
    this.picked = null;
    this.box = null;
    canvas.tabIndex = 0;
    canvas.addEventListener('pointermove', (e) => this.pickAt(e));
    canvas.addEventListener('click', (e) => this.pickAt(e));
    canvas.addEventListener('keydown', (e) => {
      if (!this.data) return;
      const n = this.data.rows.length;
      const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 }[e.key];
      let next = null;
      if (step) next = Math.min(n - 1, Math.max(0, (this.picked ?? -1) + step));
      else if (e.key === 'Home') next = 0;
      else if (e.key === 'End') next = n - 1;
      if (next === null) return;
      e.preventDefault();
      this.pick(next);
    });
  }

  pickAt(e) {
    if (!this.box || !this.data) return;
    const r = this.canvas.getBoundingClientRect();
    const y = e.clientY - r.top;
    const { y: top, h } = this.box;
    if (y < top || y > top + h) return;
    this.pick(Math.min(this.data.rows.length - 1, Math.floor(((y - top) / h) * this.data.rows.length)));
  }

  pick(i) {
    if (i === this.picked) return;
    this.picked = i;
    this.draw();
    this.onPick?.(i);
  }

  // data: {rows: [{counts, dead, saturated}], range: [lo, hi], xLabel}
  update(data) {
    this.data = data;
    if (this.picked !== null && this.picked >= data.rows.length) this.picked = null;
    this.draw();
  }

  draw() {
    const data = this.data;
    if (!data) return;
    const { ctx, width, height } = prepare(this.canvas, typeof this.height === 'function' ? this.height() : this.height);
    const th = themeOf(this.canvas);
    const n = data.rows.length;
    // margins and the marks' columns grow with the type (presentation type: 1.5×)
    const markCol = Math.round(th.px * 1.9);
    const markW = this.marks ? 2 * markCol + 12 : 0;
    const left = Math.round(16 + th.px * 2.4);
    const box = { x: left, y: 8, w: Math.max(40, width - left - 10 - markW), h: height - 8 - 2.8 * th.px - 16 };
    this.box = box;
    const [lo, hi] = data.range;
    const bins = data.rows[0]?.counts.length ?? 1;
    const bg = rgbOf(th.bg);
    const fg = rgbOf(th.accent);
    const rowH = box.h / n;
    const colW = box.w / bins;
    for (let l = 0; l < n; l++) {
      const c = data.rows[l].counts;
      let max = 0;
      for (const v of c) if (v > max) max = v;
      for (let b = 0; b < bins; b++) {
        if (!(c[b] > 0)) continue;
        ctx.fillStyle = shadeColor(c[b] / max, bg, fg);
        ctx.fillRect(box.x + b * colW, box.y + l * rowH, Math.ceil(colW), Math.ceil(rowH));
      }
    }
    ctx.strokeStyle = th.grid;
    ctx.strokeRect(box.x + 0.5, box.y + 0.5, box.w, box.h);
    // the value 0, where a distribution closes in when it vanishes
    if (lo < 0 && hi > 0) {
      const x0 = box.x + ((0 - lo) / (hi - lo)) * box.w;
      ctx.save();
      ctx.setLineDash([3, 3]);
      ctx.strokeStyle = th.axis;
      ctx.globalAlpha = 0.6;
      ctx.beginPath(); ctx.moveTo(x0, box.y); ctx.lineTo(x0, box.y + box.h); ctx.stroke();
      ctx.restore();
    }
    const xAt = (v) => box.x + ((v - lo) / (hi - lo)) * box.w;
    ctx.font = th.font;
    const half = (t) => ctx.measureText(t.label).width / 2;
    // (a label at the right end that would run into the marks' "dead" ("0.65") or off the canvas
    // (the presentation type's "200"): left out)
    const ticksFor = (k) => labelled(niceTicks(lo, hi, k).filter((v) => v >= lo && v <= hi))
      .filter((t) => xAt(t.value) + half(t) <= (this.marks ? box.x + box.w + 3 : width - 1));
    const apart = (ts) => ts.every((t, i) => i === 0 || xAt(ts[i - 1].value) + half(ts[i - 1]) + 4 <= xAt(t.value) - half(t));
    // fewer ticks while two labels would touch (the presentation type on a narrow graph)
    let k = Math.max(2, Math.floor(box.w / (th.px * 5.8)));
    let xTicks = ticksFor(k);
    while (k > 1 && !apart(xTicks)) xTicks = ticksFor(--k);
    // one label says nothing of the scale (tanh's -1..1 at 200 px got "0" alone): more, while they fit
    for (let j = k + 1; xTicks.length < 2 && j <= k + 8; j++) {
      const more = ticksFor(j);
      if (more.length > xTicks.length && apart(more)) xTicks = more;
    }
    const yTicks = labelled(niceTicks(1, n, Math.min(n - 1, Math.max(1, Math.floor(box.h / (th.px * 2.4)))), true).filter((v) => v >= 1 && v <= n));
    this.ticks = { x: xTicks, y: yTicks };
    drawAxis(ctx, th, 'bottom', xTicks, xAt, box, data.xLabel);
    drawAxis(ctx, th, 'left', yTicks, (v) => box.y + (v - 0.5) * rowH, box, 'layer');
    if (this.marks) this.drawMarks(ctx, th, box, rowH, markCol);
    if (this.picked !== null) {
      ctx.strokeStyle = th.fg;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(box.x - 0.5, box.y + this.picked * rowH - 0.5, box.w + 1 + markW, Math.max(2, rowH) + 1);
    }
  }

  // Two columns: the share of dead units and of saturated entries, as bars from the left.
  drawMarks(ctx, th, box, rowH, colW) {
    const x0 = box.x + box.w + 6;
    ctx.save();
    ctx.font = `${Math.round(th.px * 0.85)}px ${th.font.split('px ')[1]}`;
    ctx.fillStyle = th.muted;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillText('dead', x0 + colW / 2, box.y + box.h + 4);
    ctx.fillText('sat.', x0 + colW + 4 + colW / 2, box.y + box.h + 4);
    for (const [k, key, color] of [[0, 'dead', th.error], [1, 'saturated', th.muted]]) {
      const x = x0 + k * (colW + 4);
      ctx.strokeStyle = th.grid;
      ctx.strokeRect(x + 0.5, box.y + 0.5, colW, box.h);
      ctx.fillStyle = color;
      this.data.rows.forEach((r, l) => {
        const v = r[key];
        if (Number.isFinite(v) && v > 0) ctx.fillRect(x + 1, box.y + l * rowH, Math.max(1.5, (colW - 1) * v), Math.max(1, Math.ceil(rowH)));
      });
    }
    ctx.restore();
  }
}

// The heatmaps' colour scale: a bar from an empty bin (the background) to the layer's fullest bin,
// each tick at the shade a bin of that share gets (√share along the bar: 25 % is half-way), so the
// key reads what a cell's shade means. this.ticks: [{value: share, label}], as the graphs'. It is
// drawn on a canvas of its own and shown as an <img> of it: it is no graph of the data (the
// graphs' canvases say "first 32 of 256 examples" while a redraw is partial; the key never changes).
export const KEY_SHARES = [0, 0.05, 0.25, 0.5, 1];
export class ShadeKey {
  constructor(img) {
    this.img = img;
    this.canvas = document.createElement('canvas');
    this.ticks = [];
    this.box = null;
    this.drawn = '';
  }

  // (again only when the theme, the type or the width changed)
  update() {
    const th = themeOf(this.img);
    const key = `${th.key}|${th.bg}|${th.accent}|${this.widthFor(th)}|${window.devicePixelRatio}`;
    if (key !== this.drawn) this.draw();
  }

  widthFor(th) {
    return Math.min(Math.max(120, Math.floor(this.img.parentElement?.clientWidth || 300)), Math.round(th.px * 22));
  }

  draw() {
    const th = themeOf(this.img);
    const w = this.widthFor(th);
    this.drawn = `${th.key}|${th.bg}|${th.accent}|${w}|${window.devicePixelRatio}`;
    const { ctx, width, height } = prepare(this.canvas, Math.round(14 + th.px * 1.6), w);
    ctx.font = th.font;
    const label = (s) => (s === 0 ? '0' : `${fmt(100 * s)} %`);
    // room for half the end labels ("0", "100 %") beside the bar
    const padL = Math.ceil(ctx.measureText(label(KEY_SHARES[0])).width / 2) + 2;
    const padR = Math.ceil(ctx.measureText(label(KEY_SHARES.at(-1))).width / 2) + 2;
    const box = { x: padL, y: 2, w: width - padL - padR, h: 10 };
    this.box = box;
    const bg = rgbOf(th.bg);
    const fg = rgbOf(th.accent);
    // one column per CSS pixel, each the shade of the share at its centre (the shade is linear along the bar)
    for (let i = 0; i < box.w; i++) {
      const t = (i + 0.5) / box.w;
      ctx.fillStyle = shadeColor(t * t, bg, fg);
      ctx.fillRect(box.x + i, box.y, 1, box.h);
    }
    ctx.strokeStyle = th.grid;
    ctx.strokeRect(box.x - 0.5, box.y - 0.5, box.w + 1, box.h + 1);
    this.ticks = KEY_SHARES.map((value) => ({ value, label: label(value) }));
    ctx.fillStyle = th.axis;
    ctx.strokeStyle = th.axis;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of this.ticks) {
      const x = this.xOf(t.value);
      ctx.beginPath(); ctx.moveTo(x, box.y + box.h); ctx.lineTo(x, box.y + box.h + 3); ctx.stroke();
      ctx.fillText(t.label, x, box.y + box.h + 4);
    }
    this.img.width = width;
    this.img.height = height;
    this.img.src = this.canvas.toDataURL();
  }

  // where the bar has the shade of `share` (CSS pixels)
  xOf(share) { return this.box.x + shadeOf(share) * this.box.w; }
}
