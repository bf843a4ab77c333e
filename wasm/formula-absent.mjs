// Design note — the formula API of a lab built over lab_core, which has no formula engine (the
// page's first visit has no room for it): web/build.mjs resolves lab.mjs's import of ./formula.mjs
// to this file for app.js, and formula.mjs answers with this for a module without the engine.
export const NO_FORMULA = 'this build of the lab has no formula engine (it was made from lab_core; load lab_net, as dist/lab.mjs does)';

// lab.activation's and lab.torchCode's first argument names a formula: {formula, params}.
export const isFormulaSpec = (v) => v !== null && typeof v === 'object' && 'formula' in v;

export function formulaApi() {
  const missing = () => { throw new Error(NO_FORMULA); };
  return { formula: missing, activation: missing, torchCode: missing };
}
