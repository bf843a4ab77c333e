// Joins the family tables into one catalog, checks callers' parameters against it, and writes it
// out as JSON for the bindings and the page. Messages follow Python's wording for constructor
// and forward() calls, so an error reads the way it would in a notebook.
#include "registry.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "json_text.hpp"
#include "tensor.hpp"

namespace lab {

Value Default::value() const {
    switch (type) {
        case Value::Type::Number: return Value::num(number);
        case Value::Type::Bool: return Value::flag(boolean);
        case Value::Type::String: return Value::str(string.str());
        default: return Value::none();
    }
}

const std::vector<const FunctionSpec*>& all_functions() {
    static const std::vector<const FunctionSpec*> all = [] {
        std::vector<const FunctionSpec*> v;
        for (const auto table : {elementwise_specs_relu_smooth(), elementwise_specs_sigmoid_shrink(), vector_specs(),
                                 loss_specs_regression(), loss_specs_binary(), loss_specs_probabilistic(),
                                 loss_specs_embedding(), loss_specs_classification(), loss_specs_margin(),
                                 loss_specs_ctc()})
            for (const auto& f : table) v.push_back(&f);
        return v;
    }();
    return all;
}

namespace {

std::string lower(std::string_view s) {
    std::string r(s);
    for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return r;
}

const char* type_word(const Value& v) {
    switch (v.type) {
        case Value::Type::None: return "None";
        case Value::Type::Number: return "number";
        case Value::Type::Bool: return "bool";
        case Value::Type::String: return "string";
        case Value::Type::Tensor: return "tensor";
    }
    return "value";
}

std::string int_str(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
}

std::string value_str(const ParamSpec& p, const Value& v) {
    if (v.type == Value::Type::Number)
        return p.type == ParamType::Float ? py_float(v.number) : int_str(v.number);
    if (v.type == Value::Type::String) return v.string;
    if (v.type == Value::Type::Bool) return v.boolean ? "True" : "False";
    return type_word(v);
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
        s.replace(pos, from.size(), to);
    return s;
}

[[noreturn]] void invalid(const FunctionSpec& f, const ParamSpec& p, const Value& v, const std::string& fallback) {
    if (!p.invalid.empty()) throw Error(replace_all(p.invalid, "{value}", value_str(p, v)));
    throw Error(f.name + ": argument '" + p.name + "' " + fallback);
}

bool is_integral(double v) { return std::isfinite(v) && v == std::floor(v); }

void check_value(const FunctionSpec& f, const ParamSpec& p, const Value& v) {
    switch (p.type) {
        case ParamType::Float:
        case ParamType::Int: {
            if (v.type != Value::Type::Number)
                throw Error(f.name + ": argument '" + p.name + "' must be a number, not " + type_word(v));
            if (p.type == ParamType::Int && !is_integral(v.number))
                throw Error(f.name + ": argument '" + p.name + "' must be an integer, got " + py_float(v.number));
            const double x = v.number;
            const bool low = p.min_open ? !(x > p.min) : !(x >= p.min);
            const bool high = p.max_open ? !(x < p.max) : !(x <= p.max);
            // NaN passes where PyTorch does not validate (infinite bounds), as in PyTorch.
            if ((std::isfinite(p.min) && low) || (std::isfinite(p.max) && high)) {
                std::string range = std::isfinite(p.min) && std::isfinite(p.max)
                                        ? "must be in " + std::string(p.min_open ? "(" : "[") + py_float(p.min) +
                                              ", " + py_float(p.max) + (p.max_open ? ")" : "]")
                                    : std::isfinite(p.min) ? std::string("must be ") + (p.min_open ? "> " : ">= ") +
                                                                 py_float(p.min)
                                                           : std::string("must be ") + (p.max_open ? "< " : "<= ") +
                                                                 py_float(p.max);
                invalid(f, p, v, range + ", got " + value_str(p, v));
            }
            return;
        }
        case ParamType::Bool:
            if (v.type != Value::Type::Bool)
                throw Error(f.name + ": argument '" + p.name + "' must be True or False, not " + type_word(v));
            return;
        case ParamType::Choice: {
            if (v.type != Value::Type::String)
                throw Error(f.name + ": argument '" + p.name + "' must be a string, not " + type_word(v));
            if (std::find(p.choices.begin(), p.choices.end(), v.string) == p.choices.end()) {
                std::string list;
                for (const auto& c : p.choices) list += (list.empty() ? "'" : ", '") + c + "'";
                invalid(f, p, v, "must be one of " + list + ", got '" + v.string + "'");
            }
            return;
        }
        case ParamType::Tensor:
            if (v.type != Value::Type::Tensor && v.type != Value::Type::None && v.type != Value::Type::Number)
                throw Error(f.name + ": argument '" + p.name + "' must be a tensor, a number or None, not " +
                            type_word(v));
            return;
        case ParamType::Dim:
            if (v.type == Value::Type::None) return;
            if (v.type != Value::Type::Number || !is_integral(v.number))
                throw Error(f.name + ": argument '" + p.name + "' must be an integer or None");
            if (std::isfinite(p.min) || std::isfinite(p.max)) {
                if (v.number < p.min || v.number > p.max) invalid(f, p, v, "is out of range");
            }
            return;
    }
}

std::string python_list(const std::vector<std::string>& names) {
    std::string r;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i) r += (i + 1 == names.size()) ? (names.size() > 2 ? ", and " : " and ") : ", ";
        r += "'" + names[i] + "'";
    }
    return r;
}

