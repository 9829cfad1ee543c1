#include "parser/keywords.h"

#include <array>
#include <bit>
#include <cstring>

namespace switchyard::parser {
namespace {

struct KeywordInfo {
  std::string_view text;
  bool reserved;
};

constexpr KeywordInfo kKeywordInfo[] = {
    {"", false},
#define SWITCHYARD_KEYWORD_INFO(name, text, reserved) {text, reserved},
    SWITCHYARD_PARSER_KEYWORDS(SWITCHYARD_KEYWORD_INFO)
#undef SWITCHYARD_KEYWORD_INFO
};
constexpr size_t kKeywordCount = sizeof(kKeywordInfo) / sizeof(kKeywordInfo[0]);

// Open-addressing table of keyword indexes, built at compile time. The hash
// reads the length and the first, second and last bytes, ASCII-folded with
// `| 0x20` (exact for keywords, which are [a-z_]; see SameWord()).
constexpr size_t kSlots = 1024;
constexpr int kSlotBits = 10;
static_assert(kKeywordCount < kSlots / 4, "keyword table too full");

constexpr uint32_t HashWord(const char* p, size_t n) {
  const uint32_t first = static_cast<uint8_t>(p[0]) | 0x20;
  const uint32_t second = static_cast<uint8_t>(p[1]) | 0x20;
  const uint32_t last = static_cast<uint8_t>(p[n - 1]) | 0x20;
  const uint32_t packed = first | second << 8 | last << 16 | static_cast<uint32_t>(n) << 24;
  return (packed * 0x9E3779B1u) >> (32 - kSlotBits);
}

constexpr std::array<uint8_t, kSlots> BuildSlots() {
  std::array<uint8_t, kSlots> slots{};
  for (size_t i = 1; i < kKeywordCount; ++i) {
    const std::string_view text = kKeywordInfo[i].text;
    size_t slot = HashWord(text.data(), text.size());
    while (slots[slot] != 0) slot = (slot + 1) & (kSlots - 1);
    slots[slot] = static_cast<uint8_t>(i);
  }
  return slots;
}

constexpr std::array<uint8_t, kSlots> kSlotTable = BuildSlots();

constexpr std::array<uint8_t, kKeywordCount> BuildLengths() {
  std::array<uint8_t, kKeywordCount> lengths{};
  for (size_t i = 0; i < kKeywordCount; ++i) {
    lengths[i] = static_cast<uint8_t>(kKeywordInfo[i].text.size());
  }
  return lengths;
}

constexpr std::array<uint8_t, kKeywordCount> kKeywordLength = BuildLengths();

// Keyword text with every byte `| 0x20`, zero-padded to 16 bytes, as two
// little-endian words: one comparison per half.
struct Folded {
  uint64_t lo = 0, hi = 0;
};

constexpr std::array<Folded, kKeywordCount> BuildFolded() {
  std::array<Folded, kKeywordCount> folded{};
  for (size_t i = 1; i < kKeywordCount; ++i) {
    const std::string_view text = kKeywordInfo[i].text;
    for (size_t j = 0; j < text.size(); ++j) {
      const uint64_t byte = static_cast<uint8_t>(text[j]) | 0x20;
      if (j < 8) {
        folded[i].lo |= byte << (8 * j);
      } else {
        folded[i].hi |= byte << (8 * (j - 8));
      }
    }
  }
  return folded;
}

constexpr std::array<Folded, kKeywordCount> kFolded = BuildFolded();

// Mask of the low `n` bytes of a word (n ≤ 8).
constexpr uint64_t LowBytes(size_t n) { return n >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * n)) - 1; }

// Case-insensitive equality against a keyword's text. `| 0x20` folds ASCII
// upper to lower case; the only other byte it maps onto a keyword byte is
// DEL (0x7f, onto '_'), which is not a word character.
bool SameWord(std::string_view word, std::string_view keyword) {
  if (word.size() != keyword.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if ((static_cast<uint8_t>(word[i]) | 0x20) != (static_cast<uint8_t>(keyword[i]) | 0x20)) {
      return false;
    }
  }
  return true;
}

}  // namespace

Keyword LookupKeywordPadded(const char* word, size_t size) {
  static_assert(std::endian::native == std::endian::little);
  if (size < 2 || size > 16) return Keyword::kNone;
  uint64_t lo, hi;
  std::memcpy(&lo, word, 8);
  std::memcpy(&hi, word + 8, 8);
  const uint64_t lo_mask = LowBytes(size);
  const uint64_t hi_mask = size > 8 ? LowBytes(size - 8) : 0;
  lo = (lo | 0x2020202020202020ull) & lo_mask;
  hi = (hi | 0x2020202020202020ull) & hi_mask;
  size_t slot = HashWord(word, size);
  for (uint8_t index; (index = kSlotTable[slot]) != 0; slot = (slot + 1) & (kSlots - 1)) {
    if (kFolded[index].lo == lo && kFolded[index].hi == hi) return static_cast<Keyword>(index);
  }
  return Keyword::kNone;
}

Keyword LookupKeyword(std::string_view word) {
  if (word.size() < 2 || word.size() > 16) return Keyword::kNone;
  size_t slot = HashWord(word.data(), word.size());
  for (uint8_t index; (index = kSlotTable[slot]) != 0; slot = (slot + 1) & (kSlots - 1)) {
    if (kKeywordLength[index] == word.size() && SameWord(word, kKeywordInfo[index].text)) {
      return static_cast<Keyword>(index);
    }
  }
  return Keyword::kNone;
}

namespace {

struct Upper16 {
  char text[16];
};

constexpr std::array<Upper16, kKeywordCount> BuildUpper() {
  std::array<Upper16, kKeywordCount> upper{};
  for (size_t i = 0; i < kKeywordCount; ++i) {
    const std::string_view text = kKeywordInfo[i].text;
    for (size_t j = 0; j < text.size() && j < 16; ++j) {
      const char c = text[j];
      upper[i].text[j] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
    }
  }
  return upper;
}

constexpr std::array<Upper16, kKeywordCount> kKeywordUpper = BuildUpper();

}  // namespace

const char* KeywordUpper16(Keyword keyword) {
  return kKeywordUpper[static_cast<size_t>(keyword)].text;
}

std::string_view KeywordText(Keyword keyword) {
  return kKeywordInfo[static_cast<size_t>(keyword)].text;
}

}  // namespace switchyard::parser
