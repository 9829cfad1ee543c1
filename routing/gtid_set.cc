#include "routing/gtid_set.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <limits>

#include <fmt/format.h>

#include "absl/status/status.h"

namespace switchyard::routing {
namespace {

// MySQL's largest transaction id (GNO): a signed 64-bit maximum.
constexpr uint64_t kMaxGno = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A read position over the text; Peek is '\0' at the end.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool AtEnd() const { return pos_ >= text_.size(); }
  size_t pos() const { return pos_; }
  void Advance() { ++pos_; }
  void SkipSpace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r' ||
                        Peek() == '\f' || Peek() == '\v')) {
      ++pos_;
    }
  }
  bool Eat(char c) {
    if (AtEnd() || Peek() != c) return false;
    ++pos_;
    return true;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// "8-4-4-4-12" hex digits with dashes (36 characters).
bool ParseUuid(Cursor& in, SourceUuid& out) {
  constexpr int kGroups[] = {8, 4, 4, 4, 12};
  size_t byte = 0;
  for (int g = 0; g < 5; ++g) {
    if (g > 0 && !in.Eat('-')) return false;
    for (int i = 0; i < kGroups[g]; i += 2) {
      const int hi = HexDigit(in.Peek());
      if (hi < 0) return false;
      in.Advance();
      const int lo = HexDigit(in.Peek());
      if (lo < 0) return false;
      in.Advance();
      out[byte++] = static_cast<uint8_t>(hi * 16 + lo);
    }
  }
  return true;
}

// A transaction id: decimal digits, 1..kMaxGno.
bool ParseGno(Cursor& in, uint64_t& out) {
  if (in.Peek() < '0' || in.Peek() > '9') return false;
  out = 0;
  while (!in.AtEnd() && in.Peek() >= '0' && in.Peek() <= '9') {
    const uint64_t digit = static_cast<uint64_t>(in.Peek() - '0');
    if (out > (kMaxGno - digit) / 10) return false;
    out = out * 10 + digit;
    in.Advance();
  }
  return out >= 1;
}

bool StartsTag(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

void AddInterval(std::vector<GtidInterval>& list, GtidInterval add) {
  auto it = std::lower_bound(list.begin(), list.end(), add.first,
                             [](const GtidInterval& a, uint64_t f) { return a.first < f; });
  it = list.insert(it, add);
  // Join with the previous interval when it overlaps or touches.
  if (it != list.begin() && std::prev(it)->last + 1 >= it->first) {
    auto prev = std::prev(it);
    prev->last = std::max(prev->last, it->last);
    it = std::prev(list.erase(it));
  }
  // Swallow the following ones that overlap or touch.
  auto next = std::next(it);
  while (next != list.end() && next->first <= it->last + 1) {
    it->last = std::max(it->last, next->last);
    next = list.erase(next);
  }
}

GtidSource& SourceFor(GtidSet& set, const SourceUuid& uuid) {
  auto it = std::lower_bound(set.sources.begin(), set.sources.end(), uuid,
                             [](const GtidSource& s, const SourceUuid& u) { return s.uuid < u; });
  if (it == set.sources.end() || it->uuid != uuid) it = set.sources.insert(it, GtidSource{uuid, {}});
  return *it;
}

// The start of `text` for messages (an executed set can be kilobytes).
std::string Excerpt(std::string_view text) {
  constexpr size_t kMax = 80;
  return text.size() <= kMax ? std::string(text) : std::string(text.substr(0, kMax)) + "...";
}

absl::Status Malformed(std::string_view text, size_t pos, std::string_view what) {
  return absl::InvalidArgumentError(
      fmt::format("not a MySQL GTID set ({} at offset {}): '{}'", what, pos, Excerpt(text)));
}

// One "uuid:1-5:11-18" after its leading whitespace; intervals go to `intervals`.
absl::Status ParseSource(std::string_view text, Cursor& in, SourceUuid& uuid,
                         std::vector<GtidInterval>& intervals) {
  if (!ParseUuid(in, uuid)) return Malformed(text, in.pos(), "expected a source UUID");
  in.SkipSpace();
  while (in.Eat(':')) {
    in.SkipSpace();
    if (StartsTag(in.Peek())) {
      return absl::UnimplementedError(
          fmt::format("tagged GTIDs (MySQL 8.3+) are not compared: '{}'", Excerpt(text)));
    }
    GtidInterval iv;
    if (!ParseGno(in, iv.first)) return Malformed(text, in.pos(), "expected a transaction id");
    in.SkipSpace();
    iv.last = iv.first;
    if (in.Eat('-')) {
      in.SkipSpace();
      if (!ParseGno(in, iv.last)) return Malformed(text, in.pos(), "expected a transaction id");
      if (iv.last < iv.first) return Malformed(text, in.pos(), "interval ends before it starts");
      in.SkipSpace();
    }
    intervals.push_back(iv);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<GtidSet> ParseGtidSet(std::string_view text) {
  GtidSet out;
  Cursor in(text);
  in.SkipSpace();
  while (true) {
    // Empty specifications between commas are allowed, as MySQL does.
    while (in.Eat(',')) in.SkipSpace();
    if (in.AtEnd()) return out;
    SourceUuid uuid;
    std::vector<GtidInterval> intervals;
    if (absl::Status s = ParseSource(text, in, uuid, intervals); !s.ok()) return s;
    if (!intervals.empty()) {
      GtidSource& source = SourceFor(out, uuid);
      for (const GtidInterval& iv : intervals) AddInterval(source.intervals, iv);
    }
    if (in.AtEnd()) return out;
    if (!in.Eat(',')) return Malformed(text, in.pos(), "expected ',' or ':'");
    in.SkipSpace();
  }
}

std::string FormatGtidSet(const GtidSet& set) {
  std::string out;
  for (const GtidSource& s : set.sources) {
    if (!out.empty()) out += ',';
    const auto& u = s.uuid;
    out += fmt::format("{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-"
                       "{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
                       u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
                       u[12], u[13], u[14], u[15]);
    for (const GtidInterval& iv : s.intervals) {
      out += iv.first == iv.last ? fmt::format(":{}", iv.first)
                                 : fmt::format(":{}-{}", iv.first, iv.last);
    }
  }
  return out;
}

void AddGtidSet(GtidSet& into, const GtidSet& more) {
  for (const GtidSource& s : more.sources) {
    if (s.intervals.empty()) continue;
    GtidSource& target = SourceFor(into, s.uuid);
    for (const GtidInterval& iv : s.intervals) AddInterval(target.intervals, iv);
  }
}

bool GtidSetContains(const GtidSet& executed, const GtidSet& required) {
  for (const GtidSource& need : required.sources) {
    auto src = std::lower_bound(
        executed.sources.begin(), executed.sources.end(), need.uuid,
        [](const GtidSource& s, const SourceUuid& u) { return s.uuid < u; });
    const bool known = src != executed.sources.end() && src->uuid == need.uuid;
    if (!known) {
      if (need.intervals.empty()) continue;
      return false;
    }
    for (const GtidInterval& iv : need.intervals) {
      // The last executed interval starting at or before iv.first.
      auto it = std::upper_bound(src->intervals.begin(), src->intervals.end(), iv.first,
                                 [](uint64_t f, const GtidInterval& a) { return f < a.first; });
      if (it == src->intervals.begin() || std::prev(it)->last < iv.last) return false;
    }
  }
  return true;
}

uint64_t GtidSetCount(const GtidSet& set) {
  uint64_t sum = 0;
  for (const GtidSource& s : set.sources) {
    for (const GtidInterval& iv : s.intervals) {
      const uint64_t n = iv.last - iv.first + 1;
      sum = sum > std::numeric_limits<uint64_t>::max() - n ? std::numeric_limits<uint64_t>::max()
                                                            : sum + n;
    }
  }
  return sum;
}

void CompactGtidSet(GtidSet& set, size_t max_intervals) {
  if (max_intervals == 0) max_intervals = 1;
  for (GtidSource& s : set.sources) {
    if (s.intervals.size() <= max_intervals) continue;
    const size_t join = s.intervals.size() - max_intervals;  // these go into the next one
    s.intervals[join].first = s.intervals.front().first;
    s.intervals.erase(s.intervals.begin(), s.intervals.begin() + static_cast<std::ptrdiff_t>(join));
  }
}

}  // namespace switchyard::routing
