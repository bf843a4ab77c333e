// The depth view's engine calls (issue 10): gradients without weights, set_modules, and the
// BlockPass (core/nn_pass.hpp). Every comparison here is bit for bit (==, NaN with NaN): the
// claim is that these are the same arithmetic as gradients() + statistics(), not close to it.
//   (a) a pass advanced to the end gives gradients()' loss and statistics;
//   (b) after r rows its statistics are those of gradients() on the first r rows alone;
//   (c) the block sizes change nothing;
//   (d) two passes of the same network, one from each end, exchanging rows (rows/set_rows, the
//       page's Web Worker), end with gradients()' bits too;
// for several modules and sum-reduced losses (elementwise and vector output modules, class-index
// and dense targets), with and without ∂L/∂W.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "nn_model.hpp"
#include "nn_pass.hpp"
#include "nn_random.hpp"
#include "nn_stats.hpp"
#include "stats_same.hpp"
#include "support.hpp"
#include "nn_randn.hpp"

namespace {

using namespace lab::nn;
using labtest::error_of;

using labtest::check_same;
using labtest::same;

using labtest::randn;

lab::Tensor first_rows(const lab::Tensor& t, std::int64_t r) {
    lab::Shape s = t.shape;
    s[0] = r;
    const std::size_t w = t.numel() / static_cast<std::size_t>(t.shape[0]);
    return lab::Tensor(s, std::vector<double>(t.data.begin(), t.data.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(r) * w)));
}

struct Case {
    const char* why;
    NetworkSpec spec;
    lab::Tensor target;  // for kRows rows
};

constexpr std::int64_t kRows = 23;

std::vector<Case> cases() {
    auto net = [](std::vector<std::int64_t> sizes, ModuleSpec act, std::optional<ModuleSpec> out, ModuleSpec loss) {
        NetworkSpec s;
        s.sizes = std::move(sizes);
        s.activation = std::move(act);
        s.output = std::move(out);
        s.seed = 3;
        s.loss = std::move(loss);
        return s;
    };
    const labtest::Params sum{{"reduction", "sum"}};
    std::vector<double> classes(kRows);
    for (std::int64_t i = 0; i < kRows; ++i) classes[static_cast<std::size_t>(i)] = static_cast<double>((i * 7) % 4);
    lab::Tensor idx = labtest::T(classes);
    lab::Tensor probs = randn(kRows, 4, 9, 0.3);
    for (double& v : probs.data) v = 1.0 / (1.0 + std::exp(-v));
    return {
        {"tanh, MSELoss(sum) against zeros (the depth view)", net({6, 8, 8, 8, 5}, {"Tanh", {}}, ModuleSpec{"Tanh", {}}, {"MSELoss", sum}),
         lab::Tensor(lab::Shape{kRows, 5}, std::vector<double>(kRows * 5))},
        {"ReLU (dead units), Huber(sum), no output module", net({6, 10, 10, 5}, {"ReLU", {}}, std::nullopt, {"HuberLoss", sum.with("delta", 0.5)}),
         randn(kRows, 5, 11)},
        {"ELU, Softmax output (a Jacobian), CrossEntropy(sum) on class indices",
         net({6, 7, 4}, {"ELU", labtest::Params{{"alpha", 0.7}}}, ModuleSpec{"Softmax", {}}, {"CrossEntropyLoss", sum.with("label_smoothing", 0.1)}), idx},
        {"GELU, LogSoftmax output, NLLLoss(sum)", net({6, 9, 4}, {"GELU", {}}, ModuleSpec{"LogSoftmax", {}}, {"NLLLoss", sum}), idx},
        {"Sigmoid, BCEWithLogits(sum) on probabilities", net({6, 5, 5, 4}, {"Sigmoid", {}}, std::nullopt, {"BCEWithLogitsLoss", sum}), probs},
        {"Softplus, GLU output, MultiMargin(sum)", net({6, 8, 8}, {"Softplus", {}}, ModuleSpec{"GLU", {}}, {"MultiMarginLoss", sum}), idx},
    };
}

}  // namespace

