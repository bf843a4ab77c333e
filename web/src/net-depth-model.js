// Design note: what the depth view computes, apart from how it is drawn, so a test in Node can run
// the same function over the JS API and compare every number the page shows. The experiment is the
// classic one of signal propagation at initialisation (Poole et al. 2016; Schoenholz et al. 2017):
//   * `depth` Linear(width, width) layers, the activation after EVERY one of them (the last one's
//     goes in as the network's output module), so layer l is "Linear l + φ" for every l;
//   * x: a batch of N(0, 1) inputs, (batch, width), drawn by the engine from seed + 1 as
//       torch.manual_seed(seed + 1); x = nn.init.normal_(nn.Linear(width, batch, bias=False).weight)
//     (a random tensor the engine can draw bit for bit as PyTorch does; no generator in JS);
//   * the loss is MSELoss(reduction='sum') against zeros: ∂L/∂output = 2·output, so the gradient
//     arriving at the last layer is of the order of the activations and the lines show how it
//     shrinks or grows on its way back;
//   * the mean-field prediction needs the scheme's (σ_w², σ_b²): Var(W_ij) = σ_w²/fan_in and
//     Var(b_i) = σ_b², from torch.nn.init's formulas (SCHEMES below, for square layers where
//     fan_in = fan_out = width) — the same keywords go to the engine, which draws the weights.
// The "normal" scheme is the phase diagram's (σ_w², σ_b²): weights nn.init.normal_(std=σ_w/√width);
// the engine's init has no normal bias, so the biases are drawn like x, from seed + 2:
//   torch.manual_seed(seed + 2); B = σ_b · nn.init.normal_(nn.Linear(width, depth, bias=False).weight)
// and row l is layer l's bias (set with setParameters).
// It is computed in blocks of examples (the engine's net.pass, DepthJob below; when, is
// net-depth-progress.js's): with reduction='sum' each example's forward and backward pass depend on
// that example alone, so the statistics after r examples are exactly those of the first r, and the
// complete ones equal a one-shot gradients() + statistics() bit for bit (tests/js/net-depth-progress).
// A large job is shared with a Web Worker (net-depth-worker.js runs this file's DepthRun.begin(d)
// there and computes the batch from its end): importRows takes its rows; the statistics while it
// runs stay those of the first `done` rows (the prefix), so the preview and snapshots are as before.

// The torch.nn.init keywords (their defaults, choices and docs) are the engine's, read from
// lab.networkCatalog() by useNetworkCatalog(lab) before anything here runs; SCHEMES names which
// keywords each scheme shows. σ_w² and σ_b² of the "normal" scheme are the page's own.
import { networkOptions, sirenW0 } from './net-train-options.js';
import { engineAct } from './net-formula.js';

// torch.nn.init.calculate_gain(nonlinearity, a), the lab's (lab.calculateGain), for the theory's σ_w².
let labOf = null;
const gain = (p) => labOf.calculateGain(p.nonlinearity, p.a);

