# libpg_query (test oracle / benchmark peer) and MySQL Connector/C++ (control plane)
# ship no CMake or pkg-config files on Debian 12, so they are found by hand.
find_path(PG_QUERY_INCLUDE_DIR pg_query.h)
find_library(PG_QUERY_LIBRARY pg_query)
if(PG_QUERY_INCLUDE_DIR AND PG_QUERY_LIBRARY)
  add_library(pg_query::pg_query UNKNOWN IMPORTED)
  set_target_properties(pg_query::pg_query PROPERTIES
    IMPORTED_LOCATION ${PG_QUERY_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${PG_QUERY_INCLUDE_DIR})
  set(SWITCHYARD_HAVE_PG_QUERY ON)
endif()

find_path(MYSQLCPPCONN_INCLUDE_DIR cppconn/driver.h)
find_library(MYSQLCPPCONN_LIBRARY mysqlcppconn)
if(MYSQLCPPCONN_INCLUDE_DIR AND MYSQLCPPCONN_LIBRARY)
  add_library(mysqlcppconn::mysqlcppconn UNKNOWN IMPORTED)
  set_target_properties(mysqlcppconn::mysqlcppconn PROPERTIES
    IMPORTED_LOCATION ${MYSQLCPPCONN_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${MYSQLCPPCONN_INCLUDE_DIR})
  set(SWITCHYARD_HAVE_MYSQLCPPCONN ON)
endif()
