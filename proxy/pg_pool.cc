#include "proxy/pg_pool.h"

#include <sys/socket.h>

#include "absl/status/status.h"

namespace switchyard::proxy {

PgPool::PgPool(asio::any_io_executor ex, SharedState& shared, PoolKey key,
               BackendCredentials credentials, int max_size, std::function<uint64_t()> next_id)
    : ex_(std::move(ex)),
      shared_(shared),
      key_(std::move(key)),
      credentials_(std::move(credentials)),
      max_size_(max_size),
      next_id_(std::move(next_id)),
      pool_shared_(shared.pool_shared(key_)) {}

bool PgPool::LooksAlive(PgBackend& b) {
  // An idle server connection must have nothing to say; data or EOF here
  // means the server closed it (restart, pg_terminate_backend, timeout).
  char byte;
  ssize_t n = ::recv(b.socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

Awaitable<absl::StatusOr<std::unique_ptr<PgBackend>>> PgPool::Open() {
  const auto timeout = std::chrono::milliseconds(shared_.config().connect_timeout_ms);
  auto result = co_await ConnectPgBackend(*const_cast<ServerState*>(key_.server), credentials_,
                                          timeout, next_id_());
  if (!result.ok()) {
    pool_shared_.open.fetch_sub(1);
    const_cast<ServerState*>(key_.server)->connect_failures.fetch_add(1);
    SlotFreed();
    co_return result.status();
  }
  if (defaults_.empty()) {
    defaults_ = (*result)->params;
    default_names_ = (*result)->reported_names;
  }
  shared_.log().debug("opened backend b{} to {} for user={} db={} pid={}", (*result)->id,
                      key_.server->label, key_.user, key_.database, (*result)->process_id);
  co_return result;
}

Awaitable<absl::StatusOr<std::unique_ptr<PgBackend>>> PgPool::Acquire() {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(shared_.config().queue_timeout_ms);
  while (true) {
    while (!idle_.empty()) {
      std::unique_ptr<PgBackend> b = std::move(idle_.back());
      idle_.pop_back();
      if (LooksAlive(*b)) co_return b;
      Discard(std::move(b));
    }
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

void PgPool::Release(std::unique_ptr<PgBackend> b) {
  const auto now = std::chrono::steady_clock::now();
  b->last_used = now;
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
  if (pool_shared_.waiting.load(std::memory_order_relaxed) > 0) {
    // Clients wait on another worker: free the slot for them.
    Discard(std::move(b));
    return;
  }
  idle_.push_back(std::move(b));
}

void PgPool::Discard(std::unique_ptr<PgBackend> b) {
  boost::system::error_code ignored;
  b->socket.close(ignored);
  pool_shared_.open.fetch_sub(1);
  SlotFreed();
}

void PgPool::SlotFreed() {
  if (!waiters_.empty()) {
    WakeOne();
  } else if (pool_shared_.waiting.load(std::memory_order_relaxed) > 0 && on_slot_freed) {
    on_slot_freed(key_);  // clients wait on another worker: one of them may open it
  }
}

void PgPool::WakeOne() {
  if (!waiters_.empty()) {
    Waiter* w = waiters_.front();
    waiters_.pop_front();
    w->queued = false;
    w->signal.Notify();
  }
}

bool PgPool::TrimOneIdle() {
  if (idle_.empty()) return false;
  std::unique_ptr<PgBackend> b = std::move(idle_.front());
  idle_.pop_front();
  boost::system::error_code ignored;
  b->socket.close(ignored);
  pool_shared_.open.fetch_sub(1);
  return true;
}

void PgPool::CloseExpired(std::chrono::steady_clock::time_point now) {
  const auto idle_timeout = std::chrono::milliseconds(shared_.config().server_idle_timeout_ms);
  const auto lifetime = std::chrono::milliseconds(shared_.config().server_lifetime_ms);
  for (auto it = idle_.begin(); it != idle_.end();) {
    PgBackend& b = **it;
    const bool idle_too_long = idle_timeout.count() > 0 && now - b.last_used > idle_timeout;
    const bool too_old = lifetime.count() > 0 && now - b.created > lifetime;
    if (idle_too_long || too_old || !LooksAlive(b)) {
      shared_.log().debug("closing backend b{} to {} ({})", b.id, key_.server->label,
                          idle_too_long ? "idle timeout" : too_old ? "lifetime" : "closed by server");
      boost::system::error_code ignored;
      b.socket.close(ignored);
      pool_shared_.open.fetch_sub(1);
      it = idle_.erase(it);
      SlotFreed();
    } else {
      ++it;
    }
  }
}

void PgPool::CloseAll() {
  while (!idle_.empty()) TrimOneIdle();
  while (!waiters_.empty()) WakeOne();
}

}  // namespace switchyard::proxy
