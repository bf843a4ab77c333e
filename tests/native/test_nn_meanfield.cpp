// Mean-field theory (core/nn_meanfield.*). Three kinds of rows:
//  * the quadrature itself: Gauss–Hermite and Gauss–Legendre integrate the polynomials they must;
//    Gauss–Hermite converges exponentially on a smooth φ and slowly across a kink, which is why
//    the split rule exists;
//  * every moment against tests/reference/meanfield.json (mpmath at 30 digits over PyTorch's own
//    φ and φ′, or closed forms), relative 1e-12 — a mean that is 0 by symmetry is compared to
//    1e-14 of the activation's size (√E[φ²]) instead, the noise of summing ± terms;
//  * the literature: ReLU with He init keeps q; tanh at σ_w² = 1 from q₀ = 1 (0.394, 0.236, 0.103,
//    0.0522 at layers 1, 2, 5, 10, then ≈ 1/(2l)); tanh's edge of chaos at σ_w² = 1 (σ_b² = 0) and
//    ≈ 1.76 (σ_b² = 0.05); SELU's fixed point (mean 0, variance 1) with LeCun-normal weights.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "nn_meanfield.hpp"
#include "reference.hpp"
#include "support.hpp"

namespace {

using labtest::json;
using namespace lab::nn;

double relative(double a, double b) { return std::fabs(a - b) / std::fmax(std::fabs(b), 1e-300); }

double double_factorial(int k) {  // (k)!! for odd k, 1 for k <= 0
    double r = 1;
    for (int j = k; j > 1; j -= 2) r *= j;
    return r;
}

}  // namespace

TEST_CASE("meanfield: Gauss-Hermite and Gauss-Legendre integrate the polynomials of their degree") {
    for (int n : {1, 2, 5, 16, 64, 128, 150}) {
        CAPTURE(n);
        const GaussRule h = gauss_hermite(n), l = gauss_legendre(n);
        REQUIRE(h.z.size() == static_cast<std::size_t>(n));
        REQUIRE(l.z.size() == static_cast<std::size_t>(n));
        for (std::size_t i = 0; i < h.z.size(); ++i) {
            CHECK(h.z[i] == -h.z[h.z.size() - 1 - i]);
            CHECK(h.w[i] == h.w[h.z.size() - 1 - i]);
            CHECK(h.w[i] > 0);
            CHECK(l.w[i] > 0);
        }
        // E[Z^{2k}] = (2k − 1)!! for 2k ≤ 2n − 1, up to degree 24 (the moments grow factorially)
        for (int k = 0; 2 * k <= std::min(2 * n - 1, 24); ++k) {
            CAPTURE(k);
            double hs = 0, ls = 0;
            for (std::size_t i = 0; i < h.z.size(); ++i) {
                hs += h.w[i] * std::pow(h.z[i], 2 * k);
                ls += l.w[i] * std::pow(l.z[i], 2 * k);
            }
            CHECK(relative(hs, double_factorial(2 * k - 1)) <= 1e-13);
            CHECK(relative(ls, 2.0 / (2 * k + 1)) <= 1e-13);
        }
    }
    CHECK(labtest::error_of([] { gauss_hermite(0); }) == "gauss_hermite: order must be in [1, 150], got 0");
    CHECK(labtest::error_of([] { gauss_hermite(151); }) == "gauss_hermite: order must be in [1, 150], got 151");
    CHECK(labtest::error_of([] { gauss_legendre(401); }) == "gauss_legendre: order must be in [1, 400], got 401");
}

TEST_CASE("meanfield: every moment agrees with the mpmath reference") {
    const json& ref = labtest::reference("meanfield");
    std::size_t rows = 0;
    for (const json& r : ref["moments"]) {
        const std::string name = r["name"];
        const lab::ParamMap params = labtest::params(r["params"]);
        const double q = r["q"];
        const MeanField mf(name, params, 1.0, 0.0);
        const Moments m = mf.moments(q);
        const std::string spec = name + " " + r["params"].dump() + " q=" + lab::py_float(q) + " rule=" + mf.rule(q);
        CAPTURE(spec);
        const double mean = r["mean"], second = r["second"], slope2 = r["slope2"];
        labtest::check_close(m.second, second);
        if (slope2 == 0) CHECK(m.slope2 == 0);
        else labtest::check_close(m.slope2, slope2);
        const labtest::Exact got{m.mean}, want{mean};
        CAPTURE(got);
        CAPTURE(want);
        if (std::fabs(mean) < 1e-10 * std::sqrt(second)) CHECK(std::fabs(m.mean - mean) <= 1e-14 * std::sqrt(second));
        else CHECK(labtest::close(m.mean, mean));
        ++rows;
    }
    CHECK(rows == 132);
}

