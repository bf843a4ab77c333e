// Types for dist/lab.mjs — the Activation & Loss Lab JavaScript API. See docs/API.md.

/** Flat form for large inputs: row-major data with its shape. */
export interface FlatTensor {
  shape: number[];
  data: Float64Array | ArrayLike<number>;
}
/** A number, nested arrays of numbers as `torch.tensor(...)` takes them, a 1-D typed array, or a FlatTensor. */
export type TensorLike = number | ArrayLike<number> | TensorLike[] | FlatTensor;
/** A result tensor: a number (0-dim) or nested arrays; Float64Array for 1-D typed-array input;
 *  { shape, data: Float64Array } for FlatTensor input. */
export type Nested = number | Float64Array | Nested[] | { shape: number[]; data: Float64Array };

export type ParamValue = number | boolean | string | null | TensorLike;
/** Constructor keywords as in PyTorch (`{ alpha: 0.5 }`); missing keys take PyTorch's defaults.
 *  A tensor parameter (weight, pos_weight) takes any TensorLike; a bare number is a 0-dim tensor. */
export type Params = Record<string, ParamValue>;

export interface ParamSpec {
  name: string;
  type: 'float' | 'int' | 'bool' | 'choice' | 'tensor' | 'dim';
  default: number | boolean | string | null;
  required: boolean;
  /** Valid range (null = unbounded); minOpen/maxOpen: the bound itself is excluded. */
  min: number | null;
  max: number | null;
  minOpen: boolean;
  maxOpen: boolean;
  /** A range that shows the parameter well on a slider. */
  sliderMin: number;
  sliderMax: number;
  choices: string[];
  doc: string;
}

export interface ArgSpec {
  name: string;
  /** Holds class indices or lengths (int64 in PyTorch); no gradient. */
  integer: boolean;
  optional: boolean;
  doc: string;
}

export interface FunctionSpec {
  name: string;
  kind: 'elementwise' | 'vector' | 'loss';
  group: string;
  inTorchNn: boolean;
  params: ParamSpec[];
  args: ArgSpec[];
  /** LaTeX, KaTeX-compatible. */
  formula: string;
  summary: string;
  notes: string[];
  /** Losses: a workbench example, forward-argument name -> PyTorch literal. */
  example: Record<string, string>;
  /** True where the page offers a temperature T (it feeds x / T), as for Softmax; false elsewhere. */
  temperature: boolean;
  /** Losses: names of the other losses the loss plot overlays with this one (same arguments). */
  compare: string[];
  /** Losses: a sentence fragment the loss plot appends when it cuts off an extreme value
   *  (e.g. BCELoss: "PyTorch clamps each log at −100"); empty when there is nothing to say. */
  plotNote: string;
}

export interface Catalog {
  activations: FunctionSpec[];
  losses: FunctionSpec[];
}

/** An elementwise function's result. For a 1-D x in any form: Float64Arrays. For any other x
 *  (nested arrays of any depth, { shape, data }, a number) y and dy come back in x's form with
 *  x's shape: nested arrays, { shape, data: Float64Array }, or a number for a 0-dim x. */
export interface ElementwiseResult {
  y: Float64Array | Nested;
  /** dy[i] = d y[i] / d x[i], what autograd gives for y.sum().backward(). */
  dy: Float64Array | Nested;
}

/** A vector function's result. For a flat vector x (an array of numbers or a typed array): y is a
 *  Float64Array and jacobian the row-major Float64Array of y.length rows by x.length columns.
 *  For any other x (nested arrays, { shape, data }, a number) the function runs on every slice of
 *  x along `dim`, and y and jacobian come back in x's form: y with x's shape (GLU halves the size
 *  along dim); jacobian one Jacobian per slice, shaped x's shape without dim, then (m, n) with m
 *  = y's and n = x's size along dim — for a 2-D x with dim 1, jacobian[i][a][b] =
 *  d y[i][a] / d x[i][b]; with dim 0, jacobian[j][a][b] = d y[a][j] / d x[b][j]. Entries between
 *  different slices are 0 and not returned. A 0-dim x gives a number for y and for jacobian. */
