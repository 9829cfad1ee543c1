#include "parser/query_shape.h"

#include <algorithm>
#include <array>
#include <vector>

#include "parser/clause_keywords.h"
#include "parser/predicates.h"
#include "parser/small_list.h"
#include "parser/spare_entries.h"

namespace switchyard::parser {
namespace {

// A clause keyword's position, and how many boundaries (every clause
// keyword, Clauses::boundaries) were noted up to and with it: the clause
// ends at the next one, boundaries[after].
struct Clause {
  uint32_t pos = UINT32_MAX;
  uint32_t after = 0;
};

// The clauses the shape reads. A slot holds the first such keyword, or for
// ORDER, LIMIT and OFFSET the last.
enum Slot : uint8_t {
  kSelect, kFrom, kWhere, kGroup, kHaving, kOrder, kLimit, kOffset, kFetch,
  kSetOperation,  // UNION, INTERSECT, EXCEPT
  kOn,            // JOIN … ON: each one (Clauses::ons)
  kOther,         // a boundary only
  kSlots,
};

struct ClauseRule {
  Slot slot = kOther;
  bool last = false;      // a later keyword replaces an earlier one
  bool boundary = false;  // IsClauseBoundary(), unless called like a function
  bool always = false;    // a boundary even before '(' (ON, USING)
};

constexpr ClauseRule RuleOf(Keyword k) {
  ClauseRule r;
  r.boundary = IsClauseBoundary(k);
  r.always = k == Keyword::kOn || k == Keyword::kUsing;
  switch (k) {
    case Keyword::kSelect: r.slot = kSelect; break;
    case Keyword::kFrom: r.slot = kFrom; break;
    case Keyword::kWhere: r.slot = kWhere; break;
    case Keyword::kGroup: r.slot = kGroup; break;
    case Keyword::kHaving: r.slot = kHaving; break;
    case Keyword::kOrder: r.slot = kOrder; r.last = true; break;
    case Keyword::kLimit: r.slot = kLimit; r.last = true; break;
    case Keyword::kOffset: r.slot = kOffset; r.last = true; break;
    case Keyword::kFetch: r.slot = kFetch; break;
    case Keyword::kOn: r.slot = kOn; break;
    case Keyword::kUnion: case Keyword::kIntersect: case Keyword::kExcept:
      r.slot = kSetOperation;
      break;
    default: break;
  }
  return r;
}

constexpr std::array<ClauseRule, 256> BuildClauseRules() {
  std::array<ClauseRule, 256> rules{};
  for (size_t k = 0; k < 256; ++k) rules[k] = RuleOf(static_cast<Keyword>(k));
  return rules;
}
constexpr std::array<ClauseRule, 256> kClauseRules = BuildClauseRules();

// Positions of the main statement's top-level clause keywords.
class Clauses {
 public:
  explicit Clauses(size_t size) : size_(size) {}

  // One clause keyword (kClauseKeywords) at tokens[i], depth 0, in order.
  [[gnu::always_inline]] void Note(const Token* tokens, size_t i) {
    const ClauseRule r = kClauseRules[static_cast<size_t>(tokens[i].keyword)];
    if (r.boundary &&
        (r.always || i + 1 >= size_ || tokens[i + 1].kind != TokenKind::kLParen)) {
      boundaries_.push_back(static_cast<uint32_t>(i));
    }
    const Clause c{static_cast<uint32_t>(i), static_cast<uint32_t>(boundaries_.size())};
    if (r.slot == kOn) return ons_.push_back(c);
    Clause& slot = slots_[r.slot];
    if (r.last || slot.pos == UINT32_MAX) slot = c;
  }

  bool Has(Slot s) const { return slots_[s].pos != UINT32_MAX; }
  size_t At(Slot s) const { return slots_[s].pos; }  // with Has(s)
  // Where the clause of `c` ends: the next boundary, or the end.
  size_t End(Clause c) const { return c.after < boundaries_.size() ? boundaries_[c.after] : size_; }
  size_t End(Slot s) const { return End(slots_[s]); }
  const SmallList<Clause, 4>& ons() const { return ons_; }

