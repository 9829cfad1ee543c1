// MySQL Connector/C++ 1.1 (the JDBC-style API applications use) through the
// proxy on the real MariaDB pair: plain statements, server-side prepared
// statements executed many times from several connections in turn (so the
// proxy must prepare them again on other pooled backends), a transaction
// committed and one rolled back, and where statements ran (@@server_id).
#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>
#include <mysql_driver.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "tests/integration/mysql/my_proxy_process.h"

namespace switchyard::testing {
namespace {

using ConnPtr = std::unique_ptr<sql::Connection>;
using StmtPtr = std::unique_ptr<sql::Statement>;
using PrepPtr = std::unique_ptr<sql::PreparedStatement>;
using ResultPtr = std::unique_ptr<sql::ResultSet>;

ConnPtr Connect(int port, const std::string& user = "app", const std::string& password = "app") {
  sql::mysql::MySQL_Driver* driver = sql::mysql::get_mysql_driver_instance();
  ConnPtr c(driver->connect("tcp://127.0.0.1:" + std::to_string(port), user, password));
  c->setSchema("app");
  return c;
}

std::string Value(sql::Connection& c, const std::string& query) {
  StmtPtr st(c.createStatement());
  ResultPtr rs(st->executeQuery(query));
  if (!rs->next()) return "<no row>";
  return rs->getString(1);
}

int64_t StatusCounter(sql::Connection& c, const std::string& name) {
  StmtPtr st(c.createStatement());
  ResultPtr rs(st->executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'"));
  return rs->next() ? std::stoll(std::string(rs->getString(2))) : -1;
}

class ConnectorThroughProxy : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Two backends per server at most, so four clients share them in turn.
    // Read-your-writes (on by default) sends a session's reads after its
    // write to the primary until the replica has replayed it: wait for that
    // here, so that the routing asserted below does not depend on timing.
    proxy_ = new MyProxyProcess(ProxyPort(50), "", "pool: {pool_size: 2}\n", MyPrimaryPort(),
                                MyReplicaPort(),
                                "    freshness: {read_your_writes_wait: 10s}\n"
                                "    monitor: {interval: 50ms}\n");
    primary_ = Connect(MyPrimaryPort()).release();
    replica_ = Connect(MyReplicaPort()).release();
    primary_id_ = Value(*primary_, "SELECT @@server_id");
    replica_id_ = Value(*replica_, "SELECT @@server_id");
    StmtPtr st(primary_->createStatement());
    st->execute("DROP TABLE IF EXISTS cc_items");
    st->execute("CREATE TABLE cc_items (id INT PRIMARY KEY, name VARCHAR(64), server INT)");
  }
  static void TearDownTestSuite() {
    delete primary_;
    delete replica_;
    delete proxy_;
  }
  // Rows are checked on the primary directly (the replica may lag).
  static std::string OnPrimary(const std::string& query) { return Value(*primary_, query); }

