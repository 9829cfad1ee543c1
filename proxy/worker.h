// A worker thread: one io_context, the client sessions accepted onto it, its
// own backend pools and its own parse cache. Nothing here is locked: every
// method except Post/Start/Stop/Join runs on the worker's thread.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <random>
#include <span>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "parser/analysis_pool.h"
#include "parser/parser.h"
#include "proxy/asio.h"
#include "proxy/my_pool.h"
#include "proxy/pg_pool.h"
#include "proxy/shared_state.h"
#include "proxy/socket_io.h"

namespace switchyard::proxy {

// What the worker needs of any client session (PostgreSQL or MySQL).
class ClientSession {
 public:
  virtual ~ClientSession() = default;
  // force=false: close when idle (now, or when the open transaction ends);
  // force=true: close now.
  virtual void Shutdown(bool force) = 0;
  // Called by the worker's housekeeping (once a second): a session idle
  // since the last call may free what it needs only while working.
  virtual void ReleaseIdle() {}
};

using AnalysisList = std::vector<parser::Analysis>;

class Worker {
 public:
  Worker(SharedState& shared, int index, std::vector<Worker*>& peers);
  ~Worker();

  asio::io_context& io() { return io_; }
  int index() const { return index_; }
  SharedState& shared() { return shared_; }

  void Start();
  void Stop() { io_.stop(); }
  void Join();
  template <typename F>
  void Post(F&& f) { asio::post(io_, std::forward<F>(f)); }

  PgPool& Pool(const PoolKey& key, const BackendCredentials& credentials, int max_size);
  MyPool& MySqlPool(const PoolKey& key, const MyCredentials& credentials, int max_size);

  // Parse results by SQL text, cached per worker (no lock). Never null.
  std::shared_ptr<const AnalysisList> Analyze(std::string_view sql, parser::Dialect dialect);

  void AddSession(ClientSession* s) { sessions_.push_back(s); ++session_count_; }
  void RemoveSession(ClientSession* s);
  void ShutdownSessions(bool force);
  int session_count() const { return session_count_.load(); }
  uint64_t NextId() { return next_id_++ * 64 + static_cast<uint64_t>(index_); }
  uint64_t Random() { return rng_(); }
  // Receive scratch shared by the sessions on this worker's thread (see
  // ReceiveAppend in socket_io.h): idle sessions then hold no receive buffer.
  std::span<char> receive_scratch() { return {receive_scratch_.get(), kReceiveScratch}; }
  // Memory for the parked waits of this worker's idle sessions (WaitReadable).
  BlockCache& park_ops() { return park_ops_; }
  // Memory for the relay's per-transaction operations (PostgreSQL): the posted
  // start and the reads of the backend's answer. One cache per operation size.
  BlockCache& relay_start_ops() { return relay_start_ops_; }
  BlockCache& relay_read_ops() { return relay_read_ops_; }

 private:
  Awaitable<void> Housekeeping();
  void TrimIdleFor(const PoolKey& key);
  void AddPool(const PoolKey& key, std::unique_ptr<PoolBase> pool);
  void WakePeers(const PoolKey& key);

  SharedState& shared_;
  int index_;
  std::vector<Worker*>& peers_;
  BlockCache park_ops_;  // these outlive io_: pending operations are destroyed with it
  BlockCache relay_start_ops_;
  BlockCache relay_read_ops_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread thread_;
  std::map<PoolKey, std::unique_ptr<PoolBase>> pools_;  // PgPool or MyPool by server
  parser::Options parser_options_;
  // Results of short (uncached) statements; a slot per statement in flight on
  // this worker (sessions release theirs once sent, unless kept for a retry).
  parser::AnalysisPool analysis_pool_{64};
  absl::flat_hash_map<std::string, std::shared_ptr<const AnalysisList>> cache_[2];
  std::vector<ClientSession*> sessions_;
  std::atomic<int> session_count_{0};
  uint64_t next_id_ = 1;
  std::mt19937_64 rng_{std::random_device{}()};
  static constexpr size_t kReceiveScratch = 64 * 1024;
  std::unique_ptr<char[]> receive_scratch_{new char[kReceiveScratch]};
};

}  // namespace switchyard::proxy
