// The OLTP statements of the parser benchmark (parser_bench) and of the
// instruction counter (parser_count).
#pragma once

#include <string_view>

#include "parser/parser.h"

namespace switchyard::parser {

// `sql` is a view of a string literal: its length is known, as the proxy
// knows a statement's length from the protocol (no strlen() per call in the
// measured loop), and its data() is NUL-terminated for pg_query_parse.
struct BenchCase {
  const char* name;
  std::string_view sql;
  Dialect dialect;
};

inline constexpr BenchCase kBenchCases[] = {
    {"point_select", "SELECT id, name, email FROM users WHERE id = $1", Dialect::kPostgres},
    {"join3_order_limit",
     "SELECT o.id, o.total, c.name FROM orders o JOIN customers c ON c.id = o.customer_id "
     "WHERE o.customer_id = $1 AND o.status = 'paid' AND o.created_at >= $2 "
     "ORDER BY o.created_at DESC LIMIT 20",
     Dialect::kPostgres},
    {"insert_multirow",
     "INSERT INTO events (id, user_id, kind, payload) VALUES (1, 10, 'click', '{}'), "
     "(2, 11, 'view', '{}'), (3, 12, 'click', '{}'), (4, 13, 'buy', '{}')",
     Dialect::kPostgres},
    {"update_by_key", "UPDATE accounts SET balance = balance - $1, updated_at = now() WHERE id = $2",
     Dialect::kPostgres},
    {"mysql_point_select", "SELECT id, name, email FROM users WHERE id = ?", Dialect::kMySql},
    {"mysql_update_by_key", "UPDATE accounts SET balance = balance - ? WHERE id = ?",
     Dialect::kMySql},
};

}  // namespace switchyard::parser
