// SCRAM-SHA-256 exchanges that succeed or fail on the password: RFC 7677's
// example, client↔server round trips, verifiers, unknown users.
#include "proxy/pg/auth_scram.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "proxy/pg/auth_md5.h"
#include "proxy/pg/auth_scram_internal.h"

namespace switchyard::pg {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// RFC 7677, section 3 (user "user", password "pencil").
constexpr std::string_view kClientNonce = "rOprNGfwEbeRWgbNEkqO";
constexpr std::string_view kServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
constexpr std::string_view kSaltB64 = "W22ZaJ0SNY7soEsUEjb6gQ==";
constexpr std::string_view kClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr std::string_view kServerFirst =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr std::string_view kClientFinal =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr std::string_view kServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

std::string RfcSalt() { return *scram::Base64Decode(kSaltB64); }

ScramServerOptions RfcServerOptions() {
  ScramServerOptions o;
  o.server_nonce = std::string(kServerNonce);
  o.salt = RfcSalt();
  return o;
}

TEST(ScramServer, ReproducesRfc7677Example) {
  absl::StatusOr<ScramServer> server = ScramServer::Create("pencil", RfcServerOptions());
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<std::string> first = server->HandleClientFirst(kClientFirst);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, kServerFirst);
  absl::StatusOr<std::string> final_msg = server->HandleClientFinal(kClientFinal);
  ASSERT_TRUE(final_msg.ok()) << final_msg.status();
  EXPECT_EQ(*final_msg, kServerFinal);
  EXPECT_TRUE(server->authenticated());
}

TEST(ScramClient, ReproducesRfc7677Example) {
  ScramClient client("pencil", {.client_nonce = std::string(kClientNonce), .user = "user"});
  EXPECT_EQ(client.ClientFirst(), kClientFirst);
  absl::StatusOr<std::string> final_msg = client.HandleServerFirst(kServerFirst);
  ASSERT_TRUE(final_msg.ok()) << final_msg.status();
  EXPECT_EQ(*final_msg, kClientFinal);
  EXPECT_TRUE(client.VerifyServerFinal(kServerFinal).ok());
}

TEST(ScramClient, SendsEmptyUserNameAndRandomNonceByDefault) {
  ScramClient a("pw"), b("pw");
  std::string first_a = a.ClientFirst();
  EXPECT_THAT(first_a, StartsWith("n,,n=,r="));
  EXPECT_EQ(first_a.size(), std::string_view("n,,n=,r=").size() + 24);
  EXPECT_NE(first_a, b.ClientFirst());
}

TEST(ScramClient, EscapesCommaAndEqualsInUserName) {
  ScramClient client("pw", {.client_nonce = "abc", .user = "a,b=c"});
  EXPECT_EQ(client.ClientFirst(), "n,,n=a=2Cb=3Dc,r=abc");
}

// Runs a full exchange; returns the first failure or OkStatus.
absl::Status RoundTrip(ScramServer& server, ScramClient& client) {
  absl::StatusOr<std::string> server_first = server.HandleClientFirst(client.ClientFirst());
  if (!server_first.ok()) return server_first.status();
  absl::StatusOr<std::string> client_final = client.HandleServerFirst(*server_first);
  if (!client_final.ok()) return client_final.status();
  absl::StatusOr<std::string> server_final = server.HandleClientFinal(*client_final);
  if (!server_final.ok()) return server_final.status();
  return client.VerifyServerFinal(*server_final);
}

TEST(ScramRoundTrip, SucceedsWithPlaintextSecretAndRandomSalt) {
  absl::StatusOr<ScramServer> server = ScramServer::Create("s3cret");
  ASSERT_TRUE(server.ok());
  ScramClient client("s3cret");
  EXPECT_TRUE(RoundTrip(*server, client).ok());
  EXPECT_TRUE(server->authenticated());
}

TEST(ScramRoundTrip, SucceedsWithPgVerifierSecret) {
  absl::StatusOr<ScramServer> server =
      ScramServer::Create(ScramVerifier("s3cret", "0123456789abcdef", 4096));
  ASSERT_TRUE(server.ok());
  ScramClient client("s3cret");
  EXPECT_TRUE(RoundTrip(*server, client).ok());
}

TEST(ScramRoundTrip, SucceedsWithNonAsciiPasswordUsedAsRawBytes) {
  absl::StatusOr<ScramServer> server = ScramServer::Create("p\xC3\xA4ss\xE2\x84\xA2");
  ASSERT_TRUE(server.ok());
  ScramClient client("p\xC3\xA4ss\xE2\x84\xA2");
  EXPECT_TRUE(RoundTrip(*server, client).ok());
}

TEST(ScramRoundTrip, WrongPasswordIsUnauthenticated) {
  absl::StatusOr<ScramServer> server = ScramServer::Create("right");
  ASSERT_TRUE(server.ok());
  ScramClient client("wrong");
  absl::Status status = RoundTrip(*server, client);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(status.message(), HasSubstr("proof does not match"));
  EXPECT_FALSE(server->authenticated());
}

