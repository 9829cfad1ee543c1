#include "proxy/pg/auth_scram_internal.h"

#include <gtest/gtest.h>

namespace switchyard::pg::scram {
namespace {

TEST(Base64, EncodesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\xff\xfe\x00", 3)), "//4A");
}

TEST(Base64, DecodesWhatItEncodes) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    EXPECT_EQ(Base64Decode(Base64Encode(s)), s);
  }
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(Base64Decode(Base64Encode(all)), all);
}

TEST(Base64, DecodeRejectsNonCanonicalOrForeignInput) {
  for (std::string_view bad : {"Z", "Zg=", "Zg", "Z===", "====", "Zh==", "Zm9=", "=Zg=", "Zg==Zg==",
                               "Zm9v\n", "Zm 9", "Zm9-", "Zm9_", "Zm9v===="}) {
    EXPECT_FALSE(Base64Decode(bad).has_value()) << bad;
  }
}

TEST(ParseIterations, AcceptsOneToTheMaximum) {
  EXPECT_EQ(ParseIterations("1"), 1);
  EXPECT_EQ(ParseIterations("4096"), 4096);
  EXPECT_EQ(ParseIterations("10000000"), 10000000);
  EXPECT_EQ(ParseIterations("04096"), 4096);
}

TEST(ParseIterations, RejectsZeroSignsJunkAndHugeValues) {
  for (std::string_view bad : {"", "0", "-1", "+5", " 5", "5 ", "4096x", "10000001", "2147483648",
                               "99999999999999999999"}) {
    EXPECT_FALSE(ParseIterations(bad).has_value()) << bad;
  }
}

TEST(IsValidNonce, AllowsPrintableExceptComma) {
  EXPECT_TRUE(IsValidNonce("%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"));
  EXPECT_FALSE(IsValidNonce(""));
  EXPECT_FALSE(IsValidNonce("a,b"));
  EXPECT_FALSE(IsValidNonce("a b"));
  EXPECT_FALSE(IsValidNonce("a\x7f"));
  EXPECT_FALSE(IsValidNonce("\xc3\xa4"));
}

TEST(SplitAttributes, SplitsLetterEqualsValueItems) {
  std::optional<std::vector<Attribute>> attrs = SplitAttributes("r=abc,s=,i=4096");
  ASSERT_TRUE(attrs.has_value());
  ASSERT_EQ(attrs->size(), 3u);
  EXPECT_EQ((*attrs)[0].name, 'r');
  EXPECT_EQ((*attrs)[0].value, "abc");
  EXPECT_EQ((*attrs)[1].value, "");
  EXPECT_EQ((*attrs)[2].value, "4096");
}

TEST(SplitAttributes, RejectsEmptyItemsAndMissingEquals) {
  for (std::string_view bad : {"", ",", "r=a,", ",r=a", "r", "ra", "1=a", "r=a,,s=b", "=a"}) {
    EXPECT_FALSE(SplitAttributes(bad).has_value()) << bad;
  }
}

TEST(SaltedPassword, MatchesRfc7914Pbkdf2Sha256Vector) {
  // RFC 7914 section 11: PBKDF2-HMAC-SHA256 (P="passwd", S="salt", c=1), first 32 bytes.
  Digest d = SaltedPassword("passwd", "salt", 1);
  const uint8_t expected[] = {0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f, 0xec, 0x16, 0x91,
                              0xc2, 0x25, 0x44, 0xb6, 0x05, 0xf9, 0x41, 0x85, 0x21, 0x6d, 0xde,
                              0x04, 0x65, 0xe6, 0x8b, 0x9d, 0x57, 0xc2, 0x0d, 0xac, 0xbc};
  EXPECT_TRUE(std::equal(d.begin(), d.end(), expected));
}

TEST(RandomNonce, IsPrintableAndDiffersEachCall) {
  absl::StatusOr<std::string> a = RandomNonce(18), b = RandomNonce(18);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(IsValidNonce(*a));
  EXPECT_EQ(a->size(), 24u);
  EXPECT_NE(*a, *b);
}

}  // namespace
}  // namespace switchyard::pg::scram
