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

TEST(SessionParameters, ChangingOneSessionLeavesTheOneItSharedWithUnchanged) {
  SessionParameters a(ParameterMap{{"timezone", "UTC"}});
  SessionParameters b = a;
  b.Set("timezone", "Europe/Paris");
  EXPECT_EQ(a.get().at("timezone"), "UTC");
  EXPECT_EQ(b.get().at("timezone"), "Europe/Paris");
  b.Erase("timezone");
  EXPECT_EQ(b.get().count("timezone"), 0u);
  EXPECT_EQ(a.get().count("timezone"), 1u);
}

TEST(SessionParameters, InternSharesEqualMapsOnly) {
  SessionParameters login(ParameterMap{{"application_name", "pgbench"}});
  SessionParameters same(ParameterMap{{"application_name", "pgbench"}});
  SessionParameters other(ParameterMap{{"application_name", "psql"}});
  same.Intern(login);
  other.Intern(login);
  EXPECT_EQ(&same.get(), &login.get());
  EXPECT_NE(&other.get(), &login.get());
  // Setting the value it already has copies nothing.
  same.Set("application_name", "pgbench");
  EXPECT_EQ(&same.get(), &login.get());
}

}  // namespace
}  // namespace switchyard::pg
