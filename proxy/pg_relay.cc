// PgClientSession: the relay from the attached backend to the client.
//
// Server bytes are scanned message by message; what the client should see is
// written with one gathered write straight from the read buffer (no copy of
// row data). Messages larger than what has arrived are streamed through
// without being held whole, except the few the proxy must read
// (ReadyForQuery, ParameterStatus, ErrorResponse).
#include <fmt/format.h>

#include "proxy/pg/backend_messages.h"
#include "proxy/pg/frontend_messages.h"
#include "proxy/pg_client.h"
#include "routing/freshness.h"

namespace switchyard::proxy {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
// How much of a retryable read's answer is held back before it streams.
constexpr size_t kRetryHoldBytes = 64 * 1024;
constexpr uint32_t kMaxServerMessage = 1u << 30;

bool NeedsWholeBody(char type) { return type == 'Z' || type == 'S' || type == 'E'; }

constexpr const char* kWritePositionSql = "SELECT pg_catalog.pg_current_wal_insert_lsn()";

}  // namespace

void PgClientSession::HandleReported(std::string_view body, bool hidden) {
  auto ps = pg::ParseParameterStatus(body);
  if (!ps.ok() || !backend_) return;
  const std::string lower = pg::ToLower(ps->name);
  backend_->params[lower] = ps->value;
  backend_->params_synced_to.reset();
  // Whether the client or the proxy's own sync changed it, the client's
  // session now has this value (in the server's canonical spelling).
  wanted_.Set(lower, ps->value);
}

void PgClientSession::OnReadyForQuery(char status) {
  txn_status_ = status;
  if (status == 'I') {
    if (!w().batch_failed) ApplyEffects();
    w().pending_effects.clear();
  }
  w().batch_failed = false;
}

absl::Status PgClientSession::ProcessServerBytes(size_t& pos, size_t filled,
                                                 std::vector<Piece>& pieces) {
  std::string& buf = backend_->read_buf;
  while (pos < filled) {
    if (w().stream_remaining > 0) {
      const size_t take = std::min(w().stream_remaining, filled - pos);
      if (w().stream_relay) pieces.push_back({false, pos, take});
      pos += take;
      w().stream_remaining -= take;
      continue;
    }
    const std::string_view avail(buf.data() + pos, filled - pos);
    pg::HeaderResult h = pg::DecodeHeader(avail, kMaxServerMessage);
    if (h.status == pg::DecodeStatus::kNeedMore) break;
    if (h.status == pg::DecodeStatus::kError) return absl::DataLossError(h.error);
    const size_t total = pg::kHeaderSize + h.body_length;
    const bool whole = avail.size() >= total;
    const bool position_row = h.type == 'D' && w().tracker.HeadIs(pg::Pending::kHiddenPosition);
    if (!whole && (NeedsWholeBody(h.type) || position_row)) break;
    if (position_row) {
      auto lsn = pg::ParseDataRowFirstColumn(avail.substr(pg::kHeaderSize, h.body_length));
      if (lsn) ryw_position_ = std::max(ryw_position_, routing::ParsePgLsn(*lsn));
    }

    const size_t before = w().synthetic.size();
    w().tracker.TakeSynthetic(w().synthetic);
    if (w().synthetic.size() > before) pieces.push_back({true, before, w().synthetic.size() - before});

    w().not_prepared.clear();
    pg::TrackerStep step = w().tracker.OnServerMessage(h.type, w().not_prepared);
    for (uint64_t id : w().not_prepared) backend_->prepared.erase(id);
    if (step.unexpected) {
      if (h.type == 'E') {
        w().fatal_relayed = true;  // e.g. FATAL from pg_terminate_backend while idle
        pieces.push_back({false, pos, total});
        pos += total;
        continue;
      }
      return absl::DataLossError(
          fmt::format("unexpected message '{}' from {}", h.type, backend_->server->label));
    }
    if (!whole) {
      w().stream_relay = step.relay;
      if (step.relay && h.type != 'N' && h.type != 'S' && h.type != 'A') w().relayed_since_flush = true;
      if (step.relay) pieces.push_back({false, pos, filled - pos});
      w().stream_remaining = total - (filled - pos);
      pos = filled;
      continue;
    }
    const std::string_view body = avail.substr(pg::kHeaderSize, h.body_length);
    if (h.type == 'S') HandleReported(body, step.hidden);
    if (h.type == 'E') {
      if (step.hidden) {
        shared_.log().warn("{} proxy statement failed on b{}: {}", Tag(), backend_->id,
                           body.size() > 2 ? body.substr(0, 200) : body);
      } else {
        w().batch_failed = true;
        if (body.find("SFATAL") != std::string_view::npos) w().fatal_relayed = true;
      }
    }
    if (step.relay) {
      pieces.push_back({false, pos, total});
      // Notices (e.g. the server's "terminating connection" warning) do not
      // make a read unretryable; any part of its answer does.
      if (h.type != 'N' && h.type != 'S' && h.type != 'A') w().relayed_since_flush = true;
      if (h.type == 'C' || h.type == 'I') ++w().completed_since_flush;
    }
    if (step.ready_for_query) {
      backend_->txn_status = body.empty() ? 'I' : body[0];
      if (!step.hidden) OnReadyForQuery(backend_->txn_status);
    }
    pos += total;
  }
  const size_t before = w().synthetic.size();
  w().tracker.TakeSynthetic(w().synthetic);
  if (w().synthetic.size() > before) pieces.push_back({true, before, w().synthetic.size() - before});
  return absl::OkStatus();
}

