// Design note — the JavaScript face of the network engine (issue 9's contract): lab.network(spec),
// lab.meanField(spec), lab.dataset(spec), lab.datasets(), composed into the lab object by lab.mjs.
// This file checks what only JS can get wrong — a field's JS type, a misspelt field name — and
// says so naming the field; every value (a width < 1, an unknown activation, lr < 0, a target of
// the wrong shape) is checked by the core, whose messages already start with the field. Defaults
// are the core's: a field left out is not sent, so none is written twice. Tensors go through
// tensor.mjs (nested arrays or {shape, data}, one bulk copy each way) and results come back in
// the caller's form, parameters in nn.Linear's own (weight out × in, bias or null).
//
// A network is a handle into a table on the C++ side (wasm/bindings_nn.cpp); delete() frees it,
// and a deleted network refuses every call by name. The calls the page makes every frame are
// shaped for it: predict() hands back only the output, one Float64Array, and does not replace
// the pass statistics() reads; epoch() trains a whole pass over the rows in one call. The depth
// view's calls (issue 10): gradients({…, weights: false}) skips ∂L/∂W; setModules() swaps the
// activation without new weights; reinitialize() draws new weights (a seed or init change) into
// the same network, so its pass storage is kept; pass() is a gradients() pass computed a block of examples at a
// time (core/nn_pass.hpp: exact, since with reduction='sum' rows do not interact), an object
// with its own handle that the C++ side invalidates when the network runs anything else;
// statistics({layers: [first, last]}) gives some layers only and ranges() the shared ranges, so a
// redraw's statistics can be split into short calls (given those ranges, bit for bit the one
// call's); setParameters() with a layer's weight left out keeps it (a bias-only update crosses
// no weights either way).
// Names: camelCase for the lab's own fields (batchSize, sigmaW2, trainRatio, weightGradNorm),
// PyTorch's keywords for PyTorch's parameters (lr, momentum, betas, label_smoothing …).
import { describe, toTensor, toParams, formOf, inForm, fromTensor } from './tensor.mjs';
import { networkApi as absentNetworkApi } from './network-absent.mjs';

function unwrap(result) {
  if (result && typeof result.error === 'string') throw new Error(result.error);
  return result;
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v);

// Refuses fields the caller did not mean (a typo would otherwise be a silent default).
function onlyFields(object, fields, what) {
  for (const key of Object.keys(object)) {
    if (object[key] !== undefined && !fields.includes(key)) {
      throw new Error(`${what}: unknown field '${key}'; expected one of ${fields.join(', ')}`);
    }
  }
}

// Runs f; an Error it throws gets `field: ` in front.
function within(field, f) {
  try {
    return f();
  } catch (e) {
    throw new Error(`${field}: ${e.message}`);
  }
}

// 'Tanh' or {name, params} -> {name, params}; null/undefined stays absent. An activation or an
// output may be a formula (issue 11): {formula, params} passes as it is, its parameters numbers.
function moduleSpec(v, field, formula = false) {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return { name: v, params: {} };
  if (formula && isObject(v) && 'formula' in v) {
    onlyFields(v, ['formula', 'params'], field);
    if (typeof v.formula !== 'string') throw new Error(`${field}: formula: expected the formula's text as a string, got ${describe(v.formula)}`);
    const params = v.params ?? {};
    if (!isObject(params)) throw new Error(`${field}: params: expected an object of parameter values by name, got ${describe(params)}`);
    for (const [k, p] of Object.entries(params)) if (p !== undefined && typeof p !== 'number') throw new Error(`${field}: params.${k}: expected a number, got ${describe(p)}`);
    return { formula: v.formula, params };
  }
  if (isObject(v) && typeof v.name === 'string') {
    onlyFields(v, ['name', 'params'], field);
    return { name: v.name, params: within(field, () => toParams(v.params)) };
  }
  throw new Error(`${field}: expected a name such as 'Tanh' or {name, params}, got ${describe(v)}`);
}

const integer = (v, field, what) => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new Error(`${field}: expected ${what}, got ${typeof v === 'number' ? v : describe(v)}`);
  return v;
};
const number = (v, field) => {
  if (typeof v !== 'number') throw new Error(`${field}: expected a number, got ${describe(v)}`);
  return v;
};
const optional = (v, check) => (v === undefined || v === null ? undefined : check(v));

