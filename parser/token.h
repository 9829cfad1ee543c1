// Tokens of one SQL text. A token is a view into the caller's input (offset
// and length), so lexing allocates nothing per token.
#pragma once

#include <cstdint>
#include <string_view>

#include "parser/analysis.h"
#include "parser/keywords.h"

namespace switchyard::parser {

enum class TokenKind : uint8_t {
  kWord,         // identifier or keyword (see Token::keyword)
  kQuotedIdent,  // "x" (pg, and MySQL in ANSI mode is not modelled) or `x`
  kString,       // '…', E'…', U&'…', $tag$…$tag$, MySQL "…", B'…', X'…'
  kNumber,       // 42, 1.5e3, 0x1F
  kParam,        // $1 (pg) or ? (MySQL)
  kVariable,     // MySQL @v / @@v, psql :v
  kOperator,     // =, <>, ::, ||, custom pg operators, …
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kSemicolon,
  kDot,
};

// +1 for '(', -1 for ')', 0 for every other kind: paren depth by table.
inline constexpr int8_t kParenDelta[16] = {0, 0, 0, 0, 0, 0, 0, 1, -1};
// The same counting '[' and ']' too.
inline constexpr int8_t kBracketDelta[16] = {0, 0, 0, 0, 0, 0, 0, 1, -1, 1, -1};
static_assert(static_cast<int>(TokenKind::kLParen) == 7 &&
              static_cast<int>(TokenKind::kRParen) == 8 &&
              static_cast<int>(TokenKind::kLBracket) == 9 &&
              static_cast<int>(TokenKind::kRBracket) == 10 &&
              static_cast<int>(TokenKind::kDot) < 16);

// Token::flags.
enum : uint8_t {
  // A kString token '…' (no prefix), terminated, with no quote inside (no
  // doubled '') and, in MySQL, no backslash: its value is the text between
  // the quotes as it stands.
  kPlainString = 1,
};

struct Token {
  TokenKind kind = TokenKind::kWord;
  Keyword keyword = Keyword::kNone;  // kWord only
  uint8_t flags = 0;                 // see kPlainString
  uint32_t begin = 0;
  uint32_t length = 0;

  // Unchecked: the lexer keeps every token inside the text it was given.
  std::string_view Text(std::string_view sql) const {
    return std::string_view(sql.data() + begin, length);
  }
  bool Is(Keyword k) const { return keyword == k; }
  bool IsPunct(TokenKind k) const { return kind == k; }
};

// A comment whose text may carry routing hints; `next_token` is the index of
// the first token after it, which tells which statement it belongs to.
struct HintComment {
  uint32_t begin = 0;
  uint32_t length = 0;
  uint32_t next_token = 0;
};

}  // namespace switchyard::parser
