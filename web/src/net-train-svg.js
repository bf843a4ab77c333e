// Design note: the playground's charts as SVG files (issue 10: "the plots as PNG/SVG/CSV, like the
// other tabs"). The charts draw themselves on a canvas with a few dozen 2-D context calls
// (net-train-plots.js); rather than a second drawing of each chart in SVG, which could drift from
// what is on screen, the same draw() runs once against this recorder, which implements exactly
// those calls (paths of moveTo/lineTo/rect/arc, stroke/fill, fillRect/strokeRect, fillText, clip
// inside save/restore, line dashes) and writes each as an SVG element in CSS pixels. Text widths
// (for label placement) are measured by a real canvas context, as on screen.

const esc = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (v) => String(Math.round(v * 100) / 100);
const ANCHOR = { left: 'start', start: 'start', center: 'middle', right: 'end', end: 'end' };
const BASELINE = { top: 'hanging', hanging: 'hanging', middle: 'central', bottom: 'text-after-edge', alphabetic: 'auto', ideographic: 'auto' };

// A stand-in for CanvasRenderingContext2D that records SVG. svgContext(w, h).toString() → the file.
export function svgContext(width, height) {
  const body = [];
  const stack = [];
  const opened = [0];  // <g clip-path> elements opened at each save level
  let clipId = 0;
  let path = '';
  const measurer = document.createElement('canvas').getContext('2d');
  const ctx = {
    fillStyle: '#000', strokeStyle: '#000', lineWidth: 1, font: '10px sans-serif', textAlign: 'start', textBaseline: 'alphabetic',
    dash: [],
    setTransform() {}, clearRect() {},
    setLineDash(d) { this.dash = [...d]; },
    getLineDash() { return [...this.dash]; },
    save() {
      stack.push({ fillStyle: this.fillStyle, strokeStyle: this.strokeStyle, lineWidth: this.lineWidth, font: this.font, textAlign: this.textAlign, textBaseline: this.textBaseline, dash: this.dash });
      opened.push(0);
    },
    restore() {
      for (let k = opened.pop() ?? 0; k > 0; k--) body.push('</g>');
      if (!opened.length) opened.push(0);
      Object.assign(this, stack.pop() ?? {});
    },
    beginPath() { path = ''; },
    moveTo(x, y) { path += `M${n(x)} ${n(y)}`; },
    lineTo(x, y) { path += `L${n(x)} ${n(y)}`; },
    rect(x, y, w, h) { path += `M${n(x)} ${n(y)}h${n(w)}v${n(h)}h${n(-w)}Z`; },
    arc(x, y, r) {  // whole circles only (the charts' single points)
      path += `M${n(x - r)} ${n(y)}a${n(r)} ${n(r)} 0 1 0 ${n(2 * r)} 0a${n(r)} ${n(r)} 0 1 0 ${n(-2 * r)} 0`;
    },
    stroke() {
      if (!path) return;
      const dash = this.dash.length ? ` stroke-dasharray="${this.dash.join(' ')}"` : '';
      body.push(`<path d="${path}" fill="none" stroke="${esc(this.strokeStyle)}" stroke-width="${n(this.lineWidth)}"${dash}/>`);
    },
    fill() { if (path) body.push(`<path d="${path}" fill="${esc(this.fillStyle)}"/>`); },
    clip() {
      const id = `clip${++clipId}`;
      body.push(`<clipPath id="${id}"><path d="${path}"/></clipPath><g clip-path="url(#${id})">`);
      opened[opened.length - 1]++;
    },
    fillRect(x, y, w, h) { body.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="${esc(this.fillStyle)}"/>`); },
    strokeRect(x, y, w, h) { body.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="none" stroke="${esc(this.strokeStyle)}" stroke-width="${n(this.lineWidth)}"/>`); },
    fillText(text, x, y) {
      body.push(`<text x="${n(x)}" y="${n(y)}" style="font: ${esc(this.font)}" fill="${esc(this.fillStyle)}" text-anchor="${ANCHOR[this.textAlign] ?? 'start'}" dominant-baseline="${BASELINE[this.textBaseline] ?? 'auto'}">${esc(text)}</text>`);
    },
    measureText(text) { measurer.font = this.font; return measurer.measureText(text); },
    toString() {
      while (opened.length > 1 || opened[0] > 0) this.restore();
      return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n${body.join('\n')}\n</svg>\n`;
    },
  };
  return ctx;
}
