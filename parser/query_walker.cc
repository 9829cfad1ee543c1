#include "parser/query_walker.h"

#include <algorithm>
#include <array>
#include <span>
#include <string_view>

#include "absl/container/inlined_vector.h"
#include "parser/query_walker_rules.h"
#include "parser/spare_entries.h"

namespace switchyard::parser {
namespace {

// Trivial (no member initializers), so that the walker's array of levels
// costs nothing to set up; new levels start as kNewLevel.
struct Level {
  bool query;         // a FROM here introduces tables
  bool in_from;       // a ',' or JOIN here introduces a table (SetInFrom())
  bool from_written;  // tables read here are write targets
  bool cte_list;      // a ',' after a CTE body starts another CTE
  Keyword verb;
  const Act* acts;    // kLevelActs for query and in_from
};

constexpr const Act* LevelActs(bool query, bool in_from) {
  return kLevelActs[LevelActsIndex(query, in_from)].data();
}

constexpr Level kNewLevel{true, false, false, false, Keyword::kSelect, LevelActs(true, false)};

class Walker {
 public:
  // Fills `result` (the caller's, returned without a move).
  Walker(const StatementContext& ctx, size_t begin, size_t end, Skip skip, WalkResult& result)
      : ctx_(ctx), t_(ctx.tokens), begin_(begin), end_(end), skip_(skip), result_(result) {}

  void Run() {
    levels_[0] = kNewLevel;
    depth_ = 1;
    // In a text with no bracket whose keywords the walker acts on are all
    // clause keywords the lexer noted (ctx.clause_at), but for the first
    // token's (!ctx.walk_scan), only keywords act outside a FROM list: the
    // walk goes from one noted keyword to the next instead of loading every
    // token's action. A FROM list (where commas act too) is scanned. (Any
    // range [begin_, end_) of such a text: an act-only keyword at begin_ > 0
    // would have set walk_scan.)
    const bool by_clauses = !ctx_.walk_scan;
    const Token* const t = t_.data();
    const uint16_t* at = ctx_.clause_at;
    size_t i = begin_;
    while (i < end_) {
      // What acts depends on the level, which only Step() changes.
      Act act = Act::kNone;
      if (by_clauses && !Top().in_from) {
        i = NextNotedAct(Top().acts, t, i, at, act);
      } else {
        i = NextAct(Top().acts, t, i, end_, act);
      }
      if (i >= end_) break;
      i = Step(act, i);
    }
    if (!result_.cte_names.empty()) RemoveCteNames();  // mostly none: no call
  }

 private:
  // NextAct() for a walk by_clauses: the first token, then the clause
  // keywords the lexer noted from `at` on (moved past those it passes).
  size_t NextNotedAct(const Act* acts, const Token* t, size_t i, const uint16_t*& at,
                      Act& act) const {
    if (i == 0 && (act = acts[ActIndex(t[0])]) != Act::kNone) return 0;
    const uint16_t* const at_end = ctx_.clause_at + ctx_.clause_count;
    for (; at != at_end; ++at) {
      if (*at >= i && (act = acts[ActIndex(t[*at])]) != Act::kNone) return *at;
    }
    return end_;
  }

  // The first of tokens t[i, end) with an action in `acts` (kLevelActs;
  // the action in `act`), or end. Most tokens need nothing: one table load
  // each, four tokens per loop test. (By index, as Step() takes it: a
  // pointer would be divided by the token size.)
  [[gnu::always_inline]] static size_t NextAct(const Act* acts, const Token* t, size_t i,
                                               size_t end, Act& act) {
    for (; end - i >= 4; i += 4) {
      if ((act = acts[ActIndex(t[i])]) != Act::kNone) return i;
      if ((act = acts[ActIndex(t[i + 1])]) != Act::kNone) return i + 1;
      if ((act = acts[ActIndex(t[i + 2])]) != Act::kNone) return i + 2;
      if ((act = acts[ActIndex(t[i + 3])]) != Act::kNone) return i + 3;
    }
    for (; i < end; ++i) {
      if ((act = acts[ActIndex(t[i])]) != Act::kNone) return i;
    }
    return end;
  }

