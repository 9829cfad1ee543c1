// A connection from the proxy to a PostgreSQL server, and how to open one.
//
// A PgBackend is owned by exactly one party at a time: a worker's pool while
// idle, a client session while serving it, or a reset task after a client
// left. It records what the proxy knows of the server session so a client can
// be moved onto it safely: parameter values, prepared statements (by the
// proxy's statement id), and the last transaction status.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "proxy/asio.h"
#include "proxy/pg/parameter_sync.h"
#include "proxy/shared_state.h"

namespace switchyard::proxy {

struct PgBackend {
  explicit PgBackend(const asio::any_io_executor& ex) : socket(ex) {}

  tcp::socket socket;
  ServerState* server = nullptr;
  int32_t process_id = 0;
  int32_t secret_key = 0;
  pg::ParameterMap params;  // lower-case name → value, as the server has them
  // The client parameters `params` was last made to match by
  // BuildParameterSync; reset whenever anything else changes `params`. A
  // session whose (shared) parameters are this very map skips the comparison.
  // Holding the pointer keeps the map from being changed in place
  // (pg::SessionParameters copies on write when shared).
  std::shared_ptr<const pg::ParameterMap> params_synced_to;
  pg::ParameterMap reported_names;  // lower-case → name as the server spells it
  absl::flat_hash_set<uint64_t> prepared;
  char txn_status = 'I';
  std::chrono::steady_clock::time_point created;
  std::chrono::steady_clock::time_point last_used;
  uint64_t incarnation = 0;  // the server's ServerState::incarnation at last use
  std::string read_buf;  // reused by the relay
  uint64_t id = 0;       // for logs: "b17"
};

struct BackendCredentials {
  std::string user;
  std::string password;
  std::string database;
};

// Connects, sends the startup message and authenticates (SCRAM-SHA-256, md5,
// cleartext or trust, as the server asks). Errors name the server and say
// what failed; they are meant to be shown to the client as they are.
Awaitable<absl::StatusOr<std::unique_ptr<PgBackend>>> ConnectPgBackend(
    ServerState& server, const BackendCredentials& credentials,
    std::chrono::milliseconds timeout, uint64_t id);

// Runs `sql` as a simple query and reads up to ReadyForQuery, discarding
// results. Used to reset a backend (ROLLBACK, DISCARD ALL) before reuse.
Awaitable<absl::Status> RunResetQuery(PgBackend& backend, const std::string& sql);

}  // namespace switchyard::proxy
