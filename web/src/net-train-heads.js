// Design note: an output head and a loss are chosen together, because a loss reads a particular
// kind of output (logits, probabilities, log-probabilities, scores, values) and a particular kind
// of target (class indices, 0/1, ±1, numbers). Each pairing here fixes the three things the loss
// alone does not: the module after the last Linear (none, Sigmoid, LogSoftmax, Tanh), the output
// width, and how the labels become the target tensor — plus how an output row is read as a class.
// The losses themselves (their formulas, parameters, defaults and ranges) are the registry's: the
// view renders their parameters from lab.catalog() and the lab checks them. The one-line
// explanations say why the pieces fit, which is what a student choosing a head needs.
//
// A link names the head by its loss (head=NLLLoss); MSELoss means the ±1 Tanh head on
// classification data and the plain one on regression data.

export const HEADS = [
  { id: 'BCEWithLogitsLoss', loss: 'BCEWithLogitsLoss', task: 'class', binary: true, output: null, target: 'binary', decide: 'logit',
    text: 'One output, a logit; the loss applies the sigmoid inside, in a numerically stable form: the usual head for two classes.' },
  { id: 'BCELoss', loss: 'BCELoss', task: 'class', binary: true, output: { name: 'Sigmoid', params: {} }, target: 'binary', decide: 'prob',
    text: 'A Sigmoid module turns the output into a probability for BCELoss: the same model as BCEWithLogits, but the loss only sees p, not the logit, so it is less stable when p nears 0 or 1.' },
  { id: 'CrossEntropyLoss', loss: 'CrossEntropyLoss', task: 'class', binary: false, output: null, target: 'index', decide: 'argmax',
    text: 'One logit per class and class indices as targets; the loss applies log-softmax itself: any number of classes.' },
  { id: 'NLLLoss', loss: 'NLLLoss', task: 'class', binary: false, output: { name: 'LogSoftmax', params: { dim: 1 } }, target: 'index', decide: 'argmax',
    text: 'A LogSoftmax module gives log-probabilities and NLLLoss takes the true class’s: cross-entropy in two pieces, the same numbers.' },
  { id: 'MultiMarginLoss', loss: 'MultiMarginLoss', task: 'class', binary: false, output: null, target: 'index', decide: 'argmax',
    text: 'One score per class; the loss wants the true class’s score ahead of every other by a margin (a multi-class hinge, as an SVM): no probabilities.' },
  { id: 'SoftMarginLoss', loss: 'SoftMarginLoss', task: 'class', binary: true, output: null, target: 'pm1', decide: 'logit',
    text: 'One output and targets −1 / +1: the logistic loss written for ±1 labels, a smooth hinge.' },
  { id: 'MSELoss', loss: 'MSELoss', task: 'class', binary: true, output: { name: 'Tanh', params: {} }, target: 'pm1', decide: 'logit',
    text: 'A Tanh output fit to −1 / +1 by squared error, as TensorFlow Playground does: compare it with a cross-entropy head.' },
  { id: 'MSELoss', loss: 'MSELoss', task: 'reg', output: null, target: 'value',
    text: 'One output fit by squared error: the mean of the targets where they scatter; large errors weigh most.' },
  { id: 'L1Loss', loss: 'L1Loss', task: 'reg', output: null, target: 'value',
    text: 'Absolute error: the median of the targets where they scatter; an outlier pulls with a constant force.' },
  { id: 'HuberLoss', loss: 'HuberLoss', task: 'reg', output: null, target: 'value',
    text: 'Squared error for small residuals, absolute beyond delta: MSE’s smooth minimum with L1’s calm about outliers.' },
  { id: 'SmoothL1Loss', loss: 'SmoothL1Loss', task: 'reg', output: null, target: 'value',
    text: 'Huber’s shape divided by beta: its slope for large residuals is 1 whatever beta is.' },
];

// The heads offered for a task with `classes` classes.
export function headsFor(task, classes) {
  return HEADS.filter((hd) => hd.task === task && (task === 'reg' || !hd.binary || classes === 2));
}
export function defaultHead(task, classes) {
  return task === 'reg' ? 'MSELoss' : classes === 2 ? 'BCEWithLogitsLoss' : 'CrossEntropyLoss';
}
// The head a loss name stands for on this data, or null when it does not fit.
export function findHead(loss, task, classes) {
  return headsFor(task, classes).find((hd) => hd.loss === loss) ?? null;
}
// Output width of the last Linear.
export function headWidth(head, classes) {
  return head.task === 'reg' || head.binary ? 1 : classes;
}

// The target tensor for labels y (class indices, or values for regression), as {shape, data}.
export function targetOf(head, y) {
  const n = y.length;
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = head.target === 'pm1' ? 2 * y[i] - 1 : y[i];
  return head.target === 'index' ? { shape: [n], data } : { shape: [n, 1], data };
}

// The class each output row stands for (classification heads). out: row-major (n × width).
export function decideClasses(head, out, width) {
  const n = out.length / width;
  const cls = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (head.decide === 'logit') cls[i] = out[i] > 0 ? 1 : 0;
    else if (head.decide === 'prob') cls[i] = out[i] > 0.5 ? 1 : 0;
    else {
      let best = 0;
      for (let k = 1; k < width; k++) if (out[i * width + k] > out[i * width + best]) best = k;
      cls[i] = best;
    }
  }
  return cls;
}

// Accuracy as the page prints it and the exported script prints it: correct/total and a
// percentage to one decimal rounded half up in integer arithmetic (both sides compute
// floor((2000·c + n) / (2n)) tenths), so no float rounding rule can make them differ.
export function accuracyText(correct, total) {
  const tenths = Math.floor((2000 * correct + total) / (2 * total));
  return `${Math.floor(tenths / 10)}.${tenths % 10}%`;
}

// Python's '%.6g' (what the exported script prints a loss with), so the page shows the same
// digits: 6 significant digits, trailing zeros dropped, exponent form below 1e-4 and from 1e6,
// written e-05 / e+06. Rounded as CPython does: the double's exact decimal value (toExponential
// with 100 digits is exact for every double a loss takes), to nearest, an exact tie to even —
// JS's own toPrecision would round a tie up (1234565 → 1.23457e+06 where Python says 1.23456e+06).
export function pyG(v, digits = 6) {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [m, ex] = Math.abs(v).toExponential(100).split('e');
  const all = m.replace('.', '');
  let head = all.slice(0, digits);
  const rest = all.slice(digits);
  let e = Number(ex);
  const odd = Number(head[head.length - 1]) % 2 === 1;
  if (rest[0] > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || odd))) {
    const up = (BigInt(head) + 1n).toString();
    if (up.length > digits) { head = up.slice(0, digits); e += 1; } else head = up;
  }
  const sign = v < 0 ? '-' : '';
  const strip = (t) => (t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t);
  if (e < -4 || e >= digits) {
    return `${sign}${strip(`${head[0]}.${head.slice(1)}`)}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const fixed = e >= 0 ? `${head.slice(0, e + 1)}.${head.slice(e + 1)}` : `0.${'0'.repeat(-e - 1)}${head}`;
  return sign + strip(fixed);
}
