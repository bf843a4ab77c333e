// Design note: the replay of a link's steps (net-train.js adopts a link or a preset, then this
// trains each lane from the seed to the step the link names), so the numbers after a reload are
// those before it. A short run is replayed at once, before the first draw. A long one (a student
// who played for minutes has a link of 100 000 steps) is replayed in slices of 40 ms between which
// the page stays responsive: training is blocked ('replay'), the readouts are emptied (they would
// show a step on the way), and the step line says how far the replay is. Any change stops it at
// the step reached (stop), a newer link or preset drops it (cancel). Epochs are trained whole
// (net.epoch) up to the step named, and the charts get about 100 evaluations on the way, and
// one at the step reached, as if the run had been played.
//
// view: { block(why), blocked() → why, drawPictures(), draw(), stepsOut: the step line element }
export function createReplayer(view) {
  let job = 0;  // the current replay; a newer one, or a change, stops it
  return {
    // a newer replay stops an older one here, even if the new state cannot be built
    cancel() { job++; },
    // a change while a long link is replayed: the replay stops at the step reached
    stop() {
      if (view.blocked() !== 'replay') return;
      job++;
      view.block(null);
    },
    // targets: [{ ln, target }], lane A first (the lanes are evaluated at their start already)
    run(targets) {
      const me = job;
      const plan = targets.map(({ ln, target }) => ({ ln, target, every: Math.max(1, Math.floor(target / ln.run.batches / 100)), epoch: 1 }));
      // trains epochs for up to `budget` ms; returns whether every lane reached its step
      const replay = (budget) => {
        const t0 = performance.now();
        for (const p of plan) {
          while (p.ln.run.steps < p.target) {
            if (performance.now() - t0 > budget) return false;
            if (!p.ln.train(Math.min(p.ln.run.toEpochEnd(), p.target - p.ln.run.steps))) { p.target = p.ln.run.steps; break; }
            if (p.epoch % p.every === 0 || p.ln.run.steps === p.target) p.ln.evaluate();
            p.epoch++;
          }
        }
        return true;
      };
      if (replay(150)) { view.draw(); return; }
      view.block('replay');
      for (const { ln } of plan) { ln.readout.textContent = ''; ln.readout.dataset.exact = ''; }
      const total = plan.reduce((sum, p) => sum + p.target, 0);
      const progress = () => {
        view.drawPictures();
        view.stepsOut.textContent = `replaying the link to step ${plan[0].target}${plan.length > 1 ? ` (B ${plan[1].target})` : ''}: ${Math.floor((100 * plan.reduce((sum, p) => sum + p.ln.run.steps, 0)) / total)} %`;
      };
      const more = () => {
        if (me !== job) return;
        if (!replay(40)) { progress(); setTimeout(more, 0); return; }
        view.block(null);
        view.draw();
      };
      progress();
      setTimeout(more, 0);
    },
  };
}
