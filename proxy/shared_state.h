// State shared by all worker threads: the config snapshot, per-server load and
// health counters, pool limits, client counts and the cancel-key registry.
//
// Hot-path rule: per statement, workers touch only relaxed atomics here
// (outstanding-request counters). Mutexes guard only rare events: creating a
// pool-limit counter, registering a client's cancel key, a cancel request.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <string_view>
#include <tuple>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/fmt_absl.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "config/config.h"
#include "proxy/my_gtid_position.h"
#include "proxy/mysql/rsa_key.h"
#include "proxy/pg/auth_scram.h"

namespace switchyard::proxy {

// One configured database server.
enum class ServerRole : int { kUnknown = 0, kPrimary = 1, kReplica = 2 };
const char* ToString(ServerRole r);

// One configured database server. The monitor (proxy/monitor.h) writes the
// role/health/position fields; workers read them with relaxed loads.
struct ServerState {
  config::Server server;
  bool is_primary = false;  // configured as the primary (the initial role)
  std::string label;  // "primary (127.0.0.1:54320)": how logs and errors name it
  std::atomic<int64_t> outstanding{0};   // clients holding a backend on it
  std::atomic<int64_t> down_until_ms{0}; // steady-clock ms; reads avoid it until then
  std::atomic<uint64_t> transactions{0};
  std::atomic<uint64_t> connect_failures{0};

  std::atomic<int> role{0};              // ServerRole, as the server last reported it
  std::atomic<bool> reachable{true};     // the monitor's last poll succeeded
  // Bumped when the monitor finds the server unreachable or in another role:
  // pooled connections from before may be dead (BackendPool checks them).
  std::atomic<uint64_t> incarnation{0};
  std::atomic<bool> stale{false};        // lag over the cluster's limit (with hysteresis)
  std::atomic<uint64_t> position{0};     // PG: replayed (replica) or inserted (primary) LSN
  std::atomic<int64_t> lag_ms{0};
  std::atomic<uint64_t> lag_bytes{0};
  std::atomic<int64_t> rtt_us{0};        // the monitor's poll round trip
  std::atomic<uint64_t> reads{0};        // batches routed here as reads
  MyGtidPosition gtid;                   // MariaDB: replayed (replica) or binlog (primary) GTIDs
  MySqlGtidExecuted gtid_executed;       // Oracle MySQL: @@global.gtid_executed

  ServerRole Role() const { return static_cast<ServerRole>(role.load(std::memory_order_relaxed)); }
  bool ActsAsPrimary() const { return Role() == ServerRole::kPrimary; }
};

// What a MySQL cluster's primary announced in its greeting, learned once and
// shown to clients (server version, capabilities the proxy may advertise).
struct MySqlServerInfo {
  std::string server_version;
  uint64_t capabilities = 0;
  uint8_t character_set = 0;
};

struct ClusterState {
  config::Cluster cluster;
  std::unique_ptr<ServerState> primary;  // as configured; see CurrentPrimary()
  std::vector<std::unique_ptr<ServerState>> replicas;
  std::vector<ServerState*> servers;     // all of them, configured primary first
  std::atomic<uint64_t> round_robin{0};
  std::atomic<uint64_t> reads{0};              // read batches routed
  std::atomic<uint64_t> primary_fallback_reads{0};  // of which the primary served

 private:
  mutable std::mutex history_mu_;
  std::deque<std::pair<uint64_t, int64_t>> primary_history_;  // (position, ms), rising

 public:

  // The one server that reports being primary. Error (FailedPrecondition,
  // naming both) when two servers claim it: the proxy then refuses writes
  // rather than write to both. When none is known (all down), the configured
  // primary, so that connecting gives the real error.
  absl::StatusOr<ServerState*> CurrentPrimary() const;

  // The primary's position over time (monitor threads only), so a replica's
  // lag in time is how long ago the primary first wrote past its position.
  void RecordPrimaryPosition(uint64_t position, int64_t now_ms);
  int64_t LagMsAt(uint64_t replica_position, int64_t now_ms) const;

  // MySQL clusters only; guarded by the mutex (touched at login only).
  std::optional<MySqlServerInfo> mysql_info() const {
    std::lock_guard lock(info_mu_);
    return mysql_info_;
  }
  void set_mysql_info(MySqlServerInfo info) {
    std::lock_guard lock(info_mu_);
    mysql_info_ = std::move(info);
  }