TEST(ScramRoundTrip, ServerWithoutThePasswordIsDetectedByClient) {
  ScramClient client("pencil", {.client_nonce = std::string(kClientNonce), .user = "user"});
  client.ClientFirst();
  ASSERT_TRUE(client.HandleServerFirst(kServerFirst).ok());
  absl::Status status = client.VerifyServerFinal("v=" + scram::Base64Encode(std::string(32, 'x')));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(status.message(), HasSubstr("server signature does not match"));
}

TEST(ScramVerifier, MatchesRfcKeysAndParsesBack) {
  std::string verifier = ScramVerifier("pencil", RfcSalt(), 4096);
  EXPECT_THAT(verifier, StartsWith("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"));
  absl::StatusOr<ScramSecret> secret = ParseScramVerifier(verifier);
  ASSERT_TRUE(secret.ok()) << secret.status();
  EXPECT_EQ(secret->iterations, 4096);
  EXPECT_EQ(secret->salt, RfcSalt());
  EXPECT_EQ(FormatScramVerifier(*secret), verifier);
  // The parsed verifier reproduces the RFC exchange: the keys are right.
  ScramServer server(*secret, RfcServerOptions());
  ASSERT_TRUE(server.HandleClientFirst(kClientFirst).ok());
  absl::StatusOr<std::string> final_msg = server.HandleClientFinal(kClientFinal);
  ASSERT_TRUE(final_msg.ok()) << final_msg.status();
  EXPECT_EQ(*final_msg, kServerFinal);
}

TEST(ParseScramVerifier, RejectsEachMalformedPart) {
  std::string good = ScramVerifier("pencil", RfcSalt(), 4096);
  size_t keys = good.rfind('$');
  const std::string key = good.substr(keys + 1, good.find(':', keys) - keys - 1);
  struct Case {
    std::string text, message;
  } cases[] = {
      {"", "prefix"},
      {"md5abc", "prefix"},
      {"SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==", "<iterations>:<salt>$<keys>"},
      {"SCRAM-SHA-256$4096W22ZaJ0SNY7soEsUEjb6gQ==$" + key + ":" + key, "':' separators"},
      {"SCRAM-SHA-256$0:W22ZaJ0SNY7soEsUEjb6gQ==$" + key + ":" + key, "iteration count"},
      {"SCRAM-SHA-256$99999999999:W22ZaJ0SNY7soEsUEjb6gQ==$" + key + ":" + key, "iteration"},
      {"SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ=$" + key + ":" + key, "salt"},
      {"SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$" + key + ":AAAA", "keys"},
      {"SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$" + key, "':' separators"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<ScramSecret> parsed = ParseScramVerifier(c.text);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_THAT(parsed.status().message(), HasSubstr(c.message)) << c.text;
  }
}

TEST(ScramServerCreate, RefusesMd5HashAndBadVerifierAndBadIterations) {
  EXPECT_THAT(ScramServer::Create(Md5PasswordHash("app", "app")).status().message(),
              HasSubstr("MD5"));
  EXPECT_EQ(ScramServer::Create("SCRAM-SHA-256$x").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ScramServer::Create("pw", {.iterations = 0}).ok());
  EXPECT_FALSE(ScramServer::Create("pw", {.iterations = kScramMaxIterations + 1}).ok());
}

TEST(ScramServer, UnknownUserLooksNormalButAlwaysFails) {
  ScramServer a = ScramServer::ForUnknownUser("ghost", "key");
  ScramServer b = ScramServer::ForUnknownUser("ghost", "key");
  absl::StatusOr<std::string> first_a = a.HandleClientFirst("n,,n=,r=abc");
  absl::StatusOr<std::string> first_b = b.HandleClientFirst("n,,n=,r=abc");
  ASSERT_TRUE(first_a.ok() && first_b.ok());
  // Same salt and iterations every time: nothing tells it apart from a real user.
  EXPECT_EQ(first_a->substr(first_a->find(",s=")), first_b->substr(first_b->find(",s=")));
  ScramClient client("anything", {.client_nonce = "abc"});
  client.ClientFirst();
  absl::StatusOr<std::string> client_final = client.HandleServerFirst(*first_a);
  ASSERT_TRUE(client_final.ok());
  EXPECT_EQ(a.HandleClientFinal(*client_final).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(ScramServer, MethodsOutOfOrderAreFailedPrecondition) {
  absl::StatusOr<ScramServer> server = ScramServer::Create("pw");
  ASSERT_TRUE(server.ok());
  EXPECT_EQ(server->HandleClientFinal(kClientFinal).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(server->HandleClientFirst(kClientFirst).ok());
  EXPECT_EQ(server->HandleClientFirst(kClientFirst).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(ScramServer, AFailedStepCannotBeRetried) {
  absl::StatusOr<ScramServer> server = ScramServer::Create("pencil", RfcServerOptions());
  ASSERT_TRUE(server.ok());
  ASSERT_TRUE(server->HandleClientFirst(kClientFirst).ok());
  EXPECT_FALSE(server->HandleClientFinal("garbage").ok());
  EXPECT_EQ(server->HandleClientFinal(kClientFinal).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(ScramClient, MethodsOutOfOrderAreFailedPrecondition) {
  ScramClient client("pw");
  EXPECT_EQ(client.HandleServerFirst(kServerFirst).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(client.VerifyServerFinal(kServerFinal).code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace switchyard::pg
