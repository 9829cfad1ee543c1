#include "routing/session_effects.h"

#include <algorithm>
#include <array>
#include <cctype>

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

constexpr std::array<std::string_view, 30> kMySqlTracked = {
    "names",                  "sql_mode",
    "time_zone",              "character_set_client",
    "character_set_connection", "character_set_results",
    "collation_connection",   "lc_time_names",
    "group_concat_max_len",   "sql_select_limit",
    "max_execution_time",     "max_statement_time",
    "wait_timeout",           "interactive_timeout",
    "net_read_timeout",       "net_write_timeout",
    "lock_wait_timeout",      "innodb_lock_wait_timeout",
    "transaction_isolation",  "tx_isolation",
    "transaction_read_only",  "tx_read_only",
    "foreign_key_checks",     "unique_checks",
    "sql_safe_updates",       "sql_auto_is_null",
    "div_precision_increment", "sql_big_selects",
    "big_tables",             "sql_quote_show_create"};

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

// "@@session.time_zone" → "time_zone"; "global..." names stay as they are.
std::string MySqlVariableName(std::string_view name) {
  if (name.substr(0, 2) == "@@") name.remove_prefix(2);
  for (std::string_view scope : {"session.", "local."}) {
    if (name.substr(0, scope.size()) == scope) name.remove_prefix(scope.size());
  }
  return std::string(name);
}

bool IsBareWord(std::string_view v) {
  if (v.empty()) return false;
  for (char c : v) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') return false;
  }
  return true;
}

std::string QuoteIfNeeded(std::string_view v) {
  if (IsBareWord(v)) return std::string(v);
  std::string out = "'";
  for (char c : v) {
    if (c == '\\' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

SessionEffect MySqlSet(const parser::Analysis& a) {
  const bool names = a.session_op == SessionOp::kSetNames;
  const std::string name = names ? "names" : MySqlVariableName(a.session_variable);
  if (name.substr(0, 7) == "global." || name.substr(0, 9) == "@@global.") return {};
  if (name == "autocommit") return {};
  const std::string& v = a.session_value;
  if (!IsTrackedMySqlVariable(name)) return Pin(fmt::format("SET {}", name));
  if (a.normalized.find(',') != std::string::npos || v.find('(') != std::string::npos ||
      v.find('@') != std::string::npos) {
    return Pin(fmt::format("SET {} with several assignments or a computed value", name));
  }
  if (!names && (v == "default" || v == "DEFAULT")) {
    return {SessionEffect::Kind::kResetParameter, "", name, ""};
  }
  std::string assignment;
  if (names) {
    const bool charset = a.session_variable == "character set";
    const std::string value = v.find(' ') != std::string::npos ? v : QuoteIfNeeded(v);
    assignment = fmt::format("{} {}", charset ? "CHARACTER SET" : "NAMES", value);
  } else {
    assignment = fmt::format("{}={}", name, QuoteIfNeeded(v));
  }
  return {SessionEffect::Kind::kSetParameter, "", name, std::move(assignment)};
}

SessionEffect ClassifyMySql(const parser::Analysis& a) {
  if (a.creates_temp_table) return Pin("temporary table");
  for (const std::string& f : a.functions) {
    if (Contains(kSessionLockFunctions, f)) return Pin(fmt::format("calls {}()", f));
  }
  switch (a.utility_op) {
    case UtilityOp::kLock:
      return Pin("LOCK TABLES");
    case UtilityOp::kPrepare:
      return Pin("SQL-level PREPARE");
    default:
      break;
  }
  switch (a.session_op) {
    case SessionOp::kSet:
    case SessionOp::kSetNames:
      return MySqlSet(a);
    case SessionOp::kUse:
      return {SessionEffect::Kind::kSetParameter, "", "database", a.session_value};
    case SessionOp::kUserVariable:
      return Pin("user variable");
    case SessionOp::kSetRole:
      return Pin("SET ROLE");
    case SessionOp::kNone:
    case SessionOp::kSetLocal:
    case SessionOp::kReset:
    case SessionOp::kDiscard:
      return {};
  }
  return {};
}

}  // namespace

bool IsTrackedMySqlVariable(std::string_view name) { return Contains(kMySqlTracked, name); }

bool IsReportedParameter(std::string_view name) { return Contains(kReported, name); }

bool IsTrackedParameter(std::string_view name) {
  return IsReportedParameter(name) || Contains(kTrackedUnreported, name);
}

SessionEffect ClassifySessionEffect(const parser::Analysis& a, bool in_transaction,
                                    parser::Dialect dialect) {
  if (dialect == parser::Dialect::kMySql) return ClassifyMySql(a);
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
