#include "routing/lost_transaction.h"

namespace switchyard::routing {

AfterLostTransaction DecideAfterLostTransaction(const std::vector<parser::Analysis>& statements) {
  if (statements.empty() || statements.front().kind != parser::StatementKind::kTransaction) {
    return AfterLostTransaction::kRefuse;
  }
  switch (statements.front().txn_op) {
    case parser::TransactionOp::kRollback:
      return AfterLostTransaction::kRollback;
    case parser::TransactionOp::kCommit:
      return AfterLostTransaction::kCommitFails;
    case parser::TransactionOp::kNone:
    case parser::TransactionOp::kBegin:
    case parser::TransactionOp::kSavepoint:
    case parser::TransactionOp::kRelease:
    case parser::TransactionOp::kRollbackToSavepoint:
    case parser::TransactionOp::kPrepareTransaction:
    case parser::TransactionOp::kCommitPrepared:
    case parser::TransactionOp::kRollbackPrepared:
    case parser::TransactionOp::kXa:
    case parser::TransactionOp::kSetTransaction:
      return AfterLostTransaction::kRefuse;
  }
  return AfterLostTransaction::kRefuse;
}

}  // namespace switchyard::routing
