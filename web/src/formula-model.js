// Design note: what the explorer needs to treat "Your formula" as a curve, from the lab alone
// (lab.formula(text) parses in C++ and lab.torchCode writes the PyTorch code; nothing here reads
// the text itself, beyond cutting the parameter list after ';' off the legend's label).
//   * A curve is {name: 'formula', formula: text, params}: params holds only values that differ
//     from the formula's own defaults, and only for parameters the formula has (pruned after each
//     successful parse, so the link stays short and right); a failed parse prunes nothing.
//   * Per curve, the last description that parsed is kept: while the text has a mistake its
//     sliders stay as they were and the explorer keeps the last good curve drawn (dimmed).
//   * spec(curve) is shaped like a registry entry (float parameters with the lab's slider range),
//     so params.js draws the sliders and the explorer's sampling, readout and exports need nothing
//     else. run() throws a syntax error marked `inline` (the editor shows it beside the field).
const CACHE = 64;  // parsed texts kept (typing makes a new text per keystroke)

export function createModel(lab) {
  const parsed = new Map();
  const good = new WeakMap();  // curve -> last description that parsed
  const describe = (text) => {
    let d = parsed.get(text);
    if (!d) {
      d = lab.formula(text);
      parsed.set(text, d);
      if (parsed.size > CACHE) parsed.delete(parsed.keys().next().value);
    }
    return d;
  };
  // the description the curve shows now: its text's, or the last good one while the text is wrong
  const current = (c) => {
    const d = describe(c.formula);
    if (d.ok) good.set(c, d);
    return d.ok ? d : good.get(c) ?? null;
  };
  const values = (d, params) => Object.fromEntries(d.parameters.map((p) => [p.name, params[p.name] ?? p.value]));

  return {
    describe,
    current,
    values,
    // after an edit of the text: params only for the formula's parameters, without its defaults
    prune(c) {
      const d = describe(c.formula);
      if (!d.ok) return;
      for (const k of Object.keys(c.params)) {
        const p = d.parameters.find((q) => q.name === k);
        if (!p || Object.is(c.params[k], p.value)) delete c.params[k];
      }
    },
    spec(c) {
      const d = current(c);
      return {
        name: 'Your formula',
        kind: 'elementwise',
        params: (d?.parameters ?? []).map((p) => ({
          name: p.name, type: 'float', default: p.value, required: false, min: null, max: null,
          sliderMin: p.sliderMin, sliderMax: p.sliderMax,
          doc: p.declared ? `a parameter of your formula, default ${p.value} (given after ;)` : `a parameter of your formula, default 1 (write e.g. "; ${p.name}=0.5" after it for another)`,
        })),
        label: (params) => label(c.formula, d ? changed(d, params) : {}),
      };
    },
    run(c, params, x) {
      const d = describe(c.formula);
      if (!d.ok) throw Object.assign(new Error(`formula: ${d.error.message} (column ${d.error.column})`), { inline: true });
      return lab.activation({ formula: c.formula, params: values(d, params) }, x);
    },
    // the PyTorch code at the curve's values (lab.torchCode: the module's keyword defaults and the
    // lambda's literals are those values), or the text's own while they are its defaults
    torch(c, params) {
      const d = current(c);
      if (!d) return null;
      const at = Object.keys(changed(d, params)).length ? lab.torchCode({ formula: d.text, params: values(d, params) }) : d.torch;
      return { ...at, call: `${/class (\w+)/.exec(at.module)?.[1] ?? 'MyActivation'}()` };
    },
    changed,
  };
}

function changed(d, params) {
  const out = {};
  for (const p of d.parameters) if (params[p.name] !== undefined && !Object.is(params[p.name], p.value)) out[p.name] = params[p.name];
  return out;
}

// A formula's number as the language reads it.
export function literal(v) {
  return Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v);
}

// The legend's and readout's name of a formula curve: its expression (shortened), and the
// parameters set away from their defaults.
export const LABEL_MAX = 40;
export function label(text, changedParams) {
  let e = text.split(';')[0].trim().replace(/\s+/g, ' ');
  if (e.length > LABEL_MAX) e = `${e.slice(0, LABEL_MAX - 1)}…`;
  const kw = Object.entries(changedParams).map(([k, v]) => `${k}=${literal(v)}`);
  return kw.length ? `${e || 'formula'} (${kw.join(', ')})` : e || 'formula';
}
