// One linear pass over a query's tokens (SELECT/INSERT/UPDATE/DELETE/MERGE,
// including CTEs and subqueries at any depth) that finds what the query
// touches: tables (read or written, aliases noted), functions called, and
// what makes it not read-only (locking clauses, SELECT … INTO, DML verbs in
// CTEs). Nesting is tracked with an explicit stack, never recursion, so deep
// input cannot overflow the call stack.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"

#include "parser/statement_context.h"

namespace switchyard::parser {

struct WalkResult {
  // alias (as the text qualifies columns) → table name, for predicates.
  absl::InlinedVector<std::pair<std::string, std::string>, 4> aliases;
  absl::InlinedVector<std::string, 2> cte_names;
  // Tables named at the statement's top level (not in subqueries): the
  // table of unqualified columns when there is exactly one.
  absl::InlinedVector<std::string, 4> top_level_tables;
};

// Walks ctx.tokens[begin, end) and records into ctx.out. CTE names are
// removed from ctx.out->tables before returning.
WalkResult WalkQuery(const StatementContext& ctx, size_t begin, size_t end);

}  // namespace switchyard::parser
