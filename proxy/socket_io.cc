#include "proxy/socket_io.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <chrono>

namespace switchyard::proxy {

Awaitable<absl::Status> WriteAll(tcp::socket& socket, std::string_view bytes) {
  boost::system::error_code ec;
  co_await asio::async_write(socket, asio::buffer(bytes.data(), bytes.size()),
                             asio::redirect_error(kUseAwaitable, ec));
  if (ec) co_return absl::UnavailableError(ec.message());
  co_return absl::OkStatus();
}

namespace {

constexpr size_t kMaxPieces = 8;

boost::system::error_code LastError() {
  return boost::system::error_code(errno, asio::error::get_system_category());
}

bool WouldBlock(int e) { return e == EAGAIN || e == EWOULDBLOCK; }

}  // namespace

absl::Status SendNow(tcp::socket& socket, std::string_view& bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(socket.native_handle(), bytes.data(), bytes.size(),
                             MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (WouldBlock(errno)) break;
      return absl::UnavailableError(LastError().message());
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status SendNow(tcp::socket& socket, std::span<const std::string_view> pieces,
                     size_t& sent) {
  sent = 0;
  iovec iov[kMaxPieces];
  size_t count = 0;
  for (std::string_view p : pieces.first(std::min(pieces.size(), kMaxPieces))) {
    iov[count++] = {const_cast<char*>(p.data()), p.size()};
  }
  msghdr msg{};
  msg.msg_iov = iov;
  msg.msg_iovlen = count;
  while (true) {
    const ssize_t n = ::sendmsg(socket.native_handle(), &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0) {
      sent = static_cast<size_t>(n);
      return absl::OkStatus();
    }
    if (errno == EINTR) continue;
    if (WouldBlock(errno)) return absl::OkStatus();
    return absl::UnavailableError(LastError().message());
  }
}

absl::Status SendNow(tcp::socket& socket, std::span<const asio::const_buffer> buffers,
                     size_t& sent) {
  constexpr size_t kMaxIov = 64;
  sent = 0;
  size_t first = 0;  // the first buffer not wholly sent, and how much of it went
  size_t skip = 0;
  while (first < buffers.size()) {
    iovec iov[kMaxIov];
    size_t count = 0;
    for (size_t i = first; i < buffers.size() && count < kMaxIov; ++i) {
      const size_t off = i == first ? skip : 0;
      iov[count++] = {const_cast<char*>(static_cast<const char*>(buffers[i].data())) + off,
                      buffers[i].size() - off};
    }
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = count;
    const ssize_t n = ::sendmsg(socket.native_handle(), &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (WouldBlock(errno)) return absl::OkStatus();
      return absl::UnavailableError(LastError().message());
    }
    sent += static_cast<size_t>(n);
    for (size_t left = static_cast<size_t>(n); first < buffers.size();) {
      const size_t rest = buffers[first].size() - skip;
      if (left < rest) {
        skip += left;
        break;
      }
      left -= rest;
      skip = 0;
      ++first;
    }
  }
  return absl::OkStatus();
}

void DropSent(std::vector<asio::const_buffer>& buffers, size_t sent) {
  size_t whole = 0;
  while (whole < buffers.size() && sent >= buffers[whole].size()) sent -= buffers[whole++].size();
  buffers.erase(buffers.begin(), buffers.begin() + static_cast<std::ptrdiff_t>(whole));
  if (!buffers.empty()) buffers.front() += sent;
}

boost::system::error_code ReceiveNow(tcp::socket& socket, std::span<char> scratch,
                                     std::string& out, bool& full) {
  boost::system::error_code ec;
  const size_t n = socket.read_some(asio::buffer(scratch.data(), scratch.size()), ec);
  if (ec == asio::error::try_again) ec = asio::error::would_block;
  full = !ec && n == scratch.size();
  if (!ec) out.append(scratch.data(), n);
  return ec;
}

Awaitable<boost::system::error_code> ReceiveAppend(tcp::socket& socket, std::span<char> scratch,
                                                   std::string& out, bool try_first) {
  boost::system::error_code ec;
  bool wait = !try_first;
  while (true) {
    if (wait) {
      co_await socket.async_wait(tcp::socket::wait_read, asio::redirect_error(kUseAwaitable, ec));
      if (ec) co_return ec;
    }
    bool full = false;
    ec = ReceiveNow(socket, scratch, out, full);
    if (ec == asio::error::would_block) {
      wait = true;
      continue;
    }
    co_return ec;
  }
}

Awaitable<absl::Status> WriteAll(tcp::socket& socket,
                                 const std::vector<asio::const_buffer>& buffers) {
  boost::system::error_code ec;
  co_await asio::async_write(socket, buffers, asio::redirect_error(kUseAwaitable, ec));
  if (ec) co_return absl::UnavailableError(ec.message());
  co_return absl::OkStatus();
}

Awaitable<void> LingerClose(tcp::socket& socket, std::span<char> discard) {
  boost::system::error_code ec;
  socket.shutdown(tcp::socket::shutdown_send, ec);
  asio::steady_timer timer(socket.get_executor());
  timer.expires_after(std::chrono::milliseconds(200));
  timer.async_wait([sock = &socket](boost::system::error_code e) {
    boost::system::error_code ignored;
    if (!e) sock->cancel(ignored);
  });
  for (size_t total = 0; !ec && total < (1u << 20);) {
    total += co_await socket.async_read_some(asio::buffer(discard.data(), discard.size()),
                                             asio::redirect_error(kUseAwaitable, ec));
  }
  timer.cancel();
  socket.close(ec);
}

}  // namespace switchyard::proxy
