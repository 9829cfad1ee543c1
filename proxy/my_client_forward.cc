// MyClientSession: routing a command, checking a backend out, bringing its
// session in line with the client's (database, tracked variables), forwarding
// the command, and what a completed response changes (session effects,
// transaction state, release).
#include <fmt/format.h>

#include <utility>

#include "common/fmt_absl.h"
#include "proxy/my_client.h"
#include "proxy/pin_log.h"
#include "proxy/server_choice.h"
#include "routing/admin_statement.h"

namespace switchyard::proxy {
namespace {

bool SameName(const std::string& a, const std::string& b) {
  // SET NAMES also sets the character_set_* / collation_connection variables.
  auto charset = [](const std::string& n) {
    return n == "names" || n == "character_set_client" || n == "character_set_connection" ||
           n == "character_set_results" || n == "collation_connection";
  };
  return a == b || (a == "names" && charset(b)) || (b == "names" && charset(a));
}

// Records an assignment: replaces what it overrides, keeps the order of SETs.
void Assign(MyVariables& vars, const std::string& name, const std::string& text) {
  std::erase_if(vars, [&](const auto& v) { return SameName(v.first, name); });
  if (!text.empty()) vars.emplace_back(name, text);
}

}  // namespace

MyPool& MyClientSession::PoolFor(ServerState& server) {
  // Remembered while the session serves commands; login asks once and
  // keeps nothing (an idle session holds no Work).
  Work* work = busy_ ? &w() : work_.find();
  if (work) {
    if (MyPool* pool = work->pools.Find(server)) return *pool;
  }
  MyCredentials cred;
  cred.user = user_config_ && user_config_->backend_user ? *user_config_->backend_user : user_;
  cred.password = user_config_ && user_config_->backend_password
                      ? *user_config_->backend_password
                      : (user_config_ ? user_config_->password : "");
  cred.database = login_database_;
  cred.client_capabilities = caps_;
  cred.character_set = character_set_;
  cred.track_gtid = cluster_->cluster.freshness.read_your_writes;
  PoolKey key{user_, login_database_, &server, MyPoolVariant(caps_, character_set_)};
  MyPool& pool = worker_.MySqlPool(key, cred, pool_settings_.pool_size);
  if (work) work->pools.Remember(server, pool);
  return pool;
}

routing::Target MyClientSession::RouteStatements(const AnalysisList& list) const {
  return routing::RouteTarget(list, !cluster_->replicas.empty());
}

Awaitable<absl::Status> MyClientSession::Query(std::string_view payload) {
  const std::string_view sql = mysql::CommandBody(payload);
  switch (routing::ClassifyAdminStatement(sql, parser::Dialect::kMySql)) {
    case routing::AdminStatement::kShowServers:
      return AnswerServers();
    case routing::AdminStatement::kMisused:
      return SendErr(my_error::kParseError, "42000", routing::kAdminMisusedMessage, 1);
    case routing::AdminStatement::kNone:
      break;
  }
  auto analysis = worker_.Analyze(sql, parser::Dialect::kMySql);
  if (!txn_lost().empty()) return QueryAfterLostTransaction(payload, std::move(analysis));
  NoteHint(*analysis);
  return SendQuery(payload, std::move(analysis));
}

Awaitable<absl::Status> MyClientSession::QueryAfterLostTransaction(
    std::string_view payload, std::shared_ptr<const AnalysisList> analysis) {
  auto answered = co_await AnsweredAfterLostTransaction(*analysis);
  if (!answered.ok() || *answered) co_return answered.status();
  NoteHint(*analysis);
  co_return co_await SendQuery(payload, std::move(analysis));
}

Awaitable<absl::Status> MyClientSession::SendQuery(std::string_view payload,
                                                   std::shared_ptr<const AnalysisList> analysis) {
  Awaitable<absl::Status> first = QueryOnce(payload, analysis, 0);
  if (backend_ && !w().retry_read) return first;  // cannot be sent again
  return Retrying(std::move(first), [this, payload, analysis](int attempt) {
    return QueryOnce(payload, analysis, attempt);
  });
}

Awaitable<absl::Status> MyClientSession::QueryOnce(std::string_view payload,
                                                   std::shared_ptr<const AnalysisList> analysis,
                                                   int attempt) {
  AttachPlan plan;
  if (!AttachNowForCommand(*analysis, attempt, plan)) {
    return QueryOnceSlowly(payload, std::move(analysis), attempt, std::move(plan));
  }
  NoteWrite(*analysis);
  NoteEffects(*analysis);
  return Forward(payload);
}

Awaitable<absl::Status> MyClientSession::QueryOnceSlowly(
    std::string_view payload, std::shared_ptr<const AnalysisList> analysis, int attempt,
    AttachPlan plan) {
  absl::Status s = co_await AttachForCommand(std::move(plan), attempt);
  if (!s.ok() || !backend_) co_return s;
  NoteWrite(*analysis);
  NoteEffects(*analysis);
  co_return co_await Forward(payload);
}

Awaitable<absl::Status> MyClientSession::InitDb(std::string_view payload) {
  AttachPlan plan;
  if (!AttachNow(routing::Target::kPrimary, plan)) {
    absl::Status s = co_await EnsureBackend(std::move(plan));
    if (!s.ok() || !backend_) co_return s;
  }
  Work& work = w();
  work.pending_effects.push_back({routing::SessionEffect::Kind::kSetParameter, "", "database",
                                  std::string(mysql::CommandBody(payload))});
  work.effects_statements = 1;
  co_return co_await Forward(payload);
}

bool MyClientSession::AttachNow(routing::Target target, AttachPlan& plan) {
  if (backend_) return true;
  plan.target = target;
  plan.chosen = proxy::ChooseServer(*cluster_, target, ReadNeeds(),
                                    [this] { return worker_.Random(); });
  if (!plan.chosen.ok() || MayWaitForFreshReplica(*plan.chosen, target)) return false;
  MyPool& pool = PoolFor(**plan.chosen);
  std::unique_ptr<MyBackend> b = pool.TakeIdle();
  if (!b) return false;
  Adopt(std::move(b), &pool, *plan.chosen, target);
  return true;
}

Awaitable<absl::Status> MyClientSession::EnsureBackend(AttachPlan plan) {
  absl::Status s = co_await AttachBackend(std::move(plan));
  if (s.ok()) co_return s;
  if (absl::IsResourceExhausted(s)) {
    co_return co_await SendErr(my_error::kConCount, "08004", std::string(s.message()), 1);
  }
  if (absl::IsFailedPrecondition(s)) {  // ER_OPTION_PREVENTS_STATEMENT, as a read-only server says
    co_return co_await SendErr(my_error::kOptionPrevents, "HY000", std::string(s.message()), 1);
  }
  co_return co_await SendErr(my_error::kConnectFailed, "HY000",
                             fmt::format("Can't connect to {}", s.message()), 1);
}

Awaitable<absl::Status> MyClientSession::AttachBackend(AttachPlan plan) {
  const routing::Target target = plan.target;
  auto chosen = co_await WaitForFreshReplica(std::move(plan.chosen), target);
  if (!chosen.ok()) co_return chosen.status();  // two primaries: writes refused
  auto got = co_await CheckoutWithFallback(
      *cluster_, *chosen, [this](ServerState& s) -> MyPool& { return PoolFor(s); },
      shared().log(), [this] { return Tag(); });
  if (!got.backend.ok()) co_return got.backend.status();
  Adopt(std::move(*got.backend), got.pool, got.server, target);
  co_return absl::OkStatus();
}

void MyClientSession::Adopt(std::unique_ptr<MyBackend> b, MyPool* pool, ServerState* server,
                            routing::Target target) {
  backend_ = std::move(b);
  backend_pool_ = pool;
  server->outstanding.fetch_add(1, std::memory_order_relaxed);
  server->transactions.fetch_add(1, std::memory_order_relaxed);
  if (target == routing::Target::kReplica) server->reads.fetch_add(1, std::memory_order_relaxed);
  w().wrote = false;
  if (pinned_) {
    LogPinned(shared().log(), Tag(), backend_->id, server->label, pin_reason());
  }
}

bool MyClientSession::InSync() const {
  const MyBackend& b = *backend_;
  return (database_.empty() || b.schema == database_) && b.variables == variables();
}

// Makes the backend's database and tracked variables the client's, with at
// most one hidden command each. FailedPrecondition: the server refused (the
// client sees its message); other errors: the backend is lost.
Awaitable<absl::Status> MyClientSession::SyncSession() {
  MyBackend& b = *backend_;
  if (!database_.empty() && b.schema != database_) {
    auto r = co_await RunHiddenCommand(b, std::string("\x02") + database_);
    if (!r.ok()) co_return r.status();
    if (r->summary.is_error) co_return absl::FailedPreconditionError(r->summary.error_message);
    b.schema = database_;
  }
  const MyVariables& variables = this->variables();
  if (b.variables == variables) co_return absl::OkStatus();
  std::string sql = "\x03SET ";
  bool first = true;
  auto add = [&](std::string_view text) {
    if (!first) sql += ", ";
    sql += text;
    first = false;
  };
  for (const auto& [name, text] : b.variables) {
    const bool kept = std::any_of(variables.begin(), variables.end(),
                                  [&](const auto& v) { return SameName(v.first, name); });
    if (kept) continue;
    if (SameName(name, "names")) add(b.names_default);
    else add(fmt::format("{}=DEFAULT", name));
  }
  for (const auto& [name, text] : variables) add(text);
  auto r = co_await RunHiddenCommand(b, sql);
  if (!r.ok()) co_return r.status();
  if (r->summary.is_error) {
    shared().log().warn("{} session sync failed on b{}: {} ({})", Tag(), b.id,
                       r->summary.error_message, sql.substr(1));
    co_return absl::FailedPreconditionError(r->summary.error_message);
  }
  b.variables = variables;
  co_return absl::OkStatus();
}

// SyncSession, with its failures handled: true when the backend is ready;
// false when the client got an ERR instead; an error when the client is gone.
Awaitable<absl::StatusOr<bool>> MyClientSession::Synced() {
  absl::Status s = co_await SyncSession();
  if (s.ok()) co_return true;
  if (!absl::IsFailedPrecondition(s)) {
    s = co_await BackendLost(s, false);
    if (!s.ok()) co_return s;
    co_return false;
  }
  w().pending_effects.clear();
  s = co_await SendErr(1105, "HY000",
                       fmt::format("switchyard could not restore the session on {}: {}",
                                   backend_->server->label, s.message()), 1);
  AfterResponse();
  if (!s.ok()) co_return s;
  co_return false;
}

size_t MyClientSession::Payload::size() const {
  size_t n = 0;
  for (size_t i = 0; i < count; ++i) n += pieces[i].size();
  return n;
}

// Syncs the session, sends the client's command and relays the response.
Awaitable<absl::Status> MyClientSession::Forward(Payload payload) {
  if (!InSync()) return SyncThenSend(payload);
  return SendAndRelay(payload);  // no coroutine frame for Forward itself
}

Awaitable<absl::Status> MyClientSession::SyncThenSend(Payload payload) {
  auto ready = co_await Synced();
  if (!ready.ok()) co_return ready.status();
  if (!*ready) co_return absl::OkStatus();
  co_return co_await SendAndRelay(payload);
}

// Sends a command (sequence id 0) as it is, as far as the backend's socket
// takes it now, and returns what writes any rest and relays the response.
Awaitable<absl::Status> MyClientSession::SendAndRelay(Payload payload) {
  const auto shape = mysql::LookupCommand(static_cast<uint8_t>(payload.pieces[0][0])).shape;
  const size_t size = payload.size();
  std::string rest;
  absl::Status s;
  if (size >= mysql::kMaxChunkPayload) {  // split in chunks: joined (rare)
    std::string joined;
    for (size_t i = 0; i < payload.count; ++i) joined += payload.pieces[i];
    mysql::AppendPacket(joined, 0, rest);
  } else {
    const char header[mysql::kPacketHeaderSize] = {
        static_cast<char>(size & 0xFF), static_cast<char>((size >> 8) & 0xFF),
        static_cast<char>((size >> 16) & 0xFF), 0};
    std::array<std::string_view, 6> pieces{std::string_view(header, sizeof header)};
    std::copy_n(payload.pieces.begin(), payload.count, pieces.begin() + 1);
    size_t sent = 0;
    s = SendNow(backend_->socket, std::span(pieces.data(), payload.count + 1), sent);
    for (size_t i = 0; s.ok() && i <= payload.count; ++i) {  // what the socket had no room for
      const size_t skip = std::min(sent, pieces[i].size());
      rest.append(pieces[i].substr(skip));
      sent -= skip;
    }
  }
  if (!s.ok()) return BackendLost(s, false);
  if (!rest.empty()) return WriteRestAndRelay(std::move(rest), shape);
  if (shape == mysql::ResponseShape::kNone) return Done(absl::OkStatus());
  return Relay(shape);
}

Awaitable<absl::Status> MyClientSession::WriteRestAndRelay(std::string rest,
                                                           mysql::ResponseShape shape) {
  absl::Status s = co_await WriteAll(backend_->socket, rest);
  if (!s.ok()) co_return co_await BackendLost(s, false);
  if (shape == mysql::ResponseShape::kNone) co_return absl::OkStatus();
  co_return co_await Relay(shape);
}

Awaitable<absl::Status> MyClientSession::Done(absl::Status s) { co_return s; }

void MyClientSession::NoteEffects(const AnalysisList& list) {
  Work& work = w();
  work.effects_statements = list.size();
  for (const parser::Analysis& a : list) {
    routing::SessionEffect e =
        routing::ClassifySessionEffect(a, status_ & mysql::kServerStatusInTrans,
                                       parser::Dialect::kMySql);
    if (e.kind == routing::SessionEffect::Kind::kNone) continue;
    if (e.kind == routing::SessionEffect::Kind::kPin) {
      if (!pinned_) {
        Pin(e.reason);
        LogPinned(shared().log(), Tag(), backend_->id, backend_->server->label, e.reason);
      }
      continue;
    }
    work.pending_effects.push_back(std::move(e));
  }
}

void MyClientSession::ApplyEffects(bool failed) {
  Work& work = w();
  if (work.pending_effects.empty()) return;
  if (failed && work.effects_statements > 1 && !pinned_) {
    // Which statements of the multi-statement ran is unknown: stay put.
    Pin("session change in a failed multi-statement");
  }
  if (failed) {
    work.pending_effects.clear();
    return;
  }
  using Kind = routing::SessionEffect::Kind;
  for (const routing::SessionEffect& e : work.pending_effects) {
    if (e.parameter == "database") {
      database_ = e.value;
      if (backend_) backend_->schema = e.value;
      continue;
    }
    const std::string text = e.kind == Kind::kSetParameter ? e.value : std::string();
    Assign(x().variables, e.parameter, text);
    if (backend_) Assign(backend_->variables, e.parameter, text);
  }
  work.pending_effects.clear();
}

// After a complete response: follow the transaction state, and give the
// backend back when nothing keeps it.
void MyClientSession::AfterResponse() {
  if (!backend_) return;
  status_ = backend_->status;
  const bool idle = (status_ & mysql::kServerStatusAutocommit) &&
                    !(status_ & mysql::kServerStatusInTrans);
  if (idle && !pinned_ && !w().long_data_pending) DisposeBackend(true);
}

}  // namespace switchyard::proxy
