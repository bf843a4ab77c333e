// Design note: one-click lessons for the playground, each a state (net-train-state.js's fields;
// the rest default) and a sentence on what to look at. They are links too: choosing one is the
// same as opening its link, so a preset's numbers are the same every time.
export const PRESETS = [
  {
    title: 'Circle, tanh, cross-entropy (the default)',
    state: {},
    text: 'Two rings: press Play and watch the boundary close around the inner one within a few epochs.',
  },
  {
    title: 'Spiral, three classes, ReLU, Adam',
    state: { data: { name: 'spiral', n: 300, noise: 0.2, classes: 3, split: 0.5, seed: 0 }, hidden: [16, 16, 16], act: { name: 'ReLU', params: {} },
      head: { loss: 'CrossEntropyLoss', params: {} }, opt: { name: 'Adam', params: { lr: 0.01 } } },
    text: 'Spirals need depth and a few hundred steps; ReLU draws the boundary from straight pieces.',
  },
  {
    title: 'Vanishing gradients: six sigmoid layers',
    state: { data: { name: 'xor', n: 250, noise: 0.5, classes: 2, split: 0.5, seed: 0 }, hidden: [8, 8, 8, 8, 8, 8], act: { name: 'Sigmoid', params: {} },
      opt: { name: 'SGD', params: { lr: 0.1 } } },
    text: 'Look at the gradient chart: each layer further from the output sits lower, the first ones decades below the last — and they learn that much slower.',
  },
  {
    title: 'The same with ReLU and He initialisation',
    state: { data: { name: 'xor', n: 250, noise: 0.5, classes: 2, split: 0.5, seed: 0 }, hidden: [8, 8, 8, 8, 8, 8], act: { name: 'ReLU', params: {} },
      init: { weight: 'kaiming_normal', params: { nonlinearity: 'relu' }, bias: 'zeros' }, opt: { name: 'SGD', params: { lr: 0.1 } } },
    text: 'Six layers again: the gradient lines stay together, but watch the dead-unit bars — a ReLU unit that outputs 0 everywhere gets no gradient and never recovers.',
  },
  {
    title: 'Dying ReLU: too large a learning rate',
    state: { data: { name: 'moons', n: 250, noise: 0.3, classes: 2, split: 0.5, seed: 0 }, hidden: [8, 8], act: { name: 'ReLU', params: {} },
      opt: { name: 'SGD', params: { lr: 1 } } },
    text: 'A step of lr = 1 throws many ReLU units into their flat part in the first epochs: the dead-unit bars jump up. Try LeakyReLU instead.',
  },
  {
    title: 'Squared error on classes (TensorFlow Playground’s loss)',
    state: { data: { name: 'circle', n: 250, noise: 0.5, classes: 2, split: 0.5, seed: 0 }, head: { loss: 'MSELoss', params: {} } },
    text: 'A Tanh output fit to ±1 by MSE, as TensorFlow Playground trains: compare the loss and the accuracy curves with the default cross-entropy head.',
  },
  {
    title: 'SIREN fits a chirp',
    state: { data: { name: 'chirp', n: 200, noise: 0, classes: 2, split: 0.5, seed: 0 }, hidden: [32, 32], act: { name: 'Sine', params: { w0: 30 } },
      init: { weight: 'siren', params: {}, bias: 'default' }, head: { loss: 'MSELoss', params: {} }, opt: { name: 'Adam', params: { lr: 1e-3 } } },
    text: 'Sine activations with SIREN’s initialisation follow the rising frequency within a few hundred steps.',
  },
  {
    title: 'A ReLU net on the same chirp',
    state: { data: { name: 'chirp', n: 200, noise: 0, classes: 2, split: 0.5, seed: 0 }, hidden: [32, 32], act: { name: 'ReLU', params: {} },
      head: { loss: 'MSELoss', params: {} }, opt: { name: 'Adam', params: { lr: 1e-3 } } },
    text: 'The same size with ReLU: it smooths the fast end of the chirp away for a long time.',
  },
  {
    title: 'Compare: sigmoid vs ReLU, six layers deep',
    state: { data: { name: 'circle', n: 250, noise: 0.5, classes: 2, split: 0.5, seed: 0 }, hidden: [8, 8, 8, 8, 8, 8], act: { name: 'Sigmoid', params: {} },
      opt: { name: 'SGD', params: { lr: 0.3 } } },
    compare: { act: { name: 'ReLU', params: {} } },
    text: 'The same net, data and seed: A with sigmoid, B with ReLU. B finds the ring within about 20 epochs while A stays at chance; in the gradient chart A’s first layers sit decades below its last.',
  },
  {
    title: 'Compare: squared error vs cross-entropy on classes',
    state: { data: { name: 'moons', n: 250, noise: 0.3, classes: 2, split: 0.5, seed: 0 }, hidden: [8, 8], head: { loss: 'MSELoss', params: {} } },
    compare: { head: { loss: 'BCEWithLogitsLoss', params: {} } },
    text: 'A fits ±1 with a Tanh output by MSE, B uses a logit and BCEWithLogitsLoss: compare the accuracy curves, not the losses (they are on different scales).',
  },
  {
    title: 'Compare: Adam vs SGD',
    state: { data: { name: 'spiral', n: 300, noise: 0.2, classes: 3, split: 0.5, seed: 0 }, hidden: [16, 16], act: { name: 'ReLU', params: {} },
      head: { loss: 'CrossEntropyLoss', params: {} }, opt: { name: 'SGD', params: { lr: 0.1 } } },
    compare: { opt: { name: 'Adam', params: { lr: 0.01 } } },
    text: 'The same start, two optimisers: SGD at lr 0.1 against Adam at 0.01.',
  },
];
