// Specification tests for the activations, written by hand from PyTorch's documented and observed
// behaviour (1.13.1, float64): what each function returns, which side every kink belongs to, what
// happens at NaN, ±inf and extreme inputs, which parameters PyTorch rejects and with what words.
// The data-driven comparison with PyTorch lives in test_reference.cpp; these tests say the rules
// out loud, so a failure names the convention that broke.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "registry.hpp"

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Relative 1e-12 (not doctest's Approx): NaN matches NaN, infinities match exactly, 0 needs 0.
bool close(double actual, double expected) {
    if (std::isnan(expected)) return std::isnan(actual);
    if (std::isinf(expected)) return actual == expected;
    return std::fabs(actual - expected) <= 1e-12 * std::max(std::fabs(actual), std::fabs(expected));
}

struct Point {
    double y, dy;
};

Point at(const std::string& name, double x, const lab::ParamMap& params = {}) {
    const lab::ElementwiseResult r = lab::evaluate_elementwise(name, params, std::vector<double>{x});
    return Point{r.y[0], r.dy[0]};
}

lab::ParamMap num(const std::string& key, double v) { return {{key, lab::Value::num(v)}}; }
lab::ParamMap two(const std::string& k1, double v1, const std::string& k2, double v2) {
    return {{k1, lab::Value::num(v1)}, {k2, lab::Value::num(v2)}};
}
const lab::ParamMap kTanh{{"approximate", lab::Value::str("tanh")}};

std::string code(const std::string& name, const lab::ParamMap& params = {}) {
    return lab::torch_code(lab::resolve(lab::find_function(name), params));
}

}  // namespace

// y and dy of `name` at x (with params) must be (y, dy), each to a relative 1e-12.
#define EXPECT_AT(name, params, x, y_expected, dy_expected)   \
    do {                                                      \
        const double x_ = (x);                                \
        const Point p_ = at((name), x_, (params));            \
        CAPTURE(x_);                                          \
        CAPTURE(p_.y);                                        \
        CAPTURE(p_.dy);                                       \
        CHECK(close(p_.y, (y_expected)));                     \
        CHECK(close(p_.dy, (dy_expected)));                   \
    } while (false)

const lab::ParamMap kDefaults{};

// ================================================================== ReLU family
TEST_CASE("Identity") {
    SUBCASE("returns x with slope 1 everywhere") {
        for (double x : {-800.0, -1.5, 0.0, 2.0, 1e-300}) EXPECT_AT("Identity", kDefaults, x, x, 1.0);
    }
    SUBCASE("NaN and infinities pass through") {
        EXPECT_AT("Identity", kDefaults, kNaN, kNaN, 1.0);
        EXPECT_AT("Identity", kDefaults, kInfinity, kInfinity, 1.0);
    }
}

TEST_CASE("ReLU") {
    SUBCASE("positive side: y = x, slope 1") { EXPECT_AT("ReLU", kDefaults, 2.5, 2.5, 1.0); }
    SUBCASE("negative side: y = 0, slope 0") { EXPECT_AT("ReLU", kDefaults, -3.0, 0.0, 0.0); }
    SUBCASE("at the kink x=0 the derivative is 0") { EXPECT_AT("ReLU", kDefaults, 0.0, 0.0, 0.0); }
    SUBCASE("the smallest positive input already gets slope 1") {
        EXPECT_AT("ReLU", kDefaults, 5e-324, 5e-324, 1.0);
        EXPECT_AT("ReLU", kDefaults, -5e-324, 0.0, 0.0);
    }
    SUBCASE("NaN propagates and gets slope 1, because the backward tests output <= 0") {
        EXPECT_AT("ReLU", kDefaults, kNaN, kNaN, 1.0);
    }
    SUBCASE("infinities") {
        EXPECT_AT("ReLU", kDefaults, kInfinity, kInfinity, 1.0);
        EXPECT_AT("ReLU", kDefaults, -kInfinity, 0.0, 0.0);
    }
    SUBCASE("-0.0 stays -0.0 (clamp_min keeps it)") {
        const Point p = at("ReLU", -0.0);
        CHECK(p.y == 0.0);
        CHECK(std::signbit(p.y));
    }
}

TEST_CASE("ReLU6") {
    SUBCASE("identity strictly between 0 and 6") { EXPECT_AT("ReLU6", kDefaults, 3.5, 3.5, 1.0); }
    SUBCASE("at the lower corner x=0 the derivative is 0") { EXPECT_AT("ReLU6", kDefaults, 0.0, 0.0, 0.0); }
    SUBCASE("at the upper corner x=6 the derivative is 0") { EXPECT_AT("ReLU6", kDefaults, 6.0, 6.0, 0.0); }
    SUBCASE("just inside the corners the slope is 1") {
        EXPECT_AT("ReLU6", kDefaults, std::nextafter(6.0, 0.0), std::nextafter(6.0, 0.0), 1.0);
        EXPECT_AT("ReLU6", kDefaults, 1e-300, 1e-300, 1.0);
    }
    SUBCASE("saturated above 6 and below 0") {
        EXPECT_AT("ReLU6", kDefaults, 800.0, 6.0, 0.0);
        EXPECT_AT("ReLU6", kDefaults, -800.0, 0.0, 0.0);
        EXPECT_AT("ReLU6", kDefaults, kInfinity, 6.0, 0.0);
    }
    SUBCASE("NaN: value NaN, slope 1 (the scalar kernel's x <= 0 || x >= 6 is false)") {
        EXPECT_AT("ReLU6", kDefaults, kNaN, kNaN, 1.0);
    }
    SUBCASE("-0.0 stays -0.0 (clamp keeps it)") { CHECK(std::signbit(at("ReLU6", -0.0).y)); }
}

