// Design note: the page's side of the depth view's second thread (net-depth-worker.js). The
// worker's script travels inside the Network tab's part as a string (web/build.mjs), so it starts
// from a Blob URL — over http and from file:// alike, with no request — and it gets the lab's
// already compiled WebAssembly.Module by postMessage (lab.wasmModule): no second copy of the
// wasm, no second compile. One job at a time, by id: start() replaces the older job (the worker
// drops it at its next block), and a block of any other id is never handed on. If the worker
// cannot start or fails, the pool says so (failed) and the scheduler (net-depth-progress.js) runs
// on one thread as before. Registered with the scheduler on load (useDepthPool): the Node tests
// import net-depth-progress.js without this file, and so without a worker.
import WORKER_SOURCE from 'virtual:depth-worker';
import { useDepthPool } from './net-depth-progress.js';

export function createDepthPool(lab) {
  if (typeof Worker !== 'function' || typeof Blob !== 'function' || !(lab?.wasmModule instanceof WebAssembly.Module)) return null;
  // one core: a second thread would only take turns with this one (and hold a second ~105 MB pass)
  if (typeof navigator !== 'undefined' && navigator.hardwareConcurrency < 2) return null;
  let worker;
  let url = null;
  try {
    url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    worker = new Worker(url);
  } catch {
    if (url) URL.revokeObjectURL(url);
    return null;
  }
  let nextId = 1;
  let id = 0;            // the current job's
  let listener = null;   // its (message) callback
  const pool = {
    ready: false,
    failed: null,        // the reason, once the worker is unusable
    stale: 0,            // messages of an older job, dropped (tests)
    // Posts a job (the view's state d and the page's result key): the worker runs the same
    // DepthRun.begin(d) and sends rows from the end; onMessage gets {type: 'rows', from, to, data}
    // or {type: 'error', message} for this job only. → the job's id.
    start(d, key, done, onMessage, most = undefined) {
      id = nextId++;
      listener = onMessage;
      worker.postMessage({ type: 'job', id, d, key, done, most });
      return id;
    },
    // The page's rows done so far (the worker stops short of them).
    progress(jobId, done) {
      if (jobId === id && !pool.failed) worker.postMessage({ type: 'progress', id: jobId, done });
    },
    stop(jobId) {
      if (jobId !== id) return;
      listener = null;
      id = 0;
      if (!pool.failed) worker.postMessage({ type: 'stop', id: jobId });
    },
    terminate() {
      pool.failed ??= 'terminated';
      pool.ready = false;
      worker.terminate();
    },
  };
  const fail = (why) => {
    pool.failed ??= why;
    pool.ready = false;
    const l = listener;
    listener = null;
    l?.({ type: 'error', message: why });
    worker.terminate();
  };
  worker.onmessage = (e) => {
    const m = e.data;
    if (m.type === 'ready') {
      pool.ready = true;
      URL.revokeObjectURL(url);
    } else if (m.type === 'error' && (m.id === null || m.id === undefined)) {
      fail(`worker: ${m.message}`);
    } else if (m.id === id && listener) {
      listener(m);
    } else {
      pool.stale++;
    }
  };
  worker.onerror = (e) => { e.preventDefault?.(); fail(`worker: ${e.message || 'failed'}`); };
  worker.onmessageerror = () => fail('worker: a message could not be read');
  worker.postMessage({ type: 'init', module: lab.wasmModule });
  return pool;
}

useDepthPool(createDepthPool);
