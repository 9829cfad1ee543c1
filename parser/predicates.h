// WHERE / JOIN … ON conditions → the predicate tree that shard routing and
// the advisor read (see PredicateNode in analysis.h), plus the operand
// reader shared with INSERT … VALUES.
#pragma once

#include <optional>

#include "parser/query_walker.h"
#include "parser/statement_context.h"

namespace switchyard::parser {

// Parses the condition in tokens [begin, end) into `out` (left disengaged
// for an empty range). Unqualified columns get the table named at token
// `default_table` (none: kNoToken, when the statement has several tables);
// qualifiers are resolved through `walk.aliases`.
void ParsePredicates(const StatementContext& ctx, size_t begin, size_t end,
                     const WalkResult& walk, uint32_t default_table,
                     std::optional<PredicateNode>& out);

// Whether tokens [begin, end) hold a token an operand starts with (see
// ReadOperand()): without one (JOIN … ON a.id = b.a_id) every term is
// opaque, and ParsePredicates() makes an opaque node.
bool MayHoldComparison(const StatementContext& ctx, size_t begin, size_t end);
// What ParsePredicates() makes of a condition with no operand, unparsed.
void SetOpaquePredicates(const StatementContext& ctx, std::optional<PredicateNode>& out);

// Reads one operand at `pos`: literal (optionally signed or ::cast),
// parameter or NULL. Returns the position after it, or `pos` when the token
// is none of those (`out` then untouched). Every field of `out` is written,
// so that a reused operand's text keeps its storage.
size_t ReadOperand(const StatementContext& ctx, size_t pos, size_t end,
                   Operand& out);

// Canonical text of tokens [begin, end): single spaces, no space inside
// parentheses or around dots (used for ORDER BY / GROUP BY expressions).
std::string ExpressionText(const StatementContext& ctx, size_t begin,
                           size_t end);
// The same into `out` (its contents replaced).
void ExpressionText(const StatementContext& ctx, size_t begin, size_t end,
                    std::string& out);

// Whether tokens [begin, end) are a name qualified once (a.b), written
// with no space: its canonical text is its text as it stands.
inline bool IsTightQualifiedName(const Token* t, size_t begin, size_t end) {
  if (end != begin + 3) return false;
  const Token& a = t[begin];
  const Token& dot = t[begin + 1];
  const Token& b = t[begin + 2];
  return a.kind == TokenKind::kWord && dot.kind == TokenKind::kDot && b.kind == TokenKind::kWord &&
         dot.begin == a.begin + a.length && b.begin == dot.begin + 1;
}

// ExpressionText() with the common short item inline: one token or a tight
// qualified name (ORDER BY t.x, LIMIT 20) of at most 16 bytes over a
// string at least as long (a reused result's old text), copied in place
// (IdentifierName()'s short copy). For end <= ctx.tokens.size().
[[gnu::always_inline]] inline void ExpressionTextInPlace(const StatementContext& ctx, size_t begin,
                                                         size_t end, std::string& out) {
  const Token* const t = ctx.tokens.data();
  if (begin < end && (end == begin + 1 || IsTightQualifiedName(t, begin, end))) {
    const size_t n = t[end - 1].begin + t[end - 1].length - t[begin].begin;
    if (n <= 16 && n <= out.size()) {
      out.resize(n);
      const char* const text = ctx.sql.data() + t[begin].begin;
      // Words are lower-cased in PostgreSQL; a dot has no case.
      if (t[end - 1].kind == TokenKind::kWord && ctx.Pg()) {
        return CopyShort<CaseChange::kLower>(out.data(), text, n);
      }
      return CopyShort<CaseChange::kNone>(out.data(), text, n);
    }
  }
  ExpressionText(ctx, begin, end, out);
}

}  // namespace switchyard::parser
