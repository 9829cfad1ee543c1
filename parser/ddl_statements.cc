// DDL: CREATE/ALTER/DROP of relations and of objects attached to one
// (index, trigger, rule, policy, statistics), TRUNCATE, GRANT/REVOKE,
// REINDEX, CLUSTER, REFRESH, MySQL RENAME TABLE. Records the relations the
// statement names: the object itself (written) and those it refers to
// (REFERENCES, INHERITS, PARTITION OF, LIKE, AS query, rule actions, …).
#include "parser/families.h"
#include "parser/query_walker.h"

namespace switchyard::parser {
namespace {

enum class Target { kRelation, kOnRelation, kNone };

class DdlParser {
 public:
  explicit DdlParser(const StatementContext& ctx) : ctx_(ctx), c_(ctx.MakeCursor()) {}

  void Run() {
    ctx_.out->kind = StatementKind::kDdl;
    NotReadOnly(*ctx_.out, "DDL");
    const Keyword verb = c_.Peek().keyword;
    c_.Advance();
    switch (verb) {
      case Keyword::kTruncate:
        c_.Accept(Keyword::kTable);
        return ReadNames(true, true);
      case Keyword::kGrant: case Keyword::kRevoke: return Grant();
      case Keyword::kReindex: case Keyword::kCluster: case Keyword::kRefresh:
        return Maintenance();
      case Keyword::kRename:  // MySQL RENAME TABLE a TO b, c TO d
        c_.Accept(Keyword::kTable) || c_.Accept(Keyword::kTables);
        return ReadNames(true, true);
      case Keyword::kCreate: case Keyword::kAlter: case Keyword::kDrop:
        return Object(verb);
      default:
        return;  // COMMENT, SECURITY LABEL, IMPORT: names are not relations
    }
  }

 private:
  bool Word(std::string_view w) { return c_.AcceptWord(w); }

  void SkipModifiers() {
    for (;;) {
      if (c_.AcceptAll({Keyword::kOr, Keyword::kReplace})) continue;
      if (c_.PeekIs(Keyword::kTemp) || c_.PeekIs(Keyword::kTemporary)) {
        temp_ = true;
        c_.Advance();
        continue;
      }
      if (c_.Accept(Keyword::kGlobal) || c_.Accept(Keyword::kLocal) ||
          c_.Accept(Keyword::kUnlogged) || c_.Accept(Keyword::kRecursive) ||
          c_.Accept(Keyword::kMaterialized) || c_.Accept(Keyword::kConcurrently) ||
          Word("unique") || Word("foreign") || Word("constraint") ||
          Word("online") || Word("offline") || Word("ignore") || Word("fulltext") ||
          Word("spatial") || Word("trusted") || Word("procedural")) {
        continue;
      }
      if (!ctx_.Pg() && (Word("algorithm") || Word("definer") || Word("sql"))) {
        SkipMySqlViewOption();
        continue;
      }
      return;
    }
  }

  // ALGORITHM = x | DEFINER = user@host | SQL SECURITY x
  void SkipMySqlViewOption() {
    if (c_.AcceptWord("security")) {
      c_.Advance();
      return;
    }
    if (c_.PeekText() == "=") c_.Advance();
    c_.Advance();
    while (c_.PeekIs(TokenKind::kVariable) || c_.PeekText() == "@") c_.Advance();
  }

  void SkipIfExists() {
    if (c_.AcceptAll({Keyword::kIf, Keyword::kNot, Keyword::kExists})) return;
    c_.AcceptAll({Keyword::kIf, Keyword::kExists});
  }

  bool ReadOneName(bool written) {
    c_.Accept(Keyword::kOnly);
    if (!IsIdentifierToken(c_.Peek())) return false;
    std::string schema, name;
    const size_t after = ReadQualifiedName(ctx_, c_.pos(), c_.size(), schema, name);
    if (after == c_.pos()) return false;
    AddTable(ctx_, std::move(schema), std::move(name), written);
    c_.Seek(after);
    if (c_.PeekText() == "*") c_.Advance();
    return true;
  }

