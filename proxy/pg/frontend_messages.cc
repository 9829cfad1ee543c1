#include "proxy/pg/frontend_messages.h"

#include "absl/status/status.h"
#include <fmt/format.h>
#include "common/byte_reader.h"
#include "common/byte_writer.h"
#include "proxy/pg/frame.h"

namespace switchyard::pg {
namespace {

absl::Status Malformed(std::string_view what) {
  return absl::InvalidArgumentError(fmt::format("malformed {} message", what));
}

// Walks the format codes, parameter values and result formats of a Bind so a
// cut or padded message is caught here rather than forwarded.
bool SkipBindSections(common::ByteReader& r) {
  auto formats = r.I16Be();
  if (!formats || *formats < 0 || !r.Skip(static_cast<size_t>(*formats) * 2)) return false;
  auto params = r.I16Be();
  if (!params || *params < 0) return false;
  for (int i = 0; i < *params; ++i) {
    auto len = r.I32Be();
    if (!len || *len < -1) return false;
    if (*len > 0 && !r.Skip(static_cast<size_t>(*len))) return false;
  }
  auto results = r.I16Be();
  if (!results || *results < 0 || !r.Skip(static_cast<size_t>(*results) * 2)) return false;
  return r.empty();
}

}  // namespace

absl::StatusOr<std::string_view> ParseQuery(std::string_view body) {
  common::ByteReader r(body);
  auto sql = r.CString();
  if (!sql || !r.empty()) return Malformed("Query");
  return *sql;
}

void AppendQuery(std::string& out, std::string_view sql) {
  const size_t begin = BeginFrame(out, 'Q');
  common::ByteWriter(out).CString(sql);
  FinishFrame(out, begin);
}

absl::StatusOr<ParseMessage> ParseParse(std::string_view body) {
  common::ByteReader r(body);
  auto name = r.CString();
  auto query = r.CString();
  if (!name || !query) return Malformed("Parse");
  common::ByteReader types(r.rest());
  auto count = types.I16Be();
  if (!count || *count < 0 || types.remaining() != static_cast<size_t>(*count) * 4) {
    return Malformed("Parse");
  }
  return ParseMessage{*name, *query, r.rest()};
}

void AppendParse(std::string& out, std::string_view statement, std::string_view query,
                 std::string_view parameter_types) {
  const size_t begin = BeginFrame(out, 'P');
  common::ByteWriter w(out);
  w.CString(statement);
  w.CString(query);
  if (parameter_types.empty()) {
    w.I16Be(0);
  } else {
    w.Bytes(parameter_types);
  }
  FinishFrame(out, begin);
}

absl::StatusOr<BindMessage> ParseBind(std::string_view body) {
  common::ByteReader r(body);
  auto portal = r.CString();
  auto statement = r.CString();
  if (!portal || !statement) return Malformed("Bind");
  const std::string_view rest = r.rest();
  if (!SkipBindSections(r)) return Malformed("Bind");
  return BindMessage{*portal, *statement, rest};
}

void AppendBind(std::string& out, std::string_view portal, std::string_view statement,
                std::string_view rest) {
  const size_t begin = BeginFrame(out, 'B');
  common::ByteWriter w(out);
  w.CString(portal);
  w.CString(statement);
  w.Bytes(rest);
  FinishFrame(out, begin);
}

absl::StatusOr<TargetMessage> ParseTargetMessage(std::string_view body) {
  common::ByteReader r(body);
  auto target = r.U8();
  auto name = r.CString();
  if (!target || !name || !r.empty() || (*target != 'S' && *target != 'P')) {
    return Malformed("Describe/Close");
  }
  return TargetMessage{static_cast<char>(*target), *name};
}

void AppendTargetMessage(std::string& out, char type, char target, std::string_view name) {
  const size_t begin = BeginFrame(out, type);
  common::ByteWriter w(out);
  w.U8(static_cast<uint8_t>(target));
  w.CString(name);
  FinishFrame(out, begin);
}

absl::StatusOr<ExecuteMessage> ParseExecute(std::string_view body) {
  common::ByteReader r(body);
  auto portal = r.CString();
  auto rows = r.I32Be();
  if (!portal || !rows || !r.empty()) return Malformed("Execute");
  return ExecuteMessage{*portal, *rows};
}

void AppendSync(std::string& out) { AppendFrame(out, 'S', {}); }
void AppendTerminate(std::string& out) { AppendFrame(out, 'X', {}); }

absl::StatusOr<std::string_view> ParsePasswordMessage(std::string_view body) {
  common::ByteReader r(body);
  auto password = r.CString();
  if (!password || !r.empty()) return Malformed("password");
  return *password;
}

void AppendPasswordMessage(std::string& out, std::string_view password) {
  const size_t begin = BeginFrame(out, 'p');
  common::ByteWriter(out).CString(password);
  FinishFrame(out, begin);
}

absl::StatusOr<SaslInitialResponse> ParseSaslInitialResponse(std::string_view body) {
  common::ByteReader r(body);
  auto mechanism = r.CString();
  auto length = r.I32Be();
  if (!mechanism || !length) return Malformed("SASLInitialResponse");
  if (*length == -1) {
    if (!r.empty()) return Malformed("SASLInitialResponse");
    return SaslInitialResponse{*mechanism, {}};
  }
  if (*length < 0 || r.remaining() != static_cast<size_t>(*length)) {
    return Malformed("SASLInitialResponse");
  }
  return SaslInitialResponse{*mechanism, r.rest()};
}

void AppendSaslInitialResponse(std::string& out, std::string_view mechanism,
                               std::string_view data) {
  const size_t begin = BeginFrame(out, 'p');
  common::ByteWriter w(out);
  w.CString(mechanism);
  w.I32Be(static_cast<int32_t>(data.size()));
  w.Bytes(data);
  FinishFrame(out, begin);
}

void AppendSaslResponse(std::string& out, std::string_view data) {
  AppendFrame(out, 'p', data);
}

}  // namespace switchyard::pg
