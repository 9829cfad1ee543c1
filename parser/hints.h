// Routing hints written in SQL comments:
//   /* switchyard: primary */            → force_primary
//   /* switchyard: shard=eu-1 */         → shard
//   /* switchyard: max_lag=500ms */      → max_lag_ms (ms or s)
// Several hints may share one comment, separated by commas or spaces.
#pragma once

#include <string_view>

#include "parser/analysis.h"

namespace switchyard::parser {

// Reads the hints of one comment's text (including its delimiters) into
// `hints`; text without the "switchyard:" marker is ignored.
void ReadHints(std::string_view comment, Hints& hints);

}  // namespace switchyard::parser
