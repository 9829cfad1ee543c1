#include "proxy/shared_state.h"

#include <fmt/format.h>
#include <openssl/rand.h>

#include <array>
#include <cctype>

namespace switchyard::proxy {
namespace {

std::string RandomBytes(size_t n) {
  std::string s(n, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(s.data()), static_cast<int>(n));
  return s;
}

absl::StatusOr<pg::ScramSecret> SecretOf(const config::User& u) {
  if (pg::IsScramVerifier(u.password)) return pg::ParseScramVerifier(u.password);
  return pg::DeriveScramSecret(u.password, RandomBytes(16), pg::kScramDefaultIterations);
}

std::unique_ptr<ServerState> MakeServer(const config::Server& s, bool primary) {
  auto st = std::make_unique<ServerState>();
  st->server = s;
  st->is_primary = primary;
  st->label = fmt::format("{} ({}:{})", s.name, s.host, s.port);
  st->role = static_cast<int>(primary ? ServerRole::kPrimary : ServerRole::kReplica);
  return st;
}

}  // namespace

const char* ToString(ServerRole r) {
  switch (r) {
    case ServerRole::kUnknown:
      return "unknown";
    case ServerRole::kPrimary:
      return "primary";
    case ServerRole::kReplica:
      return "replica";
  }
  return "?";
}

absl::StatusOr<ServerState*> ClusterState::CurrentPrimary() const {
  ServerState* found = nullptr;
  for (ServerState* s : servers) {
    if (!s->ActsAsPrimary() || !s->reachable.load(std::memory_order_relaxed)) continue;
    if (found != nullptr) {
      return absl::FailedPreconditionError(fmt::format(
          "writes refused: both {} and {} claim to be the primary; switchyard will not write "
          "until one of them steps down",
          found->label, s->label));
    }
    found = s;
  }
  return found != nullptr ? found : primary.get();
}

void ClusterState::RecordPrimaryPosition(uint64_t position, int64_t now_ms) {
  std::lock_guard lock(history_mu_);
  if (!primary_history_.empty() && primary_history_.back().first >= position) {
    if (primary_history_.back().first > position) primary_history_.clear();  // failover
    else return;
  }
  primary_history_.emplace_back(position, now_ms);
  while (primary_history_.size() > 4096) primary_history_.pop_front();
}

int64_t ClusterState::LagMsAt(uint64_t replica_position, int64_t now_ms) const {
  std::lock_guard lock(history_mu_);
  for (const auto& [position, at_ms] : primary_history_) {
    if (position > replica_position) return now_ms - at_ms;
  }
  return 0;
}

int64_t SteadyNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::vector<std::string> ServerListingColumns() {
  return {"cluster", "server",    "host",     "port",        "role",
          "reachable", "down",    "stale",    "lag_ms",      "lag_bytes",
          "position",  "outstanding", "transactions", "reads", "rtt_us"};
}

std::vector<std::vector<std::string>> ServerListingRows(const ClusterState& c) {
  std::vector<std::vector<std::string>> rows;
  const int64_t now = SteadyNowMs();
  const bool pg = c.cluster.protocol == config::Protocol::kPostgres;
  for (const ServerState* s : c.servers) {
    const uint64_t position = s->position.load();
    rows.push_back(
        {c.cluster.name, s->server.name, s->server.host, std::to_string(s->server.port),
         ToString(s->Role()), s->reachable ? "yes" : "no",
         s->down_until_ms.load() > now ? "yes" : "no", s->stale ? "yes" : "no",
         std::to_string(s->lag_ms.load()), std::to_string(s->lag_bytes.load()),
         pg ? fmt::format("{:X}/{:X}", position >> 32, position & 0xffffffff)
            : routing::FormatGtidList(s->gtid.Snapshot()),
         std::to_string(s->outstanding.load()), std::to_string(s->transactions.load()),
         std::to_string(s->reads.load()), std::to_string(s->rtt_us.load())});
  }
  return rows;
}

SharedState::SharedState(std::shared_ptr<const config::Config> config,
                         std::shared_ptr<spdlog::logger> log)
    : config_(std::move(config)), log_(std::move(log)) {
  for (const config::Cluster& c : config_->clusters) {
    auto cs = std::make_unique<ClusterState>();
    cs->cluster = c;
    cs->primary = MakeServer(c.primary, true);
    for (const config::Server& r : c.replicas) cs->replicas.push_back(MakeServer(r, false));
    cs->servers.push_back(cs->primary.get());
    for (auto& r : cs->replicas) cs->servers.push_back(r.get());
    clusters_.push_back(std::move(cs));
  }
  mock_scram_key_ = RandomBytes(32);
  for (const config::User& u : config_->users) {
    if (u.auth == config::AuthMethod::kScramSha256) scram_secrets_.emplace(u.name, SecretOf(u));
  }
  for (const config::Listener& l : config_->listeners) {
    if (l.protocol != config::Protocol::kMySql || mysql_rsa_key_) continue;
    auto key = mysql::RsaPrivateKey::Generate();
    if (key.ok()) {
      mysql_rsa_key_ = std::move(*key);
    } else {
      log_->warn("no RSA key for caching_sha2_password full authentication: {}",
                 key.status().message());
    }
  }
}

absl::StatusOr<const pg::ScramSecret*> SharedState::ScramSecretFor(const std::string& user) const {
  auto it = scram_secrets_.find(user);
  if (it == scram_secrets_.end()) return absl::NotFoundError("user has no SCRAM secret");
  if (!it->second.ok()) return it->second.status();
  return &*it->second;
}

ClusterState* SharedState::cluster(const std::string& name) {
  for (auto& c : clusters_) {
    if (c->cluster.name == name) return c.get();
  }
  return nullptr;
}

PoolShared& SharedState::pool_shared(const PoolKey& key) {
  std::lock_guard lock(pools_mu_);
  auto& slot = pools_[key];
  if (!slot) slot = std::make_unique<PoolShared>();
  return *slot;
}

bool SharedState::AdmitClient(const std::string& user, int per_user_limit) {
  const int max_total = config_->max_client_connections;
  if (max_total > 0 && clients_.fetch_add(1) >= max_total) {
    clients_.fetch_sub(1);
    return false;
  }
  if (max_total <= 0) clients_.fetch_add(1);
  std::lock_guard lock(users_mu_);
  int& n = clients_per_user_[user];
  if (per_user_limit > 0 && n >= per_user_limit) {
    clients_.fetch_sub(1);
    return false;
  }
  ++n;
  return true;
}

void SharedState::ReleaseClient(const std::string& user) {
  clients_.fetch_sub(1);
  std::lock_guard lock(users_mu_);
  auto it = clients_per_user_.find(user);
  if (it != clients_per_user_.end() && --it->second == 0) clients_per_user_.erase(it);
}

bool SharedState::Sha2CacheHas(const std::string& user, const std::string& entry) const {
  std::lock_guard lock(sha2_mu_);
  auto it = sha2_cache_.find(user);
  return it != sha2_cache_.end() && it->second == entry;
}

void SharedState::Sha2CachePut(const std::string& user, std::string entry) {
  std::lock_guard lock(sha2_mu_);
  sha2_cache_[user] = std::move(entry);
}

void SharedState::RegisterCancel(int32_t pid, int32_t secret, std::weak_ptr<void> session,
                                 CancelFn fn) {
  std::lock_guard lock(cancel_mu_);
  cancel_.insert_or_assign(CancelKey(pid, secret), CancelEntry{std::move(session), fn});
}

void SharedState::UnregisterCancel(int32_t pid, int32_t secret) {
  std::lock_guard lock(cancel_mu_);
  cancel_.erase(CancelKey(pid, secret));
}

bool SharedState::Cancel(int32_t pid, int32_t secret) {
  std::shared_ptr<void> session;
  CancelFn fn = nullptr;
  {
    std::lock_guard lock(cancel_mu_);
    auto it = cancel_.find(CancelKey(pid, secret));
    if (it == cancel_.end()) return false;
    session = it->second.session.lock();
    fn = it->second.fn;
  }
  if (session) fn(std::move(session));  // a session already gone has nothing to cancel
  return true;
}

}  // namespace switchyard::proxy
