// Utility statements: SHOW, EXPLAIN/DESCRIBE, COPY, LISTEN/NOTIFY/UNLISTEN,
// PREPARE/EXECUTE/DEALLOCATE, LOCK/UNLOCK, VACUUM/ANALYZE, CALL, DO, cursors,
// CHECKPOINT, LOAD, and MySQL's administrative statements.
#include "parser/families.h"
#include "parser/query_walker.h"

namespace switchyard::parser {
namespace {

void SetUtility(const StatementContext& ctx, UtilityOp op, std::string_view reason) {
  ctx.out->kind = StatementKind::kUtility;
  ctx.out->utility_op = op;
  if (reason.empty()) {
    ctx.out->read_only = ctx.out->reason.empty();  // inner parts may object
  } else {
    NotReadOnly(*ctx.out, reason);
  }
}

// Reads `name [, name]…` (skipping ONLY, '*', column lists and MySQL lock
// modes) from c, recording each as a table.
void ReadNameList(const StatementContext& ctx, Cursor& c, bool written) {
  while (!c.AtEnd()) {
    c.Accept(Keyword::kOnly);
    if (!IsIdentifierToken(c.Peek()) && c.Peek().kind != TokenKind::kWord) return;
    std::string schema, name;
    const size_t after = ReadQualifiedName(ctx, c.pos(), c.size(), schema, name);
    if (after == c.pos()) return;
    AddTable(ctx, std::move(schema), std::move(name), written);
    c.Seek(after);
    while (!c.AtEnd() && !c.PeekIs(TokenKind::kComma)) {
      if (c.PeekIs(TokenKind::kLParen)) {
        c.SkipBalanced();
      } else {
        c.Advance();
      }
      if (c.PeekIs(Keyword::kIn)) return;  // LOCK t IN … MODE
    }
    if (!c.Accept(TokenKind::kComma)) return;
  }
}

bool StartsStatement(const Token& t) {
  switch (t.keyword) {
    case Keyword::kSelect: case Keyword::kWith: case Keyword::kInsert:
    case Keyword::kUpdate: case Keyword::kDelete: case Keyword::kMerge:
    case Keyword::kValues: case Keyword::kTable: case Keyword::kReplace:
    case Keyword::kCreate: case Keyword::kDeclare: case Keyword::kExecute:
      return true;
    default:
      return t.kind == TokenKind::kLParen;
  }
}

// Skips EXPLAIN's options up to the explained statement; returns whether
// ANALYZE (which runs the statement) is among them.
bool SkipExplainOptions(const StatementContext& ctx, Cursor& c) {
  bool analyze = false;
  if (ctx.Pg() && c.PeekIs(TokenKind::kLParen) && !c.PeekIs(Keyword::kSelect, 1) &&
      !c.PeekIs(Keyword::kWith, 1) && !c.PeekIs(Keyword::kValues, 1)) {
    const size_t open = c.pos();
    c.SkipBalanced();  // EXPLAIN (ANALYZE, COSTS OFF, …)
    for (size_t i = open; i < c.pos(); ++i) {
      analyze |= ctx.tokens[i].Is(Keyword::kAnalyze) || ctx.tokens[i].Is(Keyword::kAnalyse);
    }
  }
  while (!c.AtEnd() && !StartsStatement(c.Peek())) {
    const bool is_analyze = c.PeekIs(Keyword::kAnalyze) || c.PeekIs(Keyword::kAnalyse);
    analyze |= is_analyze;
    if (ctx.Pg() && !is_analyze && !c.PeekWord("verbose")) break;  // not understood
    if (!ctx.Pg() && c.PeekWord("format")) {  // FORMAT = JSON
      c.Advance(c.PeekText(1) == "=" ? 3 : 2);
      continue;
    }
    if (!ctx.Pg() && !is_analyze && !c.PeekWord("extended") && !c.PeekWord("partitions")) {
      break;  // MySQL EXPLAIN tbl = DESCRIBE tbl
    }
    c.Advance();
  }
  return analyze;
}

void ParseExplain(const StatementContext& ctx, Cursor& c) {
  c.Advance();
  const bool analyze = SkipExplainOptions(ctx, c);
  if (c.AtEnd() || !StartsStatement(c.Peek())) {
    if (ctx.Pg()) return SetUtility(ctx, UtilityOp::kExplain, "unrecognized EXPLAIN");
    ReadNameList(ctx, c, false);
    return SetUtility(ctx, UtilityOp::kShow, "");
  }
  const Analysis inner = AnalyzeInner(ctx, c.pos());
  SetUtility(ctx, UtilityOp::kExplain, "");
  // EXPLAIN runs nothing unless ANALYZE; but an inner statement that was not
  // understood (or is itself a non-read-only utility) leaves us uncertain.
  const bool uncertain = inner.kind == StatementKind::kUnknown ||
                         (inner.kind == StatementKind::kUtility && !inner.read_only);
  if ((analyze || uncertain) && !inner.read_only) {
    NotReadOnly(*ctx.out, inner.reason.empty() ? "EXPLAIN ANALYZE" : inner.reason);
  }
}

void ParseCopy(const StatementContext& ctx, Cursor& c) {
  c.Advance();
  if (c.PeekIs(TokenKind::kLParen)) {
    const size_t open = c.pos();
    c.SkipBalanced();
    WalkQuery(ctx, open + 1, c.pos() - 1);
  } else {
    std::string schema, name;
    c.Seek(ReadQualifiedName(ctx, c.pos(), c.size(), schema, name));
    const bool from = [&] {
      for (Cursor d = c; !d.AtEnd(); d.Advance()) {
        if (d.PeekIs(Keyword::kFrom)) return true;
        if (d.PeekIs(Keyword::kTo)) return false;
      }
      return false;
    }();
    AddTable(ctx, std::move(schema), std::move(name), from);
    if (from) return SetUtility(ctx, UtilityOp::kCopy, "COPY FROM");
  }
  bool to_client = false;
  for (; !c.AtEnd(); c.Advance()) {
    if (c.PeekIs(Keyword::kTo) && (c.PeekWord("stdout", 1))) to_client = true;
  }
  SetUtility(ctx, UtilityOp::kCopy, to_client ? "" : "COPY to a server file or program");
}

void AfterKeyword(const StatementContext& ctx, Cursor& c, Keyword k, UtilityOp op,
                  std::string_view reason) {
  for (; !c.AtEnd(); c.Advance()) {
    if (c.PeekIs(k)) {
      AnalyzeInner(ctx, c.pos() + 1);
      break;
    }
  }
  SetUtility(ctx, op, reason);
}

void ParseDeclare(const StatementContext& ctx, Cursor& c) {
  for (Cursor d = c; !d.AtEnd() && !d.PeekIs(Keyword::kFor); d.Advance()) {
    if (d.PeekIs(Keyword::kWith) && d.PeekIs(Keyword::kHold, 1)) {
      ctx.out->with_hold_cursor = true;
    }
  }
  AfterKeyword(ctx, c, Keyword::kFor, UtilityOp::kDeclareCursor, "declares a cursor");
}

void ParseMaintenance(const StatementContext& ctx, Cursor& c, UtilityOp op) {
  c.Advance();
  while (!c.AtEnd() && (c.PeekIs(TokenKind::kLParen) || c.PeekWord("full") ||
                        c.PeekWord("freeze") || c.PeekWord("verbose") ||
                        c.PeekIs(Keyword::kAnalyze) || c.PeekIs(Keyword::kAnalyse) ||
                        c.PeekIs(Keyword::kTable) || c.PeekIs(Keyword::kLocal) ||
                        c.PeekWord("no_write_to_binlog"))) {
    if (c.PeekIs(TokenKind::kLParen)) {
      c.SkipBalanced();
    } else {
      c.Advance();
    }
  }
  if (!ctx.Pg() && op == UtilityOp::kAnalyze && StartsStatement(c.Peek())) {
    AnalyzeInner(ctx, c.pos());  // MariaDB ANALYZE SELECT … runs it
  } else {
    ReadNameList(ctx, c, false);
  }
  SetUtility(ctx, op, "maintenance");
}

void ParseLoad(const StatementContext& ctx, Cursor& c) {
  if (ctx.Pg()) return SetUtility(ctx, UtilityOp::kOther, "loads a library");
  for (; !c.AtEnd(); c.Advance()) {
    if (c.PeekIs(Keyword::kInto) && c.PeekIs(Keyword::kTable, 1)) {
      c.Advance(2);
      ReadNameList(ctx, c, true);
      ctx.out->kind = StatementKind::kInsert;
      NotReadOnly(*ctx.out, "writes data");
      return;
    }
  }
  SetUtility(ctx, UtilityOp::kOther, "server administration");
}

bool ParseMySqlAdmin(const StatementContext& ctx, Cursor& c) {
  static constexpr std::string_view kAdmin[] = {
      "flush", "kill", "purge", "change", "stop", "install", "uninstall",
      "shutdown", "binlog", "cache", "help", "signal", "resignal", "get",
      "restart", "backup", "reassign", "handler", "check", "checksum", "xa"};
  for (std::string_view word : kAdmin) {
    if (!c.PeekWord(word) && !(word == "handler" && c.PeekIs(Keyword::kHandler))) {
      continue;
    }
    if (word == "check" || word == "checksum" || word == "handler") {
      Cursor d = c;
      d.Advance();
      d.Accept(Keyword::kTable) || d.Accept(Keyword::kTables);
      ReadNameList(ctx, d, false);
    }
    if (word == "reassign") {
      ctx.out->kind = StatementKind::kDdl;
      NotReadOnly(*ctx.out, "DDL");
      return true;
    }
    SetUtility(ctx, UtilityOp::kOther, word == "help" ? "" : "server administration");
    return true;
  }
  return false;
}

void ParseSimple(const StatementContext& ctx, Cursor& c) {
  switch (c.Peek().keyword) {
    case Keyword::kListen: return SetUtility(ctx, UtilityOp::kListen, "LISTEN");
    case Keyword::kNotify: return SetUtility(ctx, UtilityOp::kNotify, "NOTIFY");
    case Keyword::kUnlisten: return SetUtility(ctx, UtilityOp::kUnlisten, "UNLISTEN");
    case Keyword::kExecute: return SetUtility(ctx, UtilityOp::kExecute, "executes a prepared statement");
    case Keyword::kDeallocate: return SetUtility(ctx, UtilityOp::kDeallocate, "deallocates");
    case Keyword::kDo: {
      WalkQuery(ctx, 1, ctx.tokens.size());
      return SetUtility(ctx, UtilityOp::kDo, "runs code");
    }
    case Keyword::kFetch: case Keyword::kMove:
      return SetUtility(ctx, UtilityOp::kFetch, "uses a cursor");
    case Keyword::kClose: return SetUtility(ctx, UtilityOp::kCloseCursor, "closes a cursor");
    case Keyword::kCheckpoint: return SetUtility(ctx, UtilityOp::kCheckpoint, "CHECKPOINT");
    case Keyword::kCall: {
      WalkQuery(ctx, 1, ctx.tokens.size());
      if (c.size() > 1 && c.Peek(1).kind == TokenKind::kWord &&
          !c.PeekIs(TokenKind::kLParen, 2)) {
        AddFunction(ctx, c.PeekText(1));  // CALL p (MySQL, no parentheses)
      }
      return SetUtility(ctx, UtilityOp::kCall, "calls a procedure");
    }
    default:
      break;
  }
  if (!ctx.Pg() && ParseMySqlAdmin(ctx, c)) return;
  ctx.out->kind = StatementKind::kUnknown;
  NotReadOnly(*ctx.out, "unrecognized statement");
}

}  // namespace

void ParseUtility(const StatementContext& ctx) {
  Cursor c = ctx.MakeCursor();
  switch (c.Peek().keyword) {
    case Keyword::kShow: return SetUtility(ctx, UtilityOp::kShow, "");
    case Keyword::kExplain: case Keyword::kDescribe: case Keyword::kDesc:
      return ParseExplain(ctx, c);
    case Keyword::kCopy: return ParseCopy(ctx, c);
    case Keyword::kPrepare:
      return AfterKeyword(ctx, c, Keyword::kAs, UtilityOp::kPrepare, "prepares a statement");
    case Keyword::kDeclare: return ParseDeclare(ctx, c);
    case Keyword::kLock:
      c.Advance();
      c.Accept(Keyword::kTable) || c.Accept(Keyword::kTables);
      ReadNameList(ctx, c, false);
      return SetUtility(ctx, UtilityOp::kLock, "LOCK");
    case Keyword::kUnlock:
      return SetUtility(ctx, UtilityOp::kUnlockTables, "UNLOCK TABLES");
    case Keyword::kVacuum: return ParseMaintenance(ctx, c, UtilityOp::kVacuum);
    case Keyword::kAnalyze: case Keyword::kAnalyse: case Keyword::kOptimize:
    case Keyword::kRepair:
      return ParseMaintenance(ctx, c, c.PeekIs(Keyword::kAnalyze) || c.PeekIs(Keyword::kAnalyse)
                                          ? UtilityOp::kAnalyze : UtilityOp::kOther);
    case Keyword::kLoad: return ParseLoad(ctx, c);
    default:
      return ParseSimple(ctx, c);
  }
}

}  // namespace switchyard::parser
