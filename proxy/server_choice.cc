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

// What routing sees of a replica now, for a read with `need` (the MariaDB
// GTID test reads the monitor's per-domain slots, lock-free).
routing::ReplicaView View(const ServerState& s, int64_t now,
                          const routing::ReadRequirement& need) {
  routing::ReplicaView v{s.reachable.load(std::memory_order_relaxed),
                         s.down_until_ms.load(std::memory_order_relaxed) > now,
                         s.stale.load(std::memory_order_relaxed),
                         s.lag_ms.load(std::memory_order_relaxed),
                         s.position.load(std::memory_order_relaxed)};
  if (need.min_gtids && !need.min_gtids->empty()) {
    v.behind_gtids = !routing::GtidCovers(
        *need.min_gtids, [&s](uint32_t domain) { return s.gtid.Seq(domain); });
  }
  // Oracle MySQL: set containment, under the server's short lock.
  if (need.min_gtid_set && !need.min_gtid_set->empty() && !v.behind_gtids) {
    v.behind_gtids = !s.gtid_executed.Contains(*need.min_gtid_set);
  }
  return v;
}

// When every replica is refused for lag alone and the primary already has its
// share of reads, the least stale reachable replica.
ServerState* LeastStale(ClusterState& c, const std::vector<ServerState*>& replicas,
                        const routing::ReadRequirement& need, int64_t now) {
  const uint64_t reads = c.reads.load(std::memory_order_relaxed);
  const uint64_t fallback = c.primary_fallback_reads.load(std::memory_order_relaxed);
  if (reads == 0 || fallback * 100 < reads * c.cluster.freshness.max_primary_read_percent) {
    return nullptr;
  }
  ServerState* best = nullptr;
  for (ServerState* s : replicas) {
    const routing::ReplicaView v = View(*s, now, need);
    if (!v.reachable || v.down || v.position < need.min_position || v.behind_gtids) continue;
    if (!best || s->lag_ms.load(std::memory_order_relaxed) < best->lag_ms.load()) best = s;
  }
  return best;
}

}  // namespace

absl::StatusOr<ServerState*> ChooseServer(ClusterState& c, routing::Target target,
                                          const routing::ReadRequirement& need,
                                          const std::function<uint64_t()>& random) {
  if (target == routing::Target::kPrimary) return c.CurrentPrimary();
  const int64_t now = SteadyNowMs();
  std::vector<ServerState*> replicas;
  std::vector<routing::ReplicaCandidate> candidates;
  for (ServerState* s : c.servers) {
    if (s->Role() != ServerRole::kReplica) continue;
    replicas.push_back(s);
    const bool serves =
        routing::ServesRead(View(*s, now, need), need) == routing::ReadVerdict::kServes;
    candidates.push_back({serves, s->outstanding.load(std::memory_order_relaxed),
                          s->server.weight});
  }
  c.reads.fetch_add(1, std::memory_order_relaxed);
  uint64_t rr = c.round_robin.fetch_add(1, std::memory_order_relaxed);
  auto pick = routing::ChooseReplica(candidates, Policy(c.cluster.balance), rr, random);
  if (pick) return replicas[*pick];
  if (ServerState* s = LeastStale(c, replicas, need, now)) return s;
  c.primary_fallback_reads.fetch_add(1, std::memory_order_relaxed);
  auto primary = c.CurrentPrimary();
  return primary.ok() ? *primary : c.primary.get();  // reads need no fencing
}

ServerState* ChooseServer(ClusterState& c, routing::Target target,
                          const std::function<uint64_t()>& random) {
  auto s = ChooseServer(c, target, routing::ReadRequirement{}, random);
  return s.ok() ? *s : c.primary.get();
}

}  // namespace switchyard::proxy