TEST_CASE("LeakyReLU") {
    SUBCASE("default negative_slope is 0.01") { EXPECT_AT("LeakyReLU", kDefaults, -2.0, -0.02, 0.01); }
    SUBCASE("positive side: y = x, slope 1") { EXPECT_AT("LeakyReLU", kDefaults, 3.0, 3.0, 1.0); }
    SUBCASE("at the kink x=0 the derivative is negative_slope") {
        EXPECT_AT("LeakyReLU", kDefaults, 0.0, 0.0, 0.01);
        EXPECT_AT("LeakyReLU", num("negative_slope", 0.2), 0.0, 0.0, 0.2);
    }
    SUBCASE("a negative slope is accepted and makes it non-monotonic") {
        EXPECT_AT("LeakyReLU", num("negative_slope", -0.5), -2.0, 1.0, -0.5);
    }
    SUBCASE("extremes stay finite; NaN takes the negative-side slope") {
        EXPECT_AT("LeakyReLU", kDefaults, -800.0, -8.0, 0.01);
        EXPECT_AT("LeakyReLU", kDefaults, -kInfinity, -kInfinity, 0.01);
        EXPECT_AT("LeakyReLU", kDefaults, kNaN, kNaN, 0.01);
    }
}

TEST_CASE("PReLU") {
    SUBCASE("one shared slope, initialised to 0.25") { EXPECT_AT("PReLU", kDefaults, -4.0, -1.0, 0.25); }
    SUBCASE("at the kink x=0 the derivative is the slope") { EXPECT_AT("PReLU", kDefaults, 0.0, 0.0, 0.25); }
    SUBCASE("init sets the slope") { EXPECT_AT("PReLU", num("init", 0.1), -3.0, -0.30000000000000004, 0.1); }
    SUBCASE("positive side: y = x, slope 1") { EXPECT_AT("PReLU", kDefaults, 1.5, 1.5, 1.0); }
    SUBCASE("num_parameters != 1 needs a channel dimension: a 1-D input raises PyTorch's error") {
        CHECK_THROWS_WITH_AS(at("PReLU", 1.0, num("num_parameters", 3)),
                             "Mismatch of parameter numbers and input channel size. Found parameter numbers = 3 "
                             "and channel size = 1.",
                             lab::Error);
        CHECK_THROWS_WITH_AS(at("PReLU", 1.0, num("num_parameters", 0)),
                             "Mismatch of parameter numbers and input channel size. Found parameter numbers = 0 "
                             "and channel size = 1.",
                             lab::Error);
    }
    SUBCASE("a negative count fails when the weight is created") {
        CHECK_THROWS_WITH_AS(at("PReLU", 1.0, num("num_parameters", -2)),
                             "Trying to create tensor with negative dimension -2: [-2]", lab::Error);
    }
}

TEST_CASE("RReLU") {
    const double mean_slope = (1.0 / 8.0 + 1.0 / 3.0) / 2;  // 11/48
    SUBCASE("evaluation mode: the negative slope is (lower + upper) / 2") {
        EXPECT_AT("RReLU", kDefaults, -1.0, -mean_slope, mean_slope);
        EXPECT_AT("RReLU", two("lower", 0.1, "upper", 0.3),
                  -2.0, -0.4, 0.2);
    }
    SUBCASE("at the kink x=0 the derivative is the mean slope") {
        EXPECT_AT("RReLU", kDefaults, 0.0, 0.0, mean_slope);
    }
    SUBCASE("positive side: y = x, slope 1") { EXPECT_AT("RReLU", kDefaults, 2.0, 2.0, 1.0); }
    SUBCASE("lower == upper is allowed, lower > upper is not") {
        EXPECT_AT("RReLU", two("lower", 0.2, "upper", 0.2), -1.0,
                  -0.2, 0.2);
        CHECK_THROWS_WITH_AS(
            at("RReLU", 1.0, two("lower", 0.5, "upper", 0.1)),
            "Lower bound should be less than or equal to the upper bound", lab::Error);
    }
    SUBCASE("the registry says it is evaluation mode, and the PyTorch code calls .eval()") {
        const lab::FunctionSpec& f = lab::find_function("RReLU");
        CHECK(std::string_view(f.summary).find("evaluation mode") != std::string::npos);
        CHECK(std::any_of(f.notes.begin(), f.notes.end(), [](const lab::Text& n) {
            return std::string_view(n).find("evaluation mode") != std::string::npos;
        }));
        CHECK(code("RReLU") == "nn.RReLU().eval()");
        CHECK(code("RReLU", num("lower", 0.2)) == "nn.RReLU(lower=0.2).eval()");
    }
}

TEST_CASE("Hardswish") {
    SUBCASE("zero below -3, identity above 3, x(x+3)/6 between") {
        EXPECT_AT("Hardswish", kDefaults, -4.0, 0.0, 0.0);
        EXPECT_AT("Hardswish", kDefaults, 4.0, 4.0, 1.0);
        EXPECT_AT("Hardswish", kDefaults, 1.0, 4.0 / 6.0, 1.0 / 3.0 + 0.5);
    }
    SUBCASE("at x=-3 the derivative is the middle formula's -0.5") {
        EXPECT_AT("Hardswish", kDefaults, -3.0, 0.0, -0.5);
    }
    SUBCASE("at x=3 the derivative is the middle formula's 1.5, not 1") {
        EXPECT_AT("Hardswish", kDefaults, 3.0, 3.0, 1.5);
    }
    SUBCASE("minimum -0.375 at x = -1.5, where the slope is 0") {
        EXPECT_AT("Hardswish", kDefaults, -1.5, -0.375, 0.0);
    }
    SUBCASE("-inf gives NaN (-inf * 0); NaN gets slope 1 from the scalar kernel") {
        EXPECT_AT("Hardswish", kDefaults, -kInfinity, kNaN, 0.0);
        EXPECT_AT("Hardswish", kDefaults, kNaN, kNaN, 1.0);
    }
}