const BIAS = { name: 'bias', type: 'choice', choices: [], default: 'default', doc: 'default: nn.Linear\'s own U(±1/√fan_in); zeros: nn.init.zeros_' };
// Each scheme: its label, its parameters (controls), the engine's init spec and the theory's
// (σ_w², σ_b²) for a width × width layer (first: the first layer's σ_w², when it differs).
export const SCHEMES = {
  default: {
    short: "PyTorch's default", label: 'PyTorch default (kaiming_uniform_(a=√5), bias U(±1/√fan_in))', params: [],
    spec: () => null,
    theory: (p, w) => ({ sw2: 1 / 3, sb2: 1 / (3 * w) }),
  },
  xavier_uniform: {
    short: 'Xavier uniform', label: 'Xavier (Glorot) uniform', keywords: ['gain'], params: [BIAS],
    spec: (p) => ({ weight: 'xavier_uniform', params: { gain: p.gain }, bias: p.bias }),
    theory: (p, w) => ({ sw2: p.gain ** 2, sb2: biasVar(p, w) }),
  },
  xavier_normal: {
    short: 'Xavier normal', label: 'Xavier (Glorot) normal', keywords: ['gain'], params: [BIAS],
    spec: (p) => ({ weight: 'xavier_normal', params: { gain: p.gain }, bias: p.bias }),
    theory: (p, w) => ({ sw2: p.gain ** 2, sb2: biasVar(p, w) }),
  },
  kaiming_uniform: {
    short: 'Kaiming uniform', label: 'Kaiming (He) uniform', keywords: ['a', 'nonlinearity'], params: [BIAS],
    spec: (p) => ({ weight: 'kaiming_uniform', params: { a: p.a, nonlinearity: p.nonlinearity }, bias: p.bias }),
    theory: (p, w) => ({ sw2: gain(p) ** 2, sb2: biasVar(p, w) }),
  },
  kaiming_normal: {
    short: 'Kaiming normal', label: 'Kaiming (He) normal', keywords: ['a', 'nonlinearity'], params: [BIAS],
    spec: (p) => ({ weight: 'kaiming_normal', params: { a: p.a, nonlinearity: p.nonlinearity }, bias: p.bias }),
    theory: (p, w) => ({ sw2: gain(p) ** 2, sb2: biasVar(p, w) }),
  },
  lecun_normal: {
    short: 'LeCun normal', label: 'LeCun normal (kaiming_normal_(nonlinearity=\'linear\'))', params: [{ ...BIAS, default: 'zeros' }],
    spec: (p) => ({ weight: 'kaiming_normal', params: { nonlinearity: 'linear' }, bias: p.bias }),
    theory: (p, w) => ({ sw2: 1, sb2: biasVar(p, w) }),
  },
  siren: {
    short: 'SIREN', label: 'SIREN (Sitzmann et al. 2020; ω₀ from Sine)', params: [BIAS],
    spec: (p) => ({ weight: 'siren', params: {}, bias: p.bias }),
    // first layer U(±1/fan_in): variance 1/(3·fan_in²); later U(±√(6/fan_in)/ω₀): 2/(ω₀²·fan_in)
    theory: (p, w, act) => ({ sw2: 2 / sirenOmega(act) ** 2, first: 1 / (3 * w), sb2: biasVar(p, w) }),
  },
  normal: {
    short: 'normal(σ_w², σ_b²)', label: 'Normal (σ_w², σ_b²): W ~ N(0, σ_w²/fan_in), b ~ N(0, σ_b²)',
    params: [{ name: 'sw2', type: 'float', default: 1, min: 0, max: 1e4, label: 'σ_w²' }, { name: 'sb2', type: 'float', default: 0, min: 0, max: 100, label: 'σ_b²' }],
    spec: (p, w) => ({ weight: 'normal', params: { mean: 0, std: Math.sqrt(p.sw2 / w) }, bias: 'zeros' }),
    theory: (p) => ({ sw2: p.sw2, sb2: p.sb2 }),
  },
};
// Puts the engine's keyword specs in front of each scheme's own rows (once; idempotent).
let bound = null;
let sineSpec = null;
export function useNetworkCatalog(lab) {
  if (bound) return;
  labOf = lab;
  bound = networkOptions(lab);
  sineSpec = lab.spec('Sine') ?? null;
  BIAS.choices = bound.BIAS_CHOICES;
  // (lecun_normal's row is a copy of BIAS with its own default, made before the catalog was read)
  for (const s of Object.values(SCHEMES)) for (const p of s.params) if (p.name === 'bias') p.choices = bound.BIAS_CHOICES;
  for (const [k, s] of Object.entries(SCHEMES)) {
    if (!s.keywords) continue;
    const from = bound.INIT_SCHEMES[k === 'lecun_normal' ? 'kaiming_normal' : k].params;
    s.params = [...s.keywords.map((name) => from.find((p) => p.name === name)), ...s.params];
  }
}
// The ω₀ a siren init uses for this activation (net-train-options.js sirenW0: the engine's rule).
export function sirenOmega(act) {
  if (!bound) throw new Error('net-depth-model: useNetworkCatalog(lab) first');
  return sirenW0(bound, {}, act, sineSpec);
}
function biasVar(p, w) { return p.bias === 'zeros' ? 0 : 1 / (3 * w); }

// The scheme's parameters with their defaults filled in; unknown keys are reported.
export function schemeParams(init, ignored) {
  if (!bound) throw new Error('net-depth-model: useNetworkCatalog(lab) first');  // else the keywords' rows are missing
  const s = SCHEMES[init.scheme];
  const out = {};
  for (const p of s.params) out[p.name] = init.params[p.name] ?? p.default;
  for (const k of Object.keys(init.params)) if (!s.params.some((p) => p.name === k)) ignored?.push(`${k}= (${init.scheme} has no such parameter)`);
  return out;
}

