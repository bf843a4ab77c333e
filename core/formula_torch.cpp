// Design note: a parsed formula printed as PyTorch code — the expression, a lambda, an nn.Module —
// and the description the bindings hand to JavaScript (JSON written by hand, as registry.cpp's
// catalog is: the core has no JSON dependency).
// The code must be what the numbers came from, so each node prints as the torch call whose
// semantics formula_eval.cpp reproduces:
//   * a node that depends on x is a tensor expression: torch.exp(...), torch.where(c, a, b),
//     torch.maximum(a, b) (a constant operand wrapped as a 0-dim tensor, which maximum needs),
//     F.softplus(x, beta=…, threshold=…), torch.clamp(x, min=…, max=…), nn.ELU(alpha=…)(…);
//     a comparison used as a number is (x > 0).double() (torch would otherwise keep it bool, and
//     bool + bool is a logical or);
//   * a constant operand of such an expression is a Python number: a literal, a parameter
//     (self.a in the module), or + - * of those as Python float arithmetic (IEEE, like the
//     tensors); anything else constant (a division, a power, a function of a parameter) is
//     computed on 0-dim float64 tensors and read back with .item(), so Python never raises
//     (1.0 / 0.0, math.log(0.0)) where torch gives inf or nan, and torch.exp gets a tensor;
//   * parentheses by Python's precedence: comparisons < + - < * / < unary - < **, with ** right-
//     associative and above unary minus on its left (so -x ** 2 needs none, (-2.0) ** x does).
// The printer walks the tape in order (no recursion), keeping each node's text and precedence.
#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "formula_program.hpp"
#include "json_text.hpp"

namespace lab::formula {
namespace {

enum Prec { kCmp = 50, kAdd = 60, kMul = 70, kUnary = 80, kPow = 90, kAtom = 100 };

std::string py_number(double v) {
    if (std::isnan(v)) return "float('nan')";
    if (std::isinf(v)) return v > 0 ? "float('inf')" : "-float('inf')";
    return py_float(v);
}

std::string py_string(const std::string& s) {
    std::string o = "'";
    for (char c : s) {
        if (c == '\\' || c == '\'') o += '\\';
        o += c;
    }
    return o + "'";
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Replaces every standalone identifier `x` in a registry template by `arg`.
std::string substitute_x(const std::string& t, const std::string& arg, bool& found) {
    std::string o;
    found = false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] == 'x' && (i == 0 || !is_word_char(t[i - 1])) && (i + 1 == t.size() || !is_word_char(t[i + 1]))) {
            o += arg;
            found = true;
        } else {
            o += t[i];
        }
    }
    return o;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
    return s;
}

class Printer {
public:
    Printer(const Program& p, const std::vector<double>& values, bool module)
        : p_(p), values_(values), module_(module) {
        if (values.size() != p.parameters.size())
            throw Error("torch code: expected " + std::to_string(p.parameters.size()) + " parameter values, got " +
                        std::to_string(values.size()));
        const std::size_t n = p.nodes.size();
        text_.resize(n);
        prec_.assign(n, kAtom);
        simple_.assign(n, false);
        for (std::size_t i = 0; i < n; ++i) print(static_cast<int>(i));
    }

    std::string root() const {
        const int r = p_.root();
        return is_comparison(p_.nodes[r].op) ? number_of_comparison(r) : text_[r];
    }

private:
    std::string wrap(int j, bool parens) const { return parens ? "(" + text_[j] + ")" : text_[j]; }