// ================================================================== smooth / exponential
TEST_CASE("ELU") {
    SUBCASE("negative side: alpha * (e^x - 1), slope alpha * e^x") {
        EXPECT_AT("ELU", kDefaults, -1.0, std::exp(-1.0) - 1.0, std::exp(-1.0));
        EXPECT_AT("ELU", num("alpha", 2.0), -1.0, 2.0 * (std::exp(-1.0) - 1.0), 2.0 * std::exp(-1.0));
    }
    SUBCASE("at the kink x=0 the derivative is alpha (the exponential branch owns 0)") {
        EXPECT_AT("ELU", kDefaults, 0.0, 0.0, 1.0);
        EXPECT_AT("ELU", num("alpha", 0.5), 0.0, 0.0, 0.5);
    }
    SUBCASE("positive side: y = x, slope 1") { EXPECT_AT("ELU", num("alpha", 0.5), 2.0, 2.0, 1.0); }
    SUBCASE("saturates at -alpha with slope 0 for very negative inputs") {
        EXPECT_AT("ELU", kDefaults, -800.0, -1.0, 0.0);
        EXPECT_AT("ELU", kDefaults, -kInfinity, -1.0, 0.0);
    }
    SUBCASE("exp(x) - 1, not expm1: tiny negative inputs round to 0") {
        EXPECT_AT("ELU", kDefaults, -1e-300, 0.0, 1.0);
    }
    SUBCASE("NaN: value NaN, slope 1 from the scalar kernel (x <= 0 is false)") {
        EXPECT_AT("ELU", kDefaults, kNaN, kNaN, 1.0);
    }
}

TEST_CASE("CELU") {
    SUBCASE("alpha = 1 is ELU") {
        for (double x : {-2.0, -0.5, 0.0, 1.5}) {
            const Point c = at("CELU", x), e = at("ELU", x);
            CHECK(close(c.y, e.y));
            CHECK(close(c.dy, e.dy));
        }
    }
    SUBCASE("negative side: alpha * (e^(x/alpha) - 1)") {
        EXPECT_AT("CELU", num("alpha", 2.0), -2.0, 2.0 * (std::exp(-1.0) - 1.0), std::exp(-1.0));
    }
    SUBCASE("slope 1 on both sides of 0 for any float-exact alpha") {
        EXPECT_AT("CELU", num("alpha", 2.0), 0.0, 0.0, 1.0);
        EXPECT_AT("CELU", num("alpha", 0.5), 0.0, 0.0, 1.0);
    }
    SUBCASE("the derivative's 1/alpha is built from alpha rounded to float") {
        // PyTorch's derivative is elu_backward(..., input_scale = 1.0 / alpha.toFloat()).
        const double alpha = 0.3;
        const double inv_f = 1.0 / static_cast<double>(static_cast<float>(alpha));
        EXPECT_AT("CELU", num("alpha", alpha), 0.0, 0.0, inv_f * alpha);
        CHECK(at("CELU", 0.0, num("alpha", alpha)).dy != 1.0);
        EXPECT_AT("CELU", num("alpha", alpha), -1.0, alpha * (std::exp(-1.0 / alpha) - 1.0),
                  inv_f * alpha * std::exp(-1.0 * inv_f));
    }
    SUBCASE("alpha = 0 is rejected") {
        CHECK_THROWS_WITH_AS(at("CELU", 1.0, num("alpha", 0.0)), "ZeroDivisionError: alpha cannot be 0 for CELU",
                             lab::Error);
    }
    SUBCASE("alpha beyond float's range cannot be differentiated") {
        CHECK_THROWS_WITH_AS(at("CELU", 1.0, num("alpha", 1e39)),
                             "value cannot be converted to type float without overflow", lab::Error);
    }
}

TEST_CASE("SELU") {
    const double alpha = 1.6732632423543772848170429916717, scale = 1.0507009873554804934193349852946;
    SUBCASE("positive side: scale * x, slope scale") { EXPECT_AT("SELU", kDefaults, 2.0, scale * 2.0, scale); }
    SUBCASE("negative side: scale * alpha * (e^x - 1)") {
        EXPECT_AT("SELU", kDefaults, -1.0, alpha * scale * (std::exp(-1.0) - 1.0), alpha * scale * std::exp(-1.0));
    }
    SUBCASE("at the kink x=0 the derivative is scale * alpha ≈ 1.758") {
        EXPECT_AT("SELU", kDefaults, 0.0, 0.0, alpha * scale);
    }
    SUBCASE("saturates at -scale * alpha") { EXPECT_AT("SELU", kDefaults, -800.0, -alpha * scale, 0.0); }
    SUBCASE("its constants are fixed: no parameters") { CHECK(lab::find_function("SELU").params.empty()); }
}

TEST_CASE("GELU") {
    SUBCASE("exact form: x * Phi(x)") {
        const double phi1 = 0.5 * (1.0 + std::erf(1.0 / std::sqrt(2.0)));
        const double pdf1 = std::exp(-0.5) / std::sqrt(2.0 * std::numbers::pi);
        EXPECT_AT("GELU", kDefaults, 1.0, phi1, phi1 + pdf1);
    }
    SUBCASE("at x=0: value 0, slope 1/2, in both forms") {
        EXPECT_AT("GELU", kDefaults, 0.0, 0.0, 0.5);
        EXPECT_AT("GELU", kTanh, 0.0, 0.0, 0.5);
    }
    SUBCASE("tanh form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))") {
        const double inner = std::sqrt(2.0 / std::numbers::pi) * (1.0 + 0.044715);
        const double t = std::tanh(inner);
        const double dy =
            0.5 * (1.0 + t) + 0.5 * (1.0 - t * t) * std::sqrt(2.0 / std::numbers::pi) * (1.0 + 3 * 0.044715);
        EXPECT_AT("GELU", kTanh, 1.0, 0.5 * (1.0 + t), dy);
    }
    SUBCASE("the two forms differ by less than 1e-3") {
        for (double x = -6.0; x <= 6.0; x += 0.25) {
            const Point e = at("GELU", x), t = at("GELU", x, kTanh);
            CAPTURE(x);
            CHECK(std::fabs(e.y - t.y) < 1e-3);
        }
    }
    SUBCASE("far tails: 0 below, identity above") {
        EXPECT_AT("GELU", kDefaults, -800.0, 0.0, 0.0);
        EXPECT_AT("GELU", kDefaults, 800.0, 800.0, 1.0);
        EXPECT_AT("GELU", kTanh, 800.0, 800.0, 1.0);
    }
    SUBCASE("an unknown approximate is rejected in PyTorch's words") {
        CHECK_THROWS_WITH_AS(at("GELU", 1.0, (lab::ParamMap{{"approximate", lab::Value::str("fast")}})),
                             "approximate argument must be either none or tanh.", lab::Error);
    }
    SUBCASE("-inf gives NaN (-inf * 0)") { EXPECT_AT("GELU", kDefaults, -kInfinity, kNaN, kNaN); }
}

