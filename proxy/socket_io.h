// Small socket helpers shared by the PostgreSQL and MySQL sessions.
#pragma once

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "proxy/asio.h"

namespace switchyard::proxy {

// Writes everything; Unavailable with the system's reason on failure.
Awaitable<absl::Status> WriteAll(tcp::socket& socket, std::string_view bytes);
Awaitable<absl::Status> WriteAll(tcp::socket& socket,
                                 const std::vector<asio::const_buffer>& buffers);

// Closing a socket with unread input makes the kernel send RST, which can
// destroy an error message just sent: stop sending, drain briefly (200 ms,
// 1 MiB at most), close.
Awaitable<void> LingerClose(tcp::socket& socket);

}  // namespace switchyard::proxy
