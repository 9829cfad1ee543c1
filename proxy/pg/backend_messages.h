// Messages a PostgreSQL server sends (the proxy both relays them to clients and
// produces its own): authentication requests, ParameterStatus, BackendKeyData,
// ReadyForQuery and the small completion messages of the extended protocol.
// Encoders append a whole message to `out`; decoders take a message body.
#pragma once

#include <array>
#include <optional>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace switchyard::pg {

// Authentication request codes ('R' messages).
enum class AuthCode : int32_t {
  kOk = 0,
  kCleartextPassword = 3,
  kMd5Password = 5,
  kSasl = 10,
  kSaslContinue = 11,
  kSaslFinal = 12,
};

struct AuthRequest {
  AuthCode code = AuthCode::kOk;
  std::array<uint8_t, 4> md5_salt{};     // kMd5Password
  std::vector<std::string> mechanisms;   // kSasl
  std::string data;                      // kSaslContinue / kSaslFinal
};

absl::StatusOr<AuthRequest> ParseAuthRequest(std::string_view body);
void AppendAuthOk(std::string& out);
void AppendAuthMd5(std::string& out, const std::array<uint8_t, 4>& salt);
void AppendAuthSasl(std::string& out, const std::vector<std::string>& mechanisms);
void AppendAuthSaslContinue(std::string& out, std::string_view data);
void AppendAuthSaslFinal(std::string& out, std::string_view data);

struct ParameterStatus {
  std::string name;
  std::string value;
};
absl::StatusOr<ParameterStatus> ParseParameterStatus(std::string_view body);
void AppendParameterStatus(std::string& out, std::string_view name, std::string_view value);

struct BackendKeyData {
  int32_t process_id = 0;
  int32_t secret_key = 0;
};
absl::StatusOr<BackendKeyData> ParseBackendKeyData(std::string_view body);
void AppendBackendKeyData(std::string& out, const BackendKeyData& key);

// Transaction status of ReadyForQuery: 'I' idle, 'T' in a transaction block,
// 'E' in a failed transaction block.
absl::StatusOr<char> ParseReadyForQuery(std::string_view body);
void AppendReadyForQuery(std::string& out, char status);

// A result set of text columns, for the proxy's own answers
// (SHOW SWITCHYARD SERVERS): RowDescription, then one DataRow per row.
void AppendTextRowDescription(std::string& out, const std::vector<std::string>& columns);
void AppendDataRow(std::string& out, const std::vector<std::string>& values);
// The first column of a DataRow body; nullopt for NULL or a malformed row.
std::optional<std::string_view> ParseDataRowFirstColumn(std::string_view body);

// Whether server bytes (whole messages from the start of an answer, maybe cut
// at the end) hold a message that ends or fails a statement or hands the
// connection to COPY: CommandComplete, EmptyQueryResponse, ErrorResponse,
// ReadyForQuery, Copy{In,Out,Both}Response. Until one arrives, an answer can
// still be thrown away and the statement run elsewhere (see the relay's
// hold-back of replica reads). Malformed bytes count as an end (process now).
bool HoldsStatementEnd(std::string_view bytes);

// Bodiless completion messages.
void AppendParseComplete(std::string& out);  // '1'
void AppendCloseComplete(std::string& out);  // '3'
void AppendCommandComplete(std::string& out, std::string_view tag);

}  // namespace switchyard::pg
