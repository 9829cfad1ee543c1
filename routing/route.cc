#include "routing/route.h"

#include <fmt/format.h>

#include <string_view>

namespace switchyard::routing {
namespace {

// Returns an empty string when `a` may run on a replica, else why not.
std::string_view ReplicaBlocker(const parser::Analysis& a) {
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
    std::string_view blocker = ReplicaBlocker(*a);
    if (!blocker.empty()) return {Target::kPrimary, std::string(blocker)};
  }
  if (!replica_available) return {Target::kPrimary, "read-only, no replica available"};
  return {Target::kReplica, "read-only"};
}

Target RouteTarget(const std::vector<parser::Analysis>& statements, bool replica_available) {
  if (statements.empty() || !replica_available) return Target::kPrimary;
  for (const parser::Analysis& a : statements) {
    if (!ReplicaBlocker(a).empty()) return Target::kPrimary;
  }
  return Target::kReplica;
}

bool ReplicaCapable(const parser::Analysis& a) { return ReplicaBlocker(a).empty(); }

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
