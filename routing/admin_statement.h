// Statements the proxy answers itself instead of sending them to a server.
//
// Today there is one: SHOW SWITCHYARD SERVERS (any case and spacing, an
// optional trailing ';'), on both endpoints. A text that starts with
// SHOW SWITCHYARD but is not exactly that statement — another word after it,
// or more statements in the same query string — is also the proxy's to
// answer, with an error that says what it accepts: sent on, a server would
// report a syntax error that names neither the proxy nor the cause.
//
// Pure: reads the text only, without allocating; a text that does not start
// with SHOW is turned down at its first word (MySQL checks every query).
#pragma once

#include <string_view>

namespace switchyard::routing {

enum class AdminStatement {
  kNone,         // not the proxy's: send it on
  kShowServers,  // SHOW SWITCHYARD SERVERS
  kMisused,      // starts with SHOW SWITCHYARD, but is not that one statement
};

AdminStatement ClassifyAdminStatement(std::string_view sql);

// The error text for kMisused (the caller adds its protocol's code).
inline constexpr std::string_view kAdminMisusedMessage =
    "switchyard answers SHOW SWITCHYARD SERVERS only as a statement of its own (not "
    "followed by other words or statements in the same query string, not prepared)";

}  // namespace switchyard::routing