std::string missing_message(const std::string& where, const std::vector<std::string>& missing) {
    return where + " missing " + std::to_string(missing.size()) + " required positional argument" +
           (missing.size() > 1 ? "s" : "") + ": " + python_list(missing);
}

}  // namespace

const FunctionSpec& find_function(std::string_view name) {
    for (const auto* f : all_functions())
        if (f->name == name) return *f;
    for (const auto* f : all_functions())
        if (lower(f->name) == lower(name))
            throw Error("unknown function '" + std::string(name) + "'; did you mean '" + f->name + "'?");
    throw Error("unknown function '" + std::string(name) + "' (see catalog() for the names)");
}

Params resolve(const FunctionSpec& spec, const ParamMap& given) {
    for (const auto& entry : given) {
        const std::string& key = entry.first;  // (clang 14 cannot capture a structured binding)
        const bool known = std::any_of(spec.params.begin(), spec.params.end(),
                                       [&](const ParamSpec& p) { return p.name == key; });
        if (!known)
            throw Error(spec.name + ".__init__() got an unexpected keyword argument '" + key + "'");
    }
    Params out;
    out.spec = &spec;
    out.values.reserve(spec.params.size());
    std::vector<std::string> missing;
    for (const auto& p : spec.params) {
        auto it = given.find(p.name);
        if (it == given.end()) {
            if (p.required) missing.push_back(p.name);
            out.values.push_back(p.default_value.value());
            continue;
        }
        check_value(spec, p, it->second);
        // A bare number for a tensor parameter is the 0-dim tensor torch.tensor(v) (BCELoss
        // weight=1.5); the function's own shape rules then apply to it as to any tensor.
        if (p.type == ParamType::Tensor && it->second.type == Value::Type::Number)
            out.values.push_back(Value::tensor_of(Tensor::scalar(it->second.number)));
        else
            out.values.push_back(it->second);
    }
    if (!missing.empty()) throw Error(missing_message(spec.name + ".__init__()", missing));
    if (spec.check) spec.check(out);
    return out;
}

const Value& Params::get(std::string_view name) const {
    for (std::size_t i = 0; i < spec->params.size(); ++i)
        if (spec->params[i].name == name) return values[i];
    throw Error("internal: " + spec->name + " has no parameter '" + std::string(name) + "'");
}
double Params::num(std::string_view name) const { return get(name).number; }
std::int64_t Params::integer(std::string_view name) const { return static_cast<std::int64_t>(get(name).number); }
bool Params::flag(std::string_view name) const { return get(name).boolean; }
const std::string& Params::choice(std::string_view name) const { return get(name).string; }
const Tensor* Params::tensor(std::string_view name) const {
    const Value& v = get(name);
    return v.type == Value::Type::Tensor ? &v.tensor : nullptr;
}
bool Params::is_none(std::string_view name) const { return get(name).type == Value::Type::None; }

