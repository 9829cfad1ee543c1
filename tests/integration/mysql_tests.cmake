# The MySQL endpoint's end-to-end tests on the real MariaDB pair (see
# IntegrationTest.cmake). Proxy ports: SY_PROXY_PORT_BASE + 30..49.
set(my_dir ${CMAKE_CURRENT_SOURCE_DIR}/mysql)
switchyard_integration_test(NAME mysql/mariadb_through_proxy
  COMMAND bash ${my_dir}/mariadb_through_proxy.sh TIMEOUT 180)
switchyard_integration_test(NAME mysql/sysbench_through_proxy
  COMMAND bash ${my_dir}/sysbench_through_proxy.sh TIMEOUT 240)
switchyard_integration_test(NAME mysql/faults
  COMMAND bash ${my_dir}/faults.sh TIMEOUT 120)
