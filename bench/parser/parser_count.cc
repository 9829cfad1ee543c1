// Runs Analyze() on one benchmark statement N times, for instruction counts
// under valgrind --tool=callgrind (stable where wall-clock timing is not):
//
//   valgrind --tool=callgrind --toggle-collect='*RunCase*'
//       build/bench/parser/parser_count point_select 1000
//
// Instructions per statement = Ir of RunCase / N (scripts/bench-parser
// --instructions does this for every case).
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "bench/parser/parser_cases.h"

namespace switchyard::parser {

// Not inlined, so callgrind can collect exactly this.
__attribute__((noinline)) size_t RunCase(const BenchCase& c, int n) {
  size_t total = 0;
  for (int i = 0; i < n; ++i) total += Analyze(c.sql, c.dialect).size();
  return total;
}

}  // namespace switchyard::parser

int main(int argc, char** argv) {
  using namespace switchyard::parser;
  if (argc < 2) {
    std::fprintf(stderr, "usage: parser_count CASE [N] | parser_count --list\n");
    return 2;
  }
  if (std::strcmp(argv[1], "--list") == 0) {
    for (const BenchCase& c : kBenchCases) std::printf("%s\n", c.name);
    return 0;
  }
  const int n = argc > 2 ? std::atoi(argv[2]) : 1000;
  for (const BenchCase& c : kBenchCases) {
    if (std::strcmp(c.name, argv[1]) == 0) return RunCase(c, n) == size_t(n) ? 0 : 1;
  }
  std::fprintf(stderr, "parser_count: unknown case %s\n", argv[1]);
  return 2;
}
