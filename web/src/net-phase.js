// Design note: the (σ_w², σ_b²) phase diagram of the chosen activation. Its one curve is the
// order-to-chaos line χ(q*) = 1, traced as the engine's criticalSigmaW2 at a row of σ_b² values
// (each a root search over fixed points, up to tens of ms for a non-smooth activation): the
// points are computed a few per frame after the diagram is first drawn, cached per activation, and
// the line grows as they arrive — the view never waits for it. While an activation parameter is
// dragged every value is a new activation: a trace of an older one that is not finished stops
// and is forgotten, and a new one starts only once the value has rested REST ms (at once when
// no other activation came within that time: a click, a preset, the first draw); the dot for the
// current init moves at once, on the axes it had. Where the engine finds no χ = 1
// for a σ_b² (no transition in (0, 1e4]), that point is left out and the diagram says so. Which
// side is ordered is not assumed: χ* is asked for at one point on each side of the line.
// The current init's (σ_w², σ_b²) is a dot (an arrow at the edge when it lies beyond the axes).
// Clicking sets the init to normal(σ_w², σ_b²); on the focused diagram the arrow keys move the dot
// (Shift: ten steps) and Enter applies it — the owner's onPick does the rest.
import { prepare, themeOf, niceTicks, labelled, drawAxis } from './net-canvas.js';
import { fmt } from './util.js';

