#include "proxy/mysql/command.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "common/byte_reader.h"
#include "common/byte_writer.h"

namespace switchyard::mysql {
namespace {

using common::ByteReader;
using common::ByteWriter;
using S = ResponseShape;

// Sorted by code; rows 0x00..0x20 sit at the index of their code.
constexpr std::array<CommandInfo, 35> kCommands = {{
    {0x00, "COM_SLEEP", true, S::kOkOrErr, false},
    {0x01, "COM_QUIT", false, S::kNone, false},
    {0x02, "COM_INIT_DB", true, S::kOkOrErr, false},
    {0x03, "COM_QUERY", true, S::kResultSet, false},
    {0x04, "COM_FIELD_LIST", true, S::kFieldList, false},
    {0x05, "COM_CREATE_DB", true, S::kOkOrErr, false},
    {0x06, "COM_DROP_DB", true, S::kOkOrErr, false},
    {0x07, "COM_REFRESH", true, S::kOkOrErr, false},
    {0x08, "COM_SHUTDOWN", true, S::kOkOrErr, false},
    {0x09, "COM_STATISTICS", true, S::kStatistics, false},
    {0x0A, "COM_PROCESS_INFO", true, S::kResultSet, false},
    {0x0B, "COM_CONNECT", true, S::kOkOrErr, false},
    {0x0C, "COM_PROCESS_KILL", true, S::kOkOrErr, false},
    {0x0D, "COM_DEBUG", true, S::kOkOrErr, false},
    {0x0E, "COM_PING", true, S::kOkOrErr, false},
    {0x0F, "COM_TIME", true, S::kOkOrErr, false},
    {0x10, "COM_DELAYED_INSERT", true, S::kOkOrErr, false},
    {0x11, "COM_CHANGE_USER", true, S::kAuthExchange, false},
    {0x12, "COM_BINLOG_DUMP", true, S::kUntracked, false},
    {0x13, "COM_TABLE_DUMP", true, S::kOkOrErr, false},
    {0x14, "COM_CONNECT_OUT", true, S::kOkOrErr, false},
    {0x15, "COM_REGISTER_SLAVE", true, S::kOkOrErr, false},
    {0x16, "COM_STMT_PREPARE", true, S::kPrepareOk, false},
    {0x17, "COM_STMT_EXECUTE", true, S::kBinaryResultSet, true},
    {0x18, "COM_STMT_SEND_LONG_DATA", false, S::kNone, true},
    {0x19, "COM_STMT_CLOSE", false, S::kNone, true},
    {0x1A, "COM_STMT_RESET", true, S::kOkOrErr, true},
    {0x1B, "COM_SET_OPTION", true, S::kOkOrErr, false},
    {0x1C, "COM_STMT_FETCH", true, S::kFetchRows, true},
    {0x1D, "COM_DAEMON", true, S::kOkOrErr, false},
    {0x1E, "COM_BINLOG_DUMP_GTID", true, S::kUntracked, false},
    {0x1F, "COM_RESET_CONNECTION", true, S::kOkOrErr, false},
    {0x20, "COM_CLONE", true, S::kUntracked, false},
    {0xFA, "COM_STMT_BULK_EXECUTE", true, S::kBinaryResultSet, true},
    {0xFE, "COM_MULTI", true, S::kUntracked, false},
}};

// Servers answer unknown command bytes with ERR 1047 (ER_UNKNOWN_COM_ERROR).
constexpr CommandInfo kUnknownCommand = {0xFF, "COM_UNKNOWN", true, S::kOkOrErr, false};

constexpr size_t kDenseRows = 0x21;
constexpr size_t kPrepareOkSize = 12;
constexpr size_t kStatementIdEnd = 5;

absl::Status Malformed(std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("malformed MySQL ", std::string(what)));
}

absl::Status CheckStatementCommand(std::string_view payload) {
  if (payload.empty()) return Malformed("command: empty payload");
  const CommandInfo& info = LookupCommand(static_cast<uint8_t>(payload[0]));
  if (!info.carries_statement_id) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(info.name), " does not carry a statement id"));
  }
  if (payload.size() < kStatementIdEnd) {
    return Malformed(absl::StrCat(std::string(info.name), ": truncated statement id"));
  }
  return absl::OkStatus();
}

// COM_CHANGE_USER's optional tail: character set, plugin name, attributes.
absl::Status ReadChangeUserTail(ByteReader& reader, Capabilities caps, ChangeUser& out) {
  if (reader.empty()) return absl::OkStatus();
  auto charset = reader.U16Le();
  if (!charset) return Malformed("COM_CHANGE_USER: truncated character set");
  out.character_set = *charset;
  if ((caps & kClientPluginAuth) != 0 && !reader.empty()) {
    auto plugin = reader.CString();
    if (!plugin) return Malformed("COM_CHANGE_USER: truncated auth plugin name");
    out.auth_plugin_name = *plugin;
  }
  if ((caps & kClientConnectAttrs) != 0 && !reader.empty()) {
    auto attributes = DecodeConnectAttributes(reader.rest());
    if (!attributes.ok()) return attributes.status();
    out.connect_attributes = *std::move(attributes);
    reader.Skip(reader.remaining());
  }
  if (!reader.empty()) return Malformed("COM_CHANGE_USER: trailing bytes");
  return absl::OkStatus();
}

}  // namespace

