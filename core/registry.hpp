// Design note: the registry is the one place where each function is described — its PyTorch
// name, parameters (defaults, valid range, slider range, choices), forward-argument names, LaTeX
// formula, summary and teaching notes — together with pointers to its forward/backward code.
// Each family file (activations*.cpp, vector_activations.cpp, losses_*.cpp) owns a constexpr array
// of FunctionSpec, one designated initializer per function next to its kernels; registry.cpp only
// joins the arrays, resolves parameters (every check of a parameter happens there: types, ranges,
// choices, and a spec's own `check`) and serialises the catalog to JSON. The WASM bindings, the
// page, the docs and the tests all read this data, so a default or a name is never written twice.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tensor.hpp"

namespace lab {

// ---------------------------------------------------------------- constant text
// The tables below are constant data: their strings are pointers to literals, never std::string,
// and their lists are FixedList, never std::vector, so the tables are constant expressions and
// describing ~50 functions costs no start-up code. (With std::string members the table builders
// compiled to ~150 KB of WebAssembly, and with std::vector lists still to 55 KB.)
class Text {
public:
    constexpr Text() = default;
    constexpr Text(const char* s) : s_(s ? s : "") {}  // NOLINT: implicit, from literals
    Text(const std::string&) = delete;                 // would point into a temporary
    constexpr const char* c_str() const { return s_; }
    constexpr bool empty() const { return *s_ == '\0'; }
    operator std::string_view() const { return s_; }   // NOLINT: implicit on purpose
    operator std::string() const { return s_; }        // NOLINT: as a map key, in messages
    std::string str() const { return s_; }

private:
    const char* s_ = "";
};
inline std::string operator+(const std::string& a, Text b) { return a + b.c_str(); }
inline std::string operator+(Text a, const std::string& b) { return a.c_str() + b; }
inline std::string operator+(const char* a, Text b) { return std::string(a) + b.c_str(); }
inline std::string operator+(Text a, const char* b) { return std::string(a.c_str()) + b; }
inline std::string operator+(Text a, char b) { return std::string(a.c_str()) + b; }
inline bool operator==(Text a, std::string_view b) { return std::string_view(a.c_str()) == b; }

// A short constant list with room for N entries: the tables' parameter, argument, note and choice
// lists. Unlike std::vector it needs no heap, so a whole family table is a constant expression,
// compiled to data rather than to start-up code. Going over capacity stops the build (a throw
// while the table is constant-evaluated is a compile error).
template <class T, std::size_t N>
struct FixedList {
    static constexpr std::size_t kCapacity = N;
    std::array<T, N> items{};
    std::size_t n = 0;

    constexpr FixedList() = default;
    constexpr FixedList(std::initializer_list<T> list) {
        for (const T& t : list) push_back(t);
    }
    constexpr T& push_back(const T& t) {
        if (n >= N) throw std::length_error("FixedList: over capacity; raise N in registry.hpp");
        items[n] = t;
        return items[n++];
    }
    constexpr const T* begin() const { return items.data(); }
    constexpr const T* end() const { return items.data() + n; }
    constexpr std::size_t size() const { return n; }
    constexpr bool empty() const { return n == 0; }
    constexpr const T& operator[](std::size_t i) const { return items[i]; }
    constexpr const T& front() const { return items[0]; }
    constexpr T& back() { return items[n - 1]; }
};
using TextList = FixedList<Text, 4>;  // a parameter's choices

// ---------------------------------------------------------------- values given by a caller
struct Value {
    enum class Type { None, Number, Bool, String, Tensor };
    Type type = Type::None;
    double number = 0.0;
    bool boolean = false;
    std::string string;
    lab::Tensor tensor;

    static Value none() { return {}; }
    static Value num(double v) { Value r; r.type = Type::Number; r.number = v; return r; }
    static Value flag(bool v) { Value r; r.type = Type::Bool; r.boolean = v; return r; }
    static Value str(std::string v) { Value r; r.type = Type::String; r.string = std::move(v); return r; }
    static Value tensor_of(lab::Tensor t) { Value r; r.type = Type::Tensor; r.tensor = std::move(t); return r; }
};
using ParamMap = std::map<std::string, Value>;     // constructor keyword -> value
using ArgMap = std::map<std::string, Tensor>;      // forward-argument name -> tensor

// ---------------------------------------------------------------- descriptions
enum class Kind { Elementwise, Vector, Loss };
// Float: a Python float. Int: a Python int. Bool. Choice: one of `choices` (a string).
// Tensor: an optional tensor such as `weight` (default None). Dim: an int dim or None.
enum class ParamType { Float, Int, Bool, Choice, Tensor, Dim };

constexpr double kInf = std::numeric_limits<double>::infinity();

// A parameter's default: like Value, but constant data (no tensor: tensor defaults are None).
struct Default {
    Value::Type type = Value::Type::None;
    double number = 0.0;
    bool boolean = false;
    Text string;

