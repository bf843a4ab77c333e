// Design note: the worked computation — the loss formula with the student's numbers put in, one
// step per line, so a hand calculation can be checked line by line. Every number on the right of
// an "=" comes from the lab (lab.loss's per-element values and result; intermediate log-softmax
// and sigmoid values from lab.activation); the page only writes the expressions with the typed
// numbers substituted. Every loss has a recipe; an input a recipe does not expect (a shape it
// cannot lay out) falls back to the generic steps: the per-element values and the reduction.
// Recipes are keyed by loss name (how to write each one out is presentation), but every
// parameter value they show comes from fullParams: the student's value, else the registry's
// default, so no default is restated here.
import { h, fmt, flatten, shapeOf } from './util.js';
import { fullParams } from './params.js';
import { formulaElement } from './formulas.js';
import { tensorView, indexText } from './tensorview.js';
import { sub } from './vector.js';

const SHOW = 6;  // elements or rows written out in full
const f = (v) => fmt(v, 5);
const p = (v) => (v < 0 ? `(${f(v)})` : f(v));  // parenthesise negatives inside expressions

const step = (title, ...body) => h('li', { class: 'step' }, h('div', { class: 'step-title', text: title }), ...body);
const eq = (text) => h('div', { class: 'eq mono', text });
const more = (n) => (n > SHOW ? eq(`… ${n - SHOW} more, same rule`) : null);

const vec = (row) => `[${Array.from(row).map(f).join(', ')}]`;
const rowsOf = (v) => (shapeOf(v).length === 1 ? [v] : v);

function terms(values) {
  if (values.length <= 8) return values.map(p).join(' + ');
  return `${values.slice(0, 3).map(p).join(' + ')} + … + ${p(values[values.length - 1])}`;
}

// Steps that write out the reduction; a recipe that includes one has no generic one appended.
const reductions = new WeakSet();
const reduction = (title, ...body) => {
  const el = step(title, ...body);
  reductions.add(el);
  return el;
};

function reductionStep(spec, args, result, red) {
  if (!red) return null;
  const el = flatten(result.elementwise);
  const total = typeof result.loss === 'number' ? result.loss : null;
  if (red === 'none') return reduction("Reduction 'none'", eq('the loss is the per-element tensor itself (its gradient is that of loss.sum())'));
  if (red === 'sum') return reduction("Reduction 'sum'", eq(`loss = ${terms(el)} = ${f(total)}`));
  if (red === 'batchmean') {
    const n = shapeOf(args.input ?? [])[0] ?? 1;
    return reduction("Reduction 'batchmean'", eq(`loss = (sum of all ℓ) / batch size = (${terms(el)}) / ${n} = ${f(total)}`));
  }
  return reduction("Reduction 'mean'", eq(`loss = (${terms(el)}) / ${el.length} = ${f(total)}`));
}

// CTCLoss's 'mean' divides each ℓₙ by its target length before averaging the batch.
function ctcMeanStep(args, result) {
  const el = flatten(result.elementwise);
  const lens = flatten(args.target_lengths ?? []);
  const parts = el.map((v, n) => `${p(v)}/${Math.max(1, lens[n] ?? 1)}`);
  const shown = parts.length > 6 ? `${parts.slice(0, 5).join(' + ')} + …` : parts.join(' + ');
  return reduction("Reduction 'mean'", eq(`loss = (${shown}) / ${el.length} = ${f(result.loss)}`),
    h('p', { class: 'small muted', text: 'Each ℓₙ is first divided by its target length (at least 1), then the batch is averaged.' }));
}

// ---------------------------------------------------------------- recipes
function pairwise(spec, params, args, result, expr) {
  const x = flatten(args.input);
  const y = flatten(args.target);
  const el = flatten(result.elementwise);
  if (x.length !== y.length || x.length !== el.length) return null;
  const shape = shapeOf(args.input);
  const lines = [];
  for (let i = 0; i < Math.min(SHOW, el.length); i++) {
    const [text, note] = [expr(x[i], y[i], i)].flat();
    lines.push(eq(`ℓ${indexText(i, shape)} = ${text} = ${f(el[i])}${note ? `   [${note}]` : ''}`));
  }
  return [step('Per element', ...lines, more(el.length))];
}