const CommandInfo& LookupCommand(uint8_t code) {
  if (code < kDenseRows) return kCommands[code];
  for (size_t i = kDenseRows; i < kCommands.size(); ++i) {
    if (kCommands[i].code == code) return kCommands[i];
  }
  return kUnknownCommand;
}

std::optional<uint8_t> CommandByte(std::string_view payload) {
  if (payload.empty()) return std::nullopt;
  return static_cast<uint8_t>(payload[0]);
}

std::string_view CommandBody(std::string_view payload) {
  return payload.empty() ? payload : payload.substr(1);
}

absl::StatusOr<PrepareOk> DecodePrepareOk(std::string_view payload) {
  if (payload.size() != kPrepareOkSize || payload[0] != 0) {
    return Malformed(absl::StrCat("COM_STMT_PREPARE_OK: expected ", kPrepareOkSize,
                                  " bytes starting 0x00, got ", payload.size()));
  }
  ByteReader reader(payload.substr(1));
  PrepareOk ok;
  ok.statement_id = *reader.U32Le();
  ok.num_columns = *reader.U16Le();
  ok.num_params = *reader.U16Le();
  reader.Skip(1);  // reserved
  ok.warnings = *reader.U16Le();
  return ok;
}

void EncodePrepareOk(const PrepareOk& prepare_ok, std::string& out) {
  ByteWriter writer(out);
  writer.U8(0x00);
  writer.U32Le(prepare_ok.statement_id);
  writer.U16Le(prepare_ok.num_columns);
  writer.U16Le(prepare_ok.num_params);
  writer.U8(0x00);
  writer.U16Le(prepare_ok.warnings);
}

absl::StatusOr<uint32_t> ReadStatementId(std::string_view payload) {
  if (auto status = CheckStatementCommand(payload); !status.ok()) return status;
  return *ByteReader(payload.substr(1)).U32Le();
}

absl::Status RewriteStatementId(std::span<char> payload, uint32_t statement_id) {
  const std::string_view view(payload.data(), payload.size());
  if (auto status = CheckStatementCommand(view); !status.ok()) return status;
  for (size_t i = 0; i < 4; ++i) payload[1 + i] = static_cast<char>(statement_id >> (8 * i));
  return absl::OkStatus();
}

absl::StatusOr<ExecuteHeader> DecodeExecuteHeader(std::string_view payload) {
  if (payload.empty() || static_cast<uint8_t>(payload[0]) != 0x17) {
    return Malformed("COM_STMT_EXECUTE: wrong command byte");
  }
  ByteReader reader(payload.substr(1));
  auto id = reader.U32Le();
  auto flags = id ? reader.U8() : std::nullopt;
  auto iterations = flags ? reader.U32Le() : std::nullopt;
  if (!iterations) return Malformed("COM_STMT_EXECUTE: truncated header");
  return ExecuteHeader{*id, *flags, *iterations};
}

absl::StatusOr<ChangeUser> DecodeChangeUser(std::string_view payload, Capabilities caps) {
  ByteReader reader(payload);
  auto code = reader.U8();
  if (!code || *code != static_cast<uint8_t>(Command::kChangeUser)) {
    return Malformed("COM_CHANGE_USER: wrong command byte");
  }
  ChangeUser out;
  auto username = reader.CString();
  if (!username) return Malformed("COM_CHANGE_USER: truncated username");
  out.username = *username;
  std::optional<std::string_view> auth;
  if ((caps & kClientSecureConnection) != 0) {
    auto length = reader.U8();
    auth = length ? reader.Bytes(*length) : std::nullopt;
  } else {
    auth = reader.CString();
  }
  if (!auth) return Malformed("COM_CHANGE_USER: truncated auth response");
  out.auth_response = *auth;
  auto database = reader.CString();
  if (!database) return Malformed("COM_CHANGE_USER: truncated database");
  out.database = *database;
  if (auto status = ReadChangeUserTail(reader, caps, out); !status.ok()) return status;
  return out;
}

absl::Status EncodeChangeUser(const ChangeUser& change_user, Capabilities caps, std::string& out) {
  const bool secure = (caps & kClientSecureConnection) != 0;
  if (secure ? change_user.auth_response.size() > 255
             : change_user.auth_response.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError("COM_CHANGE_USER auth response cannot be encoded");
  }
  ByteWriter writer(out);
  writer.U8(static_cast<uint8_t>(Command::kChangeUser));
  writer.CString(change_user.username);
  if (secure) writer.U8(static_cast<uint8_t>(change_user.auth_response.size()));
  secure ? writer.Bytes(change_user.auth_response) : writer.CString(change_user.auth_response);
  writer.CString(change_user.database);
  if (!change_user.character_set) return absl::OkStatus();
  writer.U16Le(*change_user.character_set);
  if ((caps & kClientPluginAuth) != 0) writer.CString(change_user.auth_plugin_name);
  if ((caps & kClientConnectAttrs) != 0) {
    EncodeConnectAttributes(change_user.connect_attributes, out);
  }
  return absl::OkStatus();
}

}  // namespace switchyard::mysql
