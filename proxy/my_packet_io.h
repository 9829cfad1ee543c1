// Reading MySQL packets from a socket: a growable receive buffer that the
// pure decoders in proxy/mysql/packet.h read from.
//
// Views returned by TryNext/Next point into the buffer and stay valid until
// the next Fill() (which drops consumed bytes before reading). The relay uses
// the offsets of consumed packets to write them on without copying.
// A MyPacketBuffer belongs to one connection; not thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proxy/asio.h"
#include "proxy/socket_io.h"
#include "proxy/mysql/packet.h"

namespace switchyard::proxy {

class MyPacketBuffer {
 public:
  explicit MyPacketBuffer(size_t max_payload) : max_payload_(max_payload) {}

  // The next whole physical packet already received, or nullopt.
  absl::StatusOr<std::optional<mysql::Packet>> TryNext();
  // The next whole logical packet (16 MiB chunks joined), or nullopt.
  absl::StatusOr<std::optional<mysql::Packet>> TryNextLogical();
  // Drops consumed bytes, then reads more. Unavailable on EOF or error
  // ("connection closed" on a clean EOF). With nothing buffered it waits for
  // readability before taking a buffer (logins: no chunk pinned per waiting
  // client).
  Awaitable<absl::Status> Fill(tcp::socket& socket);
  // A read in two steps, for a caller that awaits the read itself (one
  // coroutine frame fewer; the backend relay): the buffer to read into, then
  // what was read. One read operation, not a wait and then a read: Asio
  // re-arms the descriptor in epoll (epoll_ctl) for every wait, while a read
  // tries recv once and, when nothing is there, is queued without re-arming
  // (Boost 1.74 tries that recv before every read, not only after an event).
  asio::mutable_buffer PrepareRead();
  absl::Status CommitRead(size_t n, boost::system::error_code ec);
  Awaitable<absl::StatusOr<mysql::Packet>> Next(tcp::socket& socket);
  Awaitable<absl::StatusOr<mysql::Packet>> NextLogical(tcp::socket& socket);
  // Drops consumed bytes and appends what the socket has now, read through
  // `scratch` (the worker's): see ReceiveNow in socket_io.h. For a client
  // connection in non-blocking mode, so that a client between commands holds
  // no receive buffer beyond its last command's size.
  boost::system::error_code ReceiveNow(tcp::socket& socket, std::span<char> scratch, bool& full);
  // Nothing received that is not consumed.
  bool empty() const { return start_ == end_; }
  // When empty: forgets consumed bytes and frees a buffer above `keep` bytes.
  void ReleaseIfEmpty(size_t keep);

  // Consumed bytes since the last Fill, as [begin, end) offsets into data().
  size_t consumed_begin() const { return 0; }
  size_t consumed_end() const { return start_; }
  const char* data() const { return buf_.data(); }
  bool has_unconsumed() const { return start_ < end_; }
  void set_max_payload(size_t max) { max_payload_ = max; }

 private:
  std::string buf_;
  size_t start_ = 0;  // first unconsumed byte
  size_t end_ = 0;    // end of received bytes
  size_t max_payload_;
  // Where a packet split in 16 MiB chunks is joined; made for the first one
  // (every connection has a buffer, so its size counts per idle client).
  std::unique_ptr<std::string> scratch_;
};


}  // namespace switchyard::proxy
