#include "proxy/my_backend.h"

#include <fmt/format.h>

#include "common/byte_reader.h"
#include "common/fmt_absl.h"
#include "proxy/mysql/auth.h"
#include "proxy/mysql/command.h"
#include "proxy/mysql/ok_err.h"
#include "proxy/mysql/rsa_key.h"

namespace switchyard::proxy {
namespace {

constexpr size_t kMaxAuthPacket = 1 << 20;

std::string ErrText(std::string_view payload) {
  auto err = mysql::DecodeErr(payload);
  if (!err.ok()) return "malformed error packet";
  return fmt::format("{} (error {})", err->message, err->error_code);
}

// The auth response for `plugin` with `scramble`; unknown plugins get a
// native token (the server then switches).
absl::StatusOr<std::string> Token(std::string_view plugin, std::string_view password,
                                  std::string_view scramble) {
  if (plugin == mysql::kCachingSha2Password) return mysql::CachingSha2Token(password, scramble);
  return mysql::NativePasswordToken(password, scramble);
}

struct AuthState {
  std::string plugin;
  std::string scramble;
  bool awaiting_key = false;
};

// One server packet of the authentication exchange; returns the reply to
// send ("" for none), or sets `done`.
absl::StatusOr<std::string> AnswerAuth(std::string_view payload, const MyCredentials& cred,
                                       AuthState& st, bool& done) {
  switch (mysql::ClassifyAuthReply(payload)) {
    case mysql::AuthReplyKind::kOk:
      done = true;
      return std::string();
    case mysql::AuthReplyKind::kErr:
      return absl::PermissionDeniedError(ErrText(payload));
    case mysql::AuthReplyKind::kAuthSwitch: {
      auto sw = mysql::DecodeAuthSwitchRequest(payload);
      if (!sw.ok()) return sw.status();
      if (sw->plugin_name != mysql::kMysqlNativePassword &&
          sw->plugin_name != mysql::kCachingSha2Password) {
        return absl::UnimplementedError(
            fmt::format("server asks for unsupported auth plugin {}", sw->plugin_name));
      }
      st.plugin = sw->plugin_name;
      st.scramble = std::string(mysql::ScrambleFromAuthData(sw->plugin_data));
      return Token(st.plugin, cred.password, st.scramble);
    }
    case mysql::AuthReplyKind::kMoreData: {
      auto data = mysql::DecodeAuthMoreData(payload);
      if (!data.ok()) return data.status();
      if (st.awaiting_key) {
        return mysql::EncryptPasswordForFullAuth(*data, cred.password, st.scramble);
      }
      if (data->size() == 1 && uint8_t((*data)[0]) == mysql::kCachingSha2FastAuthSuccess) {
        return std::string();
      }
      if (data->size() == 1 && uint8_t((*data)[0]) == mysql::kCachingSha2PerformFullAuth) {
        st.awaiting_key = true;
        return std::string(1, char(mysql::kCachingSha2RequestPublicKey));
      }
      return absl::InvalidArgumentError("unexpected auth data from the server");
    }
    case mysql::AuthReplyKind::kUnknown:
      break;
  }
  return absl::InvalidArgumentError("unexpected packet during authentication");
}

Awaitable<absl::Status> Authenticate(MyBackend& b, const MyCredentials& cred,
                                     const mysql::HandshakeV10& greeting) {
  AuthState st{greeting.auth_plugin_name, greeting.auth_plugin_data, false};
  mysql::HandshakeResponse41 resp;
  resp.capabilities = b.capabilities;
  resp.max_packet_size = 1u << 30;
  resp.character_set = cred.character_set ? cred.character_set : greeting.character_set;
  resp.username = cred.user;
  resp.database = cred.database;
  auto token = Token(st.plugin, cred.password, st.scramble);
  if (!token.ok()) co_return token.status();
  resp.auth_response = *token;
  resp.auth_plugin_name = st.plugin == mysql::kCachingSha2Password
                              ? std::string(mysql::kCachingSha2Password)
                              : std::string(mysql::kMysqlNativePassword);
  std::string payload, out;
  absl::Status s = mysql::EncodeHandshakeResponse41(resp, payload);
  if (!s.ok()) co_return s;
  uint8_t seq = mysql::AppendPacket(payload, 1, out);
  s = co_await WriteAll(b.socket, out);
  while (s.ok()) {
    auto p = co_await b.in.NextLogical(b.socket);
    if (!p.ok()) co_return p.status();
    bool done = false;
    auto reply = AnswerAuth(p->payload, cred, st, done);
    if (!reply.ok()) co_return reply.status();
    if (done) co_return absl::OkStatus();
    seq = p->next_sequence_id;
    if (reply->empty() && !st.awaiting_key) continue;
    out.clear();
    seq = mysql::AppendPacket(*reply, seq, out);
    s = co_await WriteAll(b.socket, out);
  }
  co_return s;
}

// Connects the socket with a deadline that also covers what follows
// (`timer` closes the socket when it fires).
Awaitable<absl::Status> ConnectSocket(tcp::socket& socket, const ServerState& server,
                                      asio::steady_timer& timer, std::shared_ptr<bool> timed_out) {
  timer.async_wait([sock = &socket, timed_out](boost::system::error_code ec) {
    if (ec) return;
    *timed_out = true;
    boost::system::error_code ignored;
    sock->close(ignored);
  });
  boost::system::error_code ec;
  tcp::resolver resolver(socket.get_executor());
  auto endpoints = co_await resolver.async_resolve(
      server.server.host, std::to_string(server.server.port),
      asio::redirect_error(kUseAwaitable, ec));
  if (ec) co_return absl::UnavailableError("could not resolve host: " + ec.message());
  co_await asio::async_connect(socket, endpoints, asio::redirect_error(kUseAwaitable, ec));
  if (ec) {
    co_return absl::UnavailableError(*timed_out ? "connection timed out"
                                                : "cannot connect: " + ec.message());
  }
  socket.set_option(tcp::no_delay(true));
  co_return absl::OkStatus();
}

Awaitable<absl::StatusOr<mysql::HandshakeV10>> ReadGreeting(MyBackend& b) {
  auto p = co_await b.in.NextLogical(b.socket);
  if (!p.ok()) co_return p.status();
  co_return mysql::DecodeHandshakeV10(p->payload);
}

// What a fresh connection's SET NAMES state is, to undo a client's SET NAMES.
Awaitable<absl::Status> LearnDefaults(MyBackend& b) {
  auto r = co_await RunHiddenCommand(
      b, std::string("\x03SELECT @@character_set_client, @@collation_connection, DATABASE()"));
  if (!r.ok()) co_return r.status();
  if (r->summary.is_error || r->first_row.size() != 3) {
    co_return absl::InternalError("cannot read the connection's character set");
  }
  b.names_default = fmt::format("NAMES '{}' COLLATE '{}'", r->first_row[0], r->first_row[1]);
  b.schema = r->first_row[2];
  co_return absl::OkStatus();
}

}  // namespace

Awaitable<absl::Status> TrackLastGtid(MyBackend& b) {
  auto r = co_await RunHiddenCommand(b, TrackGtidCommand(b));
  if (!r.ok()) co_return r.status();
  // A refusal (a server without last_gtid, MySQL without gtid_mode=ON):
  // the session learns positions otherwise.
  b.tracks_gtid = !r->summary.is_error;
  co_return absl::OkStatus();
}

absl::Status MyServerError(const ServerState& server, std::string_view what) {
  return absl::UnavailableError(fmt::format("server {}: {}", server.label, what));
}

Awaitable<absl::StatusOr<std::unique_ptr<MyBackend>>> ConnectMyBackend(
    ServerState& server, const MyCredentials& cred, std::chrono::milliseconds timeout,
    uint64_t id) {
  auto ex = co_await asio::this_coro::executor;
  auto b = std::make_unique<MyBackend>(ex);
  b->server = &server;
  b->id = id;
  b->in.set_max_payload(kMaxAuthPacket);
  asio::steady_timer timer(ex);
  timer.expires_after(timeout);
  auto timed_out = std::make_shared<bool>(false);
  absl::Status s = co_await ConnectSocket(b->socket, server, timer, timed_out);
  if (!s.ok()) co_return MyServerError(server, std::string(s.message()));
  auto greeting = co_await ReadGreeting(*b);
  if (greeting.ok() &&
      (greeting->capabilities & mysql::kRequiredBackendCapabilities) !=
          mysql::kRequiredBackendCapabilities) {
    greeting = absl::FailedPreconditionError("server lacks PROTOCOL_41/SECURE_CONNECTION/PLUGIN_AUTH");
  }
  if (greeting.ok()) {
    b->connection_id = greeting->connection_id;
    b->mariadb = IsMariaDbVersion(greeting->server_version);
    b->capabilities =
        mysql::BackendClientCapabilities(cred.client_capabilities, greeting->capabilities);
    if (!cred.database.empty()) b->capabilities |= mysql::kClientConnectWithDb;
    // So that LOAD DATA LOCAL reaches the proxy, which refuses it with a clear
    // error or, when allowed, relays the client's file (the server alone
    // would answer "not allowed" without saying why).
    b->capabilities |= greeting->capabilities & mysql::kClientLocalFiles;
    s = co_await Authenticate(*b, cred, *greeting);
  } else {
    s = greeting.status();
  }
  b->in.set_max_payload(1u << 30);
  if (s.ok()) s = co_await LearnDefaults(*b);
  if (s.ok() && cred.track_gtid && (b->capabilities & mysql::kClientSessionTrack)) {
    s = co_await TrackLastGtid(*b);
  }
  timer.cancel();
  if (!s.ok()) {
    if (*timed_out) co_return MyServerError(server, "login timed out");
    // Keep the code: PermissionDenied (the server refused the login) is told
    // apart from an unreachable server.
    co_return absl::Status(s.code(), fmt::format("server {}: {}", server.label, s.message()));
  }
  b->created = b->last_used = std::chrono::steady_clock::now();
  co_return b;
}

Awaitable<absl::StatusOr<mysql::HandshakeV10>> ProbeMyServer(ServerState& server,
                                                             std::chrono::milliseconds timeout) {
  auto ex = co_await asio::this_coro::executor;
  MyBackend b(ex);
  b.in.set_max_payload(kMaxAuthPacket);
  asio::steady_timer timer(ex);
  timer.expires_after(timeout);
  auto timed_out = std::make_shared<bool>(false);
  absl::Status s = co_await ConnectSocket(b.socket, server, timer, timed_out);
  if (!s.ok()) co_return MyServerError(server, std::string(s.message()));
  auto greeting = co_await ReadGreeting(b);
  timer.cancel();
  boost::system::error_code ignored;
  b.socket.close(ignored);
  if (!greeting.ok()) co_return MyServerError(server, std::string(greeting.status().message()));
  co_return greeting;
}

namespace {

std::vector<std::string> TextRow(std::string_view payload) {
  std::vector<std::string> row;
  common::ByteReader r(payload);
  while (!r.empty()) {
    if (uint8_t(r.rest()[0]) == 0xFB) {
      r.Skip(1);
      row.emplace_back();
      continue;
    }
    auto v = r.LenEncString();
    if (!v) break;
    row.emplace_back(*v);
  }
  return row;
}

}  // namespace

Awaitable<absl::StatusOr<MyHiddenResult>> RunHiddenCommand(MyBackend& b, std::string_view payload,
                                                           std::string* raw) {
  auto cmd = mysql::CommandByte(payload);
  if (!cmd) co_return absl::InvalidArgumentError("empty command");
  std::string out;
  mysql::AppendPacket(payload, 0, out);
  absl::Status s = co_await WriteAll(b.socket, out);
  if (!s.ok()) co_return s;
  mysql::ResponseTracker tracker(mysql::LookupCommand(*cmd).shape, b.capabilities);
  MyHiddenResult result;
  while (true) {
    auto p = co_await b.in.Next(b.socket);
    if (!p.ok()) co_return p.status();
    if (raw) {
      raw->append(b.in.data() + b.in.consumed_end() - p->consumed, p->consumed);
    }
    const bool row = tracker.phase() == mysql::ResponsePhase::kRows;
    auto ev = tracker.OnPacket(p->payload);
    if (!ev.ok()) co_return ev.status();
    if (row && *ev == mysql::ResponseEvent::kMore && result.first_row.empty()) {
      result.first_row = TextRow(p->payload);
    }
    if (*ev == mysql::ResponseEvent::kComplete) break;
    if (*ev != mysql::ResponseEvent::kMore) {
      co_return absl::InternalError("unexpected request from the server");
    }
  }
  result.summary = tracker.summary();
  if (result.summary.status_flags) b.status = *result.summary.status_flags;
  co_return result;
}

}  // namespace switchyard::proxy
