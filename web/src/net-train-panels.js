// Design note: the charts column of the playground and the plots' text summary, for one lane or
// two (Compare). Everything is drawn from the lanes' evaluations (run.history, lane.last), on
// shared axes: with two lanes, A's lines are solid in the first palette colour and B's in the
// third, test lines dashed; in the gradient chart each Linear keeps its colour and B is dashed.
// The summary says in words what a sighted student reads off the charts: the layer where the
// gradient falls below 1 % of the last layer's, and the dead units.
import { h } from './util.js';
import { LineChart, BarChart } from './net-train-plots.js';
import { pyG, accuracyText } from './net-train-heads.js';
import { colorOf } from './palette.js';

// A share as a whole percentage that never says 0 % of a dead unit or 100 % when one lives
// (1 dead unit of 128 is 0.8 %, not "0 %").
export function percent(v) {
  const r = Math.round(v * 100);
  return `${v > 0 && r === 0 ? '<1' : v < 1 && r === 100 ? '>99' : r} %`;
}

const chartBox = (title) => { const el = h('div', { class: 'nt-chartbox' }); return [h('h3', { class: 'nt-chart-title', text: title }), el]; };

export class Panels {
  constructor() {
    const [lossTitle, lossEl] = chartBox('Loss (log scale): train —, test - - -');
    const [accTitle, accEl] = chartBox('Accuracy (%): train —, test - - -');
    const [gradTitle, gradEl] = chartBox('‖∂L/∂W‖ per layer (log scale)');
    const [deadTitle, deadEl] = chartBox('Dead units per Linear (no output, no gradient on any training point)');
    this.lossTitle = lossTitle;
    this.gradTitle = gradTitle;
    this.loss = new LineChart(lossEl, { label: 'train and test loss over steps', log: true });
    this.acc = new LineChart(accEl, { label: 'train and test accuracy over steps', yMin: 0, yMax: 100 });
    this.grad = new LineChart(gradEl, { label: 'gradient norm of each layer over steps', log: true });
    this.dead = new BarChart(deadEl, { label: 'share of dead units per layer' });
    this.laneKey = h('div', { class: 'nt-legend small', hidden: true });
    this.gradLegend = h('div', { class: 'nt-legend small' });
    this.accBlock = h('div', {}, accTitle, accEl);
    this.element = h('div', { class: 'nt-charts' }, this.laneKey, lossTitle, lossEl, this.accBlock, gradTitle, gradEl, this.gradLegend, deadTitle, deadEl);
  }

  update(lanes, task, theme) {
    const two = lanes.length > 1;
    const laneColor = (i) => colorOf(two ? 2 * i : 0, theme);
    this.laneKey.hidden = !two;
    if (two) {
      this.laneKey.replaceChildren(...lanes.map((ln, i) => h('span', { class: 'nt-key' },
        h('span', { class: 'nt-swatch', style: `background:${laneColor(i)}` }), `configuration ${ln.name}`)));
    }
    const loss = [];
    const acc = [];
    lanes.forEach((ln, i) => {
      const hist = ln.run.history;
      const xs = hist.map((e) => e.step);
      const train = laneColor(i);
      const test = two ? laneColor(i) : colorOf(1, theme);
      loss.push({ label: `${ln.name} train`, color: train, xs, ys: hist.map((e) => e.trainLoss) },
        { label: `${ln.name} test`, color: test, dash: [5, 4], xs, ys: hist.map((e) => e.testLoss) });
      acc.push({ label: `${ln.name} train`, color: train, xs, ys: hist.map((e) => (100 * e.trainCorrect) / e.trainTotal) },
        { label: `${ln.name} test`, color: test, dash: [5, 4], xs, ys: hist.map((e) => (e.testTotal ? (100 * e.testCorrect) / e.testTotal : NaN)) });
    });
    this.loss.update(loss);
    this.accBlock.hidden = task !== 'class';
    if (task === 'class') this.acc.update(acc);
    const grad = [];
    const keys = [];
    const bars = [];
    lanes.forEach((ln, i) => {
      const hist = ln.run.history;
      const xs = hist.map((e) => e.step);
      const layers = ln.run.spec.sizes.length - 1;
      for (let l = 0; l < layers; l++) {
        grad.push({ label: `${ln.name} Linear ${l + 1}`, color: colorOf(l, theme), dash: i ? [5, 4] : undefined, xs, ys: hist.map((e) => e.gradNorms[l]) });
        keys.push(h('span', { class: 'nt-key' }, h('span', { class: 'nt-swatch', style: `background:${colorOf(l, theme)}` }),
          `${two ? `${ln.name} ` : ''}Linear ${l + 1}${ln.last ? ` ${pyG(ln.last.gradNorms[l], 3)}` : ''}`));
        const v = ln.last?.dead[l];
        bars.push({ label: `${two ? `${ln.name} · ` : ''}Linear ${l + 1}`, value: v, text: Number.isFinite(v) ? percent(v) : 'n/a', color: l });
      }
    });
    this.gradTitle.textContent = two ? '‖∂L/∂W‖ per layer (log scale; B dashed)' : '‖∂L/∂W‖ per layer (log scale)';
    this.grad.update(grad);
    this.gradLegend.replaceChildren(...keys);
    this.dead.update(bars, theme);
  }

