// The formula language's text side (issue 11): every error message with its column and length,
// the limits, parameters (defaults, declared values, order of first use), precedence and
// associativity, numbers, and the PyTorch code the program prints. Tables of rows; a failing row
// prints its text and `why`.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "formula.hpp"
#include "support.hpp"

using lab::formula::Formula;
using lab::formula::SyntaxError;

namespace {

struct ErrorRow {
    std::string text;
    std::string message;
    int column;
    int length;
};

void check_errors(const std::vector<ErrorRow>& rows) {
    for (const ErrorRow& r : rows) {
        CAPTURE(r.text);
        std::string message = "(no error)";
        int column = 0, length = 0;
        try {
            (void)Formula::parse(r.text);
        } catch (const SyntaxError& e) {
            message = e.what();
            column = e.column;
            length = e.length;
        }
        CHECK(message == r.message);
        CHECK(column == r.column);
        CHECK(length == r.length);
    }
}

// y of a formula at one x.
double at(const std::string& text, double x) {
    const Formula f = Formula::parse(text);
    double y = 0;
    f.evaluate(f.values(), &x, 1, &y, nullptr);
    return y;
}

}  // namespace

TEST_CASE("formula parse: errors say what was expected, at the right column") {
    check_errors({
        {"sigmod(x)", "unknown function 'sigmod' \u2014 did you mean sigmoid?", 1, 6},
        {"Relu(x)", "unknown function 'Relu' \u2014 did you mean relu?", 1, 4},
        {"foo(x)", "unknown function 'foo'", 1, 3},
        {"x * (exp(x)", "missing ')' opened at column 5", 12, 1},
        {"max(x, 0", "missing ')' of max( opened at column 4", 9, 1},
        {"x*(1 2", "missing ')' opened at column 3, found '2'", 6, 1},
        {"exp + x", "'exp' is a function: write exp(...)", 1, 3},
        {"ReLU", "'ReLU' is a function: write ReLU(x)", 1, 4},
        {"ELU * x", "'ELU' is a function: write ELU(x, alpha=...)", 1, 3},
        {"x * ", "expected an expression after '*'", 5, 1},
        {"x ** ** 2", "expected an expression after '**'", 6, 2},
        {"x + )", "expected an expression after '+'", 5, 1},
        {")", "unexpected ')'", 1, 1},
        {"x)", "unexpected ')'", 2, 1},
        {"()", "empty parentheses: expected an expression", 2, 1},
        {"2x", "expected an operator between '2' and 'x' (write 2*x)", 2, 1},
        {"x x", "expected an operator before 'x' (write * for a product)", 3, 1},
        {"x $ 2", "unexpected character '$'", 3, 1},
        {"x ! 2", "unexpected character '!' (did you mean '!='?)", 3, 1},
        {"x \u00e9", "unexpected character '\u00e9'", 3, 1},
        {"", "the formula is empty: write an expression in x", 1, 1},
        {"   ", "the formula is empty: write an expression in x", 4, 1},
        {"a*2", "the formula never uses x", 1, 3},
        {"X*2", "the formula never uses x (X is a parameter here: the variable is a lowercase x)", 1, 3},
        {"1e", "malformed number '1e': expected digits after the exponent", 1, 2},
        {"x*1e+", "malformed number '1e+': expected digits after the exponent", 3, 3},
        {"x*" + std::string(41, '1'), "number too long (more than 40 characters)", 3, 41},
        {"x ? 1", "expected ':' for the '?' at column 3, found the end", 6, 1},
        {"x ? : 2", "expected an expression after '?'", 5, 1},
        {"x:2", "unexpected ':' without a '?' before it", 2, 1},
        {"x,2", "unexpected ',' outside a function call", 2, 1},
        {"0 < x < 1", "comparisons do not chain: write (a < x) * (x < b) for both at once, or use ? :", 7, 1},
        {"x = 2", "'=' gives a parameter its value after ';' (a = 0.5); to compare, write '=='", 3, 1},
        {"x(2)", "x is the variable, not a function (write x*(...) for a product)", 1, 1},
        {"'a'", "a string is only a keyword value, as in GELU(x, approximate='tanh')", 1, 3},
        {"x + 'tanh", "unterminated string (no closing ')", 5, 5},
        {"exp(x, 2)", "exp() takes 1 argument, got more", 8, 1},
        {"exp()", "exp() takes 1 argument, got none", 4, 2},
        {"min(x)", "min() takes 2 arguments, got 1 (missing 'other')", 1, 6},
        {"clamp(x)", "clamp() needs a min or a max", 1, 8},
        {"clamp(x, x, 1)", "clamp()'s min must not depend on x (for a bound that varies, use min(...) and max(...))", 10, 1},
        {"softplus(x, beta=x)", "softplus()'s beta must not depend on x", 18, 1},
        {"softplus(x, gamma=2)", "softplus() has no argument 'gamma' (its arguments: input, beta, threshold)", 13, 5},
        {"softplus(x, beta=2, 20)", "a positional argument cannot follow a keyword argument", 21, 2},
        {"Softmax(x)", "'Softmax' is a vector activation: a formula can call only elementwise activations", 1, 7},
        {"MSELoss(x)", "'MSELoss' is a loss: a formula can call only elementwise activations", 1, 7},
        {"ELU(x, 0.5)", "ELU takes its parameters by keyword: ELU(x, alpha=...)", 8, 3},
        {"ReLU(x, 2)", "ReLU has no parameters: write ReLU(x)", 9, 1},
        {"ELU(x, alpa=1)", "ELU.__init__() got an unexpected keyword argument 'alpa' \u2014 did you mean alpha?", 8, 4},
        {"ELU(x, alpha=x)", "ELU's alpha must not depend on x (it is a constant of the module)", 14, 1},
        {"ELU(x, alpha=1, alpha=2)", "ELU() got 'alpha' twice", 17, 5},
        {"GELU(x, approximate=1)", "GELU: argument 'approximate' must be a string: one of 'none', 'tanh'", 21, 1},
        {"GELU(x, approximate='foo')", "GELU: argument 'approximate' must be one of 'none', 'tanh', got 'foo'", 21, 5},
        {"ELU(x, alpha='a')", "ELU: argument 'alpha' must be a number, not str", 14, 3},
        {"Threshold(x)", "Threshold.__init__() missing required argument 'threshold': write Threshold(x, threshold=...)", 1,
         12},
        {"lambda*x", "'lambda' is a Python keyword and cannot name a parameter", 1, 6},
        {"x*_modules", "a parameter name cannot start with '_' (nn.Module keeps its own state in such attributes)", 3, 8},
        {"super*x", "'super' cannot name a parameter (the generated nn.Module uses it)", 1, 5},
        {"x*self", "'self' cannot name a parameter (the generated nn.Module uses it)", 3, 4},
        {"float*x", "'float' cannot name a parameter (nn.Module has an attribute of that name)", 1, 5},
        // declarations after ';'
        {"x; a=1", "'a' is not used in the formula", 4, 1},
        {"a*x; a=0.5, a=2", "'a' is given twice", 13, 1},
        {"a*x; a=", "expected a number for 'a'", 8, 1},
        {"a*x; a 2", "expected '=' and a value after 'a'", 8, 1},
        {"a*x; a=1 b=2", "expected ',' between parameter values, found 'b'", 10, 1},
        {"x; ", "expected a parameter name (a = 0.5) after ';'", 4, 1},
        {"a*x; x=1", "x is the variable, not a parameter", 6, 1},
        {"a*x; pi=1", "'pi' is a constant, not a parameter", 6, 2},
        {"a*x; exp=1", "'exp' is a function, not a parameter", 6, 3},
        // columns count characters (code points), as the page's caret does
        {"\u03c0\u00b7x \u00f7 sigmod(x)", "unknown function 'sigmod' \u2014 did you mean sigmoid?", 7, 6},
    });
}

