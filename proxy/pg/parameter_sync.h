// Keeping a client's session parameters on whichever backend serves it.
//
// A client's wanted parameters (startup parameters, then tracked SETs) and a
// backend's known values are both ParameterMaps keyed by lower-case name.
// BuildParameterSync returns the SQL that makes the backend match the client,
// or "" when it already does — the common case, which costs nothing.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace switchyard::pg {

using ParameterMap = std::map<std::string, std::string, std::less<>>;

// A client session's parameters, copy-on-write: sessions that logged in with
// the same parameters share one map (see Intern), and a copy is made only when
// one of them changes a value. With thousands of idle clients this keeps each
// session's share to one pointer instead of a dozen map nodes.
class SessionParameters {
 public:
  SessionParameters() : map_(std::make_shared<const ParameterMap>()) {}
  explicit SessionParameters(ParameterMap m)
      : map_(std::make_shared<const ParameterMap>(std::move(m))) {}

  const ParameterMap& get() const { return *map_; }
  const std::shared_ptr<const ParameterMap>& shared() const { return map_; }
  void Set(const std::string& name, std::string_view value);
  void Erase(const std::string& name);
  // Shares `other`'s map when equal to this one (call after building a map
  // that many sessions are likely to have: the login parameters).
  void Intern(const SessionParameters& other);

 private:
  ParameterMap& Mutable();
  std::shared_ptr<const ParameterMap> map_;
};

// `backend` is updated to what it will hold once the SQL has run.
// Parameters the backend holds but the client does not want are RESET when
// they are not reported by the server (reported ones always have a wanted
// value, taken from the server's defaults at login).
std::string BuildParameterSync(const ParameterMap& wanted, ParameterMap& backend);

// Startup parameters that are not session settings and never synchronized.
bool IsConnectionParameter(std::string_view name);

// Quotes `s` as a SQL string literal ('it''s').
std::string QuoteLiteral(std::string_view s);

std::string ToLower(std::string_view s);

}  // namespace switchyard::pg
