#include "proxy/mysql/handshake.h"

#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"
#include "common/byte_reader.h"
#include "common/byte_writer.h"
#include "proxy/mysql/ok_err.h"

namespace switchyard::mysql {
namespace {

using common::ByteReader;
using common::ByteWriter;

constexpr size_t kScramblePart1Size = 8;
// The second scramble part is at least 13 bytes: 12 of scramble and a NUL.
constexpr size_t kMinScramblePart2Size = 13;
constexpr size_t kGreetingReservedSize = 6;  // then 4 bytes: MariaDB capabilities
constexpr size_t kResponseFillerSize = 19;   // then 4 bytes: MariaDB capabilities

absl::Status Malformed(std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("malformed MySQL ", std::string(what)));
}

absl::Status RefusedGreeting(std::string_view payload) {
  auto err = DecodeErr(payload);
  if (!err.ok()) return Malformed("greeting: truncated ERR packet");
  return absl::UnavailableError(absl::StrCat("server refused the connection: ERROR ",
                                             err->error_code, ": ", std::string(err->message)));
}

// Fields between the connection id and the second scramble part.
struct GreetingMiddle {
  std::string_view part1;
  Capabilities capabilities = 0;
  uint8_t character_set = 0;
  StatusFlags status_flags = 0;
  uint8_t auth_data_length = 0;
};

absl::StatusOr<GreetingMiddle> ReadGreetingMiddle(ByteReader& reader) {
  GreetingMiddle middle;
  auto part1 = reader.Bytes(kScramblePart1Size);
  bool ok = part1.has_value() && reader.Skip(1);
  auto caps_low = ok ? reader.U16Le() : std::nullopt;
  auto charset = caps_low ? reader.U8() : std::nullopt;
  auto status = charset ? reader.U16Le() : std::nullopt;
  auto caps_high = status ? reader.U16Le() : std::nullopt;
  auto data_length = caps_high ? reader.U8() : std::nullopt;
  ok = data_length.has_value() && reader.Skip(kGreetingReservedSize);
  auto caps_mariadb = ok ? reader.U32Le() : std::nullopt;
  if (!caps_mariadb) return Malformed("greeting: truncated fixed fields");
  middle.part1 = *part1;
  middle.capabilities = Capabilities{*caps_low} | (Capabilities{*caps_high} << 16);
  if ((middle.capabilities & kClientMysql) == 0) {
    middle.capabilities |= Capabilities{*caps_mariadb} << 32;
  }
  middle.character_set = *charset;
  middle.status_flags = *status;
  middle.auth_data_length = *data_length;
  return middle;
}

// Reads the auth response in the encoding `capabilities` select.
std::optional<std::string_view> ReadAuthResponse(ByteReader& reader, Capabilities capabilities) {
  if ((capabilities & kClientPluginAuthLenencClientData) != 0) return reader.LenEncString();
  if ((capabilities & kClientSecureConnection) != 0) {
    auto length = reader.U8();
    if (!length) return std::nullopt;
    return reader.Bytes(*length);
  }
  return reader.CString();
}

absl::Status WriteAuthResponse(std::string_view auth, Capabilities capabilities,
                               ByteWriter& writer) {
  if ((capabilities & kClientPluginAuthLenencClientData) != 0) {
    writer.LenEncString(auth);
  } else if ((capabilities & kClientSecureConnection) != 0) {
    if (auth.size() > 255) {
      return absl::InvalidArgumentError(
          "auth response longer than 255 bytes needs PLUGIN_AUTH_LENENC_CLIENT_DATA");
    }
    writer.U8(static_cast<uint8_t>(auth.size()));
    writer.Bytes(auth);
  } else {
    if (auth.find('\0') != std::string_view::npos) {
      return absl::InvalidArgumentError("auth response with a NUL byte needs SECURE_CONNECTION");
    }
    writer.CString(auth);
  }
  return absl::OkStatus();
}

// Reads username .. connect attributes of a HandshakeResponse41.
absl::Status ReadResponseTail(ByteReader& reader, HandshakeResponse41& response) {
  const Capabilities caps = response.capabilities;
  auto username = reader.CString();
  if (!username) return Malformed("handshake response: truncated username");
  response.username = *username;
  auto auth = ReadAuthResponse(reader, caps);
  if (!auth) return Malformed("handshake response: truncated auth response");
  response.auth_response = *auth;
  if ((caps & kClientConnectWithDb) != 0) {
    auto database = reader.CString();
    if (!database) return Malformed("handshake response: truncated database");
    response.database = *database;
  }
  if ((caps & kClientPluginAuth) != 0) {
    auto plugin = reader.CString();
    if (!plugin) return Malformed("handshake response: truncated auth plugin name");
    response.auth_plugin_name = *plugin;
  }
  if ((caps & kClientConnectAttrs) != 0) {
    auto attributes = DecodeConnectAttributes(reader.rest());
    if (!attributes.ok()) return attributes.status();
    response.connect_attributes = *std::move(attributes);
    reader.Skip(reader.remaining());
  }
  if (!reader.empty()) return Malformed("handshake response: trailing bytes");
  return absl::OkStatus();
}

struct AuthReplyRow {
  uint8_t header;
  AuthReplyKind kind;
};

constexpr std::array<AuthReplyRow, 4> kAuthReplyTable = {{
    {kOkHeader, AuthReplyKind::kOk},
    {kErrHeader, AuthReplyKind::kErr},
    {kAuthSwitchRequestHeader, AuthReplyKind::kAuthSwitch},
    {kAuthMoreDataHeader, AuthReplyKind::kMoreData},
}};

}  // namespace

