#include "proxy/mysql/result_set.h"

#include "common/byte_writer.h"
#include "proxy/mysql/ok_err.h"
#include "proxy/mysql/packet.h"

namespace switchyard::mysql {
namespace {

constexpr uint16_t kUtf8mb4GeneralCi = 45;
constexpr uint8_t kTypeVarString = 0xfd;

}  // namespace

std::string EncodeTextColumnDefinition(std::string_view name) {
  std::string out;
  common::ByteWriter w(out);
  w.LenEncString("def");
  w.LenEncString("");  // schema
  w.LenEncString("");  // table
  w.LenEncString("");  // original table
  w.LenEncString(name);
  w.LenEncString(name);  // original name
  w.LenEncInt(0x0c);     // length of the fixed-length fields
  w.U16Le(kUtf8mb4GeneralCi);
  w.U32Le(1024);  // column length
  w.U8(kTypeVarString);
  w.U16Le(0);  // flags
  w.U8(0);     // decimals
  w.U16Le(0);  // filler
  return out;
}

uint8_t AppendTextResultSet(const std::vector<std::string>& columns,
                            const std::vector<std::vector<std::string>>& rows,
                            Capabilities capabilities, StatusFlags status,
                            uint8_t first_sequence_id, std::string& out) {
  const bool deprecate_eof = capabilities & kClientDeprecateEof;
  uint8_t seq = first_sequence_id;
  std::string payload;
  common::ByteWriter(payload).LenEncInt(columns.size());
  seq = AppendPacket(payload, seq, out);
  for (const std::string& c : columns) seq = AppendPacket(EncodeTextColumnDefinition(c), seq, out);
  if (!deprecate_eof) {
    payload.clear();
    EncodeEof({0, status}, payload);
    seq = AppendPacket(payload, seq, out);
  }
  for (const std::vector<std::string>& row : rows) {
    payload.clear();
    common::ByteWriter w(payload);
    for (const std::string& v : row) w.LenEncString(v);
    seq = AppendPacket(payload, seq, out);
  }
  payload.clear();
  if (deprecate_eof) {
    OkPacket ok;
    ok.header = kEofHeader;
    ok.status_flags = status;
    EncodeOk(ok, capabilities, payload);
  } else {
    EncodeEof({0, status}, payload);
  }
  return AppendPacket(payload, seq, out);
}

}  // namespace switchyard::mysql
