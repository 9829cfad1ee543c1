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

// The relay's first read is started by a posted handler (after the batch
// went out, as a spawned coroutine would); its reads and passes run as plain
// handlers while nothing has to wait. A pass that must wait (a write the
// client socket had no room for, the write position, a lost connection)
// continues in the Relay coroutine.
void PgClientSession::StartRelay() {
  Work& work = w();
  work.relay_filled = 0;
  work.relay_clean = true;
  work.relay_lost = absl::OkStatus();
  asio::post(worker_.io(), Cached(worker_.relay_start_ops(),
                                  [self = shared_from_this()] { self->RelayRead(); }));
}

void PgClientSession::RelayRead() {
  PgBackend* b = backend_.get();
  std::string& buf = b->read_buf;
  const size_t filled = w().relay_filled;
  if (buf.size() < filled + kReadChunk) buf.resize(filled + kReadChunk);
  relay_reading_ = true;
  b->socket.async_read_some(
      asio::buffer(buf.data() + filled, buf.size() - filled),
      Cached(worker_.relay_read_ops(),
             [self = shared_from_this()](boost::system::error_code ec, size_t n) {
               self->relay_reading_ = false;
               self->OnRelayRead(self->RelayPass(ec, n));
             }));
}

void PgClientSession::OnRelayRead(RelayNext next) {
  switch (next) {
    case RelayNext::kRead:
      RelayRead();
      return;
    case RelayNext::kEnd:
      if (w().relay_lost.ok()) {
        EndRelay();
        return;
      }
      break;
    case RelayNext::kWriteHeld:
    case RelayNext::kWriteLocked:
    case RelayNext::kWritePosition:
      break;
  }
  auto self = shared_from_this();
  asio::co_spawn(worker_.io(), [self, next]() { return self->Relay(next); }, asio::detached);
}

// One read's worth of the relay: what arrived is processed and written to
// the client if the socket takes it now.
PgClientSession::RelayNext PgClientSession::RelayPass(boost::system::error_code ec, size_t n) {
  Work& work = w();
  if (ec) {
    if (!closing_) {
      work.relay_lost = absl::UnavailableError(
          ec == asio::error::eof ? "server closed the connection" : ec.message());
    }
    work.relay_clean = false;
    return RelayNext::kEnd;
  }
  PgBackend* b = backend_.get();
  std::string& buf = b->read_buf;
  work.relay_filled += n;
  work.relay_last_read = n;
  const size_t filled = work.relay_filled;
  // A lone read on a replica is held back until its statement ends (or
  // kRetryHoldBytes have come): when the replica dies mid-answer (an
  // immediate shutdown sends the rows so far and a warning, then closes),
  // nothing has reached the client and RetryRead can run it elsewhere.
  if (work.retry_ok && !work.relayed_since_flush && work.stream_remaining == 0 &&
      filled < kRetryHoldBytes && !pg::HoldsStatementEnd(std::string_view(buf.data(), filled))) {
    return RelayNext::kRead;
  }
  size_t pos = 0;
  work.pieces.clear();
  work.synthetic.clear();
  work.relay_pass_status = ProcessServerBytes(pos, filled, work.pieces);
  work.relay_pos = pos;
  std::vector<asio::const_buffer>& out = work.out;
  out.clear();
  for (const Piece& p : work.pieces) {
    out.push_back(p.synthetic ? asio::buffer(work.synthetic.data() + p.offset, p.length)
                              : asio::buffer(buf.data() + p.offset, p.length));
  }
  if (!out.empty() && !closing_) {
    absl::Status written;
    bool locked = false;
    if (!WriteClientNow(out, written, locked)) {
      return locked ? RelayNext::kWriteHeld : RelayNext::kWriteLocked;
    }
    if (!written.ok()) closing_ = true;
  }
  return AfterRelayWrite();
}

PgClientSession::RelayNext PgClientSession::AfterRelayWrite() {
  Work& work = w();
  PgBackend* b = backend_.get();
  std::string& buf = b->read_buf;
  const size_t pos = work.relay_pos;
  if (pos < work.relay_filled) {
    std::memmove(buf.data(), buf.data() + pos, work.relay_filled - pos);
  }
  work.relay_filled -= pos;
  if (!work.relay_pass_status.ok()) {
    work.relay_lost = std::move(work.relay_pass_status);
    work.relay_pass_status = absl::OkStatus();
    work.relay_clean = false;
    return RelayNext::kEnd;
  }
  const bool drained = work.tracker.empty() && work.relay_filled == 0 && work.stream_remaining == 0;
  if (closing_) {
    work.relay_clean = drained;
    return RelayNext::kEnd;
  }
  if (shared_.log().should_log(spdlog::level::trace)) {  // Tag() formats: not per read
    shared_.log().trace("{} relay b{}: {} bytes, {} pending, status {}", Tag(), b->id,
                        work.relay_last_read,
                        work.tracker.pending_ready_for_query(), b->txn_status);
  }
  if (drained && b->txn_status == 'I') {
    if (wrote_) return RelayNext::kWritePosition;  // the client already has its answer
    if (!pinned_ && !session_mode_) return RelayNext::kEnd;  // transaction over: back to the pool
  }
  return RelayNext::kRead;
}

// The relay's steps that wait, from `next` on; reads as RelayRead does.
Awaitable<void> PgClientSession::Relay(RelayNext next) {
  auto self = shared_from_this();
  while (next != RelayNext::kEnd) {
    if (next == RelayNext::kWriteHeld || next == RelayNext::kWriteLocked) {
      absl::Status written = co_await (next == RelayNext::kWriteHeld ? WriteClientHeld(w().out)
                                                                    : WriteClient(w().out));
      if (!written.ok()) closing_ = true;
      next = AfterRelayWrite();
      continue;
    }
    if (next == RelayNext::kWritePosition) {
      co_await RequestWritePosition();
    }
    PgBackend* b = backend_.get();
    std::string& buf = b->read_buf;
    const size_t filled = w().relay_filled;
    if (buf.size() < filled + kReadChunk) buf.resize(filled + kReadChunk);
    boost::system::error_code ec;
    relay_reading_ = true;
    size_t n = co_await b->socket.async_read_some(
        asio::buffer(buf.data() + filled, buf.size() - filled),
        asio::redirect_error(kUseAwaitable, ec));
    relay_reading_ = false;
    next = RelayPass(ec, n);
  }
  const absl::Status lost = w().relay_lost;
  if (!lost.ok()) {
    const bool retried = co_await RetryRead(lost);
    if (retried) co_return;
    co_await ReportBackendLost(lost);
  }
  EndRelay();
}

void PgClientSession::EndRelay() {
  DisposeBackend(w().relay_clean);
  relay_running_ = false;
  if (w().detached) w().detached->Notify();
  if (drain_ && !closing_) Shutdown(true);
}

}  // namespace switchyard::proxy
