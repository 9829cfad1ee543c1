// A word (identifier or keyword) read 16 bytes at a time with SSE2, which
// every x86-64 processor has: one load classifies its bytes (where the word
// ends), folds its case (the keyword compare) and gives its lower-case form
// (the shape writer's copy), so that the lexer looks at each byte of a
// typical word once instead of once per use.
//
// Reads 16 bytes from the word's start: the caller's text must be followed
// by at least 15 readable bytes (the lexer's zero-padded copy).
#pragma once

#include "parser/simd.h"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "parser/keywords.h"

namespace switchyard::parser {

// The first 16 bytes of a word and what the lexer and the shape writer need
// of them.
struct WordBytes {
  __m128i bytes;     // as written (bytes past `length` are the text's next ones)
  __m128i case_bit;  // 0x20 in each ASCII letter's lane, 0 elsewhere
  size_t length;     // the word's (ScanWord() stops at 16: LongWordLength())

  // The 16 bytes with ASCII letters lower-cased.
  __m128i Lower() const { return _mm_or_si128(bytes, case_bit); }
};

namespace word_scan_internal {

// Lanes where the byte is in [lo, lo + count): shifted so that the range
// ends at the top of the signed byte range, one signed compare against a
// constant (SSE2 has no unsigned one).
[[gnu::always_inline]] inline __m128i InRange(__m128i x, char lo, int count) {
  const __m128i shifted = _mm_add_epi8(x, _mm_set1_epi8(static_cast<char>(128 - lo - count)));
  return _mm_cmpgt_epi8(shifted, _mm_set1_epi8(static_cast<char>(127 - count)));
}

// Bit i set where byte i of `x` is a word byte: an ASCII letter, digit or
// '_', '$' with kDollar (PostgreSQL), or any byte ≥ 0x80 (the lexer's
// classes in lexer.cc). `letters` receives the letter lanes.
template <bool kDollar>
[[gnu::always_inline]] inline uint32_t WordLanes(__m128i x, __m128i& letters) {
  // `| 0x20` folds upper onto lower case; no other byte lands in [a-z].
  letters = InRange(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 26);
  __m128i word = _mm_or_si128(letters, InRange(x, '0', 10));
  word = _mm_or_si128(word, _mm_cmpeq_epi8(x, _mm_set1_epi8('_')));
  if constexpr (kDollar) word = _mm_or_si128(word, _mm_cmpeq_epi8(x, _mm_set1_epi8('$')));
  // Word lanes are 0xff; a byte ≥ 0x80 brings its own sign bit.
  return static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(word, x)));
}

// The index of the first 0 bit of `lanes` (WordLanes()), 16 when none.
[[gnu::always_inline]] inline size_t FirstNonWordLane(uint32_t lanes) {
  // Bits 16-63 of ~lanes are set: never 0, so __builtin_ctzll (one tzcnt, no
  // zero check, which std::countr_zero keeps) is defined.
  return static_cast<size_t>(__builtin_ctzll(~static_cast<uint64_t>(lanes)));
}

// 0xff in the first n lanes (n ≤ 16): one load from a table of the 17
// masks (rather than a sliding window, whose address takes a subtraction).
struct Lanes16 {
  alignas(16) uint8_t bytes[16];
};
constexpr std::array<Lanes16, 17> BuildFirstLanes() {
  std::array<Lanes16, 17> t{};
  for (size_t n = 0; n <= 16; ++n) {
    for (size_t i = 0; i < n; ++i) t[n].bytes[i] = 0xff;
  }
  return t;
}
inline constexpr std::array<Lanes16, 17> kFirstLanes = BuildFirstLanes();

[[gnu::always_inline]] inline __m128i FirstLanes(size_t n) {
  return _mm_load_si128(reinterpret_cast<const __m128i*>(kFirstLanes[n].bytes));
}

}  // namespace word_scan_internal

// Reads the first 16 bytes of the word at `p` (whose first byte is a word
// start): `length` is the word's, or 16 for a word of 16 bytes or more (see
// LongWordLength()). With kDollar, '$' is a word byte (PostgreSQL).
template <bool kDollar>
[[gnu::always_inline]] inline WordBytes ScanWord(const char* p) {
  using namespace word_scan_internal;
  WordBytes w;
  w.bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  __m128i letters;
  const uint32_t lanes = WordLanes<kDollar>(w.bytes, letters);
  w.case_bit = _mm_and_si128(letters, _mm_set1_epi8(0x20));
  w.length = FirstNonWordLane(lanes);
  return w;
}

// The length of the word at `p`, known to be at least 16 bytes long: 16
// bytes at a time on. Every load starts at or before the text's end (the
// bytes before it are word bytes), so it stays within the padding.
template <bool kDollar>
[[gnu::noinline]] inline size_t LongWordLength(const char* p) {
  size_t length = 16;
  for (;;) {
    __m128i ignored;
    const uint32_t lanes = word_scan_internal::WordLanes<kDollar>(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + length)), ignored);
    const size_t more = word_scan_internal::FirstNonWordLane(lanes);
    length += more;
    if (more < 16) return length;
  }
}

// The keyword a word of at most 16 bytes is (any case), kNone when none:
// LookupKeyword() on the word's bytes already loaded.
[[gnu::always_inline]] inline Keyword LookupKeyword16(const WordBytes& w) {
  using namespace keyword_internal;
  // The word folded with `| 0x20` (as kFolded) and cut to its length: one
  // probe (a perfect hash), then one 16-byte compare unless the slot is
  // empty (most words that are not keywords: the table is under a quarter
  // full). A word of 16 bytes matches no keyword (they have 2-15).
  const __m128i folded = _mm_and_si128(_mm_or_si128(w.bytes, _mm_set1_epi8(0x20)),
                                       word_scan_internal::FirstLanes(w.length));
  const uint64_t lo = static_cast<uint64_t>(_mm_cvtsi128_si64(folded));
  const uint8_t index = kSlotTable[HashFolded(lo, w.length)];
  if (index == 0) return Keyword::kNone;
  const __m128i entry = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&kFolded[index]));
  const bool same = _mm_movemask_epi8(_mm_cmpeq_epi8(entry, folded)) == 0xffff;
  return same ? static_cast<Keyword>(index) : Keyword::kNone;
}

}  // namespace switchyard::parser
