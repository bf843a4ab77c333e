// Design note: the parsed formula, shared by the parser (formula_parse.cpp), the evaluator
// (formula_eval.cpp) and the PyTorch printer (formula_torch.cpp) — internal, not for the bindings.
//   * A Program is a flat tape of nodes in the order Python would evaluate the same expression
//     written with torch (operands left to right, then the operation), so the forward is one loop
//     over the tape, the backward one loop over it in reverse — which is also the order in which
//     autograd's engine runs the backward nodes (it pops the ready node created last) — and
//     neither needs recursion, whatever the text.
//   * Node 0 is the variable x, the only leaf that requires grad: every use of x points at it, so
//     its gradient is summed in one place in the order autograd's AccumulateGrad receives it.
//   * `constant` marks a node that does not depend on x: in the generated Python it is a plain
//     number (a Python float), evaluated once per call; PyTorch's scalar-operand rules hang on it
//     (x ** 2 is pow.Tensor_Scalar with its special cases, 3 / x is x.reciprocal() * 3).
//   * `grad` marks a node autograd would give a grad_fn: it depends on x through something
//     differentiable (comparisons and a condition carry no gradient).
// Builtin functions (exp, clamp, where, …) are described once in kBuiltins below: name, arity,
// keyword names, the torch spelling; the catalog's activations are called through the registry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "formula.hpp"
#include "registry.hpp"

namespace lab::formula {

enum class Op : std::uint8_t {
    // leaves
    X, Number, Param,
    // arithmetic
    Neg, Add, Sub, Mul, Div, Pow,
    // comparisons (values 1/0 as torch promotes bool; no gradient)
    Lt, Le, Gt, Ge, Eq, Ne,
    // where(c, a, b) and c ? a : b
    Where,
    // one-argument functions
    Exp, Expm1, Log, Log1p, Log2, Log10, Sqrt, Abs, Sign, Floor, Ceil, Round,
    Sin, Cos, Tan, Tanh, Sinh, Cosh, Atan, Asinh, Erf, Erfc, Sigmoid, Relu,
    // with constant parameters: softplus(x, beta, threshold), clamp(x, min, max)
    Softplus, Clamp,
    // torch.minimum / torch.maximum
    Minimum, Maximum,
    // an elementwise activation of the catalog: calls[index]
    Catalog,
};

inline bool is_comparison(Op op) { return op >= Op::Lt && op <= Op::Ne; }
inline bool is_unary_function(Op op) { return op >= Op::Exp && op <= Op::Relu; }

struct Node {
    Op op = Op::Number;
    int a = -1, b = -1, c = -1;  // operands (tape indices below this node's), -1 = absent
    double number = 0.0;         // Number: the value
    int index = -1;              // Param: parameter index; Catalog: call index
    int column = 1, length = 1;  // where it was written (1-based), for messages
    bool constant = true;        // does not depend on x
    bool grad = false;           // autograd would record it (depends on x differentiably)
    std::string spelling;        // Number: the text as written ("pi", "1e-3"), for the code
};

// A catalog activation called by name: ELU(x, alpha=0.5).
struct Keyword {
    std::string name;
    int node = -1;            // a constant expression, or -1 for a string value
    std::string text;         // the string value ('tanh')
    int column = 1, length = 1;
};
struct Call {
    const FunctionSpec* spec = nullptr;
    std::vector<Keyword> keywords;
};

struct Program {
    std::string text;
    std::vector<Node> nodes;            // evaluation order; nodes[0] is x; the last is the result
    std::vector<Parameter> parameters;  // in order of first use
    std::vector<Call> calls;
    int root() const { return static_cast<int>(nodes.size()) - 1; }
};

// A default-constructed Formula has no program: every member refuses it with an Error, not a crash.
inline const Program& checked(const std::shared_ptr<const Program>& p) {
    if (!p) throw Error("formula: not parsed (make it with Formula::parse)");
    return *p;
}

// A builtin function: its name in the formula, how many arguments (and their keyword names),
// and how torch spells it (module-qualified).
struct Builtin {
    const char* name;
    Op op;
    int min_args, max_args;
    const char* torch;
    const char* keywords[3];  // names of the arguments (for key=value), "" past the last
};
inline constexpr Builtin kBuiltins[] = {
    {"exp", Op::Exp, 1, 1, "torch.exp", {"input"}},
    {"expm1", Op::Expm1, 1, 1, "torch.expm1", {"input"}},
    {"log", Op::Log, 1, 1, "torch.log", {"input"}},
    {"log1p", Op::Log1p, 1, 1, "torch.log1p", {"input"}},
    {"log2", Op::Log2, 1, 1, "torch.log2", {"input"}},
    {"log10", Op::Log10, 1, 1, "torch.log10", {"input"}},
    {"sqrt", Op::Sqrt, 1, 1, "torch.sqrt", {"input"}},
    {"abs", Op::Abs, 1, 1, "torch.abs", {"input"}},
    {"sign", Op::Sign, 1, 1, "torch.sign", {"input"}},
    {"floor", Op::Floor, 1, 1, "torch.floor", {"input"}},
    {"ceil", Op::Ceil, 1, 1, "torch.ceil", {"input"}},
    {"round", Op::Round, 1, 1, "torch.round", {"input"}},
    {"sin", Op::Sin, 1, 1, "torch.sin", {"input"}},
    {"cos", Op::Cos, 1, 1, "torch.cos", {"input"}},
    {"tan", Op::Tan, 1, 1, "torch.tan", {"input"}},
    {"tanh", Op::Tanh, 1, 1, "torch.tanh", {"input"}},
    {"sinh", Op::Sinh, 1, 1, "torch.sinh", {"input"}},
    {"cosh", Op::Cosh, 1, 1, "torch.cosh", {"input"}},
    {"atan", Op::Atan, 1, 1, "torch.atan", {"input"}},
    {"asinh", Op::Asinh, 1, 1, "torch.asinh", {"input"}},
    {"erf", Op::Erf, 1, 1, "torch.erf", {"input"}},
    {"erfc", Op::Erfc, 1, 1, "torch.erfc", {"input"}},
    {"sigmoid", Op::Sigmoid, 1, 1, "torch.sigmoid", {"input"}},
    {"relu", Op::Relu, 1, 1, "torch.relu", {"input"}},
    {"softplus", Op::Softplus, 1, 3, "F.softplus", {"input", "beta", "threshold"}},
    {"clamp", Op::Clamp, 1, 3, "torch.clamp", {"input", "min", "max"}},
    {"min", Op::Minimum, 2, 2, "torch.minimum", {"input", "other"}},
    {"max", Op::Maximum, 2, 2, "torch.maximum", {"input", "other"}},
    {"where", Op::Where, 3, 3, "torch.where", {"condition", "input", "other"}},
};
inline const Builtin* find_builtin(std::string_view name) {
    for (const Builtin& b : kBuiltins)
        if (name == b.name) return &b;
    return nullptr;
}
inline const Builtin* builtin_of(Op op) {
    for (const Builtin& b : kBuiltins)
        if (b.op == op) return &b;
    return nullptr;
}

// softplus's defaults, F.softplus(input, beta=1, threshold=20).
inline constexpr double kSoftplusBeta = 1.0, kSoftplusThreshold = 20.0;

}  // namespace lab::formula
