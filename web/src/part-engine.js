// Design note: the entry of the 'engine' part, dist/app-engine.js: the lab over lab_net (the WASM
// module with the network engine and the formula language), which the first visit (app.js, over
// lab_core) must not carry. Two parts run on it — the Network tab ('network') and the explorer's
// "Your formula" ('formula') — and neither bundles a lab of its own (web/build.mjs checks), so
// whichever is needed first brings lab_net and the other finds it started: one download, one
// WebAssembly instance per page. main.js loads this part beside the one that needs it.
// web/build.mjs resolves 'lab-module' here to dist/lab.mjs, whose default createLab() loads lab_net.
import createLab from 'lab-module';

let labPromise = null;
// a start that failed is tried again on the next call (the caller offers a retry)
const getLab = () => (labPromise ??= createLab().catch((e) => { labPromise = null; throw e; }));

globalThis.__activationLossLab.parts.engine = { getLab };
