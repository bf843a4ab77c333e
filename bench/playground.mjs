// Design note: the benchmark's baseline (issue 9, "Speed") — a plain-JavaScript trainer built the
// way TensorFlow Playground's nn.ts is, so "the lab is N× faster than a Playground-style page" is
// measured, not guessed. What is kept from Playground is its structure, because that is what costs
// time: one object per neuron and one per link, the network an array of layers of neurons, and
// training one example at a time — forward (each neuron sums its input links), backward (each
// neuron's derivative, each link's derivative added to an accumulator), and after every batch an
// update that divides each accumulator by the number of examples it holds.
// What is changed is the arithmetic, so that both sides of the comparison do the same work and the
// benchmark can check that they agree: the model is PyTorch's nn.Sequential(Linear, act, …, Linear)
// in float64 (no output activation, any number of outputs; Playground has one output and its own
// initialisation), the loss is MSELoss(reduction='mean') over batch × outputs (Playground's error is
// ½(o − t)² per example), the optimiser plain SGD (no regularisation), weights come from the caller
// in nn.Linear's form, a short last batch is stepped as PyTorch's slicing steps it, and each sum runs
// over the inputs and adds the bias last, as PyTorch's addmm does. One speed-up over Playground is
// deliberate, to keep the comparison conservative: the activation's derivative is read from the
// neuron's stored output (tanh′ = 1 − y², σ′ = y(1 − y)) instead of recomputing the function.
// bench/playground_reference.py holds the PyTorch reference it is tested against
// (tests/js/playground.test.mjs).

// Playground's own activations, those the reference covers; `der(sum, out)` reads whichever it needs.
const ACTIVATIONS = {
  Tanh: { output: Math.tanh, der: (sum, out) => 1 - out * out },
  ReLU: { output: (x) => (x > 0 ? x : 0), der: (sum) => (sum > 0 ? 1 : 0) },
  Sigmoid: { output: (x) => 1 / (1 + Math.exp(-x)), der: (sum, out) => out * (1 - out) },
};
const IDENTITY = { output: (x) => x, der: () => 1 };

class Neuron {
  constructor(activation) {
    this.activation = activation;
    this.inputLinks = [];
    this.outputLinks = [];
    this.bias = 0;
    this.sum = 0;          // the Linear's output for the current example (pre-activation)
    this.output = 0;       // the activation's output
    this.outputDer = 0;    // dLoss/d output for the current example
    this.sumDer = 0;       // dLoss/d sum for the current example
    this.accSumDer = 0;    // summed over the batch so far: the bias's derivative
    this.accCount = 0;
  }

  updateOutput() {
    let s = 0;
    for (const link of this.inputLinks) s += link.weight * link.source.output;
    this.sum = s + this.bias;
    this.output = this.activation.output(this.sum);
    return this.output;
  }
}

class Link {
  constructor(source, dest) {
    this.source = source;
    this.dest = dest;
    this.weight = 0;
    this.accDer = 0;       // the weight's derivative summed over the batch so far
    this.accCount = 0;
  }
}

// sizes [in, hidden…, out] → layers of neurons, every neuron linked to every one of the next layer.
export function buildNetwork(sizes, activation = 'Tanh') {
  const act = ACTIVATIONS[activation];
  if (!act) throw new Error(`activation: the baseline has ${Object.keys(ACTIVATIONS).join(', ')}, not '${activation}'`);
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new Error('sizes: at least two layer sizes, each an integer ≥ 1');
  }
  const network = sizes.map((n, l) => Array.from({ length: n },
    () => new Neuron(l === 0 ? IDENTITY : l === sizes.length - 1 ? IDENTITY : act)));
  for (let l = 1; l < network.length; l++) {
    for (const dest of network[l]) {
      for (const source of network[l - 1]) {
        const link = new Link(source, dest);
        source.outputLinks.push(link);
        dest.inputLinks.push(link);
      }
    }
  }
  return network;
}

// One example through the net; returns the output layer (its neurons hold the outputs: no array is
// allocated per example).
export function forwardProp(network, point) {
  const inputs = network[0];
  if (point.length !== inputs.length) throw new Error(`input: a point has ${point.length} values, the net takes ${inputs.length}`);
  for (let i = 0; i < inputs.length; i++) inputs[i].output = point[i];
  for (let l = 1; l < network.length; l++) for (const neuron of network[l]) neuron.updateOutput();
  return network[network.length - 1];
}

