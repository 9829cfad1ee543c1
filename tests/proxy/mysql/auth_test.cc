#include "proxy/mysql/auth.h"

#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <string>

#include "proxy/mysql/rsa_key.h"
#include "test_util.h"

namespace switchyard::mysql {
namespace {

const std::string kScramble = "0123456789abcdefghij";  // 20 bytes

// Independent computations with OpenSSL's one-shot digests.
std::string Sha1Of(std::string_view s) {
  unsigned char md[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(s.data()), s.size(), md);
  return std::string(reinterpret_cast<char*>(md), sizeof(md));
}

std::string Sha256Of(std::string_view s) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), md);
  return std::string(reinterpret_cast<char*>(md), sizeof(md));
}

std::string XorStrings(std::string a, std::string_view b) {
  for (size_t i = 0; i < a.size(); ++i) a[i] ^= b[i];
  return a;
}

TEST(MysqlNativePassword, TokenMatchesIndependentComputation) {
  const std::string stage1 = Sha1Of("s3cret");
  const std::string expected = XorStrings(stage1, Sha1Of(kScramble + Sha1Of(stage1)));
  auto token = NativePasswordToken("s3cret", kScramble);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(*token, expected);
  EXPECT_EQ(token->size(), 20u);
}

TEST(MysqlNativePassword, StoredHashOfKnownPassword) {
  // MySQL's PASSWORD('password'), a widely published value.
  EXPECT_EQ(NativePasswordHash("password"), "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19");
  EXPECT_EQ(NativePasswordHash(""), "");
}

TEST(MysqlNativePassword, VerifiesWithPlaintextAndWithStoredHash) {
  auto token = NativePasswordToken("s3cret", kScramble);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(VerifyNativePassword(*token, kScramble, "s3cret").value(), true);
  EXPECT_EQ(VerifyNativePassword(*token, kScramble, "s3creT").value(), false);
  const std::string hash = NativePasswordHash("s3cret");
  EXPECT_EQ(VerifyNativePasswordHash(*token, kScramble, hash).value(), true);
  std::string lower = hash;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(VerifyNativePasswordHash(*token, kScramble, lower).value(), true);
  // A token computed for another scramble does not verify.
  auto other = NativePasswordToken("s3cret", "ABCDEFGHIJ0123456789");
  EXPECT_EQ(VerifyNativePassword(*other, kScramble, "s3cret").value(), false);
}

TEST(MysqlNativePassword, EmptyPasswordAndEmptyToken) {
  EXPECT_EQ(NativePasswordToken("", kScramble).value(), "");
  EXPECT_EQ(VerifyNativePassword("", kScramble, "").value(), true);
  EXPECT_EQ(VerifyNativePassword("", kScramble, "pw").value(), false);
  auto token = NativePasswordToken("pw", kScramble);
  EXPECT_EQ(VerifyNativePassword(*token, kScramble, "").value(), false);
}

TEST(MysqlNativePassword, MalformedInputIsAnError) {
  EXPECT_EQ(NativePasswordToken("pw", "short").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(VerifyNativePassword(std::string(19, 'x'), kScramble, "pw").ok());
  EXPECT_FALSE(VerifyNativePasswordHash(std::string(20, 'x'), kScramble, "*ABC").ok());
  EXPECT_FALSE(
      VerifyNativePasswordHash(std::string(20, 'x'), kScramble, std::string(41, 'Z')).ok());
}

TEST(MysqlCachingSha2, TokenMatchesIndependentComputation) {
  const std::string stage1 = Sha256Of("s3cret");
  const std::string expected = XorStrings(stage1, Sha256Of(Sha256Of(stage1) + kScramble));
  auto token = CachingSha2Token("s3cret", kScramble);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(*token, expected);
  EXPECT_EQ(token->size(), 32u);
}

TEST(MysqlCachingSha2, FastPathVerification) {
  auto token = CachingSha2Token("s3cret", kScramble);
  EXPECT_EQ(VerifyCachingSha2(*token, kScramble, "s3cret").value(), true);
  EXPECT_EQ(VerifyCachingSha2(*token, kScramble, "other").value(), false);
  EXPECT_EQ(VerifyCachingSha2CacheEntry(*token, kScramble, CachingSha2CacheEntry("s3cret")).value(),
            true);
  EXPECT_EQ(VerifyCachingSha2("", kScramble, "").value(), true);
  EXPECT_EQ(VerifyCachingSha2("", kScramble, "s3cret").value(), false);
  EXPECT_FALSE(VerifyCachingSha2(std::string(20, 'x'), kScramble, "s3cret").ok());
  EXPECT_FALSE(VerifyCachingSha2CacheEntry(*token, kScramble, "short").ok());
  EXPECT_FALSE(CachingSha2Token("pw", "").ok());
}

TEST(MysqlScramble, GeneratedScrambleIsTwentyBytesWithoutNulOrDollar) {
  auto a = GenerateScramble();
  auto b = GenerateScramble();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), kScrambleSize);
  EXPECT_NE(*a, *b);
  for (char c : *a + *b) {
    EXPECT_NE(c, '\0');
    EXPECT_NE(c, '$');
    EXPECT_LT(static_cast<unsigned char>(c), 0x80);
  }
  EXPECT_EQ(ScrambleFromAuthData(kScramble + std::string(1, '\0')), kScramble);
  EXPECT_EQ(ScrambleFromAuthData(kScramble), kScramble);
}

