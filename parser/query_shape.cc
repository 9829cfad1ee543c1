#include "parser/query_shape.h"

#include <algorithm>
#include <array>

#include "absl/container/inlined_vector.h"

#include "parser/clause_keywords.h"
#include "parser/predicates.h"

namespace switchyard::parser {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

// Token positions, the first kInline in place (no setup, no heap), any
// further ones in a vector: a push is a compare and a store.
template <size_t kInline>
class Positions {
 public:
  void push_back(size_t pos) {
    if (size_ < kInline) {
      inline_[size_++] = static_cast<uint32_t>(pos);
    } else {
      Spill(pos);
    }
  }
  const uint32_t* begin() const { return more_.empty() ? inline_ : more_.data(); }
  const uint32_t* end() const { return begin() + size_; }

 private:
  [[gnu::noinline]] void Spill(size_t pos) {
    if (more_.empty()) more_.assign(inline_, inline_ + kInline);
    more_.push_back(static_cast<uint32_t>(pos));
    ++size_;
  }

  uint32_t inline_[kInline];  // [0, size_) in use while more_ is empty
  size_t size_ = 0;
  std::vector<uint32_t> more_;  // all of them, once past kInline
};

// Positions of the main statement's top-level clause keywords.
struct Clauses {
  size_t select = kNone, from = kNone, where = kNone, group = kNone;
  size_t having = kNone, order = kNone, limit = kNone, offset = kNone;
  size_t fetch = kNone;
  bool set_operation = false;
  Positions<4> ons;          // JOIN … ON
  Positions<16> boundaries;  // every clause keyword, in order
};

void Note(size_t& slot, size_t i) {
  if (slot == kNone) slot = i;
}

// One clause keyword at i (depth 0) into `c`.
[[gnu::always_inline]] inline void NoteClause(const StatementContext& ctx, size_t i, Clauses& c) {
  const Token& t = ctx.tokens[i];
  const size_t size = ctx.tokens.size();
  const bool call = i + 1 < size && ctx.tokens[i + 1].kind == TokenKind::kLParen &&
                    t.keyword != Keyword::kOn && t.keyword != Keyword::kUsing;
  if (IsClauseBoundary(t.keyword) && !call) c.boundaries.push_back(i);
  switch (t.keyword) {
    case Keyword::kSelect: Note(c.select, i); break;
    case Keyword::kFrom: Note(c.from, i); break;
    case Keyword::kWhere: Note(c.where, i); break;
    case Keyword::kGroup: Note(c.group, i); break;
    case Keyword::kHaving: Note(c.having, i); break;
    case Keyword::kOrder: c.order = i; break;
    case Keyword::kLimit: c.limit = i; break;
    case Keyword::kOffset: c.offset = i; break;
    case Keyword::kFetch: Note(c.fetch, i); break;
    case Keyword::kOn: c.ons.push_back(i); break;
    case Keyword::kUnion: case Keyword::kIntersect: case Keyword::kExcept:
      c.set_operation = true;
      break;
    default: break;
  }
}

// Clause keywords at depth 0 of tokens [begin, end); `depth` carries on
// from one range to the next.
void ScanClauses(const StatementContext& ctx, size_t begin, size_t end, int& depth_io,
                 Clauses& c) {
  int depth = depth_io;
  const Token* const tokens = ctx.tokens.data();  // not reloaded after NoteClause's stores
  // Branch-light: words have no paren delta, other tokens no keyword.
  for (size_t i = begin; i < end; ++i) {
    const Token& t = tokens[i];
    depth += kParenDelta[static_cast<size_t>(t.kind)];
    if (kClauseKeywords[static_cast<size_t>(t.keyword)] && depth == 0) NoteClause(ctx, i, c);
  }
  depth_io = depth;
}

Clauses FindClauses(const StatementContext& ctx, size_t main, Skip skip) {
  Clauses c;
  // The lexer noted the clause keywords at depth 0 of a statement that is
  // the whole text (counted from its first token); flat VALUES rows hold
  // none and leave the depth as it was.
  if (ctx.clause_at != nullptr && main == 0) {
    for (size_t k = 0; k < ctx.clause_count; ++k) NoteClause(ctx, ctx.clause_at[k], c);
    return c;
  }
  int depth = 0;
  const size_t size = ctx.tokens.size();
  if (skip.end > skip.begin && skip.begin >= main && skip.end <= size) {
    ScanClauses(ctx, main, skip.begin, depth, c);  // the skipped rows leave depth as it was
    ScanClauses(ctx, skip.end, size, depth, c);
  } else {
    ScanClauses(ctx, main, size, depth, c);
  }
  return c;
}

// The first boundary after `start` (boundaries are few: a linear scan).
size_t ClauseEnd(const Clauses& c, size_t start, size_t size) {
  for (const uint32_t* it = c.boundaries.begin(), *end = c.boundaries.end(); it != end; ++it) {
    if (*it > start) return *it;
  }
  return size;
}

// Splits [begin, end) at top-level commas.
using Items = absl::InlinedVector<std::pair<size_t, size_t>, 8>;

Items SplitItems(const StatementContext& ctx, size_t begin, size_t end) {
  Items items;
  int depth = 0;
  size_t start = begin;
  const Token* const tokens = ctx.tokens.data();  // not reloaded after the stores
  for (size_t i = begin; i < end; ++i) {
    const TokenKind k = tokens[i].kind;
    depth += kBracketDelta[static_cast<size_t>(k)];
    if (k == TokenKind::kComma && depth == 0) {
      if (i > start) items.emplace_back(start, i);
      start = i + 1;
    }
  }
  if (end > start) items.emplace_back(start, end);
  return items;
}

void ExtractOrderBy(const StatementContext& ctx, const Clauses& c) {
  if (c.order == kNone || c.order + 1 >= ctx.tokens.size() ||
      !ctx.tokens[c.order + 1].Is(Keyword::kBy)) {
    return;
  }
  const size_t end = ClauseEnd(c, c.order, ctx.tokens.size());
  for (auto [b, e] : SplitItems(ctx, c.order + 2, end)) {
    OrderItem& item = ctx.out->order_by.emplace_back();
    while (e > b && (ctx.tokens[e - 1].Is(Keyword::kFirst) ||
                     ctx.tokens[e - 1].Is(Keyword::kLast) ||
                     ctx.tokens[e - 1].Is(Keyword::kNulls))) {
      --e;
    }
    if (e > b && ctx.tokens[e - 1].Is(Keyword::kDesc)) {
      item.descending = true;
      --e;
    } else if (e > b && ctx.tokens[e - 1].Is(Keyword::kAsc)) {
      --e;
    }
    ExpressionText(ctx, b, e, item.expression);
  }
}

void ExtractGroupBy(const StatementContext& ctx, const Clauses& c) {
  if (c.group == kNone) return;
  const size_t end = ClauseEnd(c, c.group, ctx.tokens.size());
  for (auto [b, e] : SplitItems(ctx, c.group + 2, end)) {
    ctx.out->group_by.push_back(ExpressionText(ctx, b, e));
  }
}

// The string of `o`, engaged (an engaged one is written over).
std::string& Engage(std::optional<std::string>& o) {
  return o.has_value() ? *o : o.emplace();
}

void ExtractLimit(const StatementContext& ctx, const Clauses& c) {
  const auto& t = ctx.tokens;
  if (c.limit != kNone && c.limit + 1 < t.size()) {
    const size_t end = ClauseEnd(c, c.limit, t.size());
    auto items = SplitItems(ctx, c.limit + 1, end);
    if (items.size() == 2) {  // MySQL LIMIT offset, count
      ExpressionText(ctx, items[0].first, items[0].second, Engage(ctx.out->offset));
      ExpressionText(ctx, items[1].first, items[1].second, Engage(ctx.out->limit));
    } else if (items.size() == 1) {
      ExpressionText(ctx, items[0].first, items[0].second, Engage(ctx.out->limit));
    }
  }
  if (c.fetch != kNone && c.fetch + 2 < t.size() &&
      t[c.fetch + 2].kind != TokenKind::kWord) {  // FETCH FIRST n ROWS
    ctx.out->limit = ExpressionText(ctx, c.fetch + 2, c.fetch + 3);
  }
  if (c.offset != kNone && c.offset + 1 < t.size()) {
    const size_t end = ClauseEnd(c, c.offset, t.size());
    size_t e = end;
    if (e > c.offset + 2 && (t[e - 1].Is(Keyword::kRows) || t[e - 1].Is(Keyword::kRow))) --e;
    ctx.out->offset = ExpressionText(ctx, c.offset + 1, e);
  }
}

bool IsAggregate(std::string_view lower) {
  static constexpr std::string_view kNames[] = {
      "count", "sum", "min", "max", "avg", "array_agg", "string_agg",
      "group_concat", "bool_and", "bool_or", "every", "bit_and", "bit_or",
      "bit_xor", "stddev", "stddev_pop", "stddev_samp", "variance",
      "var_pop", "var_samp", "json_agg", "jsonb_agg", "json_object_agg",
      "jsonb_object_agg", "json_arrayagg", "json_objectagg", "xmlagg",
      "percentile_cont", "percentile_disc", "mode"};
  return std::find(std::begin(kNames), std::end(kNames), lower) != std::end(kNames);
}

void ExtractAggregates(const StatementContext& ctx, const Clauses& c) {
  if (c.select == kNone) return;
  const size_t end = ClauseEnd(c, c.select, ctx.tokens.size());
  for (size_t i = c.select + 1; i + 1 < end; ++i) {
    const Token& t = ctx.tokens[i];
    if (t.kind != TokenKind::kWord || ctx.tokens[i + 1].kind != TokenKind::kLParen) {
      continue;
    }
    std::string lower = ToLower(t.Text(ctx.sql));
    if (IsAggregate(lower)) ctx.out->aggregates.push_back(std::move(lower));
  }
}

void Combine(std::optional<PredicateNode>& acc, std::optional<PredicateNode>& next) {
  if (!next) return;
  if (!acc) {
    acc = std::move(next);
    return;
  }
  if (next->kind == PredicateNode::Kind::kOpaque) return;
  if (acc->kind == PredicateNode::Kind::kOpaque) {
    acc = std::move(next);
    return;
  }
  PredicateNode both;
  both.kind = PredicateNode::Kind::kAnd;
  for (PredicateNode* n : {&*acc, &*next}) {
    if (n->kind == PredicateNode::Kind::kAnd) {
      for (auto& ch : n->children) both.children.push_back(std::move(ch));
    } else {
      both.children.push_back(std::move(*n));
    }
  }
  acc = std::move(both);
}

// A later condition, parsed into a node of its own and ANDed onto `acc`
// (out of line: most statements have one condition, and no local node to
// set up and destroy).
[[gnu::noinline]] void AddLaterCondition(const StatementContext& ctx, size_t begin, size_t end,
                                         const WalkResult& walk, uint32_t table,
                                         std::optional<PredicateNode>& acc) {
  DropSpareChildren(ctx);  // acc is read as it stands below
  std::optional<PredicateNode> next;
  ParsePredicates(ctx, begin, end, walk, table, next);
  Combine(acc, next);
}

void ExtractPredicates(const StatementContext& ctx, const Clauses& c,
                       const WalkResult& walk) {
  if (c.set_operation) return;
  const uint32_t table = walk.top_level_table_count == 1 ? walk.top_level_table : kNoToken;
  const size_t size = ctx.tokens.size();
  // The first condition is parsed in place; later ones are ANDed onto it.
  std::optional<PredicateNode>& acc = ctx.out->predicates;
  auto add = [&](size_t begin, size_t end) {
    // Nothing yet, or an opaque condition (which the next one replaces, see
    // Combine()): parsed straight into the result's node.
    if (!HasPredicates(ctx, acc) || acc->kind == PredicateNode::Kind::kOpaque) {
      return ParsePredicates(ctx, begin, end, walk, table, acc);
    }
    AddLaterCondition(ctx, begin, end, walk, table, acc);
  };
  const bool joins = ctx.out->kind != StatementKind::kInsert &&
                     ctx.out->kind != StatementKind::kUpsert;
  for (size_t on : c.ons) {
    if (!joins) break;
    const size_t end = ClauseEnd(c, on, size);
    if (on + 1 < end && !MayHoldComparison(ctx, on + 1, end)) {
      // ON a.id = b.a_id: opaque, which replaces an opaque condition
      // before it and is dropped from a list (Combine()).
      if (!HasPredicates(ctx, acc) || acc->kind == PredicateNode::Kind::kOpaque) {
        SetOpaquePredicates(ctx, acc);
      }
      continue;
    }
    add(on + 1, end);
  }
  if (c.where != kNone) add(c.where + 1, ClauseEnd(c, c.where, size));
}

}  // namespace

void ExtractQueryShape(const StatementContext& ctx, size_t main,
                       const WalkResult& walk, Skip skip) {
  const Clauses c = FindClauses(ctx, main, skip);
  ExtractPredicates(ctx, c, walk);
  ExtractOrderBy(ctx, c);
  ExtractGroupBy(ctx, c);
  ExtractLimit(ctx, c);
  ExtractAggregates(ctx, c);
}

}  // namespace switchyard::parser