// {weight, params, bias} of network() and reinitialize(), its JS types checked.
function initSpec(init) {
  if (!isObject(init)) throw new Error(`init: expected {weight, params, bias}, got ${describe(init)}`);
  onlyFields(init, ['weight', 'params', 'bias'], 'init');
  if (typeof init.weight !== 'string') throw new Error(`init.weight: expected the name of an init scheme such as 'xavier_uniform', got ${describe(init.weight)}`);
  if (init.bias !== undefined && typeof init.bias !== 'string') throw new Error(`init.bias: expected 'default' or 'zeros', got ${describe(init.bias)}`);
  return { weight: init.weight, params: within('init', () => toParams(init.params)), bias: init.bias };
}
const seedOf = (s) => integer(s, 'seed', 'an integer (the seed of torch.manual_seed)');

const NETWORK_FIELDS = ['sizes', 'activation', 'output', 'bias', 'seed', 'init', 'loss', 'optimizer'];

function networkSpec(spec) {
  if (!isObject(spec)) throw new Error(`network: expected a spec object {sizes, activation, …}, got ${describe(spec)}`);
  onlyFields(spec, NETWORK_FIELDS, 'network');
  const sizes = spec.sizes;
  if (!Array.isArray(sizes) && !ArrayBuffer.isView(sizes)) throw new Error(`sizes: expected a list of layer widths such as [2, 8, 1], got ${describe(sizes)}`);
  const widths = Float64Array.from(sizes, (w, i) => integer(w, `sizes[${i}]`, 'an integer width'));
  const init = optional(spec.init, initSpec);
  return {
    sizes: widths,
    activation: moduleSpec(spec.activation, 'activation', true),
    output: moduleSpec(spec.output, 'output', true),
    bias: optional(spec.bias, (b) => { if (typeof b !== 'boolean') throw new Error(`bias: expected true or false, got ${describe(b)}`); return b; }),
    seed: optional(spec.seed, seedOf),
    init,
    loss: moduleSpec(spec.loss, 'loss'),
    optimizer: moduleSpec(spec.optimizer, 'optimizer'),
  };
}

function batchOf(args, method, fields = ['input', 'target'], optionalFields = []) {
  const all = [...fields, ...optionalFields];
  if (!isObject(args)) throw new Error(`${method}: expected {${all.join(', ')}}, got ${describe(args)}`);
  onlyFields(args, all, method);
  for (const f of fields) if (args[f] === undefined) throw new Error(`${f}: ${method}() needs ${fields.join(' and ')}`);
  return { input: toTensor(args.input, 'input'), target: toTensor(args.target, 'target') };
}

// `weights` of gradients() and pass(): true unless false is given.
const weightsOf = (args) => optional(args.weights, (w) => {
  if (typeof w !== 'boolean') throw new Error(`weights: expected true or false (false: no dL/dW, dL/db), got ${describe(w)}`);
  return w;
}) ?? true;

const range = (v, field) => optional(v, (r) => {
  if (!(Array.isArray(r) && r.length === 2 && r.every((x) => typeof x === 'number'))) throw new Error(`${field}: expected [lo, hi] or null, got ${describe(r)}`);
  return r;
});

const STATS_FIELDS = ['bins', 'saturation', 'preRange', 'postRange', 'gradRange', 'shared', 'layers'];

function statsOptions(options) {
  if (options === undefined || options === null) return {};
  if (!isObject(options)) throw new Error(`statistics: expected options {${STATS_FIELDS.join(', ')}}, got ${describe(options)}`);
  onlyFields(options, STATS_FIELDS, 'statistics');
  return {
    layers: optional(options.layers, (r) => {
      if (!(Array.isArray(r) && r.length === 2 && r.every((i) => Number.isSafeInteger(i)))) throw new Error(`layers: expected [first, last] (layer indices from 0, last excluded) or null, got ${Array.isArray(r) ? JSON.stringify(r) : describe(r)}`);
      return r;
    }),
    shared: optional(options.shared, (b) => { if (typeof b !== 'boolean') throw new Error(`shared: expected true or false, got ${describe(b)}`); return b; }),
    bins: optional(options.bins, (b) => number(b, 'bins')),
    saturation: optional(options.saturation, (s) => number(s, 'saturation')),
    preRange: range(options.preRange, 'preRange'),
    postRange: range(options.postRange, 'postRange'),
    gradRange: range(options.gradRange, 'gradRange'),
  };
}

// statistics(options) of a network or a pass: the options checked here, the core's messages in
// the JS names (pre_range → preRange).
function statistics(options, call) {
  const o = statsOptions(options);
  try {
    return unwrap(call(o));
  } catch (e) {
    throw renamed(e, STATS_NAMES);
  }
}

