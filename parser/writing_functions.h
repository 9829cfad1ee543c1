// The built-in list of functions that write or take locks (a call makes a
// statement not read-only), and matching a called function against a list.
// An entry ending in '*' matches by prefix.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace switchyard::parser {

inline constexpr std::string_view kDefaultWritingFunctions[] = {
    "nextval", "setval", "lastval", "currval",
    "pg_advisory_lock*", "pg_advisory_xact_lock*", "pg_advisory_unlock*",
    "pg_try_advisory_lock*", "pg_try_advisory_xact_lock*",
    "set_config", "pg_notify", "txid_current", "pg_current_xact_id",
    "lo_create", "lo_creat", "lo_import", "lo_unlink", "lo_put",
    "lo_from_bytea", "dblink_exec", "pg_terminate_backend",
    "pg_cancel_backend", "pg_reload_conf", "pg_switch_wal",
    "pg_create_restore_point", "pg_logical_emit_message",
    "get_lock", "release_lock", "release_all_locks", "last_insert_id",
    // Session-dependent results: must run where the previous statement ran.
    "found_rows", "row_count",
    "uuid_short", "sleep", "benchmark"};

// `name` (lower case) matches `entry`: equal, or a prefix entry "abc*".
bool MatchesWritingEntry(std::string_view name, std::string_view entry);

namespace writing_internal {

// For each first byte, the name lengths (bit min(length, 31)) that an entry
// of kDefaultWritingFunctions can match: most calls (now(), count(), …)
// are ruled out by one load and a shift, without the out-of-line lookup.
constexpr std::array<uint32_t, 256> BuildLengths() {
  std::array<uint32_t, 256> lengths{};
  for (std::string_view e : kDefaultWritingFunctions) {
    uint32_t& bits = lengths[static_cast<uint8_t>(e[0])];
    if (e.back() == '*') {
      for (size_t n = e.size() - 1; n < 32; ++n) bits |= uint32_t{1} << n;
    } else {
      bits |= uint32_t{1} << (e.size() < 31 ? e.size() : 31);
    }
  }
  return lengths;
}
inline constexpr std::array<uint32_t, 256> kLengths = BuildLengths();

bool IsDefaultWritingFunctionSlow(std::string_view name);

}  // namespace writing_internal

// MatchesWritingEntry against any entry of kDefaultWritingFunctions, trying
// only the entries that start with name's first byte.
inline bool IsDefaultWritingFunction(std::string_view name) {
  if (name.empty()) return false;
  const size_t n = name.size() < 31 ? name.size() : 31;
  if ((writing_internal::kLengths[static_cast<uint8_t>(name[0])] >> n & 1) == 0) return false;
  return writing_internal::IsDefaultWritingFunctionSlow(name);
}

}  // namespace switchyard::parser
