// Golden files: tests/parser/golden/{pg,mysql}/<family>.sql → the expected
// analysis of each statement, one JSON object per line, in <family>.jsonl.
//
// After an intended change, regenerate and review the diff:
//   SWITCHYARD_UPDATE_GOLDENS=1 ./parser_test --gtest_filter='Golden*'
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "parser/json.h"
#include "parser/parser.h"
#include "tests/parser/corpus_util.h"

namespace switchyard::parser::testing {
namespace {

std::string Render(const std::string& sql, Dialect dialect) {
  std::string out;
  for (const Analysis& a : Analyze(sql, dialect)) out += AnalysisToJson(a) + "\n";
  return out;
}

void CheckDirectory(const std::string& subdir, Dialect dialect) {
  const std::string dir = std::string(SWITCHYARD_PARSER_TEST_DIR) + "/golden/" + subdir;
  const bool update = std::getenv("SWITCHYARD_UPDATE_GOLDENS") != nullptr;
  const std::vector<std::string> files = SqlFiles(dir);
  ASSERT_FALSE(files.empty()) << "no golden inputs in " << dir;
  for (const std::string& sql_path : files) {
    const std::string expected_path =
        sql_path.substr(0, sql_path.size() - 4) + ".jsonl";
    const std::string actual = Render(ReadFile(sql_path), dialect);
    if (update) {
      std::ofstream(expected_path, std::ios::binary) << actual;
      continue;
    }
    ASSERT_TRUE(std::filesystem::exists(expected_path))
        << expected_path << " missing; run with SWITCHYARD_UPDATE_GOLDENS=1";
    std::istringstream want(ReadFile(expected_path)), got(actual);
    std::string want_line, got_line;
    for (int line = 1; std::getline(want, want_line); ++line) {
      std::getline(got, got_line);
      EXPECT_EQ(got_line, want_line) << sql_path << " statement " << line;
      got_line.clear();
    }
    EXPECT_FALSE(std::getline(got, got_line)) << sql_path << ": extra output " << got_line;
  }
}

TEST(Golden, PostgresStatementFamiliesMatchExpectedAnalysis) {
  CheckDirectory("pg", Dialect::kPostgres);
}

TEST(Golden, MySqlStatementFamiliesMatchExpectedAnalysis) {
  CheckDirectory("mysql", Dialect::kMySql);
}

}  // namespace
}  // namespace switchyard::parser::testing
