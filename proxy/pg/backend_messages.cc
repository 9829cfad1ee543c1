#include "proxy/pg/backend_messages.h"

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

void AppendAuth(std::string& out, AuthCode code, std::string_view payload) {
  const size_t begin = BeginFrame(out, 'R');
  common::ByteWriter w(out);
  w.I32Be(static_cast<int32_t>(code));
  w.Bytes(payload);
  FinishFrame(out, begin);
}

}  // namespace

absl::StatusOr<AuthRequest> ParseAuthRequest(std::string_view body) {
  common::ByteReader r(body);
  auto code = r.I32Be();
  if (!code) return Malformed("authentication");
  AuthRequest req;
  req.code = static_cast<AuthCode>(*code);
  switch (req.code) {
    case AuthCode::kOk:
    case AuthCode::kCleartextPassword:
      break;
    case AuthCode::kMd5Password: {
      auto salt = r.Bytes(4);
      if (!salt) return Malformed("md5 authentication");
      for (int i = 0; i < 4; ++i) req.md5_salt[i] = static_cast<uint8_t>((*salt)[i]);
      break;
    }
    case AuthCode::kSasl:
      while (true) {
        auto mech = r.CString();
        if (!mech) return Malformed("SASL authentication");
        if (mech->empty()) break;
        req.mechanisms.emplace_back(*mech);
      }
      break;
    case AuthCode::kSaslContinue:
    case AuthCode::kSaslFinal:
      req.data = std::string(r.rest());
      break;
    default:
      return absl::UnimplementedError(
          fmt::format("server requested unsupported authentication method {}", *code));
  }
  return req;
}

void AppendAuthOk(std::string& out) { AppendAuth(out, AuthCode::kOk, {}); }

void AppendAuthMd5(std::string& out, const std::array<uint8_t, 4>& salt) {
  AppendAuth(out, AuthCode::kMd5Password,
             std::string_view(reinterpret_cast<const char*>(salt.data()), salt.size()));
}

void AppendAuthSasl(std::string& out, const std::vector<std::string>& mechanisms) {
  std::string payload;
  common::ByteWriter w(payload);
  for (const auto& m : mechanisms) w.CString(m);
  w.U8(0);
  AppendAuth(out, AuthCode::kSasl, payload);
}

void AppendAuthSaslContinue(std::string& out, std::string_view data) {
  AppendAuth(out, AuthCode::kSaslContinue, data);
}

void AppendAuthSaslFinal(std::string& out, std::string_view data) {
  AppendAuth(out, AuthCode::kSaslFinal, data);
}

absl::StatusOr<ParameterStatus> ParseParameterStatus(std::string_view body) {
  common::ByteReader r(body);
  auto name = r.CString();
  auto value = r.CString();
  if (!name || !value || !r.empty()) return Malformed("ParameterStatus");
  return ParameterStatus{std::string(*name), std::string(*value)};
}

void AppendParameterStatus(std::string& out, std::string_view name, std::string_view value) {
  const size_t begin = BeginFrame(out, 'S');
  common::ByteWriter w(out);
  w.CString(name);
  w.CString(value);
  FinishFrame(out, begin);
}

absl::StatusOr<BackendKeyData> ParseBackendKeyData(std::string_view body) {
  common::ByteReader r(body);
  auto pid = r.I32Be();
  auto key = r.I32Be();
  if (!pid || !key || !r.empty()) return Malformed("BackendKeyData");
  return BackendKeyData{*pid, *key};
}

void AppendBackendKeyData(std::string& out, const BackendKeyData& key) {
  const size_t begin = BeginFrame(out, 'K');
  common::ByteWriter w(out);
  w.I32Be(key.process_id);
  w.I32Be(key.secret_key);
  FinishFrame(out, begin);
}

absl::StatusOr<char> ParseReadyForQuery(std::string_view body) {
  if (body.size() != 1 || (body[0] != 'I' && body[0] != 'T' && body[0] != 'E')) {
    return Malformed("ReadyForQuery");
  }
  return body[0];
}

void AppendReadyForQuery(std::string& out, char status) {
  AppendFrame(out, 'Z', std::string_view(&status, 1));
}

void AppendTextRowDescription(std::string& out, const std::vector<std::string>& columns) {
  constexpr uint32_t kTextOid = 25;
  const size_t begin = BeginFrame(out, 'T');
  common::ByteWriter w(out);
  w.I16Be(static_cast<int16_t>(columns.size()));
  for (const std::string& c : columns) {
    w.CString(c);
    w.U32Be(0);   // table oid
    w.I16Be(0);   // column number
    w.U32Be(kTextOid);
    w.I16Be(-1);  // variable length
    w.I32Be(-1);  // no type modifier
    w.I16Be(0);   // text format
  }
  FinishFrame(out, begin);
}

void AppendDataRow(std::string& out, const std::vector<std::string>& values) {
  const size_t begin = BeginFrame(out, 'D');
  common::ByteWriter w(out);
  w.I16Be(static_cast<int16_t>(values.size()));
  for (const std::string& v : values) {
    w.I32Be(static_cast<int32_t>(v.size()));
    w.Bytes(v);
  }
  FinishFrame(out, begin);
}

std::optional<std::string_view> ParseDataRowFirstColumn(std::string_view body) {
  common::ByteReader r(body);
  auto count = r.I16Be();
  auto length = r.I32Be();
  if (!count || *count < 1 || !length || *length < 0) return std::nullopt;
  return r.Bytes(static_cast<size_t>(*length));
}

bool HoldsStatementEnd(std::string_view bytes) {
  constexpr uint32_t kAnyLength = 0xFFFFFFFFu - 4;
  while (!bytes.empty()) {
    const HeaderResult h = DecodeHeader(bytes, kAnyLength);
    if (h.status == DecodeStatus::kError) return true;
    if (h.status == DecodeStatus::kNeedMore) return false;
    switch (h.type) {
      case 'C': case 'I': case 'E': case 'Z': case 'G': case 'H': case 'W':
        return true;
      default:
        break;
    }
    const size_t total = size_t{h.body_length} + kHeaderSize;
    if (bytes.size() < total) return false;
    bytes.remove_prefix(total);
  }
  return false;
}

void AppendParseComplete(std::string& out) { AppendFrame(out, '1', {}); }
void AppendCloseComplete(std::string& out) { AppendFrame(out, '3', {}); }

void AppendCommandComplete(std::string& out, std::string_view tag) {
  const size_t begin = BeginFrame(out, 'C');
  common::ByteWriter(out).CString(tag);
  FinishFrame(out, begin);
}

}  // namespace switchyard::pg
