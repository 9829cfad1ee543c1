// ReadOperand() (predicates.h) as an inline function: the predicate parser
// reads an operand for every comparison, and the call (with the registers
// it saves) cost a third of the operand's reading. The rare parts (MySQL
// `?` ordinals, casts) stay out of line, in operands.cc.
#pragma once

#include "parser/statement_context.h"

namespace switchyard::parser {
namespace operand_internal {

inline bool IsMinus(const StatementContext& ctx, const Token& t) {
  return t.kind == TokenKind::kOperator && t.length == 1 && ctx.sql[t.begin] == '-';
}

inline bool IsCast(const StatementContext& ctx, const Token& t) {
  return t.kind == TokenKind::kOperator && t.length == 2 && ctx.sql[t.begin] == ':' &&
         ctx.sql[t.begin + 1] == ':';
}

// The 1-based ordinal of the MySQL `?` at `pos` (counted with
// ctx.param_scan_*).
int MySqlParameterOrdinal(const StatementContext& ctx, size_t pos);

// The position after the casts from `p` on ('x'::type, $1::type[]); p when
// there is none.
size_t SkipCasts(const StatementContext& ctx, size_t p, size_t end);

inline int ParameterNumber(const StatementContext& ctx, size_t pos) {
  if (!ctx.Pg()) return MySqlParameterOrdinal(ctx, pos);
  const Token& t = ctx.tokens[pos];
  const char* const digits = ctx.sql.data() + t.begin;
  if (t.length == 2) return digits[1] - '0';  // $1 … $9: no loop
  int n = 0;
  for (size_t i = 1; i < t.length; ++i) {
    n = n < 100000000 ? n * 10 + (digits[i] - '0') : n;
  }
  return n;
}

}  // namespace operand_internal

// See ReadOperand().
[[gnu::always_inline]] inline size_t ReadOperandInline(const StatementContext& ctx, size_t pos,
                                                       size_t end, Operand& out) {
  using namespace operand_internal;
  const auto& t = ctx.tokens;
  if (pos >= end) return pos;
  size_t p = pos;
  bool negative = false;
  if (IsMinus(ctx, t[p]) && p + 1 < end && t[p + 1].kind == TokenKind::kNumber) {
    negative = true;
    ++p;
  }
  const Token& tok = t[p];
  if (tok.kind == TokenKind::kNumber || tok.kind == TokenKind::kString) {
    out.kind = Operand::Kind::kLiteral;
    out.parameter = 0;
    out.is_string = tok.kind == TokenKind::kString;
    LiteralTextInPlace(ctx, tok, out.text);
    if (negative) out.text.insert(out.text.begin(), '-');
  } else if (tok.kind == TokenKind::kParam) {
    out.kind = Operand::Kind::kParameter;
    out.text.clear();
    out.parameter = ParameterNumber(ctx, p);
    out.is_string = false;
  } else if (tok.Is(Keyword::kNull)) {
    out.kind = Operand::Kind::kNull;
    out.text.clear();
    out.parameter = 0;
    out.is_string = false;
  } else if (tok.Is(Keyword::kTrue) || tok.Is(Keyword::kFalse)) {
    out.kind = Operand::Kind::kLiteral;
    SetText(out.text, tok.Is(Keyword::kTrue) ? "true" : "false");
    out.parameter = 0;
    out.is_string = false;
  } else {
    return pos;
  }
  ++p;
  if (p + 1 < end && IsCast(ctx, t[p])) return SkipCasts(ctx, p, end);
  return p;
}

}  // namespace switchyard::parser
