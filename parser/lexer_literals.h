// The Lexer's literals (lexer.cc): numbers, and quoted runs — strings,
// quoted identifiers. Definitions of Lexer members declared in lexer.cc,
// included by it (only) after the class, like lexer_rare.h; inlined into
// the lexer's loop (always_inline on their declarations).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

#include "parser/simd.h"

namespace switchyard::parser {
namespace {

// A string ('…'; "…" in MySQL) or a PostgreSQL quoted identifier ("…").
template <bool kMayGrow, int kDialect>
inline void Lexer<kMayGrow, kDialect>::LexQuoted(size_t begin, unsigned char c) {
  if (c == '\'') {
    const bool plain = SkipQuoted('\'', !Pg());
    ShapeLiteral();
    return Emit(TokenKind::kString, begin, Keyword::kNone, plain ? kPlainString : 0);
  }
  SkipQuoted('"', !Pg());
  if (Pg()) {
    ShapeQuotedOrVariable(begin, true);
  } else {
    ShapeLiteral();
  }
  Emit(Pg() ? TokenKind::kQuotedIdent : TokenKind::kString, begin);
}

// A number from its first byte: a digit (`digit`), else '.'.
template <bool kMayGrow, int kDialect>
inline void Lexer<kMayGrow, kDialect>::LexNumber(size_t begin, bool digit) {
  if (digit) ++pos_;  // the first digit
  if (digit && At(begin) == '0' && (At(pos_) == 'x' || At(pos_) == 'X' ||
                                    At(pos_) == 'b' || At(pos_) == 'o')) {
    ++pos_;
  }
  // The leading digits by class alone (most numbers are only digits; the
  // padding's zeros end the run); the general loop (hex digits, '_', one
  // '.', exponents) only when the next byte may continue the number.
  while (IsDigit(At(pos_))) ++pos_;
  if (Is(At(pos_), kNumberMore)) [[unlikely]] {
    bool seen_dot = false;
    while (pos_ < sql_.size()) {
      const unsigned char c = At(pos_);
      if (IsDigit(c) || c == '_' || (c >= 'a' && c <= 'f') ||
          (c >= 'A' && c <= 'F')) {
        const bool exponent = (c == 'e' || c == 'E');
        ++pos_;
        if (exponent && (At(pos_) == '+' || At(pos_) == '-')) ++pos_;
      } else if (c == '.' && !seen_dot && At(pos_ + 1) != '.') {
        seen_dot = true;
        ++pos_;
      } else {
        break;
      }
    }
  }
  // MySQL allows identifiers that start with digits (e.g. 1abc).
  if (!Pg() && IsIdentStart(At(pos_))) [[unlikely]] {
    while (pos_ < sql_.size() && IsIdentChar(At(pos_))) ++pos_;
    ShapeWord(Keyword::kNone, begin);
    return Emit(TokenKind::kWord, begin);
  }
  if constexpr (kShape) shape_.Number(out_.shape, Pg(), tokens_, next_, sql_.data());
  Emit(TokenKind::kNumber, begin);
}

// Skips a quoted run starting at pos_ (on the opening quote). A doubled
// quote is an escaped quote; with `backslash`, \x escapes x. True when the
// run is closed and has neither (see kPlainString). Looks for the next
// quote (or backslash) 16 bytes at a time: every load starts inside the
// text, so it stays within the padding, whose zeros match neither.
template <bool kMayGrow, int kDialect>
inline bool Lexer<kMayGrow, kDialect>::SkipQuoted(char quote, bool backslash) {
  ++pos_;
  bool plain = true;
  const char* const data = sql_.data();
  while (pos_ < sql_.size()) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos_));
    __m128i hits = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(quote));
    if (backslash) hits = _mm_or_si128(hits, _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\')));
    const auto mask = static_cast<uint32_t>(_mm_movemask_epi8(hits));
    if (mask == 0) {
      pos_ += 16;
      continue;
    }
    pos_ += static_cast<size_t>(std::countr_zero(mask));
    if (pos_ >= sql_.size()) break;
    if (backslash && data[pos_] == '\\') {
      pos_ += 2;
      plain = false;
    } else if (At(pos_ + 1) == static_cast<unsigned char>(quote)) {
      pos_ += 2;
      plain = false;
    } else {
      ++pos_;
      return plain;
    }
  }
  if (pos_ > sql_.size()) pos_ = sql_.size();
  return false;
}

}  // namespace
}  // namespace switchyard::parser
