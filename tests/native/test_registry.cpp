// Rules about the registry itself: it is complete (every function the lab promises, once), every
// entry is fully described, its defaults are valid, and the PyTorch reference data exercises
// every function, every parameter and every choice — so a function cannot hide untested.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "reference.hpp"
#include "support.hpp"

using labtest::Params;
using labtest::T;

namespace {

std::set<std::string> names_in(const char* file) {
    std::set<std::string> s;
    for (const auto& c : labtest::reference(file)["cases"]) s.insert(c["name"].get<std::string>());
    return s;
}

bool is_default(const lab::ParamSpec& p, const labtest::json& v) {
    const lab::Default& d = p.default_value;
    if (v.is_null()) return d.type == lab::Value::Type::None;
    if (v.is_boolean()) return d.type == lab::Value::Type::Bool && d.boolean == v.get<bool>();
    if (v.is_array()) return false;
    if (v.is_string() && p.type == lab::ParamType::Choice) return d.string == v.get<std::string>();
    if (v.is_string() && v != "nan" && v != "inf" && v != "-inf") return false;
    return d.type == lab::Value::Type::Number && d.number == labtest::number(v);
}

}  // namespace

TEST_CASE("the catalog holds every torch.nn activation and loss the lab promises, once each") {
    std::size_t elementwise = 0, vector = 0, loss = 0, outside = 0;
    std::set<std::string> seen;
    for (const auto* f : lab::all_functions()) {
        CAPTURE(f->name);
        CHECK(seen.insert(f->name).second);
        elementwise += f->kind == lab::Kind::Elementwise;
        vector += f->kind == lab::Kind::Vector;
        loss += f->kind == lab::Kind::Loss;
        outside += !f->in_torch_nn;
    }
    CHECK(elementwise == 27);  // 24 from torch.nn + LinearActivation, BinaryStep, Sine
    CHECK(outside == 3);
    CHECK(vector == 4);        // Softmax, Softmin, LogSoftmax, GLU
    CHECK(loss == 21);
}

TEST_CASE("every registry entry is fully described and its defaults are valid") {
    for (const auto* f : lab::all_functions()) {
        CAPTURE(f->name);
        CHECK(!f->group.empty());
        CHECK(!f->formula.empty());
        CHECK(!f->summary.empty());
        CHECK(f->notes.size() >= 2);
        // (a list over its capacity cannot be cut off silently: it stops the build)
        for (const auto& p : f->params) CHECK((p.choice_python.empty() || p.choice_python.size() == p.choices.size()));
        CHECK((f->elementwise != nullptr) == (f->kind == lab::Kind::Elementwise));
        CHECK((f->vector != nullptr) == (f->kind == lab::Kind::Vector));
        CHECK((f->loss != nullptr) == (f->kind == lab::Kind::Loss));
        if (!f->in_torch_nn) CHECK(!f->torch.empty());
        for (const auto& p : f->params) {
            CAPTURE(p.name);
            CHECK(!p.doc.empty());
            if (p.type == lab::ParamType::Float || p.type == lab::ParamType::Int) {
                CHECK(p.slider_min < p.slider_max);
                CHECK(p.slider_min >= p.min);
                CHECK(p.slider_max <= p.max);
                if (!p.required) {
                    // The default itself passes validation.
                    lab::ParamMap given{{p.name, p.default_value.value()}};
                    CHECK_NOTHROW(lab::resolve(*f, given));
                }
            }
            if (p.type == lab::ParamType::Choice) {
                CHECK(p.choices.size() >= 2);
                CHECK(std::find(p.choices.begin(), p.choices.end(), p.default_value.string) != p.choices.end());
            }
        }
        if (f->kind == lab::Kind::Loss) {
            CHECK(!f->args.empty());
            for (const auto& a : f->args) {
                CAPTURE(a.name);
                CHECK(!a.doc.empty());
                if (a.optional) continue;
                const bool has_example = std::any_of(f->example.begin(), f->example.end(),
                                                     [&](const auto& e) { return e.first == a.name; });
                CHECK_MESSAGE(has_example, "the workbench example lacks a required argument");
            }
        }
    }
}