  // The charts in words, per lane: the loss and accuracy curves from their first point to the
  // step shown (the readout's digits), the gradient chart, the dead units.
  static summary(lanes) {
    const two = lanes.length > 1;
    return lanes.filter((ln) => ln.last).map((ln) => {
      const parts = [Panels.curves(ln.run.history, ln.last)];
      const g = ln.last.gradNorms;
      const top = g[g.length - 1];
      const low = g.findIndex((v, i) => i < g.length - 1 && v < 0.01 * top);
      parts.push(low >= 0 ? `The gradient of Linear ${low + 1} is below 1 % of the last layer’s.` : 'No layer’s gradient is below 1 % of the last layer’s.');
      const dead = ln.last.dead.map((v, i) => [v, i]).filter(([v]) => v > 0);
      if (dead.length) parts.push(`Dead units: ${dead.map(([v, i]) => `Linear ${i + 1} ${percent(v)}`).join(', ')}.`);
      return `${two ? `${ln.name}: ` : ''}${parts.join(' ')}`;
    }).join(' ');
  }

  // "Train loss fell from 0.70 at step 0 to 0.29 at step 374, test loss …; train accuracy …"
  static curves(hist, last) {
    const all = hist.length ? hist : [last];
    const first = all[0];
    const acc = (c, n) => (c === undefined ? undefined : accuracyText(c, n));
    const kinds = [['train loss', (e) => e.trainLoss, pyG], ['test loss', (e) => e.testLoss, pyG],
      ['train accuracy', (e) => acc(e.trainCorrect, e.trainTotal)], ['test accuracy', (e) => acc(e.testCorrect, e.testTotal)]];
    const said = [];
    for (const [name, get, f] of kinds) {
      const b = get(last);
      if (b === undefined) continue;
      if (first.step === last.step) { said.push(`${name} ${f ? f(b) : b}`); continue; }
      const from = all.find((e) => get(e) !== undefined);  // a test set may have started later
      const a = get(from);
      const at = from.step === first.step ? '' : ` at step ${from.step}`;
      const [ta, tb] = f ? [f(a), f(b)] : [a, b];  // as written: the same digits say "stayed"
      if (ta === tb) said.push(`${name} stayed at ${tb}${at ? ` from step ${from.step}` : ''}`);
      else said.push(`${name} ${(f ? b < a : parseFloat(tb) < parseFloat(ta)) ? 'fell' : 'rose'} from ${ta}${at} to ${tb}`);
    }
    return first.step === last.step ? `At step ${last.step}: ${said.join(', ')}.` : `From step ${first.step} to ${last.step}: ${said.join(', ')}.`;
  }

  destroy() {
    for (const c of [this.loss, this.acc, this.grad, this.dead]) c.destroy();
  }
}