export const SB2_MAX = 0.5;
const ROWS = 16;  // σ_b² samples of the line
const REST = 200;  // ms an activation must rest before its line is traced, while they keep coming
// The σ_w² axis spans twice the line's largest σ_w², rounded up to a round number (4 for
// ReLU's σ_w² = 2, about 0.0025 for Sine with ω₀ = 30, 250 for Sigmoid): the line is where the
// lesson is. It is set from the first point while tracing and once more when the line is done.
function axisFor(maxW) {
  if (!(maxW > 0) || !Number.isFinite(maxW)) return 4;
  const v = 2 * maxW;
  const e = 10 ** Math.floor(Math.log10(v));
  return [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map((m) => m * e).find((x) => x >= v * (1 - 1e-12));
}

export class PhaseDiagram {
  constructor(canvas, { lab, height = 260, onPick, onStatus, onTraced }) {
    this.onTraced = onTraced;
    this.canvas = canvas;
    this.lab = lab;
    this.height = height;
    this.onPick = onPick;
    this.onStatus = onStatus;
    this.cache = new Map();  // activation key -> {points: [[sb2, sw2|null]], sides}
    this.key = '';
    this.point = null;
    this.cursor = null;
    this.ticks = { x: [], y: [] };
    this.xmax = 4;
    this.lastNew = -Infinity;  // when the last activation without a line came
    this.timer = null;
    this.pending = null;       // the activation key waiting to rest
    canvas.tabIndex = 0;
    canvas.addEventListener('click', (e) => {
      const v = this.valueAt(e);
      if (v) this.onPick?.(v.sw2, v.sb2);
    });
    canvas.addEventListener('keydown', (e) => {
      const p = this.cursor ?? this.point ?? { sw2: 1, sb2: 0 };
      const k = e.shiftKey ? 10 : 1;
      const sx = this.xmax / 80;
      const sy = SB2_MAX / 50;
      const moves = { ArrowRight: [sx, 0], ArrowLeft: [-sx, 0], ArrowUp: [0, sy], ArrowDown: [0, -sy] };
      if (moves[e.key]) {
        e.preventDefault();
        const [dx, dy] = moves[e.key];
        this.cursor = { sw2: this.snap(clamp(p.sw2 + k * dx, 0, this.xmax)), sb2: round(clamp(p.sb2 + k * dy, 0, SB2_MAX)) };
        this.draw();
        this.onStatus?.(`σ_w² = ${fmt(this.cursor.sw2)}, σ_b² = ${fmt(this.cursor.sb2)}: Enter sets the init`);
      } else if (e.key === 'Enter' && this.cursor) {
        e.preventDefault();
        const c = this.cursor;
        this.cursor = null;
        this.onPick?.(c.sw2, c.sb2);
      }
    });
  }

  valueAt(e) {
    if (!this.box) return null;
    const r = this.canvas.getBoundingClientRect();
    // in the drawing's own pixels, should the canvas be shown at another size than drawn
    const k = r.width > 0 ? this.drawnWidth / r.width : 1;
    const x = (e.clientX - r.left) * k;
    const y = (e.clientY - r.top) * k;
    const b = this.box;
    if (x < b.x - 4 || x > b.x + b.w + 4 || y < b.y - 4 || y > b.y + b.h + 4) return null;
    // snapped to a grid finer than a pixel's worth of the axes, so a link shows short numbers
    return {
      sw2: this.snap(clamp(((x - b.x) / b.w) * this.xmax, 0, this.xmax)),
      sb2: Math.round(clamp((1 - (y - b.y) / b.h) * SB2_MAX, 0, SB2_MAX) * 1000) / 1000,
    };
  }

  // σ_w² to a 400th of the axis, written with the fewest digits that hold it
  snap(v) {
    const q = 10 ** (Math.floor(Math.log10(this.xmax)) - 2);
    return Number((Math.round(v / q) * q).toPrecision(12));
  }

  // activation: {name, params}; point: {sw2, sb2} of the current init
  update(activation, point) {
    this.activation = activation;
    this.point = point;
    const key = JSON.stringify(activation);
    if (key !== this.key) {
      // an unfinished line of another activation: stopped (its work() finds itself replaced)
      for (const [k, e] of this.cache) if (k !== key && !e.done) this.cache.delete(k);
    }
    this.key = key;
    if (!this.cache.has(key)) this.schedule(key, activation);
    this.xmax = this.cache.get(key)?.xmax ?? this.xmax;
    this.draw();
  }

  // The line of a new activation: now when none came within REST ms, else once this one has rested.
  schedule(key, activation) {
    clearTimeout(this.timer);
    const now = performance.now();
    const resting = now - this.lastNew > REST;
    this.lastNew = now;
    this.pending = null;
    if (resting) { this.trace(key, activation); return; }
    this.pending = key;
    this.timer = setTimeout(() => {
      this.pending = null;
      if (this.key === key && !this.cache.has(key)) { this.trace(key, activation); this.draw(); this.onTraced?.(); }
    }, REST);
  }

  // The line, a few σ_b² rows per frame; then χ* on each side to name the phases.
  trace(key, activation) {
    const entry = { points: [], missing: 0, sides: null, done: false, xmax: 4 };
    this.cache.set(key, entry);
    // denser near σ_b² = 0, where the line bends most (tanh: σ_w² 1 at 0, 1.76 at 0.05)
    const rows = Array.from({ length: ROWS }, (_, i) => Number((((i / (ROWS - 1)) ** 2) * SB2_MAX).toPrecision(6)));
    let i = 0;
    const mf = (sw2, sb2) => this.lab.meanField({ activation, sigmaW2: sw2, sigmaB2: sb2 });
    let probe;
    try { probe = mf(1, 0); } catch (e) { entry.error = e.message; entry.done = true; queueMicrotask(() => this.onTraced?.()); return; }
    const work = () => {
      if (this.cache.get(key) !== entry) return;  // replaced (a rebuilt cache)
      const until = performance.now() + 12;
      while (i < rows.length && performance.now() < until) {
        const sb2 = rows[i++];
        try {
          entry.points.push([sb2, probe.criticalSigmaW2(sb2)]);
        } catch {
          entry.points.push([sb2, null]);
          entry.missing++;
        }
      }
      const found = entry.points.map(([, w]) => w).filter((w) => w !== null && Number.isFinite(w));
      if (found.length && (i >= rows.length || entry.points.length === 1)) entry.xmax = axisFor(Math.max(...found));
      if (this.key === key) this.xmax = entry.xmax;
      if (i >= rows.length) {
        const mid = entry.points.find(([, w]) => w !== null && w > 0.05 * entry.xmax && w < 0.95 * entry.xmax);
        if (mid) {
          try {
            const [sb2, w] = mid;
            entry.sides = { left: mf(w * 0.8, sb2).chiStar(), right: mf(Math.min(w * 1.25, 1e4), sb2).chiStar() };
          } catch { entry.sides = null; }
        }
        entry.done = true;
      }
      if (this.key === key) this.draw();
      if (!entry.done) requestAnimationFrame(work);
      else if (this.key === key) this.onTraced?.();
    };
    requestAnimationFrame(work);
  }

  // What the diagram shows, in words (for the text summary and the tests).
  describe() {
    const e = this.cache.get(this.key);
    if (!e) return this.pending === this.key ? 'Tracing the χ = 1 line when the activation rests…' : '';
    if (e.error) return `No phase diagram: ${e.error}`;
    const found = e.points.filter(([, w]) => w !== null);
    if (!e.done) return `Tracing the χ = 1 line (${e.points.length} of ${ROWS} points)…`;
    if (!found.length) return 'χ = 1 is reached nowhere on this diagram: no order-to-chaos transition for σ_w² up to 10⁴.';
    const at0 = found.find(([b]) => b === 0);
    return `${at0 ? `χ = 1 at σ_w² = ${fmt(at0[1])} for σ_b² = 0` : 'χ = 1 line drawn'}${e.missing ? ` (no χ = 1 for ${e.missing} of ${ROWS} σ_b² values)` : ''}. Axes: σ_w² from 0 to ${fmt(e.xmax)}, σ_b² from 0 to ${SB2_MAX}.`;
  }

  points() {
    return this.cache.get(this.key)?.points ?? [];
  }

  draw() {
    const { ctx, width, height } = prepare(this.canvas, typeof this.height === 'function' ? this.height() : this.height);
    this.drawnWidth = width;
    const th = themeOf(this.canvas);
    const left = Math.round(16 + th.px * 3);
    // room on the right for half the last σ_w² label, centred on the box's edge ("0.005")
    ctx.font = th.font;
    const right = Math.max(14, Math.ceil(ctx.measureText(String(this.xmax)).width / 2) + 4);
    const box = { x: left, y: 10, w: Math.max(40, width - left - right), h: height - 10 - 2.8 * th.px - 16 };
    this.box = box;
    const X = (v) => box.x + (v / this.xmax) * box.w;
    const Y = (v) => box.y + box.h - (v / SB2_MAX) * box.h;
    const xTicks = labelled(niceTicks(0, this.xmax, Math.max(2, Math.floor(box.w / (th.px * 5)))));
    const yTicks = labelled(niceTicks(0, SB2_MAX, Math.max(2, Math.floor(box.h / (th.px * 2.8)))));
    this.ticks = { x: xTicks, y: yTicks };
    ctx.strokeStyle = th.grid;
    for (const t of xTicks) { ctx.beginPath(); ctx.moveTo(X(t.value), box.y); ctx.lineTo(X(t.value), box.y + box.h); ctx.stroke(); }
    for (const t of yTicks) { ctx.beginPath(); ctx.moveTo(box.x, Y(t.value)); ctx.lineTo(box.x + box.w, Y(t.value)); ctx.stroke(); }
    ctx.strokeRect(box.x + 0.5, box.y + 0.5, box.w, box.h);
    drawAxis(ctx, th, 'bottom', xTicks, X, box, 'σ_w²');
    drawAxis(ctx, th, 'left', yTicks, Y, box, 'σ_b²');
    const e = this.cache.get(this.key);
    ctx.save();
    ctx.beginPath(); ctx.rect(box.x, box.y, box.w, box.h); ctx.clip();
    if (e) {
      ctx.strokeStyle = th.accent;
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      let open = false;
      for (const [sb2, sw2] of e.points) {
        if (sw2 === null) { open = false; continue; }
        if (open) ctx.lineTo(X(sw2), Y(sb2)); else ctx.moveTo(X(sw2), Y(sb2));
        open = true;
      }
      ctx.stroke();
      if (e.sides) {
        ctx.font = th.font;
        ctx.fillStyle = th.muted;
        ctx.textBaseline = 'middle';
        const say = (chi) => (chi < 1 ? 'ordered (χ < 1)' : chi > 1 ? 'chaotic (χ > 1)' : 'χ = 1');
        // each name beside the line, half way up, on its own side (where it fits)
        const half = e.points.filter(([, w]) => w !== null).reduce((a, p) => (Math.abs(p[0] - SB2_MAX / 2) < Math.abs(a[0] - SB2_MAX / 2) ? p : a), [Infinity, null]);
        const xl = half[1] === null ? box.x + box.w / 2 : X(half[1]);
        const y = Y(half[0] === Infinity ? SB2_MAX / 2 : half[0]);
        const left = say(e.sides.left);
        const right = say(e.sides.right);
        if (ctx.measureText(left).width + 12 < xl - box.x) { ctx.textAlign = 'right'; ctx.fillText(left, xl - 8, y); }
        if (ctx.measureText(right).width + 12 < box.x + box.w - xl) { ctx.textAlign = 'left'; ctx.fillText(right, xl + 8, y); }
      }
    }
    ctx.restore();
    for (const [p, hollow] of [[this.point, false], [this.cursor, true]]) {
      if (!p) continue;
      const inside = p.sw2 <= this.xmax && p.sb2 <= SB2_MAX;
      const cx = X(Math.min(p.sw2, this.xmax));
      const cy = Y(Math.min(p.sb2, SB2_MAX));
      ctx.beginPath();
      if (inside) ctx.arc(cx, cy, 6, 0, 2 * Math.PI);
      else { ctx.moveTo(cx + 2, cy); ctx.lineTo(cx - 9, cy - 6); ctx.lineTo(cx - 9, cy + 6); ctx.closePath(); }
      ctx.fillStyle = hollow ? th.bg : th.fg;
      ctx.strokeStyle = hollow ? th.fg : th.bg;
      ctx.lineWidth = 2;
      ctx.fill();
      ctx.stroke();
    }
  }
}

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
const round = (v) => Math.round(v * 1000) / 1000;
