// Short constructors for ParamSpec / ArgSpec so the family tables read like PyTorch signatures
// (all constexpr: the tables are constant expressions):
//   P::real("alpha", 1.0, -1, 3, "scale of the negative saturation")
//   P::real("beta", 1.0, 0.1, 5, "...").valid_min(0, false, "smooth_l1_loss does not support negative values for beta.")
#pragma once

#include <utility>

#include "registry.hpp"

namespace lab {

struct P {
    ParamSpec s;
    constexpr operator ParamSpec() const { return s; }  // NOLINT: implicit on purpose, for table entries

    static constexpr P real(Text name, double def, double slider_min, double slider_max, Text doc) {
        P p;
        p.s.name = name;
        p.s.type = ParamType::Float;
        p.s.default_value = Default::num(def);
        p.s.slider_min = slider_min;
        p.s.slider_max = slider_max;
        p.s.doc = doc;
        return p;
    }
    static constexpr P integer(Text name, double def, double slider_min, double slider_max, Text doc) {
        P p = real(name, def, slider_min, slider_max, doc);
        p.s.type = ParamType::Int;
        return p;
    }
    static constexpr P boolean(Text name, bool def, Text doc) {
        P p;
        p.s.name = name;
        p.s.type = ParamType::Bool;
        p.s.default_value = Default::flag(def);
        p.s.doc = doc;
        return p;
    }
    static constexpr P choice(Text name, Text def, TextList choices, Text doc) {
        P p;
        p.s.name = name;
        p.s.type = ParamType::Choice;
        p.s.default_value = Default::str(def);
        p.s.choices = choices;
        p.s.doc = doc;
        return p;
    }
    // An optional tensor parameter whose PyTorch default is None (weight, pos_weight).
    static constexpr P tensor(Text name, Text doc) {
        P p;
        p.s.name = name;
        p.s.type = ParamType::Tensor;
        p.s.doc = doc;
        return p;
    }
    // A dim parameter; `none_default` true means PyTorch's default is None.
    static constexpr P dim(Text name, bool none_default, std::int64_t def, Text doc) {
        P p;
        p.s.name = name;
        p.s.type = ParamType::Dim;
        p.s.default_value = none_default ? Default::none() : Default::num(static_cast<double>(def));
        p.s.slider_min = -1;
        p.s.slider_max = 0;
        p.s.doc = doc;
        return p;
    }
    // reduction='mean' with PyTorch's choices; KLDivLoss adds 'batchmean'.
    static constexpr P reduction(bool with_batchmean = false) {
        P p = choice("reduction", "mean",
                     with_batchmean ? TextList{"none", "mean", "sum", "batchmean"} : TextList{"none", "mean", "sum"},
                     "how per-element losses are combined");
        p.s.invalid = "{value} is not a valid value for reduction";
        return p;
    }

    // reduction='mean' where the functional checks it in Python with its own words
    // (F.poisson_nll_loss, F.gaussian_nll_loss, F.multilabel_soft_margin_loss).
    static constexpr P python_reduction() { return reduction().invalid_message("{value} is not valid"); }

    // Python code for each choice in torch_code(), where it is not just the quoted string.
    constexpr P& python_choices(TextList code) {
        s.choice_python = code;
        return *this;
    }
    // The message for an invalid value, {value} standing for it (PyTorch's wording).
    constexpr P& invalid_message(Text message) {
        s.invalid = message;
        return *this;
    }
    // No default: PyTorch requires it (Threshold's threshold and value).
    constexpr P& required() {
        s.required = true;
        s.default_value = Default::none();
        return *this;
    }
    constexpr P& valid_min(double lo, bool open, Text message) {
        s.min = lo;
        s.min_open = open;
        s.invalid = message;
        return *this;
    }
    constexpr P& valid_range(double lo, double hi, bool open, Text message) {
        s.min = lo;
        s.max = hi;
        s.min_open = s.max_open = open;
        s.invalid = message;
        return *this;
    }
};

constexpr ArgSpec arg(Text name, Text doc) { return ArgSpec{name, false, false, doc}; }
constexpr ArgSpec int_arg(Text name, Text doc) { return ArgSpec{name, true, false, doc}; }

}  // namespace lab
