// MyClientSession: the greeting, authentication (mysql_native_password,
// caching_sha2_password with RSA full authentication, auth switch) and the
// checks made before a client is told it is in.
#include <fmt/format.h>

#include <map>
#include <mutex>

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
  const auto timeout = std::chrono::milliseconds(shared().config().connect_timeout_ms);
  auto greeting = co_await ProbeMyServer(LoginServer(), timeout);
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
  // GenerateScramble makes kScrambleSize bytes: kept inline, not as a string.
  std::copy_n(scramble->begin(), std::min(scramble->size(), scramble_.size()), scramble_.begin());
  mysql::Capabilities advertised = mysql::AdvertisedCapabilities(info->capabilities);
  if (shared().config().allow_load_data_local) advertised |= mysql::kClientLocalFiles;
  mysql::HandshakeV10 greeting{info->server_version, static_cast<uint32_t>(id_ & 0x7fffffff),
                               *scramble, advertised, info->character_set,
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
    shared().log().info("m{} bad handshake: {}", id_, response.status().message());
    co_return co_await FailLogin(my_error::kHandshake, "08S01", "Bad handshake", seq);
  }
  caps_ = mysql::NegotiatedClientCapabilities(response->capabilities, advertised);
  character_set_ = response->character_set;
  user_ = response->username;
  if (caps_ & mysql::kClientConnectWithDb) login_database_ = response->database;
  database_ = login_database_;
  user_config_ = shared().config().FindUser(user_);
  s = co_await Authenticate(response->auth_plugin_name, response->auth_response, seq);
  if (!s.ok()) co_return s;

  pool_settings_ = shared().config().EffectivePool(user_, login_database_);
  if (!shared().AdmitClient(user_, pool_settings_.max_client_connections)) {
    co_return co_await FailLogin(my_error::kConCount, "08004", "Too many connections", seq);
  }
  admitted_ = true;
  if (pool_settings_.pool_mode == config::PoolMode::kSession) Pin("pool_mode session");
  s = co_await CheckBackendLogin(seq);
  if (!s.ok()) co_return s;
  shared().log().info("{} logged in ({})", Tag(), mysql::CapabilitiesToString(caps_));
  co_return co_await SendOk(seq);
}

Awaitable<absl::Status> MyClientSession::Authenticate(std::string_view plugin,
                                                      std::string_view client_token,
                                                      uint8_t& seq) {
  const bool known = user_config_ && UsableForMySql(user_config_->password);
  const std::string password = known ? user_config_->password : std::string();
  if (user_config_ && !known) {
    shared().log().warn("{}: user {} has a PostgreSQL password verifier; MySQL clients need "
                       "a plaintext password in the config", Tag(), user_);
  }
  // The plugin the user is configured for; a client that opens with another
  // is switched to it (caching_sha2_password users are never downgraded).
  const bool wants_sha2 =
      user_config_ && user_config_->auth == config::AuthMethod::kCachingSha2Password;
  const std::string_view wanted = wants_sha2 ? mysql::kCachingSha2Password
                                             : mysql::kMysqlNativePassword;
  std::string token(client_token);
  bool sha2 = plugin == mysql::kCachingSha2Password;
  const bool unnamed = plugin.empty() && !(caps_ & mysql::kClientPluginAuth);
  // A client that opens with caching_sha2_password although the greeting
  // named mysql_native_password sends no token (libmariadb): it waits for
  // the scramble of its own plugin, which an auth switch to it provides.
  const bool switch_sha2 = sha2 && token.empty();
  if (switch_sha2 || (!sha2 && !(plugin == wanted || (unnamed && !wants_sha2)))) {
    const std::string_view target = switch_sha2 ? mysql::kCachingSha2Password : wanted;
    std::string payload, out;
    mysql::EncodeAuthSwitchRequest({std::string(target), std::string(scramble()) + '\0'},
                                   payload);
    mysql::AppendPacket(payload, seq, out);
    absl::Status s = co_await WriteClient(out);
    if (!s.ok()) co_return s;
    auto p = co_await in_.NextLogical(client_);
    if (!p.ok()) co_return p.status();
    token = std::string(p->payload);
    seq = p->next_sequence_id;
    sha2 = target == mysql::kCachingSha2Password;
  }
  if (sha2) {
    absl::Status s = co_await AuthenticateSha2(token, password, seq);
    if (s.ok() && known) co_return s;
    if (absl::IsUnavailable(s) || absl::IsFailedPrecondition(s)) co_return s;
    co_return co_await FailLogin(my_error::kAccessDenied, "28000", AccessDenied(), seq);
  }
  auto ok = mysql::VerifyNativePassword(token, scramble(), password);
  if (known && ok.ok() && *ok) co_return absl::OkStatus();
  co_return co_await FailLogin(my_error::kAccessDenied, "28000", AccessDenied(), seq);
}

