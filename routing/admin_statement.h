// Statements the proxy answers itself instead of sending them to a server.
//
// Today there is one: SHOW SWITCHYARD SERVERS (any case and spacing, an
// optional trailing ';'), on both endpoints. A text that holds SHOW
// SWITCHYARD but is not exactly that statement — another word after it, or
// more statements before or after it in the same query string — is also
// the proxy's to answer, with an error that says what it accepts: sent on,
// a server would report a syntax error that names neither the proxy nor the
// cause (and would run the statements before it).
//
// Pure: reads the text only. A text of one statement (no ';' with anything
// but blanks after it) is checked at its first word without allocating
// (MySQL checks every query); only a text of several statements is split
// (parser::StatementTexts, which knows quotes and comments) to check each.
#pragma once

#include <string_view>

#include "parser/analysis.h"

namespace switchyard::routing {

enum class AdminStatement {
  kNone,         // not the proxy's: send it on
  kShowServers,  // SHOW SWITCHYARD SERVERS
  kMisused,      // starts with SHOW SWITCHYARD, but is not that one statement
};

AdminStatement ClassifyAdminStatement(std::string_view sql, parser::Dialect dialect);

// False when `sql` certainly holds no statement after its first: it has no
// ';' followed by anything but blanks. A cheap test for callers that look
// at the first word themselves before calling ClassifyAdminStatement().
bool MayHoldSeveralStatements(std::string_view sql);

// The error text for kMisused (the caller adds its protocol's code).
inline constexpr std::string_view kAdminMisusedMessage =
    "switchyard answers SHOW SWITCHYARD SERVERS only as a statement of its own (alone in "
    "its query string, no other statements before or after it, no other words; not "
    "prepared)";

}  // namespace switchyard::routing