TEST_CASE("formula parse: limits on length, depth, operations and parameters") {
    std::string deep = "x";
    for (int i = 0; i < 32; ++i) deep = "(" + deep + ")";
    CHECK_NOTHROW((void)Formula::parse(deep));  // 32 levels: allowed
    check_errors({
        {"x" + std::string(499, ' ') + "+", "the formula is longer than 500 characters", 501, 1},
        {"(" + deep + ")", "nesting deeper than 32 levels", 33, 1},
        {std::string(33, '-') + "x", "nesting deeper than 32 levels", 33, 1},
        {[] {
             std::string s;
             for (int i = 0; i < 33; ++i) s += "2^";
             return s + "x";
         }(),
         "nesting deeper than 32 levels", 66, 1},
        {"a*b*c*d*f*g*h*i*k*x", "more than 8 parameters ('k' would be number 9)", 17, 1},
    });
    CHECK(Formula::parse(std::string(499, ' ') + "x").text().size() == 500);  // 500 characters: allowed
    // Operations: 255 nodes fit, one more is refused (x, then x+x+... adds two nodes per term).
    std::string sum = "x";
    for (int i = 0; i < 127; ++i) sum += "+1";  // 1 + 127 * 2 = 255 nodes
    CHECK_NOTHROW((void)Formula::parse(sum));
    bool refused = false;
    try {
        (void)Formula::parse(sum + "+1");
    } catch (const SyntaxError& e) {
        refused = std::string(e.what()) == "the formula has more than 256 operations";
    }
    CHECK(refused);
    // 8 parameters are fine.
    CHECK(Formula::parse("a*b*c*d*f*g*h*i*x").parameters().size() == 8);
}

