// PgClientSession: statements the proxy answers itself.
//
//   SHOW SWITCHYARD SERVERS   each server of the client's cluster: role,
//                             health, lag, load (what routing sees now)
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

}  // namespace

Awaitable<bool> PgClientSession::AnswerAdminQuery(const pg::Frame& frame) {
  auto sql = pg::ParseQuery(frame.body);
  if (!sql.ok() || sql->size() > 64) co_return false;
  if (!IsShowSwitchyardServers(*sql)) co_return false;
  if (backend_ && !w().tracker.empty()) co_return false;  // answers still in flight: let it fail
  std::string out = ServersResult(*listener_.cluster);
  pg::AppendReadyForQuery(out, txn_status_);
  co_await WriteClient(out);
  co_return true;
}

}  // namespace switchyard::proxy
