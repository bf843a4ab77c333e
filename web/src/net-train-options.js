// Design note: the keywords the playground offers for the two things the function registry does
// not describe — torch.nn.init schemes and torch.optim optimisers — come from the engine itself,
// lab.networkCatalog() (core/nn_catalog.hpp, whose tests hold every default, choice and bound to
// what nn_init / nn_optim do), already in the registry's parameter form, so params.js draws their
// rows exactly like an activation's and the state stores PyTorch keywords (only those that differ
// from the default). Nothing here restates a default. Two page-side conventions:
//   * a keyword PyTorch requires (SGD's lr) is drawn from the catalog's `start` and always sent;
//   * a tuple keyword shown as several rows (Adam's betas → beta1, beta2: `keyword` + `index`) is
//     joined back into one keyword for the engine, and split again when a state is read.
// The engine checks every value and refuses a bad one in torch's words; the view shows that next
// to the row.

const cache = new WeakMap();

// A catalog keyword as params.js draws it: a required one starts (and resets) at its start value.
const control = (p) => (p.required && p.start !== null
  ? { ...p, required: false, default: p.start, doc: `${p.doc} (PyTorch has no default: the page starts at ${p.start})` } : p);

// lab → { OPTIMIZERS, INIT_SCHEMES, BIAS_CHOICES, DEFAULT_INIT }, read once per lab.
export function networkOptions(lab) {
  let o = cache.get(lab);
  if (o) return o;
  const cat = lab.networkCatalog();
  const OPTIMIZERS = Object.fromEntries(cat.optimizers.map((s) => [s.name, { params: s.params.map(control), keywords: s.params, text: s.summary, label: s.label }]));
  // 'default' is no scheme: init left out, nn.Linear's own reset_parameters()
  const INIT_SCHEMES = { default: { label: `PyTorch default (${cat.init.default})`, params: [], text: '' } };
  for (const s of cat.init.schemes) INIT_SCHEMES[s.name] = { label: s.label, params: s.params.map(control), text: s.summary };
  o = { OPTIMIZERS, INIT_SCHEMES, BIAS_CHOICES: cat.init.bias, DEFAULT_INIT: cat.init.default, catalog: cat };
  cache.set(lab, o);
  return o;
}

// The page's controls (beta1, beta2 …) → torch.optim keywords: tuple elements joined (an element
// not given at its default), required keywords always present.
export function optimizerKeywords(opts, name, values) {
  const spec = opts.OPTIMIZERS[name];
  if (!spec) return { ...values };
  const out = {};
  const tuples = new Map();
  for (const [k, v] of Object.entries(values)) if (!spec.keywords.some((p) => p.name === k && p.index !== null)) out[k] = v;
  for (const p of spec.keywords) {
    if (p.index !== null) {
      if (!tuples.has(p.keyword)) tuples.set(p.keyword, { given: false, items: [] });
      const t = tuples.get(p.keyword);
      t.items[p.index] = values[p.name] ?? p.default;
      t.given ||= values[p.name] !== undefined;
    } else if (p.required && out[p.name] === undefined) {
      out[p.name] = p.start;
    }
  }
  for (const [k, t] of tuples) if (t.given) out[k] = t.items;
  return out;
}

// torch.optim keywords → the page's controls.
export function optimizerControls(opts, name, params) {
  const spec = opts.OPTIMIZERS[name];
  const out = { ...params };
  for (const p of spec?.keywords ?? []) {
    if (p.index === null || !Array.isArray(params[p.keyword])) continue;
    out[p.name] = params[p.keyword][p.index];
  }
  for (const p of spec?.keywords ?? []) if (p.index !== null) delete out[p.keyword];
  return out;
}

// The ω₀ a siren init uses: its own w0 if given, else the Sine activation's (the engine's rule:
// core/nn_model.cpp fills it in), else the scheme's default. `actSpec`: the registry entry.
export function sirenW0(opts, initParams, act, actSpec) {
  if (initParams?.w0 !== undefined) return initParams.w0;
  if (act?.name === 'Sine') return act.params?.w0 ?? actSpec?.params.find((p) => p.name === 'w0')?.default;
  return opts.INIT_SCHEMES.siren.params.find((p) => p.name === 'w0').default;
}

// Keeps only keywords that differ from the spec's defaults (what the state and the link store).
export function changedOnly(specParams, values) {
  const out = {};
  for (const p of specParams) {
    const v = values[p.name];
    if (v !== undefined && !Object.is(v, p.default)) out[p.name] = v;
  }
  return out;
}
