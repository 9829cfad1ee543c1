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

}  // namespace
}  // namespace switchyard::parser
