#include <gtest/gtest.h>

#include <string>

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

TEST(Fingerprint, MySqlIdentifierCaseDoesNotChangeTheShape) {
  EXPECT_EQ(One("SELECT Col FROM t", Dialect::kMySql).fingerprint,
            One("select col from t", Dialect::kMySql).fingerprint);
}

}  // namespace
}  // namespace switchyard::parser
