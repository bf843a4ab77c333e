// Design note: torch.nn.init and nn.Linear.reset_parameters, so that a network's `seed` gives
// PyTorch's initial weights bit for bit. Two things make that possible: every random value comes
// from nn_random's Generator in PyTorch's draw order (layer by layer, weight before bias), and every
// bound or std is computed with Python's float arithmetic in init.py's order (gain / sqrt(fan),
// then sqrt(3.0) * std; `negative_slope ** 2` is pow(), as CPython does). Schemes take their
// arguments as torch.nn.init's keywords in a ParamMap, and a wrong one is refused in Python's words
// ("xavier_uniform_() got an unexpected keyword argument 'foo'"), so a spec written for the page
// reads like the PyTorch call it stands for. `siren` is the lab's own scheme (Sitzmann et al. 2020:
// first layer U(±1/fan_in), later layers U(±√(6/fan_in)/ω₀)); it is not in torch.nn.init.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nn_random.hpp"
#include "registry.hpp"

namespace lab::nn {

// torch.nn.init.calculate_gain(nonlinearity, param). `param` matters for leaky_relu only (None:
// 0.01; a bool or a non-number: "negative_slope True not a valid number").
double calculate_gain(std::string_view nonlinearity, const Value& param = Value::none());

struct Fans {
    std::int64_t fan_in = 0, fan_out = 0;
};
// init._calculate_fan_in_and_fan_out: size(1) × receptive field, size(0) × receptive field.
Fans calculate_fan_in_and_fan_out(const Shape& shape);

// The weight schemes of torch.nn.init that issue 9 names, with the trailing underscore dropped:
// uniform, normal, constant, ones, zeros, xavier_uniform, xavier_normal, kaiming_uniform,
// kaiming_normal. Fills `data` (row-major, `shape`) in place.
void init_tensor(Generator& gen, std::string_view scheme, const ParamMap& params, const Shape& shape,
                 std::span<double> data);
// The names init_tensor accepts, and `siren` (which init_linears handles: it depends on the layer).
const std::vector<std::string>& init_schemes();

// One nn.Linear(in, out, bias) as it holds its parameters: weight out × in, row-major.
struct LinearParams {
    std::int64_t in = 0, out = 0;
    bool has_bias = true;
    std::vector<double> weight;  // out * in
    std::vector<double> bias;    // out, empty without bias
};

// The buffers in nn.Sequential.parameters() order (weight, then bias if any, layer by layer): what
// an Optimizer is built over and stepped with. The spans point into `layers`.
std::vector<std::span<double>> parameter_buffers(std::vector<LinearParams>& layers);
std::vector<std::size_t> parameter_sizes(const std::vector<LinearParams>& layers);

// nn.Linear.reset_parameters(): kaiming_uniform_(weight, a=√5), then bias U(±1/√fan_in).
void reset_parameters(Generator& gen, LinearParams& layer);

// Issue 9's optional re-initialisation:
//   for m in linears: nn.init.<weight>_(m.weight, **params); nn.init.zeros_(m.bias) if bias == 'zeros'
// weight: one of init_schemes(); bias: "default" (keep reset_parameters' bias) or "zeros".
// For `siren`, params holds w0 (ω₀ of the Sine activation, default 30).
struct InitSpec {
    std::string weight;
    ParamMap params;
    std::string bias = "default";
};

// torch.manual_seed(seed); [nn.Linear(sizes[i], sizes[i+1], bias) for i ...]; then `init` if given.
// sizes needs two or more entries, each at least 1.
std::vector<LinearParams> init_linears(const std::vector<std::int64_t>& sizes, bool bias, std::uint64_t seed,
                                       const std::optional<InitSpec>& init = std::nullopt);
// The same on a generator the caller owns (its state carries on from wherever it is; drawn each time).
std::vector<LinearParams> init_linears(Generator& gen, const std::vector<std::int64_t>& sizes, bool bias,
                                       const std::optional<InitSpec>& init = std::nullopt);

// The seeded init_linears keeps the last few (seed, sizes, bias)'s draws and rescales them when
// only the init's numbers or its scheme change (nn_init.cpp's memo note). Counts, for the tests
// and benchmarks: `defaults` keys prepared, `unit_fills` families drawn, `hits` calls served from
// kept unit draws; `kept_doubles` unit draws and `keys` keys held now. init_memo_clear frees
// them (the counts stay).
struct InitMemoInfo {
    std::uint64_t defaults = 0, unit_fills = 0, hits = 0;
    std::size_t kept_doubles = 0, keys = 0;
};
InitMemoInfo init_memo_info();
void init_memo_clear();

}  // namespace lab::nn
