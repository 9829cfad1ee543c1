// The YAML spelling of each configuration enum, shared by the loader (text →
// value) and ToString (value → text) so the two cannot drift apart.
#pragma once

#include <string_view>
#include <utility>

#include "config/config.h"

namespace switchyard::config {

template <typename E>
using EnumName = std::pair<std::string_view, E>;

inline constexpr EnumName<Protocol> kProtocolNames[] = {
    {"postgres", Protocol::kPostgres},
    {"mysql", Protocol::kMySql},
};
inline constexpr EnumName<PoolMode> kPoolModeNames[] = {
    {"transaction", PoolMode::kTransaction},
    {"session", PoolMode::kSession},
};
inline constexpr EnumName<AuthMethod> kAuthMethodNames[] = {
    {"scram-sha-256", AuthMethod::kScramSha256},
    {"md5", AuthMethod::kMd5},
    {"trust", AuthMethod::kTrust},
    {"mysql_native_password", AuthMethod::kMySqlNativePassword},
    {"caching_sha2_password", AuthMethod::kCachingSha2Password},
};
inline constexpr EnumName<BalancePolicy> kBalancePolicyNames[] = {
    {"least_outstanding", BalancePolicy::kLeastOutstanding},
    {"round_robin", BalancePolicy::kRoundRobin},
    {"weighted", BalancePolicy::kWeighted},
};
// spdlog level names.
inline constexpr EnumName<int> kLogLevelNames[] = {
    {"trace", 0}, {"debug", 1}, {"info", 2}, {"warn", 3}, {"error", 4}, {"critical", 5}, {"off", 6},
};

}  // namespace switchyard::config
