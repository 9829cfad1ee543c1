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

// Each keyword's slot; 0 in every slot when two keywords share one.
constexpr std::array<uint8_t, kSlots> BuildSlots() {
  std::array<uint8_t, kSlots> slots{};
  for (size_t i = 1; i < kKeywordCount; ++i) {
    const std::string_view text = kKeywordInfo[i].text;
    const size_t slot = HashWord(text.data(), text.size());
    if (slots[slot] != 0) return {};
    slots[slot] = static_cast<uint8_t>(i);
  }
  return slots;
}

constexpr bool EveryKeywordHasItsSlot(const std::array<uint8_t, kSlots>& slots) {
  size_t filled = 0;
  for (uint8_t index : slots) filled += index != 0;
  return filled == kKeywordCount - 1;
}

}  // namespace

namespace keyword_internal {
constexpr std::array<uint8_t, kSlots> kSlotTable = BuildSlots();
static_assert(EveryKeywordHasItsSlot(kSlotTable),
              "two keywords share a slot: pick another kHashMultiplier (keywords.h)");
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
  const uint8_t index = kSlotTable[HashWord(word.data(), word.size())];
  if (index != 0 && kKeywordLength[index] == word.size() &&
      SameWord(word, kKeywordInfo[index].text)) {
    return static_cast<Keyword>(index);
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