  // name [, name]… ; with `pairs`, MySQL's `a TO b` pairs are both read.
  void ReadNames(bool written, bool pairs) {
    while (ReadOneName(written)) {
      if (pairs && c_.Accept(Keyword::kTo)) continue;
      if (!c_.Accept(TokenKind::kComma)) break;
    }
  }

  void Object(Keyword verb) {
    SkipModifiers();
    const bool view = c_.PeekIs(Keyword::kView);
    if (c_.Accept(Keyword::kTable) || c_.Accept(Keyword::kView) ||
        c_.AcceptWord("sequence")) {
      // Temporary views and sequences live in the session's temp schema
      // too, so they pin the client just like temporary tables.
      if (temp_ && verb == Keyword::kCreate) ctx_.out->creates_temp_table = true;
      return Relation(verb, view);
    }
    if (c_.Accept(Keyword::kIndex) || Word("key")) return Index(verb);
    if (c_.AcceptWord("trigger") || c_.AcceptWord("policy") || c_.AcceptWord("rule")) {
      return Attached(verb);
    }
    if (verb == Keyword::kCreate && c_.AcceptWord("statistics")) return Statistics();
    if (c_.AcceptWord("publication")) return Publication();
    if (c_.AcceptWord("type")) return verb == Keyword::kCreate ? CompositeType() : AlterType();
    if (verb == Keyword::kCreate && c_.AcceptWord("schema")) return SchemaElements();
    if (c_.Accept(Keyword::kFunction) || c_.Accept(Keyword::kProcedure)) {
      return FunctionBody();
    }
  }

  void Relation(Keyword verb, bool view) {
    SkipIfExists();
    if (verb == Keyword::kDrop) return ReadNames(true, false);
    if (!ReadOneName(true)) return;
    ScanReferences(view);
  }

  // Relations referred to in the rest of a CREATE/ALTER TABLE or VIEW.
  void ScanReferences(bool view) {
    int depth = 0;
    while (!c_.AtEnd()) {
      const Token& t = c_.Peek();
      if (t.kind == TokenKind::kLParen) ++depth;
      if (t.kind == TokenKind::kRParen) --depth;
      const size_t here = c_.pos();
      c_.Advance();
      if (depth == 0 && StartsQuery(here, view)) {
        WalkQuery(ctx_, here, ctx_.tokens.size());
        return;
      }
      if (t.kind != TokenKind::kWord) continue;
      const bool element_start = here > 0 &&
          (ctx_.tokens[here - 1].kind == TokenKind::kLParen ||
           ctx_.tokens[here - 1].kind == TokenKind::kComma);
      if (EqualsIgnoreCase(c_.Text(t), "references") ||
          (t.Is(Keyword::kLike) && (element_start || depth == 0)) ||
          EqualsIgnoreCase(c_.Text(t), "inherit") ||
          (t.Is(Keyword::kPartition) && c_.AcceptWord("of")) ||
          (t.Is(Keyword::kPartition) && here > 0 &&
           (EqualsIgnoreCase(c_.Text(ctx_.tokens[here - 1]), "attach") ||
            EqualsIgnoreCase(c_.Text(ctx_.tokens[here - 1]), "detach")))) {
        ReadOneName(false);
      } else if (EqualsIgnoreCase(c_.Text(t), "inherits") && c_.Accept(TokenKind::kLParen)) {
        ++depth;
        ReadNames(false, false);
      }
    }
  }

  bool StartsQuery(size_t i, bool view) const {
    const Token& t = ctx_.tokens[i];
    if (t.Is(Keyword::kSelect) && !ctx_.Pg()) return true;  // CREATE TABLE t SELECT
    if (!t.Is(Keyword::kAs) || i + 1 >= ctx_.tokens.size()) return false;
    const Token& next = ctx_.tokens[i + 1];
    return view || next.Is(Keyword::kSelect) || next.Is(Keyword::kWith) ||
           next.Is(Keyword::kValues) || next.Is(Keyword::kTable) ||
           next.Is(Keyword::kExecute) || next.kind == TokenKind::kLParen;
  }

