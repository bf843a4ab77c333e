// Design note: the worked computation — the loss formula with the student's numbers put in, one
// step per line, so a hand calculation can be checked line by line. Every number on the right of
// an "=" comes from the lab (lab.loss's per-element values and result; intermediate log-softmax
// and sigmoid values from lab.activation); the page only writes the expressions with the typed
// numbers substituted. Losses without a recipe here get the generic steps: the per-element values
// and the reduction.
import { h, fmt, flatten, shapeOf } from './util.js';
import { formulaElement } from './formulas.js';
import { tensorView, indexText } from './tensorview.js';
import { sub } from './vector.js';

const SHOW = 6;  // elements or rows written out in full
const f = (v) => fmt(v, 5);
const p = (v) => (v < 0 ? `(${f(v)})` : f(v));  // parenthesise negatives inside expressions

const step = (title, ...body) => h('li', { class: 'step' }, h('div', { class: 'step-title', text: title }), ...body);
const eq = (text) => h('div', { class: 'eq mono', text });
const more = (n) => (n > SHOW ? eq(`… ${n - SHOW} more, same rule`) : null);

function terms(values) {
  if (values.length <= 8) return values.map(p).join(' + ');
  return `${values.slice(0, 3).map(p).join(' + ')} + … + ${p(values[values.length - 1])}`;
}

function reductionStep(spec, params, args, result, weightsOfTerms) {
  const red = params.reduction ?? spec.params.find((q) => q.name === 'reduction')?.default;
  if (!red) return null;
  const el = flatten(result.elementwise);
  const total = typeof result.loss === 'number' ? result.loss : null;
  if (red === 'none') return step("Reduction 'none'", eq('the loss is the per-element tensor itself (its gradient is that of loss.sum())'));
  if (red === 'sum') return step("Reduction 'sum'", eq(`loss = ${terms(el)} = ${f(total)}`));
  if (red === 'batchmean') {
    const n = shapeOf(args.input ?? [])[0] ?? 1;
    return step("Reduction 'batchmean'", eq(`loss = (sum of all ℓ) / batch size = (${terms(el)}) / ${n} = ${f(total)}`));
  }
  if (weightsOfTerms) {
    return step("Reduction 'mean' (weighted)",
      eq(`loss = Σₙ ℓₙ / Σₙ w[yₙ] = (${terms(el)}) / (${terms(weightsOfTerms)}) = ${f(total)}`),
      h('p', { class: 'small muted', text: 'With class weights (or ignored targets) PyTorch divides by the total weight of the counted targets, not by N.' }));
  }
  if (spec.name === 'CTCLoss') {
    return step("Reduction 'mean'", eq(`each ℓₙ is divided by its target length, then averaged over the batch = ${f(total)}`));
  }
  return step("Reduction 'mean'", eq(`loss = (${terms(el)}) / ${el.length} = ${f(total)}`));
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
    const beta = prm.beta ?? s.params.find((q) => q.name === 'beta')?.default ?? 1;
    return pairwise(s, prm, a, r, (x, y) => (Math.abs(x - y) < beta
      ? `0.5·(${f(x)} − ${p(y)})² / ${f(beta)}   [|x − y| < β]`
      : `|${f(x)} − ${p(y)}| − 0.5·${f(beta)}   [|x − y| ≥ β]`));
  },
  HuberLoss: (s, prm, a, r) => {
    const delta = prm.delta ?? s.params.find((q) => q.name === 'delta')?.default ?? 1;
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
};

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
  const ignore = prm.ignore_index ?? -100;
  const eps = prm.label_smoothing ?? 0;
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
  const red = prm.reduction ?? 'mean';
  const useWeighted = !probTarget && red === 'mean' && weighted && eps === 0;
  steps.push(reductionStep(spec, prm, args, result, useWeighted ? denom : null));
  return steps;
}

export function workedSteps(app, spec, params, args, result) {
  let steps = null;
  try {
    const recipe = RECIPES[spec.name];
    steps = recipe ? recipe(spec, params, args, result, app) : null;
  } catch {
    steps = null;
  }
  const out = [formulaElement(spec.formula)];
  const ownReduction = !!steps && (spec.name === 'CrossEntropyLoss' || spec.name === 'NLLLoss');
  if (!steps) {
    steps = [step('Per-element values (reduction=\'none\'), from the lab', tensorView(result.elementwise, { name: 'ℓ' }))];
  }
  if (!ownReduction) steps.push(reductionStep(spec, params, args, result, null));
  out.push(h('ol', { class: 'steps' }, steps.filter(Boolean)));
  return out;
}
