// The normalized text and fingerprint key of a short text, written by the
// lexer as it emits each token (the one pass of Lex() for texts of at most
// ShapeBuffers::kMaxText bytes), so that a text that turns out to be one
// statement needs no second pass over its tokens. The output is exactly the
// Normalizer's in fingerprint.cc, which still serves texts of several
// statements and longer ones; fingerprint.h describes the format.
//
// Two rules of the format look at tokens the lexer has not read yet when it
// writes one; both are settled later by rewinding:
//   - a '-' before a number where a binary minus cannot stand belongs to the
//     constant: the number takes the '-' back (ShapeWriter::Number);
//   - IN ( constants ) collapses to one placeholder: the list is written as
//     usual and replaced at its ')' (ShapeWriter::Punct).
// PostgreSQL placeholders are numbered after the statement's largest $n,
// known only at its end: they are numbered from 1 and renumbered by
// FinishShape() (fingerprint.h) in the rare text that has both.
#pragma once

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "parser/ascii_copy.h"
#include "parser/keywords.h"
#include "parser/token.h"
#include "parser/word_scan.h"

namespace switchyard::parser {

// Whether a '-' after `before` and directly before a number is the number's
// sign (where a binary minus cannot stand), so that the constant takes it
// (pg_stat_statements folds it the same way). The one rule of both writers
// of the shape: this one and the Normalizer in fingerprint.cc.
[[gnu::always_inline]] inline bool MinusIsSign(const Token& before) {
  switch (before.kind) {
    case TokenKind::kOperator: case TokenKind::kLParen:
    case TokenKind::kComma: case TokenKind::kLBracket:
      return true;
    case TokenKind::kWord:
      return before.keyword != Keyword::kNone && IsReservedKeyword(before.keyword);
    default:
      return false;
  }
}

// The two digits of 10…99, for WritePlaceholderNumber().
struct TwoDigits {
  char digits[2];
};
constexpr std::array<TwoDigits, 100> BuildTwoDigits() {
  std::array<TwoDigits, 100> t{};
  for (size_t n = 0; n < 100; ++n) {
    t[n] = {{static_cast<char>('0' + n / 10), static_cast<char>('0' + n % 10)}};
  }
  return t;
}
inline constexpr std::array<TwoDigits, 100> kTwoDigits = BuildTwoDigits();

// Writes a PostgreSQL placeholder's number n >= 1 at `o` (room for 10
// digits); returns the end. The one spelling of both writers of the shape.
[[gnu::always_inline]] inline char* WritePlaceholderNumber(char* o, int n) {
  if (n < 10) {
    *o = static_cast<char>('0' + n);
    return o + 1;
  }
  if (n < 100) {  // one load and one store, no division
    std::memcpy(o, kTwoDigits[static_cast<size_t>(n)].digits, 2);
    return o + 2;
  }
  return std::to_chars(o, o + 10, n).ptr;
}

// What the previous output token allows before the next one. Ordered: a
// space goes before an ordinary token after kCallLike or kOther, and
// before '(' only after kOther.
enum ShapePrev : uint8_t {
  kShapeStart,     // nothing written yet
  kShapeNoSpace,   // after '(' '[' '.' '::'
  kShapeCallLike,  // after an identifier or unreserved keyword: f(…) stays tight
  kShapeOther,
};

// The previous token as ShapePrev's rule needs it, two bits (ShapeWriter's
// state): bit 0 a space before an ordinary token (after kShapeCallLike or
// kShapeOther), bit 1 one before '(' too (after kShapeOther). Kept as bits,
// a space is an add, not a compare.
constexpr size_t ShapeSpaces(ShapePrev prev) {
  return prev == kShapeOther ? 3 : prev == kShapeCallLike ? 1 : 0;
}

// ShapeSpaces() after each keyword: a reserved one is kShapeOther.
constexpr std::array<uint8_t, 256> BuildKeywordShapeSpaces() {
  std::array<uint8_t, 256> t{};
  for (size_t k = 1; k < std::size(kKeywordReserved); ++k) {
    t[k] = static_cast<uint8_t>(ShapeSpaces(kKeywordReserved[k] ? kShapeOther : kShapeCallLike));
  }
  return t;
}
inline constexpr std::array<uint8_t, 256> kKeywordShapeSpaces = BuildKeywordShapeSpaces();

// ASCII lower case of each byte (one load for a one-byte word).
constexpr std::array<uint8_t, 256> BuildLowerBytes() {
  std::array<uint8_t, 256> t{};
  for (size_t c = 0; c < 256; ++c) {
    t[c] = static_cast<uint8_t>(ascii_internal::ConvertByte<CaseChange::kLower>(static_cast<char>(c)));
  }
  return t;
}
inline constexpr std::array<uint8_t, 256> kLowerByte = BuildLowerBytes();

// Where the lexer writes the shape (inside LexResult: no heap).
struct ShapeBuffers {
  static constexpr size_t kMaxText = 256;

