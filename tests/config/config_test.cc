// Loading the shipped example, defaults, lookups and pool precedence.
#include "config/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace switchyard::config {
namespace {

using ::testing::HasSubstr;

TEST(LoadConfigFile, ExampleFileLoadsWithTheDocumentedTopology) {
  absl::StatusOr<Config> config = LoadConfigFile(SWITCHYARD_EXAMPLE_CONFIG);
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_EQ(config->listeners.size(), 2u);
  EXPECT_EQ(config->listeners[0].port, 6432);
  EXPECT_EQ(config->listeners[0].protocol, Protocol::kPostgres);
  EXPECT_EQ(config->listeners[1].port, 6033);
  EXPECT_EQ(config->listeners[1].protocol, Protocol::kMySql);
  const Cluster* pg = config->FindCluster("pg");
  ASSERT_NE(pg, nullptr);
  EXPECT_EQ(pg->primary.port, 54320);
  ASSERT_EQ(pg->replicas.size(), 1u);
  EXPECT_EQ(pg->replicas[0].port, 54321);
  const Cluster* mysql = config->FindCluster("mysql");
  ASSERT_NE(mysql, nullptr);
  EXPECT_EQ(mysql->protocol, Protocol::kMySql);
  EXPECT_EQ(mysql->primary.port, 53306);
  EXPECT_EQ(mysql->replicas.at(0).port, 53307);
  const User* app = config->FindUser("app");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->password, "app");
  EXPECT_EQ(app->auth, AuthMethod::kScramSha256);
}

TEST(LoadConfigFile, ExampleFileSetsTimeoutsAndLimitsFromUnits) {
  absl::StatusOr<Config> config = LoadConfigFile(SWITCHYARD_EXAMPLE_CONFIG);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->queue_timeout_ms, 5000);
  EXPECT_EQ(config->server_idle_timeout_ms, 600000);
  EXPECT_EQ(config->server_lifetime_ms, 3600000);
  EXPECT_EQ(config->max_message_bytes, 64u * 1024 * 1024);
  EXPECT_EQ(config->max_startup_packet_bytes, 10000u);
}

TEST(LoadConfigFile, MissingFileIsNotFoundNamingThePath) {
  absl::StatusOr<Config> config = LoadConfigFile("/nonexistent/switchyard.yaml");
  EXPECT_EQ(config.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(config.status().message(), HasSubstr("/nonexistent/switchyard.yaml"));
}

constexpr char kMinimal[] = R"(
listeners:
  - {name: pg, protocol: postgres, port: 6432, cluster: pg}
clusters:
  - name: pg
    protocol: postgres
    primary: {host: 127.0.0.1, port: 54320}
    replicas:
      - {host: 127.0.0.1, port: 54321}
      - {host: 127.0.0.1, port: 54322, weight: 3}
)";

TEST(ParseConfig, MinimalFileGetsTheDocumentedDefaults) {
  absl::StatusOr<Config> config = ParseConfig(kMinimal);
  ASSERT_TRUE(config.ok()) << config.status();
  const Config defaults;
  EXPECT_EQ(config->workers, 0);
  EXPECT_EQ(config->log_level, "info");
  EXPECT_EQ(config->listeners[0].address, "127.0.0.1");
  EXPECT_EQ(config->clusters[0].balance, BalancePolicy::kLeastOutstanding);
  EXPECT_EQ(config->pool.pool_mode, PoolMode::kTransaction);
  EXPECT_EQ(config->pool.pool_size, 20);
  EXPECT_EQ(config->queue_timeout_ms, defaults.queue_timeout_ms);
  EXPECT_EQ(config->max_message_bytes, defaults.max_message_bytes);
  EXPECT_TRUE(config->writing_functions.empty());
  EXPECT_FALSE(config->allow_load_data_local);
}

