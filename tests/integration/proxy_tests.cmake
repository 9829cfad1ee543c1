# The proxy's end-to-end tests on the real servers (see IntegrationTest.cmake).
set(pg_dir ${CMAKE_CURRENT_SOURCE_DIR}/pg)
switchyard_integration_test(NAME pg/psql_through_proxy
  COMMAND bash ${pg_dir}/psql_through_proxy.sh TIMEOUT 120)
switchyard_integration_test(NAME pg/pgbench_through_proxy
  COMMAND bash ${pg_dir}/pgbench_through_proxy.sh TIMEOUT 180)

add_executable(pg_faults_test ${pg_dir}/faults_test.cc)
target_include_directories(pg_faults_test PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(pg_faults_test PostgreSQL::PostgreSQL GTest::gtest_main)
switchyard_integration_test(NAME pg/faults
  COMMAND $<TARGET_FILE:pg_faults_test> --gtest_brief=0 TIMEOUT 180)

add_executable(pg_parked_client_test ${pg_dir}/parked_client_test.cc)
target_include_directories(pg_parked_client_test PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(pg_parked_client_test PostgreSQL::PostgreSQL GTest::gtest_main)
switchyard_integration_test(NAME pg/parked_clients
  COMMAND $<TARGET_FILE:pg_parked_client_test> --gtest_brief=0 TIMEOUT 120)
include(${CMAKE_CURRENT_SOURCE_DIR}/mysql_tests.cmake)
switchyard_integration_test(NAME pg/freshness
  COMMAND bash ${pg_dir}/freshness.sh TIMEOUT 180)
switchyard_integration_test(NAME pg/failover
  COMMAND bash ${pg_dir}/failover.sh TIMEOUT 180)
