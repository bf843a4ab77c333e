// Short constructors for ParamSpec / ArgSpec so the family tables read like PyTorch signatures:
//   P::real("alpha", 1.0, -1, 3, "scale of the negative saturation")
//   P::real("beta", 1.0, 0.1, 5, "...").valid_min(0, false, "smooth_l1_loss does not support negative values for beta.")
#pragma once

#include <utility>

#include "registry.hpp"

namespace lab {

struct P {
    ParamSpec s;
    operator ParamSpec() const { return s; }  // NOLINT: implicit on purpose, for table entries

    static P real(std::string name, double def, double slider_min, double slider_max, std::string doc) {
        P p;
        p.s.name = std::move(name);
        p.s.type = ParamType::Float;
        p.s.default_value = Value::num(def);
        p.s.slider_min = slider_min;
        p.s.slider_max = slider_max;
        p.s.doc = std::move(doc);
        return p;
    }
    static P integer(std::string name, double def, double slider_min, double slider_max, std::string doc) {
        P p = real(std::move(name), def, slider_min, slider_max, std::move(doc));
        p.s.type = ParamType::Int;
        return p;
    }
    static P boolean(std::string name, bool def, std::string doc) {
        P p;
        p.s.name = std::move(name);
        p.s.type = ParamType::Bool;
        p.s.default_value = Value::flag(def);
        p.s.doc = std::move(doc);
        return p;
    }
    static P choice(std::string name, std::string def, std::vector<std::string> choices, std::string doc) {
        P p;
        p.s.name = std::move(name);
        p.s.type = ParamType::Choice;
        p.s.default_value = Value::str(std::move(def));
        p.s.choices = std::move(choices);
        p.s.doc = std::move(doc);
        return p;
    }
    // An optional tensor parameter whose PyTorch default is None (weight, pos_weight).
    static P tensor(std::string name, std::string doc) {
        P p;
        p.s.name = std::move(name);
        p.s.type = ParamType::Tensor;
        p.s.doc = std::move(doc);
        return p;
    }
    // A dim parameter; `none_default` true means PyTorch's default is None.
    static P dim(std::string name, bool none_default, std::int64_t def, std::string doc) {
        P p;
        p.s.name = std::move(name);
        p.s.type = ParamType::Dim;
        p.s.default_value = none_default ? Value::none() : Value::num(static_cast<double>(def));
        p.s.slider_min = -1;
        p.s.slider_max = 0;
        p.s.doc = std::move(doc);
        return p;
    }
    // reduction='mean' with PyTorch's choices; KLDivLoss adds 'batchmean'.
    static P reduction(bool with_batchmean = false) {
        std::vector<std::string> c{"none", "mean", "sum"};
        if (with_batchmean) c.push_back("batchmean");
        P p = choice("reduction", "mean", c, "how per-element losses are combined");
        p.s.invalid = "{value} is not a valid value for reduction";
        return p;
    }

    // The message for an invalid value, {value} standing for it (PyTorch's wording).
    P& invalid_message(std::string message) {
        s.invalid = std::move(message);
        return *this;
    }
    // No default: PyTorch requires it (Threshold's threshold and value).
    P& required() {
        s.required = true;
        s.default_value = Value::none();
        return *this;
    }
    P& valid_min(double lo, bool open, std::string message) {
        s.min = lo;
        s.min_open = open;
        s.invalid = std::move(message);
        return *this;
    }
    P& valid_range(double lo, double hi, bool open, std::string message) {
        s.min = lo;
        s.max = hi;
        s.min_open = s.max_open = open;
        s.invalid = std::move(message);
        return *this;
    }
};

inline ArgSpec arg(std::string name, std::string doc) { return ArgSpec{std::move(name), false, false, std::move(doc)}; }
inline ArgSpec int_arg(std::string name, std::string doc) { return ArgSpec{std::move(name), true, false, std::move(doc)}; }

}  // namespace lab
