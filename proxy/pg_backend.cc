#include "proxy/pg_backend.h"

#include <fmt/format.h>

#include <optional>

#include "absl/status/status.h"
#include "proxy/frame_reader.h"
#include "proxy/socket_io.h"
#include "proxy/pg/auth_md5.h"
#include "proxy/pg/auth_scram.h"
#include "proxy/pg/backend_messages.h"
#include "proxy/pg/error_response.h"
#include "proxy/pg/frontend_messages.h"
#include "proxy/pg/startup.h"

namespace switchyard::proxy {
namespace {

constexpr uint32_t kMaxServerMessage = 1 << 20;  // during startup/auth only

absl::Status Fail(const ServerState& s, std::string_view what) {
  return absl::UnavailableError(fmt::format("server {}: {}", s.label, what));
}

std::string ServerError(std::string_view body) {
  auto f = pg::ParseErrorResponse(body);
  if (!f.ok()) return "malformed error response";
  return fmt::format("{} (SQLSTATE {})", f->message, f->sqlstate);
}

// Answers one authentication request; returns the bytes to send ("" for none).
absl::StatusOr<std::string> AnswerAuth(const pg::AuthRequest& req,
                                       const BackendCredentials& cred,
                                       std::optional<pg::ScramClient>& scram) {
  std::string out;
  switch (req.code) {
    case pg::AuthCode::kOk:
      return out;
    case pg::AuthCode::kCleartextPassword:
      pg::AppendPasswordMessage(out, cred.password);
      return out;
    case pg::AuthCode::kMd5Password:
      pg::AppendPasswordMessage(out, pg::Md5Response(cred.password, cred.user, req.md5_salt));
      return out;
    case pg::AuthCode::kSasl: {
      bool offered = false;
      for (const auto& m : req.mechanisms) offered |= (m == pg::kScramSha256);
      if (!offered) return absl::UnimplementedError("server offers no SCRAM-SHA-256");
      scram.emplace(cred.password);
      pg::AppendSaslInitialResponse(out, pg::kScramSha256, scram->ClientFirst());
      return out;
    }
    case pg::AuthCode::kSaslContinue: {
      if (!scram) return absl::InvalidArgumentError("unexpected SASL continue");
      auto final_msg = scram->HandleServerFirst(req.data);
      if (!final_msg.ok()) return final_msg.status();
      pg::AppendSaslResponse(out, *final_msg);
      return out;
    }
    case pg::AuthCode::kSaslFinal: {
      if (!scram) return absl::InvalidArgumentError("unexpected SASL final");
      absl::Status s = scram->VerifyServerFinal(req.data);
      if (!s.ok()) return s;
      return out;
    }
  }
  return absl::UnimplementedError("unsupported authentication request");
}

// Reads the server's startup replies until ReadyForQuery.
Awaitable<absl::Status> Handshake(PgBackend& b, const BackendCredentials& cred) {
  FrameReader reader(kMaxServerMessage);
  std::optional<pg::ScramClient> scram;
  while (true) {
    auto frame = co_await reader.Next(b.socket);
    if (!frame.ok()) co_return frame.status();
    switch (frame->type) {
      case 'R': {
        auto req = pg::ParseAuthRequest(frame->body);
        if (!req.ok()) co_return req.status();
        auto answer = AnswerAuth(*req, cred, scram);
        if (!answer.ok()) co_return answer.status();
        if (!answer->empty()) {
          absl::Status s = co_await WriteAll(b.socket, *answer);
          if (!s.ok()) co_return s;
        }
        break;
      }
      case 'S': {
        auto ps = pg::ParseParameterStatus(frame->body);
        if (!ps.ok()) co_return ps.status();
        const std::string lower = pg::ToLower(ps->name);
        b.params[lower] = ps->value;
        b.reported_names[lower] = ps->name;
        break;
      }
      case 'K': {
        auto key = pg::ParseBackendKeyData(frame->body);
        if (!key.ok()) co_return key.status();
        b.process_id = key->process_id;
        b.secret_key = key->secret_key;
        break;
      }
      case 'Z':
        co_return absl::OkStatus();
      case 'E':
        co_return absl::PermissionDeniedError(ServerError(frame->body));
      case 'N':
        break;
      default:
        co_return absl::InvalidArgumentError(
            fmt::format("unexpected message '{}' during startup", frame->type));
    }
  }
}

}  // namespace

Awaitable<absl::StatusOr<std::unique_ptr<PgBackend>>> ConnectPgBackend(
    ServerState& server, const BackendCredentials& cred, std::chrono::milliseconds timeout,
    uint64_t id) {
  auto ex = co_await asio::this_coro::executor;
  auto b = std::make_unique<PgBackend>(ex);
  b->server = &server;
  b->id = id;
  asio::steady_timer timer(ex);
  timer.expires_after(timeout);
  auto timed_out = std::make_shared<bool>(false);
  tcp::socket* sock = &b->socket;
  timer.async_wait([sock, timed_out](boost::system::error_code ec) {
    if (ec) return;
    *timed_out = true;
    boost::system::error_code ignored;
    sock->close(ignored);
  });

  boost::system::error_code ec;
  tcp::resolver resolver(ex);
  auto endpoints = co_await resolver.async_resolve(
      server.server.host, std::to_string(server.server.port),
      asio::redirect_error(kUseAwaitable, ec));
  if (ec) co_return Fail(server, "could not resolve host: " + ec.message());
  co_await asio::async_connect(b->socket, endpoints, asio::redirect_error(kUseAwaitable, ec));
  if (ec) {
    co_return Fail(server, *timed_out ? "connection timed out" : ec.message());
  }
  b->socket.set_option(tcp::no_delay(true));

  pg::StartupMessage startup;
  startup.parameters = {{"user", cred.user}, {"database", cred.database}};
  absl::Status s = co_await WriteAll(b->socket, pg::EncodeStartupMessage(startup));
  if (s.ok()) s = co_await Handshake(*b, cred);
  timer.cancel();
  if (!s.ok()) {
    co_return Fail(server, *timed_out ? "startup timed out" : std::string(s.message()));
  }
  b->created = b->last_used = std::chrono::steady_clock::now();
  co_return b;
}

Awaitable<absl::Status> RunResetQuery(PgBackend& b, const std::string& sql) {
  std::string out;
  pg::AppendQuery(out, sql);
  absl::Status s = co_await WriteAll(b.socket, out);
  if (!s.ok()) co_return s;
  FrameReader reader(kMaxServerMessage);
  absl::Status error = absl::OkStatus();
  while (true) {
    auto frame = co_await reader.Next(b.socket);
    if (!frame.ok()) co_return frame.status();
    if (frame->type == 'E') error = absl::InternalError(ServerError(frame->body));
    if (frame->type == 'S') {
      auto ps = pg::ParseParameterStatus(frame->body);
      if (ps.ok()) {
        b.params[pg::ToLower(ps->name)] = ps->value;
        b.params_synced_to.reset();
      }
    }
    if (frame->type == 'Z') {
      auto status = pg::ParseReadyForQuery(frame->body);
      if (!status.ok()) co_return status.status();
      b.txn_status = *status;
      if (!reader.TakeRemaining().empty()) {
        co_return absl::InternalError("unexpected data after reset query");
      }
      co_return error;
    }
  }
}

}  // namespace switchyard::proxy
