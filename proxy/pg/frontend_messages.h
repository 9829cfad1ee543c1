// Messages a PostgreSQL client sends: the simple query, the extended-protocol
// family (Parse, Bind, Describe, Execute, Close, Sync, Flush), Terminate and
// the password/SASL responses of authentication.
//
// The proxy rewrites statement names in Parse/Bind/Describe/Close (prepared
// statements under transaction pooling get server-side names), so each of
// these has a decoder that returns views into the body and an encoder that
// writes the message with another name. Decoders never read past the body.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace switchyard::pg {

// 'Q': the query text.
absl::StatusOr<std::string_view> ParseQuery(std::string_view body);
void AppendQuery(std::string& out, std::string_view sql);

// 'P': name, query, then the parameter type section kept as raw bytes.
struct ParseMessage {
  std::string_view statement;
  std::string_view query;
  std::string_view parameter_types;  // Int16 count + Int32 OIDs, raw
};
absl::StatusOr<ParseMessage> ParseParse(std::string_view body);
void AppendParse(std::string& out, std::string_view statement, std::string_view query,
                 std::string_view parameter_types);

// 'B': only the names are decoded; the rest (formats, values) is kept raw.
struct BindMessage {
  std::string_view portal;
  std::string_view statement;
  std::string_view rest;
};
absl::StatusOr<BindMessage> ParseBind(std::string_view body);
void AppendBind(std::string& out, std::string_view portal, std::string_view statement,
                std::string_view rest);

// 'D' (Describe) and 'C' (Close): 'S' for a statement or 'P' for a portal.
struct TargetMessage {
  char target = 'S';
  std::string_view name;
};
absl::StatusOr<TargetMessage> ParseTargetMessage(std::string_view body);
void AppendTargetMessage(std::string& out, char type, char target, std::string_view name);

// 'E' (Execute): portal name and row limit.
struct ExecuteMessage {
  std::string_view portal;
  int32_t max_rows = 0;
};
absl::StatusOr<ExecuteMessage> ParseExecute(std::string_view body);

void AppendSync(std::string& out);
void AppendTerminate(std::string& out);

// 'p' during authentication: PasswordMessage, SASLInitialResponse or
// SASLResponse, depending on what the server asked for.
absl::StatusOr<std::string_view> ParsePasswordMessage(std::string_view body);
void AppendPasswordMessage(std::string& out, std::string_view password);

struct SaslInitialResponse {
  std::string_view mechanism;
  std::string_view data;
};
absl::StatusOr<SaslInitialResponse> ParseSaslInitialResponse(std::string_view body);
void AppendSaslInitialResponse(std::string& out, std::string_view mechanism,
                               std::string_view data);
void AppendSaslResponse(std::string& out, std::string_view data);

}  // namespace switchyard::pg
