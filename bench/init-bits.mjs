// Design note: a fingerprint of the initial weights, so that a change to the generator or to
// init_linears can be held to the build before it bit for bit in WebAssembly (musl's log/sin/cos
// included), where the native tests cannot look. For each network below (seeds × every init scheme
// × shapes that reach normal_'s serial path, its tail block and whole blocks, with and without
// bias), the SHA-256 of every weight's and bias's float64 bytes in parameters() order, printed as
// JSON {name: hash}. `node bench/init-bits.mjs [path/to/lab.mjs]` (default dist/lab.mjs);
// tests/js/network-init.test.mjs holds the table this printed for the build before the change.
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';

export const SHAPES = { small: [3, 5, 4, 1], tails: [5, 64, 33, 17, 3], deep: Array(7).fill(256) };
export const SEEDS = [0, 1, 42, 4294967297];
const DEEP_SEEDS = [0, 7];  // (parameters() of 390k weights is most of the time)
export const INITS = {
  default: undefined,
  xavier_uniform: { weight: 'xavier_uniform', params: { gain: 1.7 } },
  xavier_normal: { weight: 'xavier_normal', params: {} },
  kaiming_uniform: { weight: 'kaiming_uniform', params: { nonlinearity: 'relu' }, bias: 'zeros' },
  kaiming_normal: { weight: 'kaiming_normal', params: { a: 0.2, mode: 'fan_out' } },
  normal: { weight: 'normal', params: { std: 0.06 }, bias: 'zeros' },
  normal_wide: { weight: 'normal', params: { std: 0.11 }, bias: 'zeros' },
  normal_mean: { weight: 'normal', params: { mean: 0.3, std: 0.2 } },
  uniform: { weight: 'uniform', params: { a: -0.2, b: 0.5 } },
  uniform_01: { weight: 'uniform', params: {} },
  siren: { weight: 'siren', params: { w0: 30 } },
  constant: { weight: 'constant', params: { val: 0.25 } },
};

// The networks in the order given: `order` 'key' makes one (seed, shape, bias) after another with
// every init (the memo's hits), 'init' one init after another over every key (always a new key).
export function cases(order) {
  const keys = [];
  for (const [shape, sizes] of Object.entries(SHAPES))
    for (const bias of shape === 'small' ? [true, false] : [true])
      for (const seed of shape === 'deep' ? DEEP_SEEDS : SEEDS) keys.push({ name: `${shape}${bias ? '' : '-nobias'}/${seed}`, sizes, bias, seed });
  const out = [];
  if (order === 'key') for (const k of keys) for (const init of Object.keys(INITS)) out.push({ k, init });
  else for (const init of Object.keys(INITS)) for (const k of keys) out.push({ k, init });
  return out.map(({ k, init }) => ({
    name: `${k.name}/${init}`,
    spec: { sizes: k.sizes, bias: k.bias, seed: k.seed, activation: 'Tanh', ...(INITS[init] ? { init: INITS[init] } : {}) },
  }));
}

export function weightsHash(net) {
  const h = createHash('sha256');
  for (const { weight, bias } of net.parameters()) {
    h.update(new Uint8Array(Float64Array.from(weight.flat()).buffer));
    if (bias) h.update(new Uint8Array(Float64Array.from(bias).buffer));
  }
  return h.digest('hex').slice(0, 16);
}

export function hashes(lab, order) {
  const out = {};
  for (const { name, spec } of cases(order)) {
    const net = lab.network(spec);
    out[name] = weightsHash(net);
    net.delete();
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = process.argv[2] ? pathToFileURL(process.argv[2]).href : new URL('../dist/lab.mjs', import.meta.url).href;
  const { default: createLab } = await import(url);
  console.log(JSON.stringify(hashes(await createLab(), 'init'), null, 1));
}