// [{weight: {shape, data}, bias}] from C++ -> nn.Linear's form: nested weight (out × in), bias list or null.
const linearForm = (layers) => layers.map(({ weight, bias }) => ({ weight: fromTensor(weight), bias: bias && fromTensor(bias) }));

function createNetwork(core, spec) {
  const handle = unwrap(core.netCreate(networkSpec(spec)));
  let alive = true;
  const h = () => {
    if (!alive) throw new Error('network: this network has been deleted');
    return handle;
  };
  return Object.freeze({
    // {flat: true}: [{weight: {shape, data}, bias: {shape, data} | null}] as they cross, no nesting
    // (a 256 × 256 weight nests and flattens back in tens of ms; the copy is under one)
    parameters(options) {
      if (options !== undefined && options !== null) {
        if (!isObject(options)) throw new Error(`parameters: expected options {flat}, got ${describe(options)}`);
        onlyFields(options, ['flat'], 'parameters');
        if (options.flat !== undefined && typeof options.flat !== 'boolean') throw new Error(`flat: expected true or false, got ${describe(options.flat)}`);
        if (options.flat) return unwrap(core.netParameters(h()));
      }
      return linearForm(unwrap(core.netParameters(h())));
    },
    setParameters(list) {
      if (!Array.isArray(list)) throw new Error(`parameters: expected a list of {weight, bias}, one per Linear, got ${describe(list)}`);
      const layers = list.map((p, i) => {
        const at = `parameters[${i}]`;
        if (!isObject(p)) throw new Error(`${at}: expected {weight, bias}, got ${describe(p)}`);
        onlyFields(p, ['weight', 'bias'], at);
        // a weight left out keeps the layer's own (the C++ side copies it; nothing crosses)
        return { weight: p.weight === undefined ? undefined : toTensor(p.weight, `${at}.weight`), bias: p.bias === null || p.bias === undefined ? null : toTensor(p.bias, `${at}.bias`) };
      });
      unwrap(core.netSetParameters(h(), layers));
    },
    forward(input) {
      const form = formOf(input);
      const r = unwrap(core.netForward(h(), toTensor(input, 'input')));
      return { output: inForm(r.output, form), layers: r.layers.map((l) => ({ pre: inForm(l.pre, form), post: inForm(l.post, form) })) };
    },
    predict(input) {
      return unwrap(core.netPredict(h(), toTensor(input, 'input')));
    },
    gradients(args) {
      const { input, target } = batchOf(args, 'gradients', ['input', 'target'], ['weights']);
      const weights = weightsOf(args);
      const r = unwrap(core.netGradients(h(), input, target, weights));
      if (!weights) return { loss: r.loss, warnings: r.warnings, grads: null };
      // Nested on first read: the page often wants only the loss (and statistics()), and nesting
      // a deep net's gradients costs far more than computing them (50 × 256 × 256: millions of
      // numbers). They arrive as Float64Arrays, so a later read still sees this call's values.
      let grads;
      return Object.defineProperty({ loss: r.loss, warnings: r.warnings }, 'grads', {
        enumerable: true,
        get: () => (grads ??= linearForm(r.grads)),
      });
    },
    setModules(modules) {
      if (!isObject(modules)) throw new Error(`setModules: expected {activation, output}, got ${describe(modules)}`);
      onlyFields(modules, ['activation', 'output'], 'setModules');
      const m = {};
      if (modules.activation !== undefined) {
        if (modules.activation === null) throw new Error('activation: expected a name such as \'Tanh\' or {name, params} (an activation is always there), got null');
        m.activation = moduleSpec(modules.activation, 'activation', true);
      }
      if (modules.output !== undefined) m.output = moduleSpec(modules.output, 'output', true);
      unwrap(core.netSetModules(h(), m));
    },
    // {seed, init}: a field left out keeps the network's own; init null is reset_parameters() only.
    reinitialize(spec) {
      if (!isObject(spec)) throw new Error(`reinitialize: expected {seed, init}, got ${describe(spec)}`);
      onlyFields(spec, ['seed', 'init'], 'reinitialize');
      const r = {};
      if (spec.seed !== undefined) r.seed = seedOf(spec.seed);  // null too: refused by name
      if (spec.init !== undefined) r.init = spec.init === null ? null : initSpec(spec.init);
      unwrap(core.netReinitialize(h(), r));
    },
    pass(args) {
      const { input, target } = batchOf(args, 'pass', ['input', 'target'], ['weights']);
      return createPass(core, unwrap(core.netPass(h(), input, target, weightsOf(args))), () => alive);
    },
    step(args) {
      const { input, target } = batchOf(args, 'step');
      return { loss: unwrap(core.netStep(h(), input, target)) };
    },
    epoch(args) {
      const { input, target } = batchOf(args, 'epoch', ['input', 'target', 'batchSize']);
      const batchSize = integer(args.batchSize, 'batchSize', 'a whole number ≥ 1');
      return { losses: unwrap(core.netEpoch(h(), input, target, batchSize)) };
    },
    statistics: (options) => statistics(options, (o) => core.netStatistics(h(), o)),
    ranges: () => unwrap(core.netRanges(h())),
    get steps() {
      return unwrap(core.netSteps(h()));
    },
    resetOptimizer() {
      unwrap(core.netResetOptimizer(h()));
    },
    delete() {
      if (alive) core.netDelete(handle);
      alive = false;
    },
  });
}

