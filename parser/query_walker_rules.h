// Keyword classes the query walker decides by: where a query starts, which
// keywords may be called like functions, which end a FROM list, and which
// bare words are SQL value functions rather than tables.
#pragma once

#include <cstdint>
#include <string_view>

#include "parser/token.h"

namespace switchyard::parser {

// SELECT/WITH/VALUES/TABLE or a DML verb: the start of a (sub)query.
bool IsQueryStart(const Token& t);

// Keywords that double as function names when followed by '('.
bool IsCallableKeyword(Keyword k);

// CURRENT_DATE and friends: functions without parentheses.
// All start with c, l, s or u and are 4, 9, 12, 14, 15 or 17 bytes long:
// most names are ruled out inline by their size.
bool IsSqlValueFunctionName(std::string_view name);
inline bool IsSqlValueFunction(std::string_view name) {
  constexpr uint32_t kSizes = 1u << 4 | 1u << 9 | 1u << 12 | 1u << 14 | 1u << 15 | 1u << 17;
  if (name.size() > 17 || !(kSizes >> name.size() & 1)) return false;
  return IsSqlValueFunctionName(name);
}

// Clause keywords after which a ',' no longer introduces a table (inline:
// asked for every keyword the walker meets).
inline bool EndsFromList(Keyword k) {
  switch (k) {
    case Keyword::kWhere: case Keyword::kGroup: case Keyword::kHaving:
    case Keyword::kOrder: case Keyword::kLimit: case Keyword::kOffset:
    case Keyword::kFetch: case Keyword::kFor: case Keyword::kUnion:
    case Keyword::kIntersect: case Keyword::kExcept: case Keyword::kWindow:
    case Keyword::kReturning: case Keyword::kSet: case Keyword::kInto:
    case Keyword::kWhen: case Keyword::kSelect: case Keyword::kValues:
    case Keyword::kLock: case Keyword::kProcedure:
      return true;
    default:
      return false;
  }
}

}  // namespace switchyard::parser
