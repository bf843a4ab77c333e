// Measures what users download: every file in dist/, raw and gzipped (level 9), and the JS API
// module (dist/lab.mjs + dist/lab_core.mjs with the wasm inlined). `node tools/size.mjs [--json]`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else {
      const body = readFileSync(p);
      files.push({ file: relative(dist, p), raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
    }
  }
})(dist);

export function measure() {
  const pick = (names) => files.filter((f) => names.includes(f.file));
  const sum = (list, k) => list.reduce((a, f) => a + f[k], 0);
  const api = pick(['lab.mjs', 'lab_core.mjs']);
  return { files, api: { raw: sum(api, 'raw'), gzip: sum(api, 'gzip') } };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const m = measure();
  if (process.argv.includes('--json')) console.log(JSON.stringify(m, null, 2));
  else {
    const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
    for (const f of m.files) console.log(`${f.file.padEnd(40)} ${kb(f.raw).padStart(10)} ${kb(f.gzip).padStart(10)} gzipped`);
    console.log(`\nJS API (lab.mjs + lab_core.mjs, wasm inlined): ${kb(m.api.raw)} raw, ${kb(m.api.gzip)} gzipped`);
  }
}