TEST(MysqlFullAuth, XorAndTerminator) {
  const std::string masked = XorWithScramble(std::string("pw\0", 3), kScramble);
  EXPECT_EQ(XorWithScramble(masked, kScramble), std::string("pw\0", 3));
  EXPECT_EQ(StripPasswordTerminator(std::string("pw\0", 3)).value(), "pw");
  EXPECT_FALSE(StripPasswordTerminator("pw").ok());
  EXPECT_FALSE(StripPasswordTerminator(std::string("p\0w\0", 4)).ok());
  EXPECT_TRUE(PasswordsEqual("abc", "abc"));
  EXPECT_FALSE(PasswordsEqual("abc", "abd"));
  EXPECT_FALSE(PasswordsEqual("abc", "abcd"));
}

class MysqlRsa : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto key = RsaPrivateKey::Generate(2048);
    ASSERT_TRUE(key.ok()) << key.status();
    key_ = new RsaPrivateKey(*std::move(key));
  }
  static void TearDownTestSuite() { delete key_; }
  static RsaPrivateKey* key_;
};
RsaPrivateKey* MysqlRsa::key_ = nullptr;

TEST_F(MysqlRsa, FullAuthRoundTrip) {
  auto pem = key_->PublicKeyPem();
  ASSERT_TRUE(pem.ok());
  EXPECT_EQ(pem->rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
  // A password longer than the scramble exercises the cyclic XOR.
  const std::string password = "correct horse battery staple!";
  auto ciphertext = EncryptPasswordForFullAuth(*pem, password, kScramble);
  ASSERT_TRUE(ciphertext.ok()) << ciphertext.status();
  EXPECT_EQ(ciphertext->size(), 256u);
  auto decrypted = DecryptPasswordFromFullAuth(*key_, *ciphertext, kScramble);
  ASSERT_TRUE(decrypted.ok()) << decrypted.status();
  EXPECT_EQ(*decrypted, password);
  // The wire form is the XORed password, not the password.
  auto raw = key_->Decrypt(*ciphertext);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(*raw, XorWithScramble(password + std::string(1, '\0'), kScramble));
}

TEST_F(MysqlRsa, PrivateKeyPemReloads) {
  auto pem = key_->PrivateKeyPem();
  ASSERT_TRUE(pem.ok());
  auto reloaded = RsaPrivateKey::FromPem(*pem);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_EQ(reloaded->PublicKeyPem().value(), key_->PublicKeyPem().value());
}

TEST_F(MysqlRsa, MalformedInputsGiveClearErrors) {
  EXPECT_FALSE(RsaPrivateKey::FromPem("not a pem").ok());
  EXPECT_FALSE(
      RsaEncrypt("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "x").ok());
  auto pem = key_->PublicKeyPem();
  auto too_long = EncryptPasswordForFullAuth(*pem, std::string(300, 'p'), kScramble);
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.status().message().find("does not fit"), std::string_view::npos);
  auto wrong_size = key_->Decrypt("short");
  ASSERT_FALSE(wrong_size.ok());
  EXPECT_NE(wrong_size.status().message().find("256"), std::string_view::npos);
  EXPECT_FALSE(key_->Decrypt(std::string(256, '\x7f')).ok());
  EXPECT_FALSE(RsaPrivateKey::Generate(512).ok());
}

TEST_F(MysqlRsa, WrongScrambleDoesNotYieldThePassword) {
  auto pem = key_->PublicKeyPem();
  auto ciphertext = EncryptPasswordForFullAuth(*pem, "pw", kScramble);
  auto decrypted = DecryptPasswordFromFullAuth(*key_, *ciphertext, "ABCDEFGHIJ0123456789");
  EXPECT_TRUE(!decrypted.ok() || *decrypted != "pw");
}

}  // namespace
}  // namespace switchyard::mysql
