#include "proxy/monitor.h"

#include <libpq-fe.h>
#include <mysql.h>

#include <chrono>
#include <cstdlib>

#include <fmt/format.h>

#include "routing/freshness.h"
#include "routing/gtid.h"
#include "routing/gtid_set.h"

namespace switchyard::proxy {
namespace {

// Role and position: the replayed LSN of a replica, the inserted LSN of a
// primary (inserted, not flushed: with asynchronous commit a committed
// transaction may not be flushed yet).
constexpr const char* kPollSql =
    "SELECT pg_is_in_recovery(), "
    "CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() "
    "ELSE pg_current_wal_insert_lsn() END";

struct PgConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};

struct MySqlCloser {
  void operator()(MYSQL* m) const { mysql_close(m); }
};
using MySqlConn = std::unique_ptr<MYSQL, MySqlCloser>;

struct Credentials {
  std::string user, password, database;
};

Credentials MonitorCredentials(const config::Config& cfg, const config::Cluster& c) {
  Credentials cred{c.monitor.user, c.monitor.password, c.monitor.database};
  if (cred.user.empty() && !cfg.users.empty()) {
    const config::User& u = cfg.users.front();
    cred.user = u.backend_user.value_or(u.name);
    cred.password = u.backend_password.value_or(u.password);
  }
  // "postgres" exists on every PostgreSQL server and PUBLIC may connect to it.
  if (cred.database.empty()) cred.database = "postgres";
  return cred;
}

std::string Quote(const std::string& v) {
  std::string out = "'";
  for (char ch : v) {
    if (ch == '\'' || ch == '\\') out.push_back('\\');
    out.push_back(ch);
  }
  return out + "'";
}

void SetReachable(SharedState& shared, ServerState& s, bool reachable, const char* why) {
  if (s.reachable.exchange(reachable) != reachable) {
    if (reachable) {
      shared.log().info("monitor: {} is reachable again", s.label);
    } else {
      shared.log().warn("monitor: {} unreachable: {}", s.label, why);
      s.incarnation.fetch_add(1, std::memory_order_relaxed);
    }
  }
}

void Publish(SharedState& shared, ClusterState& c, ServerState& s, bool in_recovery,
             uint64_t position) {
  const ServerRole role = in_recovery ? ServerRole::kReplica : ServerRole::kPrimary;
  const auto old = static_cast<ServerRole>(s.role.exchange(static_cast<int>(role)));
  if (old != role) {
    s.incarnation.fetch_add(1, std::memory_order_relaxed);
    shared.log().warn("monitor: {} now reports role {} (was {})", s.label, ToString(role),
                      ToString(old));
  }
  s.position.store(position, std::memory_order_relaxed);
  if (role == ServerRole::kPrimary) {
    c.RecordPrimaryPosition(position, SteadyNowMs());
    s.lag_bytes = 0;
    s.lag_ms = 0;
    s.stale = false;
    return;
  }
  auto primary = c.CurrentPrimary();
  const uint64_t head = primary.ok() ? (*primary)->position.load() : position;
  const uint64_t lag_bytes = head > position ? head - position : 0;
  // How old the replica's data is: since the primary first wrote past it.
  const int64_t lag_ms = lag_bytes == 0 ? 0 : c.LagMsAt(position, SteadyNowMs());
  s.lag_bytes.store(lag_bytes, std::memory_order_relaxed);
  s.lag_ms.store(lag_ms, std::memory_order_relaxed);
  const routing::LagLimits limits{c.cluster.freshness.max_replica_lag_ms,
                                  c.cluster.freshness.max_replica_lag_bytes};
  const bool stale = routing::UpdateStale(s.stale.load(), lag_ms, lag_bytes, limits);
  if (s.stale.exchange(stale) != stale) {
    shared.log().warn("monitor: {} {} (lag {} ms, {} {} behind)", s.label,
                      stale ? "is stale: reads avoid it" : "caught up: serves reads again",
                      lag_ms, lag_bytes,
                      c.cluster.protocol == config::Protocol::kPostgres ? "WAL bytes"
                                                                        : "transactions");
  }
}

using MySqlResult = std::unique_ptr<MYSQL_RES, void (*)(MYSQL_RES*)>;

// Runs `sql` and fetches its one row of `fields` values (the first not NULL).
// Error: the server's or the client library's message.
absl::StatusOr<MYSQL_ROW> QueryOneRow(MYSQL* m, const char* sql, unsigned int fields,
                                      MySqlResult& rs) {
  if (mysql_query(m, sql) != 0) return absl::UnavailableError(mysql_error(m));
  rs.reset(mysql_store_result(m));
  MYSQL_ROW row = rs ? mysql_fetch_row(rs.get()) : nullptr;
  if (row == nullptr || mysql_num_fields(rs.get()) != fields || row[0] == nullptr) {
    return absl::UnavailableError(rs ? "no row" : mysql_error(m));
  }
  return row;
}

// One MariaDB poll: role from @@read_only (a promoted replica is one with
// read_only=0), position from the GTIDs per domain (@@gtid_binlog_pos on a
// primary, @@gtid_slave_pos on a replica). Needs no privilege beyond logging
// in.
absl::Status PollMariaDb(MYSQL* m, ClusterState& c, ServerState& s, SharedState& shared,
                         std::chrono::steady_clock::time_point start) {
  MySqlResult rs(nullptr, mysql_free_result);
  auto got = QueryOneRow(m, "SELECT @@read_only, @@gtid_binlog_pos, @@gtid_slave_pos", 3, rs);
  if (!got.ok()) return got.status();
  MYSQL_ROW row = *got;
  const bool replica = std::string_view(row[0]) != "0";
  const char* text = replica ? row[2] : row[1];
  auto gtids = routing::ParseGtidList(text ? text : "");
  if (!gtids.ok()) return gtids.status();
  s.rtt_us = std::chrono::duration_cast<std::chrono::microseconds>(
                 std::chrono::steady_clock::now() - start).count();
  // Per domain for read-your-writes; their sum as the one number lag
  // arithmetic needs (transactions behind the primary).
  s.gtid.Store(*gtids);
  Publish(shared, c, s, replica, routing::GtidSeqSum(*gtids));
  return absl::OkStatus();
}

// One Oracle MySQL poll: role from @@read_only, position from
// @@global.gtid_executed (on a replica: what it has applied), parsed here
// once so that sessions only test containment. A set the proxy cannot
// compare (tagged GTIDs of MySQL 8.3+) fails the poll like a malformed
// MariaDB position: reads avoid the server.
absl::Status PollOracleMySql(MYSQL* m, ClusterState& c, ServerState& s, SharedState& shared,
                             std::chrono::steady_clock::time_point start) {
  MySqlResult rs(nullptr, mysql_free_result);
  auto got = QueryOneRow(m, "SELECT @@global.read_only, @@global.gtid_executed", 2, rs);
  if (!got.ok()) return got.status();
  MYSQL_ROW row = *got;
  const bool replica = std::string_view(row[0]) != "0";
  auto executed = routing::ParseGtidSet(row[1] ? row[1] : "");
  if (!executed.ok()) {
    s.gtid_executed.Forget();
    return absl::Status(executed.status().code(),
                        fmt::format("@@global.gtid_executed: {}", executed.status().message()));
  }
  s.rtt_us = std::chrono::duration_cast<std::chrono::microseconds>(
                 std::chrono::steady_clock::now() - start).count();
  // The number of transactions stands for the position in lag arithmetic.
  const uint64_t count = routing::GtidSetCount(*executed);
  s.gtid_executed.Store(*std::move(executed));
  Publish(shared, c, s, replica, count);
  return absl::OkStatus();
}

// MariaDB or Oracle MySQL, by the version the server announced.
absl::Status PollMySql(MYSQL* m, ClusterState& c, ServerState& s, SharedState& shared,
                       std::chrono::steady_clock::time_point start) {
  const char* version = mysql_get_server_info(m);
  if (version == nullptr || IsMariaDbVersion(version)) {
    return PollMariaDb(m, c, s, shared, start);
  }
  return PollOracleMySql(m, c, s, shared, start);
}

// A connection with timeouts, so that a server that accepts but never answers
// (one being killed, a lost network) does not hold the poll forever. Reads
// get more time than connects: on a loaded machine a poll was seen to wait
// over 2 s for its answer, and a false "unreachable" moves reads needlessly.
MySqlConn ConnectMySql(const ServerState& s, const Credentials& cred, std::string& error) {
  MySqlConn m(mysql_init(nullptr));
  if (!m) {
    error = "out of memory";
    return nullptr;
  }
  const unsigned int connect_timeout_s = 2;
  const unsigned int io_timeout_s = 10;
  mysql_options(m.get(), MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout_s);
  mysql_options(m.get(), MYSQL_OPT_READ_TIMEOUT, &io_timeout_s);
  mysql_options(m.get(), MYSQL_OPT_WRITE_TIMEOUT, &io_timeout_s);
  const auto port = static_cast<unsigned int>(s.server.port);
  if (mysql_real_connect(m.get(), s.server.host.c_str(), cred.user.c_str(),
                         cred.password.c_str(), nullptr, port, nullptr, 0) == nullptr) {
    error = mysql_error(m.get());
    return nullptr;
  }
  return m;
}

}  // namespace

