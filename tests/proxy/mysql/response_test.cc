#include "proxy/mysql/response.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/byte_writer.h"
#include "proxy/mysql/ok_err.h"
#include "proxy/mysql/packet.h"
#include "test_util.h"

namespace switchyard::mysql {
namespace {

using testing::Bytes;

constexpr Capabilities kClassic =
    kClientProtocol41 | kClientTransactions | kClientMultiResults | kClientMultiStatements;
constexpr Capabilities kModern = kClassic | kClientDeprecateEof | kClientSessionTrack;

// Packet builders (server side).
std::string ColumnCount(uint64_t n) {
  std::string out;
  common::ByteWriter(out).LenEncInt(n);
  return out;
}

std::string ColumnDef(std::string_view name) {
  std::string out;
  common::ByteWriter w(out);
  for (std::string_view s : {std::string_view("def"), std::string_view("shop"),
                             std::string_view("t"), std::string_view("t"), name, name}) {
    w.LenEncString(s);
  }
  w.Bytes(Bytes("\x0c\x2d\x00\x0b\x00\x00\x00\x03\x00\x00\x00\x00"));
  return out;
}

std::string Eof(StatusFlags flags) {
  std::string out;
  EncodeEof({0, flags}, out);
  return out;
}

std::string Ok(StatusFlags flags, Capabilities caps, uint64_t affected = 0, uint64_t last_id = 0,
               uint8_t header = kOkHeader) {
  OkPacket ok;
  ok.header = header;
  ok.affected_rows = affected;
  ok.last_insert_id = last_id;
  ok.status_flags = flags;
  std::string out;
  EncodeOk(ok, caps, out);
  return out;
}

// The terminator of a result set under `caps`.
std::string End(StatusFlags flags, Capabilities caps) {
  if ((caps & kClientDeprecateEof) == 0) return Eof(flags);
  return Ok(flags, caps, 0, 0, kEofHeader);
}

std::string TextRow(std::string_view a, std::string_view b) {
  std::string out;
  common::ByteWriter(out).LenEncString(a);
  common::ByteWriter(out).LenEncString(b);
  return out;
}

std::string Err(uint16_t code, std::string_view message) {
  std::string out;
  EncodeErr({code, "HY000", message}, out);
  return out;
}

// A SELECT of two columns and `rows` rows.
std::vector<std::string> Select(Capabilities caps, int rows, StatusFlags end_flags) {
  std::vector<std::string> packets = {ColumnCount(2), ColumnDef("id"), ColumnDef("name")};
  if ((caps & kClientDeprecateEof) == 0) packets.push_back(Eof(kServerStatusAutocommit));
  for (int i = 0; i < rows; ++i) packets.push_back(TextRow(std::to_string(i), "x"));
  packets.push_back(End(end_flags, caps));
  return packets;
}

// Feeds `packets`; every packet but the last must say kMore, the last
// kComplete, and the tracker must not report completion early.
ResponseSummary ExpectCompletesAtLastPacket(ResponseShape shape, Capabilities caps,
                                            const std::vector<std::string>& packets) {
  ResponseTracker tracker(shape, caps);
  for (size_t i = 0; i < packets.size(); ++i) {
    EXPECT_FALSE(tracker.complete()) << "complete before packet " << i;
    auto event = tracker.OnPacket(packets[i]);
    EXPECT_TRUE(event.ok()) << "packet " << i << ": " << event.status();
    if (!event.ok()) return tracker.summary();
    const bool last = i + 1 == packets.size();
    EXPECT_EQ(*event, last ? ResponseEvent::kComplete : ResponseEvent::kMore) << "packet " << i;
  }
  EXPECT_TRUE(tracker.complete());
  return tracker.summary();
}

TEST(MysqlResponse, TextResultSetWithEofs) {
  auto summary = ExpectCompletesAtLastPacket(
      ResponseShape::kResultSet, kClassic,
      Select(kClassic, 3, kServerStatusAutocommit | kServerStatusInTrans));
  EXPECT_EQ(summary.rows, 3u);
  EXPECT_EQ(summary.result_sets, 1u);
  EXPECT_EQ(summary.status_flags, kServerStatusAutocommit | kServerStatusInTrans);
  EXPECT_FALSE(summary.is_error);
}

TEST(MysqlResponse, TextResultSetWithDeprecateEof) {
  auto summary = ExpectCompletesAtLastPacket(ResponseShape::kResultSet, kModern,
                                             Select(kModern, 2, kServerStatusAutocommit));
  EXPECT_EQ(summary.rows, 2u);
  EXPECT_EQ(summary.status_flags, kServerStatusAutocommit);
}

TEST(MysqlResponse, EmptyResultSet) {
  for (Capabilities caps : {kClassic, kModern}) {
    auto summary = ExpectCompletesAtLastPacket(ResponseShape::kResultSet, caps,
                                               Select(caps, 0, kServerStatusAutocommit));
    EXPECT_EQ(summary.rows, 0u);
  }
}

TEST(MysqlResponse, OkWithGtidAndInsertId) {
  OkPacket ok;
  ok.affected_rows = 1;
  ok.last_insert_id = 99;
  ok.status_flags = kServerStatusAutocommit | kServerSessionStateChanged;
  const std::string gtid = "3E11FA47-71CA-11E1-9E33-C80AA9429562:23";
  ok.session_state = {{3, "", gtid}};
  std::string wire;
  EncodeOk(ok, kModern, wire);
  auto summary = ExpectCompletesAtLastPacket(ResponseShape::kResultSet, kModern, {wire});
  EXPECT_EQ(summary.affected_rows, 1u);
  EXPECT_EQ(summary.last_insert_id, 99u);
  EXPECT_EQ(summary.gtid, gtid);
  EXPECT_EQ(summary.result_sets, 0u);
}

TEST(MysqlResponse, MultiStatementChainKeepsGoingUntilNoMoreResults) {
  for (Capabilities caps : {kClassic, kModern}) {
    constexpr StatusFlags kMore = kServerStatusAutocommit | kServerMoreResultsExist;
    std::vector<std::string> packets = {Ok(kMore | kServerStatusInTrans, caps, 1)};  // INSERT
    for (const std::string& p : Select(caps, 2, kMore | kServerStatusInTrans)) packets.push_back(p);
    for (const std::string& p : Select(caps, 1, kMore | kServerStatusInTrans)) packets.push_back(p);
    packets.push_back(Ok(kServerStatusAutocommit, caps, 5, 7));  // COMMIT / CALL's final OK
    auto summary = ExpectCompletesAtLastPacket(ResponseShape::kResultSet, caps, packets);
    EXPECT_EQ(summary.result_sets, 2u);
    EXPECT_EQ(summary.rows, 3u);
    EXPECT_EQ(summary.affected_rows, 5u);
    EXPECT_EQ(summary.last_insert_id, 7u);
    EXPECT_EQ(summary.status_flags, kServerStatusAutocommit);
  }
}

TEST(MysqlResponse, ErrorMidStreamEndsTheResponse) {
  for (Capabilities caps : {kClassic, kModern}) {
    std::vector<std::string> packets = Select(caps, 2, 0);
    packets.back() = Err(1317, "Query execution was interrupted");
    auto summary = ExpectCompletesAtLastPacket(ResponseShape::kResultSet, caps, packets);
    EXPECT_TRUE(summary.is_error);
    EXPECT_EQ(summary.error_code, 1317);
    EXPECT_EQ(summary.error_message, "Query execution was interrupted");
    EXPECT_EQ(summary.rows, 2u);
  }
}

TEST(MysqlResponse, ErrorInSecondStatementOfChain) {
  const std::vector<std::string> packets = {
      Ok(kServerStatusAutocommit | kServerMoreResultsExist, kModern, 1),
      Err(1064, "You have an error in your SQL syntax")};
  auto summary = ExpectCompletesAtLastPacket(ResponseShape::kResultSet, kModern, packets);
  EXPECT_TRUE(summary.is_error);
  EXPECT_EQ(summary.affected_rows, 1u);
}

std::string BinaryRow() { return Bytes("\x00\x00\x01\x00\x00\x00"); }

TEST(MysqlResponse, BinaryResultSetFromExecute) {
  for (Capabilities caps : {kClassic, kModern}) {
    std::vector<std::string> packets = {ColumnCount(1), ColumnDef("id")};
    if ((caps & kClientDeprecateEof) == 0) packets.push_back(Eof(kServerStatusAutocommit));
    packets.push_back(BinaryRow());
    packets.push_back(BinaryRow());
    packets.push_back(End(kServerStatusAutocommit, caps));
    auto summary = ExpectCompletesAtLastPacket(ResponseShape::kBinaryResultSet, caps, packets);
    EXPECT_EQ(summary.rows, 2u);
  }
}

TEST(MysqlResponse, ExecuteOpeningACursorEndsAfterMetadata) {
  const StatusFlags cursor = kServerStatusAutocommit | kServerStatusCursorExists;
  auto classic = ExpectCompletesAtLastPacket(ResponseShape::kBinaryResultSet, kClassic,
                                             {ColumnCount(1), ColumnDef("id"), Eof(cursor)});
  EXPECT_EQ(classic.status_flags, cursor);
  auto modern =
      ExpectCompletesAtLastPacket(ResponseShape::kBinaryResultSet, kModern,
                                  {ColumnCount(1), ColumnDef("id"), End(cursor, kModern)});
  EXPECT_EQ(modern.status_flags, cursor);
  // Then COM_STMT_FETCH returns rows up to EOF.
  auto fetch = ExpectCompletesAtLastPacket(
      ResponseShape::kFetchRows, kClassic,
      {BinaryRow(), BinaryRow(), Eof(kServerStatusAutocommit | kServerStatusLastRowSent)});
  EXPECT_EQ(fetch.rows, 2u);
  EXPECT_EQ(fetch.status_flags, kServerStatusAutocommit | kServerStatusLastRowSent);
}

TEST(MysqlResponse, BinaryRowWithWrongHeaderIsAProtocolError) {
  ResponseTracker tracker(ResponseShape::kBinaryResultSet, kModern);
  ASSERT_TRUE(tracker.OnPacket(ColumnCount(1)).ok());
  ASSERT_TRUE(tracker.OnPacket(ColumnDef("id")).ok());
  EXPECT_FALSE(tracker.OnPacket(TextRow("1", "2")).ok());
  EXPECT_EQ(tracker.phase(), ResponsePhase::kFailed);
  EXPECT_FALSE(tracker.OnPacket(End(0, kModern)).ok());
}

TEST(MysqlResponse, MissingEofAfterColumnsIsAProtocolError) {
  ResponseTracker tracker(ResponseShape::kResultSet, kClassic);
  ASSERT_TRUE(tracker.OnPacket(ColumnCount(1)).ok());
  ASSERT_TRUE(tracker.OnPacket(ColumnDef("id")).ok());
  auto event = tracker.OnPacket(TextRow("1", "2"));
  ASSERT_FALSE(event.ok());
  EXPECT_NE(event.status().message().find("EOF"), std::string_view::npos);
}

PrepareOk Prepared(uint16_t columns, uint16_t params) { return PrepareOk{12, columns, params, 0}; }

std::vector<std::string> PrepareResponse(Capabilities caps, uint16_t columns, uint16_t params) {
  std::vector<std::string> packets(1);
  EncodePrepareOk(Prepared(columns, params), packets[0]);
  const bool eofs = (caps & kClientDeprecateEof) == 0;
  for (int i = 0; i < params; ++i) packets.push_back(ColumnDef("?"));
  if (eofs && params > 0) packets.push_back(Eof(kServerStatusAutocommit));
  for (int i = 0; i < columns; ++i) packets.push_back(ColumnDef("c"));
  if (eofs && columns > 0) packets.push_back(Eof(kServerStatusAutocommit));
  return packets;
}

TEST(MysqlResponse, PrepareOkWithAndWithoutEofs) {
  for (Capabilities caps : {kClassic, kModern}) {
    for (auto [columns, params] : {std::pair{2, 3}, {0, 2}, {3, 0}, {0, 0}}) {
      auto summary = ExpectCompletesAtLastPacket(ResponseShape::kPrepareOk, caps,
                                                 PrepareResponse(caps, columns, params));
      ASSERT_TRUE(summary.prepare_ok.has_value());
      EXPECT_EQ(*summary.prepare_ok, Prepared(columns, params));
    }
  }
  auto err = ExpectCompletesAtLastPacket(ResponseShape::kPrepareOk, kModern,
                                         {Err(1146, "Table 'shop.nope' doesn't exist")});
  EXPECT_TRUE(err.is_error);
}

TEST(MysqlResponse, FieldListEndsWithEofOrOk) {
  ExpectCompletesAtLastPacket(ResponseShape::kFieldList, kClassic,
                              {ColumnDef("a"), ColumnDef("b"), Eof(kServerStatusAutocommit)});
  ExpectCompletesAtLastPacket(ResponseShape::kFieldList, kModern,
                              {ColumnDef("a"), End(kServerStatusAutocommit, kModern)});
  auto err =
      ExpectCompletesAtLastPacket(ResponseShape::kFieldList, kModern, {Err(1146, "no table")});
  EXPECT_TRUE(err.is_error);
}

TEST(MysqlResponse, LocalInfileIsReportedThenFinalOkCompletes) {
  ResponseTracker tracker(ResponseShape::kResultSet, kModern);
  auto event = tracker.OnPacket(Bytes("\xfb/etc/passwd"));
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(*event, ResponseEvent::kLocalInfileRequest);
  EXPECT_TRUE(tracker.summary().local_infile_requested);
  EXPECT_FALSE(tracker.complete());
  // The proxy sends an empty packet; the server answers ERR (or OK).
  event = tracker.OnPacket(Err(1148, "The used command is not allowed"));
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(*event, ResponseEvent::kComplete);
  EXPECT_TRUE(tracker.summary().is_error);
  // Execute responses never ask for a file.
  ResponseTracker binary(ResponseShape::kBinaryResultSet, kModern);
  EXPECT_FALSE(binary
                   .OnPacket(Bytes("\xfb"
                                   "file"))
                   .ok());
}

TEST(MysqlResponse, StatisticsSimpleRepliesAndNoReply) {
  ExpectCompletesAtLastPacket(ResponseShape::kStatistics, kModern,
                              {"Uptime: 5  Threads: 1  Questions: 3"});
  ExpectCompletesAtLastPacket(ResponseShape::kOkOrErr, kModern, {Ok(2, kModern)});
  ExpectCompletesAtLastPacket(ResponseShape::kOkOrErr, kClassic, {Eof(2)});  // SET_OPTION
  ExpectCompletesAtLastPacket(ResponseShape::kOkOrErr, kModern, {Err(1047, "Unknown command")});
  ResponseTracker none(ResponseShape::kNone, kModern);
  EXPECT_TRUE(none.complete());
  EXPECT_FALSE(none.OnPacket(Ok(2, kModern)).ok());
  ResponseTracker dump(ResponseShape::kUntracked, kModern);
  EXPECT_EQ(dump.OnPacket(Ok(2, kModern)).status().code(), absl::StatusCode::kUnimplemented);
  ResponseTracker ping(ResponseShape::kOkOrErr, kModern);
  EXPECT_FALSE(ping.OnPacket(ColumnCount(1)).ok());
}

TEST(MysqlResponse, ChangeUserAuthenticationRounds) {
  ResponseTracker tracker(ResponseShape::kAuthExchange, kModern);
  AuthSwitchRequest request{"caching_sha2_password", "01234567890123456789"};
  std::string switch_packet;
  EncodeAuthSwitchRequest(request, switch_packet);
  EXPECT_EQ(tracker.OnPacket(switch_packet).value(), ResponseEvent::kNeedsClientReply);
  EXPECT_EQ(tracker.OnPacket(Bytes("\x01\x04")).value(), ResponseEvent::kNeedsClientReply);
  EXPECT_EQ(tracker.OnPacket(Bytes("\x01-----BEGIN PUBLIC KEY-----")).value(),
            ResponseEvent::kNeedsClientReply);
  EXPECT_EQ(tracker.OnPacket(Ok(2, kModern)).value(), ResponseEvent::kComplete);
  ExpectCompletesAtLastPacket(ResponseShape::kAuthExchange, kModern,
                              {Bytes("\x01\x03"), Ok(2, kModern)});
  auto denied = ExpectCompletesAtLastPacket(ResponseShape::kAuthExchange, kModern,
                                            {Err(1045, "Access denied")});
  EXPECT_EQ(denied.error_code, 1045);
}

TEST(MysqlResponse, MariaDbProgressReportsAreNotTheEnd) {
  const std::string progress = Bytes("\xff\xff\xff\x01\x01\x02\x10\x27\x00\x05stage");
  ExpectCompletesAtLastPacket(ResponseShape::kResultSet, kModern | kMariaDbClientProgress,
                              {progress, Ok(2, kModern)});
}

TEST(MysqlResponse, RowsSplitAt16MiBCountOnceAndNeverTerminate) {
  // A text row whose first field is a 16 MiB string: it starts with 0xFE.
  std::string row;
  common::ByteWriter(row).LenEncString(std::string(16u << 20, 'r'));
  std::string wire;
  AppendPacket(row, 0, wire);
  std::vector<std::string> packets = {ColumnCount(1), ColumnDef("blob")};
  size_t offset = 0;
  while (offset < wire.size()) {
    auto packet = DecodePacket(std::string_view(wire).substr(offset), 64 << 20);
    ASSERT_TRUE(packet.ok() && packet->has_value());
    packets.emplace_back((*packet)->payload);
    offset += (*packet)->consumed;
  }
  ASSERT_EQ(packets.size(), 4u);
  EXPECT_EQ(static_cast<uint8_t>(packets[2][0]), 0xFE);
  packets.push_back(End(kServerStatusAutocommit, kModern));
  auto summary = ExpectCompletesAtLastPacket(ResponseShape::kResultSet, kModern, packets);
  EXPECT_EQ(summary.rows, 1u);
}

TEST(MysqlResponse, ShortRowStartingWithFeIsARowWithoutDeprecateEof) {
  // 9+ bytes starting 0xFE cannot be an EOF.
  std::string row = Bytes("\xfe\x09\x00\x00\x00\x00\x00\x00\x00") + std::string(9, 'x');
  auto summary = ExpectCompletesAtLastPacket(ResponseShape::kResultSet, kClassic,
                                             {ColumnCount(1), ColumnDef("c"), Eof(2), row, Eof(2)});
  EXPECT_EQ(summary.rows, 1u);
}

TEST(MysqlResponse, TruncatedStatusPacketsAreErrorsNotCompletion) {
  const std::string ok = Ok(kServerStatusAutocommit, kModern, 1, 2);
  for (size_t cut = 1; cut < 5; ++cut) {
    ResponseTracker tracker(ResponseShape::kOkOrErr, kModern);
    auto event = tracker.OnPacket(std::string_view(ok).substr(0, cut));
    EXPECT_FALSE(event.ok()) << cut;
    EXPECT_FALSE(tracker.complete());
  }
  const std::string eof = Eof(2);
  for (size_t cut = 1; cut < eof.size(); ++cut) {
    ResponseTracker tracker(ResponseShape::kFetchRows, kClassic);
    EXPECT_FALSE(tracker.OnPacket(std::string_view(eof).substr(0, cut)).ok()) << cut;
  }
}

}  // namespace
}  // namespace switchyard::mysql
