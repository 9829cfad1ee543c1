#include "parser/families.h"

namespace switchyard::parser {

void ParseQuery(const StatementContext& ctx) {
  Cursor c = ctx.MakeCursor();
  switch (c.Peek().keyword) {
    case Keyword::kInsert: ctx.out->kind = StatementKind::kInsert; break;
    case Keyword::kReplace: ctx.out->kind = StatementKind::kUpsert; break;
    case Keyword::kUpdate: ctx.out->kind = StatementKind::kUpdate; break;
    case Keyword::kDelete: ctx.out->kind = StatementKind::kDelete; break;
    case Keyword::kMerge: ctx.out->kind = StatementKind::kMerge; break;
    default: ctx.out->kind = StatementKind::kSelect; break;
  }
  if (ctx.out->kind != StatementKind::kSelect) {
    NotReadOnly(*ctx.out, "writes data");
    return;
  }
  ctx.out->read_only = true;
  for (; !c.AtEnd(); c.Advance()) {
    if (c.PeekIs(Keyword::kFor) &&
        (c.PeekIs(Keyword::kUpdate, 1) || c.PeekIs(Keyword::kShare, 1))) {
      NotReadOnly(*ctx.out, "FOR UPDATE/SHARE");
    }
    if (c.PeekIs(TokenKind::kWord) && c.PeekIs(TokenKind::kLParen, 1)) {
      AddFunction(ctx, c.PeekText());
    }
  }
}

}  // namespace switchyard::parser