  bool ready = false;  // the lexer wrote text, key and placeholders
  size_t text_size = 0;
  size_t key_size = 0;
  int placeholders = 0;  // PostgreSQL literal placeholders, numbered 1…
  // A pending IN ( list (ShapeWriter::Punct): the token index of its '(',
  // and the output positions and placeholder count before it. Kept here,
  // not in the writer's registers: most texts have none.
  size_t list = SIZE_MAX;
  size_t list_text = 0;
  size_t list_key = 0;
  int list_placeholders = 0;
  // A token of n bytes writes at most 6n (a space, "$256" for a one-byte
  // literal; an IN list of ≥ 3 bytes becomes 18) and 2n key bytes; then
  // room for the 16-byte stores (words, keywords, short operators), 8-byte
  // copies and the hash's zeros.
  char text[6 * kMaxText + 64];
  char key[2 * kMaxText + 64];
  uint16_t placeholder_at[kMaxText];  // text offset of each literal's '$'
};

// The writer's state, held by the lexer by value (so that it lives in
// registers) and written back to ShapeBuffers at the end. `b` is the
// buffers, `tokens`/`next` the tokens emitted so far, `data` the lexer's
// padded copy of the text.
class ShapeWriter {
 public:
  static constexpr size_t kNoList = SIZE_MAX;

  explicit ShapeWriter(ShapeBuffers& b) : o_(b.text), k_(b.key) {
    b.placeholders = 0;
    b.list = kNoList;
  }

  [[gnu::always_inline]] void Finish(ShapeBuffers& b) const {
    b.text_size = static_cast<size_t>(o_ - b.text);
    b.key_size = static_cast<size_t>(k_ - b.key);
    b.ready = true;
  }

  // Keywords upper-cased; other words lower-cased in PostgreSQL (as the
  // server folds them) and kept in MySQL; the key has them lower-cased.
  [[gnu::always_inline]] void Word(Keyword kw, const char* src, size_t n, bool pg) {
    SpaceBeforeToken();
    if (kw != Keyword::kNone) {
      std::memcpy(o_, KeywordUpper16(kw), 16);
      o_ += n;
      // The key's keyword byte and separator in one store.
      const uint16_t key = static_cast<uint16_t>(0x1f00 | 0x80 | static_cast<unsigned>(kw));
      std::memcpy(k_, &key, 2);
      k_ += 2;
      spaces_ = kKeywordShapeSpaces[static_cast<size_t>(kw)];
      return;
    }
    if (pg) {
      CopyPadded2<CaseChange::kLower>(o_, k_, src, n);
    } else {
      o_ = CopyPadded<CaseChange::kNone>(o_, src, n);
      k_ = CopyPadded<CaseChange::kLower>(k_, src, n);
    }
    spaces_ = ShapeSpaces(kShapeCallLike);
    *k_++ = '\x1f';
  }

