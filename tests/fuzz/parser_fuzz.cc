// libFuzzer target: any bytes through Analyze(), the statement splitter and
// the JSON renderer, for one dialect (SWITCHYARD_FUZZ_DIALECT_MYSQL picks
// MySQL). Besides crashes and sanitizer reports it traps on broken promises
// of the contract: read-only statements carry no reason, unknown ones do,
// and AnalyzeInto() on a result reused from input to input (as the proxy's
// AnalysisPool reuses them) gives what a fresh Analyze() gives.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parser/json.h"
#include "parser/parser.h"

namespace {

#ifdef SWITCHYARD_FUZZ_DIALECT_MYSQL
constexpr switchyard::parser::Dialect kDialect = switchyard::parser::Dialect::kMySql;
#else
constexpr switchyard::parser::Dialect kDialect = switchyard::parser::Dialect::kPostgres;
#endif

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace switchyard::parser;
  const std::string_view sql(reinterpret_cast<const char*>(data), size);
  const std::vector<Analysis> analyses = Analyze(sql, kDialect);
  const std::vector<std::string_view> texts = StatementTexts(sql, kDialect);
  if (analyses.size() != texts.size()) __builtin_trap();
  // Reused across inputs, like a pooled result (a static is fine in a fuzz
  // target: one thread, one process).
  static std::vector<Analysis> reused;
  AnalyzeInto(sql, kDialect, {}, reused);
  if (reused.size() != analyses.size()) __builtin_trap();
  for (size_t i = 0; i < reused.size(); ++i) {
    if (AnalysisToJson(reused[i]) != AnalysisToJson(analyses[i])) __builtin_trap();
  }
  for (const Analysis& a : analyses) {
    if (a.read_only && !a.reason.empty()) __builtin_trap();
    if (a.kind == StatementKind::kUnknown && (a.read_only || a.reason.empty())) {
      __builtin_trap();
    }
    const std::string json = AnalysisToJson(a);
    if (json.empty() || json.front() != '{' || json.back() != '}') __builtin_trap();
  }
  return 0;
}
