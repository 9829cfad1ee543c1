// Keeping a client's session parameters on whichever backend serves it.
//
// A client's wanted parameters (startup parameters, then tracked SETs) and a
// backend's known values are both ParameterMaps keyed by lower-case name.
// BuildParameterSync returns the SQL that makes the backend match the client,
// or "" when it already does — the common case, which costs nothing.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace switchyard::pg {

using ParameterMap = std::map<std::string, std::string, std::less<>>;

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
