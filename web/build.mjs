// Design note: builds the page from web/ into dist/ (run by tools/build.sh after it has put the
// lab module in dist/). Steps:
//   1. load the lab in Node and typeset every registry formula with KaTeX into MathML, which
//      every current browser renders natively: the page ships neither KaTeX's JavaScript nor
//      its CSS and fonts, and screen readers read the formulas;
//   2. bundle web/src/main.js with the lab (wasm/lab.mjs's sources + the WASM inlined in
//      dist/lab_core.mjs) and uPlot into ONE classic script, dist/app.js — browsers refuse
//      ES-module imports from file://, a classic script works everywhere — plus dist/app.css;
//      then each part that main.js loads on demand (loadPart(name), PARTS below) into a classic
//      script of its own, dist/app-NAME.js. A part bundles only its own modules: an import of a
//      module app.js already holds (SHARED) resolves to the module object app.js publishes on
//      globalThis.__activationLossLab.modules, so the lab, the state and the helpers exist once.
//      The build stops if a web/src module would end up in both scripts;
//   3. copy the HTML pages;
//   4. report the first-visit size (index.html + app.js + app.css) and each part's, gzipped.
// LAB_MODULE=path overrides the lab module (default dist/lab.mjs): the formulas' catalog and the
// Network part read it, app.js the lab_core.mjs beside it. DIST=dir writes the page there instead
// of dist/ (and esbuild's metafiles to dir.meta/ instead of build/web/), for a private build beside
// the tree's: `DIST=/tmp/x-dist LAB_MODULE=/tmp/x-dist/lab.mjs node web/build.mjs`.
import * as esbuild from 'esbuild';
import katex from 'katex';
import { mkdir, readFile, writeFile, copyFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { textKey } from './src/util.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const dist = resolve(process.env.DIST ?? join(root, 'dist'));
const metaDir = process.env.DIST ? `${dist}.meta` : join(root, 'build/web');
const labModule = resolve(process.env.LAB_MODULE ?? join(dist, 'lab.mjs'));
const quiet = process.argv.includes('--quiet');
const log = (...a) => { if (!quiet) console.log(...a); };

if (!existsSync(labModule)) {
  console.error(`web/build.mjs: ${labModule} does not exist; run tools/build.sh (it builds the lab first)`);
  process.exit(1);
}
await mkdir(dist, { recursive: true });

// ---------------------------------------------------------------- 1. formulas
const { default: createLab } = await import(pathToFileURL(labModule).href);
const lab = await createLab();
const catalog = lab.catalog();
// the activations' formulas travel in app.js, the losses' in the Losses tab's part (app-losses.js)
const formulas = {};
const lossFormulas = {};
let bad = 0;
for (const spec of [...catalog.activations, ...catalog.losses]) {
  const table = spec.kind === 'loss' ? lossFormulas : formulas;
  try {
    // the TeX annotation would only repeat the registry's text: dropped to keep the bundle small
    // keyed by name with a fingerprint of the LaTeX (formulas.js), not by the LaTeX itself
    table[spec.name] = [textKey(spec.formula), katex.renderToString(spec.formula, { displayMode: true, throwOnError: true, output: 'mathml', strict: false })
      .replace(/<annotation encoding="application\/x-tex">[\s\S]*?<\/annotation>/, '')
      .replace(/<semantics>([\s\S]*)<\/semantics>/, '$1')
      // KaTeX's wrapper span and the namespace (the HTML parser puts <math> in it) carry nothing
      .replace(/^<span class="katex">([\s\S]*)<\/span>$/, '$1').replace(' xmlns="http://www.w3.org/1998/Math/MathML"', '')];
  } catch (e) {
    bad++;
    console.warn(`web/build.mjs: KaTeX cannot typeset the formula of ${spec.name}: ${e.message}`);
  }
}
log(`formulas: ${Object.keys(formulas).length + Object.keys(lossFormulas).length} typeset${bad ? `, ${bad} failed (shown as LaTeX source)` : ''}`);

// ---------------------------------------------------------------- 2. bundle
// The parts main.js loads on demand (loadPart): entry module and the web/src modules only that
// part uses. Every other web/src module a part imports must be in SHARED: app.js bundles it and
// publishes its module object (virtual:shared-modules, read by main.js).
// `own` is a list of modules or a pattern: the Network tab's part owns every net-*.js (the depth
// view's and the training view's files) and brings its stylesheet as text; the explorer's "Your
// formula" part owns every formula-*.js (not formulas.js, the shared typeset formulas). Both run
// on the lab over lab_net, which only the 'engine' part bundles (`lab: true`: dist/lab.mjs as is,
// its ./lab_net.mjs import not redirected to lab_core), so the engine loads once per page
// whichever of the two needs it first; the build stops if another part bundles the lab.
const PARTS = {
  losses: { entry: 'part-losses.js', own: ['losses.js', 'worked.js', 'losscurve.js', 'snippet.js', 'tensorview.js'] },
  engine: { entry: 'part-engine.js', own: [], lab: true },
  network: { entry: 'part-network.js', own: /^net-[\w-]+\.js$/, uses: ['engine'] },
  formula: { entry: 'part-formula.js', own: /^formula-[\w-]+\.js$/, uses: ['engine'] },
};
const owns = (part, m) => (part.own instanceof RegExp ? part.own.test(m) : part.own.includes(m));
const SHARED = ['util.js', 'params.js', 'plot.js', 'export.js', 'state.js', 'palette.js', 'info.js', 'formulas.js',
  'explorer.js', 'vector.js', 'teach.js', 'scope.js'];
const NS = 'globalThis.__activationLossLab';
const virtualFormulas = {
  name: 'virtual-formulas',
  setup(b) {
    b.onResolve({ filter: /^virtual:(formulas|formulas-losses|shared-modules)$/ }, (a) => ({ path: a.path.slice(8), namespace: 'virtual' }));
    b.onLoad({ filter: /.*/, namespace: 'virtual' }, (a) => (a.path === 'shared-modules'
      ? {
        contents: `${SHARED.map((m, i) => `import * as m${i} from './${m}';`).join('\n')}\nexport default {${SHARED.map((m, i) => `${JSON.stringify(m)}: m${i}`).join(', ')}};`,
        resolveDir: join(web, 'src'),
        loader: 'js',
      }
      : { contents: JSON.stringify(a.path === 'formulas' ? formulas : lossFormulas), loader: 'json' }));
  },
};
// In a part's bundle: an import of a SHARED module is app.js's published module object.
const sharedModules = {
  name: 'shared-modules',
  setup(b) {
    b.onResolve({ filter: /^\.\/[\w-]+\.js$/ }, (a) => {
      const name = a.path.slice(2);
      if (resolve(a.resolveDir) !== join(web, 'src') || !SHARED.includes(name)) return undefined;
      return { path: name, namespace: 'shared' };
    });
    b.onLoad({ filter: /.*/, namespace: 'shared' }, (a) => ({
      contents: `module.exports = ${NS}.modules[${JSON.stringify(a.path)}];`, loader: 'js',
    }));
  },
};
// uPlot creates two Intl formatters when its module loads. The first Intl use in a page loads
// ICU's locale and time-zone data: 30-45 ms before anything else can run (measured in headless
// Chromium). Both serve only time axes and uPlot's own legend, which the page does not use, so
// they are made lazy here. The build stops if uPlot's source no longer matches.
const LAZY_INTL = [
  ["const numFormatter = new Intl.NumberFormat(domEnv ? nav.language : 'en-US');\nconst fmtNum = val => numFormatter.format(val);",
    "let numFormatter;\nconst fmtNum = val => (numFormatter ??= new Intl.NumberFormat(domEnv ? nav.language : 'en-US')).format(val);"],
  ['const localTz = new Intl.DateTimeFormat().resolvedOptions().timeZone;',
    'let localTz_;\nconst localTzOf = () => (localTz_ ??= new Intl.DateTimeFormat().resolvedOptions().timeZone);'],
  ['else if (tz == localTz)', 'else if (tz == localTzOf())'],
];
const lazyIntl = {
  name: 'uplot-lazy-intl',
  setup(b) {
    b.onLoad({ filter: /uPlot\.esm\.js$/ }, async (a) => {
      let src = await readFile(a.path, 'utf8');
      for (const [from, to] of LAZY_INTL) {
        if (!src.includes(from)) throw new Error(`web/build.mjs: uPlot changed, cannot make Intl lazy (missing: ${from.split('\n')[0]})`);
        src = src.replace(from, to);
      }
      if (/^const \w+ = new Intl\./m.test(src)) throw new Error('web/build.mjs: uPlot creates another Intl object at load time');
      return { contents: src, loader: 'js' };
    });
  },
};
// A part's stylesheet (the Network tab's net*.css) is imported as minified text, which the part
// adds to the document itself: a classic script cannot bring a .css file along.
const cssText = {
  name: 'css-text',
  setup(b) {
    b.onLoad({ filter: /[\\/](net|formula)[\w-]*\.css$/ }, async (a) => {
      const { code } = await esbuild.transform(await readFile(a.path, 'utf8'), { loader: 'css', minify: true });
      return { contents: `export default ${JSON.stringify(code)};`, loader: 'js' };
    });
  },
};
const common = {
  bundle: true,
  format: 'iife',
  minify: true,
  target: ['chrome100', 'firefox100', 'safari15'],
  outdir: dist,
  alias: { 'lab-module': labModule },
  define: { 'import.meta.url': 'document.baseURI' },
  legalComments: 'eof',
  metafile: true,
  logLevel: quiet ? 'error' : 'warning',
};
// app.js carries the lab over the WASM module without the network engine, bundled from the JS
// API's sources (wasm/lab.mjs, the same code dist/lab.mjs is bundled from): its import of
// ./lab_net.mjs resolves to the lab_core.mjs beside the lab module, and its import of
// ./network.mjs to network-absent.mjs, so neither the engine nor its wrapper is in the first
// visit; the Network tab's part brings lab_net and the whole dist/lab.mjs itself.
const coreOnly = {
  name: 'lab-core-only',
  setup(b) {
    b.onResolve({ filter: /^lab-module$/ }, () => ({ path: join(root, 'wasm/lab.mjs') }));
    b.onResolve({ filter: /^\.\/lab_net\.mjs$/ }, () => ({ path: join(dirname(labModule), 'lab_core.mjs') }));
    b.onResolve({ filter: /^\.\/network\.mjs$/ }, () => ({ path: join(root, 'wasm/network-absent.mjs') }));
    b.onResolve({ filter: /^\.\/formula\.mjs$/ }, () => ({ path: join(root, 'wasm/formula-absent.mjs') }));
  },
};
const { alias: _alias, ...appCommon } = common;
const result = await esbuild.build({ ...appCommon, entryPoints: { app: join(web, 'src/main.js') }, plugins: [virtualFormulas, lazyIntl, coreOnly] });
const LAB_NET = /(^|\/)(network\.mjs|formula\.mjs|lab_net\.mjs|lab\.mjs)$/;
if (Object.keys(result.metafile.inputs).some((p) => LAB_NET.test(p) && !p.endsWith('wasm/lab.mjs')))
  throw new Error('web/build.mjs: app.js bundles the network or formula engine or its wrapper; the first visit must not');
const srcOf = (meta) => Object.keys(Object.values(meta.outputs).find((o) => o.entryPoint).inputs)
  .filter((p) => p.startsWith('web/src/') && p.endsWith('.js')).map((p) => p.slice(8));
const inApp = new Set(srcOf(result.metafile));
// The depth view's Web Worker (web/src/net-depth-worker.js): the lab wrapper (dist/lab.mjs), the
// Emscripten glue of lab_net WITHOUT its base64 wasm (the page posts the worker its compiled
// WebAssembly.Module: lab.wasmModule), net-depth-model.js and the message loop, as one IIFE whose
// source the network part embeds as a string ('virtual:depth-worker', read by net-depth-pool.js,
// which starts it from a Blob URL: from file:// too, and nothing is fetched).
const labNetFile = join(dirname(labModule), 'lab_net.mjs');
const glueOnly = {
  name: 'lab-glue-only',
  setup(b) {
    b.onResolve({ filter: /^(\.\/lab_net\.mjs|lab-net-glue)$/ }, () => ({ path: 'lab_net-glue', namespace: 'glue' }));
    b.onLoad({ filter: /.*/, namespace: 'glue' }, () => ({ contents: `export { default } from ${JSON.stringify(labNetFile)};`, resolveDir: dirname(labNetFile), loader: 'js' }));
  },
};
const workerBuild = await esbuild.build({
  ...common, entryPoints: { 'depth-worker': join(web, 'src/net-depth-worker.js') }, write: false,
  // (the glue only names its .wasm beside this URL, never fetched: the module comes compiled; a
  // blob: URL is no base for new URL(), so a placeholder)
  define: { 'import.meta.url': '"https://depth-worker.invalid/"' }, plugins: [glueOnly],
});
const workerSource = workerBuild.outputFiles.find((f) => f.path.endsWith('.js')).text;
{
  const m = /wasmGzipBase64\s*=\s*"([A-Za-z0-9+/]{64})/.exec(await readFile(labNetFile, 'utf8'));
  if (!m || workerSource.includes(m[1])) throw new Error('web/build.mjs: the depth worker carries the base64 wasm (or lab_net.mjs changed form); it must get the compiled module');
}
const depthWorker = {
  name: 'depth-worker',
  setup(b) {
    b.onResolve({ filter: /^virtual:depth-worker$/ }, () => ({ path: 'depth-worker', namespace: 'depth-worker' }));
    b.onLoad({ filter: /.*/, namespace: 'depth-worker' }, () => ({ contents: `export default ${JSON.stringify(workerSource)};`, loader: 'js' }));
  },
};
const partResults = {};
for (const [name, part] of Object.entries(PARTS)) {
  const r = await esbuild.build({ ...common, entryPoints: { [`app-${name}`]: join(web, 'src', part.entry) }, plugins: [virtualFormulas, sharedModules, cssText, depthWorker] });
  for (const m of srcOf(r.metafile)) {
    if (inApp.has(m)) throw new Error(`web/build.mjs: ${m} is in app.js and in app-${name}.js; add it to SHARED`);
    if (m !== part.entry && !owns(part, m)) throw new Error(`web/build.mjs: app-${name}.js bundles ${m}, listed neither in SHARED nor as the part's own`);
  }
  for (const m of inApp) if (owns(part, m)) throw new Error(`web/build.mjs: ${m} belongs to the ${name} part but app.js bundles it`);
  const labIn = Object.keys(r.metafile.inputs).some((p) => LAB_NET.test(p));
  if (labIn !== !!part.lab) throw new Error(`web/build.mjs: app-${name}.js ${labIn ? 'bundles the lab: only the engine part may (one lab_net per page)' : 'lacks the lab'}`);
  partResults[name] = r;
}
await mkdir(metaDir, { recursive: true });
await writeFile(join(metaDir, 'meta.json'), JSON.stringify(result.metafile));
for (const [name, r] of Object.entries(partResults)) await writeFile(join(metaDir, `meta-${name}.json`), JSON.stringify(r.metafile));

// ---------------------------------------------------------------- 3. static files
for (const page of ['index.html', 'embed-example.html']) await copyFile(join(web, page), join(dist, page));

// ---------------------------------------------------------------- 4. size report
const first = ['index.html', 'app.js', 'app.css'];
await rm(join(dist, 'katex'), { recursive: true, force: true });  // left by older builds
let raw = 0;
let gz = 0;
for (const f of first) {
  const b = await readFile(join(dist, f));
  raw += b.length;
  gz += gzipSync(b, { level: 9 }).length;
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
log(`web: first visit (index.html + app.js + app.css) = ${kb(raw)} raw, ${kb(gz)} gzipped`);
// The first visit's budget (README "Speed and size"): a build over it fails, so CI catches it.
const FIRST_VISIT_BUDGET_GZ = 200 * 1024;
if (gz > FIRST_VISIT_BUDGET_GZ) {
  console.error(`web/build.mjs: the first visit is ${kb(gz)} gzipped, over its budget of ${kb(FIRST_VISIT_BUDGET_GZ)}`);
  process.exitCode = 1;
}
// What each script is made of (minified bytes, from esbuild's metafile).
const makeup = (meta) => {
  const parts = { 'lab module': 0, uPlot: 0, formulas: 0, 'page code': 0, 'shared-module links': 0, other: 0 };
  for (const [path, { bytesInOutput }] of Object.entries(Object.values(meta.outputs).find((o) => o.entryPoint).inputs)) {
    const key = /lab(_core|_net)?\.mjs$/.test(path) || path.startsWith('wasm/') ? 'lab module' : /uplot/i.test(path) ? 'uPlot'
      : /^virtual:formulas/.test(path) ? 'formulas' : path.startsWith('web/src/') || path === 'virtual:shared-modules' ? 'page code'
        : path.startsWith('shared:') ? 'shared-module links' : 'other';
    parts[key] += bytesInOutput;
  }
  return Object.entries(parts).filter(([, v]) => v).map(([k, v]) => `${k} ${kb(v)}`).join(', ');
};
log(`web: app.js = ${makeup(result.metafile)}`);
log(`web: the depth view's worker (in app-network.js as a string) = ${kb(workerSource.length)} raw, ${kb(gzipSync(workerSource, { level: 9 }).length)} gzipped`);
const gzOf = async (name) => gzipSync(await readFile(join(dist, `app-${name}.js`)), { level: 9 }).length;
for (const [name, r] of Object.entries(partResults)) {
  const b = await readFile(join(dist, `app-${name}.js`));
  log(`web: part ${name}: app-${name}.js = ${kb(b.length)} raw, ${kb(await gzOf(name))} gzipped (${makeup(r.metafile)})`);
}
// what a first use downloads: the part and the parts it runs on (each once per page)
for (const [name, part] of Object.entries(PARTS)) {
  if (!part.uses) continue;
  const files = [name, ...part.uses];
  let total = 0;
  for (const f of files) total += await gzOf(f);
  log(`web: ${name} part, on first use: ${files.map((f) => `app-${f}.js`).join(' + ')} = ${kb(total)} gzipped`);
}