// A parameter tensor (weight, pos_weight) broadcast against the input, PyTorch's way (shapes
// aligned on the right): the value that multiplies flat element i.
function broadcastOf(shape, w) {
  if (w === null || w === undefined) return null;
  const ws = shapeOf(w);
  const wf = flatten(w);
  return (i) => {
    const idx = new Array(shape.length);
    for (let d = shape.length - 1, rem = i; d >= 0; d--) { idx[d] = rem % shape[d]; rem = Math.floor(rem / shape[d]); }
    let k = 0;
    for (let e = 0; e < ws.length; e++) {
      const d = shape.length - ws.length + e;
      k = k * ws[e] + (ws[e] === 1 || d < 0 ? 0 : idx[d]);
    }
    return wf[k];
  };
}
// log as PyTorch's BCE takes it: clamped at −100
const clampedLog = (v, text) => (Math.log(v) < -100 ? `max(log(${text}), −100)` : `log(${text})`);

const RECIPES = {
  MSELoss: (s, prm, a, r) => pairwise(s, prm, a, r, (x, y) => `(${f(x)} − ${p(y)})²`),
  L1Loss: (s, prm, a, r) => pairwise(s, prm, a, r, (x, y) => `|${f(x)} − ${p(y)}|`),
  SmoothL1Loss: (s, prm, a, r) => {
    const { beta } = prm;
    return pairwise(s, prm, a, r, (x, y) => (Math.abs(x - y) < beta
      ? [`0.5·(${f(x)} − ${p(y)})² / ${f(beta)}`, '|x − y| < β']
      : [`|${f(x)} − ${p(y)}| − 0.5·${f(beta)}`, '|x − y| ≥ β']));
  },
  HuberLoss: (s, prm, a, r) => {
    const { delta } = prm;
    return pairwise(s, prm, a, r, (x, y) => (Math.abs(x - y) < delta
      ? [`0.5·(${f(x)} − ${p(y)})²`, '|x − y| < δ']
      : [`${f(delta)}·(|${f(x)} − ${p(y)}| − 0.5·${f(delta)})`, '|x − y| ≥ δ']));
  },
  BCELoss: (s, prm, a, r) => {
    const w = broadcastOf(shapeOf(a.input), prm.weight);
    return pairwise(s, prm, a, r, (x, y, i) => `−${w ? `${p(w(i))}·` : ''}[${f(y)}·${clampedLog(x, f(x))} + (1 − ${f(y)})·${clampedLog(1 - x, `1 − ${f(x)}`)}]`)
      ?.concat([step(`${prm.weight ? 'The first factor is weight, broadcast against the input. ' : ''}${s.plotNote}, so ℓ stays finite at p = 0 or 1.`)]);
  },
  BCEWithLogitsLoss: (s, prm, a, r, app) => {
    const x = flatten(a.input);
    let sig;
    try { sig = app.lab.activation('Sigmoid', {}, x).y; } catch { return null; }
    const y = flatten(a.target);
    const el = flatten(r.elementwise);
    if (y.length !== x.length || el.length !== x.length) return null;
    const shape = shapeOf(a.input);
    const pw = broadcastOf(shape, prm.pos_weight);
    const w = broadcastOf(shape, prm.weight);
    const rows1 = [];
    const rows2 = [];
    for (let i = 0; i < Math.min(SHOW, x.length); i++) {
      rows1.push(eq(`σ(${f(x[i])}) = ${f(sig[i])}`));
      rows2.push(eq(`ℓ${indexText(i, shape)} = −${w ? 'w·' : ''}[${pw ? 'p·' : ''}y·log σ(x) + (1 − y)·log σ(−x)] = `
        + `−${w ? `${p(w(i))}·` : ''}[${pw ? `${p(pw(i))}·` : ''}${f(y[i])}·log σ(${f(x[i])}) + (1 − ${f(y[i])})·log σ(−${p(x[i])})] = ${f(el[i])}`));
    }
    return [step('Sigmoid of each logit', ...rows1, more(x.length)),
      step(`Binary cross-entropy, with 1 − σ(x) = σ(−x)${prm.pos_weight ? ' (p = pos_weight, broadcast against the input)' : ''}${prm.weight ? ' (w = weight, broadcast against the input)' : ''}`, ...rows2, more(x.length),
        h('p', { class: 'small muted', text: 'PyTorch evaluates this through log-sigmoid, never forming log(σ) directly, so large logits stay finite.' }))];
  },
  CrossEntropyLoss: (s, prm, a, r, app) => classification(s, prm, a, r, app, true),
  NLLLoss: (s, prm, a, r, app) => classification(s, prm, a, r, app, false),
  KLDivLoss: (s, prm, a, r) => (prm.log_target
    ? pairwise(s, prm, a, r, (x, y) => `e^${p(y)}·(${f(y)} − ${p(x)})`)
    : pairwise(s, prm, a, r, (x, y) => (y === 0 ? ['0', 'y = 0: PyTorch counts 0·log 0 as 0'] : `${f(y)}·(log(${f(y)}) − ${p(x)})`))),
  SoftMarginLoss: (s, prm, a, r) => pairwise(s, prm, a, r, (x, y) => `log(1 + exp(−${p(y)}·${p(x)}))`),
  PoissonNLLLoss: (s, prm, a, r) => {
    const logInput = prm.log_input;
    const full = prm.full;
    const eps = prm.eps;
    const out = pairwise(s, prm, a, r, (x, y) => {
      const base = logInput ? `exp(${f(x)}) − ${f(y)}·${p(x)}` : `${f(x)} − ${f(y)}·log(${f(x)} + ${f(eps)})`;
      return full && y > 1 ? `${base} + [${f(y)}·log(${f(y)}) − ${f(y)} + 0.5·log(2·π·${f(y)})]` : base;
    });
    if (out && full) out.push(step('Stirling term (full=True)', eq('y·log y − y + ½·log(2πy) is added where the target is above 1; elsewhere nothing is added')));
    return out;
  },
  GaussianNLLLoss: (s, prm, a, r) => {
    const x = flatten(a.input);
    const y = flatten(a.target);
    const el = flatten(r.elementwise);
    const v = flatten(a.var);
    if (x.length !== y.length || el.length !== x.length || !v.length) return null;
    const eps = prm.eps;
    const full = prm.full;
    const shape = shapeOf(a.input);
    // var may have one entry per row (its last dimension 1, or one dimension fewer): repeat it
    const per = x.length / v.length;
    const lines = [];
    for (let i = 0; i < Math.min(SHOW, x.length); i++) {
      const vi = v[Math.floor(i / per)];
      const vc = `max(${f(vi)}, ${f(eps)})`;
      lines.push(eq(`ℓ${indexText(i, shape)} = 0.5·(log(${vc}) + (${f(x[i])} − ${p(y[i])})² / ${vc})${full ? ' + 0.5·log(2·π)' : ''} = ${f(el[i])}`));
    }
    return [step(`Per element (the variance is clamped at eps = ${f(eps)})`, ...lines, more(x.length))];
  },
  MarginRankingLoss: (s, prm, a, r) => {
    const x1 = flatten(a.input1);
    const x2 = flatten(a.input2);
    const y = flatten(a.target);
    const el = flatten(r.elementwise);
    if (x1.length !== el.length || x2.length !== el.length || y.length !== el.length) return null;
    const m = prm.margin;
    const shape = shapeOf(a.input1);
    const lines = [];
    for (let i = 0; i < Math.min(SHOW, el.length); i++) {
      lines.push(eq(`ℓ${indexText(i, shape)} = max(0, −${p(y[i])}·(${f(x1[i])} − ${p(x2[i])}) + ${f(m)}) = ${f(el[i])}`));
    }
    return [step('Per pair: y = 1 wants input1 ranked higher, y = −1 wants input2 higher', ...lines, more(el.length))];
  },
  HingeEmbeddingLoss: (s, prm, a, r) => {
    const m = prm.margin;
    return pairwise(s, prm, a, r, (x, y) => (y === 1 ? [f(x), 'y = 1: the distance itself']
      : y === -1 ? [`max(0, ${f(m)} − ${p(x)})`, 'y = −1: push beyond the margin']
        : [`${f(x)} + max(0, ${f(m)} − ${p(x)})`, `y = ${f(y)} is neither 1 nor −1: PyTorch adds both terms`]));
  },
  CosineEmbeddingLoss: (s, prm, a, r, app) => {
    const r1 = rowsOf(a.input1);
    const r2 = rowsOf(a.input2);
    const y = flatten(a.target);
    const el = flatten(r.elementwise);
    if (r1.length !== el.length || r2.length !== el.length) return null;
    const m = prm.margin;
    const cosLines = [];
    const lines = [];
    for (let n = 0; n < Math.min(SHOW, el.length); n++) {
      const u = Array.from(r1[n]);
      const w = Array.from(r2[n]);
      // the lab's cosine: with target 1, ℓ = 1 − cos
      const cos = 1 - flatten(app.lab.loss(s.name, { reduction: 'none' }, { input1: [u], input2: [w], target: [1] }).elementwise)[0];
      const dot = u.map((ui, i) => `${p(ui)}·${p(w[i])}`).join(' + ');
      const sq = (v) => `${v.map((vi) => `${p(vi)}²`).join(' + ')} + 1e-12`;
      cosLines.push(eq(`cos${sub(n)} = (${dot}) / √((${sq(u)})·(${sq(w)})) = ${f(cos)}`));
      lines.push(eq(y[n] === 1 ? `ℓ${sub(n)} = 1 − cos${sub(n)} = 1 − ${p(cos)} = ${f(el[n])}   [y = 1]`
        : `ℓ${sub(n)} = max(0, cos${sub(n)} − margin) = max(0, ${p(cos)} − ${p(m)}) = ${f(el[n])}   [y = ${f(y[n])}]`));
    }
    return [step('Cosine similarity of each row pair: cos(a, b) = a·b / √((‖a‖² + ε)(‖b‖² + ε)), with ε = 1e-12 (float32) as in ATen', ...cosLines, more(el.length)),
      step('Per pair: y = 1 pulls the rows together, y = −1 pushes their cosine below the margin', ...lines, more(el.length))];
  },
  TripletMarginLoss: (s, prm, a, r) => triplet(s, prm, a, r, pnormDistance(prm.p, prm.eps),
    `d(a, b) = ‖a − b + ε‖ₚ with p = ${f(prm.p)}, ε = ${f(prm.eps)}`),
  TripletMarginWithDistanceLoss: (s, prm, a, r) => (prm.distance_function === 'cosine'
    ? triplet(s, prm, a, r, cosineDistance, 'd(a, b) = 1 − cos(a, b) = 1 − a·b / (‖a‖·‖b‖), the cosine similarity with norms clamped at 1e-8')
    : triplet(s, prm, a, r, pnormDistance(2, 1e-6), 'PyTorch\'s default, nn.PairwiseDistance(): d(a, b) = ‖a − b + 1e-6‖₂')),
  MultiMarginLoss: (s, prm, a, r) => {
    const rows = rowsOf(a.input);
    const t = flatten(a.target);
    const el = flatten(r.elementwise);
    if (rows.length !== el.length || t.length !== el.length) return null;
    const m = prm.margin;
    const pw = prm.p;
    const w = prm.weight ? flatten(prm.weight) : null;
    const lines = [];
    for (let n = 0; n < Math.min(SHOW, el.length); n++) {
      const k = t[n];
      const row = Array.from(rows[n]);
      const parts = row.map((xi, i) => (i === k ? null : `max(0, ${f(m)} − ${p(row[k])} + ${p(xi)})${pw === 2 ? '²' : ''}`)).filter(Boolean);
      lines.push(eq(`ℓ${sub(n)} = ${w ? `${f(w[k])}·` : ''}(${parts.join(' + ')}) / ${row.length} = ${f(el[n])}   [target ${k}]`));
    }
    return [step(`Per sample: every other class i should score at least margin = ${f(m)} below the target class y`, ...lines, more(el.length))];
  },
  MultiLabelMarginLoss: (s, prm, a, r) => {
    const rows = rowsOf(a.input);
    const targets = rowsOf(a.target);
    const el = flatten(r.elementwise);
    if (rows.length !== el.length || targets.length !== el.length) return null;
    const lines = [];
    const labelLines = [];
    for (let n = 0; n < Math.min(SHOW, el.length); n++) {
      const row = Array.from(rows[n]);
      const labels = [];
      for (const k of targets[n]) { if (k < 0) break; labels.push(k); }
      labelLines.push(eq(`row ${n}: [${Array.from(targets[n]).join(', ')}] → labels {${labels.join(', ')}}`));
      const others = row.map((_, i) => i).filter((i) => !labels.includes(i));
      const parts = [];
      for (const j of labels) for (const i of others) parts.push(`max(0, 1 − (${f(row[j])} − ${p(row[i])}))`);
      const shown = parts.length > 12 ? `${parts.slice(0, 5).join(' + ')} + … (${parts.length} terms)` : parts.join(' + ') || '0';
      lines.push(eq(`ℓ${sub(n)} = (${shown}) / ${row.length} = ${f(el[n])}   [labels {${labels.join(', ')}}]`));
    }
    return [step('Target labels: each row lists its classes, up to the first −1', ...labelLines, more(el.length)),
      step('Per sample: every label j against every non-label i, hinge on x[j] − x[i]', ...lines, more(el.length))];
  },
  MultiLabelSoftMarginLoss: (s, prm, a, r) => {
    const rows = rowsOf(a.input);
    const targets = rowsOf(a.target);
    const el = flatten(r.elementwise);
    if (rows.length !== el.length || targets.length !== el.length) return null;
    const w = broadcastOf([rows[0]?.length ?? 0], prm.weight);
    const lines = [];
    for (let n = 0; n < Math.min(SHOW, el.length); n++) {
      const row = Array.from(rows[n]);
      const parts = row.map((x, c) => `${w ? `${p(w(c))}·` : ''}[${f(targets[n][c])}·log σ(${f(x)}) + (1 − ${f(targets[n][c])})·log σ(−${p(x)})]`);
      lines.push(eq(`ℓ${sub(n)} = −(${parts.join(' + ')}) / ${row.length} = ${f(el[n])}`));
    }
    return [step(`Per sample: a binary cross-entropy on each class, averaged over the ${rows[0]?.length ?? 0} classes${prm.weight ? ' (w = weight)' : ''}`, ...lines, more(el.length))];
  },
  CTCLoss: (s, prm, a, r, app) => {
    const lp = a.log_probs;
    const shape = shapeOf(lp);
    const el = flatten(r.elementwise);
    if (shape.length !== 3 && shape.length !== 2) return null;
    const batched = shape.length === 3;
    const N = batched ? shape[1] : 1;
    const blank = prm.blank;
    const inLen = flatten(a.input_lengths);
    const tLen = flatten(a.target_lengths);
    const tg = a.targets;
    const tShape = shapeOf(tg);
    const flatT = flatten(tg);
    const targetOf = (n) => {
      if (tShape.length === 2) return Array.from(tg[n]).slice(0, tLen[n]);
      const start = tLen.slice(0, n).reduce((x, y) => x + y, 0);  // 1-D: all targets concatenated
      return flatT.slice(start, start + tLen[n]);
    };
    const lines = [];
    const lp3 = batched ? lp : lp.map((row) => [row]);  // [t][n][c]
    for (let n = 0; n < Math.min(SHOW, N); n++) {
      const target = targetOf(n);
      const ext = [blank];
      for (const c of target) ext.push(c, blank);
      lines.push(eq(`sample ${n}: target [${target.join(', ')}] → with blanks [${ext.join(', ')}], over ${inLen[n]} time steps`));
      // the numbers the forward algorithm works with: log p of each symbol the path may visit
      if (n < 2) lines.push(ctcTable(lp3, n, [...new Set(ext)], Math.min(inLen[n], 12), blank, inLen[n]));
      const T = inLen[n];
      if (n < 2 && T <= 12 && ext.length <= 15) {
        const alpha = ctcAlpha(lp3, n, ext, T, blank);
        lines.push(alphaTable(alpha, ext, blank, T));
        const S = ext.length;
        if (T > 1) {  // one step of the recurrence, to check the table by hand: the last cell
          const s0 = S - 1;
          const from = [s0, s0 - 1, ...(s0 >= 2 && ext[s0] !== blank && ext[s0] !== ext[s0 - 2] ? [s0 - 2] : [])].filter((k) => k >= 0);
          const lpv = lp3[T - 1][n][ext[s0]];
          lines.push(eq(`α[${T - 1}, ${s0}] = (${from.map((k) => `α[${T - 2}, ${k}]`).join(' + ')})·exp(log p) = `
            + `(${from.map((k) => f(alpha[T - 2][k])).join(' + ')})·exp(${f(lpv)}) = ${f(alpha[T - 1][s0])}`));
        }
        const endA = alpha[T - 1][S - 1];
        const endB = S > 1 ? alpha[T - 1][S - 2] : null;
        const picked = endB === null ? `α[${T - 1}, ${S - 1}]` : `α[${T - 1}, ${S - 1}] + α[${T - 1}, ${S - 2}]`;
        const nums = endB === null ? f(endA) : `${f(endA)} + ${f(endB)}`;
        const sum = endA + (endB ?? 0);
        if (prm.zero_infinity && !(sum > 0)) {
          lines.push(eq(`−log(${picked}) = −log(${nums}) = inf`), eq(`no alignment is possible: zero_infinity=True makes ℓ${sub(n)} ${f(el[n])}`));
        } else {
          lines.push(eq(`ℓ${sub(n)} = −log(${picked}) = −log(${nums}) = ${f(el[n])}`));
        }
      } else {
        lines.push(eq(`ℓ${sub(n)} is −log of the sum over every alignment of the target of p(alignment): ${f(el[n])}`));
      }
    }
    return [step(`log_probs: ${batched ? `(T, N, C) = (${shape.join(', ')})` : `(T, C) = (${shape.join(', ')})`}, already log-softmaxed over classes; blank = ${blank}`),
      step('An alignment is one symbol per time step that collapses to the target (merge repeats, drop blanks); the forward algorithm sums their probabilities',
        h('p', { class: 'small muted', text: 'α[t, s] is the probability of all alignment prefixes up to time t that end at position s of the target with blanks: '
          + 'α[t, s] = (α[t−1, s] + α[t−1, s−1] + α[t−1, s−2]) · p_t(symbol s), where the s−2 term counts only for a label that differs from the label two positions back. '
          + 'Every alignment ends at the last label or at the blank after it.' }), ...lines, more(N)),
      ...(prm.zero_infinity ? [step('zero_infinity=True', eq('an impossible alignment (an infinite ℓ) counts as 0, and so does its gradient'))] : []),
      ...(prm.reduction === 'mean' ? [ctcMeanStep(a, r)] : [])];
  },
};

