#include "proxy/mysql/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <initializer_list>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace switchyard::mysql {
namespace {

constexpr size_t kSha1Size = 20;
constexpr size_t kSha256Size = 32;

// The digest of the concatenation of `parts`.
std::string Digest(const EVP_MD* md, std::initializer_list<std::string_view> parts) {
  std::string out(EVP_MAX_MD_SIZE, '\0');
  unsigned int size = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, md, nullptr) == 1;
  for (std::string_view part : parts) {
    ok = ok && EVP_DigestUpdate(ctx, part.data(), part.size()) == 1;
  }
  ok = ok && EVP_DigestFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()), &size) == 1;
  EVP_MD_CTX_free(ctx);
  // Digest failures mean a broken OpenSSL install; fail closed (no match).
  out.resize(ok ? size : 0);
  return out;
}

std::string Sha1(std::initializer_list<std::string_view> parts) {
  return Digest(EVP_sha1(), parts);
}

std::string Sha256(std::initializer_list<std::string_view> parts) {
  return Digest(EVP_sha256(), parts);
}

std::string Xor(std::string_view a, std::string_view b) {
  std::string out(a);
  for (size_t i = 0; i < out.size() && i < b.size(); ++i) out[i] ^= b[i];
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

absl::Status CheckScramble(std::string_view scramble) {
  if (scramble.size() == kScrambleSize) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("scramble must be ", kScrambleSize, " bytes, got ", scramble.size()));
}

absl::Status CheckToken(std::string_view token, size_t size, std::string_view plugin) {
  if (token.empty() || token.size() == size) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(std::string(plugin), " auth response must be ",
                                                 size, " bytes, got ", token.size()));
}

}  // namespace

absl::StatusOr<std::string> GenerateScramble() {
  std::string scramble(kScrambleSize, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(scramble.data());
  if (RAND_bytes(bytes, static_cast<int>(scramble.size())) != 1) {
    return absl::InternalError("RAND_bytes failed to produce a scramble");
  }
  for (char& c : scramble) {
    c = static_cast<char>((static_cast<unsigned char>(c) & 0x7F));
    if (c == '\0' || c == '$') ++c;
  }
  return scramble;
}

std::string_view ScrambleFromAuthData(std::string_view data) {
  if (data.size() == kScrambleSize + 1 && data.back() == '\0') data.remove_suffix(1);
  return data;
}

absl::StatusOr<std::string> NativePasswordToken(std::string_view password,
                                                std::string_view scramble) {
  if (auto status = CheckScramble(scramble); !status.ok()) return status;
  if (password.empty()) return std::string();
  const std::string stage1 = Sha1({password});
  const std::string stage2 = Sha1({stage1});
  return Xor(stage1, Sha1({scramble, stage2}));
}

std::string NativePasswordHash(std::string_view password) {
  if (password.empty()) return std::string();
  const std::string stage2 = Sha1({Sha1({password})});
  return absl::StrCat("*", absl::AsciiStrToUpper(absl::BytesToHexString(stage2)));
}

absl::StatusOr<bool> VerifyNativePassword(std::string_view token, std::string_view scramble,
                                          std::string_view password) {
  return VerifyNativePasswordHash(token, scramble, NativePasswordHash(password));
}

absl::StatusOr<bool> VerifyNativePasswordHash(std::string_view token, std::string_view scramble,
                                              std::string_view stored_hash) {
  if (auto status = CheckScramble(scramble); !status.ok()) return status;
  if (auto status = CheckToken(token, kSha1Size, kMysqlNativePassword); !status.ok()) {
    return status;
  }
  if (stored_hash.empty()) return token.empty();
  const std::string_view hex = stored_hash.substr(1);
  const bool hex_ok =
      stored_hash.size() == 1 + 2 * kSha1Size && stored_hash[0] == '*' &&
      std::all_of(hex.begin(), hex.end(), [](char c) { return absl::ascii_isxdigit(c); });
  if (!hex_ok) {
    return absl::InvalidArgumentError("stored native password hash must be '*' + 40 hex digits");
  }
  if (token.empty()) return false;
  const std::string stage2 = absl::HexStringToBytes(std::string(hex));
  // token XOR SHA1(scramble + stage2) recovers SHA1(pw) if the client knew it.
  const std::string candidate_stage1 = Xor(token, Sha1({scramble, stage2}));
  return ConstantTimeEquals(Sha1({candidate_stage1}), stage2);
}

absl::StatusOr<std::string> CachingSha2Token(std::string_view password, std::string_view nonce) {
  if (auto status = CheckScramble(nonce); !status.ok()) return status;
  if (password.empty()) return std::string();
  const std::string stage1 = Sha256({password});
  const std::string stage2 = Sha256({stage1});
  return Xor(stage1, Sha256({stage2, nonce}));
}

absl::StatusOr<bool> VerifyCachingSha2(std::string_view token, std::string_view nonce,
                                       std::string_view password) {
  if (password.empty()) {
    if (auto status = CheckScramble(nonce); !status.ok()) return status;
    return token.empty();
  }
  return VerifyCachingSha2CacheEntry(token, nonce, CachingSha2CacheEntry(password));
}

std::string CachingSha2CacheEntry(std::string_view password) {
  return Sha256({Sha256({password})});
}

absl::StatusOr<bool> VerifyCachingSha2CacheEntry(std::string_view token, std::string_view nonce,
                                                 std::string_view cache_entry) {
  if (auto status = CheckScramble(nonce); !status.ok()) return status;
  if (auto status = CheckToken(token, kSha256Size, kCachingSha2Password); !status.ok()) {
    return status;
  }
  if (cache_entry.size() != kSha256Size) {
    return absl::InvalidArgumentError("caching_sha2_password cache entry must be 32 bytes");
  }
  if (token.empty()) return false;
  const std::string candidate_stage1 = Xor(token, Sha256({cache_entry, nonce}));
  return ConstantTimeEquals(Sha256({candidate_stage1}), cache_entry);
}

std::string XorWithScramble(std::string_view bytes, std::string_view scramble) {
  std::string out(bytes);
  if (scramble.empty()) return out;
  for (size_t i = 0; i < out.size(); ++i) out[i] ^= scramble[i % scramble.size()];
  return out;
}

absl::StatusOr<std::string_view> StripPasswordTerminator(std::string_view bytes) {
  if (bytes.empty() || bytes.back() != '\0') {
    return absl::InvalidArgumentError("cleartext password is not NUL-terminated");
  }
  bytes.remove_suffix(1);
  if (bytes.find('\0') != std::string_view::npos) {
    return absl::InvalidArgumentError("cleartext password contains a NUL byte");
  }
  return bytes;
}

bool PasswordsEqual(std::string_view a, std::string_view b) {
  return ConstantTimeEquals(Sha256({a}), Sha256({b}));
}

}  // namespace switchyard::mysql
