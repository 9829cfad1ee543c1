// SELECT / VALUES / TABLE / WITH … / INSERT / REPLACE / UPDATE / DELETE /
// MERGE: decides the kind from the main verb, then lets the walker find
// tables and write markers and the shape extractor read the top level.
#include <array>

#include "parser/families.h"
#include "parser/query_shape.h"
#include "parser/query_walker.h"

namespace switchyard::parser {
namespace {

constexpr std::array<bool, 256> BuildVerbs() {
  std::array<bool, 256> verbs{};
  for (Keyword k : {Keyword::kSelect, Keyword::kInsert, Keyword::kUpdate, Keyword::kDelete,
                    Keyword::kMerge, Keyword::kValues, Keyword::kTable, Keyword::kReplace}) {
    verbs[static_cast<size_t>(k)] = true;
  }
  return verbs;
}
constexpr std::array<bool, 256> kVerbs = BuildVerbs();

bool IsVerb(Keyword k) { return kVerbs[static_cast<size_t>(k)]; }

// Index of the main verb: the first verb at depth 0, or the first token.
// Most statements start with it (ctx.tokens is never empty).
size_t MainVerb(const StatementContext& ctx) {
  if (IsVerb(ctx.tokens[0].keyword)) return 0;
  int depth = 0;
  for (size_t i = 0; i < ctx.tokens.size(); ++i) {
    const Token& t = ctx.tokens[i];
    if (t.kind == TokenKind::kLParen) ++depth;
    if (t.kind == TokenKind::kRParen) --depth;
    if (depth == 0 && IsVerb(t.keyword)) return i;
  }
  return 0;
}

// `rows`: flat VALUES rows (ExtractInsertRows()), which hold no keyword and
// balanced parentheses: passed over.
bool HasUpsertClause(const StatementContext& ctx, size_t main, Skip rows) {
  const auto& t = ctx.tokens;
  if (ctx.clause_at != nullptr && main == 0) {  // the depth-0 ONs are among them
    for (size_t k = 0; k < ctx.clause_count; ++k) {
      const size_t i = ctx.clause_at[k];
      if (t[i].keyword == Keyword::kOn && i + 1 < t.size() &&
          (t[i + 1].Is(Keyword::kConflict) || t[i + 1].Is(Keyword::kDuplicate))) {
        return true;
      }
    }
    return false;
  }
  const bool skip = rows.end > rows.begin && rows.begin >= main && rows.end <= t.size();
  // Most INSERTs have no ON at all: one byte compared per token (non-words
  // have no keyword) before the depth is counted.
  size_t on = main;
  while (on + 1 < t.size() && t[on].keyword != Keyword::kOn) {
    on = skip && on + 1 == rows.begin ? rows.end : on + 1;
  }
  if (on + 1 >= t.size()) return false;
  int depth = 0;
  for (size_t i = main; i + 1 < t.size(); ++i) {
    if (skip && i == rows.begin) i = rows.end;
    if (i + 1 >= t.size()) break;
    const Token& token = t[i];
    if (token.kind != TokenKind::kWord) {  // most tokens of a VALUES list
      depth += kParenDelta[static_cast<size_t>(token.kind)];
      continue;
    }
    if (depth == 0 && token.keyword == Keyword::kOn &&
        (t[i + 1].Is(Keyword::kConflict) || t[i + 1].Is(Keyword::kDuplicate))) {
      return true;
    }
  }
  return false;
}

// MySQL keeps the row count for a later FOUND_ROWS() on the same server.
bool HasCalcFoundRows(const StatementContext& ctx) {
  for (const Token& t : ctx.tokens) {
    if (t.length == 19 && EqualsIgnoreCase(t.Text(ctx.sql), "sql_calc_found_rows")) {
      return true;
    }
  }
  return false;
}

StatementKind KindOf(const StatementContext& ctx, size_t main, Skip rows) {
  switch (ctx.tokens[main].keyword) {
    case Keyword::kInsert:
      return HasUpsertClause(ctx, main, rows) ? StatementKind::kUpsert
                                              : StatementKind::kInsert;
    case Keyword::kReplace:
      return ctx.Pg() ? StatementKind::kUnknown : StatementKind::kUpsert;
    case Keyword::kUpdate: return StatementKind::kUpdate;
    case Keyword::kDelete: return StatementKind::kDelete;
    case Keyword::kMerge: return StatementKind::kMerge;
    default: return StatementKind::kSelect;
  }
}

}  // namespace

void ParseQuery(const StatementContext& ctx) {
  const size_t main = MainVerb(ctx);
  Analysis& out = *ctx.out;
  // INSERT rows first (INSERT and upsert alike): the upsert check, the walk
  // and the clause scan pass over flat ones.
  const Keyword verb = ctx.tokens[main].keyword;
  Skip rows;
  if (verb == Keyword::kInsert || (verb == Keyword::kReplace && !ctx.Pg())) {
    rows = ExtractInsertRows(ctx, main);
  }
  out.kind = KindOf(ctx, main, rows);
  if (out.kind == StatementKind::kUnknown) {
    NotReadOnly(out, "unrecognized statement");
    return;
  }
  out.read_only = out.kind == StatementKind::kSelect;
  if (!out.read_only) NotReadOnly(out, "writes data");
  const WalkResult walk = WalkQuery(ctx, 0, ctx.tokens.size(), rows);
  if (!ctx.Pg() && HasCalcFoundRows(ctx)) {
    NotReadOnly(out, "SQL_CALC_FOUND_ROWS (read later by FOUND_ROWS())");
  }
  ExtractQueryShape(ctx, main, walk, rows);
  if (!out.read_only && out.kind == StatementKind::kSelect &&
      std::string_view(out.reason) == std::string_view("writes data")) {
    out.reason = "data-modifying WITH";
  }
}

}  // namespace switchyard::parser
