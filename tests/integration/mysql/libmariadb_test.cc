// libmariadb (MariaDB Connector/C) and raw protocol clients through the proxy
// on the real MariaDB pair: COM_CHANGE_USER, caching_sha2_password (fast path,
// full authentication over the RSA key exchange, refusals that say why), and
// a backend lost part-way through a result set.
#include <gtest/gtest.h>
#include <mysql.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include <cstdio>
#include <memory>
#include <string>

#include "tests/integration/mysql/my_proxy_process.h"

namespace switchyard::testing {
namespace {

struct MysqlCloser {
  void operator()(MYSQL* m) const { mysql_close(m); }
};
using Mysql = std::unique_ptr<MYSQL, MysqlCloser>;

struct Options {
  std::string default_auth;     // MYSQL_DEFAULT_AUTH
  std::string server_key_file;  // MYSQL_SERVER_PUBLIC_KEY
};

// A connection (check mysql_errno() on the result: it is returned even when
// the connect failed, so that the error can be read).
Mysql Connect(int port, const std::string& user, const std::string& password,
              const Options& options = {}) {
  Mysql m(mysql_init(nullptr));
  unsigned int timeout = 10;
  mysql_optionsv(m.get(), MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_optionsv(m.get(), MYSQL_OPT_READ_TIMEOUT, &timeout);
  if (!options.default_auth.empty()) {
    mysql_optionsv(m.get(), MYSQL_DEFAULT_AUTH, options.default_auth.c_str());
  }
  if (!options.server_key_file.empty()) {
    mysql_optionsv(m.get(), MYSQL_SERVER_PUBLIC_KEY, options.server_key_file.c_str());
  }
  mysql_real_connect(m.get(), "127.0.0.1", user.c_str(), password.c_str(), "app",
                     static_cast<unsigned>(port), nullptr, 0);
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

void Exec(MYSQL* m, const std::string& query) {
  ASSERT_EQ(mysql_real_query(m, query.data(), query.size()), 0)
      << query << ": " << mysql_error(m);
  MYSQL_RES* res = mysql_store_result(m);
  if (res) mysql_free_result(res);
}

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) {
    ++n;
  }
  return n;
}

// ----------------------------------------------------------------- raw client
std::string Sha1(const std::string& s) {
  unsigned char d[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d);
  return std::string(reinterpret_cast<char*>(d), sizeof(d));
}

std::string NativeToken(const std::string& password, const std::string& scramble) {
  const std::string p1 = Sha1(password);
  const std::string p3 = Sha1(scramble + Sha1(p1));
  std::string out(20, '\0');
  for (int i = 0; i < 20; ++i) out[i] = static_cast<char>(p1[i] ^ p3[i]);
  return out;
}

constexpr uint32_t kRawCaps = (1u << 9) | (1u << 15) | (1u << 19) | (1u << 3) | (1u << 13) |
                              (1u << 16) | (1u << 17);

struct RawConn {
  int fd = -1;
  std::string scramble;
  ~RawConn() {
    if (fd >= 0) ::close(fd);
  }
};

// Connects and sends a HandshakeResponse41; returns the proxy's first reply.
RawPacket RawLogin(RawConn& c, int port, const std::string& user, const std::string& plugin,
                   const std::string& token) {
  c.fd = ConnectTcp(port);
  RawPacket greeting = ReadPacket(c.fd);
  if (!greeting.ok) return greeting;
  std::string rest = greeting.payload.substr(1);
  rest = rest.substr(rest.find('\0') + 1);
  c.scramble = rest.substr(4, 8) + rest.substr(31, 12);
  std::string p;
  for (int i = 0; i < 4; ++i) p.push_back(static_cast<char>((kRawCaps >> (8 * i)) & 0xFF));
  p += std::string("\0\0\0\x01", 4);  // max packet 16 MiB
  p.push_back(45);                     // utf8mb4_general_ci
  p += std::string(23, '\0');
  p += user + '\0';
  const std::string t = token.empty() ? NativeToken("app", c.scramble) : token;
  p.push_back(static_cast<char>(t.size()));
  p += t;
  p += std::string("app") + '\0' + plugin + '\0';
  WritePacket(c.fd, 1, p);
  return ReadPacket(c.fd);
}

// ------------------------------------------------------------------- fixture
class LibMariaDb : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = Connect(MyPrimaryPort(), "root", "").release();
    ASSERT_EQ(mysql_errno(root_), 0u) << mysql_error(root_);
    Exec(root_, "CREATE USER IF NOT EXISTS chg@'%' IDENTIFIED BY 'chg'");
    Exec(root_, "GRANT ALL ON app.* TO chg@'%'");
    Exec(root_, "DROP TABLE IF EXISTS lm_items");
    Exec(root_, "CREATE TABLE lm_items (id INT PRIMARY KEY)");
    auto sha2 = [](const char* name) {
      return std::string("  - {name: ") + name +
             ", password: sha2pw, auth: caching_sha2_password, backend_user: app, "
             "backend_password: app}\n";
    };
    proxy_ = new MyProxyProcess(
        ProxyPort(51),
        "  - {name: chg, password: chg, auth: mysql_native_password}\n" + sha2("sha2fast") +
            sha2("sha2switch") + sha2("sha2key") + sha2("sha2clear") + sha2("sha2cu") +
            sha2("sha2wrong"),
        "pool: {pool_size: 4}\n");
  }
  static void TearDownTestSuite() {
    mysql_close(root_);
    delete proxy_;
  }

