// The proxy process: listeners, worker threads and the signal-driven
// lifecycle (SIGTERM drains, SIGINT stops at once).
#pragma once

#include <memory>

#include <spdlog/spdlog.h>

#include "absl/status/status.h"
#include "config/config.h"

namespace switchyard::proxy {

// Binds every listener, runs until a stop signal, then shuts down cleanly.
// Returns an error when a listener cannot be bound.
absl::Status RunServer(std::shared_ptr<const config::Config> config,
                       std::shared_ptr<spdlog::logger> log);

}  // namespace switchyard::proxy
