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
// --fresh calls Analyze() and destroys its result each time.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "bench/parser/parser_cases.h"
#include "parser/analysis_pool.h"

namespace switchyard::parser {

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
    std::fprintf(stderr, "usage: parser_count CASE [N] [--fresh] | parser_count --list\n");
    return 2;
  }
  if (std::strcmp(argv[1], "--list") == 0) {
    for (const BenchCase& c : kBenchCases) std::printf("%s\n", c.name);
    return 0;
  }
  const int n = argc > 2 ? std::atoi(argv[2]) : 1000;
  const bool fresh = argc > 3 && std::strcmp(argv[3], "--fresh") == 0;
  for (const BenchCase& c : kBenchCases) {
    if (std::strcmp(c.name, argv[1]) == 0) return RunCase(c, n, fresh) == size_t(n) ? 0 : 1;
  }
  std::fprintf(stderr, "parser_count: unknown case %s\n", argv[1]);
  return 2;
}