    // A constant as a Python number.
    std::string scalar(int j) const {
        if (simple_[j]) return text_[j];
        return wrap(j, prec_[j] < kAtom) + ".item()";
    }
    // A constant as a 0-dim float64 tensor.
    std::string tensor(int j) const {
        if (simple_[j]) return "torch.tensor(" + text_[j] + ", dtype=torch.float64)";
        return text_[j];
    }
    // An operand of an op on tensors: a tensor expression, or a Python number.
    std::string operand(int j) const { return p_.nodes[j].constant ? scalar(j) : text_[j]; }
    int operand_prec(int j) const {
        if (!p_.nodes[j].constant) return is_comparison(p_.nodes[j].op) ? kAtom : prec_[j];
        return simple_[j] ? prec_[j] : kAtom;
    }
    std::string number_of_comparison(int j) const { return "(" + text_[j] + ").double()"; }
    // An operand in arithmetic: comparisons become numbers.
    std::string arith(int j) const {
        const Node& n = p_.nodes[j];
        if (is_comparison(n.op)) return n.constant ? "(" + text_[j] + ").double().item()" : number_of_comparison(j);
        return operand(j);
    }
    std::string condition(int j) const {
        const Node& n = p_.nodes[j];
        if (is_comparison(n.op)) return text_[j];
        if (n.constant) return "(" + tensor(j) + " != 0)";
        return "(" + text_[j] + " != 0)";
    }

    void binary(int i, const char* sym, int prec) {
        const Node& n = p_.nodes[i];
        // Inside a constant tensor expression the operands are tensors; otherwise Python numbers
        // or tensors as the operand's kind says.
        std::string left, right;
        int lp, rp;
        if (n.constant && !simple_[i]) {
            left = const_operand(n.a), right = const_operand(n.b);
            lp = const_prec(n.a), rp = const_prec(n.b);
        } else {
            left = arith(n.a), right = arith(n.b);
            lp = is_comparison(p_.nodes[n.a].op) ? kAtom : operand_prec(n.a);
            rp = is_comparison(p_.nodes[n.b].op) ? kAtom : operand_prec(n.b);
        }
        const bool power = prec == kPow;
        const bool lparen = power ? lp <= kPow : lp < prec;
        const bool rparen = power ? rp < kUnary : rp <= prec;
        text_[i] = (lparen ? "(" + left + ")" : left) + " " + sym + " " + (rparen ? "(" + right + ")" : right);
        prec_[i] = prec;
    }
    // Operands of a constant computed on tensors: every leaf a tensor, comparisons as numbers.
    std::string const_operand(int j) const {
        if (is_comparison(p_.nodes[j].op)) return "(" + text_[j] + ").double()";
        return tensor(j);
    }
    int const_prec(int j) const {
        if (is_comparison(p_.nodes[j].op) || simple_[j]) return kAtom;
        return prec_[j];
    }

