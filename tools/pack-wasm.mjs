// Writes dist/lab_core.mjs: Emscripten's loader for the core, followed by the .wasm itself,
// gzip-compressed and base64-encoded (`export const wasmGzipBase64`). wasm/loader.mjs inflates it
// with the platform's DecompressionStream, compiles it while it inflates and hands the instance
// to the loader, so the module needs no fetch (Node, file:// pages) and gzips ~40 KB smaller than
// Emscripten's plain base64 SINGLE_FILE. The gzip stream is written by Debian's zopfli (installed
// by tools/deps.sh): a standard gzip stream, ~5% smaller than zlib's level 9 (`node tools/size.mjs`
// prints both), which leaves room in the page's 200 KB budget. Without zopfli it
// falls back to zlib and says so. Before it is compressed, the module's ~1,200 data segments
// become one (tools/wasm-data.mjs: the same memory image; ~3.8 KB less in lab_core's stream).
// Usage: node tools/pack-wasm.mjs build/wasm/lab_core.mjs dist/lab_core.mjs
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { mergeDataSegments } from './wasm-data.mjs';

const [input, output] = process.argv.slice(2);
const loader = readFileSync(input, 'utf8');
const { wasm } = mergeDataSegments(readFileSync(input.replace(/\.mjs$/, '.wasm')));
const scratch = mkdtempSync(join(tmpdir(), 'pack-wasm-'));
const wasmPath = join(scratch, 'module.wasm');
writeFileSync(wasmPath, wasm);
let packed;
try {
  packed = execFileSync('zopfli', ['--i15', '-c', wasmPath], { maxBuffer: 64 << 20 });
  if (!gunzipSync(packed).equals(wasm)) throw new Error('zopfli output does not inflate to the module');
} catch (e) {
  console.warn(`pack-wasm: zopfli unavailable (${e.message.split('\n')[0]}); using zlib level 9, ~6 KB larger`);
  packed = gzipSync(wasm, { level: 9 });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
writeFileSync(output, `${loader}\nexport const wasmGzipBase64 = "${packed.toString('base64')}";\n`);