TEST_CASE("meanfield: Gauss-Hermite converges exponentially on tanh, slowly across Hardtanh's kinks") {
    // q = 1: tanh's poles sit at z = ±iπ/2, and Gauss–Hermite's error falls like exp(−c√n);
    // across Hardtanh's corners at x = ±1 it stays near 1e-2 (an O(1/n) error that depends on
    // where the corner falls between nodes), while the split rule (cut at ±1) gets every digit
    // (its value is checked against the mpmath reference above).
    const MeanField tanh_mf("Tanh", {}, 1.0, 0.0), hard("Hardtanh", {}, 1.0, 0.0);
    const double tanh_exact = 0.39429449039784117, hard_exact = hard.moments(1.0).second;
    std::vector<double> tanh_err, hard_err;
    for (int n : {16, 32, 64, 150}) {
        tanh_err.push_back(relative(tanh_mf.moments_with(1.0, gauss_hermite(n)).second, tanh_exact));
        hard_err.push_back(relative(hard.moments_with(1.0, gauss_hermite(n)).second, hard_exact));
    }
    const std::string tanh_errors = lab::py_float(tanh_err[0]) + " " + lab::py_float(tanh_err[1]) + " " +
                                    lab::py_float(tanh_err[2]) + " " + lab::py_float(tanh_err[3]);
    const std::string hard_errors = lab::py_float(hard_err[0]) + " " + lab::py_float(hard_err[1]) + " " +
                                    lab::py_float(hard_err[2]) + " " + lab::py_float(hard_err[3]);
    CAPTURE(tanh_errors);
    CAPTURE(hard_errors);
    CHECK(tanh_err[3] < 1e-13);
    CHECK(tanh_err[2] < 1e-2 * tanh_err[1]);
    CHECK(hard_err[3] > 1e-7);                // still wrong in the 7th digit with 150 nodes
    CHECK(hard_err[3] > 1e-2 * hard_err[1]);  // and hardly better than with 32
    CHECK(tanh_mf.rule(0.25) == "hermite");
    CHECK(tanh_mf.rule(0.26) == "split");
    CHECK(hard.rule(0.25) == "split");
    CHECK(MeanField("Sine", {}, 1, 0).rule(0.01) == "split");  // sin(30x): scale 1/30 < √q = 0.1
}

TEST_CASE("meanfield: a huge q stays accurate (graded panels): tanh at q = 1e8") {
    // tanh(aZ) with a = √q = 1e4 is a step smoothed over 1e-4: E[sech²(aZ)] = 2φ(0)/a and
    // E[sech⁴(aZ)] = (4/3)φ(0)/a, up to a relative O(1/a²) = 1e-8 (φ(0) = 1/√(2π)).
    const MeanField mf("Tanh", {}, 1.0, 0.0);
    const double a = 1e4, phi0 = 1 / std::sqrt(2 * 3.14159265358979323846);
    const Moments m = mf.moments(a * a);
    CHECK(mf.rule(a * a) == "split");
    CHECK(relative(1 - m.second, 2 * phi0 / a) < 1e-7);
    CHECK(relative(m.slope2, 4.0 / 3.0 * phi0 / a) < 1e-7);
    CHECK(std::fabs(m.mean) < 1e-15);
}

TEST_CASE("meanfield: ReLU with He init (sigma_w2 = 2, sigma_b2 = 0) keeps q constant") {
    const MeanField relu("ReLU", {}, 2.0, 0.0);
    for (double q0 : {0.3, 1.0, 7.5, 1e4}) {
        CAPTURE(q0);
        const auto layers = relu.layers(q0, 50);
        for (const LayerPrediction& p : layers) {
            labtest::check_close(p.q, q0);
            labtest::check_close(p.chi, 1.0);
            labtest::check_close(p.post_second, q0 / 2);
        }
        labtest::check_close(relu.fixed_point(q0), q0);
        labtest::check_close(relu.chi_star(q0), 1.0);
    }
    // off the critical line: sigma_w2 < 2 has q* = sigma_b2 / (1 - sigma_w2/2); above 2 it explodes
    labtest::check_close(MeanField("ReLU", {}, 1.0, 1.0).fixed_point(5.0), 2.0);
    CHECK(std::isinf(MeanField("ReLU", {}, 2.5, 0.0).fixed_point(1.0)));
    CHECK(std::isinf(MeanField("ReLU", {}, 2.5, 0.0).chi_star(1.0)));
    labtest::check_close(critical_sigma_w2("ReLU", {}, 0.1), 2.0);
}