  // Word() for a word read by ScanWord(): its first 16 bytes are loaded and
  // their case known, so a word of at most 16 bytes is two 16-byte stores
  // (bytes past it are overwritten by what follows or past the end).
  [[gnu::always_inline]] void Word(Keyword kw, const WordBytes& w, const char* src, bool pg) {
    if (kw != Keyword::kNone || w.length > 16) return Word(kw, src, w.length, pg);
    SpaceBeforeToken();
    const __m128i lower = w.Lower();
    _mm_storeu_si128(reinterpret_cast<__m128i*>(o_), pg ? lower : w.bytes);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(k_), lower);
    o_ += w.length;
    k_ += w.length;
    spaces_ = ShapeSpaces(kShapeCallLike);
    *k_++ = '\x1f';
  }

  // Word() for a word of one byte `c` (never a keyword).
  [[gnu::always_inline]] void OneByteWord(char c, bool pg) {
    SpaceBeforeToken();
    const char lower = static_cast<char>(kLowerByte[static_cast<uint8_t>(c)]);
    *o_++ = pg ? lower : c;
    k_[0] = lower;
    k_[1] = '\x1f';
    k_ += 2;
    spaces_ = ShapeSpaces(kShapeCallLike);
  }

  // A string literal.
  [[gnu::always_inline]] void Literal(ShapeBuffers& b, bool pg) {
    SpaceBeforeToken();
    Placeholder(b, pg);
  }

  // A number: takes a '-' just before it (the last token emitted) when a
  // binary minus cannot stand there.
  [[gnu::always_inline]] void Number(ShapeBuffers& b, bool pg, const Token* tokens,
                                     const Token* next, const char* data) {
    if (next > tokens && IsMinus(next[-1], data) &&
        (next - 1 == tokens || MinusIsSign(next[-2]))) {
      o_ -= 1;  // the '-' (its space, if any, stays: the same rule)
      k_ -= 2;
      return Placeholder(b, pg);
    }
    Literal(b, pg);
  }

  // $n or ?: as written; one class with literals in the key.
  [[gnu::always_inline]] void Param(const char* src, size_t n) {
    SpaceBeforeToken();
    if (n <= 16) [[likely]] {
      Store16(o_, Load16(src));
      o_ += n;
    } else {
      o_ = CopyPadded<CaseChange::kNone>(o_, src, n);
    }
    *k_++ = '\x01';
    spaces_ = ShapeSpaces(kShapeOther);
  }

  [[gnu::always_inline]] void Operator(const char* src, size_t n) {
    const bool cast = n == 2 && src[0] == ':' && src[1] == ':';
    Space(cast ? 0 : spaces_ & 1);
    AsWritten(src, n);
    spaces_ = cast ? ShapeSpaces(kShapeNoSpace) : ShapeSpaces(kShapeOther);
  }

  // A quoted identifier or a variable (@v, :v).
  [[gnu::always_inline]] void QuotedOrVariable(const char* src, size_t n, bool quoted) {
    SpaceBeforeToken();
    AsWritten(src, n);
    spaces_ = quoted ? ShapeSpaces(kShapeCallLike) : ShapeSpaces(kShapeOther);
  }

  // One-byte punctuation `c` of `kind`, about to be emitted as token `next`.
  [[gnu::always_inline]] void Punct(ShapeBuffers& b, bool pg, TokenKind kind, char c,
                                    const Token* tokens, const Token* next, const char* data) {
    if (kind == TokenKind::kLParen) {
      if (next > tokens && next[-1].keyword == Keyword::kIn) {  // IN ( : maybe a list
        b.list = static_cast<size_t>(next - tokens);
        b.list_text = static_cast<size_t>(o_ - b.text);
        b.list_key = static_cast<size_t>(k_ - b.key);
        b.list_placeholders = b.placeholders;
      }
      Space(spaces_ >> 1);
    } else if (kind == TokenKind::kRParen && b.list != kNoList) {
      const bool collapse = IsConstantList(tokens + b.list + 1, next, data);
      b.list = kNoList;
      if (collapse) return CollapseList(b, pg);
    }
    *o_++ = c;
    k_[0] = c;
    k_[1] = '\x1f';
    k_ += 2;
    spaces_ = kind == TokenKind::kLParen || kind == TokenKind::kLBracket || kind == TokenKind::kDot
                  ? ShapeSpaces(kShapeNoSpace)
                  : ShapeSpaces(kShapeOther);
  }

