// Capability flags and server status flags of the MySQL/MariaDB protocol, and
// the proxy's policy for which capabilities it offers and requests.
//
// Capabilities are 64-bit here: the low 32 bits are MySQL's, the high 32 bits
// are MariaDB's extended capabilities, carried in otherwise reserved handshake
// bytes when the MySQL-compatibility bit (bit 0) is clear. Everything in this
// header is a constant or a pure function.
#pragma once

#include <cstdint>
#include <string>

namespace switchyard::mysql {

using Capabilities = uint64_t;

inline constexpr Capabilities kClientLongPassword = 1ull << 0;  // MariaDB: CLIENT_MYSQL
inline constexpr Capabilities kClientMysql = kClientLongPassword;
inline constexpr Capabilities kClientFoundRows = 1ull << 1;
inline constexpr Capabilities kClientLongFlag = 1ull << 2;
inline constexpr Capabilities kClientConnectWithDb = 1ull << 3;
inline constexpr Capabilities kClientNoSchema = 1ull << 4;
inline constexpr Capabilities kClientCompress = 1ull << 5;
inline constexpr Capabilities kClientOdbc = 1ull << 6;
inline constexpr Capabilities kClientLocalFiles = 1ull << 7;
inline constexpr Capabilities kClientIgnoreSpace = 1ull << 8;
inline constexpr Capabilities kClientProtocol41 = 1ull << 9;
inline constexpr Capabilities kClientInteractive = 1ull << 10;
inline constexpr Capabilities kClientSsl = 1ull << 11;
inline constexpr Capabilities kClientIgnoreSigpipe = 1ull << 12;
inline constexpr Capabilities kClientTransactions = 1ull << 13;
inline constexpr Capabilities kClientReserved = 1ull << 14;
inline constexpr Capabilities kClientSecureConnection = 1ull << 15;
inline constexpr Capabilities kClientMultiStatements = 1ull << 16;
inline constexpr Capabilities kClientMultiResults = 1ull << 17;
inline constexpr Capabilities kClientPsMultiResults = 1ull << 18;
inline constexpr Capabilities kClientPluginAuth = 1ull << 19;
inline constexpr Capabilities kClientConnectAttrs = 1ull << 20;
inline constexpr Capabilities kClientPluginAuthLenencClientData = 1ull << 21;
inline constexpr Capabilities kClientCanHandleExpiredPasswords = 1ull << 22;
inline constexpr Capabilities kClientSessionTrack = 1ull << 23;
inline constexpr Capabilities kClientDeprecateEof = 1ull << 24;
inline constexpr Capabilities kClientOptionalResultsetMetadata = 1ull << 25;
inline constexpr Capabilities kClientZstdCompression = 1ull << 26;
inline constexpr Capabilities kClientQueryAttributes = 1ull << 27;
inline constexpr Capabilities kClientMultiFactorAuthentication = 1ull << 28;
inline constexpr Capabilities kClientCapabilityExtension = 1ull << 29;
inline constexpr Capabilities kClientSslVerifyServerCert = 1ull << 30;
inline constexpr Capabilities kClientRememberOptions = 1ull << 31;
// MariaDB extended capabilities (handshake "third part").
inline constexpr Capabilities kMariaDbClientProgress = 1ull << 32;
inline constexpr Capabilities kMariaDbClientComMulti = 1ull << 33;
inline constexpr Capabilities kMariaDbClientStmtBulkOperations = 1ull << 34;
inline constexpr Capabilities kMariaDbClientExtendedMetadata = 1ull << 35;
inline constexpr Capabilities kMariaDbClientCacheMetadata = 1ull << 36;
inline constexpr Capabilities kMariaDbClientBulkUnitResults = 1ull << 37;

// Server status flags (OK, EOF packets and the initial handshake).
using StatusFlags = uint16_t;
inline constexpr StatusFlags kServerStatusInTrans = 1u << 0;
inline constexpr StatusFlags kServerStatusAutocommit = 1u << 1;
inline constexpr StatusFlags kServerMoreResultsExist = 1u << 3;
inline constexpr StatusFlags kServerQueryNoGoodIndexUsed = 1u << 4;
inline constexpr StatusFlags kServerQueryNoIndexUsed = 1u << 5;
inline constexpr StatusFlags kServerStatusCursorExists = 1u << 6;
inline constexpr StatusFlags kServerStatusLastRowSent = 1u << 7;
inline constexpr StatusFlags kServerStatusDbDropped = 1u << 8;
inline constexpr StatusFlags kServerStatusNoBackslashEscapes = 1u << 9;
inline constexpr StatusFlags kServerStatusMetadataChanged = 1u << 10;
inline constexpr StatusFlags kServerQueryWasSlow = 1u << 11;
inline constexpr StatusFlags kServerPsOutParams = 1u << 12;
inline constexpr StatusFlags kServerStatusInTransReadonly = 1u << 13;
inline constexpr StatusFlags kServerSessionStateChanged = 1u << 14;

// What the proxy advertises to clients in its HandshakeV10. Deliberately
// absent: SSL (the proxy refuses TLS), COMPRESS and ZSTD (frames must stay
// readable), LOCAL_FILES (LOAD DATA LOCAL is refused), QUERY_ATTRIBUTES (it
// changes COM_QUERY's layout), OPTIONAL_RESULTSET_METADATA and MariaDB's
// CACHE_METADATA (result sets without column definitions defeat response
// tracking), MULTI_FACTOR_AUTHENTICATION, and every other MariaDB extension
// (bit 0 is set, so clients send no extended capabilities).
inline constexpr Capabilities kProxyServerCapabilities =
    kClientLongPassword | kClientFoundRows | kClientLongFlag | kClientConnectWithDb |
    kClientNoSchema | kClientOdbc | kClientIgnoreSpace | kClientProtocol41 | kClientInteractive |
    kClientIgnoreSigpipe | kClientTransactions | kClientReserved | kClientSecureConnection |
    kClientMultiStatements | kClientMultiResults | kClientPsMultiResults | kClientPluginAuth |
    kClientConnectAttrs | kClientPluginAuthLenencClientData | kClientSessionTrack |
    kClientDeprecateEof;

// Capabilities that change the bytes of responses (or what a statement may
// do). A pooled backend connection can serve a client only if both agree on
// these, so they belong in the pool key.
inline constexpr Capabilities kResponseShapingCapabilities =
    kClientFoundRows | kClientMultiStatements | kClientMultiResults | kClientPsMultiResults |
    kClientSessionTrack | kClientDeprecateEof | kClientIgnoreSpace | kClientNoSchema;

// Capabilities the proxy always needs from a backend; a backend whose
// handshake lacks one of them cannot be used.
inline constexpr Capabilities kRequiredBackendCapabilities =
    kClientProtocol41 | kClientSecureConnection | kClientPluginAuth | kClientTransactions;

// What to advertise to clients when the backends offer `backend_offered`:
// kProxyServerCapabilities without the response-shaping bits the backends
// lack (the proxy relays result sets as they are and never translates
// between EOF and DEPRECATE_EOF framing).
Capabilities AdvertisedCapabilities(Capabilities backend_offered);

// The capabilities a client actually gets: what it asked for, limited to what
// the proxy advertised.
Capabilities NegotiatedClientCapabilities(Capabilities client_requested, Capabilities advertised);

// The capabilities to request from a backend for clients that negotiated
// `client_negotiated`: the response-shaping bits mirror the client, the
// required bits are always present, and everything is limited to what the
// backend's handshake offered (`backend_offered`). Connect attributes and
// the plugin-auth encodings are kept when the backend offers them.
Capabilities BackendClientCapabilities(Capabilities client_negotiated,
                                       Capabilities backend_offered);

// The part of a client's capabilities a pooled backend must share.
inline constexpr Capabilities PoolCompatibilityKey(Capabilities negotiated) {
  return negotiated & kResponseShapingCapabilities;
}

// "PROTOCOL_41|SECURE_CONNECTION|..." for logs and SHOW CLIENTS.
std::string CapabilitiesToString(Capabilities capabilities);
std::string StatusFlagsToString(StatusFlags flags);

}  // namespace switchyard::mysql