TEST_CASE("nn_pass: gradients without weights — the same pass, no dL/dW, NaN norms") {
    for (const Case& c : cases()) {
        CAPTURE(c.why);
        const lab::Tensor x = randn(kRows, c.spec.sizes[0], 5);
        Network with(c.spec), without(c.spec);
        const GradientResult a = with.gradients(x, c.target);
        const GradientResult b = without.gradients(x, c.target, false);
        CHECK(same(a.loss, b.loss));
        CHECK(b.grads.empty());
        std::vector<LayerStats> sa = layer_statistics(with), sb = layer_statistics(without);
        for (std::size_t l = 0; l < sb.size(); ++l) {
            CHECK(std::isnan(sb[l].weight_grad_norm));
            CHECK(std::isnan(sb[l].bias_grad_norm));
            CHECK(sa[l].weight_grad_norm > 0.0);
            sa[l].weight_grad_norm = sa[l].bias_grad_norm = std::nan("");
        }
        check_same(sa, sb);
    }
}

TEST_CASE("nn_pass: a pass in blocks is gradients() bit for bit — whole, after r rows, any block sizes") {
    StatsOptions o;
    o.bins = 16;
    o.saturation = 0.05;
    StatsOptions shared = o;
    shared.shared = true;
    for (const Case& c : cases()) {
        for (const bool weights : {true, false}) {
            CAPTURE(c.why);
            CAPTURE(weights);
            const lab::Tensor x = randn(kRows, c.spec.sizes[0], 5);
            Network ref(c.spec);
            const GradientResult whole = ref.gradients(x, c.target, weights);
            const auto ref_stats = layer_statistics(ref, o), ref_shared = layer_statistics(ref, shared);

            // (a) and (c): blocks of 1, 5, 7 and all rows at once end with the same numbers.
            for (const std::int64_t block : {std::int64_t{1}, std::int64_t{5}, std::int64_t{7}, kRows, std::int64_t{100}}) {
                CAPTURE(block);
                Network net(c.spec);
                BlockPass pass(net, x, c.target, weights);
                BlockPass::Progress p;
                do p = pass.advance(block);
                while (p.done < p.total);
                CHECK(p.total == kRows);
                REQUIRE(p.loss.has_value());
                CHECK(same(*p.loss, whole.loss));
                check_same(pass.statistics(o), ref_stats);
                check_same(pass.statistics(shared), ref_shared);
                check_same(layer_statistics(net, o), ref_stats);  // now the network's last pass
                // past the end: nothing more, the same answer
                const BlockPass::Progress again = pass.advance(3);
                CHECK(again.done == kRows);
                CHECK(same(*again.loss, whole.loss));
            }
            // (b): after r rows, gradients() on those r rows alone.
            Network net(c.spec);
            BlockPass pass(net, x, c.target, weights);
            std::int64_t r = 0;
            for (const std::int64_t block : {std::int64_t{1}, std::int64_t{4}, std::int64_t{9}}) {
                const BlockPass::Progress p = pass.advance(block);
                r += block;
                CHECK(p.done == r);
                CHECK_FALSE(p.loss.has_value());
                Network sub(c.spec);
                sub.gradients(first_rows(x, r), first_rows(c.target, r), weights);
                CAPTURE(r);
                check_same(pass.statistics(o), layer_statistics(sub, o));
                check_same(pass.statistics(shared), layer_statistics(sub, shared));
            }
        }
    }
}

