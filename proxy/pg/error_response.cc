#include "proxy/pg/error_response.h"

#include "absl/status/status.h"
#include "common/byte_reader.h"
#include "common/byte_writer.h"
#include "proxy/pg/frame.h"

namespace switchyard::pg {

void AppendErrorResponse(std::string& out, const ErrorFields& f, bool notice) {
  const size_t begin = BeginFrame(out, notice ? 'N' : 'E');
  common::ByteWriter w(out);
  auto field = [&w](char code, std::string_view value) {
    if (value.empty()) return;
    w.U8(static_cast<uint8_t>(code));
    w.CString(value);
  };
  field('S', f.severity);
  field('V', f.severity);  // non-localized severity (protocol 3.0, PG ≥ 9.6)
  field('C', f.sqlstate);
  field('M', f.message);
  field('D', f.detail);
  field('H', f.hint);
  w.U8(0);
  FinishFrame(out, begin);
}

std::string EncodeErrorResponse(const ErrorFields& fields) {
  std::string out;
  AppendErrorResponse(out, fields);
  return out;
}

absl::StatusOr<ErrorFields> ParseErrorResponse(std::string_view body) {
  common::ByteReader r(body);
  ErrorFields f;
  f.severity.clear();
  while (true) {
    auto code = r.U8();
    if (!code) return absl::InvalidArgumentError("error response is missing its terminator");
    if (*code == 0) break;
    auto value = r.CString();
    if (!value) return absl::InvalidArgumentError("error response field is not terminated");
    switch (*code) {
      case 'V': f.severity = std::string(*value); break;
      case 'S': if (f.severity.empty()) f.severity = std::string(*value); break;
      case 'C': f.sqlstate = std::string(*value); break;
      case 'M': f.message = std::string(*value); break;
      case 'D': f.detail = std::string(*value); break;
      case 'H': f.hint = std::string(*value); break;
      default: break;
    }
  }
  return f;
}

}  // namespace switchyard::pg