TEST_CASE("SiLU") {
    SUBCASE("x * sigmoid(x), slope sigmoid(x) (1 + x (1 - sigmoid(x)))") {
        const double s = 1.0 / (1.0 + std::exp(-2.0));
        EXPECT_AT("SiLU", kDefaults, 2.0, 2.0 * s, s * (1.0 + 2.0 * (1.0 - s)));
    }
    SUBCASE("at x=0: value 0, slope 1/2") { EXPECT_AT("SiLU", kDefaults, 0.0, 0.0, 0.5); }
    SUBCASE("extremes: 0 far left, identity far right, all finite") {
        EXPECT_AT("SiLU", kDefaults, -800.0, 0.0, 0.0);
        EXPECT_AT("SiLU", kDefaults, 800.0, 800.0, 1.0);
    }
}

TEST_CASE("Mish") {
    SUBCASE("x * tanh(softplus(x))") {
        const double ts = std::tanh(std::log1p(std::exp(1.0)));
        const double s = 1.0 / (1.0 + std::exp(-1.0));
        EXPECT_AT("Mish", kDefaults, 1.0, ts, ts + s * (1.0 - ts * ts));
    }
    SUBCASE("at x=0: value 0, slope 0.6") { EXPECT_AT("Mish", kDefaults, 0.0, 0.0, 0.6); }
    SUBCASE("at large |x| it stays finite: identity on the right, 0 on the left") {
        EXPECT_AT("Mish", kDefaults, 800.0, 800.0, 1.0);  // exp overflows, tanh(inf) = 1
        EXPECT_AT("Mish", kDefaults, 40.0, 40.0, 1.0);
        EXPECT_AT("Mish", kDefaults, -800.0, 0.0, 0.0);
    }
}

TEST_CASE("Softplus") {
    SUBCASE("log(1 + e^x) with the defaults beta=1, threshold=20") {
        EXPECT_AT("Softplus", kDefaults, 0.0, std::log(2.0), 0.5);
        EXPECT_AT("Softplus", kDefaults, 1.0, std::log1p(std::exp(1.0)), std::exp(1.0) / (std::exp(1.0) + 1.0));
    }
    SUBCASE("at beta*x == threshold the log formula is still used") {
        const double z = std::exp(20.0);
        EXPECT_AT("Softplus", kDefaults, 20.0, std::log1p(z), z / (z + 1.0));
        CHECK(at("Softplus", 20.0).y != 20.0);
    }
    SUBCASE("above the threshold the output is x itself, slope exactly 1") {
        const double x = std::nextafter(20.0, 21.0);
        EXPECT_AT("Softplus", kDefaults, x, x, 1.0);
        EXPECT_AT("Softplus", kDefaults, 800.0, 800.0, 1.0);
    }
    SUBCASE("beta scales the switch point: beta=2, threshold=5 switches above x = 2.5") {
        const lab::ParamMap p = two("beta", 2.0, "threshold", 5.0);
        const double z = std::exp(5.0);
        EXPECT_AT("Softplus", p, 2.5, std::log1p(z) / 2.0, z / (z + 1.0));
        EXPECT_AT("Softplus", p, 3.0, 3.0, 1.0);
    }
    SUBCASE("very negative inputs give 0 with slope 0, not NaN") {
        EXPECT_AT("Softplus", kDefaults, -800.0, 0.0, 0.0);
        EXPECT_AT("Softplus", kDefaults, -kInfinity, 0.0, 0.0);
    }
    SUBCASE("beta = 0 is not validated: log(2)/0 = inf, slope 1/2") {
        EXPECT_AT("Softplus", num("beta", 0.0), 1.0, kInfinity, 0.5);
    }
}

// ================================================================== sigmoid-like
TEST_CASE("Sigmoid") {
    SUBCASE("1 / (1 + e^-x), slope from the output: s (1 - s)") {
        const double s = 1.0 / (1.0 + std::exp(-2.0));
        EXPECT_AT("Sigmoid", kDefaults, 2.0, s, (1.0 - s) * s);
    }
    SUBCASE("at x=0: value 1/2, the largest slope 1/4") { EXPECT_AT("Sigmoid", kDefaults, 0.0, 0.5, 0.25); }
    SUBCASE("saturates to 0 and 1 with slope 0") {
        EXPECT_AT("Sigmoid", kDefaults, -800.0, 0.0, 0.0);
        EXPECT_AT("Sigmoid", kDefaults, 800.0, 1.0, 0.0);
        EXPECT_AT("Sigmoid", kDefaults, kInfinity, 1.0, 0.0);
    }
    SUBCASE("steep between -2 and 2, nearly flat outside") {
        CHECK(at("Sigmoid", 2.0).dy > 0.1);
        CHECK(at("Sigmoid", 6.0).dy < 0.0025);
    }
}

TEST_CASE("Tanh") {
    SUBCASE("zero-centred: tanh(0) = 0, slope 1") { EXPECT_AT("Tanh", kDefaults, 0.0, 0.0, 1.0); }
    SUBCASE("odd function with slope 1 - tanh^2") {
        const Point p = at("Tanh", 1.0), m = at("Tanh", -1.0);
        CHECK(close(p.y, std::tanh(1.0)));
        CHECK(close(m.y, -p.y));
        CHECK(close(p.dy, 1.0 - std::tanh(1.0) * std::tanh(1.0)));
        CHECK(close(m.dy, p.dy));
    }
    SUBCASE("saturates at ±1 with slope 0") {
        EXPECT_AT("Tanh", kDefaults, 800.0, 1.0, 0.0);
        EXPECT_AT("Tanh", kDefaults, -kInfinity, -1.0, 0.0);
    }
    SUBCASE("tanh(x) = 2 sigmoid(2x) - 1") {
        CHECK(close(at("Tanh", 0.7).y, 2.0 * at("Sigmoid", 1.4).y - 1.0));
    }
}

