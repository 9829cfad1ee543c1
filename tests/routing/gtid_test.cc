#include "routing/gtid.h"

#include <gtest/gtest.h>

#include "routing/freshness.h"

namespace switchyard::routing {
namespace {

GtidList Parse(std::string_view text) {
  auto list = ParseGtidList(text);
  EXPECT_TRUE(list.ok()) << text << ": " << list.status();
  return list.ok() ? *list : GtidList{};
}

TEST(ParseGtidList, SingleDomain) {
  EXPECT_EQ(Parse("0-1-42"), (GtidList{{0, 1, 42}}));
  EXPECT_EQ(Parse(""), GtidList{});
  EXPECT_EQ(Parse("  \n"), GtidList{});
  EXPECT_EQ(Parse("0-4294967295-18446744073709551615"),
            (GtidList{{0, 4294967295u, 18446744073709551615ull}}));
}

TEST(ParseGtidList, SeveralDomainsSortedWithTheHighestSequencePerDomain) {
  EXPECT_EQ(Parse("2-1-5,0-1-42, 1-2-7"), (GtidList{{0, 1, 42}, {1, 2, 7}, {2, 1, 5}}));
  // MariaDB prints long lists across lines.
  EXPECT_EQ(Parse("0-1-42,\n1-2-7"), (GtidList{{0, 1, 42}, {1, 2, 7}}));
  // Two servers in one domain (gtid_binlog_state style): the higher sequence.
  EXPECT_EQ(Parse("0-1-42,0-2-40"), (GtidList{{0, 1, 42}}));
  EXPECT_EQ(Parse("0-1-40,0-2-42"), (GtidList{{0, 2, 42}}));
}

TEST(ParseGtidList, RejectsWhatIsNotAMariaDbGtid) {
  for (std::string_view bad :
       {"0-1", "0-1-", "-1-2", "a-1-2", "0-1-2x", "0-1-2,", ",0-1-2", "0--1-2", "0-1-2-3",
        "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5", "4294967296-1-1", "0-1-18446744073709551616"}) {
    EXPECT_FALSE(ParseGtidList(bad).ok()) << bad;
  }
}

TEST(FormatGtidList, RoundTrips) {
  for (std::string_view text : {"", "0-1-42", "0-1-42,1-2-7,5-3-1"}) {
    EXPECT_EQ(FormatGtidList(Parse(text)), text);
  }
}

TEST(MergeGtids, KeepsTheHigherSequencePerDomain) {
  GtidList session = Parse("0-1-10");
  MergeGtids(session, Parse("0-1-12"));
  EXPECT_EQ(session, Parse("0-1-12"));
  MergeGtids(session, Parse("0-1-11,3-1-4"));
  EXPECT_EQ(session, Parse("0-1-12,3-1-4"));
}

TEST(GtidCovers, SingleDomainComparesSequences) {
  EXPECT_TRUE(GtidCovers(Parse("0-1-42"), Parse("0-1-42")));
  EXPECT_TRUE(GtidCovers(Parse("0-1-42"), Parse("0-1-43")));
  EXPECT_FALSE(GtidCovers(Parse("0-1-42"), Parse("0-1-41")));
  // The server id does not matter: sequences of a domain only grow.
  EXPECT_TRUE(GtidCovers(Parse("0-1-42"), Parse("0-2-50")));
}

TEST(GtidCovers, EveryRequiredDomainMustBeReplayed) {
  const GtidList required = Parse("0-1-42,1-2-7");
  EXPECT_TRUE(GtidCovers(required, Parse("0-1-42,1-2-7")));
  EXPECT_TRUE(GtidCovers(required, Parse("0-1-50,1-2-9,2-1-1")));
  EXPECT_FALSE(GtidCovers(required, Parse("0-1-50,1-2-6")));
  EXPECT_FALSE(GtidCovers(required, Parse("0-1-41,1-2-9")));
  // A domain the replica has never seen: not replayed.
  EXPECT_FALSE(GtidCovers(required, Parse("0-1-50")));
  // Domains the session never wrote do not matter, however far behind.
  EXPECT_TRUE(GtidCovers(Parse("1-2-7"), Parse("0-1-1,1-2-7")));
}

TEST(GtidCovers, EmptyRequirementIsAlwaysMet) {
  EXPECT_TRUE(GtidCovers(GtidList{}, GtidList{}));
  EXPECT_TRUE(GtidCovers(GtidList{}, Parse("0-1-1")));
  EXPECT_FALSE(GtidCovers(Parse("0-1-1"), GtidList{}));
}

TEST(GtidCovers, ThroughALookup) {
  const GtidList required = Parse("0-1-42,1-2-7");
  auto replica = [](uint32_t domain) -> std::optional<uint64_t> {
    if (domain == 0) return 100;
    return std::nullopt;
  };
  EXPECT_FALSE(GtidCovers(required, replica));
  EXPECT_TRUE(GtidCovers(Parse("0-9-100"), replica));
}

TEST(GtidSeqSum, AddsDomains) {
  EXPECT_EQ(GtidSeqSum(Parse("0-1-42,1-2-7")), 49u);
  EXPECT_EQ(GtidSeqSum(GtidList{}), 0u);
}

TEST(ServesRead, BehindTheSessionsGtidsIsBehindSession) {
  ReplicaView r{.behind_gtids = true};
  EXPECT_EQ(ServesRead(r, {}), ReadVerdict::kBehindSession);
  // Unavailable and stale come first.
  r.stale = true;
  EXPECT_EQ(ServesRead(r, {}), ReadVerdict::kStale);
}

}  // namespace
}  // namespace switchyard::routing
