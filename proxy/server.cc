#include "proxy/server.h"

#include <fmt/format.h>

#include <csignal>
#include <thread>

#include "proxy/asio.h"
#include "proxy/monitor.h"
#include "proxy/my_client.h"
#include "proxy/pg_client.h"
#include "proxy/shared_state.h"
#include "proxy/worker.h"

namespace switchyard::proxy {
namespace {

class Server {
 public:
  Server(std::shared_ptr<const config::Config> config, std::shared_ptr<spdlog::logger> log)
      : shared_(std::move(config), std::move(log)),
        monitor_(shared_),
        signals_(io_, SIGTERM, SIGINT, SIGHUP) {
    const int n = shared_.worker_count();
    for (int i = 0; i < n; ++i) {
      workers_.push_back(std::make_unique<Worker>(shared_, i, peers_));
      peers_.push_back(workers_.back().get());
    }
  }

  absl::Status Run() {
    absl::Status s = BindListeners();
    if (!s.ok()) return s;
    for (auto& w : workers_) w->Start();
    monitor_.Start();
    asio::co_spawn(io_, WatchSignals(), asio::detached);
    shared_.log().info("switchyard running with {} worker threads", workers_.size());
    io_.run();
    for (auto& w : workers_) w->Stop();
    for (auto& w : workers_) w->Join();
    monitor_.Stop();
    shared_.log().info("switchyard stopped");
    return absl::OkStatus();
  }

 private:
  absl::Status BindListeners() {
    for (const config::Listener& l : shared_.config().listeners) {
      boost::system::error_code ec;
      auto address = asio::ip::make_address(l.address, ec);
      if (ec) return absl::InvalidArgumentError(fmt::format("listener {}: bad address {}", l.name, l.address));
      auto acc = std::make_unique<tcp::acceptor>(io_);
      tcp::endpoint ep(address, l.port);
      acc->open(ep.protocol(), ec);
      if (!ec) acc->set_option(tcp::acceptor::reuse_address(true), ec);
      if (!ec) acc->bind(ep, ec);
      if (!ec) acc->listen(asio::socket_base::max_listen_connections, ec);
      if (ec) {
        return absl::UnavailableError(
            fmt::format("listener {}: cannot listen on {}:{}: {}", l.name, l.address, l.port,
                        ec.message()));
      }
      ListenerContext ctx{&l, shared_.cluster(l.cluster)};
      shared_.log().info("listening for {} clients on {}:{} (cluster {})",
                         l.protocol == config::Protocol::kMySql ? "MySQL" : "PostgreSQL",
                         l.address, l.port, l.cluster);
      asio::co_spawn(io_, AcceptLoop(*acc, ctx), asio::detached);
      acceptors_.push_back(std::move(acc));
    }
    return absl::OkStatus();
  }

  Awaitable<void> AcceptLoop(tcp::acceptor& acc, ListenerContext ctx) {
    size_t next = 0;
    while (true) {
      Worker& w = *workers_[next++ % workers_.size()];
      boost::system::error_code ec;
      tcp::socket socket = co_await acc.async_accept(w.io(), asio::redirect_error(kUseAwaitable, ec));
      if (ec) {
        if (ec == asio::error::operation_aborted || !acc.is_open()) co_return;
        shared_.log().warn("accept failed: {}", ec.message());
        continue;
      }
      if (ctx.listener->protocol == config::Protocol::kMySql) {
        auto session = std::make_shared<MyClientSession>(w, std::move(socket), ctx.listener,
                                                         ctx.cluster, ++client_ids_);
        session->Start();
        continue;
      }
      auto session = std::make_shared<PgClientSession>(w, std::move(socket), ctx, ++client_ids_);
      session->Start();
    }
  }

  Awaitable<void> WatchSignals() {
    while (true) {
      boost::system::error_code ec;
      int sig = co_await signals_.async_wait(asio::redirect_error(kUseAwaitable, ec));
      if (ec) co_return;
      if (sig == SIGHUP) {
        shared_.log().warn("SIGHUP: configuration reload is not supported yet; ignored");
        continue;
      }
      const bool drain = sig == SIGTERM;
      shared_.log().info("{}: {}", drain ? "SIGTERM" : "SIGINT",
                         drain ? "draining (no new clients; open transactions may finish)"
                               : "stopping now");
      co_await Stop(drain);
      io_.stop();
      co_return;
    }
  }

  Awaitable<void> Stop(bool drain) {
    shared_.draining = true;
    for (auto& a : acceptors_) {
      boost::system::error_code ignored;
      a->close(ignored);
    }
    for (Worker* w : peers_) w->Post([w, drain] { w->ShutdownSessions(!drain); });
    const auto timeout = std::chrono::milliseconds(drain ? shared_.config().shutdown_timeout_ms : 1000);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    asio::steady_timer timer(io_);
    while (Sessions() > 0 && std::chrono::steady_clock::now() < deadline) {
      timer.expires_after(std::chrono::milliseconds(50));
      co_await timer.async_wait(kUseAwaitable);
    }
    if (Sessions() > 0) {
      shared_.log().warn("{} clients still connected at the shutdown timeout; closing them",
                         Sessions());
      for (Worker* w : peers_) w->Post([w] { w->ShutdownSessions(true); });
      timer.expires_after(std::chrono::milliseconds(200));
      co_await timer.async_wait(kUseAwaitable);
    }
  }

  int Sessions() const {
    int n = 0;
    for (const Worker* w : peers_) n += w->session_count();
    return n;
  }

  // Declaration order is destruction order in reverse: io_ (whose pending
  // accepts hold sockets of the workers' io_contexts) must go before workers_.
  SharedState shared_;
  Monitor monitor_;
  std::vector<Worker*> peers_;
  std::vector<std::unique_ptr<Worker>> workers_;
  asio::io_context io_;
  asio::signal_set signals_;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors_;
  uint64_t client_ids_ = 0;
};

}  // namespace

absl::Status RunServer(std::shared_ptr<const config::Config> config,
                       std::shared_ptr<spdlog::logger> log) {
  Server server(std::move(config), std::move(log));
  return server.Run();
}

}  // namespace switchyard::proxy
