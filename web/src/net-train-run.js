// Design note: one training run over the engine's JS API, kept apart from the page so a test can
// drive it from Node. The step rule is the one the exported script writes: step k trains on
// minibatch (k − 1) mod ⌈N / b⌉ of the training set, rows in order. A page frame trains to the end
// of the current epoch in ONE net.epoch call over those rows (consecutive minibatches, the last
// one smaller, as a DataLoader without shuffling); "one step" is one minibatch, after which the
// next frame finishes that epoch. After training, evaluate() measures at the current weights:
//   * train loss and the per-layer statistics from net.gradients on the whole training set (no
//     update): ‖∂L/∂W‖ per Linear is the full-batch gradient's, a dead unit is dead on every
//     training point — not on one lucky minibatch;
//   * test loss from net.gradients on the test set (run first, so the statistics are the train
//     set's; weights: false, as only its loss is read: the same loss without ∂L/∂W, a quarter of
//     the evaluation's time on two layers of 256), accuracy from net.predict and the head's rule
//     for reading a class.
// A hyper-parameter change builds a new network (new optimiser, state forgotten, as a new
// torch.optim instance would be) and copies the weights in with setParameters, so training goes
// on from where it was; the run remembers the first step at which its settings changed, because
// a link or a script can only replay one setting from step 0.
import { targetOf, decideClasses, headWidth } from './net-train-heads.js';
import { engineAct } from './net-formula.js';

const rowsOf = (flat, dim, r0, r1) => ({ shape: [r1 - r0, dim], data: flat.subarray(r0 * dim, r1 * dim) });
const targetRows = (t, r0, r1) => {
  const w = t.shape.length === 2 ? t.shape[1] : 1;
  return { shape: t.shape.length === 2 ? [r1 - r0, w] : [r1 - r0], data: t.data.subarray(r0 * w, r1 * w) };
};

// cfg: { data, head, hidden, act, init, lossParams, opt, bias, seed, batch }
export function networkSpec(cfg) {
  const { data, head } = cfg;
  return {
    sizes: [data.dim, ...cfg.hidden, headWidth(head, data.classes)],
    activation: engineAct(cfg.act),
    output: head.output,
    bias: cfg.bias,
    seed: cfg.seed,
    init: cfg.init && cfg.init.weight !== 'default' ? { weight: cfg.init.weight, params: cfg.init.params ?? {}, bias: cfg.init.bias ?? 'default' } : null,
    loss: { name: head.loss, params: cfg.lossParams ?? {} },
    optimizer: { name: cfg.opt.name, params: cfg.opt.params ?? {} },
  };
}

export class TrainingRun {
  constructor(lab) {
    this.lab = lab;
    this.net = null;
    this.steps = 0;
    this.history = [];      // evaluations: {step, trainLoss, testLoss, trainCorrect, …, gradNorms, dead}
    this.changedAt = null;  // first step at which the settings changed mid-run (null: never)
  }

  // Builds the network for cfg. keep: carry the current weights over when the shapes allow
  // (returns true when they were kept). Throws the lab's Error (naming the field) and leaves the
  // run as it was.
  configure(cfg, keep = false) {
    const spec = networkSpec(cfg);
    // nothing that decides the training changed ("Edit these points" on the same set, a test
    // point added, a value typed again): the same network goes on, its optimiser state too, so
    // the run still replays from step 0 as before
    if (keep && this.net && this.trainsAlike(spec, cfg)) {
      this.adoptData(cfg);
      return true;
    }
    const net = this.lab.network(spec);
    const old = this.net;
    const same = keep && old && this.spec && this.spec.sizes.join() === spec.sizes.join() && this.spec.bias === spec.bias;
    if (same) {
      try { net.setParameters(old.parameters()); } catch (e) { net.delete(); throw e; }
      if (this.steps > 0 && this.changedAt === null) this.changedAt = this.steps;
    } else {
      this.steps = 0;
      this.history = [];
      this.changedAt = null;
    }
    old?.delete();
    this.net = net;
    this.spec = spec;
    this.adoptData(cfg);
    return same;
  }

  adoptData(cfg) {
    this.cfg = cfg;
    const { data, head } = cfg;
    this.nTrain = data.train.y.length;
    this.nTest = data.test.y.length;
    this.tTrain = targetOf(head, data.train.y);
    this.tTest = targetOf(head, data.test.y);
  }

  // Whether cfg trains exactly as the current configuration: the same network, loss and
  // optimiser (the spec), the same batch size and the same training points in the same order.
  trainsAlike(spec, cfg) {
    const same = (a, b) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
    const [a, b] = [this.cfg.data, cfg.data];
    return JSON.stringify(spec) === JSON.stringify(this.spec) && cfg.batch === this.cfg.batch && a.dim === b.dim
      && same(a.train.x, b.train.x) && same(a.train.y, b.train.y);
  }

  get batches() { return Math.max(1, Math.ceil(this.nTrain / this.cfg.batch)); }

  // k optimizer steps; returns the minibatch losses (before each update).
  train(k) {
    const { data, batch } = this.cfg;
    const out = [];
    while (k > 0) {
      const b0 = this.steps % this.batches;
      const count = Math.min(k, this.batches - b0);
      const r0 = b0 * batch;
      const r1 = Math.min(this.nTrain, (b0 + count) * batch);
      const res = this.net.epoch({ input: rowsOf(data.train.x, data.dim, r0, r1), target: targetRows(this.tTrain, r0, r1), batchSize: batch });
      for (const v of res.losses) out.push(v);
      this.steps += count;
      k -= count;
    }
    return out;
  }

  // Steps to the end of the current epoch (a full epoch when at its start).
  toEpochEnd() { return this.batches - (this.steps % this.batches); }

  evaluate() {
    const { data, head } = this.cfg;
    const width = this.spec.sizes[this.spec.sizes.length - 1];
    const cls = data.task === 'class';
    const ev = { step: this.steps };
    if (this.nTest) {
      const xt = rowsOf(data.test.x, data.dim, 0, this.nTest);
      ev.testLoss = this.net.gradients({ input: xt, target: this.tTest, weights: false }).loss;
      if (cls) {
        const c = decideClasses(head, this.net.predict(xt), width);
        ev.testCorrect = c.reduce((s, v, i) => s + (v === data.test.y[i] ? 1 : 0), 0);
        ev.testTotal = this.nTest;
      }
    }
    const x = rowsOf(data.train.x, data.dim, 0, this.nTrain);
    ev.trainLoss = this.net.gradients({ input: x, target: this.tTrain }).loss;
    const stats = this.net.statistics();
    ev.gradNorms = stats.map((l) => l.weightGradNorm);
    ev.dead = stats.map((l) => l.dead);
    if (cls) {
      const c = decideClasses(head, this.net.predict(x), width);
      ev.trainCorrect = c.reduce((s, v, i) => s + (v === data.train.y[i] ? 1 : 0), 0);
      ev.trainTotal = this.nTrain;
    }
    const last = this.history[this.history.length - 1];
    if (last && last.step === ev.step) this.history[this.history.length - 1] = ev; else this.history.push(ev);
    return ev;
  }

  delete() {
    this.net?.delete();
    this.net = null;
  }
}
