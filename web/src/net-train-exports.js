// Design note: what the playground hands out — per lane, the PyTorch script that reruns its
// training (built when its box opens or a button asks, so it is always the run on screen), and a
// row of downloads: the weights, the loss history, the picture, the charts (PNG and SVG) and the
// points. With Compare each lane's file is named after it (weights-A.json, weights-B.json).
// All of it is read at the moment of the click from the view (lanes(), data()), never kept.
import { h, download, copyButton } from './util.js';
import { toPoints, toCsv } from './net-data.js';
import { historyCsv } from './net-export.js';

// view: { lanes() → [Lane], data() → the data in use, points() → the own points or null, panels }
export function trainExports(view) {
  const two = () => view.lanes().length > 1;
  const suffix = (ln) => (two() ? `-${ln.name}` : '');
  const button = (text, onclick) => h('button', { type: 'button', class: 'btn btn-small', text, onclick });
  const eachLane = (make) => () => { for (const ln of view.lanes()) download(...make(ln)); };
  const scriptBox = (ln) => {
    const pre = h('pre', { class: 'mono nt-script', tabIndex: 0 });
    const box = h('details', { class: 'nt-export' }, h('summary', { text: `Export to PyTorch${two() ? ` (${ln.name})` : ''}: a script that reruns this training` }),
      h('p', { class: 'muted small', text: 'It seeds torch, builds the same nn.Sequential, initialises it the same way, writes the data out, and trains on the same minibatches in order; it prints what the line under the picture shows.' }),
      h('div', { class: 'nt-row' }, copyButton(() => ln.script(view.data()), 'Copy script'),
        button('Download .py', () => download(ln.script(view.data()), `playground${suffix(ln)}.py`, 'text/x-python'))),
      pre);
    box.addEventListener('toggle', () => { if (box.open) pre.textContent = ln.script(view.data()); });
    return box;
  };
  const { panels } = view;
  const files = h('div', { class: 'nt-row' },
    button('Weights (JSON)', eachLane((ln) => [ln.weights(), `weights${suffix(ln)}.json`, 'application/json'])),
    button('History (CSV)', eachLane((ln) => [historyCsv(ln.run.history, view.data().task === 'class'), `history${suffix(ln)}.csv`, 'text/csv'])),
    button('Picture (PNG)', async () => { for (const ln of view.lanes()) download(await ln.canvas.pngBlob(), `playground${suffix(ln)}.png`); }),
    button('Loss chart (PNG)', () => panels.loss.canvas.toBlob((b) => download(b, 'loss.png'))),
    button('Gradient chart (PNG)', () => panels.grad.canvas.toBlob((b) => download(b, 'gradients.png'))),
    button('Loss chart (SVG)', () => download(panels.loss.svg(), 'loss.svg', 'image/svg+xml')),
    button('Gradient chart (SVG)', () => download(panels.grad.svg(), 'gradients.svg', 'image/svg+xml')),
    button('Points (CSV)', () => download(`${toCsv(view.points() ?? toPoints(view.data()))}\n`, 'points.csv', 'text/csv')));
  return { scriptBox, files };
}