  void Index(Keyword verb) {
    if (verb == Keyword::kAlter) {
      SkipIfExists();
      ReadOneName(true);
      if (Word("attach") && c_.Accept(Keyword::kPartition)) ReadOneName(false);
      return;
    }
    SeekOn();
    if (verb == Keyword::kCreate || !ctx_.Pg()) ReadOneName(true);
  }

  // CREATE/ALTER TRIGGER|POLICY|RULE name … ON|TO table …
  void Attached(Keyword verb) {
    if (verb == Keyword::kDrop) return;
    int depth = 0;
    for (; !c_.AtEnd(); c_.Advance()) {
      if (c_.PeekIs(TokenKind::kLParen)) ++depth;
      if (c_.PeekIs(TokenKind::kRParen)) --depth;
      if (depth == 0 && (c_.PeekIs(Keyword::kOn) || c_.PeekIs(Keyword::kTo)) &&
          !c_.PeekIs(Keyword::kSelect, 1) && !c_.PeekIs(Keyword::kInsert, 1) &&
          !c_.PeekIs(Keyword::kUpdate, 1) && !c_.PeekIs(Keyword::kDelete, 1) &&
          !c_.PeekWord("truncate", 1)) {
        c_.Advance();
        ReadOneName(true);
        break;
      }
    }
    if (c_.PeekIs(Keyword::kFrom)) {  // CREATE CONSTRAINT TRIGGER … FROM ref
      c_.Advance();
      ReadOneName(false);
    }
    WalkQuery(ctx_, c_.pos(), ctx_.tokens.size());  // rule actions, policy quals
  }

  // CREATE/ALTER PUBLICATION p FOR|ADD|SET|DROP TABLE a, b [, TABLES IN …]
  void Publication() {
    for (; !c_.AtEnd(); c_.Advance()) {
      if (!c_.Accept(Keyword::kTable)) continue;
      while (ReadOneName(false) && c_.PeekIs(TokenKind::kComma) &&
             !c_.PeekIs(Keyword::kTables, 1)) {
        c_.Advance();
      }
    }
  }

  void SeekOn() {
    while (!c_.AtEnd() && !c_.PeekIs(Keyword::kOn)) c_.Advance();
    c_.Accept(Keyword::kOn);
  }

  void Statistics() {
    while (!c_.AtEnd() && !c_.PeekIs(Keyword::kFrom)) c_.Advance();
    if (c_.Accept(Keyword::kFrom)) ReadOneName(false);
  }

  void CompositeType() {
    std::string schema, name;
    const size_t after = ReadQualifiedName(ctx_, c_.pos(), c_.size(), schema, name);
    if (after == c_.pos() || after + 1 >= c_.size()) return;
    const Token& as = ctx_.tokens[after];
    if (as.Is(Keyword::kAs) && ctx_.tokens[after + 1].kind == TokenKind::kLParen) {
      AddTable(ctx_, std::move(schema), std::move(name), true);
    }
  }

  // ALTER TYPE t ADD/DROP/ALTER/RENAME ATTRIBUTE: t is a composite type,
  // which PostgreSQL treats as a relation.
  void AlterType() {
    const size_t name = c_.pos();
    for (; !c_.AtEnd(); c_.Advance()) {
      if (c_.PeekWord("attribute")) {
        c_.Seek(name);
        ReadOneName(true);
        return;
      }
    }
  }

  // CREATE SCHEMA s [AUTHORIZATION r] CREATE TABLE … CREATE VIEW … GRANT …
  void SchemaElements() {
    const auto& t = ctx_.tokens;
    size_t start = 0;
    int depth = 0;
    for (size_t i = c_.pos(); i <= t.size(); ++i) {
      const bool end = i == t.size();
      if (!end && t[i].kind == TokenKind::kLParen) ++depth;
      if (!end && t[i].kind == TokenKind::kRParen) --depth;
      if (!end && !(depth == 0 && (t[i].Is(Keyword::kCreate) || t[i].Is(Keyword::kGrant)))) {
        continue;
      }
      if (start != 0) AnalyzeInner(ctx_, start, i);
      start = i;
    }
  }