void EncodeHandshakeV10(const HandshakeV10& handshake, std::string& out) {
  ByteWriter writer(out);
  const Capabilities caps = handshake.capabilities;
  std::string scramble = handshake.auth_plugin_data;
  if (scramble.size() < kScramblePart1Size + kMinScramblePart2Size - 1) {
    scramble.resize(kScramblePart1Size + kMinScramblePart2Size - 1, '\0');
  }
  writer.U8(kProtocolVersion10);
  writer.CString(handshake.server_version);
  writer.U32Le(handshake.connection_id);
  writer.Bytes(std::string_view(scramble).substr(0, kScramblePart1Size));
  writer.U8(0);
  writer.U16Le(static_cast<uint16_t>(caps));
  writer.U8(handshake.character_set);
  writer.U16Le(handshake.status_flags);
  writer.U16Le(static_cast<uint16_t>(caps >> 16));
  const bool plugin_auth = (caps & kClientPluginAuth) != 0;
  writer.U8(plugin_auth ? static_cast<uint8_t>(std::min<size_t>(scramble.size() + 1, 255)) : 0);
  writer.Bytes(std::string(kGreetingReservedSize, '\0'));
  writer.U32Le((caps & kClientMysql) != 0 ? 0 : static_cast<uint32_t>(caps >> 32));
  if ((caps & kClientSecureConnection) != 0) {
    writer.CString(std::string_view(scramble).substr(kScramblePart1Size));
  }
  if (plugin_auth) writer.CString(handshake.auth_plugin_name);
}

absl::StatusOr<HandshakeV10> DecodeHandshakeV10(std::string_view payload) {
  if (IsErrPacket(payload)) return RefusedGreeting(payload);
  ByteReader reader(payload);
  auto version = reader.U8();
  if (!version) return Malformed("greeting: empty");
  if (*version != kProtocolVersion10) {
    return absl::UnimplementedError(
        absl::StrCat("unsupported MySQL protocol version ", *version, " (want 10)"));
  }
  auto server_version = reader.CString();
  auto connection_id = server_version ? reader.U32Le() : std::nullopt;
  if (!connection_id) return Malformed("greeting: truncated server version");
  auto middle = ReadGreetingMiddle(reader);
  if (!middle.ok()) return middle.status();
  HandshakeV10 handshake{std::string(*server_version),
                         *connection_id,
                         std::string(middle->part1),
                         middle->capabilities,
                         middle->character_set,
                         middle->status_flags,
                         {}};
  if ((handshake.capabilities & kClientSecureConnection) != 0) {
    const size_t declared = middle->auth_data_length;
    const size_t part2_size = std::max(
        kMinScramblePart2Size, declared > kScramblePart1Size ? declared - kScramblePart1Size : 0);
    auto part2 = reader.Bytes(part2_size);
    if (!part2) return Malformed("greeting: truncated scramble");
    if (!part2->empty() && part2->back() == '\0') part2->remove_suffix(1);
    handshake.auth_plugin_data.append(*part2);
  }
  if ((handshake.capabilities & kClientPluginAuth) != 0) {
    auto plugin = reader.CString();
    if (!plugin) return Malformed("greeting: truncated auth plugin name");
    handshake.auth_plugin_name = *plugin;
  }
  if (!reader.empty()) return Malformed("greeting: trailing bytes");
  return handshake;
}

absl::StatusOr<HandshakeResponse41> DecodeHandshakeResponse41(std::string_view payload) {
  if (IsSslRequest(payload)) {
    return absl::FailedPreconditionError("client sent an SSLRequest (TLS is not offered)");
  }
  ByteReader reader(payload);
  auto caps = reader.U32Le();
  if (caps && (*caps & kClientProtocol41) == 0) {
    return absl::UnimplementedError("pre-4.1 handshake response (protocol 3.20) unsupported");
  }
  auto max_packet = caps ? reader.U32Le() : std::nullopt;
  auto charset = max_packet ? reader.U8() : std::nullopt;
  const bool filler = charset.has_value() && reader.Skip(kResponseFillerSize);
  auto caps_mariadb = filler ? reader.U32Le() : std::nullopt;
  if (!caps_mariadb) return Malformed("handshake response: truncated fixed fields");
  HandshakeResponse41 response;
  response.capabilities = Capabilities{*caps} | (Capabilities{*caps_mariadb} << 32);
  response.max_packet_size = *max_packet;
  response.character_set = *charset;
  if (auto status = ReadResponseTail(reader, response); !status.ok()) return status;
  return response;
}

