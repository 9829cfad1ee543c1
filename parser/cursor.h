// A read position over the tokens of one statement, with the small helpers
// every statement-family parser needs (peek, accept keyword, skip a balanced
// parenthesis group). Past the end it yields a sentinel token that matches
// nothing, so parsers never index out of range on truncated input.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "parser/token.h"

namespace switchyard::parser {

class Cursor {
 public:
  Cursor(std::string_view sql, std::span<const Token> tokens, size_t pos = 0)
      : sql_(sql), tokens_(tokens), pos_(pos) {}

  bool AtEnd() const { return pos_ >= tokens_.size(); }
  size_t pos() const { return pos_; }
  void Seek(size_t pos) { pos_ = pos; }
  size_t size() const { return tokens_.size(); }
  std::string_view sql() const { return sql_; }
  std::span<const Token> tokens() const { return tokens_; }

  const Token& Peek(size_t ahead = 0) const {
    static constexpr Token kEnd{TokenKind::kSemicolon, Keyword::kNone, 0, 0};
    const size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : kEnd;
  }
  std::string_view Text(const Token& t) const { return t.Text(sql_); }
  std::string_view PeekText(size_t ahead = 0) const {
    return AtEnd() ? std::string_view() : Text(Peek(ahead));
  }
  void Advance(size_t n = 1) { pos_ += n; }

  bool PeekIs(Keyword k, size_t ahead = 0) const {
    return pos_ + ahead < tokens_.size() && Peek(ahead).keyword == k;
  }
  bool PeekIs(TokenKind k, size_t ahead = 0) const {
    return pos_ + ahead < tokens_.size() && Peek(ahead).kind == k;
  }
  bool Accept(Keyword k) {
    if (!PeekIs(k)) return false;
    ++pos_;
    return true;
  }
  bool Accept(TokenKind k) {
    if (!PeekIs(k)) return false;
    ++pos_;
    return true;
  }
  // Accepts a sequence of keywords, all or nothing.
  bool AcceptAll(std::initializer_list<Keyword> ks) {
    size_t i = 0;
    for (Keyword k : ks) {
      if (!PeekIs(k, i)) return false;
      ++i;
    }
    pos_ += i;
    return true;
  }
  // Words that are not keywords are compared case-insensitively.
  bool PeekWord(std::string_view lower, size_t ahead = 0) const;
  bool AcceptWord(std::string_view lower) {
    if (!PeekWord(lower)) return false;
    ++pos_;
    return true;
  }

  // At '(' or '[': moves past the matching closer (or to the end).
  void SkipBalanced();

 private:
  std::string_view sql_;
  std::span<const Token> tokens_;
  size_t pos_;
};

// ASCII lower-case copy.
std::string ToLower(std::string_view text);
bool EqualsIgnoreCase(std::string_view a, std::string_view lower);

}  // namespace switchyard::parser
