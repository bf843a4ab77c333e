#include "tensor.hpp"

#include <algorithm>
#include <cstdlib>
#include <cmath>
#include <cstdio>

namespace lab {

std::size_t numel(const Shape& s) {
    std::size_t n = 1;
    for (auto d : s) n *= static_cast<std::size_t>(d);
    return n;
}

Tensor::Tensor(Shape s, std::vector<double> d) : shape(std::move(s)), data(std::move(d)) {
    if (data.size() != lab::numel(shape)) throw Error("internal: tensor data does not match its shape");
}

Tensor::Tensor(Shape s, double fill) : shape(std::move(s)), data(lab::numel(shape), fill) {}

std::string sizes_str(const Shape& s) {
    std::string r = "[";
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i) r += ", ";
        r += std::to_string(s[i]);
    }
    return r + "]";
}

std::string shape_str(const Shape& s) { return "torch.Size(" + sizes_str(s) + ")"; }

std::int64_t wrap_dim(std::int64_t d, std::int64_t ndim) {
    // PyTorch treats a 0-dim tensor as having one wrappable dim.
    const std::int64_t n = std::max<std::int64_t>(ndim, 1);
    if (d < -n || d >= n)
        throw Error("Dimension out of range (expected to be in range of [" + std::to_string(-n) + ", " +
                    std::to_string(n - 1) + "], but got " + std::to_string(d) + ")");
    return d < 0 ? d + n : d;
}

std::string py_float(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    // Python's repr: the shortest digits that read back as the same double, written positionally
    // when the decimal exponent is in [-4, 16), else as d.ddde±XX; always with a '.0' or exponent.
    char sci[40];
    for (int prec = 0; prec <= 17; ++prec) {
        std::snprintf(sci, sizeof sci, "%.*e", prec, v);
        if (std::strtod(sci, nullptr) == v) break;
    }
    const char* p = sci;
    std::string out;
    if (*p == '-') {
        out += '-';
        ++p;
    }
    std::string digits;
    for (; *p != 'e'; ++p)
        if (*p != '.') digits += *p;
    const int exp = std::atoi(p + 1);
    if (exp < -4 || exp >= 16) {
        out += digits[0];
        if (digits.size() > 1) {
            out += '.';
            out.append(digits, 1, std::string::npos);
        }
        char eb[16];
        std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
        out += eb;
    } else if (exp < 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-exp - 1), '0');
        out += digits;
    } else {
        const auto ip = static_cast<std::size_t>(exp) + 1;
        if (digits.size() <= ip) {
            out += digits;
            out.append(ip - digits.size(), '0');
            out += ".0";
        } else {
            out.append(digits, 0, ip);
            out += '.';
            out.append(digits, ip, std::string::npos);
        }
    }
    return out;
}

}  // namespace lab