TEST_CASE("formula parse: parameters in order of first use, with defaults and declared values") {
    const Formula f = Formula::parse("beta*x + a*exp(x) - beta*c; a = -0.5, c=0");
    const auto& ps = f.parameters();
    REQUIRE(ps.size() == 3);
    CHECK(ps[0].name == "beta");
    CHECK(ps[0].value == 1.0);
    CHECK_FALSE(ps[0].declared);
    CHECK(ps[0].column == 1);
    CHECK(ps[0].slider_min == 0.0);
    CHECK(ps[0].slider_max == 2.0);
    CHECK(ps[1].name == "a");
    CHECK(ps[1].value == -0.5);
    CHECK(ps[1].declared);
    CHECK(ps[1].column == 10);
    CHECK(ps[1].slider_min == -1.0);
    CHECK(ps[1].slider_max == 0.0);
    CHECK(ps[2].name == "c");
    CHECK(ps[2].value == 0.0);
    CHECK(ps[2].slider_min == -1.0);
    CHECK(ps[2].slider_max == 1.0);
    CHECK(f.values() == std::vector<double>{1.0, -0.5, 0.0});
    CHECK(f.values({{"a", 3}}) == std::vector<double>{1.0, 3.0, 0.0});
    CHECK(Formula::parse("a*x; a = --2").values() == std::vector<double>{2.0});
    CHECK(Formula::parse("a*x; a = -inf").values() == std::vector<double>{-HUGE_VAL});
    CHECK(std::isnan(Formula::parse("a*x; a = nan").values()[0]));
    CHECK(Formula::parse("a*x; a = pi").values()[0] == 3.141592653589793);
}

TEST_CASE("formula parse: precedence and associativity as in Python") {
    struct Row {
        std::string text;
        double x, y;
        std::string why;
    };
    const std::vector<Row> rows = {
        {"-x^2", 3, -9, "** binds tighter than unary minus: -(x**2)"},
        {"(-x)^2", 3, 9, "parentheses"},
        {"2^3^2*x", 1, 512, "** is right-associative: 2**(3**2)"},
        {"2^-x", 1, 0.5, "a unary minus on the right of **"},
        {"x**2", 3, 9, "** and ^ are the same"},
        {"1 - x - 1", 3, -3, "- is left-associative"},
        {"8 / x / 2", 2, 2, "/ is left-associative"},
        {"2 + 3 * x", 2, 8, "* before +"},
        {"x + 1 > 2", 1.5, 1, "comparisons are below +"},
        {"x > 0 ? 1 : x < -1 ? 2 : 3", -0.5, 3, "?: nests to the right: a ? b : (c ? d : e)"},
        {"x > 0 ? 1 : x < -1 ? 2 : 3", -2, 2, "?: nests to the right"},
        {"x > 0 ? x > 1 ? 4 : 5 : 6", 0.5, 5, "a ?: in the middle of a ?:"},
        {"+x", 2, 2, "unary plus"},
        {"- - x", 2, 2, "unary minus twice"},
        {"x*1e-3", 2, 2e-3, "exponent notation"},
        {"x*.5", 2, 1, "a leading dot"},
        {"x*1.5E+2", 1, 150, "capital E, signed exponent"},
        {"x*pi", 1, 3.141592653589793, "pi is math.pi"},
        {"x*e", 1, 2.718281828459045, "e is math.e"},
        {"x*inf", 1, HUGE_VAL, "inf"},
        {"x \u2212 1 \u00d7 2", 3, 1, "typographic minus and times"},
        {"x \u2264 1", 1, 1, "typographic <="},
        {"x == 1", 1, 1, "=="},
        {"x != 1", 1, 0, "!="},
    };
    for (const Row& r : rows) {
        CAPTURE(r.text);
        CAPTURE(r.why);
        CHECK(at(r.text, r.x) == r.y);
    }
    CHECK(std::isnan(at("x*nan", 1)));
}

