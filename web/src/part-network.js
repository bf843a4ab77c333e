// Design note: the entry of the Network tab's part, dist/app-network.js, which main.js's
// loadPart('network') injects the first time the tab is needed. It brings what app.js must not
// carry on the first visit: the tab's own code, running on the lab over lab_net (the WASM module
// with the network engine), which the 'engine' part (part-engine.js) brings once per page and
// main.js loads beside this one, and its stylesheet, added to the document once as a <style>
// (a classic script cannot bring a .css file along, and app.css stays as small as it was).
// Shared modules (util.js, params.js, palette.js …) are app.js's own objects (build.mjs SHARED).
import NET_CSS from './net.css';
import { createNetworkTab } from './net-tab.js';
import { createTrainingView } from './net-tab-training.js';
import './net-depth-pool.js';  // the depth view's Web Worker (registers itself with net-depth-progress.js)

const getLab = () => globalThis.__activationLossLab.parts.engine.getLab();

function addStyle() {
  if (document.getElementById('lab-net-css')) return;
  const style = document.createElement('style');
  style.id = 'lab-net-css';
  style.textContent = NET_CSS;
  document.head.append(style);
}

// Resolves to the tab (net-tab.js) once the network lab has started.
async function mountNetworkTab(panel, app) {
  addStyle();
  const lab = await getLab();
  return createNetworkTab(panel, app, { lab, createTrainingView });
}

globalThis.__activationLossLab.parts.network = { mountNetworkTab, getLab };
