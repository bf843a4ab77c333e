// net.reinitialize({seed, init}) through the JS API: the depth view's seed or init change without
// a new network (its pass storage kept). The claim is "a fresh lab.network(spec with this seed and
// init)", so every comparison is bit for bit (assert.deepEqual on Float64Arrays; NaN equals NaN):
// parameters, a gradients() pass and its statistics, a pass in blocks, a training step. Then what
// callers rely on: fields left out kept, init null = reset_parameters() only, bad calls refused
// naming the field with the constructor's words (and nothing changed), a stale pass refused, the
// heap flat over 200 alternations, and the depth page's DepthRun drawing into the same network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lab } from './reference.mjs';
import { DepthRun, useNetworkCatalog, networkSpec } from '../../web/src/net-depth-model.js';

const W = 9;
const N = 13;
const X = { shape: [N, W], data: Float64Array.from({ length: N * W }, (_, i) => Math.sin(0.9 * i) * 1.4) };
const T = { shape: [N, W], data: Float64Array.from({ length: N * W }, (_, i) => Math.cos(0.3 * i)) };
const OPTIONS = { bins: 12, saturation: 0.05, shared: true };
const base = (over = {}) => ({
  sizes: [W, W, W, W], activation: 'Tanh', output: 'Tanh', seed: 1,
  loss: { name: 'MSELoss', params: { reduction: 'sum' } }, optimizer: { name: 'Adam', params: { lr: 0.01 } }, ...over,
});

// Everything a fresh network of `spec` gives, against `net`.
function assertAsFresh(net, spec, why = '') {
  const fresh = lab.network(spec);
  try {
    assert.deepEqual(net.parameters({ flat: true }), fresh.parameters({ flat: true }), why);
    assert.equal(net.steps, 0);
    const a = net.gradients({ input: X, target: T }), b = fresh.gradients({ input: X, target: T });
    assert.equal(a.loss, b.loss);
    assert.deepEqual(a.grads, b.grads);
    assert.deepEqual(net.statistics(OPTIONS), fresh.statistics(OPTIONS));
    const p = net.pass({ input: X, target: T, weights: false });
    p.advance(4);
    p.advance(N);
    const q = fresh.pass({ input: X, target: T, weights: false });
    q.advance(N);
    assert.deepEqual(p.statistics(OPTIONS), q.statistics(OPTIONS));
    assert.equal(net.step({ input: X, target: T }).loss, fresh.step({ input: X, target: T }).loss);
    assert.deepEqual(net.parameters({ flat: true }), fresh.parameters({ flat: true }));
  } finally {
    fresh.delete();
  }
}

const SCHEMES = [
  ['default', null],
  ['xavier_uniform with gain', { weight: 'xavier_uniform', params: { gain: 1.7 } }],
  ['xavier_uniform, another gain, zero biases (the memo rescales)', { weight: 'xavier_uniform', params: { gain: 0.6 }, bias: 'zeros' }],
  ['kaiming_normal', { weight: 'kaiming_normal', params: { a: 0.2, nonlinearity: 'leaky_relu', mode: 'fan_out' } }],
  ['normal with std', { weight: 'normal', params: { std: 0.4 } }],
];

test('reinitialize equals a fresh network bit for bit: several schemes and seeds, bias on and off', () => {
  for (const bias of [true, false]) {
    const net = lab.network(base({ bias, seed: 7, init: { weight: 'uniform', params: { a: -0.1, b: 0.2 } } }));
    net.gradients({ input: X, target: T });  // a pass whose storage stays
    net.step({ input: X, target: T });       // optimiser state to forget
    for (const seed of [2, 2, 11]) {
      for (const [why, init] of SCHEMES) {
        net.reinitialize({ seed, init });
        assertAsFresh(net, base({ bias, seed, ...(init ? { init } : {}) }), `${why}, seed ${seed}, bias ${bias}`);
      }
    }
    net.delete();
  }
});

test('siren takes ω₀ from the network\'s Sine activation now, as lab.network does from its spec\'s', () => {
  const sine = (w0) => ({ name: 'Sine', params: { w0 } });
  const init = { weight: 'siren', params: {} };
  const net = lab.network(base({ activation: sine(10), output: null, init }));
  net.gradients({ input: X, target: T });
  net.reinitialize({ seed: 4 });  // init kept
  assertAsFresh(net, base({ activation: sine(10), output: null, init, seed: 4 }));
  net.setModules({ activation: sine(3) });
  net.reinitialize({ seed: 4 });
  assertAsFresh(net, base({ activation: sine(3), output: null, init, seed: 4 }));
  net.reinitialize({ init: { weight: 'siren', params: { w0: 25 } } });  // an explicit w0 wins; seed 4 kept
  assertAsFresh(net, base({ activation: sine(3), output: null, init: { weight: 'siren', params: { w0: 25 } }, seed: 4 }));
  net.delete();
});

test('fields left out keep the network\'s own; init null is reset_parameters() alone', () => {
  const init = { weight: 'kaiming_uniform', params: { a: 1 } };
  const net = lab.network(base({ seed: 5, init }));
  net.reinitialize({ seed: 6 });
  assertAsFresh(net, base({ seed: 6, init }));
  net.reinitialize({ init: { weight: 'xavier_normal', params: {} } });
  assertAsFresh(net, base({ seed: 6, init: { weight: 'xavier_normal', params: {} } }));
  net.reinitialize({ init: null });
  assertAsFresh(net, base({ seed: 6 }));
  net.reinitialize({});  // the same seed and init again: the same draws
  assertAsFresh(net, base({ seed: 6 }));
  net.reinitialize({ seed: -3 });  // negative seeds wrap as torch.manual_seed's do, as in lab.network
  assertAsFresh(net, base({ seed: -3 }));
  net.delete();
});

