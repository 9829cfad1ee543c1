#include "parser/keywords.h"

#include <array>

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

// Open-addressing table of keyword indexes, built at compile time: one hash
// probe and one comparison per word in the lexer.
constexpr size_t kSlots = 1024;
static_assert(kKeywordCount < kSlots / 2, "keyword table too full");

constexpr uint32_t HashText(std::string_view text) {
  uint32_t h = kKeywordHashSeed;
  for (char c : text) h = KeywordHashStep(h, c);
  return h;
}

constexpr std::array<uint8_t, kSlots> BuildSlots() {
  std::array<uint8_t, kSlots> slots{};
  for (size_t i = 1; i < kKeywordCount; ++i) {
    size_t slot = HashText(kKeywordInfo[i].text) & (kSlots - 1);
    while (slots[slot] != 0) slot = (slot + 1) & (kSlots - 1);
    slots[slot] = static_cast<uint8_t>(i);
  }
  return slots;
}

constexpr std::array<uint8_t, kSlots> kSlotTable = BuildSlots();

bool EqualsLower(std::string_view word, std::string_view lower) {
  if (word.size() != lower.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != lower[i]) return false;
  }
  return true;
}

}  // namespace

Keyword LookupKeyword(std::string_view word, uint32_t hash) {
  if (word.size() < 2 || word.size() > 16) return Keyword::kNone;
  size_t slot = hash & (kSlots - 1);
  while (kSlotTable[slot] != 0) {
    const uint8_t index = kSlotTable[slot];
    if (EqualsLower(word, kKeywordInfo[index].text)) {
      return static_cast<Keyword>(index);
    }
    slot = (slot + 1) & (kSlots - 1);
  }
  return Keyword::kNone;
}

Keyword LookupKeyword(std::string_view word) {
  return LookupKeyword(word, HashText(word));
}

std::string_view KeywordText(Keyword keyword) {
  return kKeywordInfo[static_cast<size_t>(keyword)].text;
}

}  // namespace switchyard::parser
