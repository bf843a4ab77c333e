// The formula language's autograd conventions as a table (issue 11): one row per rule, each
// {formula, params, x, expected y, expected dy, why}, the expected numbers written as the
// derivatives.yaml formula of PyTorch 1.13 evaluated here in C++ (so a row whose bits are known is
// compared bit for bit) or, where the point is a non-finite or a signed zero, that value. `why`
// quotes the rule, so a failure names the convention that broke. (The PyTorch-generated reference
// rows and the built-ins-as-formulas test are test_formula_reference.cpp / test_formula_builtins.cpp.)
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "formula.hpp"
#include "support.hpp"

using labtest::kInf;
using labtest::kNaN;
using lab::formula::Formula;

namespace {

enum class Match { Close, Bits };

struct Row {
    std::string formula;
    std::map<std::string, double> params;
    double x, y, dy;
    std::string why;
    Match match = Match::Close;  // Bits: the same double (NaN matches NaN; zeros by sign)
};

bool same_bits(double a, double b) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return a == b && std::signbit(a) == std::signbit(b);
}

void check_rows(const std::vector<Row>& rows) {
    for (const Row& r : rows) {
        CAPTURE(r.why);
        CAPTURE(r.formula);
        const labtest::Exact x{r.x};
        CAPTURE(x);
        const Formula f = Formula::parse(r.formula);
        const std::vector<double> v = f.values(r.params);
        double y = 0, dy = 0, y_only = 0;
        f.evaluate(v, &r.x, 1, &y, &dy);
        f.evaluate(v, &r.x, 1, &y_only, nullptr);
        const labtest::Exact got_y{y}, got_dy{dy}, want_y{r.y}, want_dy{r.dy};
        CAPTURE(got_y);
        CAPTURE(want_y);
        CAPTURE(got_dy);
        CAPTURE(want_dy);
        CHECK(same_bits(y, y_only));  // values only: the same bits
        if (r.match == Match::Bits) {
            CHECK(same_bits(y, r.y));
            CHECK(same_bits(dy, r.dy));
        } else {
            CHECK(labtest::close(y, r.y));
            CHECK(labtest::close(dy, r.dy));
        }
    }
}

const double kLn2 = std::log(2.0);
const double kTwoOverSqrtPi = 2.0 / std::sqrt(3.14159265358979323846);

}  // namespace

TEST_CASE("formula rules: arithmetic as Python's operators call torch") {
    const double r7 = 1.0 / 7.0;
    check_rows({
        {"x + x", {}, 3, 6, 2, "add: self and other both get grad; x's buffer sums them"},
        {"x - 2*x", {}, 3, -3, -1, "sub: other gets -grad (maybe_multiply(-grad, alpha))"},
        {"1 - x", {}, 3, -2, -1, "1 - x is torch.rsub(x, 1): self gets -grad"},
        {"x * x", {}, 3, 9, 6, "mul: self gets grad * other, other gets grad * self"},
        {"3 / x", {}, 7, r7 * 3, -(1.0 * 3) * (r7 * r7),
         "c / x is x.reciprocal() * c (Tensor.__rdiv__): y = (1/x)*c, dy = -(grad*c) * (r*r), reciprocal's backward",
         Match::Bits},
        {"x / 3", {}, 7, 7.0 / 3, 1.0 / 3, "div by a Python number: div_tensor_self_backward = grad / other", Match::Bits},
        {"x / (x + 1)", {}, 0.3, 0.3 / 1.3, 1.0 / 1.3 + -1.0 * ((0.3 / 1.3) / 1.3),
         "div: self gets grad / other, other gets -grad * ((self / other) / other) — 1.13's form", Match::Bits},
        {"-x", {}, 2, -2, -1, "neg: -grad"},
        {"x * -0.0", {}, 2, -0.0, -0.0,
         "the first gradient reaching x is moved in (InputBuffer), so -0.0 stays -0.0 (0 + -0 would be +0)", Match::Bits},
        {"x*1 + x*1e-16 + x*1e-16", {}, 1, (1.0 + 1e-16) + 1e-16, (1e-16 + 1e-16) + 1.0,
         "x's gradient sums in the order autograd runs the backward nodes: the last created first", Match::Bits},
        {"(x > 0) * x", {}, -kInf, kNaN, 0, "a comparison is a 0/1 number in arithmetic (bool promotes): 0 * -inf = NaN; "
                                            "its gradient is grad * 0"},
        {"(x > 0) * x", {}, 2, 2, 1, "comparisons carry no gradient; the product rule's other path gives 1"},
        {"x > 0", {}, 2, 1, 0, "a formula whose result has no gradient path: dy = 0"},
        {"x", {}, -0.5, -0.5, 1, "x alone: dy 1"},
    });
}