export interface VectorResult {
  y: Nested;
  jacobian: Nested;
  /** The dimension used, >= 0: the given dim wrapped, or PyTorch's pick for dim=None
   *  (0 for 0-, 1- and 3-D input, else 1). */
  dim: number;
  /** PyTorch's UserWarnings for this call: for dim=None, "Implicit dimension choice for softmax
   *  has been deprecated. Change the call to include dim=X as an argument." (softmin,
   *  log_softmax for those); empty when dim is given. */
  warnings: string[];
}

/** Results come back in the caller's form: `loss` and `elementwise` in the form of the first
 *  argument listed in `args`, each `grad[arg]` in the form of that argument (nested arrays in,
 *  nested arrays out; a typed array in, a Float64Array out for a 1-D result and nested arrays
 *  for more dimensions; { shape, data } in, { shape, data: Float64Array } out). A 0-dim result
 *  (a reduced loss) is a plain number in every form. */
export interface LossResult {
  /** The loss with the requested reduction: a number, or a tensor for reduction 'none'. */
  loss: Nested;
  /** The same loss with reduction 'none' (per-element values before reduction). */
  elementwise: Nested;
  /** d loss.sum() / d arg for every floating-point forward argument, in that argument's form. */
  grad: Record<string, Nested>;
  /** PyTorch's UserWarnings for this call (e.g. broadcasting a target of another size). */
  warnings: string[];
}

/** A student's own activation (issue 11), written in the formula language (docs/API.md, "Your own
 *  formulas"), with its parameters' values by name (a parameter left out keeps its default). */
export interface FormulaSpec {
  formula: string;
  params?: Record<string, number>;
}
/** A parameter found in a formula: any identifier but x, pi, e, inf, nan and the functions. */
export interface FormulaParameter {
  name: string;
  /** The default: 1, unless given after ';' (`a * x; a=0.5`). */
  value: number;
  /** Given after ';'. */
  declared: boolean;
  /** 1-based column of its first use in the text. */
  column: number;
  /** A range that shows it well on a slider. */
  sliderMin: number;
  sliderMax: number;
}
/** The PyTorch code a formula is, at some parameter values. */
export interface FormulaTorch {
  /** The forward's expression in x, e.g. "x * torch.sigmoid(1.702 * x)". */
  expression: string;
  /** "lambda x: " + expression. */
  lambda: string;
  /** A complete `class MyActivation(nn.Module)` taking the parameters as keywords. */
  module: string;
}
/** lab.formula(text) for a text that parses (ok is true). */
export interface FormulaDescription {
  ok: boolean;
  text: string;
  /** In order of first use. */
  parameters: FormulaParameter[];
  /** At the parameters' defaults. */
  torch: FormulaTorch;
  /** The catalog activations the formula calls by name (e.g. ["ELU"]). */
  uses: string[];
  /** Whether PyTorch's y would have a grad_fn. false (`x >= 0`, `where(x > 0, 1, 2)`, BinaryStep):
   *  y.backward() raises "element 0 of tensors does not require grad"; lab.activation gives dy = 0,
   *  and in a network the Linears before it get no gradient (.grad None: torch.optim skips them). */
  differentiable: boolean;
}
/** Where a text goes wrong: the message, the 1-based column and how many characters to underline,
 *  and `caret`: the text, a newline, and ^ under those characters. */
export interface FormulaErrorInfo {
  message: string;
  column: number;
  length: number;
  caret: string;
}
/** lab.formula(text) for a text that does not parse (ok is false). */
export interface FormulaFailure {
  ok: boolean;
  error: FormulaErrorInfo;
}

