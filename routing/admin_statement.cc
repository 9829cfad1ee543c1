#include "routing/admin_statement.h"

#include <cstddef>

namespace switchyard::routing {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Skips blanks from `pos`; true when the word `upper` (upper case) follows,
// ends there, and is then passed.
bool TakeWord(std::string_view sql, size_t& pos, std::string_view upper) {
  while (pos < sql.size() && IsSpace(sql[pos])) ++pos;
  if (sql.size() - pos < upper.size()) return false;
  for (size_t i = 0; i < upper.size(); ++i) {
    const char c = sql[pos + i];
    if ((c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c) != upper[i]) return false;
  }
  const size_t end = pos + upper.size();
  if (end < sql.size() && IsWordByte(sql[end])) return false;
  pos = end;
  return true;
}

}  // namespace

AdminStatement ClassifyAdminStatement(std::string_view sql) {
  size_t pos = 0;
  if (!TakeWord(sql, pos, "SHOW") || !TakeWord(sql, pos, "SWITCHYARD")) return AdminStatement::kNone;
  if (!TakeWord(sql, pos, "SERVERS")) return AdminStatement::kMisused;
  while (pos < sql.size() && IsSpace(sql[pos])) ++pos;
  if (pos < sql.size() && sql[pos] == ';') ++pos;
  while (pos < sql.size() && IsSpace(sql[pos])) ++pos;
  return pos == sql.size() ? AdminStatement::kShowServers : AdminStatement::kMisused;
}

}  // namespace switchyard::routing
