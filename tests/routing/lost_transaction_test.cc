#include "routing/lost_transaction.h"

#include <gtest/gtest.h>

#include "parser/parser.h"

namespace switchyard::routing {
namespace {

AfterLostTransaction Decide(std::string_view sql) {
  return DecideAfterLostTransaction(parser::Analyze(sql, parser::Dialect::kMySql, {}));
}

TEST(AfterLostTransaction, RollbackEndsItAndRuns) {
  EXPECT_EQ(Decide("ROLLBACK"), AfterLostTransaction::kRollback);
  EXPECT_EQ(Decide("rollback work"), AfterLostTransaction::kRollback);
  EXPECT_EQ(Decide("ROLLBACK; START TRANSACTION; SELECT 1"), AfterLostTransaction::kRollback);
}

TEST(AfterLostTransaction, CommitEndsItWithAnError) {
  EXPECT_EQ(Decide("COMMIT"), AfterLostTransaction::kCommitFails);
  EXPECT_EQ(Decide("commit work"), AfterLostTransaction::kCommitFails);
}

TEST(AfterLostTransaction, EverythingElseIsRefused) {
  for (std::string_view sql :
       {"SELECT 1", "INSERT INTO t VALUES (1)", "START TRANSACTION", "BEGIN",
        "ROLLBACK TO SAVEPOINT a", "SAVEPOINT a", "SET autocommit=1", "", "garbage here",
        "SELECT 1; ROLLBACK"}) {
    EXPECT_EQ(Decide(sql), AfterLostTransaction::kRefuse) << sql;
  }
}

}  // namespace
}  // namespace switchyard::routing