export interface Lab {
  catalog(): Catalog;
  spec(name: string): FunctionSpec | undefined;
  /** Any TensorLike x: elementwise kinds give an ElementwiseResult, vector kinds a VectorResult. */
  activation(name: string, params: Params | undefined, x: TensorLike): ElementwiseResult | VectorResult;
  /** A formula's y and dy, shaped as a built-in's. A text that does not parse throws an Error
   *  "formula: <message> (column N)" with `column` and `length` properties; a parameter the
   *  formula lacks throws an Error naming it. */
  activation(formula: FormulaSpec, x: TensorLike): ElementwiseResult;
  loss(name: string, params: Params | undefined, args: Record<string, TensorLike>): LossResult;
  /** The PyTorch code for this function and parameters, e.g. "nn.ELU(alpha=0.5)". */
  torchCode(name: string, params?: Params): string;
  /** A formula's PyTorch code at these parameter values (errors as activation's). */
  torchCode(formula: FormulaSpec): FormulaTorch;
  /** A formula's description, or where it goes wrong; throws (a TypeError) only for a non-string.
   *  A lab made by createLabFrom(lab_core) has no formula engine: this throws saying so. */
  formula(text: string): FormulaDescription | FormulaFailure;
  /** Parses a PyTorch-style literal ("[[2.0, 1.0], [0.5, 2.5]]", "torch.tensor([0, 1])"). */
  parseTensor(text: string): Nested;
  /** Bytes of the WebAssembly heap in use (a diagnostic for leak checks). */
  heapBytes(): number;
  /** The compiled WebAssembly.Module this lab runs on: createLabFrom({default: factory, wasmModule}) builds another lab over it without compiling (e.g. in a Web Worker). */
  readonly wasmModule: WebAssembly.Module;
  /** The network engine (issue 9). A lab made by createLabFrom(lab_core) has none: these throw
   *  "this build of the lab has no network engine …". */
  network(spec: NetworkSpec): Network;
  meanField(spec: MeanFieldSpec): MeanField;
  dataset(spec: DatasetSpec): Dataset;
  datasets(): DatasetInfo[];
  /** The keywords of the init schemes and optimisers the engine takes (core/nn_catalog.hpp). */
  networkCatalog(): NetworkCatalog;
  /** torch.nn.init.calculate_gain(nonlinearity, param): param is leaky_relu's negative_slope (default 0.01). */
  calculateGain(nonlinearity: string, param?: number | null): number;
}

/** One keyword of an init scheme or optimiser: a ParamSpec (type float, bool or choice) plus the
 *  PyTorch keyword it is (`betas` for Adam's beta1 and beta2, with `index` 0 and 1; else the name
 *  itself and null), and `start`, where a float control begins when PyTorch has no default. */
export interface KeywordSpec extends ParamSpec {
  keyword: string;
  index: number | null;
  start: number | null;
}
export interface SchemeSpec {
  name: string;
  label: string;
  summary: string;
  params: KeywordSpec[];
}
export interface NetworkCatalog {
  /** init.default: nn.Linear's own initialisation (init left out); bias: the values of init.bias. */
  init: { default: string; bias: string[]; schemes: SchemeSpec[] };
  optimizers: SchemeSpec[];
}

// ---------------------------------------------------------------- networks (docs/API.md "Networks")
/** A registry function or optimiser by name, with PyTorch's keywords: 'Tanh' or { name: 'ELU', params: { alpha: 0.5 } }. */
export type ModuleLike = string | { name: string; params?: Params } | FormulaSpec;

/** nn.Sequential(Linear(sizes[0], sizes[1]), activation, …, Linear(…, sizes[n-1])[, output]).
 *  Fields left out take the core's defaults (activation 'Tanh', bias true, seed 0, no init,
 *  output, loss or optimizer); an unknown field is an Error. */
export interface NetworkSpec {
  /** [in, hidden…, out]: at least two widths, each an integer ≥ 1. */
  sizes: number[];
  /** Any elementwise activation of the catalog but PReLU, or a formula, after every hidden Linear. */
  activation?: ModuleLike;
  /** After the last Linear: an elementwise activation or a formula, or Softmax / Softmin / LogSoftmax / GLU over dim 1. */
  output?: ModuleLike | null;
  bias?: boolean;
  /** torch.manual_seed(seed) right before the Linears are built (an integer; negative ones wrap as torch's do). */
  seed?: number;
  init?: InitSpec | null;
  /** A catalog loss taking (input, target); needed by gradients(), step(), epoch(). */
  loss?: ModuleLike | null;
  /** SGD, Adam, AdamW or RMSprop with torch.optim's keywords (lr, momentum, betas, …); needed by step(), epoch(). */
  optimizer?: ModuleLike | null;
}

