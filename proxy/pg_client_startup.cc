// PgClientSession: startup packet, authentication and the login replies.
#include <fmt/format.h>
#include <openssl/rand.h>

#include "proxy/frame_reader.h"
#include "proxy/pg/auth_md5.h"
#include "proxy/pg/auth_scram.h"
#include "proxy/pg/backend_messages.h"
#include "proxy/pg/frontend_messages.h"
#include "proxy/pg/startup.h"
#include "proxy/pg_client.h"

namespace switchyard::proxy {
namespace {

int32_t RandomInt31() {
  uint32_t v = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&v), sizeof(v));
  return static_cast<int32_t>(v & 0x7fffffff);
}

pg::ErrorFields Fatal(std::string_view sqlstate, std::string message, std::string hint = "") {
  pg::ErrorFields e;
  e.severity = "FATAL";
  e.sqlstate = std::string(sqlstate);
  e.message = std::move(message);
  e.hint = std::move(hint);
  return e;
}

}  // namespace

Awaitable<absl::Status> PgClientSession::Startup() {
  const config::Config& cfg = shared_.config();
  FrameReader reader(cfg.max_startup_packet_bytes);
  pg::StartupMessage startup;
  while (true) {
    auto frame = co_await reader.NextStartup(client_);
    if (!frame.ok()) {
      if (absl::IsInvalidArgument(frame.status())) {
        co_await WriteClient(pg::EncodeErrorResponse(
            Fatal(pg::sqlstate::kProtocolViolation, std::string(frame.status().message()))));
      }
      co_return frame.status();
    }
    auto packet = pg::ParseStartupPacket(frame->body);
    if (!packet.ok()) {
      co_await WriteClient(pg::EncodeErrorResponse(
          Fatal(pg::sqlstate::kProtocolViolation, std::string(packet.status().message()))));
      co_return packet.status();
    }
    if (packet->kind == pg::StartupPacket::Kind::kSslRequest ||
        packet->kind == pg::StartupPacket::Kind::kGssEncRequest) {
      // TLS and GSS encryption are not offered (yet): the client may go on in
      // plain text, as with a server that has ssl=off.
      co_await WriteClient(std::string("N"));
      continue;
    }
    if (packet->kind == pg::StartupPacket::Kind::kCancel) {
      HandleCancelRequest(packet->cancel.process_id, packet->cancel.secret_key);
      co_return absl::CancelledError("cancel request");
    }
    startup = std::move(packet->startup);
    break;
  }
  user_ = *startup.Find("user");
  const std::string* db = startup.Find("database");
  database_ = (db && !db->empty()) ? *db : user_;
  for (const auto& [name, value] : startup.parameters) {
    const std::string lower = pg::ToLower(name);
    if (!pg::IsConnectionParameter(lower)) startup_wanted_.Set(lower, value);
  }
  user_config_ = cfg.FindUser(user_);
  const bool trust = user_config_ && user_config_->auth == config::AuthMethod::kTrust;
  const bool md5 = user_config_ && user_config_->auth == config::AuthMethod::kMd5;
  if (!trust) {
    // (Not a ?: of two co_awaits: g++ 12 miscompiles that.)
    absl::Status auth;
    if (md5) {
      auth = co_await AuthenticateMd5(reader, user_config_);
    } else {
      auth = co_await AuthenticateScram(reader, user_config_);
    }
    if (!auth.ok()) co_return auth;
  }
  in_buf_ = reader.TakeRemaining();
  in_start_ = 0;

  pool_settings_ = cfg.EffectivePool(user_, database_);
  session_mode_ = pool_settings_.pool_mode == config::PoolMode::kSession;
  if (!shared_.AdmitClient(user_, pool_settings_.max_client_connections)) {
    auto e = Fatal(pg::sqlstate::kTooManyConnections,
                   fmt::format("too many client connections (max_client_connections {} for user "
                               "\"{}\", {} for the proxy)",
                               pool_settings_.max_client_connections, user_,
                               cfg.max_client_connections));
    co_await WriteClient(pg::EncodeErrorResponse(e));
    co_return absl::ResourceExhaustedError(e.message);
  }
  admitted_ = true;
  co_return co_await SendLoginReplies();
}

Awaitable<absl::Status> PgClientSession::FailLogin(std::string_view sqlstate,
                                                   std::string message) {
  pg::ErrorFields e = Fatal(sqlstate, std::move(message));
  shared_.log().warn("{} login failed: {}", Tag(), e.message);
  co_await WriteClient(pg::EncodeErrorResponse(e));
  co_return absl::PermissionDeniedError(e.message);
}

Awaitable<absl::Status> PgClientSession::AuthenticateMd5(FrameReader& reader,
                                                         const config::User* user) {
  pg::Md5Salt salt;
  RAND_bytes(salt.data(), salt.size());
  std::string out;
  pg::AppendAuthMd5(out, salt);
  co_await WriteClient(out);
  auto frame = co_await reader.Next(client_);
  if (!frame.ok() || frame->type != 'p') {
    co_return co_await FailLogin(pg::sqlstate::kProtocolViolation, "expected a password message");
  }
  auto response = pg::ParsePasswordMessage(frame->body);
  if (!response.ok()) {
    co_return co_await FailLogin(pg::sqlstate::kProtocolViolation,
                                 std::string(response.status().message()));
  }
  if (user == nullptr || !pg::VerifyMd5Response(user->password, user_, salt, *response)) {
    co_return co_await FailLogin(pg::sqlstate::kInvalidPassword, PasswordFailed());
  }
  co_return absl::OkStatus();
}

