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

using keyword_internal::Folded;
using keyword_internal::HashWord;
using keyword_internal::kSlots;
static_assert(kKeywordCount < kSlots / 4, "keyword table too full");
static_assert(kKeywordCount <= 256, "keywords are uint8_t");

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

}  // namespace

namespace keyword_internal {
constexpr std::array<uint8_t, kSlots> kSlotTable = BuildSlots();
}  // namespace keyword_internal

namespace {

using keyword_internal::kSlotTable;

constexpr std::array<uint8_t, kKeywordCount> BuildLengths() {
  std::array<uint8_t, kKeywordCount> lengths{};
  for (size_t i = 0; i < kKeywordCount; ++i) {
    lengths[i] = static_cast<uint8_t>(kKeywordInfo[i].text.size());
  }
  return lengths;
}

constexpr std::array<uint8_t, kKeywordCount> kKeywordLength = BuildLengths();

constexpr std::array<Folded, 256> BuildFolded() {
  std::array<Folded, 256> folded{};
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

}  // namespace

namespace keyword_internal {
constexpr std::array<Folded, 256> kFolded = BuildFolded();
}  // namespace keyword_internal

namespace {

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

namespace keyword_internal {

constexpr std::array<Upper16, 256> BuildUpper() {
  std::array<Upper16, 256> upper{};
  for (size_t i = 0; i < kKeywordCount; ++i) {
    const std::string_view text = kKeywordInfo[i].text;
    for (size_t j = 0; j < text.size() && j < 16; ++j) {
      const char c = text[j];
      upper[i].text[j] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
    }
  }
  return upper;
}

constexpr std::array<Upper16, 256> kUpper16 = BuildUpper();

}  // namespace keyword_internal

std::string_view KeywordText(Keyword keyword) {
  return kKeywordInfo[static_cast<size_t>(keyword)].text;
}

}  // namespace switchyard::parser
