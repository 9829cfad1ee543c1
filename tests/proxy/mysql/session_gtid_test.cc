// Read-your-writes inputs on the MySQL side: the GTID a commit's OK packet
// reports (MariaDB last_gtid, MySQL session_track_gtids), through the codec
// and the ResponseTracker; and the text result sets the proxy composes
// itself (SHOW SWITCHYARD SERVERS), read back by the tracker.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "proxy/mysql/ok_err.h"
#include "proxy/mysql/packet.h"
#include "proxy/mysql/response.h"
#include "proxy/mysql/result_set.h"
#include "test_util.h"

namespace switchyard::mysql {
namespace {

using testing::Bytes;

constexpr Capabilities kTrack = kClientProtocol41 | kClientTransactions | kClientSessionTrack |
                                kClientMultiResults | kClientMultiStatements;

// What MariaDB 10.11 sends after a COMMIT with last_gtid tracked:
// affected 1, AUTOCOMMIT | SESSION_STATE_CHANGED, no warnings, empty info,
// one system-variable entry last_gtid = 0-1-42.
std::string CommitOk(StatusFlags extra = 0) {
  std::string wire = Bytes("\x00\x01\x00");
  const StatusFlags flags = kServerStatusAutocommit | kServerSessionStateChanged | extra;
  wire += static_cast<char>(flags & 0xff);
  wire += static_cast<char>(flags >> 8);
  wire += Bytes("\x00\x00");  // warnings
  wire += Bytes("\x00");      // info
  wire += Bytes("\x13\x00\x11\x09last_gtid\x06") + "0-1-42";
  return wire;
}

auto DecodeTracked(std::string_view p) { return DecodeOk(p, kTrack); }

TEST(MysqlSessionGtid, MariaDbCommitOkReportsLastGtid) {
  const std::string wire = CommitOk();
  auto ok = DecodeOk(wire, kTrack);
  ASSERT_TRUE(ok.ok()) << ok.status();
  ASSERT_EQ(ok->session_state.size(), 1u);
  EXPECT_EQ(ok->session_state[0].name, "last_gtid");
  EXPECT_EQ(ReportedGtid(*ok), "0-1-42");
}

TEST(MysqlSessionGtid, NoCutOfTheCommitOkReportsTheGtid) {
  const std::string wire = CommitOk();
  testing::ExpectNoPrefixDecodesAsFull(wire, DecodeTracked);
  for (size_t cut = 0; cut < wire.size(); ++cut) {
    const std::string prefix = wire.substr(0, cut);
    auto ok = DecodeOk(prefix, kTrack);
    if (ok.ok()) {
      EXPECT_FALSE(ReportedGtid(*ok).has_value()) << "cut at " << cut;
    }
  }
}

TEST(MysqlSessionGtid, TrackerKeepsTheGtidOfAWriteFollowedByAResultSet) {
  // INSERT ...; SELECT 1  — the INSERT's OK (more results) carries the GTID.
  ResponseTracker tracker(ResponseShape::kResultSet, kTrack);
  auto ev = tracker.OnPacket(CommitOk(kServerMoreResultsExist));
  ASSERT_TRUE(ev.ok()) << ev.status();
  EXPECT_EQ(*ev, ResponseEvent::kMore);
  std::string rs;
  AppendTextResultSet({"1"}, {{"1"}}, kTrack, kServerStatusAutocommit, 1, rs);
  std::string_view rest = rs;
  while (!rest.empty()) {
    auto p = DecodePacket(rest, 1 << 20);
    ASSERT_TRUE(p.ok() && p->has_value());
    ev = tracker.OnPacket((*p)->payload);
    ASSERT_TRUE(ev.ok()) << ev.status();
    rest.remove_prefix((*p)->consumed);
  }
  EXPECT_EQ(*ev, ResponseEvent::kComplete);
  EXPECT_EQ(tracker.summary().gtid, "0-1-42");
}

TEST(MysqlSessionGtid, WithoutSessionTrackTheSameBytesAreInfoText) {
  // A backend without SESSION_TRACK never reports GTIDs: the tail is info.
  auto ok = DecodeOk(CommitOk(), kClientProtocol41 | kClientTransactions);
  ASSERT_TRUE(ok.ok());
  EXPECT_FALSE(ReportedGtid(*ok).has_value());
}

// Feeds every packet of `wire` to a tracker; returns it.
ResponseTracker Track(std::string_view wire, Capabilities caps, size_t* packets) {
  ResponseTracker tracker(ResponseShape::kResultSet, caps);
  *packets = 0;
  while (!wire.empty()) {
    auto p = DecodePacket(wire, 1 << 20);
    EXPECT_TRUE(p.ok() && p->has_value());
    if (!p.ok() || !p->has_value()) break;
    EXPECT_TRUE(tracker.OnPacket((*p)->payload).ok());
    wire.remove_prefix((*p)->consumed);
    ++*packets;
  }
  return tracker;
}

TEST(MysqlResultSet, ComposedResultSetIsCompleteForBothFramings) {
  const std::vector<std::string> columns = {"server", "role"};
  const std::vector<std::vector<std::string>> rows = {{"primary", "primary"}, {"replica1", ""}};
  for (Capabilities caps : {kTrack, kTrack | kClientDeprecateEof}) {
    std::string wire;
    const uint8_t next = AppendTextResultSet(columns, rows, caps, kServerStatusAutocommit, 1, wire);
    size_t packets = 0;
    ResponseTracker tracker = Track(wire, caps, &packets);
    EXPECT_TRUE(tracker.complete());
    EXPECT_EQ(tracker.summary().rows, 2u);
    EXPECT_EQ(tracker.summary().status_flags, kServerStatusAutocommit);
    // count, 2 definitions, (EOF), 2 rows, terminator
    const size_t expected = (caps & kClientDeprecateEof) ? 6 : 7;
    EXPECT_EQ(packets, expected);
    EXPECT_EQ(next, static_cast<uint8_t>(1 + expected));
  }
}

TEST(MysqlResultSet, NoCutOfTheStreamIsACompleteResponse) {
  for (Capabilities caps : {kTrack, kTrack | kClientDeprecateEof}) {
    std::string wire;
    AppendTextResultSet({"a", "b"}, {{"x", "y"}}, caps, kServerStatusAutocommit, 1, wire);
    for (size_t cut = 0; cut < wire.size(); ++cut) {
      ResponseTracker tracker(ResponseShape::kResultSet, caps);
      std::string_view rest = std::string_view(wire).substr(0, cut);
      while (true) {
        auto p = DecodePacket(rest, 1 << 20);
        ASSERT_TRUE(p.ok()) << "cut at " << cut;
        if (!p->has_value()) break;  // the packet cut: need more bytes
        ASSERT_TRUE(tracker.OnPacket((*p)->payload).ok()) << "cut at " << cut;
        rest.remove_prefix((*p)->consumed);
      }
      EXPECT_FALSE(tracker.complete()) << "cut at " << cut << " of " << wire.size();
    }
  }
}

}  // namespace
}  // namespace switchyard::mysql

