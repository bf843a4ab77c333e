// Design note — the conversions of issue 11's formula engine (core/formula.hpp) to and from JS
// values, apart from wasm/bindings_formula.cpp for the reason convert.hpp is apart from
// bindings.cpp: the bindings only say what JS can call. The JS wrapper (wasm/formula.mjs) has
// checked the text is a string and every parameter a number, so this side reads trusted types.
// A SyntaxError is the one error that carries more than words: its column and length come back
// beside the message, so the page can put a caret under the mistake.
#pragma once

#include <emscripten/val.h>

#include <exception>
#include <map>
#include <string>

#include "convert.hpp"
#include "formula.hpp"

namespace lab::wasm {

// {a: 0.5, beta: 2} -> {"a": 0.5, "beta": 2} (undefined entries skipped).
std::map<std::string, double> to_formula_values(const val& params);
// {expression, lambda, module}
val torch_forms_js(const formula::Formula& f, const std::vector<double>& values);
// {syntax: {message, column, length}}: lab.formula(text)'s error, before the wrapper adds the caret.
val syntax_to_js(const formula::SyntaxError& e);
// {error: "formula: <message> (column N)", column, length}: an evaluation's error, thrown by the wrapper.
val syntax_error_to_js(const formula::SyntaxError& e);

// guarded() with a SyntaxError's column kept: `syntax` turns it into the value returned.
template <class F, class S>
val formula_guarded(F&& f, S&& syntax) {
    try {
        return f();
    } catch (const formula::SyntaxError& e) {
        return syntax(e);
    } catch (const std::exception& e) {
        return error_to_js(e);
    }
}

}  // namespace lab::wasm
