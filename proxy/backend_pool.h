// A worker's pool of backend connections for one pool key, for any protocol.
//
// BackendPool<Backend> holds the pooling logic shared by PostgreSQL (PgPool)
// and MySQL (MyPool): idle connections, the global size limit per key, the
// wait queue, and the cross-worker hand-off. A subclass says how to open a
// connection (Connect) and may learn from the first one (OnOpened).
//
// Each worker thread owns its pools, so checkout and return take no lock. The
// pool-size limit is global per key: PoolShared::open counts connections on
// all workers. When this worker's clients wait while another worker holds
// spare connections, that worker closes one (see Worker::TrimIdleFor) and the
// freed slot lets a waiter here open a new connection. A worker gives up only
// what it can spare: connections beyond its fair share (pool size / workers),
// or ones idle for a while. Closing busy workers' connections as soon as
// someone waits elsewhere made an overloaded pool reopen hundreds of
// connections a second (and re-prepare statements on each).
//
// Backend requirements: members `socket` (tcp::socket), `created`,
// `last_used` (steady_clock time points), `id` and `incarnation` (uint64_t:
// the server's ServerState::incarnation when the connection was last used).
//
// Thread-safety: all methods run on the owning worker's thread.
#pragma once

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <deque>
#include <functional>
#include <list>
#include <memory>

#include <fmt/format.h>

#include "absl/status/statusor.h"
#include "proxy/asio.h"
#include "proxy/shared_state.h"

namespace switchyard::proxy {

// What the worker needs of any pool, whatever its backend type.
class PoolBase {
 public:
  virtual ~PoolBase() = default;
  // Closes idle connections past the idle timeout or lifetime.
  virtual void CloseExpired(std::chrono::steady_clock::time_point now) = 0;
  // Closes one idle connection so another worker can open one. True if closed.
  virtual bool TrimOneIdle() = 0;
  // A slot was freed elsewhere: wake one waiter to retry.
  virtual void WakeOne() = 0;
  virtual void CloseAll() = 0;

  // Set by the worker: asks other workers to give up an idle connection.
  std::function<void(const PoolKey&)> on_starved;
  // Set by the worker: a slot was freed here while clients wait elsewhere.
  std::function<void(const PoolKey&)> on_slot_freed;
};

template <typename Backend>
class BackendPool : public PoolBase {
 public:
  using BackendPtr = std::unique_ptr<Backend>;

  BackendPool(asio::any_io_executor ex, SharedState& shared, PoolKey key, int max_size,
              std::function<uint64_t()> next_id)
      : ex_(std::move(ex)),
        shared_(shared),
        key_(std::move(key)),
        max_size_(max_size),
        next_id_(std::move(next_id)),
        pool_shared_(shared.pool_shared(key_)) {}

  // Returns an idle connection, opens a new one if under the limit, or waits
  // up to the queue timeout (then a ResourceExhausted error).
  Awaitable<absl::StatusOr<BackendPtr>> Acquire();
  // An idle connection fit for use, or null: Acquire's first step, for
  // callers that avoid a coroutine when a connection is at hand.
  BackendPtr TakeIdle();
  // Returns a clean connection (idle, nothing pending) for reuse.
  void Release(BackendPtr backend);
  // Closes a connection that must not be reused.
  void Discard(BackendPtr backend);
  void CloseExpired(std::chrono::steady_clock::time_point now) override;
  bool TrimOneIdle() override;
  void WakeOne() override;
  void CloseAll() override;

  const PoolKey& key() const { return key_; }
  int idle() const { return static_cast<int>(idle_.size()); }
  int waiting() const { return static_cast<int>(waiters_.size()); }
  PoolShared& shared() { return pool_shared_; }
  // True once a connection of this pool has been opened successfully.
  bool ever_opened() const { return ever_opened_; }

