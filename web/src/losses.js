// Design note: the loss workbench. The form is built from the registry entry: one literal text
// field per forward argument (pre-filled with the registry's example), the constructor
// parameters via params.js. Evaluation is app.lab.loss(); the page only parses (app.lab.parseTensor),
// lays out and attributes errors: a parse error belongs to its own field; an error from the lab
// is placed beside the argument or parameter its message names (PyTorch's messages name them),
// else above the results. What the student typed is never touched, and the last good result
// stays visible (dimmed) while an input is invalid.
import { h, fmt, debounce, copyButton } from './util.js';
import { renderParams, fullParams } from './params.js';
import { infoCard } from './info.js';
import { tensorView } from './tensorview.js';
import { workedSteps } from './worked.js';
import { createLossCurve } from './losscurve.js';
import { torchSnippet } from './snippet.js';
import { groupedOptions } from './explorer.js';
import { decodeValue } from './state.js';

// URL text -> typed parameter values, by the registry's types (tensors stay literal text).
export function decodeLossParams(spec, raw) {
  const out = {};
  for (const p of spec.params) {
    if (raw[p.name] === undefined) continue;
    const t = raw[p.name];
    if (typeof t !== 'string' || p.type === 'tensor') out[p.name] = t;
    else if (p.type === 'choice') out[p.name] = t.replace(/^'(.*)'$/, '$1');
    else out[p.name] = decodeValue(t);
  }
  return out;
}

