// The Network tab's init and optimiser rows (web/src/net-train-options.js, net-depth-model.js)
// come from the engine's own description, lab.networkCatalog() (core/nn_catalog.hpp), and nothing
// in web/src restates a default: the rows' defaults are what the engine does with the keyword left
// out (same losses bit for bit), and the SIREN row shows the ω₀ the engine actually uses (the Sine
// activation's, unless the init names its own). Issue 10 B.1 and B.2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { lab } from './reference.mjs';
import { networkOptions, optimizerKeywords, optimizerControls, sirenW0, changedOnly } from '../../web/src/net-train-options.js';
import { theoryOf, useNetworkCatalog, sirenOmega, networkSpec as depthSpec, SCHEMES } from '../../web/src/net-depth-model.js';

const src = new URL('../../web/src/', import.meta.url);
const opts = networkOptions(lab);

// A few SGD/Adam/… steps on a fixed little problem: the losses, as bits.
function losses(optimizer, init = null, activation = 'Tanh') {
  const net = lab.network({ sizes: [2, 5, 1], activation, seed: 3, init, loss: 'MSELoss', optimizer });
  try {
    const input = { shape: [4, 2], data: Float64Array.from([0.5, -1, 1.5, 0.25, -0.75, 2, 0, -0.5]) };
    const target = { shape: [4, 1], data: Float64Array.from([1, -1, 0.5, 0]) };
    return Array.from({ length: 4 }, () => net.step({ input, target }).loss);
  } finally {
    net.delete();
  }
}

test('the optimisers and init schemes are the engine\'s, in its order', () => {
  const cat = lab.networkCatalog();
  assert.deepEqual(Object.keys(opts.OPTIMIZERS), cat.optimizers.map((o) => o.name));
  assert.deepEqual(Object.keys(opts.INIT_SCHEMES), ['default', ...cat.init.schemes.map((s) => s.name)]);
  assert.deepEqual(Object.keys(opts.OPTIMIZERS), ['SGD', 'Adam', 'AdamW', 'RMSprop']);
});

test('every optimiser row at its default is what the engine does without the keyword', () => {
  for (const [name, o] of Object.entries(opts.OPTIMIZERS)) {
    // the page's keywords for "nothing changed": only what PyTorch requires (SGD's lr)
    const none = optimizerKeywords(opts, name, {});
    assert.deepEqual(Object.keys(none), name === 'SGD' ? ['lr'] : [], name);
    const base = losses({ name, params: none });
    // every row given explicitly at its shown default: the same losses, bit for bit
    const all = Object.fromEntries(o.params.map((p) => [p.name, p.default]));
    const explicit = optimizerKeywords(opts, name, all);
    assert.deepEqual(losses({ name, params: explicit }), base, `${name} ${JSON.stringify(explicit)}`);
    // and a changed row changes them (the keyword reaches the engine)
    const lr = o.params.find((p) => p.name === 'lr');
    assert.notDeepEqual(losses({ name, params: optimizerKeywords(opts, name, { lr: lr.default * 3 }) }), base, name);
  }
});

test('Adam\'s betas: two rows, one keyword, split back for the rows', () => {
  const kw = optimizerKeywords(opts, 'Adam', { beta2: 0.99, lr: 0.01 });
  assert.deepEqual(kw, { lr: 0.01, betas: [0.9, 0.99] });
  assert.deepEqual(optimizerControls(opts, 'Adam', kw), { lr: 0.01, beta1: 0.9, beta2: 0.99 });
  assert.deepEqual(changedOnly(opts.OPTIMIZERS.Adam.params, optimizerControls(opts, 'Adam', kw)), { lr: 0.01, beta2: 0.99 });
  // the engine reads them as betas=(0.9, 0.99)
  assert.deepEqual(losses({ name: 'Adam', params: kw }), losses({ name: 'Adam', params: { lr: 0.01, betas: [0.9, 0.99] } }));
});

test('every init row at its default gives the weights the engine gives without it', () => {
  for (const [name, s] of Object.entries(opts.INIT_SCHEMES)) {
    if (name === 'default') continue;
    const given = Object.fromEntries(s.params.map((p) => [p.name, p.default]));
    const required = Object.fromEntries(s.params.filter((p) => p.doc.includes('PyTorch has no default')).map((p) => [p.name, p.default]));
    const a = losses({ name: 'SGD', params: { lr: 0.1 } }, { weight: name, params: required });
    const b = losses({ name: 'SGD', params: { lr: 0.1 } }, { weight: name, params: given });
    assert.deepEqual(a, b, name);
  }
});

