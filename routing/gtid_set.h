// MySQL (Oracle) GTID sets: parsing, union, and the read-your-writes test.
//
// A MySQL GTID is source_uuid:transaction_id; a GTID set lists, per source
// UUID, intervals of transaction ids:
//   3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:11-18,
//   2174B383-5441-11E8-B90A-C80AA9429562:1-3
// as @@global.gtid_executed prints it (newlines after commas) or as the OK
// packet's SESSION_TRACK_GTIDS entry carries it. Unlike MariaDB's domains
// (routing/gtid.h), the ids of one source are not necessarily applied in
// order (a multi-threaded applier leaves gaps), so "has replayed" is set
// containment, not a comparison of one number per source.
//
// Tagged GTIDs of MySQL 8.3+ (uuid:tag:1-5) are not understood: parsing them
// fails, so the caller treats the set as not comparable (the read goes to
// the primary, which is always fresh).
//
// Pure values and functions; no locks, no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace switchyard::routing {

using SourceUuid = std::array<uint8_t, 16>;

// Transaction ids first..last, both included; 1 <= first <= last.
struct GtidInterval {
  uint64_t first = 0;
  uint64_t last = 0;
  bool operator==(const GtidInterval&) const = default;
};

struct GtidSource {
  SourceUuid uuid{};
  // Sorted, disjoint and not adjacent (1-5 and 6-9 are kept as 1-9), never
  // empty: so an interval of another set is contained in this source if and
  // only if it lies within one of these.
  std::vector<GtidInterval> intervals;
  bool operator==(const GtidSource&) const = default;
};

// Sources sorted by UUID, one entry per UUID.
struct GtidSet {
  std::vector<GtidSource> sources;
  bool empty() const { return sources.empty(); }
  bool operator==(const GtidSet&) const = default;
};

// Parses a GTID set as MySQL accepts it: whitespace around the separators,
// UUIDs in either case, empty text (or only commas) as the empty set, a UUID
// without intervals as nothing. Transaction ids are 1..2^63-1. Error
// (InvalidArgument) on anything else; Unimplemented for tagged GTIDs.
absl::StatusOr<GtidSet> ParseGtidSet(std::string_view text);

// "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:11-18,2174b383-...:1-3"
// (lower case, no spaces); empty for the empty set.
std::string FormatGtidSet(const GtidSet& set);

// Adds every transaction of `more` to `into`.
void AddGtidSet(GtidSet& into, const GtidSet& more);

// Whether `executed` holds every transaction of `required` (a replica whose
// @@global.gtid_executed is `executed` has replayed the session's commits).
// The empty requirement is always met.
bool GtidSetContains(const GtidSet& executed, const GtidSet& required);

// The number of transactions in the set (saturating): it grows with every
// transaction, so it can stand for the position in lag arithmetic.
uint64_t GtidSetCount(const GtidSet& set);

// Keeps at most `max_intervals` intervals per source by joining the lowest
// ones across their gaps. The set only grows, so as a requirement it becomes
// stricter, never weaker: a session that keeps writing while others write
// too keeps a bounded requirement (the gaps are the others' transactions,
// which a replica applying in order has long replayed).
void CompactGtidSet(GtidSet& set, size_t max_intervals);

}  // namespace switchyard::routing
