// Design note: the function explorer. State (in app.state.act) is a list of curves — each an
// activation name, its parameters and which of f / f′ to show — plus the x-range and, for vector
// functions, the vector view's state. Rendering is split in two speeds: `renderAll` rebuilds
// controls when the structure changes (another function, a curve added), `redraw` only resamples
// and redraws — that is what runs on every animation frame while a slider is dragged. Each
// curve's samples are cached by (name, params, range), so dragging one curve's slider reevaluates
// just that curve. f and f′ share one graph (f′ dashed), or with `split` f′ gets its own axes
// below, for functions whose derivative lives on a much smaller scale than f (Softplus, ELU…).
// "Your formula" (the picker's last entry) is a curve with a `formula` text, evaluated by the
// formula language in lab_net: its part (part-formula.js, loaded on first need) sets app.formula,
// which gives such a curve its spec (parameters as sliders), values, editor, card and the compare
// readout; everything else treats it as any curve.
import { h, fmt, perFrame, uid } from './util.js';
import { LinePlot, toGaps } from './plot.js';
import { renderParams, fullParams } from './params.js';
import { infoCard } from './info.js';
import { colorOf, colorName, MAX_CURVES } from './palette.js';
import { encodeCall, changedParams, DEFAULT_X, DEFAULT_T, defaultState } from './state.js';
import { exportPNG, exportSVG, exportCSV, pngOptionsControl } from './export.js';
import { createVectorView } from './vector.js';

export const SAMPLES = 2001;

// The picker's groups in the registry's order, except that a group with nothing from torch.nn
// goes last, wherever the registry lists it.
export function groupedOptions(specs) {
  const groups = [];
  for (const s of specs) {
    let g = groups.find((x) => x.name === s.group);
    if (!g) groups.push((g = { name: s.group, specs: [] }));
    g.specs.push(s);
  }
  const outside = (g) => g.specs.every((s) => !s.inTorchNn);
  return groups.sort((a, b) => outside(a) - outside(b));
}

export function curveLabel(spec, params) {
  return spec.label?.(params) ?? encodeCall(spec.name, changedParams(spec, params)).replace(/,/g, ', ');
}

