// Entry point of the SQL parser: text → one Analysis per statement.
//
// Pure: no I/O, no globals, never throws, never crashes on any input.
// Thread-safe: Analyze() may be called concurrently from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parser/analysis.h"

namespace switchyard::parser {

struct Options {
  // Functions that write or take locks; a call makes a statement not read-only.
  // Lower-case. Empty means the built-in default list (DefaultWritingFunctions()).
  std::vector<std::string> writing_functions;
};

const std::vector<std::string>& DefaultWritingFunctions();

// Splits `sql` into statements and analyses each. An empty or comment-only
// string yields an empty vector.
std::vector<Analysis> Analyze(std::string_view sql, Dialect dialect,
                              const Options& options = {});

// Analyze() into `out`, replacing its contents. The elements already in
// `out` are reset and refilled in place: their strings and vectors keep their
// capacity, so a caller that keeps one result for statement after statement
// stops allocating once it is warm (AnalysisPool does this for shared
// results). The outcome equals Analyze()'s.
void AnalyzeInto(std::string_view sql, Dialect dialect, const Options& options,
                 std::vector<Analysis>& out);

// The lexer's working storage (lexer.h), large and set up per text: a caller
// that analyses text after text may keep one and pass it here (AnalysisPool
// does). The outcome equals AnalyzeInto()'s.
struct LexResult;
void AnalyzeInto(std::string_view sql, Dialect dialect, const Options& options,
                 std::vector<Analysis>& out, LexResult& lex);

// The text of each statement Analyze() would see, from its first token to
// its last (no ';', no surrounding comments), as views into `sql`. For
// tools and tests that need the statement text beside its analysis.
std::vector<std::string_view> StatementTexts(std::string_view sql,
                                             Dialect dialect);

}  // namespace switchyard::parser
