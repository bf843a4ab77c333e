// Design note: libFuzzer target for issue 11's formula language (core/formula.hpp). The promise
// under test is "nothing a user types can crash, hang or exhaust memory": any bytes go to
// Formula::parse, and what it accepts is evaluated, described and printed as PyTorch code the way
// the bindings do. The outcomes allowed are a program, a SyntaxError whose caret lands in the text
// (or just past it), or a lab::Error with words; everything else — another exception, a crash, a
// sanitizer report, a hang or runaway memory (libFuzzer's -timeout / -rss_limit_mb) — is a
// finding, reported by abort() with what was broken, so libFuzzer saves the input.
// The checks are properties any correct implementation has (no reference values here): the
// values-only pass gives the same y as the pass with derivatives, a parse is deterministic, the
// description is valid JSON listing the same parameters, and the limits of formula.hpp hold.
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "formula.hpp"

namespace {

using lab::formula::Formula;
using lab::formula::SyntaxError;

[[noreturn]] void finding(const char* what, const std::string& detail = {}) {
    std::fprintf(stderr, "\n*** formula fuzz finding: %s%s%s\n", what, detail.empty() ? "" : ": ", detail.c_str());
    std::abort();
}

bool same(double a, double b) {  // bit for bit, any NaN equal to any NaN
    return (std::isnan(a) && std::isnan(b)) || std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const std::vector<double> kXs = {0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 1e-300, -5e-324, 1e300, -1e300, kInf, -kInf, kNaN};

// One evaluation at kXs; a lab::Error (a keyword value the registry refuses) is an allowed answer.
void evaluate(const Formula& f, const std::vector<double>& values) {
    const std::size_t n = kXs.size();
    std::vector<double> y(n, 42.0), dy(n, 42.0), y_only(n, 42.0);
    try {
        f.evaluate(values, kXs.data(), n, y.data(), dy.data());
    } catch (const lab::Error& e) {
        if (std::string_view(e.what()).empty()) finding("evaluate threw an Error without a message");
        return;
    }
    try {
        f.evaluate(values, kXs.data(), n, y_only.data(), nullptr);
    } catch (const lab::Error& e) {
        finding("values-only evaluation threw where the one with derivatives did not", e.what());
    }
    for (std::size_t i = 0; i < n; ++i)
        if (!same(y[i], y_only[i]))
            finding("values-only evaluation differs from the one with derivatives",
                    "x=" + std::to_string(kXs[i]) + " y=" + std::to_string(y[i]) + " vs " + std::to_string(y_only[i]));
    f.evaluate(values, kXs.data(), 0, nullptr, nullptr);  // no points: nothing to write
}

void exercise(const Formula& f, std::string_view text) {
    if (text.size() > lab::formula::kMaxLength) finding("a text longer than kMaxLength accepted");
    const auto& params = f.parameters();
    if (params.size() > lab::formula::kMaxParameters) finding("more parameters than kMaxParameters accepted");
    std::map<std::string, double> names;
    for (const auto& p : params) {
        if (p.name.empty()) finding("a parameter without a name");
        if (p.name == "x") finding("x taken for a parameter");
        if (!names.emplace(p.name, p.value).second) finding("parameter listed twice", p.name);
        if (p.column < 1 || static_cast<std::size_t>(p.column) > text.size()) finding("parameter column outside the text", p.name);
    }

    const std::vector<double> defaults = f.values();
    if (defaults.size() != params.size()) finding("values() is not parallel to parameters()");
    for (std::size_t i = 0; i < params.size(); ++i)
        if (!same(defaults[i], params[i].value)) finding("values() differs from the parameters' defaults", params[i].name);
    try {
        (void)f.values({{"no_such_parameter_", 1.0}});
        finding("values() accepted an unknown parameter name");
    } catch (const lab::Error& e) {
        if (std::string_view(e.what()).empty()) finding("unknown parameter: Error without a message");
    }

    evaluate(f, defaults);
    for (double v : {0.0, -1.0, 0.5, 1e300, -kInf, kNaN}) {  // every parameter at an awkward value
        std::map<std::string, double> given;
        for (const auto& p : params) given[p.name] = v;
        evaluate(f, f.values(given));
        if (params.empty()) break;
    }

    // PyTorch code and the description, as the bindings ask for them.
    if (f.torch_expression(defaults).empty()) finding("empty torch_expression");
    if (f.torch_lambda(defaults).rfind("lambda x:", 0) != 0) finding("torch_lambda does not start with 'lambda x:'");
    if (f.torch_module(defaults).empty()) finding("empty torch_module");
    std::vector<double> odd(params.size(), -kInf);
    (void)f.torch_module(odd, "Odd");
    const std::string described = f.describe_json();
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(described);
    } catch (const std::exception& e) {
        finding("describe_json is not valid JSON", e.what());
    }
    if (!j.contains("parameters") || !j["parameters"].is_array() || j["parameters"].size() != params.size())
        finding("describe_json's parameters differ from parameters()");
    if (Formula::parse(text).describe_json() != described) finding("parsing the same text twice described it differently");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        std::optional<Formula> f;
        try {
            f.emplace(Formula::parse(text));
        } catch (const SyntaxError& e) {
            if (std::string_view(e.what()).empty()) finding("SyntaxError without a message");
            if (e.column < 1 || static_cast<std::size_t>(e.column) > size + 1)
                finding("SyntaxError column outside [1, size+1]", std::to_string(e.column));
            if (e.length < 1) finding("SyntaxError length < 1", std::to_string(e.length));
            if (static_cast<std::size_t>(e.column) + static_cast<std::size_t>(e.length) > size + 2)
                finding("SyntaxError underline runs past the end of the text",
                        "column " + std::to_string(e.column) + " length " + std::to_string(e.length));
            return 0;
        }
        exercise(*f, text);
    } catch (const SyntaxError& e) {
        finding("SyntaxError outside parse", e.what());
    } catch (const lab::Error& e) {
        if (std::string_view(e.what()).empty()) finding("Error without a message");
    } catch (const std::exception& e) {
        finding("exception other than lab::Error", e.what());
    } catch (...) {
        finding("non-standard exception");
    }
    return 0;
}
