// Design note (see nn_meanfield.hpp for the theory): three choices here.
//  * Nodes and weights come from Newton's method on the orthonormal three-term recurrences (the
//    Hermite one in the physicists' normalisation, started from the usual asymptotic guesses;
//    Legendre from cos(π(i + 3/4)/(n + 1/2))), iterated until the step stops shrinking, so they are
//    good to a few ulps with no eigen-solver.
//  * The rule: Gauss–Hermite converges like exp(−c·d·√n) for an integrand analytic in a strip of
//    half-width d. Tanh at q = 1 (poles at z = ±iπ/2) measures it: relative error 2.7e-6 with 32
//    nodes, 2.7e-9 with 64, 1.2e-13 with 128, 6e-15 with 150 — but E[φ′²] = E[sech⁴], with
//    fourth-order poles, is still 1.4e-12 off at 150. So Gauss–Hermite 150 is used only for a φ
//    with no kinks and √q at most half its scale (tanh, sigmoid, GELU, SiLU, Mish, ...: scale 1),
//    where all three moments hold ~1e-16 against mpmath. Anything else — a kink, a narrow scale
//    (Sine's 1/ω₀), a larger q — goes to the split rule: pieces between the kinks (in z: c/√q),
//    each cut into panels and integrated with 12-point Gauss–Legendre times the Gaussian density.
//    Panels are 1 wide between the kinks of a piecewise polynomial φ (whatever q is), scale/√q
//    wide for a periodic φ, and otherwise graded from scale/√q at z = 0 outwards (every smooth
//    activation of the catalog has its features within a few scales of 0). On each panel the
//    integrand is analytic in a Bernstein ellipse of parameter ≳ 6, so 12 points leave ~1e-18.
//    Cost: 150 kernel values (Hermite), ~300 (split, q ≈ 1) to ~1000 (q = 1e12); Sine with
//    ω₀ = 30 needs ~9000 at q = 1, and past q·ω₀² ≈ 7e5 its panel count is capped (20000 a
//    piece) — E[sin²] is then 1/2 to all digits anyway, E[φ′²] less exactly.
//  * Where φ or a low derivative is not smooth, and the width over which it bends, is each
//    registry entry's own fact (FunctionSpec::smoothness; a test checks every elementwise
//    activation states it). The
//    kernel's value AT a kink never matters: the split rule has no node on a panel edge.
#include "nn_meanfield.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lab::nn {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kTail = 12.0;             // |z| beyond this: Gaussian mass < 1e-32
constexpr int kHermiteOrder = 150;
constexpr double kHermiteMaxRootQ = 0.5;   // √q / scale at most this for Gauss–Hermite
constexpr int kPanelOrder = 12;
constexpr std::size_t kMaxPanels = 20000;  // per piece, for a periodic φ at a huge q

GaussRule hermite_rule(int n) {
    // Orthonormal physicists' Hermite recurrence; largest nodes first.
    std::vector<double> t(static_cast<std::size_t>(n)), w(t.size());
    const double pim4 = 0.7511255444649425;  // π^(-1/4)
    double z = 0;
    for (int i = 0; i < (n + 1) / 2; ++i) {
        if (i == 0) z = std::sqrt(2.0 * n + 1) - 1.85575 * std::pow(2.0 * n + 1, -1.0 / 6.0);
        else if (i == 1) z -= 1.14 * std::pow(n, 0.426) / z;
        else if (i == 2) z = 1.86 * z - 0.86 * t[0];
        else if (i == 3) z = 1.91 * z - 0.91 * t[1];
        else z = 2.0 * z - t[static_cast<std::size_t>(i - 2)];
        double pp = 0, last_step = std::numeric_limits<double>::infinity();
        for (int it = 0; it < 100; ++it) {
            double p1 = pim4, p2 = 0;
            for (int j = 1; j <= n; ++j) {
                const double p3 = p2;
                p2 = p1;
                p1 = z * std::sqrt(2.0 / j) * p2 - std::sqrt((j - 1.0) / j) * p3;
            }
            pp = std::sqrt(2.0 * n) * p2;
            const double step = p1 / pp;
            z -= step;
            if (std::fabs(step) >= last_step && std::fabs(step) < 1e-12 * std::max(1.0, std::fabs(z))) break;
            last_step = std::fabs(step);
        }
        t[static_cast<std::size_t>(i)] = z;
        t[static_cast<std::size_t>(n - 1 - i)] = -z;
        w[static_cast<std::size_t>(i)] = w[static_cast<std::size_t>(n - 1 - i)] = 2.0 / (pp * pp);
    }
    if (n % 2 == 1) t[static_cast<std::size_t>(n / 2)] = 0.0;
    GaussRule r;
    for (std::size_t i = 0; i < t.size(); ++i) {
        r.z.push_back(std::sqrt(2.0) * t[i]);
        r.w.push_back(w[i] / std::sqrt(kPi));
    }
    return r;
}

