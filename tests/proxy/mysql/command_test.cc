#include "proxy/mysql/command.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "test_util.h"

namespace switchyard::mysql {
namespace {

using testing::Bytes;

TEST(MysqlCommandTable, EveryByteHasARowAndKnownRowsMatchTheirCode) {
  std::set<std::string_view> names;
  for (int code = 0; code < 256; ++code) {
    const CommandInfo& info = LookupCommand(static_cast<uint8_t>(code));
    if (info.name == "COM_UNKNOWN") continue;
    EXPECT_EQ(info.code, code) << info.name;
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
  }
  EXPECT_EQ(names.size(), 35u);
  EXPECT_EQ(LookupCommand(0x21).name, "COM_UNKNOWN");
  EXPECT_EQ(LookupCommand(0xFF).name, "COM_UNKNOWN");
  EXPECT_TRUE(LookupCommand(0x99).expects_response);
  EXPECT_EQ(LookupCommand(0x99).shape, ResponseShape::kOkOrErr);
}

TEST(MysqlCommandTable, ResponseExpectations) {
  auto info = [](Command c) { return LookupCommand(static_cast<uint8_t>(c)); };
  EXPECT_FALSE(info(Command::kQuit).expects_response);
  EXPECT_FALSE(info(Command::kStmtClose).expects_response);
  EXPECT_FALSE(info(Command::kStmtSendLongData).expects_response);
  EXPECT_EQ(info(Command::kQuery).shape, ResponseShape::kResultSet);
  EXPECT_EQ(info(Command::kStmtExecute).shape, ResponseShape::kBinaryResultSet);
  EXPECT_EQ(info(Command::kStmtPrepare).shape, ResponseShape::kPrepareOk);
  EXPECT_EQ(info(Command::kStatistics).shape, ResponseShape::kStatistics);
  EXPECT_EQ(info(Command::kFieldList).shape, ResponseShape::kFieldList);
  EXPECT_EQ(info(Command::kStmtFetch).shape, ResponseShape::kFetchRows);
  EXPECT_EQ(info(Command::kChangeUser).shape, ResponseShape::kAuthExchange);
  EXPECT_EQ(info(Command::kBinlogDump).shape, ResponseShape::kUntracked);
  EXPECT_EQ(info(Command::kPing).shape, ResponseShape::kOkOrErr);
  EXPECT_EQ(info(Command::kResetConnection).name, "COM_RESET_CONNECTION");
  EXPECT_EQ(info(Command::kStmtBulkExecute).name, "COM_STMT_BULK_EXECUTE");
  for (Command c : {Command::kStmtExecute, Command::kStmtSendLongData, Command::kStmtClose,
                    Command::kStmtReset, Command::kStmtFetch, Command::kStmtBulkExecute}) {
    EXPECT_TRUE(info(c).carries_statement_id) << info(c).name;
  }
  EXPECT_FALSE(info(Command::kStmtPrepare).carries_statement_id);
}

TEST(MysqlCommand, BodyAndByte) {
  const std::string query = Bytes("\x03SELECT 1");
  EXPECT_EQ(CommandByte(query), 0x03);
  EXPECT_EQ(CommandBody(query), "SELECT 1");
  EXPECT_FALSE(CommandByte("").has_value());
  EXPECT_EQ(CommandBody(""), "");
}

TEST(MysqlPrepareOk, RoundTripAndCuts) {
  const PrepareOk ok{0x01020304, 3, 2, 1};
  std::string wire;
  EncodePrepareOk(ok, wire);
  EXPECT_EQ(wire, Bytes("\x00\x04\x03\x02\x01\x03\x00\x02\x00\x00\x01\x00"));
  auto decoded = DecodePrepareOk(wire);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, ok);
  testing::ExpectEveryPrefixFails(wire, DecodePrepareOk);
  EXPECT_FALSE(DecodePrepareOk(wire + "x").ok());
  EXPECT_FALSE(DecodePrepareOk(Bytes("\xff\x04\x03\x02\x01\x03\x00\x02\x00\x00\x01\x00")).ok());
}

TEST(MysqlStatementId, ReadAndRewriteInPlace) {
  std::string execute = Bytes("\x17\x07\x00\x00\x00\x00\x01\x00\x00\x00");
  EXPECT_EQ(ReadStatementId(execute).value(), 7u);
  ASSERT_TRUE(RewriteStatementId(std::span<char>(execute.data(), execute.size()), 0xA0B0C0D0).ok());
  EXPECT_EQ(execute, Bytes("\x17\xd0\xc0\xb0\xa0\x00\x01\x00\x00\x00"));
  EXPECT_EQ(ReadStatementId(execute).value(), 0xA0B0C0D0u);
  for (char code : {'\x18', '\x19', '\x1a', '\x1c'}) {
    std::string payload = std::string(1, code) + Bytes("\x2a\x00\x00\x00");
    EXPECT_EQ(ReadStatementId(payload).value(), 42u);
  }
  std::string query = Bytes("\x03SELECT");
  EXPECT_FALSE(ReadStatementId(query).ok());
  EXPECT_FALSE(RewriteStatementId(std::span<char>(query.data(), query.size()), 1).ok());
  EXPECT_EQ(query, Bytes("\x03SELECT"));
  testing::ExpectEveryPrefixFails(Bytes("\x19\x01\x00\x00\x00"), ReadStatementId);
}

TEST(MysqlExecuteHeader, DecodesCursorFlag) {
  const std::string wire = Bytes("\x17\x05\x00\x00\x00\x01\x01\x00\x00\x00");
  auto header = DecodeExecuteHeader(wire);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->statement_id, 5u);
  EXPECT_EQ(header->flags, kCursorTypeReadOnly);
  EXPECT_EQ(header->iteration_count, 1u);
  testing::ExpectEveryPrefixFails(wire, DecodeExecuteHeader);
}

