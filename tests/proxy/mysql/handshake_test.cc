#include "proxy/mysql/handshake.h"

#include <gtest/gtest.h>

#include <string>

#include "proxy/mysql/capabilities.h"
#include "test_util.h"

namespace switchyard::mysql {
namespace {

using testing::Bytes;
using testing::ExpectEveryPrefixFails;

const std::string kScramble = "abcdefgh0123456789AB";  // 20 bytes

// A MariaDB 10.11 greeting written out field by field (not via the encoder).
std::string MariaDbGreeting() {
  std::string g = Bytes("\x0a");
  g += Bytes("5.5.5-10.11.6-MariaDB\0");
  g += Bytes("\x2a\x00\x00\x00");          // connection id 42
  g += "abcdefgh";                         // scramble part 1
  g += Bytes("\x00");                      // filler
  g += Bytes("\xfe\xf7");                  // capabilities low (bit 0 clear: MariaDB)
  g += Bytes("\x2d");                      // utf8mb4_general_ci
  g += Bytes("\x02\x00");                  // AUTOCOMMIT
  g += Bytes("\xff\x81");                  // capabilities high
  g += Bytes("\x15");                      // auth data length 21
  g += Bytes("\x00\x00\x00\x00\x00\x00");  // reserved
  g += Bytes("\x1d\x00\x00\x00");          // MariaDB extended capabilities
  g += Bytes("0123456789AB\0");            // scramble part 2 + NUL
  g += Bytes("mysql_native_password\0");
  return g;
}

TEST(MysqlHandshakeV10, DecodesMariaDbGreeting) {
  auto hs = DecodeHandshakeV10(MariaDbGreeting());
  ASSERT_TRUE(hs.ok()) << hs.status();
  EXPECT_EQ(hs->server_version, "5.5.5-10.11.6-MariaDB");
  EXPECT_EQ(hs->connection_id, 42u);
  EXPECT_EQ(hs->auth_plugin_data, kScramble);
  EXPECT_EQ(hs->character_set, 0x2d);
  EXPECT_EQ(hs->status_flags, kServerStatusAutocommit);
  EXPECT_EQ(hs->capabilities, 0x81FFF7FEull | (0x1Dull << 32));
  EXPECT_NE(hs->capabilities & kMariaDbClientProgress, 0u);
  EXPECT_NE(hs->capabilities & kClientDeprecateEof, 0u);
  EXPECT_EQ(hs->auth_plugin_name, "mysql_native_password");
}

TEST(MysqlHandshakeV10, EveryCutOfGreetingFails) {
  ExpectEveryPrefixFails(MariaDbGreeting(), DecodeHandshakeV10);
}

TEST(MysqlHandshakeV10, TrailingBytesFail) {
  EXPECT_FALSE(DecodeHandshakeV10(MariaDbGreeting() + "x").ok());
}

HandshakeV10 ProxyGreeting() {
  return HandshakeV10{"8.0.36-switchyard",      7,   kScramble,
                      kProxyServerCapabilities, 255, kServerStatusAutocommit,
                      "caching_sha2_password"};
}

TEST(MysqlHandshakeV10, RoundTripsAndEncodesMariaDbExtensionsOnlyWhenBitZeroIsClear) {
  for (Capabilities caps : {kProxyServerCapabilities,
                            (kProxyServerCapabilities & ~kClientMysql) | kMariaDbClientProgress}) {
    HandshakeV10 hs = ProxyGreeting();
    hs.capabilities = caps;
    std::string wire;
    EncodeHandshakeV10(hs, wire);
    auto decoded = DecodeHandshakeV10(wire);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(*decoded, hs);
    ExpectEveryPrefixFails(wire, DecodeHandshakeV10);
  }
}

TEST(MysqlHandshakeV10, MatchesHandBuiltBytes) {
  auto hs = DecodeHandshakeV10(MariaDbGreeting());
  ASSERT_TRUE(hs.ok());
  std::string wire;
  EncodeHandshakeV10(*hs, wire);
  EXPECT_EQ(wire, MariaDbGreeting());
}

TEST(MysqlHandshakeV10, ErrGreetingBecomesUnavailableWithServerMessage) {
  const std::string err = Bytes("\xff\x10\x04Too many connections");
  auto hs = DecodeHandshakeV10(err);
  ASSERT_FALSE(hs.ok());
  EXPECT_EQ(hs.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(hs.status().message().find("1040"), std::string_view::npos);
  EXPECT_NE(hs.status().message().find("Too many connections"), std::string_view::npos);
}

TEST(MysqlHandshakeV10, OtherProtocolVersionIsUnimplemented) {
  auto hs =
      DecodeHandshakeV10(Bytes("\x09"
                               "4.0\0"));
  ASSERT_FALSE(hs.ok());
  EXPECT_EQ(hs.status().code(), absl::StatusCode::kUnimplemented);
}

// A client response (libmysqlclient layout) written out by hand.
std::string ClientResponse() {
  std::string r = Bytes("\x0d\xa6\x9f\x01");  // capabilities 0x019FA60D (no LENENC bit)
  r += Bytes("\x00\x00\x00\x01");             // max packet 16 MiB
  r += Bytes("\x21");                         // utf8_general_ci
  r += std::string(23, '\0');
  r += Bytes("app\0");
  r += Bytes("\x14") + std::string(20, '\x5a');  // 1-byte length auth response
  r += Bytes("shop\0");
  r += Bytes("mysql_native_password\0");
  r += Bytes("\x16\x0c_client_name\x08libmysql");  // attrs: 22 bytes
  return r;
}

TEST(MysqlHandshakeResponse41, DecodesHandBuiltResponse) {
  auto r = DecodeHandshakeResponse41(ClientResponse());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->capabilities, 0x019FA60Du);
  EXPECT_EQ(r->max_packet_size, 1u << 24);
  EXPECT_EQ(r->character_set, 0x21);
  EXPECT_EQ(r->username, "app");
  EXPECT_EQ(r->auth_response, std::string(20, '\x5a'));
  EXPECT_EQ(r->database, "shop");
  EXPECT_EQ(r->auth_plugin_name, "mysql_native_password");
  ASSERT_EQ(r->connect_attributes.size(), 1u);
  EXPECT_EQ(r->connect_attributes[0].first, "_client_name");
  EXPECT_EQ(r->connect_attributes[0].second, "libmysql");
  ExpectEveryPrefixFails(ClientResponse(), DecodeHandshakeResponse41);
}

HandshakeResponse41 SampleResponse(Capabilities caps) {
  HandshakeResponse41 r;
  r.capabilities = caps;
  r.max_packet_size = 1 << 30;
  r.character_set = 45;
  r.username = "reporting";
  r.auth_response = std::string("\x01\x02\x00\x03", 4) + std::string(28, 'k');
  r.database = (caps & kClientConnectWithDb) ? "analytics" : "";
  r.auth_plugin_name = (caps & kClientPluginAuth) ? "caching_sha2_password" : "";
  if (caps & kClientConnectAttrs) r.connect_attributes = {{"_os", "Linux"}, {"program", ""}};
  return r;
}

TEST(MysqlHandshakeResponse41, RoundTripsInEveryAuthEncoding) {
  const Capabilities base =
      kClientProtocol41 | kClientConnectWithDb | kClientPluginAuth | kClientConnectAttrs;
  for (Capabilities caps :
       {base | kClientSecureConnection | kClientPluginAuthLenencClientData,
        base | kClientSecureConnection, base, kClientProtocol41 | kClientSecureConnection,
        base | kClientSecureConnection | (kMariaDbClientProgress << 1)}) {
    HandshakeResponse41 r = SampleResponse(caps);
    if ((caps & kClientSecureConnection) == 0) r.auth_response = "cleartext";  // no NUL allowed
    std::string wire;
    ASSERT_TRUE(EncodeHandshakeResponse41(r, wire).ok());
    auto decoded = DecodeHandshakeResponse41(wire);
    ASSERT_TRUE(decoded.ok()) << decoded.status() << " caps=" << CapabilitiesToString(caps);
    EXPECT_EQ(*decoded, r);
    ExpectEveryPrefixFails(wire, DecodeHandshakeResponse41);
  }
}

TEST(MysqlHandshakeResponse41, LongAuthResponseNeedsLenenc) {
  HandshakeResponse41 r = SampleResponse(kClientProtocol41 | kClientSecureConnection);
  r.auth_response = std::string(256, 'x');
  std::string wire = "keep";
  EXPECT_FALSE(EncodeHandshakeResponse41(r, wire).ok());
  EXPECT_EQ(wire, "keep");
  r.capabilities |= kClientPluginAuthLenencClientData;
  EXPECT_TRUE(EncodeHandshakeResponse41(r, wire).ok());
}

TEST(MysqlHandshakeResponse41, Pre41ResponseIsRefused) {
  std::string r = Bytes("\x05\x00\x00\x00") + std::string(28, '\0');
  auto decoded = DecodeHandshakeResponse41(r);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kUnimplemented);
}

TEST(MysqlHandshakeResponse41, TrailingBytesAreMalformed) {
  EXPECT_FALSE(DecodeHandshakeResponse41(ClientResponse() + "!").ok());
}

TEST(MysqlSslRequest, IsRecognizedAndNotMistakenForAResponse) {
  std::string ssl;
  EncodeSslRequest(kClientProtocol41 | kClientSecureConnection, 1 << 24, 45, ssl);
  EXPECT_EQ(ssl.size(), kSslRequestSize);
  EXPECT_TRUE(IsSslRequest(ssl));
  auto decoded = DecodeHandshakeResponse41(ssl);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(IsSslRequest(ClientResponse()));
  EXPECT_FALSE(IsSslRequest(std::string_view(ssl).substr(0, 31)));
  std::string no_ssl_flag = ssl;
  no_ssl_flag[1] = 0;  // clears bit 11
  EXPECT_FALSE(IsSslRequest(no_ssl_flag));
}

TEST(MysqlAuthSwitchRequest, RoundTripsAndRejectsCuts) {
  AuthSwitchRequest request{"mysql_native_password", kScramble + std::string(1, '\0')};
  std::string wire;
  EncodeAuthSwitchRequest(request, wire);
  EXPECT_EQ(wire, Bytes("\xfemysql_native_password\0") + kScramble + std::string(1, '\0'));
  auto decoded = DecodeAuthSwitchRequest(wire);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, request);
  // Cuts inside the plugin name fail; cuts in the data give different data.
  testing::ExpectNoPrefixDecodesAsFull(wire, DecodeAuthSwitchRequest);
  EXPECT_FALSE(DecodeAuthSwitchRequest(Bytes("\xfemysql_nat")).ok());
}

