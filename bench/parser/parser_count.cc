// Runs one benchmark statement N times, for instruction counts under
// valgrind --tool=callgrind (stable where wall-clock timing is not):
//
//   valgrind --tool=callgrind --toggle-collect='*RunCase*'
//       build/bench/parser/parser_count point_select 1000 [--fresh]
//
// Instructions per statement = Ir of RunCase / N (scripts/bench-parser
// --instructions does this for every case). By default each run goes
// through AnalysisPool, as the proxy's workers call the parser (the previous
// result is still held while the next is made, as a session holds it);
// --fresh calls Analyze() and destroys its result each time; --pg-query
// runs pg_query_parse on the statement instead (built with libpg_query; ten
// untimed calls first, so its one-time set-up is not counted), which gives
// the ratio of instructions, steadier across machines than that of times.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "bench/parser/parser_cases.h"
#include "parser/analysis_pool.h"

#ifdef SWITCHYARD_HAVE_PG_QUERY
#include <pg_query.h>
#endif

namespace switchyard::parser {

#ifdef SWITCHYARD_HAVE_PG_QUERY
void ParseWithPgQuery(const char* sql, int n) {
  for (int i = 0; i < n; ++i) pg_query_free_parse_result(pg_query_parse(sql));
}
// Not inlined, so callgrind can collect exactly this (its name matches *RunCase*).
__attribute__((noinline)) void RunCasePgQuery(const BenchCase& c, int n) {
  ParseWithPgQuery(c.sql.data(), n);
}
#endif

// Not inlined, so callgrind can collect exactly this.
__attribute__((noinline)) size_t RunCase(const BenchCase& c, int n, bool fresh) {
  size_t total = 0;
  if (fresh) {
    for (int i = 0; i < n; ++i) total += Analyze(c.sql, c.dialect).size();
    return total;
  }
  AnalysisPool pool;
  std::shared_ptr<const AnalysisPool::List> held;
  for (int i = 0; i < n; ++i) {
    held = pool.Analyze(c.sql, c.dialect);
    total += held->size();
  }
  return total;
}

}  // namespace switchyard::parser

int main(int argc, char** argv) {
  using namespace switchyard::parser;
  if (argc < 2) {
    std::fprintf(stderr, "usage: parser_count CASE [N] [--fresh|--pg-query] | parser_count --list\n");
    return 2;
  }
  if (std::strcmp(argv[1], "--list") == 0) {
    for (const BenchCase& c : kBenchCases) std::printf("%s\n", c.name);
    return 0;
  }
  const int n = argc > 2 ? std::atoi(argv[2]) : 1000;
  const char* mode = argc > 3 ? argv[3] : "";
  for (const BenchCase& c : kBenchCases) {
    if (std::strcmp(c.name, argv[1]) != 0) continue;
    if (std::strcmp(mode, "--pg-query") == 0) {
#ifdef SWITCHYARD_HAVE_PG_QUERY
      if (c.dialect != Dialect::kPostgres) return 2;
      ParseWithPgQuery(c.sql.data(), 10);
      RunCasePgQuery(c, n);
      return 0;
#else
      std::fprintf(stderr, "parser_count: built without libpg_query\n");
      return 2;
#endif
    }
    return RunCase(c, n, std::strcmp(mode, "--fresh") == 0) == size_t(n) ? 0 : 1;
  }
  std::fprintf(stderr, "parser_count: unknown case %s\n", argv[1]);
  return 2;
}
