// Design note: the depth view's redraw as a sequence of short tasks, so a slider change shows
// correct numbers within 100 ms and the page stays responsive while the rest is computed. At
// 50 × 256 × batch 256 the exact work (every example through every layer and back) is a few hundred
// milliseconds — more than a frame, more than a keystroke may wait — and it cannot be made smaller
// without giving up PyTorch's sums. But with MSELoss(reduction='sum') each example's forward and
// backward pass depend on that example alone, so the engine's pass (net.pass) computes the batch in
// blocks of rows, and the first block's statistics are the exact statistics of those examples.
// So: the first block runs at once, sized from the measured costs so that its paint lands within
// the first budget counted from the change (what the change already spent — a new network, new
// inputs, new modules — and the statistics and the paint the block needs are in it), in blocks
// that each end their task within about a slice (the first in the change's own task); the
// preview's statistics and paint are the next task;
// then slices of about `slice` ms each run as separate tasks (MessageChannel: no 4 ms clamp, input
// and painting go in between; when one call's own cost is above the slice, a block spends at least
// as long on its rows — half the time well spent rather than tiny blocks that are all overhead),
// with a redraw whenever the examples done have doubled (and grown by a quarter of the batch)
// since the last one, and the complete view last. The statistics of such a redraw (over 100 ms for
// the whole batch at 50 layers in one call) are tasks too: the shared ranges, then chunks of
// layers sized from a measured cost per value to about a slice each (the job's statsRanges /
// statsLayers: bit for bit the one call), then the paint. A newer change
// cancels the older run: its remaining tasks find themselves stale and do nothing, so no block of
// an older state is ever drawn after a newer one. The job (net-depth-model.js DepthJob) does the
// engine's work; this file only decides when. `plan` fixes the rows per block (and the layers per
// statistics chunk) and `post` the task
// queue, for tests that step through a run one task at a time — nothing here reads a clock for a
// test's sake, and the numbers drawn never depend on the block sizes (the engine's pass is exact).
//
// More cores: when a Web Worker is ready (net-depth-pool.js, registered by useDepthPool) and the
// job is large (depth · width² · batch ≥ workerMin: below it the worker's own start — the same
// network and inputs made again there — is not worth it), the job is also posted to the worker,
// which computes the batch from its END (net-depth-worker.js) and posts each block's rows. They are
// imported at the start of this side's next block task (never between the statistics tasks of a
// snapshot), only for the current job (its id; the worker refuses a state whose result key
// differs), and the job is complete when the two meet; the worker is then told to stop. The
// preview, the snapshots and their labels are the prefix's, as on one thread. No worker, a failed
// one, `?workers=0` in the page's URL or `progressive.workers = false` (tests, the A/B benchmark):
// one thread, as before.

// A macrotask queue (a timer's 4 ms clamp would add up over tens of slices).
function messageQueue() {
  if (typeof MessageChannel === 'undefined') return (fn) => setTimeout(fn, 0);
  const ch = new MessageChannel();
  const queue = [];
  ch.port1.onmessage = () => queue.shift()?.();
  return (fn) => { queue.push(fn); ch.port2.postMessage(0); };
}

// The cost model: a block of r rows takes (fixed + perRow · r) · depth · width² ms — a call has a
// cost of its own (the products go over every weight, however few the rows), so a block of one row
// is far from a 256th of a batch of 256. Fitted by least squares to the last blocks measured (any
// network: both terms scale with the weights' size). Before anything is measured: a guess on the
// slow side (a small first block); when the blocks measured are all of one size, the next one is
// of another (a fit needs two sizes; without this, a poor fit that asks for one row per block
// would never see anything else): twice as large up to 4 rows, else half as large — a short task.
// A later block is also held to about the slice: at most 1.2 slices by the fit (unless the call's
// own cost is over the slice), and when the last one ran over that (a busy machine), scaled down
// by how far it ran over.
const GUESS = { fixed: 3e-6, perRow: 1e-6 };
const SAMPLES = 12;
// The statistics' cost: ms per value read (pre, post and grad of an entry are 3 values), the mean
// of the last calls; a guess on the slow side before any (WebAssembly in Chromium: ~1.2e-5).
// A paint's: the last one's (a guess before).
const STATS_GUESS = 2e-5;
const PAINT_GUESS = 8;

