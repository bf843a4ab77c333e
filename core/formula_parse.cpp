// Design note: the formula's recursive-descent parser (grammar in formula.hpp; tokens from
// formula_lex.cpp).
//   * Safety first: the text's length is checked before anything else, the recursion depth is
//     counted at every place the grammar can recurse (a parenthesis or call, a unary minus, the
//     right side of ^, a branch of ?:) — so no input can run the stack out — and the node and
//     parameter counts are checked as nodes are made. Left-associative chains are loops.
//   * Messages say what was expected, at a 1-based column counted in characters (code points,
//     what the page's caret counts), with a length to underline. Names a person might mistype get
//     "did you mean" by edit distance over the builtins, the catalog's elementwise names and x.
//   * Python's rules where they differ from a calculator's: ^ and ** bind tighter than unary
//     minus (-x^2 = -(x^2)) and to the right (2^3^2 = 2^9); comparisons do not chain here
//     (Python would chain them into `and`, which torch refuses for tensors), so a chain is refused.
// The whole grammar (each rule is one function below):
//   formula    := cond [ ';' decl { (',' | ';') decl } ]      decl := name '=' ['-'|'+']* number
//   cond       := comparison [ '?' cond ':' cond ]             (right-associative)
//   comparison := additive [ ('<'|'<='|'>'|'>='|'=='|'!=') additive ]   (no chains)
//   additive   := term { ('+'|'-') term }      term := unary { ('*'|'/') unary }
//   unary      := ('-'|'+') unary | power      power := primary [ ('^'|'**') unary ]
//   primary    := number | '(' cond ')' | x | pi | e | inf | nan | parameter
//               | builtin '(' args ')'          args: positional, then name=value (kBuiltins' names)
//               | Catalog '(' cond { ',' key '=' (cond | 'string') } ')'   keyword values constant
// A leading minus on a number literal is folded into it (-2 is a number, as Python's compiler does).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <utility>

#include "formula_lex.hpp"
#include "formula_program.hpp"