// A parameter counts as exercised when a reference case gives it a non-default value; a case of
// errors.json counts too (PReLU's num_parameters can only be 1 on the lab's 1-D input, so its
// other values exist only as PyTorch's error).
TEST_CASE("the reference data exercises every function, every parameter and every choice") {
    std::set<std::string> all;
    for (const char* file : {"elementwise", "vector", "losses"})
        for (const auto& n : names_in(file)) all.insert(n);
    std::map<std::string, std::set<std::string>> varied;  // function -> params given a non-default value
    std::map<std::string, std::set<std::string>> choices; // "function.param" -> choices seen
    for (const char* file : {"elementwise", "vector", "losses", "errors"}) {
        for (const auto& c : labtest::reference(file)["cases"]) {
            const std::string name = c["name"];
            const lab::FunctionSpec& f = lab::find_function(name);
            for (const auto& p : f.params) {
                if (!c["params"].contains(p.name)) {
                    if (p.type == lab::ParamType::Choice) choices[name + "." + p.name].insert(p.default_value.string);
                    continue;
                }
                const auto& v = c["params"][p.name];
                if (!is_default(p, v)) varied[name].insert(p.name);
                if (p.type == lab::ParamType::Choice && std::string(file) != "errors")
                    choices[name + "." + p.name].insert(v.get<std::string>());
            }
        }
    }
    for (const auto* f : lab::all_functions()) {
        CAPTURE(f->name);
        CHECK_MESSAGE(all.count(f->name) == 1, "no PyTorch reference case");
        for (const auto& p : f->params) {
            CAPTURE(p.name);
            if (p.type == lab::ParamType::Dim) continue;  // on a 1-D vector only -1/0/None exist
            // Parameters PyTorch requires are always given; every other one must be varied.
            if (!p.required) CHECK_MESSAGE(varied[f->name].count(p.name) == 1, "never given a non-default value");
            if (p.type == lab::ParamType::Choice) {
                for (const auto& choice : p.choices) {
                    CAPTURE(choice);
                    CHECK(choices[f->name + "." + p.name].count(choice) == 1);
                }
            }
        }
    }
}

TEST_CASE("torch_code writes the PyTorch line a student would type") {
    struct Code {
        std::string function;
        Params params;
        std::string code;
        std::string why;
    };
    const std::vector<Code> table{
        {"ReLU", {}, "nn.ReLU()", "defaults are left out"},
        {"ELU", {{"alpha", 0.5}}, "nn.ELU(alpha=0.5)", "a changed float is written as Python prints it"},
        {"ELU", {{"alpha", 2}}, "nn.ELU(alpha=2.0)", "a float parameter given an integer is still a float"},
        {"Threshold", {{"threshold", 0.1}, {"value", 20}}, "nn.Threshold(threshold=0.1, value=20.0)",
         "required parameters are always written"},
        {"CrossEntropyLoss", {{"reduction", "sum"}, {"weight", T({1, 2, 0.5})}},
         "nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 0.5]), reduction='sum')",
         "choices are quoted, tensors written as torch.tensor, in the constructor's order"},
        {"RReLU", {}, "nn.RReLU().eval()", "RReLU is shown in evaluation mode, and the code says so"},
        {"RReLU", {{"lower", 0.2}}, "nn.RReLU(lower=0.2).eval()", "RReLU is shown in evaluation mode"},
        {"LinearActivation", {{"c", 2.5}}, "2.5 * x", "not in torch.nn: the expression itself"},
        {"BinaryStep", {}, "(x >= 0).double()", "not in torch.nn: the expression itself"},
        {"Sine", {}, "torch.sin(30.0 * x)", "not in torch.nn: the default w0 is written out"},
        {"Sine", {{"w0", 2.0}}, "torch.sin(2.0 * x)", "not in torch.nn: w0 goes into the expression"},
        {"TripletMarginWithDistanceLoss", {{"distance_function", "cosine"}, {"margin", 0.5}},
         "nn.TripletMarginWithDistanceLoss(distance_function=lambda a, b: 1.0 - F.cosine_similarity(a, b), "
         "margin=0.5)",
         "the cosine choice is written as the lambda it stands for"},
    };
    for (const Code& c : table) {
        const std::string params = labtest::show(c.params);
        CAPTURE(c.why);
        CAPTURE(c.function);
        CAPTURE(params);
        CHECK(lab::torch_code(c.function, c.params) == c.code);
    }
}

