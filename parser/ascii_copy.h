// Copying short runs of SQL text eight bytes at a time, optionally changing
// ASCII case on the way (SWAR: no per-byte branches or table lookups).
//
// CopyPadded* may read and write up to 7 bytes past the run (padded sources,
// destinations with 8 bytes of slack); CopyExact and the string setters touch
// exactly the run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace switchyard::parser {

enum class CaseChange { kNone, kLower, kUpper };

// One byte, ASCII letters lower-cased (the rest as it is).
constexpr char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

namespace ascii_internal {

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHigh = 0x8080808080808080ull;

// Bit 7 of each byte set where the byte is in [lo, hi] (ASCII only).
constexpr uint64_t InRange(uint64_t x, uint8_t lo, uint8_t hi) {
  const uint64_t low7 = x & ~kHigh;
  const uint64_t ge_lo = low7 + kOnes * (0x80 - lo);
  const uint64_t gt_hi = low7 + kOnes * (0x7f - hi);
  // A byte above hi is at or above lo too (lo <= hi), so where gt_hi's
  // bit 7 is set ge_lo's is: ge_lo ^ gt_hi is ge_lo & ~gt_hi there, one
  // instruction rather than two.
  return (ge_lo ^ gt_hi) & ~x & kHigh;
}

template <CaseChange kCase>
constexpr uint64_t Convert(uint64_t x) {
  if constexpr (kCase == CaseChange::kLower) return x | (InRange(x, 'A', 'Z') >> 2);
  if constexpr (kCase == CaseChange::kUpper) return x & ~(InRange(x, 'a', 'z') >> 2);
  return x;
}

template <CaseChange kCase>
constexpr char ConvertByte(char c) {
  if constexpr (kCase == CaseChange::kLower) return AsciiLower(c);
  if constexpr (kCase == CaseChange::kUpper) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  }
  return c;
}

}  // namespace ascii_internal

// Copies src[0, n) to dst, changing case, for a source with at least 8 readable bytes past
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

// Copies exactly src[0, n) to dst, changing case: whole words, the last
// one overlapping the one before it (short runs: two overlapping halves),
// so nothing outside either run is read or written and no byte loop runs.
template <CaseChange kCase>
inline void CopyExact(char* dst, const char* src, size_t n) {
  using namespace ascii_internal;
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) {
      uint64_t w;
      std::memcpy(&w, src + i, 8);
      w = Convert<kCase>(w);
      std::memcpy(dst + i, &w, 8);
    }
    uint64_t w;
    std::memcpy(&w, src + n - 8, 8);
    w = Convert<kCase>(w);
    std::memcpy(dst + n - 8, &w, 8);
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, src, 4);
    std::memcpy(&b, src + n - 4, 4);
    a = static_cast<uint32_t>(Convert<kCase>(a));
    b = static_cast<uint32_t>(Convert<kCase>(b));
    std::memcpy(dst, &a, 4);
    std::memcpy(dst + n - 4, &b, 4);
  } else if (n > 0) {
    const char first = ConvertByte<kCase>(src[0]);
    const char middle = ConvertByte<kCase>(src[n / 2]);
    const char last = ConvertByte<kCase>(src[n - 1]);
    dst[0] = first;
    dst[n / 2] = middle;
    dst[n - 1] = last;
  }
}

namespace ascii_internal {

// The first and last sizeof(Half) bytes of src[0, n) (n < 2 * sizeof(Half),
// so they overlap or meet) into dst, both converted as one word.
template <CaseChange kCase, typename Half>
inline void CopyHalves(char* dst, const char* src, size_t n) {
  constexpr size_t kBits = 8 * sizeof(Half);
  Half a, b;
  std::memcpy(&a, src, sizeof(Half));
  std::memcpy(&b, src + n - sizeof(Half), sizeof(Half));
  // Without a conversion, stored as loaded: packing them cost a shift, an
  // or and a shift back, which the compiler kept.
  if constexpr (kCase != CaseChange::kNone) {
    const uint64_t w = Convert<kCase>(a | uint64_t{b} << kBits);
    a = static_cast<Half>(w);
    b = static_cast<Half>(w >> kBits);
  }
  std::memcpy(dst, &a, sizeof(Half));
  std::memcpy(dst + n - sizeof(Half), &b, sizeof(Half));
}

}  // namespace ascii_internal

// CopyExact() for n <= 16, straight-line: two overlapping words (or halves,
// or byte pairs, packed into one word). CopyExact()'s loop (vectorized) made
// every short name pay its set-up. src may be dst.
template <CaseChange kCase>
[[gnu::always_inline]] inline void CopyShort(char* dst, const char* src, size_t n) {
  using namespace ascii_internal;
  if (n >= 8) {
    // Both words loaded before either store (src may be dst); the second
    // only past 8 bytes.
    uint64_t a, b = 0;
    std::memcpy(&a, src, 8);
    if (n > 8) std::memcpy(&b, src + n - 8, 8);
    a = Convert<kCase>(a);
    std::memcpy(dst, &a, 8);
    if (n > 8) {
      b = Convert<kCase>(b);
      std::memcpy(dst + n - 8, &b, 8);
    }
  } else if (n >= 4) {
    CopyHalves<kCase, uint32_t>(dst, src, n);
  } else if (n >= 2) {
    CopyHalves<kCase, uint16_t>(dst, src, n);
  } else if (n == 1) {
    *dst = static_cast<char>(Convert<kCase>(static_cast<unsigned char>(*src)));
  }
}

// Replaces the contents of `out` with `text`, changing case. A reused
// string of the right length is written in place: no call into the
// string's general append/replace paths (which showed up in profiles),
// no memcpy call for a few bytes.
template <CaseChange kCase>
inline void SetConverted(std::string& out, std::string_view text) {
  const size_t n = text.size();
  if (n <= out.size()) {
    out.resize(n);
    CopyExact<kCase>(out.data(), text.data(), n);
    return;
  }
  // Growing (a new string): append() rather than resize()'s fill, then
  // convert in place (converting twice changes nothing).
  out.clear();
  out.append(text.data(), n);
  if constexpr (kCase != CaseChange::kNone) CopyExact<kCase>(out.data(), out.data(), n);
}

// Replaces the contents of `out` with `text`.
inline void SetText(std::string& out, std::string_view text) {
  SetConverted<CaseChange::kNone>(out, text);
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

// ASCII lower-case copy of `text` into `out` (replacing its contents).
inline void AssignLower(std::string& out, std::string_view text) {
  SetConverted<CaseChange::kLower>(out, text);
}

}  // namespace switchyard::parser
