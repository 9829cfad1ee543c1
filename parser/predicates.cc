#include "parser/predicates.h"

#include <algorithm>
#include <array>

#include "parser/operand_reader.h"
#include "parser/query_walker_rules.h"

namespace switchyard::parser {
namespace {

using operand_internal::IsMinus;

[[gnu::always_inline]] inline std::optional<CompareOp> ComparisonOp(const StatementContext& ctx,
                                                                   const Token& t) {
  if (t.kind != TokenKind::kOperator || t.length > 2) return std::nullopt;
  const char* op = ctx.sql.data() + t.begin;
  if (t.length == 2 && op[1] != '=') return std::nullopt;
  const bool equal = t.length == 2;  // "==", "<=", ">="
  switch (op[0]) {
    case '=': return CompareOp::kEq;
    case '<': return equal ? CompareOp::kLe : CompareOp::kLt;
    case '>': return equal ? CompareOp::kGe : CompareOp::kGt;
    default: return std::nullopt;
  }
}

CompareOp Flip(CompareOp op) {
  switch (op) {
    case CompareOp::kLt: return CompareOp::kGt;
    case CompareOp::kLe: return CompareOp::kGe;
    case CompareOp::kGt: return CompareOp::kLt;
    case CompareOp::kGe: return CompareOp::kLe;
    case CompareOp::kEq: case CompareOp::kIn: case CompareOp::kBetween:
      return op;
  }
  return op;
}

class PredicateParser {
 public:
  PredicateParser(const StatementContext& ctx, size_t end,
                  const WalkResult& walk, uint32_t default_table)
      : ctx_(ctx), t_(ctx.tokens), end_(end), walk_(walk),
        default_table_(default_table) {}

  // An OR of ANDs; `budget` bounds nesting of parentheses. Results are
  // written into `out` (default-constructed = opaque): nodes are large, and
  // returning them by value through every level cost more than the parsing
  // itself.
  void ParseOr(size_t& p, int budget, PredicateNode& out) {
    ParseAnd(p, budget, out);
    if (KwAt(p, Keyword::kOr)) ParseRestOfList(p, budget, Keyword::kOr, out);
  }

 private:
  bool Has(size_t p) const { return p < end_; }
  bool KwAt(size_t p, Keyword k) const { return Has(p) && t_[p].Is(k); }
  bool KindAt(size_t p, TokenKind k) const { return Has(p) && t_[p].kind == k; }

  // An AND of terms. Common case: one term, no list, no node churn.
  void ParseAnd(size_t& p, int budget, PredicateNode& out) {
    if (!spare_.empty()) return ParseAndIntoSpares(p, budget, out);
    ParseTerm(p, budget, out);
    if (KwAt(p, Keyword::kAnd)) ParseRestOfList(p, budget, Keyword::kAnd, out);
  }

  // A `sep` list whose first child has been parsed into `out`, from the
  // `sep` at p on.
  [[gnu::noinline]] void ParseRestOfList(size_t& p, int budget, Keyword sep, PredicateNode& out) {
    PredicateNode list;
    list.kind = sep == Keyword::kOr ? PredicateNode::Kind::kOr : PredicateNode::Kind::kAnd;
    // An earlier result's nodes (spare_) are refilled in place; else a
    // reused node's empty children vector keeps its capacity: take it.
    if (!spare_.empty()) {
      list.children.swap(spare_);
    } else {
      if (out.children.empty()) list.children.swap(out.children);
      list.children.reserve(4);
    }
    size_t used = 0;
    bool opaque = out.kind == PredicateNode::Kind::kOpaque;
    if (!opaque) Append(list, used, out);
    while (KwAt(p, sep)) {
      ++p;
      PredicateNode& child = NextChild(list.children, used);
      ParseChild(p, budget, sep, child);
      if (child.kind == PredicateNode::Kind::kOpaque) {
        opaque = true;
        --used;
      } else if (child.kind == list.kind) {  // flatten a nested list
        PredicateNode nested = std::move(child);
        --used;
        for (auto& c : nested.children) NextChild(list.children, used) = std::move(c);
      }
    }
    list.children.erase(list.children.begin() + static_cast<std::ptrdiff_t>(used),
                        list.children.end());
    if ((opaque && sep == Keyword::kOr) || used == 0) {
      out = PredicateNode{};
    } else if (used == 1) {
      out = std::move(list.children.front());
    } else {
      // `out` (emptied, its storage kept for the next result) becomes the list.
      ClearPredicateNode(out);
      out.kind = list.kind;
      out.children.swap(list.children);
    }
  }

