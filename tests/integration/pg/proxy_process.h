// Test helper: runs `switchyard serve` on a generated config against the
// integration servers, and raw/libpq connections to it.
#pragma once

#include <libpq-fe.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace switchyard::testing {

inline std::string Env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

inline int PgPrimaryPort() { return std::stoi(Env("SY_PG_PRIMARY_PORT", "54330")); }
inline int PgReplicaPort() { return std::stoi(Env("SY_PG_REPLICA_PORT", "54331")); }

// Connects a TCP socket to 127.0.0.1:port; -1 on failure.
inline int ConnectTcp(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  return fd;
}

// Reads until EOF (or timeout); returns everything received.
inline std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  while (true) {
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

class ProxyProcess {
 public:
  // `extra_yaml` is appended to the top level of the config.
  ProxyProcess(int port, const std::string& extra_yaml, int primary_port = PgPrimaryPort())
      : port_(port) {
    const std::string dir = Env("SY_TEST_RUN_DIR", "/tmp") + "/tmp";
    std::system(("mkdir -p " + dir).c_str());
    config_ = dir + "/faults_" + std::to_string(port) + ".yaml";
    log_ = dir + "/faults_" + std::to_string(port) + ".log";
    std::ofstream f(config_);
    f << "workers: 2\nlog_level: debug\n"
      << "listeners:\n  - {name: pg, protocol: postgres, address: 127.0.0.1, port: " << port
      << ", cluster: pg}\n"
      << "clusters:\n  - name: pg\n    protocol: postgres\n"
      << "    primary: {host: 127.0.0.1, port: " << primary_port << "}\n"
      << "    replicas:\n      - {host: 127.0.0.1, port: " << PgReplicaPort() << "}\n"
      << "users:\n"
      << "  - {name: app, password: app, auth: scram-sha-256}\n"
      << "  - {name: app_md5, password: app, auth: md5}\n"
      << "  - {name: app_clear, password: app}\n"
      << "  - {name: app_trust, password: app}\n"
      << "  - {name: sess, password: app, pool_mode: session, backend_user: app}\n"
      << extra_yaml << "\n";
    f.close();
    Start();
  }
  ~ProxyProcess() { Stop(SIGINT); }

  void Start() {
    const std::string bin = Env("SY_SWITCHYARD_BIN", "build/switchyard");
    pid_ = ::fork();
    if (pid_ == 0) {
      FILE* out = std::freopen(log_.c_str(), "a", stderr);
      (void)out;
      ::execl(bin.c_str(), bin.c_str(), "serve", "--config", config_.c_str(), nullptr);
      std::_Exit(127);
    }
    for (int i = 0; i < 200; ++i) {
      int fd = ConnectTcp(port_);
      if (fd >= 0) {
        ::close(fd);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("proxy did not start; see " + log_);
  }

  // Sends `sig` and waits for exit; returns the exit status or -1.
  int Stop(int sig) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }
  void Signal(int sig) { ::kill(pid_, sig); }
  bool Alive() { return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }
  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  const std::string& log_path() const { return log_; }

 private:
  int port_;
  pid_t pid_ = -1;
  std::string config_;
  std::string log_;
};

struct PgConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using PgConn = std::unique_ptr<PGconn, PgConnDeleter>;

inline PgConn Connect(int port, const std::string& user = "app", const std::string& password = "app",
                      const std::string& extra = "") {
  std::string conninfo = "host=127.0.0.1 port=" + std::to_string(port) + " dbname=app user=" +
                         user + " password=" + password + " connect_timeout=10 " + extra;
  return PgConn(PQconnectdb(conninfo.c_str()));
}

struct PgResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

inline PgResult Exec(PGconn* c, const std::string& sql) { return PgResult(PQexec(c, sql.c_str())); }

inline std::string SqlState(const PGresult* r) {
  const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  return s ? s : "";
}

inline std::string Value(PGconn* c, const std::string& sql) {
  PgResult r = Exec(c, sql);
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK || PQntuples(r.get()) < 1) {
    return "<error: " + std::string(PQresultErrorMessage(r.get())) + ">";
  }
  return PQgetvalue(r.get(), 0, 0);
}

}  // namespace switchyard::testing
