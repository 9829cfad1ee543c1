#include "config/validate.h"

#include <map>
#include <string>

#include "config/yaml_reader.h"

namespace switchyard::config {
namespace {

absl::Status Error(const std::string& path, const std::string& message) {
  return absl::InvalidArgumentError(path + ": " + message);
}

// Finds the first name seen twice in `items` (under `list`, e.g. "users").
template <typename T, typename NameFn>
absl::Status CheckUnique(const std::vector<T>& items, const std::string& list,
                         std::string_view what, NameFn name_of) {
  std::map<std::string, size_t> first_seen;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string name = name_of(items[i]);
    auto [it, inserted] = first_seen.emplace(name, i);
    if (!inserted) {
      return Error(JoinPath(ItemPath(list, i), "name"), "duplicate " + std::string(what) + " \"" +
                                                            name + "\" (first at " +
                                                            ItemPath(list, it->second) + ")");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckClusters(const Config& config) {
  if (absl::Status s = CheckUnique(config.clusters, "clusters", "cluster name",
                                   [](const Cluster& c) { return c.name; });
      !s.ok()) {
    return s;
  }
  for (size_t i = 0; i < config.clusters.size(); ++i) {
    const Cluster& c = config.clusters[i];
    std::vector<Server> servers = {c.primary};
    servers.insert(servers.end(), c.replicas.begin(), c.replicas.end());
    std::map<std::string, size_t> seen;
    for (size_t j = 0; j < servers.size(); ++j) {
      std::string where = j == 0 ? JoinPath(ItemPath("clusters", i), "primary")
                                 : ItemPath(JoinPath(ItemPath("clusters", i), "replicas"), j - 1);
      if (!seen.emplace(servers[j].name, j).second) {
        return Error(JoinPath(where, "name"), "duplicate server name \"" + servers[j].name +
                                                  "\" in cluster \"" + c.name + "\"");
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckListeners(const Config& config) {
  if (config.listeners.empty()) return Error("listeners", "at least one listener is required");
  if (absl::Status s = CheckUnique(config.listeners, "listeners", "listener name",
                                   [](const Listener& l) { return l.name; });
      !s.ok()) {
    return s;
  }
  std::map<std::string, size_t> endpoints;
  for (size_t i = 0; i < config.listeners.size(); ++i) {
    const Listener& l = config.listeners[i];
    std::string path = ItemPath("listeners", i);
    std::string endpoint = l.address + ":" + std::to_string(l.port);
    auto [it, inserted] = endpoints.emplace(endpoint, i);
    if (!inserted) {
      return Error(JoinPath(path, "port"),
                   endpoint + " is already used by " + ItemPath("listeners", it->second));
    }
    const Cluster* cluster = config.FindCluster(l.cluster);
    if (cluster == nullptr) {
      return Error(JoinPath(path, "cluster"), "no cluster named \"" + l.cluster + "\"");
    }
    if (cluster->protocol != l.protocol) {
      return Error(JoinPath(path, "protocol"),
                   "listener speaks " + std::string(ToString(l.protocol)) + " but cluster \"" +
                       l.cluster + "\" is " + ToString(cluster->protocol));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateConfig(const Config& config) {
  if (absl::Status s = CheckClusters(config); !s.ok()) return s;
  if (absl::Status s = CheckListeners(config); !s.ok()) return s;
  if (absl::Status s =
          CheckUnique(config.users, "users", "user", [](const User& u) { return u.name; });
      !s.ok()) {
    return s;
  }
  return CheckUnique(config.databases, "databases", "database",
                     [](const Database& d) { return d.name; });
}

}  // namespace switchyard::config