  // ParseAnd() when an earlier result left nodes (spare_): every term, the
  // first too, is parsed straight into a spare, whose strings mostly hold
  // the same names already. (Parsed into `out` and then swapped into the
  // list, the first term left its old strings in `out`, emptied there, to
  // be grown again by the next statement.)
  [[gnu::noinline]] void ParseAndIntoSpares(size_t& p, int budget, PredicateNode& out) {
    std::vector<PredicateNode>& list = spare_;  // refilled where it is
    size_t used = 0;
    for (;;) {
      PredicateNode& child = NextChild(list, used);
      ParseTerm(p, budget, child);
      if (child.kind == PredicateNode::Kind::kOpaque) {
        --used;  // dropped from an AND
      } else if (child.kind == PredicateNode::Kind::kAnd) {  // flatten a nested list
        PredicateNode nested = std::move(child);
        --used;
        for (auto& c : nested.children) NextChild(list, used) = std::move(c);
      }
      if (!KwAt(p, Keyword::kAnd)) break;
      ++p;
    }
    if (used >= 2) {
      if (used < list.size()) list.resize(used);
      ClearPredicateNode(out);
      out.kind = PredicateNode::Kind::kAnd;
      out.children.swap(list);
      return;
    }
    // One term (or none): it becomes `out`, and the nodes stay spares.
    if (used == 1) {
      MoveNode(list.front(), out);
    } else {
      ClearPredicateNode(out);
    }
  }

  // `from` into `to`, member by member (std::swap moves each through a
  // temporary); `from` is left with `to`'s old storage, to be recycled.
  static void MoveNode(PredicateNode& from, PredicateNode& to) {
    std::swap(to.kind, from.kind);
    to.comparison.table.swap(from.comparison.table);
    to.comparison.column.swap(from.comparison.column);
    std::swap(to.comparison.op, from.comparison.op);
    to.comparison.values.swap(from.comparison.values);
    to.children.swap(from.children);
  }

  // The next child slot of `list`: a spare node emptied in place, or a new one.
  // The end is found by pointer (used == size() divides by the node's size,
  // which showed per child); list.data() is never null here: every list has
  // spares or was given capacity (ParseRestOfList()).
  [[gnu::always_inline]] static PredicateNode& NextChild(std::vector<PredicateNode>& list,
                                                         size_t& used) {
    PredicateNode* const slot = list.data() + used++;
    if (slot == list.data() + list.size()) return list.emplace_back();
    RecyclePredicateNode(*slot);  // see ParseTerm()
    return *slot;
  }

  void ParseChild(size_t& p, int budget, Keyword sep, PredicateNode& out) {
    if (sep == Keyword::kOr) {
      ParseAnd(p, budget, out);
    } else {
      ParseTerm(p, budget, out);
    }
  }

  // `child` into `parent` (its children when it is the same kind of list).
  // Swapped, not moved: `child` is left with the slot's emptied storage.
  static void Append(PredicateNode& parent, size_t& used, PredicateNode& child) {
    if (child.kind == parent.kind) {
      for (auto& c : child.children) NextChild(parent.children, used) = std::move(c);
      child.children.clear();
    } else {
      // The slot is recycled, and `child` is overwritten by the caller after.
      MoveNode(child, NextChild(parent.children, used));
    }
  }