// CTC: log_probs[t, n, c] for the symbols of one sample's target (rows) over time (columns).
function ctcTable(lp3, n, symbols, T, blank, total) {
  const head = h('tr', {}, h('th', { scope: 'col', text: 'log p' }),
    ...Array.from({ length: T }, (_, t) => h('th', { scope: 'col', text: `t=${t}` })),
    total > T ? h('th', { scope: 'col', text: '…' }) : null);
  const rows = symbols.map((c) => h('tr', {}, h('th', { scope: 'row', text: c === blank ? `${c} (blank)` : String(c) }),
    ...Array.from({ length: T }, (_, t) => h('td', { text: f(lp3[t]?.[n]?.[c]) }))));
  return h('div', { class: 'table-scroll', tabIndex: 0 }, h('table', { class: 'ctc-table mono small' }, h('thead', {}, head), h('tbody', {}, rows)));
}

// The distances of the triplet losses, written out and evaluated: {text, value}. The lab has no
// distance entry point; each ℓ line below checks these values against the lab's ℓ.
const pnormDistance = (pn, eps) => (u, w) => {
  const d = u.map((ui, i) => ui - w[i] + eps);
  const parts = u.map((ui, i) => `${p(ui)} − ${p(w[i])} + ${f(eps)}`);
  const value = pn === 2 ? Math.sqrt(d.reduce((t, v) => t + v * v, 0))
    : pn === 1 ? d.reduce((t, v) => t + Math.abs(v), 0) : d.reduce((t, v) => t + Math.abs(v) ** pn, 0) ** (1 / pn);
  const text = pn === 2 ? `√(${parts.map((t) => `(${t})²`).join(' + ')})`
    : pn === 1 ? parts.map((t) => `|${t}|`).join(' + ') : `(${parts.map((t) => `|${t}|^${p(pn)}`).join(' + ')})^(1 / ${p(pn)})`;
  return { text, value };
};
function cosineDistance(u, w) {
  const dot = u.reduce((t, ui, i) => t + ui * w[i], 0);
  const norm = (v) => Math.max(Math.sqrt(v.reduce((t, x) => t + x * x, 0)), 1e-8);
  const sq = (v) => `√(${v.map((x) => `${p(x)}²`).join(' + ')})`;
  return { text: `1 − (${u.map((ui, i) => `${p(ui)}·${p(w[i])}`).join(' + ')}) / (${sq(u)}·${sq(w)})`, value: 1 - dot / (norm(u) * norm(w)) };
}

