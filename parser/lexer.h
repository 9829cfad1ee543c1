// Lexer for both dialects: SQL text → tokens (views into the text).
//
// PostgreSQL: nested /* */ comments, -- comments, '' E'' U&'' B'' X''
// strings, $tag$ dollar quotes, "quoted" identifiers, $n parameters, ::
// casts, custom operators. MySQL/MariaDB: # and "-- " comments, /*! */ and
// /*M! */ executable comments (their content is lexed as SQL), backticks,
// backslash escapes, double-quoted strings, ? parameters, @variables.
//
// Never fails: unterminated strings and comments run to the end of the text.
// Comments are dropped except those mentioning "switchyard", which are kept
// for the hint reader.
#pragma once

#include <string_view>

#include "absl/container/inlined_vector.h"

#include "parser/analysis.h"
#include "parser/token.h"

namespace switchyard::parser {

// Inline capacity covers typical OLTP statements without heap allocation.
struct LexResult {
  absl::InlinedVector<Token, 96> tokens;
  absl::InlinedVector<HintComment, 2> hint_comments;
};

// Appends the tokens of `sql` to `out` (cleared first). `sql.size()` must be
// below 4 GiB; the caller checks.
void Lex(std::string_view sql, Dialect dialect, LexResult& out);

}  // namespace switchyard::parser
