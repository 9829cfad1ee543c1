#include "proxy/pg_pool.h"

namespace switchyard::proxy {

PgPool::PgPool(asio::any_io_executor ex, SharedState& shared, PoolKey key,
               BackendCredentials credentials, int max_size, std::function<uint64_t()> next_id)
    : BackendPool<PgBackend>(std::move(ex), shared, std::move(key), max_size, std::move(next_id)),
      credentials_(std::move(credentials)) {}

Awaitable<absl::StatusOr<std::unique_ptr<PgBackend>>> PgPool::Connect(uint64_t id) {
  const auto timeout = std::chrono::milliseconds(shared_state().config().connect_timeout_ms);
  co_return co_await ConnectPgBackend(*const_cast<ServerState*>(key().server), credentials_,
                                      timeout, id);
}

void PgPool::OnOpened(PgBackend& b) {
  if (defaults_.empty()) {
    defaults_ = b.params;
    default_names_ = b.reported_names;
  }
  shared_state().log().debug("opened backend b{} to {} for user={} db={} pid={}", b.id,
                             key().server->label, key().user, key().database, b.process_id);
}

}  // namespace switchyard::proxy