  void ParseTerm(size_t& p, int budget, PredicateNode& out) {
    if (KindAt(p, TokenKind::kLParen) && budget > 0) {
      const size_t close = MatchingParen(p);
      if (close < end_ && (close + 1 == end_ || KwAt(close + 1, Keyword::kAnd) ||
                           KwAt(close + 1, Keyword::kOr))) {
        size_t inner = p + 1;
        PredicateParser sub(ctx_, close, walk_, default_table_);
        sub.ParseOr(inner, budget - 1, out);
        p = close + 1;
        if (inner != close) out = PredicateNode{};
        return;
      }
    }
    // `out` may be a recycled node (RecyclePredicateNode()): a comparison
    // spells its table and column over the old text; anything else resets it.
    const size_t start = p;
    if (ParseComparison(p, out.comparison) && AtTermEnd(p)) {
      out.kind = PredicateNode::Kind::kComparison;
      return;
    }
    if (!IsEmpty(out)) out = PredicateNode{};
    p = start;
    SkipTerm(p);
  }

  // Equal to PredicateNode{} (resetting it would change nothing).
  static bool IsEmpty(const PredicateNode& n) {
    const Comparison& c = n.comparison;
    return n.kind == PredicateNode::Kind::kOpaque && n.children.empty() && c.table.empty() &&
           c.column.empty() && c.op == CompareOp::kEq && c.values.empty();
  }

  bool AtTermEnd(size_t p) const {
    return !Has(p) || KwAt(p, Keyword::kAnd) || KwAt(p, Keyword::kOr);
  }

  size_t MatchingParen(size_t p) const {
    Cursor c(ctx_.sql, t_.first(end_), p);
    c.SkipBalanced();
    return c.pos() - 1;
  }

  // Skips one term up to a top-level AND/OR (BETWEEN's AND and CASE … END
  // included in the term).
  void SkipTerm(size_t& p) {
    int depth = 0, cases = 0;
    bool between = false;
    for (; Has(p); ++p) {
      const Token& t = t_[p];
      if (t.kind == TokenKind::kLParen || t.kind == TokenKind::kLBracket) ++depth;
      if (t.kind == TokenKind::kRParen || t.kind == TokenKind::kRBracket) --depth;
      if (depth != 0) continue;
      if (t.Is(Keyword::kCase)) ++cases;
      if (t.Is(Keyword::kEnd) && cases > 0) --cases;
      if (t.Is(Keyword::kBetween)) between = true;
      if (cases > 0) continue;
      if (t.Is(Keyword::kAnd) && between) {
        between = false;
        continue;
      }
      if (t.Is(Keyword::kAnd) || t.Is(Keyword::kOr)) return;
    }
  }

  // Column names (defined in predicate_names.h).

  // Column names are spelled straight into `out`; a qualifier is matched
  // against the aliases from its token, without spelling it first.
  size_t ReadColumn(size_t p, Comparison& out) const;

  // The position after a column reference at p (p when there is none),
  // without spelling it: comparisons check what follows first.
  size_t ProbeColumn(size_t p, NameParts& parts) const;

  // ReadNameParts() at p (an identifier), the column's common shapes (a,
  // q.a) straight: no loop over up to three parts kept in an array.
  [[gnu::always_inline]] void ReadColumnParts(size_t p, NameParts& parts) const;

  void SpellColumn(const NameParts& parts, Comparison& out) const;

  // The name at token `table` (kNoToken: none) into `out`.
  [[gnu::always_inline]] void SpellTable(uint32_t table, std::string& out) const;

  // The table of the alias spelled `qualifier`, else the qualifier itself.
  void ResolveAlias(std::string qualifier, std::string& out) const;

  // ResolveWord() through the last qualifier's table (o.a = 1 AND o.b = 2:
  // the second resolved and lower-cased again otherwise): the same text
  // gets the same table, copied as spelled.
  void ResolveWordCached(const Token& word, std::string& out) const;

