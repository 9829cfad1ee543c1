// Small socket helpers shared by the PostgreSQL and MySQL sessions.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "proxy/asio.h"

namespace switchyard::proxy {

// Writes everything; Unavailable with the system's reason on failure.
Awaitable<absl::Status> WriteAll(tcp::socket& socket, std::string_view bytes);
Awaitable<absl::Status> WriteAll(tcp::socket& socket,
                                 const std::vector<asio::const_buffer>& buffers);

// Reads what the socket has now into `scratch` and appends it to `out`,
// without waiting: would_block when there is nothing, eof when the peer
// closed. `full` says whether the read filled the scratch (more may be
// waiting). The socket must be in non-blocking mode.
boost::system::error_code ReceiveNow(tcp::socket& socket, std::span<char> scratch,
                                     std::string& out, bool& full);

// Receives what the socket has into `scratch` and appends it to `out`, waiting
// first for readability: a session waiting for its client's next message holds
// no receive buffer of its own (scratch belongs to the worker's thread and is
// only used between the wait and the append). The socket must be in
// non-blocking mode. `try_first` reads before waiting, for when more is likely
// already there (the last read filled the scratch). Returns the error, if any
// (eof when the peer closed).
Awaitable<boost::system::error_code> ReceiveAppend(tcp::socket& socket, std::span<char> scratch,
                                                   std::string& out, bool try_first);

// Closing a socket with unread input makes the kernel send RST, which can
// destroy an error message just sent: stop sending, drain briefly (200 ms,
// 1 MiB at most), close.
Awaitable<void> LingerClose(tcp::socket& socket);

}  // namespace switchyard::proxy