// The theory's inputs for the depth view's network: σ_w², σ_b² and q0, the first Linear's
// pre-activation variance for x ~ N(0, 1): σ_w²(first layer)·1 + σ_b².
export function theoryOf(d) {
  const s = SCHEMES[d.init.scheme];
  const t = s.theory(schemeParams(d.init), d.width, d.act);
  return { sw2: t.sw2, sb2: t.sb2, q0: (t.first ?? t.sw2) + t.sb2 };
}

// The engine's network spec for the depth view's state.
export function networkSpec(d) {
  const act = engineAct(d.act);
  return {
    sizes: Array.from({ length: d.depth + 1 }, () => d.width),
    activation: act,
    output: act,
    bias: true,
    seed: d.seed,
    init: SCHEMES[d.init.scheme].spec(schemeParams(d.init), d.width),
    loss: { name: 'MSELoss', params: { reduction: 'sum' } },
  };
}

// rows × cols of N(0, 1) values from the engine (see the note above), as {shape, data}.
export function gaussianRows(lab, rows, cols, seed) {
  const g = lab.network({ sizes: [cols, rows], bias: false, seed, init: { weight: 'normal', params: {} } });
  try {
    return { shape: [rows, cols], data: g.parameters({ flat: true })[0].weight.data };  // (nested and flattened back: tens of ms)
  } finally {
    g.delete();
  }
}

export const BINS = 64;
// The share of |f′| below which an entry counts as saturated (nn_stats: StatsOptions.saturation).
export const SATURATION = 1e-2;

// The parts of the state that decide the network's parameters: a change elsewhere (the activation
// or its parameters) keeps the weights and swaps the modules (net.setModules, as replacing a module
// of an nn.Sequential) — 3.3M random draws fewer at 50 × 256 × 256. A SIREN init's weights depend on
// the ω₀ the engine takes from the Sine activation; the "normal" scheme's biases on σ_b². When
// only these change and the sizes stay, the weights are drawn again into the same network
// (net.reinitialize): its pass storage is kept.
export function weightsKey(d) {
  const spec = networkSpec(d);
  return JSON.stringify([spec.sizes, spec.seed, spec.init, d.init.scheme === 'siren' ? sirenOmega(d.act) : null, biasSb2(d)]);
}
function biasSb2(d) { return d.init.scheme === 'normal' ? schemeParams(d.init).sb2 : 0; }

// Keeps the network and the inputs between redraws and starts a DepthJob for a state; one job at a
// time (a newer begin() cancels the older job: the engine's pass belongs to the network).
// delete() frees the engine's objects.
export class DepthRun {
  constructor(lab) {
    useNetworkCatalog(lab);
    this.lab = lab;
    this.net = null;
    this.netKey = '';      // weightsKey of this.net
    this.modulesKey = '';  // its activation and output, as given to the engine
    this.shapeKey = '';    // its sizes and bias flag: what reinitialize() cannot change
    this.inputs = new Map();  // 'batch,width,seed' -> x
    this.theories = new Map();
    this.job = null;
    this.last = null;      // the last complete result and its key
  }

