// Chooses the statement family from the leading keyword and runs it.
#pragma once

#include "parser/statement_context.h"

namespace switchyard::parser {

// Fills ctx.out (kind, read_only, reason, family fields, tables, …) for one
// statement. ctx.tokens must be non-empty.
void ClassifyStatement(const StatementContext& ctx);

}  // namespace switchyard::parser
