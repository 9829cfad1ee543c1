#include "proxy/pg/startup.h"

#include <gtest/gtest.h>

#include "proxy/pg/frame.h"

namespace switchyard::pg {
namespace {

std::string_view Body(const std::string& packet) {
  return std::string_view(packet).substr(4);
}

TEST(ParseStartupPacket, StartupMessageRoundTripsWithParametersInOrder) {
  StartupMessage m;
  m.parameters = {{"user", "app"}, {"database", "db"}, {"application_name", "psql"}};
  const std::string packet = EncodeStartupMessage(m);
  auto p = ParseStartupPacket(Body(packet));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->kind, StartupPacket::Kind::kStartup);
  EXPECT_EQ(p->startup.parameters, m.parameters);
  EXPECT_EQ(*p->startup.Find("database"), "db");
}

TEST(ParseStartupPacket, RecognizesSslGssAndCancelRequests) {
  std::string ssl("\0\0\0\x08\x04\xd2\x16\x2f", 8);
  EXPECT_EQ(ParseStartupPacket(Body(ssl))->kind, StartupPacket::Kind::kSslRequest);
  std::string gss("\0\0\0\x08\x04\xd2\x16\x30", 8);
  EXPECT_EQ(ParseStartupPacket(Body(gss))->kind, StartupPacket::Kind::kGssEncRequest);
  const std::string cancel = EncodeCancelRequest({1234, -5});
  auto p = ParseStartupPacket(Body(cancel));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->kind, StartupPacket::Kind::kCancel);
  EXPECT_EQ(p->cancel.process_id, 1234);
  EXPECT_EQ(p->cancel.secret_key, -5);
}

TEST(ParseStartupPacket, MissingUserIsRejectedWithAReadableMessage) {
  StartupMessage m;
  m.parameters = {{"database", "db"}};
  auto p = ParseStartupPacket(Body(EncodeStartupMessage(m)));
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("no PostgreSQL user name"), std::string::npos);
}

TEST(ParseStartupPacket, ProtocolVersion2IsRejected) {
  StartupMessage m;
  m.protocol_version = 2 << 16;
  m.parameters = {{"user", "x"}};
  auto p = ParseStartupPacket(Body(EncodeStartupMessage(m)));
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("unsupported frontend protocol 2.0"), std::string::npos);
}

TEST(ParseStartupPacket, EveryTruncationOfAValidBodyIsRejected) {
  StartupMessage m;
  m.parameters = {{"user", "app"}, {"database", "db"}};
  const std::string packet = EncodeStartupMessage(m);
  const std::string_view body = Body(packet);
  for (size_t cut = 0; cut < body.size(); ++cut) {
    EXPECT_FALSE(ParseStartupPacket(body.substr(0, cut)).ok()) << cut;
  }
}

TEST(ParseStartupPacket, DuplicateParameterIsRejected) {
  StartupMessage m;
  m.parameters = {{"user", "a"}, {"user", "b"}};
  EXPECT_FALSE(ParseStartupPacket(Body(EncodeStartupMessage(m))).ok());
}

TEST(ParseStartupPacket, MalformedCancelRequestIsRejected) {
  std::string cancel = EncodeCancelRequest({1, 2});
  cancel.pop_back();
  EXPECT_FALSE(ParseStartupPacket(Body(cancel)).ok());
}

}  // namespace
}  // namespace switchyard::pg
