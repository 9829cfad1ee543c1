#include "parser/writing_functions.h"

#include <array>
#include <cstdint>
#include <iterator>

namespace switchyard::parser {
namespace {

constexpr size_t kCount = std::size(kDefaultWritingFunctions);

// The default list grouped by first byte: entries[start[c], start[c + 1]).
struct Buckets {
  std::array<uint8_t, 257> start{};
  std::array<std::string_view, kCount> entries{};
};

constexpr Buckets BuildBuckets() {
  Buckets b;
  std::array<uint8_t, 256> count{};
  for (std::string_view e : kDefaultWritingFunctions) ++count[static_cast<uint8_t>(e[0])];
  uint8_t total = 0;
  for (size_t c = 0; c < 256; ++c) {
    b.start[c] = total;
    total = static_cast<uint8_t>(total + count[c]);
  }
  b.start[256] = total;
  std::array<uint8_t, 256> next{};
  for (size_t c = 0; c < 256; ++c) next[c] = b.start[c];
  for (std::string_view e : kDefaultWritingFunctions) {
    b.entries[next[static_cast<uint8_t>(e[0])]++] = e;
  }
  return b;
}

constexpr Buckets kBuckets = BuildBuckets();

}  // namespace

bool MatchesWritingEntry(std::string_view name, std::string_view entry) {
  if (entry.empty() || name.empty() || entry[0] != name[0]) return false;
  if (entry.back() == '*') {
    entry.remove_suffix(1);
    return name.substr(0, entry.size()) == entry;
  }
  return name == entry;
}

bool writing_internal::IsDefaultWritingFunctionSlow(std::string_view name) {
  const uint8_t first = static_cast<uint8_t>(name[0]);
  for (size_t i = kBuckets.start[first]; i < kBuckets.start[first + 1]; ++i) {
    if (MatchesWritingEntry(name, kBuckets.entries[i])) return true;
  }
  return false;
}

}  // namespace switchyard::parser
