// Bad input and faults through a real proxy on the real servers: every case
// gets a real PostgreSQL error with its SQLSTATE, and one bad connection never
// hurts another.
#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "tests/integration/pg/proxy_process.h"

namespace switchyard::testing {
namespace {

int Port(int offset) { return std::stoi(Env("SY_PROXY_PORT_BASE", "6440")) + offset; }

// The first ErrorResponse in `bytes`: its SQLSTATE and message.
std::pair<std::string, std::string> FirstError(const std::string& bytes) {
  size_t i = 0;
  while (i + 5 <= bytes.size()) {
    const char type = bytes[i];
    const uint32_t len = (uint8_t(bytes[i + 1]) << 24) | (uint8_t(bytes[i + 2]) << 16) |
                         (uint8_t(bytes[i + 3]) << 8) | uint8_t(bytes[i + 4]);
    if (type == 'E') {
      std::string code, message;
      size_t p = i + 5;
      while (p < bytes.size() && bytes[p] != 0) {
        const char field = bytes[p++];
        const size_t end = bytes.find('\0', p);
        if (end == std::string::npos) break;
        if (field == 'C') code = bytes.substr(p, end - p);
        if (field == 'M') message = bytes.substr(p, end - p);
        p = end + 1;
      }
      return {code, message};
    }
    i += 1 + len;
  }
  return {"", ""};
}

class PgFaults : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    proxy_ = new ProxyProcess(Port(10),
                              "pool: {pool_size: 2}\n"
                              "timeouts: {queue: 500ms}\n"
                              "limits: {max_message_size: 4096}\n");
  }
  static void TearDownTestSuite() {
    delete proxy_;
    proxy_ = nullptr;
  }
  static ProxyProcess* proxy_;
};
ProxyProcess* PgFaults::proxy_ = nullptr;

TEST_F(PgFaults, GarbageInsteadOfAStartupPacketGets08P01AndOthersAreUnaffected) {
  PgConn bystander = Connect(proxy_->port());
  ASSERT_EQ(PQstatus(bystander.get()), CONNECTION_OK) << PQerrorMessage(bystander.get());
  int fd = ConnectTcp(proxy_->port());
  ASSERT_GE(fd, 0);
  const std::string http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(::send(fd, http.data(), http.size(), 0), static_cast<ssize_t>(http.size()));
  auto [code, message] = FirstError(ReadAll(fd));
  ::close(fd);
  EXPECT_EQ(code, "08P01");
  EXPECT_NE(message.find("invalid startup packet length"), std::string::npos) << message;
  EXPECT_EQ(Value(bystander.get(), "SELECT 41 + 1"), "42");
}

TEST_F(PgFaults, OversizedStartupPacketIsRefused) {
  int fd = ConnectTcp(proxy_->port());
  ASSERT_GE(fd, 0);
  std::string packet("\x00\x01\x86\xa0\x00\x03\x00\x00", 8);  // claims 100000 bytes
  ::send(fd, packet.data(), packet.size(), 0);
  auto [code, message] = FirstError(ReadAll(fd));
  ::close(fd);
  EXPECT_EQ(code, "08P01");
}

TEST_F(PgFaults, MessageAboveTheLimitGets08P01AndClosesOnlyThatConnection) {
  PgConn bystander = Connect(proxy_->port());
  PgConn c = Connect(proxy_->port());
  ASSERT_EQ(PQstatus(c.get()), CONNECTION_OK) << PQerrorMessage(c.get());
  PQsetErrorVerbosity(c.get(), PQERRORS_VERBOSE);  // puts the SQLSTATE in the message
  PgResult r = Exec(c.get(), "SELECT '" + std::string(8000, 'x') + "'");
  // libpq reports the FATAL error then the closed connection.
  const std::string err = PQerrorMessage(c.get());
  EXPECT_NE(err.find("FATAL:  08P01: message of type 'Q' is 8010 bytes, above the limit of 4096 bytes"),
            std::string::npos) << err;
  EXPECT_NE(PQstatus(c.get()), CONNECTION_OK);
  EXPECT_EQ(Value(bystander.get(), "SELECT 'still here'"), "still here");
}

