// Issue 11: "every built-in, written as a formula, gives the built-in's values and derivatives".
// One table row per way of writing a catalog activation in the formula language, checked against
// the registry's kernel over one grid (kinks of every built-in with their neighbouring doubles,
// two regular grids, tiny, huge and non-finite points), within support.hpp's 1e-12 rule — or bit
// for bit where the formula performs the kernel's own operations in the kernel's order (`bits`).
// Where autograd's derivative of the written form is not the built-in's (clamp passes the gradient
// at its bounds where Hardtanh does not; a where() whose unchosen branch overflows sends 0·inf =
// NaN; a tie of min/max halves the gradient; PyTorch's derivative of Sigmoid and Tanh comes from
// the rounded output), the row says so in `why` and names the points in `skip_dy` (or `skip_y`);
// those points are left out and the test checks that at least one of them really differs, so a
// stale exclusion fails too. A row per name is required: a built-in added to the catalog fails
// "the table is complete" until it gets one.
// Second part: each built-in called by name inside a formula ("ELU(x, alpha=0.5)", "ELU(2*x)")
// is the registry's kernel, so it must equal evaluate_elementwise bit for bit.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "formula.hpp"
#include "registry.hpp"
#include "support.hpp"

namespace {

using labtest::kInf;
using labtest::kNaN;
using labtest::Params;

// Bit for bit; any NaN equals any NaN (its sign and payload are no part of PyTorch's answer, and
// JSON could not carry them).
bool same_bits(double a, double b) {
    if (std::isnan(a) && std::isnan(b)) return true;
    std::uint64_t x, y;
    std::memcpy(&x, &a, sizeof x);
    std::memcpy(&y, &b, sizeof y);
    return x == y;
}

// The grid: every built-in's kinks (default and table parameters) with the doubles either side,
// steps of 1/8 and 1/37 over about [-8, 8], tiny, huge and non-finite points.
std::vector<double> grid() {
    std::vector<double> x = {0.0, -0.0, 5e-324, -5e-324, 1e-300, -1e-300, 1e-8, -1e-8, 20.0, -20.0, 40.0, -40.0,
                             709.0, -709.0, 710.0, -710.0, 1e300, -1e300};
    for (int i = -64; i <= 64; ++i) x.push_back(i / 8.0);
    for (int i = -300; i <= 300; ++i) x.push_back(i / 37.0);
    for (double k : {0.1, 0.5, 1.0, 2.0, 2.5, 3.0, 5.0, 6.0, 10.0, 20.0})
        for (double v : {k, -k}) {
            x.push_back(std::nextafter(v, -kInf));
            x.push_back(v);
            x.push_back(std::nextafter(v, kInf));
        }
    x.push_back(kNaN);
    x.push_back(kInf);
    x.push_back(-kInf);
    return x;
}

using Skip = bool (*)(double x);
bool exp_overflows(double x) { return !(std::exp(x) < kInf); }  // also NaN

// How a row compares: the 1e-12 rule, or bit for bit (y alone, or y and dy) where the formula
// performs the kernel's own operations in its order.
enum Bits { kClose, kBitsY, kBits };

struct Row {
    const char* name;
    Params params;      // the built-in's keywords
    const char* formula;
    Bits bits;
    Skip skip_y;        // points where y is not compared (nullptr: none)
    Skip skip_dy;       // points where dy is not compared
    const char* why;
};

const std::vector<Row>& table() {
    static const std::vector<Row> rows = {
        {"Identity", {}, "x", kBits, nullptr, nullptr, "x itself: y.sum().backward() gives 1."},
        {"ReLU", {}, "relu(x)", kBits, nullptr, nullptr, "The language's relu is torch.relu, the kernel's own operation."},
        {"ReLU", {}, "x <= 0 ? 0 : x", kClose, nullptr, nullptr,
         "A conditional: slope 0 at 0 and 1 at NaN as ReLU's backward (which tests the output), but the constant "
         "0 is +0 where ReLU(-0) = -0, so only the sign of that zero differs (not compared by the 1e-12 rule)."},
        {"ReLU6", {}, "clamp(x, 0, 6)", kBits, nullptr, [](double x) { return x == 0.0 || x == 6.0 || std::isnan(x); },
         "clamp passes the gradient on the closed interval [0, 6] and gives 0 at NaN; ReLU6 is Hardtanh(0, 6), whose "
         "backward gives 0 at both bounds and 1 at NaN."},
        {"LeakyReLU", {}, "x > 0 ? x : 0.01*x", kBits, nullptr, nullptr, "x = 0 and NaN take the negative slope in both."},
        {"LeakyReLU", {{"negative_slope", 0.2}}, "x > 0 ? x : 0.2*x", kBits, nullptr, nullptr, "As above, slope 0.2."},
        {"PReLU", {}, "max(0, x) + 0.25 * min(0, x)", kClose, nullptr, [](double x) { return x == 0.0 || std::isnan(x); },
         "PyTorch's documented form: at x = 0 both torch.maximum and torch.minimum tie and halve the gradient "
         "(0.5 + 0.25·0.5 = 0.625 against PReLU's 0.25); at NaN neither == nor < holds, both get all of it (1.25)."},
        {"RReLU", {}, "x > 0 ? x : (1/8 + 1/3) / 2 * x", kBits, nullptr, nullptr,
         "RReLU in eval mode: the mean slope (lower + upper) / 2, folded in float64 as the kernel computes it."},
        {"Hardswish", {}, "x * clamp(x + 3, 0, 6) / 6", kBitsY, nullptr,
         [](double x) { return (x > 3.0 && x + 3.0 <= 6.0) || std::isnan(x); },
         "Its paper's form: y is the kernel's arithmetic; the derivative is clamp/6 + x·clamp′/6 (not x/3 + 1/2). "
         "clamp passes the gradient at its bounds, which agrees at x = ±3, but at the next double above 3 x + 3 "
         "rounds to 6 and the formula still has slope 1.5 (Hardswish: 1); at NaN the formula's is NaN, PyTorch's 1."},
        {"ELU", {}, "x <= 0 ? exp(x) - 1 : x", kBits, nullptr, exp_overflows,
         "ATen's elu: x <= 0 takes the exponential side. Where exp(x) overflows (x > 709.78, inf) or is NaN, the "
         "unchosen branch's backward multiplies where()'s zero gradient by exp(x): 0·inf = NaN, as PyTorch's autograd "
         "gives for this formula (the built-in gives 1)."},
        {"ELU", {{"alpha", 0.5}}, "x <= 0 ? 0.5*(exp(x) - 1) : x", kBits, nullptr, exp_overflows, "As above."},
        {"CELU", {{"alpha", 2.0}}, "x <= 0 ? 2*(exp(x/2) - 1) : x", kBits, nullptr,
         [](double x) { return exp_overflows(x / 2); },
         "The conditional form (alpha a power of two: CELU's backward rounds 1/alpha to float, exact here). The "
         "overflow NaN of where() as for ELU."},
        {"CELU", {{"alpha", 2.0}}, "max(0, x) + min(0, 2*(exp(x/2) - 1))", kClose, nullptr,
         [](double x) { return x == 0.0 || 2 * (std::exp(x / 2) - 1) == 0.0 || exp_overflows(x / 2); },
         "PyTorch's documented form: ties halve the gradient wherever an operand equals 0 — at x = 0 and wherever "
         "2(exp(x/2) - 1) rounds to 0 (|x| below ~1e-16: slope 1.5 or 0.5); min's backward masks the overflowing "
         "branch to 0 but exp's backward then gives 0·inf = NaN; NaN gets both gradients."},
        {"SELU", {}, "x <= 0 ? 1.0507009873554805 * 1.6732632423543772 * (exp(x) - 1) : 1.0507009873554805 * x", kBits,
         nullptr, exp_overflows, "scale·alpha folded first, as ATen's elu coefficient; the overflow NaN of where()."},
        {"GELU", {}, "x * 0.5 * (1 + erf(x * 0.7071067811865476))", kBitsY, nullptr, nullptr,
         "y is the kernel's arithmetic; the derivative is the chain of mul, add and erf′ rather than cdf + x·pdf."},
        {"GELU", {{"approximate", "tanh"}}, "0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))", kClose,
         nullptr, nullptr,
         "The paper's form. PyTorch's build fuses x + 0.044715·x³ into one FMA where the formula rounds twice, "
         "and the derivative is autograd's chain; on this grid both still stay within 1e-12, the left tail "
         "(where 1 + tanh(u) cancels) included."},
        {"SiLU", {}, "x * sigmoid(x)", kClose, nullptr, nullptr, "Swish: x·σ(x); the product rule σ + x·σ(1-σ)."},
        {"Mish", {}, "x * tanh(softplus(x))", kClose, nullptr,
         [](double x) { return std::isfinite(x) && exp_overflows(-x); },
         "softplus's threshold keeps exp's backward out of the right tail (log1p(exp(x)) would give NaN past 710). "
         "Below -709.78 the built-in's sigmoid(x) = 1/(1 + exp(-x)) underflows to 0 and PyTorch's Mish derivative "
         "is tanh(softplus(x)) alone (4.5e-309 at -710) while the formula's includes x·e^x (-3.2e-306)."},
        {"Softplus", {}, "softplus(x)", kBits, nullptr, nullptr, "The language's softplus is F.softplus."},
        {"Softplus", {{"beta", 2.0}, {"threshold", 5.0}}, "softplus(x, beta=2, threshold=5)", kBits, nullptr, nullptr,
         "F.softplus with keywords."},
        {"Softplus", {}, "x > 20 ? x : log1p(exp(x))", kBitsY, nullptr, exp_overflows,
         "Written out: y is the kernel's (the switch is strict, x > 20); the derivative (1/(1+e))·e against "
         "e/(e + 1); the overflow NaN of where() past 709.78."},
        {"Softplus", {{"beta", 2.0}, {"threshold", 5.0}}, "2*x > 5 ? x : log1p(exp(2*x))/2", kBitsY, nullptr,
         [](double x) { return exp_overflows(2 * x); }, "As above with beta = 2, threshold 5 (switch at x = 2.5)."},
        {"Sigmoid", {}, "sigmoid(x)", kBits, nullptr, nullptr, "The language's sigmoid is torch.sigmoid."},
        {"Sigmoid", {}, "1 / (1 + exp(-x))", kBitsY, nullptr, [](double x) { return !(std::fabs(x) <= 9.0); },
         "y is the kernel's 1/(1 + exp(-x)) (Python's 1/t is t.reciprocal() * 1: the same bits). PyTorch's "
         "derivative comes from the rounded output, (1 - y)·y: beyond |x| ~ 9 its rounding exceeds 1e-12 of the "
         "result (0 for x > 36.7), while the formula's chain keeps the digits (and gives NaN at x <= -710, where "
         "exp's backward gets -0·inf)."},
        {"Tanh", {}, "tanh(x)", kBits, nullptr, nullptr, "The language's tanh is the built-in's (core/tanh_math.hpp)."},
        {"Tanh", {}, "-sign(x) * expm1(-2*abs(x)) / (2 + expm1(-2*abs(x)))", kClose, nullptr,
         [](double x) { return x == 0.0 || !(std::fabs(x) <= 4.0); },
         "tanh through expm1 of -2|x| (accurate near 0, never overflows). At x = ±0 sign′ = 0 and sign(0) = 0 give "
         "slope 0 (Tanh: 1). PyTorch's derivative 1 - y² comes from the rounded output: beyond |x| ~ 4.5 that rounding "
         "is more than 1e-12 of it (4.75: 1.1e-12), and from |x| ~ 19 it is exactly 0."},
        {"Softsign", {}, "x / (1 + abs(x))", kBits, nullptr, nullptr,
         "F.softsign is this expression: the quotient rule's two paths, -grad·((x/o)/o)·sgn(x) for the denominator."},
        {"LogSigmoid", {}, "min(x, 0) - log1p(exp(-abs(x)))", kBitsY, nullptr, nullptr,
         "ATen's log_sigmoid forward written out; at 0 minimum's tie (0.5) and abs′(0) = 0 give PyTorch's 0.5."},
        {"Hardtanh", {}, "clamp(x, -1, 1)", kBits, nullptr, [](double x) { return x == -1.0 || x == 1.0 || std::isnan(x); },
         "clamp passes the gradient at its bounds and gives 0 at NaN; Hardtanh's backward is 0 at both bounds "
         "and 1 at NaN."},
        {"Hardtanh", {{"min_val", -2.0}, {"max_val", 3.0}}, "clamp(x, -2, 3)", kBits, nullptr,
         [](double x) { return x == -2.0 || x == 3.0 || std::isnan(x); }, "As above on [-2, 3]."},
        {"Hardsigmoid", {}, "clamp(x + 3, 0, 6) / 6", kBits, nullptr,
         [](double x) { return x + 3.0 >= 0.0 && x + 3.0 <= 6.0; },
         "y is the kernel's arithmetic. Where clamp passes the gradient (0 <= x + 3 <= 6) the formula's slope is "
         "the double 1/6, the built-in's PyTorch's float constant 1.0f/6.0f = 0.1666666716337204 (and 0 at the "
         "bounds): a 3e-8 difference, checked exactly in its own test below."},
        {"Hardshrink", {}, "abs(x) <= 0.5 ? 0 : x", kBits, nullptr, nullptr, "The closed interval [-λ, λ] maps to 0."},
        {"Hardshrink", {{"lambd", 1.0}}, "abs(x) <= 1 ? 0 : x", kBits, nullptr, nullptr, "As above, λ = 1."},
        {"Softshrink", {}, "x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0", kBits, nullptr,
         [](double x) { return std::isnan(x); },
         "The forward's tests send NaN to 0 in both; PyTorch's backward tests the interval [-λ, λ] instead, so "
         "NaN (outside it) gets slope 1 there and 0 from the conditional."},
        {"Tanhshrink", {}, "x - tanh(x)", kBits, nullptr, nullptr,
         "F.tanhshrink is this expression: 1 + (-1)·(1 - t²), tanh's fused backward."},
        {"Threshold", {{"threshold", 0.1}, {"value", 20.0}}, "x <= 0.1 ? 20 : x", kBits, nullptr, nullptr,
         "x <= threshold takes the value; NaN passes through with slope 1."},
        {"LinearActivation", {}, "x", kBits, nullptr, nullptr, "c = 1."},
        {"LinearActivation", {{"c", 2.5}}, "2.5 * x", kBits, nullptr, nullptr, "c·x, derivative c."},
        {"BinaryStep", {}, "x >= 0 ? 1 : 0", kBits, nullptr, nullptr,
         "A condition between constants: no gradient reaches x (0), as (x >= 0).double() in PyTorch."},
        {"Sine", {}, "sin(30 * x)", kBits, nullptr, nullptr, "torch.sin(w0 * x): cos(w0·x)·w0."},
        {"Sine", {{"w0", -2.0}}, "sin(-2 * x)", kBits, nullptr, nullptr, "As above, w0 = -2."},
    };
    return rows;
}

}  // namespace

