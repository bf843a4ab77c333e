// Design note: the loss as a function of one prediction with everything else held fixed. The
// student picks an element of a floating-point argument; the page sweeps that one value, calls
// lab.loss at each point (so the curve is PyTorch's, kinks, clamps and all) and marks the
// current value. Points where the lab refuses the input (a probability outside [0, 1]) are gaps,
// and the sweep narrows to the valid region. Where the per-element losses line up with the
// varied argument (the pointwise losses), the plot shows that element's own ℓ by default (BCE
// against p, the regression losses against the error, free of the other elements' offset); the
// reduced loss is one click away. The losses the registry lists under `compare` (L1, MSE,
// SmoothL1 and Huber list each other) can be drawn alongside, if they take the same arguments.
import { h, fmt, flatten, shapeOf } from './util.js';
import { LinePlot, toGaps } from './plot.js';
import { colorOf } from './palette.js';
import { indexText } from './tensorview.js';
import { exportPNG, exportSVG, exportCSV } from './export.js';

const N = 121;

function setFlat(v, index, value) {
  if (typeof v === 'number') return value;
  const copy = structuredClone(v);
  let k = 0;
  const walk = (a) => {
    for (let i = 0; i < a.length; i++) {
      if (Array.isArray(a[i])) { if (walk(a[i])) return true; } else if (k++ === index) { a[i] = value; return true; }
    }
    return false;
  };
  walk(copy);
  return copy;
}

