// BackendPool's sharing between workers: a worker keeps its fair share of the
// pool while clients wait on another worker, and gives up only what it can
// spare (connections beyond its share, or idle for a while). And a pooled
// connection is checked before reuse once its server may have gone away.
#include "proxy/backend_pool.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>
#include <vector>

namespace switchyard::proxy {
namespace {

struct FakeBackend {
  explicit FakeBackend(const asio::any_io_executor& ex) : socket(ex) {}
  tcp::socket socket;
  std::chrono::steady_clock::time_point created = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_used = created;
  uint64_t id = 0;
  uint64_t incarnation = 0;
};

class FakePool : public BackendPool<FakeBackend> {
 public:
  using BackendPool::BackendPool;
  ~FakePool() override {
    for (int fd : server_ends) ::close(fd);
  }
  int connects = 0;
  std::vector<int> server_ends;  // the "server" side of each connection

 protected:
  Awaitable<absl::StatusOr<BackendPtr>> Connect(uint64_t id) override {
    ++connects;
    auto b = std::make_unique<FakeBackend>(co_await asio::this_coro::executor);
    b->id = id;
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    b->socket.assign(tcp::v4(), fds[0]);
    server_ends.push_back(fds[1]);
    co_return b;
  }
};

class BackendPoolTest : public ::testing::Test {
 protected:
  BackendPoolTest() {
    auto cfg = std::make_shared<config::Config>();
    cfg->workers = 2;
    shared_ = std::make_unique<SharedState>(
        cfg, std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>()));
    server_.label = "primary (test)";
    key_ = PoolKey{"app", "app", &server_, 0};
    pool_ = std::make_unique<FakePool>(io_.get_executor(), *shared_, key_, /*max_size=*/4,
                                       [this] { return ++ids_; });
  }

  // Checks out `n` connections (opening them: the pool starts empty).
  std::vector<FakePool::BackendPtr> AcquireN(int n) {
    std::vector<FakePool::BackendPtr> out;
    asio::co_spawn(io_, [&]() -> Awaitable<void> {
      for (int i = 0; i < n; ++i) {
        auto b = co_await pool_->Acquire();
        EXPECT_TRUE(b.ok()) << b.status();
        if (b.ok()) out.push_back(std::move(*b));
      }
    }, asio::detached);
    io_.run();
    io_.restart();
    return out;
  }

  int Open() { return pool_->shared().open.load(); }

  asio::io_context io_;
  std::unique_ptr<SharedState> shared_;
  ServerState server_;
  PoolKey key_;
  std::unique_ptr<FakePool> pool_;
  uint64_t ids_ = 0;
};

TEST_F(BackendPoolTest, ReleaseKeepsConnectionWhenNobodyWaits) {
  auto held = AcquireN(3);
  pool_->Release(std::move(held[0]));
  EXPECT_EQ(pool_->idle(), 1);
  EXPECT_EQ(Open(), 3);
}

TEST_F(BackendPoolTest, ReleaseGivesUpOnlyConnectionsBeyondFairShareWhileOthersWait) {
  auto held = AcquireN(3);  // fair share: 4 connections / 2 workers = 2
  pool_->shared().waiting.fetch_add(1);  // a client waits on the other worker
  pool_->Release(std::move(held[0]));
  EXPECT_EQ(Open(), 2) << "the third connection is beyond the share: closed for the waiter";
  EXPECT_EQ(pool_->idle(), 0);
  pool_->Release(std::move(held[1]));
  EXPECT_EQ(Open(), 2) << "within the share: kept for this worker's next client";
  EXPECT_EQ(pool_->idle(), 1);
  pool_->shared().waiting.fetch_sub(1);
}

TEST_F(BackendPoolTest, TrimGivesUpAnIdleConnectionOnlyOnceItIsSpare) {
  auto held = AcquireN(2);
  pool_->Release(std::move(held[0]));
  EXPECT_FALSE(pool_->TrimOneIdle()) << "just used and within the share: still needed here";
  EXPECT_EQ(pool_->idle(), 1);
  std::this_thread::sleep_for(kSpareAfter + std::chrono::milliseconds(20));
  EXPECT_TRUE(pool_->TrimOneIdle());
  EXPECT_EQ(pool_->idle(), 0);
  EXPECT_EQ(Open(), 1);
}

TEST_F(BackendPoolTest, TrimGivesUpAnyIdleConnectionBeyondFairShare) {
  auto held = AcquireN(3);
  pool_->Release(std::move(held[0]));
  EXPECT_TRUE(pool_->TrimOneIdle());
  EXPECT_EQ(Open(), 2);
}

TEST_F(BackendPoolTest, ReusesReleasedConnectionInsteadOfOpeningAnother) {
  auto held = AcquireN(1);
  pool_->Release(std::move(held[0]));
  auto again = AcquireN(1);
  EXPECT_EQ(pool_->connects, 1);
  EXPECT_EQ(Open(), 1);
}

// A server that shuts down sends its idle connections a FATAL and closes
// them; a restart within a second of the connection's last use must not hand
// that connection to the next client.
TEST_F(BackendPoolTest, RecentlyUsedConnectionIsCheckedOnceItsServerWentAway) {
  auto held = AcquireN(1);
  pool_->Release(std::move(held[0]));
  ASSERT_EQ(::write(pool_->server_ends[0], "E", 1), 1);  // the server's goodbye
  server_.incarnation.fetch_add(1);                       // the monitor saw it go
  auto again = AcquireN(1);
  EXPECT_EQ(pool_->connects, 2) << "the connection with the FATAL waiting was discarded";
  EXPECT_EQ(Open(), 1);
}

TEST_F(BackendPoolTest, RecentlyUsedConnectionOfAnUnchangedServerIsReusedWithoutCheck) {
  auto held = AcquireN(1);
  pool_->Release(std::move(held[0]));
  ASSERT_EQ(::write(pool_->server_ends[0], "E", 1), 1);  // not looked at: no system call
  auto again = AcquireN(1);
  EXPECT_EQ(pool_->connects, 1);
}

TEST_F(BackendPoolTest, SilentConnectionIsReusedAfterItsServerChangedRole) {
  auto held = AcquireN(1);
  pool_->Release(std::move(held[0]));
  server_.incarnation.fetch_add(1);
  auto again = AcquireN(1);
  EXPECT_EQ(pool_->connects, 1) << "checked, nothing waiting in it: still good";
}

}  // namespace
}  // namespace switchyard::proxy
