// Routing decisions over analyses built by hand, so these tests pin the
// routing rules independently of the parser.
#include "routing/route.h"

#include <gtest/gtest.h>

namespace switchyard::routing {
namespace {

using parser::Analysis;
using parser::StatementKind;
using parser::TransactionOp;

Analysis Read() {
  Analysis a;
  a.kind = StatementKind::kSelect;
  a.read_only = true;
  return a;
}

Analysis Write(std::string reason = "INSERT") {
  Analysis a;
  a.kind = StatementKind::kInsert;
  a.reason = std::move(reason);
  return a;
}

Analysis Begin(std::optional<bool> read_only) {
  Analysis a;
  a.kind = StatementKind::kTransaction;
  a.txn_op = TransactionOp::kBegin;
  a.txn_read_only = read_only;
  return a;
}

TEST(Route, ReadOnlySelectGoesToAReplica) {
  Analysis r = Read();
  RouteDecision d = Route({&r}, true);
  EXPECT_EQ(d.target, Target::kReplica);
}

TEST(Route, ReadGoesToPrimaryWhenNoReplicaIsAvailable) {
  Analysis r = Read();
  RouteDecision d = Route({&r}, false);
  EXPECT_EQ(d.target, Target::kPrimary);
  EXPECT_EQ(d.reason, "read-only, no replica available");
}

TEST(Route, AnyWriteInTheBatchSendsTheWholeBatchToThePrimary) {
  Analysis r = Read();
  Analysis w = Write();
  RouteDecision d = Route({&r, &w, &r}, true);
  EXPECT_EQ(d.target, Target::kPrimary);
  EXPECT_EQ(d.reason, "INSERT");
}

TEST(Route, PrimaryHintOverridesARead) {
  Analysis r = Read();
  r.hints.force_primary = true;
  RouteDecision d = Route({&r}, true);
  EXPECT_EQ(d.target, Target::kPrimary);
  EXPECT_EQ(d.reason, "primary hint");
}

TEST(Route, BeginReadOnlyMayRunOnAReplicaButPlainBeginMayNot) {
  Analysis ro = Begin(true);
  EXPECT_EQ(Route({&ro}, true).target, Target::kReplica);
  Analysis plain = Begin(std::nullopt);
  EXPECT_EQ(Route({&plain}, true).target, Target::kPrimary);
  Analysis rw = Begin(false);
  EXPECT_EQ(Route({&rw}, true).target, Target::kPrimary);
}

TEST(Route, UnknownStatementGoesToThePrimaryWithItsReason) {
  Analysis u;
  u.kind = StatementKind::kUnknown;
  u.reason = "unrecognized statement";
  RouteDecision d = Route({&u}, true);
  EXPECT_EQ(d.target, Target::kPrimary);
  EXPECT_EQ(d.reason, "unrecognized statement");
}

TEST(Route, EmptyBatchGoesToThePrimary) {
  EXPECT_EQ(Route({}, true).target, Target::kPrimary);
}

}  // namespace
}  // namespace switchyard::routing
