// Design note: shows a tensor (number or nested arrays) laid out in the shape it was typed —
// a row for 1-D, a matrix for 2-D, a stack of labelled matrices beyond — with each cell shaded
// by its share of the largest magnitude, so the elements that contribute most stand out; the
// largest one is also marked in text for screen readers and colour-blind readers.
import { h, fmt, shapeOf, flatten } from './util.js';

export function tensorView(value, opts = {}) {
  const shape = shapeOf(value);
  if (typeof value === 'number') {
    return h('div', { class: 'tensor scalar mono', title: String(value), text: fmt(value, 8) });
  }
  const flat = flatten(value);
  let max = 0;
  let argmax = -1;
  flat.forEach((v, i) => { if (Number.isFinite(v) && Math.abs(v) > max) { max = Math.abs(v); argmax = i; } });
  let k = 0;
  const cell = (v) => {
    const i = k++;
    const top = i === argmax && flat.length > 1;
    const share = max > 0 && Number.isFinite(v) ? Math.abs(v) / max : 0;
    const td = h('td', {
      class: `cell ${top ? 'top' : ''}`, title: `${opts.name ?? ''}${indexText(i, shape)} = ${String(v)}`,
      style: share === 0 ? '' : `--share:${share.toFixed(3)}`,
      dataset: { index: String(i) },
    }, fmt(v, 5));
    if (top) td.append(h('span', { class: 'visually-hidden', text: ' (largest)' }));
    return td;
  };
  const matrix = (m) => h('table', { class: 'tensor-table mono' }, h('tbody', {},
    shape.length >= 2 && Array.isArray(m[0]) ? m.map((row) => h('tr', {}, row.map(cell))) : h('tr', {}, m.map(cell))));
  let body;
  if (shape.length <= 2) body = matrix(value);
  else {
    const slices = [];
    const walk = (v, prefix) => {
      if (shapeOf(v).length === 2) slices.push(h('div', { class: 'slice' }, h('div', { class: 'slice-label small muted', text: `[${prefix.join(', ')}, :, :]` }), matrix(v)));
      else v.forEach((s, i) => walk(s, [...prefix, i]));
    };
    walk(value, []);
    body = h('div', { class: 'slices' }, slices);
  }
  return h('div', { class: 'tensor' },
    h('div', { class: 'tensor-shape small muted', text: `shape (${shape.join(', ')}${shape.length === 1 ? ',' : ''})` }),
    h('div', { class: 'table-scroll', tabIndex: 0 }, body));
}

export function indexText(i, shape) {
  if (!shape.length) return '';
  const idx = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(i % shape[d]);
    i = Math.floor(i / shape[d]);
  }
  return `[${idx.join('][')}]`;
}