TEST_CASE("nn_pass: what a pass refuses, and when it stops being valid") {
    NetworkSpec spec;
    spec.sizes = {3, 4, 2};
    spec.loss = ModuleSpec{"MSELoss", labtest::Params{{"reduction", "sum"}}};
    const lab::Tensor x = randn(6, 3, 1), t = randn(6, 2, 2);
    Network net(spec);
    {
        NetworkSpec mean = spec;
        mean.loss = ModuleSpec{"MSELoss", {}};
        Network m(mean);
        CHECK(error_of([&] { BlockPass(m, x, t); }) ==
              "pass: the loss must have reduction='sum' (then each example's forward and backward depend on that example "
              "alone), got reduction='mean'");
        NetworkSpec none = spec;
        none.loss.reset();
        Network n(none);
        CHECK(error_of([&] { BlockPass(n, x, t); }) == "loss: the network was made without a loss; gradients() and step() need one");
    }
    CHECK(error_of([&] { BlockPass(net, randn(6, 2, 1), t); }).rfind("input: mat1 and mat2 shapes cannot be multiplied", 0) == 0);
    CHECK(error_of([&] { BlockPass(net, x, randn(6, 3, 1)); }) ==
          "target: MSELoss expects a target of shape torch.Size([6, 2]) (the network's output), got torch.Size([6, 3])");
    {  // a target's values are checked at once, not when its row's block comes
        NetworkSpec ce = spec;
        ce.loss = ModuleSpec{"CrossEntropyLoss", labtest::Params{{"reduction", "sum"}}};
        Network n(ce);
        CHECK(error_of([&] { BlockPass(n, x, labtest::T({0, 1, 0, 1, 0, 2})); }).rfind("loss: ", 0) == 0);
    }
    BlockPass pass(net, x, t);
    CHECK(error_of([&] { pass.statistics(); }) == "statistics: the pass has no examples yet; call advance(rows) first");
    CHECK(error_of([&] { pass.advance(0); }) == "rows: expected a whole number of examples ≥ 1, got 0");
    pass.advance(2);
    CHECK(pass.progress().done == 2);

    const std::string stale = "pass: the network has run another pass since (or its parameters or modules changed); make a new pass";
    net.predict(x);  // predict() runs no pass
    CHECK(pass.advance(1).done == 3);
    net.gradients(x, t);
    CHECK(error_of([&] { pass.advance(1); }) == stale);
    CHECK(error_of([&] { pass.statistics(); }) == stale);
    BlockPass p2(net, x, t);
    p2.advance(1);
    net.set_parameters(net.parameters());
    CHECK(error_of([&] { p2.advance(1); }) == stale);
    BlockPass p3(net, x, t);
    BlockPass p4(net, x, t);  // a newer pass ends the older one
    CHECK(error_of([&] { p3.advance(1); }) == stale);
    p4.advance(1);
    net.set_modules({"ReLU", {}}, std::nullopt);
    CHECK(error_of([&] { p4.advance(1); }) == stale);

    std::optional<BlockPass> orphan;
    {
        Network gone(spec);
        orphan.emplace(gone, x, t);
    }
    CHECK(error_of([&] { orphan->advance(1); }) == "pass: the network has been deleted");
}

// (d) The page's two threads: pass `a` advances from the start, pass `b` (another network of the
// same spec: the same weights) from the end, and each block b computes is imported into a, as the
// worker's blocks are; a's prefix statistics stay the prefix's meanwhile.
TEST_CASE("nn_pass: two passes from both ends, exchanging rows, are gradients() bit for bit") {
    StatsOptions o;
    o.bins = 16;
    o.saturation = 0.05;
    struct Split {
        std::int64_t first, a_block, b_block;
    };
    const Split splits[] = {{0, 3, 4}, {1, 1, 1}, {2, 5, 23}, {6, 2, 7}, {23, 1, 5}, {0, 100, 3}};
    for (const Case& c : cases()) {
        for (const bool weights : {true, false}) {
            const lab::Tensor x = randn(kRows, c.spec.sizes[0], 5);
            Network ref(c.spec);
            const GradientResult whole = ref.gradients(x, c.target, weights);
            const auto ref_stats = layer_statistics(ref, o);
            for (const Split& sp : splits) {
                CAPTURE(c.why);
                CAPTURE(weights);
                CAPTURE(sp.first);
                CAPTURE(sp.a_block);
                CAPTURE(sp.b_block);
                Network na(c.spec), nb(c.spec);
                BlockPass a(na, x, c.target, weights), b(nb, x, c.target, weights);
                CHECK(a.values_per_row() == b.values_per_row());
                BlockPass::Progress p = sp.first ? a.advance(sp.first) : a.progress();
                std::int64_t b_top = kRows;
                bool checked_prefix = false;
                while (p.done < p.total) {
                    const std::int64_t from = std::max<std::int64_t>(b_top - sp.b_block, 0);
                    if (b_top > 0) {
                        b.advance(sp.b_block, true);
                        const std::vector<double> rows = b.rows(from, b_top);
                        CHECK(rows.size() == b.values_per_row() * static_cast<std::size_t>(b_top - from));
                        p = a.set_rows(from, rows.data(), rows.size());
                        b_top = from;
                    }
                    if (p.done < p.total && p.done > 0 && !checked_prefix) {  // the prefix's statistics, the suffix aside
                        CHECK(p.top <= std::max(from, p.done));
                        Network sub(c.spec);
                        sub.gradients(first_rows(x, p.done), first_rows(c.target, p.done), weights);
                        check_same(a.statistics(o), layer_statistics(sub, o));
                        checked_prefix = true;
                    }
                    if (p.done < p.total) p = a.advance(sp.a_block);
                }
                CHECK(p.top == kRows);
                REQUIRE(p.loss.has_value());
                CHECK(same(*p.loss, whole.loss));
                check_same(a.statistics(o), ref_stats);
                check_same(layer_statistics(na, o), ref_stats);
            }
        }
    }
}

