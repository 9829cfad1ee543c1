#include "routing/admin_statement.h"

#include <gtest/gtest.h>

namespace switchyard::routing {
namespace {

TEST(AdminStatement, ShowServersInAnyCaseAndSpacingWithOptionalSemicolon) {
  EXPECT_EQ(ClassifyAdminStatement("SHOW SWITCHYARD SERVERS"), AdminStatement::kShowServers);
  EXPECT_EQ(ClassifyAdminStatement("show switchyard servers;"), AdminStatement::kShowServers);
  EXPECT_EQ(ClassifyAdminStatement("  Show\n\tSwitchYard   Servers  ;  \n"),
            AdminStatement::kShowServers);
}

TEST(AdminStatement, OtherStatementsAreNotTheProxys) {
  EXPECT_EQ(ClassifyAdminStatement("SHOW search_path"), AdminStatement::kNone);
  EXPECT_EQ(ClassifyAdminStatement("SHOW switchyard_setting"), AdminStatement::kNone);
  EXPECT_EQ(ClassifyAdminStatement("SHOWSWITCHYARD SERVERS"), AdminStatement::kNone);
  EXPECT_EQ(ClassifyAdminStatement("SELECT 1; SHOW SWITCHYARD SERVERS"), AdminStatement::kNone);
  EXPECT_EQ(ClassifyAdminStatement("SHOW"), AdminStatement::kNone);
  EXPECT_EQ(ClassifyAdminStatement(""), AdminStatement::kNone);
}

TEST(AdminStatement, MoreAfterTheStatementOrAnotherWordIsMisuse) {
  EXPECT_EQ(ClassifyAdminStatement("SHOW SWITCHYARD SERVERS; SELECT 1"), AdminStatement::kMisused);
  EXPECT_EQ(ClassifyAdminStatement("SHOW SWITCHYARD SERVERS;;"), AdminStatement::kMisused);
  EXPECT_EQ(ClassifyAdminStatement("SHOW SWITCHYARD SERVERSX"), AdminStatement::kMisused);
  EXPECT_EQ(ClassifyAdminStatement("SHOW SWITCHYARD POOLS"), AdminStatement::kMisused);
  EXPECT_EQ(ClassifyAdminStatement("show switchyard"), AdminStatement::kMisused);
}

}  // namespace
}  // namespace switchyard::routing
