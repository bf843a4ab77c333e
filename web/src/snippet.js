// Design note: the PyTorch snippet that reproduces the workbench: constructor (from
// lab.torchCode, the registry's own spelling), the student's tensors re-written as Python
// literals (float64, requires_grad on every argument that has a gradient), the call and
// backward(). Pasted into a notebook it prints the numbers the page shows, to all their digits:
// the scalar loss through .item() (Python's shortest round-trip repr, the page's long form of the
// loss), tensors with 16 decimals (torch.set_printoptions; its default of 4 could not tell a
// float64 result from a float32 one).
import { flatten } from './util.js';

export function pyLiteral(v, integer) {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return "float('nan')";
    if (!Number.isFinite(v)) return v > 0 ? "float('inf')" : "-float('inf')";
    if (integer) return String(v);
    return Number.isInteger(v) && Math.abs(v) < 1e16 ? v.toFixed(1) : String(v);
  }
  return `[${Array.from(v, (e) => pyLiteral(e, integer)).join(', ')}]`;
}

export function torchSnippet(lab, spec, params, args, result) {
  let ctor;
  try { ctor = lab.torchCode(spec.name, params); } catch (e) { ctor = `# ${e.message}`; }
  const lines = ['import torch', 'from torch import nn', '', 'torch.set_default_dtype(torch.float64)  # the lab computes in float64',
    'torch.set_printoptions(precision=16)  # print every digit the page shows (hover a value there for all of them)', '',
    `loss_fn = ${ctor}`];
  const given = [];
  let keyword = false;
  const call = [];
  for (const a of spec.args) {
    if (!(a.name in args)) { keyword = true; continue; }
    const v = args[a.name];
    const grad = a.name in result.grad;
    // class indices are int64 in PyTorch: an argument without a gradient holding only integers
    // (CrossEntropyLoss's class-index target) is written as an int literal
    const whole = flatten(v).every(Number.isInteger);
    const integer = (a.integer || !grad) && whole;
    const dtype = a.integer && !whole ? ', dtype=torch.long' : '';
    lines.push(`${a.name} = torch.tensor(${pyLiteral(v, integer)}${dtype}${grad ? ', requires_grad=True' : ''})`);
    given.push(a.name);
    call.push(keyword ? `${a.name}=${a.name}` : a.name);
  }
  const scalar = typeof result.loss === 'number';
  lines.push('', `loss = loss_fn(${call.join(', ')})`, scalar ? 'loss.backward()' : 'loss.sum().backward()  # reduction=\'none\': backward of the sum',
    scalar ? 'print(loss.item())  # the same digits as the page\'s full value' : 'print(loss)');
  for (const name of Object.keys(result.grad)) lines.push(`print(${name}.grad)`);
  return lines.join('\n');
}
