#include "parser/statement_context.h"

#include <algorithm>

#include "parser/ascii_copy.h"
#include "parser/spare_entries.h"
#include "parser/writing_functions.h"

namespace switchyard::parser {
namespace {

void Unquote(std::string_view text, char quote, std::string& out) {
  if (text.find(quote) == std::string_view::npos) return SetText(out, text);
  out.clear();
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    out.push_back(text[i]);
    if (text[i] == quote && i + 1 < text.size() && text[i + 1] == quote) ++i;
  }
}

// Backslash escapes of MySQL strings and PostgreSQL E'' strings.
void Unescape(std::string_view text, char quote, std::string& out) {
  if (text.find('\\') == std::string_view::npos) return Unquote(text, quote, out);
  out.clear();
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      const char n = text[++i];
      c = n == 'n' ? '\n' : n == 't' ? '\t' : n == 'r' ? '\r' : n == '0' ? '\0' : n;
    } else if (c == quote && i + 1 < text.size() && text[i + 1] == quote) {
      ++i;
    }
    out.push_back(c);
  }
}

bool IsWritingFunction(const StatementContext& ctx, std::string_view lower) {
  if (ctx.writing_functions == nullptr) return IsDefaultWritingFunction(lower);
  for (const std::string& entry : *ctx.writing_functions) {
    if (MatchesWritingEntry(lower, entry)) return true;
  }
  return false;
}

}  // namespace

void DropStaleParts(Analysis& a, Stale& stale) {
  a.tables.resize(a.tables.size() - stale.spare_tables);
  a.functions.resize(a.functions.size() - stale.spare_functions);
  a.order_by.resize(a.order_by.size() - stale.spare_order_by);
  if (stale.limit) a.limit.reset();
  if (stale.offset) a.offset.reset();
  if (stale.predicate_children && a.predicates) a.predicates->children.clear();
  if (stale.predicates) a.predicates.reset();
  if (stale.insert) a.insert.reset();
  stale = Stale{};
}

void ReplaceAnalysis(const StatementContext& ctx, Analysis&& a) {
  *ctx.out = std::move(a);
  if (ctx.stale != nullptr) *ctx.stale = Stale{};
}



void DropSpareChildren(const StatementContext& ctx) {
  if (ctx.stale == nullptr || !ctx.stale->predicate_children) return;
  ctx.out->predicates->children.clear();
  ctx.stale->predicate_children = false;
}


void SetReason(Analysis& out, std::string_view reason) {
  constexpr size_t kShort = 15;  // std::string's inline capacity in libstdc++
  if (reason.size() > kShort || !out.reason.empty()) return SetText(out.reason, reason);
  // A short reason ("writes data") into the empty string: a fixed 15 bytes
  // appended (an inline copy, within the capacity every string has), then
  // cut; appending the reason itself copied it with a memcpy call.
  char buffer[kShort] = {};
  CopyShort<CaseChange::kNone>(buffer, reason.data(), reason.size());
  out.reason.append(buffer, kShort).erase(reason.size());
}

void AddTable(const StatementContext& ctx, std::string schema, std::string name,
              bool written) {
  if (name.empty()) return;
  TableRef& t = NewTable(ctx);
  t.schema = std::move(schema);
  t.name = std::move(name);
  KeepNewTable(ctx, t, written);
}

TableRef& AppendTable(std::vector<TableRef>& tables) {
  if (tables.empty()) tables.reserve(4);
  return tables.emplace_back();
}

void MergeNewTable(const StatementContext& ctx, bool written) {
  std::vector<TableRef>& tables = ctx.out->tables;
  const size_t n = TableCount(ctx) - 1;  // the new entry's index
  TableRef& last = tables[n];
  if (last.name.empty()) return DropNewTable(ctx);
  // Deduplicated against the 64 entries before it only, so that a
  // statement naming 100,000 tables stays linear (duplicates beyond that
  // are harmless).
  for (size_t i = n > 64 ? n - 64 : 0; i < n; ++i) {
    TableRef& t = tables[i];
    if (t.name == last.name && t.schema == last.schema) {
      t.written = t.written || written;
      return DropNewTable(ctx);
    }
  }
  last.written = written;
}

namespace {

// Takes the first spare entry of ctx.out->functions (index n), just spelled,
// unless one of the recent entries from `window` on has the same name.
void KeepSpareFunction(const StatementContext& ctx, size_t n, size_t window) {
  const std::vector<std::string>& functions = ctx.out->functions;
  const std::string& entry = functions[n];
  for (size_t i = window; i < n; ++i) {
    if (functions[i] == entry) return;
  }
  --ctx.stale->spare_functions;
  if (IsWritingFunction(ctx, entry)) NotReadOnly(*ctx.out, "calls " + entry);
}

}  // namespace

