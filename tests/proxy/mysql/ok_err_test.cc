#include "proxy/mysql/ok_err.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace switchyard::mysql {
namespace {

using testing::Bytes;

constexpr Capabilities k41 = kClientProtocol41 | kClientTransactions;
constexpr Capabilities kTrack = k41 | kClientSessionTrack;

auto DecodeOkWith(Capabilities caps) {
  return [caps](std::string_view p) { return DecodeOk(p, caps); };
}

TEST(MysqlOk, DecodesPlainOk) {
  // affected 3, last id 300 (0xfc 2-byte), AUTOCOMMIT, 1 warning, info.
  const std::string wire = Bytes("\x00\x03\xfc\x2c\x01\x02\x00\x01\x00Rows matched: 3");
  auto ok = DecodeOk(wire, k41);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->affected_rows, 3u);
  EXPECT_EQ(ok->last_insert_id, 300u);
  EXPECT_EQ(ok->status_flags, kServerStatusAutocommit);
  EXPECT_EQ(ok->warnings, 1);
  EXPECT_EQ(ok->info, "Rows matched: 3");
  testing::ExpectNoPrefixDecodesAsFull(wire, DecodeOkWith(k41));
  // The fixed part alone is strict: every cut before the warnings fails.
  testing::ExpectEveryPrefixFails(std::string_view(wire).substr(0, 9), DecodeOkWith(k41));
}

TEST(MysqlOk, DecodesSessionTrackWithGtidSchemaVariablesAndState) {
  std::string state;
  state += Bytes(
      "\x00\x0f\x0a"
      "autocommit\x03OFF");            // system variable
  state += Bytes("\x01\x05\x04shop");  // schema
  state += Bytes(
      "\x02\x02\x01"
      "1");                                                                         // state changed
  state += Bytes("\x03\x2a\x00\x28") + "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5";  // GTIDs
  state += Bytes("\x05\x09\x08T_______");  // transaction state
  std::string wire = Bytes("\x00\x01\x00\x03\x40\x00\x00");
  wire += Bytes("\x00");  // empty info
  wire += static_cast<char>(state.size());
  wire += state;
  auto ok = DecodeOk(wire, kTrack);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->status_flags,
            kServerStatusInTrans | kServerStatusAutocommit | kServerSessionStateChanged);
  ASSERT_EQ(ok->session_state.size(), 5u);
  EXPECT_EQ(ok->session_state[0].name, "autocommit");
  EXPECT_EQ(ok->session_state[0].value, "OFF");
  EXPECT_EQ(ok->session_state[1].value, "shop");
  EXPECT_EQ(ok->session_state[2].value, "1");
  EXPECT_EQ(ok->session_state[3].type, 3);
  EXPECT_EQ(ReportedGtid(*ok), "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5");
  EXPECT_EQ(ok->session_state[4].value, "T_______");
  // Re-encoding reproduces the bytes.
  std::string again;
  EncodeOk(*ok, kTrack, again);
  EXPECT_EQ(again, wire);
  testing::ExpectNoPrefixDecodesAsFull(wire, DecodeOkWith(kTrack));
}

TEST(MysqlOk, StateChangeFlagAsServersSendIt) {
  // MariaDB 10.11 after SET sql_mode: status, warnings, empty info, then
  // session state "\x02\x01" "1" (no inner length).
  const std::string wire = Bytes("\x00\x00\x00\x02\x40\x00\x00\x00\x03\x02\x01") + "1";
  auto ok = DecodeOk(wire, kTrack);
  ASSERT_TRUE(ok.ok()) << ok.status();
  ASSERT_EQ(ok->session_state.size(), 1u);
  EXPECT_EQ(ok->session_state[0].type, 2);
  EXPECT_EQ(ok->session_state[0].value, "1");
}

TEST(MysqlOk, MariaDbLastGtidVariableIsReported) {
  OkPacket ok;
  ok.status_flags = kServerSessionStateChanged;
  ok.session_state = {{0, "last_gtid", "0-1-42"}};
  EXPECT_EQ(ReportedGtid(ok), "0-1-42");
  ok.session_state = {{0, "last_gtid", ""}};
  EXPECT_FALSE(ReportedGtid(ok).has_value());
}

TEST(MysqlOk, RoundTripsUnderEveryLayout) {
  OkPacket ok;
  ok.affected_rows = 1ull << 40;
  ok.last_insert_id = 70000;
  ok.status_flags = kServerStatusAutocommit | kServerSessionStateChanged;
  ok.warnings = 2;
  ok.info = "done";
  const std::string unknown_entry = Bytes("\x01\x02");  // outlives the views in `ok`
  ok.session_state = {{1, "", "db2"}, {9, "", unknown_entry}, {4, "", "ISOLATION"}};
  for (Capabilities caps : {kTrack, k41, kTrack | kClientDeprecateEof}) {
    OkPacket expected = ok;
    if ((caps & kClientSessionTrack) == 0) expected.session_state.clear();
    std::string wire;
    EncodeOk(ok, caps, wire);
    auto decoded = DecodeOk(wire, caps);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_TRUE(*decoded == expected) << CapabilitiesToString(caps);
    testing::ExpectNoPrefixDecodesAsFull(wire, DecodeOkWith(caps));
  }
  ok.header = kEofHeader;
  std::string wire;
  EncodeOk(ok, kTrack, wire);
  EXPECT_EQ(DecodeOk(wire, kTrack)->header, kEofHeader);
}

