#include "proxy/pg/auth_scram.h"

#include <initializer_list>
#include <utility>
#include <vector>

#include "proxy/pg/auth_md5.h"
#include "proxy/pg/auth_scram_internal.h"

namespace switchyard::pg {
namespace {

using scram::Attribute;
using scram::Digest;

constexpr size_t kNonceRawBytes = 18;  // 24 base64 characters, as libpq
constexpr size_t kSaltBytes = 16;
constexpr std::string_view kClientKey = "Client Key";
constexpr std::string_view kServerKey = "Server Key";

// absl::StrCat takes absl::string_view, which is not std::string_view here.
std::string Cat(std::initializer_list<std::string_view> parts) {
  size_t size = 0;
  for (std::string_view p : parts) size += p.size();
  std::string out;
  out.reserve(size);
  for (std::string_view p : parts) out.append(p);
  return out;
}

absl::Status Malformed(std::string_view what) {
  return absl::InvalidArgumentError(Cat({"malformed SCRAM message: ", what}));
}

// The parts of a client-first-message the server needs; views into it.
struct ClientFirst {
  std::string_view gs2_header;  // "n,," or "y,,"
  std::string_view bare;        // client-first-message-bare
  std::string_view nonce;
};

absl::StatusOr<ClientFirst> ParseClientFirst(std::string_view m) {
  size_t flag_end = m.find(',');
  if (flag_end == std::string_view::npos) return Malformed("client-first: no GS2 header");
  std::string_view flag = m.substr(0, flag_end);
  if (flag.starts_with("p=")) {
    return absl::InvalidArgumentError(
        "SCRAM channel binding is not supported: use SCRAM-SHA-256, not -PLUS");
  }
  if (flag != "n" && flag != "y") return Malformed("client-first: bad channel-binding flag");
  size_t authzid_end = m.find(',', flag_end + 1);
  if (authzid_end == std::string_view::npos) return Malformed("client-first: no GS2 header");
  if (authzid_end != flag_end + 1) {
    return absl::InvalidArgumentError("SCRAM authorization identity (a=) is not supported");
  }
  ClientFirst out{m.substr(0, authzid_end + 1), m.substr(authzid_end + 1), {}};
  std::optional<std::vector<Attribute>> attrs = scram::SplitAttributes(out.bare);
  if (!attrs) return Malformed("client-first: bad attribute list");
  if ((*attrs)[0].name == 'm') {
    return absl::InvalidArgumentError("SCRAM extension (m=) is not supported");
  }
  if ((*attrs)[0].name != 'n') return Malformed("client-first: user name (n=) missing");
  if (attrs->size() < 2 || (*attrs)[1].name != 'r') {
    return Malformed("client-first: nonce (r=) missing");
  }
  if (!scram::IsValidNonce((*attrs)[1].value)) return Malformed("client-first: bad nonce");
  out.nonce = (*attrs)[1].value;
  return out;  // further attributes are extensions, ignored as PostgreSQL does
}

// The parts of a client-final-message; views into it.
struct ClientFinal {
  std::string_view channel_binding;  // base64
  std::string_view nonce;
  std::string_view without_proof;
  std::string_view proof;  // base64
};

absl::StatusOr<ClientFinal> ParseClientFinal(std::string_view m) {
  std::optional<std::vector<Attribute>> attrs = scram::SplitAttributes(m);
  if (!attrs) return Malformed("client-final: bad attribute list");
  if ((*attrs)[0].name != 'c') return Malformed("client-final: channel binding (c=) missing");
  if (attrs->size() < 2 || (*attrs)[1].name != 'r') {
    return Malformed("client-final: nonce (r=) missing");
  }
  if (attrs->size() < 3 || attrs->back().name != 'p') {
    return Malformed("client-final: proof (p=) missing or not last");
  }
  ClientFinal out;
  out.channel_binding = (*attrs)[0].value;
  out.nonce = (*attrs)[1].value;
  out.proof = attrs->back().value;
  out.without_proof = m.substr(0, m.size() - out.proof.size() - 3);  // ",p="
  return out;
}

// RFC 5802 saslname: ',' and '=' escaped as "=2C" and "=3D".
std::string SaslName(std::string_view user) {
  std::string out;
  for (char c : user) {
    if (c == ',') {
      out += "=2C";
    } else if (c == '=') {
      out += "=3D";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string AuthMessage(std::string_view client_first_bare, std::string_view server_first,
                        std::string_view client_final_without_proof) {
  return Cat({client_first_bare, ",", server_first, ",", client_final_without_proof});
}

absl::StatusOr<Digest> DecodeDigest(std::string_view b64, std::string_view what) {
  std::optional<std::string> raw = scram::Base64Decode(b64);
  if (!raw || raw->size() != Digest().size()) return Malformed(what);
  Digest d{};
  std::copy(raw->begin(), raw->end(), d.begin());
  return d;
}

}  // namespace

ScramSecret DeriveScramSecret(std::string_view password, std::string_view salt, int iterations) {
  Digest salted = scram::SaltedPassword(password, salt, iterations);
  ScramSecret s;
  s.iterations = iterations;
  s.salt = std::string(salt);
  s.stored_key =
      scram::Sha256(scram::AsBytes(scram::HmacSha256(scram::AsBytes(salted), kClientKey)));
  s.server_key = scram::HmacSha256(scram::AsBytes(salted), kServerKey);
  return s;
}

std::string FormatScramVerifier(const ScramSecret& s) {
  return Cat({kScramSha256, "$", std::to_string(s.iterations), ":", scram::Base64Encode(s.salt),
              "$", scram::Base64Encode(scram::AsBytes(s.stored_key)), ":",
              scram::Base64Encode(scram::AsBytes(s.server_key))});
}

std::string ScramVerifier(std::string_view password, std::string_view salt, int iterations) {
  return FormatScramVerifier(DeriveScramSecret(password, salt, iterations));
}

bool IsScramVerifier(std::string_view s) {
  return s.size() > kScramSha256.size() && s.starts_with(kScramSha256) &&
         s[kScramSha256.size()] == '$';
}

absl::StatusOr<ScramSecret> ParseScramVerifier(std::string_view v) {
  auto bad = [](std::string_view why) {
    return absl::InvalidArgumentError(Cat({"not a SCRAM-SHA-256 verifier: ", why}));
  };
  if (!IsScramVerifier(v)) return bad("expected prefix \"SCRAM-SHA-256$\"");
  std::string_view rest = v.substr(kScramSha256.size() + 1);
  size_t dollar = rest.find('$');
  if (dollar == std::string_view::npos) return bad("expected <iterations>:<salt>$<keys>");
  std::string_view params = rest.substr(0, dollar), keys = rest.substr(dollar + 1);
  size_t colon = params.find(':'), key_colon = keys.find(':');
  if (colon == std::string_view::npos || key_colon == std::string_view::npos) {
    return bad("expected ':' separators");
  }
  ScramSecret s;
  std::optional<int> iterations = scram::ParseIterations(params.substr(0, colon));
  if (!iterations) return bad("iteration count is not in 1..10000000");
  s.iterations = *iterations;
  std::optional<std::string> salt = scram::Base64Decode(params.substr(colon + 1));
  if (!salt || salt->empty()) return bad("salt is not valid base64");
  s.salt = std::move(*salt);
  absl::StatusOr<Digest> stored = DecodeDigest(keys.substr(0, key_colon), "StoredKey");
  absl::StatusOr<Digest> server = DecodeDigest(keys.substr(key_colon + 1), "ServerKey");
  if (!stored.ok() || !server.ok()) return bad("keys are not 32-byte base64 values");
  s.stored_key = *stored;
  s.server_key = *server;
  return s;
}

// ---------------------------------------------------------------- server

ScramServer::ScramServer(ScramSecret secret, ScramServerOptions options)
    : secret_(std::move(secret)), options_(std::move(options)) {}

absl::StatusOr<ScramServer> ScramServer::Create(std::string_view secret,
                                                ScramServerOptions options) {
  if (IsScramVerifier(secret)) {
    absl::StatusOr<ScramSecret> parsed = ParseScramVerifier(secret);
    if (!parsed.ok()) return parsed.status();
    return ScramServer(std::move(*parsed), std::move(options));
  }
  if (IsMd5PasswordHash(secret)) {
    return absl::InvalidArgumentError(
        "the password is stored as an MD5 hash; SCRAM needs the plaintext or a SCRAM verifier");
  }
  if (options.iterations < 1 || options.iterations > kScramMaxIterations) {
    return absl::InvalidArgumentError("SCRAM iteration count out of range");
  }
  std::string salt;
  if (options.salt) {
    salt = *options.salt;
  } else {
    absl::StatusOr<std::string> random = scram::RandomBytes(kSaltBytes);
    if (!random.ok()) return random.status();
    salt = std::move(*random);
  }
  ScramSecret derived = DeriveScramSecret(secret, salt, options.iterations);
  return ScramServer(std::move(derived), std::move(options));
}

ScramServer ScramServer::ForUnknownUser(std::string_view user, std::string_view mock_key,
                                        ScramServerOptions options) {
  ScramSecret s;
  s.iterations = kScramDefaultIterations;
  s.salt = std::string(scram::AsBytes(scram::HmacSha256(mock_key, user)).substr(0, kSaltBytes));
  ScramServer server(std::move(s), std::move(options));
  server.mock_ = true;
  return server;
}

absl::StatusOr<std::string> ScramServer::HandleClientFirst(std::string_view message) {
  if (state_ != State::kAwaitClientFirst) {
    return absl::FailedPreconditionError("SCRAM: client-first-message already handled");
  }
  state_ = State::kFailed;  // until this step succeeds
  absl::StatusOr<ClientFirst> first = ParseClientFirst(message);
  if (!first.ok()) return first.status();
  std::string server_nonce;
  if (options_.server_nonce) {
    server_nonce = *options_.server_nonce;
  } else {
    absl::StatusOr<std::string> random = scram::RandomNonce(kNonceRawBytes);
    if (!random.ok()) return random.status();
    server_nonce = std::move(*random);
  }
  gs2_header_ = std::string(first->gs2_header);
  client_first_bare_ = std::string(first->bare);
  nonce_ = Cat({first->nonce, server_nonce});
  server_first_ = Cat({"r=", nonce_, ",s=", scram::Base64Encode(secret_.salt),
                       ",i=", std::to_string(secret_.iterations)});
  state_ = State::kAwaitClientFinal;
  return server_first_;
}

absl::StatusOr<std::string> ScramServer::HandleClientFinal(std::string_view message) {
  if (state_ != State::kAwaitClientFinal) {
    return absl::FailedPreconditionError("SCRAM: client-final-message out of order");
  }
  state_ = State::kFailed;
  absl::StatusOr<ClientFinal> final_msg = ParseClientFinal(message);
  if (!final_msg.ok()) return final_msg.status();
  std::optional<std::string> binding = scram::Base64Decode(final_msg->channel_binding);
  if (!binding || *binding != gs2_header_) {
    return Malformed("client-final: channel binding (c=) does not match the GS2 header");
  }
  if (final_msg->nonce != nonce_) return Malformed("client-final: nonce does not match");
  absl::StatusOr<Digest> proof = DecodeDigest(final_msg->proof, "client-final: bad proof");
  if (!proof.ok()) return proof.status();
  std::string auth = AuthMessage(client_first_bare_, server_first_, final_msg->without_proof);
  Digest client_signature = scram::HmacSha256(scram::AsBytes(secret_.stored_key), auth);
  Digest client_key = scram::Xor(*proof, client_signature);
  bool match =
      scram::ConstantTimeEqual(scram::Sha256(scram::AsBytes(client_key)), secret_.stored_key);
  if (!match || mock_) {
    return absl::UnauthenticatedError("SCRAM proof does not match the password");
  }
  Digest server_signature = scram::HmacSha256(scram::AsBytes(secret_.server_key), auth);
  state_ = State::kDone;
  return Cat({"v=", scram::Base64Encode(scram::AsBytes(server_signature))});
}

// ---------------------------------------------------------------- client

ScramClient::ScramClient(std::string password, ScramClientOptions options)
    : password_(std::move(password)), user_(std::move(options.user)) {
  if (options.client_nonce) {
    client_nonce_ = std::move(*options.client_nonce);
    return;
  }
  absl::StatusOr<std::string> random = scram::RandomNonce(kNonceRawBytes);
  if (random.ok()) {
    client_nonce_ = std::move(*random);
  } else {
    nonce_status_ = random.status();
  }
}

std::string ScramClient::ClientFirst() {
  client_first_bare_ = Cat({"n=", SaslName(user_), ",r=", client_nonce_});
  state_ = State::kAwaitServerFirst;
  return Cat({"n,,", client_first_bare_});
}

absl::StatusOr<std::string> ScramClient::HandleServerFirst(std::string_view message) {
  if (state_ != State::kAwaitServerFirst) {
    return absl::FailedPreconditionError("SCRAM: server-first-message out of order");
  }
  state_ = State::kFailed;
  if (!nonce_status_.ok()) return nonce_status_;
  std::optional<std::vector<Attribute>> attrs = scram::SplitAttributes(message);
  if (!attrs) return Malformed("server-first: bad attribute list");
  if ((*attrs)[0].name == 'm') {
    return absl::InvalidArgumentError("SCRAM extension (m=) is not supported");
  }
  if (attrs->size() < 3 || (*attrs)[0].name != 'r' || (*attrs)[1].name != 's' ||
      (*attrs)[2].name != 'i') {
    return Malformed("server-first: expected r=, s=, i=");
  }
  std::string_view nonce = (*attrs)[0].value;
  if (!scram::IsValidNonce(nonce) || nonce.size() <= client_nonce_.size() ||
      !nonce.starts_with(client_nonce_)) {
    return Malformed("server-first: nonce does not extend the client nonce");
  }
  std::optional<std::string> salt = scram::Base64Decode((*attrs)[1].value);
  if (!salt || salt->empty()) return Malformed("server-first: bad salt");
  std::optional<int> iterations = scram::ParseIterations((*attrs)[2].value);
  if (!iterations) return Malformed("server-first: iteration count not in 1..10000000");

  Digest salted = scram::SaltedPassword(password_, *salt, *iterations);
  Digest client_key = scram::HmacSha256(scram::AsBytes(salted), kClientKey);
  Digest stored_key = scram::Sha256(scram::AsBytes(client_key));
  std::string without_proof = Cat({"c=biws,r=", nonce});  // biws = b64("n,,")
  std::string auth = AuthMessage(client_first_bare_, message, without_proof);
  Digest proof = scram::Xor(client_key, scram::HmacSha256(scram::AsBytes(stored_key), auth));
  Digest server_key = scram::HmacSha256(scram::AsBytes(salted), kServerKey);
  expected_server_signature_ = scram::HmacSha256(scram::AsBytes(server_key), auth);
  state_ = State::kAwaitServerFinal;
  return Cat({without_proof, ",p=", scram::Base64Encode(scram::AsBytes(proof))});
}

absl::Status ScramClient::VerifyServerFinal(std::string_view message) {
  if (state_ != State::kAwaitServerFinal) {
    return absl::FailedPreconditionError("SCRAM: server-final-message out of order");
  }
  state_ = State::kFailed;
  std::optional<std::vector<Attribute>> attrs = scram::SplitAttributes(message);
  if (!attrs) return Malformed("server-final: bad attribute list");
  if ((*attrs)[0].name == 'e') {
    return absl::UnauthenticatedError(
        Cat({"server rejected SCRAM authentication: ", (*attrs)[0].value}));
  }
  if ((*attrs)[0].name != 'v') return Malformed("server-final: verifier (v=) missing");
  absl::StatusOr<Digest> signature = DecodeDigest((*attrs)[0].value, "server-final: bad v=");
  if (!signature.ok()) return signature.status();
  if (!scram::ConstantTimeEqual(*signature, expected_server_signature_)) {
    return absl::UnauthenticatedError(
        "SCRAM server signature does not match: the server does not know the password");
  }
  state_ = State::kDone;
  return absl::OkStatus();
}

}  // namespace switchyard::pg
