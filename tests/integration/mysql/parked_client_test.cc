// Idle MySQL clients are parked (proxy/my_client.h): between commands a
// session holds no coroutine, only a wait for its socket, and once idle for a
// housekeeping tick (a second) it gives back its Work. These tests check what
// a parked session must still do: wake on its next command (whole or in
// pieces), keep its session (prepared statements, variables, an open
// transaction, a pinned backend, its read-your-writes position) across
// released Work, and go away when its client does.
#include <gtest/gtest.h>
#include <mysql.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/mysql/my_proxy_process.h"

namespace switchyard::testing {
namespace {

struct MysqlCloser {
  void operator()(MYSQL* m) const { mysql_close(m); }
};
using Mysql = std::unique_ptr<MYSQL, MysqlCloser>;

Mysql Connect(int port, const char* user = "app", const char* password = "app") {
  Mysql m(mysql_init(nullptr));
  unsigned int timeout = 10;
  mysql_optionsv(m.get(), MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_optionsv(m.get(), MYSQL_OPT_READ_TIMEOUT, &timeout);
  mysql_real_connect(m.get(), "127.0.0.1", user, password, "app", static_cast<unsigned>(port),
                     nullptr, 0);
  return m;
}

// The first value of the first row, or "<error ...>".
std::string Value(MYSQL* m, const std::string& query) {
  if (mysql_real_query(m, query.data(), query.size()) != 0) {
    return "<error " + std::to_string(mysql_errno(m)) + ": " + mysql_error(m) + ">";
  }
  MYSQL_RES* res = mysql_store_result(m);
  if (res == nullptr) return "<no result: " + std::string(mysql_error(m)) + ">";
  MYSQL_ROW row = mysql_fetch_row(res);
  std::string v = row == nullptr ? "<no row>" : row[0] == nullptr ? "NULL" : row[0];
  mysql_free_result(res);
  return v;
}

void Pause(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

class MyParked : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    proxy_ = new MyProxyProcess(ProxyPort(55), "",
                                "pool: {pool_size: 2, max_client_connections: 50}\n");
  }
  static void TearDownTestSuite() {
    delete proxy_;
    proxy_ = nullptr;
  }
  static MyProxyProcess* proxy_;
};
MyProxyProcess* MyParked::proxy_ = nullptr;

TEST_F(MyParked, IdleClientWakesOnItsNextCommandAndKeepsItsSession) {
  Mysql m = Connect(proxy_->port());
  ASSERT_EQ(mysql_errno(m.get()), 0u) << mysql_error(m.get());
  ASSERT_EQ(Value(m.get(), "SELECT 1"), "1");
  ASSERT_EQ(mysql_query(m.get(), "SET SESSION sql_mode = 'ANSI_QUOTES'"), 0) << mysql_error(m.get());
  MYSQL_STMT* st = mysql_stmt_init(m.get());
  const std::string sql = "SELECT ? + 1";
  ASSERT_EQ(mysql_stmt_prepare(st, sql.data(), sql.size()), 0) << mysql_stmt_error(st);
  for (int i = 0; i < 3; ++i) {
    Pause(150);  // parked between commands
    EXPECT_EQ(Value(m.get(), "SELECT @@SESSION.sql_mode"), "ANSI_QUOTES");
    long long in = i, out = 0;
    MYSQL_BIND param{};
    param.buffer_type = MYSQL_TYPE_LONGLONG;
    param.buffer = &in;
    ASSERT_EQ(mysql_stmt_bind_param(st, &param), 0) << mysql_stmt_error(st);
    ASSERT_EQ(mysql_stmt_execute(st), 0) << mysql_stmt_error(st);
    MYSQL_BIND result{};
    result.buffer_type = MYSQL_TYPE_LONGLONG;
    result.buffer = &out;
    ASSERT_EQ(mysql_stmt_bind_result(st, &result), 0) << mysql_stmt_error(st);
    ASSERT_EQ(mysql_stmt_fetch(st), 0) << mysql_stmt_error(st);
    mysql_stmt_free_result(st);
    EXPECT_EQ(out, i + 1);
  }
  mysql_stmt_close(st);
}

TEST_F(MyParked, CommandSentInPiecesToAParkedClientIsAnsweredOnce) {
  Mysql m = Connect(proxy_->port());
  ASSERT_EQ(mysql_errno(m.get()), 0u) << mysql_error(m.get());
  const int fd = static_cast<int>(mysql_get_socket(m.get()));
  const std::string payload = std::string(1, '\x03') + "DO 1";  // COM_QUERY
  std::string packet(4, '\0');
  packet[0] = static_cast<char>(payload.size());
  packet += payload;
  for (size_t cut : {size_t{2}, size_t{6}}) {
    Pause(100);
    ASSERT_EQ(::send(fd, packet.data(), cut, 0), static_cast<ssize_t>(cut));
    Pause(150);
    ASSERT_EQ(::send(fd, packet.data() + cut, packet.size() - cut, 0),
              static_cast<ssize_t>(packet.size() - cut));
    RawPacket reply = ReadPacket(fd);
    ASSERT_TRUE(reply.ok);
    EXPECT_EQ(reply.payload.substr(0, 1), std::string(1, '\0')) << ErrText(reply.payload);
  }
  // The connection is still in step for the client library.
  EXPECT_EQ(Value(m.get(), "SELECT 'after'"), "after");
}

TEST_F(MyParked, ClientThatDisappearsWhileParkedFreesItsSlot) {
  MyProxyProcess proxy(ProxyPort(56), "", "pool: {max_client_connections: 1}\n");
  Mysql a = Connect(proxy.port());
  ASSERT_EQ(mysql_errno(a.get()), 0u) << mysql_error(a.get());
  Pause(100);
  // No COM_QUIT: the socket just closes under the parked session.
  ::shutdown(static_cast<int>(mysql_get_socket(a.get())), SHUT_RDWR);
  bool admitted = false;
  for (int i = 0; i < 40 && !admitted; ++i) {
    Pause(50);
    Mysql b = Connect(proxy.port());
    admitted = mysql_errno(b.get()) == 0;
  }
  EXPECT_TRUE(admitted) << "the closed client's slot was not released";
}

TEST_F(MyParked, ManyParkedClientsAllAnswerAfterwards) {
  std::vector<Mysql> clients;
  for (int i = 0; i < 40; ++i) {
    clients.push_back(Connect(proxy_->port()));
    ASSERT_EQ(mysql_errno(clients.back().get()), 0u) << mysql_error(clients.back().get());
  }
  Pause(200);
  for (size_t i = 0; i < clients.size(); ++i) {
    EXPECT_EQ(Value(clients[i].get(), "SELECT " + std::to_string(i)), std::to_string(i));
  }
}

// ------------------------------------------------ idle for longer than a tick

// Runs `sql`; "" when it succeeded, else the error.
std::string Exec(MYSQL* m, const std::string& sql) {
  if (mysql_real_query(m, sql.data(), sql.size()) == 0) {
    if (MYSQL_RES* res = mysql_store_result(m)) mysql_free_result(res);
    return "";
  }
  return std::to_string(mysql_errno(m)) + ": " + mysql_error(m);
}

// Executes `st` (one BIGINT parameter, one BIGINT column); -1 on error.
long long ExecuteOne(MYSQL_STMT* st, long long in) {
  long long out = -1;
  MYSQL_BIND param{};
  param.buffer_type = MYSQL_TYPE_LONGLONG;
  param.buffer = &in;
  MYSQL_BIND result{};
  result.buffer_type = MYSQL_TYPE_LONGLONG;
  result.buffer = &out;
  if (mysql_stmt_bind_param(st, &param) != 0 || mysql_stmt_execute(st) != 0 ||
      mysql_stmt_bind_result(st, &result) != 0 || mysql_stmt_fetch(st) != 0) {
    ADD_FAILURE() << mysql_stmt_error(st);
    out = -1;
  }
  mysql_stmt_free_result(st);
  return out;
}

// A proxy of its own, so that its log's "work released" lines are this
// suite's clients'. Reads go to the replica, which is never called stale (no
// lag limits): only read-your-writes keeps a session's reads off it.
class MyIdleWork : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    proxy_ = new MyProxyProcess(ProxyPort(57), "", "pool: {pool_size: 4}\n", MyPrimaryPort(),
                                MyReplicaPort(),
                                "    freshness: {max_replica_lag: 0ms, max_replica_lag_bytes: 0}\n"
                                "    monitor: {interval: 100ms}\n");
  }
  static void TearDownTestSuite() {
    delete proxy_;
    proxy_ = nullptr;
  }
  static size_t Count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  }
  // Waits (up to 5 s) until the proxy logged that `released` more idle
  // sessions gave back their Work than `before` said.
  static bool WaitForRelease(size_t before, const std::string& which) {
    for (int i = 0; i < 100; ++i) {
      if (Count(proxy_->Log(), which) > before) return true;
      Pause(50);
    }
    return false;
  }
  static constexpr const char* kKept = "idle: work released (session state kept)";
  static constexpr const char* kReleased = "idle: work released";
  static MyProxyProcess* proxy_;
};
MyProxyProcess* MyIdleWork::proxy_ = nullptr;

