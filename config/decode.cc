#include "config/decode.h"

#include <cctype>
#include <string>
#include <utility>

#include "config/yaml_reader.h"

namespace switchyard::config {
namespace {

constexpr int kMaxPoolSize = 10'000;
constexpr int kMaxConnections = 1'000'000;
constexpr uint64_t kKiB = 1024;

// The shapes PostgreSQL stores in pg_authid; the proxy accepts them in place
// of a plaintext password.
bool IsScramVerifier(std::string_view s) { return s.starts_with("SCRAM-SHA-256$"); }
bool IsMd5Hash(std::string_view s) {
  if (s.size() != 35 || !s.starts_with("md5")) return false;
  return s.find_first_not_of("0123456789abcdef", 3) == std::string_view::npos;
}

// Decodes one list item into T with `decode(reader, &item)`, appending it.
template <typename T, typename Fn>
MapReader::NodeFn Into(std::vector<T>* out, Fn decode) {
  return [out, decode](const YAML::Node& node, const std::string& path) {
    MapReader r(node, path);
    T item;
    decode(r, item);
    absl::Status status = r.Finish();
    if (status.ok()) out->push_back(std::move(item));
    return status;
  };
}

MapReader::NodeFn ServerInto(Server* out, std::string default_name) {
  return [out, default_name](const YAML::Node& node, const std::string& path) {
    MapReader r(node, path);
    out->name = default_name;
    r.String("name", &out->name);
    r.String("host", &out->host, Need::kRequired);
    r.Port("port", &out->port, Need::kRequired);
    r.Int("weight", &out->weight, 0, 1000);
    return r.Finish();
  };
}

MapReader::NodeFn FreshnessInto(Freshness* f) {
  return [f](const YAML::Node& node, const std::string& path) {
    MapReader r(node, path);
    r.DurationMs("max_replica_lag", &f->max_replica_lag_ms);
    uint32_t bytes = static_cast<uint32_t>(f->max_replica_lag_bytes);
    r.SizeBytes("max_replica_lag_bytes", &bytes, 0, kKiB * kKiB * kKiB * 3);
    f->max_replica_lag_bytes = bytes;
    r.Bool("read_your_writes", &f->read_your_writes);
    r.DurationMs("read_your_writes_wait", &f->read_your_writes_wait_ms);
    r.Int("max_primary_read_percent", &f->max_primary_read_percent, 0, 100);
    return r.Finish();
  };
}

MapReader::NodeFn MonitorInto(Monitor* m) {
  return [m](const YAML::Node& node, const std::string& path) {
    MapReader r(node, path);
    r.DurationMs("interval", &m->interval_ms);
    r.String("user", &m->user);
    r.String("password", &m->password);
    r.String("database", &m->database);
    return r.Finish();
  };
}

void DecodeCluster(MapReader& r, Cluster& c) {
  r.String("name", &c.name, Need::kRequired);
  r.Enum("protocol", &c.protocol, kProtocolNames, Need::kRequired);
  r.Enum("balance", &c.balance, kBalancePolicyNames);
  r.Section("primary", ServerInto(&c.primary, "primary"), Need::kRequired);
  r.Section("freshness", FreshnessInto(&c.freshness));
  r.Section("monitor", MonitorInto(&c.monitor));
  r.List("replicas", [&c](const YAML::Node& node, const std::string& path) {
    Server replica;
    absl::Status status =
        ServerInto(&replica, "replica" + std::to_string(c.replicas.size() + 1))(node, path);
    if (status.ok()) c.replicas.push_back(std::move(replica));
    return status;
  });
}

void DecodeListener(MapReader& r, Listener& l) {
  r.String("name", &l.name, Need::kRequired);
  r.Enum("protocol", &l.protocol, kProtocolNames, Need::kRequired);
  r.String("address", &l.address);
  r.Port("port", &l.port, Need::kRequired);
  r.String("cluster", &l.cluster, Need::kRequired);
}

// Rules about one user's password that need nothing else to check.
absl::Status CheckPassword(const User& u, const std::string& path, const YAML::Node& node) {
  std::string where = JoinPath(path, "password");
  bool secret_needed = u.auth != AuthMethod::kTrust;
  if (secret_needed && u.password.empty()) {
    return ErrorAt(where, node, "required unless auth is trust");
  }
  if (IsScramVerifier(u.password) && u.auth != AuthMethod::kScramSha256 &&
      u.auth != AuthMethod::kTrust) {
    return ErrorAt(where, node, "a SCRAM verifier can only check auth: scram-sha-256");
  }
  if (IsMd5Hash(u.password) && u.auth != AuthMethod::kMd5 && u.auth != AuthMethod::kTrust) {
    return ErrorAt(where, node, "an md5 hash can only check auth: md5");
  }
  if (IsScramVerifier(u.password) && !u.backend_password) {
    return ErrorAt(where, node,
                   "is a SCRAM verifier, which cannot log in to a backend: set backend_password");
  }
  return absl::OkStatus();
}

absl::Status DecodeUser(const YAML::Node& node, const std::string& path, std::vector<User>* out) {
  MapReader r(node, path);
  User u;
  r.String("name", &u.name, Need::kRequired);
  r.String("password", &u.password);
  r.Enum("auth", &u.auth, kAuthMethodNames);
  r.OptionalString("backend_user", &u.backend_user);
  r.OptionalString("backend_password", &u.backend_password);
  r.OptionalEnum("pool_mode", &u.pool_mode, kPoolModeNames);
  r.OptionalInt("pool_size", &u.pool_size, 1, kMaxPoolSize);
  r.OptionalInt("max_client_connections", &u.max_client_connections, 0, kMaxConnections);
  if (absl::Status status = r.Finish(); !status.ok()) return status;
  if (absl::Status status = CheckPassword(u, path, node); !status.ok()) return status;
  out->push_back(std::move(u));
  return absl::OkStatus();
}

void DecodeDatabase(MapReader& r, Database& d) {
  r.String("name", &d.name, Need::kRequired);
  r.OptionalEnum("pool_mode", &d.pool_mode, kPoolModeNames);
  r.OptionalInt("pool_size", &d.pool_size, 1, kMaxPoolSize);
}

MapReader::NodeFn PoolInto(PoolSettings* p) {
  return [p](const YAML::Node& node, const std::string& path) {
    MapReader r(node, path);
    r.Enum("pool_mode", &p->pool_mode, kPoolModeNames);
    r.Int("pool_size", &p->pool_size, 1, kMaxPoolSize);
    r.Int("max_client_connections", &p->max_client_connections, 0, kMaxConnections);
    return r.Finish();
  };
}

MapReader::NodeFn TimeoutsInto(Config* c) {
  return [c](const YAML::Node& node, const std::string& path) {
    MapReader r(node, path);
    r.DurationMs("queue", &c->queue_timeout_ms);
    r.DurationMs("connect", &c->connect_timeout_ms);
    r.DurationMs("server_idle", &c->server_idle_timeout_ms);
    r.DurationMs("server_lifetime", &c->server_lifetime_ms);
    r.DurationMs("client_login", &c->client_login_timeout_ms);
    r.DurationMs("shutdown", &c->shutdown_timeout_ms);
    return r.Finish();
  };
}

MapReader::NodeFn LimitsInto(Config* c) {
  return [c](const YAML::Node& node, const std::string& path) {
    MapReader r(node, path);
    r.Int("max_client_connections", &c->max_client_connections, 0, kMaxConnections);
    r.SizeBytes("max_message_size", &c->max_message_bytes, kKiB, kKiB * kKiB * kKiB);
    r.SizeBytes("max_startup_packet_size", &c->max_startup_packet_bytes, kKiB, kKiB * kKiB);
    return r.Finish();
  };
}

}  // namespace

absl::StatusOr<Config> DecodeConfig(const YAML::Node& root) {
  Config c;
  MapReader r(root, "");
  r.Int("workers", &c.workers, 0, 1024);
  int level = 0;  // only checks the spelling; Config keeps the name
  r.Enum("log_level", &level, kLogLevelNames);
  r.String("log_level", &c.log_level);
  r.Section("pool", PoolInto(&c.pool));
  r.Section("timeouts", TimeoutsInto(&c));
  r.Section("limits", LimitsInto(&c));
  r.StringList("writing_functions", &c.writing_functions);
  for (std::string& name : c.writing_functions) {  // parser::Options wants lower case
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  r.Bool("allow_load_data_local", &c.allow_load_data_local);
  r.List("clusters", Into(&c.clusters, DecodeCluster));
  r.List("listeners", Into(&c.listeners, DecodeListener));
  r.List("users", [&c](const YAML::Node& node, const std::string& path) {
    return DecodeUser(node, path, &c.users);
  });
  r.List("databases", Into(&c.databases, DecodeDatabase));
  if (absl::Status status = r.Finish(); !status.ok()) return status;
  return c;
}

}  // namespace switchyard::config
