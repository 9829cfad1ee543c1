#include "proxy/mysql/capabilities.h"

#include <gtest/gtest.h>

namespace switchyard::mysql {
namespace {

TEST(MysqlCapabilities, NamesForLogs) {
  EXPECT_EQ(CapabilitiesToString(kClientProtocol41 | kClientSsl), "PROTOCOL_41|SSL");
  EXPECT_EQ(CapabilitiesToString(kMariaDbClientProgress), "MARIADB_PROGRESS");
  EXPECT_EQ(CapabilitiesToString(1ull << 50), "0x4000000000000");
  EXPECT_EQ(CapabilitiesToString(0), "");
  EXPECT_EQ(StatusFlagsToString(kServerStatusInTrans | kServerMoreResultsExist),
            "IN_TRANS|MORE_RESULTS_EXISTS");
}

TEST(MysqlCapabilities, ProxyNeverAdvertisesWhatItCannotRelay) {
  for (Capabilities refused :
       {kClientSsl, kClientCompress, kClientLocalFiles, kClientQueryAttributes,
        kClientOptionalResultsetMetadata, kClientZstdCompression, kMariaDbClientCacheMetadata}) {
    EXPECT_EQ(kProxyServerCapabilities & refused, 0u) << CapabilitiesToString(refused);
  }
  EXPECT_NE(kProxyServerCapabilities & kClientMysql, 0u);  // no MariaDB extensions
}

TEST(MysqlCapabilities, AdvertisedFollowsBackendForResponseShapingBits) {
  const Capabilities old_backend = kRequiredBackendCapabilities | kClientMultiResults;
  const Capabilities advertised = AdvertisedCapabilities(old_backend);
  EXPECT_EQ(advertised & kClientDeprecateEof, 0u);
  EXPECT_EQ(advertised & kClientSessionTrack, 0u);
  EXPECT_NE(advertised & kClientMultiResults, 0u);
  EXPECT_NE(advertised & kClientPluginAuth, 0u);
  EXPECT_EQ(AdvertisedCapabilities(~0ull), kProxyServerCapabilities);
}

TEST(MysqlCapabilities, BackendRequestMirrorsClientShapingBits) {
  const Capabilities client =
      NegotiatedClientCapabilities(kClientProtocol41 | kClientDeprecateEof | kClientSsl |
                                       kClientLocalFiles | kClientMultiStatements,
                                   kProxyServerCapabilities);
  EXPECT_EQ(client & (kClientSsl | kClientLocalFiles), 0u);
  const Capabilities backend_offer = ~0ull & ~kClientMysql;  // a MariaDB offering everything
  const Capabilities request = BackendClientCapabilities(client, backend_offer);
  EXPECT_EQ(request & kRequiredBackendCapabilities, kRequiredBackendCapabilities);
  EXPECT_NE(request & kClientDeprecateEof, 0u);
  EXPECT_NE(request & kClientMultiStatements, 0u);
  EXPECT_EQ(request & kClientSessionTrack, 0u);  // client did not ask
  EXPECT_EQ(request & kClientLocalFiles, 0u);
  EXPECT_EQ(request >> 32, 0u);  // no MariaDB extensions requested
  EXPECT_NE(request & kClientMysql, 0u);
  EXPECT_EQ(PoolCompatibilityKey(client), PoolCompatibilityKey(request));
}

}  // namespace
}  // namespace switchyard::mysql
