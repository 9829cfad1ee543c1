// Helpers shared by the MySQL codec tests: byte-string literals and the
// "cut a valid message at every byte offset" checks.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace switchyard::mysql::testing {

// Bytes from a literal that may contain NULs: Bytes("\x00\x01") is 2 bytes.
template <size_t N>
std::string Bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

// Every strict prefix of `full` must fail to decode: the message has no
// optional tail, so any shorter payload is malformed.
template <typename DecodeFn>
void ExpectEveryPrefixFails(std::string_view full, DecodeFn decode) {
  for (size_t cut = 0; cut < full.size(); ++cut) {
    // Copy so that reads past the prefix would touch unowned memory (ASan).
    const std::string prefix(full.substr(0, cut));
    auto result = decode(std::string_view(prefix));
    EXPECT_FALSE(result.ok()) << "prefix of " << cut << " of " << full.size() << " bytes decoded";
  }
}

// Every strict prefix must fail or decode to something other than the full
// message (messages with optional trailing fields, where a shorter payload
// can be a different valid message, never the same one).
template <typename DecodeFn>
void ExpectNoPrefixDecodesAsFull(std::string_view full, DecodeFn decode) {
  auto whole = decode(full);
  ASSERT_TRUE(whole.ok()) << whole.status();
  for (size_t cut = 0; cut < full.size(); ++cut) {
    const std::string prefix(full.substr(0, cut));
    auto result = decode(std::string_view(prefix));
    if (result.ok()) {
      EXPECT_FALSE(*result == *whole) << "prefix of " << cut << " bytes decoded as the whole";
    }
  }
}

}  // namespace switchyard::mysql::testing
