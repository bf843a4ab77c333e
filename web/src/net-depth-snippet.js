// Design note: the depth view as a PyTorch script. It reruns the page's experiment (net-depth-
// model.js's design note: the seeds, x, the init calls, MSELoss(sum) against zeros) and prints the
// table under "Numbers per layer" in the page's own number format (util.js fmt, written again in
// Python as `page`), so a student can set the page and the notebook side by side and read the same
// digits. The mean-field columns are theory, not PyTorch; the script leaves them out. The
// activation's code is the registry's (lab.torchCode); one torch.nn lacks (an expression in x,
// such as Sine's) becomes a one-line module. Dead and saturated are computed as the engine does
// (nn_stats.hpp): f′ from autograd, a unit dead when its output and f′ are 0 for the whole batch.
// Checked against torch 1.13 for every scheme (tests/browser/network.test.mjs runs one): the
// same text in the ordered phase; deep in the chaotic phase (tanh with σ_w² = 64, say) the first
// layers' gradient std may differ in the fifth digit, since chaos is exactly the growth of small
// differences (the engine's tanh and WASM's normal_ may differ from PyTorch's in the last bit).
import { SCHEMES, schemeParams, useNetworkCatalog, sirenOmega } from './net-depth-model.js';
import { isFormula, formulaTorch } from './net-formula.js';

const pyFloat = (v) => { const s = String(v); return /[.e]/.test(s) ? s : `${s}.0`; };
const pyArg = (v) => (typeof v === 'string' ? `'${v}'` : typeof v === 'boolean' ? (v ? 'True' : 'False') : v === null ? 'None' : Number.isInteger(v) ? String(v) : pyFloat(v));
const kw = (o) => Object.entries(o).map(([k, v]) => `${k}=${pyArg(v)}`).join(', ');

