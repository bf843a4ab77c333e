// Design note: "Export to PyTorch" writes a script that reruns the page's training from nothing
// and prints what the page shows, with the same digits. It can, because the engine does what
// PyTorch does in the same order: torch.manual_seed(seed) right before nn.Sequential is built
// (each nn.Linear's reset_parameters draws in turn), then the optional nn.init calls over the
// Linears, the data written out in full (shortest round-trip decimals, which Python reads back to
// the same doubles), and minibatches taken in order — step k uses batch (k − 1) mod ⌈N / b⌉, as
// the engine's epoch() does with a DataLoader(shuffle=False). Every module and loss line is the
// registry's own PyTorch code (lab.torchCode); an activation torch.nn lacks (its code is an
// expression in x) becomes a one-line module; a formula (issue 11) is its own nn.Module class, the
// engine's code for it (lab.torchCode({formula, params}).module). Modules other than Linear are frozen
// (requires_grad_(False)): nn.PReLU has a weight PyTorch would train, the lab's PReLU is fixed.
// The script prints the page's loss format (%.6g) and accuracy (counts, tenths of a percent by
// integer arithmetic) at the end of every epoch and at the last step, plus the same values at full
// precision on a "# exact" line that tests/reference/generate_network_export.mjs records.
import { pyG } from './net-train-heads.js';
import { isFormula, formulaTorch } from './net-formula.js';
import { networkOptions, sirenW0 } from './net-train-options.js';

// A Python float literal for a double: shortest round trip, always with a point or an exponent.
export function pyFloat(v) {
  if (Number.isNaN(v)) return "float('nan')";
  if (!Number.isFinite(v)) return v > 0 ? "float('inf')" : "-float('inf')";
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}
function pyArg(v) {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 53 ? String(v) : pyFloat(v);
  if (Array.isArray(v)) return `(${v.map(pyArg).join(', ')}${v.length === 1 ? ',' : ''})`;
  return JSON.stringify(v);
}
const kwargs = (params) => Object.entries(params ?? {}).map(([k, v]) => `${k}=${pyArg(v)}`).join(', ');

function rows(x, dim, perLine = 4, write = pyFloat, flat = false) {
  const n = x.length / dim;
  const items = [];
  for (let i = 0; i < n; i++) {
    const r = Array.from(x.subarray(i * dim, (i + 1) * dim), write);
    items.push(flat ? r[0] : `[${r.join(', ')}]`);
  }
  const lines = [];
  for (let i = 0; i < items.length; i += perLine) lines.push(`    ${items.slice(i, i + perLine).join(', ')},`);
  return lines.length ? `[\n${lines.join('\n')}\n]` : '[]';
}