export function createLossCurve(root, app) {
  const select = h('select', { id: 'probe-select' });
  const compare = h('input', { type: 'checkbox', id: 'probe-compare', checked: true });
  const yPick = h('select', { id: 'probe-y' },
    h('option', { value: 'element', text: 'ℓ of this element' }), h('option', { value: 'total', text: 'the reduced loss' }));
  const yRow = h('span', { class: 'probe-y' }, h('label', { for: 'probe-y', class: 'small', text: 'plot' }), yPick);
  const compareText = document.createTextNode('');
  const compareRow = h('label', { for: 'probe-compare', class: 'small check' }, compare, compareText);
  const plotBox = h('div', { class: 'plot small-plot', id: 'loss-plot', role: 'img', 'aria-label': 'Loss against one prediction' });
  const legend = h('ul', { class: 'mini-legend small' });
  const note = h('p', { class: 'small muted' });
  const exportBtns = h('div', { class: 'export-group', role: 'group', 'aria-label': 'Export the loss plot' },
    h('span', { class: 'small muted', text: 'Export' }),
    h('button', { type: 'button', class: 'btn btn-small', id: 'loss-export-png', text: 'PNG', onclick: () => doExport('png') }),
    h('button', { type: 'button', class: 'btn btn-small', id: 'loss-export-svg', text: 'SVG', onclick: () => doExport('svg') }),
    h('button', { type: 'button', class: 'btn btn-small', id: 'loss-export-csv', text: 'CSV', onclick: () => doExport('csv') }));
  const controlsRow = h('div', { class: 'curve-controls' }, h('label', { for: 'probe-select', class: 'small', text: 'vary' }), select, yRow, compareRow);
  root.replaceChildren(controlsRow, plotBox, legend, note, exportBtns);
  // until the inputs first give a result there is nothing to vary: no empty select, no checkbox
  // that does not apply (a link with a typo opens this way)
  const ready = (on) => { for (const el of [controlsRow, plotBox, legend, exportBtns]) el.hidden = !on; };
  ready(false);
  compareRow.hidden = true;
  note.textContent = 'Drawn once the forward arguments give a result.';
  let drawn = null;  // {xs, lines, xLabel, name}: what the plot shows, for the exports
  function doExport(kind) {
    if (!drawn) return;
    const base = `${drawn.name}-vs-${drawn.xLabel.replace(/[^\w]+/g, '_').replace(/_+$/, '')}`;
    if (kind === 'csv') exportCSV(drawn.xs, drawn.lines, `${base}.csv`, drawn.xLabel);
    else if (kind === 'svg') exportSVG([{ plot, lines: drawn.lines }], drawn.xs, [drawn.xs[0], drawn.xs[drawn.xs.length - 1]], `${base}.svg`, drawn.xLabel);
    else exportPNG(plot, drawn.lines, `${base}.png`);
  }
  const plot = new LinePlot(plotBox, { xLabel: '', yLabel: 'loss', height: (w) => Math.min(320, Math.max(200, w * 0.55)) });
  let last = null;
  let probe = null;  // the element being varied (stored in the state only once the student picks one)
  const pick = () => {
    const [arg, index] = select.value.split(':');
    probe = { arg, index: Number(index), total: yPick.value === 'total' };
    app.state.loss.probe = probe;
    app.commit();
    if (last) draw(...last);
  };
  select.addEventListener('change', pick);
  yPick.addEventListener('change', pick);
  compare.addEventListener('change', () => { if (last) draw(...last); });

  function options(spec, args, result) {
    const out = [];
    for (const a of spec.args) {
      if (!(a.name in result.grad)) continue;
      const shape = shapeOf(args[a.name]);
      const n = flatten(args[a.name]).length;
      for (let i = 0; i < Math.min(n, 64); i++) out.push([`${a.name}:${i}`, `${a.name}${indexText(i, shape)}`]);
    }
    return out;
  }

  // The plotted value: that element's ℓ, or the loss (summed when reduction='none').
  const valueOf = (r, index, element) => (element ? flatten(r.elementwise)[index]
    : typeof r.loss === 'number' ? r.loss : flatten(r.loss).reduce((a, b) => a + b, 0));

  function lossAt(name, params, args, arg, index, v, element) {
    try {
      return valueOf(app.lab.loss(name, params, { ...args, [arg]: setFlat(args[arg], index, v) }), index, element);
    } catch {
      return NaN;
    }
  }

  function draw(spec, params, args, result) {
    const arg = probe?.arg;
    const index = probe?.index ?? 0;
    const v0 = flatten(args[arg])[index];
    if (v0 === undefined) return;
    // element view: possible where ℓ has one value per element of the varied argument
    const aligned = flatten(result.elementwise).length === flatten(args[arg]).length && flatten(args[arg]).length > 1;
    yRow.hidden = !aligned;
    const element = aligned && !probe?.total;
    yPick.value = element ? 'element' : 'total';
    const sweep = (lo, hi) => {
      const xs = Array.from({ length: N }, (_, i) => lo + ((hi - lo) * i) / (N - 1));
      return { xs, ys: xs.map((x) => lossAt(spec.name, params, args, arg, index, x, element)) };
    };
    const w = Math.max(2, Math.abs(v0) * 1.5);
    let { xs, ys } = sweep(v0 - w, v0 + w);
    const valid = xs.filter((_, i) => Number.isFinite(ys[i]));
    if (valid.length && valid.length < N * 0.7) {
      const lo = valid[0];
      const hi = valid[valid.length - 1];
      ({ xs, ys } = sweep(lo, hi));
    }
    const series = [{ label: spec.name, color: colorOf(0, app.theme), width: 2.25, values: toGaps(ys) }];
    const names = [spec.name];
    const same = (a, b) => JSON.stringify(a.args.map((x) => [x.name, x.integer])) === JSON.stringify(b.args.map((x) => [x.name, x.integer]));
    compareRow.hidden = true;
    // side by side only where the registry says it teaches something, in the catalog's order
    const peers = app.catalog.losses.filter((s) => spec.compare.includes(s.name) && s.name !== spec.name && same(s, spec));
    if (peers.length) {
      compareRow.hidden = false;
      compareText.data = ` compare with the other ${spec.group.toLowerCase()} losses`;
      if (compare.checked) {
        peers.slice(0, 5).forEach((s, k) => {
          const p = {};
          if (params.reduction && s.params.some((q) => q.name === 'reduction')) p.reduction = params.reduction;
          const values = xs.map((x) => lossAt(s.name, p, args, arg, index, x, element));
          if (!values.some(Number.isFinite)) return;
          series.push({ label: s.name, color: colorOf(k + 1, app.theme), width: 1.75, values: toGaps(values) });
          names.push(s.name);
        });
      }
    }
    // A lone extreme at an end of the sweep (BCE's clamped log at p = 0 gives 100) would flatten
    // the curve: the axis is cut above the rest, and the note says where the curve goes.
    const inner = ys.slice(1, -1).filter(Number.isFinite);
    const top = inner.length ? Math.max(...inner) : NaN;
    const ends = [ys[0], ys[ys.length - 1]].filter((v) => Number.isFinite(v) && top > 0 && v > 3 * top);
    plot.yClip = ends.length ? [-Infinity, top] : null;
    const current = valueOf(result, index, element);
    const where = indexText(index, shapeOf(args[arg]));
    plot.opts.xLabel = `${arg}${where}`;
    plot.opts.yLabel = element ? `ℓ${where}` : 'loss';
    plot.signature = '';  // the axis label changed
    plot.update(xs, series, [xs[0], xs[xs.length - 1]], [{ x: v0, y: current, color: colorOf(0, app.theme), label: fmt(current, 4) }]);
    drawn = {
      xs, xLabel: plot.opts.xLabel, name: spec.name,
      lines: series.map((s, i) => ({ label: names[i], column: names[i], color: s.color, width: s.width, values: i === 0 ? ys : s.values.map((v) => v ?? NaN) })),
    };
    legend.replaceChildren(...series.map((s, i) => h('li', {},
      h('span', { class: 'swatch', style: `background:${s.color}` }), ` ${names[i]}${i === 0 ? ' (this loss, current value marked)' : ' (default parameters)'}`)));
    const what = element ? `ℓ${where}, this element's loss before reduction,` : typeof result.loss === 'number' ? 'loss' : 'loss.sum()';
    const cut = ends.length ? ` The axis stops at ${fmt(top, 3)}: at ${ys[0] === ends[0] ? fmt(xs[0], 4) : fmt(xs[xs.length - 1], 4)} the value is ${fmt(ends[0], 4)}${spec.plotNote ? ` (${spec.plotNote})` : ''}.` : '';
    note.textContent = `${what} as ${plot.opts.xLabel} moves from ${fmt(xs[0], 4)} to ${fmt(xs[xs.length - 1], 4)}; every other value stays as typed.${cut}`;
  }

  return {
    update(spec, params, args, result) {
      const opts = options(spec, args, result);
      select.replaceChildren(...opts.map(([v, t]) => h('option', { value: v, text: t })));
      const want = app.state.loss.probe;
      const key = want ? `${want.arg}:${want.index}` : null;
      if (!opts.length) { root.hidden = true; return; }
      root.hidden = false;
      ready(true);
      const [arg, index] = (key && opts.some(([v]) => v === key) ? key : opts[0][0]).split(':');
      probe = { arg, index: Number(index), total: !!want?.total };
      select.value = `${probe.arg}:${probe.index}`;
      last = [spec, params, args, result];
      draw(spec, params, args, result);
    },
    onTheme() { plot.rebuild(); if (last) draw(...last); },
    plot,
  };
}
