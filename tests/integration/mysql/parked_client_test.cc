// Idle MySQL clients are parked (proxy/my_client.h): between commands a
// session holds no coroutine, only a wait for its socket. These tests check
// what a parked session must still do: wake on its next command (whole or in
// pieces), keep its session (prepared statements, variables), and go away
// when its client does.
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

Mysql Connect(int port) {
  Mysql m(mysql_init(nullptr));
  unsigned int timeout = 10;
  mysql_optionsv(m.get(), MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_optionsv(m.get(), MYSQL_OPT_READ_TIMEOUT, &timeout);
  mysql_real_connect(m.get(), "127.0.0.1", "app", "app", "app", static_cast<unsigned>(port),
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

}  // namespace
}  // namespace switchyard::testing
