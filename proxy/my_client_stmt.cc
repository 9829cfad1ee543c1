// MyClientSession: server-side prepared statements under transaction pooling.
//
// The client sees statement ids the proxy assigns; each backend has its own
// ids for the statements prepared on it, found by SQL text. A statement is
// prepared on a backend the first time that backend must run it (a hidden
// COM_STMT_PREPARE), and a client preparing a text its backend already has
// is answered from the saved prepare response. Parameter types are
// remembered per client statement and re-sent when the server's last types
// for its statement differ (an execute may omit them).
#include <fmt/format.h>

#include <span>
#include <utility>

#include "common/fmt_absl.h"
#include "proxy/my_client.h"
#include "routing/admin_statement.h"

namespace switchyard::proxy {
namespace {

// Offset of the statement id in a COM_STMT_PREPARE_OK packet (after the
// 4-byte header and the 0x00 status byte).
constexpr size_t kPrepareOkIdOffset = mysql::kPacketHeaderSize + 1;

void PutU32(std::string& s, size_t offset, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[offset + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

}  // namespace

MyClientSession::Statement* MyClientSession::FindStatement(std::string_view payload,
                                                           uint32_t* client_id) {
  auto id = mysql::ReadStatementId(payload);
  if (!id.ok()) return nullptr;
  *client_id = *id == mysql::kLastPreparedStatementId ? last_prepared_ : *id;
  if (!extras_) return nullptr;
  auto it = extras_->statements.find(*client_id);
  return it == extras_->statements.end() ? nullptr : &it->second;
}

Awaitable<absl::StatusOr<MyServerStatement*>> MyClientSession::EnsurePrepared(
    const std::string& sql, std::string* error_response) {
  auto it = backend_->prepared.find(sql);
  if (it != backend_->prepared.end()) co_return &it->second;
  std::string raw;
  auto r = co_await RunHiddenCommand(*backend_, std::string("\x16") + sql, &raw);
  if (!r.ok()) co_return r.status();
  if (r->summary.is_error || !r->summary.prepare_ok) {
    *error_response = std::move(raw);
    co_return nullptr;
  }
  MyServerStatement st;
  st.backend_id = r->summary.prepare_ok->statement_id;
  st.num_params = r->summary.prepare_ok->num_params;
  st.prepare_response = std::move(raw);
  co_return &(backend_->prepared[sql] = std::move(st));
}

Awaitable<absl::Status> MyClientSession::StmtPrepare(std::string_view payload) {
  if (routing::ClassifyAdminStatement(mysql::CommandBody(payload), parser::Dialect::kMySql) !=
      routing::AdminStatement::kNone) {
    // Prepared, it would show its first answer forever: the proxy answers it
    // as a query of its own only.
    co_return co_await SendErr(my_error::kParseError, "42000", routing::kAdminMisusedMessage, 1);
  }
  Statement st;
  st.sql = std::string(mysql::CommandBody(payload));
  st.analysis = worker_.Analyze(st.sql, parser::Dialect::kMySql);
  AttachPlan plan;
  if (!AttachNow(RouteStatements(*st.analysis), plan)) {
    absl::Status s = co_await EnsureBackend(std::move(plan));
    if (!s.ok() || !backend_) co_return s;
  }
  if (!InSync()) {
    auto ready = co_await Synced();
    if (!ready.ok() || !*ready) co_return ready.status();
  }
  absl::Status s;
  std::string error;
  auto server = co_await EnsurePrepared(st.sql, &error);
  if (!server.ok()) co_return co_await BackendLost(server.status(), false);
  if (*server == nullptr) {
    s = co_await WriteClient(error);  // the server's ERR, sequence id 1
    AfterResponse();
    co_return s;
  }
  const uint32_t id = next_statement_id_++;
  st.num_params = (*server)->num_params;
  std::string response = (*server)->prepare_response;
  PutU32(response, kPrepareOkIdOffset, id);
  x().statements.emplace(id, std::move(st));
  last_prepared_ = id;
  s = co_await WriteClient(response);
  AfterResponse();
  co_return s;
}

// A statement command's payload for the backend: the client's, with the
// backend's statement id (in Work::statement_head, so nothing is copied).
MyClientSession::Payload MyClientSession::WithBackendId(std::string_view payload,
                                                        uint32_t backend_id) {
  constexpr size_t kHead = 5;  // command byte, statement id
  std::array<char, 5>& head = w().statement_head;
  static_assert(sizeof head == kHead);
  std::copy_n(payload.data(), kHead, head.data());
  (void)mysql::RewriteStatementId(std::span<char>(head.data(), kHead), backend_id);
  Payload p;
  p.pieces[0] = std::string_view(head.data(), kHead);
  p.pieces[1] = payload.substr(kHead);
  p.count = 2;
  return p;
}

// The execute payload for the backend: its statement id, and parameter
// types added when the client omitted them but the server's differ.
MyClientSession::Payload MyClientSession::BindTypes(Statement& st, MyServerStatement& server,
                                                    std::string_view payload) {
  static constexpr char kTypesFollow = 1;  // new-params-bound flag
  Payload p = WithBackendId(payload, server.backend_id);
  const size_t n = st.num_params;
  const size_t flag = 10 + (n + 7) / 8;  // command, id, flags, iteration count, null bitmap
  if (n == 0 || payload.size() <= flag) return p;
  if (payload[flag] == 1) {
    if (payload.size() < flag + 1 + 2 * n) return p;
    st.types.assign(payload.substr(flag + 1, 2 * n));
    server.bound_types = st.types;
    return p;
  }
  if (st.types.empty() || server.bound_types == st.types) return p;
  // The client's bytes up to the flag, the flag set, the types, the rest.
  p.pieces[1] = payload.substr(5, flag - 5);
  p.pieces[2] = std::string_view(&kTypesFollow, 1);
  p.pieces[3] = st.types;
  p.pieces[4] = payload.substr(flag + 1);
  p.count = 5;
  server.bound_types = st.types;
  return p;
}

Awaitable<absl::Status> MyClientSession::StmtExecute(std::string_view payload) {
  uint32_t id = 0;
  Statement* st = FindStatement(payload, &id);
  if (st == nullptr) return UnknownStatement(id, "mysqld_stmt_execute");
  auto header = mysql::DecodeExecuteHeader(payload);
  if (header.ok() && (header->flags & mysql::kCursorTypeReadOnly) && !pinned_) {
    Pin("cursor");  // COM_STMT_FETCH must reach the same server
  }
  if (!txn_lost().empty()) return ExecuteAfterLostTransaction(st, payload);
  NoteHint(*st->analysis);
  return SendExecute(st, payload);
}

Awaitable<absl::Status> MyClientSession::UnknownStatement(uint32_t id, std::string_view command) {
  co_return co_await SendErr(
      my_error::kUnknownStmtHandler, "HY000",
      fmt::format("Unknown prepared statement handler ({}) given to {}", id, command), 1);
}

Awaitable<absl::Status> MyClientSession::ExecuteAfterLostTransaction(Statement* st,
                                                                     std::string_view payload) {
  auto answered = co_await AnsweredAfterLostTransaction(*st->analysis);
  if (!answered.ok() || *answered) co_return answered.status();
  NoteHint(*st->analysis);
  co_return co_await SendExecute(st, payload);
}

Awaitable<absl::Status> MyClientSession::SendExecute(Statement* st, std::string_view payload) {
  Awaitable<absl::Status> first = ExecuteOnce(*st, payload, 0);
  if (backend_ && !w().retry_read) return first;  // cannot be sent again
  return Retrying(std::move(first), [this, st, payload](int attempt) {
    return ExecuteOnce(*st, payload, attempt);
  });
}

// Not a coroutine: when a backend can be attached at once, is in sync and
// has the statement, the execute is sent now and the relay returned.
Awaitable<absl::Status> MyClientSession::ExecuteOnce(Statement& st, std::string_view payload,
                                                     int attempt) {
  AttachPlan plan;
  if (!AttachNowForCommand(*st.analysis, attempt, plan) || !InSync()) {
    return ExecuteSlowly(st, payload, attempt, std::move(plan));
  }
  auto it = backend_->prepared.find(st.sql);
  if (it == backend_->prepared.end()) return ExecuteSlowly(st, payload, attempt, std::move(plan));
  NoteWrite(*st.analysis);
  NoteEffects(*st.analysis);
  w().long_data_pending = false;
  return SendAndRelay(BindTypes(st, it->second, payload));
}

// ExecuteOnce when it has to wait: for a backend, a session sync or a
// prepare on the backend.
Awaitable<absl::Status> MyClientSession::ExecuteSlowly(Statement& st, std::string_view payload,
                                                       int attempt, AttachPlan plan) {
  if (!backend_) {
    absl::Status s = co_await AttachForCommand(std::move(plan), attempt);
    if (!s.ok() || !backend_) co_return s;
  }
  if (!InSync()) {
    auto ready = co_await Synced();
    if (!ready.ok() || !*ready) co_return ready.status();
  }
  std::string error;
  auto server = co_await EnsurePrepared(st.sql, &error);
  if (!server.ok()) co_return co_await BackendLost(server.status(), false);
  if (*server == nullptr) {
    absl::Status s = co_await WriteClient(error);
    AfterResponse();
    co_return s;
  }
  NoteWrite(*st.analysis);
  NoteEffects(*st.analysis);
  w().long_data_pending = false;
  co_return co_await SendAndRelay(BindTypes(st, **server, payload));
}

// No response: errors are left for the EXECUTE that follows to report.
Awaitable<absl::Status> MyClientSession::StmtSendLongData(std::string_view payload) {
  uint32_t id = 0;
  Statement* st = FindStatement(payload, &id);
  if (st == nullptr) co_return absl::OkStatus();
  AttachPlan plan;
  if (!AttachNow(RouteStatements(*st->analysis), plan) &&
      !(co_await AttachBackend(std::move(plan))).ok()) {
    co_return absl::OkStatus();
  }
  absl::Status s = co_await SyncSession();
  std::string error;
  auto server = co_await EnsurePrepared(st->sql, &error);
  if (!server.ok()) co_return co_await BackendLost(server.status(), false);
  if (*server == nullptr || !s.ok()) co_return absl::OkStatus();
  std::string p(payload);
  (void)mysql::RewriteStatementId(std::span<char>(p.data(), p.size()), (*server)->backend_id);
  std::string out;
  mysql::AppendPacket(p, 0, out);
  w().long_data_pending = true;  // the data lives on this backend until EXECUTE
  s = co_await WriteAll(backend_->socket, out);
  if (!s.ok()) co_return co_await BackendLost(s, false);
  co_return absl::OkStatus();
}

// Server statements are shared by text and stay prepared on their backends;
// closing forgets the client's id only. No response.
Awaitable<absl::Status> MyClientSession::StmtClose(std::string_view payload) {
  uint32_t id = 0;
  if (FindStatement(payload, &id) != nullptr) extras_->statements.erase(id);
  co_return absl::OkStatus();
}

// COM_STMT_RESET and COM_STMT_FETCH: meaningful only on a backend that has
// the statement; a reset elsewhere has nothing to reset.
Awaitable<absl::Status> MyClientSession::StmtForward(std::string_view payload) {
  uint32_t id = 0;
  Statement* st = FindStatement(payload, &id);
  const bool reset = static_cast<uint8_t>(payload[0]) ==
                     static_cast<uint8_t>(mysql::Command::kStmtReset);
  if (st == nullptr) {
    co_return co_await SendErr(my_error::kUnknownStmtHandler, "HY000",
                               fmt::format("Unknown prepared statement handler ({}) given to {}",
                                           id, reset ? "mysqld_stmt_reset" : "mysqld_stmt_fetch"),
                               1);
  }
  auto it = backend_ ? backend_->prepared.find(st->sql) : decltype(backend_->prepared.end()){};
  if (!backend_ || it == backend_->prepared.end()) {
    w().long_data_pending = false;
    if (reset) co_return co_await SendOk(1);
    co_return co_await SendErr(1421, "HY000",
                               fmt::format("The statement ({}) has no open cursor.", id), 1);
  }
  if (reset) w().long_data_pending = false;
  co_return co_await SendAndRelay(WithBackendId(payload, it->second.backend_id));
}

}  // namespace switchyard::proxy
