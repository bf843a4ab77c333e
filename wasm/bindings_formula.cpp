// Design note — what JS can call of issue 11's formula engine (core/formula.hpp), linked only into
// lab_net (CMakeLists.txt): the page's first visit (lab_core) has no room for a parser. Each
// binding converts its arguments (convert_formula.hpp), calls the same lab::formula entry points
// the native tests call (Formula::parse, values, evaluate, torch_*, describe_json) and converts
// the result back; x and y/dy cross in one bulk copy each way (convert.hpp's to_input and
// elementwise_to_js), as the built-ins' do. Every throw comes back as a value (formula_guarded):
// a SyntaxError with its column and length, anything else as {error}, so the instance keeps
// answering whatever is typed.
//
// One parsed formula is kept: the page evaluates the same text again and again while a slider
// moves, and a parse costs more than evaluating a few hundred points. The cache holds exactly
// one entry, so the heap does not grow with the number of texts seen.
#include <emscripten/bind.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "convert_formula.hpp"

namespace {

using namespace lab::wasm;
namespace fm = lab::formula;

const fm::Formula& parsed(const std::string& text) {
    static std::string last_text;
    static std::optional<fm::Formula> last;
    if (!last || last_text != text) {
        last.reset();
        last = fm::Formula::parse(text);  // throws SyntaxError: the cache is left empty
        last_text = text;
    }
    return *last;
}

// lab.formula(text): the description's JSON (a string, parsed by the wrapper), or {syntax}.
val formula_describe(const std::string& text) {
    return formula_guarded([&] { return val(parsed(text).describe_json()); }, syntax_to_js);
}

// lab.activation({formula, params}, x): {y, dy} as the built-ins give them (any shape).
val formula_activation(const std::string& text, const val& params, const val& x) {
    return formula_guarded(
        [&] {
            const fm::Formula& f = parsed(text);
            const std::vector<double> values = f.values(to_formula_values(params));
            const bool tensor = is_tensor(x);
            const lab::Tensor in = to_input(x);
            const std::size_t n = in.data.size();
            const std::unique_ptr<double[]> y(new double[n]), dy(new double[n]);
            f.evaluate(values, in.data.data(), n, y.get(), dy.get());
            return tensor ? elementwise_to_js(in.shape, y.get(), dy.get()) : elementwise_to_js(y.get(), dy.get(), n);
        },
        syntax_error_to_js);
}

// lab.torchCode({formula, params}): {expression, lambda, module} at those values.
val formula_torch(const std::string& text, const val& params) {
    return formula_guarded(
        [&] {
            const fm::Formula& f = parsed(text);
            return torch_forms_js(f, f.values(to_formula_values(params)));
        },
        syntax_error_to_js);
}

}  // namespace

EMSCRIPTEN_BINDINGS(activation_loss_lab_formula) {
    emscripten::function("formulaDescribe", &formula_describe);
    emscripten::function("formulaActivation", &formula_activation);
    emscripten::function("formulaTorch", &formula_torch);
}
