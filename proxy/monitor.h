// The control-plane monitor: one thread per server polls its role, position
// and replication lag — PostgreSQL with libpq (WAL LSN), MariaDB/MySQL with
// libmariadb's C API (GTIDs per domain) — with blocking calls, never on a
// worker's event loop, and publishes them in the server's ServerState.
// Between polls a thread sleeps until its next one (or Stop wakes it).
//
// From the polls it derives, per replica, lag in bytes (behind the current
// primary's position) and in time, and the stale flag (with hysteresis); per
// cluster, which server is primary — so a promoted replica takes writes
// within about two intervals, and two primaries fence writes.
// Thread-safety: writes only atomics; logs role/health/staleness changes.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "proxy/shared_state.h"

namespace switchyard::proxy {

class Monitor {
 public:
  explicit Monitor(SharedState& shared);
  ~Monitor();  // stops and joins

  void Start();
  void Stop();

 private:
  void RunPostgres(ClusterState* cluster, ServerState* server);
  void RunMySql(ClusterState* cluster, ServerState* server);
  // Until `until`, or until Stop() (which sets stop_ under stop_mu_).
  void Sleep(std::chrono::steady_clock::time_point until);

  SharedState& shared_;
  std::atomic<bool> stop_{false};
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  std::vector<std::thread> threads_;
};

}  // namespace switchyard::proxy