  static MyProxyProcess* proxy_;
  static sql::Connection* primary_;
  static sql::Connection* replica_;
  static std::string primary_id_;
  static std::string replica_id_;
};
MyProxyProcess* ConnectorThroughProxy::proxy_ = nullptr;
sql::Connection* ConnectorThroughProxy::primary_ = nullptr;
sql::Connection* ConnectorThroughProxy::replica_ = nullptr;
std::string ConnectorThroughProxy::primary_id_;
std::string ConnectorThroughProxy::replica_id_;

TEST_F(ConnectorThroughProxy, PlainQueries) {
  ASSERT_NE(primary_id_, replica_id_);
  ConnPtr c = Connect(proxy_->port());
  EXPECT_EQ(Value(*c, "SELECT 41 + 1"), "42");
  EXPECT_EQ(Value(*c, "SELECT DATABASE()"), "app");
  StmtPtr st(c->createStatement());
  EXPECT_EQ(st->executeUpdate("INSERT INTO cc_items VALUES (1, 'one', @@server_id), "
                              "(2, 'two', @@server_id)"),
            2);
  EXPECT_EQ(st->executeUpdate("UPDATE cc_items SET name = 'uno' WHERE id = 1"), 1);
  EXPECT_EQ(OnPrimary("SELECT name FROM cc_items WHERE id = 1"), "uno");
  ResultPtr rs(st->executeQuery("SELECT id, name FROM cc_items /* switchyard: primary */ "
                                "WHERE id <= 2 ORDER BY id"));
  std::vector<std::string> names;
  while (rs->next()) names.push_back(rs->getString("name"));
  EXPECT_EQ(names, (std::vector<std::string>{"uno", "two"}));
  // An error is an exception with the server's code, and the session goes on.
  try {
    st->executeQuery("SELECT * FROM no_such_table");
    ADD_FAILURE() << "no exception";
  } catch (const sql::SQLException& e) {
    EXPECT_EQ(e.getErrorCode(), 1146) << e.what();
  }
  EXPECT_EQ(Value(*c, "SELECT 'still here'"), "still here");
}

TEST_F(ConnectorThroughProxy, ReadRunsOnTheReplicaAndWriteOnThePrimary) {
  ConnPtr c = Connect(proxy_->port());
  EXPECT_EQ(Value(*c, "SELECT @@server_id"), replica_id_) << "a plain read goes to the replica";
  StmtPtr st(c->createStatement());
  // The value is computed where the INSERT runs.
  st->executeUpdate("INSERT INTO cc_items VALUES (10, 'where', @@server_id)");
  EXPECT_EQ(OnPrimary("SELECT server FROM cc_items WHERE id = 10"), primary_id_)
      << "the write ran on the primary";
  EXPECT_EQ(Value(*c, "SELECT @@server_id /* switchyard: primary */"), primary_id_);
  c->setAutoCommit(false);
  EXPECT_EQ(Value(*c, "SELECT @@server_id"), primary_id_) << "reads in a transaction: primary";
  c->commit();
  c->setAutoCommit(true);
  EXPECT_EQ(Value(*c, "SELECT @@server_id"), replica_id_) << "back to the replica";
}

TEST_F(ConnectorThroughProxy, PreparedStatementsAcrossPooledBackends) {
  const int64_t prepares_before =
      StatusCounter(*primary_, "Com_stmt_prepare") + StatusCounter(*replica_, "Com_stmt_prepare");
  // Four clients, two backends per server: each execute may land on a backend
  // that has never seen the statement, which the proxy then prepares there.
  std::vector<ConnPtr> conns;
  std::vector<PrepPtr> reads, writes;
  for (int i = 0; i < 4; ++i) {
    conns.push_back(Connect(proxy_->port()));
    reads.emplace_back(conns.back()->prepareStatement(
        "SELECT ? + 1, CONCAT('v-', ?), @@server_id"));
    writes.emplace_back(conns.back()->prepareStatement(
        "INSERT INTO cc_items (id, name, server) VALUES (?, ?, @@server_id)"));
  }
  int inserted = 0;
  for (int round = 0; round < 25; ++round) {
    for (int i = 0; i < 4; ++i) {
      const int n = round * 4 + i;
      reads[i]->setInt(1, n);
      reads[i]->setString(2, "s" + std::to_string(n));
      ResultPtr rs(reads[i]->executeQuery());
      ASSERT_TRUE(rs->next());
      EXPECT_EQ(rs->getInt(1), n + 1);
      EXPECT_EQ(std::string(rs->getString(2)), "v-s" + std::to_string(n));
      EXPECT_EQ(std::string(rs->getString(3)), replica_id_) << "prepared read on the replica";
      EXPECT_FALSE(rs->next());
      if (round == 10) {
        // In a transaction the read runs on the primary, whose backends have
        // only the INSERT: the proxy prepares the SELECT there first.
        conns[i]->setAutoCommit(false);
        reads[i]->setInt(1, 7);
        reads[i]->setString(2, "tx");
        ResultPtr tx(reads[i]->executeQuery());
        ASSERT_TRUE(tx->next());
        EXPECT_EQ(tx->getInt(1), 8);
        EXPECT_EQ(std::string(tx->getString(3)), primary_id_) << "prepared read in a transaction";
        conns[i]->commit();
        conns[i]->setAutoCommit(true);
      }
      if (round % 5 == 0) {
        writes[i]->setInt(1, 1000 + n);
        writes[i]->setString(2, "p" + std::to_string(n));
        EXPECT_EQ(writes[i]->executeUpdate(), 1);
        ++inserted;
      }
    }
  }
  EXPECT_EQ(OnPrimary("SELECT COUNT(*) FROM cc_items WHERE id >= 1000"), std::to_string(inserted));
  EXPECT_EQ(OnPrimary("SELECT COUNT(DISTINCT server) FROM cc_items WHERE id >= 1000"), "1");
  EXPECT_EQ(OnPrimary("SELECT MIN(server) FROM cc_items WHERE id >= 1000"), primary_id_);
  EXPECT_EQ(OnPrimary("SELECT name FROM cc_items WHERE id = 1021"), "p21");
  const int64_t prepares =
      StatusCounter(*primary_, "Com_stmt_prepare") + StatusCounter(*replica_, "Com_stmt_prepare") -
      prepares_before;
  // Each statement text is prepared once per backend that runs it: the read
  // on replica and primary backends, the write on primary ones; never once
  // per execute (over a hundred here).
  EXPECT_GE(prepares, 3) << "statements prepared again on other backends";
  EXPECT_LE(prepares, 24) << "prepared per backend, not per execute";
  std::printf("server-side prepares for 8 client prepares and 124 executes: %lld\n",
              static_cast<long long>(prepares));
}

TEST_F(ConnectorThroughProxy, TransactionCommitAndRollback) {
  ConnPtr c = Connect(proxy_->port());
  c->setAutoCommit(false);
  PrepPtr ins(c->prepareStatement("INSERT INTO cc_items (id, name, server) VALUES (?, ?, 0)"));
  ins->setInt(1, 500);
  ins->setString(2, "rolled back");
  ins->executeUpdate();
  EXPECT_EQ(Value(*c, "SELECT COUNT(*) FROM cc_items WHERE id = 500"), "1") << "own write visible";
  c->rollback();
  EXPECT_EQ(OnPrimary("SELECT COUNT(*) FROM cc_items WHERE id = 500"), "0");
  ins->setInt(1, 501);
  ins->setString(2, "committed");
  ins->executeUpdate();
  EXPECT_EQ(OnPrimary("SELECT COUNT(*) FROM cc_items WHERE id = 501"), "0") << "not yet committed";
  c->commit();
  EXPECT_EQ(OnPrimary("SELECT name FROM cc_items WHERE id = 501"), "committed");
  c->setAutoCommit(true);

  // The same with statements.
  StmtPtr st(c->createStatement());
  st->execute("START TRANSACTION");
  st->executeUpdate("UPDATE cc_items SET name = 'changed' WHERE id = 501");
  st->execute("ROLLBACK");
  EXPECT_EQ(OnPrimary("SELECT name FROM cc_items WHERE id = 501"), "committed");
  st->execute("BEGIN");
  st->executeUpdate("UPDATE cc_items SET name = 'changed' WHERE id = 501");
  st->execute("COMMIT");
  EXPECT_EQ(OnPrimary("SELECT name FROM cc_items WHERE id = 501"), "changed");
}

}  // namespace
}  // namespace switchyard::testing
