#include "bench_core.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "registry.hpp"

namespace labbench {
namespace {

using Clock = std::chrono::steady_clock;

// The workbench examples are plain literals: nested brackets of numbers, maybe in torch.tensor(...).
lab::Shape parse_value(const std::string& s, std::size_t& i, std::vector<double>& data) {
    while (s[i] == ' ') ++i;
    if (s[i] != '[') {
        char* end = nullptr;
        data.push_back(std::strtod(s.c_str() + i, &end));
        i = static_cast<std::size_t>(end - s.c_str());
        return {};
    }
    ++i;
    lab::Shape inner;
    std::int64_t n = 0;
    while (s[i] == ' ') ++i;
    while (i < s.size() && s[i] != ']') {
        inner = parse_value(s, i, data);
        ++n;
        while (s[i] == ' ' || s[i] == ',') ++i;
    }
    ++i;
    lab::Shape shape{n};
    shape.insert(shape.end(), inner.begin(), inner.end());
    return shape;
}

lab::Tensor parse_literal(const std::string& text) {
    std::size_t i = text.find_first_of("[+-.0123456789");
    lab::Tensor t;
    t.shape = parse_value(text, i, t.data);
    return t;
}

lab::Tensor tile(const lab::Tensor& t, std::size_t dim, std::size_t k) {
    if (t.shape.size() <= dim || k <= 1) return t;
    std::size_t outer = 1, block = 1;
    for (std::size_t d = 0; d < dim; ++d) outer *= static_cast<std::size_t>(t.shape[d]);
    for (std::size_t d = dim; d < t.shape.size(); ++d) block *= static_cast<std::size_t>(t.shape[d]);
    lab::Tensor r;
    r.shape = t.shape;
    r.shape[dim] *= static_cast<std::int64_t>(k);
    r.data.reserve(t.data.size() * k);
    for (std::size_t o = 0; o < outer; ++o)
        for (std::size_t j = 0; j < k; ++j)
            r.data.insert(r.data.end(), t.data.begin() + static_cast<std::ptrdiff_t>(o * block),
                          t.data.begin() + static_cast<std::ptrdiff_t>((o + 1) * block));
    return r;
}

// Loss arguments of about `points` elements: the example tiled along its batch dim. CTC's
// batch is dim 1 of log_probs (T, N, C) and dim 0 of the rest.
lab::ArgMap loss_args(const lab::FunctionSpec& f, std::size_t points) {
    lab::ArgMap args;
    for (const auto& [name, text] : f.example) args[name] = parse_literal(text);
    const lab::Tensor& first = args.at(f.example.front().first);
    const std::size_t k = std::max<std::size_t>(1, (points + first.numel() - 1) / std::max<std::size_t>(1, first.numel()));
    for (auto& [name, t] : args) {
        const std::size_t dim = (f.name == "CTCLoss" && name == "log_probs") ? 1 : 0;
        t = tile(t, dim, k);
    }
    return args;
}

double median_ms(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

template <class F>
double time_ms(int reps, F&& f) {
    f();  // warm-up (in WebAssembly, V8 tiers a function up on a later call)
    f();
    std::vector<double> ms;
    for (int r = 0; r < reps; ++r) {
        const auto t0 = Clock::now();
        f();
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    return median_ms(ms);
}

volatile double sink;  // keeps results observable so nothing is optimised away

}  // namespace

std::string run(std::size_t points, int reps, const std::string& only) {
    std::string out = "[";
    auto row = [&](const lab::FunctionSpec& f, std::size_t n, double ms) {
        char buf[256];
        std::snprintf(buf, sizeof buf, "%s{\"name\":\"%s\",\"kind\":\"%s\",\"points\":%zu,\"ms\":%.4f}",
                      out.size() > 1 ? ",\n" : "\n", f.name.c_str(),
                      f.kind == lab::Kind::Loss ? "loss" : "elementwise", n, ms);
        out += buf;
    };
    std::vector<double> x(points), y(points), dy(points);
    for (std::size_t i = 0; i < points; ++i) x[i] = -6.0 + 12.0 * static_cast<double>(i) / static_cast<double>(points - 1);
    for (const auto* f : lab::all_functions()) {
        if (!only.empty() && f->name != only) continue;
        if (f->kind == lab::Kind::Elementwise) {
            lab::ParamMap given;
            for (const auto& p : f->params)
                if (p.required) given[p.name] = lab::Value::num((p.slider_min + p.slider_max) / 2);
            const double ms = time_ms(reps, [&] {
                lab::evaluate_elementwise(f->name, given, x.data(), points, y.data(), dy.data());
                sink = y[points / 2] + dy[points / 3];
            });
            row(*f, points, ms);
        } else if (f->kind == lab::Kind::Loss) {
            const lab::ArgMap args = loss_args(*f, points);
            const lab::Params params = lab::resolve(*f, {});
            std::size_t n = args.at(f->example.front().first).numel();
            const double ms = time_ms(reps, [&] {
                const lab::LossResult r = f->loss(params, args);
                sink = r.loss.data[0];
            });
            row(*f, n, ms);
        }
    }
    return out + "\n]\n";
}

}  // namespace labbench
