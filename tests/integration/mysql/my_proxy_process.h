// Test helper for the MySQL endpoint's C++ integration tests: runs
// `switchyard serve` with a MySQL listener on the MariaDB test pair, raw
// protocol sockets, and a TCP forwarder that can cut a backend connection
// part-way through a response.
#pragma once

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace switchyard::testing {

inline std::string Env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

inline int MyPrimaryPort() { return std::stoi(Env("SY_MY_PRIMARY_PORT", "53316")); }
inline int MyReplicaPort() { return std::stoi(Env("SY_MY_REPLICA_PORT", "53317")); }
// Proxy ports of these tests: SY_PROXY_PORT_BASE + 50..59.
inline int ProxyPort(int offset) { return std::stoi(Env("SY_PROXY_PORT_BASE", "6440")) + offset; }

// Connects a TCP socket to 127.0.0.1:port (10 s receive timeout); -1 on failure.
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

inline std::string ReadFile(const std::string& path) {
  std::ifstream f(path);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// `switchyard serve` with one MySQL listener. Users: app (mysql_native_password),
// plus whatever `users_yaml` adds (list items, 2-space indented); `extra_yaml`
// is appended at the top level, `cluster_yaml` to the cluster (4-space
// indented keys). Replicas: the MariaDB replica unless `replica_port` is 0.
class MyProxyProcess {
 public:
  MyProxyProcess(int port, const std::string& users_yaml, const std::string& extra_yaml,
                 int primary_port = MyPrimaryPort(), int replica_port = MyReplicaPort(),
                 const std::string& cluster_yaml = "")
      : port_(port) {
    const std::string dir = Env("SY_TEST_RUN_DIR", "/tmp") + "/tmp";
    std::system(("mkdir -p " + dir).c_str());
    config_ = dir + "/mysql_" + std::to_string(port) + ".yaml";
    log_ = dir + "/mysql_" + std::to_string(port) + ".log";
    std::ofstream f(config_);
    f << "workers: 2\nlog_level: debug\n"
      << "listeners:\n  - {name: mysql, protocol: mysql, address: 127.0.0.1, port: " << port
      << ", cluster: mysql}\n"
      << "clusters:\n  - name: mysql\n    protocol: mysql\n"
      << "    primary: {name: primary, host: 127.0.0.1, port: " << primary_port << "}\n";
    if (replica_port != 0) {
      f << "    replicas:\n      - {name: replica1, host: 127.0.0.1, port: " << replica_port
        << "}\n";
    }
    f << cluster_yaml;
    f << "users:\n  - {name: app, password: app, auth: mysql_native_password}\n"
      << users_yaml << extra_yaml << "\n";
    f.close();
    std::ofstream(log_, std::ios::trunc).close();
    Start();
  }
  ~MyProxyProcess() { Stop(); }

  void Start() {
    const std::string bin = Env("SY_SWITCHYARD_BIN", "build/switchyard");
    std::fflush(nullptr);  // the child must not write the test's buffered output again
    pid_ = ::fork();
    if (pid_ == 0) {
      FILE* out = std::freopen(log_.c_str(), "a", stderr);
      out = std::freopen(log_.c_str(), "a", stdout);
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

  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  int port() const { return port_; }
  const std::string& log_path() const { return log_; }
  std::string Log() const { return ReadFile(log_); }

 private:
  int port_;
  pid_t pid_ = -1;
  std::string config_;
  std::string log_;
};

// ------------------------------------------------------------------ raw protocol
struct RawPacket {
  uint8_t seq = 0;
  std::string payload;
  bool ok = false;  // false: connection closed or timed out
};

inline bool RecvExact(int fd, char* p, size_t n) {
  while (n > 0) {
    ssize_t r = ::recv(fd, p, n, 0);
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

inline RawPacket ReadPacket(int fd) {
  RawPacket out;
  unsigned char head[4];
  if (!RecvExact(fd, reinterpret_cast<char*>(head), 4)) return out;
  const size_t n = head[0] | (head[1] << 8) | (head[2] << 16);
  out.seq = head[3];
  out.payload.resize(n);
  if (n > 0 && !RecvExact(fd, out.payload.data(), n)) return out;
  out.ok = true;
  return out;
}

inline void WritePacket(int fd, uint8_t seq, const std::string& payload) {
  std::string out;
  out.push_back(static_cast<char>(payload.size() & 0xFF));
  out.push_back(static_cast<char>((payload.size() >> 8) & 0xFF));
  out.push_back(static_cast<char>((payload.size() >> 16) & 0xFF));
  out.push_back(static_cast<char>(seq));
  out += payload;
  ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
}

// "code message" of an ERR payload, "" for anything else.
inline std::string ErrText(const std::string& payload) {
  if (payload.size() < 3 || static_cast<uint8_t>(payload[0]) != 0xFF) return "";
  const int code = static_cast<uint8_t>(payload[1]) | (static_cast<uint8_t>(payload[2]) << 8);
  std::string msg = payload.substr(3);
  if (!msg.empty() && msg[0] == '#') msg = msg.substr(6);
  return std::to_string(code) + " " + msg;
}

// ------------------------------------------------------------------- forwarder
// A TCP forwarder 127.0.0.1:port() -> 127.0.0.1:target. Once armed with
// CutAfter(n), the next connection to carry a large read (kArmingRead bytes
// or more: a result set, not the monitor's small poll answers, which pass
// through the same forwarder) from the server is closed after n more bytes,
// both ways (the proxy sees its backend vanish part-way through a response).
class TcpForwarder {
 public:
  explicit TcpForwarder(int target) : target_(target) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::listen(listen_fd_, 64) != 0) {
      throw std::runtime_error("forwarder: cannot listen");
    }
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }
  ~TcpForwarder() {
    stop_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    acceptor_.join();
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& t : pumps_) t.join();
  }
  int port() const { return port_; }
  void CutAfter(int64_t bytes) { cut_after_ = bytes; }
  bool cut() const { return cut_done_; }

 private:
  void AcceptLoop() {
    while (!stop_) {
      int client = ::accept(listen_fd_, nullptr, nullptr);
      if (client < 0) return;
      int server = ConnectTcp(target_);
      if (server < 0) {
        ::close(client);
        continue;
      }
      std::lock_guard<std::mutex> lock(mu_);
      pumps_.emplace_back([this, client, server] { Pump(client, server); });
    }
  }
  void Pump(int client, int server) {
    int64_t armed_left = -1;
    char buf[16384];
    while (!stop_) {
      pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
      if (::poll(fds, 2, 200) <= 0) continue;
      bool closed = false;
      for (int i = 0; i < 2 && !closed; ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        ssize_t n = ::recv(fds[i].fd, buf, sizeof(buf), 0);
        if (n <= 0) {
          closed = true;
          break;
        }
        size_t send_n = static_cast<size_t>(n);
        if (i == 1) {  // server -> proxy
          if (armed_left < 0 && n >= kArmingRead) {
            int64_t want = cut_after_.exchange(-1);
            if (want >= 0) armed_left = want;
          }
          if (armed_left >= 0) {
            if (static_cast<int64_t>(send_n) >= armed_left) {
              send_n = static_cast<size_t>(armed_left);
              closed = true;
              cut_done_ = true;
            } else {
              armed_left -= static_cast<int64_t>(send_n);
            }
          }
        }
        const int to = i == 0 ? server : client;
        if (send_n > 0) ::send(to, buf, send_n, MSG_NOSIGNAL);
      }
      if (closed) break;
    }
    ::close(client);
    ::close(server);
  }

  static constexpr ssize_t kArmingRead = 4096;
  int target_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> cut_after_{-1};
  std::atomic<bool> cut_done_{false};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> pumps_;
};

}  // namespace switchyard::testing
