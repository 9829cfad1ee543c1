// Keyword classes the query walker decides by: where a query starts, which
// keywords may be called like functions, which end a FROM list, and which
// bare words are SQL value functions rather than tables.
#pragma once

#include <string_view>

#include "parser/token.h"

namespace switchyard::parser {

// SELECT/WITH/VALUES/TABLE or a DML verb: the start of a (sub)query.
bool IsQueryStart(const Token& t);

// Keywords that double as function names when followed by '('.
bool IsCallableKeyword(Keyword k);

// CURRENT_DATE and friends: functions without parentheses.
bool IsSqlValueFunction(std::string_view name);

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
