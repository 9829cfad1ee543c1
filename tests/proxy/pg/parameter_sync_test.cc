#include "proxy/pg/parameter_sync.h"

#include <gtest/gtest.h>

namespace switchyard::pg {
namespace {

TEST(ParameterSync, MatchingBackendNeedsNoStatement) {
  ParameterMap wanted = {{"application_name", "app"}, {"timezone", "UTC"}};
  ParameterMap backend = wanted;
  EXPECT_EQ(BuildParameterSync(wanted, backend), "");
}

TEST(ParameterSync, DifferingValuesAreSetWithSetConfigAndQuoted) {
  ParameterMap wanted = {{"application_name", "it's"}, {"search_path", "a, b"}};
  ParameterMap backend = {{"application_name", "other"}};
  EXPECT_EQ(BuildParameterSync(wanted, backend),
            "SELECT pg_catalog.set_config('application_name', 'it''s', false), "
            "pg_catalog.set_config('search_path', 'a, b', false)");
  EXPECT_EQ(backend, wanted);
  EXPECT_EQ(BuildParameterSync(wanted, backend), "");
}

TEST(ParameterSync, SettingLeftByAnotherClientIsReset) {
  ParameterMap wanted = {{"timezone", "UTC"}};
  ParameterMap backend = {{"timezone", "UTC"}, {"search_path", "other"}};
  EXPECT_EQ(BuildParameterSync(wanted, backend), "RESET search_path");
  EXPECT_EQ(backend.count("search_path"), 0u);
}

TEST(ParameterSync, ConnectionParametersAreNeverSet) {
  ParameterMap wanted = {{"user", "app"}, {"database", "app"}, {"server_version", "15"}};
  ParameterMap backend;
  EXPECT_EQ(BuildParameterSync(wanted, backend), "");
}

TEST(ParameterSync, ReportedParameterIsNotResetWhenUnwanted) {
  ParameterMap wanted;
  ParameterMap backend = {{"datestyle", "ISO, MDY"}};
  EXPECT_EQ(BuildParameterSync(wanted, backend), "");
}

}  // namespace
}  // namespace switchyard::pg
