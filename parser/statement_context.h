// What every statement-family parser gets: the statement's tokens, the
// dialect and options, and the Analysis it fills. Also the few shared ways
// to record facts (a table, a function, a reason for not being read-only),
// so that deduplication and reason wording live in one place.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "parser/analysis.h"
#include "parser/ascii_copy.h"
#include "parser/cursor.h"
#include "parser/parser.h"
#include "parser/token.h"

namespace switchyard::parser {

// Which parts of a reused Analysis (AnalyzeInto()) still hold the previous
// statement's storage: engaged, or entries kept, but not part of the new
// result until the code that fills them takes them (TakePredicateNode,
// TakeInsertRows, NewTable, …). DropStale() drops what was not taken.
struct Stale {
  // The last spare_tables entries of ctx.out->tables are the previous
  // statement's, kept for their strings (a name written over an equal or
  // longer one is copied in place): NewTable() takes them in order,
  // DropStale() erases the rest. Not part of the result in between.
  uint32_t spare_tables = 0;
  // The same for ctx.out->order_by (NewOrderItem()) and functions
  // (AddFunction()).
  uint32_t spare_order_by = 0;
  uint32_t spare_functions = 0;
  bool predicates = false;
  bool insert = false;
  // ctx.out->predicates is this result's node, but its `children` are an
  // earlier tree's nodes kept as spares (see TakePredicateNode); dropped by
  // DropStale() or DropSpareChildren() unless a later condition takes them.
  bool predicate_children = false;
  // ctx.out->limit / offset hold the previous statement's text, for its
  // storage: engaged, but not part of the result until EngageStale()
  // takes them.
  bool limit = false;
  bool offset = false;
  uint8_t unused[7] = {};  // no padding: see AnyStale()
};

// Whether anything is left to drop: the struct read as three words (every
// byte is a field, all zero when nothing is stale), not field by field.
inline bool AnyStale(const Stale& s) {
  static_assert(sizeof(Stale) == 24 && std::has_unique_object_representations_v<Stale>);
  uint64_t w[3];
  std::memcpy(w, &s, sizeof w);
  return (w[0] | w[1] | w[2]) != 0;
}

struct StatementContext {
  std::string_view sql;           // the whole input text
  std::span<const Token> tokens;  // this statement's tokens, no trailing ';'
  Dialect dialect = Dialect::kPostgres;
  // Options::writing_functions, or null for DefaultWritingFunctions().
  const std::vector<std::string>* writing_functions = nullptr;
  Analysis* out = nullptr;
  int depth = 0;  // nesting of AnalyzeInner (EXPLAIN EXPLAIN …), bounded
  // Largest $n among `tokens` when the lexer already knows it (the text is
  // this one statement); -1: count it.
  int max_parameter = -1;

  // MySQL `?` ordinals: tokens [0, param_scan_pos) hold param_scan_count of
  // them. Operands are read left to right, so counting stays linear.
  mutable size_t param_scan_pos = 0;
  mutable int param_scan_count = 0;

  // What of *out is stale (see Stale), or null for a fresh Analysis (nested
  // analyses: AnalyzeInner).
  Stale* stale = nullptr;

  // The kClauseKeywords tokens at parenthesis depth 0 counted from the first
  // token, in order, when the lexer noted them for exactly these tokens
  // (LexResult::clause_at); null otherwise.
  const uint16_t* clause_at = nullptr;
  size_t clause_count = 0;
  // With clause_at: LexResult::clause_depth != 0 (the query walker scans
  // every token); true otherwise.
  bool walk_scan = true;

