// Choosing one replica among several for a read.
//
// Pure: the caller passes each candidate's current load and a source of
// randomness, so the choice is reproducible in tests. The proxy keeps the
// load counters (per server, shared by workers as relaxed atomics).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace switchyard::routing {

enum class BalancePolicy { kLeastOutstanding, kRoundRobin, kWeighted };

struct ReplicaCandidate {
  bool usable = true;    // healthy and fresh enough
  int64_t outstanding = 0;  // requests in flight on this server
  int weight = 1;
};

// `random` returns a uniformly distributed value; `round_robin_counter` is the
// caller's per-cluster counter (incremented here). Returns the index of the
// chosen candidate, or nullopt when none is usable.
std::optional<size_t> ChooseReplica(const std::vector<ReplicaCandidate>& candidates,
                                    BalancePolicy policy, uint64_t& round_robin_counter,
                                    const std::function<uint64_t()>& random);

}  // namespace switchyard::routing