Monitor::Monitor(SharedState& shared) : shared_(shared) {}

Monitor::~Monitor() { Stop(); }

void Monitor::Start() {
  // Not thread-safe, so once here before the threads (mysql_init would do
  // it lazily, racing); idempotent.
  mysql_library_init(0, nullptr, nullptr);
  for (const config::Cluster& cfg : shared_.config().clusters) {
    ClusterState* c = shared_.cluster(cfg.name);
    const bool pg = cfg.protocol == config::Protocol::kPostgres;
    for (ServerState* s : c->servers) {
      threads_.emplace_back([this, c, s, pg] { pg ? RunPostgres(c, s) : RunMySql(c, s); });
    }
  }
}

void Monitor::Stop() {
  {
    std::lock_guard lock(stop_mu_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void Monitor::Sleep(std::chrono::steady_clock::time_point until) {
  std::unique_lock lock(stop_mu_);
  stop_cv_.wait_until(lock, until, [this] { return stop_.load(); });
}

// MariaDB/MySQL through libmariadb's C API (blocking, on this thread only).
void Monitor::RunMySql(ClusterState* c, ServerState* s) {
  const Credentials cred = MonitorCredentials(shared_.config(), c->cluster);
  const auto interval = std::chrono::milliseconds(std::max(10, c->cluster.monitor.interval_ms));
  mysql_thread_init();
  MySqlConn conn;
  while (!stop_) {
    const auto start = std::chrono::steady_clock::now();
    std::string error;
    if (!conn) conn = ConnectMySql(*s, cred, error);
    absl::Status polled = conn ? PollMySql(conn.get(), *c, *s, shared_, start)
                               : absl::UnavailableError(error);
    if (polled.ok()) {
      SetReachable(shared_, *s, true, "");
    } else {
      SetReachable(shared_, *s, false, std::string(polled.message()).c_str());
      conn.reset();
    }
    Sleep(start + interval);
  }
  conn.reset();
  mysql_thread_end();
}

void Monitor::RunPostgres(ClusterState* c, ServerState* s) {
  const Credentials cred = MonitorCredentials(shared_.config(), c->cluster);
  const std::string conninfo =
      "host=" + Quote(s->server.host) + " port=" + std::to_string(s->server.port) +
      " dbname=" + Quote(cred.database) + " user=" + Quote(cred.user) +
      " password=" + Quote(cred.password) +
      " connect_timeout=2 application_name=switchyard-monitor options='-c statement_timeout=2000'";
  const auto interval = std::chrono::milliseconds(std::max(10, c->cluster.monitor.interval_ms));
  std::unique_ptr<PGconn, PgConnCloser> conn;
  while (!stop_) {
    const auto start = std::chrono::steady_clock::now();
    if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
      conn.reset(PQconnectdb(conninfo.c_str()));
    }
    PGresult* r = PQstatus(conn.get()) == CONNECTION_OK ? PQexec(conn.get(), kPollSql) : nullptr;
    if (r != nullptr && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
      const auto rtt = std::chrono::steady_clock::now() - start;
      s->rtt_us = std::chrono::duration_cast<std::chrono::microseconds>(rtt).count();
      Publish(shared_, *c, *s, PQgetvalue(r, 0, 0)[0] == 't',
              routing::ParsePgLsn(PQgetvalue(r, 0, 1)));
      SetReachable(shared_, *s, true, "");
    } else {
      SetReachable(shared_, *s, false, PQerrorMessage(conn.get()));
      conn.reset();
    }
    PQclear(r);
    Sleep(start + interval);
  }
}

}  // namespace switchyard::proxy
