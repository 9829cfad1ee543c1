// Analyze() on typical OLTP statements, beside pg_query_parse (PostgreSQL's
// own grammar via libpg_query) on the same text in the same run. Target:
// ≤ 1 µs per statement and ≥ 10× faster than pg_query_parse.
#include <pg_query.h>

#include <benchmark/benchmark.h>

#include "parser/parser.h"

namespace switchyard::parser {
namespace {

struct Case {
  const char* name;
  const char* sql;
  Dialect dialect;
};

constexpr Case kCases[] = {
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

void BM_Switchyard(benchmark::State& state, const Case& c) {
  for (auto _ : state) {
    std::vector<Analysis> result = Analyze(c.sql, c.dialect);
    benchmark::DoNotOptimize(result);
  }
}

void BM_PgQueryParse(benchmark::State& state, const Case& c) {
  for (auto _ : state) {
    PgQueryParseResult result = pg_query_parse(c.sql);
    benchmark::DoNotOptimize(result.parse_tree);
    pg_query_free_parse_result(result);
  }
}

// Registered pairwise so each statement's two contenders run back to back.
int RegisterAll() {
  for (const Case& c : kCases) {
    benchmark::RegisterBenchmark((std::string("switchyard/") + c.name).c_str(), BM_Switchyard, c);
    if (c.dialect == Dialect::kPostgres) {
      benchmark::RegisterBenchmark((std::string("pg_query_parse/") + c.name).c_str(),
                                   BM_PgQueryParse, c);
    }
  }
  return 0;
}

const int kRegistered = RegisterAll();

}  // namespace
}  // namespace switchyard::parser

BENCHMARK_MAIN();
