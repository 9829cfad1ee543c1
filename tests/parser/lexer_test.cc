#include "parser/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace switchyard::parser {
namespace {

std::vector<std::string> Texts(std::string_view sql, Dialect d) {
  LexResult r;
  Lex(sql, d, r);
  std::vector<std::string> out;
  for (const Token& t : r.tokens) out.emplace_back(t.Text(sql));
  return out;
}

using V = std::vector<std::string>;

TEST(Lexer, PostgresDollarQuotesNestedCommentsAndCasts) {
  EXPECT_EQ(Texts("SELECT $a$ x; 'y' $a$::text /* a /* b */ c */ , $1", Dialect::kPostgres),
            (V{"SELECT", "$a$ x; 'y' $a$", "::", "text", ",", "$1"}));
}

TEST(Lexer, PostgresEscapeAndUnicodeStrings) {
  EXPECT_EQ(Texts(R"(E'it\'s' U&'\0041' 'a''b')", Dialect::kPostgres),
            (V{R"(E'it\'s')", R"(U&'\0041')", "'a''b'"}));
}

TEST(Lexer, PostgresCustomOperatorsStopBeforeComments) {
  EXPECT_EQ(Texts("a @>-- c\n b <-> c", Dialect::kPostgres), (V{"a", "@>", "b", "<->", "c"}));
}

TEST(Lexer, MySqlBackticksHashCommentsAndBackslashes) {
  EXPECT_EQ(Texts("SELECT `a``b` # c\n, 'x\\'y', \"q\" -- z\n", Dialect::kMySql),
            (V{"SELECT", "`a``b`", ",", "'x\\'y'", ",", "\"q\""}));
}

TEST(Lexer, MySqlDoubleDashNeedsSpaceToBeAComment) {
  EXPECT_EQ(Texts("1--1", Dialect::kMySql), (V{"1", "-", "-", "1"}));
}

TEST(Lexer, UnterminatedInputRunsToTheEnd) {
  EXPECT_EQ(Texts("SELECT 'abc", Dialect::kPostgres), (V{"SELECT", "'abc"}));
  EXPECT_EQ(Texts("SELECT /* x", Dialect::kPostgres), (V{"SELECT"}));
  EXPECT_EQ(Texts("SELECT $q$ x", Dialect::kPostgres), (V{"SELECT", "$q$ x"}));
  EXPECT_EQ(Texts("SELECT 'a\\", Dialect::kMySql), (V{"SELECT", "'a\\"}));
}

TEST(Lexer, KeywordsAreIdentifiedCaseInsensitively) {
  LexResult r;
  Lex("sElEcT from_x FROM", Dialect::kPostgres, r);
  ASSERT_EQ(r.tokens.size(), 3u);
  EXPECT_EQ(r.tokens[0].keyword, Keyword::kSelect);
  EXPECT_EQ(r.tokens[1].keyword, Keyword::kNone);
  EXPECT_EQ(r.tokens[2].keyword, Keyword::kFrom);
}

TEST(LexerOperators, PostgresOneByteOperatorsAndRuns) {
  EXPECT_EQ(Texts("a=b a = -1 a<>b a<=-b x-- c\n+y #z ~", Dialect::kPostgres),
            (V{"a", "=", "b", "a", "=", "-", "1", "a", "<>", "b", "a", "<=-", "b", "x", "+",
               "y", "#", "z", "~"}));
}

TEST(LexerOperators, MySqlLongestOperatorFirst) {
  EXPECT_EQ(Texts("a<=>b c->>d e->f g<=h i>=j k<>l m!=n o||p q&&r s<<t u>>v w=x y<z -1 a=-b",
                  Dialect::kMySql),
            (V{"a", "<=>", "b", "c", "->>", "d", "e", "->", "f", "g", "<=", "h", "i", ">=", "j",
               "k", "<>", "l", "m", "!=", "n", "o", "||", "p", "q", "&&", "r", "s", "<<", "t",
               "u", ">>", "v", "w", "=", "x", "y", "<", "z", "-", "1", "a", "=", "-", "b"}));
  EXPECT_EQ(Texts("a<", Dialect::kMySql), (V{"a", "<"}));
  EXPECT_EQ(Texts("a<=", Dialect::kMySql), (V{"a", "<="}));
}

// Every token as kind, keyword, flags and text.
std::vector<std::string> Described(std::string_view sql, Dialect d) {
  LexResult r;
  Lex(sql, d, r);
  std::vector<std::string> out;
  for (const Token& t : r.tokens) {
    out.push_back(std::to_string(static_cast<int>(t.kind)) + "/" +
                  std::to_string(static_cast<int>(t.keyword)) + "/" +
                  std::to_string(static_cast<int>(t.flags)) + " " + std::string(t.Text(sql)));
  }
  return out;
}

// A text of every kind of token that does not start with a word lexes the
// same on the short path (with the shape), the long one (a check per token)
// and the long one over a heap copy (past the stack buffer): repeated, it
// gives its tokens repeated.
TEST(Lexer, EveryPathLexesTheSameTokens) {
  const std::string_view unit =
      "SELECT (a[1]), b.c, .5, 0, 7, 10, 0x1F, 0b1, 1.5, 1e-3, 1_000, 1..2, 2.x, 3abc; "
      "'s', 'it''s', E'e\\'', \"q\", `b`, $1, $a$ $ $a$, ?, @v, @@g, :v, ::int, := "
      "\t\n\v\f\r a=b <> -1 x-y # ~ !=, a/*c*/b -- d\n e /*!50100 f */ g\n";
  for (Dialect d : {Dialect::kPostgres, Dialect::kMySql}) {
    const std::vector<std::string> one = Described(unit, d);
    ASSERT_GT(one.size(), 60u);
    for (size_t copies : {40u, 200u}) {  // 4 KiB (stack copy), 20 KiB (heap copy)
      std::string text;
      std::vector<std::string> expected;
      for (size_t i = 0; i < copies; ++i) {
        text += unit;
        expected.insert(expected.end(), one.begin(), one.end());
      }
      ASSERT_GT(text.size(), copies == 40 ? 256u : 8192u);
      EXPECT_EQ(Described(text, d), expected) << "dialect " << static_cast<int>(d);
    }
  }
}

}  // namespace
}  // namespace switchyard::parser
