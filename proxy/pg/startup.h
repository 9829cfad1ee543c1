// The startup-phase packets of PostgreSQL v3: StartupMessage, SSLRequest,
// GSSENCRequest and CancelRequest, decoded from the body that
// DecodeStartupFrame returns, and encoded for the proxy's own backend
// connections and cancel requests.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace switchyard::pg {

inline constexpr uint32_t kProtocolVersion3 = 196608;  // 3.0
inline constexpr uint32_t kSslRequestCode = 80877103;
inline constexpr uint32_t kGssEncRequestCode = 80877104;
inline constexpr uint32_t kCancelRequestCode = 80877102;

struct StartupMessage {
  uint32_t protocol_version = kProtocolVersion3;
  // In the order the client sent them; names are unique ("user" required).
  std::vector<std::pair<std::string, std::string>> parameters;
  const std::string* Find(std::string_view name) const;
};

struct CancelRequest {
  int32_t process_id = 0;
  int32_t secret_key = 0;
};

struct StartupPacket {
  enum class Kind { kStartup, kSslRequest, kGssEncRequest, kCancel };
  Kind kind = Kind::kStartup;
  StartupMessage startup;  // kStartup
  CancelRequest cancel;    // kCancel
};

// Decodes a startup-phase packet body (after the length word). Errors name
// what is wrong so the client can be told: unsupported protocol version,
// missing terminator, missing "user", duplicate parameter.
absl::StatusOr<StartupPacket> ParseStartupPacket(std::string_view body);

std::string EncodeStartupMessage(const StartupMessage& m);
std::string EncodeCancelRequest(const CancelRequest& c);

}  // namespace switchyard::pg
