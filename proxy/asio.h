// The proxy's one include of Boost.Asio, with the names the runtime uses.
// Only files under proxy/ (not proxy/pg or proxy/mysql codecs) include it.
#pragma once

#include "common/fifo.h"

#include <boost/asio.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace switchyard::proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
template <typename T = void>
using Awaitable = asio::awaitable<T>;
inline constexpr auto kUseAwaitable = asio::use_awaitable;

// A one-shot-at-a-time wake-up for coroutines on one io_context: Wait()
// suspends until Notify() (or the deadline). Not thread-safe: use from the
// owning worker only.
class Signal {
 public:
  explicit Signal(const asio::any_io_executor& ex) : timer_(ex) {
    timer_.expires_at(asio::steady_timer::time_point::max());
  }
  // Returns true when notified, false when the deadline passed.
  Awaitable<bool> Wait(asio::steady_timer::time_point deadline) {
    timer_.expires_at(deadline);
    boost::system::error_code ec;
    co_await timer_.async_wait(asio::redirect_error(kUseAwaitable, ec));
    co_return ec == asio::error::operation_aborted;
  }
  void Notify() { timer_.cancel(); }

 private:
  asio::steady_timer timer_;
};

// Mutual exclusion between coroutines of one io_context (e.g. two writers of
// one socket): Lock() suspends until Unlock() hands the lock over, in FIFO
// order. Holds no executor and allocates nothing until a second coroutine
// waits, so a session can keep several inline. Not thread-safe: use from the
// owning worker only.
class AsyncMutex {
 public:
  // Takes the lock if free, without entering a coroutine (an awaitable call
  // costs a frame allocation): `if (!mu.TryLock()) co_await mu.Lock();`.
  bool TryLock() {
    if (locked_) return false;
    locked_ = true;
    return true;
  }
  Awaitable<void> Lock() {
    if (TryLock()) co_return;
    asio::steady_timer waiter(co_await asio::this_coro::executor,
                              asio::steady_timer::time_point::max());
    waiters_.push_back(&waiter);
    boost::system::error_code ec;
    co_await waiter.async_wait(asio::redirect_error(kUseAwaitable, ec));
  }
  void Unlock() {
    if (waiters_.empty()) {
      locked_ = false;
      return;
    }
    asio::steady_timer* next = waiters_.front();  // the lock passes to it
    waiters_.pop_front();
    next->cancel();
  }
  bool locked() const { return locked_; }
  bool idle() const { return !locked_ && waiters_.empty(); }

 private:
  bool locked_ = false;
  Fifo<asio::steady_timer*> waiters_;
};

}  // namespace switchyard::proxy
