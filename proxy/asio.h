// The proxy's one include of Boost.Asio, with the names the runtime uses.
// Only files under proxy/ (not proxy/pg or proxy/mysql codecs) include it.
#pragma once

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

// Reads what is available once the socket is readable. Unlike async_read_some,
// it does not first try a read that would fail with EAGAIN: on the statement
// path the peer has usually not answered yet, and that failed read is a wasted
// system call per message. The socket must be in non-blocking mode.
inline Awaitable<size_t> ReadWhenReadable(asio::ip::tcp::socket& socket,
                                          asio::mutable_buffer buffer,
                                          boost::system::error_code& ec) {
  while (true) {
    co_await socket.async_wait(asio::ip::tcp::socket::wait_read,
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return 0;
    size_t n = socket.read_some(buffer, ec);
    if (ec != asio::error::would_block) co_return n;
  }
}

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

}  // namespace switchyard::proxy
