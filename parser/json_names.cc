// Names of the Analysis enums as they appear in JSON. Switches without
// default: a new enumerator fails to compile (-Wswitch) until named here.
#include "parser/json.h"

namespace switchyard::parser {

const char* KindName(StatementKind kind) {
  switch (kind) {
    case StatementKind::kSelect: return "select";
    case StatementKind::kInsert: return "insert";
    case StatementKind::kUpdate: return "update";
    case StatementKind::kDelete: return "delete";
    case StatementKind::kUpsert: return "upsert";
    case StatementKind::kMerge: return "merge";
    case StatementKind::kDdl: return "ddl";
    case StatementKind::kTransaction: return "transaction";
    case StatementKind::kSession: return "session";
    case StatementKind::kUtility: return "utility";
    case StatementKind::kUnknown: return "unknown";
  }
  return "unknown";
}

const char* TransactionOpName(TransactionOp op) {
  switch (op) {
    case TransactionOp::kNone: return "none";
    case TransactionOp::kBegin: return "begin";
    case TransactionOp::kCommit: return "commit";
    case TransactionOp::kRollback: return "rollback";
    case TransactionOp::kSavepoint: return "savepoint";
    case TransactionOp::kRelease: return "release";
    case TransactionOp::kRollbackToSavepoint: return "rollback_to_savepoint";
    case TransactionOp::kPrepareTransaction: return "prepare_transaction";
    case TransactionOp::kCommitPrepared: return "commit_prepared";
    case TransactionOp::kRollbackPrepared: return "rollback_prepared";
    case TransactionOp::kXa: return "xa";
    case TransactionOp::kSetTransaction: return "set_transaction";
  }
  return "none";
}

const char* SessionOpName(SessionOp op) {
  switch (op) {
    case SessionOp::kNone: return "none";
    case SessionOp::kSet: return "set";
    case SessionOp::kSetLocal: return "set_local";
    case SessionOp::kReset: return "reset";
    case SessionOp::kDiscard: return "discard";
    case SessionOp::kSetNames: return "set_names";
    case SessionOp::kUse: return "use";
    case SessionOp::kSetRole: return "set_role";
    case SessionOp::kUserVariable: return "user_variable";
  }
  return "none";
}

const char* UtilityOpName(UtilityOp op) {
  switch (op) {
    case UtilityOp::kNone: return "none";
    case UtilityOp::kShow: return "show";
    case UtilityOp::kExplain: return "explain";
    case UtilityOp::kCopy: return "copy";
    case UtilityOp::kListen: return "listen";
    case UtilityOp::kNotify: return "notify";
    case UtilityOp::kUnlisten: return "unlisten";
    case UtilityOp::kPrepare: return "prepare";
    case UtilityOp::kExecute: return "execute";
    case UtilityOp::kDeallocate: return "deallocate";
    case UtilityOp::kLock: return "lock";
    case UtilityOp::kUnlockTables: return "unlock_tables";
    case UtilityOp::kVacuum: return "vacuum";
    case UtilityOp::kAnalyze: return "analyze";
    case UtilityOp::kCall: return "call";
    case UtilityOp::kDo: return "do";
    case UtilityOp::kDeclareCursor: return "declare_cursor";
    case UtilityOp::kFetch: return "fetch";
    case UtilityOp::kCloseCursor: return "close_cursor";
    case UtilityOp::kCheckpoint: return "checkpoint";
    case UtilityOp::kOther: return "other";
  }
  return "none";
}

}  // namespace switchyard::parser
