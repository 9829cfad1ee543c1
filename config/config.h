// Switchyard's configuration: an immutable snapshot loaded from YAML.
//
// The proxy holds a std::shared_ptr<const Config>; a reload builds a new
// snapshot and swaps the pointer, so readers never see a half-updated config.
// Loading validates everything it can (unknown keys, missing clusters, bad
// ports, duplicate names) and reports the first problem with its YAML path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace switchyard::config {

enum class Protocol { kPostgres, kMySql };
enum class PoolMode { kTransaction, kSession };
enum class AuthMethod { kScramSha256, kMd5, kTrust, kMySqlNativePassword, kCachingSha2Password };
enum class BalancePolicy { kLeastOutstanding, kRoundRobin, kWeighted };

struct Server {
  std::string name;  // "primary", "replica1", ... (appears in logs and errors)
  std::string host;
  uint16_t port = 0;
  int weight = 1;  // for BalancePolicy::kWeighted
};

// How fresh a replica must be to serve reads, and read-your-writes.
struct Freshness {
  int max_replica_lag_ms = 1000;           // 0 = no time limit
  uint64_t max_replica_lag_bytes = 16u << 20;  // WAL bytes (PostgreSQL); 0 = no limit
  bool read_your_writes = true;            // a session's reads see its own writes
  int read_your_writes_wait_ms = 0;        // wait this long for a fresh replica, then primary
  // When no replica is fresh enough, at most this share of reads goes to the
  // primary; the rest go to the least stale replica anyway.
  int max_primary_read_percent = 100;
};

// The control-plane monitor that polls each server's role, position and lag.
struct Monitor {
  int interval_ms = 250;
  std::string user;      // empty: the first configured user
  std::string password;
  std::string database;  // empty: the monitor user's name
};

struct Cluster {
  std::string name;
  Protocol protocol = Protocol::kPostgres;
  BalancePolicy balance = BalancePolicy::kLeastOutstanding;
  Server primary;   // the initial roles; the monitor follows failovers
  std::vector<Server> replicas;
  Freshness freshness;
  Monitor monitor;
};

struct Listener {
  std::string name;
  Protocol protocol = Protocol::kPostgres;
  std::string address = "127.0.0.1";
  uint16_t port = 0;
  std::string cluster;  // name of a Cluster with the same protocol
};

// Pool and limit settings; users and databases may override some of them.
struct PoolSettings {
  PoolMode pool_mode = PoolMode::kTransaction;
  int pool_size = 20;                 // backend connections per (user, database, server)
  int max_client_connections = 1000;  // per user (0 = unlimited)
};

struct User {
  std::string name;
  // Clients authenticate with this password. It is also used towards the
  // backend unless backend_password is set. May be plaintext, a PostgreSQL
  // SCRAM verifier ("SCRAM-SHA-256$..."; then backend_password is set) or an
  // md5 hash ("md5" + 32 hex); the loader checks it suits `auth`.
  std::string password;
  AuthMethod auth = AuthMethod::kScramSha256;  // PostgreSQL listeners; mysql uses its own
  std::optional<std::string> backend_user;
  std::optional<std::string> backend_password;
  std::optional<PoolMode> pool_mode;
  std::optional<int> pool_size;
  std::optional<int> max_client_connections;
};

struct Database {
  std::string name;
  std::optional<PoolMode> pool_mode;
  std::optional<int> pool_size;
};

struct Config {
  int workers = 0;                 // 0 = one per CPU core
  std::string log_level = "info";  // spdlog level name
  std::vector<Listener> listeners;
  std::vector<Cluster> clusters;
  std::vector<User> users;
  std::vector<Database> databases;
  PoolSettings pool;                   // defaults for every user/database
  int max_client_connections = 10000;  // whole proxy (0 = unlimited)

  // Timeouts, milliseconds (0 = none).
  int queue_timeout_ms = 5000;          // wait for a pooled backend, then 53300
  int connect_timeout_ms = 3000;        // TCP connect + backend authentication
  int server_idle_timeout_ms = 600000;  // close a pooled backend idle this long
  int server_lifetime_ms = 3600000;     // close a pooled backend this old when released
  int client_login_timeout_ms = 15000;  // startup + authentication
  int shutdown_timeout_ms = 30000;      // SIGTERM: wait for open transactions

  // Limits, bytes.
  uint32_t max_message_bytes = 64 * 1024 * 1024;  // larger client message → 08P01
  uint32_t max_startup_packet_bytes = 10000;

  // Functions whose call makes a statement a write (parser::Options).
  std::vector<std::string> writing_functions;  // empty = built-in list
  bool allow_load_data_local = false;          // MySQL LOAD DATA LOCAL INFILE

  const Cluster* FindCluster(const std::string& name) const;
  const User* FindUser(const std::string& name) const;
  const Database* FindDatabase(const std::string& name) const;
  // Effective pool settings for a user connected to a database: database
  // overrides user, user overrides the global defaults.
  PoolSettings EffectivePool(const std::string& user, const std::string& database) const;
};

// Both return kInvalidArgument with "<yaml path>: <problem> (line N)" for a
// bad file (LoadConfigFile: kNotFound / kPermissionDenied when unreadable).
// The accepted keys are documented in docs/configuration.md.
absl::StatusOr<Config> ParseConfig(const std::string& yaml_text);
absl::StatusOr<Config> LoadConfigFile(const std::string& path);

// The spelling used in the YAML file ("postgres", "transaction", ...).
const char* ToString(Protocol p);
const char* ToString(PoolMode m);
const char* ToString(AuthMethod a);
const char* ToString(BalancePolicy b);

}  // namespace switchyard::config
