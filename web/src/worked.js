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

function reductionStep(spec, args, result, red, weightsOfTerms) {
  if (!red) return null;
  const el = flatten(result.elementwise);
  const total = typeof result.loss === 'number' ? result.loss : null;
  if (red === 'none') return reduction("Reduction 'none'", eq('the loss is the per-element tensor itself (its gradient is that of loss.sum())'));
  if (red === 'sum') return reduction("Reduction 'sum'", eq(`loss = ${terms(el)} = ${f(total)}`));
  if (red === 'batchmean') {
    const n = shapeOf(args.input ?? [])[0] ?? 1;
    return reduction("Reduction 'batchmean'", eq(`loss = (sum of all ℓ) / batch size = (${terms(el)}) / ${n} = ${f(total)}`));
  }
  if (weightsOfTerms) {
    return reduction("Reduction 'mean' (weighted)",
      eq(`loss = Σₙ ℓₙ / Σₙ w[yₙ] = (${terms(el)}) / (${terms(weightsOfTerms)}) = ${f(total)}`),
      h('p', { class: 'small muted', text: 'With class weights (or ignored targets) PyTorch divides by the total weight of the counted targets, not by N.' }));
  }
  if (spec.name === 'CTCLoss') {
    const lens = flatten(args.target_lengths ?? []);
    const parts = el.map((v, n) => `${p(v)}/${Math.max(1, lens[n] ?? 1)}`);
    const shown = parts.length > 6 ? `${parts.slice(0, 5).join(' + ')} + …` : parts.join(' + ');
    return reduction("Reduction 'mean'", eq(`loss = (${shown}) / ${el.length} = ${f(total)}`),
      h('p', { class: 'small muted', text: 'Each ℓₙ is first divided by its target length (at least 1), then the batch is averaged.' }));
  }
  return reduction("Reduction 'mean'", eq(`loss = (${terms(el)}) / ${el.length} = ${f(total)}`));
}

// ---------------------------------------------------------------- recipes
function pairwise(spec, params, args, result, expr) {
  const x = flatten(args.input);
  const y = flatten(args.target);
  const el = flatten(result.elementwise);
  if (x.length !== y.length || x.length !== el.length) return null;
  const shape = shapeOf(args.input);
  const lines = [];
  for (let i = 0; i < Math.min(SHOW, el.length); i++) lines.push(eq(`ℓ${indexText(i, shape)} = ${expr(x[i], y[i])} = ${f(el[i])}`));
  return [step('Per element', ...lines, more(el.length))];
}

