#include "proxy/mysql/packet.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace switchyard::mysql {
namespace {

using testing::Bytes;

constexpr size_t kLimit = 64 << 20;

TEST(MysqlPacket, DecodesOnePacketAndReportsConsumed) {
  const std::string wire = Bytes(
      "\x03\x00\x00\x07"
      "abc"
      "\x01\x00\x00\x08"
      "z");
  auto packet = DecodePacket(wire, kLimit);
  ASSERT_TRUE(packet.ok());
  ASSERT_TRUE(packet->has_value());
  EXPECT_EQ((*packet)->payload, "abc");
  EXPECT_EQ((*packet)->sequence_id, 7);
  EXPECT_EQ((*packet)->next_sequence_id, 8);
  EXPECT_EQ((*packet)->consumed, 7u);
  EXPECT_FALSE((*packet)->is_partial_chunk);
  auto second = DecodePacket(std::string_view(wire).substr(7), kLimit);
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->payload, "z");
}

TEST(MysqlPacket, EveryCutOfAValidPacketNeedsMore) {
  std::string wire;
  AppendPacket("SELECT 1", 0, wire);
  for (size_t cut = 0; cut < wire.size(); ++cut) {
    auto packet = DecodePacket(std::string_view(wire).substr(0, cut), kLimit);
    ASSERT_TRUE(packet.ok()) << cut;
    EXPECT_FALSE(packet->has_value()) << cut;
    std::string scratch;
    auto logical = DecodeLogicalPacket(std::string_view(wire).substr(0, cut), kLimit, scratch);
    ASSERT_TRUE(logical.ok()) << cut;
    EXPECT_FALSE(logical->has_value()) << cut;
  }
}

TEST(MysqlPacket, EmptyPayloadIsAPacket) {
  const std::string wire = Bytes("\x00\x00\x00\x02");
  auto packet = DecodePacket(wire, kLimit);
  ASSERT_TRUE(packet.ok() && packet->has_value());
  EXPECT_TRUE((*packet)->payload.empty());
  EXPECT_EQ((*packet)->consumed, 4u);
}

TEST(MysqlPacket, PayloadOverLimitIsAnErrorFromTheHeaderAlone) {
  const std::string header = Bytes("\x00\x10\x00\x00");  // 4096 bytes announced
  auto packet = DecodePacket(header, 1024);
  ASSERT_FALSE(packet.ok());
  EXPECT_EQ(packet.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(packet.status().message().find("4096"), std::string_view::npos);
}

TEST(MysqlPacket, EncodeDecodeRoundTripKeepsSequence) {
  std::string wire;
  EXPECT_EQ(AppendPacket("hello", 255, wire), 0);
  auto packet = DecodePacket(wire, kLimit);
  ASSERT_TRUE(packet.ok() && packet->has_value());
  EXPECT_EQ((*packet)->payload, "hello");
  EXPECT_EQ((*packet)->sequence_id, 255);
  EXPECT_EQ((*packet)->next_sequence_id, 0);
}

TEST(MysqlPacket, BeginFinishBuildsInPlace) {
  std::string out = "prefix";
  const size_t header = BeginPacket(out);
  out += "payload";
  EXPECT_EQ(FinishPacket(out, header, 3), 4);
  auto packet = DecodePacket(std::string_view(out).substr(6), kLimit);
  ASSERT_TRUE(packet.ok() && packet->has_value());
  EXPECT_EQ((*packet)->payload, "payload");
  EXPECT_EQ((*packet)->sequence_id, 3);
}

// A payload of `size` bytes whose content depends on the offset, so that a
// misplaced chunk boundary shows.
std::string Pattern(size_t size) {
  std::string s(size, '\0');
  for (size_t i = 0; i < size; ++i) s[i] = static_cast<char>(i * 7 + i / 251);
  return s;
}

void ExpectSplitRoundTrip(size_t size, size_t expected_packets) {
  const std::string payload = Pattern(size);
  std::string wire;
  const uint8_t next = AppendPacket(payload, 254, wire);
  EXPECT_EQ(next, static_cast<uint8_t>(254 + expected_packets));
  EXPECT_EQ(wire.size(), size + 4 * expected_packets);
  // Physical view: the first chunk is flagged partial.
  auto first = DecodePacket(wire, kLimit);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->is_partial_chunk, expected_packets > 1);
  // Logical view: one payload, all bytes consumed.
  std::string scratch;
  auto logical = DecodeLogicalPacket(wire, kLimit, scratch);
  ASSERT_TRUE(logical.ok()) << logical.status();
  ASSERT_TRUE(logical->has_value());
  EXPECT_EQ((*logical)->consumed, wire.size());
  EXPECT_EQ((*logical)->sequence_id, 254);
  EXPECT_EQ((*logical)->next_sequence_id, next);
  EXPECT_TRUE((*logical)->payload == payload);
  // Any cut at a chunk boundary (and around it) still needs more.
  for (size_t cut : {size_t{4} + kMaxChunkPayload - 1, size_t{4} + kMaxChunkPayload,
                     size_t{8} + kMaxChunkPayload, wire.size() - 1}) {
    if (cut >= wire.size()) continue;
    auto partial = DecodeLogicalPacket(std::string_view(wire).substr(0, cut), kLimit, scratch);
    ASSERT_TRUE(partial.ok());
    EXPECT_FALSE(partial->has_value()) << cut;
  }
}