namespace switchyard::mysql {
namespace {

// MySQL 8 with session_track_gtids=OWN_GTID: after a COMMIT the OK packet's
// session state holds one SESSION_TRACK_GTIDS (0x03) entry: the encoding
// specification (0: text) and the GTID set of the session's own commit.
std::string GtidsEntry(std::string_view set) {
  std::string data = Bytes("\x00");  // encoding specification
  data += static_cast<char>(set.size());
  data += set;
  std::string entry = Bytes("\x03");
  entry += static_cast<char>(data.size());
  return entry + data;
}

std::string MySqlCommitOk(std::string_view state) {
  std::string wire = Bytes("\x00\x01\x00");
  const StatusFlags flags = kServerStatusAutocommit | kServerSessionStateChanged;
  wire += static_cast<char>(flags & 0xff);
  wire += static_cast<char>(flags >> 8);
  wire += Bytes("\x00\x00");  // warnings
  wire += Bytes("\x00");      // info
  wire += static_cast<char>(state.size());
  return wire + std::string(state);
}

constexpr char kOwnGtid[] = "3e11fa47-71ca-11e1-9e33-c80aa9429562:23";

TEST(MysqlSessionGtid, MySqlCommitOkReportsItsOwnGtid) {
  const std::string wire = MySqlCommitOk(GtidsEntry(kOwnGtid));
  auto ok = DecodeOk(wire, kTrack);
  ASSERT_TRUE(ok.ok()) << ok.status();
  ASSERT_EQ(ok->session_state.size(), 1u);
  EXPECT_EQ(ok->session_state[0].type, static_cast<uint8_t>(SessionTrackType::kGtids));
  EXPECT_EQ(ReportedGtid(*ok), kOwnGtid);
  // Re-encoding gives the same bytes.
  std::string again;
  EncodeOk(*ok, kTrack, again);
  EXPECT_EQ(again, wire);
}

TEST(MysqlSessionGtid, MySqlMultiSourceSetWithNewlinesIsReportedAsItCame) {
  const std::string set =
      "2174b383-5441-11e8-b90a-c80aa9429562:1-3,\n3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:11-18";
  // Next to a tracked variable and the state-change flag, in any order.
  std::string state = Bytes("\x02\x01") + "1";
  state += GtidsEntry(set);
  state += Bytes("\x00\x0e\x0a") + "autocommit" + Bytes("\x02") + "ON";
  auto ok = DecodeOk(MySqlCommitOk(state), kTrack);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ReportedGtid(*ok), set);
}

TEST(MysqlSessionGtid, AnEmptyGtidsEntryReportsNothing) {
  auto ok = DecodeOk(MySqlCommitOk(GtidsEntry("")), kTrack);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_FALSE(ReportedGtid(*ok).has_value());
}

TEST(MysqlSessionGtid, NoCutOfTheMySqlCommitOkReportsTheGtid) {
  const std::string wire = MySqlCommitOk(GtidsEntry(kOwnGtid));
  testing::ExpectNoPrefixDecodesAsFull(wire, DecodeTracked);
  for (size_t cut = 0; cut < wire.size(); ++cut) {
    const std::string prefix = wire.substr(0, cut);
    auto ok = DecodeOk(prefix, kTrack);
    if (ok.ok()) {
      EXPECT_FALSE(ReportedGtid(*ok).has_value()) << "cut at " << cut;
    }
  }
}

TEST(MysqlSessionGtid, AGtidsEntryCutInsideConsistentOuterLengthsIsMalformed) {
  // The entry's own data cut at every byte while the lengths around it say
  // what is there: the GTID string's length then promises more than follows.
  const std::string entry = GtidsEntry(kOwnGtid);
  const std::string data = entry.substr(2);
  for (size_t cut = 0; cut < data.size(); ++cut) {
    std::string cut_entry = Bytes("\x03");
    cut_entry += static_cast<char>(cut);
    cut_entry += data.substr(0, cut);
    auto ok = DecodeOk(MySqlCommitOk(cut_entry), kTrack);
    EXPECT_FALSE(ok.ok()) << "entry data cut at " << cut;
  }
}

TEST(MysqlSessionGtid, TrackerKeepsTheMySqlGtid) {
  ResponseTracker tracker(ResponseShape::kResultSet, kTrack);
  auto ev = tracker.OnPacket(MySqlCommitOk(GtidsEntry(kOwnGtid)));
  ASSERT_TRUE(ev.ok()) << ev.status();
  EXPECT_EQ(*ev, ResponseEvent::kComplete);
  EXPECT_EQ(tracker.summary().gtid, kOwnGtid);
}

}  // namespace
}  // namespace switchyard::mysql