TEST_F(PgFaults, WrongPasswordAndUnknownUserGet28P01) {
  for (const auto& [user, password] : std::vector<std::pair<std::string, std::string>>{
           {"app", "wrong"}, {"nobody", "app"}, {"app_md5", "wrong"}}) {
    PgConn c = Connect(proxy_->port(), user, password);
    EXPECT_NE(PQstatus(c.get()), CONNECTION_OK);
    EXPECT_NE(std::string(PQerrorMessage(c.get()))
                  .find("password authentication failed for user \"" + user + "\""),
              std::string::npos)
        << user << ": " << PQerrorMessage(c.get());
  }
  EXPECT_TRUE(proxy_->Alive());
}

TEST_F(PgFaults, BackendAuthenticationWorksWithScramMd5CleartextAndTrust) {
  for (const std::string user : {"app", "app_md5", "app_clear", "app_trust"}) {
    PgConn c = Connect(proxy_->port(), user, "app");
    ASSERT_EQ(PQstatus(c.get()), CONNECTION_OK) << user << ": " << PQerrorMessage(c.get());
    EXPECT_EQ(Value(c.get(), "/* switchyard: primary */ SELECT current_user"), user);
  }
}

TEST_F(PgFaults, ClientDroppingMidTransactionLeavesNoLockAndNoRow) {
  PgConn setup = Connect(proxy_->port());
  ASSERT_EQ(PQresultStatus(Exec(setup.get(), "DROP TABLE IF EXISTS drops; "
                                             "CREATE TABLE drops(id int PRIMARY KEY, v int); "
                                             "INSERT INTO drops VALUES (1, 0)").get()),
            PGRES_COMMAND_OK);
  {
    PgConn dropper = Connect(proxy_->port());
    ASSERT_EQ(PQresultStatus(Exec(dropper.get(), "BEGIN").get()), PGRES_COMMAND_OK);
    ASSERT_EQ(PQresultStatus(Exec(dropper.get(), "UPDATE drops SET v = 99 WHERE id = 1").get()),
              PGRES_COMMAND_OK);
    ASSERT_EQ(PQresultStatus(Exec(dropper.get(), "INSERT INTO drops VALUES (2, 2)").get()),
              PGRES_COMMAND_OK);
    // Drop the TCP connection without Terminate, as a crashed client would.
    ::shutdown(PQsocket(dropper.get()), SHUT_RDWR);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // With pool_size 2 the reused backend must be clean: no open transaction.
  for (int i = 0; i < 4; ++i) {
    PgConn c = Connect(proxy_->port());
    PgResult lock = Exec(c.get(), "SELECT v FROM drops WHERE id = 1 FOR UPDATE NOWAIT");
    ASSERT_EQ(PQresultStatus(lock.get()), PGRES_TUPLES_OK) << PQresultErrorMessage(lock.get());
    EXPECT_STREQ(PQgetvalue(lock.get(), 0, 0), "0");
    EXPECT_EQ(Value(c.get(), "/* switchyard: primary */ SELECT count(*) FROM drops WHERE id = 2"), "0");
    EXPECT_EQ(Value(c.get(), "/* switchyard: primary */ SELECT count(*) FROM pg_stat_activity "
                             "WHERE state LIKE 'idle in transaction%'"),
              "0");
  }
}

TEST_F(PgFaults, CancelRequestReachesTheBackendRunningTheQuery) {
  PgConn c = Connect(proxy_->port());
  ASSERT_EQ(PQsendQuery(c.get(), "SELECT pg_sleep(20)"), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  PGcancel* cancel = PQgetCancel(c.get());
  char err[256];
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(PQcancel(cancel, err, sizeof(err)), 1) << err;
  PQfreeCancel(cancel);
  PgResult r(PQgetResult(c.get()));
  while (PGresult* more = PQgetResult(c.get())) PQclear(more);
  EXPECT_EQ(SqlState(r.get()), "57014") << PQresultErrorMessage(r.get());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(Value(c.get(), "SELECT 'usable after cancel'"), "usable after cancel");
}

TEST_F(PgFaults, ExhaustedPoolGets53300AfterTheQueueTimeoutAndRecovers) {
  PgConn a = Connect(proxy_->port());
  PgConn b = Connect(proxy_->port());
  PgConn c = Connect(proxy_->port());
  // pool_size 2: two open transactions hold both primary connections.
  ASSERT_EQ(PQresultStatus(Exec(a.get(), "BEGIN").get()), PGRES_COMMAND_OK);
  ASSERT_EQ(PQresultStatus(Exec(b.get(), "BEGIN").get()), PGRES_COMMAND_OK);
  PgResult r = Exec(c.get(), "CREATE TEMP TABLE IF NOT EXISTS never(x int)");
  EXPECT_EQ(SqlState(r.get()), "53300") << PQresultErrorMessage(r.get());
  EXPECT_NE(std::string(PQresultErrorMessage(r.get())).find("became free within 500 ms"),
            std::string::npos);
  Exec(a.get(), "COMMIT");
  Exec(b.get(), "COMMIT");
  EXPECT_EQ(Value(c.get(), "/* switchyard: primary */ SELECT 'recovered'"), "recovered");
}

TEST_F(PgFaults, SessionPoolingShowsTheRealBackendProcessId) {
  PgConn c = Connect(proxy_->port(), "sess", "app");
  ASSERT_EQ(PQstatus(c.get()), CONNECTION_OK) << PQerrorMessage(c.get());
  EXPECT_EQ(Value(c.get(), "SELECT pg_backend_pid()"), std::to_string(PQbackendPID(c.get())));
}

TEST_F(PgFaults, PreparedStatementsFollowTheClientAcrossBackends) {
  std::vector<PgConn> clients;
  for (int i = 0; i < 3; ++i) clients.push_back(Connect(proxy_->port()));
  for (auto& c : clients) {
    PgResult p(PQprepare(c.get(), "add", "SELECT $1::int + 1", 1, nullptr));
    ASSERT_EQ(PQresultStatus(p.get()), PGRES_COMMAND_OK) << PQresultErrorMessage(p.get());
  }
  for (int round = 0; round < 20; ++round) {
    for (auto& c : clients) {
      const std::string arg = std::to_string(round);
      const char* values[] = {arg.c_str()};
      PgResult r(PQexecPrepared(c.get(), "add", 1, values, nullptr, nullptr, 0));
      ASSERT_EQ(PQresultStatus(r.get()), PGRES_TUPLES_OK) << PQresultErrorMessage(r.get());
      EXPECT_EQ(std::string(PQgetvalue(r.get(), 0, 0)), std::to_string(round + 1));
    }
  }
}

TEST_F(PgFaults, PrepareOutsideATransactionIsAnsweredAndABadStatementFailsAtItsFirstUse) {
  PgConn c = Connect(proxy_->port());
  // Answered by the proxy (no backend taken): the server sees the text at first use.
  PgResult p(PQprepare(c.get(), "bad", "SELEC 1", 0, nullptr));
  ASSERT_EQ(PQresultStatus(p.get()), PGRES_COMMAND_OK) << PQresultErrorMessage(p.get());
  PgResult r(PQexecPrepared(c.get(), "bad", 0, nullptr, nullptr, nullptr, 0));
  ASSERT_EQ(PQresultStatus(r.get()), PGRES_FATAL_ERROR);
  EXPECT_STREQ(PQresultErrorField(r.get(), PG_DIAG_SQLSTATE), "42601");  // syntax error
  // The session goes on: a good statement prepares and runs.
  PgResult good(PQprepare(c.get(), "good", "SELECT 41 + 1", 0, nullptr));
  ASSERT_EQ(PQresultStatus(good.get()), PGRES_COMMAND_OK) << PQresultErrorMessage(good.get());
  PgResult g(PQexecPrepared(c.get(), "good", 0, nullptr, nullptr, nullptr, 0));
  ASSERT_EQ(PQresultStatus(g.get()), PGRES_TUPLES_OK) << PQresultErrorMessage(g.get());
  EXPECT_STREQ(PQgetvalue(g.get(), 0, 0), "42");
}

TEST_F(PgFaults, SslAndGssEncryptionRequestsAreAnsweredNo) {
  for (const char* code : {"\x04\xd2\x16\x2f", "\x04\xd2\x16\x30"}) {
    int fd = ConnectTcp(proxy_->port());
    ASSERT_GE(fd, 0);
    std::string packet = std::string("\x00\x00\x00\x08", 4) + std::string(code, 4);
    ::send(fd, packet.data(), packet.size(), 0);
    char answer = 0;
    ASSERT_EQ(::recv(fd, &answer, 1, 0), 1);
    EXPECT_EQ(answer, 'N');
    ::close(fd);
  }
  // libpq's default sslmode=prefer falls back to plain text; require fails clearly.
  PgConn prefer = Connect(proxy_->port(), "app", "app", "sslmode=prefer");
  EXPECT_EQ(PQstatus(prefer.get()), CONNECTION_OK);
  PgConn require = Connect(proxy_->port(), "app", "app", "sslmode=require");
  EXPECT_NE(PQstatus(require.get()), CONNECTION_OK);
}

TEST(PgLimits, ClientsAboveTheUserLimitGet53300AtLogin) {
  ProxyProcess proxy(Port(13), "pool: {max_client_connections: 2}\n");
  PgConn a = Connect(proxy.port());
  PgConn b = Connect(proxy.port());
  ASSERT_EQ(PQstatus(a.get()), CONNECTION_OK);
  ASSERT_EQ(PQstatus(b.get()), CONNECTION_OK);
  PgConn c = Connect(proxy.port());
  EXPECT_NE(PQstatus(c.get()), CONNECTION_OK);
  EXPECT_NE(std::string(PQerrorMessage(c.get())).find("too many client connections"),
            std::string::npos)
      << PQerrorMessage(c.get());
  a.reset();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  PgConn d = Connect(proxy.port());
  EXPECT_EQ(PQstatus(d.get()), CONNECTION_OK) << PQerrorMessage(d.get());
}

TEST(PgLimits, IdleServerConnectionsAreClosedAfterTheIdleTimeout) {
  ProxyProcess proxy(Port(14), "timeouts: {server_idle: 300ms}\n");
  PgConn su(PQconnectdb(("host=127.0.0.1 dbname=app user=postgres port=" +
                         std::to_string(PgPrimaryPort())).c_str()));
  ASSERT_EQ(PQstatus(su.get()), CONNECTION_OK);
  const std::string count =
      "SELECT count(*) FROM pg_stat_activity WHERE usename = 'app_md5' AND backend_type = 'client backend'";
  {
    PgConn c = Connect(proxy.port(), "app_md5", "app");
    ASSERT_EQ(Value(c.get(), "/* switchyard: primary */ SELECT 1"), "1");
    EXPECT_EQ(Value(su.get(), count), "1");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  EXPECT_EQ(Value(su.get(), count), "0");
}

TEST(PgBackendFaults, UnreachablePrimaryGives08006NamingTheServerAndTheProxyStaysUp) {
  // Port 1 on loopback: nothing listens there.
  ProxyProcess proxy(Port(11), "", /*primary_port=*/1);
  for (int i = 0; i < 2; ++i) {
    PgConn c = Connect(proxy.port());
    EXPECT_NE(PQstatus(c.get()), CONNECTION_OK);
    const std::string err = PQerrorMessage(c.get());
    EXPECT_NE(err.find("primary (127.0.0.1:1)"), std::string::npos) << err;
    EXPECT_NE(err.find("Connection refused"), std::string::npos) << err;
  }
  EXPECT_TRUE(proxy.Alive());
}

TEST(PgLifecycle, SigtermLetsOpenTransactionsFinishAndClosesIdleClients) {
  ProxyProcess proxy(Port(12), "timeouts: {shutdown: 10s}\n");
  PgConn busy = Connect(proxy.port());
  PgConn idle = Connect(proxy.port());
  ASSERT_EQ(PQresultStatus(Exec(busy.get(), "BEGIN").get()), PGRES_COMMAND_OK);
  ASSERT_EQ(Value(busy.get(), "SELECT 1"), "1");
  proxy.Signal(SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // No new clients.
  PgConn late = Connect(proxy.port());
  EXPECT_NE(PQstatus(late.get()), CONNECTION_OK);
  // The idle client was told why.
  PgResult r = Exec(idle.get(), "SELECT 1");
  EXPECT_NE(std::string(PQerrorMessage(idle.get())).find("terminating connection due to administrator command"),
            std::string::npos)
      << PQerrorMessage(idle.get());
  // The open transaction finishes.
  EXPECT_EQ(Value(busy.get(), "SELECT 2"), "2");
  EXPECT_EQ(PQresultStatus(Exec(busy.get(), "COMMIT").get()), PGRES_COMMAND_OK);
  int status = proxy.Stop(0);  // waits for the exit SIGTERM started
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(PgFaults, MisusedShowSwitchyardGets42601FromTheProxyAndLeavesTheTransactionOpen) {
  PgConn c = Connect(proxy_->port());
  ASSERT_EQ(PQstatus(c.get()), CONNECTION_OK) << PQerrorMessage(c.get());
  PgResult listing = Exec(c.get(), "show switchyard servers;");
  ASSERT_EQ(PQresultStatus(listing.get()), PGRES_TUPLES_OK) << PQerrorMessage(c.get());
  EXPECT_GE(PQntuples(listing.get()), 1);
  ASSERT_EQ(PQresultStatus(Exec(c.get(), "BEGIN").get()), PGRES_COMMAND_OK);
  for (const char* misuse : {"SHOW SWITCHYARD SERVERS; SELECT 1", "SHOW SWITCHYARD POOLS",
                             "SELECT 1; SHOW SWITCHYARD SERVERS"}) {
    PgResult r = Exec(c.get(), misuse);
    EXPECT_EQ(PQresultStatus(r.get()), PGRES_FATAL_ERROR) << misuse;
    EXPECT_EQ(SqlState(r.get()), "42601") << misuse;
    EXPECT_NE(std::string(PQresultErrorMessage(r.get())).find("only as a statement of its own"),
              std::string::npos)
        << PQresultErrorMessage(r.get());
  }
  // Nothing reached the server: the transaction goes on.
  EXPECT_EQ(PQtransactionStatus(c.get()), PQTRANS_INTRANS);
  EXPECT_EQ(Value(c.get(), "SELECT 'still in the transaction'"), "still in the transaction");
  EXPECT_EQ(PQresultStatus(Exec(c.get(), "COMMIT").get()), PGRES_COMMAND_OK);
}

TEST_F(PgFaults, ShowSwitchyardServersAnswersThroughTheExtendedProtocolWhenUnnamed) {
  PgConn c = Connect(proxy_->port());
  ASSERT_EQ(PQstatus(c.get()), CONNECTION_OK) << PQerrorMessage(c.get());
  PgResult simple = Exec(c.get(), "SHOW SWITCHYARD SERVERS");
  ASSERT_EQ(PQresultStatus(simple.get()), PGRES_TUPLES_OK) << PQerrorMessage(c.get());
  // PQexecParams: unnamed Parse, Bind, Describe, Execute, Sync (as JDBC sends).
  PgResult extended(PQexecParams(c.get(), "show switchyard servers", 0, nullptr, nullptr,
                                 nullptr, nullptr, 0));
  ASSERT_EQ(PQresultStatus(extended.get()), PGRES_TUPLES_OK) << PQerrorMessage(c.get());
  ASSERT_EQ(PQnfields(extended.get()), PQnfields(simple.get()));
  for (int i = 0; i < PQnfields(simple.get()); ++i) {
    EXPECT_STREQ(PQfname(extended.get(), i), PQfname(simple.get(), i));
  }
  ASSERT_EQ(PQntuples(extended.get()), PQntuples(simple.get()));
  for (int r = 0; r < PQntuples(simple.get()); ++r) {
    for (int i : {0, 1, 2, 3, 4}) {  // cluster, server, host, port, role: not moving
      EXPECT_STREQ(PQgetvalue(extended.get(), r, i), PQgetvalue(simple.get(), r, i));
    }
  }
  // A named statement would keep its first answer: the server gets the text.
  PgResult prepared(PQprepare(c.get(), "servers", "SHOW SWITCHYARD SERVERS", 0, nullptr));
  PgResult run(PQexecPrepared(c.get(), "servers", 0, nullptr, nullptr, nullptr, 0));
  EXPECT_EQ(PQresultStatus(run.get()), PGRES_FATAL_ERROR);
  EXPECT_EQ(Value(c.get(), "SELECT 'usable'"), "usable");
}

}  // namespace
}  // namespace switchyard::testing
