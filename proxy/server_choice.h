// Which server of a cluster serves a routing target: the current primary (as
// the servers report their roles; refused when two claim it), or a replica
// chosen by the cluster's balance policy among those fresh enough for the
// read. Shared by the client sessions of both protocols. Runs on a worker
// thread; reads only relaxed atomics of the cluster.
#pragma once

#include <cstdint>
#include <functional>

#include "absl/status/statusor.h"
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

}  // namespace switchyard::proxy
