// Design note: mean-field theory of a deep random network (Poole et al. 2016, Schoenholz et al.
// 2017), so the depth view can draw the variance each layer is PREDICTED to have under the one it
// measures, and the order-to-chaos line of the phase diagram. With weights of variance σ_w²/fan_in
// and biases of variance σ_b², a pre-activation of layer l is, over the random weights, Gaussian
// with variance q_l, and
//     q_l = σ_w² E[φ(√q_{l−1} Z)²] + σ_b²,      χ = σ_w² E[φ′(√q* Z)²]   (Z ~ N(0, 1)),
// q* the fixed point of the map and χ the factor by which a small perturbation (or a gradient)
// grows per layer there: χ < 1 ordered, χ > 1 chaotic, χ = 1 the edge of chaos.
//
// φ and φ′ are the registry's own kernel (one call gives y and dy for every node), so any
// elementwise activation of the catalog, with its parameters, has a theory — nothing is written
// again. The expectations are Gaussian integrals of a function that is, for most of the catalog,
// NOT smooth: ReLU's φ′² is a step, Hardtanh has two corners, Hardshrink jumps. Gauss–Hermite
// quadrature converges exponentially only for an integrand analytic in a strip around the real
// line. Across a kink it barely converges: for Hardtanh at q = 1, E[φ²] is off by 7e-3, 1e-2,
// 2e-2 and 4e-3 (relative) with 16, 32, 64 and 150 nodes — an O(1/n) error that depends on where
// the kink falls between nodes — and the nodes' symmetry only hides this for a kink exactly at
// 0 of an otherwise linear φ (ReLU). Even tanh needs 150 nodes at q = 1 for 1e-14 (E[φ′²] is
// worse). So the rule is chosen per activation and per q (nn_meanfield.cpp): Gauss–Hermite of
// order 150 where φ is smooth and √q is at most half its natural scale; otherwise the real line
// is cut at the activation's known kinks (a table next to the code, checked to cover the whole
// catalog) and each piece, truncated at |z| = 12 (Gaussian tail < 1e-32), is integrated with
// composite 12-point Gauss–Legendre on panels narrower than 1, graded down to the activation's
// scale/√q near 0 (so a huge q costs a few more panels, not a million). Both rules' nodes and weights are computed here (Newton on the three-term
// recurrences); every moment is checked against mpmath references to 1e-12 relative
// (tests/reference/meanfield.json, q = 0.1 to 25).
//
// A formula activation (issue 11) states no smoothness (a built-in does, in its registry entry), and its kinks can be anywhere (`x > a ? …`,
// abs(x - 0.3), floor). So it gets a third rule, "adaptive": the split rule's panels, each checked
// by comparing its 12-point value with the sum over its two halves (for all three moments); a
// panel whose two values differ by more than 1e-15 of the moment (plus its own rounding) is halved,
// down to 2^-48 of its width. A kink is thus cornered in a panel ~1e-14 wide, where what is left of
// its error is below the tolerance. To spare every q that search, the constructor first scans x in
// [−100, 100] the same way (unweighted, panels of 1/4 on an offset grid) and keeps the points where
// the halving reached the bottom: the kinks, which moments() then cuts at, as the table's are. The
// adaptive check still runs on every panel, so a kink the scan missed (beyond ±100, or among more
// than 8 in a quarter unit, as floor(40x) has) costs time, not accuracy. Rounding noise is not a
// kink: the scan measures a panel against its neighbourhood and never finer than 1e-6 of the
// formula's largest values (a·(exp(x) − 1) cancels near 0; tanh′ = 1 − tanh² is a staircase of
// ulps near |x| ≈ 18), and where more than 8 panels of one quarter unit keep failing it stops
// there. A singularity (sqrt(abs(x))′ at 0) is beyond the rule: its E[φ′²] comes out finite. Tested against the equivalent built-ins (tanh vs Tanh, max(x, 0) vs ReLU, a
// threshold at 0.3 vs Threshold, clamp vs Hardtanh, x·sigmoid(x) vs SiLU) to 1e-12 relative.
// Cost: ~30k formula values per MeanField for the scan (~10 ms natively), ~1.5k per moments() call
// (~0.05 ms); bench/formula.mjs measures the JS calls.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "formula.hpp"
#include "registry.hpp"

