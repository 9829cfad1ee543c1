// MyClientSession: relaying a response from the attached backend to the
// client, LOCAL INFILE requests, a lost backend, and giving a backend back.
//
// Response packets are written to the client straight from the backend's
// receive buffer, as many as have arrived per write, sequence ids unchanged
// (the client's command and the server's answer both start at 0).
#include <fmt/format.h>

#include "common/fmt_absl.h"
#include "proxy/my_client.h"
#include "proxy/pin_log.h"

namespace switchyard::proxy {
namespace {

constexpr std::string_view kInfileRefused =
    "LOAD DATA LOCAL INFILE is refused by switchyard (allow_load_data_local is off in its "
    "configuration, or the client did not enable local files)";

}  // namespace

Awaitable<absl::Status> MyClientSession::Relay(mysql::ResponseShape shape) {
  MyBackend& b = *backend_;
  mysql::ResponseTracker tracker(shape, b.capabilities);
  size_t mark = b.in.consumed_end();  // first byte not yet written to the client
  std::optional<uint8_t> refused;     // LOCAL INFILE refused: sequence id of our ERR
  bool relayed = false;
  // Where an ERR could still go if the backend breaks: after the last packet
  // relayed, unless that one announced a continuation (16 MiB split).
  std::optional<uint8_t> err_seq;
  // Writes [mark, end) to the client as far as it takes it now; the caller
  // writes `rest` (the part the client's socket had no room for).
  std::string_view rest;
  auto flush = [&](size_t end) {
    absl::Status s = absl::OkStatus();
    rest = {};
    if (end > mark && !refused) {
      rest = std::string_view(b.in.data() + mark, end - mark);
      s = SendClientNow(rest);
    }
    relayed |= end > mark;
    mark = end;
    return s;
  };
  while (true) {
    auto p = b.in.TryNext();
    if (!p.ok()) co_return co_await BackendLost(p.status(), relayed);
    if (!p->has_value()) {
      absl::Status s = flush(b.in.consumed_end());
      if (s.ok() && !rest.empty()) s = co_await WriteClient(rest);
      if (!s.ok()) co_return s;
      boost::system::error_code ec;  // b.in.Fill, without a frame of its own
      const size_t n = co_await b.socket.async_read_some(b.in.PrepareRead(),
                                                         asio::redirect_error(kUseAwaitable, ec));
      s = b.in.CommitRead(n, ec);
      if (!s.ok()) {
        if (refused) err_seq.reset();  // the client waits for our ERR, not the server's packets
        co_return co_await BackendLost(s, relayed, err_seq);
      }
      mark = b.in.consumed_end();
      continue;
    }
    const mysql::Packet packet = **p;
    err_seq.reset();
    if (packet.payload.size() < mysql::kMaxChunkPayload) err_seq = packet.next_sequence_id;
    auto ev = tracker.OnPacket(packet.payload);
    if (!ev.ok()) {
      co_return co_await BackendLost(
          absl::DataLossError(fmt::format("protocol violation: {}", ev.status().message())),
          relayed);
    }
    if (*ev == mysql::ResponseEvent::kNeedsClientReply) {
      co_return co_await BackendLost(absl::DataLossError("unexpected authentication request"),
                                     relayed);
    }
    if (*ev == mysql::ResponseEvent::kLocalInfileRequest) {
      absl::Status s = flush(b.in.consumed_end() - packet.consumed);
      if (s.ok() && !rest.empty()) s = co_await WriteClient(rest);
      if (!s.ok()) co_return s;
      const bool allowed = shared().config().allow_load_data_local &&
                           (caps_ & mysql::kClientLocalFiles);
      if (allowed) {
        s = flush(b.in.consumed_end());
        if (s.ok() && !rest.empty()) s = co_await WriteClient(rest);
        if (s.ok()) s = co_await RelayLocalInfile(packet.next_sequence_id);
      } else {
        refused = packet.sequence_id;
        mark = b.in.consumed_end();
        s = co_await RefuseLocalInfile(packet.next_sequence_id, relayed);
      }
      if (!s.ok()) co_return s;
      continue;
    }
    if (*ev == mysql::ResponseEvent::kMore) continue;
    // Complete.
    absl::Status s = flush(b.in.consumed_end());
    if (s.ok() && !rest.empty()) s = co_await WriteClient(rest);
    const mysql::ResponseSummary& sum = tracker.summary();
    if (sum.status_flags) b.status = *sum.status_flags;
    ApplyEffects(sum.is_error || refused.has_value());
    NoteReportedGtid(sum);
    if (s.ok() && refused) s = co_await SendErr(my_error::kNotAllowedCommand, "42000", kInfileRefused, *refused);
    if (s.ok() && w().wrote) co_await LearnWritePosition();  // no frame unless needed
    AfterResponse();
    co_return s;
  }
}

// LOCAL INFILE refused: the server gets an empty file (it then answers OK or
// ERR, which the relay reads but does not pass on).
Awaitable<absl::Status> MyClientSession::RefuseLocalInfile(uint8_t seq, bool relayed) {
  std::string empty;
  mysql::AppendPacket("", seq, empty);
  absl::Status s = co_await WriteAll(backend_->socket, empty);
  if (!s.ok()) co_return co_await BackendLost(s, relayed);
  co_return absl::OkStatus();
}

// The server asked for the client's file and the proxy allows it: the
// client's packets go to the server up to the empty one that ends the file.
Awaitable<absl::Status> MyClientSession::RelayLocalInfile(uint8_t seq) {
  while (true) {
    auto p = co_await in_.Next(client_);
    if (!p.ok()) co_return absl::UnavailableError("client closed during LOAD DATA LOCAL");
    const std::string_view bytes(in_.data() + in_.consumed_end() - p->consumed, p->consumed);
    absl::Status s = co_await WriteAll(backend_->socket, bytes);
    if (!s.ok()) co_return co_await BackendLost(s, true);
    if (p->payload.empty()) co_return absl::OkStatus();
  }
}

// The backend broke. A lone read on a replica not yet answered is retried
// (RetryableLoss; Aborted tells the caller to send it again). Otherwise the
// client gets an ERR naming the server. A pinned client is then closed (its
// session state is gone, as with the server's own disconnect); a client in a
// transaction keeps its connection, but its statements are refused until it
// ends the lost transaction (routing/lost_transaction.h). Part-way
// through a response, the ERR takes the place of the next packet (clients
// read an ERR wherever a row or column definition may come, as when a
// server kills a query while sending its rows).
Awaitable<absl::Status> MyClientSession::BackendLost(absl::Status why, bool relayed,
                                                     std::optional<uint8_t> err_seq) {
  if (RetryableLoss(relayed)) {
    co_return absl::AbortedError(why.message());  // the command goes elsewhere, unseen
  }
  const std::string what = fmt::format("Lost connection to server {} during query: {}",
                                       backend_->server->label, why.message());
  shared().log().warn("{} {}", Tag(), what);
  const bool in_transaction = (status_ & mysql::kServerStatusInTrans) ||
                              !(status_ & mysql::kServerStatusAutocommit);
  const bool pinned = pinned_;
  status_ = mysql::kServerStatusAutocommit;
  w().pending_effects.clear();
  DisposeBackend(false);
  if ((relayed && !err_seq) || closing_) co_return absl::UnavailableError(what);
  absl::Status s = co_await SendErr(my_error::kServerLost, "HY000", what, relayed ? *err_seq : 1);
  if (!s.ok()) co_return s;
  if (pinned) co_return absl::UnavailableError(what);  // its session state is gone
  if (in_transaction) x().txn_lost = what;  // refused until ROLLBACK or COMMIT
  co_return absl::OkStatus();
}

void MyClientSession::DisposeBackend(bool clean) {
  std::unique_ptr<MyBackend> b = std::move(backend_);
  MyPool* pool = backend_pool_;
  backend_pool_ = nullptr;
  b->server->outstanding.fetch_sub(1, std::memory_order_relaxed);
  if (Work* work = work_.find()) work->long_data_pending = false;
  const bool reset = pinned_;
  if (pinned_) {
    LogUnpinned(shared().log(), Tag(), b->id, pin_reason());
    Unpin();
  }
  if (!clean || !b->socket.is_open() || b->in.has_unconsumed()) {
    pool->Discard(std::move(b));
    return;
  }
  std::vector<std::string> commands;
  if (b->status & mysql::kServerStatusInTrans) commands.push_back("\x03ROLLBACK");
  if (!(b->status & mysql::kServerStatusAutocommit)) commands.push_back("\x03SET autocommit=1");
  if (commands.empty() && !reset) {
    pool->Release(std::move(b));
    return;
  }
  asio::co_spawn(worker_.io(),
                 ResetAndRelease(shared(), std::move(b), pool, std::move(commands), reset),
                 asio::detached);
}

Awaitable<void> MyClientSession::ResetAndRelease(SharedState& shared,
                                                 std::unique_ptr<MyBackend> b, MyPool* pool,
                                                 std::vector<std::string> commands, bool reset) {
  if (reset) {
    // COM_RESET_CONNECTION drops temporary tables, locks, user variables and
    // prepared statements; the connection's character set is restored after.
    commands.push_back(std::string(1, '\x1f'));
    commands.push_back("\x03SET " + b->names_default);
    if (b->tracks_gtid) commands.push_back(std::string(TrackGtidCommand(*b)));
  }
  for (const std::string& c : commands) {
    auto r = co_await RunHiddenCommand(*b, c);
    if (!r.ok() || r->summary.is_error) {
      shared.log().info("closing backend b{} after failed reset ({}): {}", b->id, c.substr(1),
                         r.ok() ? r->summary.error_message : std::string(r.status().message()));
      pool->Discard(std::move(b));
      co_return;
    }
  }
  if (reset) {
    b->prepared.clear();
    b->variables.clear();
    b->schema.clear();  // unknown: the next client's database is set again
  }
  if (b->status & mysql::kServerStatusInTrans) {
    pool->Discard(std::move(b));
    co_return;
  }
  shared.log().debug("backend b{} reset ({} commands) and returned", b->id, commands.size());
  pool->Release(std::move(b));
}

}  // namespace switchyard::proxy