// A BlockPass: advance(rows) → {done, top, total, loss (null until done === total), warnings}.
// Deleting its network deletes it on the C++ side (bindings_nn.cpp); netAlive() tells which.
function createPass(core, handle, netAlive) {
  let alive = true;
  const h = () => {
    if (!alive) throw new Error('pass: this pass has been deleted');
    if (!netAlive()) throw new Error('pass: the network has been deleted');
    return handle;
  };
  return Object.freeze({
    // {fromEnd: true}: rows [max(top − rows, done), top), the suffix growing down.
    advance(rows, options) {
      if (typeof rows !== 'number') throw new Error(`rows: expected a whole number of examples ≥ 1, got ${describe(rows)}`);
      if (options !== undefined && (options === null || typeof options !== 'object')) throw new Error(`options: expected {fromEnd} or nothing, got ${describe(options)}`);
      const fromEnd = options?.fromEnd ?? false;
      if (typeof fromEnd !== 'boolean') throw new Error(`fromEnd: expected true or false, got ${describe(fromEnd)}`);
      return unwrap(core.passAdvance(h(), rows, fromEnd));
    },
    // Rows [from, to), all done, as one Float64Array (valuesPerRow numbers a row; nn_pass.hpp's order).
    rows(from, to) {
      if (typeof from !== 'number') throw new Error(`from: expected a whole number (a row of the batch), got ${describe(from)}`);
      if (typeof to !== 'number') throw new Error(`to: expected a whole number (a row of the batch), got ${describe(to)}`);
      return unwrap(core.passRows(h(), from, to));
    },
    // Imports rows() of a pass of the same network, input and target (another thread's) from row
    // `from`; they must reach the rows done from the end. → the progress, as advance().
    setRows(from, data) {
      if (typeof from !== 'number') throw new Error(`from: expected a whole number (a row of the batch), got ${describe(from)}`);
      if (!(data instanceof Float64Array)) throw new Error(`data: expected a Float64Array (from rows()), got ${describe(data)}`);
      return unwrap(core.passSetRows(h(), from, data));
    },
    get valuesPerRow() {
      return unwrap(core.passValuesPerRow(h()));
    },
    get top() {
      return unwrap(core.passProgress(h())).top;
    },
    get done() {
      return unwrap(core.passProgress(h())).done;
    },
    get total() {
      return unwrap(core.passProgress(h())).total;
    },
    statistics: (options) => statistics(options, (o) => core.passStatistics(h(), o)),
    ranges: () => unwrap(core.passRanges(h())),
    delete() {
      if (alive && netAlive()) core.passDelete(handle);
      alive = false;
    },
  });
}

// Some core messages name snake_case fields ("sigma_w2 must be …", "pre_range: …"); the JS fields
// are camelCase, and a message starts with its field and a colon.
const renamed = (e, names) => {
  let m = e.message;
  for (const [from, to] of names) {
    if (m.startsWith(`${from}: `)) m = `${to}: ${m.slice(from.length + 2)}`;
    else if (m.startsWith(`${from} `)) m = `${to}: ${m.slice(from.length + 1)}`;
  }
  return new Error(m);
};
const STATS_NAMES = [['pre_range', 'preRange'], ['post_range', 'postRange'], ['grad_range', 'gradRange']];
const MF_NAMES = [['sigma_w2', 'sigmaW2'], ['sigma_b2', 'sigmaB2'], ['depth', 'depth'], ['the variance q', 'q']];