  static MyProxyProcess* proxy_;
  static MYSQL* root_;
};
MyProxyProcess* LibMariaDb::proxy_ = nullptr;
MYSQL* LibMariaDb::root_ = nullptr;

// ------------------------------------------------------------ COM_CHANGE_USER
TEST_F(LibMariaDb, ChangeUserAuthenticatesAndStartsAFreshSession) {
  Mysql c = Connect(proxy_->port(), "app", "app");
  ASSERT_EQ(mysql_errno(c.get()), 0u) << mysql_error(c.get());
  EXPECT_EQ(Value(c.get(), "SELECT CURRENT_USER()"), "app@%");
  // State the proxy tracks or pins on: a variable, a user variable (pins), a
  // transaction with a write, another database.
  Exec(c.get(), "SET sql_mode = 'ANSI'");
  Exec(c.get(), "SET @v = 5");
  Exec(c.get(), "BEGIN");
  Exec(c.get(), "INSERT INTO lm_items VALUES (1)");
  Exec(c.get(), "USE information_schema");

  ASSERT_EQ(mysql_change_user(c.get(), "chg", "chg", "app"), 0) << mysql_error(c.get());
  EXPECT_EQ(Value(c.get(), "SELECT CURRENT_USER()"), "chg@%") << "the backend is chg's";
  EXPECT_EQ(Value(c.get(), "SELECT DATABASE()"), "app");
  EXPECT_EQ(Value(c.get(), "SELECT @@sql_mode LIKE '%ANSI_QUOTES%'"), "0") << "variables reset";
  EXPECT_EQ(Value(c.get(), "SELECT @v IS NULL /* switchyard: primary */"), "1");
  EXPECT_EQ(Value(root_, "SELECT COUNT(*) FROM app.lm_items WHERE id = 1"), "0")
      << "the open transaction was rolled back";
  EXPECT_EQ(Value(c.get(), "SELECT @@in_transaction /* switchyard: primary */"), "0");
  Exec(c.get(), "INSERT INTO lm_items VALUES (2)");  // autocommit, as chg
  EXPECT_EQ(Value(root_, "SELECT COUNT(*) FROM app.lm_items WHERE id = 2"), "1");

  // A wrong password: 1045, and the session stays chg's.
  EXPECT_NE(mysql_change_user(c.get(), "app", "wrong", "app"), 0);
  EXPECT_EQ(mysql_errno(c.get()), 1045u) << mysql_error(c.get());
  EXPECT_EQ(Value(c.get(), "SELECT CURRENT_USER()"), "chg@%");

  // To a caching_sha2_password user: the proxy switches the client's plugin
  // and authenticates it fully (RSA) on this first login.
  ASSERT_EQ(mysql_change_user(c.get(), "sha2cu", "sha2pw", "app"), 0) << mysql_error(c.get());
  EXPECT_EQ(Value(c.get(), "SELECT CURRENT_USER()"), "app@%");
  EXPECT_EQ(Count(proxy_->Log(), "full authentication (RSA) for sha2cu"), 1u);

  // And back, with a prepared statement afterwards.
  ASSERT_EQ(mysql_change_user(c.get(), "app", "app", "app"), 0) << mysql_error(c.get());
  EXPECT_EQ(Value(c.get(), "SELECT CURRENT_USER()"), "app@%");
  MYSQL_STMT* st = mysql_stmt_init(c.get());
  const std::string sql = "SELECT COUNT(*) FROM lm_items";
  ASSERT_EQ(mysql_stmt_prepare(st, sql.data(), sql.size()), 0) << mysql_stmt_error(st);
  ASSERT_EQ(mysql_stmt_execute(st), 0) << mysql_stmt_error(st);
  mysql_stmt_close(st);
  EXPECT_NE(proxy_->Log().find("changed user (was app)"), std::string::npos);
}