TEST_CASE("Softsign") {
    SUBCASE("x / (1 + |x|), slope 1 / (1 + |x|)^2") {
        EXPECT_AT("Softsign", kDefaults, 3.0, 0.75, 0.0625);
        EXPECT_AT("Softsign", kDefaults, -3.0, -0.75, 0.0625);
    }
    SUBCASE("at x=0 the slope is 1 (sgn(0) = 0 drops the |x| path)") {
        EXPECT_AT("Softsign", kDefaults, 0.0, 0.0, 1.0);
    }
    SUBCASE("polynomial tails: still a visible slope at x = 800") {
        EXPECT_AT("Softsign", kDefaults, 800.0, 800.0 / 801.0, 1.0 / (801.0 * 801.0));
    }
    SUBCASE("±inf gives NaN (inf / inf)") {
        EXPECT_AT("Softsign", kDefaults, kInfinity, kNaN, kNaN);
        EXPECT_AT("Softsign", kDefaults, -kInfinity, kNaN, kNaN);
    }
}

TEST_CASE("LogSigmoid") {
    SUBCASE("log sigmoid(x), slope 1 - sigmoid(x)") {
        EXPECT_AT("LogSigmoid", kDefaults, 0.0, -std::log(2.0), 0.5);
        EXPECT_AT("LogSigmoid", kDefaults, 1.0, -std::log1p(std::exp(-1.0)), 1.0 - 1.0 / (1.0 + std::exp(-1.0)));
    }
    SUBCASE("stable at -800: the value is -800 (not -inf) and the slope 1") {
        EXPECT_AT("LogSigmoid", kDefaults, -800.0, -800.0, 1.0);
        EXPECT_AT("LogSigmoid", kDefaults, -kInfinity, -kInfinity, 1.0);
    }
    SUBCASE("0 with slope 0 for very positive inputs") { EXPECT_AT("LogSigmoid", kDefaults, 800.0, 0.0, 0.0); }
}

TEST_CASE("Hardtanh") {
    SUBCASE("identity strictly inside [-1, 1]") { EXPECT_AT("Hardtanh", kDefaults, 0.5, 0.5, 1.0); }
    SUBCASE("at x == min_val the derivative is 0") { EXPECT_AT("Hardtanh", kDefaults, -1.0, -1.0, 0.0); }
    SUBCASE("at x == max_val the derivative is 0") { EXPECT_AT("Hardtanh", kDefaults, 1.0, 1.0, 0.0); }
    SUBCASE("custom range clips at min_val and max_val") {
        const lab::ParamMap p = two("min_val", -2.0, "max_val", 3.0);
        EXPECT_AT("Hardtanh", p, 3.0, 3.0, 0.0);
        EXPECT_AT("Hardtanh", p, -2.0, -2.0, 0.0);
        EXPECT_AT("Hardtanh", p, 5.0, 3.0, 0.0);
        EXPECT_AT("Hardtanh", p, 2.5, 2.5, 1.0);
    }
    SUBCASE("NaN: value NaN, slope 1 from the scalar kernel") { EXPECT_AT("Hardtanh", kDefaults, kNaN, kNaN, 1.0); }
    SUBCASE("max_val must exceed min_val") {
        CHECK_THROWS_AS(at("Hardtanh", 0.0, two("min_val", 1.0, "max_val", 1.0)),
                        lab::Error);
        CHECK_THROWS_AS(at("Hardtanh", 0.0, two("min_val", 2.0, "max_val", -1.0)),
                        lab::Error);
    }
}

TEST_CASE("Hardsigmoid") {
    SUBCASE("x/6 + 1/2 inside (-3, 3), with PyTorch's float constant 1.0f/6.0f as the slope") {
        const double one_sixth_f = static_cast<double>(1.0f / 6.0f);
        EXPECT_AT("Hardsigmoid", kDefaults, 1.0, 4.0 / 6.0, one_sixth_f);
        EXPECT_AT("Hardsigmoid", kDefaults, 0.0, 0.5, 0.1666666716337204);
        CHECK(at("Hardsigmoid", 0.0).dy != 1.0 / 6.0);
    }
    SUBCASE("at x = -3 and x = 3 the derivative is 0") {
        EXPECT_AT("Hardsigmoid", kDefaults, -3.0, 0.0, 0.0);
        EXPECT_AT("Hardsigmoid", kDefaults, 3.0, 1.0, 0.0);
    }
    SUBCASE("saturated outside") {
        EXPECT_AT("Hardsigmoid", kDefaults, -800.0, 0.0, 0.0);
        EXPECT_AT("Hardsigmoid", kDefaults, 800.0, 1.0, 0.0);
    }
    SUBCASE("NaN: value NaN, slope 0 (x > -3 && x < 3 is false)") {
        EXPECT_AT("Hardsigmoid", kDefaults, kNaN, kNaN, 0.0);
    }
}

// ================================================================== shrinkage / threshold
TEST_CASE("Hardshrink") {
    SUBCASE("passes x outside [-lambd, lambd] with slope 1") {
        EXPECT_AT("Hardshrink", kDefaults, 0.75, 0.75, 1.0);
        EXPECT_AT("Hardshrink", kDefaults, -2.0, -2.0, 1.0);
    }
    SUBCASE("at x = ±lambd the output is 0 and the derivative 0") {
        EXPECT_AT("Hardshrink", kDefaults, 0.5, 0.0, 0.0);
        EXPECT_AT("Hardshrink", kDefaults, -0.5, 0.0, 0.0);
    }
    SUBCASE("just outside ±lambd the full value jumps in") {
        const double x = std::nextafter(0.5, 1.0);
        EXPECT_AT("Hardshrink", kDefaults, x, x, 1.0);
    }
    SUBCASE("lambd is not validated: a negative lambd is the identity") {
        EXPECT_AT("Hardshrink", num("lambd", -1.0), 0.0, 0.0, 1.0);
    }
    SUBCASE("NaN: value NaN, slope 1 from the scalar kernel") {
        EXPECT_AT("Hardshrink", kDefaults, kNaN, kNaN, 1.0);
    }
}