  // A job for the state d (throws an Error naming the field for a bad state; nothing computed yet
  // beyond the network and the inputs). A state whose complete result is in hand: a job already done.
  begin(d) {
    this.job?.cancel();
    this.job = null;
    const spec = networkSpec(d);
    const key = weightsKey(d);
    const modules = JSON.stringify([spec.activation, spec.output]);
    if (key !== this.netKey) {
      const shape = JSON.stringify([spec.sizes, spec.bias]);
      let net = this.net;
      this.netKey = '';  // not known until the engine has drawn them
      if (net && shape === this.shapeKey) {
        // Only seed / init / σ_b² differ: the weights drawn again into the same network, which keeps
        // its pass storage (~105 MB at 50 × 256 × 256). Modules first: a siren init takes ω₀ from
        // the network's Sine activation, as lab.network(spec) does from spec's.
        this.setModules(spec, modules);
        net.reinitialize({ seed: spec.seed, init: spec.init });  // throws an Error naming the field; nothing changed then
      } else {
        this.net?.delete();
        this.net = null;
        this.shapeKey = '';
        net = this.lab.network(spec);  // throws an Error naming the field for a bad spec
        this.modulesKey = modules;
      }
      try {
        const sb2 = biasSb2(d);
        if (sb2 > 0) {
          const b = gaussianRows(this.lab, d.depth, d.width, d.seed + 2);
          const sb = Math.sqrt(sb2);
          // the biases only: each layer's weight left out keeps the engine's (no 3.3M numbers through JS)
          net.setParameters(Array.from({ length: d.depth }, (_, l) => ({ bias: b.data.subarray(l * d.width, (l + 1) * d.width).map((z) => sb * z) })));
        }
      } catch (e) {
        if (net !== this.net) net.delete();  // a network of its own; one reinitialized stays, its key unknown
        throw e;
      }
      this.net = net;
      this.netKey = key;
      this.shapeKey = shape;
    }
    this.setModules(spec, modules);
    const xKey = `${d.batch},${d.width},${d.seed}`;
    let x = this.inputs.get(xKey);
    if (!x) {
      x = gaussianRows(this.lab, d.batch, d.width, d.seed + 1);
      if (this.inputs.size > 4) this.inputs.clear();
      this.inputs.set(xKey, x);
    }
    const resultKey = `${this.netKey}|${this.modulesKey}|${xKey}`;
    // the same network and input (a change of what the heatmap shows, say): the same numbers
    if (this.last?.key === resultKey) return new DepthJob(this, d, { result: this.last.result });
    const target = { shape: [d.batch, d.width], data: new Float64Array(d.batch * d.width) };
    const pass = this.net.pass({ input: x, target, weights: false });
    this.job = new DepthJob(this, d, { pass, key: resultKey });
    return this.job;
  }

  // The network's modules made spec's (a no-op when they are already).
  setModules(spec, modules) {
    if (modules === this.modulesKey) return;
    this.modulesKey = '';  // not known until the engine accepts them
    this.net.setModules({ activation: spec.activation, output: spec.output });
    this.modulesKey = modules;
  }

  // The whole experiment at once (the complete result of a job run in one block).
  run(d) {
    const job = this.begin(d);
    if (job.done < job.total) job.advance(job.total);
    job.theory();
    return job.finish();
  }

  // The mean-field prediction per layer, or {error} when the theory has none for this activation.
  theory(d) {
    const key = JSON.stringify([d.act, d.init, d.width, d.depth]);
    let th = this.theories.get(key);
    if (!th) {
      const t = theoryOf(d);
      try {
        const mf = this.lab.meanField({ activation: engineAct(d.act), sigmaW2: t.sw2, sigmaB2: t.sb2 });
        th = { ...t, layers: mf.layers(t.q0, d.depth) };
      } catch (e) {
        th = { ...t, error: e.message };
      }
      if (this.theories.size > 8) this.theories.clear();
      this.theories.set(key, th);
    }
    return th;
  }

  delete() {
    this.job?.cancel();
    this.job = null;
    this.net?.delete();
    this.net = null;
    this.netKey = '';
    this.modulesKey = '';
    this.shapeKey = '';
    this.last = null;
  }
}

// One redraw's computation: the engine's pass over the batch in blocks of examples (advance), the
// statistics of the examples done so far (snapshot: exact for those examples, labelled partial by
// the page while done < total), the mean-field prediction (theory, cached by the run), and the
// complete result (finish). A result: {layers, ranges, floor, theory (null until computed),
// loss (null until done), done, total}.
// The statistics of a complete batch of 50 × 256 × 256 are over 100 ms in one call, so they can
// also be computed in steps (the scheduler's tasks): statsRanges() finds the shared ranges of all
// layers, statsLayers(k) the next k layers given them — bit for bit the one call's (the engine's
// layers option) — and the snapshot is formed when the last layer is in. Each step returns the
// number of values it read, for the scheduler's cost model.
export class DepthJob {
  constructor(run, d, { pass = null, key = '', result = null }) {
    this.run = run;
    this.d = structuredClone(d);  // the view's state changes in place
    this.pass = pass;
    this.key = key;
    this.total = d.batch;
    this.done = result ? d.batch : 0;
    this.top = d.batch;    // rows [top, total) done too: imported from the worker (importRows)
    this.weightCount = d.depth * d.width * d.width;
    this.result = result;  // the complete one
    this.loss = result?.loss ?? null;
    this.th = result?.theory ?? null;
    this.snap = null;      // the last snapshot's statistics and its row count
    this.steps = null;     // a snapshot in steps: {done, ranges, layers: [...]} (statsRanges/statsLayers)
  }