/** for m in linears: nn.init.<weight>_(m.weight, **params); nn.init.zeros_(m.bias) if bias == 'zeros'. */
export interface InitSpec {
  /** xavier_uniform, xavier_normal, kaiming_uniform, kaiming_normal, normal, uniform, constant, ones, zeros, or the lab's siren. */
  weight: string;
  params?: Params;
  bias?: 'default' | 'zeros';
}

/** One nn.Linear's parameters as it holds them: weight out × in, bias (null with bias=False). */
export interface LinearParameters {
  weight: number[][];
  bias: number[] | null;
}
/** parameters({flat: true}): the same values as {shape, data} tensors. */
export interface FlatLinearParameters {
  weight: FlatTensor;
  bias: FlatTensor | null;
}
/** What setParameters takes: the same, or any TensorLike of those shapes; a weight left out keeps the layer's own. */
export interface LinearParametersLike {
  weight?: TensorLike;
  bias?: TensorLike | null;
}

/** One entry per Linear: pre = its output, post = the next module's (= pre if none); in the input's form. */
export interface LayerValues {
  pre: Nested;
  post: Nested;
}
export interface ForwardResult {
  output: Nested;
  layers: LayerValues[];
}
export interface GradientsResult {
  /** The loss before any update. */
  loss: number;
  /** dL/dW and dL/db, in the form of parameters(); null with weights: false. */
  grads: LinearParameters[] | null;
  /** The loss's PyTorch UserWarnings, if any. */
  warnings: string[];
}
export interface Batch {
  /** (N, sizes[0]) */
  input: TensorLike;
  /** The output's shape, or (N,) class indices for CrossEntropyLoss, NLLLoss, MultiMarginLoss. */
  target: TensorLike;
}

/** Histograms: `bins` equal bins over [lo, hi] (given, or the finite min and max); a value equal
 *  to hi is in the last bin; values outside a given range count in below/above, NaN and ±inf in nonfinite. */
export interface Histogram {
  lo: number;
  hi: number;
  counts: Float64Array;
  below: number;
  above: number;
  nonfinite: number;
}
/** Over every entry of the (N, width) tensor; std is the population one (unbiased=False). */
export interface Summary {
  mean: number;
  std: number;
  histogram: Histogram;
}
/** One Linear of the last pass (forward, gradients, step, epoch: its last step). */
export interface LayerStatistics {
  pre: Summary;
  post: Summary;
  /** dL/dpre, the gradient arriving at the Linear's output; null after forward(). */
  grad: Summary | null;
  /** ‖dL/dW‖ (Frobenius); NaN without gradients. */
  weightGradNorm: number;
  /** ‖dL/db‖; 0 without bias, NaN without gradients. */
  biasGradNorm: number;
  /** Share of units whose module gives output 0 and f′ 0 for every example of the batch. NaN where f′ is unknown (a vector output module). */
  dead: number;
  /** Share of (example, unit) entries with |f′(pre)| < saturation. NaN where f′ is unknown. */
  saturated: number;
}
export interface StatisticsOptions {
  /** Bins per histogram (default 20). */
  bins?: number;
  /** |f′| below this counts as saturated (default 0.01). */
  saturation?: number;
  /** Fixed histogram ranges [lo, hi]; automatic when left out or null. */
  preRange?: [number, number] | null;
  postRange?: [number, number] | null;
  gradRange?: [number, number] | null;
  /** One automatic range per kind (pre, post, grad) over all layers: the finite min and max of every layer. */
  shared?: boolean;
  /** Only the layers [first, last) (from 0, last excluded): each entry the one a call over every
   *  layer gives, bit for bit (shared ranges stay those over every layer: give them from ranges()). */
  layers?: [number, number] | null;
}
/** The shared automatic ranges of the last pass, as statistics({shared: true}) puts them in every layer's histogram; grad null after forward(). */
export interface StatisticsRanges {
  pre: [number, number];
  post: [number, number];
  grad: [number, number] | null;
}