GaussRule legendre_rule(int n) {
    GaussRule r;
    r.z.resize(static_cast<std::size_t>(n));
    r.w.resize(r.z.size());
    for (int i = 0; i < (n + 1) / 2; ++i) {
        double x = std::cos(kPi * (i + 0.75) / (n + 0.5)), dp = 0, last_step = std::numeric_limits<double>::infinity();
        for (int it = 0; it < 100; ++it) {
            double p1 = 1, p2 = 0;
            for (int j = 1; j <= n; ++j) {
                const double p3 = p2;
                p2 = p1;
                p1 = ((2.0 * j - 1) * x * p2 - (j - 1.0) * p3) / j;
            }
            dp = n * (x * p1 - p2) / (x * x - 1);
            const double step = p1 / dp;
            x -= step;
            if (std::fabs(step) >= last_step && std::fabs(step) < 1e-12) break;
            last_step = std::fabs(step);
        }
        const auto a = static_cast<std::size_t>(i), b = static_cast<std::size_t>(n - 1 - i);
        r.z[a] = -x;
        r.z[b] = x;
        r.w[a] = r.w[b] = 2.0 / ((1 - x * x) * dp * dp);
    }
    if (n % 2 == 1) r.z[static_cast<std::size_t>(n / 2)] = 0.0;
    return r;
}

void check_order(int n, const char* what, int max) {
    if (n < 1 || n > max)
        throw Error(std::string(what) + ": order must be in [1, " + std::to_string(max) + "], got " + std::to_string(n));
}

// Bisection / Illinois on a bracket [lo, hi] with f(lo) and f(hi) of opposite signs (or one 0).
// A non-finite end (an unbounded fixed point) is only ever bisected towards.
template <class F>
double bracketed_root(F f, double lo, double flo, double hi, double fhi, double rel_tol) {
    int side = 0;
    for (int it = 0; it < 400; ++it) {
        if (flo == 0) return lo;
        if (fhi == 0) return hi;
        double mid;
        if (std::isfinite(flo) && std::isfinite(fhi)) {
            mid = (lo * fhi - hi * flo) / (fhi - flo);
            if (!(mid > lo && mid < hi)) mid = 0.5 * (lo + hi);
        } else {
            mid = 0.5 * (lo + hi);
        }
        if (it % 4 == 3) mid = 0.5 * (lo + hi);  // guaranteed shrinking every few steps
        if (mid <= lo || mid >= hi || hi - lo <= rel_tol * std::fabs(hi)) return std::isfinite(fhi) && std::fabs(fhi) < std::fabs(flo) ? hi : lo;
        const double fm = f(mid);
        if ((fm > 0) == (fhi > 0)) {
            hi = mid;
            fhi = fm;
            if (side == -1 && std::isfinite(flo)) flo *= 0.5;  // Illinois: the stale end halves
            side = -1;
        } else {
            lo = mid;
            flo = fm;
            if (side == 1 && std::isfinite(fhi)) fhi *= 0.5;
            side = 1;
        }
    }
    return 0.5 * (lo + hi);
}

// ---------------------------------------------------------------- the adaptive rule (formulas)
// A panel [lo, hi] and how many times it has been halved.
struct Panel {
    double lo, hi;
    int level;
    // The scan's yardstick: Σ|terms| per unit width of the first-level panel this one came from.
    double density[3] = {0, 0, 0};
    std::size_t root = 0;  // that first-level panel's index
};
// More failing panels than this at one level under one first-level panel is not a few kinks but
// rounding noise the check cannot tell apart from one (tanh′ = 1 − tanh² is a staircase of ulps
// near |x| ≈ 18): that first-level panel is then taken as it is, halves' values kept.
constexpr std::size_t kMaxFailingPerRoot = 8;
constexpr int kMaxLevel = 48;

constexpr int kKinkLevel = 30;  // a panel still failing this deep (≤ 2^-30 of its first width) holds a kink

