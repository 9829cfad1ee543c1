#include "proxy/pg/auth_md5.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

namespace switchyard::pg {
namespace {

constexpr std::string_view kMd5Prefix = "md5";
constexpr size_t kMd5HexLength = 32;

// hex(md5(a + b)), lowercase: the building block of every step.
std::string Md5Hex(std::string_view a, std::string_view b) {
  std::string input;
  input.reserve(a.size() + b.size());
  input.append(a);
  input.append(b);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // EVP_Digest only fails on allocation failure; the digest is then zero,
  // which can never match a real answer, so authentication fails closed.
  if (EVP_Digest(input.data(), input.size(), digest, &length, EVP_md5(), nullptr) != 1) {
    length = 16;
    std::fill(digest, digest + length, 0);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0f]);
  }
  return hex;
}

}  // namespace

std::string Md5PasswordHash(std::string_view user, std::string_view password) {
  return std::string(kMd5Prefix) + Md5Hex(password, user);
}

bool IsMd5PasswordHash(std::string_view s) {
  if (s.size() != kMd5Prefix.size() + kMd5HexLength || !s.starts_with(kMd5Prefix)) {
    return false;
  }
  for (char c : s.substr(kMd5Prefix.size())) {
    if (!std::isxdigit(static_cast<unsigned char>(c)) ||
        std::isupper(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

std::string Md5Response(std::string_view stored_or_plain, std::string_view user, Md5Salt salt) {
  std::string stored = IsMd5PasswordHash(stored_or_plain) ? std::string(stored_or_plain)
                                                          : Md5PasswordHash(user, stored_or_plain);
  std::string_view salt_bytes(reinterpret_cast<const char*>(salt.data()), salt.size());
  return std::string(kMd5Prefix) +
         Md5Hex(std::string_view(stored).substr(kMd5Prefix.size()), salt_bytes);
}

bool VerifyMd5Response(std::string_view stored_or_plain, std::string_view user, Md5Salt salt,
                       std::string_view client_response) {
  std::string expected = Md5Response(stored_or_plain, user, salt);
  // The expected length is public (always 35), so only the content is
  // compared in constant time.
  if (client_response.size() != expected.size()) return false;
  return CRYPTO_memcmp(expected.data(), client_response.data(), expected.size()) == 0;
}

}  // namespace switchyard::pg