// SCRAM-SHA-256; also run for unknown users, so a client cannot tell an
// unknown user from a wrong password.
Awaitable<absl::Status> PgClientSession::AuthenticateScram(FrameReader& reader,
                                                           const config::User* user) {
  absl::StatusOr<pg::ScramServer> scram =
      absl::StatusOr<pg::ScramServer>(
          pg::ScramServer::ForUnknownUser(user_, shared_.mock_scram_key()));
  if (user) {
    auto secret = shared_.ScramSecretFor(user->name);
    if (secret.ok()) {
      scram = pg::ScramServer(**secret);
    } else {
      scram = secret.status();
    }
  }
  if (!scram.ok()) {
    co_return co_await FailLogin(pg::sqlstate::kInternalError,
                                 std::string(scram.status().message()));
  }
  std::string out;
  pg::AppendAuthSasl(out, {std::string(pg::kScramSha256)});
  co_await WriteClient(out);
  auto first = co_await reader.Next(client_);
  if (!first.ok() || first->type != 'p') {
    co_return co_await FailLogin(pg::sqlstate::kProtocolViolation, "expected SASLInitialResponse");
  }
  auto initial = pg::ParseSaslInitialResponse(first->body);
  if (!initial.ok() || initial->mechanism != pg::kScramSha256) {
    co_return co_await FailLogin(pg::sqlstate::kProtocolViolation,
                                 "client selected an invalid SASL authentication mechanism");
  }
  auto server_first = scram->HandleClientFirst(initial->data);
  if (!server_first.ok()) {
    co_return co_await FailLogin(pg::sqlstate::kProtocolViolation,
                                 std::string(server_first.status().message()));
  }
  out.clear();
  pg::AppendAuthSaslContinue(out, *server_first);
  co_await WriteClient(out);
  auto second = co_await reader.Next(client_);
  if (!second.ok() || second->type != 'p') {
    co_return co_await FailLogin(pg::sqlstate::kProtocolViolation, "expected SASLResponse");
  }
  auto server_final = scram->HandleClientFinal(second->body);
  if (!server_final.ok()) co_return co_await FailLogin(pg::sqlstate::kInvalidPassword, PasswordFailed());
  out.clear();
  pg::AppendAuthSaslFinal(out, *server_final);
  co_await WriteClient(out);
  co_return absl::OkStatus();
}

std::string PgClientSession::PasswordFailed() const {
  return fmt::format("password authentication failed for user \"{}\"", user_);
}

Awaitable<absl::Status> PgClientSession::SendLoginReplies() {
  // The client's parameters start from what the server reports by default,
  // overlaid with the client's startup parameters.
  ClusterState& cluster = *listener_.cluster;
  PgPool& pool = PoolFor(*cluster.primary);
  if (pool.defaults().empty() || session_mode_) {
    // Session mode: the client's backend for good. Otherwise one connection
    // tells the server's defaults, and checks that the servers can be reached
    // with this user's credentials before the client is told it is in.
    absl::Status s;
    if (session_mode_) {
      s = co_await AttachBackend(routing::Target::kPrimary);
    } else {
      auto b = co_await pool.Acquire();
      s = b.status();
      if (b.ok()) pool.Release(*std::move(b));
    }
    if (!s.ok()) {
      auto e = Fatal(absl::IsResourceExhausted(s) ? pg::sqlstate::kTooManyConnections
                                                  : pg::sqlstate::kConnectionFailure,
                     std::string(s.message()));
      co_await WriteClient(pg::EncodeErrorResponse(e));
      co_return s;
    }
  }
  pg::ParameterMap login = pool.defaults();
  for (const auto& [k, v] : startup_wanted_.get()) login[k] = v;
  startup_wanted_ = pg::SessionParameters(std::move(login));
  startup_wanted_.Intern(pool.last_login_parameters());
  pool.last_login_parameters() = startup_wanted_;
  wanted_ = startup_wanted_;

  proxy_pid_ = session_mode_ && backend_ ? backend_->process_id : RandomInt31();
  proxy_secret_ = RandomInt31();
  shared_.RegisterCancel(proxy_pid_, proxy_secret_, std::weak_ptr<void>(weak_from_this()),
                         &PgClientSession::CancelFromAnyThread);

  std::string out;
  pg::AppendAuthOk(out);
  for (const auto& [lower, value] : wanted_.get()) {
    auto name = pool.default_names().find(lower);
    if (name != pool.default_names().end()) pg::AppendParameterStatus(out, name->second, value);
  }
  pg::AppendBackendKeyData(out, {proxy_pid_, proxy_secret_});
  pg::AppendReadyForQuery(out, 'I');
  shared_.log().info("{} logged in ({} pooling){}", Tag(),
                     session_mode_ ? "session" : "transaction",
                     session_mode_ && backend_ ? fmt::format(", backend pid {}", backend_->process_id) : "");
  co_return co_await WriteClient(out);
}

}  // namespace switchyard::proxy