function fit(samples, before) {
  const n = samples.length;
  if (n === 0) return GUESS;
  const mr = samples.reduce((a, s) => a + s.rows, 0) / n;
  const mt = samples.reduce((a, s) => a + s.ms, 0) / n;
  const sxx = samples.reduce((a, s) => a + (s.rows - mr) ** 2, 0);
  const sxy = samples.reduce((a, s) => a + (s.rows - mr) * (s.ms - mt), 0);
  if (!(sxx > 0)) return { ...(before ?? { fixed: 0, perRow: mt / mr }), single: samples.at(-1).rows };
  if (!(sxy > 0)) return { fixed: 0, perRow: Math.max(mt / mr, 1e-12) };  // noise: all per row
  const perRow = sxy / sxx;
  const fixed = Math.max(0, mt - perRow * mr);
  return { fixed, perRow };
}

// The end of the rows this side still computes: where the worker's rows begin (a job without a
// worker, or a test's stand-in without `top`: the batch's end).
const topOf = (job) => job.top ?? job.total;
// The worker pool's maker (net-depth-pool.js registers it when the page's bundle loads it).
let makePool = null;
export function useDepthPool(make) { makePool = make; }
// Work (depth · width² · batch) from which a job is shared with the worker: ~50 ms on one thread.
const WORKER_MIN = 1e8;
const workersWanted = () => {
  try {
    return typeof location === 'undefined' || new URLSearchParams(location.search).get('workers') !== '0';
  } catch {
    return true;
  }
};

export class Progressive {
  constructor({ post = null, clock = () => performance.now(), first = 75, slice = 25, workers = workersWanted() } = {}) {
    this.workers = workers;   // false: one thread
    this.workerMin = WORKER_MIN;
    this.workerRows = undefined;  // the worker's rows per block at most (tests; else about 25 ms each)
    this.pool = null;         // made at the first job (makePool(lab)), null when there is none
    this.poolTried = false;
    this.lastImported = 0;    // rows the worker computed for the last complete job
    this.dropped = 0;         // the worker's blocks left unimported by a cancelled job (tests)
    this.post = post ?? messageQueue();
    this.clock = clock;
    this.budget = { first, slice };
    this.plan = null;  // {first, next, layers}: rows per block, layers per statistics chunk, fixed (tests); else from the cost models
    this.samples = [];  // {rows, ms per depth · width²} of the last blocks
    this.model = null;  // their fit
    this.statsSamples = [];  // ms per value of the last statistics calls
    this.statsCost = null;   // their mean
    this.paintMs = null;     // the last paint's
    this.current = null;
  }

  // Layers of statistics that should take about `ms`, at least one, at most those left.
  layersFor(ms, job) {
    if (this.plan?.layers) return this.plan.layers;
    const per = (this.statsCost ?? STATS_GUESS) * job.valuesPerLayer;
    return Math.max(1, Math.min(job.layersLeft, Math.floor(ms / per)));
  }

  // The rows of the next block before the preview (0: none, paint now): the preview — the rows
  // done and these, their statistics and the paint — should land `first` ms after the change (at
  // `since`: what the change already spent counts), and the task the block runs in (begun at
  // `started`: a new network may have taken most of it) should end within 1.2 slices.
  previewRows(job, since, started) {
    const now = this.clock();
    const spent = Math.max(0, now - since);
    const stats = (this.statsCost ?? STATS_GUESS) * job.valuesPerRow;
    const budget = this.budget.first - spent - (this.paintMs ?? PAINT_GUESS) - stats * job.done;
    const preview = this.rowsWithin(budget, job, stats);
    return Math.max(0, Math.min(preview, this.rowsWithin(1.2 * this.budget.slice - (started === null ? 0 : Math.max(0, now - started)), job), topOf(job) - job.done));
  }

