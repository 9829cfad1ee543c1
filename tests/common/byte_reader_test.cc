#include "common/byte_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "common/byte_writer.h"

namespace switchyard::common {
namespace {

TEST(ByteReader, BigEndianIntegersRoundTripThroughWriter) {
  std::string buf;
  ByteWriter w(buf);
  w.U16Be(0xBEEF);
  w.U32Be(0xDEADBEEF);
  w.I32Be(-2);
  ByteReader r(buf);
  EXPECT_EQ(r.U16Be(), 0xBEEF);
  EXPECT_EQ(r.U32Be(), 0xDEADBEEFu);
  EXPECT_EQ(r.I32Be(), -2);
  EXPECT_TRUE(r.empty());
}

TEST(ByteReader, ReadPastEndFailsAndLeavesPositionUnchanged) {
  std::string buf("\x01\x02\x03", 3);
  ByteReader r(buf);
  EXPECT_FALSE(r.U32Be().has_value());
  EXPECT_EQ(r.position(), 0u);
  EXPECT_EQ(r.U16Le(), 0x0201);
  EXPECT_FALSE(r.Bytes(2).has_value());
  EXPECT_EQ(r.remaining(), 1u);
}

TEST(ByteReader, CStringWithoutTerminatorFails) {
  ByteReader r(std::string_view("abc"));
  EXPECT_FALSE(r.CString().has_value());
  std::string ok("abc\0def", 7);
  ByteReader r2(ok);
  EXPECT_EQ(r2.CString(), "abc");
  EXPECT_EQ(r2.rest(), "def");
}

TEST(ByteReader, LengthEncodedIntegersOfEveryWidthRoundTrip) {
  for (uint64_t v : {0ull, 250ull, 251ull, 65535ull, 65536ull, 16777215ull, 16777216ull,
                     0xFFFFFFFFFFull}) {
    std::string buf;
    ByteWriter(buf).LenEncInt(v);
    ByteReader r(buf);
    EXPECT_EQ(r.LenEncInt(), v) << v;
    EXPECT_TRUE(r.empty());
    // Every truncation fails without moving the cursor.
    for (size_t cut = 0; cut < buf.size(); ++cut) {
      ByteReader t(std::string_view(buf).substr(0, cut));
      EXPECT_FALSE(t.LenEncInt().has_value());
      EXPECT_EQ(t.position(), 0u);
    }
  }
}

TEST(ByteReader, LengthEncodedNullMarkerIsRejected) {
  std::string buf("\xfb", 1);
  ByteReader r(buf);
  EXPECT_FALSE(r.LenEncInt().has_value());
  EXPECT_EQ(r.position(), 0u);
}

TEST(ByteReader, LengthEncodedStringLongerThanInputFails) {
  std::string buf("\x05" "abc", 4);
  ByteReader r(buf);
  EXPECT_FALSE(r.LenEncString().has_value());
  EXPECT_EQ(r.position(), 0u);
}

}  // namespace
}  // namespace switchyard::common
