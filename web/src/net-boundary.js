// Design note: the playground's main picture — the data over what the network makes of the
// plane (a heatmap of its class probabilities) or of the line (its fitted curve) — and the place
// where the student edits their own points. Drawing is plain canvas: the heatmap is a small image
// (GRID × GRID predictions, one net.predict call) scaled up with smoothing, which is what makes a
// redraw per frame cheap; points and the curve are drawn over it at full resolution.
// Colours: each class has its palette colour (Okabe–Ito, colour-blind safe); the heat mixes the
// class colours by the predicted probabilities and fades to the background as the prediction
// nears a tie, so the boundary is where the colour vanishes. Test points are rings, training
// points filled discs. The owner supplies the probabilities (from the lab), this module only maps
// them to pixels and pixels back to data coordinates.
// The points are drawn into a layer of their own (an offscreen canvas the size of the picture in
// device pixels) and the layer is copied over the heatmap on each frame: drawing 4000 points as
// circles took ~2 s of a 7.2 s Play (circle(n=4000), 2x256, batch 1), while only the heat changes
// from frame to frame. The layer is redrawn when what it shows changes — the points (compared by
// value: the data's points are a new array each frame), the view, the size or device pixel ratio,
// the type size (margins), the theme's colours; layerDraws counts its redraws, for the tests.
// (Play there went from 3.8 to 7.8 frames/s, medians of 4 alternating runs at load ~8.) Against
// drawing the points straight onto the heat, only antialiased edges differ, by 1-4 / 255 in a
// channel: the layer keeps each edge as 8-bit premultiplied colour and coverage before it is
// composited, the direct drawing blends it at once.
//
// Editing (own points): a click on empty ground adds a point (the class picked outside), a drag
// moves a point, a click on a point with the delete tool on — or a right-click — removes it.
// Edits are reported through onEdit(points) with coordinates rounded to 0.01. From the keyboard,
// the focused picture shows a cross that the arrow keys move; Enter adds, Delete removes.
import { colorOf } from './palette.js';
import { themeOf, watchWidth, prepare, niceTicks, labelled, rgbOf } from './net-canvas.js';

export const GRID = 32;

const round2 = (v) => Math.round(v * 100) / 100;
// The same points, value by value (a point is [x1, x2, class, test] or [x, y, test]).
const samePoints = (a, b) => !!b && a.length === b.length
  && a.every((p, i) => p.length === b[i].length && p.every((v, j) => v === b[i][j]));

export class BoundaryCanvas {
  // opts: { label, onEdit(points), getTool() → 'add' | 'delete', getClass() → int, getSet() → bool test }
  constructor(container, opts) {
    this.opts = opts;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'nt-boundary';
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', opts.label ?? 'decision boundary');
    container.append(this.canvas);
    this.heat = document.createElement('canvas');
    this.heat.width = GRID;
    this.heat.height = GRID;
    this.view = { x: [-6, 6], y: [-6, 6] };
    this.scene = null;
    this.drag = null;
    this.ticks = { x: [], y: [] };
    this.layer = document.createElement('canvas');  // the points, in device pixels
    this.layerKey = null;
    this.layerPoints = null;
    this.layerDraws = 0;
    this.container = container;
    this.box = watchWidth(container, () => this.draw());
    this.attach();
  }

  destroy() { this.box.disconnect(); }

  // The grid's input points for net.predict: GRID × GRID rows (x1, x2), row 0 at the top.
  gridInput() {
    const [x0, x1] = this.view.x;
    const [y0, y1] = this.view.y;
    const data = new Float64Array(GRID * GRID * 2);
    for (let r = 0; r < GRID; r++) {
      for (let c = 0; c < GRID; c++) {
        const i = r * GRID + c;
        data[2 * i] = x0 + ((c + 0.5) / GRID) * (x1 - x0);
        data[2 * i + 1] = y1 - ((r + 0.5) / GRID) * (y1 - y0);
      }
    }
    return { shape: [GRID * GRID, 2], data };
  }
  // x values for a fitted curve.
  curveInput(n = 200) {
    const [a, b] = this.view.x;
    const data = new Float64Array(n);
    for (let i = 0; i < n; i++) data[i] = a + ((b - a) * i) / (n - 1);
    return { shape: [n, 1], data };
  }