TEST_CASE("nn_pass: what rows() and set_rows() refuse — and the pass goes on") {
    NetworkSpec spec;
    spec.sizes = {3, 4, 2};
    spec.activation = ModuleSpec{"Tanh", {}};
    spec.output = ModuleSpec{"Tanh", {}};
    spec.loss = ModuleSpec{"MSELoss", labtest::Params{{"reduction", "sum"}}};
    const lab::Tensor x = randn(6, 3, 1), t = randn(6, 2, 2);
    Network net(spec), other(spec), ref(spec);
    const GradientResult whole = ref.gradients(x, t);
    BlockPass a(net, x, t), b(other, x, t);
    CHECK(a.values_per_row() == 4 * 4 + 4 * 2);  // pre, post, ∂L/∂pre, f′ of 4 then 2 units
    a.advance(1);
    b.advance(2, true);
    const std::vector<double> two = b.rows(4, 6);
    struct Bad {
        const char* why;
        std::int64_t from;
        std::size_t n;
        std::string error;
    };
    const std::vector<Bad> bad = {
        {"from below 0", -1, two.size(), "from: expected a row in [0, 6), got -1"},
        {"from past the batch", 6, two.size(), "from: expected a row in [0, 6), got 6"},
        {"not whole rows", 4, 12, "rows: data has 12 values, expected a whole number ≥ 1 of rows of 24 values (this network's pre, post, ∂L/∂pre and f′ per layer)"},
        {"no rows", 4, 0, "rows: data has 0 values, expected a whole number ≥ 1 of rows of 24 values (this network's pre, post, ∂L/∂pre and f′ per layer)"},
        {"past the end", 5, two.size(), "rows: data has 2 rows from row 5, past the batch's 6"},
        {"a gap before the suffix (none yet: it starts at 6)", 2, two.size(), "rows: [2, 4) does not reach the rows done from the end (from 6)"},
    };
    for (const Bad& e : bad) {
        CAPTURE(e.why);
        CHECK(error_of([&] { a.set_rows(e.from, two.data(), e.n); }) == e.error);
    }
    CHECK(error_of([&] { b.rows(1, 5); }) == "rows: rows [1, 5) are not all done (done: [0, 0) and [4, 6])");
    CHECK(error_of([&] { b.rows(-1, 5); }) == "from: expected a row in [0, 6], got -1");
    CHECK(error_of([&] { b.rows(4, 7); }) == "to: expected a row in [4, 6], got 7");
    // still usable: the right call, then the rest from both sides
    BlockPass::Progress p = a.set_rows(4, two.data(), two.size());
    CHECK(p.done == 1);
    CHECK(p.top == 4);
    CHECK(error_of([&] { a.rows(1, 4); }) == "rows: rows [1, 4) are not all done (done: [0, 1) and [4, 6])");
    CHECK(a.rows(4, 6) == two);
    p = a.advance(1, true);
    CHECK(p.top == 3);
    p = a.advance(5);
    CHECK(p.done == 6);
    REQUIRE(p.loss.has_value());
    CHECK(same(*p.loss, whole.loss));
    check_same(layer_statistics(net), layer_statistics(ref));
    CHECK(a.set_rows(4, two.data(), two.size()).done == 6);  // after the end: nothing, the same answer
}