  // ResolveAlias(IdentifierName(word)) into `out`: a word's name is its
  // text, ASCII-lower-cased in PostgreSQL.
  void ResolveWord(const Token& word, std::string& out) const;

  // SameName(text, IdentifierName(alias)), without spelling a word alias.
  bool SameAlias(std::string_view text, const Token& alias) const;

  // How many of the first n bytes of a and b are equal, counted from the first.
  static size_t EqualPrefix(const char* a, const char* b, size_t n);

  // The text of a word equal to a spelled name (folded in PostgreSQL).
  bool SameName(std::string_view text, const std::string& name) const;

  bool ParseComparison(size_t& p, Comparison& out) {
    // A column first (the common case) is tried first: no token both starts
    // a column and an operand (NULL, TRUE and FALSE are reserved words).
    NameParts column;
    const size_t q = ProbeColumn(p, column);
    if (q == p) return StartsOperand(p) && ParseLiteralFirst(p, out);
    if (!Has(q)) return false;
    if (auto op = ComparisonOp(ctx_, t_[q])) {
      // Filled before the operand is known to be one (no StartsOperand()
      // test of the token ReadOperandInline() tests again): a comparison
      // given up on is reset whole (ParseTerm()).
      SpellColumn(column, out);
      out.op = *op;
      if (out.values.size() != 1) out.values.resize(1);  // mostly one already (recycled)
      p = ReadOperandInline(ctx_, q + 1, end_, out.values[0]);
      return p != q + 1;
    }
    const bool in = KwAt(q, Keyword::kIn);
    if (!in && !KwAt(q, Keyword::kBetween)) return false;
    SpellColumn(column, out);
    return in ? ParseInList(q + 1, p, out) : ParseBetween(q + 1, p, out);
  }

  // literal op column.
  [[gnu::noinline]] bool ParseLiteralFirst(size_t& p, Comparison& out) {
    Operand lhs;
    const size_t after_literal = ReadOperand(ctx_, p, end_, lhs);
    auto op = Has(after_literal) ? ComparisonOp(ctx_, t_[after_literal]) : std::nullopt;
    if (!op) return false;
    size_t q = ReadColumn(after_literal + 1, out);
    if (q == after_literal + 1) return false;
    out.op = Flip(*op);
    out.values = {std::move(lhs)};
    p = q;
    return true;
  }

  // Exactly when ReadOperand() reads something at q.
  bool StartsOperand(size_t q) const {
    if (!Has(q)) return false;
    const Token& t = t_[q];
    switch (t.kind) {
      case TokenKind::kNumber: case TokenKind::kString: case TokenKind::kParam:
        return true;
      case TokenKind::kOperator:
        return IsMinus(ctx_, t) && KindAt(q + 1, TokenKind::kNumber);
      case TokenKind::kWord:
        return t.Is(Keyword::kNull) || t.Is(Keyword::kTrue) || t.Is(Keyword::kFalse);
      default:
        return false;
    }
  }

  bool ParseInList(size_t q, size_t& p, Comparison& out) {
    if (!KindAt(q, TokenKind::kLParen)) return false;
    out.op = CompareOp::kIn;
    ++q;
    size_t used = 0;  // out.values are refilled in place (see ReadOperand())
    while (Has(q)) {
      Operand& v = used < out.values.size() ? out.values[used] : out.values.emplace_back();
      ++used;
      const size_t r = ReadOperand(ctx_, q, end_, v);
      if (r == q) return false;
      q = r;
      if (KindAt(q, TokenKind::kRParen)) {
        out.values.resize(used);
        p = q + 1;
        return true;
      }
      if (!KindAt(q, TokenKind::kComma)) return false;
      ++q;
    }
    return false;
  }

