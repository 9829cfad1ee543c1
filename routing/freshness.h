// Whether a replica is fresh enough to serve a read.
//
// Pure: the monitor feeds each replica's measured lag through UpdateStale
// (hysteresis, so a replica hovering at the limit does not flap), and the
// proxy asks ServesRead for each read with the session's requirements
// (read-your-writes position, a per-query max_lag hint).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "routing/gtid.h"
#include "routing/gtid_set.h"

namespace switchyard::routing {

struct LagLimits {
  int64_t max_lag_ms = 1000;      // 0 = no time limit
  uint64_t max_lag_bytes = 16u << 20;  // 0 = no byte limit
};

// A replica becomes stale when its lag exceeds a limit, and fresh again only
// once its lag is at most half of every limit.
bool UpdateStale(bool was_stale, int64_t lag_ms, uint64_t lag_bytes, const LagLimits& limits);

struct ReplicaView {
  bool reachable = true;    // the monitor reached it on its last poll
  bool down = false;        // a connection attempt failed recently
  bool stale = false;       // UpdateStale's verdict
  int64_t lag_ms = 0;
  uint64_t position = 0;    // replayed position (PostgreSQL: WAL LSN)
  // The replica has not replayed the session's GTIDs (the caller decides:
  // MariaDB with GtidCovers against ReadRequirement::min_gtids, MySQL with
  // GtidSetContains against min_gtid_set).
  bool behind_gtids = false;
};

struct ReadRequirement {
  uint64_t min_position = 0;            // read-your-writes: the session's last commit
  std::optional<int64_t> max_lag_ms;    // /* switchyard: max_lag=500ms */
  // MariaDB read-your-writes: the GTIDs of the session's commits (null or
  // empty: none). Borrowed from the session for the duration of the call.
  const GtidList* min_gtids = nullptr;
  // Oracle MySQL read-your-writes: the GTID set of the session's commits
  // (null or empty: none); the caller tests containment in the replica's
  // executed set (GtidSetContains) and reports it as behind_gtids.
  const GtidSet* min_gtid_set = nullptr;
};

enum class ReadVerdict { kServes, kUnavailable, kStale, kBehindSession };

ReadVerdict ServesRead(const ReplicaView& replica, const ReadRequirement& need);

// PostgreSQL prints LSNs as "X/Y" (two hex halves); 0 when malformed.
uint64_t ParsePgLsn(std::string_view text);

}  // namespace switchyard::routing
