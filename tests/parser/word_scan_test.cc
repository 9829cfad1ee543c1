#include "parser/word_scan.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace switchyard::parser {
namespace {

// The lexer's word bytes, one at a time (the reference).
bool IsWordByte(unsigned char c, bool dollar) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c >= 0x80 || (dollar && c == '$');
}

size_t ReferenceLength(std::string_view text, bool dollar) {
  size_t n = 0;
  while (n < text.size() && IsWordByte(static_cast<unsigned char>(text[n]), dollar)) ++n;
  return n;
}

// `text` followed by zero bytes, as the lexer's copy.
std::string Padded(std::string_view text) { return std::string(text) + std::string(32, '\0'); }

template <bool kDollar>
size_t ScannedLength(const std::string& padded) {
  const WordBytes w = ScanWord<kDollar>(padded.data());
  return w.length < 16 ? w.length : LongWordLength<kDollar>(padded.data());
}

TEST(WordScan, EveryByteEndsAWordOrNotAsTheLexerClassifiesIt) {
  for (int c = 0; c < 256; ++c) {
    for (size_t before : {1, 5, 15, 16, 17, 31, 40}) {
      std::string text(before, 'a');
      text += static_cast<char>(c);
      text += "bc,d";
      const std::string padded = Padded(text);
      EXPECT_EQ(ScannedLength<true>(padded), ReferenceLength(text, true)) << c << " " << before;
      EXPECT_EQ(ScannedLength<false>(padded), ReferenceLength(text, false)) << c << " " << before;
    }
  }
}

TEST(WordScan, LowerCasesAsciiLettersOnly) {
  const std::string padded = Padded("AbZ_9$\xC3\x89@[`{ x");
  const WordBytes w = ScanWord<true>(padded.data());
  EXPECT_EQ(w.length, 8u);
  char lower[16];
  _mm_storeu_si128(reinterpret_cast<__m128i*>(lower), w.Lower());
  EXPECT_EQ(std::string_view(lower, 16), std::string_view("abz_9$\xC3\x89@[`{ x\0\0", 16));
}

Keyword Lookup16(std::string_view text) {
  const std::string padded = Padded(text);
  const WordBytes w = ScanWord<true>(padded.data());
  return w.length < 16 ? LookupKeyword16(w) : Keyword::kNone;
}

TEST(WordScan, KeywordLookupAgreesWithLookupKeyword) {
  for (int k = 1; k < 256; ++k) {
    const std::string_view text = KeywordText(static_cast<Keyword>(k));
    if (text.empty()) break;
    std::string upper(text), mixed(text);
    for (size_t i = 0; i < text.size(); ++i) {
      if (upper[i] >= 'a' && upper[i] <= 'z') upper[i] = static_cast<char>(upper[i] - 32);
      if (i % 2 == 0) mixed[i] = upper[i];
    }
    for (const std::string& word : {std::string(text), upper, mixed}) {
      EXPECT_EQ(Lookup16(word), static_cast<Keyword>(k)) << word;
      EXPECT_EQ(Lookup16(word + " x"), static_cast<Keyword>(k)) << word;
      EXPECT_EQ(Lookup16(word + "(1)"), static_cast<Keyword>(k)) << word;
      // DEL folds onto '_' with `| 0x20`: it ends the word, not the keyword.
      EXPECT_EQ(Lookup16(word + "\x7f" + "x"), static_cast<Keyword>(k)) << word;
      EXPECT_EQ(Lookup16(word + "s"), LookupKeyword(word + "s")) << word;
      EXPECT_EQ(Lookup16(word + "_"), LookupKeyword(word + "_")) << word;
      EXPECT_EQ(Lookup16(word.substr(0, word.size() - 1)),
                LookupKeyword(word.substr(0, word.size() - 1)))
          << word;
    }
  }
  EXPECT_EQ(Lookup16("customer_id"), Keyword::kNone);
  EXPECT_EQ(Lookup16("x"), Keyword::kNone);
  EXPECT_EQ(Lookup16("characteristicsx"), Keyword::kNone);  // 16 bytes
}

}  // namespace
}  // namespace switchyard::parser
