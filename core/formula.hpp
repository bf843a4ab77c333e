// Design note: issue 11's formula language — a student's own activation, typed as text, parsed
// and evaluated here in C++ (the page never uses eval), with the derivative PyTorch's autograd
// gives for the same expression written with torch functions (`y.sum().backward()`).
//   * Parsing builds a small immutable program once (Formula::parse); every mistake is a
//     SyntaxError carrying the 1-based column (and length) to underline, in words that say what
//     was expected ("missing ')' opened at column 7", "unknown function 'sigmod' — did you mean
//     sigmoid?"). Limits on length, nesting depth, node count and parameters are checked while
//     parsing, so nothing a user types can exhaust the stack, the heap or the time.
//   * Evaluation is reverse mode over the program, node by node in the order autograd's engine
//     runs the backward functions, each op's backward written as ATen's derivatives.yaml states it
//     (abs′(0) = 0, maximum's tie halves the gradient, where() sends it to the chosen branch only —
//     and 0·∞ in the other branch is NaN, as in PyTorch —, sqrt′(0) = inf, …). Catalog activations
//     called by name (`ELU(x, alpha=0.5)`) run the registry's own kernels.
//   * The same program prints itself as PyTorch code (an nn.Module and a lambda), so what the page
//     shows with a copy button is what the numbers came from.
// Text grammar (see formula_parse.cpp for the whole of it):
//   formula   := expr [ ';' param '=' number { ',' param '=' number } ]
//   expr      := cond ;  cond := or [ '?' expr ':' expr ]  (right-associative, lowest precedence)
//   comparisons < <= > >= == !=, + -, * /, unary -, ^ and ** (right-associative, above unary minus:
//   -x^2 = -(x^2), as in Python), calls f(args, key=value), numbers (1e-3, inf, nan), pi, e, x,
//   and any other identifier is a parameter (default 1 unless given after ';').
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tensor.hpp"

namespace lab::formula {

// Limits (each refused with a SyntaxError naming the limit).
inline constexpr std::size_t kMaxLength = 500;      // characters of text
inline constexpr int kMaxDepth = 32;                // nesting of parentheses, calls and operators
inline constexpr std::size_t kMaxNodes = 256;       // operations in the parsed program
inline constexpr std::size_t kMaxParameters = 8;    // named parameters

// A mistake in the text. what() is the message alone (no column); column is 1-based (text.size() + 1
// for "unexpected end"), length ≥ 1 characters to underline.
struct SyntaxError : Error {
    SyntaxError(const std::string& message, int column, int length = 1)
        : Error(message), column(column), length(length) {}
    int column;
    int length;
};

struct Parameter {
    std::string name;
    double value = 1.0;          // the default: 1 unless given after ';'
    bool declared = false;       // given after ';'
    int column = 0;              // first use in the expression (1-based)
    double slider_min = 0.0, slider_max = 2.0;  // a range that shows it well on a slider
};

struct Program;  // formula_parse.cpp / formula_eval.cpp

class Formula {
public:
    // Throws SyntaxError (also for a formula that never uses x, or one over a limit).
    static Formula parse(std::string_view text);

    const std::string& text() const;
    const std::vector<Parameter>& parameters() const;  // in order of first use
    // Whether PyTorch's result would have a grad_fn: false when x reaches it only through
    // comparisons, conditions or BinaryStep (`x >= 0`, `where(x > 0, 1, 2)`): y.backward() then
    // raises "element 0 of tensors does not require grad and does not have a grad_fn". evaluate()
    // still gives dy = 0 there (what the curve of f′ shows).
    bool differentiable() const;
    // Parameter values in parameters()' order: the defaults, replaced by those given by name.
    // Throws Error("unknown parameter 'b' (this formula has a, beta)") for a name it lacks.
    std::vector<double> values(const std::map<std::string, double>& given = {}) const;
    // y[i] = f(x[i]) and dy[i] = d f / d x at x[i], as autograd computes it; dy may be nullptr
    // (values only, same bits). `values` parallel to parameters(). A catalog call whose keyword
    // value is refused by the registry (e.g. Softplus(x, beta=a) with a = 0 where PyTorch refuses
    // it) throws Error in the registry's words, prefixed by the call ("Softplus(...): …").
    void evaluate(const std::vector<double>& values, const double* x, std::size_t n, double* y, double* dy) const;

    // PyTorch code, with the parameters at `values`:
    //   torch_expression: the forward's expression in x, parameters as Python literals
    //                     ("x * torch.sigmoid(1.702 * x)");
    //   torch_lambda:     "lambda x: <expression>";
    //   torch_module:     a complete `class <name>(nn.Module)` whose __init__ takes the parameters
    //                     as keywords (defaults = values) and whose forward is the expression.
    std::string torch_expression(const std::vector<double>& values) const;
    std::string torch_lambda(const std::vector<double>& values) const;
    std::string torch_module(const std::vector<double>& values, std::string_view class_name = "MyActivation") const;

    // The description as JSON for the bindings: {"text", "parameters": [{name, value, declared,
    // column, sliderMin, sliderMax}], "torch": {"expression", "lambda", "module"}, "uses": [catalog
    // names called], "differentiable"} at the default values.
    std::string describe_json() const;

private:
    std::shared_ptr<const Program> program_;
};

}  // namespace lab::formula
