#include "proxy/mysql/ok_err.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/byte_reader.h"
#include "common/byte_writer.h"

namespace switchyard::mysql {
namespace {

using common::ByteReader;
using common::ByteWriter;

absl::Status Malformed(std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("malformed MySQL ", std::string(what)));
}

uint8_t FirstByte(std::string_view payload) {
  return payload.empty() ? 0 : static_cast<uint8_t>(payload[0]);
}

// Decodes the data of one tracker entry of type `type` into `entries`.
absl::Status DecodeStateEntry(uint8_t type, std::string_view data,
                              std::vector<SessionStateEntry>& entries) {
  ByteReader reader(data);
  const auto kind = static_cast<SessionTrackType>(type);
  if (kind == SessionTrackType::kSystemVariables) {
    while (!reader.empty()) {
      auto name = reader.LenEncString();
      auto value = reader.LenEncString();
      if (!name || !value) return Malformed("session state system variable");
      entries.push_back({type, *name, *value});
    }
    return absl::OkStatus();
  }
  if (type > static_cast<uint8_t>(SessionTrackType::kTransactionState)) {
    entries.push_back({type, {}, data});
    return absl::OkStatus();
  }
  // Servers (MariaDB 10.x, MySQL 8) send the state-change flag as one raw
  // byte ('1'), not as the lenenc string the protocol documentation shows.
  if (kind == SessionTrackType::kStateChange && data.size() == 1) {
    entries.push_back({type, {}, data});
    return absl::OkStatus();
  }
  // GTIDs carry a one-byte encoding specification before the set.
  if (kind == SessionTrackType::kGtids && !reader.Skip(1)) {
    return Malformed("session state GTIDs");
  }
  auto value = reader.LenEncString();
  if (!value || !reader.empty()) return Malformed("session state entry");
  entries.push_back({type, {}, *value});
  return absl::OkStatus();
}

absl::Status DecodeSessionState(std::string_view state, std::vector<SessionStateEntry>& entries) {
  ByteReader reader(state);
  while (!reader.empty()) {
    auto type = reader.U8();
    auto data = reader.LenEncString();
    if (!type || !data) return Malformed("session state change");
    if (auto status = DecodeStateEntry(*type, *data, entries); !status.ok()) return status;
  }
  return absl::OkStatus();
}

void EncodeStateEntry(const SessionStateEntry& entry, std::string& out) {
  std::string data;
  ByteWriter writer(data);
  const auto kind = static_cast<SessionTrackType>(entry.type);
  if (entry.type > static_cast<uint8_t>(SessionTrackType::kTransactionState)) {
    writer.Bytes(entry.value);
  } else {
    if (kind == SessionTrackType::kSystemVariables) writer.LenEncString(entry.name);
    if (kind == SessionTrackType::kGtids) writer.U8(0);  // encoding specification
    writer.LenEncString(entry.value);
  }
  ByteWriter(out).U8(entry.type);
  ByteWriter(out).LenEncString(data);
}

// Reads what follows status and warnings: info, then session state.
absl::Status DecodeOkTail(ByteReader& reader, Capabilities capabilities, OkPacket& ok) {
  if ((capabilities & kClientSessionTrack) == 0) {
    ok.info = reader.rest();
    return absl::OkStatus();
  }
  if (reader.empty()) return absl::OkStatus();
  auto info = reader.LenEncString();
  if (!info) return Malformed("OK packet info");
  ok.info = *info;
  if ((ok.status_flags & kServerSessionStateChanged) != 0 && !reader.empty()) {
    auto state = reader.LenEncString();
    if (!state) return Malformed("OK packet session state");
    if (auto status = DecodeSessionState(*state, ok.session_state); !status.ok()) return status;
  }
  if (!reader.empty()) return Malformed("OK packet: trailing bytes");
  return absl::OkStatus();
}

}  // namespace

bool IsOkPacket(std::string_view payload) {
  return FirstByte(payload) == kOkHeader && !payload.empty();
}

bool IsErrPacket(std::string_view payload) { return FirstByte(payload) == kErrHeader; }

bool IsEofPacket(std::string_view payload) {
  return FirstByte(payload) == kEofHeader && payload.size() < 9;
}

bool IsResultSetTerminator(std::string_view payload, Capabilities capabilities) {
  if ((capabilities & kClientDeprecateEof) == 0) return IsEofPacket(payload);
  return FirstByte(payload) == kEofHeader && payload.size() < 0xFFFFFF;
}

