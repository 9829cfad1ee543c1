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


#include "parser/statement_context.h"

namespace switchyard::parser {

struct WalkResult {
  // alias (as the text qualifies columns) → table name, for predicates.
  // (Plain vectors: absl::InlinedVector may relocate std::string bitwise
  // under clang, which the fuzzer caught as a bad free.)
  std::vector<std::pair<std::string, std::string>> aliases;
  std::vector<std::string> cte_names;
  // Tables named at the statement's top level (not in subqueries): the
  // table of unqualified columns when there is exactly one.
  int top_level_table_count = 0;
  std::string top_level_table;
};

// Walks ctx.tokens[begin, end) and records into ctx.out. CTE names are
// removed from ctx.out->tables before returning.
WalkResult WalkQuery(const StatementContext& ctx, size_t begin, size_t end);

}  // namespace switchyard::parser
