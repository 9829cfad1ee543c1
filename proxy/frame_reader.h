// Reads whole PostgreSQL messages from a socket into a reusable buffer.
// Used where messages are small and handled one by one (startup,
// authentication, the proxy's own queries); the relay of query results
// streams instead (see pg_relay.cc).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "proxy/asio.h"
#include "proxy/pg/frame.h"

namespace switchyard::proxy {

class FrameReader {
 public:
  explicit FrameReader(uint32_t max_body) : max_body_(max_body) {}

  // The next typed message; its body view is valid until the next call.
  Awaitable<absl::StatusOr<pg::Frame>> Next(tcp::socket& socket);
  // The next startup-phase packet (no type byte).
  Awaitable<absl::StatusOr<pg::Frame>> NextStartup(tcp::socket& socket);

  // Bytes received but not yet returned as messages (handed on to the
  // session's main buffer after startup).
  std::string TakeRemaining();

 private:
  Awaitable<absl::StatusOr<pg::Frame>> Read(tcp::socket& socket, bool startup);

  uint32_t max_body_;
  std::string buf_;
  size_t start_ = 0;
  size_t pending_consume_ = 0;
};

}  // namespace switchyard::proxy