    void print(int i) {
        const Node& n = p_.nodes[i];
        const bool tensor_const = n.constant;  // (refined below: + - * of simple operands stay Python)
        switch (n.op) {
            case Op::X: text_[i] = "x"; return;
            case Op::Number:
                text_[i] = py_number(n.number);
                simple_[i] = true;
                prec_[i] = (n.number < 0 || std::signbit(n.number)) ? kUnary : kAtom;
                return;
            case Op::Param: {
                const Parameter& q = p_.parameters[static_cast<std::size_t>(n.index)];
                simple_[i] = true;
                if (module_) {
                    text_[i] = "self." + q.name;
                    prec_[i] = kAtom;
                } else {
                    const double v = values_[static_cast<std::size_t>(n.index)];
                    text_[i] = py_number(v);
                    prec_[i] = (v < 0 || std::signbit(v) || std::isinf(v)) ? kUnary : kAtom;
                }
                return;
            }
            default: break;
        }
        if (tensor_const) {
            const bool arithmetic = n.op == Op::Neg || n.op == Op::Add || n.op == Op::Sub || n.op == Op::Mul;
            bool all_simple = true;
            for (int o : {n.a, n.b, n.c})
                if (o >= 0 && !simple_[o]) all_simple = false;
            simple_[i] = arithmetic && all_simple;
        }
        switch (n.op) {
            case Op::Neg: {
                const bool t = n.constant && !simple_[i];
                const std::string s = t ? const_operand(n.a) : arith(n.a);
                const int sp = t ? const_prec(n.a) : (is_comparison(p_.nodes[n.a].op) ? kAtom : operand_prec(n.a));
                text_[i] = "-" + (sp <= kUnary ? "(" + s + ")" : s);
                prec_[i] = kUnary;
                return;
            }
            case Op::Add: binary(i, "+", kAdd); return;
            case Op::Sub: binary(i, "-", kAdd); return;
            case Op::Mul: binary(i, "*", kMul); return;
            case Op::Div: binary(i, "/", kMul); return;
            case Op::Pow: binary(i, "**", kPow); return;
            case Op::Lt: binary(i, "<", kCmp); return;
            case Op::Le: binary(i, "<=", kCmp); return;
            case Op::Gt: binary(i, ">", kCmp); return;
            case Op::Ge: binary(i, ">=", kCmp); return;
            case Op::Eq: binary(i, "==", kCmp); return;
            case Op::Ne: binary(i, "!=", kCmp); return;
            case Op::Where: {
                std::string a, b;
                if (n.constant) {
                    a = const_operand(n.b), b = const_operand(n.c);
                } else {
                    const bool ca = p_.nodes[n.b].constant, cb = p_.nodes[n.c].constant;
                    // Two Python numbers would give a tensor of the default dtype: one is a tensor.
                    a = ca && cb ? tensor(n.b) : arith(n.b);
                    b = arith(n.c);
                }
                text_[i] = "torch.where(" + condition(n.a) + ", " + a + ", " + b + ")";
                return;
            }
            case Op::Softplus: {
                const std::string in = n.constant ? const_operand(n.a) : arith(n.a);
                text_[i] = "F.softplus(" + in + ", beta=" + scalar(n.b) + ", threshold=" + scalar(n.c) + ")";
                return;
            }
            case Op::Clamp: {
                std::string s = "torch.clamp(" + (n.constant ? const_operand(n.a) : arith(n.a));
                if (n.b >= 0) s += ", min=" + scalar(n.b);
                if (n.c >= 0) s += ", max=" + scalar(n.c);
                text_[i] = s + ")";
                return;
            }
            case Op::Minimum:
            case Op::Maximum: {
                auto t = [&](int j) { return p_.nodes[j].constant ? const_operand(j) : arith(j); };
                text_[i] = std::string(n.op == Op::Maximum ? "torch.maximum(" : "torch.minimum(") + t(n.a) + ", " +
                           t(n.b) + ")";
                return;
            }
            case Op::Catalog: {
                text_[i] = catalog(i);
                return;
            }
            default: {
                const Builtin* b = builtin_of(n.op);
                text_[i] = std::string(b ? b->torch : "?") + "(" + (n.constant ? const_operand(n.a) : arith(n.a)) + ")";
                return;
            }
        }
    }

    std::string keyword_value(const Call& call, const Keyword& k) const {
        if (k.node < 0) return py_string(k.text);
        for (const ParamSpec& q : call.spec->params)
            if (q.name == k.name && q.type == ParamType::Int) {
                const Node& v = p_.nodes[k.node];
                if (v.op == Op::Number && std::isfinite(v.number) && v.number == std::floor(v.number)) {
                    char buf[32];
                    std::snprintf(buf, sizeof buf, "%.0f", v.number);
                    return buf;
                }
                return "int(" + scalar(k.node) + ")";
            }
        return scalar(k.node);
    }

    std::string catalog(int i) const {
        const Node& n = p_.nodes[i];
        const Call& call = p_.calls[static_cast<std::size_t>(n.index)];
        const FunctionSpec& f = *call.spec;
        std::string args;
        for (const Keyword& k : call.keywords) args += (args.empty() ? "" : ", ") + k.name + "=" + keyword_value(call, k);
        const std::string in = n.constant ? const_operand(n.a) : arith(n.a);
        if (f.torch.empty()) return "nn." + f.name.str() + "(" + args + ")(" + in + ")";
        std::string code = replace_all(f.torch.str(), "{args}", args);
        for (const ParamSpec& q : f.params) {
            std::string value;
            for (const Keyword& k : call.keywords)
                if (k.name == q.name) value = keyword_value(call, k);
            if (value.empty()) {
                const Value d = q.default_value.value();
                value = d.type == Value::Type::Number ? py_number(d.number) : d.type == Value::Type::String ? py_string(d.string) : "None";
            }
            std::string key = "{";
            key += q.name.c_str();
            key += '}';
            code = replace_all(code, key, value);
        }
        bool has_x = false;
        const std::string with_x = substitute_x(code, "(" + in + ")", has_x);
        return has_x ? "(" + with_x + ")" : code + "(" + in + ")";
    }