  // scene: { task, classes, points: [[x1, x2, c, test]] | [[x, y, test]], probs (GRID² × K, or null),
  //          K, curve: {x, y} | null, theme, editable }
  setScene(scene) {
    this.scene = scene;
    this.draw();
  }

  // A square plot area for the plane (so circles look round), a wide one for a curve; at most
  // opts.maxHeight() tall (an embed keeps the picture within its first screenful).
  layout() {
    const k = themeOf(this.container).px / 12;  // larger type, wider margins
    const pad = { l: Math.round(40 * k), r: 8, t: 8, b: Math.round(28 * k) };
    const maxH = Math.max(120, Math.min(640, this.opts.maxHeight?.(this.container) ?? 640));
    let w = Math.max(160, Math.floor(this.box.width));
    if (this.scene?.task === 'reg') return { w, h: Math.min(Math.round(w * 0.62), maxH), pad };
    w = Math.min(w, maxH - pad.t - pad.b + pad.l + pad.r);
    return { w, h: w - pad.l - pad.r + pad.t + pad.b, pad };
  }
  toPx(x, y, L) {
    const { pad } = L;
    const pw = L.w - pad.l - pad.r;
    const ph = L.h - pad.t - pad.b;
    return [pad.l + ((x - this.view.x[0]) / (this.view.x[1] - this.view.x[0])) * pw,
      pad.t + ((this.view.y[1] - y) / (this.view.y[1] - this.view.y[0])) * ph];
  }
  fromPx(px, py, L) {
    const { pad } = L;
    const pw = L.w - pad.l - pad.r;
    const ph = L.h - pad.t - pad.b;
    return [this.view.x[0] + ((px - pad.l) / pw) * (this.view.x[1] - this.view.x[0]),
      this.view.y[1] - ((py - pad.t) / ph) * (this.view.y[1] - this.view.y[0])];
  }

  draw() {
    const s = this.scene;
    if (!s) return;
    const L = this.layout();
    this.L = L;
    const { ctx } = prepare(this.canvas, L.h, L.w);
    const { bg, fg, axis, grid, font } = themeOf(this.container);
    ctx.fillStyle = bg;
    ctx.fillRect(0, 0, L.w, L.h);
    const [ax, ay] = this.toPx(this.view.x[0], this.view.y[1], L);
    const [bx, by] = this.toPx(this.view.x[1], this.view.y[0], L);
    if (s.task === 'class' && s.probs) this.drawHeat(ctx, s, bg, ax, ay, bx - ax, by - ay);
    // axes and grid
    ctx.font = font;
    ctx.strokeStyle = grid;
    ctx.fillStyle = axis;
    ctx.lineWidth = 1;
    const xTicks = labelled(niceTicks(...this.view.x, 5).filter((v) => v >= this.view.x[0] && v <= this.view.x[1]));
    const yTicks = labelled(niceTicks(...this.view.y, 5).filter((v) => v >= this.view.y[0] && v <= this.view.y[1]));
    this.ticks = { x: xTicks, y: yTicks };
    const xt = xTicks.map((t) => t.value), xl = xTicks.map((t) => t.label);
    const yt = yTicks.map((t) => t.value), yl = yTicks.map((t) => t.label);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    xt.forEach((v, i) => {
      const [px] = this.toPx(v, 0, L);
      if (s.task === 'reg' || !s.probs) { ctx.beginPath(); ctx.moveTo(px, ay); ctx.lineTo(px, by); ctx.stroke(); }
      ctx.fillText(xl[i], px, by + 6);
    });
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    yt.forEach((v, i) => {
      const [, py] = this.toPx(0, v, L);
      if (s.task === 'reg' || !s.probs) { ctx.beginPath(); ctx.moveTo(ax, py); ctx.lineTo(bx, py); ctx.stroke(); }
      ctx.fillText(yl[i], ax - 6, py);
    });
    ctx.strokeStyle = axis;
    ctx.strokeRect(ax, ay, bx - ax, by - ay);
    ctx.save();
    ctx.beginPath();
    ctx.rect(ax, ay, bx - ax, by - ay);
    ctx.clip();
    if (s.curve) this.drawCurve(ctx, s, L, fg);
    this.copyPoints(ctx, s, L, bg, fg, [ax, ay, bx - ax, by - ay]);
    if (this.cursor && document.activeElement === this.canvas) this.drawCursor(ctx, L, fg);
    ctx.restore();
  }

