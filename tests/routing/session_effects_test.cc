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
}  // namespace switchyard::routing
