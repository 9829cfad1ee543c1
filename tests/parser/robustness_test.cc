// Adversarial shapes that must stay linear and within stack limits: the
// proxy parses whatever a client sends. (No timings are asserted; a
// quadratic or recursive path shows up as a ctest timeout or a crash.)
#include <string>

#include <gtest/gtest.h>

#include "parser/parser.h"

namespace switchyard::parser {
namespace {

std::string Repeat(std::string_view piece, int n) {
  std::string out;
  out.reserve(piece.size() * n);
  for (int i = 0; i < n; ++i) out += piece;
  return out;
}

TEST(Robustness, DeeplyNestedExplainIsBoundedNotRecursive) {
  const auto a = Analyze(Repeat("EXPLAIN ", 200000) + "SELECT 1", Dialect::kPostgres);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].kind, StatementKind::kUtility);
  EXPECT_FALSE(a[0].read_only);
}

TEST(Robustness, NestedSetStatementIsBounded) {
  const auto a = Analyze(Repeat("SET STATEMENT a=1 FOR ", 100000) + "SELECT 1", Dialect::kMySql);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_FALSE(a[0].read_only);
}

TEST(Robustness, HugeInListOfQuestionMarks) {
  const std::string sql = "SELECT * FROM t WHERE id IN (?" + Repeat(", ?", 200000) + ")";
  const auto a = Analyze(sql, Dialect::kMySql);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_TRUE(a[0].predicates.has_value());
  EXPECT_EQ(a[0].predicates->comparison.values.size(), 200001u);
  EXPECT_EQ(a[0].predicates->comparison.values.back().parameter, 200001);
  EXPECT_EQ(a[0].normalized, "SELECT * FROM t WHERE id IN (? /*, ... */)");
}

TEST(Robustness, ManyTablesAndManyRows) {
  std::string from = "SELECT * FROM t0";
  for (int i = 1; i < 100000; ++i) from += ", t" + std::to_string(i);
  EXPECT_EQ(Analyze(from, Dialect::kPostgres)[0].tables.size(), 100000u);
  const auto rows = Analyze("INSERT INTO t VALUES (?, ?)" + Repeat(", (?, ?)", 100000),
                            Dialect::kMySql);
  EXPECT_EQ(rows[0].insert->rows.size(), 100001u);
}

TEST(Robustness, ManyStatementsWithHints) {
  const auto a = Analyze(Repeat("/* switchyard: primary */ SELECT 1;", 100000),
                         Dialect::kPostgres);
  ASSERT_EQ(a.size(), 100000u);
  EXPECT_TRUE(a.back().hints.force_primary);
}

TEST(Robustness, ArbitraryBytesNeverThrow) {
  std::string bytes;
  for (int i = 0; i < 100000; ++i) bytes.push_back(static_cast<char>((i * 7919) % 256));
  EXPECT_NO_THROW(Analyze(bytes, Dialect::kPostgres));
  EXPECT_NO_THROW(Analyze(bytes, Dialect::kMySql));
}

// Statements cut off right after a skipped modifier word: the walker used to
// read the token past the end (found by the benchmark's equivalence dump).
TEST(Robustness, TruncatedAfterModifierWords) {
  for (const char* sql : {"INSERT IGNORE", "INSERT LOW_PRIORITY", "UPDATE LOW_PRIORITY",
                          "DELETE QUICK", "DELETE LOW_PRIORITY IGNORE", "INSERT INTO"}) {
    for (Dialect d : {Dialect::kPostgres, Dialect::kMySql}) {
      const std::vector<Analysis> a = Analyze(sql, d);
      ASSERT_EQ(a.size(), 1u) << sql;
      EXPECT_FALSE(a[0].read_only) << sql;
    }
  }
}

}  // namespace
}  // namespace switchyard::parser