// CTC's forward variables α[t][s] (probabilities, not logs) over the target with blanks, from the
// typed log_probs: the table the loss is read from.
function ctcAlpha(lp3, n, ext, T, blank) {
  const S = ext.length;
  const prob = (t, c) => Math.exp(lp3[t][n][c]);
  const alpha = [];
  for (let t = 0; t < T; t++) {
    const row = new Array(S).fill(0);
    for (let s = 0; s < S; s++) {
      if (t === 0) { row[s] = s < 2 ? prob(0, ext[s]) : 0; continue; }
      const prev = alpha[t - 1];
      let a = prev[s] + (s >= 1 ? prev[s - 1] : 0);
      if (s >= 2 && ext[s] !== blank && ext[s] !== ext[s - 2]) a += prev[s - 2];
      row[s] = a * prob(t, ext[s]);
    }
    alpha.push(row);
  }
  return alpha;
}
function alphaTable(alpha, ext, blank, T) {
  const head = h('tr', {}, h('th', { scope: 'col', text: 'α[t, s]' }), ...Array.from({ length: T }, (_, t) => h('th', { scope: 'col', text: `t=${t}` })));
  const rows = ext.map((c, s) => h('tr', {}, h('th', { scope: 'row', text: `s=${s}: ${c === blank ? 'blank' : c}` }),
    ...Array.from({ length: T }, (_, t) => h('td', { text: f(alpha[t][s]) }))));
  return h('div', { class: 'table-scroll', tabIndex: 0 },
    h('table', { class: 'ctc-table ctc-alpha mono small' }, h('caption', { class: 'small muted', text: 'forward variables α (probabilities)' }), h('thead', {}, head), h('tbody', {}, rows)));
}