    static constexpr Default none() { return {}; }
    static constexpr Default num(double v) { return {Value::Type::Number, v, false, {}}; }
    static constexpr Default flag(bool v) { return {Value::Type::Bool, 0.0, v, {}}; }
    static constexpr Default str(Text v) { return {Value::Type::String, 0.0, false, v}; }
    Value value() const;
};

struct ParamSpec {
    Text name;
    ParamType type = ParamType::Float;
    Default default_value;          // None where PyTorch's default is None, or where required
    bool required = false;          // Threshold's threshold and value have no default
    // Valid values (what PyTorch accepts). Checked by resolve(); `invalid` is the message
    // thrown when outside, with {value} replaced by the given value (PyTorch's wording).
    double min = -kInf, max = kInf;
    bool min_open = false, max_open = false;
    Text invalid;
    // A range that shows the parameter well on a slider (always inside min..max).
    double slider_min = 0.0, slider_max = 1.0;
    TextList choices;                  // for Choice
    // Python code for each choice in torch_code(), where it is not just the quoted string
    // (TripletMarginWithDistanceLoss: 'cosine' -> "lambda a, b: 1 - F.cosine_similarity(a, b)").
    // Empty, or parallel to choices with "" meaning the quoted string.
    TextList choice_python;
    Text doc;                          // one line, plain text
};

struct ArgSpec {
    Text name;                // PyTorch's forward-argument name
    bool integer = false;     // holds class indices / lengths (int64 in PyTorch): no gradient
    bool optional = false;
    Text doc;          // one line: expected shape and meaning
};

struct Params;
struct VectorResult;
struct LossResult;
// dy == nullptr: the values only, no derivative computed (y's bits unchanged).
using ElementwiseFn = void (*)(const Params&, const double* x, std::size_t n, double* y, double* dy);
// A vector kernel sees one 1-D slice along the dimension; `dim` is that dimension of the whole
// input (wrapped, >= 0; -1 for a 0-dim input, seen as one 1-element slice), for its messages only.
using VectorFn = VectorResult (*)(const Params&, const std::vector<double>& x, std::int64_t dim);
using LossFn = LossResult (*)(const Params&, const ArgMap& args);
using CheckFn = void (*)(const Params&);
// A rule that needs the input's shape (PReLU: one slope, or one per channel of dim 1), run by the
// elementwise entry points before the kernel; a flat x is shape {n}.
using InputCheckFn = void (*)(const Params&, const Shape& x);

// Where an elementwise function is not smooth, for engines that integrate over it (nn_meanfield's
// Gauss–Legendre panels end at the kinks and are graded by the width): the x of each kink (a jump
// in φ or in a derivative), the width over which φ bends (1 for tanh-like curves, 1/ω₀ for Sine,
// kPiecewisePolynomial where φ is a polynomial between its kinks, which a fixed order integrates
// exactly) and whether it has features everywhere rather than only near 0 (periodic).
inline constexpr double kPiecewisePolynomial = std::numeric_limits<double>::infinity();
struct Smoothness {
    FixedList<double, 2> kinks;
    double scale = 1.0;
    bool periodic = false;
};
using SmoothnessFn = Smoothness (*)(const Params&);

// How PyTorch's autograd graph for an elementwise module backpropagates where it is not one
// multiplication grad · f′(x): what a formula that calls the module by name has to reproduce
// (core/formula_eval.cpp). It shows with an infinite or NaN incoming gradient (inf · 0).
enum class Autograd : std::uint8_t {
    Multiply,           // one autograd node, grad · f′(x)
    SelectFlat,         // the backward kernel SELECTS 0 on a flat part (threshold_backward, hardtanh_backward,
                        // shrink_backward, hardsigmoid_backward; BinaryStep's (x >= 0).double() has no path)
    SelectBelowMinus3,  // hardswish_backward: selects 0 for x < -3 only; its middle piece multiplies
    Softsign,           // F.softsign = x / (x.abs() + 1): div's two paths, in that order
    Tanhshrink,         // F.tanhshrink = x - x.tanh(): sub's path, then tanh_backward
    Sine,               // the lab's torch.sin(w0 * x): sin's backward, then mul's
    NoGradFn,           // no grad_fn at all: BinaryStep's (x >= 0).double(), a comparison cast to a number —
                        // autograd stops there (the Linears before it end with .grad None; backward() of a
                        // loss with nothing else before it raises "element 0 of tensors does not require grad")
};

struct FunctionSpec {
    Text name{};                        // PyTorch class name (or our name, for in_torch_nn == false)
    Kind kind = Kind::Elementwise;
    Text group{};                       // menu group, e.g. "ReLU family", "Regression"
    bool in_torch_nn = true;
    Autograd autograd = Autograd::Multiply;  // elementwise: how autograd builds its backward (below)
    FixedList<ParamSpec, 6> params{};
    FixedList<ArgSpec, 4> args{};       // losses only
    Text formula{};                     // LaTeX (KaTeX-compatible)
    Text summary{};                     // one line
    FixedList<Text, 6> notes{};         // teaching notes, each a sentence or two
    // PyTorch code template; see torch_code(). Empty (the usual case) means "nn.<name>({args})".
    // "{args}" expands to the keyword list of non-default parameters ("alpha=0.5"), "{p}" to the
    // Python literal of parameter p. E.g. RReLU: "nn.RReLU({args}).eval()"; Sine: "torch.sin({w0} * x)".
    Text torch{};
    // Losses: a sensible example for the workbench, forward-argument name -> PyTorch literal,
    // e.g. {{"input", "[[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]"}, {"target", "[0, 1]"}}.
    FixedList<std::pair<Text, Text>, 4> example{};
    // Page facts (what the page offers around the function, so it names no function itself):
    bool temperature = false;           // vector: the page offers a temperature T and feeds x / T
    // vector: the torch.nn.functional name (F.softmax's "softmax") PyTorch's deprecation warning
    // for dim=None names; empty where dim=None is refused (GLU)
    Text implicit_dim_name{};
    FixedList<Text, 4> compare{};       // losses: others taking the same arguments, overlaid on its loss plot
    Text plot_note{};                   // losses: said when the loss plot cuts off an extreme value
    ElementwiseFn elementwise = nullptr;
    VectorFn vector = nullptr;
    LossFn loss = nullptr;
    // Rules a parameter's range cannot state (between parameters, or a value PyTorch refuses
    // inside a range), run by resolve() after the ranges, so the kernels never validate.
    CheckFn check = nullptr;
    InputCheckFn check_input = nullptr;
    // Elementwise: where φ is not smooth (every one states it; tests/native/test_nn_meanfield.cpp).
    SmoothnessFn smoothness = nullptr;
};

// Parameters after resolve(): every ParamSpec of the function has a value (given or default).
struct Params {
    const FunctionSpec* spec = nullptr;
    std::vector<Value> values;     // parallel to spec->params

