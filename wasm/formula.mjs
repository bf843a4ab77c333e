// Design note — the JavaScript face of issue 11's formula engine: lab.formula(text), and the
// {formula, params} form of lab.activation and lab.torchCode, composed into the lab object by
// lab.mjs. The parsing, the evaluation and the PyTorch code are the core's (core/formula.hpp,
// through wasm/bindings_formula.cpp); this file only checks what only JS can get wrong (the
// text is not a string, a parameter is not a number, a misspelt field) and shapes the answers:
//   * lab.formula(text) never throws for a bad text: a student types it a character at a time, so
//     a mistake is an answer ({ok: false, error}), with the caret lines drawn here from the core's
//     column and length; only a non-string is a programming error (a TypeError);
//   * an evaluation of a bad formula throws, as a built-in's bad parameter does, with the column
//     and length on the Error (e.column, e.length) so a caller can still point at it.
// The core counts columns in code points (an emoji is one), so caret() indexes the text by them.
// A lab over lab_core (the page's first visit) has no formula engine: formula-absent.mjs.
import { describe } from './tensor.mjs';
import { formulaApi as absentFormulaApi, isFormulaSpec } from './formula-absent.mjs';

export { isFormulaSpec };

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v);

// The text and a line of ^ under columns [column, column + length) (1-based), for a <pre>.
export function caret(text, column, length) {
  const line = text.replace(/[\r\n\t]/g, ' ');
  const start = Math.max(0, Math.min(column - 1, [...line].length));
  return `${line}\n${' '.repeat(start)}${'^'.repeat(Math.max(1, length))}`;
}

function checkText(text, what) {
  if (typeof text !== 'string') {
    const e = new TypeError(`${what}: expected the formula's text as a string, got ${describe(text)}`);
    throw e;
  }
  return text;
}

// {a: 0.5}: numbers only (the core reads them as float64 values by name).
function checkParams(params) {
  if (params === undefined || params === null) return {};
  if (!isObject(params)) throw new Error(`params: expected an object of parameter values by name, such as {a: 0.5}, got ${describe(params)}`);
  for (const [key, v] of Object.entries(params)) {
    if (v !== undefined && typeof v !== 'number') throw new Error(`params.${key}: expected a number, got ${describe(v)}`);
  }
  return params;
}

function spec(v, what) {
  if (!isObject(v)) throw new Error(`${what}: expected {formula, params}, got ${describe(v)}`);
  for (const key of Object.keys(v)) {
    if (v[key] !== undefined && key !== 'formula' && key !== 'params') throw new Error(`${what}: unknown field '${key}'; expected one of formula, params`);
  }
  return { text: checkText(v.formula, 'formula'), params: checkParams(v.params) };
}

function unwrap(r) {
  if (r && typeof r.error === 'string') {
    const e = new Error(r.error);
    if (typeof r.column === 'number') {
      e.column = r.column;
      e.length = r.length;
    }
    throw e;
  }
  return r;
}

export function formulaApi(core) {
  if (typeof core.formulaDescribe !== 'function') return absentFormulaApi();
  return {
    formula(text) {
      const r = unwrap(core.formulaDescribe(checkText(text, 'formula')));
      if (typeof r === 'string') return { ok: true, ...JSON.parse(r) };
      const { message, column, length } = r.syntax;
      return { ok: false, error: { message, column, length, caret: caret(text, column, length) } };
    },
    // x already converted by lab.mjs (a Float64Array or {shape, data}); the result in the core's form.
    activation(v, x) {
      const { text, params } = spec(v, 'activation');
      return unwrap(core.formulaActivation(text, params, x));
    },
    torchCode(v) {
      const { text, params } = spec(v, 'torchCode');
      return unwrap(core.formulaTorch(text, params));
    },
  };
}
