// Design note — the network API of a lab built over lab_core, the WebAssembly module without the
// network engine (the page's first visit, whose budget has no room for it). It is its own file so
// that such a build can leave network.mjs out altogether: web/build.mjs resolves lab.mjs's import
// of ./network.mjs to this file for app.js, and network.mjs itself answers with this when handed
// a module that lacks the engine. Every entry throws the same sentence.
export const NO_ENGINE = 'this build of the lab has no network engine (it was made from lab_core; load lab_net, as dist/lab.mjs does)';

export function networkApi() {
  const missing = () => { throw new Error(NO_ENGINE); };
  return { network: missing, meanField: missing, dataset: missing, datasets: missing, networkCatalog: missing, calculateGain: missing };
}
