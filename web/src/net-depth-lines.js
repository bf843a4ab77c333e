// Design note: the depth view's per-layer lines (std of the activations and of the gradients,
// their means, the mean-field prediction dashed over the measured line). Standard deviations
// span many decades across 100 layers — that is the vanishing itself — so they are drawn on a
// log axis whose ticks are decades labelled as such (1e-6, 0.01, 1 … by tickLabels); means cross
// 0 and get a linear axis. Non-finite or (on the log axis) non-positive values leave gaps. A
// horizontal guide (the 1 % line) and a vertical one (the layer where the gradient falls below it)
// can be drawn; the owner says in words what they mean.
import { prepare, themeOf, niceTicks, decadeTicks, decadeLabel, labelled, drawAxis } from './net-canvas.js';

export class LineChart {
  constructor(canvas, { height = 200, log = false, yLabel = '' } = {}) {
    this.canvas = canvas;
    this.height = height;
    this.log = log;
    this.yLabel = yLabel;
    this.ticks = { x: [], y: [] };
  }

  // {n (layers), series: [{label, color, dash, width, values}], hline: {value, label}, vline: {x, label}}
  update(data) {
    this.data = data;
    this.draw();
  }

  draw() {
    const data = this.data;
    if (!data) return;
    const { ctx, width, height } = prepare(this.canvas, typeof this.height === 'function' ? this.height() : this.height);
    const th = themeOf(this.canvas);
    ctx.font = th.font;
    // room on the right for half the last layer's label, centred on the box's edge ("100"); above,
    // for half the top tick's label (the presentation type's "1" was cut at the canvas's edge)
    const right = Math.max(12, Math.ceil(ctx.measureText(String(data.n)).width / 2) + 4);
    const top = Math.max(8, Math.ceil(th.px * 0.5) + 2);
    const h = height - top - 2.8 * th.px - 16;
    const f = this.log ? (v) => (v > 0 && Number.isFinite(v) ? Math.log10(v) : NaN) : (v) => (Number.isFinite(v) ? v : NaN);
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of data.series) for (const v of s.values) { const y = f(v); if (Number.isFinite(y)) { lo = Math.min(lo, y); hi = Math.max(hi, y); } }
    if (data.hline) { const y = f(data.hline.value); if (Number.isFinite(y)) { lo = Math.min(lo, y); hi = Math.max(hi, y); } }
    if (!(lo <= hi)) { lo = this.log ? -1 : -1; hi = 1; }
    if (this.log) { lo = Math.floor(lo - 1e-9); hi = Math.ceil(hi + 1e-9); if (lo === hi) { lo -= 1; hi += 1; } } else {
      if (lo === hi) { const d = Math.abs(lo) || 1; lo -= d / 2; hi += d / 2; }
      const pad = (hi - lo) * 0.06; lo -= pad; hi += pad;
    }
    const n = data.n;
    const yTicks = this.log
      ? decadeTicks(lo, hi, Math.max(2, Math.floor(h / (th.px * 2)))).map((k) => ({ value: k, label: decadeLabel(k) }))
      : labelled(niceTicks(lo, hi, Math.max(2, Math.floor(h / (th.px * 2.5)))).filter((v) => v >= lo && v <= hi));
    // on the left the rotated axis title (its band to about 1.3 × the type's size) and the widest
    // tick label ("-2.0e8", "1e-12") right-aligned 6 px off the box, apart
    const widest = Math.max(0, ...yTicks.map((t) => ctx.measureText(t.label).width));
    const left = Math.ceil(Math.max(20 + th.px * 3, th.px * 1.3 + 3 + 4 + widest + 6));
    const box = { x: left, y: top, w: Math.max(40, width - left - right), h };
    const xPos = (x) => box.x + (n === 1 ? box.w / 2 : ((x - 1) / (n - 1)) * box.w);
    const yPos = (y) => box.y + box.h - ((y - lo) / (hi - lo)) * box.h;
    const xTicks = labelled(niceTicks(1, n, Math.min(Math.max(1, n - 1), Math.max(2, Math.floor(box.w / (th.px * 5)))), true).filter((v) => v >= 1 && v <= n));
    this.ticks = { x: xTicks, y: yTicks };
    ctx.strokeStyle = th.grid;
    ctx.lineWidth = 1;
    for (const t of yTicks) { const p = yPos(t.value); ctx.beginPath(); ctx.moveTo(box.x, p); ctx.lineTo(box.x + box.w, p); ctx.stroke(); }
    ctx.strokeRect(box.x + 0.5, box.y + 0.5, box.w, box.h);
    drawAxis(ctx, th, 'left', yTicks, yPos, box, this.yLabel);
    drawAxis(ctx, th, 'bottom', xTicks, xPos, box, 'layer');
    ctx.save();
    ctx.beginPath();
    ctx.rect(box.x, box.y, box.w, box.h);
    ctx.clip();
    for (const guide of [data.hline && { h: true, ...data.hline }, data.vline && { h: false, ...data.vline }].filter(Boolean)) {
      ctx.save();
      ctx.strokeStyle = th.muted;
      ctx.setLineDash([2, 3]);
      ctx.beginPath();
      if (guide.h) { const p = yPos(f(guide.value)); ctx.moveTo(box.x, p); ctx.lineTo(box.x + box.w, p); } else { const p = xPos(guide.x); ctx.moveTo(p, box.y); ctx.lineTo(p, box.y + box.h); }
      ctx.stroke();
      ctx.restore();
    }
    for (const s of data.series) {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = s.width ?? 2;
      ctx.setLineDash(s.dash ?? []);
      ctx.beginPath();
      let open = false;
      s.values.forEach((v, i) => {
        const y = f(v);
        if (!Number.isFinite(y)) { open = false; return; }
        const px = xPos(i + 1);
        const py = yPos(y);
        if (open) ctx.lineTo(px, py); else ctx.moveTo(px, py);
        open = true;
      });
      ctx.stroke();
      if (n <= 30 || s.values.length === 1) {  // points where a line alone would not show them
        ctx.fillStyle = s.color;
        s.values.forEach((v, i) => { const y = f(v); if (Number.isFinite(y)) { ctx.beginPath(); ctx.arc(xPos(i + 1), yPos(y), 2, 0, 2 * Math.PI); ctx.fill(); } });
      }
    }
    ctx.restore();
  }
}
