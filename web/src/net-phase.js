// Design note: the (σ_w², σ_b²) phase diagram of the chosen activation. Its one curve is the
// order-to-chaos line χ(q*) = 1, traced as the engine's criticalSigmaW2 at a row of σ_b² values
// (each a root search over fixed points, up to tens of ms for a non-smooth activation): the
// points are computed a few per frame after the diagram is first drawn, cached per activation, and
// the line grows as they arrive — the view never waits for it. Where the engine finds no χ = 1
// for a σ_b² (no transition in (0, 1e4]), that point is left out and the diagram says so. Which
// side is ordered is not assumed: χ* is asked for at one point on each side of the line.
// The current init's (σ_w², σ_b²) is a dot (an arrow at the edge when it lies beyond the axes).
// Clicking sets the init to normal(σ_w², σ_b²); on the focused diagram the arrow keys move the dot
// (Shift: ten steps) and Enter applies it — the owner's onPick does the rest.
import { prepare, themeOf, niceTicks, labelled, drawAxis } from './net-canvas.js';
import { fmt } from './util.js';

export const SW2_MAX = 4;
export const SB2_MAX = 0.5;
const ROWS = 26;  // σ_b² samples of the line
const STEP = { sw2: 0.05, sb2: 0.01 };

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
    canvas.tabIndex = 0;
    canvas.addEventListener('click', (e) => {
      const v = this.valueAt(e);
      if (v) this.onPick?.(v.sw2, v.sb2);
    });
    canvas.addEventListener('keydown', (e) => {
      const p = this.cursor ?? this.point ?? { sw2: 1, sb2: 0 };
      const k = e.shiftKey ? 10 : 1;
      const moves = { ArrowRight: [STEP.sw2, 0], ArrowLeft: [-STEP.sw2, 0], ArrowUp: [0, STEP.sb2], ArrowDown: [0, -STEP.sb2] };
      if (moves[e.key]) {
        e.preventDefault();
        const [dx, dy] = moves[e.key];
        this.cursor = { sw2: round(clamp(p.sw2 + k * dx, 0, SW2_MAX)), sb2: round(clamp(p.sb2 + k * dy, 0, SB2_MAX)) };
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
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    const b = this.box;
    if (x < b.x - 4 || x > b.x + b.w + 4 || y < b.y - 4 || y > b.y + b.h + 4) return null;
    // snapped to a grid finer than a pixel's worth of the axes, so a link shows short numbers
    return {
      sw2: Math.round(clamp(((x - b.x) / b.w) * SW2_MAX, 0, SW2_MAX) * 100) / 100,
      sb2: Math.round(clamp((1 - (y - b.y) / b.h) * SB2_MAX, 0, SB2_MAX) * 1000) / 1000,
    };
  }

  // activation: {name, params}; point: {sw2, sb2} of the current init
  update(activation, point) {
    this.activation = activation;
    this.point = point;
    this.key = JSON.stringify(activation);
    if (!this.cache.has(this.key)) this.trace(this.key, activation);
    this.draw();
  }

  // The line, a few σ_b² rows per frame; then χ* on each side to name the phases.
  trace(key, activation) {
    const entry = { points: [], missing: 0, sides: null, done: false };
    this.cache.set(key, entry);
    const rows = Array.from({ length: ROWS }, (_, i) => (i / (ROWS - 1)) * SB2_MAX);
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
      if (i >= rows.length) {
        const mid = entry.points.find(([, w]) => w !== null && w > 0.1 && w < SW2_MAX - 0.1);
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
    if (!e) return '';
    if (e.error) return `No phase diagram: ${e.error}`;
    const found = e.points.filter(([, w]) => w !== null);
    if (!e.done) return `Tracing the χ = 1 line (${e.points.length} of ${ROWS} points)…`;
    if (!found.length) return 'χ = 1 is reached nowhere on this diagram: no order-to-chaos transition for σ_w² up to 10⁴.';
    const at0 = found.find(([b]) => b === 0);
    return `${at0 ? `χ = 1 at σ_w² = ${fmt(at0[1])} for σ_b² = 0` : 'χ = 1 line drawn'}${e.missing ? ` (no χ = 1 for ${e.missing} of ${ROWS} σ_b² values)` : ''}.`;
  }

  points() {
    return this.cache.get(this.key)?.points ?? [];
  }

  draw() {
    const { ctx, width, height } = prepare(this.canvas, typeof this.height === 'function' ? this.height() : this.height);
    const th = themeOf(this.canvas);
    const box = { x: 52, y: 10, w: Math.max(40, width - 52 - 14), h: height - 10 - 2.8 * th.px - 16 };
    this.box = box;
    const X = (v) => box.x + (v / SW2_MAX) * box.w;
    const Y = (v) => box.y + box.h - (v / SB2_MAX) * box.h;
    const xTicks = labelled(niceTicks(0, SW2_MAX, Math.max(2, Math.floor(box.w / 60))));
    const yTicks = labelled(niceTicks(0, SB2_MAX, Math.max(2, Math.floor(box.h / 34))));
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
        ctx.textBaseline = 'top';
        const say = (chi) => (chi < 1 ? 'ordered (χ < 1)' : chi > 1 ? 'chaotic (χ > 1)' : 'χ = 1');
        ctx.textAlign = 'left';
        ctx.fillText(say(e.sides.left), box.x + 6, box.y + 6);
        ctx.textAlign = 'right';
        ctx.fillText(say(e.sides.right), box.x + box.w - 6, box.y + 6);
      }
    }
    ctx.restore();
    for (const [p, hollow] of [[this.point, false], [this.cursor, true]]) {
      if (!p) continue;
      const inside = p.sw2 <= SW2_MAX && p.sb2 <= SB2_MAX;
      const cx = X(Math.min(p.sw2, SW2_MAX));
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