  Level& Top() { return levels_[depth_ - 1]; }
  const Level& Top() const { return levels_[depth_ - 1]; }
  void SetInFrom(bool in_from) {
    Top().in_from = in_from;
    Top().acts = LevelActs(Top().query, in_from);
  }
  bool Has(size_t i) const { return i < end_; }
  bool KwAt(size_t i, Keyword k) const { return Has(i) && t_[i].Is(k); }
  bool KindAt(size_t i, TokenKind k) const {
    return Has(i) && t_[i].kind == k;
  }
  Keyword PrevKw(size_t i) const {
    return i > begin_ ? t_[i - 1].keyword : Keyword::kNone;
  }

  // One switch for punctuation and keywords alike, for an action of the
  // level (kLevelActs: no keyword in a call, no ',' outside a FROM list).
  // Returns where the walk goes on, at most end_ (as every reader here does).
  size_t Step(Act act, size_t i) {
    switch (act) {
      case Act::kOpen: return OpenParen(i);
      case Act::kClose: return CloseParen(i);
      case Act::kComma:
        if (Top().in_from) return ReadTableRef(i + 1, Top().from_written);
        return i + 1;
      case Act::kEndsFromList:
        if (t_[i].keyword != Keyword::kSet || Top().verb == Keyword::kUpdate) EndFromList();
        return i + 1;
      case Act::kFrom: return From(i);
      case Act::kJoin: return ReadTableRef(i + 1, false);
      case Act::kUsing: return Using(i);
      case Act::kWith: return With(i);
      case Act::kSelect:
        EndFromList();
        Top().verb = Keyword::kSelect;
        return i + 1;
      case Act::kValues:  // flat rows (see Skip) hold nothing to record
        EndFromList();
        return i + 1 == skip_.begin && skip_.end > skip_.begin ? skip_.end : i + 1;
      case Act::kTable: return TableStatement(i);
      case Act::kInsert: return Insert(i);
      case Act::kUpdate: return Update(i);
      case Act::kDelete: return Delete(i);
      case Act::kMerge: return Merge(i);
      case Act::kInto: EndFromList(); return Into(i);
      case Act::kFor: EndFromList(); return For(i);
      case Act::kLock:
        EndFromList();
        if (KwAt(i + 1, Keyword::kIn)) NotReadOnly(*ctx_.out, "LOCK IN SHARE MODE");
        return i + 1;
      default:  // kNone
        return i + 1;
    }
  }

  // After WHERE, SELECT, … (EndsFromList()).
  void EndFromList() {
    SetInFrom(false);
    Top().from_written = false;
  }

  size_t OpenParen(size_t i) {
    result_.parens = true;
    const bool call = IsFunctionCall(i);
    if (call) AddFunction(ctx_, ctx_.sql.substr(t_[i - 1].begin, t_[i - 1].length));
    Level next = kNewLevel;
    next.query = !call || (Has(i + 1) && IsQueryStart(t_[i + 1]));
    next.acts = LevelActs(next.query, false);
    const bool table_position = Top().in_from && !call &&
        (PrevKw(i) == Keyword::kFrom || PrevKw(i) == Keyword::kJoin ||
         PrevKw(i) == Keyword::kLateral ||
         (i > begin_ && (t_[i - 1].kind == TokenKind::kComma ||
                         t_[i - 1].kind == TokenKind::kLParen)));
    if (depth_ < kMaxLevels) levels_[depth_++] = next;
    if (table_position && Has(i + 1) && !IsQueryStart(t_[i + 1]) &&
        t_[i + 1].kind != TokenKind::kLParen) {
      SetInFrom(true);  // parenthesized join: (a JOIN b ON …)
      Top().from_written = levels_[depth_ - 2].from_written;
      return ReadTableRef(i + 1, Top().from_written);
    }
    return SkipFlatList(i + 1);
  }

  // Literals, parameters and commas up to a ')' (VALUES rows, IN lists):
  // nothing for Step() to do there (commas only matter in a FROM list), so
  // go straight to the ')'.
  size_t SkipFlatList(size_t p) const {
    if (Top().in_from) return p;
    size_t q = p;
    while (Has(q) && (t_[q].kind == TokenKind::kNumber || t_[q].kind == TokenKind::kString ||
                      t_[q].kind == TokenKind::kParam || t_[q].kind == TokenKind::kComma)) {
      ++q;
    }
    return KindAt(q, TokenKind::kRParen) ? q : p;
  }

