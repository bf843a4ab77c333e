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

export interface ElementwiseResult {
  y: Float64Array;
  /** dy[i] = d y[i] / d x[i], what autograd gives for y.sum().backward(). */
  dy: Float64Array;
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

export interface Lab {
  catalog(): Catalog;
  spec(name: string): FunctionSpec | undefined;
  /** Elementwise kinds take a 1-D x (ElementwiseResult); vector kinds any TensorLike (VectorResult). */
  activation(name: string, params: Params | undefined, x: TensorLike): ElementwiseResult | VectorResult;
  loss(name: string, params: Params | undefined, args: Record<string, TensorLike>): LossResult;
  /** The PyTorch code for this function and parameters, e.g. "nn.ELU(alpha=0.5)". */
  torchCode(name: string, params?: Params): string;
  /** Parses a PyTorch-style literal ("[[2.0, 1.0], [0.5, 2.5]]", "torch.tensor([0, 1])"). */
  parseTensor(text: string): Nested;
  /** Bytes of the WebAssembly heap in use (a diagnostic for leak checks). */
  heapBytes(): number;
}

/** Loads the WebAssembly core (inlined in the module) and returns the lab. */
export default function createLab(): Promise<Lab>;
