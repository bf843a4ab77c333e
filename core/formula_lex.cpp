// Design note: the formula's lexer — numbers (1e-3, .5; at most 40 characters, "2e" before a name
// is the number 2 and a name, so "2exp(x)" gets the parser's "expected an operator"), names,
// quoted strings (a catalog keyword's choice), operators (** and ^ are one token kind), and a few
// typographic characters a student pastes (− × · ÷ ≤ ≥ ≠ π) read as their ASCII forms. Any other
// character is refused as a whole UTF-8 sequence, so the message quotes what the student sees.
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include "formula_lex.hpp"

namespace lab::formula {

Token Lexer::next() {
    while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
    Token t;
    t.pos = at_;
    if (at_ >= text_.size()) {
        t.kind = Tok::End;
        t.end = at_;
        return t;
    }
    const char c = text_[at_];
    auto single = [&](Tok k, std::size_t len = 1) {
        t.kind = k;
        at_ += len;
        t.end = at_;
    };
    const auto next = at_ + 1 < text_.size() ? text_[at_ + 1] : '\0';
    if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && std::isdigit(static_cast<unsigned char>(next)))) {
        std::size_t i = at_;
        while (i < text_.size() && std::isdigit(static_cast<unsigned char>(text_[i]))) ++i;
        if (i < text_.size() && text_[i] == '.') {
            ++i;
            while (i < text_.size() && std::isdigit(static_cast<unsigned char>(text_[i]))) ++i;
        }
        if (i < text_.size() && (text_[i] == 'e' || text_[i] == 'E')) {
            std::size_t j = i + 1;
            if (j < text_.size() && (text_[j] == '+' || text_[j] == '-')) ++j;
            if (j < text_.size() && std::isdigit(static_cast<unsigned char>(text_[j]))) {
                while (j < text_.size() && std::isdigit(static_cast<unsigned char>(text_[j]))) ++j;
                i = j;
            } else if (j < text_.size() && (std::isalpha(static_cast<unsigned char>(text_[j])) || text_[j] == '_')) {
                // "2e" followed by a name ("2exp(x)", "2e") is not an exponent: leave it to the
                // parser, which asks for an operator.
            } else {
                fail("malformed number '" + std::string(text_.substr(at_, j - at_)) + "': expected digits after the exponent",
                     at_, j);
            }
        }
        if (i - at_ > kMaxNumberLength)
            fail("number too long (more than " + std::to_string(kMaxNumberLength) + " characters)", at_, i);
        t.kind = Tok::Number;
        t.text = std::string(text_.substr(at_, i - at_));
        t.number = std::strtod(t.text.c_str(), nullptr);
        at_ = i;
        t.end = at_;
        return t;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        std::size_t i = at_;
        while (i < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[i])) || text_[i] == '_')) ++i;
        t.kind = Tok::Ident;
        t.text = std::string(text_.substr(at_, i - at_));
        at_ = i;
        t.end = at_;
        return t;
    }
    switch (c) {
        case '+': single(Tok::Plus); break;
        case '-': single(Tok::Minus); break;
        case '*': next == '*' ? single(Tok::Pow, 2) : single(Tok::Star); break;
        case '/': single(Tok::Slash); break;
        case '^': single(Tok::Pow); break;
        case '(': single(Tok::LParen); break;
        case ')': single(Tok::RParen); break;
        case ',': single(Tok::Comma); break;
        case ';': single(Tok::Semicolon); break;
        case '?': single(Tok::Question); break;
        case ':': single(Tok::Colon); break;
        case '<': next == '=' ? single(Tok::Le, 2) : single(Tok::Lt); break;
        case '>': next == '=' ? single(Tok::Ge, 2) : single(Tok::Gt); break;
        case '=': next == '=' ? single(Tok::Eq, 2) : single(Tok::Assign); break;
        case '!':
            if (next != '=') fail("unexpected character '!' (did you mean '!='?)", at_, at_ + 1);
            single(Tok::Ne, 2);
            break;
        case '\'':
        case '"': {
            const std::size_t close = text_.find(c, at_ + 1);
            if (close == std::string_view::npos) fail("unterminated string (no closing " + std::string(1, c) + ")", at_, text_.size());
            t.kind = Tok::String;
            t.text = std::string(text_.substr(at_ + 1, close - at_ - 1));
            at_ = close + 1;
            t.end = at_;
            break;
        }
        default: {
            // Typographic forms, and anything else non-ASCII as one whole character.
            static constexpr std::pair<const char*, Tok> kTypographic[] = {
                {"\u2212", Tok::Minus}, {"\u00D7", Tok::Star}, {"\u00B7", Tok::Star}, {"\u22C5", Tok::Star},
                {"\u00F7", Tok::Slash}, {"\u2264", Tok::Le}, {"\u2265", Tok::Ge}, {"\u2260", Tok::Ne}};
            for (const auto& [s, k] : kTypographic) {
                const std::size_t len = std::strlen(s);
                if (text_.substr(at_, len) == s) {
                    single(k, len);
                    return t;
                }
            }
            if (text_.substr(at_, 2) == "\u03C0") {  // π
                t.kind = Tok::Ident;
                t.text = "pi";
                at_ += 2;
                t.end = at_;
                break;
            }
            std::size_t len = 1;
            const unsigned char u = static_cast<unsigned char>(c);
            if (u >= 0xC0) {
                while (at_ + len < text_.size() && (static_cast<unsigned char>(text_[at_ + len]) & 0xC0) == 0x80 && len < 4)
                    ++len;
            }
            if (u < 0x20 || u == 0x7F) fail("unexpected control character", at_, at_ + 1);
            fail("unexpected character '" + std::string(text_.substr(at_, len)) + "'", at_, at_ + len);
        }
    }
    return t;
}

}  // namespace lab::formula
