// INSERT column lists and VALUES rows (the shard router routes each row by
// its key; the advisor sees the statement's width).
#include <algorithm>
#include <optional>
#include <vector>

#include "parser/predicates.h"
#include "parser/query_shape.h"

namespace switchyard::parser {
namespace {

// One VALUES item: a simple operand, or the expression's text.
size_t ReadValue(const StatementContext& ctx, size_t p, size_t end,
                 Operand& out) {
  const size_t simple = ReadOperand(ctx, p, end, out);
  int depth = 0;
  size_t q = p;
  for (; q < end; ++q) {
    const TokenKind k = ctx.tokens[q].kind;
    if (depth == 0 && (k == TokenKind::kComma || k == TokenKind::kRParen)) break;
    if (k == TokenKind::kLParen || k == TokenKind::kLBracket) ++depth;
    if (k == TokenKind::kRParen || k == TokenKind::kRBracket) --depth;
  }
  if (simple == q && simple != p) return q;
  out = Operand{};
  out.kind = Operand::Kind::kExpression;
  out.text = ExpressionText(ctx, p, q);
  return q;
}

// The entries of a reused result's vector refilled in order: Next() is the
// next old entry (whose contents the caller writes over) or a new one;
// Finish() erases those not reached. By pointer, kept in the caller's
// registers: the stores into the entries' strings may alias the vector,
// which made the compiler reload it and recompute the slot's address for
// every entry.
template <typename T>
class Refill {
 public:
  explicit Refill(std::vector<T>& v) : v_(v), slot_(v.data()), end_(slot_ + v.size()) {}
  [[gnu::always_inline]] T& Next() {
    if (slot_ == end_) [[unlikely]] {
      slot_ = &v_.emplace_back();
      end_ = slot_ + 1;
    }
    return *slot_++;
  }
  // Gives back the entry Next() gave last: erased by Finish().
  [[gnu::always_inline]] void Undo() { --slot_; }
  [[gnu::always_inline]] void Finish() {
    if (slot_ != end_) v_.erase(v_.begin() + (slot_ - v_.data()), v_.end());
  }