const RECIPES = {
  MSELoss: (s, prm, a, r) => pairwise(s, prm, a, r, (x, y) => `(${f(x)} − ${p(y)})²`),
  L1Loss: (s, prm, a, r) => pairwise(s, prm, a, r, (x, y) => `|${f(x)} − ${p(y)}|`),
  SmoothL1Loss: (s, prm, a, r) => {
    const { beta } = prm;
    return pairwise(s, prm, a, r, (x, y) => (Math.abs(x - y) < beta
      ? `0.5·(${f(x)} − ${p(y)})² / ${f(beta)}   [|x − y| < β]`
      : `|${f(x)} − ${p(y)}| − 0.5·${f(beta)}   [|x − y| ≥ β]`));
  },
  HuberLoss: (s, prm, a, r) => {
    const { delta } = prm;
    return pairwise(s, prm, a, r, (x, y) => (Math.abs(x - y) < delta
      ? `0.5·(${f(x)} − ${p(y)})²   [|x − y| < δ]`
      : `${f(delta)}·(|${f(x)} − ${p(y)}| − 0.5·${f(delta)})   [|x − y| ≥ δ]`));
  },
  BCELoss: (s, prm, a, r) => {
    const w = prm.weight ? 'w·' : '';
    return pairwise(s, prm, a, r, (x, y) => `−${w}[${f(y)}·log(${f(x)}) + (1 − ${f(y)})·log(1 − ${f(x)})]`)
      ?.concat(prm.weight ? [step('Weights', eq('w is the weight tensor, broadcast against the input (PyTorch clamps each log at −100)'))] : []);
  },
  BCEWithLogitsLoss: (s, prm, a, r, app) => {
    const x = flatten(a.input);
    let sig;
    try { sig = app.lab.activation('Sigmoid', {}, x).y; } catch { return null; }
    const y = flatten(a.target);
    const el = flatten(r.elementwise);
    if (y.length !== x.length || el.length !== x.length) return null;
    const shape = shapeOf(a.input);
    const pw = prm.pos_weight ? 'p·' : '';
    const w = prm.weight ? 'w·' : '';
    const rows1 = [];
    const rows2 = [];
    for (let i = 0; i < Math.min(SHOW, x.length); i++) {
      rows1.push(eq(`σ(${f(x[i])}) = ${f(sig[i])}`));
      rows2.push(eq(`ℓ${indexText(i, shape)} = −${w}[${pw}${f(y[i])}·log σ + (1 − ${f(y[i])})·log(1 − σ)] = ${f(el[i])}`));
    }
    return [step('Sigmoid of each logit', ...rows1, more(x.length)),
      step(`Binary cross-entropy${prm.pos_weight ? ' (p = pos_weight)' : ''}${prm.weight ? ' (w = weight)' : ''}`, ...rows2, more(x.length),
        h('p', { class: 'small muted', text: 'PyTorch evaluates this through log-sigmoid, never forming log(σ) directly, so large logits stay finite.' }))];
  },
  CrossEntropyLoss: (s, prm, a, r, app) => classification(s, prm, a, r, app, true),
  NLLLoss: (s, prm, a, r, app) => classification(s, prm, a, r, app, false),
  KLDivLoss: (s, prm, a, r) => (prm.log_target
    ? pairwise(s, prm, a, r, (x, y) => `e^${p(y)}·(${f(y)} − ${p(x)})`)
    : pairwise(s, prm, a, r, (x, y) => `${f(y)}·(log ${f(y)} − ${p(x)})`)),
  SoftMarginLoss: (s, prm, a, r) => pairwise(s, prm, a, r, (x, y) => `log(1 + exp(−${p(y)}·${p(x)}))`),
  PoissonNLLLoss: (s, prm, a, r) => {
    const logInput = prm.log_input;
    const full = prm.full;
    const eps = prm.eps;
    const out = pairwise(s, prm, a, r, (x, y) => {
      const base = logInput ? `exp(${f(x)}) − ${f(y)}·${p(x)}` : `${f(x)} − ${f(y)}·log(${f(x)} + ${f(eps)})`;
      return full && y > 1 ? `${base} + [${f(y)}·log ${f(y)} − ${f(y)} + ½·log(2π·${f(y)})]` : base;
    });
    if (out && full) out.push(step('Stirling term (full=True)', eq('y·log y − y + ½·log(2πy) is added where the target is above 1; elsewhere it is 0')));
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
      lines.push(eq(`ℓ${indexText(i, shape)} = ½·(log ${vc} + (${f(x[i])} − ${p(y[i])})² / ${vc})${full ? ' + ½·log(2π)' : ''} = ${f(el[i])}`));
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
    return pairwise(s, prm, a, r, (x, y) => (y === 1 ? `${f(x)}   [y = 1: the distance itself]`
      : y === -1 ? `max(0, ${f(m)} − ${p(x)})   [y = −1: push beyond the margin]`
        : `${f(x)} + max(0, ${f(m)} − ${p(x)})   [y = ${f(y)} is neither 1 nor −1: PyTorch adds both terms]`));
  },
  CosineEmbeddingLoss: (s, prm, a, r) => {
    const r1 = rowsOf(a.input1);
    const r2 = rowsOf(a.input2);
    const y = flatten(a.target);
    const el = flatten(r.elementwise);
    if (r1.length !== el.length || r2.length !== el.length) return null;
    const m = prm.margin;
    const lines = [];
    for (let n = 0; n < Math.min(SHOW, el.length); n++) {
      const cos = `cos(${vec(r1[n])}, ${vec(r2[n])})`;
      lines.push(eq(y[n] === 1 ? `ℓ${sub(n)} = 1 − ${cos} = ${f(el[n])}   [y = 1]`
        : `ℓ${sub(n)} = max(0, ${cos} − ${f(m)}) = ${f(el[n])}   [y = ${f(y[n])}]`));
    }
    return [step('Cosine similarity of each row pair: cos(a, b) = a·b / √((‖a‖² + ε)(‖b‖² + ε)), with ε = 1e-12 (float32) as in ATen'),
      step('Per pair: y = 1 pulls the rows together, y = −1 pushes their cosine below the margin', ...lines, more(el.length))];
  },
  TripletMarginLoss: (s, prm, a, r) => triplet(s, prm, a, r, (u, w) => {
    const pn = prm.p;
    return `‖${vec(u)} − ${vec(w)} + ε‖${pn === 2 ? '₂' : `_${f(pn)}`}`;
  }, `d(a, b) = ‖a − b + ε‖ₚ with p = ${f(prm.p)}, ε = ${f(prm.eps)}`),
  TripletMarginWithDistanceLoss: (s, prm, a, r) => {
    const fn = prm.distance_function;
    return triplet(s, prm, a, r, (u, w) => `d(${vec(u)}, ${vec(w)})`,
      fn === 'cosine' ? 'd(a, b) = 1 − cos(a, b), the cosine similarity with norms clamped at 1e-8'
        : 'd = PyTorch\'s default, nn.PairwiseDistance(): d(a, b) = ‖a − b + 1e-6‖₂');
  },
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
      const shown = parts.length > 6 ? `${parts.slice(0, 5).join(' + ')} + … (${parts.length} terms)` : parts.join(' + ') || '0';
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
    const w = prm.weight ? 'w[c]·' : '';
    const lines = [];
    for (let n = 0; n < Math.min(SHOW, el.length); n++) {
      const row = Array.from(rows[n]);
      const parts = row.map((x, c) => `${w}[${f(targets[n][c])}·log σ(${f(x)}) + ${f(1 - targets[n][c])}·log σ(−${p(x)})]`);
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
      lines.push(eq(`ℓ${sub(n)} = −log Σ over every alignment of the target p(alignment) = ${f(el[n])}`));
    }
    return [step(`log_probs: ${batched ? `(T, N, C) = (${shape.join(', ')})` : `(T, C) = (${shape.join(', ')})`}, already log-softmaxed over classes; blank = ${blank}`),
      step('An alignment is one symbol per time step that collapses to the target (merge repeats, drop blanks); the forward algorithm sums their probabilities', ...lines, more(N)),
      ...(prm.zero_infinity ? [step('zero_infinity=True', eq('an impossible alignment (ℓ = ∞) counts as 0, and so does its gradient'))] : [])];
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

// TripletMarginLoss and TripletMarginWithDistanceLoss: one row triple per sample.
function triplet(spec, prm, args, result, dist, rule) {
  const A = rowsOf(args.anchor);
  const P = rowsOf(args.positive);
  const N = rowsOf(args.negative);
  const el = flatten(result.elementwise);
  if (A.length !== el.length || P.length !== el.length || N.length !== el.length) return null;
  const m = prm.margin;
  const swap = prm.swap;
  const lines = [];
  for (let n = 0; n < Math.min(SHOW, el.length); n++) {
    const neg = swap ? `min(${dist(A[n], N[n])}, ${dist(P[n], N[n])})` : dist(A[n], N[n]);
    lines.push(eq(`ℓ${sub(n)} = max(${dist(A[n], P[n])} − ${neg} + ${f(m)}, 0) = ${f(el[n])}`));
  }
  return [step(`Distance: ${rule}${swap ? '; swap=True uses the smaller of d(a, n) and d(p, n)' : ''}`),
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
  const denom = [];
  let weighted = !!weight;
  for (let n = 0; n < rows.length; n++) {
    if (probTarget) {
      const yn = targets[n];
      const parts = yn.map((yc, c) => `${f(yc)}·${p(logp[n][c])}`).join(' + ');
      if (n < SHOW) lines.push(eq(`ℓ${sub(n)} = −Σc ${weight ? 'w[c]·' : ''}yₙ,c·log pₙ,c = −(${parts}) = ${f(el[n])}`));
      continue;
    }
    const k = targets[n];
    if (k === ignore) {
      weighted = true;
      if (n < SHOW) lines.push(eq(`ℓ${sub(n)} = 0   (target ${k} is ignore_index)`));
      continue;
    }
    const wk = weight ? weight[k] : 1;
    denom.push(wk);
    if (n < SHOW) {
      const picked = logp[n][k];
      const base = `−${weight ? `w[${k}]·` : ''}log pₙ,${k} = −${weight ? `${f(wk)}·` : ''}${p(picked)}`;
      lines.push(eq(eps > 0
        ? `ℓ${sub(n)} = (1 − ε)·(${base}) + ε/C·Σc(−${weight ? 'w[c]·' : ''}log pₙ,c) = ${f(el[n])}   [ε = ${f(eps)}]`
        : `ℓ${sub(n)} = ${base} = ${f(el[n])}   [target ${k}]`));
    }
  }
  steps.push(step(probTarget ? 'Probability targets: ℓₙ = −Σc yₙ,c log pₙ,c' : 'Pick the log-probability of each target class', ...lines, more(rows.length)));
  const useWeighted = !probTarget && prm.reduction === 'mean' && weighted && eps === 0;
  steps.push(reductionStep(spec, args, result, prm.reduction, useWeighted ? denom : null));
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
  const out = [formulaElement(spec.formula)];
  if (!steps) {
    steps = [step('Per-element values (reduction=\'none\'), from the lab', tensorView(result.elementwise, { name: 'ℓ' }))];
  }
  if (!steps.some((st) => reductions.has(st))) steps.push(reductionStep(spec, args, result, prm.reduction, null));
  out.push(h('ol', { class: 'steps' }, steps.filter(Boolean)));
  return out;
}