// A module's code: nn.X(...) from the registry, or an expression in x wrapped in Fn.
function moduleCode(lab, fn) {
  const code = lab.torchCode(fn.name, fn.params ?? {});
  return /^nn\.\w+\(/.test(code) ? { code, custom: false } : { code: `Fn(lambda x: ${code}, ${pyArg(code)})`, custom: true };
}

// cfg: { lab, data, head, sizes, act, init, lossParams, opt, bias, batch, seed, steps }
// (data: net-data.js's shape; head: net-train-heads.js's pairing; sizes the Linear widths).
export function pytorchScript(cfg) {
  const { lab, data, head, sizes, act, init, opt, bias, batch, seed, steps } = cfg;
  const mods = [];
  let custom = false;
  const formula = isFormula(act) ? formulaTorch(lab, act) : null;
  const actCode = formula ? { code: formula.code, custom: false } : moduleCode(lab, act);
  for (let i = 0; i + 1 < sizes.length; i++) {
    mods.push(`nn.Linear(${sizes[i]}, ${sizes[i + 1]}${bias ? '' : ', bias=False'})`);
    if (i + 2 < sizes.length) { mods.push(actCode.code); custom ||= actCode.custom; }
  }
  if (head.output) {
    const o = moduleCode(lab, head.output);
    mods.push(o.code);
    custom ||= o.custom;
  }
  const cls = data.task === 'class';
  const L = [];
  L.push('# Activation & Loss Lab, training playground: this script reruns the page\'s training in PyTorch');
  L.push(`# and prints the losses${cls ? ' and accuracies' : ''} the page shows, with the same digits.`);
  L.push('# Run with python3 (PyTorch 1.13 or later, float64 on the CPU).');
  L.push('import math');
  L.push('');
  L.push('import torch');
  L.push('import torch.nn as nn');
  if (formula) L.push('import torch.nn.functional as F');
  L.push('');
  L.push('torch.set_default_dtype(torch.float64)');
  if (formula) L.push('', '', '# your formula, as the lab evaluates it (its derivative is what autograd gives)', ...formula.cls.split('\n'));
  if (custom) {
    L.push('', '', 'class Fn(nn.Module):', '    """An activation the lab has and torch.nn lacks, as a module."""', '',
      '    def __init__(self, f, text):', '        super().__init__()', '        self.f, self.text = f, text', '',
      '    def forward(self, x):', '        return self.f(x)', '', '    def extra_repr(self):', '        return self.text', '');
  }
  L.push('');
  const labelsOrValues = (set, name) => {
    if (!cls) return `${name} = torch.tensor(${rows(set.y, 1, 6, pyFloat, true)}).unsqueeze(1)`;
    return `${name} = torch.tensor(${rows(set.y, 1, 20, String, true)}, dtype=torch.long)`;
  };
  L.push(`# the data: ${data.train.y.length} training and ${data.test.y.length} test points (${cls ? `x1, x2 and the class` : 'x and y'})`);
  L.push(`X_train = torch.tensor(${rows(data.train.x, data.dim)})`);
  L.push(labelsOrValues(data.train, cls ? 'labels_train' : 'y_train'));
  const hasTest = data.test.y.length > 0;
  if (hasTest) {
    L.push(`X_test = torch.tensor(${rows(data.test.x, data.dim)})`);
    L.push(labelsOrValues(data.test, cls ? 'labels_test' : 'y_test'));
  }
  if (cls) {
    const t = head.target === 'index' ? (s) => `labels_${s}` : head.target === 'binary' ? (s) => `labels_${s}.double().unsqueeze(1)`
      : (s) => `(2 * labels_${s} - 1).double().unsqueeze(1)`;
    L.push(`y_train = ${t('train')}`);
    if (hasTest) L.push(`y_test = ${t('test')}`);
  }
  L.push('');
  L.push(`torch.manual_seed(${seed})`);
  L.push('model = nn.Sequential(');
  for (const m of mods) L.push(`    ${m},`);
  L.push(')');
  L.push('for m in model:', '    if not isinstance(m, nn.Linear):', '        m.requires_grad_(False)  # the lab\'s activations have no trained parameters');
  if (init && init.weight !== 'default') {
    L.push('linears = [m for m in model if isinstance(m, nn.Linear)]');
    L.push('with torch.no_grad():');
    if (init.weight === 'siren') {
      const w0 = sirenW0(networkOptions(lab), init.params, act, lab.spec('Sine'));
      L.push('    for i, m in enumerate(linears):  # SIREN (Sitzmann et al. 2020)');
      L.push('        fan_in = m.weight.shape[1]');
      L.push(`        bound = 1 / fan_in if i == 0 else math.sqrt(6 / fan_in) / ${pyFloat(w0)}`);
      L.push('        m.weight.uniform_(-bound, bound)');
    } else {
      L.push('    for m in linears:');
      L.push(`        nn.init.${init.weight}_(m.weight${Object.keys(init.params ?? {}).length ? `, ${kwargs(init.params)}` : ''})`);
    }
    if (init.bias === 'zeros' && bias) L.push(`    for m in linears:`, '        nn.init.zeros_(m.bias)');
  }
  L.push(`loss_fn = ${lab.torchCode(head.loss, cfg.lossParams ?? {})}`);
  L.push(`optimizer = torch.optim.${opt.name}(model.parameters()${Object.keys(opt.params ?? {}).length ? `, ${kwargs(opt.params)}` : ''})`);
  L.push('');
  if (cls) {
    const pred = head.decide === 'argmax' ? 'out.argmax(1)' : head.decide === 'prob' ? '(out[:, 0] > 0.5).long()' : '(out[:, 0] > 0).long()';
    L.push('', 'def accuracy(out, labels):', `    correct, n = int((${pred} == labels).sum()), len(labels)`,
      '    tenths = (2000 * correct + n) // (2 * n)  # a percentage to one decimal, rounded half up',
      '    return f"{correct}/{n} ({tenths // 10}.{tenths % 10}%)", correct', '', '');
  }
  L.push(`batch_size, steps = ${batch}, ${steps}`);
  L.push('n_batches = math.ceil(len(X_train) / batch_size)');
  L.push('for step in range(1, steps + 1):');
  L.push('    b = (step - 1) % n_batches  # minibatches in order, round again');
  L.push('    xb, yb = X_train[b * batch_size:(b + 1) * batch_size], y_train[b * batch_size:(b + 1) * batch_size]');
  L.push('    optimizer.zero_grad()');
  L.push('    loss = loss_fn(model(xb), yb)');
  L.push('    loss.backward()');
  L.push('    optimizer.step()');
  L.push('    if step % n_batches == 0 or step == steps:');
  L.push('        with torch.no_grad():');
  L.push('            out = model(X_train)');
  L.push('            train_loss = loss_fn(out, y_train).item()');
  const parts = ['f"step {step}: train loss {train_loss:.6g}"'];
  const exact = ['repr(train_loss)'];
  if (cls) {
    L.push('            train_acc, train_correct = accuracy(out, labels_train)');
    parts.push('f", train accuracy {train_acc}"');
    exact.push('str(train_correct)');
  }
  if (hasTest) {
    L.push('            out = model(X_test)');
    L.push('            test_loss = loss_fn(out, y_test).item()');
    parts.push('f", test loss {test_loss:.6g}"');
    exact.push('repr(test_loss)');
    if (cls) {
      L.push('            test_acc, test_correct = accuracy(out, labels_test)');
      parts.push('f", test accuracy {test_acc}"');
      exact.push('str(test_correct)');
    }
  }
  L.push(`        print(${parts.join(' + ')})`);
  L.push(`        print("# exact", step, ${exact.join(', ')})`);
  return `${L.join('\n')}\n`;
}

// What the script prints for one evaluation (the page's readout line), from the page's numbers.
export function evaluationLine(ev) {
  let s = `step ${ev.step}: train loss ${pyG(ev.trainLoss)}`;
  if (ev.trainAcc) s += `, train accuracy ${ev.trainAcc}`;
  if (ev.testLoss !== undefined) s += `, test loss ${pyG(ev.testLoss)}`;
  if (ev.testAcc) s += `, test accuracy ${ev.testAcc}`;
  return s;
}

// The trained weights as JSON (nn.Linear's layout: weight out × in, bias) with what made them.
export function weightsJson(parameters, meta) {
  return `${JSON.stringify({ ...meta, layers: parameters }, null, 1)}\n`;
}

// The history of evaluations as CSV: one row per evaluation, full precision.
export function historyCsv(history, classification) {
  const head = ['step', 'train_loss', ...(classification ? ['train_correct', 'train_total'] : []), 'test_loss',
    ...(classification ? ['test_correct', 'test_total'] : [])];
  const lines = [head.join(',')];
  for (const e of history) {
    lines.push([e.step, e.trainLoss, ...(classification ? [e.trainCorrect, e.trainTotal] : []), e.testLoss ?? '',
      ...(classification ? [e.testCorrect ?? '', e.testTotal ?? ''] : [])].join(','));
  }
  return `${lines.join('\n')}\n`;
}