struct AdaptiveSums {
    double sum[3] = {0, 0, 0};   // Σ w·φ, Σ w·φ², Σ w·φ′²
    std::vector<double> kinks;   // (x) where panels kept failing down to kKinkLevel and below, sorted
};

// One point per cluster of deep failing panels (level, midpoint): the deepest one's midpoint. A kink
// sits within that panel, or exactly at its midpoint when both its halves then passed (a kink on a
// dyadic point of the grid).
// A kink found within 1e-12 of 0 or of a short decimal (≤ 8 significant digits: 0.3, −1, 7.25)
// is taken to be there: a student's thresholds are such numbers, and an exact cut leaves no
// sliver for the per-call check to halve again.
double snapped(double x) {
    const double tol = 1e-12 * std::max(1.0, std::fabs(x));
    if (std::fabs(x) <= tol) return 0.0;
    for (int digits = 1; digits <= 8; ++digits) {
        const double scale = std::pow(10.0, digits - 1 - static_cast<int>(std::floor(std::log10(std::fabs(x)))));
        const double r = std::round(x * scale) / scale;
        if (std::fabs(r - x) <= tol) return r;
    }
    return x;
}

std::vector<double> kink_points(std::vector<std::pair<double, int>> failed) {
    std::sort(failed.begin(), failed.end());
    std::vector<double> out;
    int best = -1;
    for (std::size_t i = 0; i < failed.size(); ++i) {
        const auto [x, level] = failed[i];
        const bool joins = i > 0 && x - failed[i - 1].first <= 1e-8 * std::max(1.0, std::fabs(x));
        if (!joins) {
            out.push_back(x);
            best = level;
        } else if (level > best) {
            out.back() = x;
            best = level;
        }
    }
    for (double& x : out) x = snapped(x);
    return out;
}

