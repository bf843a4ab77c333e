// lab.d.ts against the catalog it describes: every key of every catalog object (function spec,
// parameter, argument, example) is declared in wasm/lab.d.ts with a type its values have, and every
// declared key is present. The .d.ts is read by a small regex-based reader — interfaces whose
// members are `name: type;` or `name?: type;` — and the declared types are checked by walking the
// catalog from `Catalog` down; a type this reader cannot check fails the test instead of passing
// silently. The last test feeds it a catalog with a key added and one removed, so a checker that
// stops seeing either fails too. The network engine's result objects (statistics, mean-field,
// data sets) are walked the same way from their declared interfaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lab } from './reference.mjs';

const source = readFileSync(new URL('../../wasm/lab.d.ts', import.meta.url), 'utf8')
  .replace(/\/\*[\s\S]*?\*\//g, '')
  .replace(/\/\/.*$/gm, '');

// interface name -> Map(member -> { optional, type })
const interfaces = new Map();
for (const [, name, body] of source.matchAll(/interface\s+(\w+)\s*\{([^}]*)\}/g)) {
  const members = new Map();
  for (const [, key, optional, type] of body.matchAll(/^\s*(\w+)(\?)?\s*:\s*([^;]+);/gm)) {
    members.set(key, { optional: optional === '?', type: type.replace(/\s+/g, ' ').trim() });
  }
  interfaces.set(name, members);
}

// Splits `A | B<C, D> | E[]` at the top level.
function alternatives(type) {
  const out = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < type.length; i++) {
    if ('<([{'.includes(type[i])) depth++;
    else if ('>)]}'.includes(type[i])) depth--;
    else if (type[i] === '|' && depth === 0) { out.push(type.slice(start, i).trim()); start = i + 1; }
  }
  out.push(type.slice(start).trim());
  return out;
}

const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const label = (v, i) => (isPlainObject(v) && typeof v.name === 'string' ? v.name : String(i));

// Problems of `value` against the declared `type`, as "where: what" strings (empty: it fits).
function check(value, type, where) {
  const alts = alternatives(type);
  const results = alts.map((alt) => checkOne(value, alt, where));
  if (results.some((r) => r.length === 0)) return [];
  // Report the alternative that got furthest (an interface's own key problems), else the mismatch.
  const structural = results.filter((r) => !r.every((p) => p.startsWith(`${where}: `)));
  return structural.length === 1 ? structural[0] : [`${where}: ${JSON.stringify(value)?.slice(0, 60)} is not ${type}`];
}

function checkOne(value, type, where) {
  const fail = [`${where}: not ${type}`];
  const literal = /^'([^']*)'$/.exec(type);
  if (literal) return value === literal[1] ? [] : fail;
  if (type === 'string' || type === 'number' || type === 'boolean') return typeof value === type ? [] : fail;
  if (type === 'null') return value === null ? [] : fail;
  if (type === 'Float64Array') return value instanceof Float64Array ? [] : fail;
  const tuple = /^\[(.*)\]$/.exec(type);  // [A, B]: an array of exactly those
  if (tuple) {
    const parts = tuple[1].split(',').map((t) => t.trim());
    if (!Array.isArray(value) || value.length !== parts.length) return fail;
    return parts.flatMap((t, i) => check(value[i], t, `${where}[${i}]`));
  }
  if (type.endsWith('[]')) {
    if (!Array.isArray(value)) return fail;
    return value.flatMap((v, i) => check(v, type.slice(0, -2), `${where}[${label(v, i)}]`));
  }
  const record = /^Record<string,\s*(.+)>$/.exec(type);
  if (record) {
    if (!isPlainObject(value)) return fail;
    return Object.entries(value).flatMap(([k, v]) => check(v, record[1], `${where}.${k}`));
  }
  const members = interfaces.get(type);
  if (!members) return [`${where}: lab.d.ts type '${type}' is beyond this reader; extend it`];
  if (!isPlainObject(value)) return fail;
  const problems = [];
  for (const key of Object.keys(value)) {
    if (!members.has(key)) problems.push(`${type}.${key}: in the catalog but not declared in lab.d.ts, at ${where}`);
  }
  for (const [key, m] of members) {
    if (!(key in value)) {
      if (!m.optional) problems.push(`${type}.${key}: declared in lab.d.ts but absent from the catalog, at ${where}`);
    } else {
      problems.push(...check(value[key], m.type, `${where}.${key}`));
    }
  }
  return problems;
}

// One line per distinct key problem, not one per function: a missing key shows once.
const summary = (problems) => [...new Set(problems.map((p) => p.replace(/, at \S+$/, '')))];

test('lab.d.ts declares the catalog interfaces this test walks', () => {
  for (const name of ['Catalog', 'FunctionSpec', 'ParamSpec', 'ArgSpec']) assert.ok(interfaces.get(name)?.size, name);
});

test('every catalog key is declared in lab.d.ts, with its type, and every declared key is present', () => {
  const catalog = lab.catalog();
  assert.deepEqual(summary(check(catalog, 'Catalog', 'catalog')), []);
});

