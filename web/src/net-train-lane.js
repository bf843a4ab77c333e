// Design note: one configuration of the playground — its settings, its controls, its training
// run, its head and its picture — so the view can hold one, or two side by side for Compare
// (same data, same seed: lane B shares lane A's data and seed and hides those controls). The
// view owns the data and the clock; a lane turns settings into a network (run.configure), trains
// when told, measures (run.evaluate) and draws its picture: the heatmap of class probabilities
// from one net.predict over the grid, through the lab's own Sigmoid or Softmax (a ±1 Tanh output
// is read as (z + 1) / 2), or the fitted curve.
import { h } from './util.js';
import { buildControls } from './net-train-controls.js';
import { BoundaryCanvas } from './net-boundary.js';
import { TrainingRun } from './net-train-run.js';
import { findHead, defaultHead, accuracyText } from './net-train-heads.js';
import { pytorchScript, evaluationLine, weightsJson } from './net-export.js';
import { engineAct } from './net-formula.js';

export class Lane {
  // opts: { name, lab, catalog, st, shared, theme, app, onChange(lane, kind, arg), onEdit(points, how), label }
  constructor(opts) {
    this.opts = opts;
    this.name = opts.name;
    this.lab = opts.lab;
    this.st = opts.st;
    this.run = new TrainingRun(opts.lab);
    this.head = null;
    this.last = null;  // the last evaluation
    this.controls = buildControls({ lab: opts.lab, catalog: opts.catalog, st: opts.st, shared: opts.shared, theme: opts.theme,
      onChange: (kind, arg) => opts.onChange(this, kind, arg) });
    this.picture = h('div', { class: 'nt-picture' });
    this.readout = h('p', { class: `nt-readout${this.name === 'B' ? ' nt-readout-b' : ''} mono`, 'aria-live': 'polite' });
    this.error = h('div', { class: 'field-error', role: 'alert', hidden: true });
    this.canvas = new BoundaryCanvas(this.picture, {
      label: opts.label,
      onEdit: (pts, how) => opts.onEdit(pts, how),
      getTool: () => this.controls.tool(),
      canEdit: () => opts.app?.teach?.canEdit?.('points') ?? true,
      maxHeight: opts.maxHeight,
      getClass: () => this.controls.newClass(),
      getSet: () => this.controls.newTest(),
    });
  }

  showError(msg) { this.error.hidden = !msg; this.error.textContent = msg ?? ''; }

  cfg(data) {
    const st = this.st;
    return { data, head: this.head, hidden: st.hidden, act: st.act, init: st.init, lossParams: st.head.params, opt: st.opt, bias: st.bias, seed: st.seed, batch: st.batch };
  }

  // The head for this data (the default one when the chosen loss does not fit it).
  fitHead(data) {
    this.head = findHead(this.st.head.loss, data.task, data.classes);
    if (!this.head) {
      this.st.head = { loss: defaultHead(data.task, data.classes), params: {} };
      this.head = findHead(this.st.head.loss, data.task, data.classes);
      this.controls.redrawParams();
    }
  }

  // A network for the settings; keep: the weights carry over where the shapes allow. The lab's
  // refusal is shown in the group of the field it names; returns whether a network stands.
  configure(data, keep) {
    this.fitHead(data);
    try {
      this.run.configure(this.cfg(data), keep);
    } catch (e) {
      this.controls.showError(e.message);
      return false;
    }
    this.controls.showError(null);
    this.showError(null);
    return true;
  }

  train(k) {
    try {
      this.run.train(k);
      return true;
    } catch (e) {
      this.showError(e.message);
      return false;
    }
  }

  evaluate() {
    if (!this.run.net) return;
    try {
      this.last = this.run.evaluate();
    } catch (e) {
      this.showError(e.message);
    }
  }

  // The readout's values as the script prints them.
  displayed(ev = this.last) {
    const acc = (c, n) => (c === undefined ? undefined : `${c}/${n} (${accuracyText(c, n)})`);
    return { step: ev.step, trainLoss: ev.trainLoss, testLoss: ev.testLoss, trainAcc: acc(ev.trainCorrect, ev.trainTotal), testAcc: acc(ev.testCorrect, ev.testTotal) };
  }

  drawReadout(compare, none = false) {
    const ev = none ? null : this.last;
    this.readout.textContent = ev ? `${compare ? `${this.name}: ` : ''}${evaluationLine(this.displayed())}` : '';
    // the same numbers at full precision, for tests: [step, train loss, train correct, test loss, test correct]
    this.readout.dataset.exact = ev ? JSON.stringify([ev.step, ev.trainLoss, ev.trainCorrect ?? null, ev.testLoss ?? null, ev.testCorrect ?? null]) : '';
  }

  probabilities(out, width) {
    if (width > 1) return this.lab.activation('Softmax', { dim: 1 }, { shape: [out.length / width, width], data: out }).y.data;
    if (this.head.decide === 'prob') return out;
    if (this.head.output?.name === 'Tanh') return out.map((z) => (z + 1) / 2);  // a ±1 output read as a share
    return this.lab.activation('Sigmoid', {}, out).y;
  }

  // scene: the view's {task, points, theme, editable, view range}
  drawPicture(scene, range) {
    const net = this.run.net;
    if (!net) return;
    const s = { ...scene, probs: null, curve: null, K: 1 };
    this.canvas.view = range;
    const width = this.run.spec.sizes[this.run.spec.sizes.length - 1];
    try {
      if (scene.task === 'class') {
        s.probs = this.probabilities(net.predict(this.canvas.gridInput()), width);
        s.K = width;
      } else {
        const xs = this.canvas.curveInput();
        s.curve = { x: xs.data, y: net.predict(xs) };
      }
    } catch (e) {
      this.showError(e.message);
    }
    this.canvas.setScene(s);
  }

  script(data) {
    const st = this.st;
    return pytorchScript({ lab: this.lab, data, head: this.head, sizes: this.run.spec.sizes, act: st.act, init: st.init, lossParams: st.head.params, opt: st.opt, bias: st.bias, batch: st.batch, seed: st.seed, steps: this.run.steps });
  }

  weights() {
    const st = this.st;
    return weightsJson(this.run.net.parameters(), { step: this.run.steps, sizes: this.run.spec.sizes, activation: engineAct(st.act), output: this.head.output, loss: { name: this.head.loss, params: st.head.params }, optimizer: st.opt, seed: st.seed });
  }

  destroy() {
    this.canvas.destroy();
    this.run.delete();
  }
}
