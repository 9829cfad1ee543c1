// A worker's pool of backend connections for one (user, database, server).
//
// Each worker thread owns its pools, so checkout and return take no lock. The
// pool-size limit is global per key: PoolShared::open counts connections on
// all workers. When this worker's clients wait while another worker holds
// idle connections, that worker closes one (see Worker::TrimIdle) and the
// freed slot lets a waiter here open a new connection.
//
// Thread-safety: all methods run on the owning worker's thread.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "proxy/asio.h"
#include "proxy/pg_backend.h"
#include "proxy/shared_state.h"

namespace switchyard::proxy {

class PgPool {
 public:
  PgPool(asio::any_io_executor ex, SharedState& shared, PoolKey key,
         BackendCredentials credentials, int max_size, std::function<uint64_t()> next_id);

  // Returns an idle connection, opens a new one if under the limit, or waits
  // up to the queue timeout (then a ResourceExhausted error, shown as 53300).
  Awaitable<absl::StatusOr<std::unique_ptr<PgBackend>>> Acquire();
  // Returns a clean connection (idle, nothing pending) for reuse.
  void Release(std::unique_ptr<PgBackend> backend);
  // Closes a connection that must not be reused.
  void Discard(std::unique_ptr<PgBackend> backend);
  // Closes idle connections past the idle timeout or lifetime.
  void CloseExpired(std::chrono::steady_clock::time_point now);
  // Closes one idle connection so another worker can open one. True if closed.
  bool TrimOneIdle();
  // A slot was freed elsewhere: wake one waiter to retry.
  void WakeOne();
  void CloseAll();

  const PoolKey& key() const { return key_; }
  // Parameter values a fresh backend of this pool reports (server_version, ...).
  const pg::ParameterMap& defaults() const { return defaults_; }
  const pg::ParameterMap& default_names() const { return default_names_; }
  int idle() const { return static_cast<int>(idle_.size()); }
  int waiting() const { return static_cast<int>(waiters_.size()); }
  PoolShared& shared() { return pool_shared_; }

  // Set by the worker: asks other workers to give up an idle connection.
  std::function<void(const PoolKey&)> on_starved;
  // Set by the worker: a slot was freed here while clients wait elsewhere.
  std::function<void(const PoolKey&)> on_slot_freed;

 private:
  struct Waiter {
    Signal signal;
    std::unique_ptr<PgBackend> handed;
    bool queued = true;  // still in waiters_
  };

  Awaitable<absl::StatusOr<std::unique_ptr<PgBackend>>> Open();
  bool LooksAlive(PgBackend& b);
  void SlotFreed();

  asio::any_io_executor ex_;
  SharedState& shared_;
  PoolKey key_;
  BackendCredentials credentials_;
  int max_size_;
  std::function<uint64_t()> next_id_;
  PoolShared& pool_shared_;
  std::deque<std::unique_ptr<PgBackend>> idle_;
  std::list<Waiter*> waiters_;
  pg::ParameterMap defaults_;
  pg::ParameterMap default_names_;
};

}  // namespace switchyard::proxy
