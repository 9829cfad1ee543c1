#include "proxy/server_choice.h"

#include <vector>

#include "routing/replica_choice.h"

namespace switchyard::proxy {
namespace {

routing::BalancePolicy Policy(config::BalancePolicy p) {
  switch (p) {
    case config::BalancePolicy::kLeastOutstanding:
      return routing::BalancePolicy::kLeastOutstanding;
    case config::BalancePolicy::kRoundRobin:
      return routing::BalancePolicy::kRoundRobin;
    case config::BalancePolicy::kWeighted:
      return routing::BalancePolicy::kWeighted;
  }
  return routing::BalancePolicy::kLeastOutstanding;
}

}  // namespace

ServerState* ChooseServer(ClusterState& c, routing::Target target,
                          const std::function<uint64_t()>& random) {
  if (target == routing::Target::kPrimary || c.replicas.empty()) return c.primary.get();
  const int64_t now = SteadyNowMs();
  std::vector<routing::ReplicaCandidate> candidates;
  candidates.reserve(c.replicas.size());
  for (const auto& r : c.replicas) {
    candidates.push_back({r->down_until_ms.load(std::memory_order_relaxed) <= now,
                          r->outstanding.load(std::memory_order_relaxed), r->server.weight});
  }
  uint64_t rr = c.round_robin.fetch_add(1, std::memory_order_relaxed);
  auto pick = routing::ChooseReplica(candidates, Policy(c.cluster.balance), rr, random);
  return pick ? c.replicas[*pick].get() : c.primary.get();
}

}  // namespace switchyard::proxy
