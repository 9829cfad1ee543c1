// Read-your-writes on Oracle MySQL, the decision over server positions: the
// monitor's parsed @@global.gtid_executed per server (MySqlGtidExecuted) and
// a session's required GTID set, through the same ChooseServer the MySQL
// session uses. No server: positions are stored as the monitor would. The
// MariaDB per-domain path is checked alongside, to stay as it was.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>

#include "proxy/my_gtid_position.h"
#include "proxy/server_choice.h"
#include "routing/gtid_set.h"

namespace switchyard::proxy {
namespace {

constexpr char kA[] = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
constexpr char kB[] = "2174b383-5441-11e8-b90a-c80aa9429562";

std::string Set(std::string_view uuid, std::string_view intervals) {
  return std::string(uuid) + ":" + std::string(intervals);
}

routing::GtidSet Parse(std::string_view text) {
  auto set = routing::ParseGtidSet(text);
  EXPECT_TRUE(set.ok()) << set.status();
  return set.ok() ? *set : routing::GtidSet{};
}

std::unique_ptr<ServerState> Server(std::string name, ServerRole role) {
  auto s = std::make_unique<ServerState>();
  s->server.name = name;
  s->label = name;
  s->role = static_cast<int>(role);
  return s;
}

// A MySQL cluster: a primary and two replicas, all reachable and fresh.
class MySqlFreshness : public ::testing::Test {
 protected:
  void SetUp() override {
    c_.cluster.protocol = config::Protocol::kMySql;
    c_.primary = Server("primary", ServerRole::kPrimary);
    c_.replicas.push_back(Server("replica1", ServerRole::kReplica));
    c_.replicas.push_back(Server("replica2", ServerRole::kReplica));
    c_.servers = {c_.primary.get(), c_.replicas[0].get(), c_.replicas[1].get()};
    primary().gtid_executed.Store(Parse(Set(kA, "1-100")));
  }
  ServerState& primary() { return *c_.primary; }
  ServerState& replica(int i) { return *c_.replicas[i]; }

  // Where a read of a session that requires `required` goes.
  ServerState* Choose(const routing::GtidSet& required) {
    routing::ReadRequirement need;
    need.min_gtid_set = &required;
    auto s = ChooseServer(c_, routing::Target::kReplica, need, [this] { return ++random_; });
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? *s : nullptr;
  }

