// PgClientSession: statements the proxy answers itself.
//
//   SHOW SWITCHYARD SERVERS   each server of the client's cluster: role,
//                             health, lag, load (what routing sees now)
//   SHOW SWITCHYARD …else…    an error saying what the proxy accepts
//                             (routing/admin_statement.h)
#include <fmt/format.h>

#include "proxy/pg/backend_messages.h"
#include "proxy/pg/frontend_messages.h"
#include "proxy/pg_client.h"

namespace switchyard::proxy {
namespace {

std::string ServersResult(const ClusterState& c) {
  std::string out;
  pg::AppendTextRowDescription(out, ServerListingColumns());
  for (const std::vector<std::string>& row : ServerListingRows(c)) pg::AppendDataRow(out, row);
  pg::AppendCommandComplete(out, fmt::format("SHOW {}", c.servers.size()));
  return out;
}

// The listing as a query whose answer is those rows, all text: E'' strings
// (read the same whatever standard_conforming_strings is), quoted column
// names.
std::string ServersAsQuery(const ClusterState& c) {
  std::string sql = "SELECT * FROM (VALUES ";
  const std::vector<std::vector<std::string>> rows = ServerListingRows(c);
  for (size_t r = 0; r < rows.size(); ++r) {
    sql += r ? ", (" : "(";
    for (size_t i = 0; i < rows[r].size(); ++i) {
      sql += i ? ", E'" : "E'";
      for (char ch : rows[r][i]) {
        if (ch == '\\' || ch == '\'') sql += ch;
        sql += ch;
      }
      sql += "'::text";
    }
    sql += ')';
  }
  sql += ") AS switchyard_servers(";
  const std::vector<std::string> columns = ServerListingColumns();
  for (size_t i = 0; i < columns.size(); ++i) sql += fmt::format("{}\"{}\"", i ? ", " : "", columns[i]);
  sql += ')';
  return sql;
}

}  // namespace

// Drivers that send every statement through the extended protocol (JDBC and
// the GUI tools on it) Parse the text unnamed each time they run it: the
// server gets a query of the listing as of now, so that Describe, Execute,
// errors and pipelining follow the protocol without the proxy imitating
// them. A named statement is left to the server (which refuses the text):
// prepared once, it would show its first answer forever.
bool PgClientSession::TranslateAdminParse(const pg::ParseMessage& p, std::string& out) {
  if (routing::ClassifyAdminStatement(p.query, parser::Dialect::kPostgres) != routing::AdminStatement::kShowServers) {
    return false;
  }
  pg::AppendParse(out, "", ServersAsQuery(*listener_.cluster), p.parameter_types);
  return true;
}

Awaitable<bool> PgClientSession::AnswerAdminQuery(routing::AdminStatement admin) {
  if (backend_ && !w().tracker.empty()) co_return false;  // answers still in flight: let it fail
  std::string out;
  if (admin == routing::AdminStatement::kShowServers) {
    out = ServersResult(*listener_.cluster);
  } else {
    // Nothing reached a server: an open transaction stays as it was.
    out = pg::EncodeErrorResponse({"ERROR", std::string(pg::sqlstate::kSyntaxError),
                                   std::string(routing::kAdminMisusedMessage), "", ""});
  }
  pg::AppendReadyForQuery(out, txn_status_);
  co_await WriteClient(out);
  co_return true;
}

}  // namespace switchyard::proxy
