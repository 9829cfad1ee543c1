#include "config/config.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config/decode.h"
#include "config/enums.h"
#include "config/validate.h"

namespace switchyard::config {
namespace {

template <typename E, size_t N>
const char* NameOf(const EnumName<E> (&names)[N], E value) {
  for (const auto& [name, v] : names) {
    if (v == value) return name.data();  // the literals are NUL-terminated
  }
  return "unknown";
}

template <typename T>
const T* FindByName(const std::vector<T>& items, const std::string& name) {
  for (const T& item : items) {
    if (item.name == name) return &item;
  }
  return nullptr;
}

}  // namespace

const Cluster* Config::FindCluster(const std::string& name) const {
  return FindByName(clusters, name);
}
const User* Config::FindUser(const std::string& name) const { return FindByName(users, name); }
const Database* Config::FindDatabase(const std::string& name) const {
  return FindByName(databases, name);
}

PoolSettings Config::EffectivePool(const std::string& user, const std::string& database) const {
  PoolSettings effective = pool;
  if (const User* u = FindUser(user)) {
    if (u->pool_mode) effective.pool_mode = *u->pool_mode;
    if (u->pool_size) effective.pool_size = *u->pool_size;
    if (u->max_client_connections) effective.max_client_connections = *u->max_client_connections;
  }
  if (const Database* d = FindDatabase(database)) {
    if (d->pool_mode) effective.pool_mode = *d->pool_mode;
    if (d->pool_size) effective.pool_size = *d->pool_size;
  }
  return effective;
}

absl::StatusOr<Config> ParseConfig(const std::string& yaml_text) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    std::string where = e.mark.is_null() ? ""
                                         : " at line " + std::to_string(e.mark.line + 1) +
                                               ", column " + std::to_string(e.mark.column + 1);
    return absl::InvalidArgumentError("YAML syntax error" + where + ": " + e.msg);
  }
  try {
    absl::StatusOr<Config> config = DecodeConfig(root);
    if (!config.ok()) return config.status();
    if (absl::Status status = ValidateConfig(*config); !status.ok()) return status;
    return config;
  } catch (const YAML::Exception& e) {  // defensive: the decoder avoids throwing calls
    return absl::InvalidArgumentError(std::string("invalid configuration: ") + e.what());
  }
}

absl::StatusOr<Config> LoadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    std::string message = "cannot read config file " + path + ": " + std::strerror(err);
    if (err == EACCES) return absl::PermissionDeniedError(message);
    return absl::NotFoundError(message);
  }
  std::ostringstream text;
  text << in.rdbuf();
  absl::StatusOr<Config> config = ParseConfig(text.str());
  if (!config.ok()) {
    return absl::InvalidArgumentError(path + ": " + std::string(config.status().message()));
  }
  return config;
}

const char* ToString(Protocol p) { return NameOf(kProtocolNames, p); }
const char* ToString(PoolMode m) { return NameOf(kPoolModeNames, m); }
const char* ToString(AuthMethod a) { return NameOf(kAuthMethodNames, a); }
const char* ToString(BalancePolicy b) { return NameOf(kBalancePolicyNames, b); }

}  // namespace switchyard::config