absl::StatusOr<OkPacket> DecodeOk(std::string_view payload, Capabilities capabilities) {
  ByteReader reader(payload);
  OkPacket ok;
  auto header = reader.U8();
  if (!header || (*header != kOkHeader && *header != kEofHeader)) {
    return Malformed("OK packet: bad header");
  }
  ok.header = *header;
  auto affected = reader.LenEncInt();
  auto last_insert_id = affected ? reader.LenEncInt() : std::nullopt;
  if (!last_insert_id) return Malformed("OK packet: truncated row counts");
  ok.affected_rows = *affected;
  ok.last_insert_id = *last_insert_id;
  if ((capabilities & (kClientProtocol41 | kClientTransactions)) != 0) {
    auto status = reader.U16Le();
    if (!status) return Malformed("OK packet: truncated status flags");
    ok.status_flags = *status;
  }
  if ((capabilities & kClientProtocol41) != 0) {
    auto warnings = reader.U16Le();
    if (!warnings) return Malformed("OK packet: truncated warning count");
    ok.warnings = *warnings;
  }
  if (auto status = DecodeOkTail(reader, capabilities, ok); !status.ok()) return status;
  return ok;
}

void EncodeOk(const OkPacket& ok, Capabilities capabilities, std::string& out) {
  ByteWriter writer(out);
  writer.U8(ok.header);
  writer.LenEncInt(ok.affected_rows);
  writer.LenEncInt(ok.last_insert_id);
  if ((capabilities & (kClientProtocol41 | kClientTransactions)) != 0) {
    writer.U16Le(ok.status_flags);
  }
  if ((capabilities & kClientProtocol41) != 0) writer.U16Le(ok.warnings);
  if ((capabilities & kClientSessionTrack) == 0) {
    writer.Bytes(ok.info);
    return;
  }
  const bool with_state =
      (ok.status_flags & kServerSessionStateChanged) != 0 && !ok.session_state.empty();
  if (with_state || !ok.info.empty()) writer.LenEncString(ok.info);
  if (!with_state) return;
  std::string state;
  for (const SessionStateEntry& entry : ok.session_state) EncodeStateEntry(entry, state);
  writer.LenEncString(state);
}

absl::StatusOr<ErrPacket> DecodeErr(std::string_view payload) {
  ByteReader reader(payload);
  auto header = reader.U8();
  if (!header || *header != kErrHeader) return Malformed("ERR packet: bad header");
  auto code = reader.U16Le();
  if (!code) return Malformed("ERR packet: truncated error code");
  ErrPacket err;
  err.error_code = *code;
  if (!reader.empty() && reader.rest()[0] == '#') {
    auto marker_and_state = reader.Bytes(6);
    if (!marker_and_state) return Malformed("ERR packet: truncated SQL state");
    err.sql_state = marker_and_state->substr(1);
  }
  err.message = reader.rest();
  return err;
}

void EncodeErr(const ErrPacket& err, std::string& out) {
  ByteWriter writer(out);
  writer.U8(kErrHeader);
  writer.U16Le(err.error_code);
  if (!err.sql_state.empty()) {
    writer.U8('#');
    std::string state(err.sql_state.substr(0, 5));
    state.resize(5, '0');
    writer.Bytes(state);
  }
  writer.Bytes(err.message);
}

absl::StatusOr<EofPacket> DecodeEof(std::string_view payload) {
  ByteReader reader(payload);
  auto header = reader.U8();
  auto warnings = reader.U16Le();
  auto status = reader.U16Le();
  if (!header || *header != kEofHeader || !warnings || !status || !reader.empty()) {
    return Malformed("EOF packet: expected 0xFE, warnings and status (5 bytes)");
  }
  return EofPacket{*warnings, *status};
}

void EncodeEof(const EofPacket& eof, std::string& out) {
  ByteWriter writer(out);
  writer.U8(kEofHeader);
  writer.U16Le(eof.warnings);
  writer.U16Le(eof.status_flags);
}

absl::StatusOr<StatusFlags> TerminatorStatusFlags(std::string_view payload,
                                                  Capabilities capabilities) {
  // A 5-byte 0xFE packet is an EOF even under DEPRECATE_EOF: the shortest
  // 4.1 OK packet is 7 bytes.
  if ((capabilities & kClientDeprecateEof) == 0 || payload.size() == 5) {
    auto eof = DecodeEof(payload);
    if (!eof.ok()) return eof.status();
    return eof->status_flags;
  }
  auto ok = DecodeOk(payload, capabilities);
  if (!ok.ok()) return ok.status();
  return ok->status_flags;
}

std::optional<std::string_view> ReportedGtid(const OkPacket& ok) {
  std::optional<std::string_view> from_variable;
  for (const SessionStateEntry& entry : ok.session_state) {
    if (entry.value.empty()) continue;
    if (entry.type == static_cast<uint8_t>(SessionTrackType::kGtids)) return entry.value;
    if (entry.type == static_cast<uint8_t>(SessionTrackType::kSystemVariables) &&
        entry.name == "last_gtid") {
      from_variable = entry.value;
    }
  }
  return from_variable;
}

}  // namespace switchyard::mysql
