// Connection-phase messages: the server greeting (HandshakeV10), the client's
// HandshakeResponse41 (and the short SSLRequest that may precede it), and the
// authentication exchange packets AuthSwitchRequest and AuthMoreData.
//
// The proxy sits on both sides of the connection phase: it encodes a greeting
// for clients and decodes their responses; it decodes backend greetings and
// encodes responses to backends. Decoded messages own their strings (they
// outlive the receive buffer; the connection phase is not on the hot path).
// Encoders append a payload (no packet header) to a caller-owned string.
// Thread-safety: all functions are reentrant.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proxy/mysql/capabilities.h"

namespace switchyard::mysql {

inline constexpr uint8_t kProtocolVersion10 = 10;
inline constexpr uint8_t kAuthSwitchRequestHeader = 0xFE;
inline constexpr uint8_t kAuthMoreDataHeader = 0x01;
// Size of an SSLRequest payload (the prefix of HandshakeResponse41).
inline constexpr size_t kSslRequestSize = 32;

struct HandshakeV10 {
  std::string server_version;
  uint32_t connection_id = 0;
  // The scramble (nonce), normally 20 bytes, without the NUL terminator the
  // wire format appends. Encoding requires at least 8 bytes.
  std::string auth_plugin_data;
  Capabilities capabilities = 0;
  uint8_t character_set = 0;
  StatusFlags status_flags = 0;
  std::string auth_plugin_name;  // with PLUGIN_AUTH
  bool operator==(const HandshakeV10&) const = default;
};

using ConnectAttributes = std::vector<std::pair<std::string, std::string>>;

struct HandshakeResponse41 {
  Capabilities capabilities = 0;
  uint32_t max_packet_size = 0;
  uint8_t character_set = 0;
  std::string username;
  std::string auth_response;
  std::string database;                  // with CONNECT_WITH_DB
  std::string auth_plugin_name;          // with PLUGIN_AUTH
  ConnectAttributes connect_attributes;  // with CONNECT_ATTRS
  bool operator==(const HandshakeResponse41&) const = default;
};

struct AuthSwitchRequest {
  std::string plugin_name;
  // Raw plugin data. MySQL's password plugins send the 20-byte scramble
  // followed by a NUL; see ScrambleFromAuthData() in auth.h.
  std::string plugin_data;
  bool operator==(const AuthSwitchRequest&) const = default;
};

// Server greeting. Decoding also turns an ERR greeting (a server refusing
// the connection, e.g. "Too many connections") into an error carrying the
// server's code and message.
void EncodeHandshakeV10(const HandshakeV10& handshake, std::string& out);
absl::StatusOr<HandshakeV10> DecodeHandshakeV10(std::string_view payload);

// Client response. Requires PROTOCOL_41 (the 3.20 format is refused). The
// auth response is read in the encoding the capabilities select: lenenc
// (PLUGIN_AUTH_LENENC_CLIENT_DATA), 1-byte length (SECURE_CONNECTION), or
// NUL-terminated. MariaDB extended capabilities, from the reserved filler,
// land in the high 32 bits (MySQL clients leave the filler zero).
absl::StatusOr<HandshakeResponse41> DecodeHandshakeResponse41(std::string_view payload);
// Fails when the auth response cannot be expressed in the selected encoding.
absl::Status EncodeHandshakeResponse41(const HandshakeResponse41& response, std::string& out);

// True for the 32-byte SSLRequest a client sends before starting TLS.
bool IsSslRequest(std::string_view payload);
void EncodeSslRequest(Capabilities capabilities, uint32_t max_packet_size, uint8_t character_set,
                      std::string& out);

void EncodeAuthSwitchRequest(const AuthSwitchRequest& request, std::string& out);
absl::StatusOr<AuthSwitchRequest> DecodeAuthSwitchRequest(std::string_view payload);

// AuthMoreData: 0x01 followed by plugin-specific bytes (caching_sha2_password
// status bytes, an RSA public key PEM, ...). Decode returns the data.
void EncodeAuthMoreData(std::string_view data, std::string& out);
absl::StatusOr<std::string_view> DecodeAuthMoreData(std::string_view payload);

// What a server sent during authentication (after the client's response).
enum class AuthReplyKind { kOk, kErr, kAuthSwitch, kMoreData, kUnknown };
AuthReplyKind ClassifyAuthReply(std::string_view payload);

// Connect attributes are a lenenc total length, then lenenc key/value pairs;
// shared with COM_CHANGE_USER.
absl::StatusOr<ConnectAttributes> DecodeConnectAttributes(std::string_view block);
void EncodeConnectAttributes(const ConnectAttributes& attributes, std::string& out);

}  // namespace switchyard::mysql
