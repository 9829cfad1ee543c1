// Every way a configuration file is refused, with the message a DBA sees:
// "<yaml path>: <problem>" (plus "(line N)" where the file has a line).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.h"

namespace switchyard::config {
namespace {

using ::testing::HasSubstr;

constexpr char kListener[] =
    "listeners:\n"
    "  - {name: pg, protocol: postgres, port: 6432, cluster: pg}\n";
constexpr char kCluster[] =
    "clusters:\n"
    "  - name: pg\n"
    "    protocol: postgres\n"
    "    primary: {host: 127.0.0.1, port: 54320}\n";

// A valid file plus `extra` top-level keys.
std::string Valid(const std::string& extra) { return kListener + std::string(kCluster) + extra; }
// A valid cluster section with `listeners` replaced.
std::string WithListeners(const std::string& listeners) { return listeners + kCluster; }
// A valid listener section with `clusters` replaced.
std::string WithClusters(const std::string& clusters) { return kListener + clusters; }

struct Case {
  std::string yaml;
  std::string message;
};

void ExpectRejected(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    absl::StatusOr<Config> config = ParseConfig(c.yaml);
    ASSERT_FALSE(config.ok()) << "accepted:\n" << c.yaml;
    EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(config.status().message(), HasSubstr(c.message)) << c.yaml;
  }
}

TEST(ConfigValidation, TheBaseFileIsValid) { EXPECT_TRUE(ParseConfig(Valid("")).ok()); }

TEST(ConfigValidation, UnknownKeysAreRejectedWithTheirPathAndLine) {
  absl::StatusOr<Config> config = ParseConfig(WithClusters(R"(clusters:
  - name: pg
    protocol: postgres
    primary: {host: 127.0.0.1, port: 54320}
    replicas:
      - {host: 127.0.0.1, port: 54321}
      - {host: 127.0.0.1, prot: 54322}
)"));
  EXPECT_EQ(config.status().message(),
            "clusters[0].replicas[1].prot: unknown key (expected one of: host, name, port, weight)"
            " (line 9)");
}

TEST(ConfigValidation, UnknownKeysAnywhereAreRejected) {
  ExpectRejected({
      {Valid("listenrs: []\n"), "listenrs: unknown key (expected one of: "},
      {Valid("pool: {size: 3}\n"), "pool.size: unknown key"},
      {Valid("timeouts: {query: 5s}\n"), "timeouts.query: unknown key"},
      {Valid("limits: {max_message_bytes: 5}\n"), "limits.max_message_bytes: unknown key"},
      {Valid("users:\n  - {name: a, password: x, role: admin}\n"), "users[0].role: unknown key"},
      {Valid("databases:\n  - {name: d, size: 3}\n"), "databases[0].size: unknown key"},
      {WithListeners("listeners:\n  - {name: pg, protocol: postgres, port: 6432, cluster: pg, "
                     "tls: true}\n"),
       "listeners[0].tls: unknown key"},
      {WithClusters("clusters:\n  - {name: pg, protocol: postgres, mode: x, primary: "
                    "{host: h, port: 1}}\n"),
       "clusters[0].mode: unknown key"},
  });
}

TEST(ConfigValidation, MalformedDocumentsAreRejected) {
  ExpectRejected({
      {"listeners: [\n", "YAML syntax error at line"},
      {"just a string\n", "(top level): must be a map of key: value"},
      {Valid("workers: 1\nworkers: 2\n"), "workers: duplicate key"},
      {Valid("pool: [1, 2]\n"), "pool: must be a map of key: value"},
      {WithListeners("listeners: {name: pg}\n"), "listeners: must be a list"},
      {Valid("users:\n  - app\n"), "users[0]: must be a map of key: value"},
      {Valid("writing_functions: [[a]]\n"), "writing_functions[0]: must be a single value"},
      {Valid("writing_functions: nextval\n"), "writing_functions: must be a list"},
  });
}

TEST(ConfigValidation, RequiredKeysMustBePresent) {
  ExpectRejected({
      {kCluster, "listeners: at least one listener is required"},
      {WithListeners("listeners:\n  - {protocol: postgres, port: 6432, cluster: pg}\n"),
       "listeners[0].name: required key is missing"},
      {WithListeners("listeners:\n  - {name: pg, port: 6432, cluster: pg}\n"),
       "listeners[0].protocol: required key is missing"},
      {WithListeners("listeners:\n  - {name: pg, protocol: postgres, cluster: pg}\n"),
       "listeners[0].port: required key is missing"},
      {WithListeners("listeners:\n  - {name: pg, protocol: postgres, port: 6432}\n"),
       "listeners[0].cluster: required key is missing"},
      {WithListeners("listeners:\n  - {name: , protocol: postgres, port: 6432, cluster: pg}\n"),
       "listeners[0].name: has no value"},
      {WithClusters("clusters:\n  - {protocol: postgres, primary: {host: h, port: 1}}\n"),
       "clusters[0].name: required key is missing"},
      {WithClusters("clusters:\n  - {name: pg, primary: {host: h, port: 1}}\n"),
       "clusters[0].protocol: required key is missing"},
      {WithClusters("clusters:\n  - {name: pg, protocol: postgres}\n"),
       "clusters[0].primary: required key is missing"},
      {WithClusters("clusters:\n  - {name: pg, protocol: postgres, primary: {port: 1}}\n"),
       "clusters[0].primary.host: required key is missing"},
      {WithClusters("clusters:\n  - {name: pg, protocol: postgres, primary: {host: h}}\n"),
       "clusters[0].primary.port: required key is missing"},
      {Valid("users:\n  - {password: x}\n"), "users[0].name: required key is missing"},
      {Valid("databases:\n  - {pool_size: 3}\n"), "databases[0].name: required key is missing"},
  });
}

TEST(ConfigValidation, ValuesMustHaveTheirTypeAndRange) {
  ExpectRejected({
      {WithListeners("listeners:\n  - {name: pg, protocol: postgres, port: 0, cluster: pg}\n"),
       "listeners[0].port: must be an integer in 1..65535; got \"0\""},
      {WithListeners("listeners:\n  - {name: pg, protocol: postgres, port: 65536, cluster: pg}\n"),
       "listeners[0].port: must be an integer in 1..65535; got \"65536\""},
      {WithListeners("listeners:\n  - {name: pg, protocol: postgres, port: pg, cluster: pg}\n"),
       "listeners[0].port: must be an integer in 1..65535; got \"pg\""},
      {WithListeners("listeners:\n  - {name: pg, protocol: postgres, port: [1], cluster: pg}\n"),
       "listeners[0].port: must be a single value, not a list or map"},
      {WithClusters("clusters:\n  - {name: pg, protocol: postgres, primary: "
                    "{host: h, port: 99999}}\n"),
       "clusters[0].primary.port: must be an integer in 1..65535"},
      {WithClusters("clusters:\n  - {name: pg, protocol: postgres, primary: {host: h, port: 1}, "
                    "replicas: [{host: h, port: 2, weight: -1}]}\n"),
       "clusters[0].replicas[0].weight: must be an integer in 0..1000; got \"-1\""},
      {Valid("workers: 5000\n"), "workers: must be an integer in 0..1024; got \"5000\""},
      {Valid("pool: {pool_size: 0}\n"), "pool.pool_size: must be an integer in 1..10000"},
      {Valid("pool: {max_client_connections: -1}\n"),
       "pool.max_client_connections: must be an integer in 0..1000000"},
      {Valid("users:\n  - {name: a, password: x, pool_size: 0}\n"),
       "users[0].pool_size: must be an integer in 1..10000"},
      {Valid("databases:\n  - {name: d, pool_size: many}\n"),
       "databases[0].pool_size: must be an integer in 1..10000; got \"many\""},
      {Valid("limits: {max_client_connections: 1.5}\n"),
       "limits.max_client_connections: must be an integer in 0..1000000; got \"1.5\""},
      {Valid("allow_load_data_local: yes\n"),
       "allow_load_data_local: must be true or false; got \"yes\""},
  });
}

TEST(ConfigValidation, EnumsAcceptOnlyTheirLowercaseNames) {
  ExpectRejected({
      {WithClusters("clusters:\n  - {name: pg, protocol: Postgres, primary: {host: h, port: 1}}\n"),
       "clusters[0].protocol: must be one of postgres, mysql; got \"Postgres\""},
      {WithClusters("clusters:\n  - {name: pg, protocol: postgres, balance: random, "
                    "primary: {host: h, port: 1}}\n"),
       "clusters[0].balance: must be one of least_outstanding, round_robin, weighted; "
       "got \"random\""},
      {Valid("pool: {pool_mode: statement}\n"),
       "pool.pool_mode: must be one of transaction, session; got \"statement\""},
      {Valid("users:\n  - {name: a, password: x, auth: password}\n"),
       "users[0].auth: must be one of scram-sha-256, md5, trust, mysql_native_password, "
       "caching_sha2_password; got \"password\""},
      {Valid("users:\n  - {name: a, password: x, pool_mode: Session}\n"),
       "users[0].pool_mode: must be one of transaction, session"},
      {Valid("log_level: verbose\n"),
       "log_level: must be one of trace, debug, info, warn, error, critical, off"},
  });
}

TEST(ConfigValidation, DurationsAndSizesMustParseAndFit) {
  ExpectRejected({
      {Valid("timeouts: {queue: 5 s}\n"), "timeouts.queue: \"5 s\" is not a duration"},
      {Valid("timeouts: {connect: -1}\n"), "timeouts.connect: \"-1\" is not a duration"},
      {Valid("timeouts: {server_idle: 1d}\n"), "timeouts.server_idle: \"1d\" is not a duration"},
      {Valid("limits: {max_message_size: 64MB}\n"),
       "limits.max_message_size: \"64MB\" is not a size: use bytes (65536) or a number with B, "
       "KiB, MiB or GiB (\"64MiB\"); \"MB\" is ambiguous, write MiB"},
      {Valid("limits: {max_message_size: 100}\n"),
       "limits.max_message_size: must be between 1024 and 1073741824 bytes; got \"100\""},
      {Valid("limits: {max_message_size: 2GiB}\n"),
       "limits.max_message_size: must be between 1024 and 1073741824 bytes; got \"2GiB\""},
      {Valid("limits: {max_startup_packet_size: 2MiB}\n"),
       "limits.max_startup_packet_size: must be between 1024 and 1048576 bytes"},
  });
}

TEST(ConfigValidation, UserPasswordsMustSuitTheirAuthMethod) {
  ExpectRejected({
      {Valid("users:\n  - {name: a}\n"), "users[0].password: required unless auth is trust"},
      {Valid("users:\n  - {name: a, password: \"\", auth: md5}\n"),
       "users[0].password: required unless auth is trust"},
      {Valid("users:\n  - {name: a, auth: md5, backend_password: b, password: "
             "\"SCRAM-SHA-256$4096:c2FsdA==$AAAA:AAAA\"}\n"),
       "users[0].password: a SCRAM verifier can only check auth: scram-sha-256"},
      {Valid("users:\n  - {name: a, password: md5b5b3b8e1fd8a2d1b5d0bd0aa2cfc1fb2}\n"),
       "users[0].password: an md5 hash can only check auth: md5"},
      {Valid("users:\n  - {name: a, password: \"SCRAM-SHA-256$4096:c2FsdA==$AAAA:AAAA\"}\n"),
       "users[0].password: is a SCRAM verifier, which cannot log in to a backend: set "
       "backend_password"},
  });
}

TEST(ConfigValidation, NamesMustBeUnique) {
  ExpectRejected({
      {WithClusters(std::string(kCluster) + "  - {name: pg, protocol: postgres, "
                                            "primary: {host: h, port: 1}}\n"),
       "clusters[1].name: duplicate cluster name \"pg\" (first at clusters[0])"},
      {WithListeners(std::string(kListener) +
                     "  - {name: pg, protocol: postgres, port: 6433, cluster: pg}\n"),
       "listeners[1].name: duplicate listener name \"pg\" (first at listeners[0])"},
      {Valid("users:\n  - {name: app, password: x}\n  - {name: app, password: y}\n"),
       "users[1].name: duplicate user \"app\" (first at users[0])"},
      {Valid("databases:\n  - {name: d}\n  - {name: e}\n  - {name: d}\n"),
       "databases[2].name: duplicate database \"d\" (first at databases[0])"},
      {WithClusters("clusters:\n  - {name: pg, protocol: postgres, primary: {host: h, port: 1}, "
                    "replicas: [{name: primary, host: h, port: 2}]}\n"),
       "clusters[0].replicas[0].name: duplicate server name \"primary\" in cluster \"pg\""},
      {WithClusters("clusters:\n  - {name: pg, protocol: postgres, primary: {host: h, port: 1}, "
                    "replicas: [{host: h, port: 2}, {name: replica1, host: h, port: 3}]}\n"),
       "clusters[0].replicas[1].name: duplicate server name \"replica1\" in cluster \"pg\""},
  });
}

TEST(ConfigValidation, ListenersNeedADistinctEndpointAndAMatchingCluster) {
  ExpectRejected({
      {WithListeners(std::string(kListener) +
                     "  - {name: pg2, protocol: postgres, port: 6432, cluster: pg}\n"),
       "listeners[1].port: 127.0.0.1:6432 is already used by listeners[0]"},
      {WithListeners("listeners:\n  - {name: pg, protocol: postgres, port: 6432, cluster: pgx}\n"),
       "listeners[0].cluster: no cluster named \"pgx\""},
      {WithListeners("listeners:\n  - {name: pg, protocol: mysql, port: 6432, cluster: pg}\n"),
       "listeners[0].protocol: listener speaks mysql but cluster \"pg\" is postgres"},
  });
}

TEST(ConfigValidation, SameListenerPortOnAnotherAddressIsAllowed) {
  EXPECT_TRUE(ParseConfig(WithListeners(std::string(kListener) +
                                        "  - {name: pg2, protocol: postgres, address: 10.0.0.1, "
                                        "port: 6432, cluster: pg}\n"))
                  .ok());
}

}  // namespace
}  // namespace switchyard::config
