// OK, ERR and EOF packets: the status replies that end most server responses.
//
// Decoded packets borrow: every std::string_view field points into the payload
// given to the decoder, which the caller keeps alive while it uses them.
// Encoders append a payload (no packet header) to a caller-owned string.
// Thread-safety: all functions are reentrant.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "proxy/mysql/capabilities.h"

namespace switchyard::mysql {

inline constexpr uint8_t kOkHeader = 0x00;
inline constexpr uint8_t kEofHeader = 0xFE;
inline constexpr uint8_t kErrHeader = 0xFF;
inline constexpr uint8_t kLocalInfileHeader = 0xFB;
// MariaDB sends progress reports as ERR packets with this code.
inline constexpr uint16_t kMariaDbProgressErrorCode = 0xFFFF;

// Session state tracker types (OK packets when SESSION_TRACK is negotiated).
enum class SessionTrackType : uint8_t {
  kSystemVariables = 0,
  kSchema = 1,
  kStateChange = 2,
  kGtids = 3,
  kTransactionCharacteristics = 4,
  kTransactionState = 5,
};

// One session state change. `name` is set for system variables only;
// `value` holds the variable value, schema, "1"/"0" state flag, GTID set,
// characteristics or state string. Unknown types keep their raw data in
// `value` so that re-encoding reproduces them.
struct SessionStateEntry {
  uint8_t type = 0;
  std::string_view name;
  std::string_view value;
  bool operator==(const SessionStateEntry&) const = default;
};

struct OkPacket {
  uint8_t header = kOkHeader;  // 0xFE when it ends a result set under DEPRECATE_EOF
  uint64_t affected_rows = 0;
  uint64_t last_insert_id = 0;
  StatusFlags status_flags = 0;
  uint16_t warnings = 0;
  std::string_view info;
  std::vector<SessionStateEntry> session_state;
  bool operator==(const OkPacket&) const = default;
};

struct ErrPacket {
  uint16_t error_code = 0;
  std::string_view sql_state;  // 5 characters, or empty when the packet had none
  std::string_view message;
  bool operator==(const ErrPacket&) const = default;
};

struct EofPacket {
  uint16_t warnings = 0;
  StatusFlags status_flags = 0;
  bool operator==(const EofPacket&) const = default;
};

// Classification by first byte and length, as clients do.
bool IsOkPacket(std::string_view payload);
bool IsErrPacket(std::string_view payload);
// A classic EOF packet: 0xFE and shorter than 9 bytes.
bool IsEofPacket(std::string_view payload);
// Whether `payload`, met where a result-set row may be, ends the rows instead:
// an EOF packet, or under DEPRECATE_EOF an OK packet with a 0xFE header (which
// a row can only start with if it is at least 16 MiB long).
bool IsResultSetTerminator(std::string_view payload, Capabilities capabilities);

// `capabilities` are the negotiated ones: they decide whether status and
// warnings are present (PROTOCOL_41/TRANSACTIONS) and how info and session
// state are laid out (SESSION_TRACK).
absl::StatusOr<OkPacket> DecodeOk(std::string_view payload, Capabilities capabilities);
void EncodeOk(const OkPacket& ok, Capabilities capabilities, std::string& out);

// The SQL state is read when the '#' marker is present (4.1 protocol; ERR
// packets sent before the handshake have none).
absl::StatusOr<ErrPacket> DecodeErr(std::string_view payload);
// An empty sql_state is sent as "HY000"; a state that is not 5 bytes is
// padded or cut to 5 so the packet stays well-formed.
void EncodeErr(const ErrPacket& err, std::string& out);

absl::StatusOr<EofPacket> DecodeEof(std::string_view payload);
void EncodeEof(const EofPacket& eof, std::string& out);

// The status flags of a result-set terminator (EOF or 0xFE OK).
absl::StatusOr<StatusFlags> TerminatorStatusFlags(std::string_view payload,
                                                  Capabilities capabilities);

// The GTID a write produced, when the server reported one: a GTIDs tracker
// entry (MySQL session_track_gtids) or the MariaDB system variable last_gtid
// (session_track_system_variables=last_gtid). Empty values count as absent.
std::optional<std::string_view> ReportedGtid(const OkPacket& ok);

}  // namespace switchyard::mysql
