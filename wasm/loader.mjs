// Design note — getting the WebAssembly core running, in browsers (also from file://) and in Node,
// with nothing to fetch. The .wasm travels inside lab_core.mjs, gzip-compressed and
// base64-encoded (tools/pack-wasm.mjs). The platform's DecompressionStream inflates it and
// WebAssembly.compileStreaming compiles the bytes as they come out, on the engine's background
// threads: in Chromium this halves the time from script to a ready lab compared with inflating
// first and compiling after. Emscripten's own loader (createLabCore) then only instantiates the
// module we hand it; a failure to instantiate rejects loadCore() instead of hanging.
import createLabCore, { wasmGzipBase64 } from './lab_core.mjs';

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

const inflated = () => new Blob([fromBase64(wasmGzipBase64)]).stream().pipeThrough(new DecompressionStream('gzip'));

async function compileCore() {
  if (typeof WebAssembly.compileStreaming === 'function' && typeof Response === 'function') {
    try {
      return await WebAssembly.compileStreaming(new Response(inflated(), { headers: { 'Content-Type': 'application/wasm' } }));
    } catch {
      // an engine without streaming compilation of a constructed Response: compile the whole buffer
    }
  }
  return WebAssembly.compile(await new Response(inflated()).arrayBuffer());
}

// Resolves to the Embind module (activation, loss, torchCode, catalog, heapBytes).
export async function loadCore() {
  const module = await compileCore();
  let failed;
  const failure = new Promise((_, reject) => { failed = reject; });
  return Promise.race([
    createLabCore({
      // Emscripten's hook for supplying our own instance; it reports the result through receive().
      instantiateWasm(imports, receive) {
        WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module), (e) => failed(e));
        return {};
      },
    }),
    failure,
  ]);
}
