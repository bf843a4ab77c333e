// core/nn_catalog: the page's description of init schemes and optimisers must be the engine's
// behaviour, not a copy that can drift. Each default is checked against what nn_init / nn_optim do
// when the keyword is left out (the same initial weights bit for bit; the same resolved options),
// each choice against what they accept, and each finite bound against where they start refusing
// (the value at a closed bound passes, the next double beyond it fails).
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "nn_catalog.hpp"
#include "nn_init.hpp"
#include "nn_optim.hpp"
#include "reference.hpp"
#include "support.hpp"

namespace {

using labtest::json;
using namespace lab::nn;

lab::Value value_of(const KeywordSpec& k, double number) {
    return k.type == lab::ParamType::Bool ? lab::Value::flag(number != 0) : lab::Value::num(number);
}

lab::Value default_of(const KeywordSpec& k) {
    if (k.required) return lab::Value::num(k.start);
    return k.default_value.value();
}

// The keywords as the engine takes them: a tuple keyword's elements (Adam's beta1, beta2) joined
// into one tensor keyword, an element not given at its default.
lab::ParamMap keywords(const SchemeSpec& s, const std::map<std::string, lab::Value>& controls) {
    lab::ParamMap out;
    std::vector<double> tuple;
    std::string tuple_keyword;
    bool tuple_given = false;
    for (const KeywordSpec& k : s.params) {
        auto it = controls.find(k.name);
        if (k.index >= 0) {
            tuple_keyword = k.keyword.str();
            if (tuple.size() <= static_cast<std::size_t>(k.index)) tuple.resize(static_cast<std::size_t>(k.index) + 1);
            tuple[static_cast<std::size_t>(k.index)] = it != controls.end() ? it->second.number : k.default_value.number;
            tuple_given = tuple_given || it != controls.end();
        } else if (it != controls.end()) {
            out[k.name] = it->second;
        }
    }
    if (tuple_given) out[tuple_keyword] = lab::Value::tensor_of(labtest::T(tuple));
    return out;
}

double option_field(const OptimizerOptions& o, const KeywordSpec& k) {
    const std::string n = k.name;
    if (n == "lr") return o.lr;
    if (n == "momentum") return o.momentum;
    if (n == "dampening") return o.dampening;
    if (n == "weight_decay") return o.weight_decay;
    if (n == "nesterov") return o.nesterov;
    if (n == "beta1") return o.beta1;
    if (n == "beta2") return o.beta2;
    if (n == "eps") return o.eps;
    if (n == "amsgrad") return o.amsgrad;
    if (n == "alpha") return o.alpha;
    if (n == "centered") return o.centered;
    FAIL("no OptimizerOptions field for catalog keyword " << n);
    return 0;
}

bool same_weights(const std::vector<LinearParams>& a, const std::vector<LinearParams>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].weight.size() != b[i].weight.size() || a[i].bias.size() != b[i].bias.size()) return false;
        if (std::memcmp(a[i].weight.data(), b[i].weight.data(), a[i].weight.size() * sizeof(double)) != 0) return false;
        if (std::memcmp(a[i].bias.data(), b[i].bias.data(), a[i].bias.size() * sizeof(double)) != 0) return false;
    }
    return true;
}

const std::vector<std::int64_t> kSizes{3, 5, 4, 2};

std::vector<LinearParams> init_with(const SchemeSpec& s, const lab::ParamMap& params) {
    return init_linears(kSizes, true, 7, InitSpec{s.name.str(), params, "default"});
}

bool init_accepts(const SchemeSpec& s, const lab::ParamMap& params) {
    try {
        init_with(s, params);
        return true;
    } catch (const lab::Error&) {
        return false;
    }
}

bool optimizer_accepts(const SchemeSpec& s, const lab::ParamMap& params) {
    try {
        resolve_optimizer(s.name, params);
        return true;
    } catch (const lab::Error&) {
        return false;
    }
}

// The parameters with every required keyword at its start value and `name` set to `v`.
std::map<std::string, lab::Value> with(const SchemeSpec& s, const std::string& name, const lab::Value& v) {
    std::map<std::string, lab::Value> c;
    for (const KeywordSpec& k : s.params)
        if (k.required) c[k.name] = default_of(k);
    c[name] = v;
    return c;
}

}  // namespace

TEST_CASE("network catalog: the engine's names, in the engine's order") {
    const auto& schemes = init_schemes();
    REQUIRE(init_catalog().size() == schemes.size());
    for (std::size_t i = 0; i < schemes.size(); ++i) CHECK(init_catalog()[i].name == schemes[i]);
    const auto& opts = optimizer_names();
    REQUIRE(optimizer_catalog().size() == opts.size());
    for (std::size_t i = 0; i < opts.size(); ++i) CHECK(optimizer_catalog()[i].name == opts[i]);
    CHECK_THROWS_WITH_AS(find_optimizer("Adagrad"), "unknown optimizer 'Adagrad'; one of SGD, Adam, AdamW, RMSprop", lab::Error);
    CHECK(std::string(find_init_scheme("siren").params[0].name) == "w0");
}

TEST_CASE("network catalog: optimiser defaults are what torch.optim (nn_optim) fills in") {
    for (const SchemeSpec& s : optimizer_catalog()) {
        CAPTURE(std::string(s.name));
        std::map<std::string, lab::Value> req;
        for (const KeywordSpec& k : s.params)
            if (k.required) req[k.name] = default_of(k);
        const OptimizerOptions left_out = resolve_optimizer(s.name, keywords(s, req));
        for (const KeywordSpec& k : s.params) {
            CAPTURE(std::string(k.name));
            if (k.required) {
                // without it the constructor fails
                std::map<std::string, lab::Value> none;
                CHECK_FALSE(optimizer_accepts(s, keywords(s, none)));
                continue;
            }
            const lab::Value d = k.default_value.value();
            const double dv = d.type == lab::Value::Type::Bool ? (d.boolean ? 1.0 : 0.0) : d.number;
            CHECK(option_field(left_out, k) == dv);
            // given explicitly, the same options
            const OptimizerOptions given = resolve_optimizer(s.name, keywords(s, with(s, k.name, d)));
            CHECK(option_field(given, k) == dv);
        }
    }
}

