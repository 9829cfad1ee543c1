// A worker's pool of MySQL/MariaDB backend connections for one (user,
// database, server, capability variant): the shared pooling logic of
// BackendPool (proxy/backend_pool.h) plus how to open a MySQL connection.
//
// The pool key's variant holds the response-shaping capabilities and the
// character set the connections are opened with (MyPoolVariant), because a
// backend connection can only serve clients that negotiated the same.
//
// Thread-safety: all methods run on the owning worker's thread.
#pragma once

#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "proxy/asio.h"
#include "proxy/backend_pool.h"
#include "proxy/my_backend.h"
#include "proxy/shared_state.h"

namespace switchyard::proxy {

// PoolKey::variant for a client with these negotiated capabilities and
// handshake character set.
uint64_t MyPoolVariant(mysql::Capabilities negotiated, uint8_t character_set);

class MyPool : public BackendPool<MyBackend> {
 public:
  MyPool(asio::any_io_executor ex, SharedState& shared, PoolKey key, MyCredentials credentials,
         int max_size, std::function<uint64_t()> next_id);

 protected:
  Awaitable<absl::StatusOr<std::unique_ptr<MyBackend>>> Connect(uint64_t id) override;
  void OnOpened(MyBackend& backend) override;

 private:
  MyCredentials credentials_;
};

}  // namespace switchyard::proxy
