// MyClientSession: the greeting, authentication (mysql_native_password,
// caching_sha2_password with RSA full authentication, auth switch) and the
// checks made before a client is told it is in.
#include <fmt/format.h>

#include "common/fmt_absl.h"
#include "proxy/my_client.h"
#include "proxy/mysql/auth.h"
#include "proxy/mysql/handshake.h"
#include "proxy/mysql/ok_err.h"

namespace switchyard::proxy {
namespace {

// Passwords stored as PostgreSQL verifiers cannot check MySQL tokens.
bool UsableForMySql(const std::string& password) {
  return password.rfind("SCRAM-SHA-256$", 0) != 0 &&
         !(password.size() == 35 && password.rfind("md5", 0) == 0);
}

}  // namespace

Awaitable<absl::StatusOr<MySqlServerInfo>> MyClientSession::ServerInfo() {
  if (auto info = cluster_->mysql_info()) co_return *info;
  const auto timeout = std::chrono::milliseconds(shared_.config().connect_timeout_ms);
  auto greeting = co_await ProbeMyServer(*cluster_->primary, timeout);
  if (!greeting.ok()) co_return greeting.status();
  MySqlServerInfo info{greeting->server_version, greeting->capabilities,
                       greeting->character_set};
  cluster_->set_mysql_info(info);
  co_return info;
}

Awaitable<absl::Status> MyClientSession::Login() {
  auto info = co_await ServerInfo();
  auto scramble = mysql::GenerateScramble();
  if (!info.ok() || !scramble.ok()) {
    const absl::Status s = info.ok() ? scramble.status() : info.status();
    co_return co_await FailLogin(my_error::kConnectFailed, "HY000",
                                 fmt::format("switchyard cannot reach the database: {}",
                                             s.message()), 0);
  }
  scramble_ = *scramble;
  advertised_ = mysql::AdvertisedCapabilities(info->capabilities);
  if (shared_.config().allow_load_data_local) advertised_ |= mysql::kClientLocalFiles;
  mysql::HandshakeV10 greeting{info->server_version, static_cast<uint32_t>(id_ & 0x7fffffff),
                               scramble_, advertised_, info->character_set,
                               mysql::kServerStatusAutocommit,
                               std::string(mysql::kMysqlNativePassword)};
  std::string payload, out;
  mysql::EncodeHandshakeV10(greeting, payload);
  mysql::AppendPacket(payload, 0, out);
  absl::Status s = co_await WriteClient(out);
  if (!s.ok()) co_return s;

  auto p = co_await in_.NextLogical(client_);
  if (!p.ok()) {
    if (absl::IsUnavailable(p.status())) co_return p.status();
    co_return co_await FailLogin(my_error::kHandshake, "08S01", "Bad handshake", 2);
  }
  uint8_t seq = p->next_sequence_id;
  if (mysql::IsSslRequest(p->payload)) {
    co_return co_await FailLogin(my_error::kHandshake, "08S01",
                                 "switchyard does not support TLS yet: connect without TLS "
                                 "(ssl-mode=DISABLED, --skip-ssl)", seq);
  }
  auto response = mysql::DecodeHandshakeResponse41(p->payload);
  if (!response.ok()) {
    shared_.log().info("m{} bad handshake: {}", id_, response.status().message());
    co_return co_await FailLogin(my_error::kHandshake, "08S01", "Bad handshake", seq);
  }
  caps_ = mysql::NegotiatedClientCapabilities(response->capabilities, advertised_);
  character_set_ = response->character_set;
  user_ = response->username;
  if (caps_ & mysql::kClientConnectWithDb) login_database_ = response->database;
  database_ = login_database_;
  user_config_ = shared_.config().FindUser(user_);
  s = co_await Authenticate(*response, seq);
  if (!s.ok()) co_return s;

  pool_settings_ = shared_.config().EffectivePool(user_, login_database_);
  if (!shared_.AdmitClient(user_, pool_settings_.max_client_connections)) {
    co_return co_await FailLogin(my_error::kConCount, "08004", "Too many connections", seq);
  }
  admitted_ = true;
  if (pool_settings_.pool_mode == config::PoolMode::kSession) {
    pinned_ = true;
    pin_reason_ = "pool_mode session";
  }
  s = co_await CheckBackendLogin(seq);
  if (!s.ok()) co_return s;
  shared_.log().info("{} logged in ({})", Tag(), mysql::CapabilitiesToString(caps_));
  co_return co_await SendOk(seq);
}

Awaitable<absl::Status> MyClientSession::Authenticate(const mysql::HandshakeResponse41& response,
                                                      uint8_t& seq) {
  const bool known = user_config_ && UsableForMySql(user_config_->password);
  const std::string password = known ? user_config_->password : std::string();
  if (user_config_ && !known) {
    shared_.log().warn("{}: user {} has a PostgreSQL password verifier; MySQL clients need "
                       "a plaintext password in the config", Tag(), user_);
  }
  if (response.auth_plugin_name == mysql::kCachingSha2Password) {
    absl::Status s = co_await AuthenticateSha2(response.auth_response, password, seq);
    if (s.ok() && known) co_return s;
    if (absl::IsUnavailable(s) || absl::IsFailedPrecondition(s)) co_return s;
    co_return co_await FailLogin(my_error::kAccessDenied, "28000", AccessDenied(), seq);
  }
  std::string token = response.auth_response;
  if (response.auth_plugin_name != mysql::kMysqlNativePassword &&
      !(response.auth_plugin_name.empty() && !(caps_ & mysql::kClientPluginAuth))) {
    // Another plugin (or none named): ask for mysql_native_password.
    std::string payload, out;
    mysql::EncodeAuthSwitchRequest(
        {std::string(mysql::kMysqlNativePassword), scramble_ + std::string(1, '\0')}, payload);
    mysql::AppendPacket(payload, seq, out);
    absl::Status s = co_await WriteClient(out);
    if (!s.ok()) co_return s;
    auto p = co_await in_.NextLogical(client_);
    if (!p.ok()) co_return p.status();
    token = std::string(p->payload);
    seq = p->next_sequence_id;
  }
  auto ok = mysql::VerifyNativePassword(token, scramble_, password);
  if (known && ok.ok() && *ok) co_return absl::OkStatus();
  co_return co_await FailLogin(my_error::kAccessDenied, "28000", AccessDenied(), seq);
}

// Fast path when the token matches; otherwise full authentication with the
// proxy's RSA key (the proxy offers no TLS, so the password travels RSA-OAEP
// encrypted). Returns PermissionDenied for a wrong password.
Awaitable<absl::Status> MyClientSession::AuthenticateSha2(std::string_view token,
                                                          std::string_view password,
                                                          uint8_t& seq) {
  std::string payload, out;
  auto fast = mysql::VerifyCachingSha2(token, scramble_, password);
  if (fast.ok() && *fast) {
    mysql::EncodeAuthMoreData(std::string(1, char(mysql::kCachingSha2FastAuthSuccess)), payload);
    seq = mysql::AppendPacket(payload, seq, out);
    co_return co_await WriteClient(out);
  }
  const mysql::RsaPrivateKey* key = shared_.mysql_rsa_key();
  auto pem = key ? key->PublicKeyPem() : absl::StatusOr<std::string>(absl::NotFoundError("no key"));
  if (!pem.ok()) {
    co_await FailLogin(my_error::kNotSupportedAuthMode, "08004",
                       "caching_sha2_password full authentication needs TLS or the proxy's RSA "
                       "key, and neither is available; use mysql_native_password", seq);
    co_return absl::FailedPreconditionError("caching_sha2_password full authentication refused");
  }
  mysql::EncodeAuthMoreData(std::string(1, char(mysql::kCachingSha2PerformFullAuth)), payload);
  seq = mysql::AppendPacket(payload, seq, out);
  absl::Status s = co_await WriteClient(out);
  if (!s.ok()) co_return s;
  auto p = co_await in_.NextLogical(client_);
  if (!p.ok()) co_return p.status();
  seq = p->next_sequence_id;
  std::string encrypted(p->payload);
  if (encrypted.size() == 1 && uint8_t(encrypted[0]) == mysql::kCachingSha2RequestPublicKey) {
    payload.clear();
    out.clear();
    mysql::EncodeAuthMoreData(*pem, payload);
    seq = mysql::AppendPacket(payload, seq, out);
    s = co_await WriteClient(out);
    if (!s.ok()) co_return s;
    p = co_await in_.NextLogical(client_);
    if (!p.ok()) co_return p.status();
    seq = p->next_sequence_id;
    encrypted = std::string(p->payload);
  }
  auto plain = mysql::DecryptPasswordFromFullAuth(*key, encrypted, scramble_);
  if (plain.ok() && mysql::PasswordsEqual(*plain, password)) co_return absl::OkStatus();
  co_return absl::PermissionDeniedError("wrong password");
}

std::string MyClientSession::AccessDenied() const {
  boost::system::error_code ec;
  auto peer = client_.remote_endpoint(ec);
  return fmt::format("Access denied for user '{}'@'{}' (using password: YES)", user_,
                     ec ? std::string("?") : peer.address().to_string());
}

Awaitable<absl::Status> MyClientSession::FailLogin(uint16_t code, std::string_view state,
                                                   std::string message, uint8_t seq) {
  shared_.log().warn("m{} login failed for user {}: {}", id_, user_.empty() ? "?" : user_,
                     message);
  co_await SendErr(code, state, message, seq);
  co_return absl::PermissionDeniedError(message);
}

// Before a client is told it is in, the first login of a pool checks that
// the primary accepts the backend credentials and the database.
Awaitable<absl::Status> MyClientSession::CheckBackendLogin(uint8_t seq) {
  MyPool& pool = PoolFor(*cluster_->primary);
  if (pool.ever_opened()) co_return absl::OkStatus();
  auto b = co_await pool.Acquire();
  if (b.ok()) {
    pool.Release(*std::move(b));
    co_return absl::OkStatus();
  }
  const absl::Status& s = b.status();
  if (absl::IsResourceExhausted(s)) {
    co_return co_await FailLogin(my_error::kConCount, "08004", std::string(s.message()), seq);
  }
  if (absl::IsPermissionDenied(s)) {
    co_return co_await FailLogin(my_error::kAccessDenied, "28000",
                                 fmt::format("switchyard could not log in to {}", s.message()),
                                 seq);
  }
  co_return co_await FailLogin(my_error::kConnectFailed, "HY000",
                               fmt::format("Can't connect to {}", s.message()), seq);
}

}  // namespace switchyard::proxy
