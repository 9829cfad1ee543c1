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

// Clause keywords after which a ',' no longer introduces a table.
bool EndsFromList(Keyword k);

}  // namespace switchyard::parser