  // Rows whose block the fit says takes `ms` at most (≤ 0: none), `extra` ms per row besides.
  rowsWithin(ms, job, extra = 0) {
    const m = this.model ?? GUESS;
    return Math.floor((ms - m.fixed * job.weightCount) / (m.perRow * job.weightCount + extra) + 1e-9);  // (the fit's rounding)
  }

  // Rows that should take about `ms`, at least one; `efficient`: at least as much time on the rows
  // as on the call's own cost (when that alone is over the budget, the tasks get longer, not useless).
  rowsFor(ms, job, efficient = false) {
    const m = this.model ?? GUESS;
    if (efficient && m.single) return Math.min(m.single <= 4 ? 2 * m.single : Math.floor(m.single / 2), job.total);
    const fixed = m.fixed * job.weightCount;
    const perRow = m.perRow * job.weightCount;
    let rows = this.rowsWithin(ms, job);
    if (efficient) rows = Math.max(rows, Math.min(Math.ceil(fixed / perRow - 1e-9), Math.floor((this.capMs(ms, job) - fixed) / perRow + 1e-9)));
    return Math.max(1, Math.min(rows, job.total));
  }

  // The most a later block may take: 1.2 budgets, or when the call's cost alone is over the budget,
  // twice that cost.
  capMs(ms, job) {
    const fixed = (this.model ?? GUESS).fixed * job.weightCount;
    return fixed >= ms ? 2 * fixed : 1.2 * ms;
  }

  // The worker pool for this job, or null (none, not ready yet, failed, turned off, a small job).
  poolFor(job) {
    if (!this.workers || !makePool || !job.pass || job.done === job.total) return null;
    if (!this.poolTried) {
      this.poolTried = true;
      try {
        this.pool = makePool(job.run.lab);
      } catch {
        this.pool = null;
      }
    }
    const p = this.pool;
    return p && p.ready && !p.failed && job.weightCount * job.total >= this.workerMin ? p : null;
  }

  cancel() {
    if (!this.current) return;
    this.current.pool?.stop(this.current.poolId);
    this.dropped += this.current.inbox.length;  // the worker's blocks of the older job: never imported
    this.current.cancelled = true;
    this.current.job.cancel();
    this.current = null;
  }

