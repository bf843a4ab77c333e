// Issue 11's formula language held to PyTorch: every row of tests/reference/formula.json (written by
// generate_formula.py from the same formulas hand-written with torch functions, never from our code
// generator) through lab::formula::Formula::parse / values / evaluate. Values and autograd's
// derivatives must meet support.hpp's rule (relative 1e-12, NaN only against NaN, an infinity only
// against the same one) AND carry the sign of every zero: the rows are about ±0 as much as about
// kinks (sqrt′(-0) = -inf, tanh(x)^2 at -0 has derivative -0.0), so close_signed, never close.
// All points of a row go through one evaluate call (the evaluator works block by block), and the
// values-only call (dy = nullptr) must give the same bits. The only points left out are a row's
// "odd" ones: where the generator found PyTorch's own tan/log1p (SLEEF) further than 1e-12 from
// the correctly rounded value (±5e-324); there we must still differ from PyTorch, or the entry
// is stale.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "formula.hpp"
#include "reference.hpp"
#include "support.hpp"

namespace {

using labtest::json;

std::vector<double> numbers(const json& j) {
    std::vector<double> out;
    for (const auto& v : j) out.push_back(labtest::number(v));
    return out;
}

std::map<std::string, double> given(const json& j) {
    std::map<std::string, double> out;
    for (const auto& [k, v] : j.items()) out[k] = labtest::number(v);
    return out;
}

std::string show(const std::map<std::string, double>& p) {
    std::string s = "{";
    for (const auto& [k, v] : p) s += (s.size() > 1 ? ", " : "") + k + "=" + lab::py_float(v);
    return s + "}";
}

// Bit for bit; any NaN equals any NaN (its sign and payload are no part of PyTorch's answer).
bool same_bits(double a, double b) {
    if (std::isnan(a) && std::isnan(b)) return true;
    std::uint64_t x, y;
    std::memcpy(&x, &a, sizeof x);
    std::memcpy(&y, &b, sizeof y);
    return x == y;
}

}  // namespace

TEST_CASE("formula.json: the file holds what its generator promises") {
    const auto& cases = labtest::reference("formula").at("cases");
    std::set<std::string> formulas;
    for (const auto& c : cases) {
        const std::string text = c.at("formula");
        CAPTURE(text);
        formulas.insert(text);
        CHECK(!c.at("why").get<std::string>().empty());
        CHECK(!c.at("torch").get<std::string>().empty());
        const auto x = numbers(c.at("x"));
        REQUIRE(x.size() == c.at("y").size());
        REQUIRE(x.size() == c.at("dy").size());
        // Every grid has both zeros, the non-finite points and the extremes.
        bool pos0 = false, neg0 = false, nan = false, pinf = false, ninf = false, big = false, tiny = false;
        for (double v : x) {
            pos0 |= v == 0.0 && !std::signbit(v);
            neg0 |= v == 0.0 && std::signbit(v);
            nan |= std::isnan(v);
            pinf |= v == labtest::kInf;
            ninf |= v == -labtest::kInf;
            big |= v == 1e300 || v == 710.0;
            tiny |= v == 5e-324;
        }
        CHECK((pos0 && neg0 && nan && pinf && ninf && big && tiny));
    }
    CHECK(formulas.size() >= 40);
}

TEST_CASE("formula.json: every row through Formula::parse/evaluate equals PyTorch") {
    const auto& cases = labtest::reference("formula").at("cases");
    std::ostringstream wrong;  // one line per row that misses, printed at the end
    int wrong_rows = 0;
    for (const auto& c : cases) {
        const std::string text = c.at("formula");
        const std::string why = c.at("why");
        const auto params = given(c.at("params"));
        const std::string params_shown = show(params);
        CAPTURE(text);
        CAPTURE(params_shown);
        CAPTURE(why);
        const auto x = numbers(c.at("x"));
        const auto want_y = numbers(c.at("y"));
        const auto want_dy = numbers(c.at("dy"));

        std::string parse_error;
        std::vector<double> y(x.size()), dy(x.size()), y_only(x.size());
        try {
            const auto f = lab::formula::Formula::parse(text);
            const auto values = f.values(params);
            f.evaluate(values, x.data(), x.size(), y.data(), dy.data());
            f.evaluate(values, x.data(), x.size(), y_only.data(), nullptr);
            // whether PyTorch's y has a grad_fn (y.backward() works), a property of the text
            CHECK(f.differentiable() == c.at("differentiable").get<bool>());
        } catch (const lab::Error& e) {
            parse_error = e.what();
        }
        CHECK(parse_error == "");
        if (!parse_error.empty()) {
            ++wrong_rows;
            wrong << text << " " << params_shown << ": throws \"" << parse_error << "\"\n";
            continue;
        }
        std::vector<double> odd;
        if (c.contains("odd"))
            for (const auto& o : c.at("odd")) odd.push_back(labtest::number(o.at("x")));
        int bad_y = 0, bad_dy = 0;
        std::string first;
        for (std::size_t i = 0; i < x.size(); ++i) {
            const labtest::Exact at{x[i]};
            CAPTURE(at);
            bool is_odd = false;
            for (double o : odd) is_odd |= same_bits(o, x[i]);
            if (is_odd) {
                INFO("an 'odd' point (PyTorch's SLEEF off in the subnormal range): still different from PyTorch");
                CHECK(!(labtest::close_signed(y[i], want_y[i]) && labtest::close_signed(dy[i], want_dy[i])));
                continue;
            }
            {
                INFO("y");
                labtest::check_close(y[i], want_y[i], true);
            }
            {
                INFO("dy");
                labtest::check_close(dy[i], want_dy[i], true);
            }
            {
                INFO("y without dy: the same bits");
                CHECK(same_bits(y_only[i], y[i]));
            }
            const bool ok_y = labtest::close_signed(y[i], want_y[i]);
            const bool ok_dy = labtest::close_signed(dy[i], want_dy[i]);
            bad_y += !ok_y;
            bad_dy += !ok_dy;
            if ((!ok_y || !ok_dy) && first.empty())
                first = "x=" + lab::py_float(x[i]) + ": y " + lab::py_float(y[i]) + " (torch " + lab::py_float(want_y[i]) +
                        "), dy " + lab::py_float(dy[i]) + " (torch " + lab::py_float(want_dy[i]) + ")";
        }
        if (bad_y || bad_dy) {
            ++wrong_rows;
            wrong << text << " " << params_shown << ": " << bad_y << " y and " << bad_dy << " dy of " << x.size()
                  << " points differ; first " << first << "\n";
        }
    }
    if (wrong_rows) MESSAGE("formula.json rows that differ from PyTorch (" << wrong_rows << "):\n" << wrong.str());
}
