#include "routing/freshness.h"

#include <gtest/gtest.h>

namespace switchyard::routing {
namespace {

TEST(UpdateStale, BecomesStaleAboveALimitAndFreshOnlyBelowHalfOfIt) {
  LagLimits limits{1000, 1000};
  EXPECT_FALSE(UpdateStale(false, 1000, 0, limits));
  EXPECT_TRUE(UpdateStale(false, 1001, 0, limits));
  EXPECT_TRUE(UpdateStale(false, 0, 1001, limits));
  // Hysteresis: back under the limit is not enough.
  EXPECT_TRUE(UpdateStale(true, 900, 0, limits));
  EXPECT_TRUE(UpdateStale(true, 0, 600, limits));
  EXPECT_FALSE(UpdateStale(true, 500, 500, limits));
}

TEST(UpdateStale, ZeroLimitsDisableTheCheck) {
  LagLimits none{0, 0};
  EXPECT_FALSE(UpdateStale(false, 1'000'000, 1'000'000, none));
}

TEST(ServesRead, UnreachableOrDownReplicaServesNothing) {
  EXPECT_EQ(ServesRead({.reachable = false}, {}), ReadVerdict::kUnavailable);
  EXPECT_EQ(ServesRead({.down = true}, {}), ReadVerdict::kUnavailable);
}

TEST(ServesRead, StaleReplicaServesOnlyWhenAHintAllowsItsLag) {
  ReplicaView r{.stale = true, .lag_ms = 400};
  EXPECT_EQ(ServesRead(r, {}), ReadVerdict::kStale);
  EXPECT_EQ(ServesRead(r, {.max_lag_ms = 500}), ReadVerdict::kServes);
  ReplicaView fresh{.lag_ms = 400};
  EXPECT_EQ(ServesRead(fresh, {.max_lag_ms = 100}), ReadVerdict::kStale);
}

TEST(ServesRead, ReadYourWritesNeedsTheSessionsPosition) {
  ReplicaView r{.position = 100};
  EXPECT_EQ(ServesRead(r, {.min_position = 101}), ReadVerdict::kBehindSession);
  EXPECT_EQ(ServesRead(r, {.min_position = 100}), ReadVerdict::kServes);
}

TEST(ParsePgLsn, ParsesBothHexHalves) {
  EXPECT_EQ(ParsePgLsn("0/3000148"), 0x3000148u);
  EXPECT_EQ(ParsePgLsn("1A/FF"), (uint64_t{0x1A} << 32) | 0xFF);
  EXPECT_EQ(ParsePgLsn("nope"), 0u);
  EXPECT_EQ(ParsePgLsn("1/"), 0u);
  EXPECT_EQ(ParsePgLsn("123456789/0"), 0u);
}

}  // namespace
}  // namespace switchyard::routing