  // Runs the job: its first block now, the rest in tasks. show(result) is called with every state
  // to draw (result.done < result.total: a partial one); failed(error) if the engine throws.
  // since: the clock's time of the change (the first budget counts from it; default: now);
  // started: when the task that calls run began (default: now).
  run(job, { show, failed, since = null, started = null }) {
    this.cancel();
    since ??= this.clock();
    // inbox: the worker's blocks for this job, waiting for this side's next block task
    const inbox = [];
    const run = { job, cancelled: false, drawn: 0, pool: null, poolId: 0, imported: 0, inbox };
    this.current = run;
    const live = () => !run.cancelled && this.current === run;
    const pool = this.poolFor(job);
    if (pool) {
      run.pool = pool;
      run.poolId = pool.start(job.d, job.key, job.done, (m) => { if (live()) inbox.push(m); }, this.workerRows);
    }
    const absorb = () => {
      while (inbox.length && job.done < job.total) {
        const m = inbox.shift();
        if (m.type !== 'rows') {  // the worker gave up on this job: this side does the rest
          run.pool?.stop(run.poolId);
          run.pool = null;
          continue;
        }
        const fresh = Math.max(0, Math.min(m.to, topOf(job)) - Math.max(m.from, job.done));
        job.importRows(m.from, m.data);
        run.imported += fresh;
      }
    };
    let lastMs = 0;  // the last block's ms
    const advance = (rows) => {
      const n = Math.min(rows, topOf(job) - job.done);
      const t = this.clock();
      job.advance(n);
      const ms = this.clock() - t;
      lastMs = ms;
      if (ms > 0) {
        this.samples.push({ rows: n, ms: ms / job.weightCount });
        if (this.samples.length > SAMPLES) this.samples.shift();
        const m = fit(this.samples, this.model);
        this.model = m;
      }
    };
    const guard = (fn) => () => {
      if (!live()) return;
      try {
        fn();
      } catch (e) {
        this.cancel();
        failed(e);
      }
    };
    // a statistics call, its ms per value read kept
    const timed = (fn) => {
      const t = this.clock();
      const values = fn();
      const ms = this.clock() - t;
      if (ms > 0 && values > 0) {
        this.statsSamples.push(ms / values);
        if (this.statsSamples.length > SAMPLES) this.statsSamples.shift();
        this.statsCost = this.statsSamples.reduce((a, c) => a + c, 0) / this.statsSamples.length;
      }
    };
    const draw = (result) => {
      run.drawn = result.done;
      const t = this.clock();
      show(result);
      this.paintMs = this.clock() - t;
    };
    const finish = () => {
      this.current = null;
      run.pool?.stop(run.poolId);
      this.lastImported = run.imported;
      draw(job.finish());
    };
    // a redraw as tasks: the shared ranges, the statistics a chunk of layers at a time (the job keeps
    // them for its rows done), then `then` (the paint)
    const redraw = (then) => {
      if (!job.statsPending) { this.post(guard(then)); return; }
      const chunk = guard(() => {
        timed(() => job.statsLayers(this.layersFor(this.budget.slice, job)));
        this.post(job.statsPending ? chunk : guard(then));
      });
      this.post(guard(() => { job.statsRanges(); this.post(chunk); }));
    };
    // the last block's rows: the next is at most twice as many (a fit thrown off by a busy machine
    // cannot make one task of the whole rest, nor jump from a few rows to many)
    let last = 0;
    const slice = guard(() => {
      const cap = this.capMs(this.budget.slice, job);
      const over = lastMs > 1.1 * cap ? Math.max(1, Math.floor(last * cap / lastMs)) : Infinity;  // (1.1: not for noise)
      absorb();
      if (job.done < job.total) {
        last = this.plan?.next ?? Math.min(this.rowsFor(this.budget.slice, job, true), Math.max(2 * last, 2), over);
        advance(last);
        run.pool?.progress(run.poolId, job.done);
      }
      if (job.done === job.total) redraw(finish);
      // a redraw when the rows done have doubled, and by a quarter of the batch at least (each
      // costs statistics over the rows done)
      else if (job.done >= 2 * run.drawn && job.done >= run.drawn + job.total / 4) redraw(() => { draw(job.snapshot()); this.post(slice); });
      else this.post(slice);
    });
    // the first block's statistics in one call (few rows: a short one) and its paint, in a task
    // of their own; a batch done in that block (or a result in hand): everything, drawn once
    const preview = guard(() => {
      if (job.statsPending) timed(() => { job.snapshot(); return job.layerCount * job.valuesPerLayer; });
      if (job.done === job.total) { job.theory(); finish(); return; }
      draw(job.snapshot());
      // the mean-field prediction (independent of the batch) next, then the rest of the batch
      if (!job.hasTheory) this.post(guard(() => { job.theory(); draw(job.snapshot()); this.post(slice); }));
      else this.post(slice);
    });
    // the blocks before the preview: as many as its budget holds, each in a task of its own (the
    // first one at least one row, in the change's task)
    const before = (at) => guard(() => {
      const rows = this.plan?.first ?? Math.max(1, this.previewRows(job, since, at));
      // within a quarter of the batch of all of it: all of it (one paint, not two within a frame)
      advance(last = this.plan || job.done + rows < 0.75 * topOf(job) ? rows : topOf(job) - job.done);
      // (another block only when it adds a quarter of the rows done: a row or two more cost a call's
      // whole own cost and change little)
      const more = !this.plan && job.done < job.total && this.previewRows(job, since, this.clock()) >= Math.max(1, job.done / 4);
      this.post(more ? before(null) : preview);
    });
    if (job.done === job.total) preview();  // a result in hand: drawn now
    else before(started)();
    return run;
  }
}
