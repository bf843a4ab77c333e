// Design note: the lecture's five points about depth, one click each (issue 10's list), as
// depth-view states plus the sentence that says what to look at. A pair ("tanh: Xavier vs
// normal(0, 1)") is two presets side by side, so a student can flip between them and watch the
// same lines move. Names of activations are the catalog's; a preset whose activation the catalog
// lacks is not offered (the view filters).
export const PRESETS = [
  {
    id: 'sigmoid-default', group: 'Sigmoid, depth 20', label: 'PyTorch default init',
    state: { depth: 20, width: 128, batch: 128, act: { name: 'Sigmoid', params: {} }, init: { scheme: 'default', params: {} } },
    look: 'Look at the gradient lines: σ′ is at most 1/4, so the gradient shrinks by a large factor per layer on its way back and the first layers receive almost none — the vanishing gradient.',
  },
  {
    id: 'tanh-xavier', group: 'Tanh', label: 'Xavier',
    state: { depth: 30, width: 128, batch: 128, act: { name: 'Tanh', params: {} }, init: { scheme: 'xavier_normal', params: {} } },
    look: 'Xavier gives σ_w² = 1, next to tanh\'s χ = 1 line: the activations shrink only slowly, as the dashed mean-field line predicts, and the gradient reaches the first layer with the same order of size as the last.',
  },
  {
    id: 'tanh-normal1', group: 'Tanh', label: 'normal(0, 1)',
    state: { depth: 30, width: 128, batch: 128, act: { name: 'Tanh', params: {} }, init: { scheme: 'normal', params: { sw2: 128, sb2: 0 } } },
    look: 'Weights of std 1 (σ_w² = width, far right of the χ = 1 line) make the pre-activations huge: the heatmap piles up at ±1, most entries are saturated, and the gradient explodes on its way back — many orders of magnitude larger at layer 1 than at the last.',
  },
  {
    id: 'relu-he', group: 'ReLU', label: 'He (Kaiming normal)',
    state: { depth: 50, width: 256, batch: 256, act: { name: 'ReLU', params: {} }, init: { scheme: 'kaiming_normal', params: { nonlinearity: 'relu', bias: 'zeros' } } },
    look: 'He init (σ_w² = 2) makes up for the half of the variance ReLU drops: the mean-field q stays constant and the measured std stays near it over 50 layers. Watch the dead column: deep in the net, units that are zero for the whole batch appear.',
  },
  {
    id: 'relu-xavier', group: 'ReLU', label: 'Xavier',
    state: { depth: 50, width: 256, batch: 256, act: { name: 'ReLU', params: {} }, init: { scheme: 'xavier_normal', params: { gain: 1, bias: 'zeros' } } },
    look: 'Xavier gives σ_w² = 1, but ReLU passes half the variance: the activations\' variance halves at every layer (a straight falling line on the log axis), 2⁻⁵⁰ by the end.',
  },
  {
    id: 'selu-lecun', group: 'SELU', label: 'LeCun normal',
    state: { depth: 50, width: 256, batch: 256, act: { name: 'SELU', params: {} }, init: { scheme: 'lecun_normal', params: { bias: 'zeros' } } },
    look: 'Self-normalisation: with LeCun normal weights, SELU keeps every layer at mean 0 and variance 1 (the fixed point of the mean-field map), with no normalisation layer; the gradient grows only slowly towards the input.',
  },
  {
    id: 'siren', group: 'Sine (SIREN)', label: 'SIREN init',
    state: { depth: 10, width: 256, batch: 256, act: { name: 'Sine', params: { w0: 30 } }, init: { scheme: 'siren', params: {} } },
    look: 'SIREN\'s init keeps the pre-activations at one small spread layer after layer (ω₀ scales them into about a period of sin): every row of the heatmap has the same shape and the gradient keeps its size all the way back.',
  },
  {
    id: 'siren-default', group: 'Sine (SIREN)', label: 'PyTorch default',
    state: { depth: 10, width: 256, batch: 256, act: { name: 'Sine', params: { w0: 30 } }, init: { scheme: 'default', params: {} } },
    look: 'With PyTorch\'s default init, ω₀ = 30 multiplies pre-activations far past one period: each layer scrambles its input, and the gradient explodes on its way back (about 10 orders of magnitude over 10 layers).',
  },
];