  bool Pg() const { return dialect == Dialect::kPostgres; }
  Cursor MakeCursor(size_t pos = 0) const { return Cursor(sql, tokens, pos); }
};

// Marks the statement as not read-only; the first reason given is kept.
void SetReason(Analysis& out, std::string_view reason);
inline void NotReadOnly(Analysis& out, std::string_view reason) {
  out.read_only = false;
  if (out.reason.empty()) SetReason(out, reason);  // the first reason stays
}

// Records a table (deduplicated; `written` is sticky). Readers that spell
// the name straight into the entry use NewTable() and KeepNewTable()
// (spare_entries.h).
void AddTable(const StatementContext& ctx, std::string schema, std::string name, bool written);

// Records a called function by lower-case name (deduplicated) and marks the
// statement not read-only when the function is on the writing list.
void AddFunction(const StatementContext& ctx, std::string_view name);

// Empties `a` as a default-constructed Analysis would be, keeping the
// capacity of its strings and vectors; the predicate tree, INSERT rows,
// table, function and ORDER BY entries, LIMIT and OFFSET stay in place,
// marked in `stale`, until taken or dropped. (Inline: it runs once per
// statement.) Every field of Analysis must be reset below; a new field
// changes the size (x86-64 with libstdc++) and stops the build here until
// it is added.
static_assert(sizeof(Analysis) == 656, "ResetAnalysis() must reset every field");

inline void ResetAnalysis(Analysis& a, Stale& stale) {
  a.kind = StatementKind::kUnknown;
  a.read_only = false;
  a.reason.clear();
  a.txn_op = TransactionOp::kNone;
  a.txn_read_only.reset();
  a.session_op = SessionOp::kNone;
  a.session_variable.clear();
  a.session_value.clear();
  a.utility_op = UtilityOp::kNone;
  a.creates_temp_table = false;
  a.with_hold_cursor = false;
  // Functions, tables, the predicate tree, INSERT rows, ORDER BY items,
  // LIMIT and OFFSET are kept for their storage, marked stale (see Stale).
  stale.spare_functions = static_cast<uint32_t>(a.functions.size());
  stale.spare_tables = static_cast<uint32_t>(a.tables.size());
  stale.predicates = a.predicates.has_value();
  stale.insert = a.insert.has_value();
  stale.spare_order_by = static_cast<uint32_t>(a.order_by.size());
  a.group_by.clear();
  stale.limit = a.limit.has_value();
  stale.offset = a.offset.has_value();
  a.aggregates.clear();
  a.hints.force_primary = false;  // member by member: no temporary to move in
  a.hints.shard.reset();
  a.hints.max_lag_ms.reset();
  a.fingerprint = 0;
  // a.normalized is left: every statement's is rewritten whole at its end
  // (FinishShape() or Fingerprint()), over the old text's bytes.
}
void DropStaleParts(Analysis& a, Stale& stale);
inline void DropStale(Analysis& a, Stale& stale) {  // mostly nothing stale is left
  if (AnyStale(stale)) DropStaleParts(a, stale);
}

// *ctx.out = a, for a statement whose analysis is another's (SET STATEMENT
// … FOR): nothing of the result is stale afterwards.
void ReplaceAnalysis(const StatementContext& ctx, Analysis&& a);

// Whether `out` (ctx.out->predicates or a local) holds a node of this result.
inline bool HasPredicates(const StatementContext& ctx, const std::optional<PredicateNode>& out) {
  return out.has_value() &&
         !(&out == &ctx.out->predicates && ctx.stale != nullptr && ctx.stale->predicates);
}

// Hands the spares the parser did not use back to the result's node
// (`out`, without children of its own), marked in ctx.stale, so that a
// later condition of the statement can still take them.
inline void KeepSpareChildren(const StatementContext& ctx, std::optional<PredicateNode>& out,
                              std::vector<PredicateNode>& spare) {
  if (spare.empty() || ctx.stale == nullptr || &out != &ctx.out->predicates ||
      !out.has_value() || !out->children.empty()) {
    return;
  }
  out->children.swap(spare);
  ctx.stale->predicate_children = true;
}
// Drops spares KeepSpareChildren() left in the result's node, before the
// node is read as it stands.
void DropSpareChildren(const StatementContext& ctx);
// Empties `node` as PredicateNode{} would be, keeping its storage.
inline void ClearPredicateNode(PredicateNode& node) {
  node.kind = PredicateNode::Kind::kOpaque;
  node.comparison.table.clear();
  node.comparison.column.clear();
  node.comparison.op = CompareOp::kEq;
  node.comparison.values.clear();
  node.children.clear();
}
// Readies a node for the predicate parser to refill: like
// ClearPredicateNode(), but the comparison's table, column and values keep
// their old contents (so that an equal name is written in place, and the
// operands' strings are reused). The parser spells both names and sets the
// values (count and every field, see ReadOperand()) for every comparison
// it makes, and resets a node it gives up on (ParseTerm()), so the old
// contents are never part of a result.
inline void RecyclePredicateNode(PredicateNode& node) {
  node.kind = PredicateNode::Kind::kOpaque;
  node.comparison.op = CompareOp::kEq;
  node.children.clear();
}

// Engages `out` with an empty node and returns it. A node `out` already
// holds (stale storage, or one the caller replaces) is emptied in place,
// keeping the capacity of its strings and vectors. When `out` is the
// result's node and `spare` is given, the old children (an earlier tree's
// nodes, with their storage) move to `spare` for the parser to refill.
// (Inline: it runs for every condition.)
inline PredicateNode& TakePredicateNode(const StatementContext& ctx,
                                        std::optional<PredicateNode>& out,
                                        std::vector<PredicateNode>* spare = nullptr) {
  if (!out.has_value()) return out.emplace();
  PredicateNode& node = *out;
  if (&out == &ctx.out->predicates && ctx.stale != nullptr) {
    if (spare != nullptr && (ctx.stale->predicates || ctx.stale->predicate_children)) {
      spare->swap(node.children);
    }
    ctx.stale->predicates = false;
    ctx.stale->predicate_children = false;
  }
  if (spare != nullptr) {
    RecyclePredicateNode(node);  // for the predicate parser (see there)
  } else {
    ClearPredicateNode(node);
  }
  return node;
}

// Engages ctx.out->insert (not yet filled for this result), reusing stale
// storage: its table, columns and rows may still hold the previous
// statement's, so that their strings and vectors are reused. The caller
// refills them in order (names written over in place) and erases what it
// did not use.
inline InsertRows& TakeInsertRows(const StatementContext& ctx) {
  std::optional<InsertRows>& out = ctx.out->insert;
  if (ctx.stale == nullptr || !ctx.stale->insert) return out.emplace();
  ctx.stale->insert = false;
  return *out;
}

// Identifier text as the database sees it: quotes removed (doubled quotes
// undone); unquoted PostgreSQL identifiers folded to lower case.
std::string IdentifierName(const StatementContext& ctx, const Token& token);
void IdentifierName(const StatementContext& ctx, const Token& token, std::string& out);
void QuotedIdentifierName(const StatementContext& ctx, const Token& token, std::string& out);

// Value of a string literal token without quotes and prefix (escapes kept
// except doubled quotes); other tokens are returned as written.
std::string LiteralText(const StatementContext& ctx, const Token& token);
void LiteralText(const StatementContext& ctx, const Token& token, std::string& out);
// The general case of LiteralText() (prefixes, escapes, dollar quotes).
void QuotedLiteralText(const StatementContext& ctx, const Token& token, std::string& out);

// Reads a possibly qualified name (a, s.a, c.s.a) at `pos`; returns the
// position after it, or `pos` when there is no name. `schema`/`name` are
// filled as IdentifierName() spells them (catalog parts are dropped).
size_t ReadQualifiedName(const StatementContext& ctx, size_t pos,
                         size_t end, std::string& schema, std::string& name);

// The same name as token positions, for readers that need not spell every
// part: `count` parts (0: no name at pos), the last at `name`, the one
// before it at `schema`; `after` is what ReadQualifiedName returns.
struct NameParts {
  size_t count = 0;
  size_t name = 0;
  size_t schema = 0;
  size_t after = 0;
};
// Inline: called for every column and table reference.
inline NameParts ReadNameParts(const StatementContext& ctx, size_t pos, size_t end) {
  const auto& t = ctx.tokens;
  size_t parts[3];
  size_t count = 0, p = pos;
  while (p < end && count < 3 &&
         (t[p].kind == TokenKind::kWord || t[p].kind == TokenKind::kQuotedIdent)) {
    parts[count++] = p;
    ++p;
    if (p + 1 < end && t[p].kind == TokenKind::kDot) {
      ++p;
    } else {
      break;
    }
  }
  NameParts out;
  out.count = count;
  out.after = count == 0 ? pos : p;
  if (count >= 1) out.name = parts[count - 1];
  if (count >= 2) out.schema = parts[count - 2];
  return out;
}

// True for a token that can be an identifier (word that is not a reserved
// keyword, or a quoted identifier).
inline bool IsIdentifierToken(const Token& token) {
  return token.kind == TokenKind::kQuotedIdent ||
         (token.kind == TokenKind::kWord && !IsReservedKeyword(token.keyword));
}


// The common case inline: a name of at most 16 bytes written over a string
// at least as long (a reused result's: mostly the same name again), copied
// in place with no call. The rest out of line (IdentifierNameInto()).
void IdentifierNameInto(const StatementContext& ctx, const Token& token, std::string& out);
[[gnu::always_inline]] inline void IdentifierName(const StatementContext& ctx, const Token& token,
                                                  std::string& out) {
  const size_t n = token.length;
  if (token.kind == TokenKind::kQuotedIdent || n > 16 || n > out.size()) {
    return IdentifierNameInto(ctx, token, out);
  }
  out.resize(n);
  const char* const text = ctx.sql.data() + token.begin;
  if (ctx.Pg()) return CopyShort<CaseChange::kLower>(out.data(), text, n);
  CopyShort<CaseChange::kNone>(out.data(), text, n);
}

inline void LiteralText(const StatementContext& ctx, const Token& token, std::string& out) {
  const std::string_view text = token.Text(ctx.sql);
  if (token.kind != TokenKind::kString) return SetText(out, text);
  // The lexer has seen whether the value is the text between the quotes.
  if (token.flags & kPlainString) return SetText(out, std::string_view(text.data() + 1, text.size() - 2));
  QuotedLiteralText(ctx, token, out);
}

// LiteralText() with IdentifierName()'s short copy in place: a number or
// plain string of at most 16 bytes over a string at least as long (a
// recycled comparison's operand, or a recycled INSERT row's value). The
// predicates' operands and INSERT rows' lone literals use it.
[[gnu::always_inline]] inline void LiteralTextInPlace(const StatementContext& ctx,
                                                      const Token& token, std::string& out) {
  const char* text = ctx.sql.data() + token.begin;
  size_t n = token.length;
  if (token.kind == TokenKind::kString) {
    if (!(token.flags & kPlainString)) return QuotedLiteralText(ctx, token, out);
    ++text;
    n -= 2;
  }
  if (n > 16 || n > out.size()) return SetText(out, std::string_view(text, n));
  out.resize(n);
  CopyShort<CaseChange::kNone>(out.data(), text, n);
}

}  // namespace switchyard::parser