TEST_F(LibMariaDb, ChangeUserForgetsPreparedStatementsRawProtocol) {
  RawConn c;
  RawPacket ok = RawLogin(c, proxy_->port(), "app", "mysql_native_password", "");
  ASSERT_TRUE(ok.ok);
  ASSERT_EQ(static_cast<uint8_t>(ok.payload[0]), 0x00) << ErrText(ok.payload);
  WritePacket(c.fd, 0, "\x16SELECT 1");
  RawPacket prep = ReadPacket(c.fd);
  ASSERT_EQ(static_cast<uint8_t>(prep.payload[0]), 0x00) << ErrText(prep.payload);
  const std::string id = prep.payload.substr(1, 4);
  // Drain the column definition (and its EOF, without DEPRECATE_EOF).
  ReadPacket(c.fd);
  ReadPacket(c.fd);

  std::string cu = "\x11";
  cu += std::string("chg") + '\0';
  const std::string token = NativeToken("chg", c.scramble);  // the greeting's scramble
  cu.push_back(static_cast<char>(token.size()));
  cu += token;
  cu += std::string("app") + '\0';
  cu += std::string("\x2d\x00", 2);  // character set
  cu += std::string("mysql_native_password") + '\0';
  WritePacket(c.fd, 0, cu);
  RawPacket reply = ReadPacket(c.fd);
  ASSERT_TRUE(reply.ok);
  EXPECT_EQ(reply.seq, 1);
  ASSERT_EQ(static_cast<uint8_t>(reply.payload[0]), 0x00) << ErrText(reply.payload);

  std::string exec = "\x17" + id + std::string("\x00\x01\x00\x00\x00", 5);
  WritePacket(c.fd, 0, exec);
  RawPacket err = ReadPacket(c.fd);
  EXPECT_EQ(ErrText(err.payload).substr(0, 5), "1243 ") << ErrText(err.payload);

  // A malformed COM_CHANGE_USER is an ERR, not a dropped connection.
  WritePacket(c.fd, 0, "\x11no-terminator");
  RawPacket bad = ReadPacket(c.fd);
  EXPECT_EQ(ErrText(bad.payload).substr(0, 5), "1047 ") << ErrText(bad.payload);
  WritePacket(c.fd, 0, "\x0e");  // COM_PING
  RawPacket pong = ReadPacket(c.fd);
  ASSERT_TRUE(pong.ok);
  EXPECT_EQ(static_cast<uint8_t>(pong.payload[0]), 0x00);
}

// ------------------------------------------------------ caching_sha2_password
TEST_F(LibMariaDb, CachingSha2FullAuthenticationThenFastPath) {
  const Options sha2{"caching_sha2_password", ""};
  {
    Mysql c = Connect(proxy_->port(), "sha2fast", "sha2pw", sha2);
    ASSERT_EQ(mysql_errno(c.get()), 0u) << mysql_error(c.get());
    EXPECT_EQ(Value(c.get(), "SELECT 'in'"), "in");
  }
  std::string log = proxy_->Log();
  EXPECT_EQ(Count(log, "full authentication (RSA) for sha2fast"), 1u) << "first login: RSA";
  EXPECT_EQ(Count(log, "fast authentication for sha2fast"), 0u);
  for (int i = 0; i < 2; ++i) {
    Mysql c = Connect(proxy_->port(), "sha2fast", "sha2pw", sha2);
    ASSERT_EQ(mysql_errno(c.get()), 0u) << mysql_error(c.get());
    EXPECT_EQ(Value(c.get(), "SELECT CURRENT_USER()"), "app@%");
  }
  log = proxy_->Log();
  EXPECT_EQ(Count(log, "full authentication (RSA) for sha2fast"), 1u);
  EXPECT_EQ(Count(log, "fast authentication for sha2fast"), 2u) << "later logins: fast path";

  // A user configured mysql_native_password whose client opens with
  // caching_sha2_password: accepted on the fast path, no RSA needed.
  {
    Mysql c = Connect(proxy_->port(), "chg", "chg", sha2);
    ASSERT_EQ(mysql_errno(c.get()), 0u) << mysql_error(c.get());
    log = proxy_->Log();
    EXPECT_EQ(Count(log, "full authentication (RSA) for chg"), 0u);
    EXPECT_GE(Count(log, "fast authentication for chg"), 1u);
  }

  // A wrong password fails the fast path, then the full authentication.
  Mysql bad = Connect(proxy_->port(), "sha2fast", "nope", sha2);
  EXPECT_EQ(mysql_errno(bad.get()), 1045u) << mysql_error(bad.get());
}