TEST_CASE("py_float prints floats the way Python's repr does") {
    const std::pair<double, const char*> cases[] = {
        {0.5, "0.5"}, {2.0, "2.0"}, {-0.0, "-0.0"}, {0.1, "0.1"}, {1e-7, "1e-07"}, {0.0001, "0.0001"},
        {1e16, "1e+16"}, {123456789012345.0, "123456789012345.0"}, {1.0 / 3, "0.3333333333333333"},
        {-1e-300, "-1e-300"}, {5e-324, "5e-324"}};
    for (const auto& c : cases) {  // (no structured binding: clang 14 cannot capture one in CAPTURE)
        const double v = c.first;
        const char* want = c.second;
        CAPTURE(v);
        CHECK(lab::py_float(v) == want);
    }
}

TEST_CASE("parameters are checked by name, type and range, in Python's words") {
    struct Rejected {
        std::string function;
        Params params;
        std::string message;
        std::string why;
    };
    const std::vector<Rejected> table{
        {"ELU", {{"alpah", 1}}, "ELU.__init__() got an unexpected keyword argument 'alpah'", "an unknown keyword"},
        {"Threshold", {}, "Threshold.__init__() missing 2 required positional arguments: 'threshold' and 'value'",
         "a missing required argument"},
        {"ELU", {{"alpha", "big"}}, "ELU: argument 'alpha' must be a number, not string", "a wrong type"},
        {"MSELoss", {{"reduction", "meanx"}}, "meanx is not a valid value for reduction", "an invalid reduction"},
    };
    for (const Rejected& r : table) {
        const std::string params = labtest::show(r.params);
        CAPTURE(r.why);
        CAPTURE(r.function);
        CAPTURE(params);
        CHECK(labtest::error_of([&] { lab::resolve(lab::find_function(r.function), r.params); }) == r.message);
    }
    CHECK(labtest::error_of([] { lab::find_function("relu"); }) == "unknown function 'relu'; did you mean 'ReLU'?");
}

TEST_CASE("the catalog serialises as JSON that lists every function") {
    const auto catalog = labtest::json::parse(lab::catalog_json());
    CHECK(catalog["activations"].size() + catalog["losses"].size() == lab::all_functions().size());
    for (const auto& f : catalog["activations"]) CHECK(f["kind"] != "loss");
    for (const auto& f : catalog["losses"]) CHECK(f["kind"] == "loss");
}

TEST_CASE("reductions add in torch.sum's order, so cancelling terms give PyTorch's answer") {
    // torch.tensor([1e300, 1, 1, -1e300, 5]).sum() is 0.0 in PyTorch (the tail 5 is added first,
    // then the four vector lanes); left-to-right addition would give 5.
    const lab::ArgMap args{{"input", T({1e300, 1, 1, -1e300, 5})}, {"target", lab::Tensor({5}, 1.0)}};
    for (const char* reduction : {"sum", "mean"}) {
        CAPTURE(reduction);
        const lab::LossResult r = lab::evaluate_loss("HingeEmbeddingLoss", Params{{"reduction", reduction}}, args);
        labtest::check_tensor(r.loss, labtest::scalar(0.0), "loss");
    }
}
