#include "parser/families.h"

namespace switchyard::parser {

void ParseDdl(const StatementContext& ctx) {
  ctx.out->kind = StatementKind::kDdl;
  NotReadOnly(*ctx.out, "DDL");
  Cursor c = ctx.MakeCursor();
  for (; !c.AtEnd(); c.Advance()) {
    if ((c.PeekIs(Keyword::kTemp) || c.PeekIs(Keyword::kTemporary)) &&
        c.PeekIs(Keyword::kTable, 1)) {
      ctx.out->creates_temp_table = true;
    }
  }
}

}  // namespace switchyard::parser
