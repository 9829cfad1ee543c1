#include "routing/session_effects.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace switchyard::routing {
namespace {

using parser::SessionOp;
using parser::UtilityOp;

constexpr std::array<std::string_view, 9> kReported = {
    "application_name", "client_encoding", "datestyle", "intervalstyle", "timezone",
    "standard_conforming_strings", "integer_datetimes", "default_transaction_read_only",
    "in_hot_standby"};

constexpr std::array<std::string_view, 10> kTrackedUnreported = {
    "search_path",       "statement_timeout", "lock_timeout",
    "idle_in_transaction_session_timeout",    "extra_float_digits",
    "bytea_output",      "default_transaction_isolation",
    "work_mem",          "synchronous_commit", "row_security"};

constexpr std::array<std::string_view, 6> kSessionLockFunctions = {
    "pg_advisory_lock",       "pg_advisory_lock_shared", "pg_try_advisory_lock",
    "pg_try_advisory_lock_shared", "get_lock",           "set_config"};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& set, std::string_view name) {
  return std::find(set.begin(), set.end(), name) != set.end();
}

SessionEffect Pin(std::string reason) {
  return {SessionEffect::Kind::kPin, std::move(reason), "", ""};
}

SessionEffect FromSessionOp(const parser::Analysis& a, bool in_transaction) {
  const std::string& name = a.session_variable;
  switch (a.session_op) {
    case SessionOp::kSetLocal:
    case SessionOp::kNone:
      return {};
    case SessionOp::kSet:
    case SessionOp::kSetNames: {
      std::string param = a.session_op == SessionOp::kSetNames ? "client_encoding" : name;
      if (!IsTrackedParameter(param)) return Pin(fmt::format("SET {}", param));
      if (in_transaction && !IsReportedParameter(param)) {
        return Pin(fmt::format("SET {} inside a transaction block", param));
      }
      if (a.session_value == "default") {
        return {SessionEffect::Kind::kResetParameter, "", param, ""};
      }
      return {SessionEffect::Kind::kSetParameter, "", param, a.session_value};
    }
    case SessionOp::kReset:
      if (name == "all") return {SessionEffect::Kind::kResetAll, "", "", ""};
      if (!IsTrackedParameter(name)) return Pin(fmt::format("RESET {}", name));
      return {SessionEffect::Kind::kResetParameter, "", name, ""};
    case SessionOp::kDiscard:
      if (name == "all" || name.empty()) return {SessionEffect::Kind::kDiscardAll, "", "", ""};
      return {};
    case SessionOp::kSetRole:
      return Pin("SET ROLE / SET SESSION AUTHORIZATION");
    case SessionOp::kUse:
      return Pin("USE");
    case SessionOp::kUserVariable:
      return Pin("user variable");
  }
  return {};
}

}  // namespace

bool IsReportedParameter(std::string_view name) { return Contains(kReported, name); }

bool IsTrackedParameter(std::string_view name) {
  return IsReportedParameter(name) || Contains(kTrackedUnreported, name);
}

SessionEffect ClassifySessionEffect(const parser::Analysis& a, bool in_transaction) {
  if (a.creates_temp_table) return Pin("temporary table");
  if (a.with_hold_cursor) return Pin("WITH HOLD cursor");
  for (const std::string& f : a.functions) {
    if (Contains(kSessionLockFunctions, f)) return Pin(fmt::format("calls {}()", f));
  }
  switch (a.utility_op) {
    case UtilityOp::kListen:
      return Pin("LISTEN");
    case UtilityOp::kPrepare:
      return Pin("SQL-level PREPARE");
    case UtilityOp::kDeallocate:
      // DEALLOCATE ALL would also drop the proxy's server-side statements;
      // forgetting what the backend holds after any DEALLOCATE is always safe.
      return {SessionEffect::Kind::kDeallocateAll, "", "", ""};
    default:
      break;
  }
  return FromSessionOp(a, in_transaction);
}

}  // namespace switchyard::routing
