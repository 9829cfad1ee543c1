// MapReader: typed, path-aware reads of one YAML map for the config loader.
//
// Every value is read through a getter naming its key; the reader remembers
// the keys asked for, so Finish() can reject any key nobody asked about
// ("clusters[0].replicas[1].prot: unknown key ..."). Errors are sticky: the
// first one is kept and later getters do nothing, like LevelDB's Status
// chaining. Messages read "<path>: <problem> (line N)".
//
// The reader borrows nothing: YAML::Node is a reference-counted handle.
// Not thread-safe; one reader per map while decoding.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "config/enums.h"

namespace switchyard::config {

// "<path>: <message> (line N)", line from the node when it has one.
absl::Status ErrorAt(std::string_view path, const YAML::Node& node, std::string_view message);
// Child paths: "a" + "b" → "a.b" ("" + "b" → "b"); "a" + 3 → "a[3]".
std::string JoinPath(std::string_view path, std::string_view key);
std::string ItemPath(std::string_view path, size_t index);

enum class Need { kOptional, kRequired };

class MapReader {
 public:
  using NodeFn = std::function<absl::Status(const YAML::Node&, const std::string& path)>;

  // A null node is read as an empty map; any other non-map is an error.
  MapReader(const YAML::Node& node, std::string path);

  // Absent (or, for optional keys, null) values leave *out unchanged.
  void String(std::string_view key, std::string* out, Need need = Need::kOptional);
  void OptionalString(std::string_view key, std::optional<std::string>* out);
  void Int(std::string_view key, int* out, int min, int max, Need need = Need::kOptional);
  void OptionalInt(std::string_view key, std::optional<int>* out, int min, int max);
  void Port(std::string_view key, uint16_t* out, Need need = Need::kOptional);
  void Bool(std::string_view key, bool* out);
  void DurationMs(std::string_view key, int* out);
  void SizeBytes(std::string_view key, uint32_t* out, uint64_t min, uint64_t max);
  void StringList(std::string_view key, std::vector<std::string>* out);

  template <typename E>
  void Enum(std::string_view key, E* out, std::type_identity_t<std::span<const EnumName<E>>> names,
            Need need = Need::kOptional) {
    std::optional<std::string> text = Scalar(key, need);
    if (!text) return;
    for (const auto& [name, value] : names) {
      if (name == *text) {
        *out = value;
        return;
      }
    }
    std::string allowed;
    for (const auto& entry : names) {
      allowed += (allowed.empty() ? "" : ", ") + std::string(entry.first);
    }
    Fail(key, "must be one of " + allowed + "; got \"" + *text + "\"");
  }
  template <typename E>
  void OptionalEnum(std::string_view key, std::optional<E>* out,
                    std::type_identity_t<std::span<const EnumName<E>>> names) {
    bool present = Has(key);
    E value{};
    Enum<E>(key, &value, names);
    if (present && status_.ok()) *out = value;
  }

  // A nested map or list: `fn` runs on the child when present (and not null).
  void Section(std::string_view key, const NodeFn& fn, Need need = Need::kOptional);
  // A list: `fn` runs on each item with its path ("key[i]").
  void List(std::string_view key, const NodeFn& fn);

  // Present with a non-null value.
  bool Has(std::string_view key) const;
  const std::string& path() const { return path_; }
  // Unknown keys first (a typo explains a "missing" key), then the first
  // error recorded by a getter.
  absl::Status Finish() const;

 private:
  // The scalar text of `key`; nullopt when absent/null (error if required)
  // or not a scalar (error).
  std::optional<std::string> Scalar(std::string_view key, Need need);
  YAML::Node Child(std::string_view key) const;
  void Fail(std::string_view key, std::string_view message);

  YAML::Node node_;
  std::string path_;
  std::vector<std::string> keys_;  // in file order
  std::set<std::string, std::less<>> known_;
  absl::Status status_;
};

}  // namespace switchyard::config