TEST_CASE("Softshrink") {
    SUBCASE("shifts by lambd outside the band, slope 1") {
        EXPECT_AT("Softshrink", kDefaults, 0.75, 0.25, 1.0);
        EXPECT_AT("Softshrink", kDefaults, -0.75, -0.25, 1.0);
    }
    SUBCASE("at x = ±lambd the output is 0 and the derivative 0") {
        EXPECT_AT("Softshrink", kDefaults, 0.5, 0.0, 0.0);
        EXPECT_AT("Softshrink", kDefaults, -0.5, 0.0, 0.0);
    }
    SUBCASE("NaN falls through both comparisons: value 0, slope 1 from the scalar kernel") {
        EXPECT_AT("Softshrink", kDefaults, kNaN, 0.0, 1.0);
    }
    SUBCASE("negative lambd is rejected in PyTorch's words") {
        CHECK_THROWS_WITH_AS(at("Softshrink", 1.0, num("lambd", -0.5)),
                             "lambda must be greater or equal to 0, but found to be -0.5.", lab::Error);
    }
    SUBCASE("lambd = 0 is the identity") { EXPECT_AT("Softshrink", num("lambd", 0.0), 0.0, 0.0, 0.0); }
}

TEST_CASE("Tanhshrink") {
    SUBCASE("x - tanh(x), slope tanh(x)^2") {
        const double t = std::tanh(1.0);
        EXPECT_AT("Tanhshrink", kDefaults, 1.0, 1.0 - t, t * t);
    }
    SUBCASE("flat at the origin: value 0, slope 0") { EXPECT_AT("Tanhshrink", kDefaults, 0.0, 0.0, 0.0); }
    SUBCASE("x ∓ 1 far away, slope 1") {
        EXPECT_AT("Tanhshrink", kDefaults, 800.0, 799.0, 1.0);
        EXPECT_AT("Tanhshrink", kDefaults, -800.0, -799.0, 1.0);
    }
}

TEST_CASE("Threshold") {
    const lab::ParamMap p = two("threshold", 0.5, "value", -2.0);
    SUBCASE("above the threshold: y = x, slope 1") { EXPECT_AT("Threshold", p, 0.6, 0.6, 1.0); }
    SUBCASE("at x == threshold the value is replaced and the derivative is 0") {
        EXPECT_AT("Threshold", p, 0.5, -2.0, 0.0);
    }
    SUBCASE("below: the replacement value, slope 0") { EXPECT_AT("Threshold", p, -800.0, -2.0, 0.0); }
    SUBCASE("NaN is not <= threshold: it passes with slope 1") { EXPECT_AT("Threshold", p, kNaN, kNaN, 1.0); }
    SUBCASE("both arguments are required") {
        CHECK_THROWS_WITH_AS(at("Threshold", 1.0),
                             "Threshold.__init__() missing 2 required positional arguments: 'threshold' and 'value'",
                             lab::Error);
        CHECK_THROWS_WITH_AS(at("Threshold", 1.0, num("threshold", 0.1)),
                             "Threshold.__init__() missing 1 required positional argument: 'value'", lab::Error);
    }
    SUBCASE("Threshold(0, 0) is ReLU") {
        const lab::ParamMap relu = two("threshold", 0.0, "value", 0.0);
        for (double x : {-1.0, 0.0, 2.0}) {
            const Point t = at("Threshold", x, relu), r = at("ReLU", x);
            CHECK(close(t.y, r.y));
            CHECK(close(t.dy, r.dy));
        }
    }
}

// ================================================================== not in torch.nn
TEST_CASE("LinearActivation") {
    SUBCASE("y = c x with the constant slope c") {
        EXPECT_AT("LinearActivation", kDefaults, -3.0, -3.0, 1.0);
        EXPECT_AT("LinearActivation", num("c", 2.5), 2.0, 5.0, 2.5);
        EXPECT_AT("LinearActivation", num("c", 2.5), -800.0, -2000.0, 2.5);
    }
    SUBCASE("two linear activations compose into one: c1 (c2 x) = (c1 c2) x") {
        const double x = 1.75;
        const double twice = at("LinearActivation", at("LinearActivation", x, num("c", 3.0)).y, num("c", -0.5)).y;
        CHECK(close(twice, at("LinearActivation", x, num("c", -1.5)).y));
    }
    SUBCASE("PyTorch code") { CHECK(code("LinearActivation", num("c", 2.5)) == "2.5 * x"); }
}

TEST_CASE("BinaryStep") {
    SUBCASE("1 for x >= 0 (including 0), else 0") {
        EXPECT_AT("BinaryStep", kDefaults, 0.0, 1.0, 0.0);
        EXPECT_AT("BinaryStep", kDefaults, -0.0, 1.0, 0.0);
        EXPECT_AT("BinaryStep", kDefaults, 2.0, 1.0, 0.0);
        EXPECT_AT("BinaryStep", kDefaults, -1e-300, 0.0, 0.0);
    }
    SUBCASE("the derivative is 0 everywhere, so gradient descent gets no signal") {
        for (double x : {-800.0, -1.0, 0.0, 1.0, 800.0}) CHECK(at("BinaryStep", x).dy == 0.0);
    }
    SUBCASE("NaN is not >= 0") { EXPECT_AT("BinaryStep", kDefaults, kNaN, 0.0, 0.0); }
    SUBCASE("PyTorch code") { CHECK(code("BinaryStep") == "(x >= 0).double()"); }
}

TEST_CASE("Sine") {
    SUBCASE("sin(w0 x) with SIREN's default w0 = 30, slope w0 cos(w0 x)") {
        EXPECT_AT("Sine", kDefaults, 0.1, std::sin(3.0), std::cos(3.0) * 30.0);
        EXPECT_AT("Sine", kDefaults, 0.0, 0.0, 30.0);
    }
    SUBCASE("w0 sets the frequency") { EXPECT_AT("Sine", num("w0", 1.0), 0.5, std::sin(0.5), std::cos(0.5)); }
    SUBCASE("PyTorch code") {
        CHECK(code("Sine") == "torch.sin(30.0 * x)");
        CHECK(code("Sine", num("w0", 2.0)) == "torch.sin(2.0 * x)");
    }
}