 protected:
  // Opens and authenticates one connection; errors are shown to clients.
  virtual Awaitable<absl::StatusOr<BackendPtr>> Connect(uint64_t id) = 0;
  // Called for every connection opened (e.g. to learn server defaults).
  virtual void OnOpened(Backend& backend) {}

  SharedState& shared_state() { return shared_; }

 private:
  struct Waiter {
    Signal signal;
    BackendPtr handed;
    bool queued = true;  // still in waiters_
  };

  Awaitable<absl::StatusOr<BackendPtr>> Open();
  bool AboveFairShare() const;
  void CloseOneIdle();
  static bool LooksAlive(Backend& b);
  bool TrustedWithoutCheck(const Backend& b) const;
  void CloseSocket(Backend& b);
  void SlotFreed();

  asio::any_io_executor ex_;
  SharedState& shared_;
  PoolKey key_;
  int max_size_;
  std::function<uint64_t()> next_id_;
  PoolShared& pool_shared_;
  std::deque<BackendPtr> idle_;
  std::list<Waiter*> waiters_;
  int held_ = 0;  // connections of this worker's pool, in use or idle
  bool ever_opened_ = false;
};

// An idle connection unused this long is spare even within the fair share.
inline constexpr std::chrono::milliseconds kSpareAfter{50};

template <typename Backend>
bool BackendPool<Backend>::AboveFairShare() const {
  const int workers = shared_.worker_count();
  return held_ > (max_size_ + workers - 1) / workers;
}

template <typename Backend>
bool BackendPool<Backend>::LooksAlive(Backend& b) {
  // An idle server connection must have nothing to say; data or EOF here
  // means the server closed it (restart, kill, timeout).
  char byte;
  ssize_t n = ::recv(b.socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

template <typename Backend>
bool BackendPool<Backend>::TrustedWithoutCheck(const Backend& b) const {
  return std::chrono::steady_clock::now() - b.last_used < std::chrono::seconds(1) &&
         b.incarnation == key_.server->incarnation.load(std::memory_order_relaxed);
}

template <typename Backend>
void BackendPool<Backend>::CloseSocket(Backend& b) {
  boost::system::error_code ignored;
  b.socket.close(ignored);
  pool_shared_.open.fetch_sub(1);
  --held_;
}

template <typename Backend>
Awaitable<absl::StatusOr<std::unique_ptr<Backend>>> BackendPool<Backend>::Open() {
  auto result = co_await Connect(next_id_());
  if (!result.ok()) {
    pool_shared_.open.fetch_sub(1);
    const_cast<ServerState*>(key_.server)->connect_failures.fetch_add(1);
    SlotFreed();
    co_return result.status();
  }
  ever_opened_ = true;
  ++held_;
  OnOpened(**result);
  co_return result;
}

template <typename Backend>
Awaitable<absl::StatusOr<std::unique_ptr<Backend>>> BackendPool<Backend>::Acquire() {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(shared_.config().queue_timeout_ms);
  while (true) {
    if (BackendPtr b = TakeIdle()) co_return b;
    if (pool_shared_.open.fetch_add(1) < max_size_) co_return co_await Open();
    pool_shared_.open.fetch_sub(1);

    Waiter waiter{Signal(ex_), nullptr, true};
    waiters_.push_back(&waiter);
    auto it = std::prev(waiters_.end());
    pool_shared_.waiting.fetch_add(1);
    if (on_starved) on_starved(key_);
    const bool woken = co_await waiter.signal.Wait(deadline);
    pool_shared_.waiting.fetch_sub(1);
    if (waiter.queued) waiters_.erase(it);
    if (waiter.handed) co_return std::move(waiter.handed);
    if (!woken && std::chrono::steady_clock::now() >= deadline) {
      co_return absl::ResourceExhaustedError(fmt::format(
          "no connection to {} became free within {} ms (pool_size {} for user \"{}\", "
          "database \"{}\")",
          key_.server->label, shared_.config().queue_timeout_ms, max_size_, key_.user,
          key_.database));
    }
  }
}

template <typename Backend>
std::unique_ptr<Backend> BackendPool<Backend>::TakeIdle() {
  while (!idle_.empty()) {
    BackendPtr b = std::move(idle_.back());
    idle_.pop_back();
    // A connection used within the last second is trusted without the
    // extra system call, unless the monitor has since seen its server go
    // away or change role (a restart within that second left a FATAL and an
    // EOF in its socket); others are checked for a server-side close.
    if (TrustedWithoutCheck(*b) || LooksAlive(*b)) return b;
    Discard(std::move(b));
  }
  return nullptr;
}

template <typename Backend>
void BackendPool<Backend>::Release(BackendPtr b) {
  const auto now = std::chrono::steady_clock::now();
  b->last_used = now;
  b->incarnation = key_.server->incarnation.load(std::memory_order_relaxed);
  const auto lifetime = std::chrono::milliseconds(shared_.config().server_lifetime_ms);
  if (lifetime.count() > 0 && now - b->created > lifetime) {
    Discard(std::move(b));
    return;
  }
  if (!waiters_.empty()) {
    Waiter* w = waiters_.front();
    waiters_.pop_front();
    w->queued = false;
    w->handed = std::move(b);
    w->signal.Notify();
    return;
  }
  if (pool_shared_.waiting.load(std::memory_order_relaxed) > 0 && AboveFairShare()) {
    // Clients wait on another worker and this one holds more than its share.
    Discard(std::move(b));
    return;
  }
  idle_.push_back(std::move(b));
}

template <typename Backend>
void BackendPool<Backend>::Discard(BackendPtr b) {
  CloseSocket(*b);
  SlotFreed();
}

template <typename Backend>
void BackendPool<Backend>::SlotFreed() {
  if (!waiters_.empty()) {
    WakeOne();
  } else if (pool_shared_.waiting.load(std::memory_order_relaxed) > 0 && on_slot_freed) {
    on_slot_freed(key_);  // clients wait on another worker: one of them may open it
  }
}

template <typename Backend>
void BackendPool<Backend>::WakeOne() {
  if (!waiters_.empty()) {
    Waiter* w = waiters_.front();
    waiters_.pop_front();
    w->queued = false;
    w->signal.Notify();
  }
}

template <typename Backend>
bool BackendPool<Backend>::TrimOneIdle() {
  if (idle_.empty()) return false;
  // The least recently used is at the front.
  const bool spare = std::chrono::steady_clock::now() - idle_.front()->last_used >= kSpareAfter;
  if (!spare && !AboveFairShare()) return false;
  CloseOneIdle();
  return true;
}

template <typename Backend>
void BackendPool<Backend>::CloseOneIdle() {
  BackendPtr b = std::move(idle_.front());
  idle_.pop_front();
  CloseSocket(*b);
}

template <typename Backend>
void BackendPool<Backend>::CloseExpired(std::chrono::steady_clock::time_point now) {
  const auto idle_timeout = std::chrono::milliseconds(shared_.config().server_idle_timeout_ms);
  const auto lifetime = std::chrono::milliseconds(shared_.config().server_lifetime_ms);
  for (auto it = idle_.begin(); it != idle_.end();) {
    Backend& b = **it;
    const bool idle_too_long = idle_timeout.count() > 0 && now - b.last_used > idle_timeout;
    const bool too_old = lifetime.count() > 0 && now - b.created > lifetime;
    if (idle_too_long || too_old || !LooksAlive(b)) {
      shared_.log().debug("closing backend b{} to {} ({})", b.id, key_.server->label,
                          idle_too_long ? "idle timeout" : too_old ? "lifetime" : "closed by server");
      CloseSocket(b);
      it = idle_.erase(it);
      SlotFreed();
    } else {
      ++it;
    }
  }
}

template <typename Backend>
void BackendPool<Backend>::CloseAll() {
  while (!idle_.empty()) CloseOneIdle();
  while (!waiters_.empty()) WakeOne();
}

}  // namespace switchyard::proxy