namespace lab::nn {

// A quadrature rule for E[f(Z)], Z ~ N(0, 1):  E[f(Z)] ≈ Σ w_i f(z_i)  (weights sum to 1).
struct GaussRule {
    std::vector<double> z, w;
};
// Gauss–Hermite of order n (1 ≤ n ≤ 150: beyond, the unscaled recurrence's guesses fail) in the probabilists' form (nodes √2·t_i of the
// physicists' rule, weights divided by √π): exact for polynomials of degree ≤ 2n − 1.
GaussRule gauss_hermite(int n);
// Gauss–Legendre of order n (1 ≤ n ≤ 400) on [−1, 1] for ∫ f(t) dt (weights sum to 2).
GaussRule gauss_legendre(int n);

// The Gaussian moments of one activation for a pre-activation ~ N(0, q).
struct Moments {
    double mean = 0;     // E[φ(√q Z)]
    double second = 0;   // E[φ(√q Z)²]
    double slope2 = 0;   // E[φ′(√q Z)²]
};

// What the theory predicts for one hidden layer: its pre-activation variance q_l and what the
// activation makes of it, plus the local gain χ_l = σ_w² E[φ′(√q_l Z)²].
struct LayerPrediction {
    double q = 0;             // pre-activation variance (over the random weights)
    double post_mean = 0;     // E[φ]
    double post_second = 0;   // E[φ²] (so q_{l+1} = σ_w² post_second + σ_b²)
    double post_var = 0;      // E[φ²] − E[φ]²
    double chi = 0;           // σ_w² E[φ′²] at q
};

class MeanField {
public:
    // Throws lab::Error for an unknown or non-elementwise activation, bad parameters (the
    // registry's words), or sigma_w2 < 0 / sigma_b2 < 0 / non-finite.
    MeanField(std::string_view activation, const ParamMap& params, double sigma_w2, double sigma_b2);
    // A formula activation with its parameters' values (Formula::values()); the "adaptive" rule.
    MeanField(const formula::Formula& f, std::vector<double> values, double sigma_w2, double sigma_b2);
    // The same activation (and what was learnt of it) with other variances, checked as above.
    MeanField with_sigmas(double sigma_w2, double sigma_b2) const;
    // The activation's name for messages: the catalog name, or the formula's text in quotes.
    std::string name() const;

    double sigma_w2() const { return sigma_w2_; }
    double sigma_b2() const { return sigma_b2_; }

    Moments moments(double q) const;                  // q ≥ 0 (q = 0: the limit q → 0+, each moment the mean of φ's one-sided values at 0)
    // The same with a rule of the caller's (e.g. gauss_hermite(n) whatever φ is): the tests use it
    // to show how fast each rule converges, and how a kink slows Gauss–Hermite down.
    Moments moments_with(double q, const GaussRule& rule) const;
    double map(double q) const;                       // σ_w² E[φ(√q Z)²] + σ_b²
    double mean_map(double q) const { return moments(q).mean; }
    double chi(double q) const;                       // σ_w² E[φ′(√q Z)²]
    // Layers 1..depth: entry l−1 has q_{l−1} (entry 0: q0, the first hidden Linear's
    // pre-activation variance), then the activation's moments there. depth in [1, 10000].
    std::vector<LayerPrediction> layers(double q0, int depth) const;
    // The fixed point the map reaches from q0: the map is iterated (at most 100 times), then the
    // root of map(q) = q next to the iterate is bracketed on its side and polished (bisection and
    // Illinois) to the last bits. +inf when the variance grows without bound (e.g. ReLU with
    // σ_w² > 2) — in practice, past 1e30.
    double fixed_point(double q0 = 1.0) const;
    // χ at fixed_point(q0); +inf where the fixed point is infinite (past the edge of chaos).
    double chi_star(double q0 = 1.0) const;

    // Which rule moments(q) uses, for the tests and the docs: "hermite", "split" or "adaptive".
    std::string rule(double q) const;
    // Whether the registry states where the activation is not smooth (FunctionSpec::smoothness;
    // every catalog activation should).
    bool listed() const { return listed_; }

    // A formula's kinks found by the constructor's scan (x-space, sorted); empty for a built-in.
    const std::vector<double>& found_kinks() const { return kinks_; }

private:
    Moments integrate(double root_q, const std::vector<double>& z, const std::vector<double>& w) const;
    Moments adaptive(double root_q) const;
    void eval(const double* x, std::size_t n, double* y, double* dy) const;
    void check_sigmas() const;

    const FunctionSpec* spec_ = nullptr;  // nullptr: a formula
    Params params_;
    std::shared_ptr<const formula::Formula> formula_;
    std::vector<double> values_;
    double sigma_w2_, sigma_b2_;
    std::vector<double> kinks_;   // points where φ or a derivative is not smooth (x-space)
    double scale_;                // the x-width over which φ is smooth (inf: polynomial pieces)
    bool listed_ = true;
    bool periodic_ = false;       // Sine: equal panels everywhere, not graded from 0
};

// The order-to-chaos boundary: the σ_w² at which χ(q*) = 1 for this σ_b² (q* from q0), found by
// bracketing and bisection in σ_w² ∈ (0, 1e4]. Throws lab::Error if χ never reaches 1 there.
double critical_sigma_w2(std::string_view activation, const ParamMap& params, double sigma_b2, double q0 = 1.0);
// The same for any activation a MeanField holds (its own variances are not used).
double critical_sigma_w2(const MeanField& activation, double sigma_b2, double q0 = 1.0);

}  // namespace lab::nn
