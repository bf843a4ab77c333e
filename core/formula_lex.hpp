// Design note: the formula's tokens (internal to formula_parse.cpp and formula_lex.cpp). The lexer
// works on bytes but reports 1-based columns in characters (code points), which is what the
// page's caret counts, and every SyntaxError it throws carries the column and length of the
// offending characters. It never allocates beyond one token's text, and a token is at most the
// whole (length-limited) formula.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "formula.hpp"

namespace lab::formula {

enum class Tok {
    End, Number, Ident, String,
    Plus, Minus, Star, Slash, Pow, LParen, RParen, Comma, Semicolon, Assign, Question, Colon,
    Lt, Le, Gt, Ge, Eq, Ne,
};

struct Token {
    Tok kind = Tok::End;
    std::size_t pos = 0, end = 0;  // byte range in the text
    std::string text;              // identifier / number spelling / string contents
    double number = 0.0;
};

inline constexpr std::size_t kMaxNumberLength = 40;  // characters of one number

class Lexer {
public:
    explicit Lexer(std::string_view text) : text_(text) {}
    // The next token; throws SyntaxError for a character or number it cannot read.
    Token next();
    std::size_t position() const { return at_; }  // byte offset just after the last token

    int column(std::size_t pos) const {
        int c = 1;
        for (std::size_t i = 0; i < pos && i < text_.size(); ++i)
            if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++c;
        return c;
    }
    int length(std::size_t pos, std::size_t end) const {
        const int n = column(end) - column(pos);
        return n > 1 ? n : 1;
    }
    [[noreturn]] void fail(const std::string& message, std::size_t pos, std::size_t end) const {
        throw SyntaxError(message, column(pos), end > pos ? length(pos, end) : 1);
    }

private:
    std::string_view text_;
    std::size_t at_ = 0;
};

}  // namespace lab::formula