TEST_CASE("formula built-ins: the table is complete (every elementwise activation has a row)") {
    std::set<std::string> names;
    for (const Row& r : table()) names.insert(r.name);
    for (const lab::FunctionSpec& f : lab::elementwise_specs()) {
        const std::string name = f.name;
        CAPTURE(name);
        CHECK(names.count(name) == 1);
    }
}

TEST_CASE("formula built-ins: each written form gives the built-in's values and derivatives") {
    const std::vector<double> x = grid();
    const std::size_t n = x.size();
    for (const Row& r : table()) {
        const std::string name = r.name, formula = r.formula, params = labtest::show(r.params.map), why = r.why;
        CAPTURE(name);
        CAPTURE(params);
        CAPTURE(formula);
        CAPTURE(why);
        std::vector<double> want_y(n), want_dy(n), y(n), dy(n);
        lab::evaluate_elementwise(r.name, r.params, x.data(), n, want_y.data(), want_dy.data());
        std::string error;
        try {
            const auto f = lab::formula::Formula::parse(formula);
            f.evaluate(f.values(), x.data(), n, y.data(), dy.data());
        } catch (const lab::Error& e) {
            error = e.what();
        }
        CHECK(error == "");
        if (!error.empty()) continue;
        int skipped_differ = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const labtest::Exact at{x[i]};
            CAPTURE(at);
            const bool sy = r.skip_y && r.skip_y(x[i]), sdy = r.skip_dy && r.skip_dy(x[i]);
            if (sy) skipped_differ += !labtest::close(y[i], want_y[i]);
            if (sdy) skipped_differ += !labtest::close(dy[i], want_dy[i]);
            const labtest::Exact got_y{y[i]}, want{want_y[i]}, got_dy{dy[i]}, want_d{want_dy[i]};
            CAPTURE(got_y);
            CAPTURE(want);
            CAPTURE(got_dy);
            CAPTURE(want_d);
            if (!sy) {
                INFO("y");
                CHECK(labtest::close(y[i], want_y[i]));
                if (r.bits != kClose) CHECK(same_bits(y[i], want_y[i]));
            }
            if (!sdy) {
                INFO("dy");
                CHECK(labtest::close(dy[i], want_dy[i]));
                if (r.bits == kBits) CHECK(same_bits(dy[i], want_dy[i]));
            }
        }
        if (r.skip_y || r.skip_dy) {
            INFO("an exclusion must leave out a point that really differs");
            CHECK(skipped_differ > 0);
        }
    }
}

