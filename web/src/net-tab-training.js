// Design note: where the Network tab's shell finds the training playground. Engineer "train"'s
// view is createTrainingView({root, lab, catalog, state, setState}) in net-train.js; until that
// file is in the tree this module offers none, and the shell shows a line saying so. Replace the
// export below with `export { createTrainingView } from './net-train.js';` when it lands.
export const createTrainingView = null;
