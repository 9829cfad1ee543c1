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

}  // namespace switchyard::parser