/** gradients() and pass(): weights false computes no dL/dW, dL/db (grads null, norms NaN). */
export type GradientsBatch = Batch & { weights?: boolean };

/** Where a pass() stands: loss (torch's sum over the whole output) once done === total, else null. */
export interface PassProgress {
  /** The rows [0, done) are done, and [top, total) (from the end: advance(rows, {fromEnd}) or setRows). */
  done: number;
  total: number;
  top: number;
  loss: number | null;
  /** With the loss: its PyTorch UserWarnings, if any. */
  warnings: string[];
}

/** A gradients() pass computed a block of examples at a time (reduction='sum' losses only). Valid
 *  until the network runs another pass or its parameters or modules change; then every call throws. */
export interface BlockPass {
  /** The next min(rows, total − done) examples through every layer and back; past the end: nothing. */
  advance(rows: number, options?: { fromEnd?: boolean }): PassProgress;
  /** Rows [from, to), all done, as one Float64Array of valuesPerRow numbers a row (each layer's pre, post, dL/dpre, f′ blocks in turn). */
  rows(from: number, to: number): Float64Array;
  /** Imports rows() of a pass of the same network, input and target from row `from` (they must reach top; rows already done are skipped). */
  setRows(from: number, data: Float64Array): PassProgress;
  readonly valuesPerRow: number;
  readonly done: number;
  readonly top: number;
  readonly total: number;
  /** statistics() of gradients() run on the first done examples, bit for bit. */
  statistics(options?: StatisticsOptions): LayerStatistics[];
  /** The shared ranges of those statistics. */
  ranges(): StatisticsRanges;
  delete(): void;
}

export interface Network {
  /** As nn.Linear holds them, one entry per Linear. */
  parameters(): LinearParameters[];
  /** flat: each tensor as {shape, data} (one copy, no nesting). */
  parameters(options: { flat: true }): FlatLinearParameters[];
  parameters(options?: { flat?: boolean }): LinearParameters[] | FlatLinearParameters[];
  /** Copies values in (with torch.no_grad(): p.copy_(v)); the optimiser keeps its state. */
  setParameters(list: LinearParametersLike[]): void;
  forward(input: TensorLike): ForwardResult;
  /** forward()'s output only, row-major (N × output width), without replacing the pass statistics() reads. */
  predict(input: TensorLike): Float64Array;
  /** Forward, loss, backward; no update. */
  gradients(batch: GradientsBatch): GradientsResult;
  /** New activation and/or output module (output null: none) over the same parameters and optimiser state; the last pass is dropped. */
  setModules(modules: { activation?: ModuleLike; output?: ModuleLike | null }): void;
  /** New parameters drawn as lab.network(spec with this seed and init) draws them (a field left out: the network's own;
   *  init null: reset_parameters() only); modules, loss and optimiser settings stay, the optimiser's state and steps
   *  start over, the last pass is dropped (its storage kept) and a BlockPass made before is stale. */
  reinitialize(spec: { seed?: number; init?: InitSpec | null }): void;
  /** A gradients() pass computed in blocks of examples (the loss must have reduction='sum'); checked at once. */
  pass(batch: GradientsBatch): BlockPass;
  /** zero_grad, forward, loss, backward, optimizer.step(); the loss before the update. */
  step(batch: Batch): { loss: number };
  /** One step per consecutive minibatch of batchSize rows, in order, the last one smaller
   *  (DataLoader with shuffle=False, drop_last=False): each step's loss. */
  epoch(batch: Batch & { batchSize: number }): { losses: Float64Array };
  /** Per Linear, from the last pass. */
  statistics(options?: StatisticsOptions): LayerStatistics[];
  /** The shared ranges of the last pass's statistics (for statistics by layers). */
  ranges(): StatisticsRanges;
  /** optimizer.step() calls so far. */
  readonly steps: number;
  /** A new optimiser over the same parameters (its state forgotten). */
  resetOptimizer(): void;
  /** Frees the C++ side; every later call throws. */
  delete(): void;
}

