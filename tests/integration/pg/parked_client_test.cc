// Idle clients are parked (proxy/pg_client.h): between messages a session
// holds no coroutine, only a wait for its socket. These tests check what a
// parked session must still do: wake on its next message (whole or in
// pieces), keep its session state, go away when its client does, and close
// when the proxy closes it.
#include <gtest/gtest.h>
#include <poll.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/pg/proxy_process.h"

namespace switchyard::testing {
namespace {

int Port(int offset) { return std::stoi(Env("SY_PROXY_PORT_BASE", "6440")) + offset; }

void Pause(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// A simple Query message.
std::string QueryMessage(const std::string& sql) {
  const uint32_t len = static_cast<uint32_t>(4 + sql.size() + 1);
  std::string m(1, 'Q');
  for (int shift = 24; shift >= 0; shift -= 8) m.push_back(static_cast<char>((len >> shift) & 0xFF));
  return m + sql + '\0';
}

// Reads from `fd` until the bytes hold a ReadyForQuery ('Z', length 5) or 5 s pass.
std::string ReadUntilReady(int fd) {
  std::string got;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (got.find(std::string("Z\0\0\0\x05", 5)) == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  return got;
}

class PgParked : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    proxy_ = new ProxyProcess(Port(15), "pool: {pool_size: 2, max_client_connections: 50}\n");
  }
  static void TearDownTestSuite() {
    delete proxy_;
    proxy_ = nullptr;
  }
  static ProxyProcess* proxy_;
};
ProxyProcess* PgParked::proxy_ = nullptr;

TEST_F(PgParked, IdleClientWakesOnItsNextQueryAndKeepsItsSessionParameters) {
  PgConn c = Connect(proxy_->port());
  ASSERT_EQ(PQstatus(c.get()), CONNECTION_OK) << PQerrorMessage(c.get());
  ASSERT_EQ(PQresultStatus(Exec(c.get(), "SET application_name = 'parked_app'").get()),
            PGRES_COMMAND_OK);
  for (int i = 0; i < 3; ++i) {
    Pause(150);  // parked between queries
    EXPECT_EQ(Value(c.get(), "SHOW application_name"), "parked_app");
    EXPECT_EQ(Value(c.get(), "SELECT " + std::to_string(i) + " + 1"), std::to_string(i + 1));
  }
}

TEST_F(PgParked, QuerySentInPiecesToAParkedClientIsAnsweredOnce) {
  PgConn c = Connect(proxy_->port());
  ASSERT_EQ(PQstatus(c.get()), CONNECTION_OK) << PQerrorMessage(c.get());
  const int fd = PQsocket(c.get());
  const std::string q = QueryMessage("SELECT 'pieces' AS x");
  // Header split, then body split: the session wakes, finds part of a
  // message, waits for the rest, answers, and parks again.
  for (size_t cut : {size_t{2}, size_t{9}}) {
    ASSERT_EQ(::send(fd, q.data(), cut, 0), static_cast<ssize_t>(cut));
    Pause(150);
    ASSERT_EQ(::send(fd, q.data() + cut, q.size() - cut, 0), static_cast<ssize_t>(q.size() - cut));
    const std::string reply = ReadUntilReady(fd);
    EXPECT_NE(reply.find("pieces"), std::string::npos);
    EXPECT_EQ(reply.find("SERROR"), std::string::npos) << "an error came back";
    EXPECT_EQ(reply.find("SFATAL"), std::string::npos) << "an error came back";
  }
  // Two queries in one write are both answered.
  const std::string two = QueryMessage("SELECT 1") + QueryMessage("SELECT 'second'");
  ASSERT_EQ(::send(fd, two.data(), two.size(), 0), static_cast<ssize_t>(two.size()));
  std::string reply = ReadUntilReady(fd);
  if (reply.find("second") == std::string::npos) reply += ReadUntilReady(fd);
  EXPECT_NE(reply.find("second"), std::string::npos);
}

TEST_F(PgParked, ClientThatDisappearsWhileParkedFreesItsSlot) {
  ProxyProcess proxy(Port(16), "pool: {max_client_connections: 1}\n");
  PgConn a = Connect(proxy.port());
  ASSERT_EQ(PQstatus(a.get()), CONNECTION_OK) << PQerrorMessage(a.get());
  Pause(100);
  // No Terminate message: the socket just closes under the parked session.
  ::shutdown(PQsocket(a.get()), SHUT_RDWR);
  bool admitted = false;
  for (int i = 0; i < 40 && !admitted; ++i) {
    Pause(50);
    PgConn b = Connect(proxy.port());
    admitted = PQstatus(b.get()) == CONNECTION_OK;
  }
  EXPECT_TRUE(admitted) << "the closed client's slot was not released";
}

TEST_F(PgParked, ManyParkedClientsAllAnswerAfterwards) {
  std::vector<PgConn> clients;
  for (int i = 0; i < 40; ++i) {
    clients.push_back(Connect(proxy_->port()));
    ASSERT_EQ(PQstatus(clients.back().get()), CONNECTION_OK) << PQerrorMessage(clients.back().get());
  }
  Pause(200);
  for (size_t i = 0; i < clients.size(); ++i) {
    EXPECT_EQ(Value(clients[i].get(), "SELECT " + std::to_string(i)), std::to_string(i));
  }
}

TEST_F(PgParked, ParkedClientIsToldWhenTheProxyShutsDown) {
  ProxyProcess proxy(Port(17), "");
  PgConn idle = Connect(proxy.port());
  ASSERT_EQ(PQstatus(idle.get()), CONNECTION_OK) << PQerrorMessage(idle.get());
  Pause(100);
  proxy.Signal(SIGTERM);
  const std::string reply = ReadUntilReady(PQsocket(idle.get()));  // until closed
  EXPECT_NE(reply.find("57P01"), std::string::npos) << "no admin-shutdown error";
  EXPECT_EQ(WEXITSTATUS(proxy.Stop(0)), 0);
}

}  // namespace
}  // namespace switchyard::testing
