// PredicateParser's column names (predicates.cc): reading a column
// reference's parts, spelling its table and column, and resolving a
// qualifier through the statement's aliases (with a one-entry cache for a
// qualifier used again). Definitions of PredicateParser members declared in
// predicates.cc, included by it (only) after the class, so that the
// AND/OR/comparison grammar reads apart from name resolution.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace switchyard::parser {
namespace {

inline size_t PredicateParser::ReadColumn(size_t p, Comparison& out) const {
  NameParts parts;
  const size_t after = ProbeColumn(p, parts);
  if (after != p) SpellColumn(parts, out);
  return after;
}

inline size_t PredicateParser::ProbeColumn(size_t p, NameParts& parts) const {
  if (!Has(p) || !IsIdentifierToken(t_[p])) return p;
  ReadColumnParts(p, parts);
  const size_t after = parts.after;
  if (KindAt(after, TokenKind::kLParen) || KindAt(after, TokenKind::kDot)) {
    return p;  // a function call or something longer
  }
  return after;
}

[[gnu::always_inline]] inline void PredicateParser::ReadColumnParts(size_t p, NameParts& parts) const {
  const Token* const t = t_.data();
  if (p + 1 >= end_ || t[p + 1].kind != TokenKind::kDot) {
    parts.count = 1;
    parts.name = p;
    parts.after = p + 1;
    return;
  }
  if (p + 2 < end_ && t[p + 2].kind <= TokenKind::kQuotedIdent &&
      (p + 3 >= end_ || t[p + 3].kind != TokenKind::kDot)) {
    parts.count = 2;
    parts.schema = p;
    parts.name = p + 2;
    parts.after = p + 3;
    return;
  }
  parts = ReadNameParts(ctx_, p, end_);
}

inline void PredicateParser::SpellColumn(const NameParts& parts, Comparison& out) const {
  IdentifierName(ctx_, t_[parts.name], out.column);
  if (parts.count < 2) {
    SpellTable(default_table_, out.table);
  } else if (t_[parts.schema].kind == TokenKind::kWord) {
    ResolveWordCached(t_[parts.schema], out.table);
  } else {
    std::string qualifier = IdentifierName(ctx_, t_[parts.schema]);
    if (qualifier.empty()) {
      SpellTable(default_table_, out.table);
    } else {
      ResolveAlias(std::move(qualifier), out.table);
    }
  }
}

[[gnu::always_inline]] inline void PredicateParser::SpellTable(uint32_t table, std::string& out) const {
  if (table == kNoToken) return out.clear();
  IdentifierName(ctx_, t_[table], out);
}

inline void PredicateParser::ResolveAlias(std::string qualifier, std::string& out) const {
  for (const AliasRef& a : walk_.aliases) {
    if (IdentifierName(ctx_, t_[a.alias]) == qualifier) return SpellTable(a.table, out);
  }
  out = std::move(qualifier);
}

inline void PredicateParser::ResolveWordCached(const Token& word, std::string& out) const {
  const char* const text = ctx_.sql.data() + word.begin;
  const size_t n = word.length;
  if (cached_table_size_ != 0 && n == cached_length_ &&
      EqualPrefix(text, ctx_.sql.data() + cached_begin_, n) == n) {
    const size_t m = cached_table_size_ - 1;
    if (m > out.size()) return SetText(out, std::string_view(cached_table_, m));
    out.resize(m);
    return CopyShort<CaseChange::kNone>(out.data(), cached_table_, m);
  }
  ResolveWord(word, out);
  if (out.size() <= sizeof cached_table_) {
    cached_begin_ = word.begin;
    cached_length_ = word.length;
    cached_table_size_ = static_cast<uint8_t>(out.size() + 1);
    CopyShort<CaseChange::kNone>(cached_table_, out.data(), out.size());
  }
}

inline void PredicateParser::ResolveWord(const Token& word, std::string& out) const {
  const std::string_view text = word.Text(ctx_.sql);
  for (const AliasRef& a : walk_.aliases) {
    if (SameAlias(text, t_[a.alias])) return SpellTable(a.table, out);
  }
  IdentifierName(ctx_, word, out);
}

inline bool PredicateParser::SameAlias(std::string_view text, const Token& alias) const {
  if (alias.kind != TokenKind::kWord) return SameName(text, IdentifierName(ctx_, alias));
  const size_t n = text.size();
  if (n != alias.length) return false;
  const char* const other = ctx_.sql.data() + alias.begin;
  // Mostly spelled alike: equal bytes first, case folded only from the
  // first byte that differs (PostgreSQL).
  size_t i = EqualPrefix(text.data(), other, n);
  if (i == n) return true;
  if (!ctx_.Pg()) return false;
  for (; i < n; ++i) {
    if (AsciiLower(text[i]) != AsciiLower(other[i])) return false;
  }
  return true;
}

inline size_t PredicateParser::EqualPrefix(const char* a, const char* b, size_t n) {
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

inline bool PredicateParser::SameName(std::string_view text, const std::string& name) const {
  return ctx_.Pg() ? EqualsIgnoreCase(text, name) : text == name;
}

}  // namespace
}  // namespace switchyard::parser
