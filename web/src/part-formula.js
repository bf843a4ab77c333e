// Design note: the entry of the 'formula' part, dist/app-formula.js: the explorer's "Your formula"
// (its field, sliders' spec, values, card, compare readout), loaded the first time a formula curve
// is picked or a link or embed has one (main.js's loadPart('formula'), which loads the 'engine'
// part beside it: the lab over lab_net, shared with the Network tab, one per page). create(app)
// resolves to what the explorer calls as app.formula once that lab has started; its stylesheet is
// added to the document once as a <style>, as the Network tab's is.
import FORMULA_CSS from './formula.css';
import { curveLabel } from './explorer.js';
import { colorOf } from './palette.js';
import { fullParams } from './params.js';
import { createModel } from './formula-model.js';
import { createEditors } from './formula-editor.js';
import { formulaCard } from './formula-card.js';
import { renderCompare } from './formula-compare.js';

function addStyle() {
  if (document.getElementById('lab-formula-css')) return;
  document.head.append(Object.assign(document.createElement('style'), { id: 'lab-formula-css', textContent: FORMULA_CSS }));
}

async function create(app) {
  addStyle();
  const lab = await globalThis.__activationLossLab.parts.engine.getLab();
  const model = createModel(lab);
  const editor = createEditors(model);
  const isF = (c) => c.formula != null;
  const specOf = (c) => (isF(c) ? model.spec(c) : app.specOf(c.name));
  return {
    lab,
    model,
    spec: model.spec,
    run: model.run,
    editor,
    info: (c) => formulaCard(model, c, fullParams(model.spec(c), c.params)),
    // after each redraw: the formula curves against the others, from the samples drawn (get(i):
    // the explorer's cache entry of curve i; a curve whose input is wrong has no fresh values)
    compare(box, xs, get) {
      const curves = app.state.act.curves;
      const fresh = (i) => { const r = get(i); return r && !r.error ? r : null; };
      const who = (c, i) => ({ label: curveLabel(specOf(c), c.params), color: colorOf(i, app.theme) });
      const rows = [];
      curves.forEach((c, i) => {
        if (!isF(c) || !fresh(i)) return;
        curves.forEach((o, j) => {
          if (j === i || !fresh(j) || (isF(o) && j < i)) return;  // each pair of formulas once
          rows.push({ a: who(c, i), b: who(o, j), y: [get(i).yRaw, get(j).yRaw], dy: [get(i).dyRaw, get(j).dyRaw] });
        });
      });
      renderCompare(box, rows, xs, app.teach.hiddenNow('deriv'));
    },
  };
}

globalThis.__activationLossLab.parts.formula = { create };
