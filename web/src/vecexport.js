// Design note: exports of the vector view (Softmax, Softmin, LogSoftmax, GLU), like the graphs':
// SVG is the bar chart the page draws, made standalone (the stylesheet's colours written in, a
// background, a title), PNG that drawing rasterised (export.js's size and background choice),
// CSV every input, output and Jacobian entry at full float64 precision.
import { h } from './util.js';
import { download } from './util.js';
import { pngOptions, pngOptionsControl, themeVars, rasterize, toLight } from './export.js';

const num = (v) => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v));

export function vectorCSV({ x, y, J }) {
  const cols = x.length;
  const rows = [['i', 'x', 'y', ...x.map((_, j) => `dy_i/dx_${j}`)].join(',')];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const jac = i < y.length ? Array.from({ length: cols }, (_, j) => num(J[i * cols + j])) : [];
    rows.push([i, i < x.length ? num(x[i]) : '', i < y.length ? num(y[i]) : '', ...jac].join(','));
  }
  return `${rows.join('\n')}\n`;
}

// The page's <svg> bar chart as a file: every colour the stylesheet gives it written in.
export function vectorSVG(svgEl, title, light) {
  const c = themeVars(svgEl, light);
  const [, , W, H] = svgEl.getAttribute('viewBox').split(' ').map(Number);
  const top = 28;
  const copy = svgEl.cloneNode(true);
  copy.removeAttribute('class');
  copy.setAttribute('x', '0');
  copy.setAttribute('y', String(top));
  copy.setAttribute('width', String(W));
  copy.setAttribute('height', String(H));
  for (const t of copy.querySelectorAll('text')) {
    t.setAttribute('fill', t.classList.contains('bar-index') ? c.muted : c.fg);
    t.setAttribute('font-family', 'system-ui, sans-serif');
    t.setAttribute('font-size', '12');
  }
  for (const l of copy.querySelectorAll('line')) l.setAttribute('stroke', c.axis);
  for (const r of copy.querySelectorAll('rect')) {
    const f = r.getAttribute('fill');
    r.setAttribute('fill', f?.startsWith('var(') ? c.bar : light ? toLight(f) : f);
  }
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H + top}" viewBox="0 0 ${W} ${H + top}">`,
    `<rect width="${W}" height="${H + top}" fill="${c.bg}"/>`,
    `<text x="8" y="18" fill="${c.fg}" font-family="system-ui, sans-serif" font-size="13" font-weight="600">${esc(title)}</text>`,
    new XMLSerializer().serializeToString(copy), '</svg>'].join('\n');
}

// The buttons, for the vector view's heading; data() gives the last drawn {x, y, J, name, svg, title}.
export function vectorExports(data) {
  const run = (kind) => {
    const d = data();
    if (!d) return;
    const base = d.name;
    if (kind === 'csv') download(vectorCSV(d), `${base}.csv`, 'text/csv');
    else if (kind === 'svg') download(vectorSVG(d.svg, d.title, false), `${base}.svg`, 'image/svg+xml');
    else rasterize(vectorSVG(d.svg, d.title, pngOptions.light), `${base}.png`, pngOptions.scale, themeVars(d.svg, pngOptions.light).bg);
  };
  const btn = (kind) => h('button', { type: 'button', class: 'btn btn-small', id: `vec-export-${kind}`, text: kind.toUpperCase(), onclick: () => run(kind) });
  return h('div', { class: 'export-group', role: 'group', 'aria-label': 'Export the vector view' },
    h('span', { class: 'small muted', text: 'Export' }), btn('png'), btn('svg'), btn('csv'), pngOptionsControl('vec-png-options'));
}
