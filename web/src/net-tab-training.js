// Design note: where the Network tab's shell finds the training playground: engineer "train"'s
// createTrainingView({root, lab, catalog, state, setState, app}) in net-train.js.
export { createTrainingView } from './net-train.js';
