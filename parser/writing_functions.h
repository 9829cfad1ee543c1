// The built-in list of functions that write or take locks (a call makes a
// statement not read-only), and matching a called function against a list.
// An entry ending in '*' matches by prefix.
#pragma once

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

// MatchesWritingEntry against any entry of kDefaultWritingFunctions, trying
// only the entries that start with name's first byte.
bool IsDefaultWritingFunction(std::string_view name);

}  // namespace switchyard::parser