test("a loss's example gives a PyTorch literal for its own forward arguments only", () => {
  for (const f of [...lab.catalog().activations, ...lab.catalog().losses]) {
    const names = f.args.map((a) => a.name);
    for (const key of Object.keys(f.example)) assert.ok(names.includes(key), `${f.name}.example.${key}`);
  }
});

test('the check notices a key added to the catalog and a declared key that is missing', () => {
  const catalog = lab.catalog();
  const loss = catalog.losses[0];
  loss.params[0].extra = 1;   // added, not declared
  delete loss.args[0].doc;    // declared, absent
  loss.kind = 'lossy';        // not one of the declared literals
  const problems = summary(check(catalog, 'Catalog', 'catalog'));
  assert.ok(problems.includes('ParamSpec.extra: in the catalog but not declared in lab.d.ts'), problems.join('\n'));
  assert.ok(problems.includes('ArgSpec.doc: declared in lab.d.ts but absent from the catalog'), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith(`catalog.losses[${loss.name}].kind: "lossy" is not`)), problems.join('\n'));
});

test('the network engine\'s results are declared in lab.d.ts, every key with its type', () => {
  const net = lab.network({ sizes: [2, 3, 2], activation: 'ReLU', loss: 'CrossEntropyLoss' });
  net.forward([[1, 2]]);
  const afterForward = net.statistics();
  net.gradients({ input: [[1, 2], [-1, 0.5]], target: [0, 1] });
  const afterGradients = net.statistics({ bins: 4 });
  net.delete();
  const mf = lab.meanField({ activation: 'Tanh', sigmaW2: 1.5, sigmaB2: 0.1 });
  const rows = [
    [afterForward, 'LayerStatistics[]', 'statistics() after forward'],
    [afterGradients, 'LayerStatistics[]', 'statistics() after gradients'],
    [mf.moments(1), 'Moments', 'meanField.moments'],
    [mf.layers(1, 4), 'MeanFieldLayers', 'meanField.layers'],
    [lab.dataset({ name: 'moons', n: 20 }), 'Dataset', 'dataset'],
    [lab.datasets(), 'DatasetInfo[]', 'datasets'],
  ];
  for (const [value, type, where] of rows) assert.deepEqual(summary(check(value, type, where)), [], where);
  // and the checker sees a wrong type in these too
  afterGradients[0].pre.histogram.counts = [1, 2];
  assert.notDeepEqual(check(afterGradients, 'LayerStatistics[]', 'statistics'), []);
});

test('a pass() and gradients without weights give what lab.d.ts declares', () => {
  const net = lab.network({ sizes: [2, 3, 2], activation: 'ReLU', loss: { name: 'MSELoss', params: { reduction: 'sum' } } });
  const batch = { input: [[1, 2], [-1, 0.5], [0, 3]], target: [[0, 1], [1, 0], [0, 0]] };
  const noWeights = net.gradients({ ...batch, weights: false });
  const pass = net.pass(batch);
  const partial = pass.advance(2);
  const partialStats = pass.statistics({ bins: 3, shared: true });
  const whole = pass.advance(2);
  const rows = [
    [{ loss: noWeights.loss, grads: noWeights.grads, warnings: noWeights.warnings }, 'GradientsResult', 'gradients({weights: false})'],
    [partial, 'PassProgress', 'pass.advance (partial)'],
    [whole, 'PassProgress', 'pass.advance (whole)'],
    [partialStats, 'LayerStatistics[]', 'pass.statistics'],
    [pass.ranges(), 'StatisticsRanges', 'pass.ranges'],
    [net.ranges(), 'StatisticsRanges', 'network.ranges (after the pass)'],
    [pass.statistics({ layers: [1, 2] }), 'LayerStatistics[]', 'pass.statistics by layers'],
  ];
  for (const [value, type, where] of rows) assert.deepEqual(summary(check(value, type, where)), [], where);
  assert.notDeepEqual(check({ ...whole, loss: 'x' }, 'PassProgress', 'pass'), []);
  assert.notDeepEqual(check({ pre: [0], post: [0, 1], grad: null }, 'StatisticsRanges', 'ranges'), [], 'a tuple of the wrong length');
  net.forward([[1, 2]]);
  assert.deepEqual(summary(check(net.ranges(), 'StatisticsRanges', 'network.ranges after forward')), []);
  assert.equal(net.ranges().grad, null);
  pass.delete();
  net.delete();
});

test("lab.formula's answers and a formula's torch code are declared in lab.d.ts, every key with its type", () => {
  const rows = [
    [lab.formula('x > 0 ? x : a * (exp(x) - 1); a=0.5'), 'FormulaDescription', 'formula(good)'],
    [lab.formula('x * (1 + x'), 'FormulaFailure', 'formula(bad)'],
    [lab.torchCode({ formula: 'a * x', params: { a: 2 } }), 'FormulaTorch', 'torchCode({formula})'],
  ];
  for (const [value, type, where] of rows) assert.deepEqual(summary(check(value, type, where)), [], where);
  assert.notDeepEqual(check({ ...rows[0][0], extra: 1 }, 'FormulaDescription', 'formula'), []);
});