// The three sums over the panels, each panel's 12-point Gauss–Legendre value checked against its
// two halves' (the halves' sum is the one kept); a panel that fails is halved, level by level, all
// of a level's points going to the activation in one call. weighted: z-space with the normal
// density, x = root_q·z, a panel accepted when it agrees to tol of the moment's size (its first
// level's Σ|terms|) plus 16 ulps of its own terms; else x = z, unweighted (the scan, which looks for
// kinks, not for a total), accepted when it agrees to tol of what its first-level ancestor holds
// over the same width — not of its own terms: a formula that cancels (a·(exp(x) − 1) near 0) has
// rounding noise far above its own tiny values, and that noise is not a kink. A non-finite value
// is accepted as it is (it reaches the result); `budget` panels at most are evaluated. Panels that
// keep failing past kKinkLevel are reported as kinks (x-space).
template <class Eval>
AdaptiveSums adaptive_sums(const Eval& eval, std::vector<Panel> work, double root_q, bool weighted, double tol,
                           std::size_t budget) {
    static const GaussRule gl = legendre_rule(kPanelOrder);
    constexpr std::size_t kNodes = 3 * kPanelOrder;  // the whole panel, then its two halves
    constexpr double kEps = std::numeric_limits<double>::epsilon();
    const double density = 1.0 / std::sqrt(2.0 * kPi);
    AdaptiveSums out;
    double ref[3] = {0, 0, 0};
    double peak[3] = {0, 0, 0};  // the scan: the largest first-level Σ|terms| per unit width
    bool first = true;
    std::size_t evaluated = 0;
    std::vector<double> z, w, x, y, dy;
    std::vector<Panel> next;
    std::vector<std::size_t> parent;  // of each pair in next
    std::vector<std::pair<double, int>> failed;  // (x, level) of deep panels that failed
    for (std::size_t p = 0; p < work.size(); ++p) work[p].root = p;
    std::vector<std::size_t> failing(work.size(), 0);  // per first-level panel, at the current level
    std::vector<unsigned char> noisy(work.size(), 0);
    while (!work.empty()) {
        const std::size_t m = work.size();
        z.resize(m * kNodes);
        w.resize(z.size());
        for (std::size_t p = 0; p < m; ++p) {
            const Panel& P = work[p];
            const double c = 0.5 * (P.lo + P.hi);
            const double spans[3][2] = {{P.lo, P.hi}, {P.lo, c}, {c, P.hi}};
            for (std::size_t part = 0; part < 3; ++part) {
                const double mid = 0.5 * (spans[part][0] + spans[part][1]), half = 0.5 * (spans[part][1] - spans[part][0]);
                for (std::size_t i = 0; i < gl.z.size(); ++i) {
                    const std::size_t k = p * kNodes + part * kPanelOrder + i;
                    z[k] = mid + half * gl.z[i];
                    w[k] = half * gl.w[i] * (weighted ? density * std::exp(-0.5 * z[k] * z[k]) : 1.0);
                }
            }
        }
        x.resize(z.size());
        y.resize(z.size());
        dy.resize(z.size());
        for (std::size_t k = 0; k < z.size(); ++k) x[k] = root_q * z[k];
        eval(x.data(), x.size(), y.data(), dy.data());
        evaluated += m;
        struct Verdict {
            double whole[3], halves[3], abs[3];
        };
        std::vector<Verdict> v(m);
        for (std::size_t p = 0; p < m; ++p) {
            Verdict& r = v[p];
            for (int j = 0; j < 3; ++j) r.whole[j] = r.halves[j] = r.abs[j] = 0;
            for (std::size_t k = p * kNodes; k < (p + 1) * kNodes; ++k) {
                const double t[3] = {w[k] * y[k], w[k] * y[k] * y[k], w[k] * dy[k] * dy[k]};
                const bool half = k - p * kNodes >= kPanelOrder;
                for (int j = 0; j < 3; ++j) {
                    (half ? r.halves[j] : r.whole[j]) += t[j];
                    if (half) r.abs[j] += std::fabs(t[j]);
                }
            }
            if (first)
                for (int j = 0; j < 3; ++j) {
                    ref[j] += r.abs[j];
                    peak[j] = std::max(peak[j], r.abs[j] / (work[p].hi - work[p].lo));
                }
        }
        first = false;
        next.clear();
        parent.clear();
        std::fill(failing.begin(), failing.end(), 0);
        std::vector<unsigned char> ok_of(m);
        for (std::size_t p = 0; p < m; ++p) {
            const Verdict& r = v[p];
            const Panel& P = work[p];
            bool ok = true;
            for (int j = 0; j < 3; ++j) {
                // (the scan: never finer than 1e-6 of the formula's largest density, so ulp-sized
                // steps where it is tiny — tanh′ past |x| ≈ 18 — are not taken for kinks)
                const double width = P.hi - P.lo;
                const double yardstick = std::max(P.level == 0 ? r.abs[j] : P.density[j] * width, 1e-6 * peak[j] * width);
                const double allowed = weighted ? tol * ref[j] + 16 * kEps * r.abs[j] : tol * yardstick + 16 * kEps * r.abs[j];
                ok = ok && std::fabs(r.whole[j] - r.halves[j]) <= allowed;
            }
            ok_of[p] = ok;
            if (!ok && ++failing[P.root] > kMaxFailingPerRoot) noisy[P.root] = 1;
        }
        for (std::size_t p = 0; p < m; ++p) {
            const Verdict& r = v[p];
            const Panel& P = work[p];
            const bool ok = ok_of[p] || noisy[P.root];
            bool finite = true;
            for (int j = 0; j < 3; ++j) finite = finite && std::isfinite(r.whole[j]) && std::isfinite(r.halves[j]);
            const bool bottom = P.level >= kMaxLevel || P.hi - P.lo <= 64 * kEps * std::max(std::fabs(P.lo), std::fabs(P.hi));
            if (!ok && finite && P.level >= kKinkLevel) failed.emplace_back(root_q * 0.5 * (P.lo + P.hi), P.level);
            if (ok || !finite || bottom) {
                for (int j = 0; j < 3; ++j) out.sum[j] += r.halves[j];
                continue;
            }
            const double c = 0.5 * (P.lo + P.hi);
            Panel left{P.lo, c, P.level + 1, {}, P.root}, right{c, P.hi, P.level + 1, {}, P.root};
            for (int j = 0; j < 3; ++j)
                left.density[j] = right.density[j] = P.level == 0 ? r.abs[j] / (P.hi - P.lo) : P.density[j];
            next.push_back(left);
            next.push_back(right);
            parent.push_back(p);
        }
        if (evaluated + next.size() > budget) {  // out of budget: the failed panels' halves as they are
            for (std::size_t p : parent)
                for (int j = 0; j < 3; ++j) out.sum[j] += v[p].halves[j];
            break;
        }
        std::swap(work, next);
    }
    out.kinks = kink_points(std::move(failed));
    return out;
}

