// Tables, aliases and predicates as the shard router and advisor read them.
#include <gtest/gtest.h>

#include <string>

#include "parser/json.h"
#include "parser/parser.h"

namespace switchyard::parser {
namespace {

Analysis One(std::string_view sql, Dialect d = Dialect::kPostgres) {
  auto all = Analyze(sql, d);
  EXPECT_EQ(all.size(), 1u) << sql;
  return all.empty() ? Analysis{} : all[0];
}

PredicateNode Cmp(std::string table, std::string column, CompareOp op,
                  std::vector<Operand> values) {
  PredicateNode n;
  n.kind = PredicateNode::Kind::kComparison;
  n.comparison = Comparison{std::move(table), std::move(column), op, std::move(values)};
  return n;
}

std::string Lowered(std::string s) {
  for (char& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  return s;
}

Operand Num(std::string text) { return Operand{Operand::Kind::kLiteral, std::move(text), 0, false}; }
Operand Param(int n) { return Operand{Operand::Kind::kParameter, "", n, false}; }

TEST(Query, AliasesResolveToTableNames) {
  const Analysis a = One("SELECT * FROM s.orders o JOIN users AS u ON u.id = o.uid WHERE o.id = $1");
  ASSERT_TRUE(a.predicates.has_value());
  EXPECT_EQ(*a.predicates, Cmp("orders", "id", CompareOp::kEq, {Param(1)}));
  EXPECT_EQ(a.tables, (std::vector<TableRef>{{"s", "orders", false}, {"", "users", false}}));
}

// CURRENT_DATE and friends in FROM are functions, not tables; a table
// named like one but for a byte (same length, same first letter) is a table.
TEST(Query, SqlValueFunctionsInFromAreNoTables) {
  for (const char* name : {"user", "localtime", "current_date", "current_role", "current_time",
                           "current_user", "session_user", "current_schema", "localtimestamp",
                           "current_catalog", "current_timestamp", "CURRENT_DATE"}) {
    const std::string sql = std::string("SELECT * FROM ") + name + ", t";
    const Analysis a = One(sql);
    ASSERT_EQ(a.tables.size(), 1u) << sql;
    EXPECT_EQ(a.tables[0].name, "t") << sql;
    std::string near = name;
    near.back() = 'x';
    const Analysis b = One("SELECT * FROM " + near);
    ASSERT_EQ(b.tables.size(), 1u) << near;
    EXPECT_EQ(b.tables[0].name, Lowered(near)) << near;
  }
}

TEST(Query, OrKeepsStructureAndOpaqueTermsPoisonIt) {
  const Analysis a = One("SELECT * FROM t WHERE k = 1 OR k = 2");
  PredicateNode expected;
  expected.kind = PredicateNode::Kind::kOr;
  expected.children = {Cmp("t", "k", CompareOp::kEq, {Num("1")}),
                       Cmp("t", "k", CompareOp::kEq, {Num("2")})};
  EXPECT_EQ(*a.predicates, expected);
  EXPECT_EQ(One("SELECT * FROM t WHERE k = 1 OR f(k)").predicates->kind,
            PredicateNode::Kind::kOpaque);
}

TEST(Query, AndDropsWhatItCannotModel) {
  const Analysis a = One("SELECT * FROM t WHERE f(x) AND k BETWEEN 3 AND $1 AND y LIKE 'a%'");
  EXPECT_EQ(*a.predicates, Cmp("t", "k", CompareOp::kBetween, {Num("3"), Param(1)}));
}

TEST(Query, MySqlParametersAreNumberedByPosition) {
  const Analysis a = One("UPDATE t SET v = ? WHERE id IN (?, ?)", Dialect::kMySql);
  EXPECT_EQ(*a.predicates, Cmp("t", "id", CompareOp::kIn, {Param(2), Param(3)}));
}

TEST(Query, ReversedComparisonIsFlipped) {
  EXPECT_EQ(*One("SELECT * FROM t WHERE 10 < k").predicates,
            Cmp("t", "k", CompareOp::kGt, {Num("10")}));
}

TEST(Query, InsertRowsKeepColumnsAndValues) {
  const Analysis a = One("INSERT INTO t (a, b) VALUES (1, $1), (2, lower('X'))");
  ASSERT_TRUE(a.insert.has_value());
  EXPECT_EQ(a.insert->columns, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(a.insert->rows.size(), 2u);
  EXPECT_EQ(a.insert->rows[0][1], Param(1));
  EXPECT_EQ(a.insert->rows[1][1].kind, Operand::Kind::kExpression);
}

TEST(Query, OrderGroupLimitAndAggregatesForCrossShardMerge) {
  const Analysis a = One(
      "SELECT region, count(*), avg(x) FROM t GROUP BY region ORDER BY region DESC, 2 "
      "LIMIT $1 OFFSET 10");
  EXPECT_EQ(a.group_by, (std::vector<std::string>{"region"}));
  ASSERT_EQ(a.order_by.size(), 2u);
  EXPECT_TRUE(a.order_by[0].descending);
  EXPECT_EQ(a.order_by[1].expression, "2");
  EXPECT_EQ(a.limit, "$1");
  EXPECT_EQ(a.offset, "10");
  EXPECT_EQ(a.aggregates, (std::vector<std::string>{"count", "avg"}));
}

TEST(Query, DerivedTableAliasesNameNoTable) {
  const Analysis a = One("SELECT * FROM (SELECT * FROM t) s, generate_series(1, 3) g(i) WHERE s.y = 2");
  EXPECT_EQ(*a.predicates, Cmp("", "y", CompareOp::kEq, {Num("2")}));
  EXPECT_EQ(a.functions, (std::vector<std::string>{"generate_series"}));
}

TEST(Query, UnqualifiedColumnsBelongToTheOnlyTopLevelTable) {
  const Analysis a = One("UPDATE t SET a = (SELECT max(b) FROM u) WHERE id = 1");
  EXPECT_EQ(*a.predicates, Cmp("t", "id", CompareOp::kEq, {Num("1")}));
}

TEST(Query, CteNamesAreNotTables) {
  const Analysis a = One("WITH x AS (SELECT * FROM base) SELECT * FROM x JOIN y USING (id)");
  EXPECT_EQ(a.tables, (std::vector<TableRef>{{"", "base", false}, {"", "y", false}}));
}

TEST(Query, ManyAliasesAndClausesPastInlineSlots) {
  // Eight aliases, seven ONs and eighteen clause boundaries: the walker's
  // and the shape's lists (SmallList) go past their inline slots.
  std::string sql = "SELECT * FROM t1 a1";
  for (int k = 2; k <= 8; ++k) {
    sql += " JOIN t" + std::to_string(k) + " a" + std::to_string(k) + " ON a" + std::to_string(k) +
           ".x = a" + std::to_string(k - 1) + ".x";
  }
  sql += " WHERE a8.id = $1 ORDER BY a1.x LIMIT 5";
  const Analysis a = One(sql);
  ASSERT_TRUE(a.predicates.has_value());
  EXPECT_EQ(*a.predicates, Cmp("t8", "id", CompareOp::kEq, {Param(1)}));
  EXPECT_EQ(a.tables.size(), 8u);
  ASSERT_EQ(a.order_by.size(), 1u);
  EXPECT_EQ(a.order_by[0].expression, "a1.x");
  EXPECT_EQ(a.limit, "5");
}

TEST(Query, KeywordsInCallsAndCommasOutsideFromNameNoTable) {
  const Analysis a = One(
      "SELECT extract(year FROM ts), substring(s FROM 2 FOR 3), x FROM t1, t2 "
      "WHERE y IN (1, 2) ORDER BY x, y");
  EXPECT_EQ(a.tables, (std::vector<TableRef>{{"", "t1", false}, {"", "t2", false}}));
  EXPECT_EQ(a.order_by.size(), 2u);
  EXPECT_TRUE(a.read_only);
}

TEST(Query, WalkByLexerClausesAgreesWithScan) {
  // A text that is one statement with no bracket is walked from one clause
  // keyword the lexer noted to the next; the same statement after another
  // one in the text is walked token by token. Both must agree, also where
  // a keyword the walker acts on is no clause keyword (TABLE, VALUES, the
  // DML verbs) or a bracket or a lone ')' sends the walk back to the scan.
  const char* const kStatements[] = {
      "SELECT a, b FROM t1, t2 x JOIN t3 ON x.id = t3.id WHERE t1.a = 1 ORDER BY a LIMIT 3",
      "SELECT a FROM t UNION TABLE u",
      "SELECT a FROM t UNION SELECT b FROM u, v WHERE c = 2",
      "INSERT INTO t DEFAULT VALUES",
      "INSERT INTO t SET a = 1",
      "INSERT INTO t SELECT * FROM u, v",
      "REPLACE INTO t SELECT * FROM u",
      "UPDATE t SET a = 1 WHERE b = 2",
      "UPDATE t, u SET t.a = u.a WHERE t.id = u.id",
      "DELETE FROM t USING u, v WHERE t.id = u.id",
      "DELETE t FROM t JOIN u ON t.id = u.id",
      "SELECT * FROM t FOR UPDATE",
      "SELECT * FROM t WHERE b = 1 LOCK IN SHARE MODE",
      "SELECT a INTO x FROM t",
      "SELECT a FROM t ) WHERE b = 1",
      "SELECT a FROM t, u ) , v",
      "SELECT arr[1] FROM t, u",
      "WITH x AS SELECT 1 SELECT * FROM x",
      "EXPLAIN SELECT a FROM t, u WHERE b = 1",
      "TABLE t",
      "VALUES 1",
      "MERGE INTO t USING u ON t.id = u.id WHEN MATCHED THEN UPDATE SET a = 1",
  };
  for (const Dialect d : {Dialect::kPostgres, Dialect::kMySql}) {
    for (const char* sql : kStatements) {
      const auto alone = Analyze(sql, d);
      const auto second = Analyze(std::string("SELECT 1; ") + sql, d);
      ASSERT_EQ(alone.size(), 1u) << sql;
      ASSERT_EQ(second.size(), 2u) << sql;
      EXPECT_EQ(AnalysisToJson(alone[0]), AnalysisToJson(second[1])) << sql;
    }
  }
}

TEST(Query, DeeplyNestedInputDoesNotRecurse) {
  std::string sql = "SELECT " + std::string(100000, '(') + "1" + std::string(100000, ')');
  EXPECT_EQ(One(sql).kind, StatementKind::kSelect);
  std::string where = "SELECT * FROM t WHERE " + std::string(5000, '(') + "a = 1" +
                      std::string(5000, ')');
  EXPECT_EQ(One(where).kind, StatementKind::kSelect);
}

// Each qualifier resolves alike whether or not the one before it was the
// same (the predicate parser keeps the last qualifier's table): aliases,
// an unknown qualifier, case folded in PostgreSQL only, a table name
// longer than 16 bytes, and the same alias again after another.
TEST(Query, RepeatedQualifiersResolveAlike) {
  const std::string sql =
      "SELECT * FROM orders o JOIN a_table_name_longer_than_sixteen l ON o.id = l.oid "
      "WHERE o.a = 1 AND o.b = 2 AND O.c = 3 AND l.d = 4 AND l.e = 5 AND x.f = 6 AND "
      "x.g = 7 AND o.h = 8 AND L.i = 9";
  const std::vector<std::pair<std::string, std::string>> pg = {
      {"orders", "a"}, {"orders", "b"}, {"orders", "c"},
      {"a_table_name_longer_than_sixteen", "d"}, {"a_table_name_longer_than_sixteen", "e"},
      {"x", "f"}, {"x", "g"}, {"orders", "h"}, {"a_table_name_longer_than_sixteen", "i"}};
  std::vector<std::pair<std::string, std::string>> mysql = pg;
  mysql[2].first = "O";  // MySQL: an alias is matched as written
  mysql[8].first = "L";
  for (Dialect d : {Dialect::kPostgres, Dialect::kMySql}) {
    const auto& want = d == Dialect::kPostgres ? pg : mysql;
    const Analysis a = One(sql, d);
    ASSERT_TRUE(a.predicates.has_value());
    ASSERT_EQ(a.predicates->kind, PredicateNode::Kind::kAnd);
    ASSERT_EQ(a.predicates->children.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      const Comparison& c = a.predicates->children[i].comparison;
      EXPECT_EQ(c.table, want[i].first) << i;
      EXPECT_EQ(c.column, want[i].second) << i;
    }
  }
}

}  // namespace
}  // namespace switchyard::parser