TEST(ParseConfig, UnnamedServersArePrimaryAndReplicaN) {
  absl::StatusOr<Config> config = ParseConfig(kMinimal);
  ASSERT_TRUE(config.ok()) << config.status();
  const Cluster& c = config->clusters[0];
  EXPECT_EQ(c.primary.name, "primary");
  EXPECT_EQ(c.replicas[0].name, "replica1");
  EXPECT_EQ(c.replicas[1].name, "replica2");
  EXPECT_EQ(c.replicas[0].weight, 1);
  EXPECT_EQ(c.replicas[1].weight, 3);
}

TEST(ParseConfig, DurationsAndSizesAcceptIntegersAndUnits) {
  absl::StatusOr<Config> config = ParseConfig(std::string(kMinimal) + R"(
timeouts: {queue: 250ms, connect: 1500, server_idle: 10m, server_lifetime: 2h, shutdown: 0}
limits: {max_message_size: 1048576, max_startup_packet_size: 8KiB}
)");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->queue_timeout_ms, 250);
  EXPECT_EQ(config->connect_timeout_ms, 1500);
  EXPECT_EQ(config->server_idle_timeout_ms, 600000);
  EXPECT_EQ(config->server_lifetime_ms, 7200000);
  EXPECT_EQ(config->shutdown_timeout_ms, 0);
  EXPECT_EQ(config->max_message_bytes, 1048576u);
  EXPECT_EQ(config->max_startup_packet_bytes, 8192u);
}

TEST(ParseConfig, WritingFunctionsAreLowerCased) {
  absl::StatusOr<Config> config =
      ParseConfig(std::string(kMinimal) + "writing_functions: [NextVal, my_audit]\n");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->writing_functions, (std::vector<std::string>{"nextval", "my_audit"}));
}

TEST(ParseConfig, UserStoredSecretsAreAcceptedForTheirMethod) {
  absl::StatusOr<Config> config = ParseConfig(std::string(kMinimal) + R"(
users:
  - {name: a, password: md5b5b3b8e1fd8a2d1b5d0bd0aa2cfc1fb2, auth: md5}
  - name: b
    password: "SCRAM-SHA-256$4096:c2FsdA==$AAAA:AAAA"
    backend_password: b
  - {name: c, auth: trust}
)");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->users.size(), 3u);
  EXPECT_EQ(config->users[2].auth, AuthMethod::kTrust);
}

// Pool precedence: database overrides user, user overrides the defaults.
constexpr char kPools[] = R"(
pool: {pool_mode: transaction, pool_size: 20, max_client_connections: 1000}
users:
  - {name: plain, password: x}
  - {name: tuned, password: x, pool_mode: session, pool_size: 5, max_client_connections: 7}
databases:
  - {name: plaindb}
  - {name: bigdb, pool_size: 50}
  - {name: sessiondb, pool_mode: session}
)";

Config PoolsConfig() {
  absl::StatusOr<Config> config = ParseConfig(std::string(kMinimal) + kPools);
  EXPECT_TRUE(config.ok()) << config.status();
  return config.ok() ? *config : Config();
}

TEST(EffectivePool, DefaultsApplyWithoutOverrides) {
  PoolSettings p = PoolsConfig().EffectivePool("plain", "plaindb");
  EXPECT_EQ(p.pool_mode, PoolMode::kTransaction);
  EXPECT_EQ(p.pool_size, 20);
  EXPECT_EQ(p.max_client_connections, 1000);
}

TEST(EffectivePool, UserOverridesDefaults) {
  PoolSettings p = PoolsConfig().EffectivePool("tuned", "plaindb");
  EXPECT_EQ(p.pool_mode, PoolMode::kSession);
  EXPECT_EQ(p.pool_size, 5);
  EXPECT_EQ(p.max_client_connections, 7);
}

TEST(EffectivePool, DatabaseOverridesUser) {
  Config config = PoolsConfig();
  EXPECT_EQ(config.EffectivePool("tuned", "bigdb").pool_size, 50);
  EXPECT_EQ(config.EffectivePool("tuned", "bigdb").pool_mode, PoolMode::kSession);
  EXPECT_EQ(config.EffectivePool("plain", "sessiondb").pool_mode, PoolMode::kSession);
  EXPECT_EQ(config.EffectivePool("tuned", "sessiondb").pool_size, 5);
}

