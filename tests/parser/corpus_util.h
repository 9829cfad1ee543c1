// Test helpers for the SQL corpora under ../shared/corpus: locating them,
// reading files, and turning a psql script into plain SQL.
#pragma once

#include <string>
#include <vector>

namespace switchyard::parser::testing {

// Directory of the corpora, or "" when absent (a user's own clone).
std::string CorpusDir();

// Sorted *.sql files of `dir`.
std::vector<std::string> SqlFiles(const std::string& dir);

std::string ReadFile(const std::string& path);

// Drops psql meta-command lines (starting with '\') and the data lines of
// COPY … FROM stdin (up to the "\." line), which are not SQL.
std::string StripPsql(const std::string& script);

// FNV-1a 64 of a statement's text, as a 16-digit hex key for the
// known-differences file.
std::string StatementKey(std::string_view text);

}  // namespace switchyard::parser::testing
