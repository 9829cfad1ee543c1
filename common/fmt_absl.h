// Lets fmt format absl::string_view (what absl::Status::message() returns):
// on Debian's abseil it is a distinct type from std::string_view.
#pragma once

#include <fmt/format.h>

#include <string_view>

#include "absl/strings/string_view.h"

template <>
struct fmt::formatter<absl::string_view> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(absl::string_view s, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(std::string_view(s.data(), s.size()), ctx);
  }
};