// The derivatives of one example after forwardProp, added to the accumulators. The output layer's
// outputDer is 2(o − t)/outputs; updateWeights' division by the batch's N makes it MSELoss('mean')'s.
export function backProp(network, target) {
  const outputs = network[network.length - 1];
  for (let j = 0; j < outputs.length; j++) outputs[j].outputDer = (2 * (outputs[j].output - target[j])) / outputs.length;
  for (let l = network.length - 1; l >= 1; l--) {
    for (const neuron of network[l]) {
      neuron.sumDer = neuron.outputDer * neuron.activation.der(neuron.sum, neuron.output);
      neuron.accSumDer += neuron.sumDer;
      neuron.accCount++;
      for (const link of neuron.inputLinks) {
        link.accDer += neuron.sumDer * link.source.output;
        link.accCount++;
      }
    }
    if (l === 1) break;
    for (const neuron of network[l - 1]) {
      let d = 0;
      for (const link of neuron.outputLinks) d += link.weight * link.dest.sumDer;
      neuron.outputDer = d;
    }
  }
}

// Plain SGD with the batch's mean derivative, then the accumulators start again.
export function updateWeights(network, lr) {
  for (let l = 1; l < network.length; l++) {
    for (const neuron of network[l]) {
      if (neuron.accCount > 0) neuron.bias -= lr * (neuron.accSumDer / neuron.accCount);
      neuron.accSumDer = 0;
      neuron.accCount = 0;
      for (const link of neuron.inputLinks) {
        if (link.accCount > 0) link.weight -= lr * (link.accDer / link.accCount);
        link.accDer = 0;
        link.accCount = 0;
      }
    }
  }
}

// The trainer the benchmark drives: the JS API's network(), epoch() and predict() in miniature.
export class PlaygroundTrainer {
  constructor({ sizes, activation = 'Tanh', lr }) {
    if (!(lr >= 0)) throw new Error(`lr: Invalid learning rate: ${lr}`);
    this.sizes = sizes.slice();
    this.lr = lr;
    this.network = buildNetwork(sizes, activation);
  }

  // [{ weight: out × in, bias: out }, …] as nn.Linear holds them.
  setParameters(list) {
    if (list.length !== this.network.length - 1) throw new Error(`parameters: ${list.length} layers given, the net has ${this.network.length - 1}`);
    list.forEach(({ weight, bias }, i) => {
      const layer = this.network[i + 1];
      if (weight.length !== layer.length || bias.length !== layer.length) throw new Error(`parameters[${i}]: ${layer.length} rows expected`);
      layer.forEach((neuron, j) => {
        if (weight[j].length !== neuron.inputLinks.length) throw new Error(`parameters[${i}].weight[${j}]: ${neuron.inputLinks.length} columns expected`);
        neuron.bias = bias[j];
        neuron.inputLinks.forEach((link, k) => { link.weight = weight[j][k]; });
      });
    });
  }

  parameters() {
    return this.network.slice(1).map((layer) => ({
      weight: layer.map((n) => n.inputLinks.map((link) => link.weight)),
      bias: layer.map((n) => n.bias),
    }));
  }

  // One pass over input (points × in) and target (points × out) in batches taken in order;
  // returns each step's loss (the batch's mean squared error before its update).
  epoch({ input, target, batchSize }) {
    if (input.length !== target.length) throw new Error(`target: ${target.length} rows for ${input.length} input rows`);
    const losses = [];
    for (let start = 0; start < input.length; start += batchSize) {
      const end = Math.min(start + batchSize, input.length);
      let squares = 0;
      for (let n = start; n < end; n++) {
        const out = forwardProp(this.network, input[n]);
        for (let j = 0; j < out.length; j++) squares += (out[j].output - target[n][j]) ** 2;
        backProp(this.network, target[n]);
      }
      losses.push(squares / ((end - start) * this.sizes[this.sizes.length - 1]));
      updateWeights(this.network, this.lr);
    }
    return losses;
  }

  // The outputs for every point, row after row, as one Float64Array (points × out).
  predict(points) {
    const outs = this.sizes[this.sizes.length - 1];
    const result = new Float64Array(points.length * outs);
    points.forEach((p, n) => {
      const out = forwardProp(this.network, p);
      for (let j = 0; j < outs; j++) result[n * outs + j] = out[j].output;
    });
    return result;
  }
}
