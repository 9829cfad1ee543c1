// PgClientSession: sending a batch — backend checkout, parameter sync and
// the write to the backend (translation: pg_client_translate.cc).
//
// The common case runs as plain calls (FlushNow: an idle connection taken
// from the pool, the batch sent with one non-blocking send); FlushBatch and
// its coroutines do what has to wait.
#include <fmt/format.h>

#include "proxy/pg/backend_messages.h"
#include "proxy/pg/frontend_messages.h"
#include "proxy/pg_client.h"
#include "proxy/server_choice.h"
#include "proxy/socket_io.h"

namespace switchyard::proxy {
namespace {

// A send buffer above this is released once sent, so a session keeps little.
constexpr size_t kSendBufferKept = 4096;

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
  // Remembered only while the session has work: login asks once, and an
  // idle session keeps nothing.
  Work* work = work_.find();
  if (work) {
    if (PgPool* pool = work->pools.Find(server)) return *pool;
  }
  BackendCredentials cred;
  cred.user = user_config_ && user_config_->backend_user ? *user_config_->backend_user : user_;
  cred.password = user_config_ && user_config_->backend_password
                      ? *user_config_->backend_password
                      : (user_config_ ? user_config_->password : "");
  cred.database = database_;
  PgPool& pool =
      worker_.Pool(PoolKey{user_, database_, &server}, cred, pool_settings_.pool_size);
  if (work) work->pools.Remember(server, pool);
  return pool;
}

routing::ReadRequirement PgClientSession::ReadNeeds() const {
  routing::ReadRequirement need;
  if (listener_.cluster->cluster.freshness.read_your_writes) need.min_position = ryw_position_;
  if (const Work* work = work_.find()) need.max_lag_ms = work->batch_max_lag_ms;
  return need;
}

bool PgClientSession::AwaitsReplay(routing::Target target, const ServerState& chosen) const {
  return target == routing::Target::kReplica && chosen.ActsAsPrimary() && ryw_position_ > 0 &&
         listener_.cluster->cluster.freshness.read_your_writes_wait_ms > 0;
}

bool PgClientSession::AttachNow(routing::Target target, ServerState*& chosen) {
  auto choice = ChooseServer(*listener_.cluster, target, ReadNeeds(),
                             [this] { return worker_.Random(); });
  // A refused choice (two primaries) took no counter: AttachBackend asks again.
  if (!choice.ok()) return false;
  chosen = *choice;
  if (AwaitsReplay(target, *chosen)) return false;
  PgPool& pool = PoolFor(*chosen);
  std::unique_ptr<PgBackend> b = pool.TakeIdle();
  if (!b) return false;
  Attach(chosen, &pool, std::move(b), target);
  return true;
}

Awaitable<absl::Status> PgClientSession::AttachBackend(routing::Target target,
                                                       ServerState* chosen_before) {
  ClusterState& cluster = *listener_.cluster;
  auto random = [this] { return worker_.Random(); };
  absl::StatusOr<ServerState*> chosen = chosen_before != nullptr
                                            ? absl::StatusOr<ServerState*>(chosen_before)
                                            : ChooseServer(cluster, target, ReadNeeds(), random);
  // Read-your-writes may wait a little for a replica to replay this session's
  // last write (read_your_writes_wait, default 0: straight to the primary).
  if (chosen.ok() && AwaitsReplay(target, **chosen)) {
    const int wait_ms = cluster.cluster.freshness.read_your_writes_wait_ms;
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
  Attach(got.server, got.pool, std::move(*got.backend), target);
  co_return absl::OkStatus();
}

void PgClientSession::Attach(ServerState* server, PgPool* pool, std::unique_ptr<PgBackend> b,
                             routing::Target target) {
  backend_ = std::move(b);
  backend_pool_ = pool;
  server->outstanding.fetch_add(1, std::memory_order_relaxed);
  server->transactions.fetch_add(1, std::memory_order_relaxed);
  if (target == routing::Target::kReplica) server->reads.fetch_add(1, std::memory_order_relaxed);
  w().tracker.Clear();
  w().stream_remaining = 0;
  relay_running_ = true;
  StartRelay();
}

// routing::Route's answer for the batch, statement by statement: no reason
// text, no vector of statements.
routing::Target PgClientSession::RouteBatch(Batch& batch) {
  size_t statements = 0;
  std::optional<int64_t> max_lag_ms;
  bool replica_capable = true;
  auto add = [&](const AnalysisList* list) {
    if (!list) return;
    for (const parser::Analysis& a : *list) {
      ++statements;
      if (!routing::ReplicaCapable(a)) replica_capable = false;
      if (a.hints.max_lag_ms && (!max_lag_ms || *a.hints.max_lag_ms < *max_lag_ms)) {
        max_lag_ms = a.hints.max_lag_ms;
      }
    }
  };
  for (Batch::Message& m : batch.messages) {
    const pg::Frame f = batch.frame(m);
    if (f.type == 'Q') {
      auto sql = pg::ParseQuery(f.body);
      if (sql.ok() && !m.analysis) m.analysis = worker_.Analyze(*sql, parser::Dialect::kPostgres);
      add(m.analysis.get());
    } else if (f.type == 'P') {
      auto p = pg::ParseParse(f.body);
      if (p.ok() && !m.analysis) m.analysis = worker_.Analyze(p->query, parser::Dialect::kPostgres);
      add(m.analysis.get());
    } else if (f.type == 'B') {
      auto b = pg::ParseBind(f.body);
      if (!b.ok()) continue;
      auto it = statements_.find(b->statement);
      if (it != statements_.end()) add(it->second.analysis.get());
      else if (b->statement.empty()) add(unnamed_analysis_.get());
    } else if (f.type == 'F') {
      return routing::Target::kPrimary;  // a function call
    }
  }
  w().batch_max_lag_ms = max_lag_ms;
  w().batch_statements = statements;
  const bool replica_available = listener_.cluster->servers.size() > 1;
  return statements > 0 && replica_capable && replica_available
             ? routing::Target::kReplica
             : routing::Target::kPrimary;
}

std::optional<Awaitable<absl::Status>> PgClientSession::FlushNow(absl::Status& status) {
  Work& work = w();
  status = absl::OkStatus();
  if (work.batch.empty()) return std::nullopt;
  if (closing_ || !work.flush_mu.TryLock()) return FlushBatch();
  const routing::Target target = RouteBatch(work.batch);
  ServerState* chosen = nullptr;
  // Whatever FlushBatch does differently (answer a prepare, wait for a
  // replica's read to end, a connection to be opened or freed) is its turn.
  const bool prepare_only =
      !backend_ && txn_status_ == 'I' && !session_mode_ && IsPrepareOnly(work.batch);
  if (prepare_only || (backend_ && MustMoveOff(target)) ||
      (!backend_ && !AttachNow(target, chosen)) || !work.backend_write_mu.TryLock()) {
    work.flush_mu.Unlock();
    return FlushBatch(chosen);
  }
  std::string synthetic;
  PrepareSend(target, synthetic);
  if (!synthetic.empty()) return FinishSend(std::move(synthetic), 0);
  std::string_view rest = work.send_buf;
  // A failed send shows up in the relay as a lost connection (as in WriteBackend).
  if (!SendNow(backend_->socket, rest).ok()) rest = {};
  if (!rest.empty()) return FinishSend({}, work.send_buf.size() - rest.size());
  ReleaseSendBuffer();
  work.backend_write_mu.Unlock();
  work.flush_mu.Unlock();
  return std::nullopt;
}

// Pipelined after a read on a replica, a batch for the primary waits for
// that read to finish, then moves.
bool PgClientSession::MustMoveOff(routing::Target target) const {
  return !backend_->server->ActsAsPrimary() && txn_status_ == 'I' && !pinned_ &&
         !session_mode_ && target == routing::Target::kPrimary;
}

Awaitable<absl::Status> PgClientSession::FlushBatch(ServerState* chosen) {
  if (w().batch.empty()) co_return absl::OkStatus();
  if (!w().flush_mu.TryLock()) co_await w().flush_mu.Lock();
  const routing::Target target = RouteBatch(w().batch);
  if (!backend_ && txn_status_ == 'I' && !session_mode_ && IsPrepareOnly(w().batch)) {
    absl::Status s = co_await AnswerPrepareOnly();
    w().flush_mu.Unlock();
    co_return s;
  }
  if (backend_ && MustMoveOff(target)) {
    if (!w().detached) w().detached = std::make_unique<Signal>(client_.get_executor());
    while (backend_ && !closing_) co_await w().detached->Wait(asio::steady_timer::time_point::max());
  }
  absl::Status s = closing_ ? absl::CancelledError("closing") : co_await SendBatch(target, chosen);
  w().flush_mu.Unlock();
  co_return s;
}

// Sends w().batch to the attached backend (attaching one for `target` first if
// needed); afterwards w().batch is empty and w().retry_batch holds what was sent.
Awaitable<absl::Status> PgClientSession::SendBatch(routing::Target target, ServerState* chosen) {
  if (!backend_) {
    absl::Status s = co_await AttachBackend(target, chosen);
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
  std::string synthetic;
  PrepareSend(target, synthetic);
  if (!synthetic.empty()) co_await WriteClient(synthetic);
  absl::Status s = co_await WriteBackend(w().send_buf);
  ReleaseSendBuffer();
  w().backend_write_mu.Unlock();
  co_return s;
}

void PgClientSession::PrepareSend(routing::Target target, std::string& synthetic) {
  Work& work = w();
  const bool lone = work.tracker.empty();
  std::string& out = work.send_buf;
  out.clear();
  if (backend_->params_synced_to != wanted_.shared()) {
    const std::string sync = pg::BuildParameterSync(wanted_.get(), backend_->params);
    backend_->params_synced_to = wanted_.shared();
    if (!sync.empty()) {
      pg::AppendQuery(out, sync);
      work.tracker.Expect(pg::Pending::kHiddenQuery);
    }
  }
  TranslateBatch(work.batch, out);
  work.retry_ok = lone && target == routing::Target::kReplica && txn_status_ == 'I' &&
                  !backend_->server->ActsAsPrimary() && !pinned_;
  std::swap(work.batch, work.retry_batch);
  work.batch.Clear();
  if (!work.retry_ok) {
    // The analyses served routing and TranslateBatch; without a retry nothing
    // reads them again. Released now, their lists go back to the worker's
    // AnalysisPool for the next statement, where a client holding its last
    // one until its next transaction made the pool allocate anew once more
    // clients than its slots were between transactions.
    for (Batch::Message& m : work.retry_batch.messages) m.analysis.reset();
  }
  work.relayed_since_flush = false;
  work.completed_since_flush = 0;
  if (relay_reading_) work.tracker.TakeSynthetic(synthetic);
}

Awaitable<absl::Status> PgClientSession::FinishSend(std::string synthetic, size_t sent) {
  if (!synthetic.empty()) co_await WriteClient(synthetic);
  absl::Status s = co_await WriteBackend(std::string_view(w().send_buf).substr(sent));
  ReleaseSendBuffer();
  w().backend_write_mu.Unlock();
  w().flush_mu.Unlock();
  co_return s;
}

void PgClientSession::ReleaseSendBuffer() {
  if (w().send_buf.capacity() > kSendBufferKept) std::string().swap(w().send_buf);
}

}  // namespace switchyard::proxy
