// Session state: SET in all its forms (including SET TRANSACTION, which is
// transaction control, and MariaDB's SET STATEMENT … FOR, which is the inner
// statement), RESET, DISCARD and MySQL USE.
#include "parser/families.h"

namespace switchyard::parser {
namespace {

void SetSession(const StatementContext& ctx, SessionOp op,
                std::string variable) {
  ctx.out->kind = StatementKind::kSession;
  ctx.out->session_op = op;
  ctx.out->session_variable = std::move(variable);
  NotReadOnly(*ctx.out, "changes session state");
}

// Text of a value from the cursor to the end of the statement or the next
// top-level comma (MySQL multi-assignments); one string literal is unquoted,
// a pg list `a, b` is kept whole when `whole_list`.
std::string ValueText(const StatementContext& ctx, Cursor& c,
                      bool whole_list) {
  if (c.AtEnd()) return "";
  const size_t first = c.pos();
  size_t last = first;
  int depth = 0;
  for (; !c.AtEnd(); c.Advance()) {
    const Token& t = c.Peek();
    if (t.kind == TokenKind::kLParen) ++depth;
    if (t.kind == TokenKind::kRParen) --depth;
    if (t.kind == TokenKind::kComma && depth <= 0 && !whole_list) break;
    last = c.pos();
  }
  const Token& a = c.tokens()[first];
  if (first == last) {
    if (a.kind == TokenKind::kString) return LiteralText(ctx, a);
    if (a.Is(Keyword::kDefault)) return "default";
    return std::string(c.Text(a));
  }
  const Token& b = c.tokens()[last];
  return std::string(ctx.sql.substr(a.begin, b.begin + b.length - a.begin));
}

void ParseSetTransaction(const StatementContext& ctx, Cursor& c) {
  ctx.out->kind = StatementKind::kTransaction;
  ctx.out->txn_op = TransactionOp::kSetTransaction;
  NotReadOnly(*ctx.out, "transaction control");
  for (; !c.AtEnd(); c.Advance()) {
    if (!c.PeekIs(Keyword::kRead)) continue;
    if (c.PeekIs(Keyword::kOnly, 1)) ctx.out->txn_read_only = true;
    if (c.PeekIs(Keyword::kWrite, 1)) ctx.out->txn_read_only = false;
  }
}

// SET STATEMENT a=1, b=2 FOR <statement>: the inner statement decides.
void ParseSetStatement(const StatementContext& ctx, Cursor& c) {
  int depth = 0;
  for (; !c.AtEnd(); c.Advance()) {
    const Token& t = c.Peek();
    if (t.kind == TokenKind::kLParen) ++depth;
    if (t.kind == TokenKind::kRParen) --depth;
    if (depth == 0 && t.Is(Keyword::kFor)) {
      ReplaceAnalysis(ctx, AnalyzeInner(ctx, c.pos() + 1));
      return;
    }
  }
  SetSession(ctx, SessionOp::kSet, "statement");
}

// Special pg/MySQL forms whose variable is implied by keywords.
bool ParseSetSpecial(const StatementContext& ctx, Cursor& c, bool local) {
  const SessionOp plain = local ? SessionOp::kSetLocal : SessionOp::kSet;
  if (c.Accept(Keyword::kNames)) {
    SetSession(ctx, SessionOp::kSetNames, "names");
  } else if (c.AcceptAll({Keyword::kCharacter, Keyword::kSet}) ||
             c.Accept(Keyword::kCharset)) {
    SetSession(ctx, SessionOp::kSetNames, "character set");
  } else if (c.Accept(Keyword::kRole) || c.Accept(Keyword::kAuthorization)) {
    SetSession(ctx, local ? SessionOp::kSetLocal : SessionOp::kSetRole,
               "role");
  } else if (c.AcceptAll({Keyword::kSession, Keyword::kCharacteristics})) {
    SetSession(ctx, SessionOp::kSet, "session characteristics");
    for (; !c.AtEnd(); c.Advance()) {
      if (c.PeekIs(Keyword::kRead) && c.PeekIs(Keyword::kOnly, 1)) {
        ctx.out->txn_read_only = true;
      }
    }
    return true;
  } else if (c.AcceptWord("time") && c.AcceptWord("zone")) {
    SetSession(ctx, plain, "timezone");
  } else if (ctx.Pg() && c.AcceptWord("schema")) {
    SetSession(ctx, plain, "search_path");
  } else if (ctx.Pg() && c.AcceptWord("constraints")) {
    SetSession(ctx, SessionOp::kSetLocal, "constraints");
  } else if (!ctx.Pg() && (c.AcceptWord("password") ||
                           (c.PeekIs(Keyword::kDefault) &&
                            c.PeekIs(Keyword::kRole, 1)))) {
    ctx.out->kind = StatementKind::kDdl;
    NotReadOnly(*ctx.out, "changes accounts");
    return true;
  } else {
    return false;
  }
  ctx.out->session_value = ValueText(ctx, c, true);
  return true;
}

void ParseSet(const StatementContext& ctx, Cursor& c) {
  c.Advance();  // SET
  if (c.PeekWord("statement") && !ctx.Pg()) {
    c.Advance();
    return ParseSetStatement(ctx, c);
  }
  const bool local = ctx.Pg() && c.PeekIs(Keyword::kLocal);
  const bool global = !ctx.Pg() && (c.PeekIs(Keyword::kGlobal) ||
                                    c.PeekWord("persist") ||
                                    c.PeekWord("persist_only"));
  if (local || global || c.PeekIs(Keyword::kSession) ||
      c.PeekIs(Keyword::kLocal)) {
    if (!c.PeekIs(Keyword::kCharacteristics, 1)) c.Advance();
  }
  if (c.PeekIs(Keyword::kTransaction)) return ParseSetTransaction(ctx, c);
  if (ParseSetSpecial(ctx, c, local)) return;
  const Token& name = c.Peek();
  if (name.kind == TokenKind::kVariable &&
      c.Text(name).substr(0, 2) != "@@") {
    SetSession(ctx, SessionOp::kUserVariable, ToLower(c.Text(name)));
  } else {
    std::string variable;
    while (!c.AtEnd() && !c.PeekIs(Keyword::kTo) &&
           c.PeekText() != "=" && c.PeekText() != ":=") {
      variable += ToLower(c.Text(c.Peek()));
      c.Advance();
    }
    if (global) variable = "global." + variable;
    SetSession(ctx, local ? SessionOp::kSetLocal : SessionOp::kSet,
               std::move(variable));
  }
  while (!c.AtEnd() && !c.PeekIs(Keyword::kTo) && c.PeekText() != "=" &&
         c.PeekText() != ":=") {
    c.Advance();
  }
  c.Advance();
  ctx.out->session_value = ValueText(ctx, c, ctx.Pg());
}

void ParseReset(const StatementContext& ctx, Cursor& c) {
  c.Advance();
  if (!ctx.Pg()) {  // RESET MASTER / SLAVE / QUERY CACHE / PERSIST
    ctx.out->kind = StatementKind::kUtility;
    ctx.out->utility_op = UtilityOp::kOther;
    NotReadOnly(*ctx.out, "server administration");
    return;
  }
  std::string variable;
  for (; !c.AtEnd(); c.Advance()) {
    if (!variable.empty()) variable += ' ';
    variable += ToLower(c.Text(c.Peek()));
  }
  if (variable == "session authorization") variable = "role";
  if (variable == "time zone") variable = "timezone";
  SetSession(ctx, SessionOp::kReset, std::move(variable));
}

}  // namespace

void ParseSession(const StatementContext& ctx) {
  Cursor c = ctx.MakeCursor();
  switch (c.Peek().keyword) {
    case Keyword::kSet:
      return ParseSet(ctx, c);
    case Keyword::kReset:
      return ParseReset(ctx, c);
    case Keyword::kDiscard:
      SetSession(ctx, SessionOp::kDiscard, ToLower(c.PeekText(1)));
      return;
    case Keyword::kUse:
      SetSession(ctx, SessionOp::kUse, "database");
      if (c.size() > 1) {
        ctx.out->session_value = IdentifierName(ctx, c.Peek(1));
      }
      return;
    default:
      NotReadOnly(*ctx.out, "unrecognized statement");
  }
}

}  // namespace switchyard::parser