TEST_CASE("formula built-ins: Hardsigmoid's slope is the double 1/6 in a formula, PyTorch's float 1/6 in the built-in") {
    const auto f = lab::formula::Formula::parse("clamp(x + 3, 0, 6) / 6");
    const std::vector<double> x = {-3.0, -1.0, 0.0, 2.5, 3.0};
    std::vector<double> y(x.size()), dy(x.size());
    f.evaluate(f.values(), x.data(), x.size(), y.data(), dy.data());
    const auto builtin = lab::evaluate_elementwise("Hardsigmoid", {}, x);
    const double float_sixth = static_cast<double>(1.0f / 6.0f);
    for (std::size_t i = 0; i < x.size(); ++i) {
        CAPTURE(x[i]);
        CHECK(dy[i] == 1.0 / 6.0);  // clamp passes the gradient on [0, 6], bounds included
        CHECK(builtin.dy[i] == (x[i] == -3.0 || x[i] == 3.0 ? 0.0 : float_sixth));
    }
}

namespace {

// Required keywords (Threshold has no defaults) for the calls by name.
std::string call(const lab::FunctionSpec& f, const std::string& arg) {
    std::string s = std::string(f.name) + "(" + arg;
    for (const lab::ParamSpec& p : f.params)
        if (p.required) s += ", " + std::string(p.name) + "=" + (std::string(p.name) == "value" ? "20" : "0.1");
    return s + ")";
}
Params required_params(const lab::FunctionSpec& f) {
    Params p;
    for (const lab::ParamSpec& s : f.params)
        if (s.required) p.map[s.name] = lab::Value::num(std::string(s.name) == "value" ? 20.0 : 0.1);
    return p;
}

void check_call(const std::string& formula, const std::map<std::string, double>& values, const char* name,
                const lab::ParamMap& params, double scale) {
    const std::vector<double> x = grid();
    const std::size_t n = x.size();
    std::vector<double> sx(n), want_y(n), want_dy(n), y(n), dy(n);
    for (std::size_t i = 0; i < n; ++i) sx[i] = scale * x[i];
    lab::evaluate_elementwise(name, params, sx.data(), n, want_y.data(), want_dy.data());
    std::string error;
    try {
        const auto f = lab::formula::Formula::parse(formula);
        f.evaluate(f.values(values), x.data(), n, y.data(), dy.data());
    } catch (const lab::Error& e) {
        error = e.what();
    }
    CHECK(error == "");
    if (!error.empty()) return;
    for (std::size_t i = 0; i < n; ++i) {
        const labtest::Exact at{x[i]}, got_y{y[i]}, got_dy{dy[i]}, want{want_y[i]}, want_d{scale * want_dy[i]};
        CAPTURE(at);
        CAPTURE(got_y);
        CAPTURE(want);
        CAPTURE(got_dy);
        CAPTURE(want_d);
        CHECK(same_bits(y[i], want_y[i]));
        CHECK(same_bits(dy[i], scale * want_dy[i]));  // scale is 1 or 2: exact
    }
}

}  // namespace

