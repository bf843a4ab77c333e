// Design note: the keywords of the two things the function registry does not describe — the
// torch.nn.init schemes nn_init applies and the torch.optim optimisers nn_optim runs — written once,
// as constant tables beside the engine, so the page draws their rows (slider, number box, default,
// doc line) from the core and never restates a default. The tables describe; nn_init and nn_optim
// still read and check the keywords themselves (their messages are PyTorch's), and
// tests/native/test_nn_catalog.cpp holds the two to each other: every default here is what the
// engine uses when the keyword is left out (same bits of the initial weights, same resolved
// OptimizerOptions), every choice is accepted, and every finite bound is where the engine starts
// refusing. A keyword the page shows as several controls (Adam's `betas`) is one entry per
// element, each naming the PyTorch keyword and its index. Only the keywords worth a control are
// listed (not `maximize`, `foreach`, …: the engine accepts those at their defaults only, or the
// page has no use for them).
#pragma once

#include <string>

#include "registry.hpp"

namespace lab::nn {

struct KeywordSpec {
    Text name;                      // the control's name: the keyword, or e.g. "beta1" for betas[0]
    ParamType type = ParamType::Float;
    Default default_value;          // None where PyTorch has no default (SGD's lr)
    bool required = false;          // the constructor fails without it (SGD's lr, constant_'s val)
    // Where the engine refuses a value (PyTorch's own checks; ±inf: none).
    double min = -kInf, max = kInf;
    bool min_open = false, max_open = false;
    double slider_min = 0.0, slider_max = 1.0;  // a range that shows the keyword well
    double start = 0.0;             // the value a control starts from when there is no default
    FixedList<Text, 8> choices;     // for Choice
    Text doc;                       // one line
    Text keyword;                   // the PyTorch keyword when it is not `name` ("betas")
    int index = -1;                 // the element of a tuple keyword, else -1
};

struct SchemeSpec {
    Text name;                      // init_schemes() / optimizer_names() name
    Text label;                     // a menu line
    Text summary;                   // one sentence
    FixedList<KeywordSpec, 8> params;
};

// Every name of init_schemes() (in that order) and of optimizer_names() (in that order).
std::span<const SchemeSpec> init_catalog();
std::span<const SchemeSpec> optimizer_catalog();
// Throws Error naming the list when absent.
const SchemeSpec& find_init_scheme(std::string_view name);
const SchemeSpec& find_optimizer(std::string_view name);

// {"init": {"default": <summary of nn.Linear's reset_parameters>, "bias": ["default","zeros"],
//           "schemes": [{name, label, summary, params: [...]}]},
//  "optimizers": [{name, label, summary, params: [...]}]}
// A param is the registry catalog's form (name, type, default, required, min, max, minOpen,
// maxOpen, sliderMin, sliderMax, choices, doc) plus keyword, index and start.
std::string network_catalog_json();

}  // namespace lab::nn
