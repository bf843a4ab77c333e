// Design note: the entry of the Losses tab's part, dist/app-losses.js, which main.js's
// loadPart('losses') injects the first time the tab is needed. web/build.mjs bundles it with only
// the workbench's own modules (losses.js, worked.js, losscurve.js, snippet.js, tensorview.js) and
// the losses' typeset formulas; every other import is the module object app.js published on
// globalThis.__activationLossLab.modules, so the lab, the state and the helpers are app.js's own.
import LOSS_FORMULAS from 'virtual:formulas-losses';
import { addFormulas } from './formulas.js';
import { createWorkbench } from './losses.js';

addFormulas(LOSS_FORMULAS);
globalThis.__activationLossLab.parts.losses = { createWorkbench };
