// Design note: CTCLoss, the CPU alpha/beta recursion in log space with its exact branch
// structure (PyTorch 1.13.1's LossCTC.cpp). The gradient is PyTorch's own
// (exp(lp) - exp(log(alpha*beta) + nll - lp)) * grad, which is the derivative with respect to
// logits that went through log_softmax. Where 1.13.1 reads out of bounds instead of checking
// (negative lengths, targets outside [0, C), input_length 0) we raise newer PyTorch's error, or
// our own where PyTorch has none, instead of copying undefined numbers.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "loss_common.hpp"
#include "scalar.hpp"
#include "spec_builders.hpp"

namespace lab {
namespace {

using std::int64_t;
using std::size_t;

constexpr double kNegInf = -std::numeric_limits<double>::infinity();
constexpr double kPosInf = std::numeric_limits<double>::infinity();

// The log-sum-exp steps below mostly see exact special arguments: -inf (a state no path
// reaches), 0 (the maximum term itself) and a sum of exactly 1 (a single live predecessor).
// These return the values libm would, without the call.
inline double exp0(double v) { return v == kNegInf ? 0.0 : v == 0.0 ? 1.0 : std::exp(v); }
inline double log1(double v) { return v == 1.0 ? 0.0 : std::log(v); }

std::string ctc_arg_message(const std::string& what) { return what + " (while checking arguments for ctc_loss_cpu)"; }

LossResult ctc_loss(const Params& p, const ArgMap& args) {
    const Tensor& log_probs = need_arg(p, args, "log_probs");
    const Tensor& targets = need_arg(p, args, "targets");
    const Tensor& input_lengths_t = need_arg(p, args, "input_lengths");
    const Tensor& target_lengths_t = need_arg(p, args, "target_lengths");
    const int64_t blank = p.integer("blank");
    const bool zero_infinity = p.flag("zero_infinity");
    const Reduction r = reduction_of(p);

    check_integers(input_lengths_t, "input_lengths");
    check_integers(target_lengths_t, "target_lengths");
    // Unbatched (T, C) input is unsqueezed to (T, 1, C) before the kernel checks for 3 dims.
    const bool batched = log_probs.dim() == 3;
    if (log_probs.dim() == 0) throw Error("Dimension out of range (expected to be in range of [-1, 0], but got 1)");
    const int64_t kernel_dims = batched ? 3 : log_probs.dim() + 1;
    if (kernel_dims != 3)
        throw Error(ctc_arg_message("Expected 3-dimensional tensor, but got " + std::to_string(kernel_dims) +
                                    "-dimensional tensor for argument #1 'log_probs'"));
    if (targets.dim() < 1 || targets.dim() > 2)
        throw Error(ctc_arg_message("Expected 1 to 2 dimensions, but got " + std::to_string(targets.dim()) +
                                    "-dimensional tensor for argument #2 'targets'"));
    const int64_t T = log_probs.shape[0];
    const int64_t N = batched ? log_probs.shape[1] : 1;
    const int64_t C = log_probs.shape.back();
    if (!(0 <= blank && blank < C)) throw Error("blank must be in label range");
    if (static_cast<int64_t>(input_lengths_t.numel()) != N) throw Error("input_lengths must be of size batch_size");
    if (static_cast<int64_t>(target_lengths_t.numel()) != N) throw Error("target_lengths must be of size batch_size");

    std::vector<int64_t> il(uz(N)), tl(uz(N)), offset(uz(N));
    for (size_t b = 0; b < uz(N); ++b) {
        il[b] = as_int64(input_lengths_t.data[b]);
        tl[b] = as_int64(target_lengths_t.data[b]);
    }
    int64_t max_tl = 0;
    if (targets.dim() == 1) {  // concatenated targets
        int64_t pos = 0;
        for (size_t b = 0; b < uz(N); ++b) {
            if (tl[b] < 0)
                throw Error(
                    ctc_arg_message("Expected target_lengths to have value at least 0, but got value " + std::to_string(tl[b])));
            offset[b] = pos;
            // Saturate rather than overflow; such a sum can never match targets' length anyway.
            pos = tl[b] > std::numeric_limits<int64_t>::max() - pos ? std::numeric_limits<int64_t>::max() : pos + tl[b];
            max_tl = std::max(max_tl, tl[b]);
        }
        if (targets.shape[0] != pos)
            throw Error(ctc_arg_message("Expected tensor to have size " + std::to_string(pos) + " at dimension 0, but got size " +
                                        std::to_string(targets.shape[0]) + " for argument #2 'targets'"));
    } else {  // padded (N, S)
        for (size_t b = 0; b < uz(N); ++b) {
            if (tl[b] < 0)
                throw Error(
                    ctc_arg_message("Expected target_lengths to have value at least 0, but got value " + std::to_string(tl[b])));
            offset[b] = static_cast<int64_t>(b) * targets.shape[1];
            max_tl = std::max(max_tl, tl[b]);
        }
        if (targets.shape[0] != N)
            throw Error(ctc_arg_message("Expected tensor to have size " + std::to_string(N) + " at dimension 0, but got size " +
                                        std::to_string(targets.shape[0]) + " for argument #2 'targets'"));
        if (targets.shape[1] < max_tl)
            throw Error(ctc_arg_message("Expected tensor to have size at least " + std::to_string(max_tl) +
                                        " at dimension 1, but got size " + std::to_string(targets.shape[1]) +
                                        " for argument #2 'targets'"));
    }
    for (size_t b = 0; b < uz(N); ++b) {
        if (il[b] < 0)
            throw Error(
                ctc_arg_message("Expected input_lengths to have value at least 0, but got value " + std::to_string(il[b])));
        if (il[b] > T)
            throw Error(ctc_arg_message("Expected input_lengths to have value at most " + std::to_string(T) + ", but got value " +
                                        std::to_string(il[b])));
    }
    // log_alpha.narrow(1, 0, 1) on an empty time axis.
    if (T == 0) throw Error("start (0) + length (1) exceeds dimension size (0).");
    check_integers(targets, "targets");
    // The kernel indexes log_probs with the targets unchecked; we refuse instead.
    for (size_t b = 0; b < uz(N); ++b)
        for (int64_t k = 0; k < tl[b]; ++k) {
            const int64_t v = as_int64(targets.data[uz(offset[b] + k)]);
            if (v < 0 || v >= C)
                throw Error("ctc_loss: target " + std::to_string(v) + " is out of range for " + std::to_string(C) +
                            " classes (PyTorch does not check this and reads out of bounds)");
        }

    // log_probs[t][b][c] lives at (t * N + b) * C + c. Each sample keeps its alpha table
    // (T x (2 * target_length + 1), at b * T * S_max) for the backward, as PyTorch's log_alpha;
    // beta is needed one sample at a time.
    const size_t Nn = uz(N), Cc = uz(C);
    const double* lp = log_probs.data.data();
    const auto LP = [&](size_t t, size_t b, int64_t c) { return lp[(t * Nn + b) * Cc + uz(c)]; };
    // PyTorch allocates log_alpha as (N, T, 2 * max_target_length + 1) too; refuse sizes that
    // would overflow an index rather than corrupt memory.
    if (static_cast<double>(N) * static_cast<double>(T) * (2.0 * static_cast<double>(max_tl) + 1.0) > 1e9)
        throw Error("ctc_loss: N * T * (2 * max(target_lengths) + 1) is too large for the lab");
    const size_t S_max = uz(2 * max_tl + 1);
    std::vector<double> alpha(Nn * uz(T) * S_max), beta(uz(T) * S_max);
    std::vector<int64_t> prime(S_max);  // the target with blanks interleaved: l'
    std::vector<double> nll(Nn);
    std::vector<double> grad(log_probs.numel(), 0.0);

    const auto load_prime = [&](size_t b) {
        const size_t S = uz(2 * tl[b] + 1);
        for (size_t s = 0; s < S; ++s) prime[s] = s % 2 == 0 ? blank : as_int64(targets.data[uz(offset[b]) + s / 2]);
    };
    const auto forward = [&](size_t b) {
        const int64_t in_len = il[b], tg_len = tl[b];
        if (in_len == 0) return tg_len == 0 ? -0.0 : kPosInf;  // 1.13.1 reads garbage here; newer PyTorch
        const size_t S = uz(2 * tg_len + 1);
        double* la = alpha.data() + b * uz(T) * S_max;
        std::fill(la, la + S, kNegInf);
        la[0] = LP(0, b, blank);
        if (tg_len > 0) la[1] = LP(0, b, prime[1]);
        for (size_t t = 1; t < uz(in_len); ++t) {
            const double* prev = la + (t - 1) * S;
            double* cur = la + t * S;
            for (size_t s = 0; s < S; ++s) {
                const double la1 = prev[s];
                double lamax = la1;
                double la2, la3;
                if (s > 0) {
                    la2 = prev[s - 1];
                    if (la2 > lamax) lamax = la2;
                } else {
                    la2 = kNegInf;
                }
                if (s > 1 && prime[s - 2] != prime[s]) {
                    la3 = prev[s - 2];
                    if (la3 > lamax) lamax = la3;
                } else {
                    la3 = kNegInf;
                }
                if (lamax == kNegInf) lamax = 0;  // avoid -inf - -inf
                cur[s] = log1(exp0(la1 - lamax) + exp0(la2 - lamax) + exp0(la3 - lamax)) + lamax + LP(t, b, prime[s]);
            }
        }
        const double* last = la + uz(in_len - 1) * S;
        if (tg_len == 0) return -last[0];
        const double l1 = last[S - 1], l2 = last[S - 2];
        double m = std::max(l1, l2);
        m = m == kNegInf ? 0 : m;
        return -(log1(exp0(l1 - m) + exp0(l2 - m)) + m);
    };
    // Beta recursion, collecting log(sum over s with l'[s] == c of alpha * beta) into grad, then
    // PyTorch's closing formula (exp(lp) - exp(collected + nll - lp)) * grad_out.
    const auto backward = [&](size_t b, double gr) {
        const int64_t in_len = il[b], tg_len = tl[b];
        if (in_len == 0) return;
        const size_t S = uz(2 * tg_len + 1);
        const double* la = alpha.data() + b * uz(T) * S_max;
        double* lb = beta.data();
        for (size_t t = 0; t < uz(in_len); ++t)
            for (size_t c = 0; c < Cc; ++c) grad[(t * Nn + b) * Cc + c] = kNegInf;
        const auto G = [&](size_t t, int64_t c) -> double& { return grad[(t * Nn + b) * Cc + uz(c)]; };
        const size_t tl_last = uz(in_len - 1);
        std::fill(lb + tl_last * S, lb + tl_last * S + S, kNegInf);
        lb[tl_last * S + S - 1] = LP(tl_last, b, blank);
        G(tl_last, blank) = la[tl_last * S + S - 1] + lb[tl_last * S + S - 1];
        if (tg_len > 0) {
            const int64_t c = prime[S - 2];
            lb[tl_last * S + S - 2] = LP(tl_last, b, c);
            G(tl_last, c) = la[tl_last * S + S - 2] + lb[tl_last * S + S - 2];
        }
        for (int64_t t = in_len - 2; t >= 0; --t) {
            const size_t tt = uz(t);
            const double* next = lb + (tt + 1) * S;
            double* cur = lb + tt * S;
            for (size_t s = S; s-- > 0;) {
                const double lb1 = next[s];
                double lbmax = lb1;
                double lb2, lb3;
                if (s + 1 < S) {
                    lb2 = next[s + 1];
                    if (lb2 > lbmax) lbmax = lb2;
                } else {
                    lb2 = kNegInf;
                }
                if (s + 2 < S && prime[s + 2] != prime[s]) {
                    lb3 = next[s + 2];
                    if (lb3 > lbmax) lbmax = lb3;
                } else {
                    lb3 = kNegInf;
                }
                if (lbmax == kNegInf) lbmax = 0;
                cur[s] = log1(exp0(lb1 - lbmax) + exp0(lb2 - lbmax) + exp0(lb3 - lbmax)) + lbmax + LP(tt, b, prime[s]);
                const double log_alpha_beta = la[tt * S + s] + cur[s];
                double& lcab = G(tt, prime[s]);
                if (lcab == kNegInf) {
                    lcab = log_alpha_beta;
                } else {
                    const double mx = std::max(lcab, log_alpha_beta);
                    lcab = log1(exp0(lcab - mx) + exp0(log_alpha_beta - mx)) + mx;
                }
            }
        }
        const double nl = nll[b];
        for (size_t t = 0; t < uz(in_len); ++t)
            for (size_t c = 0; c < Cc; ++c) {
                double& res = grad[(t * Nn + b) * Cc + c];
                const double l = lp[(t * Nn + b) * Cc + c];
                res = (std::exp(l) - exp0(res + nl - l)) * gr;
            }
    };

    // The kernel's nll keeps inf for the backward's zero_infinity test; the returned loss has it zeroed.
    std::vector<double> values(Nn);
    for (size_t b = 0; b < Nn; ++b) {
        load_prime(b);
        nll[b] = forward(b);
        values[b] = zero_infinity && nll[b] == kPosInf ? 0.0 : nll[b];
    }
    const Shape out_shape = batched ? Shape{N} : Shape{};
    LossResult out;
    std::vector<double> gr(Nn);
    if (r == Reduction::Mean) {
        // (loss / target_lengths.clamp_min(1)).mean()
        std::vector<double> clamped(Nn), scaled(Nn);
        for (size_t b = 0; b < Nn; ++b) {
            clamped[b] = static_cast<double>(std::max<int64_t>(tl[b], 1));
            scaled[b] = values[b] / clamped[b];
        }
        Reduced red = reduce(Tensor(Shape{N}, std::move(scaled)), r);
        out.loss = std::move(red.loss);
        out.elementwise = Tensor(out_shape, std::move(values));
        for (size_t b = 0; b < Nn; ++b) gr[b] = red.upstream[b] / clamped[b];
    } else {
        gr = finish(out, Tensor(out_shape, std::move(values)), r);
    }
    for (size_t b = 0; b < Nn; ++b) {
        if (zero_infinity && nll[b] == kPosInf) continue;  // the whole sample's gradient stays 0
        load_prime(b);
        backward(b, gr[b]);
    }
    out.grad["log_probs"] = Tensor(log_probs.shape, std::move(grad));
    return out;
}

// ---------------------------------------------------------------- the table
constexpr FunctionSpec kTable[] = {
    {
        .name = "CTCLoss",
        .kind = Kind::Loss,
        .group = "Sequence",
        .params = {P::integer("blank", 0, 0, 9, "index of the blank class"), P::reduction(),
                   P::boolean("zero_infinity", false,
                              "replace infinite losses (impossible alignments) and their gradients by 0")},
        .args = {arg("log_probs", "log-softmax outputs (T, N, C) or (T, C): T frames, N sequences, C classes incl. blank"),
                 int_arg("targets", "label sequences: padded (N, S) or all concatenated (sum of target_lengths,)"),
                 int_arg("input_lengths", "frames used per sequence (N,), each <= T"),
                 int_arg("target_lengths", "labels per sequence (N,)")},
        .formula = R"(\ell_n = -\log \sum_{\pi \in \mathcal{B}^{-1}(y_n)} \prod_{t=1}^{T_n} \exp\big(\text{log\_probs}_{t,n,\pi_t}\big))",
        .summary = "Connectionist Temporal Classification: the negative log-probability of all alignments of the target.",
        .notes = {"CTC trains sequence models when the input frames and the labels are not aligned (speech, "
                  "handwriting): it adds up the probability of every frame-by-frame path that collapses to the target "
                  "— merge repeats, drop blanks — with a forward-backward dynamic programme in log space.",
                  "The blank class marks frames that emit nothing and separates repeated labels: 'aa' needs a blank "
                  "between the two a's. A target that cannot fit in its input frames has probability 0, so the loss "
                  "is inf; zero_infinity=True replaces such losses and their gradients by 0.",
                  "Gradient convention, as in PyTorch: the gradient shown for log_probs is exp(log_probs) minus the "
                  "posterior occupation of each class. That is the derivative with respect to the logits that went "
                  "through log_softmax, not the partial derivative with respect to log_probs (which lacks the "
                  "exp(log_probs) term); it matches autograd's numbers.",
                  "reduction='mean' divides each sequence's loss by its target length (at least 1) and then averages "
                  "over the batch, so long transcripts do not dominate."},
        .example = {{"log_probs",
                     "[[[-1.2705, -0.5705, -1.8705]], [[-0.5311, -1.5311, -1.6311]], [[-1.6216, -1.9216, -0.4216]], "
                     "[[-0.4216, -1.9216, -1.6216]]]"},
                    {"targets", "[[1, 2]]"},
                    {"input_lengths", "[4]"},
                    {"target_lengths", "[2]"}},
        .loss = &ctc_loss,
    },
};
static_assert(std::size(kTable) == 1, "CTC");

}  // namespace

std::span<const FunctionSpec> loss_specs_ctc() { return kTable; }

}  // namespace lab