  // Values read per layer by the statistics of the rows done (pre, post and grad of each entry).
  get valuesPerLayer() { return 3 * this.done * this.d.width; }
  get valuesPerRow() { return 3 * this.d.width * this.d.depth; }
  get layerCount() { return this.d.depth; }
  // Whether the rows done still need their statistics (the snapshot in steps, or at once).
  get statsPending() { return !this.result && this.snap?.done !== this.done; }
  // Layers still to compute in the snapshot under way (all of them before statsRanges).
  get layersLeft() { return this.steps?.done === this.done ? this.layerCount - this.steps.layers.length : this.layerCount; }

  statsRanges() {
    const r = this.pass.ranges();
    // (a range that cannot be widened, all values one number of magnitude ≥ 2^52: one call instead)
    const ok = [r.pre, r.post, r.grad].every((x) => !x || x[0] < x[1]);
    this.steps = { done: this.done, ranges: ok ? r : null, layers: [] };
    return this.layerCount * this.valuesPerLayer;
  }

  statsLayers(k) {
    if (this.steps?.done !== this.done) this.statsRanges();
    const s = this.steps;
    const from = s.layers.length;
    const to = s.ranges ? Math.min(this.layerCount, from + Math.max(1, k)) : this.layerCount;
    const layers = s.ranges
      ? this.pass.statistics({ bins: BINS, saturation: SATURATION, preRange: s.ranges.pre, postRange: s.ranges.post, gradRange: s.ranges.grad, layers: [from, to] })
      : this.pass.statistics({ bins: BINS, saturation: SATURATION, shared: true });
    s.layers.push(...layers);
    if (s.layers.length === this.layerCount) {
      this.keep(s.layers);
      this.steps = null;
    }
    return (to - from) * this.valuesPerLayer;
  }

  keep(layers) {
    const range = (k) => { const hist = layers[0]?.[k].histogram; return hist ? [hist.lo, hist.hi] : [-1, 1]; };
    this.snap = { done: this.done, layers, ranges: { pre: range('pre'), post: range('post'), grad: range('grad') }, floor: gradientFloor(layers) };
  }

  get hasTheory() { return this.th !== null; }

  advance(rows) {
    this.progressed(this.pass.advance(rows));
  }

  // Rows [from, …) computed by the worker from the same state (pass.rows there): they extend the
  // rows done from the end; when they meet the prefix the pass is complete (net-depth-worker.js).
  importRows(from, data) {
    this.progressed(this.pass.setRows(from, data));
  }

  progressed(r) {
    this.done = r.done;
    this.top = r.top;
    if (r.done === r.total) this.loss = r.loss;
  }

  theory() {
    if (!this.th) this.th = this.run.theory(this.d);
    return this.th;
  }

  snapshot() {
    if (this.result) return { ...this.result, theory: this.th };
    if (this.snap?.done !== this.done) {
      // a snapshot under way for these rows: its remaining layers; else all of them in one call
      if (this.steps?.done === this.done) this.statsLayers(this.layerCount);
      else this.keep(this.pass.statistics({ bins: BINS, saturation: SATURATION, shared: true }));
    }
    const { layers, ranges, floor } = this.snap;
    return { layers, ranges, floor, theory: this.th, loss: this.done === this.total ? this.loss : null, done: this.done, total: this.total };
  }

  // The complete result (all rows done), kept by the run for the same state; frees the pass.
  finish() {
    if (!this.result) {
      this.theory();
      this.result = this.snapshot();
      this.run.last = { key: this.key, result: this.result };
      this.cancel();
    }
    return this.result;
  }

  cancel() {
    this.pass?.delete();
    this.pass = null;
    if (this.run.job === this) this.run.job = null;
  }
}

// Going back from the last layer: the first layer whose gradient std is below 1 % of the last
// layer's ({layer: l (1-based), ratio}), or {layer: null, min: {layer, ratio}} when none is.
export function gradientFloor(layers) {
  const last = layers.at(-1)?.grad?.std;
  if (!(last > 0)) return { layer: null, last };
  let min = { layer: layers.length, ratio: 1 };
  for (let l = layers.length - 1; l >= 0; l--) {
    const ratio = layers[l].grad.std / last;
    if (ratio < 0.01) return { layer: l + 1, ratio, last };
    if (ratio < min.ratio) min = { layer: l + 1, ratio };
  }
  return { layer: null, min, last };
}
