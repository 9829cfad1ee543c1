// Query shape: normalized text and 64-bit fingerprint of one statement.
//
// Normalization follows what pg_stat_statements shows: literals become
// placeholders ($n in PostgreSQL numbered after the statement's own
// parameters, ? in MySQL), an IN list of constants of any length collapses
// to one placeholder, keywords are upper-cased, unquoted PostgreSQL
// identifiers lower-cased, comments and whitespace dropped. The fingerprint
// hashes the same canonical token stream (literal and parameter placeholders
// hashed by class, not by number), so statements differing only in those
// respects share it.
#pragma once

#include "parser/shape_writer.h"
#include "parser/statement_context.h"

namespace switchyard::parser {

// Fills ctx.out->normalized and ctx.out->fingerprint.
void Fingerprint(const StatementContext& ctx);

// The same from what the lexer wrote (`shape.ready`), for a text that is one
// statement whose largest $n is `max_parameter`. May renumber the
// placeholders in shape.text itself.
void FinishShape(ShapeBuffers& shape, int max_parameter, bool pg, Analysis& out);

}  // namespace switchyard::parser