function createMeanField(core, spec) {
  if (!isObject(spec)) throw new Error(`meanField: expected {activation, sigmaW2, sigmaB2}, got ${describe(spec)}`);
  onlyFields(spec, ['activation', 'sigmaW2', 'sigmaB2'], 'meanField');
  const activation = moduleSpec(spec.activation, 'activation', true);
  if (!activation) throw new Error('activation: meanField() needs an elementwise activation, e.g. \'Tanh\'');
  const s = { activation, sigmaW2: number(spec.sigmaW2, 'sigmaW2'), sigmaB2: number(spec.sigmaB2, 'sigmaB2') };
  const call = (f) => {
    try {
      return unwrap(f());
    } catch (e) {
      throw renamed(e, MF_NAMES);
    }
  };
  // Checked now, not at the first call: an unknown activation or a negative variance is the spec's mistake.
  try {
    unwrap(core.mfMap(s, 1));
  } catch (e) {
    const r = renamed(e, MF_NAMES);
    throw /^sigma[WB]2: /.test(r.message) ? r : new Error(`activation: ${r.message}`);
  }
  const q = (v, field = 'q') => number(v, field);
  return Object.freeze({
    activation: activation.formula === undefined ? activation.name : { formula: activation.formula, params: { ...activation.params } },
    sigmaW2: s.sigmaW2,
    sigmaB2: s.sigmaB2,
    moments: (v) => call(() => core.mfMoments(s, q(v))),
    map: (v) => call(() => core.mfMap(s, q(v))),
    chi: (v) => call(() => core.mfChi(s, q(v))),
    layers: (q0, depth) => call(() => core.mfLayers(s, q(q0, 'q0'), integer(depth, 'depth', 'a whole number of layers'))),
    fixedPoint: (q0 = 1) => call(() => core.mfFixedPoint(s, q(q0, 'q0'))),
    chiStar: (q0 = 1) => call(() => core.mfChiStar(s, q(q0, 'q0'))),
    criticalSigmaW2: (sigmaB2 = s.sigmaB2, q0 = 1) => call(() => core.mfCriticalSigmaW2(s, number(sigmaB2, 'sigmaB2'), q(q0, 'q0'))),
  });
}

function datasetSpec(spec) {
  if (!isObject(spec)) throw new Error(`dataset: expected {name, n, noise, classes, trainRatio, seed}, got ${describe(spec)}`);
  onlyFields(spec, ['name', 'n', 'noise', 'classes', 'trainRatio', 'seed'], 'dataset');
  if (typeof spec.name !== 'string') throw new Error(`name: expected the name of a data set such as 'spiral', got ${describe(spec.name)}`);
  return {
    name: spec.name,
    n: optional(spec.n, (n) => integer(n, 'n', 'a whole number of points')),
    noise: optional(spec.noise, (v) => number(v, 'noise')),
    classes: optional(spec.classes, (k) => integer(k, 'classes', 'a whole number of classes')),
    trainRatio: optional(spec.trainRatio, (r) => number(r, 'trainRatio')),
    seed: optional(spec.seed, (v) => integer(v, 'seed', 'an integer')),
  };
}


// The network part of the lab object, for a loaded Embind module (lab_core: every entry throws).
export function networkApi(core) {
  if (typeof core.netCreate !== 'function') return absentNetworkApi();
  return {
    network: (spec) => createNetwork(core, spec),
    meanField: (spec) => createMeanField(core, spec),
    dataset(spec) {
      try {
        return unwrap(core.dataset(datasetSpec(spec)));
      } catch (e) {
        throw renamed(e, [['train_ratio', 'trainRatio'], ['n', 'n'], ['noise', 'noise']]);
      }
    },
    datasets: () => unwrap(core.datasetInfos()),
    // init schemes' and optimisers' keywords (core/nn_catalog.hpp); a fresh copy each call
    networkCatalog: () => JSON.parse(new TextDecoder().decode(core.netCatalog())),
    // torch.nn.init.calculate_gain(nonlinearity, param): PyTorch's values and messages (core/nn_init)
    calculateGain(nonlinearity, param) {
      if (typeof nonlinearity !== 'string') throw new Error(`nonlinearity: expected a name such as 'relu', got ${describe(nonlinearity)}`);
      if (param !== undefined && param !== null && !['number', 'boolean', 'string'].includes(typeof param)) {
        throw new Error(`param: expected a number (leaky_relu's negative_slope) or null, got ${describe(param)}`);
      }
      return unwrap(core.calculateGain(nonlinearity, param ?? null));
    },
  };
}