TEST_F(MyIdleWork, PreparedStatementsAndVariablesOutliveReleasedWork) {
  Mysql m = Connect(proxy_->port());
  ASSERT_EQ(mysql_errno(m.get()), 0u) << mysql_error(m.get());
  ASSERT_EQ(Exec(m.get(), "SET SESSION sql_mode = 'ANSI_QUOTES'"), "");
  MYSQL_STMT* st = mysql_stmt_init(m.get());
  const std::string sql = "SELECT ? + 1";
  ASSERT_EQ(mysql_stmt_prepare(st, sql.data(), sql.size()), 0) << mysql_stmt_error(st);
  EXPECT_EQ(ExecuteOne(st, 1), 2);
  for (int round = 0; round < 2; ++round) {
    const size_t before = Count(proxy_->Log(), kKept);
    ASSERT_TRUE(WaitForRelease(before, kKept)) << "the idle session kept its Work";
    EXPECT_EQ(ExecuteOne(st, 10 + round), 11 + round);
    EXPECT_EQ(Value(m.get(), "SELECT @@SESSION.sql_mode"), "ANSI_QUOTES");
  }
  mysql_stmt_close(st);
}

TEST_F(MyIdleWork, OpenTransactionAndPinnedBackendStayAcrossTicks) {
  Mysql m = Connect(proxy_->port());
  ASSERT_EQ(mysql_errno(m.get()), 0u) << mysql_error(m.get());
  ASSERT_EQ(Exec(m.get(), "CREATE TEMPORARY TABLE idle_tmp (i int)"), "");  // pins
  const std::string backend = Value(m.get(), "SELECT CONNECTION_ID()");
  ASSERT_EQ(Exec(m.get(), "START TRANSACTION"), "");
  ASSERT_EQ(Exec(m.get(), "INSERT INTO idle_tmp VALUES (1)"), "");
  Pause(2500);  // two housekeeping ticks, with the transaction open
  EXPECT_EQ(Value(m.get(), "SELECT COUNT(*) FROM idle_tmp"), "1");
  EXPECT_EQ(Value(m.get(), "SELECT CONNECTION_ID()"), backend);
  ASSERT_EQ(Exec(m.get(), "ROLLBACK"), "");
  Pause(2500);  // pinned, outside a transaction
  EXPECT_EQ(Value(m.get(), "SELECT COUNT(*) FROM idle_tmp"), "0");
  EXPECT_EQ(Value(m.get(), "SELECT CONNECTION_ID()"), backend);
  // A transaction without a pin: its backend stays attached through the
  // ticks, and after COMMIT the session goes back to sharing backends.
  Mysql t = Connect(proxy_->port());
  ASSERT_EQ(mysql_errno(t.get()), 0u) << mysql_error(t.get());
  ASSERT_EQ(Exec(t.get(), "CREATE TABLE IF NOT EXISTS idle_txn (i int)"), "");
  ASSERT_EQ(Exec(t.get(), "DELETE FROM idle_txn"), "");
  ASSERT_EQ(Exec(t.get(), "START TRANSACTION"), "");
  ASSERT_EQ(Exec(t.get(), "INSERT INTO idle_txn VALUES (7)"), "");
  const std::string txn_backend = Value(t.get(), "SELECT CONNECTION_ID()");
  Pause(2500);
  EXPECT_EQ(Value(t.get(), "SELECT CONNECTION_ID()"), txn_backend);
  EXPECT_EQ(Value(t.get(), "SELECT SUM(i) FROM idle_txn"), "7");
  ASSERT_EQ(Exec(t.get(), "COMMIT"), "");
  const size_t before = Count(proxy_->Log(), kReleased);
  ASSERT_TRUE(WaitForRelease(before, kReleased));
  EXPECT_EQ(Value(t.get(), "SELECT SUM(i) FROM idle_txn FOR UPDATE"), "7");
}