    const Value& get(std::string_view name) const;
    double num(std::string_view name) const;             // Float or Int
    std::int64_t integer(std::string_view name) const;   // Int or Dim (not None)
    bool flag(std::string_view name) const;
    const std::string& choice(std::string_view name) const;
    const Tensor* tensor(std::string_view name) const;   // nullptr when None
    bool is_none(std::string_view name) const;
};

// ---------------------------------------------------------------- results
struct VectorResult {
    std::vector<double> y;
    std::vector<double> jacobian;  // row-major, y.size() rows by x.size() columns
};

// A vector function over an N-D input, slice by slice along `dim` (as PyTorch applies it).
struct VectorTensorResult {
    Tensor y;          // the input's shape; GLU halves the size along dim
    // One Jacobian per slice: the input's shape without dim, then (m, n) with m = y's size and
    // n = x's size along dim; entry [..., i, j] = d y[..., i, ...] / d x[..., j, ...] in the slice
    // at [...] (entries between different slices are 0 and not stored). A 0-dim input gives a
    // 0-dim Jacobian.
    Tensor jacobian;
    std::int64_t dim = 0;  // the dimension used, wrapped to >= 0 (None resolved as PyTorch does)
    // PyTorch's UserWarnings: for dim=None, "Implicit dimension choice for softmax has been
    // deprecated. Change the call to include dim=X as an argument."
    std::vector<std::string> warnings;
};

struct LossResult {
    Tensor loss;          // with the requested reduction: 0-dim, or the 'none' shape
    Tensor elementwise;   // the same loss with reduction='none' (the page's breakdown)
    std::map<std::string, Tensor> grad;   // d loss.sum() / d arg, for every floating-point arg given
    std::vector<std::string> warnings;    // PyTorch's UserWarnings (e.g. broadcasting target)
};

// ---------------------------------------------------------------- the registry
// The family tables, in catalog order; each is a constexpr array of FunctionSpec in its own file,
// next to the code it points to, so it is data in the binary and costs nothing at start-up.
std::span<const FunctionSpec> elementwise_specs_relu_smooth();       // activations.cpp
std::span<const FunctionSpec> elementwise_specs_sigmoid_shrink();    // activations_sigmoid_shrink.cpp
std::span<const FunctionSpec> vector_specs();                        // vector_activations.cpp
std::span<const FunctionSpec> loss_specs_regression();               // losses_regression.cpp
std::span<const FunctionSpec> loss_specs_binary();                   // losses_binary.cpp
std::span<const FunctionSpec> loss_specs_probabilistic();            // losses_probabilistic.cpp
std::span<const FunctionSpec> loss_specs_embedding();                // losses_embedding.cpp
std::span<const FunctionSpec> loss_specs_classification();           // losses_classification.cpp
std::span<const FunctionSpec> loss_specs_margin();                   // losses_margin.cpp
std::span<const FunctionSpec> loss_specs_ctc();                      // losses_ctc.cpp
// The elementwise activations of both files, in catalog order, iterated without a copy:
// `for (const FunctionSpec& f : elementwise_specs())`.
class ElementwiseSpecs {
public:
    class iterator {
    public:
        iterator(std::span<const FunctionSpec> a, std::span<const FunctionSpec> b, std::size_t i) : a_(a), b_(b), i_(i) {}
        const FunctionSpec& operator*() const { return i_ < a_.size() ? a_[i_] : b_[i_ - a_.size()]; }
        iterator& operator++() {
            ++i_;
            return *this;
        }
        bool operator!=(const iterator& o) const { return i_ != o.i_; }