TEST_CASE("network catalog: optimiser bounds are where the engine starts refusing") {
    int bounds = 0;
    for (const SchemeSpec& s : optimizer_catalog()) {
        for (const KeywordSpec& k : s.params) {
            if (k.type != lab::ParamType::Float) continue;
            CAPTURE(std::string(s.name));
            CAPTURE(std::string(k.name));
            if (std::isfinite(k.min)) {
                ++bounds;
                const double below = std::nextafter(k.min, -lab::kInf);
                CHECK_FALSE(optimizer_accepts(s, keywords(s, with(s, k.name, value_of(k, below)))));
                CHECK(optimizer_accepts(s, keywords(s, with(s, k.name, value_of(k, k.min)))) == !k.min_open);
            } else {
                CHECK(optimizer_accepts(s, keywords(s, with(s, k.name, value_of(k, -1e6)))));
            }
            if (std::isfinite(k.max)) {
                ++bounds;
                const double above = std::nextafter(k.max, lab::kInf);
                CHECK_FALSE(optimizer_accepts(s, keywords(s, with(s, k.name, value_of(k, above)))));
                CHECK(optimizer_accepts(s, keywords(s, with(s, k.name, value_of(k, k.max)))) == !k.max_open);
            } else {
                CHECK(optimizer_accepts(s, keywords(s, with(s, k.name, value_of(k, 1e6)))));
            }
            // the slider stays where the engine accepts
            CHECK(optimizer_accepts(s, keywords(s, with(s, k.name, value_of(k, k.slider_min)))) == !(k.slider_min == k.min && k.min_open));
            CHECK(k.slider_min < k.slider_max);
        }
    }
    CHECK(bounds == 22);  // lr ×4, weight_decay ×4, eps ×3, momentum ×2, alpha, betas' two ends ×2 optimisers ×2
}

TEST_CASE("network catalog: init defaults give nn.init's weights bit for bit, choices are accepted") {
    for (const SchemeSpec& s : init_catalog()) {
        CAPTURE(std::string(s.name));
        lab::ParamMap req, all;
        for (const KeywordSpec& k : s.params) {
            all[k.name] = default_of(k);
            if (k.required) req[k.name] = default_of(k);
        }
        CHECK(same_weights(init_with(s, req), init_with(s, all)));
        for (const KeywordSpec& k : s.params) {
            CAPTURE(std::string(k.name));
            if (k.required) {
                lab::ParamMap without = all;
                without.erase(k.name);
                CHECK_FALSE(init_accepts(s, without));
            }
            for (const lab::Text& c : k.choices) {
                lab::ParamMap p = all;
                p[k.name] = lab::Value::str(c.str());
                CHECK(init_accepts(s, p));
            }
            if (k.type == lab::ParamType::Choice) {
                lab::ParamMap p = all;
                p[k.name] = lab::Value::str("nope");
                CHECK_FALSE(init_accepts(s, p));
            }
            if (k.type == lab::ParamType::Float && std::isfinite(k.min)) {
                lab::ParamMap p = all;
                p[k.name] = lab::Value::num(std::nextafter(k.min, -lab::kInf));
                CHECK_FALSE(init_accepts(s, p));
                p[k.name] = lab::Value::num(k.min);
                CHECK(init_accepts(s, p) == !k.min_open);
            }
        }
        // a keyword the catalog does not list is refused (the catalog lists them all)
        lab::ParamMap extra = all;
        extra["bogus"] = lab::Value::num(1);
        CHECK_FALSE(init_accepts(s, extra));
    }
    // siren's w0 default is the one init_linears uses for a spec without it (the page's
    // `w0 ?? 30` was a copy of it)
    const SchemeSpec& siren = find_init_scheme("siren");
    CHECK(siren.params[0].default_value.number == 30);
}

TEST_CASE("network catalog: JSON") {
    const json j = json::parse(network_catalog_json());
    REQUIRE(j["init"]["schemes"].size() == init_catalog().size());
    REQUIRE(j["optimizers"].size() == optimizer_catalog().size());
    CHECK(j["init"]["bias"] == json::array({"default", "zeros"}));
    const json& adam = j["optimizers"][1];
    CHECK(adam["name"] == "Adam");
    const json& beta2 = adam["params"][2];
    CHECK(beta2["name"] == "beta2");
    CHECK(beta2["keyword"] == "betas");
    CHECK(beta2["index"] == 1);
    CHECK(beta2["default"] == 0.999);
    CHECK(beta2["max"] == 1);
    CHECK(beta2["maxOpen"] == true);
    const json& sgd_lr = j["optimizers"][0]["params"][0];
    CHECK(sgd_lr["required"] == true);
    CHECK(sgd_lr["default"].is_null());
    CHECK(sgd_lr["start"] == 0.1);
    CHECK(sgd_lr["index"].is_null());
    const json& kaiming = j["init"]["schemes"][2];
    CHECK(kaiming["name"] == "kaiming_uniform");
    CHECK(kaiming["params"][2]["choices"].size() == 6);
    CHECK(kaiming["params"][0]["max"].is_null());  // no bound: null, as the registry's catalog writes ±inf
}
