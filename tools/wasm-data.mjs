// Design note: one data segment instead of a thousand, for a smaller gzip stream. wasm-opt's
// memory packing (Emscripten's -O2 link) cuts the linker's data into a segment between every run
// of zero bytes, ~1,200 for lab_core: it saves the zeros in the raw file, but each cut costs a
// segment header whose offset the compressor cannot predict, and deflate stores runs of zeros
// almost for free. mergeDataSegments() writes the same initial memory as ONE active segment
// (the zeros between the old ones included): zopfli's stream for lab_core is ~3.8 KB smaller.
// Nothing else changes: every other section is copied byte for byte, the memory image is
// checked to be the old one, and the module must validate. It refuses what it does not know
// (a passive segment or a data-count section, i.e. bulk memory; an offset that is not an
// i32.const; overlapping segments) rather than guess. Used by tools/pack-wasm.mjs.

const uleb = (n) => {
  const out = [];
  do { let b = n & 127; n >>>= 7; if (n) b |= 128; out.push(b); } while (n);
  return Buffer.from(out);
};
const sleb = (n) => {
  const out = [];
  for (;;) {
    const b = n & 127;
    n >>= 7;
    if ((n === 0 && !(b & 64)) || (n === -1 && (b & 64))) { out.push(b); return Buffer.from(out); }
    out.push(b | 128);
  }
};

// The segments of a data section's body: [{ offset, bytes }].
function readSegments(body) {
  let p = 0;
  const u = () => { let r = 0; let s = 0; let b; do { b = body[p++]; r += (b & 127) * 2 ** s; s += 7; } while (b & 128); return r; };
  const s32 = () => { let r = 0; let s = 0; let b; do { b = body[p++]; r |= (b & 127) << s; s += 7; } while (b & 128); return s < 32 && (b & 64) ? r | (-1 << s) : r; };
  const segments = [];
  for (let i = 0, n = u(); i < n; i++) {
    const mode = u();
    if (mode !== 0) throw new Error(`data segment ${i}: mode ${mode} (passive or with a memory index), not merged`);
    if (body[p++] !== 0x41) throw new Error(`data segment ${i}: its offset is not an i32.const`);
    const offset = s32();
    if (body[p++] !== 0x0b) throw new Error(`data segment ${i}: its offset is not a constant expression`);
    const size = u();
    segments.push({ offset, bytes: body.subarray(p, p + size) });
    p += size;
  }
  if (p !== body.length) throw new Error('data section: trailing bytes');
  return segments;
}

// The sections of a module: [{ id, start, body }] (start: where the section's id byte is).
function sections(wasm) {
  if (wasm.readUInt32LE(0) !== 0x6d736100 || wasm.readUInt32LE(4) !== 1) throw new Error('not a WebAssembly module (version 1)');
  const out = [];
  for (let p = 8; p < wasm.length;) {
    const start = p;
    const id = wasm[p++];
    let size = 0;
    for (let s = 0, b; ; s += 7) { b = wasm[p++]; size += (b & 127) * 2 ** s; if (!(b & 128)) break; }
    out.push({ id, start, body: wasm.subarray(p, p + size) });
    p += size;
  }
  return out;
}

// wasm: a Buffer holding a module. Returns { wasm, before, after } (data segment counts).
export function mergeDataSegments(wasm) {
  const all = sections(wasm);
  if (all.some((s) => s.id === 12)) throw new Error('a data-count section (bulk memory): segments not merged');
  const data = all.find((s) => s.id === 11);
  if (!data) return { wasm, before: 0, after: 0 };
  const segments = readSegments(data.body).sort((a, b) => a.offset - b.offset);
  const lo = segments[0].offset;
  const last = segments.at(-1);
  const image = Buffer.alloc(last.offset + last.bytes.length - lo);
  let reach = lo;
  for (const s of segments) {
    if (s.offset < reach) throw new Error(`data segments overlap at ${s.offset}`);
    s.bytes.copy(image, s.offset - lo);
    reach = s.offset + s.bytes.length;
  }
  const body = Buffer.concat([uleb(1), Buffer.from([0, 0x41]), sleb(lo), Buffer.from([0x0b]), uleb(image.length), image]);
  const dataEnd = data.body.byteOffset - wasm.byteOffset + data.body.length;
  const out = Buffer.concat([wasm.subarray(0, data.start), Buffer.from([11]), uleb(body.length), body, wasm.subarray(dataEnd)]);
  // the new module's memory image is the old one, byte for byte (zeros where no segment was)
  const merged = readSegments(sections(out).find((s) => s.id === 11).body);
  if (merged.length !== 1 || merged[0].offset !== lo || !merged[0].bytes.equals(image)) throw new Error('merged data segment differs from the image');
  for (const s of segments) {
    if (!image.subarray(s.offset - lo, s.offset - lo + s.bytes.length).equals(s.bytes)) throw new Error(`segment at ${s.offset} lost`);
  }
  if (!WebAssembly.validate(out)) throw new Error('the module with merged data segments does not validate');
  return { wasm: out, before: segments.length, after: 1 };
}