test('bad calls are refused naming the field, in lab.network\'s words; nothing changes; a pass made before is stale', () => {
  const net = lab.network(base({ seed: 3 }));
  net.gradients({ input: X, target: T });
  const before = net.parameters({ flat: true });
  const ctor = (over) => { try { lab.network(base(over)).delete(); } catch (e) { return e.message; } return null; };
  const cases = [
    [() => net.reinitialize(), 'reinitialize: expected {seed, init}, got undefined'],
    [() => net.reinitialize(3), 'reinitialize: expected {seed, init}, got number'],
    [() => net.reinitialize({ sead: 4 }), 'reinitialize: unknown field \'sead\'; expected one of seed, init'],
    [() => net.reinitialize({ seed: 1.5 }), ctor({ seed: 1.5 })],
    [() => net.reinitialize({ seed: null }), 'seed: expected an integer (the seed of torch.manual_seed), got None'],
    [() => net.reinitialize({ seed: '2' }), ctor({ seed: '2' })],
    [() => net.reinitialize({ init: 'xavier_uniform' }), ctor({ init: 'xavier_uniform' })],
    [() => net.reinitialize({ init: { weight: 'glorot' } }), ctor({ init: { weight: 'glorot' } })],
    [() => net.reinitialize({ init: { weight: 'xavier_uniform', params: { gian: 1 } } }), ctor({ init: { weight: 'xavier_uniform', params: { gian: 1 } } })],
    [() => net.reinitialize({ init: { weight: 'normal', bias: 'ones' } }), ctor({ init: { weight: 'normal', bias: 'ones' } })],
    [() => net.reinitialize({ init: { weight: 'normal', params: { std: 'x' } } }), ctor({ init: { weight: 'normal', params: { std: 'x' } } })],
  ];
  for (const [call, message] of cases) {
    assert.equal(typeof message, 'string');
    assert.throws(call, (e) => e instanceof Error && e.message === message, message);
    assert.deepEqual(net.parameters({ flat: true }), before);
  }
  assert.ok(cases.slice(6).every(([, m]) => m.startsWith('init')), 'the init messages name init');
  assert.doesNotThrow(() => net.statistics(OPTIONS));  // the last pass stays too
  const pass = net.pass({ input: X, target: T });
  pass.advance(2);
  net.reinitialize({ seed: 9 });
  assert.throws(() => pass.advance(2), { message: 'pass: the network has run another pass since (or its parameters or modules changed); make a new pass' });
  // the last pass was dropped, as a fresh network has none
  assert.throws(() => net.statistics(OPTIONS), { message: 'statistics: the network has not run yet; call forward(), gradients() or step() first' });
  pass.delete();
  net.delete();
  assert.throws(() => net.reinitialize({ seed: 1 }), { message: 'network: this network has been deleted' });
});

test('200 alternations of seed and init leave the heap as it was', () => {
  const net = lab.network(base({ sizes: [48, 48, 48, 48, 48] }));
  const x = { shape: [20, 48], data: Float64Array.from({ length: 20 * 48 }, (_, i) => Math.sin(i)) };
  const t = { shape: [20, 48], data: new Float64Array(20 * 48) };
  const round = (i) => {
    net.reinitialize(i % 2 ? { seed: 1, init: null } : { seed: 2, init: { weight: 'normal', params: { std: 0.1 + 0.01 * (i % 4) } } });
    const p = net.pass({ input: x, target: t, weights: false });
    p.advance(20);
    p.delete();
    net.gradients({ input: x, target: t });
    assert.throws(() => net.reinitialize({ init: { weight: 'glorot' } }));
  };
  // the memo's keys and the two pass buffers in place (16 rounds: after 8, one allocation was 8
  // bytes short of where it settles for good — measured constant from round 9 to 2,000)
  for (let i = 0; i < 16; i++) round(i);
  const before = lab.heapBytes();
  for (let i = 0; i < 200; i++) round(i);
  assert.ok(lab.heapBytes() <= before, `${lab.heapBytes()} bytes in use after 200 alternations, ${before} before`);
  net.delete();
});

test('the depth view draws a new seed, init or σ_b² into the same network, and a new size into a new one', () => {
  useNetworkCatalog(lab);
  const state = (over = {}) => ({
    depth: 4, width: 10, batch: 6, seed: 3, show: 'post',
    act: { name: 'ELU', params: { alpha: 0.5 } }, init: { scheme: 'xavier_normal', params: { gain: 1.5 } }, ...over,
  });
  const run = new DepthRun(lab);
  const fresh = (d) => {
    const r = new DepthRun(lab);
    try { return r.run(d).layers; } finally { r.delete(); }
  };
  run.run(state());
  const net = run.net;
  for (const d of [state({ seed: 4 }), state({ seed: 4, init: { scheme: 'default', params: {} } }),
    state({ init: { scheme: 'normal', params: { sw2: 1.5, sb2: 0.2 } } }), state({ init: { scheme: 'normal', params: { sw2: 1.5, sb2: 0.3 } } }),
    state({ act: { name: 'Tanh', params: {} }, init: { scheme: 'kaiming_uniform', params: {} } }), state()]) {
    assert.deepEqual(run.run(d).layers, fresh(d));
    assert.equal(run.net, net, 'the same network');
    if (d.init.scheme !== 'normal') {  // (the normal scheme's biases are the page's own draw)
      const n = lab.network(networkSpec(d));
      assert.deepEqual(run.net.parameters({ flat: true }), n.parameters({ flat: true }));
      n.delete();
    }
  }
  const deeper = state({ depth: 5 });
  assert.deepEqual(run.run(deeper).layers, fresh(deeper));
  assert.notEqual(run.net, net, 'a new size: a new network');
  run.delete();
});
