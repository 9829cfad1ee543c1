// Splits a token stream into statements at top-level semicolons.
//
// Semicolons inside a PostgreSQL `BEGIN ATOMIC … END` function body and
// inside MySQL compound statements (CREATE PROCEDURE … BEGIN … END) do not
// end the statement.
#pragma once

#include <span>
#include <string_view>
#include "absl/container/inlined_vector.h"

#include "parser/analysis.h"
#include "parser/token.h"

namespace switchyard::parser {

struct TokenRange {
  size_t begin = 0;  // index of the first token
  size_t end = 0;    // one past the last token (the ';' is excluded)
};

using TokenRanges = absl::InlinedVector<TokenRange, 4>;

// Ranges of non-empty statements, in order.
void SplitStatements(std::string_view sql, std::span<const Token> tokens,
                     Dialect dialect,
                     TokenRanges& out);

}  // namespace switchyard::parser
