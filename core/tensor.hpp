// Design note: the core needs just enough of a tensor to state PyTorch's shape rules exactly —
// a shape plus row-major float64 data. Integer tensors (class indices, CTC targets and lengths)
// are carried as doubles too, because JavaScript numbers are doubles; functions that need
// integers check integrality themselves, with PyTorch's wording where it has one.
// Every user mistake is reported by throwing lab::Error; nothing else in the core throws on
// purpose, so the WASM bindings can turn each throw into a JavaScript Error and carry on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace lab {

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

using Shape = std::vector<std::int64_t>;

struct Tensor {
    Shape shape;               // {} is a 0-dim (scalar) tensor
    std::vector<double> data;  // row-major, size == numel(shape)

    Tensor() = default;
    Tensor(Shape s, std::vector<double> d);
    explicit Tensor(Shape s, double fill = 0.0);
    static Tensor scalar(double v) { return Tensor(Shape{}, std::vector<double>{v}); }

    std::size_t numel() const { return data.size(); }
    std::int64_t dim() const { return static_cast<std::int64_t>(shape.size()); }
};

std::size_t numel(const Shape& s);
// "torch.Size([2, 3])" — the way PyTorch prints a shape in its messages.
std::string shape_str(const Shape& s);
// "[2, 3]" — the way PyTorch prints sizes inside some kernel messages.
std::string sizes_str(const Shape& s);
// Wraps a possibly negative dim into [0, ndim), with PyTorch's out-of-range message.
std::int64_t wrap_dim(std::int64_t d, std::int64_t ndim);
// Formats a double the way Python prints a float (shortest round-trip repr: 0.1, 1e-07, 2.0).
std::string py_float(double v);

}  // namespace lab