TEST_F(MyIdleWork, ReadYourWritesOutlivesReleasedWork) {
  Mysql primary = Connect(MyPrimaryPort(), "root", "");
  Mysql replica = Connect(MyReplicaPort(), "root", "");
  ASSERT_EQ(mysql_errno(primary.get()), 0u) << mysql_error(primary.get());
  ASSERT_EQ(mysql_errno(replica.get()), 0u) << mysql_error(replica.get());
  ASSERT_EQ(Exec(primary.get(), "CREATE TABLE IF NOT EXISTS idle_ryw (id int PRIMARY KEY, n int)"),
            "");
  ASSERT_EQ(Exec(primary.get(), "REPLACE INTO idle_ryw VALUES (1, 0)"), "");
  const std::string gtid = Value(primary.get(), "SELECT @@gtid_binlog_pos");
  ASSERT_EQ(Value(replica.get(), "SELECT MASTER_GTID_WAIT('" + gtid + "', 20)"), "0");
  ASSERT_EQ(Exec(replica.get(), "STOP SLAVE SQL_THREAD"), "");
  struct Restart {
    MYSQL* replica;
    ~Restart() { Exec(replica, "START SLAVE SQL_THREAD"); }
  } restart{replica.get()};

  Mysql m = Connect(proxy_->port());
  ASSERT_EQ(mysql_errno(m.get()), 0u) << mysql_error(m.get());
  ASSERT_EQ(Exec(m.get(), "UPDATE idle_ryw SET n = 42 WHERE id = 1"), "");
  const size_t before = Count(proxy_->Log(), kKept);
  ASSERT_TRUE(WaitForRelease(before, kKept)) << "the idle session kept its Work";
  EXPECT_EQ(Value(m.get(), "SELECT n FROM idle_ryw WHERE id = 1"), "42")
      << "the session's read went to the replica that has not replayed its write";
  // The replica does lag, and a session without writes reads from it.
  Mysql other = Connect(proxy_->port());
  ASSERT_EQ(mysql_errno(other.get()), 0u) << mysql_error(other.get());
  EXPECT_EQ(Value(other.get(), "SELECT n FROM idle_ryw WHERE id = 1"), "0");
}

}  // namespace
}  // namespace switchyard::testing