  bool IsFunctionCall(size_t i) const {
    if (i == begin_ || t_[i].kind != TokenKind::kLParen) return false;
    const Token& prev = t_[i - 1];
    if (prev.kind == TokenKind::kQuotedIdent) return true;
    if (prev.kind != TokenKind::kWord || !IsCallableKeyword(prev.keyword)) {
      return false;
    }
    // A word after :: or AS is a type (numeric(10,2)), not a call.
    if (i >= begin_ + 2) {
      const Token& before = t_[i - 2];
      if (before.Is(Keyword::kAs)) return false;
      if (before.kind == TokenKind::kOperator &&
          before.Text(ctx_.sql) == "::") {
        return false;
      }
    }
    return true;
  }

  size_t CloseParen(size_t i) {
    if (depth_ > 1) --depth_;
    if (Top().cte_list) {
      if (KindAt(i + 1, TokenKind::kComma)) return ReadCteHeader(i + 2);
      Top().cte_list = false;
    }
    if (Top().in_from) return DerivedAlias(i + 1);
    return i + 1;
  }

  // `(subquery) [AS] s [(cols)]` or `f(…) [AS] g [(cols)]` in FROM: s and g
  // qualify columns but name no table.
  size_t DerivedAlias(size_t p) {
    const bool as = KwAt(p, Keyword::kAs);
    if (as) ++p;
    if (!Has(p) || !(IsIdentifierToken(t_[p]) || (as && t_[p].kind == TokenKind::kWord))) {
      return p;
    }
    AddAlias(p, kNoToken);
    ++p;
    return KindAt(p, TokenKind::kLParen) ? SkipParens(p) : p;
  }

  void AddAlias(size_t alias, uint32_t table) {
    result_.aliases.push_back(AliasRef{static_cast<uint32_t>(alias), table});
  }

  void NoteTable(size_t name) {
    if (depth_ != 1) return;
    if (result_.top_level_table_count++ == 0) {
      result_.top_level_table = static_cast<uint32_t>(name);
    }
  }

  // Spells the name at `parts` into a new entry of ctx.out->tables (merged
  // into an equal earlier one by AddTable).
  void AddTableAt(const NameParts& parts, bool written) {
    TableRef& t = NewTable(ctx_);
    IdentifierName(ctx_, t_[parts.name], t.name);
    if (parts.count >= 2) IdentifierName(ctx_, t_[parts.schema], t.schema);
    KeepNewTable(ctx_, t, written);
  }

  // TABLE name ≡ SELECT * FROM name, where a query may start.
  size_t TableStatement(size_t i) {
    const Keyword prev = PrevKw(i);
    const bool starts = i == begin_ || t_[i - 1].kind == TokenKind::kLParen ||
                        prev == Keyword::kUnion || prev == Keyword::kIntersect ||
                        prev == Keyword::kExcept || prev == Keyword::kAll ||
                        prev == Keyword::kDistinct || prev == Keyword::kAs;
    return starts ? ReadTableRef(i + 1, false) : i + 1;
  }

  size_t From(size_t i) {
    if (PrevKw(i) == Keyword::kDistinct) return i + 1;  // IS DISTINCT FROM
    if (Top().verb == Keyword::kDelete && PrevKw(i) == Keyword::kDelete) {
      return i + 1;
    }
    SetInFrom(true);
    return ReadTableRef(i + 1, Top().from_written);
  }

  size_t Using(size_t i) {
    if (KindAt(i + 1, TokenKind::kLParen) && Top().in_from) {
      return i + 1;  // JOIN … USING (columns): the paren is not a query
    }
    if (Top().verb == Keyword::kDelete || Top().verb == Keyword::kMerge) {
      SetInFrom(true);
      Top().from_written = false;
      return ReadTableRef(i + 1, false);
    }
    return i + 1;
  }

  // WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] ( … ) [, …]
  size_t With(size_t i) {
    if (!Has(i + 1) || !IsIdentifierToken(t_[i + 1])) {
      if (!KwAt(i + 1, Keyword::kRecursive)) return i + 1;
    }
    size_t p = i + 1;
    if (KwAt(p, Keyword::kRecursive)) ++p;
    // name [(cols)] AS — anything else (WITH CHECK, WITH ORDINALITY) is not
    // a CTE list.
    size_t q = p + 1;
    if (KindAt(q, TokenKind::kLParen)) q = SkipParens(q);
    if (!KwAt(q, Keyword::kAs)) return i + 1;
    return ReadCteHeader(p);
  }

