#include "routing/route.h"

#include <fmt/format.h>

namespace switchyard::routing {
namespace {

// Returns an empty string when `a` may run on a replica, else why not.
std::string ReplicaBlocker(const parser::Analysis& a) {
  if (a.hints.force_primary) return "primary hint";
  if (a.kind == parser::StatementKind::kTransaction) {
    if (a.txn_op == parser::TransactionOp::kBegin && a.txn_read_only.value_or(false)) {
      return "";
    }
    return "transaction control";
  }
  if (a.read_only) return "";
  if (!a.reason.empty()) return a.reason;
  return "not read-only";
}

}  // namespace

RouteDecision Route(const std::vector<const parser::Analysis*>& statements,
                    bool replica_available) {
  if (statements.empty()) return {Target::kPrimary, "no statement"};
  for (const parser::Analysis* a : statements) {
    std::string blocker = ReplicaBlocker(*a);
    if (!blocker.empty()) return {Target::kPrimary, std::move(blocker)};
  }
  if (!replica_available) return {Target::kPrimary, "read-only, no replica available"};
  return {Target::kReplica, "read-only"};
}

const char* ToString(Target t) {
  switch (t) {
    case Target::kPrimary:
      return "primary";
    case Target::kReplica:
      return "replica";
  }
  return "?";
}

}  // namespace switchyard::routing