void AddFunction(const StatementContext& ctx, std::string_view name) {
  Analysis& out = *ctx.out;
  std::vector<std::string>& functions = out.functions;
  // This result's entries; the spares after them (see Stale) are not.
  const uint32_t spares = ctx.stale != nullptr ? ctx.stale->spare_functions : 0;
  const size_t n = functions.size() - spares;
  const size_t window = n > 64 ? n - 64 : 0;  // deduplicated against recent entries
  constexpr size_t kShort = 15;  // std::string's inline capacity in libstdc++
  if (spares != 0) {
    // Spelled over the first spare's old name, in place when that is as
    // long (mostly the same name again).
    std::string& entry = functions[n];
    if (name.size() <= kShort && entry.size() >= name.size()) {
      entry.resize(name.size());
      CopyShort<CaseChange::kLower>(entry.data(), name.data(), name.size());
    } else {
      AssignLower(entry, name);
    }
    return KeepSpareFunction(ctx, n, window);
  }
  if (functions.empty()) functions.reserve(4);
  if (name.size() <= kShort) {
    // Lower-cased on the stack, compared there, and stored by constructing
    // the entry from a fixed 15 bytes then cut: no out-of-line append and
    // no memcpy call, for a name that is new in this result.
    char buffer[kShort] = {};
    CopyExact<CaseChange::kLower>(buffer, name.data(), name.size());
    const std::string_view lower(buffer, name.size());
    for (size_t i = window; i < n; ++i) {
      if (functions[i] == lower) return;
    }
    functions.emplace_back(buffer, kShort).erase(lower.size());
    if (IsWritingFunction(ctx, lower)) NotReadOnly(out, "calls " + std::string(lower));
    return;
  }
  // Spelled in place, dropped again when a recent entry has the same name.
  const std::string& lower = functions.emplace_back();
  AssignLower(functions.back(), name);
  const auto last = functions.begin() + static_cast<std::ptrdiff_t>(n);
  if (std::find(functions.begin() + static_cast<std::ptrdiff_t>(window), last, lower) != last) {
    functions.pop_back();
    return;
  }
  if (IsWritingFunction(ctx, lower)) NotReadOnly(out, "calls " + lower);
}

void QuotedIdentifierName(const StatementContext& ctx, const Token& token, std::string& out) {
  std::string_view text = token.Text(ctx.sql);
  if (text.size() >= 2 && (text[0] == 'U' || text[0] == 'u')) {
    text.remove_prefix(2);  // U&"..."
  }
  if (text.size() < 2) return SetText(out, text);
  const char quote = text.front();
  Unquote(text.substr(1, text.size() - 2), quote, out);
}

void IdentifierNameInto(const StatementContext& ctx, const Token& token, std::string& out) {
  if (token.kind == TokenKind::kQuotedIdent) return QuotedIdentifierName(ctx, token, out);
  const std::string_view text = token.Text(ctx.sql);
  if (!ctx.Pg()) return SetText(out, text);
  if (text.size() > 16) return AssignLower(out, text);
  // A short name into a shorter string (mostly a new one): copied as it
  // stands, then lower-cased in place with the straight-line copy.
  out.clear();
  out.append(text.data(), text.size());
  CopyShort<CaseChange::kLower>(out.data(), out.data(), text.size());
}

std::string IdentifierName(const StatementContext& ctx, const Token& token) {
  std::string out;
  IdentifierName(ctx, token, out);
  return out;
}

void QuotedLiteralText(const StatementContext& ctx, const Token& token, std::string& out) {
  std::string_view text = token.Text(ctx.sql);
  if (text.size() >= 2 && text[0] == '$') {  // $tag$body$tag$
    const size_t open = text.find('$', 1);
    if (open == std::string_view::npos) return out.assign(text), void();
    const size_t tag = open + 1;
    if (text.size() < 2 * tag) return out.clear();
    return out.assign(text.substr(tag, text.size() - 2 * tag)), void();
  }
  const size_t quote = text.find_first_of("'\"");
  if (quote == std::string_view::npos || text.size() < quote + 2) {
    return out.assign(text), void();
  }
  const char q = text[quote];
  // Backslash escapes apply to MySQL strings and pg E'…' strings.
  const bool escapes = !ctx.Pg() || (quote == 1 && (text[0] == 'e' || text[0] == 'E'));
  text.remove_prefix(quote + 1);
  if (!text.empty() && text.back() == q) text.remove_suffix(1);
  if (escapes) {
    Unescape(text, q, out);
  } else {
    Unquote(text, q, out);
  }
}

std::string LiteralText(const StatementContext& ctx, const Token& token) {
  std::string out;
  LiteralText(ctx, token, out);
  return out;
}

size_t ReadQualifiedName(const StatementContext& ctx, size_t pos, size_t end,
                         std::string& schema, std::string& name) {
  const NameParts parts = ReadNameParts(ctx, pos, end);
  if (parts.count == 0) return pos;
  IdentifierName(ctx, ctx.tokens[parts.name], name);
  if (parts.count >= 2) {
    IdentifierName(ctx, ctx.tokens[parts.schema], schema);
  } else {
    schema.clear();
  }
  return parts.after;
}


}  // namespace switchyard::parser
