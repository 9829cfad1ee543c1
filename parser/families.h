// Statement-family parsers. Each fills ctx.out for one statement whose first
// token selected it (see classify.cc). They never throw and tolerate any
// token sequence: what they do not understand leaves the statement not
// read-only with a reason.
#pragma once

#include "parser/statement_context.h"

namespace switchyard::parser {

// BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT, SAVEPOINT,
// RELEASE, PREPARE TRANSACTION, COMMIT/ROLLBACK PREPARED, XA.
void ParseTransaction(const StatementContext& ctx);

// SET (all forms, including SET TRANSACTION), RESET, DISCARD, USE.
void ParseSession(const StatementContext& ctx);

// SHOW, EXPLAIN/DESCRIBE, COPY, LISTEN/NOTIFY/UNLISTEN, PREPARE/EXECUTE/
// DEALLOCATE, LOCK/UNLOCK, VACUUM/ANALYZE, CALL, DO, DECLARE/FETCH/MOVE/
// CLOSE, CHECKPOINT, LOAD and MySQL administrative statements.
void ParseUtility(const StatementContext& ctx);

// SELECT, VALUES, TABLE, WITH …, INSERT, REPLACE, UPDATE, DELETE, MERGE.
void ParseQuery(const StatementContext& ctx);

// CREATE, ALTER, DROP, TRUNCATE, GRANT, REVOKE, COMMENT, RENAME, …
void ParseDdl(const StatementContext& ctx);

// Analyses the statement in tokens [begin, end) of ctx as if it stood alone
// and merges its tables and functions into ctx.out (EXPLAIN, PREPARE … AS,
// DECLARE … FOR, COPY (query), CREATE … AS). Returns the inner analysis.
Analysis AnalyzeInner(const StatementContext& ctx, size_t begin,
                      size_t end = static_cast<size_t>(-1));

}  // namespace switchyard::parser
