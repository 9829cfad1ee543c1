// The query walker's readers of tables (query_walker.cc): the targets of
// INSERT, UPDATE, DELETE, MERGE and SELECT … INTO, FOR UPDATE/SHARE, and
// table references in FROM and JOIN with their aliases, partitions and
// index hints. Definitions of Walker members declared in query_walker.cc,
// included by it (only) after the class, so that the walk itself reads
// apart from these.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "parser/query_walker_rules.h"
#include "parser/spare_entries.h"

namespace switchyard::parser {
namespace {

inline size_t Walker::Insert(size_t i) {
  if (i > begin_ && (PrevKw(i) == Keyword::kThen || PrevKw(i) == Keyword::kDo)) {
    return i + 1;  // MERGE … THEN INSERT
  }
  Top().verb = Keyword::kInsert;
  NotReadOnly(*ctx_.out, "writes data");
  static constexpr Keyword kKeywords[] = {Keyword::kIgnore, Keyword::kInto};
  static constexpr std::string_view kWords[] = {"low_priority", "delayed", "high_priority"};
  size_t p = SkipWords(i + 1, kKeywords, kWords);
  if (!Has(p) || !IsIdentifierToken(t_[p])) return p;
  const NameParts parts = ReadNameParts(ctx_, p, end_);
  if (parts.count == 0) return p;
  AddTableAt(parts, true);
  NoteTable(parts.name);
  p = parts.after;
  if (KwAt(p, Keyword::kAs) && Has(p + 1)) {  // INSERT INTO t AS alias
    AddAlias(p + 1, static_cast<uint32_t>(parts.name));
    p += 2;
  }
  if (p == skip_.begin && skip_.end > skip_.begin) return skip_.end;  // columns and rows
  if (KindAt(p, TokenKind::kLParen) && !(Has(p + 1) && IsQueryStart(t_[p + 1]))) {
    p = SkipParens(p);  // column list
  }
  return p;
}

inline size_t Walker::Update(size_t i) {
  const Keyword prev = PrevKw(i);
  if (prev == Keyword::kFor || prev == Keyword::kKey || prev == Keyword::kDo ||
      prev == Keyword::kThen || prev == Keyword::kOn ||
      KwAt(i + 1, Keyword::kSet)) {
    return i + 1;
  }
  Top().verb = Keyword::kUpdate;
  NotReadOnly(*ctx_.out, "writes data");
  SetInFrom(true);
  Top().from_written = true;
  static constexpr Keyword kKeywords[] = {Keyword::kIgnore};
  static constexpr std::string_view kWords[] = {"low_priority"};
  return ReadTableRef(SkipWords(i + 1, kKeywords, kWords), true);
}

inline size_t Walker::Delete(size_t i) {
  if (PrevKw(i) == Keyword::kThen || PrevKw(i) == Keyword::kOn) return i + 1;
  Top().verb = Keyword::kDelete;
  NotReadOnly(*ctx_.out, "writes data");
  static constexpr Keyword kKeywords[] = {Keyword::kIgnore};
  static constexpr std::string_view kWords[] = {"low_priority", "quick"};
  size_t p = SkipWords(i + 1, kKeywords, kWords);
  if (KwAt(p, Keyword::kFrom)) ++p;
  SetInFrom(true);
  Top().from_written = true;
  return ReadTableRef(p, true);
}

inline size_t Walker::Merge(size_t i) {
  Top().verb = Keyword::kMerge;
  NotReadOnly(*ctx_.out, "writes data");
  size_t p = i + 1;
  if (KwAt(p, Keyword::kInto)) ++p;
  return ReadTableRef(p, true);
}

// SELECT … INTO: pg creates a table, MySQL writes variables or files.
inline size_t Walker::Into(size_t i) {
  if (Top().verb != Keyword::kSelect) return i + 1;
  NotReadOnly(*ctx_.out, "SELECT ... INTO");
  if (!ctx_.Pg()) return i + 1;
  size_t p = i + 1;
  while (KwAt(p, Keyword::kTemp) || KwAt(p, Keyword::kTemporary) ||
         KwAt(p, Keyword::kUnlogged) || KwAt(p, Keyword::kTable) ||
         KwAt(p, Keyword::kLocal) || KwAt(p, Keyword::kGlobal)) {
    if (!KwAt(p, Keyword::kTable) && !KwAt(p, Keyword::kUnlogged)) {
      ctx_.out->creates_temp_table = true;
    }
    ++p;
  }
  std::string schema, name;
  const size_t after = ReadQualifiedName(ctx_, p, end_, schema, name);
  AddTable(ctx_, std::move(schema), std::move(name), true);
  return after;
}

inline size_t Walker::For(size_t i) {
  if (KwAt(i + 1, Keyword::kUpdate) || KwAt(i + 1, Keyword::kShare) ||
      (KwAt(i + 1, Keyword::kNo) && KwAt(i + 2, Keyword::kKey)) ||
      (KwAt(i + 1, Keyword::kKey) && KwAt(i + 2, Keyword::kShare))) {
    NotReadOnly(*ctx_.out, "FOR UPDATE/SHARE");
    return i + 2;
  }
  return i + 1;
}

size_t Walker::ReadTableRef(size_t p, bool written) {
  if (!Has(p)) return p;
  if (t_[p].keyword != Keyword::kNone) {  // most often a name that is no keyword
    while (KwAt(p, Keyword::kLateral) || KwAt(p, Keyword::kOnly)) ++p;
    if (!Has(p)) return p;
    const Keyword k = t_[p].keyword;  // kNone unless a word
    if (IsReservedKeyword(k) && !IsCallableKeyword(k)) return p;
  }
  if (t_[p].kind != TokenKind::kWord && t_[p].kind != TokenKind::kQuotedIdent) return p;
  const NameParts parts = ReadNameParts(ctx_, p, end_);
  if (parts.count == 0) return p;
  const size_t after = parts.after;
  if (KindAt(after, TokenKind::kLParen)) return after;  // table function
  // Spelled in place; kept below unless it is a function.
  TableRef& table = NewTable(ctx_);
  IdentifierName(ctx_, t_[parts.name], table.name);
  if (parts.count >= 2) IdentifierName(ctx_, t_[parts.schema], table.schema);
  if (table.schema.empty() &&
      (IsSqlValueFunction(table.name) ||
       (KwAt(after, Keyword::kFor) && table.name == std::string_view("collation")))) {
    AddFunction(ctx_, table.name);
    DropNewTable(ctx_);
    return after;
  }
  NoteTable(parts.name);
  const size_t next = SkipAliasAndHints(after, parts.name);
  KeepNewTable(ctx_, table, written);
  return next;
}

// [*] [PARTITION (…)] [AS] alias [(cols)] [USE|FORCE|IGNORE INDEX (…)]
size_t Walker::SkipAliasAndHints(size_t p, size_t table) {
  if (!Has(p)) return p;
  const Token& next = t_[p];
  if (next.kind == TokenKind::kWord && next.keyword == Keyword::kNone) {
    return SkipIndexHints(Alias(p, table));  // mostly a plain alias: o, c
  }
  // Most often a clause keyword follows (WHERE, SET, ON, JOIN): a reserved
  // keyword that none of the below starts is no alias.
  if (kEndsTableRef[static_cast<size_t>(next.keyword)]) return p;
  if (next.kind == TokenKind::kOperator && next.Text(ctx_.sql) == "*") ++p;
  if (KwAt(p, Keyword::kPartition) && KindAt(p + 1, TokenKind::kLParen)) {
    p = SkipParens(p + 1);
  }
  const bool as = KwAt(p, Keyword::kAs);
  if (as) ++p;
  if (Has(p) && (IsIdentifierToken(t_[p]) || (as && t_[p].kind == TokenKind::kWord)) &&
      !(KwAt(p, Keyword::kUse) || KwAt(p, Keyword::kForce) ||
        KwAt(p, Keyword::kIgnore) || KwAt(p, Keyword::kSet) ||
        t_[p].Is(Keyword::kOn))) {
    p = Alias(p, table);
  }
  return SkipIndexHints(p);
}

// The alias at p of the table whose name is at `table`, with its column
// list; returns the position after them.
inline size_t Walker::Alias(size_t p, size_t table) {
  AddAlias(p, static_cast<uint32_t>(table));
  ++p;
  return KindAt(p, TokenKind::kLParen) ? SkipParens(p) : p;
}

// MySQL's USE|FORCE|IGNORE INDEX|KEY [FOR …] (…), any number of them.
inline size_t Walker::SkipIndexHints(size_t p) {
  while ((KwAt(p, Keyword::kUse) || KwAt(p, Keyword::kForce) ||
          KwAt(p, Keyword::kIgnore)) &&
         (KwAt(p + 1, Keyword::kIndex) || KwAt(p + 1, Keyword::kKey))) {
    p += 2;
    while (Has(p) && !KindAt(p, TokenKind::kLParen)) ++p;
    p = SkipParens(p);
  }
  return p;
}

}  // namespace
}  // namespace switchyard::parser
