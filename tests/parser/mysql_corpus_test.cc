// The MariaDB mysql-test corpus: every file is analysed without crash or
// hang, and the parser recognizes nearly every statement (the corpus holds
// real-world statements; unknown ones are routed to the primary, which is
// safe but should stay rare).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "parser/parser.h"
#include "tests/parser/corpus_util.h"

namespace switchyard::parser::testing {
namespace {

TEST(MySqlCorpus, EveryStatementAnalysedAndAlmostAllRecognized) {
  const std::string dir = CorpusDir();
  if (dir.empty()) GTEST_SKIP() << "corpus not found at " << SWITCHYARD_CORPUS_DIR;
  size_t statements = 0, unknown = 0;
  std::vector<std::string> samples;
  for (const std::string& path : SqlFiles(dir + "/mysql")) {
    const std::string sql = ReadFile(path);
    const auto texts = StatementTexts(sql, Dialect::kMySql);
    const auto analyses = Analyze(sql, Dialect::kMySql);
    ASSERT_EQ(texts.size(), analyses.size()) << path;
    for (size_t i = 0; i < analyses.size(); ++i) {
      ++statements;
      if (analyses[i].kind != StatementKind::kUnknown) continue;
      ++unknown;
      if (samples.size() < 20) samples.push_back(std::string(texts[i].substr(0, 100)));
    }
  }
  const double pct = 100.0 * unknown / std::max<size_t>(1, statements);
  std::cout << fmt::format("mysql statements {} unknown {} ({:.2f}%)\n", statements,
                           unknown, pct);
  for (const std::string& s : samples) std::cout << "  unknown: " << s << "\n";
  EXPECT_GT(statements, 10000u);
  EXPECT_LT(pct, 1.0);
}

TEST(PgCorpusSmoke, EveryStatementAnalysedWithoutCrash) {
  const std::string dir = CorpusDir();
  if (dir.empty()) GTEST_SKIP() << "corpus not found at " << SWITCHYARD_CORPUS_DIR;
  size_t statements = 0, unknown = 0;
  for (const std::string& path : SqlFiles(dir + "/pg")) {
    for (const Analysis& a : Analyze(ReadFile(path), Dialect::kPostgres)) {
      ++statements;
      unknown += a.kind == StatementKind::kUnknown;
      if (a.kind == StatementKind::kUnknown) EXPECT_FALSE(a.reason.empty());
    }
  }
  EXPECT_GT(statements, 20000u);
}

}  // namespace
}  // namespace switchyard::parser::testing