TEST_CASE("formula rules: powers (pow_backward, pow_backward_self, pow_backward_exponent)") {
    check_rows({
        {"x^2", {}, 3, 9, 6, "x ** 2 is pow.Tensor_Scalar: x*x; pow_backward grad * (2 * x.pow(1))", Match::Bits},
        {"x^3", {}, 1.1, 1.1 * 1.1 * 1.1, 3 * (1.1 * 1.1), "exponent 3 is x*x*x in ATen; backward 3 * x.pow(2) = 3*(x*x)",
         Match::Bits},
        {"x^0", {}, kNaN, 1, 0, "pow_backward: exponent == 0 gives zeros; x ** 0 fills 1 even at NaN", Match::Bits},
        {"x^0.5", {}, 0, 0, kInf, "x ** 0.5 is sqrt; backward 0.5 * x.pow(-0.5) = 0.5 * (1/sqrt(0)) = inf"},
        {"x^0.5", {}, 4, 2, 0.5 * (1.0 / 2.0), "x ** 0.5: backward through pow_backward, not sqrt's grad/(2*result)"},
        {"x^-1", {}, 4, 0.25, -1 * (1.0 / (4.0 * 4.0)), "exponent -1 is reciprocal; -2 is 1/(x*x)", Match::Bits},
        {"x^2.5", {}, 2, std::pow(2.0, 2.5), 2.5 * std::pow(2.0, 1.5), "other exponents: std::pow", Match::Bits},
        {"x^a", {{"a", 2}}, 3, 9, 6, "a parameter exponent is a Python number: pow.Tensor_Scalar, by its value"},
        {"2^x", {}, 3, 8, 8 * kLn2, "2 ** x is torch.tensor(2.) ** x (Tensor.__rpow__): grad * (result * log(2))", Match::Bits},
        {"0^x", {}, -1, kInf, -kInf, "pow_backward_exponent: base 0 and exponent < 0 is result * log(0) = inf * -inf"},
        {"0^x", {}, 2, 0, 0, "pow_backward_exponent masks base == 0 with exponent >= 0 to 0"},
        {"x^x", {}, 0, 1, 0, "tensor ** tensor at 0: self masked where exponent == 0, exponent masked where base == 0"},
        {"x^x", {}, 2, 4, 2 * std::pow(2.0, 1.0) + 4 * std::log(2.0),
         "pow_backward_self: grad * (e * pow(x, e - 1)); pow_backward_exponent: grad * (result * log(x))", Match::Bits},
        {"-x^2", {}, 3, -9, -6, "** binds tighter than unary minus"},
    });
}

