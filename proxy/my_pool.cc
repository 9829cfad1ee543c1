#include "proxy/my_pool.h"

namespace switchyard::proxy {

uint64_t MyPoolVariant(mysql::Capabilities negotiated, uint8_t character_set) {
  return (mysql::PoolCompatibilityKey(negotiated) & 0xFFFFFFFFull) |
         (uint64_t{character_set} << 32);
}

MyPool::MyPool(asio::any_io_executor ex, SharedState& shared, PoolKey key,
               MyCredentials credentials, int max_size, std::function<uint64_t()> next_id)
    : BackendPool<MyBackend>(std::move(ex), shared, std::move(key), max_size, std::move(next_id)),
      credentials_(std::move(credentials)) {}

Awaitable<absl::StatusOr<std::unique_ptr<MyBackend>>> MyPool::Connect(uint64_t id) {
  const auto timeout = std::chrono::milliseconds(shared_state().config().connect_timeout_ms);
  co_return co_await ConnectMyBackend(*const_cast<ServerState*>(key().server), credentials_,
                                      timeout, id);
}

void MyPool::OnOpened(MyBackend& b) {
  shared_state().log().debug("opened backend b{} to {} for user={} db={} connection id {}",
                             b.id, key().server->label, key().user, key().database,
                             b.connection_id);
}

}  // namespace switchyard::proxy