// ================================================================== rounding, PyTorch's way
// PyTorch's AVX2 kernels are compiled with FMA enabled, and GCC fuses a*b + c into one rounding.
// Where a derivative cancels (1 - y*y near |y| = 1), that single rounding decides the digits.
// Expected values are PyTorch 1.13.1's own, for these exact inputs.
TEST_CASE("derivatives round like PyTorch's build, where cancellation makes it visible") {
    SUBCASE("Tanh: 1 - y*y is one fused multiply-add") {
        EXPECT_AT("Tanh", kDefaults, -9.704251456098605, -0.9999999925522639, 1.4895472133556099e-08);
    }
    SUBCASE("GELU tanh form: fused inner polynomial and 1 - tanh^2") {
        EXPECT_AT("GELU", kTanh, -5.342776739148082, -1.9901220098182816e-08, -1.4963979246068393e-07);
    }
    SUBCASE("Mish: fused 1 - ts^2 and the final multiply-add") {
        EXPECT_AT("Mish", kDefaults, -1.1923433235949137, -0.30884341198614257, 2.3463879452498556e-05);
    }
    SUBCASE("CELU: the float-rounded 1/alpha, amplified by the exponential far out") {
        EXPECT_AT("CELU", num("alpha", 0.3), -190.87033461104042, -0.3, 4.862959960212158e-277);
    }
}

// ================================================================== the elementwise table
// Loops over the table use plain blocks, not SUBCASEs (doctest re-runs a test case per subcase).
TEST_CASE("every elementwise activation: groups, notes, extremes, arrays, empty input") {
    const std::vector<std::string> groups{"ReLU family", "Smooth / exponential", "Sigmoid-like",
                                          "Shrinkage / threshold", "Not in torch.nn"};
    std::vector<double> grid;
    for (int i = -40; i <= 40; ++i) grid.push_back(i / 4.0);
    for (const auto& f : lab::elementwise_specs()) {
        CAPTURE(f.name);
        const lab::ParamMap params = f.name == "Threshold" ? two("threshold", 0.1, "value", 20.0) : lab::ParamMap{};
        // sits in one of the lab's groups, with 2 to 5 notes
        CHECK(std::find(groups.begin(), groups.end(), f.group) != groups.end());
        CHECK(f.notes.size() >= 2);
        CHECK(f.notes.size() <= 5);
        CHECK((f.group == "Not in torch.nn") == !f.in_torch_nn);
        // stays finite at ±800 and ±1e-300, as PyTorch does for every one of them
        for (double x : {800.0, -800.0, 1e-300, -1e-300}) {
            CAPTURE(x);
            const Point p = at(f.name, x, params);
            CHECK(std::isfinite(p.y));
            CHECK(std::isfinite(p.dy));
        }
        // a whole array gives what each element gives alone
        const lab::ElementwiseResult r = lab::evaluate_elementwise(f.name, params, grid);
        REQUIRE(r.y.size() == grid.size());
        REQUIRE(r.dy.size() == grid.size());
        for (std::size_t i = 0; i < grid.size(); ++i) {
            const Point p = at(f.name, grid[i], params);
            CHECK(close(r.y[i], p.y));
            CHECK(close(r.dy[i], p.dy));
        }
        // an empty input gives an empty output
        const lab::ElementwiseResult e = lab::evaluate_elementwise(f.name, params, {});
        CHECK(e.y.empty());
        CHECK(e.dy.empty());
    }
}

// ================================================================== vector functions
namespace {

lab::VectorResult vec(const std::string& name, const std::vector<double>& x, const lab::ParamMap& params = {}) {
    return lab::evaluate_vector(name, params, x);
}

// Jacobian entry d y[i] / d x[j] (rows = outputs).
double J(const lab::VectorResult& r, std::size_t i, std::size_t j) {
    return r.jacobian[i * (r.jacobian.size() / r.y.size()) + j];
}

}  // namespace

TEST_CASE("Softmax") {
    const std::vector<double> x{1.0, 2.0, 3.0};
    SUBCASE("a probability distribution: positive entries summing to 1") {
        const lab::VectorResult r = vec("Softmax", x);
        REQUIRE(r.y.size() == 3);
        double sum = 0.0;
        for (double v : r.y) {
            CHECK(v > 0.0);
            sum += v;
        }
        CHECK(close(sum, 1.0));
        const double z = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
        CHECK(close(r.y[2], std::exp(3.0) / z));
    }
    SUBCASE("Jacobian is diag(s) - s s^T: symmetric, rows summing to 0") {
        const lab::VectorResult r = vec("Softmax", x);
        REQUIRE(r.jacobian.size() == 9);
        for (std::size_t i = 0; i < 3; ++i) {
            double row = 0.0;
            for (std::size_t j = 0; j < 3; ++j) {
                CAPTURE(i);
                CAPTURE(j);
                CHECK(close(J(r, i, j), (i == j ? r.y[i] : 0.0) - r.y[i] * r.y[j]));
                CHECK(close(J(r, i, j), J(r, j, i)));
                row += J(r, i, j);
            }
            CHECK(std::fabs(row) < 1e-15);
        }
    }
    SUBCASE("adding a constant changes nothing, and 800 does not overflow (max is subtracted)") {
        const lab::VectorResult a = vec("Softmax", {0.0, -1.0}), b = vec("Softmax", {800.0, 799.0});
        CHECK(close(a.y[0], b.y[0]));
        CHECK(close(b.y[0], 1.0 / (1.0 + std::exp(-1.0))));
        CHECK(close(b.y[1], 0.26894142136999516));
    }
    SUBCASE("-inf entries get probability 0") {
        const lab::VectorResult r = vec("Softmax", {-kInfinity, 0.0});
        CHECK(r.y[0] == 0.0);
        CHECK(r.y[1] == 1.0);
    }
    SUBCASE("dim None, 0 and -1 agree; any other dim is out of range for a 1-D input") {
        const lab::VectorResult a = vec("Softmax", x, num("dim", 0));
        const lab::VectorResult b = vec("Softmax", x, num("dim", -1));
        const lab::VectorResult c = vec("Softmax", x);
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK(a.y[i] == c.y[i]);
            CHECK(b.y[i] == c.y[i]);
        }
        CHECK_THROWS_WITH_AS(vec("Softmax", x, num("dim", 1)),
                             "Dimension out of range (expected to be in range of [-1, 0], but got 1)", lab::Error);
        CHECK_THROWS_WITH_AS(vec("Softmax", x, num("dim", -2)),
                             "Dimension out of range (expected to be in range of [-1, 0], but got -2)", lab::Error);
    }
}

