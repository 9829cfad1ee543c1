// SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL speaks it.
//
// Two sides, each a small state machine over the SASL message texts (the
// bytes inside SASLInitialResponse / SASLResponse / AuthenticationSASLContinue
// / AuthenticationSASLFinal, without PostgreSQL's framing):
//   ScramServer — the proxy authenticating a client;
//   ScramClient — the proxy authenticating to a backend.
// No I/O; each object is used by one connection at a time (not thread-safe)
// and owns copies of everything it needs.
//
// PostgreSQL specifics followed here:
//   * no channel binding: the GS2 header is "n,," (a client sending "y,,"
//     is accepted, "p=..." is refused because SCRAM-SHA-256-PLUS is never
//     offered);
//   * the user name inside client-first is ignored (the startup packet named
//     the user) and libpq sends it empty;
//   * SASLprep is not applied. ASCII passwords need none; for non-ASCII
//     passwords the raw bytes are used, which is what libpq and the server do
//     when normalization fails. A non-ASCII password that SASLprep would
//     change therefore fails against a server that normalized it.
//
// Errors (absl::Status codes), for the proxy to map to SQLSTATEs:
//   kInvalidArgument     malformed message from the peer    → 08P01
//   kUnauthenticated     wrong password / bad proof          → 28P01
//   kFailedPrecondition  method called out of order          (a proxy bug)
//   kInternal            the random generator failed
//
// Cost: deriving keys runs PBKDF2 (4096 rounds ≈ 1–2 ms of CPU). A server
// built from a plaintext password derives on every construction; build it
// from a ScramSecret (ParseScramVerifier / DeriveScramSecret, computed once
// per user) to keep that off the per-connection path.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace switchyard::pg {

inline constexpr std::string_view kScramSha256 = "SCRAM-SHA-256";
inline constexpr int kScramDefaultIterations = 4096;
// Iteration counts above this are refused when read from a peer or a
// verifier: an absurd count would pin a CPU for minutes.
inline constexpr int kScramMaxIterations = 10'000'000;

// What a server keeps for a user: PostgreSQL's verifier, decoded.
struct ScramSecret {
  int iterations = 0;
  std::string salt;  // raw bytes
  std::array<uint8_t, 32> stored_key{};
  std::array<uint8_t, 32> server_key{};
};

// Runs PBKDF2 and derives StoredKey/ServerKey. `salt` is raw bytes.
// Precondition: 1 <= iterations <= kScramMaxIterations, salt not empty.
ScramSecret DeriveScramSecret(std::string_view password, std::string_view salt, int iterations);

// PostgreSQL's verifier text:
//   "SCRAM-SHA-256$<iterations>:<salt b64>$<StoredKey b64>:<ServerKey b64>"
std::string FormatScramVerifier(const ScramSecret& secret);
// DeriveScramSecret + FormatScramVerifier; `salt` is raw bytes.
std::string ScramVerifier(std::string_view password, std::string_view salt, int iterations);
// Parses a verifier (kInvalidArgument with the reason when it is not one).
absl::StatusOr<ScramSecret> ParseScramVerifier(std::string_view verifier);
// Cheap shape test: starts with "SCRAM-SHA-256$".
bool IsScramVerifier(std::string_view s);

// Test hooks; production code leaves them empty.
struct ScramServerOptions {
  std::optional<std::string> server_nonce;   // appended to the client's nonce
  std::optional<std::string> salt;           // raw bytes; plaintext secrets only
  int iterations = kScramDefaultIterations;  // plaintext secrets only
};

class ScramServer {
 public:
  // `secret` is a plaintext password or a PostgreSQL SCRAM verifier. An MD5
  // hash ("md5...") is refused: SCRAM cannot be run from it.
  static absl::StatusOr<ScramServer> Create(std::string_view secret,
                                            ScramServerOptions options = {});
  // From an already derived secret (no PBKDF2 here).
  explicit ScramServer(ScramSecret secret, ScramServerOptions options = {});
  // For a user the proxy does not know: runs the exchange like a real user
  // (salt derived from `user` and `mock_key`, so it is stable across
  // attempts) and always fails at HandleClientFinal with kUnauthenticated,
  // so a client cannot probe which user names exist. `mock_key` is a
  // per-process random secret the caller keeps.
  static ScramServer ForUnknownUser(std::string_view user, std::string_view mock_key,
                                    ScramServerOptions options = {});

  // client-first-message (SASLInitialResponse data) → server-first-message.
  absl::StatusOr<std::string> HandleClientFirst(std::string_view message);
  // client-final-message (SASLResponse data) → server-final-message ("v=...").
  // kUnauthenticated when the proof does not match.
  absl::StatusOr<std::string> HandleClientFinal(std::string_view message);

  // True once HandleClientFinal succeeded.
  bool authenticated() const { return state_ == State::kDone; }

 private:
  enum class State { kAwaitClientFirst, kAwaitClientFinal, kDone, kFailed };

  ScramSecret secret_;
  ScramServerOptions options_;
  State state_ = State::kAwaitClientFirst;
  bool mock_ = false;       // ForUnknownUser: never succeeds
  std::string gs2_header_;  // "n,," or "y,,"
  std::string client_first_bare_;
  std::string server_first_;
  std::string nonce_;  // client nonce + server nonce
};

struct ScramClientOptions {
  // Test hook; production code leaves it empty.
  std::optional<std::string> client_nonce;
  // User name sent in client-first ("=" and "," escaped). PostgreSQL ignores
  // it and libpq sends it empty, which is the default.
  std::string user;
};

class ScramClient {
 public:
  explicit ScramClient(std::string password, ScramClientOptions options = {});

  // client-first-message: "n,,n=<user>,r=<nonce>". Call once, first.
  std::string ClientFirst();
  // server-first-message (AuthenticationSASLContinue data) → client-final.
  absl::StatusOr<std::string> HandleServerFirst(std::string_view message);
  // server-final-message (AuthenticationSASLFinal data). OkStatus only when
  // the server proved it knows the password too.
  absl::Status VerifyServerFinal(std::string_view message);

 private:
  enum class State { kStart, kAwaitServerFirst, kAwaitServerFinal, kDone, kFailed };

  std::string password_;
  std::string user_;
  std::string client_nonce_;
  absl::Status nonce_status_;  // random generator failure, reported later
  State state_ = State::kStart;
  std::string client_first_bare_;
  std::array<uint8_t, 32> expected_server_signature_{};
};

}  // namespace switchyard::pg
