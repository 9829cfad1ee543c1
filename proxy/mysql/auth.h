// Password authentication for the MySQL protocol: mysql_native_password and
// caching_sha2_password, from both sides (the proxy verifies clients and
// authenticates itself to backends).
//
// Everything here is a pure function of its arguments except
// GenerateScramble(), which reads OpenSSL's CSPRNG. Comparisons of secrets
// are constant-time. Malformed input (a token or scramble of the wrong size,
// a bad stored hash) is an InvalidArgument error, distinct from a wrong
// password, which is `false`. RSA (caching_sha2_password full authentication)
// is in rsa_key.h. Thread-safety: all functions are reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace switchyard::mysql {

inline constexpr size_t kScrambleSize = 20;
inline constexpr std::string_view kMysqlNativePassword = "mysql_native_password";
inline constexpr std::string_view kCachingSha2Password = "caching_sha2_password";

// caching_sha2_password: the client's one-byte request, and the server's
// AuthMoreData status bytes after the scramble.
inline constexpr uint8_t kCachingSha2RequestPublicKey = 0x02;
inline constexpr uint8_t kCachingSha2FastAuthSuccess = 0x03;
inline constexpr uint8_t kCachingSha2PerformFullAuth = 0x04;

// A fresh 20-byte scramble. Bytes avoid NUL (the greeting NUL-terminates the
// scramble) and '$', as MySQL servers do.
absl::StatusOr<std::string> GenerateScramble();

// Plugin data in AuthSwitchRequest is the scramble plus a NUL terminator;
// this returns the scramble (drops one trailing NUL after 20 bytes).
std::string_view ScrambleFromAuthData(std::string_view data);

// mysql_native_password: SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))).
// An empty password gives an empty token, as clients send it.
absl::StatusOr<std::string> NativePasswordToken(std::string_view password,
                                                std::string_view scramble);
// The stored form: "*" and 40 upper-case hex digits of SHA1(SHA1(pw));
// empty for an empty password (as in mysql.user).
std::string NativePasswordHash(std::string_view password);
absl::StatusOr<bool> VerifyNativePassword(std::string_view token, std::string_view scramble,
                                          std::string_view password);
// Verification from the stored hash only (no plaintext needed).
absl::StatusOr<bool> VerifyNativePasswordHash(std::string_view token, std::string_view scramble,
                                              std::string_view stored_hash);

// caching_sha2_password fast path:
// SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + nonce). Empty password: empty.
absl::StatusOr<std::string> CachingSha2Token(std::string_view password, std::string_view nonce);
absl::StatusOr<bool> VerifyCachingSha2(std::string_view token, std::string_view nonce,
                                       std::string_view password);
// The server-side cache entry SHA256(SHA256(pw)) (32 raw bytes) and the
// fast-path check against it, for a proxy that keeps no plaintext.
std::string CachingSha2CacheEntry(std::string_view password);
absl::StatusOr<bool> VerifyCachingSha2CacheEntry(std::string_view token, std::string_view nonce,
                                                 std::string_view cache_entry);

// Full authentication sends (password + NUL) XOR the scramble (repeated) under
// RSA; over TLS the password + NUL is sent as it is. These are the XOR step
// (its own inverse) and the unwrapping of a received cleartext password.
std::string XorWithScramble(std::string_view bytes, std::string_view scramble);
absl::StatusOr<std::string_view> StripPasswordTerminator(std::string_view bytes);

// Constant-time equality of two passwords of any lengths (compares digests).
bool PasswordsEqual(std::string_view a, std::string_view b);

}  // namespace switchyard::mysql
