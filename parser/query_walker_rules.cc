#include "parser/query_walker_rules.h"

namespace switchyard::parser {

bool IsQueryStart(const Token& t) {
  return t.Is(Keyword::kSelect) || t.Is(Keyword::kWith) ||
         t.Is(Keyword::kValues) || t.Is(Keyword::kTable) ||
         t.Is(Keyword::kInsert) || t.Is(Keyword::kUpdate) ||
         t.Is(Keyword::kDelete) || t.Is(Keyword::kMerge);
}

// Keywords that double as function names when followed by '('.
bool IsCallableKeyword(Keyword k) {
  return k == Keyword::kNone || k == Keyword::kLeft || k == Keyword::kRight ||
         k == Keyword::kReplace || k == Keyword::kIf ||
         k == Keyword::kDatabase || k == Keyword::kCharset ||
         k == Keyword::kFirst || k == Keyword::kLast;
}

bool IsSqlValueFunctionName(std::string_view name) {
  for (std::string_view f : kSqlValueFunctionNames) {
    if (f == name) return true;
  }
  return false;
}

}  // namespace switchyard::parser