// The split rule's panels (z-space) for an activation with these kinks (x-space), at √q.
std::vector<std::pair<double, double>> split_panels(const std::vector<double>& kinks, double root_q, double scale,
                                                   bool periodic) {
    std::vector<double> cuts{-kTail};
    for (double c : kinks) {
        const double zc = c / root_q;
        if (zc > cuts.back() && zc < kTail) cuts.push_back(zc);
    }
    cuts.push_back(kTail);
    // Panel edges of one piece [a, b]. A periodic φ (Sine) or a polynomial one gets equal
    // panels (width scale/√q, or 1); any other φ has its features within a few scales of
    // x = 0, so its panels are graded: width s = scale/√q near z = 0, growing like a third
    // (left of 0) or half (right of 0) of the distance to 0, at most 1. A panel then stays
    // ≥ 2 of its half-widths away from anything singular near 0: ~40 panels a side even at q = 1e12.
    const bool uniform = std::isinf(scale) || periodic;
    const double s = std::isinf(scale) ? 1.0 : std::min(1.0, scale / root_q);
    std::vector<std::pair<double, double>> panels;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
        const double a = cuts[k], b = cuts[k + 1];
        if (uniform) {
            const double want = std::ceil((b - a) / s);
            const auto m = static_cast<std::size_t>(std::clamp(want, 1.0, static_cast<double>(kMaxPanels)));
            const double h = (b - a) / static_cast<double>(m);
            for (std::size_t j = 0; j < m; ++j) panels.emplace_back(a + static_cast<double>(j) * h, j + 1 == m ? b : a + static_cast<double>(j + 1) * h);
            continue;
        }
        for (double t = a; t < b;) {
            double h = t < 0 ? std::max(s, -t / 3) : std::max(s, t / 2);
            h = std::min(h, 1.0);
            if (t < 0 && t + h > 0 && h > s) h = -t;  // land on 0 rather than straddle it with a wide panel
            const double end = std::min(b, t + h);
            panels.emplace_back(t, end);
            t = end;
        }
    }
    return panels;
}

}  // namespace

GaussRule gauss_hermite(int n) {
    check_order(n, "gauss_hermite", 150);
    return hermite_rule(n);
}

GaussRule gauss_legendre(int n) {
    check_order(n, "gauss_legendre", 400);
    return legendre_rule(n);
}

void MeanField::check_sigmas() const {
    if (!(sigma_w2_ >= 0) || !std::isfinite(sigma_w2_))
        throw Error("sigma_w2 must be a finite number >= 0, got " + py_float(sigma_w2_));
    if (!(sigma_b2_ >= 0) || !std::isfinite(sigma_b2_))
        throw Error("sigma_b2 must be a finite number >= 0, got " + py_float(sigma_b2_));
}

MeanField::MeanField(std::string_view activation, const ParamMap& params, double sigma_w2, double sigma_b2)
    : spec_(&find_function(activation)), sigma_w2_(sigma_w2), sigma_b2_(sigma_b2) {
    if (spec_->kind != Kind::Elementwise)
        throw Error("mean-field theory needs an elementwise activation; '" + std::string(activation) + "' is not one");
    params_ = resolve(*spec_, params);
    check_sigmas();
    // where φ is not smooth: the registry entry says (a built-in without it: no kinks, width 1)
    Smoothness s = spec_->smoothness ? spec_->smoothness(params_) : Smoothness{};
    kinks_.assign(s.kinks.begin(), s.kinks.end());
    std::sort(kinks_.begin(), kinks_.end());
    scale_ = s.scale;
    listed_ = spec_->smoothness != nullptr;
    periodic_ = s.periodic;
}

MeanField::MeanField(const formula::Formula& f, std::vector<double> values, double sigma_w2, double sigma_b2)
    : formula_(std::make_shared<const formula::Formula>(f)), values_(std::move(values)), sigma_w2_(sigma_w2),
      sigma_b2_(sigma_b2), scale_(1.0), listed_(false) {
    check_sigmas();
    // The scan for kinks (see the header): x in [−100, 100] in panels of 1/4 on a grid offset so
    // that no round number (0, ±1, 0.5 …) is a first-level edge; where panels keep failing down
    // to 2^-30 of that width there is a kink (kink_points).
    constexpr double kScan = 100.0, kWidth = 0.25, kOffset = 0.0123456789;
    std::vector<Panel> panels;
    for (double a = -kScan + kOffset; a < kScan; a += kWidth) panels.push_back({a, a + kWidth, 0});
    const auto f_eval = [this](const double* x, std::size_t n, double* y, double* dy) { eval(x, n, y, dy); };
    const AdaptiveSums scan = adaptive_sums(f_eval, std::move(panels), 1.0, false, 1e-13, 200000);
    kinks_ = scan.kinks;
}

