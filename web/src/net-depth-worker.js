// Design note: the depth view's second thread (issue 10: 50 × 256 × batch 256 redrawn fast). The
// complete view is ~1.7G multiply-adds that one thread cannot do faster; the rows of the batch are
// independent (MSELoss(reduction='sum'), core/nn_pass.hpp), so this worker computes the batch from
// its END while the page computes it from the start, and posts each block's rows (pass.rows: one
// Float64Array, its buffer transferred) for the page to import (pass.setRows) until they meet.
// Exactness: the worker runs the SAME DepthRun.begin(d) as the page (net-depth-model.js: the same
// engine code, so the same weights, inputs and modules, bit for bit) and refuses a job whose result
// key differs from the page's; the page imports a block only for its current job id.
// It yields between blocks (a MessageChannel task), so a newer job or a stop is seen within a block.
// Built by web/build.mjs into a classic script without the base64 wasm: the page posts the lab's
// compiled WebAssembly.Module ({type: 'init', module}) and gets {type: 'ready'} or {type: 'error'}.
// Messages in: {type: 'job', id, d, key, done, most} (done: the page's rows done so far; most: rows
// per block at most, for tests), {type:
// 'progress', id, done}, {type: 'stop', id}. Out: {type: 'rows', id, from, to, data, ms},
// {type: 'error', id, message}.
import { createLabFrom } from 'lab-module';
import factory from 'lab-net-glue';
import { DepthRun } from './net-depth-model.js';

const BLOCK_MS = 25;  // a block's target: a newer job waits at most about this long
let run = null;
let current = null;   // {id, job, top, limit, rows}

const tick = (() => {
  const ch = new MessageChannel();
  const queue = [];
  ch.port1.onmessage = () => queue.shift()?.();
  return (fn) => { queue.push(fn); ch.port2.postMessage(0); };
})();

function fail(id, e) {
  self.postMessage({ type: 'error', id, message: e?.message ?? String(e) });
}

function stop() {
  current?.job?.cancel();
  current = null;
}

function start(m) {
  stop();
  const c = { id: m.id, job: null, top: 0, limit: m.done ?? 0, rows: 2, most: m.most ?? Infinity };
  current = c;
  try {
    c.job = run.begin(m.d);
    if (c.job.key !== m.key) throw new Error(`worker: its job's key differs from the page's (${c.job.key} vs ${m.key})`);
    if (!c.job.pass) throw new Error('worker: no pass to compute');
  } catch (e) {
    current = null;
    fail(m.id, e);
    return;
  }
  c.top = c.job.total;
  tick(() => step(c));
}

function step(c) {
  if (current !== c) return;
  const room = c.top - c.limit;
  if (room <= 0) { stop(); return; }  // the page has the rest
  const rows = Math.max(1, Math.min(c.rows, room));
  const from = c.top - rows;
  try {
    const t = performance.now();
    c.job.pass.advance(rows, { fromEnd: true });
    const data = c.job.pass.rows(from, c.top);
    const ms = performance.now() - t;
    self.postMessage({ type: 'rows', id: c.id, from, to: c.top, data, ms }, [data.buffer]);
    c.top = from;
    // the next block about BLOCK_MS, at most twice as large
    c.rows = Math.max(1, Math.min(2 * rows, c.most, Math.floor(rows * BLOCK_MS / Math.max(ms, 0.5))));
  } catch (e) {
    stop();
    fail(c.id, e);
    return;
  }
  if (c.top > 0) tick(() => step(c));
  else stop();
}

self.onmessage = async (e) => {
  const m = e.data;
  if (m.type === 'init') {
    try {
      const lab = await createLabFrom({ default: factory, wasmModule: m.module });
      run = new DepthRun(lab);
      self.postMessage({ type: 'ready' });
    } catch (err) {
      fail(null, err);
    }
  } else if (m.type === 'job') {
    if (run) start(m);
    else fail(m.id, new Error('worker: not started'));
  } else if (m.type === 'progress') {
    if (current?.id === m.id) current.limit = m.done;
  } else if (m.type === 'stop') {
    if (current && (m.id === undefined || current.id === m.id)) stop();
  }
};
