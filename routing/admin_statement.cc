#include "routing/admin_statement.h"

#include <cstddef>
#include <cstring>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "parser/parser.h"

namespace switchyard::routing {
namespace {

void SkipSpace(std::string_view sql, size_t& pos) {
  while (pos < sql.size() && absl::ascii_isspace(static_cast<unsigned char>(sql[pos]))) ++pos;
}

// Skips blanks from `pos`; true when the word `word` (any case) follows,
// ends there, and is then passed.
bool TakeWord(std::string_view sql, size_t& pos, std::string_view word) {
  SkipSpace(sql, pos);
  const std::string_view next = sql.substr(pos, word.size());
  // (Debian's Abseil has a string_view of its own.)
  if (!absl::EqualsIgnoreCase(absl::string_view(next.data(), next.size()),
                              absl::string_view(word.data(), word.size()))) {
    return false;
  }
  const size_t end = pos + word.size();
  if (end < sql.size() && (absl::ascii_isalnum(static_cast<unsigned char>(sql[end])) || sql[end] == '_')) {
    return false;
  }
  pos = end;
  return true;
}

// The first statement of `sql` alone.
AdminStatement ClassifyFirst(std::string_view sql) {
  size_t pos = 0;
  if (!TakeWord(sql, pos, "SHOW") || !TakeWord(sql, pos, "SWITCHYARD")) return AdminStatement::kNone;
  if (!TakeWord(sql, pos, "SERVERS")) return AdminStatement::kMisused;
  SkipSpace(sql, pos);
  if (pos < sql.size() && sql[pos] == ';') ++pos;
  SkipSpace(sql, pos);
  return pos == sql.size() ? AdminStatement::kShowServers : AdminStatement::kMisused;
}

}  // namespace

bool MayHoldSeveralStatements(std::string_view sql) {
  for (size_t pos = 0;;) {
    const void* semi = std::memchr(sql.data() + pos, ';', sql.size() - pos);
    if (semi == nullptr) return false;
    pos = static_cast<size_t>(static_cast<const char*>(semi) - sql.data()) + 1;
    SkipSpace(sql, pos);
    if (pos == sql.size()) return false;
    if (sql[pos] != ';') return true;
  }
}

AdminStatement ClassifyAdminStatement(std::string_view sql, parser::Dialect dialect) {
  const AdminStatement first = ClassifyFirst(sql);
  if (first != AdminStatement::kNone || !MayHoldSeveralStatements(sql)) return first;
  const std::vector<std::string_view> statements = parser::StatementTexts(sql, dialect);
  for (size_t i = 1; i < statements.size(); ++i) {
    if (ClassifyFirst(statements[i]) != AdminStatement::kNone) return AdminStatement::kMisused;
  }
  return AdminStatement::kNone;
}

}  // namespace switchyard::routing
