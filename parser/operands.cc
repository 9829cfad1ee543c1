// Operands of comparisons and VALUES items (literals, parameters, NULL,
// TRUE/FALSE, with casts), and the canonical text of an expression: shared
// by the predicate reader and INSERT rows.
#include <algorithm>
#include <cstring>

#include "parser/ascii_copy.h"
#include "parser/operand_reader.h"
#include "parser/predicates.h"

namespace switchyard::parser {
namespace operand_internal {

int MySqlParameterOrdinal(const StatementContext& ctx, size_t pos) {
  if (pos < ctx.param_scan_pos) {
    ctx.param_scan_pos = 0;
    ctx.param_scan_count = 0;
  }
  for (; ctx.param_scan_pos <= pos; ++ctx.param_scan_pos) {
    if (ctx.tokens[ctx.param_scan_pos].kind == TokenKind::kParam) ++ctx.param_scan_count;
  }
  return ctx.param_scan_count;
}

size_t SkipCasts(const StatementContext& ctx, size_t p, size_t end) {
  const auto& t = ctx.tokens;
  while (p + 1 < end && IsCast(ctx, t[p]) && t[p + 1].kind == TokenKind::kWord) {
    p += 2;
    if (p < end && t[p].kind == TokenKind::kLParen) {
      Cursor c(ctx.sql, t.first(end), p);
      c.SkipBalanced();
      p = c.pos();
    }
    while (p + 1 < end && t[p].kind == TokenKind::kLBracket &&
           t[p + 1].kind == TokenKind::kRBracket) {
      p += 2;
    }
  }
  return p;
}

}  // namespace operand_internal

size_t ReadOperand(const StatementContext& ctx, size_t pos, size_t end,
                   Operand& out) {
  return ReadOperandInline(ctx, pos, end, out);
}

std::string ExpressionText(const StatementContext& ctx, size_t begin,
                           size_t end) {
  std::string out;
  ExpressionText(ctx, begin, end, out);
  return out;
}

// Written into a stack buffer (bounded by the span of text plus a space per
// token) and copied into the string once; one token (LIMIT 20, ORDER BY x)
// or a qualified name (ORDER BY t.x) straight into it.
void ExpressionText(const StatementContext& ctx, size_t begin, size_t end,
                    std::string& out) {
  end = std::min(end, ctx.tokens.size());
  if (begin >= end) return out.clear();
  const Token& first = ctx.tokens[begin];
  const Token& last = ctx.tokens[end - 1];
  if (end == begin + 1 || IsTightQualifiedName(ctx.tokens.data(), begin, end)) {
    // Words are lower-cased in PostgreSQL; a dot has no case.
    const std::string_view text(ctx.sql.data() + first.begin,
                                last.begin + last.length - first.begin);
    if (last.kind == TokenKind::kWord && ctx.Pg()) return AssignLower(out, text);
    return SetText(out, text);
  }
  const size_t bound = last.begin + last.length - first.begin + (end - begin);
  char local[256];
  std::string heap;
  char* const buf = bound <= sizeof(local) ? local : (heap.resize(bound), heap.data());
  char* o = buf;
  TokenKind prev = TokenKind::kLParen;
  const Token* const tokens = ctx.tokens.data();  // not reloaded after the char stores
  const char* const sql = ctx.sql.data();
  for (size_t i = begin; i < end; ++i) {
    const Token& t = tokens[i];
    const bool tight = prev == TokenKind::kLParen || prev == TokenKind::kDot ||
                       t.kind == TokenKind::kRParen || t.kind == TokenKind::kDot ||
                       t.kind == TokenKind::kComma ||
                       (t.kind == TokenKind::kLParen && prev == TokenKind::kWord);
    if (o != buf && !tight) *o++ = ' ';
    const char* text = sql + t.begin;
    if (t.kind == TokenKind::kWord && ctx.Pg()) {
      CopyExact<CaseChange::kLower>(o, text, t.length);
    } else {
      CopyExact<CaseChange::kNone>(o, text, t.length);
    }
    o += t.length;
    prev = t.kind;
  }
  SetText(out, std::string_view(buf, o - buf));
}

}  // namespace switchyard::parser
