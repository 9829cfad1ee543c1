// Client commands (the command phase): the table of command bytes with the
// shape of the response each one gets, COM_STMT_PREPARE's OK reply, the
// statement-id field of prepared-statement commands (the proxy maps client
// statement ids to backend ids), and COM_CHANGE_USER.
//
// Command payloads start with the command byte. LookupCommand never fails:
// bytes outside the table map to an explicit "unknown" row. Decoded
// ChangeUser owns its strings; views returned by helpers point into the
// payload given. Thread-safety: all functions are reentrant.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proxy/mysql/capabilities.h"
#include "proxy/mysql/handshake.h"

namespace switchyard::mysql {

enum class Command : uint8_t {
  kSleep = 0x00,
  kQuit = 0x01,
  kInitDb = 0x02,
  kQuery = 0x03,
  kFieldList = 0x04,
  kCreateDb = 0x05,
  kDropDb = 0x06,
  kRefresh = 0x07,
  kShutdown = 0x08,
  kStatistics = 0x09,
  kProcessInfo = 0x0A,
  kConnect = 0x0B,
  kProcessKill = 0x0C,
  kDebug = 0x0D,
  kPing = 0x0E,
  kTime = 0x0F,
  kDelayedInsert = 0x10,
  kChangeUser = 0x11,
  kBinlogDump = 0x12,
  kTableDump = 0x13,
  kConnectOut = 0x14,
  kRegisterSlave = 0x15,
  kStmtPrepare = 0x16,
  kStmtExecute = 0x17,
  kStmtSendLongData = 0x18,
  kStmtClose = 0x19,
  kStmtReset = 0x1A,
  kSetOption = 0x1B,
  kStmtFetch = 0x1C,
  kDaemon = 0x1D,
  kBinlogDumpGtid = 0x1E,
  kResetConnection = 0x1F,
  kClone = 0x20,            // MySQL 8
  kStmtBulkExecute = 0xFA,  // MariaDB
  kMulti = 0xFE,            // MariaDB (deprecated)
};

// How the server answers a command; the response tracker follows this.
enum class ResponseShape {
  kNone,             // no reply at all (QUIT, STMT_CLOSE, STMT_SEND_LONG_DATA)
  kOkOrErr,          // one OK, ERR or EOF packet
  kResultSet,        // text result sets / OK / ERR / LOCAL INFILE, chained
  kBinaryResultSet,  // binary-protocol result sets / OK / ERR, chained
  kPrepareOk,        // COM_STMT_PREPARE_OK, parameter and column definitions
  kFieldList,        // column definitions up to EOF, or ERR
  kStatistics,       // one human-readable string packet
  kFetchRows,        // binary rows up to EOF, or ERR
  kAuthExchange,     // AuthSwitch / AuthMoreData rounds, then OK or ERR
  kUntracked,        // replication and clone streams: the proxy refuses these
};

struct CommandInfo {
  uint8_t code;
  std::string_view name;
  bool expects_response;
  ResponseShape shape;
  bool carries_statement_id;  // a 4-byte statement id follows the command byte
};

// The row for `code`; the unknown row (name "COM_UNKNOWN", code field 0xFF,
// answered by the server with an ERR) for any byte not in the table. The
// returned reference is to a constant table and stays valid forever.
const CommandInfo& LookupCommand(uint8_t code);
// The command byte of a payload (nullopt for an empty payload).
std::optional<uint8_t> CommandByte(std::string_view payload);
// Everything after the command byte: SQL of COM_QUERY / COM_STMT_PREPARE,
// schema of COM_INIT_DB, ...
std::string_view CommandBody(std::string_view payload);

struct PrepareOk {
  uint32_t statement_id = 0;
  uint16_t num_columns = 0;
  uint16_t num_params = 0;
  uint16_t warnings = 0;
  bool operator==(const PrepareOk&) const = default;
};
absl::StatusOr<PrepareOk> DecodePrepareOk(std::string_view payload);
void EncodePrepareOk(const PrepareOk& prepare_ok, std::string& out);

// Statement id of STMT_EXECUTE / SEND_LONG_DATA / CLOSE / RESET / FETCH (and
// MariaDB's BULK_EXECUTE). MariaDB reads id 0xFFFFFFFF as "the statement
// prepared last" (used when pipelining prepare + execute).
inline constexpr uint32_t kLastPreparedStatementId = 0xFFFFFFFF;
absl::StatusOr<uint32_t> ReadStatementId(std::string_view payload);
// Overwrites the id in place, e.g. in the receive buffer before forwarding.
absl::Status RewriteStatementId(std::span<char> payload, uint32_t statement_id);

// COM_STMT_EXECUTE's fixed header. Cursor flags make the server answer with
// column definitions only; rows then come through COM_STMT_FETCH.
inline constexpr uint8_t kCursorTypeReadOnly = 0x01;
struct ExecuteHeader {
  uint32_t statement_id = 0;
  uint8_t flags = 0;
  uint32_t iteration_count = 0;
};
absl::StatusOr<ExecuteHeader> DecodeExecuteHeader(std::string_view payload);

struct ChangeUser {
  std::string username;
  std::string auth_response;
  std::string database;
  std::optional<uint16_t> character_set;  // absent in pre-5.1 clients
  std::string auth_plugin_name;           // with PLUGIN_AUTH
  ConnectAttributes connect_attributes;   // with CONNECT_ATTRS
  bool operator==(const ChangeUser&) const = default;
};
// `capabilities` are the client's negotiated ones (they select the auth
// response encoding and which trailing fields exist).
absl::StatusOr<ChangeUser> DecodeChangeUser(std::string_view payload, Capabilities capabilities);
absl::Status EncodeChangeUser(const ChangeUser& change_user, Capabilities capabilities,
                              std::string& out);

}  // namespace switchyard::mysql
