#include "config/units.h"

#include <iterator>
#include <limits>
#include <optional>
#include <string>

namespace switchyard::config {
namespace {

struct Unit {
  std::string_view suffix;
  uint64_t factor;
};

constexpr Unit kDurationUnits[] = {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}};
constexpr Unit kSizeUnits[] = {
    {"B", 1}, {"KiB", 1ull << 10}, {"MiB", 1ull << 20}, {"GiB", 1ull << 30}};
constexpr uint64_t kMaxSize = 1ull << 40;

// Leading decimal digits of `text` as a number; `digits` gets their count.
// nullopt when there are none or they overflow a generous bound.
std::optional<uint64_t> LeadingNumber(std::string_view text, size_t& digits) {
  uint64_t value = 0;
  digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    if (value > (std::numeric_limits<uint64_t>::max() - 9) / 10) return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(text[digits] - '0');
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  return value;
}

// `text` as <digits>[unit] with a unit from `units` (no unit = factor 1);
// nullopt when the form is wrong or the value exceeds `max`.
std::optional<uint64_t> ParseWithUnits(std::string_view text, const Unit* units, size_t unit_count,
                                       uint64_t max) {
  size_t digits = 0;
  std::optional<uint64_t> number = LeadingNumber(text, digits);
  if (!number) return std::nullopt;
  std::string_view suffix = text.substr(digits);
  uint64_t factor = suffix.empty() ? 1 : 0;
  for (size_t i = 0; i < unit_count && factor == 0; ++i) {
    if (units[i].suffix == suffix) factor = units[i].factor;
  }
  if (factor == 0 || *number > max / factor) return std::nullopt;
  return *number * factor;
}

}  // namespace

absl::StatusOr<int> ParseDurationMs(std::string_view text) {
  std::optional<uint64_t> ms =
      ParseWithUnits(text, kDurationUnits, std::size(kDurationUnits),
                     static_cast<uint64_t>(std::numeric_limits<int>::max()));
  if (!ms) {
    return absl::InvalidArgumentError(
        "\"" + std::string(text) +
        "\" is not a duration: use milliseconds (5000) or a number with ms, s, m or h "
        "(\"250ms\", \"5s\", \"10m\", \"1h\"), at most 24 days");
  }
  return static_cast<int>(*ms);
}

absl::StatusOr<uint64_t> ParseSizeBytes(std::string_view text) {
  std::optional<uint64_t> bytes = ParseWithUnits(text, kSizeUnits, std::size(kSizeUnits), kMaxSize);
  if (bytes) return *bytes;
  std::string message = "\"" + std::string(text) +
                        "\" is not a size: use bytes (65536) or a number with B, KiB, MiB or GiB "
                        "(\"64MiB\")";
  for (std::string_view decimal : {"kB", "KB", "MB", "GB"}) {
    if (text.ends_with(decimal)) {
      message += "; \"" + std::string(decimal) + "\" is ambiguous, write " +
                 std::string(1, decimal[0] == 'k' ? 'K' : decimal[0]) + "iB";
      break;
    }
  }
  return absl::InvalidArgumentError(message);
}

}  // namespace switchyard::config
