// Shared by the JS tests: the lab from dist/, the PyTorch reference data, and the comparison rule
// (tests/native/support.hpp's rule: relative 1e-12 and no absolute floor, so an expected 0 needs an
// exact 0; NaN equals NaN; infinities must match exactly).
import { readFileSync } from 'node:fs';
import createLab from '../../dist/lab.mjs';

export const lab = await createLab();

// The JSON's spelling of non-finite numbers ('nan', 'inf', '-inf'), at any depth of nesting.
export const decode = (v) => {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (Array.isArray(v)) return v.map(decode);
  return v;
};

export function reference(file) {
  const url = new URL(`../reference/${file}.json`, import.meta.url);
  const data = JSON.parse(readFileSync(url, 'utf8'));
  return data.cases.map((c) => ({
    ...c,
    x: c.x && decode(c.x),
    y: c.y && decode(c.y),
    dy: c.dy && decode(c.dy),
    jacobian: c.jacobian && decode(c.jacobian),
    loss: c.loss !== undefined ? decode(c.loss) : undefined,
    grad: c.grad && Object.fromEntries(Object.entries(c.grad).map(([k, v]) => [k, decode(v)])),
    args: c.args && Object.fromEntries(Object.entries(c.args).map(([k, v]) => [k, decode(v)])),
    params: c.params && Object.fromEntries(Object.entries(c.params).map(([k, v]) =>
      [k, typeof v === 'string' && !['nan', 'inf', '-inf'].includes(v) ? v : decode(v)])),
  }));
}

export function close(actual, expected) {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual);
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return actual === expected;
  return Math.abs(actual - expected) <= 1e-12 * Math.max(Math.abs(actual), Math.abs(expected));
}

// Compares nested results; returns a list of mismatch descriptions (empty when all agree).
export function compare(actual, expected, path = '') {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return [`${path}: expected a number, got ${typeof actual}`];
    return close(actual, expected) ? [] : [`${path}: got ${actual}, PyTorch ${expected}`];
  }
  const a = Array.from(actual ?? []);
  if (a.length !== expected.length) return [`${path}: length ${a.length}, PyTorch ${expected.length}`];
  return expected.flatMap((e, i) => compare(a[i], e, `${path}[${i}]`));
}