  // SQL-standard bodies (BEGIN ATOMIC … END, RETURN expr) are parsed SQL;
  // each statement of an ATOMIC block is analysed on its own.
  void FunctionBody() {
    for (; !c_.AtEnd(); c_.Advance()) {
      if (c_.PeekWord("return")) {
        WalkQuery(ctx_, c_.pos() + 1, ctx_.tokens.size());
        return;
      }
      if (c_.PeekIs(Keyword::kBegin) && c_.PeekIs(Keyword::kAtomic, 1)) {
        return AtomicBody(c_.pos() + 2);
      }
    }
  }

  void AtomicBody(size_t start) {
    const auto& t = ctx_.tokens;
    int depth = 0;
    for (size_t i = start; i < t.size(); ++i) {
      if (t[i].kind == TokenKind::kLParen) ++depth;
      if (t[i].kind == TokenKind::kRParen) --depth;
      if (depth != 0 || t[i].kind != TokenKind::kSemicolon) continue;
      if (i > start) AnalyzeInner(ctx_, start, i);
      start = i + 1;
    }
  }

  void Maintenance() {
    while (!c_.AtEnd() && (c_.PeekIs(TokenKind::kLParen) || Word("verbose") ||
                           c_.Accept(Keyword::kMaterialized) || c_.Accept(Keyword::kView) ||
                           c_.Accept(Keyword::kTable) || c_.Accept(Keyword::kIndex) ||
                           c_.Accept(Keyword::kConcurrently))) {
      if (c_.PeekIs(TokenKind::kLParen)) c_.SkipBalanced();
    }
    if (c_.PeekWord("schema") || c_.PeekWord("database") || c_.PeekWord("system")) return;
    ReadOneName(true);
  }

  // GRANT … ON [TABLE|SEQUENCE] names TO … / REVOKE … ON … FROM …
  void Grant() {
    int depth = 0;
    for (; !c_.AtEnd(); c_.Advance()) {
      if (c_.PeekIs(TokenKind::kLParen)) ++depth;
      if (c_.PeekIs(TokenKind::kRParen)) --depth;
      if (depth == 0 && c_.PeekIs(Keyword::kOn)) break;
    }
    if (!c_.Accept(Keyword::kOn)) return;
    const bool explicit_relation = c_.Accept(Keyword::kTable) || c_.AcceptWord("sequence");
    if (!explicit_relation && c_.Peek().keyword != Keyword::kNone) {
      return;  // ON FUNCTION / DATABASE / ALL TABLES IN SCHEMA / …
    }
    static constexpr std::string_view kNonRelations[] = {
        "schema", "domain", "type", "language", "tablespace", "routine",
        "parameter", "large", "foreign", "sequences", "tables", "functions"};
    for (std::string_view w : kNonRelations) {
      if (c_.PeekWord(w)) return;
    }
    ReadNames(false, false);
  }

  const StatementContext& ctx_;
  Cursor c_;
  bool temp_ = false;
};

}  // namespace

void ParseDdl(const StatementContext& ctx) {
  Cursor c = ctx.MakeCursor();
  if (!ctx.Pg() && c.PeekIs(Keyword::kDrop) && c.PeekIs(Keyword::kPrepare, 1)) {
    ctx.out->kind = StatementKind::kUtility;
    ctx.out->utility_op = UtilityOp::kDeallocate;
    NotReadOnly(*ctx.out, "deallocates");
    return;
  }
  if (ctx.Pg() && c.PeekWord("reassign")) {
    ctx.out->kind = StatementKind::kDdl;
    NotReadOnly(*ctx.out, "DDL");
    return;
  }
  DdlParser(ctx).Run();
}

}  // namespace switchyard::parser
