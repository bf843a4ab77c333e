// Design note: the "about this function" card of a formula curve, in the place and style of a
// built-in's (info.js): what the lab made of the text — its parameters and the catalog functions
// it calls — and the PyTorch code the lab generated for it, an nn.Module (constructed with the
// sliders' values) and a lambda, each with a copy button. The code is the lab's
// (lab.formula(text).torch), never written here, so what is copied is what the numbers came from.
import { h, copyButton } from './util.js';
import { literal } from './formula-model.js';

const codeBlock = (label, text) => {
  const code = h('code', { text, tabIndex: 0 });
  return h('div', { class: 'torch formula-torch' },
    h('span', { class: 'torch-label', text: label }),
    h('div', { class: 'torch-code' }, h('pre', { class: 'torch-block' }, code), copyButton(() => code.textContent, 'Copy')));
};

export function formulaCard(model, c, params) {
  const d = model.current(c);
  const head = h('div', { class: 'info-head' },
    h('h2', { class: 'info-title', text: 'Your formula' }),
    h('span', { class: 'badge', text: 'parsed by the lab' }));
  if (!d) {
    return h('div', { class: 'info' }, head,
      h('p', { class: 'summary', text: 'Fix the formula beside the picker to see its PyTorch code.' }));
  }
  const v = model.values(d, params);
  const t = model.torch(c, params);
  return h('div', { class: 'info' }, head,
    h('p', { class: 'summary' }, 'f(x) = ', h('code', { class: 'formula-text', text: d.text.split(';')[0].trim() }),
      '. Values in float64; f′ is the derivative PyTorch\'s autograd gives for the same expression written with torch functions (y.sum().backward()).'),
    d.differentiable === false ? h('p', { class: 'small formula-nograd' },
      'No gradient: x reaches f only through comparisons or conditions, so in PyTorch y has no grad_fn and ',
      h('code', { text: 'y.sum().backward()' }), ' raises "element 0 of tensors does not require grad and does not have a grad_fn". f′ is drawn as 0; in a network, the layers before it get no gradient.') : null,
    d.parameters.length ? h('p', { class: 'small' }, 'Parameters: ',
      d.parameters.map((p, i) => [i ? ', ' : '', h('code', { text: `${p.name} = ${literal(v[p.name])}` })])) : null,
    d.uses.length ? h('p', { class: 'small' }, 'Calls the catalog\'s ', d.uses.map((n, i) => [i ? ', ' : '', h('code', { text: n })]),
      ' with PyTorch\'s own kernels.') : null,
    codeBlock('PyTorch module', `${t.module.trimEnd()}\n\nact = ${t.call}`),
    t.lambda ? codeBlock('PyTorch lambda', t.lambda) : null,
    d !== model.describe(c.formula) ? h('p', { class: 'small muted', text: 'The text has a mistake: this is the code of the last formula that parsed.' }) : null);
}
