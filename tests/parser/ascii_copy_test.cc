#include "parser/ascii_copy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace switchyard::parser {
namespace {

// ascii_copy.h's case changes (eight bytes at once) against a byte at a
// time: every byte value in every lane, runs of every short length.
char ReferenceCase(char c, CaseChange kind) {
  if (kind == CaseChange::kLower && c >= 'A' && c <= 'Z') return static_cast<char>(c + 32);
  if (kind == CaseChange::kUpper && c >= 'a' && c <= 'z') return static_cast<char>(c - 32);
  return c;
}

template <CaseChange kCase>
void CheckCaseCopies() {
  for (int b = 0; b < 256; ++b) {
    for (size_t n = 1; n <= 16; ++n) {
      for (size_t at = 0; at < n; ++at) {
        std::string src = "Ab[z@Z`a09_-QqYy";
        src.resize(n);
        src[at] = static_cast<char>(b);
        std::string want = src;
        for (char& c : want) c = ReferenceCase(c, kCase);
        std::string got(n, '\0');
        CopyShort<kCase>(got.data(), src.data(), n);
        ASSERT_EQ(got, want) << "CopyShort byte " << b << " at " << at << " of " << n;
        std::fill(got.begin(), got.end(), '\0');
        CopyExact<kCase>(got.data(), src.data(), n);
        ASSERT_EQ(got, want) << "CopyExact byte " << b << " at " << at << " of " << n;
      }
    }
  }
}

TEST(AsciiCopy, CaseChangesEqualByteByByte) {
  CheckCaseCopies<CaseChange::kLower>();
  CheckCaseCopies<CaseChange::kUpper>();
  CheckCaseCopies<CaseChange::kNone>();
}

}  // namespace
}  // namespace switchyard::parser
