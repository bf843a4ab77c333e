// Design note: see nn_pass.hpp for why a block of examples gives the whole batch's bits. This file
// is Network::run_forward and run_backward (nn_model.cpp) restricted to rows [a, a + k) of
// full-size buffers, calling the same products (nn_linalg) and the same module code
// (Network::Module::forward_rows / backward_rows), so the two cannot drift apart in arithmetic;
// tests/native/test_nn_pass.cpp holds them to each other bit for bit.
#include "nn_pass.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>

#include "loss_common.hpp"
#include "nn_linalg.hpp"

namespace lab::nn {
namespace {

std::size_t uzs(std::int64_t v) { return static_cast<std::size_t>(v); }

void reshape_for(Tensor& t, std::int64_t n, std::int64_t w) {
    t.shape.assign({n, w});
    t.data.resize(uzs(n) * uzs(w));
}

// rows [a, a + k) of a (N, …) tensor whose rows are `width` values wide, into out (storage reused).
void rows_of(const Tensor& t, std::size_t width, std::int64_t a, std::int64_t k, Tensor& out) {
    out.shape = t.shape;
    out.shape[0] = k;
    const auto begin = t.data.begin() + static_cast<std::ptrdiff_t>(uzs(a) * width);
    out.data.assign(begin, begin + static_cast<std::ptrdiff_t>(uzs(k) * width));
}

LossResult run_loss(const FunctionSpec& loss, const Params& params, ArgMap& args) {
    try {
        return loss.loss(params, args);
    } catch (const Error& e) {
        throw Error(std::string("loss: ") + e.what());
    }
}

}  // namespace

BlockPass::BlockPass(Network& net, const Tensor& input, const Tensor& target, bool weights)
    : net_(&net), clock_(net.clock_.count), pass_(nullptr), weights_(weights) {
    if (!net.loss_) throw Error("loss: the network was made without a loss; gradients() and step() need one");
    const std::string& reduction = net.loss_params_.choice("reduction");
    if (reduction != "sum")
        throw Error("pass: the loss must have reduction='sum' (then each example's forward and backward depend on that "
                    "example alone), got reduction='" + reduction + "'");
    net.check_input(input);
    net.check_target(input, target);
    total_ = top_ = input.shape[0];
    target_width_ = target.numel() / uzs(total_);
    // The target's values (class indices in range, probabilities …) are checked now, as the loss
    // checks them, on an output of zeros: a mistake in row 200 is the call's error, not a block's.
    loss_args_ = ArgMap{{"input", Tensor(Shape{total_, net.out_width_}, std::vector<double>(uzs(total_ * net.out_width_)))},
                        {"target", target}};
    run_loss(*net.loss_, net.loss_params_, loss_args_);
    loss_args_ = ArgMap{{"input", Tensor()}, {"target", Tensor()}};  // (a block's rows from now on)
    target_ = target;

    net.clock_.tick();  // an older pass of this network ends here
    at_ = *net.clock_.count;
    pass_ = &net.next_pass();
    Pass& p = *pass_;
    p.input = input;
    const std::size_t L = net.params_.size();
    p.values.resize(L);
    p.dpost.resize(L);
    p.grad_pre.resize(L);
    p.grads.clear();
    p.has_grads = true;  // (read only by statistics over done rows, or once every row is done)
    p.loss = 0.0;
    for (std::size_t l = 0; l < L; ++l) {
        const Network::Module& m = l + 1 < L ? net.act_ : net.out_;
        const std::int64_t o = net.params_[l].out;
        reshape_for(p.values[l].pre, total_, o);
        reshape_for(p.grad_pre[l], total_, o);
        if (m.present()) {
            reshape_for(p.values[l].post, total_, static_cast<std::int64_t>(m.width(uzs(o))));
            p.dpost[l].resize(uzs(total_) * m.deriv_width(uzs(o)));
        } else {
            reshape_for(p.values[l].post, total_, o);
            p.dpost[l].clear();
        }
    }
}

void BlockPass::check_current() const {
    const std::shared_ptr<std::uint64_t> clock = clock_.lock();
    if (!clock) throw Error("pass: the network has been deleted");
    if (*clock != at_)
        throw Error("pass: the network has run another pass since (or its parameters or modules changed); "
                    "make a new pass");
}

BlockPass::Progress BlockPass::progress() const {
    if (done_ == total_) return finished_;
    return {done_, total_, top_, std::nullopt, {}};
}

BlockPass::Progress BlockPass::advance(std::int64_t rows) { return advance(rows, false); }

BlockPass::Progress BlockPass::advance(std::int64_t rows, bool from_end) {
    check_current();
    if (rows < 1) throw Error("rows: expected a whole number of examples ≥ 1, got " + std::to_string(rows));
    if (done_ == total_) return finished_;
    if (from_end) {
        const std::int64_t a = std::max(top_ - rows, done_);
        compute(a, top_ - a);
        top_ = a;
    } else {
        const std::int64_t k = std::min(rows, top_ - done_);
        compute(done_, k);
        done_ += k;
    }
    return settle();
}

void BlockPass::compute(std::int64_t a, std::int64_t k) {
    const Network& net = *net_;
    Pass& p = *pass_;
    const std::size_t L = net.params_.size();
    const std::size_t ua = uzs(a), uk = uzs(k);

    // forward, Linear by Linear, over rows [a, a + k)
    for (std::size_t l = 0; l < L; ++l) {
        const LinearParams& w = net.params_[l];
        const std::size_t in = uzs(w.in), o = uzs(w.out);
        const double* x = (l ? p.values[l - 1].post.data.data() : p.input.data.data()) + ua * in;
        double* pre = p.values[l].pre.data.data() + ua * o;
        linalg::linear_forward(x, uk, in, w.weight.data(), o, w.has_bias ? w.bias.data() : nullptr, pre);
        const Network::Module& m = l + 1 < L ? net.act_ : net.out_;
        if (m.present())
            m.forward_rows(pre, uk, o, p.values[l].post.data.data() + ua * m.width(o), p.dpost[l].data() + ua * m.deriv_width(o));
        else
            std::copy_n(pre, uk * o, p.values[l].post.data.data() + ua * o);
    }

    // the loss's gradient for these rows (reduction='sum': each row's own derivative)
    const Tensor& output = p.values.back().post;
    rows_of(output, uzs(output.shape[1]), a, k, loss_args_.find("input")->second);
    rows_of(target_, target_width_, a, k, loss_args_.find("target")->second);
    const LossResult lr = run_loss(*net.loss_, net.loss_params_, loss_args_);
    const auto grad_it = lr.grad.find("input");
    if (grad_it == lr.grad.end()) throw Error("loss: " + net.loss_->name + " gave no gradient for its input");
    const double* g_out = grad_it->second.data.data();

    // backward over the same rows
    const std::size_t o_last = uzs(net.params_[L - 1].out);
    double* g_last = p.grad_pre[L - 1].data.data() + ua * o_last;
    if (net.out_.present())
        net.out_.backward_rows(g_out, uk, o_last, p.dpost[L - 1].data() + ua * net.out_.deriv_width(o_last), g_last);
    else
        std::copy_n(g_out, uk * o_last, g_last);
    for (std::size_t l = L; l-- > 1;) {
        const LinearParams& w = net.params_[l];
        const std::size_t in = uzs(w.in), o = uzs(w.out);
        grad_x_.data.resize(uk * in);
        linalg::linear_grad_input(p.grad_pre[l].data.data() + ua * o, w.weight.data(), uk, in, o, grad_x_.data.data());
        net.act_.backward_rows(grad_x_.data.data(), uk, in, p.dpost[l - 1].data() + ua * in, p.grad_pre[l - 1].data.data() + ua * in);
    }
}

BlockPass::Progress BlockPass::settle() {
    if (done_ < top_) return progress();
    // The last rows: the loss as torch sums the whole output, ∂L/∂W over every row, and the pass
    // becomes the network's last one.
    const Network& net = *net_;
    Pass& p = *pass_;
    const std::size_t L = net.params_.size();
    LossResult whole = net.loss_on(p.values.back().post, target_);
    p.loss = whole.loss.data[0];
    if (weights_) {
        p.grads.resize(L);
        for (std::size_t l = 0; l < L; ++l) {
            const double* x = l ? p.values[l - 1].post.data.data() : p.input.data.data();
            linear_param_grads(net.params_[l], p.grad_pre[l].data.data(), x, uzs(total_), p.grads[l]);
        }
        grads_rows_.assign(L, total_);
    }
    done_ = top_ = total_;
    finished_ = {total_, total_, total_, p.loss, std::move(whole.warnings)};
    net_->keep_pass();
    return finished_;
}

// Per layer, in rows()' order: pre, post, ∂L/∂pre, f′ (the last may be 0 values per row).
template <class F>
void BlockPass::each_block(F&& f) const {
    Pass& p = *pass_;
    for (std::size_t l = 0; l < p.values.size(); ++l) {
        const std::size_t n = uzs(total_);
        f(p.values[l].pre.data.data(), p.values[l].pre.data.size() / n);
        f(p.values[l].post.data.data(), p.values[l].post.data.size() / n);
        f(p.grad_pre[l].data.data(), p.grad_pre[l].data.size() / n);
        f(p.dpost[l].data(), p.dpost[l].size() / n);
    }
}

std::size_t BlockPass::values_per_row() const {
    std::size_t sum = 0;
    each_block([&](double*, std::size_t w) { sum += w; });
    return sum;
}

std::vector<double> BlockPass::rows(std::int64_t from, std::int64_t to) const {
    check_current();
    if (from < 0 || from > total_)
        throw Error("from: expected a row in [0, " + std::to_string(total_) + "], got " + std::to_string(from));
    if (to < from || to > total_)
        throw Error("to: expected a row in [" + std::to_string(from) + ", " + std::to_string(total_) + "], got " + std::to_string(to));
    const bool in_prefix = to <= done_, in_suffix = from >= top_;
    if (!in_prefix && !in_suffix)
        throw Error("rows: rows [" + std::to_string(from) + ", " + std::to_string(to) + ") are not all done (done: [0, " +
                    std::to_string(done_) + ") and [" + std::to_string(top_) + ", " + std::to_string(total_) + "])");
    std::vector<double> out;
    out.reserve(values_per_row() * uzs(to - from));
    each_block([&](double* d, std::size_t w) { out.insert(out.end(), d + uzs(from) * w, d + uzs(to) * w); });
    return out;
}

BlockPass::Progress BlockPass::set_rows(std::int64_t from, const double* data, std::size_t n) {
    check_current();
    const std::size_t per = values_per_row();
    if (from < 0 || from >= total_)
        throw Error("from: expected a row in [0, " + std::to_string(total_) + "), got " + std::to_string(from));
    if (n == 0 || n % per != 0)
        throw Error("rows: data has " + std::to_string(n) + " values, expected a whole number ≥ 1 of rows of " + std::to_string(per) +
                    " values (this network's pre, post, ∂L/∂pre and f′ per layer)");
    const std::int64_t k = static_cast<std::int64_t>(n / per), to = from + k;
    if (to > total_)
        throw Error("rows: data has " + std::to_string(k) + " rows from row " + std::to_string(from) + ", past the batch's " +
                    std::to_string(total_));
    if (done_ == total_) return finished_;
    if (to < top_)
        throw Error("rows: [" + std::to_string(from) + ", " + std::to_string(to) + ") does not reach the rows done from the end (from " +
                    std::to_string(top_) + ")");
    const std::int64_t a = std::max(from, done_), b = top_;  // the rows not done yet
    if (a < b) {
        const double* src = data;
        each_block([&](double* d, std::size_t w) {
            std::copy(src + uzs(a - from) * w, src + uzs(b - from) * w, d + uzs(a) * w);
            src += uzs(k) * w;
        });
        top_ = a;
    }
    return settle();
}

std::vector<LayerStats> BlockPass::statistics(const StatsOptions& options) {
    check_current();
    if (done_ == 0) throw Error("statistics: the pass has no examples yet; call advance(rows) first");
    const Network& net = *net_;
    Pass& p = *pass_;
    const std::size_t L = net.params_.size();
    if (weights_) {  // ∂L/∂W of the first done rows (sums over them), for the layers asked for
        std::size_t first = 0, last = L;
        if (options.layers) {
            first = std::min(options.layers->first, L);
            last = std::min(options.layers->second, L);  // (a bad range: pass_statistics says so)
        }
        p.grads.resize(L);
        grads_rows_.resize(L, -1);
        for (std::size_t l = first; l < last; ++l) {
            if (grads_rows_[l] == done_) continue;
            const double* x = l ? p.values[l - 1].post.data.data() : p.input.data.data();
            linear_param_grads(net.params_[l], p.grad_pre[l].data.data(), x, uzs(done_), p.grads[l]);
            grads_rows_[l] = done_;
        }
    }
    return pass_statistics(p, uzs(done_), net.act_, net.out_, options);
}

StatsRanges BlockPass::ranges() {
    check_current();
    if (done_ == 0) throw Error("ranges: the pass has no examples yet; call advance(rows) first");
    return pass_ranges(*pass_, uzs(done_));
}

}  // namespace lab::nn
