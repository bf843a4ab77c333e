// Design note: the playground's data as one shape, whatever its source — the engine's seeded sets
// (lab.dataset: the same points in every browser and in Node) or the student's own points — so the
// trainer, the plots and the export never ask where it came from:
//   { task: 'class' | 'reg', dim: 2 | 1, classes, train: {x, y}, test: {x, y} }
// with x a row-major Float64Array (n × dim) and y a Float64Array of class indices or values.
// Own points are a list in the order they were added (the order is the minibatch order), each
// marked train or test by the student; the split of an engine set is the engine's own shuffle.
// CSV is the way in and out for own points (a file, a paste, or the keyboard): x1,x2,class or
// x,y, an optional last column train/test, an optional header line; a line that cannot be read is
// an error naming its line and column, and nothing is taken until the whole text reads.

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
export const MAX_CLASSES = 8;

function toFloat64(v) {
  if (v instanceof Float64Array) return v;
  if (v && v.data) return Float64Array.from(v.data);
  return Float64Array.from((v ?? []).flat(Infinity));
}

// The engine's set (spec: the state's data) in the playground's shape.
export function engineData(lab, spec) {
  const info = lab.datasets().find((d) => d.name === spec.name);
  if (!info) throw new Error(`data: unknown data set '${spec.name}'; one of ${lab.datasets().map((d) => d.name).join(', ')}`);
  const ds = lab.dataset({
    name: spec.name, n: spec.n, noise: spec.noise, trainRatio: spec.split, seed: spec.seed,
    ...(info.classification ? { classes: spec.classes } : {}),
  });
  const dim = info.classification ? 2 : 1;
  const part = (p) => ({ x: toFloat64(p.x), y: toFloat64(p.y) });
  return { task: info.classification ? 'class' : 'reg', dim, classes: info.classification ? ds.classes : 0, train: part(ds.train), test: part(ds.test), info };
}

// Own points ([[x1, x2, c, test], …] or [[x, y, test], …]) in the playground's shape.
export function ownData(points) {
  const dim = points[0].length === 4 ? 2 : 1;
  const sets = { train: [], test: [] };
  for (const p of points) sets[p[p.length - 1] ? 'test' : 'train'].push(p);
  const part = (list) => {
    const x = new Float64Array(list.length * dim);
    const y = new Float64Array(list.length);
    list.forEach((p, i) => {
      for (let d = 0; d < dim; d++) x[i * dim + d] = p[d];
      y[i] = p[dim];
    });
    return { x, y };
  };
  const classes = dim === 2 ? Math.max(2, ...points.map((p) => p[2] + 1)) : 0;
  return { task: dim === 2 ? 'class' : 'reg', dim, classes, train: part(sets.train), test: part(sets.test), info: null };
}

// An engine set turned into own points (to edit it): train points first, then test, each in order.
export function toPoints(data) {
  const out = [];
  for (const [set, test] of [[data.train, false], [data.test, true]]) {
    const n = set.y.length;
    for (let i = 0; i < n; i++) {
      const x = Array.from(set.x.subarray(i * data.dim, (i + 1) * data.dim));
      out.push([...x, set.y[i], test]);
    }
  }
  return out;
}

// ---------------------------------------------------------------- CSV
export class CsvError extends Error {
  constructor(line, column, message) {
    super(`line ${line}${column ? `, column ${column}` : ''}: ${message}`);
    this.line = line;
    this.column = column;
  }
}

const splitLine = (s) => (s.includes(',') ? s.split(',') : s.includes(';') ? s.split(';') : s.includes('\t') ? s.split('\t') : s.trim().split(/\s+/));

// Reads CSV text into own points. Throws CsvError naming the first bad line and column.
export function parseCsv(text) {
  const lines = String(text).split(/\r\n|\n|\r/);
  const points = [];
  let arity = 0;  // numbers per line: 2 (x, y) or 3 (x1, x2, class)
  let first = true;
  for (let li = 0; li < lines.length; li++) {
    const raw = lines[li].trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const fields = splitLine(raw).map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
    const lineNo = li + 1;
    if (first && !NUMBER.test(fields[0])) { first = false; continue; }  // a header line
    first = false;
    let test = false;
    const last = fields[fields.length - 1].toLowerCase();
    if (last === 'train' || last === 'test') { test = last === 'test'; fields.pop(); }
    if (fields.length !== 2 && fields.length !== 3) {
      throw new CsvError(lineNo, 0, `expected x1,x2,class or x,y (and optionally train/test), got ${fields.length} field${fields.length === 1 ? '' : 's'}`);
    }
    if (arity && fields.length !== arity) {
      throw new CsvError(lineNo, 0, `${fields.length} numbers where the lines above have ${arity} (${arity === 3 ? 'x1,x2,class' : 'x,y'})`);
    }
    arity = fields.length;
    const v = fields.map((f, c) => {
      if (!NUMBER.test(f)) throw new CsvError(lineNo, c + 1, `'${f}' is not a number`);
      return Number(f);
    });
    if (arity === 3 && !(Number.isInteger(v[2]) && v[2] >= 0 && v[2] < MAX_CLASSES)) {
      throw new CsvError(lineNo, 3, `the class must be a whole number from 0 to ${MAX_CLASSES - 1}, got '${fields[2]}'`);
    }
    points.push([...v, test]);
  }
  if (!points.length) throw new CsvError(1, 0, 'no points: write one per line as x1,x2,class (classification) or x,y (regression)');
  return points;
}

export function toCsv(points) {
  const dim = points[0]?.length === 4 ? 2 : 1;
  const head = dim === 2 ? 'x1,x2,class,set' : 'x,y,set';
  return [head, ...points.map((p) => [...p.slice(0, -1).map(String), p[p.length - 1] ? 'test' : 'train'].join(','))].join('\n');
}