TEST_F(LibMariaDb, CachingSha2UserIsOfferedItsPluginByAuthSwitch) {
  // The client starts with mysql_native_password (its default); the user is
  // configured caching_sha2_password, so the proxy switches it.
  Mysql c = Connect(proxy_->port(), "sha2switch", "sha2pw");
  ASSERT_EQ(mysql_errno(c.get()), 0u) << mysql_error(c.get());
  EXPECT_EQ(Value(c.get(), "SELECT 1"), "1");
  EXPECT_EQ(Count(proxy_->Log(), "full authentication (RSA) for sha2switch"), 1u);
  Mysql wrong = Connect(proxy_->port(), "sha2wrong", "bad-password");
  EXPECT_EQ(mysql_errno(wrong.get()), 1045u) << mysql_error(wrong.get());
}

TEST_F(LibMariaDb, CachingSha2WithAnotherServersPublicKeyIsRefusedClearly) {
  // The client encrypts with a key that is not the proxy's (as with a
  // server-public-key file taken from the database server).
  EVP_PKEY* key = EVP_RSA_gen(2048);
  ASSERT_NE(key, nullptr);
  const std::string path = Env("SY_TEST_RUN_DIR", "/tmp") + "/tmp/other_server_key.pem";
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  PEM_write_PUBKEY(f, key);
  std::fclose(f);
  EVP_PKEY_free(key);
  Mysql c = Connect(proxy_->port(), "sha2key", "sha2pw", {"caching_sha2_password", path});
  EXPECT_EQ(mysql_errno(c.get()), 1045u) << mysql_error(c.get());
  EXPECT_NE(std::string(mysql_error(c.get())).find("could not be decrypted with switchyard's RSA key"),
            std::string::npos)
      << mysql_error(c.get());
}

TEST_F(LibMariaDb, CachingSha2CleartextPasswordWithoutTlsIsRefusedClearly) {
  // A client that answers "perform full authentication" with the password
  // in clear text (what it does over TLS): refused, never accepted.
  RawConn c;
  RawPacket more = RawLogin(c, proxy_->port(), "sha2clear", "caching_sha2_password",
                            std::string(32, 'x'));
  ASSERT_TRUE(more.ok);
  ASSERT_EQ(more.payload, std::string("\x01\x04", 2)) << "perform full authentication";
  WritePacket(c.fd, static_cast<uint8_t>(more.seq + 1), std::string("sha2pw") + '\0');
  RawPacket err = ReadPacket(c.fd);
  ASSERT_TRUE(err.ok);
  const std::string text = ErrText(err.payload);
  EXPECT_EQ(text.substr(0, 5), "1251 ") << text;
  EXPECT_NE(text.find("sent the password unencrypted"), std::string::npos) << text;
}

