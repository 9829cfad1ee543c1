// The log lines of a client session's pinning to its server connection,
// worded once for both protocols' sessions (pg_client*.cc, my_client*.cc):
// operators, docs/postgresql.md and the integration tests look for
// "pinned to backend bN on <server>: <reason>". Stateless.
#pragma once

#include <cstdint>
#include <string_view>

#include <spdlog/logger.h>

namespace switchyard::proxy {

inline void LogPinned(spdlog::logger& log, std::string_view session, uint64_t backend,
                      std::string_view server, std::string_view reason) {
  log.info("{} pinned to backend b{} on {}: {}", session, backend, server, reason);
}

inline void LogUnpinned(spdlog::logger& log, std::string_view session, uint64_t backend,
                        std::string_view reason) {
  log.info("{} unpinned from b{} ({})", session, backend, reason);
}

}  // namespace switchyard::proxy
