#include "routing/gtid_set.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace switchyard::routing {
namespace {

constexpr char kA[] = "3E11FA47-71CA-11E1-9E33-C80AA9429562";
constexpr char kB[] = "2174B383-5441-11E8-B90A-C80AA9429562";
constexpr char kLowerA[] = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
constexpr char kLowerB[] = "2174b383-5441-11e8-b90a-c80aa9429562";

GtidSet Parse(std::string_view text) {
  auto set = ParseGtidSet(text);
  EXPECT_TRUE(set.ok()) << text << ": " << set.status();
  return set.ok() ? *set : GtidSet{};
}

std::string Canon(std::string_view text) { return FormatGtidSet(Parse(text)); }

std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out += p;
  return out;
}

bool Contains(std::string_view executed, std::string_view required) {
  return GtidSetContains(Parse(executed), Parse(required));
}

TEST(ParseGtidSet, TheDocumentationExampleWithSpacesAndNewlines) {
  const std::string text = Cat({kA, ":1-5:11-18, ", kB, ":1-3"});
  const GtidSet set = Parse(text);
  ASSERT_EQ(set.sources.size(), 2u);
  // Sorted by UUID: 2174... before 3e11...
  EXPECT_EQ(set.sources[0].intervals, (std::vector<GtidInterval>{{1, 3}}));
  EXPECT_EQ(set.sources[1].intervals, (std::vector<GtidInterval>{{1, 5}, {11, 18}}));
  EXPECT_EQ(FormatGtidSet(set), Cat({kLowerB, ":1-3,", kLowerA, ":1-5:11-18"}));
  // As @@global.gtid_executed prints it: a newline after each comma.
  EXPECT_EQ(Parse(Cat({kA, ":1-5:11-18,\n", kB, ":1-3\n"})), set);
  EXPECT_EQ(Parse(Cat({" \t", kA, " : 1 - 5 : 11-18 ,\r\n", kB, ":1-3 "})), set);
}

TEST(ParseGtidSet, EitherCaseIsTheSameSource) {
  EXPECT_EQ(Parse(Cat({kA, ":1-5"})), Parse(Cat({kLowerA, ":1-5"})));
  EXPECT_EQ(Canon(Cat({kA, ":1-5,", kLowerA, ":6-9"})), Cat({kLowerA, ":1-9"}));
}

TEST(ParseGtidSet, EmptyForms) {
  EXPECT_TRUE(Parse("").empty());
  EXPECT_TRUE(Parse(" \n ").empty());
  EXPECT_TRUE(Parse(",").empty());
  EXPECT_TRUE(Parse(kA).empty());  // a UUID without intervals holds nothing
  EXPECT_EQ(FormatGtidSet(Parse("")), "");
}

TEST(ParseGtidSet, IntervalsAreSortedAndJoined) {
  EXPECT_EQ(Canon(Cat({kA, ":11-18:1-5"})), Cat({kLowerA, ":1-5:11-18"}));
  EXPECT_EQ(Canon(Cat({kA, ":1-5:6-9"})), Cat({kLowerA, ":1-9"}));    // adjacent
  EXPECT_EQ(Canon(Cat({kA, ":1-5:3-9"})), Cat({kLowerA, ":1-9"}));    // overlapping
  EXPECT_EQ(Canon(Cat({kA, ":7:5:6"})), Cat({kLowerA, ":5-7"}));      // singles
  EXPECT_EQ(Canon(Cat({kA, ":1-3:7-9:4-6"})), Cat({kLowerA, ":1-9"}));
  EXPECT_EQ(Canon(Cat({kA, ":2-20:4-5"})), Cat({kLowerA, ":2-20"}));  // inside
  EXPECT_EQ(Canon(Cat({kA, ":5-5"})), Cat({kLowerA, ":5"}));
}

TEST(ParseGtidSet, LargestTransactionId) {
  EXPECT_EQ(Canon(Cat({kA, ":1-9223372036854775807"})), Cat({kLowerA, ":1-9223372036854775807"}));
  EXPECT_FALSE(ParseGtidSet(Cat({kA, ":1-9223372036854775808"})).ok());
  EXPECT_FALSE(ParseGtidSet(Cat({kA, ":99999999999999999999999"})).ok());
}

TEST(ParseGtidSet, MalformedIsAnError) {
  const std::vector<std::string> bad = {
      Cat({kA, ":0"}),                           // ids start at 1
      Cat({kA, ":5-3"}),                         // backwards
      Cat({kA, ":"}),
      Cat({kA, ":1-"}),
      Cat({kA, ":-5"}),
      Cat({kA, ":1-5:"}),
      Cat({kA, ":1-5 x"}),
      Cat({kA, ":1-5;", kB, ":1"}),
      Cat({kA, "1-5"}),
      "3E11FA47-71CA-11E1-9E33-C80AA942956:1-5",   // UUID one digit short
      "3E11FA4771CA11E19E33C80AA9429562:1-5",       // no dashes
      "3E11FA47-71CA-11E1-9E33-C80AA942956G:1-5",  // not hex
      "0-1-42",                                    // MariaDB's form
      "{3E11FA47-71CA-11E1-9E33-C80AA9429562}:1",
      std::string("3E11FA47-71CA-11E1-9E33-C80AA9429562:1\0", 39),
  };
  for (const std::string& text : bad) {
    auto set = ParseGtidSet(text);
    EXPECT_TRUE(absl::IsInvalidArgument(set.status())) << "'" << text << "' " << set.status();
  }
}