  ClusterState c_;
  uint64_t random_ = 0;
};

TEST_F(MySqlFreshness, WithoutARequirementAnyReplicaServes) {
  const routing::GtidSet none;
  for (int i = 0; i < 10; ++i) EXPECT_NE(Choose(none), &primary());
}

TEST_F(MySqlFreshness, OnlyAReplicaThatContainsTheSessionsCommitsServes) {
  replica(0).gtid_executed.Store(Parse(Set(kA, "1-41")));
  replica(1).gtid_executed.Store(Parse(Set(kA, "1-42")));
  // What the OK packet of the session's commit reported (OWN_GTID).
  routing::GtidSet required;
  routing::AddGtidSet(required, Parse(Set(kA, "42")));
  for (int i = 0; i < 10; ++i) EXPECT_EQ(Choose(required), &replica(1));
}

TEST_F(MySqlFreshness, NoReplicaFreshEnoughMeansThePrimary) {
  replica(0).gtid_executed.Store(Parse(Set(kA, "1-41")));
  replica(1).gtid_executed.Store(Parse(Set(kA, "1-40:42")));  // out of order, 41 missing
  const routing::GtidSet required = Parse(Set(kA, "41-42"));
  const uint64_t fallback = c_.primary_fallback_reads.load();
  EXPECT_EQ(Choose(required), &primary());
  EXPECT_EQ(c_.primary_fallback_reads.load(), fallback + 1);
  // Once the monitor sees a replica catch up, it serves again.
  replica(1).gtid_executed.Store(Parse(Set(kA, "1-45")));
  EXPECT_EQ(Choose(required), &replica(1));
}

TEST_F(MySqlFreshness, EverySourceOfTheRequirementCounts) {
  replica(0).gtid_executed.Store(Parse(Set(kA, "1-100")));
  replica(1).gtid_executed.Store(Parse(Set(kA, "1-100") + ",\n" + Set(kB, "1-7")));
  // Written before and after a failover to the server of source kB.
  const routing::GtidSet required = Parse(Set(kA, "99") + "," + Set(kB, "7"));
  for (int i = 0; i < 10; ++i) EXPECT_EQ(Choose(required), &replica(1));
}

TEST_F(MySqlFreshness, AnUnknownOrForgottenPositionIsNotFresh) {
  // replica1 never polled; replica2's last poll was not comparable.
  replica(1).gtid_executed.Store(Parse(Set(kA, "1-100")));
  replica(1).gtid_executed.Forget();
  EXPECT_FALSE(replica(0).gtid_executed.Text().has_value());
  EXPECT_EQ(Choose(Parse(Set(kA, "1"))), &primary());
  // Without a requirement they still serve (lag rules apply as before).
  EXPECT_NE(Choose(routing::GtidSet{}), &primary());
}

TEST_F(MySqlFreshness, StaleOrUnreachableReplicasStayAvoided) {
  replica(0).gtid_executed.Store(Parse(Set(kA, "1-100")));
  replica(1).gtid_executed.Store(Parse(Set(kA, "1-100")));
  replica(0).stale = true;
  replica(1).reachable = false;
  EXPECT_EQ(Choose(Parse(Set(kA, "5"))), &primary());
}

TEST_F(MySqlFreshness, TheMariaDbPathIsUnchanged) {
  replica(0).gtid.Store({{0, 1, 41}});
  replica(1).gtid.Store({{0, 1, 42}});
  const routing::GtidList required = {{0, 1, 42}};
  routing::ReadRequirement need;
  need.min_gtids = &required;
  for (int i = 0; i < 10; ++i) {
    auto s = ChooseServer(c_, routing::Target::kReplica, need, [this] { return ++random_; });
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(*s, &replica(1));
  }
}

TEST(MySqlGtidExecuted, TextAndContainment) {
  MySqlGtidExecuted executed;
  EXPECT_FALSE(executed.Contains(routing::GtidSet{}));  // unknown: nothing is met
  executed.Store(Parse(Set(kA, "1-5:11-18")));
  EXPECT_EQ(executed.Text().value_or(""), Set(kA, "1-5:11-18"));
  EXPECT_TRUE(executed.Contains(routing::GtidSet{}));
  EXPECT_TRUE(executed.Contains(Parse(Set(kA, "12"))));
  EXPECT_FALSE(executed.Contains(Parse(Set(kA, "6"))));
}

TEST(MySqlGtidExecuted, ReadersWhileTheMonitorStores) {
  MySqlGtidExecuted executed;
  const routing::GtidSet required = Parse(Set(kA, "500"));
  std::thread monitor([&] {
    for (int n = 1; n <= 1000; ++n) executed.Store(Parse(Set(kA, "1-" + std::to_string(n))));
  });
  bool seen = false;
  for (int i = 0; i < 100000 && !seen; ++i) seen = executed.Contains(required);
  monitor.join();
  EXPECT_TRUE(executed.Contains(required));  // positions only grow
}

TEST(ServerFlavour, FromTheVersionString) {
  EXPECT_TRUE(IsMariaDbVersion("5.5.5-10.11.6-MariaDB-0+deb12u1"));
  EXPECT_TRUE(IsMariaDbVersion("11.4.2-MariaDB"));
  EXPECT_FALSE(IsMariaDbVersion("8.0.36"));
  EXPECT_FALSE(IsMariaDbVersion("8.4.0-commercial"));
  EXPECT_FALSE(IsMariaDbVersion(""));
}

}  // namespace
}  // namespace switchyard::proxy
