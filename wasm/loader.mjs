// Design note — getting the WebAssembly core running, in browsers (also from file://) and in Node,
// with nothing to fetch. The .wasm travels inside its module file (lab_core.mjs, lab_net.mjs), gzip-compressed and
// base64-encoded (tools/pack-wasm.mjs). The platform's DecompressionStream inflates it and
// WebAssembly.compileStreaming compiles the bytes as they come out, on the engine's background
// threads: in Chromium this halves the time from script to a ready lab compared with inflating
// first and compiling after. Emscripten's own loader (the module's factory) then only
// instantiates the module we hand it; a failure to instantiate rejects loadModule() instead of
// hanging. Which module (lab_core or lab_net, tools/pack-wasm.mjs writes both the same way) is
// the caller's choice: this file imports neither, so a bundle holds only the one it is given.

// A plain table-driven base64 decoder: ~20x faster than atob() + Uint8Array.from on 160 KB.
function fromBase64(text) {
  const table = new Uint8Array(128);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) table[alphabet.charCodeAt(i)] = i;
  let end = text.length;
  while (text[end - 1] === '=') end--;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 4 <= end; i += 4) {
    const n = (table[text.charCodeAt(i)] << 18) | (table[text.charCodeAt(i + 1)] << 12) |
      (table[text.charCodeAt(i + 2)] << 6) | table[text.charCodeAt(i + 3)];
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  if (end - i >= 2) {
    const n = (table[text.charCodeAt(i)] << 18) | (table[text.charCodeAt(i + 1)] << 12) |
      (end - i === 3 ? table[text.charCodeAt(i + 2)] << 6 : 0);
    out[o++] = n >> 16;
    if (end - i === 3) out[o++] = (n >> 8) & 255;
  }
  return out;
}

const inflated = (wasmGzipBase64) => new Blob([fromBase64(wasmGzipBase64)]).stream().pipeThrough(new DecompressionStream('gzip'));

async function compileModule(wasmGzipBase64) {
  if (typeof WebAssembly.compileStreaming === 'function' && typeof Response === 'function') {
    try {
      return await WebAssembly.compileStreaming(new Response(inflated(wasmGzipBase64), { headers: { 'Content-Type': 'application/wasm' } }));
    } catch {
      // an engine without streaming compilation of a constructed Response: compile the whole buffer
    }
  }
  return WebAssembly.compile(await new Response(inflated(wasmGzipBase64)).arrayBuffer());
}

// Resolves to the Embind module (activation, loss, torchCode, catalog, heapBytes; lab_net adds
// the net*, mf* and dataset* functions) of a packed module given as its namespace object:
// `import * as labNet from './lab_net.mjs'` → loadModule(labNet). The compiled
// WebAssembly.Module is kept as the result's `wasmModule`; given one instead of the base64
// ({default: factory, wasmModule}), nothing is compiled: a Web Worker gets the page's module by
// postMessage and the Emscripten glue alone (the depth view's worker, web/src/net-depth-worker.js).
export async function loadModule({ default: factory, wasmGzipBase64, wasmModule }) {
  const given = typeof WebAssembly.Module === 'function' && wasmModule instanceof WebAssembly.Module;
  if (typeof factory !== 'function' || (typeof wasmGzipBase64 !== 'string' && !given)) {
    throw new Error('loadModule: expected a packed lab module (its default export and wasmGzipBase64), e.g. import * as m from "./lab_net.mjs", or {default, wasmModule} with a compiled WebAssembly.Module');
  }
  const module = given ? wasmModule : await compileModule(wasmGzipBase64);
  let failed;
  const failure = new Promise((_, reject) => { failed = reject; });
  const core = await Promise.race([
    factory({
      // Emscripten's hook for supplying our own instance; it reports the result through receive().
      instantiateWasm(imports, receive) {
        WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module), (e) => failed(e));
        return {};
      },
    }),
    failure,
  ]);
  core.wasmModule = module;
  return core;
}