TEST_CASE("meanfield: tanh at sigma_w2 = 1 from q0 = 1, the numbers of the literature") {
    // q_l = E[tanh(√q_{l−1} Z)²] is the second moment (the variance: tanh is odd, the mean is 0)
    // of the l-th hidden layer's tanh output when the first layer's pre-activation has variance 1,
    // which is also the pre-activation variance of layer l + 1. Literature: 0.394, 0.236, 0.103,
    // 0.0522 at l = 1, 2, 5, 10, and q_l ≈ 1/(2l) as l grows (the map is q − 2q² + O(q³)).
    const MeanField mf("Tanh", {}, 1.0, 0.0);
    const auto layers = mf.layers(1.0, 1000);
    const json& seq = labtest::reference("meanfield")["tanh_sequence"];
    for (std::size_t l = 1; l <= seq.size(); ++l) {
        CAPTURE(l);
        labtest::check_close(layers[l - 1].post_second, seq[l - 1].get<double>());
        if (l < layers.size()) CHECK(layers[l].q == layers[l - 1].post_second);
    }
    const struct {
        int l;
        double value, half_digit;  // the printed value agrees to its last digit
    } literature[] = {{1, 0.394, 5e-4}, {2, 0.236, 5e-4}, {5, 0.103, 5e-4}, {10, 0.0522, 5e-5}};
    for (const auto& row : literature) {
        CAPTURE(row.l);
        const double got = layers[static_cast<std::size_t>(row.l - 1)].post_second;
        CAPTURE(got);
        CHECK(std::fabs(got - row.value) <= row.half_digit);
    }
    const double q1000 = layers.back().post_second;
    CAPTURE(q1000);
    CHECK(std::fabs(2 * 1000 * q1000 - 1) < 0.01);
    CHECK(std::fabs(layers.back().post_mean) < 1e-15);
}

TEST_CASE("meanfield: tanh's edge of chaos") {
    CHECK(critical_sigma_w2("Tanh", {}, 0.0) == 1.0);
    const double c = critical_sigma_w2("Tanh", {}, 0.05);
    const double want = labtest::reference("meanfield")["tanh_critical_sigma_b2_0.05"];
    CAPTURE(c);
    CHECK(relative(c, want) <= 1e-10);
    CHECK(std::fabs(c - 1.76) < 0.005);
    // χ = 1 there, below is ordered, above chaotic
    labtest::check_close(MeanField("Tanh", {}, c, 0.05).chi_star(), 1.0);
    CHECK(MeanField("Tanh", {}, 1.5, 0.05).chi_star() < 1);
    CHECK(MeanField("Tanh", {}, 2.0, 0.05).chi_star() > 1);
}

TEST_CASE("meanfield: SELU with LeCun-normal weights has the fixed point mean 0, variance 1") {
    // LeCun normal: Var w = 1/fan_in, i.e. sigma_w2 = 1; no bias. Klambauer et al. chose SELU's
    // α and λ so that an input of mean 0 and variance 1 gives an output of mean 0 and variance 1:
    // the mean map E[selu(Z)] = 0 and the variance map E[selu(Z)²] − 0² = 1, here to the rounding
    // of PyTorch's float64 constants; the point attracts from either side.
    const MeanField selu("SELU", {}, 1.0, 0.0);
    const Moments m = selu.moments(1.0);
    const json& ref = labtest::reference("meanfield")["selu_mean_second_at_q1"];
    CHECK(std::fabs(m.mean - ref[0].get<double>()) <= 1e-15);
    labtest::check_close(m.second, ref[1].get<double>());
    CHECK(std::fabs(m.mean) < 1e-15);
    CHECK(std::fabs(m.second - 1) < 1e-15);
    for (double q0 : {0.25, 1.0, 3.0}) {
        CAPTURE(q0);
        CHECK(std::fabs(selu.fixed_point(q0) - 1) < 1e-13);
        const LayerPrediction last = selu.layers(q0, 60).back();
        CHECK(std::fabs(last.q - 1) < 1e-6);
        CHECK(std::fabs(last.post_mean) < 1e-6);
        CHECK(std::fabs(last.post_var - 1) < 1e-6);
    }
    // and its gradient gain there is above 1 (SELU nets sit on the chaotic side, χ ≈ 1.07)
    CHECK(std::fabs(selu.chi_star() - 1.0716) < 1e-3);
}

TEST_CASE("meanfield: every elementwise activation of the catalog states its smoothness (FunctionSpec::smoothness) and has finite moments") {
    for (const lab::FunctionSpec& f : lab::elementwise_specs()) {
        const std::string name = f.name;
        CAPTURE(name);
        const lab::ParamMap params = name == "Threshold" ? labtest::Params{{"threshold", 0.5}, {"value", -1.0}}.map : lab::ParamMap{};
        const MeanField mf(name, params, 1.5, 0.1);
        CHECK(mf.listed());
        for (double q : {0.0, 0.5, 3.0, 400.0}) {
            CAPTURE(q);
            const Moments m = mf.moments(q);
            CHECK(std::isfinite(m.mean));
            CHECK(std::isfinite(m.second));
            CHECK(std::isfinite(m.slope2));
            CHECK(m.second >= m.mean * m.mean * (1 - 1e-12));
        }
    }
}

