// ErrorResponse ('E') and NoticeResponse ('N'): encoding the proxy's own
// errors for clients and decoding the fields of a server's errors for logs.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace switchyard::pg {

// SQLSTATE codes the proxy itself reports.
namespace sqlstate {
inline constexpr std::string_view kProtocolViolation = "08P01";
inline constexpr std::string_view kConnectionFailure = "08006";
inline constexpr std::string_view kConnectionException = "08000";
inline constexpr std::string_view kInvalidPassword = "28P01";
inline constexpr std::string_view kInvalidAuthorization = "28000";
inline constexpr std::string_view kTooManyConnections = "53300";
inline constexpr std::string_view kAdminShutdown = "57P01";
inline constexpr std::string_view kFeatureNotSupported = "0A000";
inline constexpr std::string_view kInternalError = "XX000";
inline constexpr std::string_view kInvalidDatabase = "3D000";
inline constexpr std::string_view kQueryCanceled = "57014";
inline constexpr std::string_view kSyntaxError = "42601";
inline constexpr std::string_view kReadOnlyTransaction = "25006";
}  // namespace sqlstate

struct ErrorFields {
  std::string severity = "ERROR";  // ERROR, FATAL, PANIC; WARNING, NOTICE, ... for notices
  std::string sqlstate;
  std::string message;
  std::string detail;
  std::string hint;
};

// Appends a complete 'E' (or 'N' when notice is true) message.
void AppendErrorResponse(std::string& out, const ErrorFields& fields, bool notice = false);
std::string EncodeErrorResponse(const ErrorFields& fields);

// Decodes the body of an 'E' or 'N' message; unknown field codes are skipped.
absl::StatusOr<ErrorFields> ParseErrorResponse(std::string_view body);

}  // namespace switchyard::pg
