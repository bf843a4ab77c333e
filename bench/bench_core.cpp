#include "bench_core.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "nn_data.hpp"
#include "nn_model.hpp"
#include "nn_stats.hpp"
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

// The median and the fastest of `reps` timed runs after two warm-ups (in WebAssembly, V8 tiers a
// function up on a later call). On a shared machine the fastest run is the least disturbed one.
struct Timing {
    double median, min;
};
template <class F>
Timing time_runs(int reps, F&& f) {
    f();
    f();
    std::vector<double> ms;
    for (int r = 0; r < reps; ++r) {
        const auto t0 = Clock::now();
        f();
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    return {median_ms(ms), *std::min_element(ms.begin(), ms.end())};
}
template <class F>
double time_ms(int reps, F&& f) {
    return time_runs(reps, f).median;
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

namespace {

lab::Tensor normal_tensor(lab::Shape shape, std::uint64_t seed) {
    lab::nn::DataRng rng(seed);
    lab::Tensor t(shape);
    for (double& v : t.data) v = rng.normal();
    return t;
}

lab::nn::NetworkSpec tanh_net(std::vector<std::int64_t> sizes) {
    lab::nn::NetworkSpec s;
    s.sizes = std::move(sizes);
    s.activation = {"Tanh", {}};
    s.loss = lab::nn::ModuleSpec{"MSELoss", {}};
    s.optimizer = lab::nn::ModuleSpec{"SGD", {{"lr", lab::Value::num(0.03)}}};
    return s;
}

// The page's training frame: 25 steps of 10 consecutive rows of a 250-point circle set, then the
// 100×100 decision-boundary grid over [−6, 6]².
Timing training_frame(const std::vector<std::int64_t>& sizes, int reps) {
    lab::nn::Network net(tanh_net(sizes));
    lab::nn::DataSpec ds;
    ds.name = "circle";
    ds.n = 500;
    ds.noise = 0.1;
    const lab::nn::Dataset train = lab::nn::make_dataset(ds).train;  // 250 points
    std::vector<lab::Tensor> xs, ys;
    for (std::int64_t b = 0; b < train.x.shape[0]; b += 10) {
        const auto from = static_cast<std::ptrdiff_t>(b);
        xs.emplace_back(lab::Shape{10, 2}, std::vector<double>(train.x.data.begin() + 2 * from, train.x.data.begin() + 2 * from + 20));
        std::vector<double> y(10);
        for (std::size_t i = 0; i < 10; ++i) y[i] = 2.0 * train.y.data[static_cast<std::size_t>(from) + i] - 1.0;  // ±1
        ys.emplace_back(lab::Shape{10, 1}, y);
    }
    lab::Tensor grid(lab::Shape{10000, 2});
    for (std::size_t i = 0; i < 100; ++i)
        for (std::size_t j = 0; j < 100; ++j) {
            grid.data[2 * (i * 100 + j)] = -6.0 + 12.0 * static_cast<double>(j) / 99.0;
            grid.data[2 * (i * 100 + j) + 1] = -6.0 + 12.0 * static_cast<double>(i) / 99.0;
        }
    return time_runs(reps, [&] {
        double loss = 0.0;
        for (std::size_t b = 0; b < xs.size(); ++b) loss += net.step(xs[b], ys[b]);
        sink = loss + net.forward(grid).output.data[5000];
    });
}

}  // namespace

std::string run_networks(int reps, const std::string& only) {
    std::string out = "[";
    auto row = [&](const char* name, Timing t) {
        char buf[256];
        std::snprintf(buf, sizeof buf, "%s{\"name\":\"%s\",\"ms\":%.4f,\"min_ms\":%.4f}", out.size() > 1 ? ",\n" : "\n", name,
                      t.median, t.min);
        out += buf;
    };
    auto wanted = [&](const char* name) { return only.empty() || std::string(name).find(only) != std::string::npos; };
    if (wanted("depth forward") || wanted("depth gradients") || wanted("depth statistics") || wanted("depth total")) {
        lab::nn::Network net(tanh_net(std::vector<std::int64_t>(51, 256)));
        const lab::Tensor x = normal_tensor({256, 256}, 1), y = normal_tensor({256, 256}, 2);
        if (wanted("depth forward")) row("depth forward", time_runs(reps, [&] { sink = net.forward(x).output.data[0]; }));
        if (wanted("depth gradients")) row("depth gradients", time_runs(reps, [&] { sink = net.gradients(x, y).loss; }));
        if (wanted("depth statistics")) {
            net.gradients(x, y);
            row("depth statistics", time_runs(reps, [&] { sink = lab::nn::layer_statistics(net).back().pre.std; }));
        }
        if (wanted("depth total"))
            row("depth total", time_runs(reps, [&] {
                    const double loss = net.gradients(x, y).loss;
                    sink = loss + lab::nn::layer_statistics(net).back().pre.std;
                }));
    }
    if (wanted("frame 2-8x6-1")) row("frame 2-8x6-1", training_frame({2, 8, 8, 8, 8, 8, 8, 1}, reps));
    if (wanted("frame 2-4-2-1")) row("frame 2-4-2-1", training_frame({2, 4, 2, 1}, reps));
    return out + "\n]\n";
}

}  // namespace labbench
