// Whole-file rules of a decoded Config: names unique per kind, server names
// unique per cluster, listeners on distinct address:port pairs, each
// listener's cluster present with the listener's protocol.
#pragma once

#include "absl/status/status.h"
#include "config/config.h"

namespace switchyard::config {

// kInvalidArgument "<yaml path>: <problem>" for the first rule broken.
absl::Status ValidateConfig(const Config& config);

}  // namespace switchyard::config