TEST_CASE("formula rules: functions, each as derivatives.yaml states its backward") {
    const double e2 = std::exp(20.0), t = std::tanh(0.5);
    (void)t;
    check_rows({
        {"abs(x)", {}, 0, 0, 0, "abs: grad * sgn(x), sgn(0) = 0", Match::Bits},
        {"abs(x)", {}, -2, 2, -1, "abs: grad * sgn(x)"},
        {"sqrt(x)", {}, 0, 0, kInf, "sqrt: grad / (2 * result): 1 / 0 = inf"},
        {"sqrt(x)", {}, 4, 2, 1.0 / (2 * 2.0), "sqrt: grad / (2 * result)", Match::Bits},
        {"exp(x)", {}, 1, std::exp(1.0), std::exp(1.0), "exp: grad * result", Match::Bits},
        {"expm1(x)", {}, 1e-3, std::expm1(1e-3), std::expm1(1e-3) + 1, "expm1: grad * (result + 1)", Match::Bits},
        {"log(x)", {}, 0, -kInf, kInf, "log: grad / self"},
        {"log1p(x)", {}, 0.5, std::log1p(0.5), 1 / 1.5, "log1p: grad / (self + 1)", Match::Bits},
        {"log2(x)", {}, 8, 3, 1 / (8 * 0.6931471805599453), "log2: grad / (self * 0.6931471805599453)", Match::Bits},
        {"log10(x)", {}, 100, 2, 1 / (100 * 2.3025850929940456), "log10: grad / (self * 2.3025850929940456)", Match::Bits},
        {"sign(x)", {}, -3, -1, 0, "sign: zeros_like(grad)"},
        {"floor(x)", {}, kNaN, kNaN, 0, "floor: zeros_like(grad), even at NaN", Match::Bits},
        {"round(x)", {}, 2.5, 2, 0, "round: half to even; zero gradient"},
        {"sin(x)", {}, 1, std::sin(1.0), std::cos(1.0), "sin: grad * cos(self)"},
        {"cos(x)", {}, 1, std::cos(1.0), -std::sin(1.0), "cos: grad * -sin(self)"},
        {"tan(x)", {}, 1, std::tan(1.0), 1 + std::tan(1.0) * std::tan(1.0), "tan: grad * (1 + result^2)"},
        {"tanh(x)", {}, 30, 1, 0, "tanh: tanh_backward, 1 - y*y"},
        {"sinh(x)", {}, 1, std::sinh(1.0), std::cosh(1.0), "sinh: grad * cosh(self)"},
        {"cosh(x)", {}, 1, std::cosh(1.0), std::sinh(1.0), "cosh: grad * sinh(self)"},
        {"sinh(x) / cosh(x)", {}, 40, 1, 0,
         "sinh and cosh are glibc's 0.5*exp(|x|) from |x| = 22 (PyTorch's libm), so they are equal there and the "
         "quotient rule cancels exactly (musl would leave one ulp)",
         Match::Bits},
        {"sinh(x)", {}, -710, -0.5 * std::exp(355.0) * std::exp(355.0), 0.5 * std::exp(355.0) * std::exp(355.0),
         "near overflow glibc squares exp(|x|/2) in two halves", Match::Bits},
        {"atan(x)", {}, 2, std::atan(2.0), 1 / (2.0 * 2.0 + 1), "atan: grad / (self * self + 1)", Match::Bits},
        {"asinh(x)", {}, 2, std::asinh(2.0), 1 / std::sqrt(2.0 * 2.0 + 1), "asinh: grad * (self^2 + 1).rsqrt()"},
        {"erf(x)", {}, 0, 0, kTwoOverSqrtPi, "erf: 2/sqrt(pi) * exp(-x^2) * grad", Match::Bits},
        {"erfc(x)", {}, 1, std::erfc(1.0), -kTwoOverSqrtPi * std::exp(-1.0), "erfc: -2/sqrt(pi) * exp(-x^2) * grad"},
        {"sigmoid(x)", {}, 0, 0.5, (1 - 0.5) * 0.5, "sigmoid: sigmoid_backward from the result, grad*(1-y)*y", Match::Bits},
        {"relu(x)", {}, 0, 0, 0, "relu: threshold_backward on the result: result <= 0 gives 0"},
        {"relu(x)", {}, -0.0, -0.0, 0, "relu is clamp_min(x, 0): -0.0 passes", Match::Bits},
        {"softplus(x)", {}, 20, std::log1p(e2), e2 / (e2 + 1), "softplus: linear only when beta*x > threshold (strictly)",
         Match::Bits},
        {"softplus(x)", {}, 20.5, 20.5, 1, "softplus above the threshold: x, gradient grad"},
        {"softplus(x, beta=2)", {}, 1, std::log1p(std::exp(2.0)) / 2, std::exp(2.0) / (std::exp(2.0) + 1),
         "softplus_backward: grad * z / (z + 1), z = exp(beta * x)", Match::Bits},
    });
}

