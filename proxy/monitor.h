// The control-plane monitor: one thread per PostgreSQL server polls its role,
// WAL position and replication lag with libpq (blocking calls, never on a
// worker's event loop) and publishes them in the server's ServerState.
//
// From the polls it derives, per replica, lag in bytes (behind the current
// primary's position) and in time, and the stale flag (with hysteresis); per
// cluster, which server is primary — so a promoted replica takes writes
// within about two intervals, and two primaries fence writes.
// Thread-safety: writes only atomics; logs role/health/staleness changes.
#pragma once

#include <atomic>
#include <memory>
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
  void Run(ClusterState* cluster, ServerState* server);

  SharedState& shared_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

}  // namespace switchyard::proxy