// ---------------------------------------------------------------- JSON (json_text.hpp's writers)
namespace {

void json_value(std::string& o, const Value& v) {
    switch (v.type) {
        case Value::Type::None: o += "null"; break;
        case Value::Type::Number: json_number(o, v.number); break;
        case Value::Type::Bool: o += v.boolean ? "true" : "false"; break;
        case Value::Type::String: json_string(o, v.string); break;
        case Value::Type::Tensor: o += "null"; break;
    }
}

const char* type_name(ParamType t) {
    switch (t) {
        case ParamType::Float: return "float";
        case ParamType::Int: return "int";
        case ParamType::Bool: return "bool";
        case ParamType::Choice: return "choice";
        case ParamType::Tensor: return "tensor";
        case ParamType::Dim: return "dim";
    }
    return "float";
}

const char* kind_name(Kind k) {
    switch (k) {
        case Kind::Elementwise: return "elementwise";
        case Kind::Vector: return "vector";
        case Kind::Loss: return "loss";
    }
    return "elementwise";
}

void json_spec(std::string& o, const FunctionSpec& f) {
    o += "{\"name\":";
    json_string(o, f.name);
    o += ",\"kind\":\"";
    o += kind_name(f.kind);
    o += "\",\"group\":";
    json_string(o, f.group);
    o += ",\"inTorchNn\":";
    o += f.in_torch_nn ? "true" : "false";
    o += ",\"params\":[";
    for (std::size_t i = 0; i < f.params.size(); ++i) {
        const auto& p = f.params[i];
        if (i) o += ',';
        o += '{';
        json_param_fields(o, p, type_name(p.type), [&](std::string& out) { json_value(out, p.default_value.value()); });
        o += '}';
    }
    o += "],\"args\":[";
    for (std::size_t i = 0; i < f.args.size(); ++i) {
        const auto& a = f.args[i];
        if (i) o += ',';
        o += "{\"name\":";
        json_string(o, a.name);
        o += ",\"integer\":";
        o += a.integer ? "true" : "false";
        o += ",\"optional\":";
        o += a.optional ? "true" : "false";
        o += ",\"doc\":";
        json_string(o, a.doc);
        o += '}';
    }
    o += "],\"formula\":";
    json_string(o, f.formula);
    o += ",\"summary\":";
    json_string(o, f.summary);
    o += ",\"notes\":";
    json_strings(o, f.notes);
    o += ",\"example\":{";
    for (std::size_t i = 0; i < f.example.size(); ++i) {
        if (i) o += ',';
        json_string(o, f.example[i].first);
        o += ':';
        json_string(o, f.example[i].second);
    }
    o += "},\"temperature\":";
    o += f.temperature ? "true" : "false";
    o += ",\"compare\":";
    json_strings(o, f.compare);
    o += ",\"plotNote\":";
    json_string(o, f.plot_note);
    o += '}';
}

}  // namespace

std::string catalog_json() {
    std::string o = "{\"activations\":[";
    bool first = true;
    for (const auto* f : all_functions()) {
        if (f->kind == Kind::Loss) continue;
        if (!first) o += ',';
        first = false;
        json_spec(o, *f);
    }
    o += "],\"losses\":[";
    first = true;
    for (const auto* f : all_functions()) {
        if (f->kind != Kind::Loss) continue;
        if (!first) o += ',';
        first = false;
        json_spec(o, *f);
    }
    return o + "]}";
}

