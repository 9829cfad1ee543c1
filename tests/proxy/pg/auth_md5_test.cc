#include "proxy/pg/auth_md5.h"

#include <gtest/gtest.h>

namespace switchyard::pg {
namespace {

// Expected values computed independently with:
//   printf '%s' 'pencilapp' | md5sum   → the pg_authid hash
//   python3 -c "import hashlib; ..."   → the salted response
constexpr Md5Salt kSalt = {0x01, 0x02, 0x03, 0x04};

TEST(Md5PasswordHash, IsMd5PrefixAndHexOfPasswordThenUser) {
  EXPECT_EQ(Md5PasswordHash("app", "pencil"), "md506d701b4dd9f7cbb00816251a451b978");
}

TEST(Md5PasswordHash, HasThePgAuthidShape) {
  EXPECT_TRUE(IsMd5PasswordHash(Md5PasswordHash("u", "p")));
}

TEST(IsMd5PasswordHash, RejectsWrongLengthPrefixOrCase) {
  EXPECT_FALSE(IsMd5PasswordHash("md5"));
  EXPECT_FALSE(IsMd5PasswordHash("md539e7a1e63f09bb4d2a35e5b94b4e1e4"));
  EXPECT_FALSE(IsMd5PasswordHash("md539E7A1E63F09BB4D2A35E5B94B4E1E4B"));
  EXPECT_FALSE(IsMd5PasswordHash("xx539e7a1e63f09bb4d2a35e5b94b4e1e4b"));
  EXPECT_FALSE(IsMd5PasswordHash("md539e7a1e63f09bb4d2a35e5b94b4e1e4g"));
}

TEST(Md5Response, MatchesIndependentlyComputedAnswer) {
  EXPECT_EQ(Md5Response("pencil", "app", kSalt), "md54bfca4ca571b8df74c2fc2247888d96f");
}

TEST(Md5Response, SameForPlaintextAndStoredHash) {
  EXPECT_EQ(Md5Response("pencil", "app", kSalt),
            Md5Response(Md5PasswordHash("app", "pencil"), "app", kSalt));
}

TEST(Md5Response, DependsOnSaltAndUser) {
  EXPECT_NE(Md5Response("pencil", "app", kSalt), Md5Response("pencil", "app", {1, 2, 3, 5}));
  EXPECT_NE(Md5Response("pencil", "app", kSalt), Md5Response("pencil", "bob", kSalt));
}

TEST(VerifyMd5Response, AcceptsTheRightAnswer) {
  std::string answer = Md5Response("pencil", "app", kSalt);
  EXPECT_TRUE(VerifyMd5Response("pencil", "app", kSalt, answer));
  EXPECT_TRUE(VerifyMd5Response(Md5PasswordHash("app", "pencil"), "app", kSalt, answer));
}

TEST(VerifyMd5Response, RejectsWrongPasswordTruncatedOrEmptyAnswer) {
  std::string answer = Md5Response("pencil", "app", kSalt);
  EXPECT_FALSE(VerifyMd5Response("pen", "app", kSalt, answer));
  EXPECT_FALSE(VerifyMd5Response("pencil", "app", kSalt, answer.substr(0, 34)));
  EXPECT_FALSE(VerifyMd5Response("pencil", "app", kSalt, ""));
  EXPECT_FALSE(VerifyMd5Response("pencil", "app", kSalt, answer + "0"));
}

}  // namespace
}  // namespace switchyard::pg