Awaitable<void> PgClientSession::Relay() {
  auto self = shared_from_this();
  PgBackend* b = backend_.get();
  std::string& buf = b->read_buf;
  size_t filled = 0;
  std::vector<Piece>& pieces = w().pieces;
  std::vector<asio::const_buffer>& out = w().out;
  bool clean = true;
  absl::Status lost = absl::OkStatus();
  while (true) {
    if (buf.size() < filled + kReadChunk) buf.resize(filled + kReadChunk);
    boost::system::error_code ec;
    relay_reading_ = true;
    // A speculative read first: under load the answer is often there already.
    size_t n = co_await b->socket.async_read_some(
        asio::buffer(buf.data() + filled, buf.size() - filled),
        asio::redirect_error(kUseAwaitable, ec));
    relay_reading_ = false;
    if (ec) {
      if (!closing_) lost = absl::UnavailableError(ec == asio::error::eof ? "server closed the connection" : ec.message());
      clean = false;
      break;
    }
    filled += n;
    // A lone read on a replica is held back until its statement ends (or
    // kRetryHoldBytes have come): when the replica dies mid-answer (an
    // immediate shutdown sends the rows so far and a warning, then closes),
    // nothing has reached the client and RetryRead can run it elsewhere.
    if (w().retry_ok && !w().relayed_since_flush && w().stream_remaining == 0 &&
        filled < kRetryHoldBytes && !pg::HoldsStatementEnd(std::string_view(buf.data(), filled))) {
      continue;
    }
    size_t pos = 0;
    pieces.clear();
    w().synthetic.clear();
    absl::Status s = ProcessServerBytes(pos, filled, pieces);
    out.clear();
    for (const Piece& p : pieces) {
      out.push_back(p.synthetic ? asio::buffer(w().synthetic.data() + p.offset, p.length)
                                : asio::buffer(buf.data() + p.offset, p.length));
    }
    if (!out.empty() && !closing_) {
      absl::Status written;
      bool locked = false;
      if (!WriteClientNow(out, written, locked)) {
        written = co_await (locked ? WriteClientHeld(out) : WriteClient(out));
      }
      if (!written.ok()) closing_ = true;
    }
    if (pos < filled) std::memmove(buf.data(), buf.data() + pos, filled - pos);
    filled -= pos;
    if (!s.ok()) {
      lost = s;
      clean = false;
      break;
    }
    if (closing_) {
      clean = w().tracker.empty() && filled == 0 && w().stream_remaining == 0;
      break;
    }
    if (shared_.log().should_log(spdlog::level::trace)) {  // Tag() formats: not per read
      shared_.log().trace("{} relay b{}: {} bytes, {} pending, status {}", Tag(), b->id, n,
                          w().tracker.pending_ready_for_query(), b->txn_status);
    }
    if (w().tracker.empty() && filled == 0 && w().stream_remaining == 0 && b->txn_status == 'I') {
      if (wrote_) {
        co_await RequestWritePosition();  // the client already has its answer
        continue;
      }
      if (!pinned_ && !session_mode_) break;  // transaction over: back to the pool
    }
  }
  if (!lost.ok()) {
    const bool retried = co_await RetryRead(lost);
    if (retried) co_return;
    co_await ReportBackendLost(lost);
  }
  DisposeBackend(clean);
  relay_running_ = false;
  if (w().detached) w().detached->Notify();
  if (drain_ && !closing_) Shutdown(true);
}

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
    shared_.log().info("{} unpinned from b{} ({})", Tag(), b->id, pin_reason_);
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
