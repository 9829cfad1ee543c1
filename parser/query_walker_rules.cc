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

// CURRENT_DATE and friends: functions without parentheses, by size.
bool IsSqlValueFunctionName(std::string_view name) {
  switch (name.size()) {
    case 4: return name == "user";
    case 9: return name == "localtime";
    case 12:
      return name == "current_date" || name == "current_role" || name == "current_time" ||
             name == "current_user" || name == "session_user";
    case 14: return name == "current_schema" || name == "localtimestamp";
    case 15: return name == "current_catalog";
    case 17: return name == "current_timestamp";
    default: return false;
  }
}

}  // namespace switchyard::parser