constexpr Capabilities kCaps =
    kClientProtocol41 | kClientSecureConnection | kClientPluginAuth | kClientConnectAttrs;

TEST(MysqlChangeUser, DecodesHandBuiltPacket) {
  std::string wire = Bytes(
                         "\x11"
                         "bob\0"
                         "\x14") +
                     std::string(20, 'h') +
                     Bytes(
                         "inventory\0"
                         "\x2d\x00"
                         "mysql_native_password\0") +
                     Bytes(
                         "\x0a\x04_pid\x04"
                         "4242");
  auto cu = DecodeChangeUser(wire, kCaps);
  ASSERT_TRUE(cu.ok()) << cu.status();
  EXPECT_EQ(cu->username, "bob");
  EXPECT_EQ(cu->auth_response, std::string(20, 'h'));
  EXPECT_EQ(cu->database, "inventory");
  EXPECT_EQ(cu->character_set, 45);
  EXPECT_EQ(cu->auth_plugin_name, "mysql_native_password");
  ASSERT_EQ(cu->connect_attributes.size(), 1u);
  EXPECT_EQ(cu->connect_attributes[0].second, "4242");
  testing::ExpectNoPrefixDecodesAsFull(
      wire, [](std::string_view p) { return DecodeChangeUser(p, kCaps); });
  std::string again;
  ASSERT_TRUE(EncodeChangeUser(*cu, kCaps, again).ok());
  EXPECT_EQ(again, wire);
}

TEST(MysqlChangeUser, OldClientsWithoutTailAndNulTerminatedAuth) {
  const std::string wire = Bytes(
      "\x11"
      "bob\0"
      "pw\0"
      "\0");
  auto cu = DecodeChangeUser(wire, kClientProtocol41);
  ASSERT_TRUE(cu.ok()) << cu.status();
  EXPECT_EQ(cu->auth_response, "pw");
  EXPECT_EQ(cu->database, "");
  EXPECT_FALSE(cu->character_set.has_value());
  testing::ExpectEveryPrefixFails(
      wire, [](std::string_view p) { return DecodeChangeUser(p, kClientProtocol41); });
  EXPECT_FALSE(DecodeChangeUser(Bytes("\x03"
                                      "bob\0"),
                                kCaps)
                   .ok());
  EXPECT_FALSE(DecodeChangeUser(wire + "\x2d", kClientProtocol41).ok());
}

}  // namespace
}  // namespace switchyard::mysql
