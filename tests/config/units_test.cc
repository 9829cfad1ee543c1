#include "config/units.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace switchyard::config {
namespace {

using ::testing::HasSubstr;

TEST(ParseDurationMs, BareIntegerIsMilliseconds) {
  EXPECT_EQ(ParseDurationMs("0").value(), 0);
  EXPECT_EQ(ParseDurationMs("5000").value(), 5000);
}

TEST(ParseDurationMs, AcceptsMsSecondsMinutesHours) {
  EXPECT_EQ(ParseDurationMs("250ms").value(), 250);
  EXPECT_EQ(ParseDurationMs("5s").value(), 5000);
  EXPECT_EQ(ParseDurationMs("10m").value(), 600000);
  EXPECT_EQ(ParseDurationMs("1h").value(), 3600000);
}

TEST(ParseDurationMs, AcceptsUpToIntMaxMilliseconds) {
  EXPECT_EQ(ParseDurationMs("2147483647").value(), 2147483647);
  EXPECT_EQ(ParseDurationMs("596h").value(), 596 * 3600000);
}

TEST(ParseDurationMs, RejectsOtherFormsNamingTheAcceptedOnes) {
  for (std::string_view bad : {"", "s", "-5s", "+5s", "5 s", " 5s", "1.5s", "5sec", "5S", "1m30s",
                               "1d", "2147483648", "597h", "99999999999999999999999"}) {
    absl::StatusOr<int> ms = ParseDurationMs(bad);
    ASSERT_FALSE(ms.ok()) << bad;
    EXPECT_THAT(ms.status().message(), HasSubstr("is not a duration: use milliseconds")) << bad;
  }
}

TEST(ParseSizeBytes, BareIntegerIsBytes) {
  EXPECT_EQ(ParseSizeBytes("10000").value(), 10000u);
  EXPECT_EQ(ParseSizeBytes("0").value(), 0u);
}

TEST(ParseSizeBytes, AcceptsBinaryUnits) {
  EXPECT_EQ(ParseSizeBytes("512B").value(), 512u);
  EXPECT_EQ(ParseSizeBytes("8KiB").value(), 8192u);
  EXPECT_EQ(ParseSizeBytes("64MiB").value(), 64u * 1024 * 1024);
  EXPECT_EQ(ParseSizeBytes("1GiB").value(), 1024u * 1024 * 1024);
}

TEST(ParseSizeBytes, RejectsDecimalUnitsWithAHint) {
  absl::StatusOr<uint64_t> mb = ParseSizeBytes("64MB");
  ASSERT_FALSE(mb.ok());
  EXPECT_THAT(mb.status().message(), HasSubstr("\"MB\" is ambiguous, write MiB"));
  EXPECT_THAT(ParseSizeBytes("8kB").status().message(), HasSubstr("write KiB"));
}

TEST(ParseSizeBytes, RejectsJunkAndHugeValues) {
  for (std::string_view bad : {"", "MiB", "-1", "1.5MiB", "64 MiB", "64mib", "64M", "1TiB",
                               "1025GiB", "99999999999999999999999"}) {
    absl::StatusOr<uint64_t> bytes = ParseSizeBytes(bad);
    ASSERT_FALSE(bytes.ok()) << bad;
    EXPECT_THAT(bytes.status().message(), HasSubstr("is not a size")) << bad;
  }
}

}  // namespace
}  // namespace switchyard::config
