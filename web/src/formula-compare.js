// Design note: the compare readout under "Values at x": for each formula curve against each other
// curve on the graph, the largest |difference| of f and of f′ over the samples drawn (the lab's
// values, as the explorer's cache holds them), and where it is. "x * sigmoid(x)" against SiLU says
// 0 (or a few ulps) — the two curves coincide. Points where both are the same non-finite value
// count as equal; where only one is defined they are counted, not folded into the maximum.
import { h, fmt } from './util.js';

// {max, at (index), undefinedAt (count)} of |a - b| over the samples; null without both.
export function maxDifference(a, b) {
  if (!a?.length || !b?.length || a.length !== b.length) return null;
  let max = 0;
  let at = -1;
  let undefinedAt = 0;
  for (let i = 0; i < a.length; i++) {
    const u = a[i];
    const v = b[i];
    if (u === v || (Number.isNaN(u) && Number.isNaN(v))) continue;
    if (Number.isNaN(u) || Number.isNaN(v)) { undefinedAt++; continue; }
    const d = Math.abs(u - v);
    if (d > max || at < 0) { max = d; at = i; }
  }
  return { max, at, undefinedAt };
}

const cell = (r, xs, hidden) => {
  if (hidden) return h('td', { class: 'num-cell muted', text: '?' });
  if (!r) return h('td', { class: 'muted', text: '—' });
  const where = r.at >= 0 && r.max > 0 ? ` at x = ${fmt(xs[r.at], 7)}` : '';
  const also = r.undefinedAt ? `; ${r.undefinedAt} points defined in one only` : '';
  return h('td', { class: 'mono num-cell', title: String(r.max), dataset: { max: String(r.max) } }, fmt(r.max, 7),
    h('span', { class: 'small muted', text: `${where}${also}` }));
};

const name = (c) => [h('span', { class: 'swatch', style: `background:${c.color}` }), h('span', { class: 'mono', text: c.label })];

// rows: [{a: {label, color}, b: {label, color}, y: [ya, yb], dy: [dya, dyb]}] (a is a formula curve)
export function renderCompare(box, rows, xs, derivHidden) {
  if (!rows.length) { box.replaceChildren(); return; }
  box.replaceChildren(h('table', { class: 'readout-table compare-table' },
    h('caption', { class: 'small', text: `Your formula against the other curves: largest |difference| over the ${xs.length} points drawn (x from ${fmt(xs[0])} to ${fmt(xs[xs.length - 1])})` }),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'curves' }), h('th', { scope: 'col', text: 'max |Δf|' }), h('th', { scope: 'col', text: 'max |Δf′|' }))),
    h('tbody', {}, rows.map((r) => {
      const f = maxDifference(...r.y);
      const d = maxDifference(...r.dy);
      const same = f?.max === 0 && !f.undefinedAt && (derivHidden || (d?.max === 0 && !d.undefinedAt));
      return h('tr', { class: same ? 'same' : '' },
        h('th', { scope: 'row' }, name(r.a), ' vs ', name(r.b), same ? h('span', { class: 'small', text: ' — the same values' }) : null),
        cell(f, xs), cell(d, xs, derivHidden));
    }))));
}
