// tcp_forwarder: the floor of what any user-space proxy costs, for the benchmarks.
//
//   tcp_forwarder LISTEN_PORT BACKEND_PORT      (both on 127.0.0.1; runs until SIGINT/SIGTERM)
//
// Each accepted client gets its own connection to the backend, and bytes are copied
// both ways unread: no parsing, no pooling, no routing, one thread, one level-triggered
// epoll set, a recv and a send per message (epoll_ctl only when a peer cannot take
// what arrived). That is the least work a process in the middle can do with the
// kernel's socket calls, so the CPU it spends per transaction is a lower bound for
// every proxy on the same machine and workload (docs/benchmarks.md, "The floor").
// A benchmark tool, not part of the proxy.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

namespace {

constexpr size_t kBufferSize = 64 * 1024;
volatile std::sig_atomic_t g_stop = 0;  // set by the signal handler only

// One direction of a pair: bytes read from `from` that `to` has not taken yet.
struct Pair;
struct Direction {
  int from = -1;
  int to = -1;
  Pair* pair = nullptr;
  Direction* other = nullptr;
  std::unique_ptr<char[]> pending;  // allocated on first backpressure only
  size_t off = 0;
  size_t len = 0;
};

// A client and its backend connection. Each socket's epoll entry points at the
// Direction it reads for.
struct Pair {
  Direction up;    // client -> backend
  Direction down;  // backend -> client
  bool closed = false;
};

void NoDelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int ConnectBackend(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  NoDelay(fd);
  return fd;
}

int Listen(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 1024) != 0) {
    std::perror("tcp_forwarder: bind/listen");
    std::exit(1);
  }
  return fd;
}

class Forwarder {
 public:
  Forwarder(int listen_fd, int backend_port)
      : epoll_(epoll_create1(0)), listen_(listen_fd), backend_port_(backend_port) {
    Watch(listen_, EPOLL_CTL_ADD, EPOLLIN, nullptr);
  }

  void Run() {
    std::vector<epoll_event> events(256);
    while (!g_stop) {
      const int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 200);
      for (int i = 0; i < n; ++i) {
        if (events[i].data.ptr == nullptr) {
          Accept();
        } else {
          Ready(*static_cast<Direction*>(events[i].data.ptr), events[i].events);
        }
      }
      closed_.clear();  // pairs closed in this turn: no event of theirs is left to handle
    }
  }

 private:
  void Watch(int fd, int op, uint32_t mask, Direction* d) {
    epoll_event ev{};
    ev.events = mask;
    ev.data.ptr = d;
    epoll_ctl(epoll_, op, fd, &ev);
  }

  void Accept() {
    for (;;) {
      const int client = accept4(listen_, nullptr, nullptr, SOCK_NONBLOCK);
      if (client < 0) return;
      const int server = ConnectBackend(backend_port_);  // blocking connect, then non-blocking
      if (server < 0) {
        close(client);
        continue;
      }
      NoDelay(client);
      fcntl(server, F_SETFL, fcntl(server, F_GETFL) | O_NONBLOCK);
      auto pair = std::make_unique<Pair>();
      pair->up.from = pair->down.to = client;
      pair->up.to = pair->down.from = server;
      pair->up.pair = pair->down.pair = pair.get();
      pair->up.other = &pair->down;
      pair->down.other = &pair->up;
      Watch(client, EPOLL_CTL_ADD, EPOLLIN, &pair->up);
      Watch(server, EPOLL_CTL_ADD, EPOLLIN, &pair->down);
      pairs_.push_back(std::move(pair));
    }
  }

  static Direction& Other(Direction& d) { return *d.other; }

  // The socket `d.from` is readable, or (EPOLLOUT) the socket `other.to` == d.from can
  // take what its direction holds.
  void Ready(Direction& d, uint32_t mask) {
    if (mask & EPOLLOUT) Flush(Other(d));
    if (mask & (EPOLLIN | EPOLLHUP | EPOLLERR)) Read(d);
  }

  void Read(Direction& d) {
    if (d.len > 0 || d.from < 0) return;  // waiting for the peer to drain
    char buffer[kBufferSize];
    const ssize_t got = recv(d.from, buffer, sizeof buffer, 0);
    if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) return Close(d);
    if (got < 0) return;
    const ssize_t sent = send(d.to, buffer, static_cast<size_t>(got), MSG_NOSIGNAL);
    if (sent == got) return;
    if (sent < 0 && errno != EAGAIN) return Close(d);
    const size_t done = sent < 0 ? 0 : static_cast<size_t>(sent);
    if (!d.pending) d.pending = std::make_unique<char[]>(kBufferSize);
    d.len = static_cast<size_t>(got) - done;
    d.off = 0;
    std::memcpy(d.pending.get(), buffer + done, d.len);
    Rearm(*d.pair);  // stop reading this side; wake when the other side can take more
  }

  static uint32_t Mask(bool in, bool out) {
    return (in ? uint32_t{EPOLLIN} : 0u) | (out ? uint32_t{EPOLLOUT} : 0u);
  }

  // Each socket's entry: readable while its direction holds nothing, writable
  // wanted while the opposite direction holds bytes for it.
  void Rearm(Pair& p) {
    Watch(p.up.from, EPOLL_CTL_MOD, Mask(p.up.len == 0, p.down.len > 0), &p.up);
    Watch(p.down.from, EPOLL_CTL_MOD, Mask(p.down.len == 0, p.up.len > 0), &p.down);
  }

  void Flush(Direction& d) {
    if (d.len == 0) return;
    const ssize_t sent = send(d.to, d.pending.get() + d.off, d.len, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno != EAGAIN) Close(d);
      return;
    }
    d.off += static_cast<size_t>(sent);
    d.len -= static_cast<size_t>(sent);
    if (d.len == 0) Rearm(*d.pair);
  }

  void Close(Direction& d) {
    Pair& p = *d.pair;
    if (p.closed) return;
    p.closed = true;
    close(p.up.from);
    close(p.up.to);
    p.up.from = p.up.to = p.down.from = p.down.to = -1;
    for (auto it = pairs_.begin(); it != pairs_.end(); ++it) {
      if (it->get() == &p) {
        closed_.push_back(std::move(*it));
        pairs_.erase(it);
        break;
      }
    }
  }

  int epoll_;
  int listen_;
  int backend_port_;
  std::vector<std::unique_ptr<Pair>> pairs_;
  std::vector<std::unique_ptr<Pair>> closed_;
};

void Stop(int) { g_stop = 1; }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: tcp_forwarder LISTEN_PORT BACKEND_PORT\n");
    return 2;
  }
  std::signal(SIGINT, Stop);
  std::signal(SIGTERM, Stop);
  std::signal(SIGPIPE, SIG_IGN);
  Forwarder forwarder(Listen(std::atoi(argv[1])), std::atoi(argv[2]));
  forwarder.Run();
  return 0;
}
