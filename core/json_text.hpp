// Design note: the core writes its few JSON documents by hand (the registry's catalog, the network
// catalog, a formula's description) rather than through a JSON library, which every WASM module
// would then carry; this is the one string escaper and number writer they share, so the three
// cannot drift apart in what they escape.
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

}  // namespace lab
