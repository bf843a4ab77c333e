#include "reference.hpp"

#include <fstream>
#include <map>
#include <stdexcept>

namespace labtest {

const json& reference(const std::string& file) {
    static std::map<std::string, json> cache;
    auto it = cache.find(file);
    if (it != cache.end()) return it->second;
    const std::string path = std::string(LAB_REFERENCE_DIR) + "/" + file + ".json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    return cache[file] = json::parse(in);
}

double number(const json& j) {
    if (j.is_string()) {
        const auto s = j.get<std::string>();
        if (s == "nan") return kNaN;
        if (s == "inf") return kInf;
        if (s == "-inf") return -kInf;
        throw std::runtime_error("not a number: " + s);
    }
    return j.get<double>();
}

namespace {
void flatten(const json& j, std::size_t dim, lab::Tensor& t) {
    if (!j.is_array()) {
        t.data.push_back(number(j));
        return;
    }
    if (t.shape.size() == dim) t.shape.push_back(static_cast<std::int64_t>(j.size()));
    for (const auto& e : j) flatten(e, dim + 1, t);
}
}  // namespace

lab::Tensor tensor(const json& j) {
    lab::Tensor t;
    flatten(j, 0, t);
    return t;
}

lab::ParamMap params(const json& j) {
    lab::ParamMap out;
    for (const auto& [k, v] : j.items()) {
        if (v.is_null()) out[k] = lab::Value::none();
        else if (v.is_boolean()) out[k] = lab::Value::flag(v.get<bool>());
        else if (v.is_array()) out[k] = lab::Value::tensor_of(tensor(v));
        else if (v.is_string() && v != "nan" && v != "inf" && v != "-inf") out[k] = lab::Value::str(v.get<std::string>());
        else out[k] = lab::Value::num(number(v));
    }
    return out;
}

lab::ArgMap args(const json& j) {
    lab::ArgMap out;
    for (const auto& [k, v] : j.items()) out[k] = tensor(v);
    return out;
}

}  // namespace labtest