export function depthScript(lab, d) {
  useNetworkCatalog(lab);
  // a formula (issue 11) is its own nn.Module class, the engine's code for it
  const formula = isFormula(d.act) ? formulaTorch(lab, d.act) : null;
  const code = formula ? formula.code : lab.torchCode(d.act.name, d.act.params);
  const custom = !formula && !/^nn\.\w+\(/.test(code);
  const act = custom ? `Fn(lambda x: ${code})` : code;
  const p = schemeParams(d.init);
  const L = [
    '# Activation & Loss Lab, depth view: this script reruns the page\'s experiment in PyTorch and prints',
    '# the table under "Numbers per layer" with the page\'s digits (python3, PyTorch 1.13 or later).',
    'import math', 'from decimal import Decimal, ROUND_HALF_UP', '', 'import torch', 'import torch.nn as nn', '', 'torch.set_default_dtype(torch.float64)', '',
  ];
  if (custom) L.push('', 'class Fn(nn.Module):', '    def __init__(self, f):', '        super().__init__()', '        self.f = f', '',
    '    def forward(self, x):', '        return self.f(x)', '', '');
  if (formula) L.splice(L.indexOf('import torch.nn as nn') + 1, 0, 'import torch.nn.functional as F');
  if (formula) L.push('', '# your formula, as the lab evaluates it (its derivative is what autograd gives)', ...formula.cls.split('\n'), '', '');
  L.push(
    'def rounded(d, e, decimals):',
    '    """d (a Decimal, exactly the double) to `decimals` places of 10^e, halves away from 0 as JS does."""',
    '    r = d.scaleb(-e).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)',
    '    return (rounded(d, e + 1, decimals), e + 1) if abs(r) >= 10 else (r, e)',
    '',
    '',
    'def page(v, digits=6):',
    '    """A number as the page writes it (web/src/util.js fmt: toPrecision, or toExponential)."""',
    '    if math.isnan(v): return \'nan\'',
    '    if math.isinf(v): return \'inf\' if v > 0 else \'-inf\'',
    '    if v == 0: return \'0\'',
    '    d = Decimal(v)',
    '    small = not 1e-4 <= abs(v) < 1e7',
    '    m, e = rounded(d, d.adjusted(), max(1, digits - 3) if small else digits - 1)',
    '    if not small and e < digits:',
    '        s = f\'{m.scaleb(e):f}\'',
    '        return s.rstrip(\'0\').rstrip(\'.\') if \'.\' in s else s',
    '    m = f\'{m:f}\'',
    '    m = m.rstrip(\'0\').rstrip(\'.\') if \'.\' in m else m',
    '    return f\'{m}e{"+" if e >= 0 else "-"}{abs(e)}\'',
    '', '',
    `depth, width, batch, seed = ${d.depth}, ${d.width}, ${d.batch}, ${d.seed}`,
    'torch.manual_seed(seed)',
    `model = nn.Sequential(*[m for _ in range(depth) for m in (nn.Linear(width, width), ${act})])`,
    'linears = [m for m in model if isinstance(m, nn.Linear)]',
  );
  const s = d.init.scheme;
  if (s !== 'default') {
    L.push('with torch.no_grad():');
    if (s === 'siren') {
      L.push('    for i, m in enumerate(linears):  # SIREN (Sitzmann et al. 2020)',
        `        bound = 1 / width if i == 0 else math.sqrt(6 / width) / ${pyFloat(sirenOmega(d.act))}`,
        '        m.weight.uniform_(-bound, bound)');
    } else if (s === 'normal') {
      L.push('    for m in linears:', `        nn.init.normal_(m.weight, mean=0, std=math.sqrt(${pyFloat(p.sw2)} / width))`, '        nn.init.zeros_(m.bias)');
      if (p.sb2 > 0) {
        L.push('    # the biases: N(0, σ_b²), drawn from seed + 2 (the lab\'s engine draws them this way)',
          '    torch.manual_seed(seed + 2)',
          '    B = nn.init.normal_(nn.Linear(width, depth, bias=False).weight)',
          `    for l, m in enumerate(linears):`, `        m.bias.copy_(math.sqrt(${pyFloat(p.sb2)}) * B[l])`);
      }
    } else {
      const spec = SCHEMES[s].spec(p, d.width);
      L.push('    for m in linears:', `        nn.init.${spec.weight}_(m.weight${Object.keys(spec.params).length ? `, ${kw(spec.params)}` : ''})`);
    }
    if (p.bias === 'zeros' && s !== 'normal') L.push('    for m in linears:', '        nn.init.zeros_(m.bias)');
  }
  L.push(
    '',
    '# x: a batch of N(0, 1) inputs, drawn from seed + 1 by nn.init.normal_ on a Linear\'s weight',
    'torch.manual_seed(seed + 1)',
    'x = nn.init.normal_(nn.Linear(width, batch, bias=False).weight).detach()',
    '',
    'pres, posts, slopes = [], [], []',
    'h = x',
    'for m in model:',
    '    if isinstance(m, nn.Linear):',
    '        h = m(h)',
    '        h.retain_grad()',
    '        pres.append(h)',
    '    else:',
    '        pre = h.detach().requires_grad_()',
    '        slopes.append(torch.autograd.grad(m(pre).sum(), pre)[0])  # f′(pre), elementwise',
    '        h = m(h)',
    '        posts.append(h)',
    'loss = nn.MSELoss(reduction=\'sum\')(h, torch.zeros_like(h))',
    'loss.backward()',
    '',
    'std = lambda t: t.std(unbiased=False).item()',
    'print(\'layer  pre std  post mean  post std  grad std  dead  saturated\')',
    'for l in range(depth):',
    '    pre, post, slope = pres[l], posts[l].detach(), slopes[l]',
    '    dead = ((post == 0) & (slope == 0)).all(0).double().mean().item()',
    `    saturated = (slope.abs() < 0.01).double().mean().item()`,
    '    print(l + 1, page(std(pre)), page(post.mean().item()), page(std(post)), page(std(pre.grad)),',
    '          page(100 * dead, 3) + \' %\', page(100 * saturated, 3) + \' %\')',
  );
  return `${L.join('\n')}\n`;
}
