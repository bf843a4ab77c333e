// Design note: the keywords the playground offers for the two things the registry does not
// describe — torch.nn.init schemes and torch.optim optimisers — written as the registry's
// parameter specs, so params.js draws their rows exactly like an activation's (slider, number box,
// reset, doc line) and the state stores them as PyTorch keywords (only those that differ from the
// default). Defaults are torch 1.13's (SGD's lr has none in PyTorch: the page starts it at 0.1).
// The engine checks every value and refuses a bad one in torch's words; the view shows that next
// to the row. Adam's `betas` is one PyTorch keyword shown as two rows, beta1 and beta2.

const P = (name, type, dflt, o = {}) => ({
  name, type, default: dflt, required: false,
  min: o.min ?? null, max: o.max ?? null, minOpen: !!o.minOpen, maxOpen: !!o.maxOpen,
  sliderMin: o.sliderMin ?? o.min ?? 0, sliderMax: o.sliderMax ?? o.max ?? 1,
  choices: o.choices ?? [], doc: o.doc ?? '',
});

const lr = (d) => P('lr', 'float', d, { min: 0, sliderMin: 0, sliderMax: d >= 0.01 ? 1 : 0.1, doc: 'learning rate' });
const wd = (d) => P('weight_decay', 'float', d, { min: 0, sliderMax: 0.1, doc: 'L2 penalty (AdamW: decoupled decay)' });
const beta1 = P('beta1', 'float', 0.9, { min: 0, max: 1, maxOpen: true, doc: 'betas[0]: decay of the running mean of gradients' });
const beta2 = P('beta2', 'float', 0.999, { min: 0, max: 1, maxOpen: true, sliderMin: 0.9, doc: 'betas[1]: decay of the running mean of squared gradients' });
const eps = P('eps', 'float', 1e-8, { min: 0, sliderMax: 1e-3, doc: 'added to the denominator' });
const amsgrad = P('amsgrad', 'bool', false, { doc: 'use the running maximum of the second moment' });

export const OPTIMIZERS = {
  SGD: { params: [lr(0.1), P('momentum', 'float', 0, { min: 0, sliderMax: 0.99, doc: 'momentum factor' }),
    P('dampening', 'float', 0, { min: 0, max: 1, doc: 'dampening of the momentum' }),
    P('nesterov', 'bool', false, { doc: 'Nesterov momentum (needs momentum > 0, dampening 0)' }), wd(0)],
  text: 'Stochastic gradient descent, optionally with (Nesterov) momentum.' },
  Adam: { params: [lr(1e-3), beta1, beta2, eps, wd(0), amsgrad], text: 'Adaptive moments: a step size per weight from running gradient statistics.' },
  AdamW: { params: [lr(1e-3), beta1, beta2, eps, wd(1e-2), amsgrad], text: 'Adam with the weight decay applied to the weights directly, not through the gradient.' },
  RMSprop: { params: [lr(1e-2), P('alpha', 'float', 0.99, { min: 0, sliderMin: 0.8, doc: 'smoothing constant' }), eps, wd(0),
    P('momentum', 'float', 0, { min: 0, sliderMax: 0.99, doc: 'momentum factor' }),
    P('centered', 'bool', false, { doc: 'normalise by the gradient’s estimated variance' })],
  text: 'Divides each step by a running root-mean-square of the gradients.' },
};

// The page's controls (beta1/beta2) → torch.optim keywords, and back.
export function optimizerKeywords(name, values) {
  const out = {};
  for (const [k, v] of Object.entries(values)) if (k !== 'beta1' && k !== 'beta2') out[k] = v;
  if ('beta1' in values || 'beta2' in values) out.betas = [values.beta1 ?? 0.9, values.beta2 ?? 0.999];
  if (name === 'SGD' && out.lr === undefined) out.lr = 0.1;
  return out;
}
export function optimizerControls(params) {
  const out = { ...params };
  if (Array.isArray(params.betas)) { [out.beta1, out.beta2] = params.betas; delete out.betas; }
  return out;
}

const gain = P('gain', 'float', 1, { min: 0, sliderMax: 5, doc: 'scale of the weights (calculate_gain of the activation)' });
const kaiming = [
  P('a', 'float', 0, { min: 0, sliderMax: 1, doc: 'negative slope of a leaky_relu' }),
  P('mode', 'choice', 'fan_in', { choices: ['fan_in', 'fan_out'], doc: 'fan_in keeps the forward variance, fan_out the backward' }),
  P('nonlinearity', 'choice', 'leaky_relu', { choices: ['leaky_relu', 'relu', 'tanh', 'sigmoid', 'linear', 'selu'], doc: 'whose gain to use' }),
];

// weight scheme → { label, params }. `bias` (default | zeros) is a control of its own.
export const INIT_SCHEMES = {
  default: { label: 'PyTorch default (nn.Linear: kaiming_uniform_(a=√5), bias U(±1/√fan_in))', params: [] },
  xavier_uniform: { label: 'Xavier (Glorot) uniform', params: [gain] },
  xavier_normal: { label: 'Xavier (Glorot) normal', params: [gain] },
  kaiming_uniform: { label: 'Kaiming (He) uniform', params: kaiming },
  kaiming_normal: { label: 'Kaiming (He) normal (nonlinearity linear: LeCun normal)', params: kaiming },
  normal: { label: 'Normal', params: [P('mean', 'float', 0, { sliderMin: -1, sliderMax: 1 }), P('std', 'float', 1, { min: 0, sliderMax: 3 })] },
  uniform: { label: 'Uniform', params: [P('a', 'float', 0, { sliderMin: -2, sliderMax: 0, doc: 'lower bound' }), P('b', 'float', 1, { sliderMin: 0, sliderMax: 2, doc: 'upper bound' })] },
  siren: { label: 'SIREN (Sitzmann et al. 2020; ω₀ from the Sine activation)', params: [P('w0', 'float', 30, { min: 0, minOpen: true, sliderMin: 1, sliderMax: 60, doc: 'ω₀ (leave at the Sine activation’s)' })] },
};

// Keeps only keywords that differ from the spec's defaults (what the state and the link store).
export function changedOnly(specParams, values) {
  const out = {};
  for (const p of specParams) {
    const v = values[p.name];
    if (v !== undefined && !Object.is(v, p.default)) out[p.name] = v;
  }
  return out;
}