    private:
        std::span<const FunctionSpec> a_, b_;
        std::size_t i_;
    };
    iterator begin() const { return {a_, b_, 0}; }
    iterator end() const { return {a_, b_, size()}; }
    std::size_t size() const { return a_.size() + b_.size(); }

private:
    std::span<const FunctionSpec> a_ = elementwise_specs_relu_smooth(), b_ = elementwise_specs_sigmoid_shrink();
};
inline ElementwiseSpecs elementwise_specs() { return {}; }

// All functions in catalog order: elementwise, vector, losses.
const std::vector<const FunctionSpec*>& all_functions();
// Throws Error("unknown function 'Relu'; did you mean 'ReLU'?") when absent.
const FunctionSpec& find_function(std::string_view name);
// Checks names, types, ranges and choices, fills in defaults. Throws Error in PyTorch's words.
Params resolve(const FunctionSpec& spec, const ParamMap& given);
// The registry as JSON: {"activations":[...], "losses":[...]} (vector kinds are activations).
std::string catalog_json();
// PyTorch code for this function with these parameter values, e.g. "nn.ELU(alpha=0.5)".
// Parameters left at their defaults are omitted, as a person would write it.
std::string torch_code(const Params& params);

// ---------------------------------------------------------------- evaluation entry points
// The only way in for the bindings, the tests and the benchmark: each finds the function by
// name, checks its kind, resolves the parameters (all validation happens there) and calls the
// kernel. They throw Error for bad input, in PyTorch's words.
struct ElementwiseResult {
    std::vector<double> y, dy;
};
// Writes all n entries of y and dy (they may be uninitialised; dy may be nullptr for y only); x is 1-D.
void evaluate_elementwise(std::string_view name, const ParamMap& params, const double* x, std::size_t n, double* y,
                          double* dy);
// The same for an x of any shape (numel(shape) entries, row-major): y and dy have that shape.
void evaluate_elementwise(std::string_view name, const ParamMap& params, const Shape& shape, const double* x,
                          double* y, double* dy);
ElementwiseResult evaluate_elementwise(std::string_view name, const ParamMap& params, const std::vector<double>& x);
// A 1-D x (a single slice; dim must be -1, 0 or None).
VectorResult evaluate_vector(std::string_view name, const ParamMap& params, const std::vector<double>& x);
// Any x, 0-dim to N-D: dim is checked against x's dimensions in PyTorch's words ("Dimension out of
// range (expected to be in range of [-2, 1], but got 2)"); None picks 0 for 0-, 1- and 3-D input
// and 1 otherwise (torch.nn.functional._get_softmax_dim), with its warning in `warnings`.
VectorTensorResult evaluate_vector_tensor(std::string_view name, const ParamMap& params, const Tensor& x);
LossResult evaluate_loss(std::string_view name, const ParamMap& params, const ArgMap& args);
// torch_code(resolve(find_function(name), params)).
std::string torch_code(std::string_view name, const ParamMap& params);

}  // namespace lab
