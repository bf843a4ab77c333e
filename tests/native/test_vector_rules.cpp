// The vector activations' rules (Softmax, Softmin, LogSoftmax, GLU): entries of y and of the
// Jacobian written by hand as rows {function, params, x, entry, expected, why}, the identities that
// tie the four together, and the dims PyTorch rejects. Jacobians are row-major, rows = outputs:
// J[i][j] = d y[i] / d x[j]. The comparison is support.hpp's one rule.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "support.hpp"

using labtest::check_close;
using labtest::kInf;
using labtest::Params;
using labtest::T;

namespace {

lab::VectorResult vec(std::string_view name, const std::vector<double>& x, const Params& params = {}) {
    return lab::evaluate_vector(name, params, x);
}

// Jacobian entry d y[i] / d x[j].
double J(const lab::VectorResult& r, std::size_t i, std::size_t j) {
    return r.jacobian[i * (r.jacobian.size() / r.y.size()) + j];
}

const double kSoftmaxZ = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
const double kGluS0 = 1.0 / (1.0 + std::exp(-0.5)), kGluS1 = 1.0 / (1.0 + std::exp(-3.0));
const std::vector<double> kGluX{1.0, -2.0, 0.5, 3.0};  // a = [1, -2], b = [0.5, 3]

}  // namespace

TEST_CASE("vector activations: entries of y and of the Jacobian") {
    constexpr int kY = -1;  // `col` for an entry of y rather than of the Jacobian
    struct Entry {
        std::string function;
        Params params;
        std::vector<double> x;
        int row, col;  // y[row], or J[row][col]
        double expected;
        std::string why;
    };
    const std::vector<Entry> table{
        {"Softmax", {}, {1.0, 2.0, 3.0}, 2, kY, std::exp(3.0) / kSoftmaxZ, "e^x_i / sum_j e^x_j"},
        {"Softmax", {}, {800.0, 799.0}, 0, kY, 1.0 / (1.0 + std::exp(-1.0)),
         "800 does not overflow: max is subtracted"},
        {"Softmax", {}, {800.0, 799.0}, 1, kY, 0.26894142136999516, "800 does not overflow: max is subtracted"},
        {"Softmax", {}, {-kInf, 0.0}, 0, kY, 0.0, "a -inf entry gets probability 0"},
        {"Softmax", {}, {-kInf, 0.0}, 1, kY, 1.0, "... and the rest share all of it"},
        {"LogSoftmax", {}, {1e10, 1e10 + 1}, 0, kY, -1.3132616875182228,
         "(x - max) - log(sum) keeps the digits of large, nearly equal inputs"},
        {"LogSoftmax", {}, {1e10, 1e10 + 1}, 1, kY, -0.31326168751822286,
         "(x - max) - log(sum) keeps the digits of large, nearly equal inputs"},
        {"LogSoftmax", {}, {800.0, -800.0}, 1, kY, -1600.0, "finite where log(softmax) would be -inf"},
        {"GLU", {}, kGluX, 0, kY, 1.0 * kGluS0, "first half times the sigmoid of the second half"},
        {"GLU", {}, kGluX, 1, kY, -2.0 * kGluS1, "first half times the sigmoid of the second half"},
        {"GLU", {}, kGluX, 0, 0, kGluS0, "d y_i / d a_i = sigmoid(b_i)"},
        {"GLU", {}, kGluX, 0, 1, 0.0, "y_0 does not depend on a_1"},
        {"GLU", {}, kGluX, 0, 2, (1.0 - kGluS0) * kGluS0 * 1.0, "d y_i / d b_i = a_i sigmoid'(b_i)"},
        {"GLU", {}, kGluX, 0, 3, 0.0, "y_0 does not depend on b_1"},
        {"GLU", {}, kGluX, 1, 1, kGluS1, "d y_i / d a_i = sigmoid(b_i)"},
        {"GLU", {}, kGluX, 1, 3, (1.0 - kGluS1) * kGluS1 * -2.0, "d y_i / d b_i = a_i sigmoid'(b_i)"},
    };
    for (const Entry& e : table) {
        const std::string params = labtest::show(e.params), x = labtest::show(labtest::T(e.x));
        CAPTURE(e.why);
        CAPTURE(e.function);
        CAPTURE(params);
        CAPTURE(x);
        CAPTURE(e.row);
        CAPTURE(e.col);
        const lab::VectorResult r = vec(e.function, e.x, e.params);
        check_close(e.col == kY ? r.y[e.row] : J(r, e.row, e.col), e.expected);
    }
}