TEST(MysqlAuthSwitchRequest, OldPasswordSwitchIsUnimplemented) {
  auto decoded = DecodeAuthSwitchRequest(Bytes("\xfe"));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kUnimplemented);
}

TEST(MysqlAuthMoreData, RoundTrips) {
  std::string wire;
  EncodeAuthMoreData(Bytes("\x04"), wire);
  EXPECT_EQ(wire, Bytes("\x01\x04"));
  auto data = DecodeAuthMoreData(wire);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*data, Bytes("\x04"));
  EXPECT_FALSE(DecodeAuthMoreData("").ok());
  EXPECT_FALSE(DecodeAuthMoreData(Bytes("\x00\x04")).ok());
}

TEST(MysqlAuthReply, ClassifiesByHeaderWithUnknownRow) {
  EXPECT_EQ(ClassifyAuthReply(Bytes("\x00\x00\x00\x02\x00\x00\x00")), AuthReplyKind::kOk);
  EXPECT_EQ(ClassifyAuthReply(Bytes("\xff\x15\x04")), AuthReplyKind::kErr);
  EXPECT_EQ(ClassifyAuthReply(Bytes("\xfe"
                                    "x\0")),
            AuthReplyKind::kAuthSwitch);
  EXPECT_EQ(ClassifyAuthReply(Bytes("\x01\x03")), AuthReplyKind::kMoreData);
  EXPECT_EQ(ClassifyAuthReply(Bytes("\x02")), AuthReplyKind::kUnknown);
  EXPECT_EQ(ClassifyAuthReply(""), AuthReplyKind::kUnknown);
}

TEST(MysqlConnectAttributes, MalformedBlocksFail) {
  EXPECT_FALSE(DecodeConnectAttributes(Bytes("\x05\x03"
                                             "abc"))
                   .ok());  // value missing
  EXPECT_FALSE(DecodeConnectAttributes(Bytes("\x02\x01"
                                             "a"
                                             "x"))
                   .ok());  // trailing
  EXPECT_FALSE(DecodeConnectAttributes(Bytes("\x09\x01"
                                             "a"))
                   .ok());  // short block
  auto empty = DecodeConnectAttributes(Bytes("\x00"));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

}  // namespace
}  // namespace switchyard::mysql