/** Mean-field theory of a deep random network: weights of variance sigmaW2 / fan_in, biases of variance sigmaB2. */
export interface MeanFieldSpec {
  activation: ModuleLike;
  sigmaW2: number;
  sigmaB2: number;
}
/** E[φ(√q Z)], E[φ(√q Z)²], E[φ′(√q Z)²] for Z ~ N(0, 1). */
export interface Moments {
  mean: number;
  second: number;
  slope2: number;
}
/** One entry per hidden layer l = 1…depth: q[l-1] its pre-activation variance (q[0] = q0), then
 *  what the activation makes of it and chi = sigmaW2 E[φ′²] there. */
export interface MeanFieldLayers {
  q: Float64Array;
  postMean: Float64Array;
  postSecond: Float64Array;
  postVar: Float64Array;
  chi: Float64Array;
}
export interface MeanField {
  /** The activation's name, or {formula, params} for a formula. */
  readonly activation: string | FormulaSpec;
  readonly sigmaW2: number;
  readonly sigmaB2: number;
  moments(q: number): Moments;
  /** sigmaW2 E[φ(√q Z)²] + sigmaB2 */
  map(q: number): number;
  /** sigmaW2 E[φ′(√q Z)²] */
  chi(q: number): number;
  layers(q0: number, depth: number): MeanFieldLayers;
  /** The fixed point q* the map reaches from q0 (default 1); Infinity when the variance grows without bound. */
  fixedPoint(q0?: number): number;
  /** chi at fixedPoint(q0); Infinity past the edge of chaos. */
  chiStar(q0?: number): number;
  /** The sigmaW2 where chi(q*) = 1 for this sigmaB2 (default: the object's), q* from q0 (default 1). */
  criticalSigmaW2(sigmaB2?: number, q0?: number): number;
}

/** Fields left out take the core's defaults: n 200, noise 0, classes 2 (classification sets), trainRatio 0.5, seed 0. */
export interface DatasetSpec {
  /** One of lab.datasets()' names: circle, xor, gaussians, spiral, moons, sine, step, abs, chirp. */
  name: string;
  n?: number;
  noise?: number;
  classes?: number;
  trainRatio?: number;
  seed?: number;
}
/** A result tensor in the flat form: row-major data with its shape. */
export interface FlatResult {
  shape: number[];
  data: Float64Array;
}
export interface DatasetPart {
  /** (N, 2) for classification, (N, 1) for regression. */
  x: FlatResult;
  /** (N,) class indices, or (N, 1) values. */
  y: FlatResult;
}
export interface Dataset {
  train: DatasetPart;
  test: DatasetPart;
  /** 0 for regression. */
  classes: number;
}
export interface DatasetInfo {
  name: string;
  classification: boolean;
  /** 0 for regression sets. */
  minClasses: number;
  maxClasses: number;
  /** Every input coordinate lies in [lo, hi] at noise 0. */
  xRange: number[];
  /** Regression targets at noise 0; [0, 0] for classification. */
  yRange: number[];
  /** One line: what the set is, exactly. */
  doc: string;
}

/** A packed WebAssembly module of the lab as imported: `import * as m from './lab_net.mjs'`. */
export interface LabModule {
  default: (options?: object) => Promise<unknown>;
  wasmGzipBase64?: string;
  /** Instead of wasmGzipBase64: an already compiled module (a lab's wasmModule), e.g. posted to a Web Worker. */
  wasmModule?: WebAssembly.Module;
}

/** Loads the WebAssembly module with the network engine (dist/lab_net.mjs, wasm inlined) and returns the lab. */
export default function createLab(): Promise<Lab>;
/** The lab over a given module: lab_net (everything) or lab_core (no network engine; what the page's first visit loads). */
export function createLabFrom(module: LabModule): Promise<Lab>;
