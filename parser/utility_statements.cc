#include "parser/families.h"

namespace switchyard::parser {

void ParseUtility(const StatementContext& ctx) {
  Cursor c = ctx.MakeCursor();
  ctx.out->kind = StatementKind::kUtility;
  switch (c.Peek().keyword) {
    case Keyword::kShow: ctx.out->utility_op = UtilityOp::kShow;
      ctx.out->read_only = true; return;
    case Keyword::kExplain: ctx.out->utility_op = UtilityOp::kExplain; break;
    case Keyword::kCopy: ctx.out->utility_op = UtilityOp::kCopy; break;
    case Keyword::kListen: ctx.out->utility_op = UtilityOp::kListen; break;
    case Keyword::kNotify: ctx.out->utility_op = UtilityOp::kNotify; break;
    case Keyword::kUnlisten: ctx.out->utility_op = UtilityOp::kUnlisten; break;
    case Keyword::kPrepare: ctx.out->utility_op = UtilityOp::kPrepare; break;
    case Keyword::kExecute: ctx.out->utility_op = UtilityOp::kExecute; break;
    case Keyword::kDeallocate: ctx.out->utility_op = UtilityOp::kDeallocate; break;
    case Keyword::kLock: ctx.out->utility_op = UtilityOp::kLock; break;
    case Keyword::kVacuum: ctx.out->utility_op = UtilityOp::kVacuum; break;
    case Keyword::kAnalyze: ctx.out->utility_op = UtilityOp::kAnalyze; break;
    case Keyword::kCall: ctx.out->utility_op = UtilityOp::kCall; break;
    case Keyword::kDo: ctx.out->utility_op = UtilityOp::kDo; break;
    default:
      ctx.out->kind = StatementKind::kUnknown;
      NotReadOnly(*ctx.out, "unrecognized statement");
      return;
  }
  NotReadOnly(*ctx.out, "utility statement");
}

}  // namespace switchyard::parser