MeanField MeanField::with_sigmas(double sigma_w2, double sigma_b2) const {
    MeanField m = *this;
    m.sigma_w2_ = sigma_w2;
    m.sigma_b2_ = sigma_b2;
    m.check_sigmas();
    return m;
}

std::string MeanField::name() const { return formula_ ? "the formula '" + formula_->text() + "'" : spec_->name.str(); }

void MeanField::eval(const double* x, std::size_t n, double* y, double* dy) const {
    if (formula_)
        formula_->evaluate(values_, x, n, y, dy);
    else
        spec_->elementwise(params_, x, n, y, dy);
}

std::string MeanField::rule(double q) const {
    if (formula_) return "adaptive";
    return kinks_.empty() && std::sqrt(q) <= kHermiteMaxRootQ * scale_ ? "hermite" : "split";
}

Moments MeanField::moments(double q) const {
    if (!(q >= 0) || !std::isfinite(q)) throw Error("the variance q must be a finite number >= 0, got " + py_float(q));
    const double root_q = std::sqrt(q);
    std::vector<double> z, w;
    if (q == 0) {
        // The limit q -> 0+, not the point mass at 0: half the pre-activations fall on each side of
        // a kink at 0, so every moment is the mean of its two one-sided values (φ′(±2^-1000); the
        // same as φ(0)², φ′(0)² where φ′ is continuous there). With PyTorch's φ′(0) (one branch:
        // SELU's λα, ReLU's 0) χ would jump at q* = 0 — the σ_b² = 0 edge of the phase diagram —
        // and call an ordered network chaotic (SELU at σ_w² = 0.4: q shrinks by 0.84 per layer).
        return integrate(1.0, {-0x1p-1000, 0x1p-1000}, {0.5, 0.5});
    } else if (rule(q) == "hermite") {
        static const GaussRule gh = hermite_rule(kHermiteOrder);
        return integrate(root_q, gh.z, gh.w);
    } else {
        static const GaussRule gl = legendre_rule(kPanelOrder);
        if (formula_) return adaptive(root_q);
        const std::vector<std::pair<double, double>> panels = split_panels(kinks_, root_q, scale_, periodic_);
        const double density = 1.0 / std::sqrt(2.0 * kPi);
        for (const auto& [lo, hi] : panels) {
            const double mid = 0.5 * (lo + hi), half = 0.5 * (hi - lo);
            for (std::size_t i = 0; i < gl.z.size(); ++i) {
                const double zi = mid + half * gl.z[i];
                z.push_back(zi);
                w.push_back(half * gl.w[i] * density * std::exp(-0.5 * zi * zi));
            }
        }
    }
    return integrate(root_q, z, w);
}

Moments MeanField::adaptive(double root_q) const {
    std::vector<Panel> panels;
    for (const auto& [lo, hi] : split_panels(kinks_, root_q, scale_, periodic_)) panels.push_back({lo, hi, 0});
    const auto f_eval = [this](const double* x, std::size_t n, double* y, double* dy) { eval(x, n, y, dy); };
    const AdaptiveSums a = adaptive_sums(f_eval, std::move(panels), root_q, true, 1e-15, 8000);
    return {a.sum[0], a.sum[1], a.sum[2]};
}


Moments MeanField::moments_with(double q, const GaussRule& rule) const {
    if (!(q >= 0) || !std::isfinite(q)) throw Error("the variance q must be a finite number >= 0, got " + py_float(q));
    if (rule.z.size() != rule.w.size()) throw Error("a quadrature rule needs as many weights as nodes");
    return integrate(std::sqrt(q), rule.z, rule.w);
}

