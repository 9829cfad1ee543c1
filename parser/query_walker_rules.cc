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

// CURRENT_DATE and friends: functions without parentheses.
bool IsSqlValueFunction(std::string_view name) {
  // All start with c, l, s or u and are 4, 9, 12, 14, 15 or 17 bytes long.
  constexpr uint32_t kSizes = 1u << 4 | 1u << 9 | 1u << 12 | 1u << 14 | 1u << 15 | 1u << 17;
  if (name.size() > 17 || !(kSizes >> name.size() & 1)) return false;
  const char first = name[0];
  if (first != 'c' && first != 'l' && first != 's' && first != 'u') return false;
  static constexpr std::string_view kNames[] = {
      "current_catalog", "current_date", "current_role", "current_schema",
      "current_time", "current_timestamp", "current_user", "localtime",
      "localtimestamp", "session_user", "user"};
  for (std::string_view n : kNames) {
    if (n == name) return true;
  }
  return false;
}

}  // namespace switchyard::parser
