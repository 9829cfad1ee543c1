#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <unordered_map>

#include "parser/parser.h"

namespace switchyard::parser {
namespace {

Analysis One(std::string_view sql, Dialect d = Dialect::kPostgres) {
  auto all = Analyze(sql, d);
  return all.empty() ? Analysis{} : all[0];
}

TEST(Fingerprint, IgnoresLiteralsWhitespaceCommentsAndKeywordCase) {
  const Analysis a = One("SELECT * FROM t WHERE id = 1 AND name = 'x'");
  const Analysis b = One("select *\n  from T /* c */ where ID = 42 and name = 'other'");
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.normalized, "SELECT * FROM t WHERE id = $1 AND name = $2");
  EXPECT_EQ(b.normalized, a.normalized);
}

TEST(Fingerprint, InListsOfAnyLengthCollapse) {
  const Analysis a = One("SELECT * FROM t WHERE id IN (1)");
  const Analysis b = One("SELECT * FROM t WHERE id IN (1, 2, 3, $1)");
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.normalized, "SELECT * FROM t WHERE id IN ($1 /*, ... */)");
}

TEST(Fingerprint, PlaceholdersAreNumberedAfterExistingParameters) {
  EXPECT_EQ(One("SELECT * FROM t WHERE a = $2 AND b = 5").normalized,
            "SELECT * FROM t WHERE a = $2 AND b = $3");
  EXPECT_EQ(One("SELECT * FROM t WHERE a = ? AND b = -5", Dialect::kMySql).normalized,
            "SELECT * FROM t WHERE a = ? AND b = ?");
}

// psql and pgbench end each statement with ';'. A short text is normalized by
// the lexer and a long one (over 256 bytes) by the normalizer's own pass: both
// must give the statement's shape without the ';'.
TEST(Fingerprint, TrailingSemicolonAndTextLengthDoNotChangeTheShape) {
  const std::string select = "SELECT abalance FROM pgbench_accounts WHERE aid = 5";
  const std::string padded = std::string(300, ' ') + select + ";";
  for (const std::string& sql : {select + ";", select + " ; -- done", padded}) {
    const Analysis a = One(sql);
    EXPECT_EQ(a.normalized, "SELECT abalance FROM pgbench_accounts WHERE aid = $1") << sql;
    EXPECT_EQ(a.fingerprint, One(select).fingerprint) << sql;
  }
  EXPECT_EQ(One("SELECT * FROM t WHERE a = $2 AND b = 5;").normalized,
            "SELECT * FROM t WHERE a = $2 AND b = $3");
  EXPECT_EQ(One("SELECT a FROM t WHERE b IN (1, 2);", Dialect::kMySql).normalized,
            "SELECT a FROM t WHERE b IN (? /*, ... */)");
  EXPECT_EQ(Analyze("SELECT 1; SELECT 2;", Dialect::kPostgres).size(), 2u);
}

TEST(Fingerprint, DifferentShapesDiffer) {
  EXPECT_NE(One("SELECT a FROM t").fingerprint, One("SELECT b FROM t").fingerprint);
  EXPECT_NE(One("SELECT a FROM t").fingerprint, One("SELECT a FROM u").fingerprint);
  EXPECT_NE(One("SELECT a - 1 FROM t").fingerprint, One("SELECT a + 1 FROM t").fingerprint);
}

// The hash reads the key 16 bytes at a time: shapes that differ in one name
// at every offset against those blocks, or only in the order of two names,
// must still differ (the pg_query_fingerprint oracle covers real SQL).
TEST(Fingerprint, ShapesDifferingInOneNameOrInOrderDoNotCollide) {
  std::unordered_map<uint64_t, std::string> seen;
  auto add = [&seen](const std::string& sql) {
    const Analysis a = One(sql);
    const auto [it, inserted] = seen.emplace(a.fingerprint, a.normalized);
    EXPECT_TRUE(inserted || it->second == a.normalized)
        << "\"" << a.normalized << "\" and \"" << it->second << "\"";
  };
  for (int shift = 0; shift < 32; ++shift) {
    const std::string table = "t" + std::string(shift, 'x');
    for (int i = 0; i < 2000; ++i) add("SELECT c" + std::to_string(i) + " FROM " + table);
  }
  for (int i = 0; i < 200; ++i) {
    for (int j = 0; j < 200; ++j) {
      add("SELECT a" + std::to_string(i) + ", a" + std::to_string(j) + " FROM t");
    }
  }
  EXPECT_EQ(seen.size(), 32u * 2000 + 200 * 200);  // every statement is its own shape
}

TEST(Fingerprint, MySqlIdentifierCaseDoesNotChangeTheShape) {
  EXPECT_EQ(One("SELECT Col FROM t", Dialect::kMySql).fingerprint,
            One("select col from t", Dialect::kMySql).fingerprint);
}

}  // namespace
}  // namespace switchyard::parser
