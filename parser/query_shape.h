// The parts of a query's top level that routing and the cross-shard merge
// read: predicates (WHERE and JOIN … ON), ORDER BY, GROUP BY, LIMIT/OFFSET,
// aggregates of the select list, and INSERT column lists with VALUES rows.
#pragma once

#include "parser/query_walker.h"
#include "parser/statement_context.h"

namespace switchyard::parser {

// `main` is the index of the main statement's verb (after any WITH clause).
// `skip`: flat VALUES rows that ExtractInsertRows() read (no keyword there).
void ExtractQueryShape(const StatementContext& ctx, size_t main,
                       const WalkResult& walk, Skip skip = {});

// INSERT … VALUES (…), (…) / INSERT … SET a = 1 (MySQL) → ctx.out->insert.
// Returns the VALUES rows when each of their items is one literal or
// parameter token (balanced parentheses, commas and no word between them),
// from the column list when there is one (see Skip).
Skip ExtractInsertRows(const StatementContext& ctx, size_t main);

}  // namespace switchyard::parser