// TripletMarginLoss and TripletMarginWithDistanceLoss: one row triple per sample; the distances
// first, then the hinge on them.
function triplet(spec, prm, args, result, dist, rule) {
  const A = rowsOf(args.anchor).map((r) => Array.from(r));
  const P = rowsOf(args.positive).map((r) => Array.from(r));
  const N = rowsOf(args.negative).map((r) => Array.from(r));
  const el = flatten(result.elementwise);
  if (A.length !== el.length || P.length !== el.length || N.length !== el.length) return null;
  const m = prm.margin;
  const swap = prm.swap;
  const dLines = [];
  const lines = [];
  for (let n = 0; n < Math.min(SHOW, el.length); n++) {
    const k = sub(n);
    const ap = dist(A[n], P[n]);
    const an = dist(A[n], N[n]);
    const pn = swap ? dist(P[n], N[n]) : null;
    dLines.push(eq(`d(a${k}, p${k}) = ${ap.text} = ${f(ap.value)}`), eq(`d(a${k}, n${k}) = ${an.text} = ${f(an.value)}`));
    if (pn) dLines.push(eq(`d(p${k}, n${k}) = ${pn.text} = ${f(pn.value)}`));
    const neg = pn ? `min(${f(an.value)}, ${f(pn.value)})` : p(an.value);
    lines.push(eq(`ℓ${k} = max(d(a${k}, p${k}) − ${pn ? `min(d(a${k}, n${k}), d(p${k}, n${k}))` : `d(a${k}, n${k})`} + margin, 0) = `
      + `max(${f(ap.value)} − ${neg} + ${p(m)}, 0) = ${f(el[n])}`));
  }
  return [step(`Distances: ${rule}${swap ? '; swap=True uses the smaller of d(a, n) and d(p, n)' : ''}`, ...dLines, more(el.length)),
    step('Per triplet: the positive should be nearer the anchor than the negative, by the margin', ...lines, more(el.length))];
}