TEST_CASE("vector activations: output length and Jacobian shape") {
    struct Shape {
        std::string function;
        std::vector<double> x;
        std::size_t outputs;
        std::string why;
    };
    const std::vector<Shape> table{
        {"Softmax", {1.0, 2.0, 3.0}, 3, "one probability per input"},
        {"GLU", kGluX, 2, "GLU halves the length"},
    };
    for (const Shape& s : table) {
        CAPTURE(s.why);
        CAPTURE(s.function);
        const lab::VectorResult r = vec(s.function, s.x);
        REQUIRE(r.y.size() == s.outputs);
        REQUIRE(r.jacobian.size() == s.outputs * s.x.size());
    }
}

// Properties over all entries at once: plain loops, each check capturing its indices.
TEST_CASE("Softmax: a probability distribution whose Jacobian is diag(s) - s s^T") {
    const lab::VectorResult r = vec("Softmax", {1.0, 2.0, 3.0});
    double sum = 0.0;
    for (double v : r.y) {
        CHECK(v > 0.0);
        sum += v;
    }
    check_close(sum, 1.0);
    for (std::size_t i = 0; i < 3; ++i) {
        double row = 0.0;
        for (std::size_t j = 0; j < 3; ++j) {
            CAPTURE(i);
            CAPTURE(j);
            check_close(J(r, i, j), (i == j ? r.y[i] : 0.0) - r.y[i] * r.y[j]);
            check_close(J(r, i, j), J(r, j, i));  // symmetric
            row += J(r, i, j);
        }
        CAPTURE(row);
        CHECK(std::fabs(row) < 1e-15);  // rows sum to 0, up to the rounding of the three terms
    }
}

TEST_CASE("identities between the vector activations") {
    const std::vector<double> x{1.0, 2.0, 3.0}, minus_x{-1.0, -2.0, -3.0};
    const lab::VectorResult softmax = vec("Softmax", x), softmax_minus = vec("Softmax", minus_x);
    {
        INFO("adding a constant changes nothing");
        check_close(vec("Softmax", {0.0, -1.0}).y[0], vec("Softmax", {800.0, 799.0}).y[0]);
    }
    {
        INFO("dim None, 0 and -1 are the same dimension of a 1-D input, bit for bit");
        const lab::VectorResult a = vec("Softmax", x, {{"dim", 0}}), b = vec("Softmax", x, {{"dim", -1}});
        for (std::size_t i = 0; i < 3; ++i) {
            CAPTURE(i);
            CHECK(a.y[i] == softmax.y[i]);
            CHECK(b.y[i] == softmax.y[i]);
        }
        CHECK(vec("GLU", kGluX).y == vec("GLU", kGluX, {{"dim", 0}}).y);
    }
    {
        INFO("Softmin is softmax of -x (the smallest entry gets the largest weight); its Jacobian is minus "
             "softmax's at -x");
        const lab::VectorResult r = vec("Softmin", x);
        for (std::size_t i = 0; i < 3; ++i) check_close(r.y[i], softmax_minus.y[i]);
        CHECK(r.y[0] > r.y[2]);
        for (std::size_t k = 0; k < 9; ++k) check_close(r.jacobian[k], -softmax_minus.jacobian[k]);
    }
    {
        INFO("exp(LogSoftmax) is Softmax, and LogSoftmax's Jacobian is I - 1 softmax^T");
        const lab::VectorResult r = vec("LogSoftmax", x);
        for (std::size_t i = 0; i < 3; ++i) {
            CAPTURE(i);
            CHECK(r.y[i] < 0.0);
            check_close(std::exp(r.y[i]), softmax.y[i]);
        }
        for (std::size_t i = 0; i < 3; ++i)
            for (std::size_t j = 0; j < 3; ++j) {
                CAPTURE(i);
                CAPTURE(j);
                check_close(J(r, i, j), (i == j ? 1.0 : 0.0) - softmax.y[j]);
            }
    }
}

