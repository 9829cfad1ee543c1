// Which server of a cluster serves a routing target: the current primary (as
// the servers report their roles; refused when two claim it), or a replica
// chosen by the cluster's balance policy among those fresh enough for the
// read. Shared by the client sessions of both protocols. Runs on a worker
// thread; reads only relaxed atomics of the cluster.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proxy/asio.h"
#include "proxy/shared_state.h"
#include "routing/freshness.h"
#include "routing/route.h"

namespace switchyard::proxy {

// Error only for a primary target when two servers claim to be primary.
// A read with no replica fit for it goes to the primary (counted in
// ClusterState::primary_fallback_reads), except that reads refused only for
// lag may go to the least stale replica once the primary already serves
// `freshness.max_primary_read_percent` of reads.
absl::StatusOr<ServerState*> ChooseServer(ClusterState& cluster, routing::Target target,
                                          const routing::ReadRequirement& need,
                                          const std::function<uint64_t()>& random);

// Without freshness requirements; a refused write target yields the
// configured primary (whose writes the servers themselves will check).
ServerState* ChooseServer(ClusterState& cluster, routing::Target target,
                          const std::function<uint64_t()>& random);

// A connection checked out for a session, from the pool of `server`.
template <typename Pool>
struct Checkout {
  absl::StatusOr<typename Pool::BackendPtr> backend;
  Pool* pool = nullptr;
  ServerState* server = nullptr;
};

// A session's log tag, given as text or as a callable that makes it (so the
// common case, which logs nothing, formats nothing).
template <typename Tag>
std::string TagText(const Tag& tag) {
  if constexpr (std::is_invocable_v<const Tag&>) {
    return tag();
  } else {
    return std::string(tag);
  }
}

// Checks a connection to `server` out of `pool_for(*server)`. A replica that
// cannot be reached is avoided for a while and the current primary serves
// instead, invisibly to the client. Shared by both protocols' sessions.
template <typename PoolFor, typename Tag>
auto CheckoutWithFallback(ClusterState& cluster, ServerState* server, PoolFor pool_for,
                          spdlog::logger& log, Tag tag)
    -> Awaitable<Checkout<std::remove_reference_t<decltype(pool_for(*server))>>> {
  Checkout<std::remove_reference_t<decltype(pool_for(*server))>> out;
  out.server = server;
  out.pool = &pool_for(*server);
  out.backend = co_await out.pool->Acquire();
  if (!out.backend.ok() && !server->ActsAsPrimary() &&
      !absl::IsResourceExhausted(out.backend.status())) {
    server->down_until_ms.store(SteadyNowMs() + 5000, std::memory_order_relaxed);
    log.warn("{} replica unavailable, reading from the primary: {}", TagText(tag),
             out.backend.status().message());
    auto primary = cluster.CurrentPrimary();
    out.server = primary.ok() ? *primary : cluster.primary.get();
    out.pool = &pool_for(*out.server);
    out.backend = co_await out.pool->Acquire();
  }
  if (!out.backend.ok()) {
    log.warn("{} no backend: {}", TagText(tag), out.backend.status().message());
  }
  co_return out;
}

}  // namespace switchyard::proxy
