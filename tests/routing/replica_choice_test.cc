#include "routing/replica_choice.h"

#include <gtest/gtest.h>

#include <map>

namespace switchyard::routing {
namespace {

std::function<uint64_t()> Sequence(std::vector<uint64_t> values) {
  auto i = std::make_shared<size_t>(0);
  return [values, i]() { return values[(*i)++ % values.size()]; };
}

TEST(ChooseReplica, NoUsableCandidateGivesNothing) {
  uint64_t rr = 0;
  std::vector<ReplicaCandidate> c = {{false, 0, 1}};
  EXPECT_FALSE(ChooseReplica(c, BalancePolicy::kLeastOutstanding, rr, Sequence({0})));
  EXPECT_FALSE(ChooseReplica({}, BalancePolicy::kRoundRobin, rr, Sequence({0})));
}

TEST(ChooseReplica, LeastOutstandingPicksTheLessLoadedOfTwoSamples) {
  uint64_t rr = 0;
  std::vector<ReplicaCandidate> c = {{true, 9, 1}, {true, 2, 1}, {true, 5, 1}};
  EXPECT_EQ(ChooseReplica(c, BalancePolicy::kLeastOutstanding, rr, Sequence({0, 1})), 1u);
  EXPECT_EQ(ChooseReplica(c, BalancePolicy::kLeastOutstanding, rr, Sequence({2, 0})), 2u);
}

TEST(ChooseReplica, UnusableReplicasAreNeverChosen) {
  uint64_t rr = 0;
  std::vector<ReplicaCandidate> c = {{false, 0, 1}, {true, 100, 1}};
  for (uint64_t r = 0; r < 10; ++r) {
    EXPECT_EQ(ChooseReplica(c, BalancePolicy::kLeastOutstanding, rr, Sequence({r, r + 1})), 1u);
  }
}

TEST(ChooseReplica, RoundRobinCyclesOverUsableReplicas) {
  uint64_t rr = 0;
  std::vector<ReplicaCandidate> c = {{true, 0, 1}, {false, 0, 1}, {true, 0, 1}};
  auto random = Sequence({0});
  EXPECT_EQ(ChooseReplica(c, BalancePolicy::kRoundRobin, rr, random), 0u);
  EXPECT_EQ(ChooseReplica(c, BalancePolicy::kRoundRobin, rr, random), 2u);
  EXPECT_EQ(ChooseReplica(c, BalancePolicy::kRoundRobin, rr, random), 0u);
}

TEST(ChooseReplica, WeightedFollowsTheWeights) {
  uint64_t rr = 0;
  std::vector<ReplicaCandidate> c = {{true, 0, 1}, {true, 0, 3}};
  std::map<size_t, int> counts;
  for (uint64_t r = 0; r < 4; ++r) {
    ++counts[*ChooseReplica(c, BalancePolicy::kWeighted, rr, Sequence({r}))];
  }
  EXPECT_EQ(counts[0], 1);
  EXPECT_EQ(counts[1], 3);
}

}  // namespace
}  // namespace switchyard::routing
