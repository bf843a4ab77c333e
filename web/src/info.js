// Design note: the "about this function" card shared by the explorer and the loss workbench:
// typeset formula, one-line summary, teaching notes and the exact PyTorch line with a copy
// button. Everything shown comes from the registry entry and lab.torchCode().
import { h, copyButton } from './util.js';
import { formulaElement } from './formulas.js';

export function infoCard(spec, torchLine) {
  const codeEl = h('code', { class: 'torch-line', text: torchLine ?? '', tabIndex: 0 });
  return h('div', { class: 'info' },
    h('div', { class: 'info-head' },
      h('h2', { class: 'info-title', text: spec.name }),
      spec.inTorchNn ? null : h('span', { class: 'badge badge-warn', text: 'not in torch.nn' }),
      h('span', { class: 'badge', text: spec.group })),
    h('p', { class: 'summary', text: spec.summary }),
    formulaElement(spec),
    torchLine ? h('div', { class: 'torch' },
      h('span', { class: 'torch-label', text: spec.inTorchNn ? 'PyTorch' : 'PyTorch equivalent' }),
      h('div', { class: 'torch-code' }, codeEl, copyButton(() => codeEl.textContent, 'Copy'))) : null,
    spec.notes.length ? h('div', { class: 'notes' },
      h('h3', { class: 'notes-title', text: 'Notes' }),
      h('ul', {}, spec.notes.map((n) => h('li', { text: n })))) : null);
}
