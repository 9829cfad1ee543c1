#include "parser/classify.h"

#include "parser/families.h"

namespace switchyard::parser {
namespace {

using FamilyParser = void (*)(const StatementContext&);

// The family of a statement that starts with no query verb (read through a
// cursor: out of line, the queries' path does without).
[[gnu::noinline]] FamilyParser OtherFamilyFor(const StatementContext& ctx);

FamilyParser FamilyFor(const StatementContext& ctx) {
  const Token& first = ctx.tokens[0];  // ctx.tokens is not empty
  if (first.kind == TokenKind::kLParen) return ParseQuery;
  switch (first.keyword) {
    case Keyword::kSelect: case Keyword::kWith: case Keyword::kValues:
    case Keyword::kTable: case Keyword::kInsert: case Keyword::kUpdate:
    case Keyword::kDelete: case Keyword::kMerge:
      return ParseQuery;
    default:
      return OtherFamilyFor(ctx);
  }
}

FamilyParser OtherFamilyFor(const StatementContext& ctx) {
  const Cursor c = ctx.MakeCursor();
  switch (c.Peek().keyword) {
    case Keyword::kReplace:
      return ctx.Pg() ? nullptr : ParseQuery;
    case Keyword::kBegin: case Keyword::kStart: case Keyword::kCommit:
    case Keyword::kEnd: case Keyword::kRollback: case Keyword::kAbort:
    case Keyword::kSavepoint: case Keyword::kRelease: case Keyword::kXa:
      return ParseTransaction;
    case Keyword::kPrepare:
      return c.PeekIs(Keyword::kTransaction, 1) ? ParseTransaction
                                                : ParseUtility;
    case Keyword::kSet: case Keyword::kReset: case Keyword::kDiscard:
    case Keyword::kUse:
      return ParseSession;
    case Keyword::kCreate: case Keyword::kAlter: case Keyword::kDrop:
    case Keyword::kTruncate: case Keyword::kGrant: case Keyword::kRevoke:
    case Keyword::kComment: case Keyword::kRename: case Keyword::kReindex:
    case Keyword::kCluster: case Keyword::kRefresh: case Keyword::kSecurity:
    case Keyword::kImport:
      return ParseDdl;
    default:
      break;
  }
  if (c.PeekWord("reassign")) return ParseDdl;
  return ParseUtility;  // decides itself, down to "unrecognized statement"
}

}  // namespace

void ClassifyStatement(const StatementContext& ctx) {
  ctx.out->kind = StatementKind::kUnknown;
  ctx.out->read_only = false;
  if (FamilyParser parse = FamilyFor(ctx)) {
    parse(ctx);
  } else {
    NotReadOnly(*ctx.out, "unrecognized statement");
  }
}

}  // namespace switchyard::parser
