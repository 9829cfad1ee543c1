// PgClientSession: sending a batch — backend checkout, parameter sync,
// prepared-statement translation and session effects.
#include <fmt/format.h>

#include "proxy/pg/backend_messages.h"
#include "proxy/pg/frontend_messages.h"
#include "proxy/pg_client.h"
#include "proxy/server_choice.h"

namespace switchyard::proxy {
namespace {

std::string ServerStatementName(uint64_t id) { return fmt::format("sy_{:016x}", id); }

uint64_t StatementId(std::string_view query, std::string_view types) {
  std::string key;
  key.reserve(query.size() + types.size() + 1);
  key.append(query).push_back('\0');
  key.append(types);
  return std::hash<std::string>{}(key);
}

int ReadyForQueryOwed(const std::string& bytes) {
  int n = 0;
  for (size_t i = 0; i + pg::kHeaderSize <= bytes.size();) {
    auto r = pg::DecodeFrame(std::string_view(bytes).substr(i), UINT32_MAX);
    if (r.status != pg::DecodeStatus::kFrame) break;
    n += (r.frame.type == 'S' || r.frame.type == 'Q' || r.frame.type == 'F');
    i += r.consumed;
  }
  return n;
}

}  // namespace

PgPool& PgClientSession::PoolFor(ServerState& server) {
  BackendCredentials cred;
  cred.user = user_config_ && user_config_->backend_user ? *user_config_->backend_user : user_;
  cred.password = user_config_ && user_config_->backend_password
                      ? *user_config_->backend_password
                      : (user_config_ ? user_config_->password : "");
  cred.database = database_;
  return worker_.Pool(PoolKey{user_, database_, &server}, cred, pool_settings_.pool_size);
}

routing::ReadRequirement PgClientSession::ReadNeeds() const {
  routing::ReadRequirement need;
  if (listener_.cluster->cluster.freshness.read_your_writes) need.min_position = ryw_position_;
  if (work_) need.max_lag_ms = work_->batch_max_lag_ms;
  return need;
}

Awaitable<absl::Status> PgClientSession::AttachBackend(routing::Target target) {
  ClusterState& cluster = *listener_.cluster;
  auto random = [this] { return worker_.Random(); };
  auto chosen = ChooseServer(cluster, target, ReadNeeds(), random);
  // Read-your-writes may wait a little for a replica to replay this session's
  // last write (read_your_writes_wait, default 0: straight to the primary).
  const int wait_ms = cluster.cluster.freshness.read_your_writes_wait_ms;
  if (chosen.ok() && target == routing::Target::kReplica && (*chosen)->ActsAsPrimary() &&
      ryw_position_ > 0 && wait_ms > 0) {
    asio::steady_timer timer(client_.get_executor());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
    while ((*chosen)->ActsAsPrimary() && std::chrono::steady_clock::now() < deadline) {
      timer.expires_after(std::chrono::milliseconds(10));
      co_await timer.async_wait(kUseAwaitable);
      chosen = ChooseServer(cluster, target, ReadNeeds(), random);
    }
  }
  if (!chosen.ok()) co_return chosen.status();
  auto got = co_await CheckoutWithFallback(
      cluster, *chosen, [this](ServerState& s) -> PgPool& { return PoolFor(s); }, shared_.log(),
      [this] { return Tag(); });
  if (!got.backend.ok()) co_return got.backend.status();
  ServerState* server = got.server;
  PgPool* pool = got.pool;
  auto& b = got.backend;
  backend_ = std::move(*b);
  backend_pool_ = pool;
  server->outstanding.fetch_add(1, std::memory_order_relaxed);
  server->transactions.fetch_add(1, std::memory_order_relaxed);
  if (target == routing::Target::kReplica) server->reads.fetch_add(1, std::memory_order_relaxed);
  w().tracker.Clear();
  w().stream_remaining = 0;
  relay_running_ = true;
  auto self = shared_from_this();
  asio::co_spawn(worker_.io(), [self]() { return self->Relay(); }, asio::detached);
  co_return absl::OkStatus();
}

Awaitable<absl::Status> PgClientSession::FlushBatch() {
  if (w().batch.empty()) co_return absl::OkStatus();
  if (!w().flush_mu.TryLock()) co_await w().flush_mu.Lock();
  routing::RouteDecision decision = RouteBatch(w().batch);
  if (!backend_ && txn_status_ == 'I' && !session_mode_ && IsPrepareOnly(w().batch)) {
    absl::Status s = co_await AnswerPrepareOnly();
    w().flush_mu.Unlock();
    co_return s;
  }
  if (backend_ && !backend_->server->ActsAsPrimary() && txn_status_ == 'I' && !pinned_ &&
      !session_mode_ && decision.target == routing::Target::kPrimary) {
    // Pipelined after a read on a replica: let that finish, then move.
    if (!w().detached) w().detached = std::make_unique<Signal>(client_.get_executor());
    while (backend_ && !closing_) co_await w().detached->Wait(asio::steady_timer::time_point::max());
  }
  absl::Status s = closing_ ? absl::CancelledError("closing") : co_await SendBatch(decision.target);
  w().flush_mu.Unlock();
  co_return s;
}

// Sends w().batch to the attached backend (attaching one for `target` first if
// needed); afterwards w().batch is empty and w().retry_batch holds what was sent.
Awaitable<absl::Status> PgClientSession::SendBatch(routing::Target target) {
  if (!backend_) {
    absl::Status s = co_await AttachBackend(target);
    if (!s.ok()) {
      std::string_view state = absl::IsResourceExhausted(s)    ? pg::sqlstate::kTooManyConnections
                               : absl::IsFailedPrecondition(s) ? pg::sqlstate::kReadOnlyTransaction
                                                               : pg::sqlstate::kConnectionFailure;
      pg::ErrorFields e{"ERROR", std::string(state), std::string(s.message()), "", ""};
      const int owed = ReadyForQueryOwed(w().batch.bytes);
      w().batch.Clear();
      co_return co_await SendToClientError(e, owed);
    }
  }
  if (!w().backend_write_mu.TryLock()) co_await w().backend_write_mu.Lock();
  if (!backend_) {  // lost while waiting for the lock; the relay told the client
    w().backend_write_mu.Unlock();
    w().batch.Clear();
    co_return absl::OkStatus();
  }
  const bool lone = w().tracker.empty();
  std::string out;
  std::string sync;
  if (backend_->params_synced_to != wanted_.shared()) {
    sync = pg::BuildParameterSync(wanted_.get(), backend_->params);
    backend_->params_synced_to = wanted_.shared();
  }
  if (!sync.empty()) {
    pg::AppendQuery(out, sync);
    w().tracker.Expect(pg::Pending::kHiddenQuery);
  }
  TranslateBatch(w().batch, out);
  w().retry_ok = lone && target == routing::Target::kReplica && txn_status_ == 'I' &&
              !backend_->server->ActsAsPrimary() && !pinned_;
  std::swap(w().batch, w().retry_batch);
  w().batch.Clear();
  w().relayed_since_flush = false;
  w().completed_since_flush = 0;
  if (relay_reading_) {
    std::string synthetic;
    w().tracker.TakeSynthetic(synthetic);
    if (!synthetic.empty()) co_await WriteClient(synthetic);
  }
  absl::Status s = co_await WriteBackend(out);
  w().backend_write_mu.Unlock();
  co_return s;
}

void PgClientSession::TranslateBatch(const Batch& batch, std::string& out) {
  for (const Batch::Message& m : batch.messages) {
    const pg::Frame f = batch.frame(m);
    switch (f.type) {
      case 'Q': {
        pg::AppendFrame(out, f.type, f.body);
        w().tracker.Expect(pg::Pending::kQuery);
        if (m.analysis) {
          NoteStatements(*m.analysis);
        } else if (auto sql = pg::ParseQuery(f.body); sql.ok()) {
          NoteStatements(*worker_.Analyze(*sql, parser::Dialect::kPostgres));
        }
        break;
      }
      case 'F':
        pg::AppendFrame(out, f.type, f.body);
        w().tracker.Expect(pg::Pending::kQuery);
        break;
      case 'P':
        TranslateParse(f, m.analysis, out);
        break;
      case 'B':
        TranslateBind(f, out);
        break;
      case 'D': case 'C':
        TranslateDescribeOrClose(f, out);
        break;
      case 'E':
        pg::AppendFrame(out, f.type, f.body);
        w().tracker.Expect(pg::Pending::kExecute);
        break;
      case 'S':
        pg::AppendFrame(out, f.type, f.body);
        w().tracker.Expect(pg::Pending::kSync);
        break;
      default:  // 'H' Flush: no reply of its own
        pg::AppendFrame(out, f.type, f.body);
        break;
    }
  }
}

void PgClientSession::TranslateParse(const pg::Frame& f,
                                     std::shared_ptr<const AnalysisList> analysis,
                                     std::string& out) {
  auto p = pg::ParseParse(f.body);
  if (p.ok() && !analysis) analysis = worker_.Analyze(p->query, parser::Dialect::kPostgres);
  if (!p.ok() || p->statement.empty()) {
    if (p.ok()) unnamed_analysis_ = std::move(analysis);
    pg::AppendFrame(out, f.type, f.body);  // the server reports malformed ones
    w().tracker.Expect(pg::Pending::kParse);
    return;
  }
  Statement st = MakeStatement(*p, std::move(analysis));
  if (backend_->prepared.contains(st.id)) {
    w().tracker.Expect(pg::Pending::kSyntheticParseComplete);
  } else {
    pg::AppendParse(out, ServerStatementName(st.id), st.query, st.parameter_types);
    backend_->prepared.insert(st.id);
    w().tracker.Expect(pg::Pending::kParse, st.id);
  }
  statements_.insert_or_assign(std::string(p->statement), std::move(st));
}

PgClientSession::Statement PgClientSession::MakeStatement(
    const pg::ParseMessage& p, std::shared_ptr<const AnalysisList> analysis) {
  Statement st;
  st.id = StatementId(p.query, p.parameter_types);
  st.query = std::string(p.query);
  st.parameter_types = std::string(p.parameter_types);
  st.analysis = analysis ? std::move(analysis) : worker_.Analyze(p.query, parser::Dialect::kPostgres);
  return st;
}

// Named Parse messages and a Sync, nothing else: libpq's PQprepare.
bool PgClientSession::IsPrepareOnly(const Batch& batch) const {
  if (batch.messages.size() < 2 || batch.messages.back().type != 'S') return false;
  for (size_t i = 0; i + 1 < batch.messages.size(); ++i) {
    const Batch::Message& m = batch.messages[i];
    if (m.type != 'P') return false;
    auto p = pg::ParseParse(batch.frame(m).body);
    if (!p.ok() || p->statement.empty()) return false;
  }
  return true;
}

// Outside a transaction with no backend attached, a prepare-only batch is
// answered here and the statements are prepared on whichever backend first
// runs them (EnsurePrepared). Taking a backend just to prepare could wait
// behind every transaction in progress, and a client that prepares
// synchronously (pgbench -M prepared) would then stall its own open
// transactions. The price: a statement the server rejects fails at its first
// Bind instead of at Parse.
Awaitable<absl::Status> PgClientSession::AnswerPrepareOnly() {
  std::string out;
  for (size_t i = 0; i + 1 < w().batch.messages.size(); ++i) {
    const Batch::Message& m = w().batch.messages[i];
    auto p = pg::ParseParse(w().batch.frame(m).body);
    statements_.insert_or_assign(std::string(p->statement), MakeStatement(*p, m.analysis));
    pg::AppendParseComplete(out);
  }
  pg::AppendReadyForQuery(out, txn_status_);
  w().batch.Clear();
  co_return co_await WriteClient(out);
}

bool PgClientSession::EnsurePrepared(const Statement& st, std::string& out) {
  if (backend_->prepared.contains(st.id)) return false;
  pg::AppendParse(out, ServerStatementName(st.id), st.query, st.parameter_types);
  backend_->prepared.insert(st.id);
  w().tracker.Expect(pg::Pending::kHiddenParse, st.id);
  return true;
}

void PgClientSession::TranslateBind(const pg::Frame& f, std::string& out) {
  auto b = pg::ParseBind(f.body);
  auto it = b.ok() ? statements_.find(b->statement) : statements_.end();
  if (it == statements_.end()) {
    if (b.ok() && b->statement.empty() && unnamed_analysis_) NoteStatements(*unnamed_analysis_);
    pg::AppendFrame(out, f.type, f.body);
    w().tracker.Expect(pg::Pending::kBind);
    return;
  }
  EnsurePrepared(it->second, out);
  pg::AppendBind(out, b->portal, ServerStatementName(it->second.id), b->rest);
  w().tracker.Expect(pg::Pending::kBind);
  NoteStatements(*it->second.analysis);
}

void PgClientSession::TranslateDescribeOrClose(const pg::Frame& f, std::string& out) {
  auto t = pg::ParseTargetMessage(f.body);
  const bool describe = f.type == 'D';
  const pg::Pending pending =
      describe ? (t.ok() && t->target == 'P' ? pg::Pending::kDescribePortal
                                             : pg::Pending::kDescribeStatement)
               : pg::Pending::kClose;
  auto it = (t.ok() && t->target == 'S') ? statements_.find(t->name) : statements_.end();
  if (it == statements_.end()) {
    pg::AppendFrame(out, f.type, f.body);
    w().tracker.Expect(pending);
    return;
  }
  if (!describe) {
    // Server-side statements are shared by every client of the backend and
    // named by their text: closing only forgets the client's name for it.
    statements_.erase(it);
    w().tracker.Expect(pg::Pending::kSyntheticCloseComplete);
    return;
  }
  EnsurePrepared(it->second, out);
  pg::AppendTargetMessage(out, 'D', 'S', ServerStatementName(it->second.id));
  w().tracker.Expect(pending);
}

void PgClientSession::NoteStatements(const AnalysisList& list) {
  for (const parser::Analysis& a : list) {
    if (!a.read_only && a.kind != parser::StatementKind::kTransaction &&
        a.kind != parser::StatementKind::kSession && backend_->server->ActsAsPrimary()) {
      wrote_ = true;  // read-your-writes: learn the position when it commits
    }
    routing::SessionEffect e = routing::ClassifySessionEffect(a, txn_status_ != 'I');
    if (e.kind == routing::SessionEffect::Kind::kNone) continue;
    if (e.kind == routing::SessionEffect::Kind::kPin) {
      if (!pinned_) {
        pinned_ = true;
        pin_reason_ = e.reason;
        shared_.log().info("{} pinned to backend b{} on {}: {}", Tag(), backend_->id,
                           backend_->server->label, e.reason);
      }
      continue;
    }
    w().pending_effects.push_back(std::move(e));
  }
}

void PgClientSession::ApplyEffects() {
  using Kind = routing::SessionEffect::Kind;
  for (const routing::SessionEffect& e : w().pending_effects) {
    switch (e.kind) {
      case Kind::kSetParameter:
        if (routing::IsReportedParameter(e.parameter)) break;  // ParameterStatus says it
        wanted_.Set(e.parameter, e.value);
        if (backend_) {
          backend_->params[e.parameter] = e.value;
          backend_->params_synced_to.reset();
        }
        break;
      case Kind::kResetParameter: {
        auto it = startup_wanted_.get().find(e.parameter);
        if (it != startup_wanted_.get().end()) wanted_.Set(e.parameter, it->second);
        else wanted_.Erase(e.parameter);
        if (backend_ && !routing::IsReportedParameter(e.parameter)) {
          backend_->params.erase(e.parameter);
          backend_->params_synced_to.reset();
        }
        break;
      }
      case Kind::kResetAll:
      case Kind::kDiscardAll:
        wanted_ = startup_wanted_;
        if (backend_) {
          backend_->params_synced_to.reset();
          for (auto it = backend_->params.begin(); it != backend_->params.end();) {
            it = routing::IsReportedParameter(it->first) ? std::next(it)
                                                         : backend_->params.erase(it);
          }
          if (e.kind == Kind::kDiscardAll) backend_->prepared.clear();
        }
        break;
      case Kind::kDeallocateAll:
        if (backend_) backend_->prepared.clear();
        break;
      case Kind::kNone:
      case Kind::kPin:
        break;
    }
  }
  w().pending_effects.clear();
}

Awaitable<absl::Status> PgClientSession::SendToClientError(const pg::ErrorFields& e,
                                                           int ready_for_query) {
  std::string out;
  pg::AppendErrorResponse(out, e);
  for (int i = 0; i < ready_for_query; ++i) pg::AppendReadyForQuery(out, txn_status_);
  co_return co_await WriteClient(out);
}

Awaitable<absl::Status> PgClientSession::WriteBackend(const std::string& bytes) {
  if (!backend_) co_return absl::FailedPreconditionError("no backend");
  boost::system::error_code ec;
  co_await asio::async_write(backend_->socket, asio::buffer(bytes),
                             asio::redirect_error(kUseAwaitable, ec));
  // A failed write shows up in the relay as a lost connection; the client's
  // session carries on there.
  co_return absl::OkStatus();
}

Awaitable<absl::Status> PgClientSession::WriteClient(const std::string& bytes) {
  std::vector<asio::const_buffer> buffers{asio::buffer(bytes)};
  co_return co_await WriteClient(buffers);
}

Awaitable<absl::Status> PgClientSession::WriteClient(
    const std::vector<asio::const_buffer>& buffers) {
  // Without Work (still logging in) nothing else writes to the client; every
  // writer that may run beside another (the relay, Shutdown's notice) makes it.
  Work* work = work_.get();
  if (work && !work->client_write_mu.TryLock()) co_await work->client_write_mu.Lock();
  boost::system::error_code ec;
  co_await asio::async_write(client_, buffers, asio::redirect_error(kUseAwaitable, ec));
  if (work) work->client_write_mu.Unlock();
  if (ec) co_return absl::UnavailableError("client connection lost: " + ec.message());
  co_return absl::OkStatus();
}

}  // namespace switchyard::proxy