// CrossEntropyLoss (logits) and NLLLoss (log-probabilities), class-index or probability targets.
function classification(spec, prm, args, result, app, logits) {
  const x = args.input;
  const t = args.target;
  const shape = shapeOf(x);
  if (shape.length !== 1 && shape.length !== 2) return null;
  const rows = shape.length === 1 ? [x] : x;
  const probTarget = shapeOf(t).length === shape.length;
  if (probTarget && !logits) return null;
  const targets = probTarget ? (shape.length === 1 ? [t] : t) : shape.length === 1 ? [t] : t;
  const el = flatten(result.elementwise);
  const weight = prm.weight ? flatten(prm.weight) : null;
  const ignore = prm.ignore_index;
  const eps = prm.label_smoothing;
  const steps = [];
  let logp = rows;
  if (logits) {
    try {
      logp = rows.map((row) => Array.from(app.lab.activation('LogSoftmax', { dim: 0 }, row).y));
    } catch {
      return null;
    }
    steps.push(step('Logits → log-softmax of each row: log pₙ,c = xₙ,c − log Σⱼ exp(xₙ,ⱼ)',
      ...rows.slice(0, SHOW).map((row, n) => eq(`row ${n}: [${row.map(f).join(', ')}] → [${logp[n].map(f).join(', ')}]`)), more(rows.length)));
  } else {
    steps.push(step('The input already holds log-probabilities log pₙ,c', ...rows.slice(0, SHOW).map((row, n) => eq(`row ${n}: [${row.map(f).join(', ')}]`)), more(rows.length)));
  }
  const lines = [];
  const denom = [];  // the weight each counted target adds to the mean's divisor
  let ignored = 0;
  const C = rows[0]?.length ?? 0;
  const wOf = (c) => (weight ? weight[c] : 1);
  const wText = (c) => (weight ? `${p(weight[c])}·` : '');
  for (let n = 0; n < rows.length; n++) {
    if (probTarget) {
      const yn = targets[n];
      // label smoothing mixes the target with the uniform distribution: (1 − ε)·y + ε/C
      const yText = (yc) => (eps > 0 ? `((1 − ${f(eps)})·${p(yc)} + ${f(eps)}/${C})` : p(yc));
      const parts = yn.map((yc, c) => `${wText(c)}${yText(yc)}·${p(logp[n][c])}`).join(' + ');
      if (n < SHOW) lines.push(eq(`ℓ${sub(n)} = −Σc ${weight ? 'w[c]·' : ''}${eps > 0 ? 'ỹ' : 'y'}ₙ,c·log pₙ,c = −(${parts}) = ${f(el[n])}`));
      continue;
    }
    const k = targets[n];
    if (k === ignore) {
      ignored++;
      if (n < SHOW) lines.push(eq(`ℓ${sub(n)} is 0: target ${k} is ignore_index, so this row is not counted`));
      continue;
    }
    denom.push(wOf(k));
    if (n < SHOW) {
      const picked = logp[n][k];
      const nll = `−${wText(k)}${p(picked)}`;
      if (eps > 0) {
        const all = logp[n].map((lc, c) => `${wText(c)}${p(lc)}`).join(' + ');
        lines.push(eq(`ℓ${sub(n)} = (1 − ε)·(−${weight ? `w[${k}]·` : ''}log pₙ,${k}) + ε/C·(−Σc ${weight ? 'w[c]·' : ''}log pₙ,c) = `
          + `(1 − ${f(eps)})·(${nll}) + ${f(eps)}/${C}·(−(${all})) = ${f(el[n])}   [target ${k}]`));
      } else {
        lines.push(eq(`ℓ${sub(n)} = −${weight ? `w[${k}]·` : ''}log pₙ,${k} = ${nll} = ${f(el[n])}   [target ${k}]`));
      }
    }
  }
  const title = probTarget
    ? `Probability targets: ℓₙ = −Σc ${weight ? 'w[c]·' : ''}${eps > 0 ? 'ỹₙ,c' : 'yₙ,c'}·log pₙ,c${eps > 0 ? `, with the smoothed target ỹ = (1 − ε)·y + ε/C (ε = ${f(eps)}, C = ${C})` : ''}`
    : `Pick the log-probability of each target class${eps > 0 ? `; label smoothing (ε = ${f(eps)}, C = ${C}) mixes in the mean over all classes` : ''}`;
  steps.push(step(title, ...lines, more(rows.length)));
  // class-index targets, mean: PyTorch divides by the total weight of the counted targets
  // (each counts 1 without weights), with or without label smoothing
  if (!probTarget && prm.reduction === 'mean' && (weight || ignored)) {
    const total = typeof result.loss === 'number' ? result.loss : null;
    const divisor = !denom.length ? '0' : weight ? `(${terms(denom)})` : String(denom.length);
    // Counted targets whose class weights add up to 0: every picked term is 0·(−log p), so the
    // NLL part is 0 / 0; with smoothing each ℓₙ is its smoothing part alone, divided by 0 too.
    const zeroWeight = denom.length > 0 && denom.every((w) => w === 0);
    const line = zeroWeight && eps > 0
      ? `loss = Σₙ w[yₙ]·(−log pₙ,yₙ) / Σₙ w[yₙ] + Σₙ (smoothing part of ℓₙ) / Σₙ w[yₙ] = 0 / ${divisor} + (${terms(el)}) / ${divisor} = ${f(total)}`
      : `loss = Σₙ ℓₙ / ${weight ? 'Σₙ w[yₙ]' : 'the number of counted targets'} = (${terms(el)}) / ${divisor} = ${f(total)}`;
    steps.push(reduction(`Reduction 'mean' (${weight ? 'weighted' : 'over the counted targets'})`,
      eq(line),
      h('p', { class: 'small muted', text: !denom.length
        ? 'Every target is ignore_index: nothing is counted, so the mean divides 0 by 0, and PyTorch returns nan.'
        : zeroWeight
          ? `The counted targets' class weights add up to 0, so PyTorch divides by 0: the picked-class part is 0 / 0 = nan${eps > 0 ? ' (the smoothing part alone would be infinite)' : ''}, and the loss is nan.`
          : weight ? 'With class weights PyTorch divides by the total weight of the counted targets, not by N.'
            : 'Rows whose target is ignore_index are left out of the count.' })));
  } else {
    steps.push(reductionStep(spec, args, result, prm.reduction));
  }
  return steps;
}

// params: the values the student set (tensors parsed); the rest are the registry's defaults.
export function workedSteps(app, spec, params, args, result) {
  const prm = fullParams(spec, params);
  let steps = null;
  try {
    const recipe = RECIPES[spec.name];
    steps = recipe ? recipe(spec, prm, args, result, app) : null;
  } catch {
    steps = null;
  }
  const out = [formulaElement(spec)];
  if (!steps) {
    steps = [step('Per-element values (reduction=\'none\'), from the lab', tensorView(result.elementwise, { name: 'ℓ' }))];
  }
  if (!steps.some((st) => reductions.has(st))) steps.push(reductionStep(spec, args, result, prm.reduction));
  out.push(h('ol', { class: 'steps' }, steps.filter(Boolean)));
  return out;
}