TEST(MysqlPacket, JustBelowChunkSizeIsOnePacket) { ExpectSplitRoundTrip(kMaxChunkPayload - 1, 1); }

TEST(MysqlPacket, ExactChunkSizeNeedsEmptyTrailer) { ExpectSplitRoundTrip(kMaxChunkPayload, 2); }

TEST(MysqlPacket, SixteenMebibytesSplitsInTwo) { ExpectSplitRoundTrip(16u << 20, 2); }

TEST(MysqlPacket, ExactMultipleOfChunkSizeEndsWithEmptyTrailer) {
  ExpectSplitRoundTrip(2 * kMaxChunkPayload, 3);
}

TEST(MysqlPacket, LogicalPacketOverLimitFailsBeforeAllChunksArrive) {
  std::string wire;
  AppendPacket(Pattern(kMaxChunkPayload + 10), 0, wire);
  std::string scratch;
  // Only the first chunk and the next header are present.
  auto logical = DecodeLogicalPacket(std::string_view(wire).substr(0, kMaxChunkPayload + 8),
                                     kMaxChunkPayload + 5, scratch);
  ASSERT_FALSE(logical.ok());
  EXPECT_EQ(logical.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(MysqlPacket, ContinuationWithWrongSequenceIsAnError) {
  std::string wire;
  AppendPacket(Pattern(kMaxChunkPayload + 3), 5, wire);
  wire[4 + kMaxChunkPayload + 3] = 9;  // should be 6
  std::string scratch;
  auto logical = DecodeLogicalPacket(wire, kLimit, scratch);
  ASSERT_FALSE(logical.ok());
  EXPECT_NE(logical.status().message().find("sequence"), std::string_view::npos);
}

TEST(MysqlPacket, FinishPacketSplitsLargePayload) {
  std::string out;
  const size_t header = BeginPacket(out);
  out += Pattern(kMaxChunkPayload);
  EXPECT_EQ(FinishPacket(out, header, 0), 2);
  EXPECT_EQ(out.size(), kMaxChunkPayload + 8);
  std::string scratch;
  auto logical = DecodeLogicalPacket(out, kLimit, scratch);
  ASSERT_TRUE(logical.ok() && logical->has_value());
  EXPECT_TRUE((*logical)->payload == Pattern(kMaxChunkPayload));
}

}  // namespace
}  // namespace switchyard::mysql