 private:
  mutable std::mutex info_mu_;
  std::optional<MySqlServerInfo> mysql_info_;
};

// Key of a pool: one set of backend connections per (user, database, server).
// `variant` separates connections that cannot serve each other's clients
// (MySQL: the response-shaping capabilities and character set the backend
// connection was opened with); 0 for PostgreSQL.
struct PoolKey {
  std::string user;
  std::string database;
  const ServerState* server = nullptr;
  uint64_t variant = 0;
  bool operator<(const PoolKey& o) const {
    return std::tie(user, database, server, variant) <
           std::tie(o.user, o.database, o.server, o.variant);
  }
};

// Counters of one pool key, shared by the per-worker pools of that key.
struct PoolShared {
  std::atomic<int> open{0};     // backend connections open or being opened
  std::atomic<int> waiting{0};  // clients waiting, on any worker
};

class SharedState {
 public:
  SharedState(std::shared_ptr<const config::Config> config,
              std::shared_ptr<spdlog::logger> log);

  const config::Config& config() const { return *config_; }
  // Worker threads: config `workers`, or one per CPU core when 0.
  int worker_count() const {
    const int n = config_->workers;
    return n > 0 ? n : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  spdlog::logger& log() const { return *log_; }
  ClusterState* cluster(const std::string& name);

  PoolShared& pool_shared(const PoolKey& key);

  // Client admission; Release must be called once per successful Admit.
  bool AdmitClient(const std::string& user, int per_user_limit);
  void ReleaseClient(const std::string& user);
  int clients() const { return clients_.load(std::memory_order_relaxed); }

  // Cancel keys: the proxy's (pid, secret) per client → the client's session,
  // held weakly, and the function that makes it forward a cancel to the
  // backend serving it (called on the thread that received the request, with
  // the session alive). A plain function pointer and a flat table: ~50 bytes
  // per client where a map node and a std::function took ~110.
  using CancelFn = void (*)(std::shared_ptr<void> session);
  void RegisterCancel(int32_t pid, int32_t secret, std::weak_ptr<void> session, CancelFn fn);
  void UnregisterCancel(int32_t pid, int32_t secret);
  bool Cancel(int32_t pid, int32_t secret);

  // SCRAM secrets of the configured users, derived once at start (PBKDF2 is
  // ~1 ms of CPU: too much to pay per login). Error status for a bad verifier.
  absl::StatusOr<const pg::ScramSecret*> ScramSecretFor(const std::string& user) const;
  // Per-process key for the mock SCRAM exchange of unknown users.
  const std::string& mock_scram_key() const { return mock_scram_key_; }
  // RSA key for caching_sha2_password full authentication of MySQL clients;
  // generated at start when a MySQL listener is configured, else null.
  const mysql::RsaPrivateKey* mysql_rsa_key() const {
    return mysql_rsa_key_ ? &*mysql_rsa_key_ : nullptr;
  }

  // What a caching_sha2_password server keeps: SHA256(SHA256(password)) of
  // the users that completed a full authentication since the proxy started
  // (MySQL's fast-path cache). Locked once per such login.
  bool Sha2CacheHas(const std::string& user, const std::string& entry) const;
  void Sha2CachePut(const std::string& user, std::string entry);

  std::atomic<bool> draining{false};

 private:
  std::shared_ptr<const config::Config> config_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<std::unique_ptr<ClusterState>> clusters_;
  std::map<std::string, absl::StatusOr<pg::ScramSecret>> scram_secrets_;
  std::string mock_scram_key_;
  std::optional<mysql::RsaPrivateKey> mysql_rsa_key_;

  std::mutex pools_mu_;
  std::map<PoolKey, std::unique_ptr<PoolShared>> pools_;

  std::atomic<int> clients_{0};
  std::mutex users_mu_;
  std::map<std::string, int> clients_per_user_;

  mutable std::mutex sha2_mu_;
  std::map<std::string, std::string> sha2_cache_;

  struct CancelEntry {
    std::weak_ptr<void> session;
    CancelFn fn = nullptr;
  };
  static uint64_t CancelKey(int32_t pid, int32_t secret) {
    return (uint64_t{static_cast<uint32_t>(pid)} << 32) | static_cast<uint32_t>(secret);
  }
  std::mutex cancel_mu_;
  absl::flat_hash_map<uint64_t, CancelEntry> cancel_;
};

int64_t SteadyNowMs();

// SHOW SWITCHYARD SERVERS, for both protocols' admin answers: the column
// names, and one row of text values per server of the cluster (what routing
// sees now). The position is a WAL LSN (PostgreSQL) or a GTID list (MariaDB).
// (routing/admin_statement.h says whether a query is that command.)
std::vector<std::string> ServerListingColumns();
std::vector<std::vector<std::string>> ServerListingRows(const ClusterState& cluster);

}  // namespace switchyard::proxy
