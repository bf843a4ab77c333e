// Measures what users download: every file in dist/, raw and gzipped (level 9), the page's first
// visit (index.html + app.js + app.css), each part the page loads on demand (dist/app-NAME.js,
// main.js's loadPart: app-losses.js on the Losses tab's first open; app-network.js and app-formula.js
// with app-engine.js, the lab over lab_net that both run on), the JS API module (dist/lab.mjs + dist/lab_net.mjs with
// the wasm inlined), and what each WASM module is made of — lab_core (the page's first visit)
// and lab_net (the same + the network engine): Emscripten's JS loader, the wasm (its packed gzip
// stream against zlib's level 9 on the same bytes) — and the registry's catalog JSON.
// `node tools/size.mjs [--json]`; DIST=dir measures that directory instead of dist/ (a private build).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = resolve(process.env.DIST ?? fileURLToPath(new URL('../dist', import.meta.url)));
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
  const api = pick(['lab.mjs', 'lab_net.mjs']);
  const page = pick(['index.html', 'app.js', 'app.css']);
  const parts = files.filter((f) => /^app-[\w-]+\.js$/.test(f.file))
    .map((f) => ({ name: f.file.slice(4, -3), file: f.file, raw: f.raw, gzip: f.gzip }));
  const moduleOf = (file) => {
    const text = readFileSync(join(dist, file), 'utf8');
    const packed = Buffer.from(/wasmGzipBase64 = "([^"]+)"/.exec(text)[1], 'base64');
    const wasm = gunzipSync(packed);
    const js = Buffer.from(text.slice(0, text.indexOf('export const wasmGzipBase64')));
    return {
      wasm: { raw: wasm.length, packed: packed.length, zlib9: gzipSync(wasm, { level: 9 }).length },
      loader: { raw: js.length, gzip: gzipSync(js, { level: 9 }).length },
    };
  };
  const core = moduleOf('lab_core.mjs');
  return {
    files,
    page: { raw: sum(page, 'raw'), gzip: sum(page, 'gzip') },
    parts,
    api: { raw: sum(api, 'raw'), gzip: sum(api, 'gzip') },
    wasm: core.wasm,
    loader: core.loader,
    net: moduleOf('lab_net.mjs'),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const m = measure();
  if (process.argv.includes('--json')) console.log(JSON.stringify(m, null, 2));
  else {
    const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
    for (const f of m.files) console.log(`${f.file.padEnd(40)} ${kb(f.raw).padStart(10)} ${kb(f.gzip).padStart(10)} gzipped`);
    console.log(`\npage, first visit (index.html + app.js + app.css): ${kb(m.page.raw)} raw, ${kb(m.page.gzip)} gzipped`);
    // What a first use downloads: the part, plus the engine part (the lab over lab_net) for the
    // two that run on it (main.js's USES); the engine is loaded once per page.
    const USE = { losses: ['Losses tab, on first open', []], network: ['Network tab, on first open', ['engine']],
                  formula: ['"Your formula", on first use', ['engine']], engine: ['engine (lab over lab_net; shared)', []] };
    for (const p of m.parts) {
      const [what, more] = USE[p.name] ?? [`part ${p.name}`, []];
      const all = [p, ...more.map((n) => m.parts.find((q) => q.name === n)).filter(Boolean)];
      const total = (k) => all.reduce((a, q) => a + q[k], 0);
      console.log(`${what}: ${all.map((q) => q.file).join(' + ')} ${kb(total('raw'))} raw, ${kb(total('gzip'))} gzipped`);
    }
    console.log(`JS API (lab.mjs + lab_net.mjs, wasm inlined): ${kb(m.api.raw)} raw, ${kb(m.api.gzip)} gzipped`);
    for (const [name, mod] of [['lab_core (the page\'s first visit)', m], ['lab_net (+ the network engine)', m.net]]) {
      console.log(`  ${name}: Emscripten's JS loader ${kb(mod.loader.raw)} raw, ${kb(mod.loader.gzip)} gzipped;`);
      console.log(`    wasm ${kb(mod.wasm.raw)}; packed gzip stream ${kb(mod.wasm.packed)} (zlib level 9 would be ${kb(mod.wasm.zlib9)})`);
    }
    const { default: createLab } = await import(pathToFileURL(join(dist, 'lab.mjs')).href);
    const json = JSON.stringify((await createLab()).catalog());
    console.log(`  registry catalog (names, parameters, formulas, notes) as JSON: ${kb(Buffer.byteLength(json))}`);
  }
}