// ------------------------------------------------- backend lost mid-result
TEST_F(LibMariaDb, BackendLostPartWayThroughAResultSetGetsAnErrNamingTheServer) {
  TcpForwarder forwarder(MyPrimaryPort());
  MyProxyProcess proxy(ProxyPort(52), "", "", forwarder.port(), 0);
  Mysql c = Connect(proxy.port(), "app", "app");
  ASSERT_EQ(mysql_errno(c.get()), 0u) << mysql_error(c.get());
  EXPECT_EQ(Value(c.get(), "SELECT 'warm'"), "warm");

  // About 4 MB of rows; the backend connection is cut after 300 kB of it.
  const std::string big = "SELECT seq, REPEAT('x', 200) FROM seq_1_to_20000";
  forwarder.CutAfter(300000);
  ASSERT_EQ(mysql_real_query(c.get(), big.data(), big.size()), 0) << mysql_error(c.get());
  MYSQL_RES* res = mysql_use_result(c.get());
  ASSERT_NE(res, nullptr) << mysql_error(c.get());
  int rows = 0;
  while (mysql_fetch_row(res) != nullptr) ++rows;
  EXPECT_TRUE(forwarder.cut());
  EXPECT_GT(rows, 0) << "rows arrived before the cut";
  EXPECT_LT(rows, 20000);
  EXPECT_EQ(mysql_errno(c.get()), 1158u) << mysql_error(c.get());
  const std::string message = mysql_error(c.get());
  EXPECT_NE(message.find("Lost connection to server primary (127.0.0.1:" +
                         std::to_string(forwarder.port()) + ")"),
            std::string::npos)
      << message;
  mysql_free_result(res);
  // No transaction was lost: the session goes on, on a new backend.
  EXPECT_EQ(Value(c.get(), "SELECT 'after'"), "after");

  // With store_result (the whole result read at once) too.
  forwarder.CutAfter(100000);
  ASSERT_EQ(mysql_real_query(c.get(), big.data(), big.size()), 0) << mysql_error(c.get());
  EXPECT_EQ(mysql_store_result(c.get()), nullptr);
  EXPECT_EQ(mysql_errno(c.get()), 1158u) << mysql_error(c.get());
  EXPECT_EQ(Value(c.get(), "SELECT 'again'"), "again");

  // A prepared statement's binary rows: the same ERR where the next row belongs.
  MYSQL_STMT* st = mysql_stmt_init(c.get());
  ASSERT_EQ(mysql_stmt_prepare(st, big.data(), big.size()), 0) << mysql_stmt_error(st);
  forwarder.CutAfter(200000);
  ASSERT_EQ(mysql_stmt_execute(st), 0) << mysql_stmt_error(st);
  int fetched = 0, rc = 0;
  while ((rc = mysql_stmt_fetch(st)) == 0 || rc == MYSQL_DATA_TRUNCATED) ++fetched;
  EXPECT_EQ(rc, 1) << "the fetch ends in an error, not MYSQL_NO_DATA";
  EXPECT_GT(fetched, 0);
  EXPECT_LT(fetched, 20000);
  // libmariadb leaves an error read during an unbuffered fetch on the connection.
  EXPECT_EQ(mysql_errno(c.get()), 1158u) << mysql_error(c.get()) << " / " << mysql_stmt_error(st);
  EXPECT_NE(std::string(mysql_error(c.get())).find("Lost connection to server primary"),
            std::string::npos)
      << mysql_error(c.get());
  mysql_stmt_close(st);
  EXPECT_EQ(Value(c.get(), "SELECT 'after the statement'"), "after the statement");

  // In a transaction the client is told; its statements are then refused
  // until it ends the lost transaction, and its next transaction works.
  Exec(c.get(), "BEGIN");
  forwarder.CutAfter(100000);
  ASSERT_EQ(mysql_real_query(c.get(), big.data(), big.size()), 0) << mysql_error(c.get());
  EXPECT_EQ(mysql_store_result(c.get()), nullptr);
  EXPECT_EQ(mysql_errno(c.get()), 1158u) << mysql_error(c.get());
  EXPECT_NE(mysql_query(c.get(), "SELECT 'still in it'"), 0);
  EXPECT_EQ(mysql_errno(c.get()), 1158u) << mysql_error(c.get());
  EXPECT_NE(std::string(mysql_error(c.get())).find("ROLLBACK"), std::string::npos)
      << mysql_error(c.get());
  Exec(c.get(), "ROLLBACK");
  EXPECT_EQ(Value(c.get(), "SELECT 'next transaction'"), "next transaction");

  // COMMIT of a lost transaction fails (nothing was committed); then all is well.
  Exec(c.get(), "BEGIN");
  forwarder.CutAfter(100000);
  ASSERT_EQ(mysql_real_query(c.get(), big.data(), big.size()), 0) << mysql_error(c.get());
  EXPECT_EQ(mysql_store_result(c.get()), nullptr);
  EXPECT_EQ(mysql_errno(c.get()), 1158u) << mysql_error(c.get());
  EXPECT_NE(mysql_query(c.get(), "COMMIT"), 0);
  EXPECT_EQ(mysql_errno(c.get()), 1180u) << mysql_error(c.get());
  EXPECT_EQ(Value(c.get(), "SELECT 'after the failed commit'"), "after the failed commit");
}

TEST_F(LibMariaDb, PreparedShowSwitchyardServersGetsTheProxys1064AndTheSessionGoesOn) {
  Mysql c = Connect(proxy_->port(), "app", "app");
  ASSERT_EQ(mysql_errno(c.get()), 0u) << mysql_error(c.get());
  MYSQL_STMT* st = mysql_stmt_init(c.get());
  const std::string sql = "SHOW SWITCHYARD SERVERS";
  EXPECT_NE(mysql_stmt_prepare(st, sql.data(), sql.size()), 0);
  EXPECT_EQ(mysql_stmt_errno(st), 1064u);
  EXPECT_NE(std::string(mysql_stmt_error(st)).find("not prepared"), std::string::npos)
      << mysql_stmt_error(st);
  mysql_stmt_close(st);
  EXPECT_EQ(Value(c.get(), "SELECT 'usable'"), "usable");
}

}  // namespace
}  // namespace switchyard::testing