export function createWorkbench(root, app) {
  const st = () => app.state.loss;

  const picker = h('select', { id: 'loss-picker', class: 'picker' },
    groupedOptions(app.catalog.losses).map((g) => h('optgroup', { label: g.name },
      g.specs.map((s) => h('option', { value: s.name, text: s.name })))));
  const paramsBox = h('div', { class: 'params' });
  const argsBox = h('div', { class: 'args' });
  // it rewrites every argument, so a link's edit= lock (teach.js) locks it ('args' is never named)
  const resetArgs = h('button', { type: 'button', class: 'btn btn-small', dataset: { field: 'args' }, text: 'Restore the example' });
  const infoBox = h('div', { class: 'loss-info' });
  const results = h('div', { class: 'results', id: 'loss-results', 'aria-live': 'polite' });
  const banner = h('div', { class: 'banner-error', id: 'loss-error', role: 'alert', hidden: true });
  const warnings = h('div', { class: 'warnings' });
  const worked = h('div', { class: 'worked', id: 'worked' });
  const curveBox = h('div', { class: 'loss-curve' });
  const curveGate = h('div');
  const snippetCode = h('code', { id: 'loss-snippet' });
  const snippet = h('div', { class: 'snippet' },
    h('div', { class: 'snippet-head' }, h('h2', { class: 'panel-title', text: 'The same in PyTorch' }), copyButton(() => snippetCode.textContent, 'Copy code')),
    h('pre', { class: 'code-block', tabIndex: 0 }, snippetCode));

  root.replaceChildren(h('div', { class: 'workbench' },
    h('section', { class: 'panel wb-controls', 'aria-labelledby': 'wb-title' },
      h('h2', { class: 'panel-title', id: 'wb-title', text: 'Loss function' }),
      h('label', { for: 'loss-picker', class: 'visually-hidden', text: 'Loss function' }), picker,
      h('div', { class: 'wb-params' }, h('h3', { class: 'sub-title', text: 'Constructor parameters' }), paramsBox)),
    h('section', { class: 'panel wb-info', 'aria-label': 'About this loss' }, infoBox),
    h('section', { class: 'panel wb-inputs', 'aria-labelledby': 'wb-inputs-title' },
      h('div', { class: 'panel-head' }, h('h2', { class: 'panel-title', id: 'wb-inputs-title', text: 'Forward arguments' }), resetArgs),
      h('p', { class: 'small muted', text: 'Type tensors as PyTorch literals, e.g. [[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]] or [0, 1].' }),
      argsBox),
    h('section', { class: 'panel wb-results', 'aria-labelledby': 'wb-results-title' },
      h('h2', { class: 'panel-title', id: 'wb-results-title', text: 'Result' }), banner, warnings, results),
    h('section', { class: 'panel wb-worked', 'aria-labelledby': 'wb-worked-title' },
      h('h2', { class: 'panel-title', id: 'wb-worked-title', text: 'Worked computation' }), worked),
    h('section', { class: 'panel wb-curve', 'aria-labelledby': 'wb-curve-title' },
      h('h2', { class: 'panel-title', id: 'wb-curve-title', text: 'Loss against one prediction' }), curveGate, curveBox),
    h('section', { class: 'panel wb-snippet', 'aria-label': 'PyTorch snippet' }, snippet)));

  const curve = createLossCurve(curveBox, app);
  app.teach.onReveal(() => { if (last) renderResult(last); });
  let paramControls = null;
  const argFields = new Map();  // name -> {input, err, row}

  picker.addEventListener('change', () => {
    const l = st();
    l.name = picker.value;
    l.params = {};
    l.args = {};
    l.probe = null;
    renderAll();
    app.commit();
  });
  resetArgs.addEventListener('click', () => {
    st().args = {};
    renderArgs();
    evaluate();
    app.commit();
  });

  const spec = () => app.specOf(st().name);  // main.js's sanitize keeps the name a known loss
  const argText = (name) => st().args[name] ?? spec().example?.[name] ?? '';

  function renderAll() {
    const l = st();
    const s = spec();
    l.params = decodeLossParams(s, l.params);
    picker.value = s.name;
    paramControls = renderParams(paramsBox, s, l.params, (name, v, { live }) => {
      l.params[name] = v;
      if (live) evaluateSoon(); else evaluate();
      app.commit();
    });
    renderArgs();
    evaluate();
  }

  function renderArgs() {
    const s = spec();
    argFields.clear();
    argsBox.replaceChildren(...s.args.map((a) => {
      const id = `arg-${a.name}`;
      const input = h('textarea', {
        id, class: 'mono', rows: 2, spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off',
        'aria-describedby': `${id}-doc ${id}-err`, placeholder: a.optional ? 'optional (leave empty for None)' : '',
      });
      input.value = argText(a.name);
      const err = h('div', { class: 'field-error', id: `${id}-err`, role: 'alert', hidden: true });
      const row = h('div', { class: 'arg-row', dataset: { arg: a.name } },
        h('label', { for: id, class: 'param-name' }, h('code', { text: a.name }),
          a.integer ? h('span', { class: 'tag', text: 'integer' }) : null, a.optional ? h('span', { class: 'tag', text: 'optional' }) : null),
        input, h('div', { class: 'param-doc', id: `${id}-doc`, text: a.doc }), err);
      input.addEventListener('input', () => {
        st().args[a.name] = input.value;
        evaluateSoon();
        commitSoon();
      });
      argFields.set(a.name, { input, err, row });
      return row;
    }));
  }

  const evaluateSoon = debounce(() => evaluate(), 120);
  const commitSoon = debounce(() => app.commit(), 300);

  function fieldError(name, msg) {
    const f = argFields.get(name);
    if (!f) return false;
    f.err.hidden = !msg;
    f.err.textContent = msg ?? '';
    f.row.classList.toggle('has-error', !!msg);
    if (msg) f.input.setAttribute('aria-invalid', 'true'); else f.input.removeAttribute('aria-invalid');
    return true;
  }

  // Which fields an error from the lab is about: every argument or parameter it names (PyTorch's
  // "input batch_size (2) … target batch_size (3)" names both); for a broadcast error ("tensor a
  // (4) … tensor b (2) at non-singleton dimension 0"), the tensors of those sizes at that
  // dimension, one of each side; for "got 2D, 2D and 1D inputs", the odd one out.
  function blame(message, s, tensors) {
    const names = [...s.args.map((a) => a.name), ...s.params.map((p) => p.name)];
    const named = names.filter((n) => new RegExp(`(^|[^\\w])${n}([^\\w]|$)`, 'i').test(message));
    if (named.length) return named;
    const shapeOf = (v) => (Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : []);
    const shapes = Object.entries(tensors).map(([n, v]) => [n, shapeOf(v)]);
    const bc = /size of tensor a \((\d+)\) must match the size of tensor b \((\d+)\) at non-singleton dimension (\d+)/.exec(message);
    if (bc) {
      const [A, B, D] = bc.slice(1).map(Number);
      const rank = Math.max(...shapes.map(([, sh]) => sh.length));
      const sized = (k) => shapes.filter(([, sh]) => sh[D - (rank - sh.length)] === k).map(([n]) => n);
      const a = sized(A);
      const b = sized(B);
      const pick = (side, other) => (side.length === 1 || !other.length ? side.slice(0, 1) : side.filter((n) => !other.includes(n)).slice(0, 1));
      const out = [...new Set([...(b.length === 1 ? b : pick(b, a)), ...(a.length === 1 ? a : pick(a, b))])];
      if (out.length) return out;
    }
    const dims = /got ((?:\d+D, )*\d+D) and (\d+D) inputs/.exec(message);
    if (dims) {
      const got = [...dims[1].split(', '), dims[2]].map((d) => parseInt(d, 10));
      const count = (d) => got.filter((x) => x === d).length;
      const odd = s.args.filter((a, i) => got[i] !== undefined && count(got[i]) < got.length / 2).map((a) => a.name);
      if (odd.length) return odd;
    }
    return [];
  }

  let last = null;  // the last good evaluation

  function evaluate() {
    const s = spec();
    const l = st();
    for (const a of s.args) fieldError(a.name, null);
    paramControls?.showError(null, null);
    banner.hidden = true;
    let bad = false;
    const args = {};
    for (const a of s.args) {
      const text = argText(a.name).trim();
      if (!text) {
        if (!a.optional) { fieldError(a.name, `${a.name} is required`); bad = true; }
        continue;
      }
      try {
        args[a.name] = app.lab.parseTensor(text);
      } catch (e) {
        fieldError(a.name, `Typo in ${a.name}: ${e.message}`);
        bad = true;
      }
    }
    const full = fullParams(s, {});
    const params = {};
    for (const p of s.params) {
      const v = l.params[p.name];
      if (p.type === 'tensor') {
        if (typeof v === 'string' && v.trim()) {
          try { params[p.name] = app.lab.parseTensor(v); } catch (e) { paramControls.showError(p.name, `Typo in ${p.name}: ${e.message}`); bad = true; }
        }
      } else if (v !== undefined) params[p.name] = v;
      else if (p.required) params[p.name] = full[p.name];
    }
    renderInfo(s, params);
    if (bad) return stale('Fix the highlighted field to update the result.');
    let r;
    try {
      r = app.lab.loss(s.name, params, args);
    } catch (e) {
      const who = blame(e.message, s, { ...args, ...params });
      for (const n of who) {
        if (argFields.has(n)) fieldError(n, e.message);
        else paramControls.showError(n, e.message);
      }
      // the message stands beside the fields it is about; the banner only says so
      banner.hidden = false;
      banner.textContent = who.length ? `Fix the highlighted field${who.length > 1 ? 's' : ''} (${who.join(', ')}) to update the result.` : e.message;
      return stale(null);
    }
    last = { spec: s, params, args, result: r };
    root.querySelector('.workbench').classList.remove('stale');
    renderResult(last);
  }

  function stale(msg) {
    root.querySelector('.workbench').classList.add('stale');
    warnings.replaceChildren();  // PyTorch's warnings were about the input last evaluated, not this one
    if (msg) { banner.hidden = false; banner.textContent = msg; }
    if (!last) results.replaceChildren(h('p', { class: 'muted', text: 'No result yet.' }));
  }

  function renderResult({ spec: s, params, args, result }) {
    const red = fullParams(s, params).reduction;
    warnings.replaceChildren(...result.warnings.map((w) => h('p', { class: 'warning', text: `UserWarning: ${w}` })));
    const lossBlock = typeof result.loss === 'number'
      ? h('div', { class: 'loss-value' },
        h('span', { class: 'loss-label', text: `loss${red ? ` (reduction='${red}')` : ''}` }),
        h('output', { class: 'mono big', id: 'loss-value', title: String(result.loss), text: fmt(result.loss, 10) }),
        h('span', { class: 'small muted mono', text: String(result.loss) }))
      : h('div', { class: 'loss-value' }, h('span', { class: 'loss-label', text: "loss (reduction='none')" }), tensorView(result.loss, { name: 'loss' }));
    // predict, then reveal (teach.js): a hidden part is not drawn at all, its gate stands in its place
    const hide = app.teach.hiddenNow;
    const gradNames = Object.keys(result.grad).map((n) => `${n}.grad`).join(' and ');
    const gradBlocks = hide('grad') ? [app.teach.revealGate('grad', `What is ${gradNames}? Predict it, then check.`)]
      : Object.entries(result.grad).map(([name, g]) => h('div', { class: 'result-block', dataset: { grad: name } },
        h('h3', { class: 'sub-title' }, 'gradient ', h('code', { text: `${name}.grad` })), tensorView(g, { name: `${name}.grad` })));
    results.replaceChildren(
      hide('loss') ? app.teach.revealGate('loss', 'What is the loss? Predict it, then check.') : lossBlock,
      h('div', { class: 'result-grid' },
        hide('loss') ? null : h('div', { class: 'result-block', id: 'elementwise' },
          h('h3', { class: 'sub-title', text: "per-element loss (reduction='none')" }), tensorView(result.elementwise, { name: 'ℓ' })),
        gradBlocks),
      h('p', { class: 'small muted', text: `Gradients are of ${typeof result.loss === 'number' ? 'loss' : 'loss.sum()'}, what loss${typeof result.loss === 'number' ? '' : '.sum()'}.backward() leaves in .grad. Darker cells contribute more; the largest is outlined.` }));
    worked.replaceChildren(...(hide('worked') || hide('loss') ? [app.teach.revealGate(hide('worked') ? 'worked' : 'loss')] : workedSteps(app, s, params, args, result)));
    curveBox.hidden = hide('loss');
    curveGate.replaceChildren(...(hide('loss') ? [app.teach.revealGate('loss')] : []));
    if (!curveBox.hidden) curve.update(s, params, args, result);
    snippetCode.textContent = torchSnippet(app.lab, s, params, args, result);
  }

  let infoKey = '';
  function renderInfo(s, params) {
    let line;
    try { line = app.lab.torchCode(s.name, params); } catch (e) { line = `# ${e.message}`; }
    if (infoKey === s.name + line) return;
    infoKey = s.name + line;
    infoBox.replaceChildren(infoCard(s, line));
  }

  return {
    render() { last = null; renderAll(); },
    onTheme() { curve.onTheme(); },
    curvePlot: curve.plot,  // for tests
  };
}
