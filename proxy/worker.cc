#include "proxy/worker.h"

#include <algorithm>

namespace switchyard::proxy {
namespace {

constexpr size_t kMaxCachedStatements = 20000;
constexpr size_t kMinCachedLength = 512;

}  // namespace

Worker::Worker(SharedState& shared, int index, std::vector<Worker*>& peers)
    : shared_(shared), index_(index), peers_(peers), io_(1), work_(io_.get_executor()) {
  parser_options_.writing_functions = shared.config().writing_functions;
}

Worker::~Worker() { Join(); }

void Worker::Start() {
  asio::co_spawn(io_, Housekeeping(), asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

void Worker::Join() {
  if (thread_.joinable()) thread_.join();
}

PgPool& Worker::Pool(const PoolKey& key, const BackendCredentials& credentials, int max_size) {
  auto it = pools_.find(key);
  if (it == pools_.end()) {
    AddPool(key, std::make_unique<PgPool>(io_.get_executor(), shared_, key, credentials, max_size,
                                          [this] { return NextId(); }));
    it = pools_.find(key);
  }
  // A key's server belongs to a PostgreSQL cluster: its pool is a PgPool.
  return static_cast<PgPool&>(*it->second);
}

MyPool& Worker::MySqlPool(const PoolKey& key, const MyCredentials& credentials, int max_size) {
  auto it = pools_.find(key);
  if (it == pools_.end()) {
    AddPool(key, std::make_unique<MyPool>(io_.get_executor(), shared_, key, credentials, max_size,
                                          [this] { return NextId(); }));
    it = pools_.find(key);
  }
  // A key's server belongs to a MySQL cluster: its pool is a MyPool.
  return static_cast<MyPool&>(*it->second);
}

void Worker::AddPool(const PoolKey& key, std::unique_ptr<PoolBase> pool) {
  pool->on_starved = [this](const PoolKey& k) {
    for (Worker* peer : peers_) {
      if (peer != this) peer->Post([peer, k] { peer->TrimIdleFor(k); });
    }
  };
  pool->on_slot_freed = [this](const PoolKey& k) { WakePeers(k); };
  pools_.emplace(key, std::move(pool));
}

void Worker::TrimIdleFor(const PoolKey& key) {
  auto it = pools_.find(key);
  if (it != pools_.end() && it->second->TrimOneIdle()) WakePeers(key);
}

void Worker::WakePeers(const PoolKey& key) {
  for (Worker* peer : peers_) {
    if (peer == this) continue;
    peer->Post([peer, key] {
      auto p = peer->pools_.find(key);
      if (p != peer->pools_.end()) p->second->WakeOne();
    });
  }
}

std::shared_ptr<const AnalysisList> Worker::Analyze(std::string_view sql,
                                                    parser::Dialect dialect) {
  // Short statements are parsed afresh (well under a microsecond): texts that
  // differ only in literals would otherwise fill the cache with one-off
  // entries that cost more to insert than to parse. The pool refills results
  // that sessions have released, so this allocates nothing once warm.
  if (sql.size() < kMinCachedLength) {
    return analysis_pool_.Analyze(sql, dialect, parser_options_);
  }
  auto& cache = cache_[dialect == parser::Dialect::kPostgres ? 0 : 1];
  auto it = cache.find(absl::string_view(sql.data(), sql.size()));
  if (it != cache.end()) return it->second;
  auto result =
      std::make_shared<const AnalysisList>(parser::Analyze(sql, dialect, parser_options_));
  // A full cache is dropped whole: cheaper than LRU bookkeeping per hit, and
  // applications have far fewer distinct statement texts than this.
  if (cache.size() >= kMaxCachedStatements) cache.clear();
  cache.emplace(std::string(sql), result);
  return result;
}

void Worker::RemoveSession(ClientSession* s) {
  auto it = std::find(sessions_.begin(), sessions_.end(), s);
  if (it != sessions_.end()) {
    *it = sessions_.back();
    sessions_.pop_back();
    --session_count_;
  }
}

void Worker::ShutdownSessions(bool force) {
  // Shutdown may remove sessions from the list: iterate over a copy.
  std::vector<ClientSession*> copy = sessions_;
  for (ClientSession* s : copy) s->Shutdown(force);
  if (force) {
    for (auto& [key, pool] : pools_) pool->CloseAll();
  }
}

Awaitable<void> Worker::Housekeeping() {
  asio::steady_timer timer(io_);
  while (true) {
    timer.expires_after(std::chrono::seconds(1));
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(kUseAwaitable, ec));
    if (ec) co_return;
    const auto now = std::chrono::steady_clock::now();
    for (auto& [key, pool] : pools_) pool->CloseExpired(now);
    for (ClientSession* s : sessions_) s->ReleaseIdle();
  }
}

}  // namespace switchyard::proxy