Moments MeanField::integrate(double root_q, const std::vector<double>& z, const std::vector<double>& w) const {
    std::vector<double> x(z.size()), y(z.size()), dy(z.size());
    for (std::size_t i = 0; i < z.size(); ++i) x[i] = root_q * z[i];
    eval(x.data(), x.size(), y.data(), dy.data());
    Moments m;
    for (std::size_t i = 0; i < z.size(); ++i) {
        m.mean += w[i] * y[i];
        m.second += w[i] * y[i] * y[i];
        m.slope2 += w[i] * dy[i] * dy[i];
    }
    return m;
}

double MeanField::map(double q) const { return sigma_w2_ * moments(q).second + sigma_b2_; }

double MeanField::chi(double q) const { return sigma_w2_ * moments(q).slope2; }

std::vector<LayerPrediction> MeanField::layers(double q0, int depth) const {
    if (depth < 1 || depth > 10000) throw Error("depth must be in [1, 10000], got " + std::to_string(depth));
    std::vector<LayerPrediction> out;
    double q = q0;
    for (int l = 0; l < depth; ++l) {
        LayerPrediction p;
        p.q = q;
        if (std::isfinite(q)) {
            const Moments m = moments(q);
            p.post_mean = m.mean;
            p.post_second = m.second;
            p.post_var = m.second - m.mean * m.mean;
            p.chi = sigma_w2_ * m.slope2;
            q = sigma_w2_ * m.second + sigma_b2_;
        } else {
            p.post_mean = p.post_second = p.post_var = p.chi = std::numeric_limits<double>::quiet_NaN();
        }
        out.push_back(p);
    }
    return out;
}

double MeanField::fixed_point(double q0) const {
    constexpr double kHuge = 1e30, kInfQ = std::numeric_limits<double>::infinity();
    double q = q0;
    map(q);  // validates q0
    for (int l = 0; l < 100; ++l) {
        const double next = map(q);
        if (!(next <= kHuge)) return kInfQ;
        const bool settled = std::fabs(next - q) <= 1e-15 * next;
        q = next;
        if (settled) break;
    }
    const auto g = [this](double v) { return map(v) - v; };
    const double gq = g(q);
    if (gq == 0) return q;
    double step = std::max(std::fabs(gq), 1e-300);
    if (gq > 0) {  // rising towards a root above
        double lo = q, glo = gq;
        for (;;) {
            const double hi = q + step;
            if (!(hi <= kHuge)) return kInfQ;
            const double ghi = g(hi);
            if (ghi <= 0) return bracketed_root(g, lo, glo, hi, ghi, 1e-15);
            lo = hi;
            glo = ghi;
            step *= 4;
        }
    }
    double hi = q, ghi = gq;  // falling towards a root below (g(0) = map(0) >= 0)
    for (;;) {
        const double lo = std::max(0.0, q - step);
        const double glo = g(lo);
        if (glo >= 0) return lo == 0 && glo == 0 ? 0.0 : bracketed_root(g, lo, glo, hi, ghi, 1e-15);
        hi = lo;
        ghi = glo;
        step *= 2;
    }
}

double MeanField::chi_star(double q0) const {
    const double q = fixed_point(q0);
    return std::isfinite(q) ? chi(q) : std::numeric_limits<double>::infinity();
}

double critical_sigma_w2(std::string_view activation, const ParamMap& params, double sigma_b2, double q0) {
    return critical_sigma_w2(MeanField(activation, params, 1.0, sigma_b2), sigma_b2, q0);
}

double critical_sigma_w2(const MeanField& field, double sigma_b2, double q0) {
    const std::string activation = field.name();
    field.with_sigmas(1.0, sigma_b2);  // validates sigma_b2
    const auto h = [&](double s) { return field.with_sigmas(s, sigma_b2).chi_star(q0) - 1.0; };
    double lo = 1.0, hi = 1.0, hlo = h(1.0), hhi = hlo;
    if (hlo == 0) return 1.0;
    if (hlo < 0) {
        while (hhi < 0) {
            lo = hi;
            hlo = hhi;
            hi *= 2;
            if (hi > 1e4) throw Error("chi stays below 1 for sigma_w2 up to 1e4: no edge of chaos for " + std::string(activation));
            hhi = h(hi);
        }
    } else {
        while (hlo > 0) {
            hi = lo;
            hhi = hlo;
            lo *= 0.5;
            if (lo < 1e-6) throw Error("chi stays above 1 for sigma_w2 down to 1e-6: no edge of chaos for " + std::string(activation));
            hlo = h(lo);
        }
    }
    return bracketed_root(h, lo, hlo, hi, hhi, 1e-13);
}

}  // namespace lab::nn