TEST_CASE("formula rules: min, max, clamp, where and ?:") {
    check_rows({
        {"max(x, 0)", {}, 0, 0, 0.5, "maximum: a tie splits the gradient, grad / 2 to each"},
        {"max(x, 0)", {}, -0.0, -0.0, 0.5, "maximum keeps the first operand on a tie of zeros (std::max)", Match::Bits},
        {"min(x, 1 - x)", {}, 0.5, 0.5, 0.5 - 0.5, "minimum: each side gets grad / 2 at the tie (then -1 for 1 - x)"},
        {"max(x, 0.1*x)", {}, kNaN, kNaN, 1.1, "maximum at NaN: neither == nor < holds, so both get the full gradient"},
        {"max(x, 2)", {}, 1, 2, 0, "maximum: the smaller operand gets 0"},
        {"clamp(x, -1, 1)", {}, 1, 1, 1, "clamp_backward passes the gradient AT the bounds (self >= min & self <= max)"},
        {"Hardtanh(x)", {}, 1, 1, 0, "unlike Hardtanh, whose corner belongs to the flat part"},
        {"clamp(x, -1, 1)", {}, 1.5, 1, 0, "clamp: outside the bounds, 0"},
        {"clamp(x, 0)", {}, kNaN, kNaN, 0, "clamp_min: NaN passes; its gradient mask self >= min is false"},
        {"clamp(x, nan, 1)", {}, 0.5, kNaN, 0, "clamp with a NaN bound fills NaN"},
        {"x >= 0 ? x : log(x)", {}, 0, 0, kNaN,
         "where: the other branch's backward still runs with a zero gradient: log's 0 / 0 = NaN reaches x"},
        {"x < 1 ? x : sqrt(x - 1)", {}, 0, 0, kNaN, "sqrt's 0 / (2 * NaN) in the branch not taken is NaN too"},
        {"x > 0 ? x : 0.01*x", {}, -2, -0.02, 0.01, "where: the gradient goes to the chosen branch only"},
        {"where(x, 1, x)", {}, kNaN, 1, 0, "a numeric condition is (c != 0): NaN != 0 is true"},
        {"x < 0 ? -x : x < 1 ? x*x : 2*x - 1", {}, 0.5, 0.25, 1, "?: nests to the right"},
    });
}

TEST_CASE("formula rules: catalog activations by name run the registry's kernels") {
    const std::vector<double> xs = {-2, -0.0, 0, 0.75, 3};
    for (const auto& row :
         std::vector<std::tuple<std::string, std::string, labtest::Params>>{
             {"ELU(x, alpha=0.5)", "ELU", {{"alpha", 0.5}}},
             {"Softplus(x, beta=2)", "Softplus", {{"beta", 2.0}}},
             {"GELU(x, approximate='tanh')", "GELU", {{"approximate", "tanh"}}},
             {"Tanh(x)", "Tanh", {}},
             {"LeakyReLU(x, negative_slope=a/4); a=0.2", "LeakyReLU", {{"negative_slope", 0.2 / 4}}},
         }) {
        const std::string& formula = std::get<0>(row);  // (plain names: clang 14 cannot CAPTURE a structured binding)
        CAPTURE(formula);
        const Formula f = Formula::parse(formula);
        std::vector<double> y(xs.size()), dy(xs.size());
        f.evaluate(f.values(), xs.data(), xs.size(), y.data(), dy.data());
        const lab::ElementwiseResult want = lab::evaluate_elementwise(std::get<1>(row), std::get<2>(row), xs);
        for (std::size_t i = 0; i < xs.size(); ++i) {
            CAPTURE(i);
            CHECK(same_bits(y[i], want.y[i]));
            CHECK(same_bits(dy[i], want.dy[i]));  // grad 1 times f′
        }
    }
    check_rows({
        {"sqrt(ReLU(x))", {}, -1, 0, 0,
         "threshold_backward selects 0 on ReLU's flat part: sqrt′(0) = inf arriving there gives 0, not inf*0", Match::Bits},
        {"sqrt(Hardtanh(x, min_val=0))", {}, -2, 0, 0, "hardtanh_backward selects 0 as well", Match::Bits},
        {"sqrt(Sigmoid(x))", {}, -800, 0, kNaN,
         "sigmoid_backward multiplies: (grad*(1-y))*y = inf*0 = NaN where y underflows to 0"},
        {"sqrt(Softsign(x))", {}, 0, 0, kNaN,
         "F.softsign is x / (|x| + 1), several nodes: sqrt′(0) = inf meets the quotient rule's -grad*((x/o)/o) = -inf*0",
         Match::Bits},
        {"3 * Tanhshrink(x)", {}, 0.5, 3 * (0.5 - std::tanh(0.5)),
         3.0 + -3.0 * (1 - std::tanh(0.5) * std::tanh(0.5)),
         "F.tanhshrink is x - tanh(x): sub passes grad, tanh_backward(-grad, t) follows"},
        {"sqrt(Hardswish(x))", {}, -4, -0.0, 0, "hardswish_backward returns 0 below -3 (a select)", Match::Bits},
        {"sqrt(Hardswish(x) + 0.375)", {}, -1.5, 0, kNaN,
         "hardswish_backward's middle piece multiplies, also where x/3 + 1/2 = 0: inf * 0 = NaN at -1.5", Match::Bits},
        {"-3 * ReLU(x)", {}, -1, -0.0, 0.0, "a select gives +0 even for a negative incoming gradient", Match::Bits},
        {"-3 * LeakyReLU(x, negative_slope=0)", {}, -1, 0.0, -0.0, "leaky_relu_backward multiplies: -3*0 = -0",
         Match::Bits},
    });
    // grad * f′ in a chain: ELU(2x) has dy = 2 * ELU′(2x) as mul's backward receives it.
    const Formula f = Formula::parse("ELU(2*x)");
    const double x = -0.5;
    double y, dy;
    f.evaluate({}, &x, 1, &y, &dy);
    CHECK(same_bits(dy, (1.0 * std::exp(-1.0)) * 2));
}