export function createExplorer(root, app) {
  const st = () => app.state.act;
  const cache = new Map();  // curve index -> {key, y, dy, error}
  const isF = (c) => c.formula != null;
  const specOf = (c) => (isF(c) ? app.formula?.spec(c) ?? { name: 'formula', params: [], label: () => c.formula } : app.specOf(c.name));
  const wait = { run() { throw Object.assign(new Error('loading'), { inline: 1 }); } };
  const act = (c, p, x) => (isF(c) ? (app.formula ?? wait).run(c, p, x) : app.lab.activation(c.name, p, x));
  let lastText = 'x * sigmoid(beta * x)';
  let fLoad = null;
  let fFail = null;
  // the formula part loads once any curve has a formula; the active one's controls say how it goes
  const needFormula = () => {
    fLoad ??= app.loadPart('formula').then((p) => p.create(app)).then((f) => { app.formula = f; cache.clear(); renderAll(); },
      (e) => { fLoad = null; fFail = e; renderAll(); });
  };
  const formulaUI = (c) => {
    if (app.formula) return app.formula.editor(c, () => { renderAll(); app.commit(); });
    if (fFail) {
      return h('p', { class: 'banner-error part-error', role: 'alert' }, `The formula engine could not be loaded (${fFail.message}). `,
        h('button', { type: 'button', class: 'btn btn-small', text: 'Retry', onclick: () => { fFail = null; renderAll(); } }));
    }
    return h('p', { class: 'part-status muted', role: 'status', text: 'Loading the formula engine…' });
  };
  let xs = null;
  let xsKey = '';

  // ---------------------------------------------------------------- skeleton
  const picker = h('select', { id: 'fn-picker', class: 'picker' },
    // "not in torch.nn" once, on the group (the card's badge says it again for the chosen one), so
    // the closed picker never cuts a long option text
    groupedOptions(app.catalog.activations).map((g) => {
      const outside = g.specs.every((s) => !s.inTorchNn);
      return h('optgroup', { label: outside ? `${g.name} (not in torch.nn)` : g.name },
        g.specs.map((s) => h('option', { value: s.name, text: s.name + (s.inTorchNn || outside ? '' : ' (not in torch.nn)') })));
    }), h('optgroup', { label: 'Your own' }, h('option', { value: 'formula', text: 'Your formula' })));
  const editing = h('p', { class: 'editing small muted', 'aria-live': 'polite' });
  const paramsBox = h('div', { class: 'params' });
  const formulaBox = h('div', { class: 'formula-host' });
  const curveError = h('div', { class: 'field-error general', role: 'alert', hidden: true });
  const controls = h('section', { class: 'panel controls', 'aria-labelledby': 'ex-controls-title' },
    h('h2', { class: 'panel-title', id: 'ex-controls-title', text: 'Function' }),
    h('label', { for: 'fn-picker', class: 'visually-hidden', text: 'Activation function' }),
    picker, formulaBox, editing,
    h('h3', { class: 'sub-title', text: 'Parameters' }),
    paramsBox, curveError);

  const legend = h('ul', { class: 'legend', 'aria-label': 'Curves on the graph' });
  const addBtn = h('button', { type: 'button', class: 'btn btn-small', id: 'add-curve', dataset: { field: 'curves' }, text: '+ Compare another curve' });
  // focusable: the arrow keys move the readout along the graph (and, in an embed, focus arms wheel-zoom)
  const plotBox = h('div', { class: 'plot', id: 'fn-plot', role: 'img', 'aria-label': 'Graph', tabIndex: 0 });
  const plotBoxD = h('div', { class: 'plot plot-deriv', id: 'fn-plot-d', role: 'img', 'aria-label': 'Graph of the derivatives', hidden: true, tabIndex: 0 });
  const splitBox = h('input', { type: 'checkbox', id: 'split-toggle' });
  const splitRow = h('label', { for: 'split-toggle', class: 'small check', dataset: { field: 'split' } }, splitBox, ' f′ on its own axes');
  const xMin = h('input', { type: 'number', id: 'x-min', class: 'num', step: 'any', 'aria-label': 'x from', 'aria-describedby': 'x-range-err' });
  const xMax = h('input', { type: 'number', id: 'x-max', class: 'num', step: 'any', 'aria-label': 'x to', 'aria-describedby': 'x-range-err' });
  const xErr = h('div', { class: 'field-error range-error', id: 'x-range-err', role: 'alert', hidden: true });
  const zoomIn = h('button', { type: 'button', class: 'btn-icon', title: 'Zoom in', 'aria-label': 'Zoom in', text: '+' });
  const zoomOut = h('button', { type: 'button', class: 'btn-icon', title: 'Zoom out', 'aria-label': 'Zoom out', text: '−' });
  const resetView = h('button', { type: 'button', class: 'btn btn-small btn-reset-view', title: 'Reset the view', text: 'Reset view' });
  const exportBtns = h('div', { class: 'export-group', role: 'group', 'aria-label': 'Export' },
    h('span', { class: 'small muted', text: 'Export' }),
    h('button', { type: 'button', class: 'btn btn-small', id: 'export-png', text: 'PNG', onclick: () => doExport('png') }),
    h('button', { type: 'button', class: 'btn btn-small', id: 'export-svg', text: 'SVG', onclick: () => doExport('svg') }),
    h('button', { type: 'button', class: 'btn btn-small', id: 'export-csv', text: 'CSV', onclick: () => doExport('csv') }),
    pngOptionsControl('png-options'));
  const toolbar = h('div', { class: 'toolbar' },
    h('div', { class: 'range-group', role: 'group', 'aria-label': 'x-range', dataset: { field: 'x' } },
      h('label', { for: 'x-min', class: 'small', text: 'x from' }), xMin,
      h('label', { for: 'x-max', class: 'small', text: 'to' }), xMax, zoomIn, zoomOut, resetView),
    exportBtns, xErr);
  const readX = h('input', { type: 'number', id: 'read-x', class: 'num', step: 'any', dataset: { field: 'rx' } });
  const readBody = h('tbody');
  const compareBox = h('div', { class: 'compare-host' });
  const readout = h('div', { class: 'readout' },
    h('div', { class: 'readout-head' },
      h('label', { for: 'read-x', text: 'Values at x =' }), readX,
      h('span', { class: 'small muted hint', text: `hover the graph, click it or type an x · arrow keys move x · drag to pan · ${app.embed ? 'click, then wheel' : 'wheel'} to zoom · double-click to reset` })),
    h('table', { class: 'readout-table', id: 'readout' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'curve' }), h('th', { scope: 'col', text: 'f(x)' }), h('th', { scope: 'col', text: 'f′(x)' }))),
      readBody), compareBox);
  const derivGate = h('div', { class: 'deriv-gate' });
  const graphView = h('div', { class: 'graph-view' },
    h('div', { class: 'legend-row' }, legend, h('div', { class: 'legend-actions' }, splitRow, addBtn)), derivGate, plotBox, plotBoxD, toolbar, readout);
  const vectorBox = h('div', { class: 'vector-host' });
  const graphPanel = h('section', { class: 'panel graph-panel', 'aria-label': 'Graph' }, graphView, vectorBox);
  const infoBox = h('section', { class: 'panel info-panel', 'aria-label': 'About this function' });
  const explorerEl = h('div', { class: 'explorer' }, controls, graphPanel, infoBox);
  root.replaceChildren(explorerEl);

  // embedded: the graphs get the frame's height less what must show with them in the first
  // screenful: the legend, and (one column) the first parameters below, or (two columns) the
  // toolbar and the readout beside the controls. f and f′ on their own axes share that height,
  // stacked; with less than 2 × 120 px for them (a 400×300 frame, or 800×500 with the readout's
  // rows beside) they stand side by side instead (class split-side), each as tall as one graph
  // would be: two graphs of 45 px of curve each would show the shapes of neither.
  const splitShown = () => st().split && !derivHidden();
  const oneColumn = () => getComputedStyle(graphPanel).display === 'contents';  // styles.css's narrow embed
  // the least a graph gets grows with its axis type (present=1): the curve keeps its room
  const typeScale = () => Math.max(1, (parseFloat(getComputedStyle(app.root).getPropertyValue('--plot-font-size')) || 12) / 12);
  const freeHeight = () => {
    const hOf = (el) => (el && !el.hidden ? el.getBoundingClientRect().height : 0);
    const mainEl = app.root.querySelector('.main');
    const frame = mainEl ? mainEl.clientHeight - 16 : app.root.clientHeight;
    const below = oneColumn() ? Math.min(hOf(controls), 110) + 12 : hOf(toolbar) + hOf(readout) + 14;
    return frame - hOf(oneColumn() ? legend : graphView.firstChild) - hOf(derivGate) - below - 6;
  };
  const sideBySide = () => explorerEl.classList.contains('split-side');
  const placeSplit = () => {
    if (!app.embed) return;
    const side = splitShown() && freeHeight() - 6 < 2 * 120 * typeScale();
    if (side === sideBySide()) return;
    explorerEl.classList.toggle('split-side', side);
    xLabels();
    for (const p of [plot, plotD]) { p.opts.xSpace = side ? 30 : undefined; p.rebuild(); }
  };
  const embedHeight = (main) => (w) => {
    const free = freeHeight();
    const least = 130 * typeScale();
    if (!splitShown() || sideBySide()) return Math.max(least, Math.min(w * 0.8, free));
    const total = Math.max(2 * least - 20, Math.min(w * 0.8, free - 6));  // the f′ panel's margin
    return total * (main ? 0.55 : 0.45);
  };
  const syncKey = uid('explorer-x');
  const plotOpts = (yLabel, height) => ({
    xLabel: 'x', yLabel, interactive: true, height, syncKey, minWidth: app.embed ? 150 : 200,
    onRange: (r) => { if (app.teach.canEdit('x')) setRange(r ?? [...DEFAULT_X]); },
    // hover shows the values under the pointer; leaving the graph returns to the pinned x
    onCursor: (idx) => { if (!xs) return; if (idx !== null) showReadout(idx); else if (st().readX !== null) showReadoutAt(st().readX); },
  });
  const plot = new LinePlot(plotBox, plotOpts('f(x), f′(x)', app.embed ? embedHeight(true) : undefined));
  // the f′ panel is a little shorter than f's
  const plotD = new LinePlot(plotBoxD, plotOpts('f′(x)',
    app.embed ? embedHeight(false) : (w) => Math.round(Math.min(300, Math.max(170, w * 0.36)))));
  const vector = createVectorView(vectorBox, app, () => { renderInfo(); app.commit(); });
  // an embed's graph follows the frame's height and what shares it (the readout's rows)
  if (app.embed) {
    const refit = new ResizeObserver(() => { placeSplit(); plot.resize(); plotD.resize(); });
    for (const el of [app.root, readout, controls]) refit.observe(el);
  }

  // ---------------------------------------------------------------- events
  picker.addEventListener('change', () => {
    const spec = app.specOf(picker.value) ?? {};  // {}: "Your formula"
    if (spec.kind === 'vector') {
      st().mode = 'vector';
      const vec = st().vec;
      vec.name = spec.name;
      vec.params = {};
      // nothing of the previous function that does not apply carries over: its temperature, or
      // a vector this one refuses (GLU needs an even length)
      if (!spec.temperature) vec.T = DEFAULT_T;
      let x = null;
      try { x = app.lab.parseTensor(vec.x); } catch { x = null; }  // a typo stays, to be fixed
      if (x !== null) { try { app.lab.activation(spec.name, {}, x); } catch { vec.x = defaultState().act.vec.x; } }
    } else {
      st().mode = 'curve';
      const c = st().curves[st().active];
      if (isF(c)) lastText = c.formula;
      c.name = picker.value;
      c.params = {};
      if (spec.name) delete c.formula; else c.formula = lastText;
    }
    renderAll();
    app.commit();
  });
  addBtn.addEventListener('click', () => {
    const a = st();
    if (a.curves.length >= MAX_CURVES) return;
    const c = a.curves[a.active];
    a.curves.push({ ...c, params: { ...c.params }, f: true, d: true });
    a.active = a.curves.length - 1;
    renderAll();
    app.commit();
    picker.focus();
    if (app.embed) controls.scrollIntoView({ block: 'nearest' });  // the copy is drawn over the original: show what to change
  });
  // a range the graph cannot take is said beside the boxes, with the range still drawn
  const rangeFromInputs = () => {
    const a = xMin.value.trim() === '' ? NaN : Number(xMin.value);
    const b = xMax.value.trim() === '' ? NaN : Number(xMax.value);
    const why = !Number.isFinite(a) || !Number.isFinite(b) ? `"x ${Number.isFinite(a) ? 'to' : 'from'}" needs a finite number`
      : !(a < b) ? '"x from" must be less than "x to"'
        : !(b - a > 1e-9) ? 'the range is narrower than 1e-9' : b - a > 1e7 ? 'the range is wider than 1e7' : null;
    if (why) {
      xErr.hidden = false;
      xErr.textContent = `${why}: the graph still shows x from ${fmt(st().x[0])} to ${fmt(st().x[1])}.`;
      for (const box of [xMin, xMax]) box.setAttribute('aria-invalid', 'true');
      return;
    }
    setRange([a, b]);
  };
  splitBox.addEventListener('change', () => {
    st().split = splitBox.checked;
    applySplit();
    redraw();
    app.commit();
  });
  function applySplit() {
    const split = st().split;
    splitBox.checked = split;
    plotBoxD.hidden = !split || derivHidden();  // hide=deriv: no empty f′ panel either
    plot.opts.yLabel = split || derivHidden() ? 'f(x)' : 'f(x), f′(x)';
    placeSplit();
    xLabels();
    plot.signature = plotD.signature = '';  // rebuild: the axis labels changed
    plot.resize();
  }
  // "x" under the graphs: the f′ panel below carries it for both; a narrow embed, or f and f′ side
  // by side, keep the room for the graphs (the ticks say x)
  function xLabels() {
    const tight = (app.embed && oneColumn()) || sideBySide();
    plot.opts.xLabel = st().split || tight ? '' : 'x';
    plotD.opts.xLabel = tight ? '' : 'x';
  }
  xMin.addEventListener('change', rangeFromInputs);
  xMax.addEventListener('change', rangeFromInputs);
  const zoom = (k) => {
    const [a, b] = st().x;
    const m = (a + b) / 2;
    setRange([m - ((b - a) / 2) * k, m + ((b - a) / 2) * k]);
  };
  zoomIn.addEventListener('click', () => zoom(1 / 1.5));
  zoomOut.addEventListener('click', () => zoom(1.5));
  resetView.addEventListener('click', () => setRange([...DEFAULT_X]));
  // "Values at x": a typed, clicked or arrow-keyed x is pinned (a marker on every curve, `rx=` in
  // the link); hovering shows other values only while the pointer is over the graph
  readX.addEventListener('input', () => {
    const x = Number(readX.value);
    if (readX.value.trim() === '') pin(null);
    else if (Number.isFinite(x)) pin(x);
  });
  const pin = (x) => { st().readX = x; if (x !== null && xs) showReadoutAt(x); redrawSoon(); commitSoon(); };
  const plotOf = (box) => (box === plotBoxD ? plotD : plot);
  for (const box of [plotBox, plotBoxD]) {
    let down = null;
    box.addEventListener('pointerdown', (e) => { down = [e.clientX, e.clientY]; });
    box.addEventListener('pointerleave', () => { if (st().readX !== null && xs) showReadoutAt(st().readX); });
    box.addEventListener('click', (e) => {
      const u = plotOf(box).u;
      if (!u || !down || Math.hypot(e.clientX - down[0], e.clientY - down[1]) > 4 || !app.teach.canEdit('rx')) return;
      const r = u.over.getBoundingClientRect();
      if (e.clientX < r.left || e.clientX > r.right) return;
      pin(+u.posToVal(e.clientX - r.left, 'x').toPrecision(6));
    });
    box.addEventListener('keydown', (e) => {
      if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key) || !app.teach.canEdit('rx')) return;
      e.preventDefault();
      const [a, b] = st().x;
      const step = ((b - a) / 100) * (e.shiftKey ? 10 : 1);
      const cur = st().readX ?? Number(readX.value);
      const next = e.key === 'Home' ? a : e.key === 'End' ? b : cur + (e.key === 'ArrowRight' ? step : -step);
      pin(+Math.min(b, Math.max(a, next)).toPrecision(8));
    });
    // embedded in a course page, the wheel scrolls the page until the graph has focus (a click
    // or Tab gives it), or with Ctrl/⌘ held, as map embeds do
    box.addEventListener('wheel', (e) => {
      if (!app.embed || e.ctrlKey || e.metaKey || box.contains(document.activeElement)) return;
      e.stopPropagation();
      wheelHint(box);
    }, { capture: true });
  }
  function wheelHint(box) {
    let tip = box.querySelector('.wheel-hint');
    if (!tip) box.append(tip = h('div', { class: 'wheel-hint', 'aria-hidden': 'true', text: 'Click the graph (or hold Ctrl/⌘) to zoom with the wheel' }));
    tip.classList.add('on');
    clearTimeout(tip.timer);
    tip.timer = setTimeout(() => tip.classList.remove('on'), 1500);
  }
  app.teach.onReveal((key) => { if (key === 'deriv') renderAll(); });

  const redrawSoon = perFrame(() => redraw());
  const commitSoon = perFrame(() => app.commit());

  function setRange([a, b]) {
    if (!(b - a > 1e-9) || !Number.isFinite(a) || !Number.isFinite(b) || b - a > 1e7) return;
    st().x = [a, b];
    xMin.value = +a.toPrecision(6);
    xMax.value = +b.toPrecision(6);
    xErr.hidden = true;
    for (const box of [xMin, xMax]) box.removeAttribute('aria-invalid');
    redrawSoon();
    commitSoon();
  }

  // ---------------------------------------------------------------- structure
  function renderAll() {
    const a = st();
    const vectorMode = a.mode === 'vector';
    graphView.hidden = vectorMode;
    vectorBox.hidden = !vectorMode;
    if (vectorMode) {
      picker.value = a.vec.name;
      editing.textContent = 'A vector function: every output depends on every input.';
      paramsBox.replaceChildren(h('p', { class: 'small muted', text: 'Set dim and the input vector beside the chart.' }));
      curveError.hidden = true;
      vector.render();
      renderInfo();
      return;
    }
    const c = a.curves[a.active];
    const spec = specOf(c);
    picker.value = c.name;
    if (!app.formula && !fFail && a.curves.some(isF)) needFormula();
    const fUI = isF(c) ? formulaUI(c) : '';
    if (formulaBox.firstChild !== fUI) formulaBox.replaceChildren(fUI);  // the field keeps its focus
    editing.replaceChildren(
      a.curves.length > 1 ? h('span', {},
        h('span', { class: 'swatch', style: `background:${colorOf(a.active, app.theme)}` }),
        ` Editing curve ${a.active + 1} of ${a.curves.length} (${colorName(a.active, app.theme)})`) : '');
    const values = fullParams(spec, c.params);
    paramControls = renderParams(paramsBox, spec, values, (name, v, { live }) => {
      c.params[name] = v;
      redrawSoon();
      renderInfoSoon();
      if (!live) app.commit(); else commitSoon();
    }, {
      emptyText: `${spec.name} has no parameters.`,
      // which values of an integer parameter the lab takes for the graph's 1-D x
      check: (name, v) => { try { app.lab.activation(c.name, { ...values, ...c.params, [name]: v }, [-1, 0.5]); return null; } catch (e) { return e.message; } },
    });
    xMin.value = a.x[0];
    xMax.value = a.x[1];
    addBtn.disabled = a.curves.length >= MAX_CURVES;
    splitRow.hidden = derivHidden();
    derivGate.replaceChildren(...(derivHidden() ? [app.teach.revealGate('deriv', 'What does f′ look like? Sketch it, then check.')] : []));
    readout.querySelector('thead th:last-child').textContent = derivHidden() ? 'f′(x): hidden' : 'f′(x)';
    renderLegend();
    applySplit();
    redraw();
    renderInfo();
    if (app.embed) { plot.resize(); plotD.resize(); }  // the readout's rows take their room first
  }
  let paramControls = null;

  function renderLegend() {
    const a = st();
    legend.replaceChildren(...a.curves.map((c, i) => {
      const spec = specOf(c);
      const color = colorOf(i, app.theme);
      const label = curveLabel(spec, c.params);
      const toggle = (key, text) => {
        const b = h('button', {
          type: 'button', class: `toggle ${c[key] ? 'on' : ''}`, 'aria-pressed': String(!!c[key]), dataset: { field: 'curves' },
          title: `${c[key] ? 'Hide' : 'Show'} ${key === 'f' ? 'f' : 'the derivative f′'} of ${label}`,
          'aria-label': `Show ${key === 'f' ? 'f' : 'f′'} of curve ${i + 1}`,
        }, h('span', { class: `line-sample ${key === 'd' ? 'dashed' : ''}`, style: `border-color:${color}` }), text);
        b.addEventListener('click', () => { c[key] = !c[key]; renderLegend(); redraw(); app.commit(); });
        return b;
      };
      const select = h('button', {
        type: 'button', class: 'chip-label', 'aria-current': i === a.active ? 'true' : 'false',
        title: i === a.active ? 'This curve is being edited' : 'Edit this curve',
      }, h('span', { class: 'swatch', style: `background:${color}` }), h('span', { class: 'mono', text: label }));
      select.addEventListener('click', () => { a.active = i; renderAll(); app.commit(); });
      const remove = a.curves.length > 1 ? h('button', {
        type: 'button', class: 'btn-icon chip-remove', dataset: { field: 'curves' }, 'aria-label': `Remove curve ${i + 1} (${label})`, title: 'Remove', text: '×',
      }) : null;
      remove?.addEventListener('click', () => {
        a.curves.splice(i, 1);
        cache.clear();
        if (a.active >= a.curves.length || a.active > i) a.active = Math.max(0, a.active - (a.active >= i ? 1 : 0));
        a.active = Math.min(a.active, a.curves.length - 1);
        renderAll();
        app.commit();
      });
      return h('li', { class: `chip ${i === a.active ? 'active' : ''}`, style: `--c:${color}` },
        select, toggle('f', 'f'), derivHidden() ? null : toggle('d', 'f′'), remove);
    }));
  }

  // ---------------------------------------------------------------- sampling and drawing
  function sampleX() {
    const [a, b] = st().x;
    const key = `${a},${b}`;
    if (key !== xsKey) {
      xs = new Float64Array(SAMPLES);
      for (let i = 0; i < SAMPLES; i++) xs[i] = a + ((b - a) * i) / (SAMPLES - 1);
      xsKey = key;
    }
    return xs;
  }

  function evaluate(i) {
    const c = st().curves[i];
    const params = fullParams(specOf(c), c.params);
    const key = `${c.name}|${c.formula}|${JSON.stringify(params)}|${xsKey}`;
    const hit = cache.get(i);
    if (hit && hit.key === key) return hit;
    let entry;
    try {
      const r = act(c, params, xs);
      entry = { key, y: toGaps(r.y), dy: toGaps(r.dy), yRaw: r.y, dyRaw: r.dy, error: null };
    } catch (e) {
      // keep the last good samples on screen while the input is invalid
      entry = { ...(hit ?? { y: [], dy: [] }), key, error: e.message, inline: e.inline, stale: true };
    }
    cache.set(i, entry);
    return entry;
  }

  function redraw() {
    const a = st();
    if (a.mode !== 'curve') return;
    sampleX();
    const fs = [];
    const ds = [];
    let activeError = null;
    a.curves.forEach((c, i) => {
      const r = evaluate(i);
      if (i === a.active) activeError = r.inline ? null : r.error ?? blankNote(r);  // a formula's: beside its field
      const color = colorOf(i, app.theme) + (r.stale ? '66' : '');  // the last good curve, dimmed
      const label = curveLabel(specOf(c), c.params);
      const empty = () => new Array(xs.length).fill(null);
      fs.push({ label: `${label} f`, color, width: 2.25, show: c.f, values: r.y.length ? r.y : empty() });
      ds.push({ label: `${label} f′`, color, width: 1.5, dash: [6, 4], show: c.d && !derivHidden(), values: r.dy.length ? r.dy : empty() });
    });
    // the readout first: the pinned x's values are also the markers drawn on the graph
    showError(activeError);
    if (a.readX !== null) showReadoutAt(a.readX);
    else showReadout(Math.floor((SAMPLES - 1) * 0.75));
    // the pinned x: a dot on every curve drawn (f on f's axes, f′ on f′'s)
    const fm = [];
    const dm = [];
    if (a.readX !== null) {
      a.curves.forEach((c, i) => {
        const v = pinned.get(i);
        if (!v) return;
        const color = colorOf(i, app.theme);
        if (c.f) fm.push({ x: a.readX, y: v[0], color });
        if (c.d && !derivHidden()) (a.split ? dm : fm).push({ x: a.readX, y: v[1], color });
      });
    }
    const names = a.curves.map((c) => curveLabel(specOf(c), c.params)).join(', ');
    const range = `for x from ${fmt(a.x[0])} to ${fmt(a.x[1])}`;
    const at = a.readX !== null ? ` Marked: x = ${fmt(a.readX, 8)}.` : '';
    if (a.split) {
      plot.update(xs, fs, a.x, fm);
      plotD.update(xs, ds, a.x, dm);
      plotBox.setAttribute('aria-label', `Graph of ${names} ${range}.${at}`);
      plotBoxD.setAttribute('aria-label', `Graph of the derivatives f′ of ${names} ${range}.${at}`);
    } else {
      plot.update(xs, fs.flatMap((f, i) => [f, ds[i]]), a.x, fm);
      plotBox.setAttribute('aria-label', `Graph of ${names} ${range}; solid lines are f, dashed lines f′.${at}`);
    }
    app.formula?.compare(compareBox, xs, (i) => cache.get(i));
    if (!performance.getEntriesByName('lab-first-graph').length) performance.mark('lab-first-graph');
  }
  const pinned = new Map();  // curve index -> [f(x), f′(x)] at the pinned x
  const derivHidden = () => app.teach.hiddenNow('deriv');

  // a curve with nothing to draw is said, not left blank (Softplus with beta = 0 is inf everywhere)
  function blankNote(r) {
    const none = (v) => !v?.some(Number.isFinite);
    if (!none(r.yRaw) && !none(r.dyRaw)) return null;
    const what = none(r.yRaw) && none(r.dyRaw) ? 'f(x) and f′(x) are' : none(r.yRaw) ? 'f(x) is' : 'f′(x) is';
    const seen = [...new Set(Array.from(none(r.yRaw) ? r.yRaw : r.dyRaw, fmt))].slice(0, 3).join(', ');
    return `${what} not finite anywhere on this range (the lab gives ${seen}), so there is no curve to draw.`;
  }

  function showError(msg) {
    const spec = specOf(st().curves[st().active]);
    const named = msg ? spec.params.find((p) => new RegExp(`\\b${p.name}\\b`).test(msg)) : null;
    paramControls?.showError(named ? named.name : null, named ? msg : null);
    curveError.hidden = !msg || !!named;
    curveError.textContent = msg && !named ? msg : '';
  }

  // ---------------------------------------------------------------- readout
  function showReadout(idx) {
    const x = xs[idx];
    readX.value = +x.toPrecision(8);  // the hovered x (leaving the graph returns to the pinned one)
    fillReadout((i) => {
      const r = cache.get(i);
      return r && !r.error ? [r.yRaw?.[idx], r.dyRaw?.[idx]] : [NaN, NaN, r?.error];
    });
  }
  function showReadoutAt(x) {
    if (document.activeElement !== readX || Number(readX.value) !== x) readX.value = x;  // keep "1." while it is typed
    const a = st();
    pinned.clear();
    fillReadout((i) => {
      const c = a.curves[i];
      try {
        const r = act(c, fullParams(specOf(c), c.params), [x]);
        pinned.set(i, [r.y[0], r.dy[0]]);
        return [r.y[0], r.dy[0]];
      } catch (e) {
        return [NaN, NaN, e.message];
      }
    });
  }
  function fillReadout(valuesOf) {
    const a = st();
    readBody.replaceChildren(...a.curves.map((c, i) => {
      const [y, dy, err] = valuesOf(i);
      const label = curveLabel(specOf(c), c.params);
      return h('tr', {},
        h('th', { scope: 'row' }, h('span', { class: 'swatch', style: `background:${colorOf(i, app.theme)}` }), h('span', { class: 'mono', text: label })),
        err ? h('td', { colspan: 2, class: 'error-text', text: isF(c) ? 'no value: see the formula' : 'invalid parameters' })
          : [h('td', { class: 'mono num-cell', title: String(y), text: fmt(y, 7) }),
            derivHidden() ? h('td', { class: 'num-cell muted', text: '?' }) : h('td', { class: 'mono num-cell', title: String(dy), text: fmt(dy, 7) })]);
    }));
  }

  // ---------------------------------------------------------------- info card
  function renderInfo() {
    const a = st();
    const isVec = a.mode === 'vector';
    const name = isVec ? a.vec.name : a.curves[a.active].name;
    if (!isVec && isF(a.curves[a.active])) return infoBox.replaceChildren(app.formula?.info(a.curves[a.active]) ?? '');
    const spec = app.specOf(name);
    const params = fullParams(spec, isVec ? a.vec.params : a.curves[a.active].params);
    let line;
    try {
      // a dim left at None is written dim=-1, as PyTorch asks (an implicit dim warns, and the
      // vector view says so); the page's x is 1-D or 2-D, where None and -1 pick the same dimension
      const written = isVec ? Object.fromEntries(spec.params.map((p) => [p.name, p.type === 'dim' && params[p.name] === null ? -1 : params[p.name]])) : params;
      line = app.lab.torchCode(name, changedParams(spec, written));
      if (isVec && spec.temperature && a.vec.T !== 1) line = `${line}(x / ${a.vec.T})`;
    } catch (e) {
      line = `# ${e.message}`;
    }
    infoBox.replaceChildren(infoCard(spec, line));
  }
  const renderInfoSoon = perFrame(renderInfo);

  // ---------------------------------------------------------------- export
  function doExport(kind) {
    const a = st();
    const none = () => new Float64Array(xs.length).fill(NaN);
    // every curve gives two lines, f and f′; CSV keeps both, the drawings only the shown ones
    const lines = a.curves.flatMap((c, i) => {
      const label = curveLabel(specOf(c), c.params);
      const color = colorOf(i, app.theme);
      return [
        { label: `${label}  f(x)`, column: `${label} f`, color, width: 2.25, values: cache.get(i)?.yRaw ?? none(), show: c.f },
        { label: `${label}  f′(x)`, column: `${label} f'`, color, width: 1.5, dashed: true, values: cache.get(i)?.dyRaw ?? none(), show: c.d },
      ].filter((l) => !(l.dashed && derivHidden()));  // a hidden f′ is not exported either
    });
    const shown = lines.filter((l) => l.show);
    const base = a.curves.length === 1 ? a.curves[0].name : 'activations';
    const panels = a.split
      ? [{ plot, lines: shown.filter((l) => !l.dashed) }, { plot: plotD, lines: shown.filter((l) => l.dashed) }]
      : [{ plot, lines: shown }];
    if (kind === 'csv') exportCSV(xs, lines, `${base}.csv`);
    else if (kind === 'svg') exportSVG(panels, xs, a.x, `${base}.svg`);
    else exportPNG(panels.map((p) => p.plot), shown, `${base}.png`);
  }

  return {
    render() {
      cache.clear();
      renderAll();
    },
    onTheme() {
      renderAll();
      plot.rebuild();
      plotD.rebuild();
      vector.render();
    },
    plot,
    plotD,
    // One slider frame, synchronously: set a parameter of the active curve, resample, redraw.
    // Returns milliseconds (used by web/bench.mjs); `all` recomputes every curve, not just one.
    frame(name, value, all = false) {
      const t0 = performance.now();
      st().curves[st().active].params[name] = value;
      if (all) cache.clear();
      redraw();
      return performance.now() - t0;
    },
  };
}
