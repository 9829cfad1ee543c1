// PgClientSession: lifecycle, the client loop, batching, routing and the
// translation of client messages for the serving backend.
#include "proxy/pg_client.h"
#include "proxy/socket_io.h"

#include <fmt/format.h>


#include "proxy/pg/backend_messages.h"
#include "proxy/pg/frontend_messages.h"
#include "proxy/pg/startup.h"

namespace switchyard::proxy {
namespace {

constexpr size_t kBatchFlushBytes = 1 << 20;
// Messages that join a batch (a Query, or extended-protocol messages up to Sync/Flush).
bool IsBatchMessage(char type) {
  switch (type) {
    case 'P': case 'B': case 'D': case 'E': case 'C': case 'Q': case 'F': case 'S': case 'H':
      return true;
    default:
      return false;
  }
}

// Which of the proxy's own statements a Query is (pg_admin.cc), checked
// before any coroutine is entered: every client query passes here.
routing::AdminStatement AdminQueryOf(const pg::Frame& f) {
  // Cheap first: the text must start with "sh" (SHOW) after blanks, or hold
  // a statement after its first.
  const size_t i = f.body.find_first_not_of(" \t\r\n");
  const bool show = i != std::string_view::npos && f.body.size() >= i + 2 &&
                    (f.body[i] | 0x20) == 's' && (f.body[i + 1] | 0x20) == 'h';
  if (!show && !routing::MayHoldSeveralStatements(f.body)) return routing::AdminStatement::kNone;
  auto sql = pg::ParseQuery(f.body);
  return sql.ok() ? routing::ClassifyAdminStatement(*sql, parser::Dialect::kPostgres)
                  : routing::AdminStatement::kNone;
}

// Buffers above this are released when empty, so an idle session stays small.
constexpr size_t kIdleBufferCapacity = 4096;

pg::ErrorFields FrameTooLarge(const std::string& error) {
  return {"FATAL", std::string(pg::sqlstate::kProtocolViolation), error, "",
          "raise limits.max_message_size in the proxy configuration if the message is "
          "legitimate"};
}

absl::Status ReadError(const boost::system::error_code& ec) {
  if (ec == asio::error::eof) return absl::CancelledError("client closed the connection");
  return absl::UnavailableError(ec.message());
}

}  // namespace

PgClientSession::PgClientSession(Worker& worker, tcp::socket socket, ListenerContext listener,
                                 uint64_t id)
    : worker_(worker),
      shared_(worker.shared()),
      client_(std::move(socket)),
      listener_(listener),
      id_(id) {}

PgClientSession::~PgClientSession() = default;

void PgClientSession::Start() {
  auto self = shared_from_this();
  asio::co_spawn(worker_.io(), [self]() { return self->Run(); }, asio::detached);
}

std::string PgClientSession::Tag() const {
  return fmt::format("c{} user={} db={}", id_, user_.empty() ? "?" : user_,
                     database_.empty() ? "?" : database_);
}

Awaitable<void> PgClientSession::Run() {
  auto self = shared_from_this();
  serving_ = true;
  worker_.AddSession(this);
  boost::system::error_code ec;
  client_.set_option(tcp::no_delay(true), ec);
  client_.non_blocking(true, ec);  // the client loop reads without blocking

  asio::steady_timer login_timer(client_.get_executor());
  login_timer.expires_after(std::chrono::milliseconds(shared_.config().client_login_timeout_ms));
  login_timer.async_wait([weak = weak_from_this()](boost::system::error_code e) {
    if (e) return;
    if (auto s = weak.lock()) s->CloseClient();
  });
  absl::Status status = co_await Startup();
  login_timer.cancel();
  if (status.ok()) {
    // Bytes that came with the login are served now; then the session parks.
    std::optional<absl::Status> end = co_await ClientLoop(false);
    if (!end) co_return;
    status = *std::move(end);
  }
  co_await Finish(std::move(status));
}

void PgClientSession::Park() {
  serving_ = false;
  // The handler's shared_ptr is what keeps a parked session alive.
  WaitReadable(client_, worker_.park_ops(),
               [self = shared_from_this()](boost::system::error_code ec) { self->Wake(ec); });
}

void PgClientSession::Wake(boost::system::error_code ec) {
  serving_ = true;
  work_.Touch();
  if (!ec && ServeNow()) return;
  auto self = shared_from_this();
  asio::co_spawn(worker_.io(), [self, ec]() { return self->Serve(ec); }, asio::detached);
}

// ClientLoop(true) for what needs no wait; each co_spawn costs frames.
bool PgClientSession::ServeNow() {
  const uint32_t max_body = shared_.config().max_message_bytes;
  bool try_read = true;
  while (true) {
    while (true) {
      absl::Status s;
      std::optional<Awaitable<absl::Status>> wait;
      const Now now = HandleBufferedNow(max_body, s, wait);
      if (now == Now::kNeedMore) break;
      if (now == Now::kSlow) return false;
      if (now == Now::kWait) {
        auto self = shared_from_this();
        asio::co_spawn(
            worker_.io(),
            [self, step = std::move(*wait)]() mutable { return self->ServeAfter(std::move(step)); },
            asio::detached);
        return true;
      }
      if (!s.ok()) {
        auto self = shared_from_this();
        asio::co_spawn(worker_.io(), [self, s]() { return self->Finish(s); }, asio::detached);
        return true;
      }
    }
    if (in_start_ > 0) {
      in_buf_.erase(0, in_start_);
      in_start_ = 0;
    }
    if (in_buf_.empty() && in_buf_.capacity() > kIdleBufferCapacity) std::string().swap(in_buf_);
    if (drain_ || closing_) return false;  // ClientLoop ends the session
    if (try_read) {
      const boost::system::error_code ec =
          ReceiveNow(client_, worker_.receive_scratch(), in_buf_, try_read);
      if (!ec) continue;
      if (ec != asio::error::would_block) {
        auto self = shared_from_this();
        asio::co_spawn(worker_.io(), [self, ec]() { return self->Finish(ReadError(ec)); },
                       asio::detached);
        return true;
      }
    }
    if (!in_buf_.empty()) return false;  // part of a message: ClientLoop waits for the rest
    Park();
    return true;
  }
}

Awaitable<void> PgClientSession::ServeAfter(Awaitable<absl::Status> step) {
  absl::Status status = co_await std::move(step);
  if (status.ok()) {
    std::optional<absl::Status> end = co_await ClientLoop(true);
    if (!end) co_return;  // parked again
    status = *std::move(end);
  }
  co_await Finish(std::move(status));
}

Awaitable<void> PgClientSession::Serve(boost::system::error_code wait_error) {
  absl::Status status;
  if (wait_error) {
    status = absl::UnavailableError(wait_error.message());  // CloseClient's cancel
  } else {
    std::optional<absl::Status> end = co_await ClientLoop(true);
    if (!end) co_return;  // parked again
    status = *std::move(end);
  }
  co_await Finish(std::move(status));
}

Awaitable<void> PgClientSession::Finish(absl::Status status) {
  auto self = shared_from_this();
  if (absl::IsCancelled(status) || status.ok()) {
    shared_.log().info("{} disconnected", Tag());
  } else {
    shared_.log().info("{} closed: {}", Tag(), status.message());
  }
  closing_ = true;
  if (backend_ && relay_running_) {
    boost::system::error_code ignored;
    backend_->socket.cancel(ignored);  // the relay disposes of the backend
  }
  if (proxy_pid_ != 0) shared_.UnregisterCancel(proxy_pid_, proxy_secret_);
  if (admitted_) shared_.ReleaseClient(user_);
  worker_.RemoveSession(this);
  co_await LingerClose(client_, worker_.receive_scratch());
}

void PgClientSession::CloseClient() {
  closing_ = true;
  boost::system::error_code ignored;
  client_.cancel(ignored);  // the client loop ends; Run() closes the socket
}

void PgClientSession::Shutdown(bool force) {
  drain_ = true;
  if (force || !backend_) {
    pg::ErrorFields e{"FATAL", std::string(pg::sqlstate::kAdminShutdown),
                      "terminating connection due to administrator command",
                      "switchyard is shutting down", ""};
    auto self = shared_from_this();
    asio::co_spawn(
        worker_.io(),
        [self, e]() -> Awaitable<void> {
          self->w();  // its write lock orders this write after any other
          co_await self->WriteClient(pg::EncodeErrorResponse(e));
          self->CloseClient();
        },
        asio::detached);
  }
}

bool PgClientSession::Quiescent(const Work& work) const {
  return !serving_ && !backend_ && !relay_running_ && work.batch.empty() &&
         work.tracker.empty() && work.pending_effects.empty() && work.stream_remaining == 0 &&
         work.client_write_mu.idle() && work.backend_write_mu.idle() && work.flush_mu.idle();
}

void PgClientSession::ReleaseIdle() {
  work_.ReleaseIdle([this](const Work& work) { return Quiescent(work); });
}

void PgClientSession::HandleCancelRequest(int32_t pid, int32_t secret) {
  if (!shared_.Cancel(pid, secret)) {
    shared_.log().info("cancel request for unknown key (pid {}) ignored", pid);
  }
}

void PgClientSession::CancelFromAnyThread(std::shared_ptr<void> session) {
  auto self = std::static_pointer_cast<PgClientSession>(std::move(session));
  Worker& worker = self->worker_;
  worker.Post([self = std::move(self)] { self->ForwardCancel(); });
}

void PgClientSession::ForwardCancel() {
  if (!backend_) return;
  ServerState* server = backend_->server;
  pg::CancelRequest req{backend_->process_id, backend_->secret_key};
  shared_.log().info("{} cancel forwarded to {} pid {}", Tag(), server->label, req.process_id);
  auto ex = client_.get_executor();
  asio::co_spawn(
      ex,
      [server, req, ex]() -> Awaitable<void> {
        tcp::socket s(ex);
        tcp::resolver resolver(ex);
        boost::system::error_code ec;
        auto eps = co_await resolver.async_resolve(server->server.host,
                                                   std::to_string(server->server.port),
                                                   asio::redirect_error(kUseAwaitable, ec));
        if (ec) co_return;
        co_await asio::async_connect(s, eps, asio::redirect_error(kUseAwaitable, ec));
        if (ec) co_return;
        std::string packet = pg::EncodeCancelRequest(req);
        co_await asio::async_write(s, asio::buffer(packet), asio::redirect_error(kUseAwaitable, ec));
        char byte;
        co_await s.async_read_some(asio::buffer(&byte, 1), asio::redirect_error(kUseAwaitable, ec));
      },
      asio::detached);
}

Awaitable<std::optional<absl::Status>> PgClientSession::ClientLoop(bool readable) {
  const uint32_t max_body = shared_.config().max_message_bytes;
  bool try_read = readable;
  while (true) {
    while (true) {
      absl::Status s;
      std::optional<Awaitable<absl::Status>> wait;
      const Now now = HandleBufferedNow(max_body, s, wait);
      if (now == Now::kNeedMore) break;
      if (now == Now::kWait) s = co_await std::move(*wait);
      if (now == Now::kSlow) {
        pg::FrameResult r = pg::DecodeFrame(std::string_view(in_buf_).substr(in_start_), max_body);
        if (r.status == pg::DecodeStatus::kError) {
          co_await WriteClient(pg::EncodeErrorResponse(FrameTooLarge(r.error)));
          co_return absl::InvalidArgumentError(r.error);
        }
        in_start_ += r.consumed;
        s = co_await HandleMessage(r.frame);
      }
      if (!s.ok()) co_return s;
    }
    if (in_start_ > 0) {
      in_buf_.erase(0, in_start_);
      in_start_ = 0;
    }
    if (in_buf_.empty() && in_buf_.capacity() > kIdleBufferCapacity) std::string().swap(in_buf_);
    if (drain_ && !backend_ && BatchEmpty()) {
      Shutdown(true);
      co_return absl::CancelledError("shutting down");
    }
    if (closing_) co_return absl::CancelledError("closed by the proxy");
    // Reads go through the worker's scratch: no receive buffer is held.
    const std::span<char> scratch = worker_.receive_scratch();
    boost::system::error_code ec;
    if (try_read) {
      ec = ReceiveNow(client_, scratch, in_buf_, try_read);
      if (!ec) continue;
      if (ec != asio::error::would_block) co_return ReadError(ec);
    }
    if (in_buf_.empty()) {  // everything sent was served: wait outside any coroutine
      Park();
      co_return std::nullopt;
    }
    // Part of a message: wait for the rest here (rare; keeps the frames).
    const size_t before = in_buf_.size();
    ec = co_await ReceiveAppend(client_, scratch, in_buf_, false);
    if (ec) co_return ReadError(ec);
    try_read = in_buf_.size() - before == scratch.size();
  }
}

PgClientSession::Now PgClientSession::HandleBufferedNow(
    uint32_t max_body, absl::Status& status, std::optional<Awaitable<absl::Status>>& wait) {
  const pg::FrameResult r =
      pg::DecodeFrame(std::string_view(in_buf_).substr(in_start_), max_body);
  if (r.status == pg::DecodeStatus::kNeedMore) return Now::kNeedMore;
  if (r.status == pg::DecodeStatus::kError) return Now::kSlow;
  const pg::Frame& f = r.frame;
  if (!IsBatchMessage(f.type) || (f.type == 'Q' && BatchEmpty() &&
                                  AdminQueryOf(f) != routing::AdminStatement::kNone)) {
    return Now::kSlow;
  }
  in_start_ += r.consumed;
  if (!AddToBatch(f)) {
    status = absl::OkStatus();
    return Now::kHandled;
  }
  std::optional<Awaitable<absl::Status>> next = FlushNow(status);
  if (!next) return Now::kHandled;
  wait.emplace(std::move(*next));  // (an awaitable is not move-assignable)
  return Now::kWait;
}

bool PgClientSession::AddToBatch(const pg::Frame& f) {
  Batch& batch = w().batch;
  const size_t begin = batch.bytes.size();
  pg::AppendFrame(batch.bytes, f.type, f.body);
  batch.messages.push_back({f.type, begin + pg::kHeaderSize, f.body.size()});
  const bool ends_batch = f.type == 'Q' || f.type == 'F' || f.type == 'S' || f.type == 'H';
  return ends_batch || batch.bytes.size() >= kBatchFlushBytes;
}

Awaitable<absl::Status> PgClientSession::HandleMessage(const pg::Frame& f) {
  switch (f.type) {
    case 'P': case 'B': case 'D': case 'E': case 'C': case 'Q': case 'F': case 'S': case 'H': {
      const routing::AdminStatement admin =
          f.type == 'Q' && w().batch.empty() ? AdminQueryOf(f) : routing::AdminStatement::kNone;
      if (admin != routing::AdminStatement::kNone) {
        const bool answered = co_await AnswerAdminQuery(admin);  // (no co_await in && for g++ 12)
        if (answered) co_return absl::OkStatus();
      }
      if (AddToBatch(f)) co_return co_await FlushBatch();
      co_return absl::OkStatus();
    }
    case 'd': case 'c': case 'f': {
      if (!backend_) {
        co_return absl::InvalidArgumentError("COPY data received with no COPY in progress");
      }
      std::string bytes;
      pg::AppendFrame(bytes, f.type, f.body);
      if (!w().backend_write_mu.TryLock()) co_await w().backend_write_mu.Lock();
      absl::Status s = co_await WriteBackend(bytes);
      w().backend_write_mu.Unlock();
      co_return s;
    }
    case 'X':
      co_return absl::CancelledError("client terminated the session");
    default: {
      pg::ErrorFields e{"FATAL", std::string(pg::sqlstate::kProtocolViolation),
                        fmt::format("invalid frontend message type {} ('{}')",
                                    static_cast<int>(static_cast<unsigned char>(f.type)),
                                    std::isprint(static_cast<unsigned char>(f.type)) ? f.type : '?'),
                        "", ""};
      co_await WriteClient(pg::EncodeErrorResponse(e));
      co_return absl::InvalidArgumentError(e.message);
    }
  }
}

}  // namespace switchyard::proxy
