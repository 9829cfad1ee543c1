# The proxy's end-to-end tests on the real servers (see IntegrationTest.cmake).
set(pg_dir ${CMAKE_CURRENT_SOURCE_DIR}/pg)
switchyard_integration_test(NAME pg/psql_through_proxy
  COMMAND bash ${pg_dir}/psql_through_proxy.sh TIMEOUT 120)
switchyard_integration_test(NAME pg/pgbench_through_proxy
  COMMAND bash ${pg_dir}/pgbench_through_proxy.sh TIMEOUT 180)
