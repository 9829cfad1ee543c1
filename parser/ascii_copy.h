// Copying short runs of SQL text eight bytes at a time, optionally changing
// ASCII case on the way (SWAR: no per-byte branches or table lookups).
//
// The copy may read up to 7 bytes past the run, but never past `src_end`
// (the end of the whole text), and may write up to 7 bytes past the run:
// destinations need 8 bytes of slack.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace switchyard::parser {

enum class CaseChange { kNone, kLower, kUpper };

namespace ascii_internal {

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHigh = 0x8080808080808080ull;

// Bit 7 of each byte set where the byte is in [lo, hi] (ASCII only).
constexpr uint64_t InRange(uint64_t x, uint8_t lo, uint8_t hi) {
  const uint64_t low7 = x & ~kHigh;
  const uint64_t ge_lo = low7 + kOnes * (0x80 - lo);
  const uint64_t gt_hi = low7 + kOnes * (0x7f - hi);
  return ge_lo & ~gt_hi & ~x & kHigh;
}

template <CaseChange kCase>
constexpr uint64_t Convert(uint64_t x) {
  if constexpr (kCase == CaseChange::kLower) return x | (InRange(x, 'A', 'Z') >> 2);
  if constexpr (kCase == CaseChange::kUpper) return x & ~(InRange(x, 'a', 'z') >> 2);
  return x;
}

template <CaseChange kCase>
constexpr char ConvertByte(char c) {
  if constexpr (kCase == CaseChange::kLower) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  if constexpr (kCase == CaseChange::kUpper) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  }
  return c;
}

}  // namespace ascii_internal

// Copies src[0, n) to dst, changing case; returns dst + n.
template <CaseChange kCase>
inline char* CopyAscii(char* dst, const char* src, size_t n, const char* src_end) {
  using namespace ascii_internal;
  const size_t whole = (n + 7) & ~size_t{7};
  size_t i = 0;
  const size_t chunks = static_cast<size_t>(src_end - src) >= whole ? whole : (n & ~size_t{7});
  for (; i < chunks; i += 8) {
    uint64_t w;
    std::memcpy(&w, src + i, 8);
    w = Convert<kCase>(w);
    std::memcpy(dst + i, &w, 8);
  }
  for (; i < n; ++i) dst[i] = ConvertByte<kCase>(src[i]);
  return dst + n;
}

// Like CopyAscii, for a source with at least 8 readable bytes past
// src + n (rounded up to 8): no bounds arithmetic, no byte loop.
template <CaseChange kCase>
inline char* CopyPadded(char* dst, const char* src, size_t n) {
  using namespace ascii_internal;
  size_t i = 0;
  do {
    uint64_t w;
    std::memcpy(&w, src + i, 8);
    w = Convert<kCase>(w);
    std::memcpy(dst + i, &w, 8);
    i += 8;
  } while (i < n);
  return dst + n;
}

// Replaces the contents of `out` with `text`: clear() and append() avoid
// assign()'s general replace path, which showed up in profiles.
inline void SetText(std::string& out, std::string_view text) {
  out.clear();
  out.append(text.data(), text.size());
}

// CopyPadded into two destinations at once (same bytes, converted once).
template <CaseChange kCase>
inline void CopyPadded2(char*& dst1, char*& dst2, const char* src, size_t n) {
  using namespace ascii_internal;
  size_t i = 0;
  do {
    uint64_t w;
    std::memcpy(&w, src + i, 8);
    w = Convert<kCase>(w);
    std::memcpy(dst1 + i, &w, 8);
    std::memcpy(dst2 + i, &w, 8);
    i += 8;
  } while (i < n);
  dst1 += n;
  dst2 += n;
}

// ASCII lower-case copy of `text` (inside a buffer ending at `src_end`) into
// `out`, replacing its contents: converted 8 bytes at a time into a local
// buffer, then appended once.
inline void AssignLower(std::string& out, std::string_view text, const char* src_end) {
  if (text.size() <= 64) {
    char buf[64 + 8];
    CopyAscii<CaseChange::kLower>(buf, text.data(), text.size(), src_end);
    SetText(out, std::string_view(buf, text.size()));
    return;
  }
  SetText(out, text);
  for (char& c : out) {
    c = static_cast<char>(c | (static_cast<unsigned char>(c - 'A') < 26 ? 0x20 : 0));
  }
}

// ASCII lower-case copy of `text` into `out` (replacing its contents).
inline void AssignLower(std::string& out, std::string_view text) {
  SetText(out, text);
  for (char& c : out) {
    c = static_cast<char>(c | (static_cast<unsigned char>(c - 'A') < 26 ? 0x20 : 0));
  }
}

}  // namespace switchyard::parser
