#include "proxy/pg/auth_scram_internal.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "proxy/pg/auth_scram.h"

namespace switchyard::pg::scram {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Alphabet value of `c`, or -1.
int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string_view AsBytes(const Digest& d) {
  return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
}

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    size_t n = std::min<size_t>(3, bytes.size() - i);
    uint32_t group = 0;
    for (size_t j = 0; j < 3; ++j) {
      uint8_t byte = j < n ? static_cast<uint8_t>(bytes[i + j]) : 0;
      group = (group << 8) | byte;
    }
    for (size_t j = 0; j < 4; ++j) {
      out.push_back(j <= n ? kAlphabet[(group >> (18 - 6 * j)) & 0x3f] : '=');
    }
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  std::string out;
  out.reserve(text.size() / 4 * 3);
  uint32_t group = 0;
  size_t data_chars = text.size() - padding;
  for (size_t i = 0; i < data_chars; ++i) {
    int v = Base64Value(text[i]);
    if (v < 0) return std::nullopt;  // includes a '=' before the end
    group = (group << 6) | static_cast<uint32_t>(v);
    if (i % 4 == 3) {
      out.push_back(static_cast<char>(group >> 16));
      out.push_back(static_cast<char>(group >> 8));
      out.push_back(static_cast<char>(group));
      group = 0;
    }
  }
  if (padding == 2) {  // 2 data chars = 12 bits: one byte + 4 zero bits
    if ((group & 0x0f) != 0) return std::nullopt;
    out.push_back(static_cast<char>(group >> 4));
  } else if (padding == 1) {  // 3 data chars = 18 bits: two bytes + 2 zero bits
    if ((group & 0x03) != 0) return std::nullopt;
    out.push_back(static_cast<char>(group >> 10));
    out.push_back(static_cast<char>(group >> 2));
  }
  return out;
}

Digest Sha256(std::string_view data) {
  Digest d{};
  unsigned int length = 0;
  // Fails only when out of memory; a zero digest then fails authentication.
  EVP_Digest(data.data(), data.size(), d.data(), &length, EVP_sha256(), nullptr);
  return d;
}

Digest HmacSha256(std::string_view key, std::string_view data) {
  Digest d{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), Bytes(data), data.size(), d.data(),
       &length);
  return d;
}

Digest SaltedPassword(std::string_view password, std::string_view salt, int iterations) {
  Digest d{};
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), Bytes(salt),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(),
                    static_cast<int>(d.size()), d.data());
  return d;
}

Digest Xor(const Digest& a, const Digest& b) {
  Digest out{};
  for (size_t i = 0; i < out.size(); ++i) out[i] = a[i] ^ b[i];
  return out;
}

bool ConstantTimeEqual(const Digest& a, const Digest& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

absl::StatusOr<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return absl::InternalError("SCRAM: the random number generator failed");
  }
  return out;
}

absl::StatusOr<std::string> RandomNonce(size_t raw_bytes) {
  absl::StatusOr<std::string> bytes = RandomBytes(raw_bytes);
  if (!bytes.ok()) return bytes.status();
  return Base64Encode(*bytes);
}

bool IsValidNonce(std::string_view nonce) {
  if (nonce.empty()) return false;
  for (char c : nonce) {
    if (c < 0x21 || c > 0x7e || c == ',') return false;
  }
  return true;
}

std::optional<int> ParseIterations(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > kScramMaxIterations) return std::nullopt;
  return static_cast<int>(value);
}

std::optional<std::vector<Attribute>> SplitAttributes(std::string_view message) {
  std::vector<Attribute> out;
  size_t start = 0;
  while (true) {
    size_t comma = message.find(',', start);
    std::string_view item = message.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    bool letter = item.size() >= 2 &&
                  ((item[0] >= 'a' && item[0] <= 'z') || (item[0] >= 'A' && item[0] <= 'Z'));
    if (!letter || item[1] != '=') return std::nullopt;
    out.push_back(Attribute{item[0], item.substr(2)});
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

}  // namespace switchyard::pg::scram
