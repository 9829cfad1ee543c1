#include "parser/hints.h"

#include <charconv>

#include "parser/cursor.h"

namespace switchyard::parser {
namespace {

bool IsHintSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' ||
         c == '*' || c == '/';
}

std::optional<int64_t> ParseDurationMs(std::string_view text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || value < 0) return std::nullopt;
  const std::string_view unit(ptr, end - ptr);
  if (unit.empty() || unit == "ms") return value;
  if (unit == "s" && value < (int64_t{1} << 40)) return value * 1000;
  return std::nullopt;
}

void ApplyHint(std::string_view word, Hints& hints) {
  const size_t eq = word.find('=');
  const std::string key = ToLower(word.substr(0, eq));
  const std::string_view value =
      eq == std::string_view::npos ? std::string_view() : word.substr(eq + 1);
  if (key == "primary" || key == "master") {
    hints.force_primary = true;
  } else if (key == "shard" && !value.empty()) {
    hints.shard = std::string(value);
  } else if (key == "max_lag" && !value.empty()) {
    if (auto ms = ParseDurationMs(value)) hints.max_lag_ms = ms;
  }
}

}  // namespace

void ReadHints(std::string_view comment, Hints& hints) {
  const std::string lower = ToLower(comment);
  const size_t marker = lower.find("switchyard:");
  if (marker == std::string::npos) return;
  std::string_view rest = comment.substr(marker + 11);
  while (!rest.empty()) {
    size_t start = 0;
    while (start < rest.size() && IsHintSpace(rest[start])) ++start;
    size_t end = start;
    while (end < rest.size() && !IsHintSpace(rest[end])) ++end;
    if (end > start) ApplyHint(rest.substr(start, end - start), hints);
    rest.remove_prefix(end);
  }
}

}  // namespace switchyard::parser