TEST_CASE("Softmin") {
    const std::vector<double> x{1.0, 2.0, 3.0};
    SUBCASE("softmax of -x: the smallest entry gets the largest weight") {
        const lab::VectorResult r = vec("Softmin", x), s = vec("Softmax", {-1.0, -2.0, -3.0});
        for (std::size_t i = 0; i < 3; ++i) CHECK(close(r.y[i], s.y[i]));
        CHECK(r.y[0] > r.y[2]);
    }
    SUBCASE("Jacobian is minus softmax's Jacobian at -x") {
        const lab::VectorResult r = vec("Softmin", x), s = vec("Softmax", {-1.0, -2.0, -3.0});
        for (std::size_t k = 0; k < 9; ++k) CHECK(close(r.jacobian[k], -s.jacobian[k]));
    }
    SUBCASE("dim out of range") {
        CHECK_THROWS_WITH_AS(vec("Softmin", x, num("dim", 1)),
                             "Dimension out of range (expected to be in range of [-1, 0], but got 1)", lab::Error);
    }
}

TEST_CASE("LogSoftmax") {
    const std::vector<double> x{1.0, 2.0, 3.0};
    SUBCASE("exp of it is softmax") {
        const lab::VectorResult r = vec("LogSoftmax", x), s = vec("Softmax", x);
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK(r.y[i] < 0.0);
            CHECK(close(std::exp(r.y[i]), s.y[i]));
        }
    }
    SUBCASE("Jacobian is I - 1 softmax^T") {
        const lab::VectorResult r = vec("LogSoftmax", x), s = vec("Softmax", x);
        for (std::size_t i = 0; i < 3; ++i)
            for (std::size_t j = 0; j < 3; ++j) CHECK(close(J(r, i, j), (i == j ? 1.0 : 0.0) - s.y[j]));
    }
    SUBCASE("(x - max) - log(sum) keeps the digits of large, nearly equal inputs") {
        const lab::VectorResult r = vec("LogSoftmax", {1e10, 1e10 + 1});
        CHECK(close(r.y[0], -1.3132616875182228));
        CHECK(close(r.y[1], -0.31326168751822286));
    }
    SUBCASE("finite where log(softmax) would be -inf") {
        const lab::VectorResult r = vec("LogSoftmax", {800.0, -800.0});
        CHECK(close(r.y[1], -1600.0));
    }
    SUBCASE("dim out of range") {
        CHECK_THROWS_WITH_AS(vec("LogSoftmax", x, num("dim", 2)),
                             "Dimension out of range (expected to be in range of [-1, 0], but got 2)", lab::Error);
    }
}

TEST_CASE("GLU") {
    const std::vector<double> x{1.0, -2.0, 0.5, 3.0};  // a = [1, -2], b = [0.5, 3]
    const double s0 = 1.0 / (1.0 + std::exp(-0.5)), s1 = 1.0 / (1.0 + std::exp(-3.0));
    SUBCASE("first half times the sigmoid of the second half; half the length") {
        const lab::VectorResult r = vec("GLU", x);
        REQUIRE(r.y.size() == 2);
        CHECK(close(r.y[0], 1.0 * s0));
        CHECK(close(r.y[1], -2.0 * s1));
    }
    SUBCASE("Jacobian: sigmoid(b) on the a block, a sigmoid'(b) on the b block, zero elsewhere") {
        const lab::VectorResult r = vec("GLU", x);
        REQUIRE(r.jacobian.size() == 8);
        CHECK(close(J(r, 0, 0), s0));
        CHECK(J(r, 0, 1) == 0.0);
        CHECK(close(J(r, 0, 2), (1.0 - s0) * s0 * 1.0));
        CHECK(J(r, 0, 3) == 0.0);
        CHECK(close(J(r, 1, 1), s1));
        CHECK(close(J(r, 1, 3), (1.0 - s1) * s1 * -2.0));
    }
    SUBCASE("default dim is -1; 0 is the same dimension") {
        const lab::VectorResult a = vec("GLU", x), b = vec("GLU", x, num("dim", 0));
        CHECK(a.y == b.y);
    }
    SUBCASE("dim=None is not allowed: F.glu needs an int") {
        CHECK_THROWS_WITH_AS(vec("GLU", x, (lab::ParamMap{{"dim", lab::Value::none()}})),
                             "glu(): argument 'dim' (position 2) must be int, not NoneType", lab::Error);
    }
    SUBCASE("odd length is rejected in PyTorch's words") {
        CHECK_THROWS_WITH_AS(vec("GLU", {1.0, 2.0, 3.0}), "Halving dimension must be even, but dimension 0 is size 3",
                             lab::Error);
    }
    SUBCASE("dim out of range") {
        CHECK_THROWS_WITH_AS(vec("GLU", x, num("dim", 1)),
                             "Dimension out of range (expected to be in range of [-1, 0], but got 1)", lab::Error);
    }
}

TEST_CASE("every vector activation: group, notes, shapes, extremes, empty input") {
    const std::vector<double> x{0.3, -1.2, 2.0, 0.7, -0.1, 1.1};
    for (const auto& f : lab::vector_specs()) {
        CAPTURE(f.name);
        CHECK(f.group == "Vector functions");
        CHECK(f.notes.size() >= 2);
        CHECK(f.notes.size() <= 5);
        // one Jacobian row per output, one column per input
        const lab::VectorResult r = vec(f.name, x);
        CHECK(r.jacobian.size() == r.y.size() * x.size());
        // ±800 stays finite
        const lab::VectorResult big = vec(f.name, {800.0, -800.0, 799.0, 0.0});
        for (double v : big.y) CHECK(std::isfinite(v));
        for (double v : big.jacobian) CHECK(std::isfinite(v));
        // an empty input gives an empty output
        const lab::VectorResult e = vec(f.name, {});
        CHECK(e.y.empty());
        CHECK(e.jacobian.empty());
    }
}