// Fast path when the token matches and the user is cached; otherwise full
// authentication with the proxy's RSA key (the proxy offers no TLS, so the
// password must come RSA-OAEP encrypted). Returns PermissionDenied for a
// wrong password; FailedPrecondition when the client already got an ERR
// saying why full authentication is impossible.
Awaitable<absl::Status> MyClientSession::AuthenticateSha2(std::string_view token,
                                                          std::string_view password,
                                                          uint8_t& seq) {
  std::string payload, out;
  const std::string entry = mysql::CachingSha2CacheEntry(password);
  auto fast = mysql::VerifyCachingSha2(token, scramble(), password);
  // Users configured for caching_sha2_password get a MySQL server's cache
  // semantics; for the others the proxy merely accepts the client's plugin,
  // and a matching token is enough (as before the cache existed, so clients
  // without the RSA exchange keep working for them).
  const bool cached = !(user_config_ &&
                        user_config_->auth == config::AuthMethod::kCachingSha2Password) ||
                      shared().Sha2CacheHas(user_, entry);
  if (fast.ok() && *fast && !password.empty() && cached) {
    mysql::EncodeAuthMoreData(std::string(1, char(mysql::kCachingSha2FastAuthSuccess)), payload);
    seq = mysql::AppendPacket(payload, seq, out);
    shared().log().debug("m{} caching_sha2_password fast authentication for {}", id_, user_);
    co_return co_await WriteClient(out);
  }
  const mysql::RsaPrivateKey* key = shared().mysql_rsa_key();
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
  auto plain = mysql::DecryptPasswordFromFullAuth(*key, encrypted, scramble());
  if (!plain.ok()) {
    // A client that believes the connection is secure sends the password as
    // it is (NUL-terminated): the mariadb client 10.11 does, with its default
    // ssl=TRUE, even after falling back to a plain connection; one holding another server's public key sends
    // what this key cannot decrypt. Neither is a wrong password: say so.
    const bool clear = !encrypted.empty() && encrypted.back() == '\0' && encrypted.size() < 128;
    if (clear) {
      co_await FailLogin(my_error::kNotSupportedAuthMode, "08004",
                         "caching_sha2_password full authentication refused: the client sent "
                         "the password unencrypted, and switchyard has no TLS; let the client "
                         "request the server's RSA public key instead (the mariadb client "
                         "does so with --skip-ssl; MySQL's with --get-server-public-key) or "
                         "use mysql_native_password", seq);
    } else {
      co_await FailLogin(my_error::kAccessDenied, "28000",
                         fmt::format("{}: caching_sha2_password full authentication failed, the "
                                     "password could not be decrypted with switchyard's RSA key "
                                     "(was the client given another server's public key? let "
                                     "it request switchyard's)", AccessDenied()), seq);
    }
    co_return absl::FailedPreconditionError("caching_sha2_password full authentication refused");
  }
  if (!mysql::PasswordsEqual(*plain, password)) co_return absl::PermissionDeniedError("wrong password");
  if (!password.empty()) shared().Sha2CachePut(user_, entry);
  shared().log().debug("m{} caching_sha2_password full authentication (RSA) for {}", id_, user_);
  co_return absl::OkStatus();
}

