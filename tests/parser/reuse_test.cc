// AnalyzeInto() on a reused result and AnalysisPool give exactly what a
// fresh Analyze() gives: nothing of a previous statement may survive a
// reset. Checked on the golden inputs and, when present, both corpora, with
// one result reused across every statement (so each statement follows a
// different one, of any family).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "parser/analysis_pool.h"
#include "parser/json.h"
#include "parser/parser.h"
#include "tests/parser/corpus_util.h"

namespace switchyard::parser::testing {
namespace {

std::string Render(const std::vector<Analysis>& list) {
  std::string out;
  for (const Analysis& a : list) out += AnalysisToJson(a) + "\n";
  return out;
}

// Every statement alone, then the whole text, through one reused vector and
// one pool (holding two results at a time, as a session does); the other
// dialect too, which sends the same text down other paths.
void CheckText(const std::string& text, std::vector<Analysis>& reused, AnalysisPool& pool,
               const std::string& where) {
  std::shared_ptr<const AnalysisPool::List> held[2];
  size_t turn = 0;
  for (Dialect dialect : {Dialect::kPostgres, Dialect::kMySql}) {
    std::vector<std::string_view> pieces = StatementTexts(text, dialect);
    pieces.push_back(text);
    for (std::string_view sql : pieces) {
      const std::string fresh = Render(Analyze(sql, dialect));
      AnalyzeInto(sql, dialect, {}, reused);
      ASSERT_EQ(Render(reused), fresh) << where << ": " << sql;
      held[turn % 2] = pool.Analyze(sql, dialect);
      ASSERT_EQ(Render(*held[turn % 2]), fresh) << where << " (pool): " << sql;
      ++turn;
    }
  }
}

void CheckFiles(const std::vector<std::string>& files, bool psql) {
  std::vector<Analysis> reused;
  AnalysisPool pool(4);
  for (const std::string& path : files) {
    const std::string text = psql ? StripPsql(ReadFile(path)) : ReadFile(path);
    CheckText(text, reused, pool, path);
  }
}

// Each text of `sequence` in turn, both dialects, through one reused vector
// and one pool (two results held, as a session does), against a fresh
// Analyze(): as JSON, then as values by `same_values` (JSON leaves out
// fields that do not apply, such as a parameter's text, which must be reset
// all the same).
using ValueCheck = std::function<void(const std::vector<Analysis>& got,
                                      const std::vector<Analysis>& fresh, const std::string& sql)>;
void CheckRecycledAgainstFresh(const std::vector<std::string>& sequence,
                               const ValueCheck& same_values) {
  std::vector<Analysis> reused;
  AnalysisPool pool(2);
  std::shared_ptr<const AnalysisPool::List> held[2];
  size_t turn = 0;
  for (Dialect dialect : {Dialect::kPostgres, Dialect::kMySql}) {
    for (const std::string& sql : sequence) {
      const std::vector<Analysis> fresh = Analyze(sql, dialect);
      AnalyzeInto(sql, dialect, {}, reused);
      held[turn % 2] = pool.Analyze(sql, dialect);
      const std::vector<Analysis>* const results[] = {&reused, held[turn % 2].get()};
      for (const std::vector<Analysis>* got : results) {
        ASSERT_EQ(got->size(), fresh.size()) << sql;
        EXPECT_EQ(Render(*got), Render(fresh)) << sql;
        same_values(*got, fresh, sql);
      }
      ++turn;
    }
  }
}

// Every ordered pair of `texts`, one after the other.
std::vector<std::string> EveryPair(const std::vector<std::string>& texts) {
  std::vector<std::string> sequence;
  for (const std::string& first : texts) {
    for (const std::string& second : texts) {
      sequence.push_back(first);
      sequence.push_back(second);
    }
  }
  return sequence;
}

TEST(Reuse, AnalyzeIntoAndPoolEqualFreshAnalyzeOnGoldens) {
  const std::string dir = std::string(SWITCHYARD_PARSER_TEST_DIR) + "/golden/";
  std::vector<std::string> files = SqlFiles(dir + "pg");
  for (const std::string& f : SqlFiles(dir + "mysql")) files.push_back(f);
  ASSERT_FALSE(files.empty());
  CheckFiles(files, false);
}

TEST(Reuse, AnalyzeIntoAndPoolEqualFreshAnalyzeOnCorpora) {
  const std::string dir = CorpusDir();
  if (dir.empty()) GTEST_SKIP() << "no corpus at " << SWITCHYARD_CORPUS_DIR;
  CheckFiles(SqlFiles(dir + "/pg"), true);
  CheckFiles(SqlFiles(dir + "/mysql"), false);
}

// The predicate parser refills the nodes, names and operands of the
// previous tree in place (same slot, another kind of operand, another
// length of name, lists growing and shrinking, nesting): each result must
// still equal a fresh one, in every order.
TEST(Reuse, RecycledPredicateNodesEqualFreshOnes) {
  const std::vector<std::string> conditions = {
      "a = 'xyz' AND bb = 1 AND c = NULL",
      "a = $1 AND bb = true AND c IN (1, 2, 3)",
      "a BETWEEN 1 AND 2 AND bb = -5 AND c IN ($1)",
      "t.a = 1 AND u.bb = $2",
      "(a = 1 OR bb = 2) AND c = 3",
      "a = 1",
      "x = 1 OR y = 2 AND z = 3",
      "1 < a AND 'q' >= bb AND c <= 2.5",
      "a = lower(b) AND c = 1",
      "AbcDefGhiJklMnoPqr = 'a long value, longer than sixteen' AND B = 'x'",
      "a IN (1, $1, NULL, 'x') AND bb BETWEEN $2 AND $3",
      "a = 1::int AND bb = '2'::text[] AND c = FALSE",
      "a = 1 AND bb = 2 AND c = 3 AND d = 4 AND e = 5 AND f = 6",
  };
  std::vector<std::string> texts;
  for (const std::string& first : conditions) {
    for (const std::string& second : conditions) {
      texts.push_back("SELECT * FROM t JOIN u ON t.id = u.t_id WHERE " + first);
      texts.push_back("SELECT * FROM t WHERE " + second);
      texts.push_back("UPDATE t SET v = 1 WHERE " + second);
    }
  }
  CheckRecycledAgainstFresh(texts, [](const std::vector<Analysis>& got,
                                       const std::vector<Analysis>& fresh, const std::string& sql) {
    ASSERT_EQ(fresh.size(), 1u) << sql;
    EXPECT_TRUE(got[0].predicates == fresh[0].predicates) << sql;
  });
}

// Table entries, functions and ORDER BY items are refilled in place
// (spares), LIMIT and OFFSET written over: more, fewer, longer, shorter,
// qualified and merged names, dropped entries (table functions, CTE names,
// repeated calls), other families' tables, in every order, must each equal
// a fresh result.
TEST(Reuse, RecycledTablesFunctionsOrderItemsAndLimitsEqualFreshOnes) {
  const std::vector<std::string> texts = {
      "SELECT a.x FROM sch.orders a JOIN customers c ON c.id = a.cid ORDER BY a.x DESC LIMIT 20",
      "SELECT * FROM t ORDER BY x, y DESC, z NULLS FIRST LIMIT 5 OFFSET 10",
      "SELECT * FROM a_much_longer_table_name_than_sixteen x, s.t, t ORDER BY 1",
      "SELECT * FROM T, t, s.T ORDER BY UPPER(x) LIMIT $1",
      "SELECT * FROM \"Quoted\".\"Name\" LIMIT 3, 4",
      "SELECT * FROM current_date, generate_series(1, 3) g, u FETCH FIRST 7 ROWS ONLY",
      "WITH w AS (SELECT 1) SELECT * FROM w, v ORDER BY v.a OFFSET 2 ROWS",
      "SELECT 1",
      "INSERT INTO ins (a) SELECT b FROM src ORDER BY b",
      "UPDATE upd SET a = 1 FROM other WHERE upd.id = other.id",
      "CREATE TABLE created (id int)",
      "LOCK TABLE locked",
      "EXPLAIN SELECT * FROM explained ORDER BY ExPr LIMIT 9",
      "SELECT x INTO newtab FROM src2",
      "SELECT now(), lower(x), NOW(), a_function_name_longer_than_fifteen(1), nextval('s') FROM f",
      "SELECT LOWER(x), count(*), a_function_name_longer_than_fifteen(2), ab(c) FROM g",
      "UPDATE accounts SET balance = balance - $1, updated_at = now() WHERE id = $2",
  };
  CheckRecycledAgainstFresh(EveryPair(texts), [](const std::vector<Analysis>& got,
                                                  const std::vector<Analysis>& fresh,
                                                  const std::string& sql) {
    for (size_t i = 0; i < fresh.size(); ++i) {
      const Analysis& a = got[i];
      const Analysis& b = fresh[i];
      EXPECT_TRUE(a.tables == b.tables) << sql;
      ASSERT_EQ(a.order_by.size(), b.order_by.size()) << sql;
      for (size_t k = 0; k < b.order_by.size(); ++k) {
        EXPECT_EQ(a.order_by[k].expression, b.order_by[k].expression) << sql;
        EXPECT_EQ(a.order_by[k].descending, b.order_by[k].descending) << sql;
      }
      EXPECT_EQ(a.limit, b.limit) << sql;
      EXPECT_EQ(a.offset, b.offset) << sql;
      EXPECT_EQ(a.functions, b.functions) << sql;
      EXPECT_EQ(a.aggregates, b.aggregates) << sql;
    }
  });
}

// INSERT column names, rows and their operands are written over in place
// (lone literals straight into the recycled operand): more, fewer, longer
// and shorter columns, rows and values, every kind of value (escaped and
// long strings, parameters, NULL, expressions) in every slot, must each
// equal a fresh result, compared as values too (JSON leaves out a
// parameter's text).
TEST(Reuse, RecycledInsertRowsEqualFreshOnes) {
  const std::vector<std::string> texts = {
      "INSERT INTO events (id, user_id, kind, payload) VALUES (1, 10, 'click', '{}'), "
      "(2, 11, 'view', '{}'), (3, 12, 'click', '{}'), (4, 13, 'buy', '{}')",
      "INSERT INTO e (a) VALUES ($1), ($2)",
      "INSERT INTO Much_Longer_Table_Name (A_Column_Longer_Than_Sixteen, b) VALUES "
      "('a value longer than sixteen bytes', -5), (E'esc\\n', 'it''s')",
      "INSERT INTO e (a, b, c) VALUES (NULL, now(), 1 + 2)",
      "INSERT INTO e VALUES (1.5e3, 'x'::text, TRUE, ?)",
      "INSERT INTO e (a, b) VALUES (1, 2), (3), (4, 5, 6)",
      "INSERT INTO e (a, b) VALUES (1, 2), (3, ",
      "INSERT INTO e SET a = 1, b = 'two'",
      "INSERT INTO e (\"Q\", r) VALUES ('', 1234567890123456789)",
      "INSERT INTO e (a) SELECT 1",
      "INSERT INTO e () VALUES ()",
      "INSERT INTO e VALUES (1), ()",
      "SELECT 1",
  };
  CheckRecycledAgainstFresh(EveryPair(texts), [](const std::vector<Analysis>& got,
                                                  const std::vector<Analysis>& fresh,
                                                  const std::string& sql) {
    for (size_t i = 0; i < fresh.size(); ++i) {
      const std::optional<InsertRows>& a = got[i].insert;
      const std::optional<InsertRows>& b = fresh[i].insert;
      ASSERT_EQ(a.has_value(), b.has_value()) << sql;
      if (!b) continue;
      EXPECT_EQ(a->table, b->table) << sql;
      EXPECT_EQ(a->columns, b->columns) << sql;
      EXPECT_TRUE(a->rows == b->rows) << sql;
    }
  });
}

TEST(Reuse, IntoShrinksAndGrowsTheList) {
  std::vector<Analysis> reused;
  AnalyzeInto("SELECT 1; SELECT 2; SELECT 3", Dialect::kPostgres, {}, reused);
  EXPECT_EQ(reused.size(), 3u);
  AnalyzeInto("INSERT INTO t VALUES (1)", Dialect::kPostgres, {}, reused);
  ASSERT_EQ(reused.size(), 1u);
  EXPECT_EQ(reused[0].kind, StatementKind::kInsert);
  AnalyzeInto("-- nothing", Dialect::kPostgres, {}, reused);
  EXPECT_TRUE(reused.empty());
}

TEST(Reuse, PoolNeverRefillsAListSomeoneHolds) {
  AnalysisPool pool(1);
  auto first = pool.Analyze("SELECT * FROM a WHERE id = 1", Dialect::kPostgres);
  auto second = pool.Analyze("DELETE FROM b WHERE id = 2", Dialect::kPostgres);
  EXPECT_NE(first.get(), second.get());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].tables[0].name, "a");
  EXPECT_EQ((*second)[0].tables[0].name, "b");
}

TEST(Reuse, PoolRefillsAReleasedList) {
  AnalysisPool pool(2);
  auto first = pool.Analyze("SELECT 1", Dialect::kPostgres);
  const AnalysisPool::List* address = first.get();
  first.reset();
  auto second = pool.Analyze("SELECT * FROM t", Dialect::kPostgres);
  auto third = pool.Analyze("SELECT * FROM u", Dialect::kPostgres);
  EXPECT_TRUE(second.get() == address || third.get() == address);
  EXPECT_EQ((*second)[0].tables[0].name, "t");
  EXPECT_EQ((*third)[0].tables[0].name, "u");
}

TEST(Reuse, PoolGivesLongTextsAFreshList) {
  AnalysisPool pool(1);
  const std::string long_text =
      "SELECT * FROM t WHERE x IN (" + std::string(AnalysisPool::kMaxPooledText, '1') + ")";
  auto a = pool.Analyze(long_text, Dialect::kPostgres);
  a.reset();
  auto b = pool.Analyze("SELECT 1", Dialect::kPostgres);
  ASSERT_EQ(b->size(), 1u);
  EXPECT_EQ((*b)[0].kind, StatementKind::kSelect);
}

}  // namespace
}  // namespace switchyard::parser::testing
