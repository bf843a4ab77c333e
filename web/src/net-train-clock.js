// Design note: the playground's clock — Play and Pause, and what one playing frame does. A frame
// trains each lane to the end of its epoch, unless that would take more than FRAME_MS: then as
// many steps as fit by the lane's cost per step on its last frame, and the epoch goes on in the
// next frame (2000 points, batch 1, two layers of 256: one epoch took 10 s, the page was frozen
// and Pause waited for it). Then the pictures are redrawn; the evaluation (the whole training
// and test sets through the net) and the charts follow at most ten times a second, and less often
// when the evaluation is itself slow (every 4 × its cost), so the frames stay frequent. While
// playing the readouts are not announced (aria-live off); Pause measures and announces the step
// reached. The steps-per-second line is lane A's, over half a second.
//
// view: { lanes(), blocked() → why training may not go on (null: it may), playBtn, rateOut,
//         liveElements() → what is announced when paused, drawPictures(), evaluate(), drawPanels(),
//         paused(): after Pause (evaluate where needed, draw, write the link) }
const FRAME_MS = 30;

export function createClock(view) {
  let playing = false;
  let raf = 0;
  let rate = { t: 0, steps: 0, value: NaN };
  let lastEval = 0;
  let evalCost = 0;
  const stepsA = () => view.lanes()[0].run.steps;

  function frameSteps() {
    if (view.blocked()) { pause(); return false; }
    let ok = true;
    const lanes = view.lanes();
    for (const ln of lanes) {
      if (!ln.run.net) continue;
      const left = ln.run.toEpochEnd();
      const k = ln.perStep > 0 ? Math.max(1, Math.min(left, Math.floor(FRAME_MS / lanes.length / ln.perStep))) : Math.min(left, 8);
      const t0 = performance.now();
      ok = ln.train(k) && ok;
      ln.perStep = (performance.now() - t0) / k;
    }
    if (!ok) pause();
    return ok;
  }
  function frame(t) {
    raf = 0;
    if (!playing) return;
    if (frameSteps()) {
      view.drawPictures();
      if (t - lastEval >= Math.max(100, 4 * evalCost)) {
        lastEval = t;
        const e0 = performance.now();
        view.evaluate();
        view.drawPanels();
        evalCost = performance.now() - e0;
      }
      if (!rate.t) rate = { t, steps: stepsA(), value: NaN };
      else if (t - rate.t >= 500) rate = { t, steps: stepsA(), value: ((stepsA() - rate.steps) * 1000) / (t - rate.t) };
      view.rateOut.textContent = Number.isFinite(rate.value) ? `${Math.round(rate.value)} steps/s` : '';
    }
    if (playing) raf = requestAnimationFrame(frame);
  }
  const live = (on) => { for (const el of view.liveElements()) el.setAttribute('aria-live', on ? 'polite' : 'off'); };
  function play() {
    if (playing || !view.lanes()[0].run.net || view.blocked()) return;
    playing = true;
    live(false);
    view.playBtn.textContent = '⏸ Pause';
    view.playBtn.setAttribute('aria-pressed', 'true');
    rate = { t: 0, steps: 0, value: NaN };
    raf = requestAnimationFrame(frame);
  }
  function pause() {
    if (!playing) return;
    playing = false;
    if (raf) cancelAnimationFrame(raf);
    raf = 0;
    // paused within the first half second: the rate over the frames that ran (else none was shown)
    const dt = performance.now() - rate.t;
    if (rate.t && !Number.isFinite(rate.value) && dt > 0 && stepsA() > rate.steps) {
      view.rateOut.textContent = `${Math.round(((stepsA() - rate.steps) * 1000) / dt)} steps/s`;
    }
    view.playBtn.textContent = '▶ Play';
    view.playBtn.setAttribute('aria-pressed', 'false');
    live(true);
    view.paused();
  }
  view.playBtn.addEventListener('click', () => (playing ? pause() : play()));
  return { play, pause, get playing() { return playing; } };
}
