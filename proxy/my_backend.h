// A connection from the proxy to a MySQL/MariaDB server, and how to open one.
//
// A MyBackend is owned by exactly one party at a time: a worker's pool while
// idle, a client session while serving it, or a reset task after a client
// left. It records what the proxy knows of the server session so a client can
// be moved onto it safely: the current database, the tracked variables set on
// it, the statements prepared on it (by SQL text), and the last status flags.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "proxy/asio.h"
#include "proxy/my_packet_io.h"
#include "proxy/mysql/capabilities.h"
#include "proxy/mysql/handshake.h"
#include "proxy/mysql/response.h"
#include "proxy/shared_state.h"

namespace switchyard::proxy {

// Tracked session variables in the order they were set: (name, assignment
// text as it goes after SET, e.g. "sql_mode='ANSI'").
using MyVariables = std::vector<std::pair<std::string, std::string>>;

// A statement prepared on one backend, shared by every client whose
// statement has the same SQL text.
struct MyServerStatement {
  uint32_t backend_id = 0;
  uint16_t num_params = 0;
  // The server's whole COM_STMT_PREPARE response (packets with headers), so
  // another client preparing the same text is answered without the server.
  std::string prepare_response;
  // Parameter types the server last received for it (it keeps them between
  // executes; an execute without types uses these).
  std::string bound_types;
};

struct MyBackend {
  explicit MyBackend(const asio::any_io_executor& ex) : socket(ex), in(1u << 24) {}

  tcp::socket socket;
  ServerState* server = nullptr;
  uint64_t id = 0;  // for logs: "b17"
  std::chrono::steady_clock::time_point created;
  std::chrono::steady_clock::time_point last_used;
  uint64_t incarnation = 0;  // the server's ServerState::incarnation at last use
  mysql::Capabilities capabilities = 0;  // negotiated with the server
  uint32_t connection_id = 0;
  mysql::StatusFlags status = mysql::kServerStatusAutocommit;
  std::string schema;        // current database
  MyVariables variables;     // tracked SETs applied, beyond the connection defaults
  std::string names_default; // "NAMES 'utf8mb4' COLLATE '...'": undoes SET NAMES
  // From the greeting's server version: MariaDB's contain "MariaDB"; any
  // other is taken for Oracle MySQL (GTID sets, no @@last_gtid).
  bool mariadb = true;
  // Read-your-writes: the server reports each commit's GTID in its OK packet
  // (SESSION_TRACK negotiated; MariaDB: last_gtid in
  // session_track_system_variables, MySQL: session_track_gtids=OWN_GTID).
  // Otherwise the session asks MariaDB for @@last_gtid after a write (MySQL
  // has no such variable: the session then reads from the primary a while).
  bool tracks_gtid = false;
  absl::flat_hash_map<std::string, MyServerStatement> prepared;  // by SQL text
  MyPacketBuffer in;
};

struct MyCredentials {
  std::string user;
  std::string password;
  std::string database;
  mysql::Capabilities client_capabilities = 0;  // the client's negotiated ones
  uint8_t character_set = 0;
  // Read-your-writes is on: have the server report commits' GTIDs where the
  // client negotiated SESSION_TRACK (see MyBackend::tracks_gtid).
  bool track_gtid = false;
};

// The hidden SET that adds last_gtid to the connection's
// session_track_system_variables (kept as it is when already there); sent
// after login and after each COM_RESET_CONNECTION.
inline constexpr std::string_view kTrackLastGtid =
    "\x03SET session_track_system_variables = IF("
    "@@session_track_system_variables = '*' OR "
    "FIND_IN_SET('last_gtid', @@session_track_system_variables) > 0, "
    "@@session_track_system_variables, "
    "CONCAT_WS(',', NULLIF(@@session_track_system_variables, ''), 'last_gtid'))";

// The same for Oracle MySQL: session_track_gtids=OWN_GTID (ALL_GTIDS, which
// reports more, is kept). Only where every transaction gets a GTID
// (gtid_mode=ON); otherwise the value is invalid on purpose, the server
// refuses it and the backend counts as not tracking.
inline constexpr std::string_view kTrackOwnGtid =
    "\x03SET session_track_gtids = IF(@@global.gtid_mode <> 'ON', 'gtid_mode is not ON', "
    "IF(@@session.session_track_gtids = 'ALL_GTIDS', 'ALL_GTIDS', 'OWN_GTID'))";

// The hidden command that makes `backend`'s server report commits' GTIDs.
inline std::string_view TrackGtidCommand(const MyBackend& backend) {
  return backend.mariadb ? kTrackLastGtid : kTrackOwnGtid;
}

// Connects, reads the greeting and authenticates (mysql_native_password or
// caching_sha2_password, with auth switch). Errors name the server and say
// what failed; they are meant to be shown to the client as they are.
Awaitable<absl::StatusOr<std::unique_ptr<MyBackend>>> ConnectMyBackend(
    ServerState& server, const MyCredentials& credentials, std::chrono::milliseconds timeout,
    uint64_t id);

// Connects and reads only the greeting (what the server offers), then closes.
Awaitable<absl::StatusOr<mysql::HandshakeV10>> ProbeMyServer(ServerState& server,
                                                             std::chrono::milliseconds timeout);

struct MyHiddenResult {
  mysql::ResponseSummary summary;
  std::vector<std::string> first_row;  // text values of the first row, if any
};

// Sends one command the client does not see and reads its whole response.
// `raw` (optional) receives the response packets as they came. Updates the
// backend's status flags. A server ERR is a summary with is_error set; a
// broken connection or protocol violation is an error status.
Awaitable<absl::StatusOr<MyHiddenResult>> RunHiddenCommand(MyBackend& backend,
                                                           std::string_view payload,
                                                           std::string* raw = nullptr);

// Sends TrackGtidCommand(backend) and sets backend.tracks_gtid from the
// answer. Error only when the connection broke.
Awaitable<absl::Status> TrackLastGtid(MyBackend& backend);

// "server primary (127.0.0.1:53306): <what>"
absl::Status MyServerError(const ServerState& server, std::string_view what);

}  // namespace switchyard::proxy
