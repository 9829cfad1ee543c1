// Decoding of a parsed YAML document into a Config: shapes, types and ranges
// of single values, plus the rules local to one user entry. Rules that relate
// entries to each other (unique names, listener → cluster) are in validate.h.
#pragma once

#include <yaml-cpp/yaml.h>

#include "absl/status/statusor.h"
#include "config/config.h"

namespace switchyard::config {

// Errors are kInvalidArgument, "<yaml path>: <problem> (line N)".
absl::StatusOr<Config> DecodeConfig(const YAML::Node& root);

}  // namespace switchyard::config
