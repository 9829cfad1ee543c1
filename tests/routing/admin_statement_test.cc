#include "routing/admin_statement.h"

#include <gtest/gtest.h>

namespace switchyard::routing {
namespace {

AdminStatement Classify(std::string_view sql) {
  const AdminStatement pg = ClassifyAdminStatement(sql, parser::Dialect::kPostgres);
  EXPECT_EQ(ClassifyAdminStatement(sql, parser::Dialect::kMySql), pg) << sql;
  return pg;
}

TEST(AdminStatement, ShowServersInAnyCaseAndSpacingWithOptionalSemicolon) {
  EXPECT_EQ(Classify("SHOW SWITCHYARD SERVERS"), AdminStatement::kShowServers);
  EXPECT_EQ(Classify("show switchyard servers;"), AdminStatement::kShowServers);
  EXPECT_EQ(Classify("  Show\n\tSwitchYard   Servers  ;  \n"),
            AdminStatement::kShowServers);
}

TEST(AdminStatement, OtherStatementsAreNotTheProxys) {
  EXPECT_EQ(Classify("SHOW search_path"), AdminStatement::kNone);
  EXPECT_EQ(Classify("SHOW switchyard_setting"), AdminStatement::kNone);
  EXPECT_EQ(Classify("SHOWSWITCHYARD SERVERS"), AdminStatement::kNone);
  EXPECT_EQ(Classify("SHOW"), AdminStatement::kNone);
  EXPECT_EQ(Classify(""), AdminStatement::kNone);
}

TEST(AdminStatement, MoreAfterTheStatementOrAnotherWordIsMisuse) {
  EXPECT_EQ(Classify("SHOW SWITCHYARD SERVERS; SELECT 1"), AdminStatement::kMisused);
  EXPECT_EQ(Classify("SHOW SWITCHYARD SERVERS;;"), AdminStatement::kMisused);
  EXPECT_EQ(Classify("SHOW SWITCHYARD SERVERSX"), AdminStatement::kMisused);
  EXPECT_EQ(Classify("SHOW SWITCHYARD POOLS"), AdminStatement::kMisused);
  EXPECT_EQ(Classify("show switchyard"), AdminStatement::kMisused);
}

TEST(AdminStatement, ShowSwitchyardAfterAnotherStatementIsMisuse) {
  EXPECT_EQ(Classify("SELECT 1; SHOW SWITCHYARD SERVERS"), AdminStatement::kMisused);
  EXPECT_EQ(Classify("SELECT 1;\n  show switchyard servers;"), AdminStatement::kMisused);
  EXPECT_EQ(Classify("SELECT 1; SELECT 2; SHOW SWITCHYARD POOLS"), AdminStatement::kMisused);
}

TEST(AdminStatement, ShowSwitchyardInsideQuotesOrCommentsOfAnotherStatementIsNotTheProxys) {
  EXPECT_EQ(Classify("SELECT ';SHOW SWITCHYARD SERVERS'"), AdminStatement::kNone);
  EXPECT_EQ(Classify("SELECT 1; SELECT 'SHOW SWITCHYARD SERVERS'"), AdminStatement::kNone);
  EXPECT_EQ(Classify("SELECT 1; -- SHOW SWITCHYARD SERVERS\nSELECT 2"), AdminStatement::kNone);
  EXPECT_EQ(ClassifyAdminStatement("SELECT $$;SHOW SWITCHYARD SERVERS$$",
                                   parser::Dialect::kPostgres),
            AdminStatement::kNone);
  EXPECT_EQ(ClassifyAdminStatement("SELECT 1; # SHOW SWITCHYARD SERVERS", parser::Dialect::kMySql),
            AdminStatement::kNone);
}

TEST(AdminStatement, OnlyASemicolonWithTextAfterItMeansSeveralStatements) {
  EXPECT_FALSE(MayHoldSeveralStatements("SELECT 1"));
  EXPECT_FALSE(MayHoldSeveralStatements("SELECT 1;"));
  EXPECT_FALSE(MayHoldSeveralStatements("SELECT 1 ;; \n"));
  EXPECT_TRUE(MayHoldSeveralStatements("SELECT 1; SELECT 2"));
  EXPECT_TRUE(MayHoldSeveralStatements("SELECT 1;;x"));
  EXPECT_TRUE(MayHoldSeveralStatements("SELECT ';x'"));  // a maybe: the caller splits
}

}  // namespace
}  // namespace switchyard::routing
