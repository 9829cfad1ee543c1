// The Lexer's rare paths (lexer.cc): comments, prefixed strings (E'…',
// U&'…'), dollar quotes and $n, MySQL variables and operators, colons and
// PostgreSQL operators. Definitions of Lexer members declared in lexer.cc,
// included by it (only) after the class, so that the common paths read
// apart from these.
#pragma once

#include <climits>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace switchyard::parser {
namespace {

template <bool kMayGrow, int kDialect>
inline bool Lexer<kMayGrow, kDialect>::SkipComment() {
  const unsigned char c = At(pos_), n = At(pos_ + 1);
  if (c == '-' && n == '-' &&
      (Pg() || At(pos_ + 2) == 0 || IsSpace(At(pos_ + 2)))) {
    SkipLineComment();
    return true;
  }
  if (c == '#' && !Pg()) {
    SkipLineComment();
    return true;
  }
  if (c == '/' && n == '*') return SkipBlockComment();
  if (c == '*' && n == '/' && in_executable_comment_) {
    in_executable_comment_ = false;
    pos_ += 2;
    return true;
  }
  return false;
}

template <bool kMayGrow, int kDialect>
inline void Lexer<kMayGrow, kDialect>::SkipLineComment() {
  const size_t begin = pos_;
  while (pos_ < sql_.size() && sql_[pos_] != '\n') ++pos_;
  NoteComment(begin);
}

template <bool kMayGrow, int kDialect>
inline bool Lexer<kMayGrow, kDialect>::SkipBlockComment() {
  if (!Pg() && !in_executable_comment_ && EnterExecutableComment()) {
    return true;
  }
  const size_t begin = pos_;
  int depth = 0;
  while (pos_ < sql_.size()) {
    if (At(pos_) == '/' && At(pos_ + 1) == '*' && (Pg() || depth == 0)) {
      ++depth;
      pos_ += 2;
    } else if (At(pos_) == '*' && At(pos_ + 1) == '/') {
      pos_ += 2;
      if (--depth == 0) break;
    } else {
      ++pos_;
    }
  }
  NoteComment(begin);
  return true;
}

// MySQL /*!50100 … */ and MariaDB /*M!100100 … */: the server runs the
// content, so it is lexed as SQL; the closing */ is skipped later.
template <bool kMayGrow, int kDialect>
inline bool Lexer<kMayGrow, kDialect>::EnterExecutableComment() {
  size_t p = pos_ + 2;
  if (At(p) == 'M' && At(p + 1) == '!') {
    p += 2;
  } else if (At(p) == '!') {
    p += 1;
  } else {
    return false;
  }
  while (IsDigit(At(p))) ++p;
  pos_ = p;
  in_executable_comment_ = true;
  return true;
}

template <bool kMayGrow, int kDialect>
inline void Lexer<kMayGrow, kDialect>::NoteComment(size_t begin) {
  const std::string_view text = sql_.substr(begin, pos_ - begin);
  if (text.find("witchyard") == std::string_view::npos &&
      text.find("WITCHYARD") == std::string_view::npos) {
    return;
  }
  out_.hint_comments.push_back(
      HintComment{static_cast<uint32_t>(begin),
                  static_cast<uint32_t>(pos_ - begin),
                  static_cast<uint32_t>(next_ - tokens_)});
}

// E'…', B'…', X'…', N'…' and (pg) U&'…' / U&"…"; false when `c n` is not
// such a prefix.
template <bool kMayGrow, int kDialect>
inline bool Lexer<kMayGrow, kDialect>::LexPrefixedString(size_t begin, unsigned char c, unsigned char n) {
  const bool prefix_one = (c == 'e' || c == 'E' || c == 'b' || c == 'B' ||
                           c == 'x' || c == 'X' || c == 'n' || c == 'N');
  if (prefix_one && n == '\'') {
    const bool escapes = !Pg() || c == 'e' || c == 'E';
    ++pos_;
    SkipQuoted('\'', escapes);
    ShapeLiteral();
    Emit(TokenKind::kString, begin);
    return true;
  }
  if (Pg() && (c == 'u' || c == 'U') && n == '&' &&
      (At(pos_ + 2) == '\'' || At(pos_ + 2) == '"')) {
    const char quote = static_cast<char>(At(pos_ + 2));
    pos_ += 2;
    SkipQuoted(quote, false);
    if (quote == '\'') {
      ShapeLiteral();
    } else {
      ShapeQuotedOrVariable(begin, true);
    }
    Emit(quote == '\'' ? TokenKind::kString : TokenKind::kQuotedIdent, begin);
    return true;
  }
  return false;
}

template <bool kMayGrow, int kDialect>
inline void Lexer<kMayGrow, kDialect>::LexDollar(size_t begin) {
  if (IsDigit(At(pos_ + 1))) {
    ++pos_;
    // The number as std::from_chars would read it: none (0) past INT_MAX.
    uint64_t n = 0;
    bool too_large = false;
    for (unsigned char c; IsDigit(c = At(pos_)); ++pos_) {
      n = n * 10 + (c - '0');
      too_large |= n > static_cast<uint64_t>(INT_MAX);
    }
    NoteParameter(too_large ? 0 : static_cast<int>(n));
    ShapeParam(begin);
    return Emit(TokenKind::kParam, begin);
  }
  size_t p = pos_ + 1;
  while (p < sql_.size() && IsIdentChar(At(p)) && At(p) != '$') ++p;
  if (At(p) != '$' || (p > pos_ + 1 && IsDigit(At(pos_ + 1)))) {
    ++pos_;
    ShapeOperator(begin);
    return Emit(TokenKind::kOperator, begin);
  }
  const std::string_view tag = sql_.substr(pos_, p - pos_ + 1);
  const size_t close = sql_.find(tag, p + 1);
  pos_ = close == std::string_view::npos ? sql_.size() : close + tag.size();
  ShapeLiteral();
  Emit(TokenKind::kString, begin);
}

// Largest $n (as the normalizer numbers placeholders after it).
template <bool kMayGrow, int kDialect>
inline void Lexer<kMayGrow, kDialect>::NoteParameter(int n) {
  if (n > out_.max_parameter) out_.max_parameter = n;
}

template <bool kMayGrow, int kDialect>
inline void Lexer<kMayGrow, kDialect>::LexMySqlVariable(size_t begin) {
  ++pos_;
  if (At(pos_) == '@') ++pos_;
  const unsigned char c = At(pos_);
  if (c == '\'' || c == '"' || c == '`') {
    SkipQuoted(static_cast<char>(c), c != '`');
  } else {
    while (pos_ < sql_.size() &&
           (IsIdentChar(At(pos_)) || At(pos_) == '.') && At(pos_) != '$') {
      ++pos_;
    }
  }
  ShapeQuotedOrVariable(begin, false);
  Emit(TokenKind::kVariable, begin);
}

template <bool kMayGrow, int kDialect>
inline void Lexer<kMayGrow, kDialect>::LexColon(size_t begin) {
  if (At(pos_ + 1) == ':' || At(pos_ + 1) == '=') {
    pos_ += 2;
    ShapeOperator(begin);
    return Emit(TokenKind::kOperator, begin);
  }
  if (Pg() && IsIdentStart(At(pos_ + 1))) {  // psql :var
    ++pos_;
    while (pos_ < sql_.size() && IsIdentChar(At(pos_))) ++pos_;
    ShapeQuotedOrVariable(begin, false);
    return Emit(TokenKind::kVariable, begin);
  }
  ++pos_;
  ShapeOperator(begin);
  Emit(TokenKind::kOperator, begin);
}

// PostgreSQL operators are runs of operator characters; a run stops
// before -- or /* (comment starts).
template <bool kMayGrow, int kDialect>
inline void Lexer<kMayGrow, kDialect>::LexPgOperator(size_t begin) {
  ++pos_;
  while (pos_ < sql_.size() && IsPgOperatorChar(At(pos_))) {
    if ((At(pos_) == '-' && At(pos_ + 1) == '-') ||
        (At(pos_) == '/' && At(pos_ + 1) == '*')) {
      break;
    }
    ++pos_;
  }
  ShapeOperator(begin);
  Emit(TokenKind::kOperator, begin);
}

template <bool kMayGrow, int kDialect>
inline void Lexer<kMayGrow, kDialect>::LexMySqlOperator(size_t begin) {
  // <=> and ->>, then the two-byte ones (<= >= <> != || && << >> ->);
  // any other operator byte stands alone. Bytes compared, not strings: the
  // padding's zeros match none.
  const unsigned char c = At(pos_), n = At(pos_ + 1), n2 = At(pos_ + 2);
  size_t length = 1;
  if ((c == '<' && n == '=' && n2 == '>') || (c == '-' && n == '>' && n2 == '>')) {
    length = 3;
  } else {
    switch (c << 8 | n) {
      case '<' << 8 | '=': case '>' << 8 | '=': case '<' << 8 | '>':
      case '!' << 8 | '=': case '|' << 8 | '|': case '&' << 8 | '&':
      case '<' << 8 | '<': case '>' << 8 | '>': case '-' << 8 | '>':
        length = 2;
        break;
      default:
        break;
    }
  }
  pos_ += length;
  ShapeOperator(begin);
  Emit(TokenKind::kOperator, begin);
}

}  // namespace
}  // namespace switchyard::parser
