// Runs every ```js example of docs/API.md and checks what it prints: a line that calls
// console.log ends in `// → <what it prints>`, and the test compares that text with what the call
// really printed. Printed strings (messages) must match exactly. Anything else is compared token
// by token with Node's own printing of the values (util.format, as console.log does), whitespace
// aside, so `[ 1, 4 ]` and `Float64Array(2) [ 1, 4 ]` are told apart; a number may end in "…",
// meaning the printed number starts with these digits and goes on. Explanations stay plain `//`
// comments without an arrow. Also checks that docs/functions.md is generated from the registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const doc = readFileSync(join(root, 'docs/API.md'), 'utf8');
const blocks = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => ({
  code: m[1],
  line: doc.slice(0, m.index).split('\n').length + 1,  // API.md line of the block's first line
}));

// Tokens of printed text: quoted strings whole, numbers (with an optional "…"), words, and single
// characters; whitespace separates and is dropped.
const TOKEN = /'(?:[^'\\]|\\.)*'|-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?…?|[\w$]+|\S/g;
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/;

// Why `printed` does not read as `expected` (null when it does).
function mismatch(printed, expected, allStrings) {
  if (allStrings) return printed === expected ? null : `printed ${JSON.stringify(printed)}`;
  const got = printed.match(TOKEN) ?? [];
  const want = expected.match(TOKEN) ?? [];
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    const g = got[i];
    const w = want[i];
    if (w !== undefined && w.endsWith('…') && g !== undefined && NUMBER.test(g)) {
      const digits = w.slice(0, -1);
      if (g.startsWith(digits) && /^\d+$/.test(g.slice(digits.length))) continue;
    } else if (g === w) continue;
    return `printed ${JSON.stringify(printed)}: token ${i + 1} is ${g ?? 'missing'}, the comment says ${w ?? 'nothing'}`;
  }
  return null;
}

test('the comparison reads "…" as truncation and nothing else', () => {
  assert.equal(mismatch('Float64Array(3) [ -0.31606027941427883, 0, 2 ]', 'Float64Array(3) [ -0.316…, 0, 2 ]', false), null);
  assert.notEqual(mismatch('[ 0.18393972058572117 ]', '[ 0.184… ]', false), null);     // rounded, not truncated
  assert.notEqual(mismatch('[ 0.5 ]', '[ 0.5… ]', false), null);                          // nothing was cut
  assert.notEqual(mismatch('[ 1 ]', '[ 1 ] 2', false), null);                             // a value too many
  assert.notEqual(mismatch('[ 1.5e-7 ]', '[ 1.5… ]', false), null);                       // the exponent is not a digit
  assert.notEqual(mismatch('Float64Array(1) [ 1 ]', '[ 1 ]', false), null);
  assert.equal(mismatch('a  b', 'a  b', true), null);
  assert.notEqual(mismatch('a  b', 'a b', true), null);                                   // messages: exactly
});

test('docs/API.md has runnable examples that print checked values', () => {
  assert.ok(blocks.length >= 5);
  assert.ok(blocks.reduce((n, b) => n + (b.code.match(/\/\/ → /g) ?? []).length, 0) >= 20);
});

blocks.forEach((block, index) => {
  test(`docs/API.md example ${index + 1} (line ${block.line}) prints what its comments say`, () => {
    const lines = block.code.split('\n');
    const checks = [];
    const source = lines.map((text, i) => {
      const where = `docs/API.md:${block.line + i}`;
      const arrow = text.indexOf('// → ');
      const calls = text.split('console.log(').length - 1;
      if (arrow < 0) {
        assert.equal(calls, 0, `${where}: console.log without a "// → <what it prints>" comment: ${text.trim()}`);
        return text;
      }
      assert.equal(calls, 1, `${where}: a "// →" comment belongs on a line with one console.log: ${text.trim()}`);
      checks.push({ where, line: i, code: text.slice(0, arrow).trim(), expected: text.slice(arrow + 5).trim() });
      return text.replace('console.log(', `__print(${i}, `);
    });
    const dir = mkdtempSync(join(tmpdir(), 'lab-doc-'));
    const file = join(dir, 'example.mjs');
    const out = join(dir, 'printed.json');
    const prelude = [
      "import { format as __format } from 'node:util';",
      "import { writeFileSync as __write } from 'node:fs';",
      'const __printed = [];',
      'const __print = (line, ...args) => { __printed.push({ line, allStrings: args.every((a) => typeof a === "string"), text: __format(...args) }); };',
      `process.on('exit', () => __write(${JSON.stringify(out)}, JSON.stringify(__printed)));`,
    ].join('\n');
    writeFileSync(file, `${prelude}\n${source.join('\n').replaceAll("'./dist/lab.mjs'", JSON.stringify(join(root, 'dist/lab.mjs')))}`);
    execFileSync(process.execPath, [file], { stdio: 'pipe' });
    const printed = JSON.parse(readFileSync(out, 'utf8'));
    const problems = [];
    for (const c of checks) {
      const runs = printed.filter((p) => p.line === c.line);
      if (runs.length !== 1) { problems.push(`${c.where}: ${c.code} printed ${runs.length} times, the comment expects once`); continue; }
      const why = mismatch(runs[0].text, c.expected, runs[0].allStrings);
      if (why) problems.push(`${c.where}: ${c.code} ${why}`);
    }
    assert.deepEqual(problems, []);
  });
});

test('docs/functions.md is generated from the current registry', () => {
  execFileSync(process.execPath, [join(root, 'tools/gen-docs.mjs'), '--check'], { stdio: 'pipe' });
});