 private:
  size_t size_;  // tokens
  Clause slots_[kSlots];
  SmallList<Clause, 4> ons_;
  SmallList<uint32_t, 16> boundaries_;
};

// Clause keywords at depth 0 of tokens [begin, end); `depth` carries on
// from one range to the next.
void ScanClauses(const StatementContext& ctx, size_t begin, size_t end, int& depth_io,
                 Clauses& c) {
  int depth = depth_io;
  const Token* const tokens = ctx.tokens.data();  // not reloaded after Note()'s stores
  // Branch-light: words have no paren delta, other tokens no keyword.
  for (size_t i = begin; i < end; ++i) {
    const Token& t = tokens[i];
    depth += kParenDelta[static_cast<size_t>(t.kind)];
    if (kClauseKeywords[static_cast<size_t>(t.keyword)] && depth == 0) c.Note(tokens, i);
  }
  depth_io = depth;
}

Clauses FindClauses(const StatementContext& ctx, size_t main, Skip skip) {
  const size_t size = ctx.tokens.size();
  Clauses c(size);
  // The lexer noted the clause keywords at depth 0 of a statement that is
  // the whole text (counted from its first token); flat VALUES rows hold
  // none and leave the depth as it was.
  if (ctx.clause_at != nullptr && main == 0) {
    // Loaded once: Note()'s stores go to the caller's Clauses, which the
    // compiler cannot tell apart from *ctx.
    const Token* const tokens = ctx.tokens.data();
    const uint16_t* const at_end = ctx.clause_at + ctx.clause_count;
    for (const uint16_t* at = ctx.clause_at; at != at_end; ++at) c.Note(tokens, *at);
    return c;
  }
  int depth = 0;
  if (skip.end > skip.begin && skip.begin >= main && skip.end <= size) {
    ScanClauses(ctx, main, skip.begin, depth, c);  // the skipped rows leave depth as it was
    ScanClauses(ctx, skip.end, size, depth, c);
  } else {
    ScanClauses(ctx, main, size, depth, c);
  }
  return c;
}

// Calls f(b, e) for each item of [begin, end), split at top-level commas
// (empty items skipped); returns how many there were.
template <typename F>
size_t ForEachItem(const StatementContext& ctx, size_t begin, size_t end, F f) {
  size_t items = 0;
  int depth = 0;
  size_t start = begin;
  const Token* const tokens = ctx.tokens.data();  // not reloaded after f's stores
  for (size_t i = begin; i < end; ++i) {
    const TokenKind k = tokens[i].kind;
    depth += kBracketDelta[static_cast<size_t>(k)];
    if (k == TokenKind::kComma && depth == 0) {
      if (i > start) f(start, i), ++items;
      start = i + 1;
    }
  }
  if (end > start) f(start, end), ++items;
  return items;
}

void ExtractOrderBy(const StatementContext& ctx, const Clauses& c) {
  if (!c.Has(kOrder)) return;
  const size_t order = c.At(kOrder);
  if (order + 1 >= ctx.tokens.size() || !ctx.tokens[order + 1].Is(Keyword::kBy)) return;
  ForEachItem(ctx, order + 2, c.End(kOrder), [&](size_t b, size_t e) {
    OrderItem& item = NewOrderItem(ctx);
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
    ExpressionTextInPlace(ctx, b, e, item.expression);
  });
}

void ExtractGroupBy(const StatementContext& ctx, const Clauses& c) {
  if (!c.Has(kGroup)) return;
  ForEachItem(ctx, c.At(kGroup) + 2, c.End(kGroup), [&](size_t b, size_t e) {
    ctx.out->group_by.push_back(ExpressionText(ctx, b, e));
  });
}

// ctx.out->limit and offset, engaged for this result (see EngageStale()).
std::string& Limit(const StatementContext& ctx) {
  return EngageStale(ctx.out->limit, ctx.stale != nullptr ? &ctx.stale->limit : nullptr);
}
std::string& Offset(const StatementContext& ctx) {
  return EngageStale(ctx.out->offset, ctx.stale != nullptr ? &ctx.stale->offset : nullptr);
}

// The items of LIMIT at tokens [begin, end): the count, or MySQL's
// offset and count.
void ExtractLimitItems(const StatementContext& ctx, size_t begin, size_t end) {
  std::pair<size_t, size_t> items[2];
  size_t n = 0;
  ForEachItem(ctx, begin, end, [&](size_t b, size_t e) {
    if (n < 2) items[n] = {b, e};
    ++n;
  });
  if (n == 2) {  // MySQL LIMIT offset, count
    ExpressionTextInPlace(ctx, items[0].first, items[0].second, Offset(ctx));
    ExpressionTextInPlace(ctx, items[1].first, items[1].second, Limit(ctx));
  } else if (n == 1) {
    ExpressionTextInPlace(ctx, items[0].first, items[0].second, Limit(ctx));
  }
}

void ExtractLimit(const StatementContext& ctx, const Clauses& c) {
  const auto& t = ctx.tokens;
  if (c.Has(kLimit) && c.At(kLimit) + 1 < t.size()) {
    const size_t first = c.At(kLimit) + 1;
    if (c.End(kLimit) == first + 1 && t[first].kind != TokenKind::kComma) {
      ExpressionTextInPlace(ctx, first, first + 1, Limit(ctx));  // LIMIT n: one item
    } else {
      ExtractLimitItems(ctx, first, c.End(kLimit));
    }
  }
  if (c.Has(kFetch) && c.At(kFetch) + 2 < t.size() &&
      t[c.At(kFetch) + 2].kind != TokenKind::kWord) {  // FETCH FIRST n ROWS
    ExpressionText(ctx, c.At(kFetch) + 2, c.At(kFetch) + 3, Limit(ctx));
  }
  if (c.Has(kOffset) && c.At(kOffset) + 1 < t.size()) {
    const size_t offset = c.At(kOffset);
    size_t e = c.End(kOffset);
    if (e > offset + 2 && (t[e - 1].Is(Keyword::kRows) || t[e - 1].Is(Keyword::kRow))) --e;
    ExpressionText(ctx, offset + 1, e, Offset(ctx));
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

// `rows` are in parentheses, which walk.parens does not count.
void ExtractAggregates(const StatementContext& ctx, const Clauses& c, const WalkResult& walk,
                       Skip rows) {
  if (!c.Has(kSelect)) return;
  if (!walk.parens && rows.end <= rows.begin) return;  // an aggregate is called with "("
  const size_t begin = c.At(kSelect) + 2;
  const size_t stop = c.End(kSelect);
  if (begin >= stop) return;
  const Token* const end = ctx.tokens.data() + stop;
  // A word before '(': most tokens are no '(', one compare each.
  for (const Token* t = ctx.tokens.data() + begin; t < end; ++t) {
    if (t->kind != TokenKind::kLParen || t[-1].kind != TokenKind::kWord) continue;
    std::string lower = ToLower(t[-1].Text(ctx.sql));
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
  if (c.Has(kSetOperation)) return;
  const uint32_t table = walk.top_level_table_count == 1 ? walk.top_level_table : kNoToken;
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
  for (const Clause& clause : c.ons()) {
    if (!joins) break;
    const size_t on = clause.pos;
    const size_t end = c.End(clause);
    if (on + 1 < end && !MayHoldComparison(ctx, on + 1, end)) {
      // ON a.id = b.a_id: opaque, which replaces an opaque condition
      // before it and is dropped from a list (Combine()). A WHERE condition
      // (parsed last) then writes acc over anyway: not written.
      if ((!HasPredicates(ctx, acc) || acc->kind == PredicateNode::Kind::kOpaque) &&
          !(c.Has(kWhere) && c.At(kWhere) + 1 < c.End(kWhere))) {
        SetOpaquePredicates(ctx, acc);
      }
      continue;
    }
    add(on + 1, end);
  }
  if (c.Has(kWhere)) add(c.At(kWhere) + 1, c.End(kWhere));
}

}  // namespace

void ExtractQueryShape(const StatementContext& ctx, size_t main,
                       const WalkResult& walk, Skip skip) {
  const Clauses c = FindClauses(ctx, main, skip);
  ExtractPredicates(ctx, c, walk);
  ExtractOrderBy(ctx, c);
  ExtractGroupBy(ctx, c);
  ExtractLimit(ctx, c);
  ExtractAggregates(ctx, c, walk, skip);
}

}  // namespace switchyard::parser
