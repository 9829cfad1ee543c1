// Which server of a cluster serves a routing target: the primary, or a
// replica chosen by the cluster's balance policy among those not marked down.
// Shared by the client sessions of both protocols. Runs on a worker thread;
// reads only relaxed atomics of the cluster.
#pragma once

#include <cstdint>
#include <functional>

#include "proxy/shared_state.h"
#include "routing/route.h"

namespace switchyard::proxy {

ServerState* ChooseServer(ClusterState& cluster, routing::Target target,
                          const std::function<uint64_t()>& random);

}  // namespace switchyard::proxy
