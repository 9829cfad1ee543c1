// A worker's pool of PostgreSQL backend connections for one (user, database,
// server): the shared pooling logic of BackendPool (proxy/backend_pool.h)
// plus how to open a PostgreSQL connection, and the parameter values a fresh
// connection reports (the defaults a client's session starts from).
//
// Thread-safety: all methods run on the owning worker's thread.
#pragma once

#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "proxy/asio.h"
#include "proxy/backend_pool.h"
#include "proxy/pg_backend.h"
#include "proxy/shared_state.h"

namespace switchyard::proxy {

class PgPool : public BackendPool<PgBackend> {
 public:
  PgPool(asio::any_io_executor ex, SharedState& shared, PoolKey key,
         BackendCredentials credentials, int max_size, std::function<uint64_t()> next_id);

  // Parameter values a fresh backend of this pool reports (server_version, ...).
  const pg::ParameterMap& defaults() const { return defaults_; }
  const pg::ParameterMap& default_names() const { return default_names_; }
  // The login parameters of the last client of this pool, shared with the
  // next client whose parameters are the same (pg::SessionParameters::Intern).
  pg::SessionParameters& last_login_parameters() { return last_login_; }

 protected:
  Awaitable<absl::StatusOr<std::unique_ptr<PgBackend>>> Connect(uint64_t id) override;
  void OnOpened(PgBackend& backend) override;

 private:
  BackendCredentials credentials_;
  pg::ParameterMap defaults_;
  pg::ParameterMap default_names_;
  pg::SessionParameters last_login_;
};

}  // namespace switchyard::proxy
