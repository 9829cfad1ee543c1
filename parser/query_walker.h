// One linear pass over a query's tokens (SELECT/INSERT/UPDATE/DELETE/MERGE,
// including CTEs and subqueries at any depth) that finds what the query
// touches: tables (read or written, aliases noted), functions called, and
// what makes it not read-only (locking clauses, SELECT … INTO, DML verbs in
// CTEs). Nesting is tracked with an explicit stack, never recursion, so deep
// input cannot overflow the call stack.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parser/small_list.h"
#include "parser/statement_context.h"

namespace switchyard::parser {

// Positions are token indexes in ctx.tokens: names are spelled only when a
// predicate needs them.
inline constexpr uint32_t kNoToken = UINT32_MAX;

// An alias as the text qualifies columns, and the name token of its table
// (kNoToken for a derived table or a function: it names no table).
struct AliasRef {
  uint32_t alias = 0;
  uint32_t table = kNoToken;
};

struct WalkResult {
  SmallList<AliasRef, 4> aliases;
  std::vector<std::string> cte_names;
  // Tables named at the statement's top level (not in subqueries): the
  // table of unqualified columns when there is exactly one (the name token
  // of the first, or kNoToken when it is a CTE).
  int top_level_table_count = 0;
  uint32_t top_level_table = kNoToken;
  // False when the tokens outside `skip` hold no '(' or '[' at all: every
  // one is either stepped on or skipped with its parentheses, which set it.
  bool parens = false;
};

// Tokens [begin, end) that hold no clause, table or function of the
// statement and balanced parentheses (end == begin: none known): flat
// VALUES rows, which ExtractInsertRows() reads, with the INSERT's column
// list and VALUES keyword before them when there is a column list.
struct Skip {
  size_t begin = 0;
  size_t end = 0;
};

// Walks ctx.tokens[begin, end) and records into ctx.out. CTE names are
// removed from ctx.out->tables before returning. The walk passes over
// `skip` (rows that ExtractInsertRows() found flat: walking them would
// record nothing) from where it begins: the column list after INSERT's
// table, or the VALUES keyword just before the rows.
WalkResult WalkQuery(const StatementContext& ctx, size_t begin, size_t end, Skip skip = {});

}  // namespace switchyard::parser