TEST(EffectivePool, UnknownUserAndDatabaseGetDefaults) {
  PoolSettings p = PoolsConfig().EffectivePool("nobody", "nodb");
  EXPECT_EQ(p.pool_size, 20);
  EXPECT_EQ(p.pool_mode, PoolMode::kTransaction);
}

TEST(Find, ReturnsNullForUnknownNames) {
  Config config = PoolsConfig();
  EXPECT_EQ(config.FindCluster("nope"), nullptr);
  EXPECT_EQ(config.FindUser("nope"), nullptr);
  EXPECT_EQ(config.FindDatabase("nope"), nullptr);
  EXPECT_NE(config.FindDatabase("bigdb"), nullptr);
}

TEST(ToString, UsesTheYamlSpelling) {
  EXPECT_STREQ(ToString(Protocol::kPostgres), "postgres");
  EXPECT_STREQ(ToString(Protocol::kMySql), "mysql");
  EXPECT_STREQ(ToString(PoolMode::kSession), "session");
  EXPECT_STREQ(ToString(AuthMethod::kScramSha256), "scram-sha-256");
  EXPECT_STREQ(ToString(AuthMethod::kCachingSha2Password), "caching_sha2_password");
  EXPECT_STREQ(ToString(BalancePolicy::kRoundRobin), "round_robin");
}

}  // namespace
}  // namespace switchyard::config

namespace switchyard::config {
namespace {

constexpr const char* kClusterWithFreshness = R"(
listeners: [{name: pg, protocol: postgres, port: 6432, cluster: pg}]
clusters:
  - name: pg
    protocol: postgres
    primary: {host: 127.0.0.1, port: 5432}
    freshness: {max_replica_lag: 2s, max_replica_lag_bytes: 1MiB, read_your_writes: false,
                read_your_writes_wait: 50ms, max_primary_read_percent: 30}
    monitor: {interval: 100ms, user: mon, password: secret, database: postgres}
users: [{name: app, password: app}]
)";

TEST(ParseConfig, ClusterFreshnessAndMonitorSettingsAreRead) {
  absl::StatusOr<Config> config = ParseConfig(kClusterWithFreshness);
  ASSERT_TRUE(config.ok()) << config.status();
  const Cluster& c = config->clusters.at(0);
  EXPECT_EQ(c.freshness.max_replica_lag_ms, 2000);
  EXPECT_EQ(c.freshness.max_replica_lag_bytes, 1u << 20);
  EXPECT_FALSE(c.freshness.read_your_writes);
  EXPECT_EQ(c.freshness.read_your_writes_wait_ms, 50);
  EXPECT_EQ(c.freshness.max_primary_read_percent, 30);
  EXPECT_EQ(c.monitor.interval_ms, 100);
  EXPECT_EQ(c.monitor.user, "mon");
  EXPECT_EQ(c.monitor.database, "postgres");
}

TEST(ParseConfig, FreshnessDefaultsAreOneSecondSixteenMiBAndReadYourWrites) {
  Cluster c;
  EXPECT_EQ(c.freshness.max_replica_lag_ms, 1000);
  EXPECT_EQ(c.freshness.max_replica_lag_bytes, 16u << 20);
  EXPECT_TRUE(c.freshness.read_your_writes);
  EXPECT_EQ(c.monitor.interval_ms, 250);
}

TEST(ParseConfig, BadFreshnessValuesNameTheirPath) {
  std::string yaml = kClusterWithFreshness;
  yaml.replace(yaml.find("max_primary_read_percent: 30"), 28, "max_primary_read_percent: 300");
  absl::StatusOr<Config> config = ParseConfig(yaml);
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()),
              HasSubstr("clusters[0].freshness.max_primary_read_percent"));
}

}  // namespace
}  // namespace switchyard::config
