#include "proxy/pg/frame.h"

#include <gtest/gtest.h>

#include <string>

#include "proxy/pg/backend_messages.h"
#include "proxy/pg/frontend_messages.h"
#include "proxy/pg/startup.h"

namespace switchyard::pg {
namespace {

std::string SampleStream() {
  std::string out;
  AppendQuery(out, "SELECT 1");
  AppendParse(out, "s1", "SELECT $1", {});
  AppendBind(out, "", "s1", std::string("\0\0\0\1\0\0\0\1" "7\0\0", 11));
  AppendSync(out);
  return out;
}

TEST(DecodeFrame, EveryPrefixOfAValidStreamIsNeedMoreOrWholeFrames) {
  const std::string stream = SampleStream();
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    std::string_view buf(stream.data(), cut);
    size_t frames = 0;
    while (true) {
      FrameResult r = DecodeFrame(buf, 1 << 20);
      ASSERT_NE(r.status, DecodeStatus::kError) << "cut at " << cut;
      if (r.status == DecodeStatus::kNeedMore) break;
      ASSERT_LE(r.consumed, buf.size());
      buf.remove_prefix(r.consumed);
      ++frames;
    }
    if (cut == stream.size()) {
      EXPECT_EQ(frames, 4u);
      EXPECT_TRUE(buf.empty());
    } else {
      EXPECT_LT(frames, 4u);
    }
  }
}

TEST(DecodeFrame, ReturnsTypeAndBody) {
  std::string out;
  AppendQuery(out, "SELECT 1");
  FrameResult r = DecodeFrame(out, 1024);
  ASSERT_EQ(r.status, DecodeStatus::kFrame);
  EXPECT_EQ(r.frame.type, 'Q');
  EXPECT_EQ(r.frame.body, std::string_view("SELECT 1\0", 9));
  EXPECT_EQ(r.consumed, out.size());
}

TEST(DecodeFrame, LengthBelowFourIsAnError) {
  std::string bad("Q\0\0\0\3", 5);
  FrameResult r = DecodeFrame(bad, 1024);
  EXPECT_EQ(r.status, DecodeStatus::kError);
  EXPECT_NE(r.error.find("invalid message length"), std::string::npos);
}

TEST(DecodeFrame, BodyAboveLimitIsAnErrorBeforeTheBodyArrives) {
  std::string header("Q\0\x10\0\0", 5);  // 1 MiB
  FrameResult r = DecodeFrame(header, 1000);
  EXPECT_EQ(r.status, DecodeStatus::kError);
  EXPECT_NE(r.error.find("above the limit of 1000 bytes"), std::string::npos);
}

TEST(DecodeHeader, ReportsBodyLengthWithoutNeedingTheBody) {
  std::string header("D\0\0\x01\x04", 5);
  HeaderResult h = DecodeHeader(header, 1 << 20);
  ASSERT_EQ(h.status, DecodeStatus::kFrame);
  EXPECT_EQ(h.type, 'D');
  EXPECT_EQ(h.body_length, 256u);
}

TEST(DecodeStartupFrame, EveryPrefixIsNeedMoreAndTheWholeIsOneFrame) {
  StartupMessage m;
  m.parameters = {{"user", "app"}, {"database", "app"}};
  const std::string packet = EncodeStartupMessage(m);
  for (size_t cut = 0; cut < packet.size(); ++cut) {
    EXPECT_EQ(DecodeStartupFrame(std::string_view(packet.data(), cut), 10000).status,
              DecodeStatus::kNeedMore)
        << cut;
  }
  FrameResult r = DecodeStartupFrame(packet, 10000);
  ASSERT_EQ(r.status, DecodeStatus::kFrame);
  EXPECT_EQ(r.consumed, packet.size());
}

TEST(DecodeStartupFrame, OversizedOrTinyLengthIsAnError) {
  EXPECT_EQ(DecodeStartupFrame(std::string("\0\0\x30\x00", 4), 10000).status,
            DecodeStatus::kError);
  EXPECT_EQ(DecodeStartupFrame(std::string("\0\0\0\x04", 4), 10000).status,
            DecodeStatus::kError);
  // "GET " from an HTTP client: a huge length.
  EXPECT_EQ(DecodeStartupFrame("GET / HTTP/1.1\r\n", 10000).status, DecodeStatus::kError);
}

}  // namespace
}  // namespace switchyard::pg