TEST_CASE("nn_model: set_modules — new modules over the same parameters and optimiser state") {
    NetworkSpec spec;
    spec.sizes = {3, 5, 5, 2};
    spec.seed = 4;
    spec.loss = ModuleSpec{"MSELoss", {}};
    spec.optimizer = ModuleSpec{"SGD", labtest::Params{{"lr", 0.1}, {"momentum", 0.9}}};
    const lab::Tensor x = randn(4, 3, 1), t = randn(4, 2, 2);

    Network net(spec);
    const auto p0 = net.parameters();
    net.step(x, t);
    const auto p1 = net.parameters();
    net.set_modules({"ELU", labtest::Params{{"alpha", 0.5}}}, ModuleSpec{"Sigmoid", {}});
    CHECK(net.last_pass() == nullptr);  // the old pass was the old modules'
    CHECK(net.parameters()[0].weight == p1[0].weight);
    CHECK(net.spec().activation.name == "ELU");

    // The forward pass is a fresh network's with those modules and parameters.
    NetworkSpec elu = spec;
    elu.activation = {"ELU", labtest::Params{{"alpha", 0.5}}};
    elu.output = ModuleSpec{"Sigmoid", {}};
    Network fresh(elu);
    fresh.set_parameters(p1);
    const lab::Tensor y = net.predict(x), y_fresh = fresh.predict(x);
    CHECK(y.data == y_fresh.data);

    // The momentum buffer is kept: step 2 is p1 − lr·(0.9·g1 + g2), g1 the Tanh net's gradient at
    // p0, g2 the new modules' at p1 (torch.optim.SGD: buf.mul_(momentum).add_(g); p.add_(buf, alpha=-lr)).
    Network tanh(spec);
    tanh.set_parameters(p0);
    const auto g1 = tanh.gradients(x, t).grads;
    const auto g2 = fresh.gradients(x, t).grads;
    net.step(x, t);
    CHECK(net.steps() == 2);
    const auto p2 = net.parameters();
    for (std::size_t l = 0; l < p2.size(); ++l)
        for (std::size_t i = 0; i < p2[l].weight.size(); ++i) {
            const double buf = 0.9 * g1[l].weight[i] + g2[l].weight[i];
            labtest::check_close(p2[l].weight[i], p1[l].weight[i] + -0.1 * buf);  // (nn_optim may fuse as ATen's add does)
        }

    // Checked as the constructor checks them; on an error nothing changes.
    CHECK(error_of([&] { net.set_modules({"Relu", {}}, std::nullopt); }) == "activation: unknown function 'Relu'; did you mean 'ReLU'?");
    CHECK(error_of([&] { net.set_modules({"Softmax", {}}, std::nullopt); }) ==
          "activation: Softmax maps a whole vector, not each element; it can be the output module");
    NetworkSpec odd = spec;
    odd.sizes = {3, 5, 3};
    Network o(odd);
    CHECK(error_of([&] { o.set_modules({"ReLU", {}}, ModuleSpec{"GLU", {}}); }) ==
          "output: Halving dimension must be even, but dimension 1 is size 3");
    CHECK(o.spec().activation.name == "Tanh");
    CHECK(net.spec().activation.name == "ELU");
    CHECK(net.spec().output->name == "Sigmoid");
}

TEST_CASE("nn_model: set_modules keeps the dropped pass's buffers for the next one — which computes what a fresh network does") {
    // An elementwise output, a vector one (Softmax: its Jacobians where f′ was), none, and back:
    // each pass after set_modules reuses storage the previous modules filled, and must give a fresh
    // network's loss, gradients and statistics bit for bit.
    NetworkSpec spec;
    spec.sizes = {5, 6, 6, 4};
    spec.seed = 8;
    spec.loss = ModuleSpec{"MSELoss", labtest::Params{{"reduction", "sum"}}};
    const lab::Tensor x = randn(7, 5, 1), t = randn(7, 4, 2);
    Network net(spec);
    net.gradients(x, t);
    const std::vector<std::pair<ModuleSpec, std::optional<ModuleSpec>>> changes = {
        {{"ReLU", {}}, ModuleSpec{"Softmax", {}}},
        {{"ELU", labtest::Params{{"alpha", 0.5}}}, std::nullopt},
        {{"Tanh", {}}, ModuleSpec{"Tanh", {}}},
        {{"GELU", {}}, ModuleSpec{"LogSoftmax", {}}},
    };
    for (const auto& change : changes) {
        const ModuleSpec& act = change.first;  // (no structured binding: clang 14 cannot capture one for CAPTURE)
        const std::optional<ModuleSpec>& out = change.second;
        CAPTURE(act.name);
        net.set_modules(act, out);
        CHECK(net.last_pass() == nullptr);
        NetworkSpec s = spec;
        s.activation = act;
        s.output = out;
        Network fresh(s);
        const auto got = net.gradients(x, t), want = fresh.gradients(x, t);
        CHECK(same(got.loss, want.loss));
        for (std::size_t l = 0; l < want.grads.size(); ++l) {
            CHECK(got.grads[l].weight == want.grads[l].weight);
            CHECK(got.grads[l].bias == want.grads[l].bias);
        }
        check_same(layer_statistics(net), layer_statistics(fresh));
        BlockPass pass(net, x, t);  // and a pass in blocks, after the change, over the kept buffers
        pass.advance(3);
        pass.advance(4);
        check_same(pass.statistics(), layer_statistics(fresh));
    }
}