 private:
  std::vector<T>& v_;
  T* slot_;
  T* end_;
};

// Empties a reused operand as Operand{} would be, keeping its text's storage.
void ClearOperand(Operand& value) {
  value.kind = Operand::Kind::kLiteral;
  value.text.clear();
  value.parameter = 0;
  value.is_string = false;
}

// Whether `token`, alone in its item, is a number or a plain string: a
// literal whose text LiteralTextInPlace() copies inline (tested here, the
// compiler drops its call for other strings).
inline bool IsLoneLiteral(const Token& token) {
  return token.kind == TokenKind::kNumber ||
         (token.kind == TokenKind::kString && (token.flags & kPlainString) != 0);
}

// Such a literal written into `value` as ReadValue() would, its text over
// the recycled operand's in place.
[[gnu::always_inline]] inline void WriteLoneLiteral(const StatementContext& ctx, const Token& token,
                                                    Operand& value) {
  value.kind = Operand::Kind::kLiteral;
  value.parameter = 0;
  value.is_string = token.kind == TokenKind::kString;
  LiteralTextInPlace(ctx, token, value.text);
}

// ( v, v, … ) at p into `row`, whose operands are refilled in place (the
// extra ones erased); returns the position after ')' or nullopt (`row` then
// holds part of the row). `flat` is cleared when an item is more than one
// literal or parameter token.
std::optional<size_t> ReadRow(const StatementContext& ctx, size_t p,
                              std::vector<Operand>& row, size_t width, bool& flat) {
  const Token* const t = ctx.tokens.data();  // not reloaded after the stores
  const size_t end = ctx.tokens.size();
  if (p >= end || t[p].kind != TokenKind::kLParen) return std::nullopt;
  ++p;
  if (row.capacity() < width) row.reserve(width);
  Refill<Operand> slots(row);
  for (;;) {
    if (p >= end) return std::nullopt;
    Operand& value = slots.Next();
    const Token& token = t[p];
    const TokenKind next = p + 1 < end ? t[p + 1].kind : TokenKind::kWord;
    // next is ',' or ')': one bit test (two compares cost a set and an or).
    constexpr uint32_t kItemEnds =
        1u << static_cast<int>(TokenKind::kComma) | 1u << static_cast<int>(TokenKind::kRParen);
    const bool alone = ((1u << static_cast<int>(next)) & kItemEnds) != 0;
    if (alone && IsLoneLiteral(token)) {
      WriteLoneLiteral(ctx, token, value);
      p += 2;  // the value and its ',' or ')'
      if (next == TokenKind::kRParen) break;
      continue;
    }
    // A lone string that is not plain is a literal still (ReadOperand()).
    flat = flat && alone && (token.kind == TokenKind::kParam || token.kind == TokenKind::kString);
    ClearOperand(value);
    p = ReadValue(ctx, p, end, value);
    if (p >= end) return std::nullopt;
    if (t[p++].kind == TokenKind::kRParen) break;
    // ','
  }
  slots.Finish();
  return p;
}

// The column list at p into out.columns, whose strings (a reused result's)
// are written over in order; the ones left over are erased. `plain`: the
// list was read to its ')' with no bracket inside.
size_t ReadColumns(const StatementContext& ctx, size_t p, InsertRows& out, bool& plain) {
  const auto& t = ctx.tokens;
  std::vector<std::string>& columns = out.columns;
  if (p >= t.size() || t[p].kind != TokenKind::kLParen ||
      (p + 1 < t.size() && (t[p + 1].Is(Keyword::kSelect) || t[p + 1].Is(Keyword::kWith) ||
                            t[p + 1].Is(Keyword::kValues)))) {
    columns.clear();
    return p;
  }
  if (columns.capacity() == 0) columns.reserve(8);
  Refill<std::string> slots(columns);
  int brackets = 0;
  for (++p; p < t.size() && t[p].kind != TokenKind::kRParen; ++p) {
    const Token& token = t[p];
    if (token.kind == TokenKind::kWord || token.kind == TokenKind::kQuotedIdent) {
      IdentifierName(ctx, token, slots.Next());
    }
    brackets |= kBracketDelta[static_cast<size_t>(token.kind)];
  }
  slots.Finish();
  plain = p < t.size() && brackets == 0;
  return p + 1;
}

// MySQL INSERT … SET a = 1, b = 2.
void ReadSetList(const StatementContext& ctx, size_t p, InsertRows& out) {
  const auto& t = ctx.tokens;
  std::vector<Operand> row;
  while (p + 1 < t.size() && (t[p].kind == TokenKind::kWord ||
                              t[p].kind == TokenKind::kQuotedIdent)) {
    out.columns.push_back(IdentifierName(ctx, t[p]));
    Operand v;
    p = ReadValue(ctx, p + 2, t.size(), v);
    row.push_back(std::move(v));
    if (p >= t.size() || t[p].kind != TokenKind::kComma) break;
    ++p;
  }
  out.rows.clear();
  out.rows.push_back(std::move(row));
}

// VALUES (…), (…) at p into out.rows, reusing the vectors already there.
// Returns the rows read when they are flat (see ExtractInsertRows()).
Skip ReadValuesRows(const StatementContext& ctx, size_t p, InsertRows& out) {
  const auto& t = ctx.tokens;
  const size_t width = std::max<size_t>(out.columns.size(), 1);
  const size_t first = p;
  size_t read_to = p;
  bool flat = true;
  std::vector<std::vector<Operand>>& rows = out.rows;
  if (rows.capacity() == 0) rows.reserve(8);
  Refill<std::vector<Operand>> slots(rows);
  for (;;) {
    bool row_flat = true;
    const std::optional<size_t> next = ReadRow(ctx, p, slots.Next(), width, row_flat);
    if (!next) {
      slots.Undo();  // the row, partly filled, is erased
      break;
    }
    flat = flat && row_flat;
    p = read_to = *next;
    if (p >= t.size() || t[p].kind != TokenKind::kComma) break;
    ++p;
  }
  slots.Finish();
  return flat ? Skip{first, read_to} : Skip{};
}

}  // namespace

Skip ExtractInsertRows(const StatementContext& ctx, size_t main) {
  const auto& t = ctx.tokens;
  size_t p = main + 1;
  while (p < t.size() && t[p].kind == TokenKind::kWord &&
         !t[p].Is(Keyword::kInto) && !IsReservedKeyword(t[p].keyword) &&
         p + 1 < t.size() && t[p + 1].kind == TokenKind::kWord) {
    ++p;  // LOW_PRIORITY / IGNORE …
  }
  if (p < t.size() && t[p].Is(Keyword::kInto)) ++p;
  InsertRows& rows = TakeInsertRows(ctx);
  // The table's name only (ReadQualifiedName() would spell the schema too).
  const NameParts name = ReadNameParts(ctx, p, t.size());
  if (name.count == 0) {
    rows.table.clear();  // no name: the old one must not stay
  } else {
    IdentifierName(ctx, t[name.name], rows.table);
    p = name.after;
  }
  if (p < t.size() && t[p].Is(Keyword::kAs)) p += 2;
  const size_t columns = p;
  bool plain_columns = false;
  p = ReadColumns(ctx, p, rows, plain_columns);
  if (p < t.size() && t[p].Is(Keyword::kSet)) {
    ReadSetList(ctx, p + 1, rows);
  } else if (p < t.size() && (t[p].Is(Keyword::kValues) || t[p].Is(Keyword::kValue))) {
    Skip flat = ReadValuesRows(ctx, p + 1, rows);
    // A column list without brackets, read to its ')', joins the rows:
    // the walk skipped it as a balanced group anyway.
    if (flat.end > flat.begin && plain_columns) flat.begin = columns;
    return flat;
  } else {
    rows.rows.clear();
  }
  return Skip{};
}

}  // namespace switchyard::parser
