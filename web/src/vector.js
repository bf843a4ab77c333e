// Design note: the view for vector functions (Softmax, Softmin, LogSoftmax, GLU). The student
// edits a small vector as a PyTorch literal (and, where the registry says the function takes one,
// a temperature T, applied as the input x / T exactly as one writes it in PyTorch); the lab
// returns y and the Jacobian,
// shown as paired bars and a colour-coded matrix. A 2-D literal is a small batch (rows, as a
// classifier's (N, C) logits): the lab runs the function along the chosen dim, the page lists x
// and y row by row and draws the bars and the Jacobian of one slice along dim (a row for dim 1,
// a column for dim 0), picked in a select. The bars are a few SVG rectangles, simpler
// than bending a line-chart library into a bar chart.
import { h, fmt, perFrame } from './util.js';
import { renderParams, fullParams } from './params.js';
import { colorOf } from './palette.js';
import { DEFAULT_T, encodeCall, changedParams } from './state.js';
import { vectorExports } from './vecexport.js';

const SVG = 'http://www.w3.org/2000/svg';
const s = (tag, attrs = {}, ...kids) => {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...kids);
  return el;
};

export function createVectorView(root, app, onChange) {
  const st = () => app.state.act.vec;
  const xInput = h('input', { type: 'text', id: 'vec-x', class: 'mono wide', spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'vec-x-err' });
  const xErr = h('div', { class: 'field-error', id: 'vec-x-err', role: 'alert', hidden: true });
  const tSlider = h('input', { type: 'range', min: 0.1, max: 5, step: 0.05, 'aria-label': 'temperature slider' });
  const tBox = h('input', { type: 'number', id: 'vec-t', class: 'num', min: 0.001, step: 'any', 'aria-describedby': 'vec-t-err' });
  const tErr = h('div', { class: 'field-error', id: 'vec-t-err', role: 'alert', hidden: true });
  const tRow = h('div', { class: 'param-row', dataset: { field: 'T' } },
    h('label', { for: 'vec-t', class: 'param-name', text: 'temperature T' }),
    h('div', { class: 'param-controls' }, tSlider, tBox,
      h('button', { type: 'button', class: 'btn-icon', 'aria-label': `Reset temperature to ${DEFAULT_T}`, title: `Reset to ${DEFAULT_T}`, text: '↺', onclick: () => setT(DEFAULT_T) })),
    h('div', { class: 'param-doc', text: 'the page feeds x / T: T > 1 flattens the distribution, T < 1 sharpens it' }), tErr);
  const paramsBox = h('div', { class: 'params' });
  const general = h('div', { class: 'field-error general', role: 'alert', hidden: true });
  // PyTorch's UserWarnings for this call (dim=None: "Implicit dimension choice for softmax has
  // been deprecated. …"), which the PyTorch line, writing dim, would otherwise never show
  const warnBox = h('div', { class: 'warnings vec-warnings', id: 'vec-warnings' });
  const bars = h('div', { class: 'bars', id: 'vec-bars' });
  const jac = h('div', { class: 'jacobian-wrap' });
  const batch = h('div', { class: 'vec-batch', id: 'vec-batch', hidden: true });
  const sliceSel = h('select', { id: 'vec-slice' });
  const sliceRow = h('div', { class: 'param-row', dataset: { field: 'slice' }, hidden: true },
    h('label', { for: 'vec-slice', class: 'param-name', text: 'bars and Jacobian of' }),
    h('div', { class: 'param-controls' }, sliceSel),
    h('div', { class: 'param-doc', text: 'one slice along dim: the function maps each on its own' }));
  const jacTitle = h('h3', { class: 'sub-title', text: 'Jacobian ∂yᵢ/∂xⱼ (rows: outputs, columns: inputs)' });
  root.replaceChildren(
    h('div', { class: 'vector-inputs' },
      h('div', { class: 'param-row', dataset: { field: 'vx' } },
        h('label', { for: 'vec-x', class: 'param-name', text: 'input vector x' }),
        xInput, h('div', { class: 'param-doc', text: 'a PyTorch literal, e.g. [1.0, 2.0, 0.5, -1.0], or a batch of rows, e.g. [[1, 2, 0.5], [0.1, 0.2, 3]]' }), xErr),
      tRow, paramsBox, warnBox, sliceRow),
    general, batch,
    h('div', { class: 'vec-head' }, h('h3', { class: 'sub-title', text: 'Input and output' }),
      vectorExports(() => (root.classList.contains('stale') ? null : drawn))), bars,
    jacTitle, jac);
  sliceSel.addEventListener('change', () => { st().slice = Number(sliceSel.value); update(); onChange(); });

  const update = perFrame(() => compute());
  xInput.addEventListener('input', () => { st().x = xInput.value; update(); onChange(); });
  function setT(v) {
    if (!(v > 0)) return;
    tErr.hidden = true;
    tBox.removeAttribute('aria-invalid');
    st().T = v;
    tBox.value = v;
    tSlider.value = v;
    update();
    onChange();
  }
  tSlider.addEventListener('input', () => setT(Number(tSlider.value)));
  // a T the page cannot use is said beside the box, with the T the bars still use
  tBox.addEventListener('input', () => {
    const text = tBox.value.trim();
    const v = text === '' ? NaN : Number(text);
    if (v > 0 && Number.isFinite(v)) return setT(v);
    tErr.hidden = false;
    tErr.textContent = `${text === '' ? 'T is empty' : !Number.isFinite(v) && !Number.isNaN(v) ? `${text} is beyond float64's range` : Number.isNaN(v) ? 'Not a number' : 'T must be greater than 0'}: the bars still use T = ${st().T}.`;
    tBox.setAttribute('aria-invalid', 'true');
  });

  let controls = null;
  let paramsNdim = 1;  // the input dims the dim select was built for
  function renderControls() {
    const v = st();
    const spec = app.specOf(v.name);
    controls = renderParams(paramsBox, spec, fullParams(spec, v.params), (name, value) => {
      v.params[name] = value;
      update();
      onChange();
    }, { ndim: paramsNdim });
  }
  function render() {
    const v = st();
    const spec = app.specOf(v.name);
    xInput.value = v.x;
    tRow.hidden = !spec.temperature;
    tBox.value = v.T;
    tSlider.value = v.T;
    tErr.hidden = true;
    tBox.removeAttribute('aria-invalid');
    renderControls();
    compute();
  }

  // the last drawn chart stays (marked out of date) while the input is invalid, but never under
  // another function's name
  let drawnName = null;
  function stale(name) {
    root.classList.add('stale');
    if (drawnName !== name) { bars.replaceChildren(); jac.replaceChildren(); batch.replaceChildren(); drawnName = null; }
  }

  function compute() {
    const v = st();
    const spec = app.specOf(v.name);
    let x;
    try {
      x = app.lab.parseTensor(v.x);
      const shapeHint = 'enter a vector, e.g. [1.0, 2.0, 0.5], or a batch of rows, e.g. [[1, 2, 0.5], [0.1, 0.2, 3]]';
      if (!Array.isArray(x) || x.some((row) => Array.isArray(row) && row.some(Array.isArray))) throw new Error(shapeHint);
      if (x.some(Array.isArray)) {
        if (x.length > 8) throw new Error('use at most 8 rows');
        if (x[0].length === 0 || x[0].length > 16) throw new Error('use between 1 and 16 entries per row');
      } else if (x.length === 0 || x.length > 16) throw new Error('use between 1 and 16 entries');
      xErr.hidden = true;
      xInput.removeAttribute('aria-invalid');
    } catch (e) {
      xErr.hidden = false;
      xErr.textContent = e.message;
      xInput.setAttribute('aria-invalid', 'true');
      stale(v.name);
      return;
    }
    const T = spec.temperature ? v.T : 1;
    const isBatch = x.some(Array.isArray);
    sliceRow.hidden = !isBatch;  // (also while the lab refuses this input: a 1-D x has no slices)
    batch.hidden = !isBatch;
    if ((isBatch ? 2 : 1) !== paramsNdim) {
      paramsNdim = isBatch ? 2 : 1;
      renderControls();
    }
    let r;
    warnBox.replaceChildren();  // they were about the call last made, not this one
    try {
      const scaled = isBatch ? x.map((row) => row.map((e) => e / T)) : x.map((e) => e / T);
      r = app.lab.activation(v.name, fullParams(spec, v.params), scaled);
      general.hidden = true;
      controls?.showError(null, null);
    } catch (e) {
      // a message naming a parameter belongs to it (a dim out of range to dim); anything else is
      // about the vector
      const named = spec.params.find((p) => new RegExp(`\\b${p.name}\\b`).test(e.message)) ??
        (/^Dimension out of range/.test(e.message) ? spec.params.find((p) => p.type === 'dim') : undefined);
      if (named) controls?.showError(named.name, e.message);
      else {
        xErr.hidden = false;
        xErr.textContent = e.message;
        xInput.setAttribute('aria-invalid', 'true');
      }
      stale(v.name);
      return;
    }
    root.classList.remove('stale');
    drawnName = v.name;
    warnBox.replaceChildren(...r.warnings.map((w) => h('p', { class: 'warning', role: 'status',
      text: `UserWarning: ${w} (Here PyTorch picks dim ${r.dim}; writing it, as the PyTorch line does, gives the same numbers without the warning.)` })));
    // a batch: the slice along dim that the bars and the Jacobian show (row k for dim 1, column
    // k for dim 0), its x, y and Jacobian block r.jacobian[k]
    let sx = x, sy = r.y, sj = r.jacobian, where = '';
    if (isBatch) {
      const count = r.jacobian.length;
      const word = r.dim === 1 ? 'row' : 'column';
      const k = Math.min(Math.max(0, st().slice ?? 0), count - 1);
      sliceSel.replaceChildren(...Array.from({ length: count }, (_, i) => h('option', { value: String(i), text: `${word} ${i}` })));
      sliceSel.value = String(k);
      sx = r.dim === 1 ? x[k] : x.map((row) => row[k]);
      sy = r.dim === 1 ? r.y[k] : r.y.map((row) => row[k]);
      sj = r.jacobian[k].flat();
      where = ` of ${word} ${k}`;
      drawBatch(x, r.y, r.dim, k);
    }
    const J = Float64Array.from(sj, (e) => e / T);
    drawBars(sx, sy, spec, T);
    jacTitle.textContent = `Jacobian ∂yᵢ/∂xⱼ${where} (rows: outputs, columns: inputs)`;
    drawJacobian(J, sy.length, sx.length);
    const call = encodeCall(v.name, changedParams(spec, v.params)).replace(/,/g, ', ');
    drawn = { x: sx, y: sy, J, name: v.name, svg: bars.querySelector('svg'), title: `${call} of x${T !== 1 ? ` / ${T}` : ''}, x = ${v.x}${where}` };
  }

  // The whole batch, row by row: x[i] beside y[i]; the slice the bars show is marked.
  function drawBatch(x, y, dim, k) {
    const cols = Math.max(x[0].length, y[0].length);
    const cells = (row, i) => Array.from({ length: cols }, (_, j) => {
      const mark = dim === 1 ? i === k : j === k;
      return h('td', { class: mark ? 'slice' : '', title: j < row.length ? String(row[j]) : '', text: j < row.length ? fmt(row[j], 5) : '' });
    });
    const table = h('table', { class: 'vec-table batch-table mono small', id: 'vec-batch-table' },
      h('thead', {}, h('tr', {}, h('th', { text: '' }), Array.from({ length: cols }, (_, j) => h('th', { scope: 'col', text: String(j) })))),
      h('tbody', {}, Array.from({ length: Math.max(x.length, y.length) }, (_, i) => [
        i < x.length ? h('tr', { dataset: { row: String(i), of: 'x' } }, h('th', { scope: 'row', text: `x[${i}]` }), cells(x[i], i)) : null,
        i < y.length ? h('tr', { dataset: { row: String(i), of: 'y' } }, h('th', { scope: 'row', text: `y[${i}]` }), cells(y[i], i)) : null,
      ]).flat().filter(Boolean)));
    batch.replaceChildren(h('h3', { class: 'sub-title', text: `The batch, row by row (the function runs along dim ${dim}: each ${dim === 1 ? 'row' : 'column'} on its own)` }),
      h('div', { class: 'table-scroll', tabIndex: 0 }, table));
  }
  let drawn = null;  // what the exports write

  function drawBars(x, y, { name }, T) {
    const W = Math.max(300, Math.min(900, root.clientWidth || 640));
    const H = Math.round(Math.min(260, Math.max(180, W * 0.34)));
    const pad = { l: 8, r: 8, t: 22, b: 40 };
    const all = [...x, ...y, 0].filter(Number.isFinite);
    let lo = Math.min(...all);
    let hi = Math.max(...all);
    if (hi - lo < 1e-12) { hi += 1; lo -= 1; }
    const ypos = (v) => pad.t + ((hi - v) / (hi - lo)) * (H - pad.t - pad.b);
    const n = Math.max(x.length, y.length);
    const gw = (W - pad.l - pad.r) / n;
    const bw = Math.min(28, gw * 0.36);
    const inColor = 'var(--muted-bar)';
    const outColor = colorOf(0, app.theme);
    const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'bar-chart', role: 'img', 'aria-label': `Bars of x and ${name}(x)` });
    svg.append(s('line', { x1: pad.l, x2: W - pad.r, y1: ypos(0), y2: ypos(0), class: 'bar-axis' }));
    const bar = (v, cx, color, label) => {
      if (!Number.isFinite(v)) return;
      const y0 = ypos(0);
      const y1 = ypos(v);
      svg.append(s('rect', { x: cx - bw / 2, y: Math.min(y0, y1), width: bw, height: Math.max(1, Math.abs(y1 - y0)), fill: color, rx: 2 },
        s('title', {}, `${label} = ${v}`)));
      svg.append(s('text', { x: cx, y: v >= 0 ? y1 - 5 : y1 + 13, class: 'bar-value', 'text-anchor': 'middle' }, fmt(v, 3)));
    };
    for (let i = 0; i < n; i++) {
      const gx = pad.l + gw * i + gw / 2;
      if (i < x.length) bar(x[i], gx - bw * 0.55, inColor, `x[${i}]`);
      if (i < y.length) bar(y[i], gx + bw * 0.55, outColor, `y[${i}]`);
      svg.append(s('text', { x: gx, y: H - 6, class: 'bar-index', 'text-anchor': 'middle' }, String(i)));
    }
    const legend = h('div', { class: 'bar-legend small' },
      h('span', {}, h('span', { class: 'swatch', style: `background:${inColor}` }), ' input x'),
      h('span', {}, h('span', { class: 'swatch', style: `background:${outColor}` }), ` output y = ${name}(x${T !== 1 ? ' / T' : ''})`));
    const table = h('table', { class: 'vec-table mono small' },
      h('tr', {}, h('th', { scope: 'row', text: 'x' }), x.map((v) => h('td', { text: fmt(v, 5), title: String(v) }))),
      h('tr', {}, h('th', { scope: 'row', text: 'y' }), Array.from(y, (v) => h('td', { text: fmt(v, 5), title: String(v) }))));
    bars.replaceChildren(legend, svg, h('div', { class: 'table-scroll', tabIndex: 0 }, table));
  }

  function drawJacobian(J, rows, cols) {
    let max = 0;
    for (const v of J) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
    const table = h('table', { class: 'matrix mono', id: 'jacobian' },
      h('thead', {}, h('tr', {}, h('th', { text: '' }), Array.from({ length: cols }, (_, j) => h('th', { scope: 'col', text: `x${sub(j)}` })))),
      h('tbody', {}, Array.from({ length: rows }, (_, i) => h('tr', {},
        h('th', { scope: 'row', text: `y${sub(i)}` }),
        Array.from({ length: cols }, (_, j) => {
          const v = J[i * cols + j];
          return h('td', { style: heat(v, max), title: String(v), text: fmt(v, 4) });
        })))));
    jac.replaceChildren(h('div', { class: 'table-scroll', tabIndex: 0 }, table));
  }

  return { render };
}

const SUB = '₀₁₂₃₄₅₆₇₈₉';
export const sub = (n) => String(n).split('').map((d) => SUB[d]).join('');

// Cell background: orange for positive, blue for negative, strength by magnitude (the theme
// sets how strong, so text keeps its contrast).
export function heat(v, max) {
  if (!Number.isFinite(v) || max === 0 || v === 0) return '';
  const a = Math.min(1, Math.abs(v) / max);
  return `--share:${a.toFixed(3)};--hue:var(${v > 0 ? '--heat-pos' : '--heat-neg'})`;
}
