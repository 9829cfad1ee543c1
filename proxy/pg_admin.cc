// PgClientSession: statements the proxy answers itself.
//
//   SHOW SWITCHYARD SERVERS   each server of the client's cluster: role,
//                             health, lag, load (what routing sees now)
#include <fmt/format.h>

#include <cctype>

#include "proxy/pg/backend_messages.h"
#include "proxy/pg/frontend_messages.h"
#include "proxy/pg_client.h"

namespace switchyard::proxy {
namespace {

// Upper-cased, whitespace-collapsed, without a trailing semicolon.
std::string Canonical(std::string_view sql) {
  std::string out;
  for (char c : sql) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
  return out;
}

std::string ServersResult(const ClusterState& c) {
  std::string out;
  pg::AppendTextRowDescription(
      out, {"cluster", "server", "host", "port", "role", "reachable", "down", "stale",
            "lag_ms", "lag_bytes", "position", "outstanding", "transactions", "reads",
            "rtt_us"});
  const int64_t now = SteadyNowMs();
  for (const ServerState* s : c.servers) {
    pg::AppendDataRow(
        out, {c.cluster.name, s->server.name, s->server.host, std::to_string(s->server.port),
              ToString(s->Role()), s->reachable ? "yes" : "no",
              s->down_until_ms.load() > now ? "yes" : "no", s->stale ? "yes" : "no",
              std::to_string(s->lag_ms.load()), std::to_string(s->lag_bytes.load()),
              fmt::format("{:X}/{:X}", s->position.load() >> 32, s->position.load() & 0xffffffff),
              std::to_string(s->outstanding.load()), std::to_string(s->transactions.load()),
              std::to_string(s->reads.load()), std::to_string(s->rtt_us.load())});
  }
  pg::AppendCommandComplete(out, fmt::format("SHOW {}", c.servers.size()));
  return out;
}

}  // namespace

Awaitable<bool> PgClientSession::AnswerAdminQuery(const pg::Frame& frame) {
  auto sql = pg::ParseQuery(frame.body);
  if (!sql.ok() || sql->size() > 64) co_return false;
  if (Canonical(*sql) != "SHOW SWITCHYARD SERVERS") co_return false;
  if (backend_ && !tracker_.empty()) co_return false;  // answers still in flight: let it fail
  std::string out = ServersResult(*listener_.cluster);
  pg::AppendReadyForQuery(out, txn_status_);
  co_await WriteClient(out);
  co_return true;
}

}  // namespace switchyard::proxy
