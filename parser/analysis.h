// The parser's answer for one SQL statement: what it is, what it touches and
// whether it is certainly read-only. Routing, sharding and the advisor read
// only this struct; they never look at SQL text themselves.
//
// Analysis is a plain value: no pointers into the input text, so it can be
// cached by text hash and shared read-only between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace switchyard::parser {

enum class Dialect { kPostgres, kMySql };

enum class StatementKind {
  kSelect,
  kInsert,
  kUpdate,
  kDelete,
  kUpsert,  // INSERT ... ON CONFLICT / ON DUPLICATE KEY UPDATE, REPLACE
  kMerge,
  kDdl,
  kTransaction,  // see TransactionOp
  kSession,      // see SessionOp
  kUtility,      // see UtilityOp
  kUnknown,
};

enum class TransactionOp {
  kNone,
  kBegin,  // BEGIN / START TRANSACTION; see Analysis::txn_read_only
  kCommit,
  kRollback,
  kSavepoint,
  kRelease,
  kRollbackToSavepoint,
  kPrepareTransaction,  // PREPARE TRANSACTION; XA PREPARE
  kCommitPrepared,
  kRollbackPrepared,
  kXa,  // other XA verbs (XA START/END/RECOVER)
  kSetTransaction,  // SET TRANSACTION ... (characteristics only)
};

enum class SessionOp {
  kNone,
  kSet,        // SET [SESSION] name = value; SET name TO value
  kSetLocal,   // SET LOCAL (transaction-scoped)
  kReset,      // RESET name / RESET ALL
  kDiscard,    // DISCARD ALL/PLANS/SEQUENCES/TEMP
  kSetNames,   // SET NAMES (MySQL) / SET NAMES (PostgreSQL: client_encoding)
  kUse,        // USE db (MySQL)
  kSetRole,    // SET ROLE / SET SESSION AUTHORIZATION
  kUserVariable,  // MySQL SET @v = ...
};

enum class UtilityOp {
  kNone,
  kShow,
  kExplain,
  kCopy,
  kListen,
  kNotify,
  kUnlisten,
  kPrepare,     // SQL-level PREPARE
  kExecute,     // SQL-level EXECUTE
  kDeallocate,
  kLock,        // LOCK TABLE (pg), LOCK TABLES (MySQL)
  kUnlockTables,
  kVacuum,
  kAnalyze,
  kCall,
  kDo,
  kDeclareCursor,
  kFetch,       // FETCH / MOVE
  kCloseCursor,
  kCheckpoint,
  kOther,
};

// A relation the statement names. Unquoted PostgreSQL identifiers are folded
// to lower case (as the server does); quoted ones and MySQL names are kept.
struct TableRef {
  std::string schema;  // empty when not qualified in the text
  std::string name;
  bool written = false;
  bool operator==(const TableRef&) const = default;
};

// A value on the right of a comparison.
struct Operand {
  // kExpression: anything else (now(), a + 1, DEFAULT); text is as written.
  enum class Kind { kLiteral, kParameter, kNull, kExpression };
  Kind kind = Kind::kLiteral;
  std::string text;       // literal text unquoted ("42", "abc"); "" for parameters
  int parameter = 0;      // $n number, or 1-based ordinal of ? in MySQL
  bool is_string = false;
  bool operator==(const Operand&) const = default;
};

enum class CompareOp { kEq, kIn, kBetween, kLt, kLe, kGt, kGe };

// column OP operand(s), e.g. t.id = $1, id IN (1,2,3), ts BETWEEN a AND b.
struct Comparison {
  // Qualifier resolved through aliases to the table name; for an unqualified
  // column, the statement's only top-level table. Empty when unknown (several
  // tables, or a derived table / function alias).
  std::string table;
  std::string column;
  CompareOp op = CompareOp::kEq;
  std::vector<Operand> values;  // 1 for =,<,..; n for IN; 2 for BETWEEN
  bool operator==(const Comparison&) const = default;
};

// Top-level AND/OR structure of WHERE and JOIN ... ON conditions. A leaf holds
// one comparison; conditions the parser does not model are dropped from an AND
// (which only widens the match) and make an OR node "opaque".
struct PredicateNode {
  enum class Kind { kAnd, kOr, kComparison, kOpaque };
  Kind kind = Kind::kOpaque;
  Comparison comparison;               // kComparison
  std::vector<PredicateNode> children;  // kAnd / kOr
  bool operator==(const PredicateNode&) const = default;
};

struct InsertRows {
  std::string table;
  std::vector<std::string> columns;
  std::vector<std::vector<Operand>> rows;  // one vector per VALUES row
};

struct OrderItem {
  std::string expression;  // normalized text of the expression
  bool descending = false;
};

struct Hints {
  bool force_primary = false;               // /* switchyard: primary */
  std::optional<std::string> shard;         // /* switchyard: shard=... */
  std::optional<int64_t> max_lag_ms;        // /* switchyard: max_lag=500ms */
};

struct Analysis {
  StatementKind kind = StatementKind::kUnknown;
  // True only when the parser is certain the statement changes no data and
  // takes no locks that a replica cannot serve.
  bool read_only = false;
  // Why the statement is not read-only or is unknown, for people ("FOR UPDATE",
  // "calls nextval", "unrecognized statement"). Empty when read_only.
  std::string reason;

  TransactionOp txn_op = TransactionOp::kNone;
  std::optional<bool> txn_read_only;  // BEGIN READ ONLY → true, READ WRITE → false
  SessionOp session_op = SessionOp::kNone;
  // Lower-cased name for SET/RESET ("all" for RESET ALL). Implied names:
  // "timezone", "search_path" (SET SCHEMA), "names", "character set",
  // "role", "constraints", "database" (USE), "@v" (MySQL user variable),
  // "global.x" (MySQL SET GLOBAL/PERSIST: server-wide, not session state).
  std::string session_variable;
  std::string session_value;          // value text as written (quotes removed) for SET
  UtilityOp utility_op = UtilityOp::kNone;

  // Facts that create connection state a proxy cannot move between backends.
  // CREATE TEMP[ORARY] TABLE/VIEW/SEQUENCE, SELECT … INTO TEMP, CREATE
  // TEMPORARY TABLE (MySQL): objects that live only on this backend.
  bool creates_temp_table = false;
  bool with_hold_cursor = false;      // DECLARE ... WITH HOLD
  std::vector<std::string> functions; // lower-cased names of functions called

  std::vector<TableRef> tables;
  std::optional<PredicateNode> predicates;  // WHERE and JOIN ... ON
  std::optional<InsertRows> insert;
  std::vector<OrderItem> order_by;
  std::vector<std::string> group_by;
  std::optional<std::string> limit;   // literal or parameter text
  std::optional<std::string> offset;
  std::vector<std::string> aggregates; // "count", "sum", ... of the select list

  Hints hints;
  uint64_t fingerprint = 0;
  std::string normalized;  // as pg_stat_statements shows it
};

}  // namespace switchyard::parser
