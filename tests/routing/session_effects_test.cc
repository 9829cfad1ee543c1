#include "routing/session_effects.h"

#include <gtest/gtest.h>

namespace switchyard::routing {
namespace {

using parser::Analysis;
using parser::SessionOp;
using parser::UtilityOp;
using Kind = SessionEffect::Kind;

Analysis Set(std::string name, std::string value, SessionOp op = SessionOp::kSet) {
  Analysis a;
  a.kind = parser::StatementKind::kSession;
  a.session_op = op;
  a.session_variable = std::move(name);
  a.session_value = std::move(value);
  return a;
}

TEST(SessionEffects, TrackedSetOutsideATransactionIsRecordedNotPinned) {
  SessionEffect e = ClassifySessionEffect(Set("search_path", "app, public"), false);
  EXPECT_EQ(e.kind, Kind::kSetParameter);
  EXPECT_EQ(e.parameter, "search_path");
  EXPECT_EQ(e.value, "app, public");
}

TEST(SessionEffects, UntrackedSetPinsWithTheParameterInTheReason) {
  SessionEffect e = ClassifySessionEffect(Set("enable_seqscan", "off"), false);
  EXPECT_EQ(e.kind, Kind::kPin);
  EXPECT_EQ(e.reason, "SET enable_seqscan");
}

TEST(SessionEffects, SetLocalHasNoSessionEffect) {
  EXPECT_EQ(ClassifySessionEffect(Set("enable_seqscan", "off", SessionOp::kSetLocal), true).kind,
            Kind::kNone);
}

TEST(SessionEffects, UnreportedTrackedSetInsideATransactionPins) {
  EXPECT_EQ(ClassifySessionEffect(Set("search_path", "x"), true).kind, Kind::kPin);
  // Reported parameters come back in ParameterStatus at commit, so no pin.
  EXPECT_EQ(ClassifySessionEffect(Set("timezone", "UTC"), true).kind, Kind::kSetParameter);
}

TEST(SessionEffects, SetToDefaultResetsTheParameter) {
  SessionEffect e = ClassifySessionEffect(Set("statement_timeout", "default"), false);
  EXPECT_EQ(e.kind, Kind::kResetParameter);
  EXPECT_EQ(e.parameter, "statement_timeout");
}

TEST(SessionEffects, ResetAllAndDiscardAll) {
  EXPECT_EQ(ClassifySessionEffect(Set("all", "", SessionOp::kReset), false).kind,
            Kind::kResetAll);
  EXPECT_EQ(ClassifySessionEffect(Set("all", "", SessionOp::kDiscard), false).kind,
            Kind::kDiscardAll);
}

TEST(SessionEffects, StateThatCannotMovePinsWithAReason) {
  Analysis temp;
  temp.creates_temp_table = true;
  EXPECT_EQ(ClassifySessionEffect(temp, false).reason, "temporary table");
  Analysis listen;
  listen.utility_op = UtilityOp::kListen;
  EXPECT_EQ(ClassifySessionEffect(listen, false).reason, "LISTEN");
  Analysis lock;
  lock.functions = {"pg_advisory_lock"};
  EXPECT_EQ(ClassifySessionEffect(lock, false).reason, "calls pg_advisory_lock()");
  Analysis prepare;
  prepare.utility_op = UtilityOp::kPrepare;
  EXPECT_EQ(ClassifySessionEffect(prepare, false).reason, "SQL-level PREPARE");
  Analysis hold;
  hold.with_hold_cursor = true;
  EXPECT_EQ(ClassifySessionEffect(hold, true).reason, "WITH HOLD cursor");
}

TEST(SessionEffects, TransactionScopedAdvisoryLockDoesNotPin) {
  Analysis xact;
  xact.functions = {"pg_advisory_xact_lock"};
  EXPECT_EQ(ClassifySessionEffect(xact, true).kind, Kind::kNone);
}

TEST(SessionEffects, DeallocateForgetsServerPreparedStatements) {
  Analysis d;
  d.utility_op = UtilityOp::kDeallocate;
  EXPECT_EQ(ClassifySessionEffect(d, false).kind, Kind::kDeallocateAll);
}

}  // namespace

// MySQL dialect.
SessionEffect My(const Analysis& a) {
  return ClassifySessionEffect(a, false, parser::Dialect::kMySql);
}

TEST(SessionEffectsMySql, TrackedSetGivesTheAssignmentToReplay) {
  Analysis a = Set("sql_mode", "ANSI,NO_ZERO_DATE");
  a.normalized = "SET sql_mode = ?";
  SessionEffect e = My(a);
  EXPECT_EQ(e.kind, Kind::kSetParameter);
  EXPECT_EQ(e.parameter, "sql_mode");
  EXPECT_EQ(e.value, "sql_mode='ANSI,NO_ZERO_DATE'");
  Analysis tz = Set("@@session.time_zone", "+00:00");
  EXPECT_EQ(My(tz).value, "time_zone='+00:00'");
  EXPECT_EQ(My(Set("wait_timeout", "100")).value, "wait_timeout=100");
}

TEST(SessionEffectsMySql, SetNamesAndDefault) {
  SessionEffect e = My(Set("names", "utf8mb4", SessionOp::kSetNames));
  EXPECT_EQ(e.parameter, "names");
  EXPECT_EQ(e.value, "NAMES utf8mb4");
  EXPECT_EQ(My(Set("sql_mode", "DEFAULT")).kind, Kind::kResetParameter);
}

TEST(SessionEffectsMySql, AutocommitAndGlobalHaveNoEffect) {
  EXPECT_EQ(My(Set("autocommit", "0")).kind, Kind::kNone);
  EXPECT_EQ(My(Set("global.sql_mode", "")).kind, Kind::kNone);
}

TEST(SessionEffectsMySql, StateThatCannotMovePins) {
  EXPECT_EQ(My(Set("@x", "1", SessionOp::kUserVariable)).reason, "user variable");
  EXPECT_EQ(My(Set("some_unknown_variable", "1")).kind, Kind::kPin);
  Analysis multi = Set("sql_mode", "ANSI");
  multi.normalized = "SET sql_mode = ?, time_zone = ?";
  EXPECT_EQ(My(multi).kind, Kind::kPin);
  Analysis lock;
  lock.utility_op = UtilityOp::kLock;
  EXPECT_EQ(My(lock).reason, "LOCK TABLES");
  Analysis get_lock;
  get_lock.functions = {"get_lock"};
  EXPECT_EQ(My(get_lock).reason, "calls get_lock()");
  Analysis temp;
  temp.creates_temp_table = true;
  EXPECT_EQ(My(temp).reason, "temporary table");
}

TEST(SessionEffectsMySql, UseTracksTheDatabase) {
  SessionEffect e = My(Set("database", "app", SessionOp::kUse));
  EXPECT_EQ(e.kind, Kind::kSetParameter);
  EXPECT_EQ(e.parameter, "database");
  EXPECT_EQ(e.value, "app");
}

}  // namespace switchyard::routing
