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
#include "routing/admin_statement.h"

namespace switchyard::proxy {
namespace {

std::string ServersResult(const ClusterState& c) {
  std::string out;
  pg::AppendTextRowDescription(out, ServerListingColumns());
  for (const std::vector<std::string>& row : ServerListingRows(c)) pg::AppendDataRow(out, row);
  pg::AppendCommandComplete(out, fmt::format("SHOW {}", c.servers.size()));
  return out;
}

}  // namespace

Awaitable<bool> PgClientSession::AnswerAdminQuery(const pg::Frame& frame) {
  auto sql = pg::ParseQuery(frame.body);
  if (!sql.ok()) co_return false;
  const routing::AdminStatement admin = routing::ClassifyAdminStatement(*sql);
  if (admin == routing::AdminStatement::kNone) co_return false;
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
