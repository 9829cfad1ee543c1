#include "routing/replica_choice.h"

namespace switchyard::routing {
namespace {

std::vector<size_t> Usable(const std::vector<ReplicaCandidate>& c) {
  std::vector<size_t> idx;
  for (size_t i = 0; i < c.size(); ++i) {
    if (c[i].usable) idx.push_back(i);
  }
  return idx;
}

// "Power of two choices": two random usable candidates, the less loaded wins.
// Nearly as good as scanning all, and no herd on one idle server.
size_t LeastOutstanding(const std::vector<ReplicaCandidate>& c, const std::vector<size_t>& idx,
                        const std::function<uint64_t()>& random) {
  if (idx.size() == 1) return idx[0];
  size_t a = idx[random() % idx.size()];
  size_t b = idx[random() % idx.size()];
  return c[b].outstanding < c[a].outstanding ? b : a;
}

size_t Weighted(const std::vector<ReplicaCandidate>& c, const std::vector<size_t>& idx,
                const std::function<uint64_t()>& random) {
  uint64_t total = 0;
  for (size_t i : idx) total += static_cast<uint64_t>(c[i].weight > 0 ? c[i].weight : 0);
  if (total == 0) return idx[random() % idx.size()];
  uint64_t pick = random() % total;
  for (size_t i : idx) {
    const uint64_t w = static_cast<uint64_t>(c[i].weight > 0 ? c[i].weight : 0);
    if (pick < w) return i;
    pick -= w;
  }
  return idx.back();
}

}  // namespace

std::optional<size_t> ChooseReplica(const std::vector<ReplicaCandidate>& candidates,
                                    BalancePolicy policy, uint64_t& round_robin_counter,
                                    const std::function<uint64_t()>& random) {
  const std::vector<size_t> idx = Usable(candidates);
  if (idx.empty()) return std::nullopt;
  switch (policy) {
    case BalancePolicy::kLeastOutstanding:
      return LeastOutstanding(candidates, idx, random);
    case BalancePolicy::kRoundRobin:
      return idx[round_robin_counter++ % idx.size()];
    case BalancePolicy::kWeighted:
      return Weighted(candidates, idx, random);
  }
  return idx[0];
}

}  // namespace switchyard::routing