  bool ParseBetween(size_t q, size_t& p, Comparison& out) {
    out.op = CompareOp::kBetween;
    out.values.resize(2);
    const size_t r = ReadOperand(ctx_, q, end_, out.values[0]);
    if (r == q || !KwAt(r, Keyword::kAnd)) return false;
    const size_t s = ReadOperand(ctx_, r + 1, end_, out.values[1]);
    if (s == r + 1) return false;
    p = s;
    return true;
  }

  // ResolveWordCached(): the last qualifier's text and its table's name
  // (size + 1; 0: none yet, the rest unset).
  mutable uint8_t cached_table_size_ = 0;
  mutable uint32_t cached_begin_;
  mutable uint32_t cached_length_;
  mutable char cached_table_[16];

  const StatementContext& ctx_;
  std::span<const Token> t_;
  size_t end_;
  const WalkResult& walk_;
  uint32_t default_table_;

 public:
  // Nodes of the tree this result held before (AnalyzeInto()), refilled by
  // the first list built, so that a warm result allocates nothing.
  std::vector<PredicateNode> spare_;
};

}  // namespace
}  // namespace switchyard::parser

#include "parser/predicate_names.h"

namespace switchyard::parser {

namespace {

// The tokens an operand starts with (a '-' only before a number), by
// ActIndex(): one table load per token.
constexpr std::array<bool, 256> BuildOperandStarts() {
  std::array<bool, 256> starts{};
  for (TokenKind k : {TokenKind::kNumber, TokenKind::kString, TokenKind::kParam}) {
    starts[256 - static_cast<size_t>(k)] = true;
  }
  for (Keyword k : {Keyword::kNull, Keyword::kTrue, Keyword::kFalse}) {
    starts[static_cast<size_t>(k)] = true;
  }
  return starts;
}
constexpr std::array<bool, 256> kOperandStarts = BuildOperandStarts();

}  // namespace

bool MayHoldComparison(const StatementContext& ctx, size_t begin, size_t end) {
  const Token* const t = ctx.tokens.data();
  // Two tokens a step (one loop test for both; an ON condition is mostly
  // 3 or 7 tokens).
  size_t i = begin;
  for (; i + 1 < end; i += 2) {
    if (kOperandStarts[ActIndex(t[i])] | kOperandStarts[ActIndex(t[i + 1])]) return true;
  }
  return i < end && kOperandStarts[ActIndex(t[i])];
}

// TakePredicateNode() with spares, cleared, then KeepSpareChildren(), in
// place: the old children stay where they are instead of going through a
// spare vector and back.
void SetOpaquePredicates(const StatementContext& ctx, std::optional<PredicateNode>& out) {
  if (!out.has_value()) return static_cast<void>(out.emplace());
  PredicateNode& node = *out;
  bool keep = false;  // node.children are spares to keep
  if (&out == &ctx.out->predicates && ctx.stale != nullptr) {
    keep = ctx.stale->predicates || ctx.stale->predicate_children;
    ctx.stale->predicates = false;
    ctx.stale->predicate_children = false;
  }
  node.kind = PredicateNode::Kind::kOpaque;
  node.comparison.table.clear();
  node.comparison.column.clear();
  node.comparison.op = CompareOp::kEq;
  node.comparison.values.clear();
  if (keep && !node.children.empty()) {
    ctx.stale->predicate_children = true;
  } else {
    node.children.clear();
  }
}

void ParsePredicates(const StatementContext& ctx, size_t begin, size_t end,
                     const WalkResult& walk, uint32_t default_table,
                     std::optional<PredicateNode>& out) {
  if (begin >= end) return;
  PredicateParser parser(ctx, end, walk, default_table);
  size_t p = begin;
  PredicateNode& node = TakePredicateNode(ctx, out, &parser.spare_);
  parser.ParseOr(p, 32, node);
  if (p < end) node = PredicateNode{};  // trailing tokens: not understood
  KeepSpareChildren(ctx, out, parser.spare_);
}

}  // namespace switchyard::parser
