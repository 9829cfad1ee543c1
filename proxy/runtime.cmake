# The Asio runtime: listeners, workers, pools, client sessions.
add_library(switchyard_proxy
  ${CMAKE_CURRENT_LIST_DIR}/frame_reader.cc
  ${CMAKE_CURRENT_LIST_DIR}/my_backend.cc
  ${CMAKE_CURRENT_LIST_DIR}/my_client.cc
  ${CMAKE_CURRENT_LIST_DIR}/my_client_forward.cc
  ${CMAKE_CURRENT_LIST_DIR}/my_client_fresh.cc
  ${CMAKE_CURRENT_LIST_DIR}/my_client_login.cc
  ${CMAKE_CURRENT_LIST_DIR}/my_client_relay.cc
  ${CMAKE_CURRENT_LIST_DIR}/my_client_stmt.cc
  ${CMAKE_CURRENT_LIST_DIR}/my_packet_io.cc
  ${CMAKE_CURRENT_LIST_DIR}/my_pool.cc
  ${CMAKE_CURRENT_LIST_DIR}/pg_admin.cc
  ${CMAKE_CURRENT_LIST_DIR}/pg_backend.cc
  ${CMAKE_CURRENT_LIST_DIR}/pg_client.cc
  ${CMAKE_CURRENT_LIST_DIR}/pg_client_batch.cc
  ${CMAKE_CURRENT_LIST_DIR}/pg_client_startup.cc
  ${CMAKE_CURRENT_LIST_DIR}/pg_client_translate.cc
  ${CMAKE_CURRENT_LIST_DIR}/pg_client_write.cc
  ${CMAKE_CURRENT_LIST_DIR}/pg_pool.cc
  ${CMAKE_CURRENT_LIST_DIR}/pg_relay.cc
  ${CMAKE_CURRENT_LIST_DIR}/pg_relay_end.cc
  ${CMAKE_CURRENT_LIST_DIR}/server.cc
  ${CMAKE_CURRENT_LIST_DIR}/monitor.cc
  ${CMAKE_CURRENT_LIST_DIR}/server_choice.cc
  ${CMAKE_CURRENT_LIST_DIR}/shared_state.cc
  ${CMAKE_CURRENT_LIST_DIR}/socket_io.cc
  ${CMAKE_CURRENT_LIST_DIR}/worker.cc
)
target_include_directories(switchyard_proxy PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(switchyard_proxy PUBLIC
  switchyard_asio switchyard_pg_protocol switchyard_mysql_protocol switchyard_routing switchyard_parser
  switchyard_config switchyard_common spdlog::spdlog fmt::fmt OpenSSL::Crypto PostgreSQL::PostgreSQL
  absl::flat_hash_map absl::flat_hash_set absl::status absl::statusor)
# The MariaDB monitor uses libmariadb's C API (Connector/C++ 1.1's exceptions
# from failed connects read freed memory: the proxy crashed when a server died).
find_path(SY_LIBMARIADB_INCLUDE_DIR mysql.h PATH_SUFFIXES mariadb REQUIRED)
find_library(SY_LIBMARIADB_LIBRARY mariadb REQUIRED)
target_include_directories(switchyard_proxy PRIVATE ${SY_LIBMARIADB_INCLUDE_DIR})
target_link_libraries(switchyard_proxy PRIVATE ${SY_LIBMARIADB_LIBRARY})