test('no init or optimiser default is written in web/src (they are the catalog\'s)', () => {
  const files = readdirSync(src).filter((f) => /^net-.*\.js$/.test(f));
  for (const f of files) {
    const text = readFileSync(new URL(f, src), 'utf8');
    // the tell-tale defaults of the table this replaced, and the `w0 ?? 30` fallback
    for (const [what, re] of [['Adam\'s beta2 0.999', /\b0\.999\b/], ['eps 1e-8', /\b1e-8\b/], ['RMSprop alpha 0.99', /'alpha', 'float', 0\.99/],
      ['SIREN ω₀ 30 fallback', /w0 \?\? 30|\?\? 30\b/], ['a kaiming default table', /'leaky_relu', 'relu', 'tanh', 'sigmoid', 'linear', 'selu'/],
      ['a calculate_gain table', /case 'leaky_relu'|5\.0 \/ 3|Math\.sqrt\(2\.0 \/ \(1 \+/]]) {
      assert.doesNotMatch(text, re, `${f}: ${what}`);
    }
  }
});

test('SIREN: the w0 shown is the one the engine uses (the Sine activation\'s unless the init names one)', () => {
  const sine = (w0) => ({ name: 'Sine', params: w0 === undefined ? {} : { w0 } });
  const sineSpec = lab.spec('Sine');
  assert.equal(sirenW0(opts, {}, sine(10), sineSpec), 10);
  assert.equal(sirenW0(opts, {}, sine(), sineSpec), sineSpec.params.find((p) => p.name === 'w0').default);
  assert.equal(sirenW0(opts, { w0: 5 }, sine(10), sineSpec), 5);
  assert.equal(sirenW0(opts, {}, { name: 'Tanh', params: {} }, null), opts.INIT_SCHEMES.siren.params[0].default);
  // the engine agrees: siren with no w0 under Sine(w0=10) is siren(w0=10), not the scheme's default
  const run = (init, act) => losses({ name: 'SGD', params: { lr: 0.01 } }, init, act);
  const used = run({ weight: 'siren', params: {} }, sine(10));
  assert.deepEqual(run({ weight: 'siren', params: { w0: sirenW0(opts, {}, sine(10), sineSpec) } }, sine(10)), used);
  assert.notDeepEqual(run({ weight: 'siren', params: { w0: 30 } }, sine(10)), used);
  // the depth view's theory uses that ω₀ too: Var(W) = 2/(ω₀²·fan_in) → σ_w² = 2/ω₀²
  useNetworkCatalog(lab);
  assert.equal(sirenOmega(sine(12)), 12);
  const d = { depth: 3, width: 16, batch: 4, seed: 0, act: sine(12), init: { scheme: 'siren', params: { bias: 'zeros' } } };
  assert.equal(theoryOf(d).sw2, 2 / 144);
});

test('the depth view\'s scheme rows are the catalog\'s keywords (plus its own bias and σ rows)', () => {
  useNetworkCatalog(lab);
  const cat = lab.networkCatalog();
  const kaiming = cat.init.schemes.find((s) => s.name === 'kaiming_normal');
  const rows = SCHEMES.kaiming_normal.params;
  assert.deepEqual(rows.find((p) => p.name === 'nonlinearity').choices, kaiming.params.find((p) => p.name === 'nonlinearity').choices);
  assert.equal(rows.find((p) => p.name === 'a').default, kaiming.params.find((p) => p.name === 'a').default);
  assert.deepEqual(rows.find((p) => p.name === 'bias').choices, cat.init.bias);
  // the spec the engine gets for a depth state with those defaults builds
  const d = { depth: 2, width: 8, batch: 4, seed: 1, act: { name: 'ReLU', params: {} }, init: { scheme: 'kaiming_normal', params: {} } };
  lab.network(depthSpec(d)).delete();
});

test('the depth view\'s σ_w² for a Kaiming init is the lab\'s calculate_gain squared (torch.nn.init.calculate_gain)', () => {
  useNetworkCatalog(lab);
  const kaiming = (nonlinearity, a) => ({ depth: 3, width: 16, batch: 4, seed: 0, act: { name: 'LeakyReLU', params: {} }, init: { scheme: 'kaiming_normal', params: a === undefined ? { nonlinearity } : { nonlinearity, a } } });
  assert.equal(theoryOf(kaiming('leaky_relu', 0.2)).sw2, lab.calculateGain('leaky_relu', 0.2) ** 2);
  assert.equal(theoryOf(kaiming('relu')).sw2, 2.0000000000000004);  // √2 squared, as torch's gain**2
  assert.equal(theoryOf(kaiming('tanh')).sw2, (5 / 3) ** 2);
  // the 'a' row's default (the catalog's 0) is what kaiming_normal_ passes: leaky_relu's gain √2
  const a0 = SCHEMES.kaiming_normal.params.find((p) => p.name === 'a').default;
  assert.equal(theoryOf(kaiming('leaky_relu')).sw2, lab.calculateGain('leaky_relu', a0) ** 2);
});

test('every depth scheme with a bias row offers the engine\'s bias choices (LeCun normal\'s row is a copy with its own default)', () => {
  useNetworkCatalog(lab);
  const choices = networkOptions(lab).BIAS_CHOICES;
  assert.ok(choices.length >= 2);
  for (const [name, s] of Object.entries(SCHEMES)) {
    const row = s.params.find((p) => p.name === 'bias');
    if (row) assert.deepEqual(row.choices, choices, name);
  }
  assert.equal(SCHEMES.lecun_normal.params.find((p) => p.name === 'bias').default, 'zeros');
});