std::string MyClientSession::AccessDenied() const {
  boost::system::error_code ec;
  auto peer = client_.remote_endpoint(ec);
  return fmt::format("Access denied for user '{}'@'{}' (using password: YES)", user_,
                     ec ? std::string("?") : peer.address().to_string());
}

Awaitable<absl::Status> MyClientSession::FailLogin(uint16_t code, std::string_view state,
                                                   std::string message, uint8_t seq) {
  shared().log().warn("m{} login failed for user {}: {}", id_, user_.empty() ? "?" : user_,
                     message);
  co_await SendErr(code, state, message, seq);
  co_return absl::PermissionDeniedError(message);
}

// The server logins are checked against: the one that reports being primary
// now (after a failover, not the configured one), else the configured one.
ServerState& MyClientSession::LoginServer() {
  auto current = cluster_->CurrentPrimary();
  return current.ok() ? **current : *cluster_->primary;
}

// Before a client is told it is in, the first login of a pool checks that
// the primary accepts the backend credentials and the database.
Awaitable<absl::Status> MyClientSession::CheckBackendLogin(uint8_t seq) {
  MyPool& pool = PoolFor(LoginServer());
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

// COM_CHANGE_USER: the new user authenticates as at login (against the
// scramble of the greeting; auth switch when its plugin differs), then the
// session starts over as the new user's: no transaction (rolled back), no
// statements, no variables, no pin, the database the command names. A
// failed authentication gets an ERR and leaves the session as it was.
Awaitable<absl::Status> MyClientSession::ChangeUser(std::string_view payload) {
  auto change = mysql::DecodeChangeUser(payload, caps_);
  if (!change.ok()) {
    co_return co_await SendErr(my_error::kUnknownCommand, "08S01",
                               fmt::format("Malformed COM_CHANGE_USER: {}",
                                           change.status().message()), 1);
  }
  const std::string old_user = user_;
  const config::User* old_config = user_config_;
  user_ = change->username;
  user_config_ = shared().config().FindUser(user_);
  w().pools.Clear();  // PoolFor's answers were for the old user (and so below)
  uint8_t seq = 1;
  absl::Status s = co_await Authenticate(change->auth_plugin_name, change->auth_response, seq);
  if (!s.ok()) {
    user_ = old_user;
    user_config_ = old_config;
    w().pools.Clear();
    if (absl::IsPermissionDenied(s) || absl::IsFailedPrecondition(s)) {
      co_return absl::OkStatus();  // the client got the ERR; its session is unchanged
    }
    co_return s;
  }
  const config::PoolSettings settings = shared().config().EffectivePool(user_, change->database);
  if (user_ != old_user) {
    if (!shared().AdmitClient(user_, settings.max_client_connections)) {
      user_ = old_user;
      user_config_ = old_config;
      w().pools.Clear();
      co_return co_await SendErr(my_error::kConCount, "08004", "Too many connections", seq);
    }
    if (admitted_) shared().ReleaseClient(old_user);
    admitted_ = true;
  }
  // The old session ends here, as on the server.
  StartOver();
  login_database_ = change->database;
  database_ = login_database_;
  if (change->character_set) character_set_ = static_cast<uint8_t>(*change->character_set);
  w().pools.Clear();
  pool_settings_ = settings;
  if (pool_settings_.pool_mode == config::PoolMode::kSession) Pin("pool_mode session");
  s = co_await CheckBackendLogin(seq);
  if (!s.ok()) co_return s;
  shared().log().info("{} changed user (was {})", Tag(), old_user);
  co_return co_await SendOk(seq);
}

}  // namespace switchyard::proxy
