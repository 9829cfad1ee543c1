#include "routing/gtid.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace switchyard::routing {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// A decimal number filling `s` entirely.
template <typename T>
bool ParseNumber(std::string_view s, T& out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

std::optional<Gtid> ParseOne(std::string_view s) {
  const size_t first = s.find('-');
  const size_t second = first == std::string_view::npos ? first : s.find('-', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  Gtid g;
  if (!ParseNumber(s.substr(0, first), g.domain) ||
      !ParseNumber(s.substr(first + 1, second - first - 1), g.server) ||
      !ParseNumber(s.substr(second + 1), g.seq)) {
    return std::nullopt;
  }
  return g;
}

// Inserts keeping the list sorted by domain, one entry per domain.
void Put(GtidList& list, const Gtid& g) {
  auto it = std::lower_bound(list.begin(), list.end(), g.domain,
                             [](const Gtid& a, uint32_t d) { return a.domain < d; });
  if (it != list.end() && it->domain == g.domain) {
    if (g.seq > it->seq) *it = g;
    return;
  }
  list.insert(it, g);
}

}  // namespace

absl::StatusOr<GtidList> ParseGtidList(std::string_view text) {
  GtidList out;
  text = Trim(text);
  if (text.empty()) return out;
  while (true) {
    const size_t comma = text.find(',');
    const std::string_view one = Trim(text.substr(0, comma));
    auto g = ParseOne(one);
    if (!g) {
      return absl::InvalidArgumentError(
          fmt::format("not a MariaDB GTID (domain-server-sequence): '{}'", one));
    }
    Put(out, *g);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::string FormatGtidList(const GtidList& list) {
  std::string out;
  for (const Gtid& g : list) {
    if (!out.empty()) out += ',';
    out += fmt::format("{}-{}-{}", g.domain, g.server, g.seq);
  }
  return out;
}

void MergeGtids(GtidList& into, const GtidList& more) {
  for (const Gtid& g : more) Put(into, g);
}

bool GtidCovers(const GtidList& required,
                absl::FunctionRef<std::optional<uint64_t>(uint32_t domain)> replayed_seq) {
  for (const Gtid& g : required) {
    const std::optional<uint64_t> seq = replayed_seq(g.domain);
    if (!seq || *seq < g.seq) return false;
  }
  return true;
}

bool GtidCovers(const GtidList& required, const GtidList& replayed) {
  return GtidCovers(required, [&](uint32_t domain) -> std::optional<uint64_t> {
    for (const Gtid& g : replayed) {
      if (g.domain == domain) return g.seq;
    }
    return std::nullopt;
  });
}

uint64_t GtidSeqSum(const GtidList& list) {
  uint64_t sum = 0;
  for (const Gtid& g : list) sum += g.seq;
  return sum;
}

}  // namespace switchyard::routing