namespace lab::formula {
namespace {

constexpr const char* kPythonWords[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
    "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield"};
// Attributes every nn.Module has (dir(nn.Module()) in torch 1.13): a parameter stored as self.<name>
// must not shadow them.
constexpr const char* kModuleAttributes[] = {
    "T_destination", "add_module", "apply", "bfloat16", "buffers", "children", "cpu", "cuda", "double",
    "dump_patches", "eval", "extra_repr", "float", "forward", "get_buffer", "get_extra_state", "get_parameter",
    "get_submodule", "half", "ipu", "load_state_dict", "modules", "named_buffers", "named_children",
    "named_modules", "named_parameters", "parameters", "register_backward_hook", "register_buffer",
    "register_forward_hook", "register_forward_pre_hook", "register_full_backward_hook",
    "register_load_state_dict_post_hook", "register_module", "register_parameter", "requires_grad_",
    "set_extra_state", "share_memory", "state_dict", "to", "to_empty", "train", "training", "type", "xpu",
    "zero_grad"};

constexpr double kPi = 3.141592653589793;  // math.pi
constexpr double kE = 2.718281828459045;   // math.e

std::string lower(std::string_view s) {
    std::string r(s);
    for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return r;
}

// Levenshtein distance, case-insensitive, capped (names are short: at most a few dozen bytes).
std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::string x = lower(a), y = lower(b);
    std::vector<std::size_t> row(y.size() + 1);
    for (std::size_t j = 0; j <= y.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= x.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= y.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (x[i - 1] == y[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[y.size()];
}

const FunctionSpec* find_catalog(std::string_view name) {
    for (const FunctionSpec* f : all_functions())
        if (f->name == name) return f;
    return nullptr;
}

// The closest name a formula can call (or x), if close enough to be a likely typo.
std::string suggestion(std::string_view name) {
    if (name.size() > 64) return "";
    std::string best;
    std::size_t best_d = std::numeric_limits<std::size_t>::max();
    auto consider = [&](std::string_view cand) {
        const std::size_t d = edit_distance(name, cand);
        if (d < best_d) {
            best_d = d;
            best = std::string(cand);
        }
    };
    for (const Builtin& b : kBuiltins) consider(b.name);
    for (const FunctionSpec& f : elementwise_specs()) consider(f.name.c_str());
    const std::size_t allowed = name.size() <= 3 ? 1 : name.size() <= 6 ? 2 : 3;
    return best_d <= allowed && best_d < name.size() ? best : "";
}

bool is_reserved_name(std::string_view n) {
    return n == "x" || n == "pi" || n == "e" || n == "inf" || n == "nan";
}

class Parser {
public:
    explicit Parser(std::string_view text) : text_(text), lex_(text) {}

    Program run();

private:
    // ---------------------------------------------------------------- positions and errors
    int column(std::size_t pos) const { return lex_.column(pos); }
    int length(std::size_t pos, std::size_t end) const { return lex_.length(pos, end); }
    [[noreturn]] void fail(const std::string& message, std::size_t pos, std::size_t end) const {
        lex_.fail(message, pos, end);
    }
    [[noreturn]] void fail_at(const std::string& message, const Token& t) const {
        fail(message, t.pos, t.end);
    }
    std::string spelled(const Token& t) const {
        if (t.kind == Tok::End) return "the end";
        return "'" + std::string(text_.substr(t.pos, t.end - t.pos)) + "'";
    }

    // ---------------------------------------------------------------- tokens
    void lex_next() { tok_ = lex_.next(); }
    void advance() {
        prev_ = tok_;
        lex_next();
    }

    // ---------------------------------------------------------------- tape
    int push(Node n);
    int leaf_number(double v, const Token& t, std::string spelling);
    int binary(Op op, int a, int b, const Token& at);

    // ---------------------------------------------------------------- grammar
    struct Depth {
        explicit Depth(Parser& p, const Token& at) : p(p) {
            if (++p.depth_ > kMaxDepth)
                p.fail_at("nesting deeper than " + std::to_string(kMaxDepth) + " levels", at);
        }
        ~Depth() { --p.depth_; }
        Parser& p;
    };
    int parse_cond();
    int parse_comparison();
    int parse_additive();
    int parse_term();
    int parse_unary();
    int parse_power();
    int parse_primary();
    int parse_call(const Token& name);
    int parse_builtin(const Builtin& b, const Token& name, const Token& open);
    int parse_catalog(const FunctionSpec& f, const Token& name, const Token& open);
    int parameter(const Token& name);
    void expect_operand_after(const Token& op);
    void parse_declarations();
    double parse_declared_number(const std::string& name);

    std::string_view text_;
    Lexer lex_;
    Token tok_, prev_;
    int depth_ = 0;
    Program p_;
};

// ---------------------------------------------------------------- tape
int Parser::push(Node n) {
    if (p_.nodes.size() >= kMaxNodes)
        fail("the formula has more than " + std::to_string(kMaxNodes) + " operations", tok_.pos, tok_.end);
    const int ops[3] = {n.a, n.b, n.c};
    switch (n.op) {
        case Op::X: n.constant = false, n.grad = true; break;
        case Op::Number:
        case Op::Param: n.constant = true, n.grad = false; break;
        default: {
            n.constant = true;
            n.grad = false;
            for (int o : ops)
                if (o >= 0) n.constant = n.constant && p_.nodes[o].constant;
            if (is_comparison(n.op)) break;
            if (n.op == Op::Where) {
                n.grad = p_.nodes[n.b].grad || p_.nodes[n.c].grad;
            } else if (n.op == Op::Catalog) {  // BinaryStep's torch form has no grad_fn (FunctionSpec::autograd)
                n.grad = p_.nodes[n.a].grad && p_.calls[static_cast<std::size_t>(n.index)].spec->autograd != Autograd::NoGradFn;
            } else if (n.op == Op::Clamp || n.op == Op::Softplus) {
                n.grad = p_.nodes[n.a].grad;
            } else {
                for (int o : ops)
                    if (o >= 0) n.grad = n.grad || p_.nodes[o].grad;
            }
        }
    }
    p_.nodes.push_back(std::move(n));
    return static_cast<int>(p_.nodes.size()) - 1;
}

int Parser::leaf_number(double v, const Token& t, std::string spelling) {
    Node n;
    n.op = Op::Number;
    n.number = v;
    n.column = column(t.pos);
    n.length = length(t.pos, t.end);
    n.spelling = std::move(spelling);
    return push(std::move(n));
}

int Parser::binary(Op op, int a, int b, const Token& at) {
    Node n;
    n.op = op;
    n.a = a;
    n.b = b;
    n.column = column(at.pos);
    n.length = length(at.pos, at.end);
    return push(std::move(n));
}

// ---------------------------------------------------------------- grammar
Program Parser::run() {
    if (text_.size() > kMaxLength)
        throw SyntaxError("the formula is longer than " + std::to_string(kMaxLength) + " characters", static_cast<int>(kMaxLength) + 1,
                          1);
    p_.text = std::string(text_);
    Node x;
    x.op = Op::X;
    push(std::move(x));
    lex_next();
    if (tok_.kind == Tok::End || tok_.kind == Tok::Semicolon) fail_at("the formula is empty: write an expression in x", tok_);
    const int root = parse_cond();
    if (tok_.kind == Tok::RParen) fail_at("unexpected ')'", tok_);
    if (tok_.kind == Tok::Assign)
        fail_at("'=' gives a parameter its value after ';' (a = 0.5); to compare, write '=='", tok_);
    if (tok_.kind == Tok::Number || tok_.kind == Tok::Ident || tok_.kind == Tok::LParen || tok_.kind == Tok::String)
        fail_at("expected an operator before " + spelled(tok_) + " (write * for a product)", tok_);
    if (tok_.kind == Tok::Colon) fail_at("unexpected ':' without a '?' before it", tok_);
    if (tok_.kind == Tok::Comma) fail_at("unexpected ',' outside a function call", tok_);
    if (tok_.kind == Tok::Semicolon) {
        advance();
        parse_declarations();
    }
    if (tok_.kind != Tok::End) fail_at("unexpected " + spelled(tok_), tok_);
    bool uses_x = false;
    for (std::size_t i = 1; i < p_.nodes.size(); ++i)
        for (int o : {p_.nodes[i].a, p_.nodes[i].b, p_.nodes[i].c})
            if (o == 0) uses_x = true;
    if (!uses_x && root != 0) {
        std::string hint;
        for (const Parameter& q : p_.parameters)
            if (q.name == "X") hint = " (X is a parameter here: the variable is a lowercase x)";
        throw SyntaxError("the formula never uses x" + hint, 1, std::max(1, column(text_.size()) - 1));
    }
    if (root != p_.root()) throw Error("internal: the formula's result is not the last node");
    return std::move(p_);
}

void Parser::expect_operand_after(const Token& op) {
    switch (tok_.kind) {
        case Tok::Number: case Tok::Ident: case Tok::LParen: case Tok::Minus: case Tok::Plus: return;
        case Tok::String:
            fail_at("a string is only a keyword value, as in GELU(x, approximate='tanh')", tok_);
        default: {
            std::string what = std::string(text_.substr(op.pos, op.end - op.pos));
            fail("expected an expression after '" + what + "'", tok_.pos, tok_.kind == Tok::End ? tok_.pos : tok_.end);
        }
    }
}

int Parser::parse_cond() {
    const int c = parse_comparison();
    if (tok_.kind != Tok::Question) return c;
    const Token q = tok_;
    advance();
    expect_operand_after(q);
    int a, b;
    {
        Depth d(*this, q);
        a = parse_cond();
    }
    if (tok_.kind != Tok::Colon)
        fail("expected ':' for the '?' at column " + std::to_string(column(q.pos)) + ", found " + spelled(tok_),
             tok_.pos, tok_.end);
    const Token colon = tok_;
    advance();
    expect_operand_after(colon);
    {
        Depth d(*this, colon);
        b = parse_cond();
    }
    Node n;
    n.op = Op::Where;
    n.a = c;
    n.b = a;
    n.c = b;
    n.column = column(q.pos);
    return push(std::move(n));
}

int Parser::parse_comparison() {
    const int a = parse_additive();
    auto cmp = [](Tok k) -> int {
        switch (k) {
            case Tok::Lt: return static_cast<int>(Op::Lt);
            case Tok::Le: return static_cast<int>(Op::Le);
            case Tok::Gt: return static_cast<int>(Op::Gt);
            case Tok::Ge: return static_cast<int>(Op::Ge);
            case Tok::Eq: return static_cast<int>(Op::Eq);
            case Tok::Ne: return static_cast<int>(Op::Ne);
            default: return -1;
        }
    };
    const int op = cmp(tok_.kind);
    if (op < 0) return a;
    const Token t = tok_;
    advance();
    expect_operand_after(t);
    const int b = parse_additive();
    if (cmp(tok_.kind) >= 0)
        fail_at("comparisons do not chain: write (a < x) * (x < b) for both at once, or use ? :", tok_);
    return binary(static_cast<Op>(op), a, b, t);
}

int Parser::parse_additive() {
    int a = parse_term();
    while (tok_.kind == Tok::Plus || tok_.kind == Tok::Minus) {
        const Token t = tok_;
        advance();
        expect_operand_after(t);
        const int b = parse_term();
        a = binary(t.kind == Tok::Plus ? Op::Add : Op::Sub, a, b, t);
    }
    return a;
}

int Parser::parse_term() {
    int a = parse_unary();
    while (tok_.kind == Tok::Star || tok_.kind == Tok::Slash) {
        const Token t = tok_;
        advance();
        expect_operand_after(t);
        const int b = parse_unary();
        a = binary(t.kind == Tok::Star ? Op::Mul : Op::Div, a, b, t);
    }
    return a;
}

int Parser::parse_unary() {
    if (tok_.kind == Tok::Minus || tok_.kind == Tok::Plus) {
        const Token t = tok_;
        advance();
        expect_operand_after(t);
        Depth d(*this, t);
        const int a = parse_unary();
        if (t.kind == Tok::Plus) return a;  // Python's unary plus on a tensor is the tensor itself
        // -<number> is the negative number, as Python's compiler folds it (no neg node).
        if (p_.nodes[a].op == Op::Number && a == static_cast<int>(p_.nodes.size()) - 1) {
            Node& n = p_.nodes[a];
            n.number = -n.number;
            n.spelling = "-" + n.spelling;
            n.column = column(t.pos);
            return a;
        }
        Node n;
        n.op = Op::Neg;
        n.a = a;
        n.column = column(t.pos);
        return push(std::move(n));
    }
    return parse_power();
}

int Parser::parse_power() {
    const int a = parse_primary();
    if (tok_.kind != Tok::Pow) return a;
    const Token t = tok_;
    advance();
    expect_operand_after(t);
    Depth d(*this, t);
    const int b = parse_unary();  // right-associative, and 2^-x is allowed as in Python
    return binary(Op::Pow, a, b, t);
}

int Parser::parameter(const Token& name) {
    for (std::size_t i = 0; i < p_.parameters.size(); ++i)
        if (p_.parameters[i].name == name.text) {
            Node n;
            n.op = Op::Param;
            n.index = static_cast<int>(i);
            n.column = column(name.pos);
            n.length = length(name.pos, name.end);
            return push(std::move(n));
        }
    if (name.text[0] == '_')
        fail_at("a parameter name cannot start with '_' (nn.Module keeps its own state in such attributes)", name);
    if (name.text == "self" || name.text == "super")
        fail_at("'" + name.text + "' cannot name a parameter (the generated nn.Module uses it)", name);
    for (const char* w : kPythonWords)
        if (name.text == w) fail_at("'" + name.text + "' is a Python keyword and cannot name a parameter", name);
    for (const char* w : kModuleAttributes)
        if (name.text == w)
            fail_at("'" + name.text + "' cannot name a parameter (nn.Module has an attribute of that name)", name);
    if (name.text.size() > 32) fail_at("parameter name too long (more than 32 characters)", name);
    if (p_.parameters.size() >= kMaxParameters)
        fail_at("more than " + std::to_string(kMaxParameters) + " parameters ('" + name.text + "' would be number " +
                    std::to_string(kMaxParameters + 1) + ")",
                name);
    Parameter q;
    q.name = name.text;
    q.column = column(name.pos);
    p_.parameters.push_back(q);
    Node n;
    n.op = Op::Param;
    n.index = static_cast<int>(p_.parameters.size()) - 1;
    n.column = q.column;
    n.length = length(name.pos, name.end);
    return push(std::move(n));
}

int Parser::parse_primary() {
    const Token t = tok_;
    switch (t.kind) {
        case Tok::Number:
            advance();
            if (tok_.kind == Tok::Ident || tok_.kind == Tok::LParen)
                fail_at("expected an operator between " + spelled(t) + " and " + spelled(tok_) + " (write " + t.text +
                            "*" + (tok_.kind == Tok::Ident ? tok_.text : std::string("(...)")) + ")",
                        tok_);
            return leaf_number(t.number, t, t.text);
        case Tok::LParen: {
            advance();
            if (tok_.kind == Tok::RParen) fail_at("empty parentheses: expected an expression", tok_);
            expect_operand_after(t);
            int a;
            {
                Depth d(*this, t);
                a = parse_cond();
            }
            if (tok_.kind != Tok::RParen)
                fail("missing ')' opened at column " + std::to_string(column(t.pos)) +
                         (tok_.kind == Tok::End ? "" : ", found " + spelled(tok_)),
                     tok_.pos, tok_.kind == Tok::End ? tok_.pos : tok_.end);
            advance();
            return a;
        }
        case Tok::Ident: {
            advance();
            if (tok_.kind == Tok::LParen) return parse_call(t);
            if (t.text == "x") return 0;
            if (t.text == "pi") return leaf_number(kPi, t, "pi");
            if (t.text == "e") return leaf_number(kE, t, "e");
            if (t.text == "inf") return leaf_number(std::numeric_limits<double>::infinity(), t, "inf");
            if (t.text == "nan") return leaf_number(std::numeric_limits<double>::quiet_NaN(), t, "nan");
            if (find_builtin(t.text)) fail_at("'" + t.text + "' is a function: write " + t.text + "(...)", t);
            if (const FunctionSpec* f = find_catalog(t.text))
                fail_at("'" + t.text + "' is a function: write " + t.text + "(x" +
                            (f->params.empty() ? std::string() : ", " + f->params[0].name + "=...") + ")",
                        t);
            return parameter(t);
        }
        case Tok::String: fail_at("a string is only a keyword value, as in GELU(x, approximate='tanh')", t);
        case Tok::RParen: fail_at("unexpected ')'", t);
        case Tok::End: fail_at("expected an expression", t);
        default: fail_at("expected an expression, found " + spelled(t), t);
    }
}

int Parser::parse_call(const Token& name) {
    const Token open = tok_;
    advance();  // '('
    if (const Builtin* b = find_builtin(name.text)) return parse_builtin(*b, name, open);
    if (const FunctionSpec* f = find_catalog(name.text)) {
        if (f->kind != Kind::Elementwise)
            fail_at("'" + name.text + "' is " + (f->kind == Kind::Loss ? "a loss" : "a vector activation") +
                        ": a formula can call only elementwise activations",
                    name);
        return parse_catalog(*f, name, open);
    }
    if (name.text == "x") fail_at("x is the variable, not a function (write x*(...) for a product)", name);
    const std::string s = suggestion(name.text);
    fail_at("unknown function '" + name.text + "'" + (s.empty() ? "" : " \u2014 did you mean " + s + "?"), name);
}

int Parser::parse_builtin(const Builtin& b, const Token& name, const Token& open) {
    Depth d(*this, open);
    int args[3] = {-1, -1, -1};
    int given = 0;
    bool keyword_seen = false;
    auto arg_count = [&] {
        return b.min_args == b.max_args ? std::to_string(b.min_args) + (b.min_args == 1 ? " argument" : " arguments")
                                        : std::to_string(b.min_args) + " to " + std::to_string(b.max_args) + " arguments";
    };
    if (tok_.kind == Tok::RParen) fail("" + std::string(b.name) + "() takes " + arg_count() + ", got none", open.pos, tok_.end);
    while (true) {
        int slot = given;
        Token key;
        if (tok_.kind == Tok::Ident && lex_.position() < text_.size()) {
            // key=value (peek for a single '=')
            std::size_t i = lex_.position();
            while (i < text_.size() && std::isspace(static_cast<unsigned char>(text_[i]))) ++i;
            if (i < text_.size() && text_[i] == '=' && (i + 1 >= text_.size() || text_[i + 1] != '=')) {
                key = tok_;
                slot = -1;
                for (int k = 0; k < b.max_args; ++k)
                    if (key.text == b.keywords[k]) slot = k;
                if (slot < 0) {
                    std::string names;
                    for (int k = 0; k < b.max_args; ++k) names += std::string(k ? ", " : "") + b.keywords[k];
                    fail_at(std::string(b.name) + "() has no argument '" + key.text + "' (its arguments: " + names + ")", key);
                }
                if (args[slot] >= 0) fail_at(std::string(b.name) + "() got '" + key.text + "' twice", key);
                keyword_seen = true;
                advance();  // name
                advance();  // '='
            } else if (keyword_seen) {
                fail_at("a positional argument cannot follow a keyword argument", tok_);
            }
        } else if (keyword_seen) {
            fail_at("a positional argument cannot follow a keyword argument", tok_);
        }
        if (slot >= b.max_args)
            fail_at(std::string(b.name) + "() takes " + arg_count() + ", got more", tok_);
        if (tok_.kind == Tok::RParen || tok_.kind == Tok::Comma || tok_.kind == Tok::End)
            fail("expected an argument of " + std::string(b.name) + "()", tok_.pos, tok_.end);
        const Token start = tok_;
        args[slot] = parse_cond();
        ++given;
        // Bounds and softplus's beta/threshold are Python numbers in torch's signatures.
        if (slot >= 1 && (b.op == Op::Clamp || b.op == Op::Softplus) && !p_.nodes[args[slot]].constant)
            fail(std::string(b.name) + "()'s " + b.keywords[slot] + " must not depend on x" +
                     (b.op == Op::Clamp ? " (for a bound that varies, use min(...) and max(...))" : ""),
                 start.pos, prev_.end);
        if (tok_.kind == Tok::Comma) {
            advance();
            continue;
        }
        if (tok_.kind == Tok::RParen) break;
        fail("missing ')' of " + std::string(b.name) + "( opened at column " + std::to_string(column(open.pos)) +
                 (tok_.kind == Tok::End ? "" : ", found " + spelled(tok_)),
             tok_.pos, tok_.kind == Tok::End ? tok_.pos : tok_.end);
    }
    const Token close = tok_;
    advance();
    for (int k = 0; k < b.min_args; ++k)
        if (args[k] < 0)
            fail(std::string(b.name) + "() takes " + arg_count() + ", got " + std::to_string(given) +
                     (given ? " (missing '" + std::string(b.keywords[k]) + "')" : ""),
                 name.pos, close.end);
    if (b.op == Op::Clamp && args[1] < 0 && args[2] < 0)
        fail("clamp() needs a min or a max", name.pos, close.end);
    Node n;
    n.op = b.op;
    n.a = args[0];
    n.b = args[1];
    n.c = args[2];
    n.column = column(name.pos);
    n.length = length(name.pos, name.end);
    if (b.op == Op::Softplus) {
        // Missing beta/threshold get F.softplus's defaults as constant nodes (printed as such).
        if (n.b < 0) n.b = leaf_number(kSoftplusBeta, name, "1");
        if (n.c < 0) n.c = leaf_number(kSoftplusThreshold, name, "20");
    }
    return push(std::move(n));
}

int Parser::parse_catalog(const FunctionSpec& f, const Token& name, const Token& open) {
    Depth d(*this, open);
    const std::string fname = f.name.str();
    if (tok_.kind == Tok::RParen) fail(fname + "() needs its input: " + fname + "(x)", open.pos, tok_.end);
    const int input = parse_cond();
    Call call;
    call.spec = &f;
    while (tok_.kind == Tok::Comma) {
        advance();
        if (tok_.kind != Tok::Ident) {
            std::string example = f.params.empty() ? "" : f.params[0].name + "=...";
            fail_at(f.params.empty() ? fname + " has no parameters: write " + fname + "(x)"
                                     : fname + " takes its parameters by keyword: " + fname + "(x, " + example + ")",
                    tok_);
        }
        const Token key = tok_;
        advance();
        if (tok_.kind != Tok::Assign)
            fail_at(f.params.empty() ? fname + " has no parameters: write " + fname + "(x)"
                                     : fname + " takes its parameters by keyword: " + fname + "(x, " +
                                           f.params[0].name + "=...)",
                    key);
        const ParamSpec* ps = nullptr;
        for (const ParamSpec& q : f.params)
            if (q.name == key.text) ps = &q;
        if (!ps) {
            std::string best;
            std::size_t best_d = 3;
            for (const ParamSpec& q : f.params) {
                const std::size_t dist = edit_distance(key.text, q.name.c_str());
                if (dist < best_d) best_d = dist, best = q.name.str();
            }
            fail_at(fname + ".__init__() got an unexpected keyword argument '" + key.text + "'" +
                        (best.empty() ? "" : " \u2014 did you mean " + best + "?"),
                    key);
        }
        for (const Keyword& k : call.keywords)
            if (k.name == key.text) fail_at(fname + "() got '" + key.text + "' twice", key);
        advance();  // '='
        Keyword kw;
        kw.name = key.text;
        kw.column = column(key.pos);
        if (tok_.kind == Tok::String) {
            if (ps->type != ParamType::Choice)
                fail_at(fname + ": argument '" + kw.name + "' must be a number, not str", tok_);
            kw.text = tok_.text;
            if (std::find(ps->choices.begin(), ps->choices.end(), kw.text) == ps->choices.end()) {
                std::string list;
                for (const auto& c : ps->choices) list += (list.empty() ? "'" : ", '") + c + "'";
                fail_at(fname + ": argument '" + kw.name + "' must be one of " + list + ", got '" + kw.text + "'", tok_);
            }
            kw.length = length(key.pos, tok_.end);
            advance();
        } else {
            if (ps->type == ParamType::Choice) {
                std::string list;
                for (const auto& c : ps->choices) list += (list.empty() ? "'" : ", '") + c + "'";
                fail_at(fname + ": argument '" + kw.name + "' must be a string: one of " + list, tok_);
            }
            if (tok_.kind == Tok::RParen || tok_.kind == Tok::Comma || tok_.kind == Tok::End)
                fail("expected a value for '" + kw.name + "'", tok_.pos, tok_.end);
            const Token start = tok_;
            kw.node = parse_cond();
            if (!p_.nodes[kw.node].constant)
                fail(fname + "'s " + kw.name + " must not depend on x (it is a constant of the module)", start.pos,
                     prev_.end);
            kw.length = length(key.pos, prev_.end);
        }
        call.keywords.push_back(std::move(kw));
    }
    if (tok_.kind != Tok::RParen)
        fail("missing ')' of " + fname + "( opened at column " + std::to_string(column(open.pos)) +
                 (tok_.kind == Tok::End ? "" : ", found " + spelled(tok_)),
             tok_.pos, tok_.kind == Tok::End ? tok_.pos : tok_.end);
    advance();
    for (const ParamSpec& q : f.params)
        if (q.required && std::none_of(call.keywords.begin(), call.keywords.end(),
                                       [&](const Keyword& k) { return k.name == q.name; }))
            fail(fname + ".__init__() missing required argument '" + q.name.str() + "': write " + fname + "(x, " +
                     q.name.str() + "=...)",
                 name.pos, prev_.end);
    p_.calls.push_back(std::move(call));
    Node n;
    n.op = Op::Catalog;
    n.a = input;
    n.index = static_cast<int>(p_.calls.size()) - 1;
    n.column = column(name.pos);
    n.length = length(name.pos, name.end);
    return push(std::move(n));
}

double Parser::parse_declared_number(const std::string& name) {
    bool negative = false;
    const Token start = tok_;
    while (tok_.kind == Tok::Minus || tok_.kind == Tok::Plus) {
        if (tok_.kind == Tok::Minus) negative = !negative;
        advance();
    }
    double v;
    if (tok_.kind == Tok::Number) {
        v = tok_.number;
    } else if (tok_.kind == Tok::Ident && (tok_.text == "inf" || tok_.text == "nan" || tok_.text == "pi" || tok_.text == "e")) {
        v = tok_.text == "inf" ? std::numeric_limits<double>::infinity()
            : tok_.text == "nan" ? std::numeric_limits<double>::quiet_NaN()
            : tok_.text == "pi"  ? kPi
                                 : kE;
    } else {
        fail("expected a number for '" + name + "'", start.pos, tok_.kind == Tok::End ? start.pos : tok_.end);
    }
    advance();
    return negative ? -v : v;
}

void Parser::parse_declarations() {
    std::vector<bool> seen(p_.parameters.size(), false);
    while (true) {
        if (tok_.kind != Tok::Ident) fail_at("expected a parameter name (a = 0.5) after " + spelled(prev_), tok_);
        const Token name = tok_;
        advance();
        if (tok_.kind != Tok::Assign) fail_at("expected '=' and a value after '" + name.text + "'", tok_);
        advance();
        const double v = parse_declared_number(name.text);
        if (name.text == "x") fail_at("x is the variable, not a parameter", name);
        if (is_reserved_name(name.text)) fail_at("'" + name.text + "' is a constant, not a parameter", name);
        if (find_builtin(name.text) || find_catalog(name.text))
            fail_at("'" + name.text + "' is a function, not a parameter", name);
        std::size_t index = p_.parameters.size();
        for (std::size_t i = 0; i < p_.parameters.size(); ++i)
            if (p_.parameters[i].name == name.text) index = i;
        if (index == p_.parameters.size()) fail_at("'" + name.text + "' is not used in the formula", name);
        if (seen[index]) fail_at("'" + name.text + "' is given twice", name);
        seen[index] = true;
        Parameter& q = p_.parameters[index];
        q.value = v;
        q.declared = true;
        if (std::isfinite(v) && v > 0) {
            q.slider_min = 0.0, q.slider_max = 2.0 * v;
        } else if (std::isfinite(v) && v < 0) {
            q.slider_min = 2.0 * v, q.slider_max = 0.0;
        } else if (v == 0.0) {
            q.slider_min = -1.0, q.slider_max = 1.0;
        }
        if (tok_.kind == Tok::Comma || tok_.kind == Tok::Semicolon) {
            advance();
            continue;
        }
        if (tok_.kind == Tok::End) return;
        fail_at("expected ',' between parameter values, found " + spelled(tok_), tok_);
    }
}

}  // namespace

// ---------------------------------------------------------------- Formula (parsing side)
Formula Formula::parse(std::string_view text) {
    Formula f;
    f.program_ = std::make_shared<const Program>(Parser(text).run());
    return f;
}

const std::string& Formula::text() const { return checked(program_).text; }
const std::vector<Parameter>& Formula::parameters() const { return checked(program_).parameters; }
bool Formula::differentiable() const {
    const Program& p = checked(program_);
    return p.nodes[static_cast<std::size_t>(p.root())].grad;
}

std::vector<double> Formula::values(const std::map<std::string, double>& given) const {
    const auto& ps = checked(program_).parameters;
    std::vector<double> v;
    v.reserve(ps.size());
    for (const Parameter& q : ps) v.push_back(q.value);
    for (const auto& entry : given) {
        bool found = false;
        for (std::size_t i = 0; i < ps.size(); ++i)
            if (ps[i].name == entry.first) v[i] = entry.second, found = true;
        if (!found) {
            std::string names;
            for (const Parameter& q : ps) names += (names.empty() ? "" : ", ") + q.name;
            throw Error("unknown parameter '" + entry.first + "' (" +
                        (names.empty() ? std::string("this formula has no parameters") : "this formula has " + names) + ")");
        }
    }
    return v;
}

}  // namespace lab::formula
