// ResponseTracker: follows the server's response to one command, packet by
// packet, and says when it is complete and what it left behind (final server
// status flags, error, affected rows, last insert id, reported GTID).
//
// The proxy relays response packets without decoding rows; it feeds each
// packet's payload here to learn where the response ends (to release the
// backend or read the next command) and whether a transaction is still open.
// It handles OK/ERR, text and binary result sets with and without
// DEPRECATE_EOF, MORE_RESULTS_EXISTS chains (multi-statements, CALL),
// prepare-ok with parameter and column definitions, FIELD_LIST, STATISTICS,
// STMT_FETCH, COM_CHANGE_USER's authentication rounds and LOCAL INFILE
// requests, which it reports so that the proxy can refuse them.
//
// Not supported (the proxy must not negotiate them): result sets without
// metadata (OPTIONAL_RESULTSET_METADATA, MARIADB_CACHE_METADATA), compression.
//
// A tracker is a plain value owned by one connection; not thread-safe. It
// copies what it keeps (summary strings), so payloads need not outlive a call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "proxy/mysql/capabilities.h"
#include "proxy/mysql/command.h"

namespace switchyard::mysql {

enum class ResponsePhase {
  kFirstPacket,        // OK, ERR, column count, 0xFB, prepare-ok, string, auth packet
  kColumnDefinitions,  // column definitions of a result set
  kColumnsEof,         // EOF after column definitions (no DEPRECATE_EOF)
  kRows,               // rows up to the terminator
  kInfileResult,       // after a LOCAL INFILE request: the final OK or ERR
  kPrepareParams,      // parameter definitions after COM_STMT_PREPARE_OK
  kPrepareParamsEof,
  kPrepareColumns,  // column definitions after COM_STMT_PREPARE_OK
  kPrepareColumnsEof,
  kFieldList,  // COM_FIELD_LIST column definitions up to EOF
  kComplete,
  kFailed,  // protocol violation: the connection must be closed
};

// What the caller does with the packet just fed.
enum class ResponseEvent {
  kMore,                // relay it; more packets of this response follow
  kNeedsClientReply,    // relay it; the server now waits for the client (auth)
  kLocalInfileRequest,  // do not relay; refuse (send the server an empty packet,
                        // then keep feeding: the server answers OK or ERR)
  kComplete,            // relay it; the response is complete
};

struct ResponseSummary {
  // Status flags of the last OK or EOF seen (absent if none was sent, e.g. a
  // lone ERR or a prepare without EOFs).
  std::optional<StatusFlags> status_flags;
  bool is_error = false;  // the response ended with ERR
  uint16_t error_code = 0;
  std::string error_message;
  // From the last OK packet of the response.
  uint64_t affected_rows = 0;
  uint64_t last_insert_id = 0;
  // The last GTID reported by any OK of the response (session tracking).
  std::string gtid;
  uint32_t result_sets = 0;
  uint64_t rows = 0;
  bool local_infile_requested = false;
  std::optional<PrepareOk> prepare_ok;
};

class ResponseTracker {
 public:
  // `capabilities`: those negotiated on the backend connection.
  ResponseTracker(ResponseShape shape, Capabilities capabilities);

  // Feed each physical packet payload in order. Continuation chunks of a
  // payload split at 16 MiB are recognised and skipped.
  absl::StatusOr<ResponseEvent> OnPacket(std::string_view payload);
  // Feed a whole logical payload (already reassembled).
  absl::StatusOr<ResponseEvent> OnLogicalPacket(std::string_view payload);

  bool complete() const { return phase_ == ResponsePhase::kComplete && !continuing_; }
  ResponsePhase phase() const { return phase_; }
  const ResponseSummary& summary() const { return summary_; }

 private:
  absl::StatusOr<ResponseEvent> Step(std::string_view payload);
  absl::StatusOr<ResponseEvent> OnFirstPacket(std::string_view payload);
  absl::StatusOr<ResponseEvent> OnResultSetStart(std::string_view payload);
  absl::StatusOr<ResponseEvent> OnSimpleReply(std::string_view payload);
  absl::StatusOr<ResponseEvent> OnAuthPacket(std::string_view payload);
  absl::StatusOr<ResponseEvent> OnPrepareOk(std::string_view payload);
  absl::StatusOr<ResponseEvent> OnColumnDefinition(std::string_view payload);
  absl::StatusOr<ResponseEvent> OnColumnsEof(std::string_view payload);
  absl::StatusOr<ResponseEvent> OnRow(std::string_view payload);
  absl::StatusOr<ResponseEvent> OnInfileResult(std::string_view payload);
  absl::StatusOr<ResponseEvent> OnPrepareDefinition(std::string_view payload);
  absl::StatusOr<ResponseEvent> OnPrepareEof(std::string_view payload);
  absl::StatusOr<ResponseEvent> OnFieldList(std::string_view payload);

  absl::StatusOr<ResponseEvent> AbsorbOk(std::string_view payload);
  absl::StatusOr<ResponseEvent> AbsorbErr(std::string_view payload);
  absl::StatusOr<ResponseEvent> AbsorbTerminator(std::string_view payload);
  absl::StatusOr<ResponseEvent> AfterStatus(StatusFlags flags);
  absl::StatusOr<ResponseEvent> NextPrepareSection();
  absl::StatusOr<ResponseEvent> Complete();

  const ResponseShape shape_;
  const Capabilities capabilities_;
  ResponsePhase phase_;
  uint64_t definitions_left_ = 0;  // columns or parameters still to come
  bool continuing_ = false;        // inside a payload split at 16 MiB
  std::optional<ResponseEvent> deferred_;
  ResponseSummary summary_;
};

}  // namespace switchyard::mysql