 private:
  [[gnu::always_inline]] void SpaceBeforeToken() { Space(spaces_ & 1); }

  // A space when `space` is 1 (0 or 1).
  [[gnu::always_inline]] void Space(size_t space) {
    *o_ = ' ';
    o_ += space;
  }

  // 16 bytes of a token (the lexer's copy is padded), and into a buffer
  // (which has room past what is written).
  static __m128i Load16(const char* src) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(src));
  }
  static void Store16(char* dst, __m128i bytes) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), bytes);
  }

  // Text as written, into both the text and the key (with a separator).
  // Most such tokens (operators) are short: up to 16 bytes are one load and
  // two stores (the bytes past n are written over later).
  [[gnu::always_inline]] void AsWritten(const char* src, size_t n) {
    if (n <= 16) [[likely]] {
      const __m128i bytes = Load16(src);
      Store16(o_, bytes);
      Store16(k_, bytes);
      o_ += n;
      k_ += n;
    } else {
      CopyPadded2<CaseChange::kNone>(o_, k_, src, n);
    }
    *k_++ = '\x1f';
  }

  // Parameters and literals are one class in the key, as in pg_query.
  [[gnu::always_inline]] void Placeholder(ShapeBuffers& b, bool pg) {
    if (pg) {
      const int n = ++b.placeholders;  // ≤ kMaxText
      b.placeholder_at[n - 1] = static_cast<uint16_t>(o_ - b.text);
      *o_++ = '$';
      o_ = WritePlaceholderNumber(o_, n);
    } else {
      *o_++ = '?';
    }
    *k_++ = '\x01';
    spaces_ = ShapeSpaces(kShapeOther);
  }

  static bool IsMinus(const Token& t, const char* data) {
    return t.kind == TokenKind::kOperator && t.length == 1 && data[t.begin] == '-';
  }

  static bool IsConstant(TokenKind k) {
    return k == TokenKind::kString || k == TokenKind::kNumber || k == TokenKind::kParam;
  }

  // [t, end) is c (, c)* with c a string, number, parameter or -number.
  static bool IsConstantList(const Token* t, const Token* end, const char* data) {
    for (;;) {
      if (t < end && IsMinus(*t, data) && t + 1 < end && t[1].kind == TokenKind::kNumber) ++t;
      if (t >= end || !IsConstant(t->kind)) return false;
      if (++t == end) return true;
      if (t->kind != TokenKind::kComma) return false;
      ++t;
    }
  }

  // Replaces what was written from the IN list's '(' on by ( $n /*, ... */).
  void CollapseList(ShapeBuffers& b, bool pg) {
    o_ = b.text + b.list_text;
    k_ = b.key + b.list_key;
    b.placeholders = b.list_placeholders;
    *o_++ = ' ';
    *o_++ = '(';
    *k_++ = '(';
    Placeholder(b, pg);
    static constexpr char kMore[] = " /*, ... */)";
    std::memcpy(o_, kMore, sizeof(kMore) - 1);
    o_ += sizeof(kMore) - 1;
    *k_++ = ')';
    spaces_ = ShapeSpaces(kShapeOther);
  }

  char* o_;
  char* k_;
  size_t spaces_ = ShapeSpaces(kShapeStart);
};

}  // namespace switchyard::parser
