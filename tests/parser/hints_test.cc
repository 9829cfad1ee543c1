#include "parser/hints.h"

#include <gtest/gtest.h>

#include "parser/parser.h"

namespace switchyard::parser {
namespace {

TEST(Hints, PrimaryHintAnywhereInTheStatementForcesPrimary) {
  for (const char* sql : {"/* switchyard: primary */ SELECT 1",
                          "SELECT /* switchyard: primary */ 1",
                          "SELECT 1 -- switchyard: primary"}) {
    const auto a = Analyze(sql, Dialect::kPostgres);
    ASSERT_EQ(a.size(), 1u);
    EXPECT_TRUE(a[0].hints.force_primary) << sql;
  }
}

TEST(Hints, HintsBelongToTheirOwnStatement) {
  const auto a = Analyze("SELECT 1; /* switchyard: shard=s2 */ SELECT 2; SELECT 3",
                         Dialect::kPostgres);
  ASSERT_EQ(a.size(), 3u);
  EXPECT_FALSE(a[0].hints.shard.has_value());
  EXPECT_EQ(a[1].hints.shard, "s2");
  EXPECT_FALSE(a[2].hints.shard.has_value());
}

TEST(Hints, MySqlHashCommentsCarryHints) {
  const auto a = Analyze("SELECT 1 # switchyard: max_lag=3s\n", Dialect::kMySql);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].hints.max_lag_ms, 3000);
}

TEST(Hints, MalformedHintsAreIgnored) {
  Hints h;
  ReadHints("/* switchyard: max_lag=fast shard= bogus */", h);
  EXPECT_FALSE(h.max_lag_ms.has_value());
  EXPECT_FALSE(h.shard.has_value());
  EXPECT_FALSE(h.force_primary);
  ReadHints("/* just a comment mentioning switchyard */", h);
  EXPECT_FALSE(h.force_primary);
}

}  // namespace
}  // namespace switchyard::parser