absl::Status EncodeHandshakeResponse41(const HandshakeResponse41& response, std::string& out) {
  const Capabilities caps = response.capabilities;
  const size_t start = out.size();
  ByteWriter writer(out);
  writer.U32Le(static_cast<uint32_t>(caps));
  writer.U32Le(response.max_packet_size);
  writer.U8(response.character_set);
  writer.Bytes(std::string(kResponseFillerSize, '\0'));
  writer.U32Le(static_cast<uint32_t>(caps >> 32));
  writer.CString(response.username);
  if (auto status = WriteAuthResponse(response.auth_response, caps, writer); !status.ok()) {
    out.resize(start);
    return status;
  }
  if ((caps & kClientConnectWithDb) != 0) writer.CString(response.database);
  if ((caps & kClientPluginAuth) != 0) writer.CString(response.auth_plugin_name);
  if ((caps & kClientConnectAttrs) != 0) EncodeConnectAttributes(response.connect_attributes, out);
  return absl::OkStatus();
}

bool IsSslRequest(std::string_view payload) {
  if (payload.size() != kSslRequestSize) return false;
  auto caps = ByteReader(payload).U32Le();
  return caps && (*caps & kClientSsl) != 0;
}

void EncodeSslRequest(Capabilities capabilities, uint32_t max_packet_size, uint8_t character_set,
                      std::string& out) {
  ByteWriter writer(out);
  writer.U32Le(static_cast<uint32_t>(capabilities | kClientSsl));
  writer.U32Le(max_packet_size);
  writer.U8(character_set);
  writer.Bytes(std::string(kResponseFillerSize, '\0'));
  writer.U32Le(static_cast<uint32_t>(capabilities >> 32));
}

void EncodeAuthSwitchRequest(const AuthSwitchRequest& request, std::string& out) {
  ByteWriter writer(out);
  writer.U8(kAuthSwitchRequestHeader);
  writer.CString(request.plugin_name);
  writer.Bytes(request.plugin_data);
}

absl::StatusOr<AuthSwitchRequest> DecodeAuthSwitchRequest(std::string_view payload) {
  ByteReader reader(payload);
  auto header = reader.U8();
  if (!header || *header != kAuthSwitchRequestHeader) {
    return Malformed("AuthSwitchRequest: bad header");
  }
  if (reader.empty()) {
    return absl::UnimplementedError("old-password auth switch (pre-4.1) is not supported");
  }
  auto plugin = reader.CString();
  if (!plugin) return Malformed("AuthSwitchRequest: truncated plugin name");
  return AuthSwitchRequest{std::string(*plugin), std::string(reader.rest())};
}

void EncodeAuthMoreData(std::string_view data, std::string& out) {
  ByteWriter writer(out);
  writer.U8(kAuthMoreDataHeader);
  writer.Bytes(data);
}

absl::StatusOr<std::string_view> DecodeAuthMoreData(std::string_view payload) {
  if (payload.empty() || static_cast<uint8_t>(payload[0]) != kAuthMoreDataHeader) {
    return Malformed("AuthMoreData: bad header");
  }
  return payload.substr(1);
}

AuthReplyKind ClassifyAuthReply(std::string_view payload) {
  if (payload.empty()) return AuthReplyKind::kUnknown;
  for (const AuthReplyRow& row : kAuthReplyTable) {
    if (row.header == static_cast<uint8_t>(payload[0])) return row.kind;
  }
  return AuthReplyKind::kUnknown;
}

absl::StatusOr<ConnectAttributes> DecodeConnectAttributes(std::string_view block) {
  ByteReader outer(block);
  auto pairs = outer.LenEncString();
  if (!pairs) return Malformed("connect attributes: truncated");
  if (!outer.empty()) return Malformed("connect attributes: trailing bytes");
  ConnectAttributes attributes;
  ByteReader reader(*pairs);
  while (!reader.empty()) {
    auto key = reader.LenEncString();
    auto value = key ? reader.LenEncString() : std::nullopt;
    if (!value) return Malformed("connect attributes: truncated key or value");
    attributes.emplace_back(std::string(*key), std::string(*value));
  }
  return attributes;
}

void EncodeConnectAttributes(const ConnectAttributes& attributes, std::string& out) {
  std::string pairs;
  ByteWriter pair_writer(pairs);
  for (const auto& [key, value] : attributes) {
    pair_writer.LenEncString(key);
    pair_writer.LenEncString(value);
  }
  ByteWriter(out).LenEncString(pairs);
}

}  // namespace switchyard::mysql