TEST_CASE("formula built-ins: a built-in called by name is the built-in, bit for bit") {
    for (const lab::FunctionSpec& f : lab::elementwise_specs()) {
        const std::string name = f.name;
        CAPTURE(name);
        const Params p = required_params(f);
        {
            const std::string formula = call(f, "x");
            CAPTURE(formula);
            check_call(formula, {}, f.name.c_str(), p, 1.0);
        }
        {
            // The chain rule through the call: d/dx f(2x) = 2·f′(2x), exact in binary.
            const std::string formula = call(f, "2*x");
            CAPTURE(formula);
            check_call(formula, {}, f.name.c_str(), p, 2.0);
        }
    }
    struct Keyworded {
        const char* formula;
        std::map<std::string, double> values;
        const char* name;
        Params params;
    };
    const std::vector<Keyworded> rows = {
        {"ELU(x, alpha=0.5)", {}, "ELU", {{"alpha", 0.5}}},
        {"ELU(x, alpha=a); a=0.5", {}, "ELU", {{"alpha", 0.5}}},
        {"ELU(x, alpha=a); a=0.5", {{"a", -1.5}}, "ELU", {{"alpha", -1.5}}},
        {"ELU(x, alpha=2*a)", {{"a", 0.25}}, "ELU", {{"alpha", 0.5}}},
        {"CELU(x, alpha=0.3)", {}, "CELU", {{"alpha", 0.3}}},
        {"SELU(x)", {}, "SELU", {}},
        {"Softplus(x, beta=2, threshold=5)", {}, "Softplus", {{"beta", 2.0}, {"threshold", 5.0}}},
        {"Softplus(x, beta=b); b=0.5", {}, "Softplus", {{"beta", 0.5}}},
        {"GELU(x, approximate='tanh')", {}, "GELU", {{"approximate", "tanh"}}},
        {"LeakyReLU(x, negative_slope=0.2)", {}, "LeakyReLU", {{"negative_slope", 0.2}}},
        {"PReLU(x, init=0.1)", {}, "PReLU", {{"init", 0.1}}},
        {"RReLU(x, lower=0.1, upper=0.3)", {}, "RReLU", {{"lower", 0.1}, {"upper", 0.3}}},
        {"Hardtanh(x, min_val=-2, max_val=3)", {}, "Hardtanh", {{"min_val", -2.0}, {"max_val", 3.0}}},
        {"Hardshrink(x, lambd=1)", {}, "Hardshrink", {{"lambd", 1.0}}},
        {"Softshrink(x, lambd=1)", {}, "Softshrink", {{"lambd", 1.0}}},
        {"Threshold(x, threshold=-1, value=-3)", {}, "Threshold", {{"threshold", -1.0}, {"value", -3.0}}},
        {"LinearActivation(x, c=-0.5)", {}, "LinearActivation", {{"c", -0.5}}},
        {"Sine(x, w0=2)", {}, "Sine", {{"w0", 2.0}}},
    };
    for (const auto& r : rows) {
        const std::string formula = r.formula;
        CAPTURE(formula);
        check_call(formula, r.values, r.name, r.params, 1.0);
    }
}
