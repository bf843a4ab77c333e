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
    total_ = input.shape[0];
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
    return {done_, total_, std::nullopt, {}};
}

BlockPass::Progress BlockPass::advance(std::int64_t rows) {
    check_current();
    if (rows < 1) throw Error("rows: expected a whole number of examples ≥ 1, got " + std::to_string(rows));
    if (done_ == total_) return finished_;
    const Network& net = *net_;
    Pass& p = *pass_;
    const std::size_t L = net.params_.size();
    const std::int64_t a = done_, k = std::min(rows, total_ - done_);
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
    if (done_ + k < total_) {
        done_ += k;
        return progress();
    }

    // The last rows: the loss as torch sums the whole output, ∂L/∂W over every row, and the pass
    // becomes the network's last one.
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
    done_ = total_;
    finished_ = {total_, total_, p.loss, std::move(whole.warnings)};
    net_->keep_pass();
    return finished_;
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
