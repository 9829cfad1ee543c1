// JSON rendering of an Analysis, for `switchyard analyze`, golden files and
// logs. One object, no trailing newline; keys in a fixed order, optional
// parts omitted when empty so that goldens stay short.
#pragma once

#include <string>

#include "parser/analysis.h"

namespace switchyard::parser {

std::string AnalysisToJson(const Analysis& analysis);

// Lower-case names used in the JSON ("select", "begin", "set_local", …).
const char* KindName(StatementKind kind);
const char* TransactionOpName(TransactionOp op);
const char* SessionOpName(SessionOp op);
const char* UtilityOpName(UtilityOp op);

}  // namespace switchyard::parser
