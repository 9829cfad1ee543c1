// Classification facts the router depends on (see routing/): statement
// kinds, transaction and session operations, read-only certainty.
#include <gtest/gtest.h>

#include "parser/parser.h"

namespace switchyard::parser {
namespace {

Analysis One(std::string_view sql, Dialect d = Dialect::kPostgres) {
  auto all = Analyze(sql, d);
  EXPECT_EQ(all.size(), 1u) << sql;
  return all.empty() ? Analysis{} : all[0];
}

TEST(StatementKinds, SetLocalIsTransactionScoped) {
  const Analysis a = One("SET LOCAL statement_timeout = '1s'");
  EXPECT_EQ(a.kind, StatementKind::kSession);
  EXPECT_EQ(a.session_op, SessionOp::kSetLocal);
  EXPECT_EQ(a.session_variable, "statement_timeout");
  EXPECT_EQ(a.session_value, "1s");
}

TEST(StatementKinds, SetToDefaultIsSetWithValueDefault) {
  const Analysis a = One("SET work_mem TO DEFAULT");
  EXPECT_EQ(a.session_op, SessionOp::kSet);
  EXPECT_EQ(a.session_value, "default");
}

TEST(StatementKinds, MySqlSetLocalIsSessionScoped) {
  EXPECT_EQ(One("SET LOCAL sql_mode = ''", Dialect::kMySql).session_op, SessionOp::kSet);
}

TEST(StatementKinds, SetConfigAndAdvisoryLocksAppearInFunctions) {
  const Analysis a = One("SELECT set_config('app.tenant', '7', false), pg_advisory_xact_lock(1)");
  EXPECT_EQ(a.functions, (std::vector<std::string>{"set_config", "pg_advisory_xact_lock"}));
  EXPECT_FALSE(a.read_only);
}

TEST(StatementKinds, ForUpdateIsNotReadOnly) {
  EXPECT_FALSE(One("SELECT * FROM t WHERE id = 1 FOR UPDATE").read_only);
  EXPECT_FALSE(One("SELECT * FROM t FOR NO KEY UPDATE").read_only);
  EXPECT_FALSE(One("SELECT * FROM t FOR KEY SHARE").read_only);
  EXPECT_TRUE(One("SELECT * FROM t WHERE id = 1").read_only);
}

TEST(StatementKinds, WritingFunctionListIsConfigurable) {
  Options options;
  options.writing_functions = {"audit_*"};
  const auto a = Analyze("SELECT audit_touch(1), nextval('s')", Dialect::kPostgres, options);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].reason, "calls audit_touch");
  EXPECT_TRUE(Analyze("SELECT nextval('s')", Dialect::kPostgres, options)[0].read_only);
}

TEST(StatementKinds, MultiStatementStringSplitsAtTopLevelSemicolons) {
  const auto all = Analyze("BEGIN; SELECT ';' FROM t; COMMIT;", Dialect::kPostgres);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].txn_op, TransactionOp::kBegin);
  EXPECT_EQ(all[1].kind, StatementKind::kSelect);
  EXPECT_EQ(all[2].txn_op, TransactionOp::kCommit);
}

TEST(StatementKinds, EmptyAndCommentOnlyInputYieldNothing) {
  EXPECT_TRUE(Analyze("", Dialect::kPostgres).empty());
  EXPECT_TRUE(Analyze(" ; ;; -- x\n/* y */", Dialect::kPostgres).empty());
  EXPECT_TRUE(Analyze("# x\n", Dialect::kMySql).empty());
}

TEST(StatementKinds, BeginReadOnlyAndReadWriteAreReported) {
  EXPECT_EQ(One("BEGIN READ ONLY").txn_read_only, true);
  EXPECT_EQ(One("START TRANSACTION READ WRITE", Dialect::kMySql).txn_read_only, false);
  EXPECT_FALSE(One("BEGIN").txn_read_only.has_value());
}

TEST(StatementKinds, TemporaryTablesAndHoldCursorsAreFlagged) {
  EXPECT_TRUE(One("CREATE TEMP TABLE x (a int)").creates_temp_table);
  EXPECT_TRUE(One("CREATE TEMPORARY TABLE x (a int)", Dialect::kMySql).creates_temp_table);
  EXPECT_FALSE(One("CREATE TABLE x (a int)").creates_temp_table);
  EXPECT_TRUE(One("CREATE TEMP VIEW v AS SELECT 1").creates_temp_table);
  EXPECT_TRUE(One("SELECT * INTO TEMPORARY t2 FROM t").creates_temp_table);
  EXPECT_TRUE(One("DECLARE c CURSOR WITH HOLD FOR SELECT 1").with_hold_cursor);
  EXPECT_FALSE(One("DECLARE c CURSOR FOR SELECT 1").with_hold_cursor);
}

TEST(StatementKinds, DataModifyingCteIsNotReadOnly) {
  const Analysis a = One("WITH d AS (UPDATE t SET x = 1 RETURNING *) SELECT * FROM d");
  EXPECT_EQ(a.kind, StatementKind::kSelect);
  EXPECT_FALSE(a.read_only);
  ASSERT_EQ(a.tables.size(), 1u);
  EXPECT_TRUE(a.tables[0].written);
}

TEST(StatementKinds, UnknownStatementsAreNotReadOnlyAndSayWhy) {
  const Analysis a = One("FROBNICATE everything");
  EXPECT_EQ(a.kind, StatementKind::kUnknown);
  EXPECT_FALSE(a.read_only);
  EXPECT_EQ(a.reason, "unrecognized statement");
}

TEST(StatementKinds, UpsertFormsAreUpserts) {
  EXPECT_EQ(One("INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING").kind, StatementKind::kUpsert);
  EXPECT_EQ(One("INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = 2", Dialect::kMySql).kind,
            StatementKind::kUpsert);
  EXPECT_EQ(One("REPLACE INTO t VALUES (1)", Dialect::kMySql).kind, StatementKind::kUpsert);
}

TEST(StatementKinds, MySqlExecutableCommentsAreSql) {
  const Analysis a = One("/*!40101 SET NAMES utf8 */", Dialect::kMySql);
  EXPECT_EQ(a.session_op, SessionOp::kSetNames);
  EXPECT_EQ(One("/*M!100101 SELECT 1 */", Dialect::kMySql).kind, StatementKind::kSelect);
}

}  // namespace
}  // namespace switchyard::parser