  size_t ReadCteHeader(size_t p) {
    if (!Has(p) || !(IsIdentifierToken(t_[p]) || t_[p].kind == TokenKind::kWord)) {
      return p;
    }
    result_.cte_names.push_back(IdentifierName(ctx_, t_[p]));
    ++p;
    if (KindAt(p, TokenKind::kLParen)) p = SkipParens(p);
    if (KwAt(p, Keyword::kAs)) ++p;
    if (KwAt(p, Keyword::kNot)) ++p;
    if (KwAt(p, Keyword::kMaterialized)) ++p;
    if (KindAt(p, TokenKind::kLParen)) Top().cte_list = true;
    return p;
  }

  size_t SkipParens(size_t p) const {
    result_.parens = true;
    Cursor c(ctx_.sql, t_.first(end_), p);
    c.SkipBalanced();
    return c.pos();
  }

  // Skips the words at p that are among `keywords` or, for words that are
  // no keyword, among `words` (lower case; none of them a keyword). The
  // callers' lists are static arrays: no list built per call.
  size_t SkipWords(size_t p, std::span<const Keyword> keywords,
                   std::span<const std::string_view> words) const {
    while (Has(p) && t_[p].kind == TokenKind::kWord && IsOneOf(t_[p], keywords, words)) ++p;
    return p;
  }

  bool IsOneOf(const Token& t, std::span<const Keyword> keywords,
               std::span<const std::string_view> words) const {
    if (t.keyword != Keyword::kNone) {
      return std::find(keywords.begin(), keywords.end(), t.keyword) != keywords.end();
    }
    for (std::string_view w : words) {
      if (t.length == w.size() && EqualsIgnoreCase(t.Text(ctx_.sql), w)) return true;
    }
    return false;
  }

  // The readers of tables (DML targets, SELECT … INTO, table references):
  // defined in query_walker_tables.h.
  size_t Insert(size_t i);
  size_t Update(size_t i);
  size_t Delete(size_t i);
  size_t Merge(size_t i);
  size_t Into(size_t i);
  size_t For(size_t i);
  size_t ReadTableRef(size_t p, bool written);
  size_t SkipAliasAndHints(size_t p, size_t table);
  [[gnu::always_inline]] size_t Alias(size_t p, size_t table);
  [[gnu::always_inline]] size_t SkipIndexHints(size_t p);

  void RemoveCteNames() {
    if (result_.top_level_table != kNoToken) {
      const std::string top = IdentifierName(ctx_, t_[result_.top_level_table]);
      for (const std::string& cte : result_.cte_names) {
        if (cte == top) result_.top_level_table = kNoToken;
      }
    }
    DropSpareTables(ctx_);
    auto& tables = ctx_.out->tables;
    tables.erase(std::remove_if(tables.begin(), tables.end(),
                                [&](const TableRef& t) {
                                  return t.schema.empty() &&
                                         std::find(result_.cte_names.begin(),
                                                   result_.cte_names.end(),
                                                   t.name) !=
                                             result_.cte_names.end();
                                }),
                 tables.end());
  }

  const StatementContext& ctx_;
  std::span<const Token> t_;
  size_t begin_, end_;
  Skip skip_;  // flat VALUES rows, passed over from their VALUES
  // Nesting levels, bounded: deeper parentheses share the innermost one.
  static constexpr size_t kMaxLevels = 256;
  Level levels_[kMaxLevels];  // [0, depth_) in use; the rest left unset
  size_t depth_ = 0;
  WalkResult& result_;
};

}  // namespace
}  // namespace switchyard::parser

#include "parser/query_walker_tables.h"

namespace switchyard::parser {

WalkResult WalkQuery(const StatementContext& ctx, size_t begin, size_t end, Skip skip) {
  if (skip.end > std::min(end, ctx.tokens.size())) skip = Skip{};
  WalkResult result;
  Walker(ctx, begin, std::min(end, ctx.tokens.size()), skip, result).Run();
  return result;
}

}  // namespace switchyard::parser
