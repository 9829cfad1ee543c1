# The MySQL endpoint's end-to-end tests on the real MariaDB pair (see
# IntegrationTest.cmake). Proxy ports: SY_PROXY_PORT_BASE + 30..49 (scripts), 50..59 (C++ clients).
set(my_dir ${CMAKE_CURRENT_SOURCE_DIR}/mysql)
switchyard_integration_test(NAME mysql/mariadb_through_proxy
  COMMAND bash ${my_dir}/mariadb_through_proxy.sh TIMEOUT 180)
switchyard_integration_test(NAME mysql/sysbench_through_proxy
  COMMAND bash ${my_dir}/sysbench_through_proxy.sh TIMEOUT 240)
switchyard_integration_test(NAME mysql/faults
  COMMAND bash ${my_dir}/faults.sh TIMEOUT 120)

# C++ clients through the proxy (proxy ports SY_PROXY_PORT_BASE + 50..59).
if(SWITCHYARD_HAVE_MYSQLCPPCONN)
  add_executable(mysql_connector_test ${my_dir}/connector_test.cc)
  target_include_directories(mysql_connector_test PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(mysql_connector_test mysqlcppconn::mysqlcppconn GTest::gtest_main
                        Threads::Threads)
  switchyard_integration_test(NAME mysql/connector_cpp
    COMMAND $<TARGET_FILE:mysql_connector_test> --gtest_brief=0 TIMEOUT 180)
endif()

# libmariadb (Debian libmariadb-dev, in scripts/install-deps): COM_CHANGE_USER,
# caching_sha2_password, a backend lost mid-result.
find_path(SY_MARIADB_INCLUDE_DIR mysql.h PATH_SUFFIXES mariadb)
find_library(SY_MARIADB_LIBRARY mariadb)
if(SY_MARIADB_INCLUDE_DIR AND SY_MARIADB_LIBRARY)
  add_executable(mysql_libmariadb_test ${my_dir}/libmariadb_test.cc)
  target_include_directories(mysql_libmariadb_test PRIVATE ${PROJECT_SOURCE_DIR}
                             ${SY_MARIADB_INCLUDE_DIR})
  target_link_libraries(mysql_libmariadb_test ${SY_MARIADB_LIBRARY} OpenSSL::Crypto
                        GTest::gtest_main Threads::Threads)
  switchyard_integration_test(NAME mysql/libmariadb
    COMMAND $<TARGET_FILE:mysql_libmariadb_test> --gtest_brief=0 TIMEOUT 180)
  # Parked idle clients (proxy ports +55, +56).
  add_executable(mysql_parked_client_test ${my_dir}/parked_client_test.cc)
  target_include_directories(mysql_parked_client_test PRIVATE ${PROJECT_SOURCE_DIR}
                             ${SY_MARIADB_INCLUDE_DIR})
  target_link_libraries(mysql_parked_client_test ${SY_MARIADB_LIBRARY} GTest::gtest_main
                        Threads::Threads)
  switchyard_integration_test(NAME mysql/parked_clients
    COMMAND $<TARGET_FILE:mysql_parked_client_test> --gtest_brief=0 TIMEOUT 120)
else()
  message(STATUS "libmariadb-dev not found: integration/mysql/libmariadb is not built")
endif()

# Issue 5 on MariaDB: read-your-writes by GTID, lag, hints, read retries
# (proxy ports +36, +37), and failover / two primaries on a pair of its own
# (MariaDB ports SY_MY_PRIMARY_PORT + 2, SY_MY_REPLICA_PORT + 2; proxy port +38).
switchyard_integration_test(NAME mysql/freshness
  COMMAND bash ${my_dir}/freshness.sh TIMEOUT 240)
switchyard_integration_test(NAME mysql/failover
  COMMAND bash ${my_dir}/failover.sh TIMEOUT 240)
