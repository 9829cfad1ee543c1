// Read/write splitting: which server role runs a batch of statements.
//
// Pure: the decision is a function of the parser's analyses and of whether the
// cluster has a usable replica. It is asked only when the client holds no
// backend (outside a transaction); inside a transaction every statement stays
// on the backend that runs the transaction, which the proxy enforces.
#pragma once

#include <string>
#include <vector>

#include "parser/analysis.h"

namespace switchyard::routing {

enum class Target { kPrimary, kReplica };

struct RouteDecision {
  Target target = Target::kPrimary;
  // Why, for logs and `switchyard analyze`-style explanations.
  std::string reason;
};

// Routes the statements of one client batch (a simple Query, or the Parse/Bind
// messages up to a Sync). An empty batch goes to the primary.
//
// A replica gets the batch only when every statement is certainly read-only
// (or is BEGIN READ ONLY, whose whole transaction may run on a replica) and no
// statement carries a primary hint. Anything else — writes, DDL, locking
// reads, writing functions, unknown statements — goes to the primary.
RouteDecision Route(const std::vector<const parser::Analysis*>& statements,
                    bool replica_available);

// Route's target alone, for a batch given as one list of analyses: nothing
// allocated (no reason text, no pointer vector).
Target RouteTarget(const std::vector<parser::Analysis>& statements, bool replica_available);

// Whether one statement may run on a replica (Route's test for each statement,
// without its reason): callers that route statement by statement allocate nothing.
bool ReplicaCapable(const parser::Analysis& a);

const char* ToString(Target t);

}  // namespace switchyard::routing
