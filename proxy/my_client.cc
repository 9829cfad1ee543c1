// MyClientSession: lifecycle, the command loop and command dispatch.
#include "proxy/my_client.h"

#include <fmt/format.h>

#include "common/fmt_absl.h"
#include "proxy/mysql/ok_err.h"

namespace switchyard::proxy {
namespace {

// A client's receive buffer up to this size is kept between commands (so the
// next command allocates nothing); a larger one is freed when the client parks,
// a smaller one by ReleaseIdle once the client has idled for a tick.
constexpr size_t kIdleBufferCapacity = 1024;

}  // namespace

MyClientSession::MyClientSession(Worker& worker, tcp::socket socket,
                                 const config::Listener* listener, ClusterState* cluster,
                                 uint64_t id)
    : worker_(worker),
      client_(std::move(socket)),
      cluster_(cluster),
      id_(id),
      in_(worker.shared().config().max_startup_packet_bytes) {}

MyClientSession::~MyClientSession() = default;

void MyClientSession::Start() {
  auto self = shared_from_this();
  asio::co_spawn(worker_.io(), [self]() { return self->Run(); }, asio::detached);
}

std::string MyClientSession::Tag() const {
  return fmt::format("m{} user={} db={}", id_, user_.empty() ? "?" : user_,
                     database_.empty() ? "-" : database_);
}

Awaitable<void> MyClientSession::Run() {
  auto self = shared_from_this();
  worker_.AddSession(this);
  boost::system::error_code ec;
  client_.set_option(tcp::no_delay(true), ec);
  client_.non_blocking(true, ec);  // the command loop reads without blocking

  asio::steady_timer login_timer(client_.get_executor());
  login_timer.expires_after(std::chrono::milliseconds(shared().config().client_login_timeout_ms));
  login_timer.async_wait([weak = weak_from_this()](boost::system::error_code e) {
    if (e) return;
    if (auto s = weak.lock()) s->CloseClient();
  });
  absl::Status status = co_await Login();
  login_timer.cancel();
  if (status.ok()) {
    in_.set_max_payload(shared().config().max_message_bytes);
    co_await CommandLoop(false);  // until the session ends (Finish) or parks
    co_return;
  }
  co_await Finish(std::move(status));
}

void MyClientSession::Park() {
  // The handler's shared_ptr is what keeps a parked session alive.
  WaitReadable(client_, worker_.park_ops(),
               [self = shared_from_this()](boost::system::error_code ec) { self->Wake(ec); });
}

void MyClientSession::Wake(boost::system::error_code ec) {
  work_.Touch();
  auto self = shared_from_this();
  if (ec) {  // CloseClient's cancel
    asio::co_spawn(
        worker_.io(),
        [self]() { return self->Finish(absl::CancelledError("client closed the connection")); },
        asio::detached);
    return;
  }
  asio::co_spawn(worker_.io(), [self]() { return self->CommandLoop(true); }, asio::detached);
}

// What a session frees when idle (see my_client.h): Work once parked and
// quiescent for a tick, Extras once empty.
bool MyClientSession::Quiescent(const Work& work) const {
  return !busy_ && !backend_ && work.pending_effects.empty();
}

bool MyClientSession::Extras::Empty(int64_t now_ms) const {
  return statements.empty() && variables.empty() && pin_reason.empty() && txn_lost.empty() &&
         ryw_gtids.empty() && ryw_gtid_set.empty() && ryw_unknown_until_ms <= now_ms;
}

void MyClientSession::ReleaseIdle() {
  const bool released = work_.ReleaseIdle([this](const Work& work) { return Quiescent(work); });
  // With Work gone the session is between commands, and no read is in flight
  // into an empty receive buffer (only logins, which have no Work, and LOAD
  // DATA LOCAL, which is a command, read into one): the buffer kept for the
  // next command goes too.
  if (released) in_.ReleaseIfEmpty(0);
  if (extras_ && !busy_ && extras_->Empty(SteadyNowMs())) extras_.reset();
  if (released && shared().log().should_log(spdlog::level::debug)) {
    shared().log().debug("{} idle: work released ({})", Tag(),
                         extras_ ? "session state kept" : "no session state");
  }
}

const MyVariables& MyClientSession::variables() const {
  static const MyVariables kNone;  // immutable: a session without Extras has no SETs
  return extras_ ? extras_->variables : kNone;
}

void MyClientSession::Pin(std::string_view reason) {
  pinned_ = true;
  x().pin_reason = reason;
}

void MyClientSession::Unpin() {
  pinned_ = false;
  if (extras_) extras_->pin_reason.clear();
}

Awaitable<void> MyClientSession::Finish(absl::Status status) {
  auto self = shared_from_this();
  if (absl::IsCancelled(status) || status.ok()) {
    shared().log().info("{} disconnected", Tag());
  } else {
    shared().log().info("{} closed: {}", Tag(), status.message());
  }
  closing_ = true;
  if (backend_) DisposeBackend(!busy_);
  if (admitted_) shared().ReleaseClient(user_);
  worker_.RemoveSession(this);
  co_await LingerClose(client_, worker_.receive_scratch());
}

void MyClientSession::CloseClient() {
  closing_ = true;
  boost::system::error_code ignored;
  client_.cancel(ignored);  // the command loop ends; Run() closes the socket
}

void MyClientSession::Shutdown(bool force) {
  drain_ = true;
  if (force && backend_) {
    boost::system::error_code ignored;
    backend_->socket.cancel(ignored);
  }
  // A MySQL server that shuts down simply closes idle connections; clients
  // report "server has gone away" on their next command.
  if (force || (!busy_ && !backend_)) CloseClient();
}

Awaitable<void> MyClientSession::CommandLoop(bool readable) {
  bool try_read = readable;
  absl::Status end;
  while (end.ok()) {
    if (drain_ && !backend_) end = absl::CancelledError("shutting down");
    if (closing_) end = absl::CancelledError("closed by the proxy");
    if (!end.ok()) break;
    auto p = in_.TryNextLogical();
    if (!p.ok()) {
      co_await SendErr(my_error::kNetPacketTooLarge, "08S01",
                       fmt::format("{} (limits.max_message_size in the proxy configuration)",
                                   p.status().message()),
                       1);
      end = p.status();
    } else if (!p->has_value()) {
      boost::system::error_code ec;
      if (try_read) {  // through the worker's scratch: no receive buffer is held
        ec = in_.ReceiveNow(client_, worker_.receive_scratch(), try_read);
        if (!ec) continue;
      }
      if (ec && ec != asio::error::would_block) {
        end = absl::CancelledError("client closed the connection");
      } else if (in_.empty()) {  // everything sent was served: wait outside any coroutine
        in_.ReleaseIfEmpty(kIdleBufferCapacity);
        Park();
        co_return;
      } else {  // part of a packet: wait for the rest here (rare; keeps the frame)
        absl::Status s = co_await in_.Fill(client_);
        if (!s.ok()) end = absl::CancelledError("client closed the connection");
      }
    } else if ((*p)->sequence_id != 0) {
      co_await SendErr(1156, "08S01", "Got packets out of order", (*p)->next_sequence_id);
      end = absl::InvalidArgumentError("command packet with a sequence id other than 0");
    } else {
      busy_ = true;
      end = co_await HandleCommand((*p)->payload);
      busy_ = false;
      if (Work* work = work_.find()) {
        work->retry_read = false;
        work->read_lost_unseen = false;
        work->max_lag_ms.reset();  // a hint holds for its own command only
      }
    }
  }
  co_await Finish(std::move(end));
}

// Not a coroutine itself (one frame fewer per command): returns the
// handler's awaitable, which the command loop awaits at once.
Awaitable<absl::Status> MyClientSession::HandleCommand(std::string_view payload) {
  auto code = mysql::CommandByte(payload);
  if (!code) return SendErr(my_error::kUnknownCommand, "08S01", "Empty command", 1);
  switch (static_cast<mysql::Command>(*code)) {
    case mysql::Command::kQuit:
      return Done(absl::CancelledError("client sent COM_QUIT"));
    case mysql::Command::kPing:
      return SendOk(1);
    case mysql::Command::kQuery:
      return Query(payload);
    case mysql::Command::kInitDb:
      return InitDb(payload);
    case mysql::Command::kStmtPrepare:
      return StmtPrepare(payload);
    case mysql::Command::kStmtExecute:
      return StmtExecute(payload);
    case mysql::Command::kStmtSendLongData:
      return StmtSendLongData(payload);
    case mysql::Command::kStmtClose:
      return StmtClose(payload);
    case mysql::Command::kStmtReset:
    case mysql::Command::kStmtFetch:
      return StmtForward(payload);
    case mysql::Command::kResetConnection:
      return ResetConnection();
    case mysql::Command::kChangeUser:
      return ChangeUser(payload);
    default:
      return HandleOther(*code, payload);
  }
}

// Commands the proxy passes to a backend as they are (or refuses).
Awaitable<absl::Status> MyClientSession::HandleOther(uint8_t code, std::string_view payload) {
  const mysql::CommandInfo& info = mysql::LookupCommand(code);
  if (info.name == "COM_UNKNOWN") {
    co_return co_await SendErr(my_error::kUnknownCommand, "08S01",
                               fmt::format("Unknown command 0x{:02x}", code), 1);
  }
  if (info.shape == mysql::ResponseShape::kUntracked ||
      info.shape == mysql::ResponseShape::kAuthExchange ||
      static_cast<mysql::Command>(code) == mysql::Command::kStmtBulkExecute) {
    co_return co_await SendErr(my_error::kUnknownCommand, "08S01",
                               fmt::format("{} is not supported through switchyard", info.name),
                               1);
  }
  if (static_cast<mysql::Command>(code) == mysql::Command::kSetOption && !pinned_) {
    Pin("COM_SET_OPTION");
  }
  AttachPlan plan;
  if (!AttachNow(routing::Target::kPrimary, plan)) {
    absl::Status s = co_await EnsureBackend(std::move(plan));
    if (!s.ok()) co_return s;
    if (!backend_) co_return absl::OkStatus();  // the client got an error
  }
  co_return co_await Forward(payload);
}

// COM_RESET_CONNECTION: the client's session starts over (no transaction,
// no statements, no variables, the login database), and so does its backend.
Awaitable<absl::Status> MyClientSession::ResetConnection() {
  StartOver();
  database_ = login_database_;
  co_return co_await SendOk(1);
}

// The client's session starts over (COM_RESET_CONNECTION, COM_CHANGE_USER):
// a backend still attached (open transaction, pinned) is rolled back and
// reset before reuse; statements, variables, a lost transaction and the pin
// are gone. The read-your-writes position stays: those commits happened.
void MyClientSession::StartOver() {
  if (backend_) {
    pinned_ = true;  // DisposeBackend resets a pinned backend before reuse
    DisposeBackend(true);
  }
  Unpin();
  if (extras_) {
    extras_->statements.clear();
    extras_->variables.clear();
    extras_->txn_lost.clear();
  }
  last_prepared_ = 0;
  Work& work = w();
  work.pending_effects.clear();
  work.long_data_pending = false;
  status_ = mysql::kServerStatusAutocommit;
}

Awaitable<absl::Status> MyClientSession::SendErr(uint16_t code, std::string_view state,
                                                 std::string_view message, uint8_t seq) {
  std::string payload, out;
  mysql::EncodeErr({code, state, message}, payload);
  mysql::AppendPacket(payload, seq, out);
  co_return co_await WriteClient(out);
}

Awaitable<absl::Status> MyClientSession::SendOk(uint8_t seq) {
  mysql::OkPacket ok;
  ok.status_flags = status_ & (mysql::kServerStatusAutocommit | mysql::kServerStatusInTrans);
  std::string payload, out;
  mysql::EncodeOk(ok, caps_, payload);
  mysql::AppendPacket(payload, seq, out);
  co_return co_await WriteClient(out);
}

absl::Status MyClientSession::SendClientNow(std::string_view& bytes) {
  absl::Status s = SendNow(client_, bytes);
  if (!s.ok()) return absl::UnavailableError(fmt::format("client connection lost: {}", s.message()));
  return s;
}

Awaitable<absl::Status> MyClientSession::WriteClient(std::string_view bytes) {
  absl::Status s = SendClientNow(bytes);
  if (!s.ok() || bytes.empty()) co_return s;
  s = co_await WriteAll(client_, bytes);
  if (!s.ok()) co_return absl::UnavailableError(fmt::format("client connection lost: {}", s.message()));
  co_return s;
}

}  // namespace switchyard::proxy