TEST_CASE("meanfield: bad specs throw lab::Error naming the field") {
    using labtest::error_of;
    CHECK(error_of([] { MeanField("Relu", {}, 1, 0); }) == "unknown function 'Relu'; did you mean 'ReLU'?");
    CHECK(error_of([] { MeanField("Softmax", {}, 1, 0); }) ==
          "mean-field theory needs an elementwise activation; 'Softmax' is not one");
    CHECK(error_of([] { MeanField("ReLU", {}, -1, 0); }) == "sigma_w2 must be a finite number >= 0, got -1.0");
    CHECK(error_of([] { MeanField("ReLU", {}, 1, labtest::kInf); }) == "sigma_b2 must be a finite number >= 0, got inf");
    CHECK(error_of([] { MeanField("ReLU", {}, 1, 0).moments(-0.5); }) == "the variance q must be a finite number >= 0, got -0.5");
    CHECK(error_of([] { MeanField("ReLU", {}, 1, 0).layers(1.0, 0); }) == "depth must be in [1, 10000], got 0");
    CHECK(error_of([] { MeanField("ReLU", {}, 1, 0).fixed_point(labtest::kNaN); }) ==
          "the variance q must be a finite number >= 0, got nan");
    // the registry's own words for the activation's parameters
    CHECK(error_of([] { MeanField("Softshrink", labtest::Params{{"lambd", -1.0}}, 1, 0); }) ==
          lab::Error("lambda must be greater or equal to 0, but found to be -1.0.").what());
    CHECK(error_of([] { critical_sigma_w2("Tanh", {}, -1); }) == "sigma_b2 must be a finite number >= 0, got -1.0");
}

TEST_CASE("meanfield: q = 0 is the limit q -> 0+ (a kink at 0 counts both sides), so the sigma_b2 = 0 edge of chaos is continuous") {
    // At q = 0 every pre-activation is 0; a perturbation of it puts half of them on each side of
    // 0, so χ there is σ_w² times the mean of φ′(0−)² and φ′(0+)², not PyTorch's one-branch φ′(0)².
    constexpr double lambda = 1.0507009873554804934193349852946, alpha = 1.6732632423543772848170429916717;
    struct Row {
        const char* fn;
        lab::ParamMap params;
        double mean, second, slope2;
        const char* why;
    };
    const std::vector<Row> rows = {
        {"SELU", {}, 0, 0, (lambda * lambda + lambda * alpha * lambda * alpha) / 2, "λ on the right, λα on the left (PyTorch: λα at 0)"},
        {"ReLU", {}, 0, 0, 0.5, "slope 1 on the right, 0 on the left (PyTorch: 0 at 0)"},
        {"LeakyReLU", {}, 0, 0, (1 + 1e-4) / 2, "slopes 1 and 0.01"},
        {"Tanh", {}, 0, 0, 1, "smooth: φ′(0)² itself"},
        {"Threshold", {{"threshold", lab::Value::num(0.0)}, {"value", lab::Value::num(2.0)}}, 1, 2, 0.5, "a jump at 0: φ = 2 on the left, x → 0 on the right"},
    };
    for (const Row& r : rows) {
        CAPTURE(r.fn);
        CAPTURE(r.why);
        const MeanField mf(r.fn, r.params, 1.0, 0.0);
        const Moments m = mf.moments(0);
        CHECK(std::fabs(m.mean - r.mean) <= 1e-15);
        CHECK(std::fabs(m.second - r.second) <= 1e-15);
        labtest::check_close(m.slope2, r.slope2);
        CHECK(relative(mf.moments(1e-24).slope2, r.slope2) < 1e-9);  // the limit, approached
    }
    // SELU's edge of chaos at σ_b² = 0 (q* = 0 below it): 1 / E[φ′²](0+), the end of the line σ_b² > 0 draws
    const double crit0 = critical_sigma_w2("SELU", {}, 0.0);
    labtest::check_close(crit0, 2 / (lambda * lambda * (1 + alpha * alpha)));
    CHECK(std::fabs(critical_sigma_w2("SELU", {}, 1e-14) - crit0) < 1e-3);
    // σ_w² = 0.4, below it: q shrinks layer by layer (ordered), and χ* says so
    const MeanField ordered("SELU", {}, 0.4, 0.0);
    CHECK(ordered.layers(1.0, 80).back().q < 1e-3);
    CHECK(ordered.chi_star() < 1);
}