TEST_CASE("vector activations: inputs and dims PyTorch rejects, with its exact message") {
    struct Rejected {
        std::string function;
        Params params;
        std::vector<double> x;
        std::string message;
        std::string why;
    };
    const std::vector<double> x{1.0, 2.0, 3.0};
    const std::vector<Rejected> table{
        {"Softmax", {{"dim", 1}}, x, "Dimension out of range (expected to be in range of [-1, 0], but got 1)",
         "a 1-D input has only dim 0 (= -1)"},
        {"Softmax", {{"dim", -2}}, x, "Dimension out of range (expected to be in range of [-1, 0], but got -2)",
         "a 1-D input has only dim 0 (= -1)"},
        {"Softmin", {{"dim", 1}}, x, "Dimension out of range (expected to be in range of [-1, 0], but got 1)",
         "a 1-D input has only dim 0 (= -1)"},
        {"LogSoftmax", {{"dim", 2}}, x, "Dimension out of range (expected to be in range of [-1, 0], but got 2)",
         "a 1-D input has only dim 0 (= -1)"},
        {"GLU", {{"dim", nullptr}}, kGluX, "glu(): argument 'dim' (position 2) must be int, not NoneType",
         "dim=None is not allowed: F.glu needs an int"},
        {"GLU", {}, {1.0, 2.0, 3.0}, "Halving dimension must be even, but dimension 0 is size 3",
         "an odd length cannot be halved"},
        {"GLU", {{"dim", 1}}, kGluX, "Dimension out of range (expected to be in range of [-1, 0], but got 1)",
         "a 1-D input has only dim 0 (= -1)"},
    };
    for (const Rejected& r : table) {
        const std::string params = labtest::show(r.params);
        CAPTURE(r.why);
        CAPTURE(r.function);
        CAPTURE(params);
        CHECK(labtest::error_of([&] { vec(r.function, r.x, r.params); }) == r.message);
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
        const lab::VectorResult r = lab::evaluate_vector(f.name, {}, x);
        CHECK(r.jacobian.size() == r.y.size() * x.size());
        // ±800 stays finite
        const lab::VectorResult big = lab::evaluate_vector(f.name, {}, {800.0, -800.0, 799.0, 0.0});
        for (double v : big.y) CHECK(std::isfinite(v));
        for (double v : big.jacobian) CHECK(std::isfinite(v));
        // an empty input gives an empty output
        const lab::VectorResult e = lab::evaluate_vector(f.name, {}, {});
        CHECK(e.y.empty());
        CHECK(e.jacobian.empty());
    }
}

// N-D input: the function runs on every slice along dim, as PyTorch applies it; the Jacobian is
// one (m, n) block per slice, shaped x's shape without dim, then (m, n).
TEST_CASE("vector activations over an N-D input: slices along dim, one Jacobian per slice") {
    struct Row {
        std::string function;
        Params params;
        lab::Tensor x;
        lab::Tensor y, jacobian;
        std::int64_t dim;
        std::string why;
    };
    const auto s = [](const std::vector<double>& v) { return vec("Softmax", v); };
    const auto ls = [](const std::vector<double>& v) { return vec("LogSoftmax", v); };
    const lab::VectorResult r0 = s({1.0, 2.0, 0.5}), r1 = s({0.1, 0.2, 3.0});
    const lab::VectorResult c0 = s({1.0, 0.1}), c1 = s({2.0, 0.2}), c2 = s({0.5, 3.0});
    const lab::Tensor x23 = T({2, 3}, {1.0, 2.0, 0.5, 0.1, 0.2, 3.0});
    const auto cat = [](std::initializer_list<std::vector<double>> parts) {
        std::vector<double> out;
        for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
        return out;
    };
    const lab::VectorResult g0 = vec("GLU", {1.0, -2.0, 0.5, 3.0}), g1 = vec("GLU", {0.0, 1.0, 2.0, -1.0});
    const lab::VectorResult l0 = ls({1.0, 0.0}), l1 = ls({2.0, 0.0});  // (2, 1, 2) along dim 0: pairs (1, 0), (2, 0)
    const std::vector<Row> table{
        {"Softmax", {{"dim", 1}}, x23, T({2, 3}, cat({r0.y, r1.y})), T({2, 3, 3}, cat({r0.jacobian, r1.jacobian})), 1,
         "dim=1 of an (N, C) batch: each row is a distribution, each row has its own 3x3 Jacobian"},
        {"Softmax", {{"dim", -1}}, x23, T({2, 3}, cat({r0.y, r1.y})), T({2, 3, 3}, cat({r0.jacobian, r1.jacobian})), 1,
         "dim=-1 is the last dim"},
        {"Softmax", {}, x23, T({2, 3}, cat({r0.y, r1.y})), T({2, 3, 3}, cat({r0.jacobian, r1.jacobian})), 1,
         "dim=None picks 1 for a 2-D input (_get_softmax_dim)"},
        {"Softmax", {{"dim", 0}}, x23, T({2, 3}, {c0.y[0], c1.y[0], c2.y[0], c0.y[1], c1.y[1], c2.y[1]}),
         T({3, 2, 2}, cat({c0.jacobian, c1.jacobian, c2.jacobian})), 0,
         "dim=0: each column is a distribution; the Jacobians are per column, in column order"},
        {"Softmax", {{"dim", -2}}, x23, T({2, 3}, {c0.y[0], c1.y[0], c2.y[0], c0.y[1], c1.y[1], c2.y[1]}),
         T({3, 2, 2}, cat({c0.jacobian, c1.jacobian, c2.jacobian})), 0, "dim=-2 is dim 0 of a 2-D input"},
        {"LogSoftmax", {}, T({2, 1, 2}, {1.0, 2.0, 0.0, 0.0}), T({2, 1, 2}, {l0.y[0], l1.y[0], l0.y[1], l1.y[1]}),
         T({1, 2, 2, 2}, cat({l0.jacobian, l1.jacobian})), 0, "dim=None picks 0 for a 3-D input (_get_softmax_dim)"},
        {"GLU", {}, T({2, 4}, {1.0, -2.0, 0.5, 3.0, 0.0, 1.0, 2.0, -1.0}), T({2, 2}, cat({g0.y, g1.y})),
         T({2, 2, 4}, cat({g0.jacobian, g1.jacobian})), 1, "GLU halves the last dim of each row: (2, 4) -> (2, 2)"},
        {"Softmax", {}, T(lab::Shape{}, {0.7}), T(lab::Shape{}, {1.0}), T(lab::Shape{}, {0.0}), 0,
         "a 0-dim input is one slice of one element: softmax 1, a 0-dim Jacobian 0 (as autograd's)"},
        {"Softmax", {{"dim", 1}}, T({0, 3}, {}), T({0, 3}, {}), T({0, 3, 3}, {}), 1,
         "an empty batch gives empty results of the right shapes"},
        {"GLU", {{"dim", 1}}, T({0, 4}, {}), T({0, 2}, {}), T({0, 2, 4}, {}), 1, "... GLU's too"},
        {"Softmax", {{"dim", 1}}, T({2, 0}, {}), T({2, 0}, {}), T({2, 0, 0}, {}), 1, "empty slices"},
    };
    for (const Row& r : table) {
        const std::string params = labtest::show(r.params), x = labtest::show(r.x);
        CAPTURE(r.why);
        CAPTURE(r.function);
        CAPTURE(params);
        CAPTURE(x);
        const lab::VectorTensorResult out = lab::evaluate_vector_tensor(r.function, r.params, r.x);
        labtest::check_tensor(out.y, r.y, "y");
        labtest::check_tensor(out.jacobian, r.jacobian, "jacobian");
        CHECK(out.dim == r.dim);
    }
}

