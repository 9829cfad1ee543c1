// MariaDB GTID positions: parsing, merging and the read-your-writes test.
//
// A MariaDB GTID is domain-server-sequence ("0-1-42"); a position is a list
// of them, one per replication domain ("0-1-42,1-2-7"), as in
// @@gtid_binlog_pos, @@gtid_slave_pos, @@gtid_current_pos or a session's
// @@last_gtid. Within one domain sequence numbers only grow, whatever server
// wrote them, so "has replayed" is a comparison of sequence numbers per
// domain; domains are independent of each other.
//
// Pure values and functions; no locks, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"

namespace switchyard::routing {

struct Gtid {
  uint32_t domain = 0;
  uint32_t server = 0;
  uint64_t seq = 0;
  bool operator==(const Gtid&) const = default;
};

// At most one GTID per domain (the highest sequence), sorted by domain.
using GtidList = std::vector<Gtid>;

// "0-1-42,1-2-7" (spaces and newlines around entries allowed, as MariaDB
// prints long lists). Empty text is an empty list. Several entries of one
// domain keep the highest sequence. Error on anything else (MySQL's
// uuid:interval sets included).
absl::StatusOr<GtidList> ParseGtidList(std::string_view text);

// "0-1-42,1-2-7"; empty for an empty list.
std::string FormatGtidList(const GtidList& list);

// Adds `more` to `into`: per domain, the higher sequence wins.
void MergeGtids(GtidList& into, const GtidList& more);

// Whether a server whose position has `replayed_seq(domain)` (nullopt: the
// domain is unknown to it) has replayed every GTID of `required`: for each
// domain of `required`, its sequence is at least the required one. An empty
// requirement is always met.
bool GtidCovers(const GtidList& required,
                absl::FunctionRef<std::optional<uint64_t>(uint32_t domain)> replayed_seq);
bool GtidCovers(const GtidList& required, const GtidList& replayed);

// The sum of the sequences of all domains: grows with every transaction in
// any domain, so one number can stand for the position in lag arithmetic
// (lag in transactions = primary's sum - replica's sum).
uint64_t GtidSeqSum(const GtidList& list);

}  // namespace switchyard::routing