// ---------------------------------------------------------------- PyTorch code
namespace {

void python_tensor(std::string& o, const Tensor& t, std::size_t dim, std::size_t& offset) {
    if (dim == t.shape.size()) {
        o += py_float(t.data[offset++]);
        return;
    }
    o += '[';
    for (std::int64_t i = 0; i < t.shape[dim]; ++i) {
        if (i) o += ", ";
        python_tensor(o, t, dim + 1, offset);
    }
    o += ']';
}

std::string python_literal(const ParamSpec& p, const Value& v) {
    switch (v.type) {
        case Value::Type::None: return "None";
        case Value::Type::Bool: return v.boolean ? "True" : "False";
        case Value::Type::Number: return p.type == ParamType::Float ? py_float(v.number) : int_str(v.number);
        case Value::Type::String: {
            for (std::size_t i = 0; i < p.choices.size() && i < p.choice_python.size(); ++i)
                if (p.choices[i] == v.string && !p.choice_python[i].empty()) return p.choice_python[i];
            return "'" + v.string + "'";
        }
        case Value::Type::Tensor: {
            std::string o = "torch.tensor(";
            std::size_t offset = 0;
            python_tensor(o, v.tensor, 0, offset);
            return o + ")";
        }
    }
    return "None";
}

bool same_value(const Value& a, const Value& b) {
    if (a.type != b.type) return false;
    switch (a.type) {
        case Value::Type::None: return true;
        case Value::Type::Number: return a.number == b.number || (std::isnan(a.number) && std::isnan(b.number));
        case Value::Type::Bool: return a.boolean == b.boolean;
        case Value::Type::String: return a.string == b.string;
        case Value::Type::Tensor: return false;
    }
    return false;
}

}  // namespace

std::string torch_code(const Params& params) {
    const FunctionSpec& f = *params.spec;
    std::string args;
    for (std::size_t i = 0; i < f.params.size(); ++i) {
        const auto& p = f.params[i];
        if (!p.required && same_value(params.values[i], p.default_value.value())) continue;
        if (!args.empty()) args += ", ";
        args += p.name + "=" + python_literal(p, params.values[i]);
    }
    std::string code = f.torch.empty() ? "nn." + f.name + "({args})" : f.torch.str();
    code = replace_all(code, "{args}", args);
    for (std::size_t i = 0; i < f.params.size(); ++i)
        code = replace_all(code, "{" + f.params[i].name + "}", python_literal(f.params[i], params.values[i]));
    return code;
}

// ---------------------------------------------------------------- evaluation
namespace {

const FunctionSpec& find_kind(std::string_view name, Kind kind) {
    const FunctionSpec& f = find_function(name);
    if (f.kind != kind) {
        const char* want = kind == Kind::Loss ? "a loss" : kind == Kind::Vector ? "a vector activation"
                                                                                : "an elementwise activation";
        throw Error("'" + f.name + "' is not " + std::string(want) + " (it is " +
                    (f.kind == Kind::Loss ? "a loss" : f.kind == Kind::Vector ? "a vector activation"
                                                                              : "an elementwise activation") +
                    ")");
    }
    return f;
}

}  // namespace

void evaluate_elementwise(std::string_view name, const ParamMap& params, const Shape& shape, const double* x,
                          double* y, double* dy) {
    const FunctionSpec& f = find_kind(name, Kind::Elementwise);
    const Params p = resolve(f, params);
    if (f.check_input) f.check_input(p, shape);
    f.elementwise(p, x, numel(shape), y, dy);
}

void evaluate_elementwise(std::string_view name, const ParamMap& params, const double* x, std::size_t n, double* y,
                          double* dy) {
    evaluate_elementwise(name, params, Shape{static_cast<std::int64_t>(n)}, x, y, dy);
}

ElementwiseResult evaluate_elementwise(std::string_view name, const ParamMap& params, const std::vector<double>& x) {
    ElementwiseResult r;
    r.y.resize(x.size());
    r.dy.resize(x.size());
    evaluate_elementwise(name, params, x.data(), x.size(), r.y.data(), r.dy.data());
    return r;
}

