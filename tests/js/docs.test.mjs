// Runs every ```js example of docs/API.md, so the documentation stays runnable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const doc = readFileSync(join(root, 'docs/API.md'), 'utf8');
const blocks = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

test('docs/API.md has runnable examples', () => assert.ok(blocks.length >= 5));

blocks.forEach((code, i) => {
  test(`docs/API.md example ${i + 1} runs`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-doc-'));
    const file = join(dir, 'example.mjs');
    writeFileSync(file, code.replaceAll("'./dist/lab.mjs'", JSON.stringify(join(root, 'dist/lab.mjs'))));
    execFileSync(process.execPath, [file], { stdio: 'pipe' });
  });
});

test('docs/functions.md is generated from the current registry', () => {
  execFileSync(process.execPath, [join(root, 'tools/gen-docs.mjs'), '--check'], { stdio: 'pipe' });
});