  drawHeat(ctx, s, bg, x, y, w, hgt) {
    const K = s.K;
    const cols = Array.from({ length: K === 1 ? 2 : K }, (_, k) => rgbOf(colorOf(k, s.theme)));
    const b = rgbOf(bg);
    const hctx = this.heat.getContext('2d');
    const img = hctx.createImageData(GRID, GRID);
    const n = GRID * GRID;
    const classes = cols.length;
    for (let i = 0; i < n; i++) {
      let r = 0, g = 0, bl = 0, top = 0;
      for (let k = 0; k < classes; k++) {
        const p = K === 1 ? (k === 1 ? s.probs[i] : 1 - s.probs[i]) : s.probs[i * K + k];
        r += p * cols[k][0]; g += p * cols[k][1]; bl += p * cols[k][2];
        if (p > top) top = p;
      }
      const strength = Number.isFinite(top) ? 0.75 * Math.max(0, (top - 1 / classes) / (1 - 1 / classes)) : 0;
      img.data[4 * i] = b[0] + (r - b[0]) * strength;
      img.data[4 * i + 1] = b[1] + (g - b[1]) * strength;
      img.data[4 * i + 2] = b[2] + (bl - b[2]) * strength;
      img.data[4 * i + 3] = 255;
    }
    hctx.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.heat, x, y, w, hgt);
  }

  drawCurve(ctx, s, L, fg) {
    ctx.strokeStyle = colorOf(0, s.theme);
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    const { x, y } = s.curve;
    let pen = false;
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(y[i])) { pen = false; continue; }
      const [px, py] = this.toPx(x[i], y[i], L);
      if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
      pen = true;
    }
    ctx.stroke();
    ctx.strokeStyle = fg;
  }

  // The points' layer, redrawn only when it would differ, copied pixel for pixel (identity
  // transform, same size) into the picture.
  copyPoints(ctx, s, L, bg, fg, clip) {
    const cv = this.canvas;
    const m = ctx.getTransform();  // prepare()'s: the device pixel ratio
    const key = JSON.stringify([cv.width, cv.height, m.a, m.d, L.w, L.h, L.pad, this.view, s.task, s.theme, bg, fg, clip]);
    if (key !== this.layerKey || !samePoints(s.points, this.layerPoints)) {
      const layer = this.layer;
      if (layer.width !== cv.width || layer.height !== cv.height) { layer.width = cv.width; layer.height = cv.height; }
      const lctx = layer.getContext('2d');
      lctx.setTransform(1, 0, 0, 1, 0, 0);
      lctx.clearRect(0, 0, layer.width, layer.height);
      lctx.setTransform(m);
      lctx.save();
      lctx.beginPath();
      lctx.rect(...clip);
      lctx.clip();
      this.drawPoints(lctx, s, L, bg, fg);
      lctx.restore();
      this.layerKey = key;
      this.layerPoints = s.points.map((p) => p.slice());
      this.layerDraws++;
    }
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.layer, 0, 0);
    ctx.restore();
  }

  drawPoints(ctx, s, L, bg, fg) {
    const cls = s.task === 'class';
    for (const p of s.points) {
      const test = p[p.length - 1];
      const [px, py] = this.toPx(p[0], cls ? p[1] : p[1], L);
      const color = cls ? colorOf(p[2], s.theme) : fg;
      ctx.beginPath();
      ctx.arc(px, py, test ? 4.5 : 4, 0, 2 * Math.PI);
      if (test) {
        ctx.lineWidth = 2.2;
        ctx.strokeStyle = color;
        ctx.fillStyle = bg;
        ctx.fill();
        ctx.stroke();
      } else {
        ctx.fillStyle = color;
        ctx.fill();
        ctx.lineWidth = 1;
        ctx.strokeStyle = bg;
        ctx.stroke();
      }
    }
  }

  // ---------------------------------------------------------------- editing
  hit(px, py) {
    const s = this.scene;
    let best = -1, bestD = 8 * 8;
    s.points.forEach((p, i) => {
      const [qx, qy] = this.toPx(p[0], p[1], this.L);
      const d = (qx - px) ** 2 + (qy - py) ** 2;
      if (d <= bestD) { best = i; bestD = d; }
    });
    return best;
  }

  // The keyboard's way in: with the picture focused, the arrow keys move a cross (Shift: five
  // times as far), Enter or Space adds a point there, Delete removes the point nearest to it.
  drawCursor(ctx, L, fg) {
    const [px, py] = this.toPx(...this.cursor, L);
    ctx.strokeStyle = fg;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(px - 8, py); ctx.lineTo(px + 8, py);
    ctx.moveTo(px, py - 8); ctx.lineTo(px, py + 8);
    ctx.stroke();
  }
  onKey(e) {
    const s = this.scene;
    if (!s?.editable || !this.L || this.opts.canEdit?.() === false) return;
    const c = this.cursor ?? [(this.view.x[0] + this.view.x[1]) / 2, (this.view.y[0] + this.view.y[1]) / 2];
    const step = (e.shiftKey ? 5 : 1) * 0.02;
    const dx = (this.view.x[1] - this.view.x[0]) * step, dy = (this.view.y[1] - this.view.y[0]) * step;
    const moves = { ArrowLeft: [-dx, 0], ArrowRight: [dx, 0], ArrowUp: [0, dy], ArrowDown: [0, -dy] };
    const round = (v) => Math.round(v * 100) / 100;
    if (moves[e.key]) {
      this.cursor = [round(c[0] + moves[e.key][0]), round(c[1] + moves[e.key][1])];
    } else if (e.key === 'Enter' || e.key === ' ') {
      const test = !!this.opts.getSet();
      this.opts.onEdit([...s.points, s.task === 'class' ? [c[0], c[1], this.opts.getClass(), test] : [c[0], c[1], test]], 'add');
      this.cursor = c;
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      let best = -1, bestD = Infinity;
      s.points.forEach((p, i) => { const d = (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2; if (d < bestD) { best = i; bestD = d; } });
      if (best >= 0) this.opts.onEdit(s.points.filter((_, j) => j !== best), 'delete');
      this.cursor = c;
    } else return;
    e.preventDefault();
    this.canvas.setAttribute('aria-label', `${this.opts.label ?? 'picture'}; cross at (${this.cursor[0]}, ${this.cursor[1]}): arrows move it, Enter adds a point, Delete removes the nearest`);
    this.draw();
  }

  attach() {
    const cv = this.canvas;
    cv.addEventListener('keydown', (e) => this.onKey(e));
    cv.addEventListener('focus', () => this.draw());
    cv.addEventListener('blur', () => this.draw());
    const pos = (e) => { const r = cv.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
    cv.addEventListener('contextmenu', (e) => { if (this.scene?.editable) e.preventDefault(); });
    cv.addEventListener('pointerdown', (e) => {
      const s = this.scene;
      if (!s?.editable || !this.L || this.opts.canEdit?.() === false) return;
      const [px, py] = pos(e);
      const i = this.hit(px, py);
      if (e.button === 2 || (e.button === 0 && this.opts.getTool() === 'delete')) {
        if (i >= 0) this.opts.onEdit(s.points.filter((_, j) => j !== i), 'delete');
        return;
      }
      if (e.button !== 0) return;
      this.drag = { i, moved: false, id: e.pointerId, start: [px, py] };
      cv.setPointerCapture(e.pointerId);
    });
    cv.addEventListener('pointermove', (e) => {
      const d = this.drag;
      if (!d || d.id !== e.pointerId || d.i < 0) return;
      const [px, py] = pos(e);
      if (!d.moved && Math.hypot(px - d.start[0], py - d.start[1]) < 3) return;
      d.moved = true;
      const [x, y] = this.fromPx(px, py, this.L).map(round2);
      const pts = this.scene.points.map((p, j) => (j === d.i ? [x, y, ...p.slice(2)] : p));
      this.opts.onEdit(pts, 'move');
    });
    const end = (e) => {
      const d = this.drag;
      if (!d || d.id !== e.pointerId) return;
      this.drag = null;
      if (d.i < 0) {
        const s = this.scene;
        const [x, y] = this.fromPx(...d.start, this.L).map(round2);
        const test = !!this.opts.getSet();
        const p = s.task === 'class' ? [x, y, this.opts.getClass(), test] : [x, y, test];
        this.opts.onEdit([...s.points, p], 'add');
      } else if (d.moved) {
        this.opts.onEdit(this.scene.points, 'moved');
      }
    };
    cv.addEventListener('pointerup', end);
    cv.addEventListener('pointercancel', (e) => { if (this.drag?.id === e.pointerId) this.drag = null; });
  }

  pngBlob() {
    return new Promise((ok) => this.canvas.toBlob(ok, 'image/png'));
  }
}
