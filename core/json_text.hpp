// Design note: the core writes its few JSON documents by hand (the registry's catalog, the network
// catalog, a formula's description) rather than through a JSON library, which every WASM module
// would then carry; this is the one string escaper and number writer they share, so the three
// cannot drift apart in what they escape — nor the registry's parameters and the network catalog's
// keywords in the keys a page control is built from (json_param_fields).
#pragma once

#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

namespace lab {

// s as a JSON string literal: quotes, backslashes and control characters escaped; other bytes
// (UTF-8 included) as they are.
inline void json_string(std::string& o, std::string_view s) {
    o += '"';
    for (char c : s) {
        switch (c) {
            case '"': o += "\\\""; break;
            case '\\': o += "\\\\"; break;
            case '\n': o += "\\n"; break;
            case '\t': o += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    o += buf;
                } else {
                    o += c;
                }
        }
    }
    o += '"';
}

// A finite number with 17 significant digits (it reads back exactly); a non-finite one as null.
inline void json_number(std::string& o, double v) {
    if (!std::isfinite(v)) {
        o += "null";
        return;
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    o += buf;
}

// A list of strings as a JSON array.
template <class List>
void json_strings(std::string& o, const List& list) {
    o += '[';
    bool first = true;
    for (const auto& s : list) {
        if (!first) o += ',';
        first = false;
        json_string(o, s);
    }
    o += ']';
}

// The keys a registry ParamSpec and a network-catalog KeywordSpec share, in one order and without
// the braces: name, type, default (written by write_default, as the two hold defaults differently),
// required, the refused range, the slider's range, choices, doc.
template <class P, class WriteDefault>
void json_param_fields(std::string& o, const P& p, std::string_view type, WriteDefault&& write_default) {
    const auto flag = [&o](bool b) { o += b ? "true" : "false"; };
    o += "\"name\":";
    json_string(o, p.name);
    o += ",\"type\":";
    json_string(o, type);
    o += ",\"default\":";
    write_default(o);
    o += ",\"required\":";
    flag(p.required);
    o += ",\"min\":";
    json_number(o, p.min);
    o += ",\"max\":";
    json_number(o, p.max);
    o += ",\"minOpen\":";
    flag(p.min_open);
    o += ",\"maxOpen\":";
    flag(p.max_open);
    o += ",\"sliderMin\":";
    json_number(o, p.slider_min);
    o += ",\"sliderMax\":";
    json_number(o, p.slider_max);
    o += ",\"choices\":";
    json_strings(o, p.choices);
    o += ",\"doc\":";
    json_string(o, p.doc);
}

}  // namespace lab
