#include "routing/freshness.h"

#include <string_view>

namespace switchyard::routing {
namespace {

bool Over(int64_t lag_ms, uint64_t lag_bytes, int64_t max_ms, uint64_t max_bytes) {
  return (max_ms > 0 && lag_ms > max_ms) || (max_bytes > 0 && lag_bytes > max_bytes);
}

bool ParseHex(std::string_view s, uint64_t& out) {
  if (s.empty() || s.size() > 8) return false;
  out = 0;
  for (char c : s) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10
          : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return false;
    out = out * 16 + static_cast<uint64_t>(d);
  }
  return true;
}

}  // namespace

bool UpdateStale(bool was_stale, int64_t lag_ms, uint64_t lag_bytes, const LagLimits& limits) {
  if (!was_stale) return Over(lag_ms, lag_bytes, limits.max_lag_ms, limits.max_lag_bytes);
  return Over(lag_ms, lag_bytes, limits.max_lag_ms / 2, limits.max_lag_bytes / 2);
}

ReadVerdict ServesRead(const ReplicaView& r, const ReadRequirement& need) {
  if (!r.reachable || r.down) return ReadVerdict::kUnavailable;
  if (need.max_lag_ms ? r.lag_ms > *need.max_lag_ms : r.stale) return ReadVerdict::kStale;
  if (r.position < need.min_position || r.behind_gtids) return ReadVerdict::kBehindSession;
  return ReadVerdict::kServes;
}

uint64_t ParsePgLsn(std::string_view text) {
  const size_t slash = text.find('/');
  uint64_t hi = 0, lo = 0;
  if (slash == std::string_view::npos || !ParseHex(text.substr(0, slash), hi) ||
      !ParseHex(text.substr(slash + 1), lo)) {
    return 0;
  }
  return (hi << 32) | lo;
}

}  // namespace switchyard::routing
