// The parser on typical OLTP statements, beside pg_query_parse (PostgreSQL's
// own grammar via libpg_query) on the same text in the same run. Target:
// ≤ 1 µs per statement and ≥ 10× faster than pg_query_parse.
//
// "switchyard" is the proxy's path: a worker's parser::AnalysisPool, whose
// result the caller holds until the next statement's (as a session holds
// its statement's analysis). "switchyard_fresh" is Analyze() building and
// destroying a new result each time (tools, tests).
#include <pg_query.h>

#include <benchmark/benchmark.h>

#include "bench/parser/parser_cases.h"
#include "parser/analysis_pool.h"

namespace switchyard::parser {
namespace {

using Case = BenchCase;

void BM_Switchyard(benchmark::State& state, const Case& c) {
  AnalysisPool pool;
  std::shared_ptr<const AnalysisPool::List> held;
  for (auto _ : state) {
    held = pool.Analyze(c.sql, c.dialect);
    benchmark::DoNotOptimize(held->data());
  }
}

void BM_SwitchyardFresh(benchmark::State& state, const Case& c) {
  for (auto _ : state) {
    std::vector<Analysis> result = Analyze(c.sql, c.dialect);
    benchmark::DoNotOptimize(result);
  }
}

void BM_PgQueryParse(benchmark::State& state, const Case& c) {
  for (auto _ : state) {
    PgQueryParseResult result = pg_query_parse(c.sql.data());
    benchmark::DoNotOptimize(result.parse_tree);
    pg_query_free_parse_result(result);
  }
}

// Registered pairwise so each statement's two contenders run back to back.
int RegisterAll() {
  for (const Case& c : kBenchCases) {
    benchmark::RegisterBenchmark((std::string("switchyard/") + c.name).c_str(), BM_Switchyard, c);
    benchmark::RegisterBenchmark((std::string("switchyard_fresh/") + c.name).c_str(),
                                 BM_SwitchyardFresh, c);
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
