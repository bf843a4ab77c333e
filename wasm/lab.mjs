// Design note — the JavaScript face of the lab (`createLab()`), used by the page, by course
// authors and by our tests; tools/build.sh bundles it with its modules into dist/lab.mjs, beside
// dist/lab_net.mjs (the WASM module with the network engine; dist/lab_core.mjs is the same
// without it, for the page's first visit: createLabFrom). This file only composes: loader.mjs
// starts the WebAssembly module, tensor.mjs converts arguments and results, literal.mjs parses
// PyTorch-style literals, network.mjs wraps the network engine and formula.mjs issue 11's
// formula engine (both in lab_net only). It holds no math;
// every name, default and check lives in the C++ registry. Errors from the core arrive as {error}
// and are thrown here as JS Errors, so the WebAssembly instance is never aborted and keeps
// answering.
//
// Why one bundled file in dist/ and not the modules side by side: users still copy two files
// (lab.mjs + lab_net.mjs), the page's esbuild alias still points at one, and tools/size.mjs
// still measures what is shipped. esbuild's bundle drops the sources' comments, so the published
// lab.mjs is smaller than the old copied one (12.4 KB raw / 4.4 KB gzipped before the split,
// 10.9 / 3.7 after) while staying readable: unminified, each module's start marked. Minifying
// would save another 1 KB gzipped of the ~137 KB module, not worth an unreadable file.
import { loadModule } from './loader.mjs';
import * as labNet from './lab_net.mjs';
import { networkApi } from './network.mjs';
import { formulaApi, isFormulaSpec } from './formula.mjs';
import { describe, toTensor, toParams, toVector, isVector, formOf, inForm } from './tensor.mjs';
import { parseTensor } from './literal.mjs';

export { toTensor, fromTensor } from './tensor.mjs';
export { parseTensor } from './literal.mjs';

function unwrap(result) {
  if (result && typeof result.error === 'string') throw new Error(result.error);
  return result;
}

// The lab over a given packed module (its namespace: `import * as m from './lab_core.mjs'`, or
// {default: its factory, wasmModule: a lab's compiled wasmModule}):
// lab_net has everything, lab_core (the page's first visit) everything but the network engine,
// whose entries then throw saying so. createLab() is this over lab_net.
export async function createLabFrom(module) {
  const core = await loadModule(module);
  // Built on first use: most pages need the catalog, but a plain evaluation should not wait for it.
  let catalogText = null;
  let specs = null;
  const catalogJson = () => (catalogText ??= new TextDecoder().decode(core.catalog()));
  const specMap = () => {
    if (!specs) {
      specs = new Map();
      for (const list of Object.values(JSON.parse(catalogJson()))) for (const s of list) specs.set(s.name, s);
    }
    return specs;
  };

  const formulas = formulaApi(core);
  // An elementwise result ({y, dy} from the core) in x's form: a 1-D x (any form) gets
  // Float64Arrays, as always; any other shape, y and dy in x's form with x's shape (a number for a
  // 0-dim x). The same for a built-in and for a formula.
  const elementwiseOut = (r, tensor, x) => {
    if (!tensor) return { y: r.y, dy: r.dy };
    if (r.y.shape.length === 1) return { y: r.y.data, dy: r.dy.data };
    const form = formOf(x);
    return { y: inForm(r.y, form), dy: inForm(r.dy, form) };
  };

  return Object.freeze({
    catalog() {
      return JSON.parse(catalogJson());  // a fresh copy each call: callers may change theirs
    },

    // A 1-D x (a list of numbers or a typed array) goes in as one Float64Array and its results
    // come back as Float64Arrays, as always. Any other x (nested lists, {shape, data}, a number)
    // is a tensor: an elementwise function returns y and dy with its shape, a vector function
    // runs along `dim` and returns y and the per-slice Jacobians, in x's form (lab.d.ts).
    // A formula ({formula, params}, formula.mjs) takes the place of name and params: (spec, x).
    activation(name, params, x) {
      if (isFormulaSpec(name)) {
        if (x !== undefined) throw new Error('activation: a formula is called as activation({formula, params}, x), with its parameters inside the first argument');
        const tensor = !isVector(params);
        return elementwiseOut(formulas.activation(name, tensor ? toTensor(params, 'x') : toVector(params)), tensor, params);
      }
      const tensor = !isVector(x);
      const r = unwrap(core.activation(String(name), toParams(params), tensor ? toTensor(x, 'x') : toVector(x)));
      if ('dy' in r) return elementwiseOut(r, tensor, x);  // elementwise
      // vector: PyTorch's UserWarnings too (dim=None: "Implicit dimension choice for softmax …")
      if (!tensor) return { y: r.y.data, jacobian: r.jacobian.data, dim: r.dim, warnings: r.warnings };
      const form = formOf(x);
      return { y: inForm(r.y, form), jacobian: inForm(r.jacobian, form), dim: r.dim, warnings: r.warnings };
    },

    // Results come back in the caller's form: each gradient in its own argument's form, the loss
    // and the per-element losses in the form of the first argument given.
    loss(name, params, args) {
      if (args === null || typeof args !== 'object' || Array.isArray(args)) {
        throw new Error(`args must be an object keyed by forward-argument names (e.g. {input, target}), got ${describe(args)}`);
      }
      const tensors = {};
      const form = {};
      for (const [key, v] of Object.entries(args)) {
        if (v === undefined) continue;
        tensors[key] = toTensor(v, key);
        form[key] = formOf(v);
      }
      const r = unwrap(core.loss(String(name), toParams(params), tensors));
      const first = Object.values(form)[0] ?? 'nested';
      const grad = {};
      for (const [key, t] of Object.entries(r.grad)) grad[key] = inForm(t, form[key]);
      return {
        loss: inForm(r.loss, first),
        elementwise: inForm(r.elementwise, first),
        grad,
        warnings: r.warnings,
      };
    },

    // torchCode({formula, params}): {expression, lambda, module} at those values (formula.mjs).
    torchCode(name, params) {
      if (isFormulaSpec(name)) return formulas.torchCode(name);
      return unwrap(core.torchCode(String(name), toParams(params)));
    },

    parseTensor,

    // The compiled WebAssembly.Module this lab runs on: createLabFrom({default: factory,
    // wasmModule}) makes another lab over it without compiling (a Web Worker's, from postMessage).
    wasmModule: core.wasmModule,

    // Bytes of the WebAssembly heap in use: a diagnostic for leak checks.
    heapBytes() {
      return core.heapBytes();
    },

    // formula(text): its description, or the error with its column (formula.mjs).
    formula: formulas.formula,

    // network(spec), meanField(spec), dataset(spec), datasets(): network.mjs.
    ...networkApi(core),

    // The registry entry for one name (or undefined), without copying the whole catalog.
    spec(name) {
      const s = specMap().get(name);
      return s && JSON.parse(JSON.stringify(s));
    },
  });
}

export default function createLab() {
  return createLabFrom(labNet);
}
