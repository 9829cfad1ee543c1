// Test-only oracle: what libpg_query (PostgreSQL's own grammar) says about
// one statement, reduced to what the parser's corpus test compares: the
// statement kind and the set of relations named.
//
// Relations are the RangeVar nodes of the parse tree (any JSON object with a
// "relname"), minus references to CTE names, plus the objects of
// DROP TABLE/VIEW/MATERIALIZED VIEW/SEQUENCE/FOREIGN TABLE (which name
// relations as plain strings, not RangeVars).
#pragma once

#include <set>
#include <string>

#include "parser/analysis.h"

namespace switchyard::parser::testing {

struct OracleResult {
  bool parsed = false;        // false: libpg_query rejected the text
  int statement_count = 0;
  std::string node_type;      // "SelectStmt", "InsertStmt", …
  StatementKind kind = StatementKind::kUnknown;
  std::set<std::string> tables;  // "schema.name" or "name"
  // A locking clause, SELECT … INTO, or a DML statement nested anywhere
  // (data-modifying CTE): the statement is certainly not read-only.
  bool locks_or_writes = false;
};

OracleResult RunPgQuery(const std::string& sql);

}  // namespace switchyard::parser::testing
