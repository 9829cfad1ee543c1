#include "config/yaml_reader.h"

#include <limits>
#include <utility>

#include "config/units.h"

namespace switchyard::config {
namespace {

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Decimal integer with an optional leading '-'; nullopt on anything else.
std::optional<int64_t> ParseInteger(std::string_view text) {
  bool negative = !text.empty() && text[0] == '-';
  std::string_view digits = negative ? text.substr(1) : text;
  if (digits.empty() || digits.size() > 12) return std::nullopt;
  int64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

}  // namespace

absl::Status ErrorAt(std::string_view path, const YAML::Node& node, std::string_view message) {
  std::string text = std::string(path.empty() ? "(top level)" : path) + ": " + std::string(message);
  if (node.IsDefined() && node.Mark().line >= 0) {
    text += " (line " + std::to_string(node.Mark().line + 1) + ")";
  }
  return absl::InvalidArgumentError(text);
}

std::string JoinPath(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : std::string(path) + "." + std::string(key);
}

std::string ItemPath(std::string_view path, size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

MapReader::MapReader(const YAML::Node& node, std::string path)
    : node_(node), path_(std::move(path)) {
  if (!node_.IsDefined() || node_.IsNull()) return;
  if (!node_.IsMap()) {
    status_ = ErrorAt(path_, node_, "must be a map of key: value");
    return;
  }
  std::set<std::string, std::less<>> seen;
  for (const auto& entry : node_) {
    if (!entry.first.IsScalar()) {
      status_ = ErrorAt(path_, entry.first, "keys must be plain words");
      return;
    }
    const std::string& key = entry.first.Scalar();
    if (!seen.insert(key).second) {
      status_ = ErrorAt(JoinPath(path_, key), entry.first, "duplicate key");
      return;
    }
    keys_.push_back(key);
  }
}

YAML::Node MapReader::Child(std::string_view key) const {
  if (!node_.IsDefined() || !node_.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  for (const auto& entry : node_) {
    if (entry.first.Scalar() == key) return entry.second;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

bool MapReader::Has(std::string_view key) const {
  YAML::Node child = Child(key);
  return child.IsDefined() && !child.IsNull();
}

void MapReader::Fail(std::string_view key, std::string_view message) {
  if (!status_.ok()) return;
  YAML::Node child = Child(key);
  status_ = ErrorAt(JoinPath(path_, key), child.IsDefined() ? child : node_, message);
}

std::optional<std::string> MapReader::Scalar(std::string_view key, Need need) {
  known_.emplace(key);
  if (!status_.ok()) return std::nullopt;
  YAML::Node child = Child(key);
  if (!child.IsDefined() || child.IsNull()) {
    if (need == Need::kRequired) {
      Fail(key, child.IsDefined() ? "has no value" : "required key is missing");
    }
    return std::nullopt;
  }
  if (!child.IsScalar()) {
    Fail(key, "must be a single value, not a list or map");
    return std::nullopt;
  }
  return child.Scalar();
}

void MapReader::String(std::string_view key, std::string* out, Need need) {
  if (std::optional<std::string> text = Scalar(key, need)) *out = std::move(*text);
}

void MapReader::OptionalString(std::string_view key, std::optional<std::string>* out) {
  if (std::optional<std::string> text = Scalar(key, Need::kOptional)) *out = std::move(*text);
}

void MapReader::Int(std::string_view key, int* out, int min, int max, Need need) {
  std::optional<std::string> text = Scalar(key, need);
  if (!text) return;
  std::optional<int64_t> value = ParseInteger(*text);
  if (!value || *value < min || *value > max) {
    Fail(key, "must be an integer in " + std::to_string(min) + ".." + std::to_string(max) +
                  "; got " + Quoted(*text));
    return;
  }
  *out = static_cast<int>(*value);
}

void MapReader::OptionalInt(std::string_view key, std::optional<int>* out, int min, int max) {
  int value = 0;
  bool present = Has(key);
  Int(key, &value, min, max);
  if (present && status_.ok()) *out = value;
}

void MapReader::Port(std::string_view key, uint16_t* out, Need need) {
  int value = *out;
  bool present = Has(key);
  Int(key, &value, 1, 65535, need);
  if (present && status_.ok()) *out = static_cast<uint16_t>(value);
}

void MapReader::Bool(std::string_view key, bool* out) {
  std::optional<std::string> text = Scalar(key, Need::kOptional);
  if (!text) return;
  if (*text == "true" || *text == "false") {
    *out = *text == "true";
    return;
  }
  Fail(key, "must be true or false; got " + Quoted(*text));
}

void MapReader::DurationMs(std::string_view key, int* out) {
  std::optional<std::string> text = Scalar(key, Need::kOptional);
  if (!text) return;
  absl::StatusOr<int> ms = ParseDurationMs(*text);
  if (!ms.ok()) return Fail(key, std::string(ms.status().message()));
  *out = *ms;
}

void MapReader::SizeBytes(std::string_view key, uint32_t* out, uint64_t min, uint64_t max) {
  std::optional<std::string> text = Scalar(key, Need::kOptional);
  if (!text) return;
  absl::StatusOr<uint64_t> bytes = ParseSizeBytes(*text);
  if (!bytes.ok()) return Fail(key, std::string(bytes.status().message()));
  if (*bytes < min || *bytes > max) {
    return Fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                         " bytes; got " + Quoted(*text));
  }
  *out = static_cast<uint32_t>(*bytes);
}

void MapReader::StringList(std::string_view key, std::vector<std::string>* out) {
  std::vector<std::string> items;
  List(key, [&](const YAML::Node& item, const std::string& path) {
    if (!item.IsScalar()) return ErrorAt(path, item, "must be a single value");
    items.push_back(item.Scalar());
    return absl::OkStatus();
  });
  if (status_.ok() && Has(key)) *out = std::move(items);
}

void MapReader::Section(std::string_view key, const NodeFn& fn, Need need) {
  known_.emplace(key);
  if (!status_.ok()) return;
  YAML::Node child = Child(key);
  if (!child.IsDefined() || child.IsNull()) {
    if (need == Need::kRequired) Fail(key, "required key is missing");
    return;
  }
  status_ = fn(child, JoinPath(path_, key));
}

void MapReader::List(std::string_view key, const NodeFn& fn) {
  Section(key, [&](const YAML::Node& list, const std::string& path) -> absl::Status {
    if (!list.IsSequence()) return ErrorAt(path, list, "must be a list (items start with \"- \")");
    for (size_t i = 0; i < list.size(); ++i) {
      absl::Status item = fn(list[i], ItemPath(path, i));
      if (!item.ok()) return item;
    }
    return absl::OkStatus();
  });
}

absl::Status MapReader::Finish() const {
  for (const std::string& key : keys_) {
    if (known_.contains(key)) continue;
    std::string known;
    for (const std::string& k : known_) known += (known.empty() ? "" : ", ") + k;
    return ErrorAt(JoinPath(path_, key), Child(key),
                   "unknown key (expected one of: " + known + ")");
  }
  return status_;
}

}  // namespace switchyard::config
