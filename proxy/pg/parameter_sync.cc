#include "proxy/pg/parameter_sync.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace switchyard::pg {
namespace {

constexpr std::array<std::string_view, 8> kReadOnlyReported = {
    "server_version", "server_encoding", "integer_datetimes", "is_superuser",
    "session_authorization", "in_hot_standby", "scram_iterations", "default_transaction_read_only"};

bool IsReadOnlyReported(std::string_view name) {
  return std::find(kReadOnlyReported.begin(), kReadOnlyReported.end(), name) !=
         kReadOnlyReported.end();
}

bool IsReported(std::string_view name) {
  return IsReadOnlyReported(name) || name == "application_name" || name == "client_encoding" ||
         name == "datestyle" || name == "intervalstyle" || name == "timezone" ||
         name == "standard_conforming_strings";
}

}  // namespace

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsConnectionParameter(std::string_view name) {
  return name == "user" || name == "database" || name == "replication" || name == "options" ||
         IsReadOnlyReported(name);
}

std::string QuoteLiteral(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

ParameterMap& SessionParameters::Mutable() {
  if (map_.use_count() > 1) map_ = std::make_shared<const ParameterMap>(*map_);
  // The map is ours alone now (no other SessionParameters shares it).
  return const_cast<ParameterMap&>(*map_);
}

void SessionParameters::Set(const std::string& name, std::string_view value) {
  auto it = map_->find(name);
  if (it != map_->end() && it->second == value) return;
  Mutable()[name] = std::string(value);
}

void SessionParameters::Erase(const std::string& name) {
  if (map_->find(name) == map_->end()) return;
  Mutable().erase(name);
}

void SessionParameters::Intern(const SessionParameters& other) {
  if (map_ != other.map_ && *map_ == *other.map_) map_ = other.map_;
}

std::string BuildParameterSync(const ParameterMap& wanted, ParameterMap& backend) {
  std::vector<std::string> sets;
  std::vector<std::string> resets;
  for (const auto& [name, value] : wanted) {
    if (IsConnectionParameter(name)) continue;
    auto it = backend.find(name);
    if (it != backend.end() && it->second == value) continue;
    sets.push_back("pg_catalog.set_config(" + QuoteLiteral(name) + ", " + QuoteLiteral(value) +
                   ", false)");
    backend[name] = value;
  }
  for (auto it = backend.begin(); it != backend.end();) {
    if (!IsReported(it->first) && wanted.find(it->first) == wanted.end()) {
      resets.push_back("RESET " + it->first);
      it = backend.erase(it);
    } else {
      ++it;
    }
  }
  std::string sql;
  if (!sets.empty()) {
    sql = "SELECT ";
    for (size_t i = 0; i < sets.size(); ++i) {
      if (i > 0) sql += ", ";
      sql += sets[i];
    }
  }
  for (const std::string& r : resets) {
    if (!sql.empty()) sql += "; ";
    sql += r;
  }
  return sql;
}

}  // namespace switchyard::pg