    const Program& p_;
    const std::vector<double>& values_;
    bool module_;
    std::vector<std::string> text_;
    std::vector<int> prec_;
    std::vector<bool> simple_;
};


// Finite numbers as Python prints them (valid JSON); inf/-inf/nan as the strings "inf", "-inf", "nan".
void json_number(std::string& o, double v) {
    if (std::isfinite(v))
        o += py_float(v);
    else
        json_string(o, py_float(v));
}

bool is_identifier(std::string_view s) {
    if (s.empty() || s.size() > 64 || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
    for (char c : s)
        if (!is_word_char(c)) return false;
    return true;
}

}  // namespace

std::string Formula::torch_expression(const std::vector<double>& values) const {
    return Printer(checked(program_), values, false).root();
}

std::string Formula::torch_lambda(const std::vector<double>& values) const {
    return "lambda x: " + torch_expression(values);
}

std::string Formula::torch_module(const std::vector<double>& values, std::string_view class_name) const {
    if (!is_identifier(class_name))
        throw Error("torch_module: class name '" + std::string(class_name) + "' is not a Python identifier");
    const Program& p = checked(program_);
    const std::string body = Printer(p, values, true).root();
    std::string o = "class " + std::string(class_name) + "(nn.Module):\n";
    std::string comment = p.text;  // whole (at most kMaxLength): a cut could split a UTF-8 character
    for (char& c : comment)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    o += "    # " + comment + "\n";
    o += "    def __init__(self";
    for (std::size_t i = 0; i < p.parameters.size(); ++i) o += ", " + p.parameters[i].name + "=" + py_number(values[i]);
    o += "):\n        super().__init__()\n";
    for (const Parameter& q : p.parameters) o += "        self." + q.name + " = " + q.name + "\n";
    o += "\n    def forward(self, x):\n        return " + body + "\n";
    return o;
}

std::string Formula::describe_json() const {
    const Program& p = checked(program_);
    const std::vector<double> v = values();
    std::string o = "{\"text\":";
    json_string(o, p.text);
    o += ",\"parameters\":[";
    for (std::size_t i = 0; i < p.parameters.size(); ++i) {
        const Parameter& q = p.parameters[i];
        if (i) o += ',';
        o += "{\"name\":";
        json_string(o, q.name);
        o += ",\"value\":";
        json_number(o, q.value);
        o += ",\"declared\":";
        o += q.declared ? "true" : "false";
        o += ",\"column\":" + std::to_string(q.column);
        o += ",\"sliderMin\":";
        json_number(o, q.slider_min);
        o += ",\"sliderMax\":";
        json_number(o, q.slider_max);
        o += '}';
    }
    o += "],\"torch\":{\"expression\":";
    json_string(o, torch_expression(v));
    o += ",\"lambda\":";
    json_string(o, torch_lambda(v));
    o += ",\"module\":";
    json_string(o, torch_module(v));
    o += "},\"uses\":[";
    std::vector<std::string> uses;
    for (const Call& c : p.calls) {
        const std::string name = c.spec->name.str();
        bool seen = false;
        for (const std::string& u : uses) seen = seen || u == name;
        if (!seen) uses.push_back(name);
    }
    for (std::size_t i = 0; i < uses.size(); ++i) {
        if (i) o += ',';
        json_string(o, uses[i]);
    }
    o += "],\"differentiable\":";
    o += differentiable() ? "true" : "false";
    o += '}';
    return o;
}

}  // namespace lab::formula
