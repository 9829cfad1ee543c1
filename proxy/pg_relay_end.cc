// PgClientSession: how the relay ends — the backend back to its pool (reset
// first when the session changed it), the read-your-writes position asked
// before that, or a lost backend reported to the client or its read retried
// elsewhere.
#include <fmt/format.h>

#include "proxy/pg/backend_messages.h"
#include "proxy/pg/frontend_messages.h"
#include "proxy/pg_client.h"
#include "proxy/pin_log.h"

namespace switchyard::proxy {
namespace {

constexpr const char* kWritePositionSql = "SELECT pg_catalog.pg_current_wal_insert_lsn()";

}  // namespace

Awaitable<void> PgClientSession::ReportBackendLost(const absl::Status& why) {
  const std::string what = fmt::format("lost connection to server {}: {}",
                                       backend_->server->label, why.message());
  shared_.log().warn("{} {}", Tag(), what);
  // A lone read on a replica whose every statement completed lacks only its
  // ReadyForQuery: the client has its whole answer, so give it the rest.
  const bool all_done =
      w().tracker.size() == 1 &&
      (w().tracker.HeadIs(pg::Pending::kSync) ||
       (w().tracker.HeadIs(pg::Pending::kQuery) && w().completed_since_flush >= w().batch_statements));
  if (w().retry_ok && all_done && !w().fatal_relayed && !closing_) {
    std::string out;
    pg::AppendReadyForQuery(out, 'I');
    txn_status_ = 'I';
    co_await WriteClient(out);
    co_return;
  }
  const bool keep_client = !w().tracker.empty() && !pinned_ && !session_mode_ && !w().fatal_relayed;
  if (keep_client) {
    pg::ErrorFields e{"ERROR", std::string(pg::sqlstate::kConnectionFailure), what,
                      "the transaction was lost; retry it", ""};
    txn_status_ = 'I';
    co_await SendToClientError(e, std::max(1, w().tracker.pending_ready_for_query()));
    co_return;
  }
  if (!w().fatal_relayed && !closing_) {
    pg::ErrorFields e{"FATAL", std::string(pg::sqlstate::kConnectionFailure), what, "", ""};
    co_await WriteClient(pg::EncodeErrorResponse(e));
  }
  CloseClient();
}

// Read-your-writes: the position the primary had reached right after this
// session's write committed, asked on the same connection before it goes
// back to the pool (the client is not kept waiting for it).
Awaitable<void> PgClientSession::RequestWritePosition() {
  wrote_ = false;
  if (!listener_.cluster->cluster.freshness.read_your_writes ||
      listener_.cluster->servers.size() < 2) {
    co_return;  // no replica could ever be behind this session
  }
  if (!w().backend_write_mu.TryLock()) co_await w().backend_write_mu.Lock();
  if (backend_) {
    std::string out;
    pg::AppendQuery(out, kWritePositionSql);
    w().tracker.Expect(pg::Pending::kHiddenPosition);
    co_await WriteBackend(out);
  }
  w().backend_write_mu.Unlock();
}

// A replica that fails a lone read before any of its answer reached the
// client: avoid that replica for a while and send the read elsewhere, as if
// nothing happened. False when the read cannot be retried invisibly.
Awaitable<bool> PgClientSession::RetryRead(const absl::Status& why) {
  if (closing_ || !w().retry_ok || w().relayed_since_flush || txn_status_ != 'I') {
    shared_.log().debug("{} no retry: closing={} retry_ok={} answered={} txn={}", Tag(), closing_,
                        w().retry_ok, w().relayed_since_flush, txn_status_);
    co_return false;
  }
  // The client loop may still be finishing the send of this very batch: wait
  // for it, then check that nothing else was sent meanwhile (a later batch
  // clears w().retry_ok).
  if (!w().flush_mu.TryLock()) co_await w().flush_mu.Lock();
  if (closing_ || !w().retry_ok || w().relayed_since_flush || !w().batch.empty() ||
      w().retry_batch.empty() || !backend_) {
    w().flush_mu.Unlock();
    co_return false;
  }
  ServerState* failed = backend_->server;
  failed->down_until_ms.store(SteadyNowMs() + 5000, std::memory_order_relaxed);
  shared_.log().warn("{} read failed on {} ({}); retrying it elsewhere", Tag(), failed->label,
                     why.message());
  DisposeBackend(false);
  relay_running_ = false;
  if (w().detached) w().detached->Notify();
  std::swap(w().batch, w().retry_batch);
  absl::Status s = co_await SendBatch(routing::Target::kReplica);
  w().flush_mu.Unlock();
  if (!s.ok()) CloseClient();
  co_return true;
}

void PgClientSession::DisposeBackend(bool clean) {
  std::unique_ptr<PgBackend> b = std::move(backend_);
  PgPool* pool = backend_pool_;
  backend_pool_ = nullptr;
  b->server->outstanding.fetch_sub(1, std::memory_order_relaxed);
  const bool pending = !w().tracker.empty() || w().stream_remaining > 0;
  w().tracker.Clear();
  w().stream_remaining = 0;
  w().fatal_relayed = false;
  wrote_ = false;
  w().retry_ok = false;
  if (!clean || pending || !b->socket.is_open()) {
    pool->Discard(std::move(b));
    return;
  }
  std::vector<std::string> reset;
  if (b->txn_status != 'I') reset.push_back("ROLLBACK");
  if (pinned_ || session_mode_) reset.push_back("DISCARD ALL");
  if (pinned_) {
    LogUnpinned(shared_.log(), Tag(), b->id, pin_reason_);
    pinned_ = false;
    pin_reason_.clear();
  }
  if (reset.empty()) {
    pool->Release(std::move(b));
    return;
  }
  // The reset may outlive the client's last coroutine: it keeps the session
  // alive (it logs through it).
  auto self = shared_from_this();
  asio::co_spawn(
      worker_.io(),
      [self, b = std::move(b), pool, reset = std::move(reset)]() mutable {
        return self->ResetAndRelease(std::move(b), pool, std::move(reset));
      },
      asio::detached);
}

Awaitable<void> PgClientSession::ResetAndRelease(std::unique_ptr<PgBackend> b, PgPool* pool,
                                                 std::vector<std::string> queries) {
  for (const std::string& q : queries) {
    absl::Status s = co_await RunResetQuery(*b, q);
    if (!s.ok() || b->txn_status != 'I') {
      shared_.log().info("closing backend b{} after failed reset ({}): {}", b->id, q,
                         s.message());
      pool->Discard(std::move(b));
      co_return;
    }
    if (q == "DISCARD ALL") {
      b->prepared.clear();
      b->params_synced_to.reset();
      for (auto it = b->params.begin(); it != b->params.end();) {
        it = routing::IsReportedParameter(it->first) ? std::next(it) : b->params.erase(it);
      }
    }
  }
  shared_.log().debug("backend b{} reset ({} statements) and returned", b->id, queries.size());
  pool->Release(std::move(b));
}

}  // namespace switchyard::proxy
