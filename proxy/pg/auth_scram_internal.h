// Building blocks of SCRAM-SHA-256 shared by ScramServer and ScramClient:
// strict base64, the HMAC/SHA-256/PBKDF2 primitives, random nonces, and a
// reader for SCRAM's "x=value,y=value" attribute lists.
//
// Internal to proxy/pg/auth_scram.cc and its tests. Pure functions over
// bytes except the random ones (OpenSSL's RAND_bytes, thread-safe).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace switchyard::pg::scram {

using Digest = std::array<uint8_t, 32>;

std::string_view AsBytes(const Digest& d);

// Standard alphabet with '=' padding (what SCRAM and PostgreSQL use).
std::string Base64Encode(std::string_view bytes);
// Strict: length a multiple of 4, only alphabet characters, padding only at
// the end, unused bits zero. No whitespace. nullopt on any violation.
std::optional<std::string> Base64Decode(std::string_view text);

Digest Sha256(std::string_view data);
Digest HmacSha256(std::string_view key, std::string_view data);
// PBKDF2-HMAC-SHA-256, one block: SCRAM's SaltedPassword.
Digest SaltedPassword(std::string_view password, std::string_view salt, int iterations);
Digest Xor(const Digest& a, const Digest& b);
bool ConstantTimeEqual(const Digest& a, const Digest& b);

// `raw_bytes` random bytes, base64-encoded: printable and comma-free.
absl::StatusOr<std::string> RandomNonce(size_t raw_bytes);
absl::StatusOr<std::string> RandomBytes(size_t n);

// RFC 5802 "printable": 0x21..0x7E except ','; at least one character.
bool IsValidNonce(std::string_view nonce);

// Decimal iteration count in 1..kScramMaxIterations, digits only.
std::optional<int> ParseIterations(std::string_view text);

// One "x=value" item of a SCRAM message.
struct Attribute {
  char name = 0;
  std::string_view value;
};

// Splits a message at ',' into attributes; every item must be a letter,
// '=', then a value without ','. nullopt when any item is malformed.
// Borrowed: the attributes point into `message`.
std::optional<std::vector<Attribute>> SplitAttributes(std::string_view message);

}  // namespace switchyard::pg::scram
