// Design note: PyTorch's broadcasting, for the losses whose operands may differ in shape. An
// operand is laid out in the broadcast frame (InFrame: a copy only when its shape differs, so the
// usual equal-shape call copies nothing), and a gradient laid out like the frame is summed back
// onto the operand the way autograd's sum_to does for an expanded input — in torch.sum's order
// (loss_common.hpp), because those sums can cancel. Shape errors carry PyTorch's message in its
// operand order, so "tensor a" in a message is the tensor PyTorch calls a.
#pragma once

#include <cstddef>
#include <vector>

#include "tensor.hpp"

namespace lab {

// For each element of the broadcast result, a_index/b_index give the flat offset into the operands.
struct Broadcast {
    Shape shape;
    std::vector<std::size_t> a_index, b_index;
};
Shape broadcast_shape(const Shape& a, const Shape& b);  // throws PyTorch's "The size of tensor a ..."
Broadcast broadcast(const Shape& a, const Shape& b);

// An in-place op (`loss.mul_(weight)`) cannot grow its output: PyTorch's message when it would.
void check_inplace(const Shape& out, const Shape& other);

// autograd's sum_to: a gradient laid out like `frame` summed onto `shape` (broadcast into frame;
// `map` gives each frame element's offset in shape).
std::vector<double> sum_to(std::vector<double> g, const Shape& frame, const Shape& shape,
                           const std::vector<std::size_t>& map);

// A tensor laid out in a broadcast frame: its own data when the shapes agree (no copy), else an
// expanded copy plus the map needed to sum a frame gradient back onto it. An optional tensor
// parameter that is None (a weight) gives the null InFrame, whose data() is nullptr.
class InFrame {
public:
    InFrame(const Tensor& t, const Shape& frame);
    InFrame(const Tensor* t, const Shape& frame);
    const double* data() const { return !map_.empty() ? copy_.data() : t_ ? t_->data.data() : nullptr; }
    // d/d(this operand) from a gradient laid out like the frame: autograd's sum_to for an expand.
    std::vector<double> sum_back(std::vector<double> g) const;
    Tensor grad(std::vector<double> g) const { return Tensor(t_->shape, sum_back(std::move(g))); }

private:
    const Tensor* t_;
    Shape frame_;
    std::vector<std::size_t> map_;
    std::vector<double> copy_;
};

}  // namespace lab