TEST_CASE("formula parse: the PyTorch code it prints") {
    struct Row {
        std::string text;
        std::string expression;
    };
    const std::vector<Row> rows = {
        {"x * sigmoid(1.702 * x)", "x * torch.sigmoid(1.702 * x)"},
        {"-x^2", "-x ** 2.0"},
        {"(-2)^x", "(-2.0) ** x"},
        {"(x^2)^3", "(x ** 2.0) ** 3.0"},
        {"x - (x - 1)", "x - (x - 1.0)"},
        {"x / (x * 2)", "x / (x * 2.0)"},
        {"-(-x)", "-(-x)"},
        {"x > 0 ? x : a*(exp(x)-1); a=0.5", "torch.where(x > 0.0, x, 0.5 * (torch.exp(x) - 1.0))"},
        {"(x > 0) + (x > 1)", "(x > 0.0).double() + (x > 1.0).double()"},
        {"max(x, 0)", "torch.maximum(x, torch.tensor(0.0, dtype=torch.float64))"},
        {"clamp(x, max=1)", "torch.clamp(x, max=1.0)"},
        {"softplus(x)", "F.softplus(x, beta=1.0, threshold=20.0)"},
        {"ELU(x, alpha=0.5)", "nn.ELU(alpha=0.5)(x)"},
        {"GELU(x, approximate='tanh')", "nn.GELU(approximate='tanh')(x)"},
        {"LinearActivation(x, c=2)", "(2.0 * (x))"},
        {"RReLU(x)", "nn.RReLU().eval()(x)"},
        {"x * exp(a)", "x * torch.exp(torch.tensor(1.0, dtype=torch.float64)).item()"},
        {"x ^ (a + 1)", "x ** (1.0 + 1.0)"},
        {"x * (a / 0)", "x * (torch.tensor(1.0, dtype=torch.float64) / torch.tensor(0.0, dtype=torch.float64)).item()"},
        {"where(x, 1, 0)", "torch.where((x != 0), torch.tensor(1.0, dtype=torch.float64), 0.0)"},
        {"x*inf + nan*x", "x * float('inf') + float('nan') * x"},
    };
    for (const Row& r : rows) {
        CAPTURE(r.text);
        const Formula f = Formula::parse(r.text);
        CHECK(f.torch_expression(f.values()) == r.expression);
        CHECK(f.torch_lambda(f.values()) == "lambda x: " + r.expression);
    }
    const Formula f = Formula::parse("x > 0 ? x : a*(exp(x)-1); a=0.5");
    CHECK(f.torch_module(f.values({{"a", 0.25}}), "Elu2") ==
          "class Elu2(nn.Module):\n"
          "    # x > 0 ? x : a*(exp(x)-1); a=0.5\n"
          "    def __init__(self, a=0.25):\n"
          "        super().__init__()\n"
          "        self.a = a\n"
          "\n"
          "    def forward(self, x):\n"
          "        return torch.where(x > 0.0, x, self.a * (torch.exp(x) - 1.0))\n");
    CHECK(labtest::error_of([&] { (void)f.torch_module(f.values(), "my class"); }) ==
          "torch_module: class name 'my class' is not a Python identifier");
    const Formula g = Formula::parse("ELU(x, alpha=a) * x; a = inf");
    const std::string json = g.describe_json();
    CHECK(json.find("\"parameters\":[{\"name\":\"a\",\"value\":\"inf\",\"declared\":true,\"column\":14,") !=
          std::string::npos);
    CHECK(json.find("\"uses\":[\"ELU\"]") != std::string::npos);
    CHECK(json.rfind("{\"text\":\"ELU(x, alpha=a) * x; a = inf\",", 0) == 0);
}

TEST_CASE("formula parse: a default-constructed Formula refuses every use with an Error") {
    const Formula empty;
    const std::string want = "formula: not parsed (make it with Formula::parse)";
    CHECK(labtest::error_of([&] { (void)empty.text(); }) == want);
    CHECK(labtest::error_of([&] { (void)empty.values(); }) == want);
    CHECK(labtest::error_of([&] { empty.evaluate({}, nullptr, 0, nullptr, nullptr); }) == want);
    CHECK(labtest::error_of([&] { (void)empty.describe_json(); }) == want);
    CHECK(labtest::error_of([&] { (void)empty.torch_module({}); }) == want);
}