TEST(ParseGtidSet, TaggedGtidsAreNotComparable) {
  for (const std::string& text : {Cat({kA, ":tag:1-5"}), Cat({kA, ":1-5:_t:1"}),
                                  Cat({kA, ":1-5,", kB, ": Tag_1:7"})}) {
    auto set = ParseGtidSet(text);
    EXPECT_TRUE(absl::IsUnimplemented(set.status())) << text << " " << set.status();
  }
}

TEST(ParseGtidSet, EveryCutOfAValidSetParsesOrFailsCleanly) {
  const std::string text = Cat({kA, ":1-5:11-18,\n", kB, ":1-3"});
  const GtidSet whole = Parse(text);
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    // A copy of exactly `cut` bytes, so that reading past it is caught (ASan).
    const std::string prefix = text.substr(0, cut);
    auto set = ParseGtidSet(prefix);
    if (!set.ok()) {
      EXPECT_TRUE(absl::IsInvalidArgument(set.status())) << cut;
      continue;
    }
    // What a cut parses to is a part of the whole, never more.
    EXPECT_TRUE(GtidSetContains(whole, *set)) << "cut at " << cut << ": " << FormatGtidSet(*set);
  }
}

TEST(ParseGtidSet, EveryCutWithAByteChangedNeverCrashes) {
  const std::string text = Cat({kA, ":1-5:11-18, ", kB, ":1-3"});
  const std::string replacements = std::string("\0:-, 9aZ", 8);
  for (size_t at = 0; at < text.size(); ++at) {
    for (char c : replacements) {
      std::string changed = text;
      changed[at] = c;
      for (size_t cut = at; cut <= changed.size(); cut += 7) {
        auto set = ParseGtidSet(changed.substr(0, cut));
        if (set.ok()) FormatGtidSet(*set);  // a parsed set is well formed
      }
    }
  }
}

TEST(GtidSetContains, ContainmentByInterval) {
  const std::string replica = Cat({kA, ":1-5:11-18,\n", kB, ":1-3"});
  EXPECT_TRUE(Contains(replica, ""));
  EXPECT_TRUE(Contains(replica, Cat({kA, ":3"})));
  EXPECT_TRUE(Contains(replica, Cat({kA, ":1-5"})));
  EXPECT_TRUE(Contains(replica, Cat({kA, ":12-18,", kB, ":2"})));
  EXPECT_TRUE(Contains(replica, replica));
  EXPECT_FALSE(Contains(replica, Cat({kA, ":6"})));       // in the gap
  EXPECT_FALSE(Contains(replica, Cat({kA, ":5-11"})));    // across the gap
  EXPECT_FALSE(Contains(replica, Cat({kA, ":19"})));      // not yet replayed
  EXPECT_FALSE(Contains(replica, Cat({kB, ":3-4"})));
  EXPECT_FALSE(Contains(replica, Cat({kA, ":3,", kB, ":4"})));  // one source behind
  // A source the replica never saw.
  EXPECT_FALSE(Contains(Cat({kA, ":1-100"}), Cat({kB, ":1"})));
  EXPECT_FALSE(Contains("", Cat({kB, ":1"})));
  // Upper and lower case name the same source.
  EXPECT_TRUE(Contains(Cat({kLowerA, ":1-100"}), Cat({kA, ":100"})));
}

TEST(GtidSetContains, AReplicaCatchingUp) {
  const std::string session = Cat({kA, ":42"});
  EXPECT_FALSE(Contains(Cat({kA, ":1-41"}), session));
  EXPECT_FALSE(Contains(Cat({kA, ":1-40:43"}), session));  // applied out of order, 42 missing
  EXPECT_TRUE(Contains(Cat({kA, ":1-40:42-43"}), session));
  EXPECT_TRUE(Contains(Cat({kA, ":1-42"}), session));
}

TEST(AddGtidSet, UnionOfCommits) {
  GtidSet session;
  AddGtidSet(session, Parse(Cat({kA, ":5"})));
  AddGtidSet(session, Parse(Cat({kA, ":7"})));
  AddGtidSet(session, Parse(Cat({kB, ":2"})));
  AddGtidSet(session, Parse(Cat({kA, ":6"})));
  EXPECT_EQ(FormatGtidSet(session), Cat({kLowerB, ":2,", kLowerA, ":5-7"}));
  AddGtidSet(session, GtidSet{});
  EXPECT_EQ(FormatGtidSet(session), Cat({kLowerB, ":2,", kLowerA, ":5-7"}));
}

TEST(GtidSetCount, TransactionsInTheSet) {
  EXPECT_EQ(GtidSetCount(Parse("")), 0u);
  EXPECT_EQ(GtidSetCount(Parse(Cat({kA, ":1-5:11-18,", kB, ":1-3"}))), 5u + 8u + 3u);
  EXPECT_EQ(GtidSetCount(Parse(Cat({kA, ":1-9223372036854775807,", kB,
                                    ":1-9223372036854775807,",
                                    "00000000-0000-0000-0000-000000000001:1-9"}))),
            UINT64_MAX);
}

TEST(CompactGtidSet, JoinsTheLowestIntervalsOnly) {
  GtidSet s = Parse(Cat({kA, ":1:3:5:7:9,", kB, ":1:3"}));
  CompactGtidSet(s, 2);
  EXPECT_EQ(FormatGtidSet(s), Cat({kLowerB, ":1:3,", kLowerA, ":1-7:9"}));
  // Stricter only: whatever contains the compacted set contains the original.
  const GtidSet original = Parse(Cat({kA, ":1:3:5:7:9,", kB, ":1:3"}));
  EXPECT_TRUE(GtidSetContains(s, original));
  CompactGtidSet(s, 0);
  EXPECT_EQ(FormatGtidSet(s), Cat({kLowerB, ":1-3,", kLowerA, ":1-9"}));
}

}  // namespace
}  // namespace switchyard::routing