TEST_CASE("vector activations over an N-D input: dims PyTorch rejects, with its exact message") {
    struct Rejected {
        std::string function;
        Params params;
        lab::Tensor x;
        std::string message;
        std::string why;
    };
    const lab::Tensor x23 = T({2, 3}, {1.0, 2.0, 0.5, 0.1, 0.2, 3.0});
    const std::vector<Rejected> table{
        {"Softmax", {{"dim", 2}}, x23, "Dimension out of range (expected to be in range of [-2, 1], but got 2)",
         "a 2-D input has dims -2 to 1"},
        {"LogSoftmax", {{"dim", -3}}, x23, "Dimension out of range (expected to be in range of [-2, 1], but got -3)",
         "a 2-D input has dims -2 to 1"},
        {"Softmin", {{"dim", 3}}, T({1, 1, 1}, {0.0}),
         "Dimension out of range (expected to be in range of [-3, 2], but got 3)", "a 3-D input has dims -3 to 2"},
        {"Softmax", {{"dim", 1}}, T(lab::Shape{}, {0.5}),
         "Dimension out of range (expected to be in range of [-1, 0], but got 1)", "a 0-dim input wraps like a 1-D one"},
        {"GLU", {}, x23, "Halving dimension must be even, but dimension 1 is size 3",
         "GLU's default dim -1 is dim 1 here, of odd size; the message names the wrapped dim"},
        {"GLU", {{"dim", 2}}, x23, "Dimension out of range (expected to be in range of [-2, 1], but got 2)",
         "GLU checks the range first"},
        {"GLU", {}, T(lab::Shape{}, {0.5}), "glu does not support scalars because halving size must be even",
         "a 0-dim input cannot be halved"},
        {"GLU", {{"dim", 0}}, T({3, 0}, {}), "Halving dimension must be even, but dimension 0 is size 3",
         "an empty input is still checked"},
    };
    for (const Rejected& r : table) {
        const std::string params = labtest::show(r.params), x = labtest::show(r.x);
        CAPTURE(r.why);
        CAPTURE(r.function);
        CAPTURE(params);
        CAPTURE(x);
        CHECK(labtest::error_of([&] { lab::evaluate_vector_tensor(r.function, r.params, r.x); }) == r.message);
    }
}