VectorTensorResult evaluate_vector_tensor(std::string_view name, const ParamMap& params, const Tensor& x) {
    const FunctionSpec& f = find_kind(name, Kind::Vector);
    const Params p = resolve(f, params);
    if (numel(x.shape) != x.data.size()) throw Error("internal: tensor data does not match its shape");
    const std::int64_t ndim = x.dim();
    // dim: None as torch.nn.functional._get_softmax_dim picks it (GLU's check refuses None),
    // then PyTorch's range check: [-1, 0] for a 0-dim input, as for a 1-D one.
    const std::int64_t given = p.is_none("dim") ? (ndim == 0 || ndim == 1 || ndim == 3 ? 0 : 1) : p.integer("dim");
    const std::int64_t dim = wrap_dim(given, std::max<std::int64_t>(ndim, 1));
    std::vector<std::string> warnings;
    if (p.is_none("dim") && !f.implicit_dim_name.empty())  // _get_softmax_dim warns before it picks
        warnings.push_back(std::string("Implicit dimension choice for ") + f.implicit_dim_name.c_str() +
                           " has been deprecated. Change the call to include dim=X as an argument.");
    // The input as [outer][n][inner] around dim; a 0-dim input is one slice of one element,
    // which its kernel is told by dim -1.
    const std::size_t n = ndim == 0 ? 1 : static_cast<std::size_t>(x.shape[static_cast<std::size_t>(dim)]);
    std::size_t outer = 1, inner = 1;
    for (std::int64_t k = 0; k < ndim; ++k) {
        const auto size = static_cast<std::size_t>(x.shape[static_cast<std::size_t>(k)]);
        if (k < dim) outer *= size;
        if (k > dim) inner *= size;
    }
    const std::int64_t kernel_dim = ndim == 0 ? -1 : dim;

    VectorTensorResult out;
    out.dim = dim;
    out.warnings = std::move(warnings);
    std::vector<double> slice(n);
    if (outer * inner == 0) {
        // No slice to evaluate: run one zero slice anyway so the kernel's checks (GLU's even size)
        // speak as PyTorch's do, and size the results from it.
        const VectorResult r = f.vector(p, slice, kernel_dim);
        Shape y_shape = x.shape;
        y_shape[static_cast<std::size_t>(dim)] = static_cast<std::int64_t>(r.y.size());
        out.y = Tensor(y_shape, std::vector<double>{});
        Shape j_shape = x.shape;
        j_shape.erase(j_shape.begin() + dim);
        j_shape.push_back(static_cast<std::int64_t>(r.y.size()));
        j_shape.push_back(static_cast<std::int64_t>(n));
        out.jacobian = Tensor(j_shape, std::vector<double>{});
        return out;
    }
    std::size_t m = 0;
    for (std::size_t o = 0; o < outer; ++o)
        for (std::size_t i = 0; i < inner; ++i) {
            for (std::size_t j = 0; j < n; ++j) slice[j] = x.data[(o * n + j) * inner + i];
            const VectorResult r = f.vector(p, slice, kernel_dim);
            if (o == 0 && i == 0) {
                m = r.y.size();
                out.y.data.resize(outer * m * inner);
                out.jacobian.data.reserve(outer * inner * m * n);
            }
            for (std::size_t j = 0; j < m; ++j) out.y.data[(o * m + j) * inner + i] = r.y[j];
            out.jacobian.data.insert(out.jacobian.data.end(), r.jacobian.begin(), r.jacobian.end());
        }
    out.y.shape = x.shape;
    if (ndim > 0) {
        out.y.shape[static_cast<std::size_t>(dim)] = static_cast<std::int64_t>(m);
        out.jacobian.shape = x.shape;
        out.jacobian.shape.erase(out.jacobian.shape.begin() + dim);
        out.jacobian.shape.push_back(static_cast<std::int64_t>(m));
        out.jacobian.shape.push_back(static_cast<std::int64_t>(n));
    }
    return out;
}

VectorResult evaluate_vector(std::string_view name, const ParamMap& params, const std::vector<double>& x) {
    VectorTensorResult r = evaluate_vector_tensor(name, params, Tensor(Shape{static_cast<std::int64_t>(x.size())}, x));
    return {std::move(r.y.data), std::move(r.jacobian.data)};
}

LossResult evaluate_loss(std::string_view name, const ParamMap& params, const ArgMap& args) {
    const FunctionSpec& f = find_kind(name, Kind::Loss);
    const Params p = resolve(f, params);
    for (const auto& entry : args) {
        const std::string& key = entry.first;
        const bool known =
            std::any_of(f.args.begin(), f.args.end(), [&](const ArgSpec& a) { return a.name == key; });
        if (!known) throw Error(f.name + ".forward() got an unexpected keyword argument '" + key + "'");
    }
    std::vector<std::string> missing;
    for (const auto& a : f.args)
        if (!a.optional && !args.count(a.name)) missing.push_back(a.name);
    if (!missing.empty()) throw Error(missing_message(f.name + ".forward()", missing));
    return f.loss(p, args);
}

std::string torch_code(std::string_view name, const ParamMap& params) {
    return torch_code(resolve(find_function(name), params));
}

}  // namespace lab
