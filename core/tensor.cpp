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

std::int64_t Tensor::size(std::int64_t d) const { return shape[static_cast<std::size_t>(wrap_dim(d, dim()))]; }

double Tensor::item() const {
    if (data.size() != 1)
        throw Error("a Tensor with " + std::to_string(data.size()) + " elements cannot be converted to Scalar");
    return data[0];
}

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

bool broadcastable(const Shape& a, const Shape& b) {
    const std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
        const std::int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
        if (da != db && da != 1 && db != 1) return false;
    }
    return true;
}

Shape broadcast_shape(const Shape& a, const Shape& b) {
    const std::size_t n = std::max(a.size(), b.size());
    Shape r(n, 1);
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
        const std::int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
        if (da != db && da != 1 && db != 1)
            throw Error("The size of tensor a (" + std::to_string(da) + ") must match the size of tensor b (" +
                        std::to_string(db) + ") at non-singleton dimension " + std::to_string(n - 1 - i));
        r[n - 1 - i] = da == 1 ? db : da;
    }
    return r;
}

Broadcast broadcast(const Shape& a, const Shape& b) {
    const std::size_t n = std::max(a.size(), b.size());
    Broadcast r;
    r.shape = broadcast_shape(a, b);
    const std::size_t total = numel(r.shape);
    r.a_index.resize(total);
    r.b_index.resize(total);
    // Strides of each operand in the broadcast frame (0 along broadcast dims).
    std::vector<std::size_t> sa(n, 0), sb(n, 0);
    std::size_t ka = 1, kb = 1;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t d = n - 1 - i;
        if (i < a.size()) {
            const auto da = static_cast<std::size_t>(a[a.size() - 1 - i]);
            sa[d] = da == 1 ? 0 : ka;
            ka *= da;
        }
        if (i < b.size()) {
            const auto db = static_cast<std::size_t>(b[b.size() - 1 - i]);
            sb[d] = db == 1 ? 0 : kb;
            kb *= db;
        }
    }
    std::vector<std::size_t> idx(n, 0);
    std::size_t oa = 0, ob = 0;
    for (std::size_t k = 0; k < total; ++k) {
        r.a_index[k] = oa;
        r.b_index[k] = ob;
        for (std::size_t d = n; d-- > 0;) {
            ++idx[d];
            oa += sa[d];
            ob += sb[d];
            if (idx[d] < static_cast<std::size_t>(r.shape[d])) break;
            oa -= sa[d] * idx[d];
            ob -= sb[d] * idx[d];
            idx[d] = 0;
        }
    }
    return r;
}

std::vector<double> reduce_to(const std::vector<double>& grad, const std::vector<std::size_t>& index,
                              std::size_t operand_numel) {
    std::vector<double> out(operand_numel, 0.0);
    for (std::size_t k = 0; k < grad.size(); ++k) out[index[k]] += grad[k];
    return out;
}

}  // namespace lab