TEST_CASE("formula rules: tanh(x) and sigmoid(x) are the built-ins bit for bit") {
    std::vector<double> xs;
    for (int i = -2000; i <= 2000; ++i) xs.push_back(i * 0.0173);
    for (const auto& row : std::vector<std::pair<std::string, std::string>>{{"tanh(x)", "Tanh"}, {"sigmoid(x)", "Sigmoid"}}) {
        const std::string& formula = row.first;
        const std::string& name = row.second;
        CAPTURE(formula);
        const Formula f = Formula::parse(formula);
        std::vector<double> y(xs.size()), dy(xs.size());
        f.evaluate({}, xs.data(), xs.size(), y.data(), dy.data());
        const lab::ElementwiseResult want = lab::evaluate_elementwise(name, {}, xs);
        int differ = 0;
        for (std::size_t i = 0; i < xs.size(); ++i) differ += !same_bits(y[i], want.y[i]) || !same_bits(dy[i], want.dy[i]);
        CHECK(differ == 0);
    }
}

TEST_CASE("formula evaluation: blocks, values only, parameters, errors") {
    // More points than one block (256): the same bits as one point at a time.
    const Formula f = Formula::parse("x > 0 ? x * sigmoid(b*x) : a*(exp(x) - 1) + max(x, -1); a = 0.5, b = 1.702");
    std::vector<double> xs;
    for (int i = 0; i < 1000; ++i) xs.push_back(-6 + 12.0 * i / 999);
    xs[17] = kNaN, xs[400] = kInf, xs[401] = -kInf, xs[402] = -0.0;
    const std::vector<double> v = f.values();
    std::vector<double> y(xs.size()), dy(xs.size()), y2(xs.size());
    f.evaluate(v, xs.data(), xs.size(), y.data(), dy.data());
    f.evaluate(v, xs.data(), xs.size(), y2.data(), nullptr);
    int differ = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
        double y1, d1;
        f.evaluate(v, &xs[i], 1, &y1, &d1);
        differ += !same_bits(y1, y[i]) || !same_bits(d1, dy[i]) || !same_bits(y2[i], y[i]);
    }
    CHECK(differ == 0);
    f.evaluate(v, xs.data(), 0, nullptr, nullptr);  // n = 0: nothing to do

    // Parameter values by name replace the defaults; an unknown name is an Error naming them.
    CHECK(f.values() == std::vector<double>{1.702, 0.5});  // b first: the order of first use
    CHECK(f.values({{"b", 2}}) == std::vector<double>{2, 0.5});
    CHECK(labtest::error_of([&] { (void)f.values({{"c", 1}}); }) == "unknown parameter 'c' (this formula has b, a)");
    CHECK(labtest::error_of([&] { (void)Formula::parse("2*x").values({{"c", 1}}); }) ==
          "unknown parameter 'c' (this formula has no parameters)");
    CHECK(labtest::error_of([&] { f.evaluate({1}, xs.data(), 1, y.data(), nullptr); }) ==
          "evaluate: expected 2 parameter values, got 1");

    // A keyword value the registry refuses: its words, prefixed by the call; the formula stays usable.
    const Formula celu = Formula::parse("CELU(x, alpha=a - 1)");
    CHECK(labtest::error_of([&] { celu.evaluate({1.0}, xs.data(), 3, y.data(), dy.data()); }) ==
          "CELU(...): ZeroDivisionError: alpha cannot be 0 for CELU");
    double one = 1, out = 0;
    celu.evaluate({3.0}, &one, 1, &out, nullptr);
    CHECK(out == 1);
    CHECK(labtest::error_of([&] { Formula::parse("PReLU(x, num_parameters=3)").evaluate({}, &one, 1, &out, nullptr); })
              .rfind("PReLU(...): Mismatch of parameter numbers", 0) == 0);
}
