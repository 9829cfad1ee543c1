#include "proxy/mysql/capabilities.h"

#include <array>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace switchyard::mysql {
namespace {

struct FlagName {
  uint64_t bit;
  std::string_view name;
};

constexpr std::array<FlagName, 38> kCapabilityNames = {{
    {kClientLongPassword, "LONG_PASSWORD"},
    {kClientFoundRows, "FOUND_ROWS"},
    {kClientLongFlag, "LONG_FLAG"},
    {kClientConnectWithDb, "CONNECT_WITH_DB"},
    {kClientNoSchema, "NO_SCHEMA"},
    {kClientCompress, "COMPRESS"},
    {kClientOdbc, "ODBC"},
    {kClientLocalFiles, "LOCAL_FILES"},
    {kClientIgnoreSpace, "IGNORE_SPACE"},
    {kClientProtocol41, "PROTOCOL_41"},
    {kClientInteractive, "INTERACTIVE"},
    {kClientSsl, "SSL"},
    {kClientIgnoreSigpipe, "IGNORE_SIGPIPE"},
    {kClientTransactions, "TRANSACTIONS"},
    {kClientReserved, "RESERVED"},
    {kClientSecureConnection, "SECURE_CONNECTION"},
    {kClientMultiStatements, "MULTI_STATEMENTS"},
    {kClientMultiResults, "MULTI_RESULTS"},
    {kClientPsMultiResults, "PS_MULTI_RESULTS"},
    {kClientPluginAuth, "PLUGIN_AUTH"},
    {kClientConnectAttrs, "CONNECT_ATTRS"},
    {kClientPluginAuthLenencClientData, "PLUGIN_AUTH_LENENC_CLIENT_DATA"},
    {kClientCanHandleExpiredPasswords, "CAN_HANDLE_EXPIRED_PASSWORDS"},
    {kClientSessionTrack, "SESSION_TRACK"},
    {kClientDeprecateEof, "DEPRECATE_EOF"},
    {kClientOptionalResultsetMetadata, "OPTIONAL_RESULTSET_METADATA"},
    {kClientZstdCompression, "ZSTD_COMPRESSION_ALGORITHM"},
    {kClientQueryAttributes, "QUERY_ATTRIBUTES"},
    {kClientMultiFactorAuthentication, "MULTI_FACTOR_AUTHENTICATION"},
    {kClientCapabilityExtension, "CAPABILITY_EXTENSION"},
    {kClientSslVerifyServerCert, "SSL_VERIFY_SERVER_CERT"},
    {kClientRememberOptions, "REMEMBER_OPTIONS"},
    {kMariaDbClientProgress, "MARIADB_PROGRESS"},
    {kMariaDbClientComMulti, "MARIADB_COM_MULTI"},
    {kMariaDbClientStmtBulkOperations, "MARIADB_STMT_BULK_OPERATIONS"},
    {kMariaDbClientExtendedMetadata, "MARIADB_EXTENDED_METADATA"},
    {kMariaDbClientCacheMetadata, "MARIADB_CACHE_METADATA"},
    {kMariaDbClientBulkUnitResults, "MARIADB_BULK_UNIT_RESULTS"},
}};

constexpr std::array<FlagName, 14> kStatusNames = {{
    {kServerStatusInTrans, "IN_TRANS"},
    {kServerStatusAutocommit, "AUTOCOMMIT"},
    {kServerMoreResultsExist, "MORE_RESULTS_EXISTS"},
    {kServerQueryNoGoodIndexUsed, "NO_GOOD_INDEX_USED"},
    {kServerQueryNoIndexUsed, "NO_INDEX_USED"},
    {kServerStatusCursorExists, "CURSOR_EXISTS"},
    {kServerStatusLastRowSent, "LAST_ROW_SENT"},
    {kServerStatusDbDropped, "DB_DROPPED"},
    {kServerStatusNoBackslashEscapes, "NO_BACKSLASH_ESCAPES"},
    {kServerStatusMetadataChanged, "METADATA_CHANGED"},
    {kServerQueryWasSlow, "QUERY_WAS_SLOW"},
    {kServerPsOutParams, "PS_OUT_PARAMS"},
    {kServerStatusInTransReadonly, "IN_TRANS_READONLY"},
    {kServerSessionStateChanged, "SESSION_STATE_CHANGED"},
}};

template <size_t N>
std::string FlagsToString(uint64_t flags, const std::array<FlagName, N>& names) {
  std::string out;
  for (const FlagName& flag : names) {
    if ((flags & flag.bit) == 0) continue;
    if (!out.empty()) out += '|';
    out += flag.name;
    flags &= ~flag.bit;
  }
  if (flags != 0) absl::StrAppend(&out, out.empty() ? "" : "|", "0x", absl::Hex(flags));
  return out;
}

}  // namespace

Capabilities AdvertisedCapabilities(Capabilities backend_offered) {
  return kProxyServerCapabilities & (backend_offered | ~kResponseShapingCapabilities);
}

Capabilities NegotiatedClientCapabilities(Capabilities client_requested, Capabilities advertised) {
  return client_requested & advertised;
}

Capabilities BackendClientCapabilities(Capabilities client_negotiated,
                                       Capabilities backend_offered) {
  constexpr Capabilities kWhenOffered = kClientConnectAttrs | kClientPluginAuthLenencClientData |
                                        kClientLongPassword | kClientLongFlag;
  const Capabilities wanted = (client_negotiated & kResponseShapingCapabilities) |
                              kRequiredBackendCapabilities | kWhenOffered;
  // Bit 0 clear means "MariaDB extensions follow"; the proxy requests none,
  // so it keeps bit 0 set whatever the backend offers.
  return (wanted & backend_offered) | kClientLongPassword;
}

std::string CapabilitiesToString(Capabilities capabilities) {
  return FlagsToString(capabilities, kCapabilityNames);
}

std::string StatusFlagsToString(StatusFlags flags) { return FlagsToString(flags, kStatusNames); }

}  // namespace switchyard::mysql
