// Design note: see convert_formula.hpp. Everything that walks a formula value from JS or builds
// one for JS lives here; no parsing and no math.
#include "convert_formula.hpp"

namespace lab::wasm {

std::map<std::string, double> to_formula_values(const val& params) {
    std::map<std::string, double> out;
    if (params.isNull() || params.isUndefined()) return out;
    const val keys = val::global("Object").call<val>("keys", params);
    const auto n = keys["length"].as<std::size_t>();
    for (std::size_t i = 0; i < n; ++i) {
        const auto key = keys[i].as<std::string>();
        const val v = params[key];
        if (!v.isUndefined()) out[key] = v.as<double>();
    }
    return out;
}

val torch_forms_js(const formula::Formula& f, const std::vector<double>& values) {
    val o = val::object();
    o.set("expression", f.torch_expression(values));
    o.set("lambda", f.torch_lambda(values));
    o.set("module", f.torch_module(values));
    return o;
}

val syntax_to_js(const formula::SyntaxError& e) {
    val s = val::object();
    s.set("message", std::string(e.what()));
    s.set("column", e.column);
    s.set("length", e.length);
    val o = val::object();
    o.set("syntax", s);
    return o;
}

val syntax_error_to_js(const formula::SyntaxError& e) {
    val o = val::object();
    o.set("error", "formula: " + std::string(e.what()) + " (column " + std::to_string(e.column) + ")");
    o.set("column", e.column);
    o.set("length", e.length);
    return o;
}

}  // namespace lab::wasm
