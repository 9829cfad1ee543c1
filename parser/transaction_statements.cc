// Transaction control: BEGIN/START, COMMIT/END, ROLLBACK/ABORT, savepoints,
// two-phase commit (PREPARE TRANSACTION, COMMIT/ROLLBACK PREPARED) and XA.
#include "parser/families.h"

namespace switchyard::parser {
namespace {

void SetOp(const StatementContext& ctx, TransactionOp op) {
  ctx.out->kind = StatementKind::kTransaction;
  ctx.out->txn_op = op;
  NotReadOnly(*ctx.out, "transaction control");
}

// Scans transaction characteristics for READ ONLY / READ WRITE.
void ReadAccessMode(const StatementContext& ctx, Cursor c) {
  for (; !c.AtEnd(); c.Advance()) {
    if (!c.PeekIs(Keyword::kRead)) continue;
    if (c.PeekIs(Keyword::kOnly, 1)) ctx.out->txn_read_only = true;
    if (c.PeekIs(Keyword::kWrite, 1)) ctx.out->txn_read_only = false;
  }
}

void ParseBeginOrStart(const StatementContext& ctx, Cursor& c) {
  const bool start = c.Accept(Keyword::kStart);
  if (!start) c.Accept(Keyword::kBegin);
  if (start && !c.PeekIs(Keyword::kTransaction)) {
    // MySQL START SLAVE / START REPLICA / START GROUP_REPLICATION.
    ctx.out->kind = StatementKind::kUtility;
    ctx.out->utility_op = UtilityOp::kOther;
    NotReadOnly(*ctx.out, "server administration");
    return;
  }
  SetOp(ctx, TransactionOp::kBegin);
  ReadAccessMode(ctx, c);
}

void ParseCommitOrRollback(const StatementContext& ctx, Cursor& c) {
  const bool commit = c.PeekIs(Keyword::kCommit) || c.PeekIs(Keyword::kEnd);
  c.Advance();
  if (c.Accept(Keyword::kPrepared)) {
    return SetOp(ctx, commit ? TransactionOp::kCommitPrepared
                             : TransactionOp::kRollbackPrepared);
  }
  c.Accept(Keyword::kWork) || c.Accept(Keyword::kTransaction);
  if (!commit && c.Accept(Keyword::kTo)) {
    return SetOp(ctx, TransactionOp::kRollbackToSavepoint);
  }
  SetOp(ctx, commit ? TransactionOp::kCommit : TransactionOp::kRollback);
}

void ParseXa(const StatementContext& ctx, Cursor& c) {
  c.Advance();
  TransactionOp op = TransactionOp::kXa;
  if (c.PeekIs(Keyword::kPrepare)) op = TransactionOp::kPrepareTransaction;
  if (c.PeekIs(Keyword::kCommit)) op = TransactionOp::kCommitPrepared;
  if (c.PeekIs(Keyword::kRollback)) op = TransactionOp::kRollbackPrepared;
  SetOp(ctx, op);
}

}  // namespace

void ParseTransaction(const StatementContext& ctx) {
  Cursor c = ctx.MakeCursor();
  switch (c.Peek().keyword) {
    case Keyword::kBegin: case Keyword::kStart:
      return ParseBeginOrStart(ctx, c);
    case Keyword::kCommit: case Keyword::kEnd: case Keyword::kRollback:
    case Keyword::kAbort:
      return ParseCommitOrRollback(ctx, c);
    case Keyword::kSavepoint:
      return SetOp(ctx, TransactionOp::kSavepoint);
    case Keyword::kRelease:
      return SetOp(ctx, TransactionOp::kRelease);
    case Keyword::kPrepare:
      return SetOp(ctx, TransactionOp::kPrepareTransaction);
    case Keyword::kXa:
      return ParseXa(ctx, c);
    default:
      NotReadOnly(*ctx.out, "unrecognized statement");
  }
}

}  // namespace switchyard::parser
