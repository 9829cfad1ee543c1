// Parsing of the two unit-bearing value kinds in the configuration file:
// durations and byte sizes. Pure functions; the YAML loader calls them on
// scalar text and prefixes their errors with the key's path.
//
// Durations: a bare integer is milliseconds; otherwise an integer followed
// directly by one unit: "ms", "s", "m" (minutes), "h". "250ms", "5s", "10m",
// "1h", "0". No fractions, signs, spaces or combined forms ("1m30s"): a DBA
// reading the file should see one obvious value. The result must fit an int
// of milliseconds (about 24 days).
//
// Sizes: a bare integer is bytes; otherwise an integer followed directly by
// "B", "KiB", "MiB" or "GiB" (powers of 1024). Decimal-looking units ("kB",
// "MB", "GB") are refused with a hint, because PostgreSQL reads them as
// powers of 1024 and other tools as powers of 1000.
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"

namespace switchyard::config {

// Milliseconds, >= 0. kInvalidArgument with a message naming the accepted forms.
absl::StatusOr<int> ParseDurationMs(std::string_view text);

// Bytes, >= 0, at most 2^40 (bounds per key are checked by the loader).
absl::StatusOr<uint64_t> ParseSizeBytes(std::string_view text);

}  // namespace switchyard::config