TEST(MysqlOk, MalformedSessionStateFails) {
  // State flag set, state string claims 5 bytes but holds a truncated entry.
  const std::string wire = Bytes("\x00\x00\x00\x00\x40\x00\x00\x00\x03\x01\x05\x04");
  EXPECT_FALSE(DecodeOk(wire, kTrack).ok());
  EXPECT_FALSE(DecodeOk(Bytes("\x01\x00\x00"), k41).ok());
  EXPECT_FALSE(DecodeOk(Bytes("\x00\x00\x00\x00\x00\x00\x00\x00"
                              "x"),
                        kTrack)
                   .ok());
}

TEST(MysqlErr, DecodesWithAndWithoutSqlState) {
  const std::string wire = Bytes("\xff\x7a\x04#42S02Table 'shop.t' doesn't exist");
  auto err = DecodeErr(wire);
  ASSERT_TRUE(err.ok());
  EXPECT_EQ(err->error_code, 1146);
  EXPECT_EQ(err->sql_state, "42S02");
  EXPECT_EQ(err->message, "Table 'shop.t' doesn't exist");
  testing::ExpectNoPrefixDecodesAsFull(wire, DecodeErr);
  const std::string bare_wire = Bytes("\xff\x10\x04Too many connections");
  auto bare = DecodeErr(bare_wire);
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->sql_state, "");
  EXPECT_EQ(bare->message, "Too many connections");
  EXPECT_FALSE(DecodeErr(Bytes("\xff\x10\x04#28")).ok());
  EXPECT_FALSE(DecodeErr(Bytes("\x00\x10\x04")).ok());
}

TEST(MysqlErr, RoundTripsAndNormalizesState) {
  std::string wire;
  EncodeErr({1045, "28000", "Access denied for user 'app'"}, wire);
  EXPECT_EQ(wire, Bytes("\xff\x15\x04#28000Access denied for user 'app'"));
  auto err = DecodeErr(wire);
  ASSERT_TRUE(err.ok());
  EXPECT_EQ(*err, (ErrPacket{1045, "28000", "Access denied for user 'app'"}));
  wire.clear();
  EncodeErr({1, "HY", "m"}, wire);
  EXPECT_EQ(DecodeErr(wire)->sql_state, "HY000");
  wire.clear();
  EncodeErr({1040, "", "Too many connections"}, wire);
  EXPECT_EQ(wire, Bytes("\xff\x10\x04Too many connections"));
}

TEST(MysqlEof, DetectionAndRoundTrip) {
  std::string wire;
  EncodeEof({1, kServerMoreResultsExist}, wire);
  EXPECT_EQ(wire, Bytes("\xfe\x01\x00\x08\x00"));
  EXPECT_TRUE(IsEofPacket(wire));
  auto eof = DecodeEof(wire);
  ASSERT_TRUE(eof.ok());
  EXPECT_EQ(*eof, (EofPacket{1, kServerMoreResultsExist}));
  testing::ExpectEveryPrefixFails(wire, DecodeEof);
  EXPECT_FALSE(DecodeEof(wire + "x").ok());
}

TEST(MysqlEof, TerminatorDetectionDependsOnDeprecateEof) {
  const std::string eof = Bytes("\xfe\x00\x00\x02\x00");
  // An OK with 0xFE header, 0 rows, status 0x0022, info "x" under SESSION_TRACK:
  const std::string ok_fe = Bytes(
      "\xfe\x00\x00\x22\x00\x00\x00\x01"
      "x"
      "yyyy");
  const std::string row_fe = Bytes("\xfe") + std::string(8, '\0');  // 9 bytes: a row
  EXPECT_TRUE(IsResultSetTerminator(eof, k41));
  EXPECT_TRUE(IsResultSetTerminator(eof, k41 | kClientDeprecateEof));
  EXPECT_FALSE(IsResultSetTerminator(ok_fe, k41));
  EXPECT_TRUE(IsResultSetTerminator(ok_fe, k41 | kClientDeprecateEof));
  EXPECT_FALSE(IsResultSetTerminator(row_fe, k41));
  EXPECT_FALSE(IsResultSetTerminator(Bytes("\x00\x00"), k41 | kClientDeprecateEof));
  EXPECT_FALSE(IsResultSetTerminator(std::string(0xFFFFFF, '\xfe'), k41 | kClientDeprecateEof));
  EXPECT_EQ(TerminatorStatusFlags(eof, k41).value(), kServerStatusAutocommit);
  EXPECT_EQ(TerminatorStatusFlags(eof, k41 | kClientDeprecateEof).value(), kServerStatusAutocommit);
  EXPECT_FALSE(TerminatorStatusFlags(ok_fe, k41 | kClientDeprecateEof | kClientSessionTrack).ok());
  const std::string ok_fe_track = Bytes(
      "\xfe\x00\x00\x22\x00\x00\x00\x01"
      "x");
  EXPECT_EQ(TerminatorStatusFlags(ok_fe_track, kTrack | kClientDeprecateEof).value(), 0x22);
}

TEST(MysqlPacketKind, Classification) {
  EXPECT_TRUE(IsOkPacket(Bytes("\x00\x00\x00")));
  EXPECT_FALSE(IsOkPacket(""));
  EXPECT_TRUE(IsErrPacket(Bytes("\xff")));
  EXPECT_FALSE(IsEofPacket(""));
  EXPECT_FALSE(IsEofPacket(Bytes("\xfe") + std::string(8, 'x')));
}

}  // namespace
}  // namespace switchyard::mysql
