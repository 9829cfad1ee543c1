# Integration tests against real PostgreSQL and MariaDB servers.
#
# The fixture `sy_servers` (tests integration/servers_start and integration/servers_stop,
# defined in tests/integration/CMakeLists.txt) starts a PostgreSQL primary + streaming
# replica and a MariaDB primary + GTID replica on the test ports below, with data under
# ${CMAKE_BINARY_DIR}/test-run. ctest runs the setup before the first test that requires
# the fixture and the cleanup after the last one, also for `ctest -R <one test>`.
#
#   switchyard_integration_test(NAME <name> COMMAND <cmd> [args...]
#                               [TIMEOUT <seconds>]          default 120
#                               [RESOURCE_LOCK <lock>...]    extra locks
#                               [PARALLEL]                   see below
#                               [LABELS <label>...]
#                               [ENVIRONMENT <VAR=value>...]
#                               [WORKING_DIRECTORY <dir>])
#
# The test is named integration/<name> (the prefix is added unless present). It requires
# the server fixture, carries the label `integration`, and sees these variables:
#   SY_PG_PRIMARY_PORT SY_PG_REPLICA_PORT SY_MY_PRIMARY_PORT SY_MY_REPLICA_PORT
#   SY_TEST_RUN_DIR SY_SOURCE_DIR SY_PROXY_PORT_BASE SY_TEST_NAME
#   SY_SWITCHYARD_BIN (when the `switchyard` target exists)
# Integration tests share the servers and the proxy port range, so by default they hold
# the resource lock `sy_integration` and run one at a time (unit tests still run beside
# them under `ctest -j`). PARALLEL drops that lock for a test that only reads and uses
# its own proxy port offset.
include_guard(GLOBAL)

# The test ports. Cache variables, so that a second build directory whose tests must
# run at the same time as another's can be configured with other ports
# (-DSY_PG_PRIMARY_PORT=...); the defaults are the project's agreed test ports.
set(SY_PG_PRIMARY_PORT 54330 CACHE STRING "integration tests: PostgreSQL primary port")
set(SY_PG_REPLICA_PORT 54331 CACHE STRING "integration tests: PostgreSQL replica port")
set(SY_MY_PRIMARY_PORT 53316 CACHE STRING "integration tests: MariaDB primary port")
set(SY_MY_REPLICA_PORT 53317 CACHE STRING "integration tests: MariaDB replica port")
set(SY_PROXY_PORT_BASE 6440 CACHE STRING "integration tests: first proxy port (tests add offsets)")
set(SY_TEST_RUN_DIR ${CMAKE_BINARY_DIR}/test-run)
set(SY_INTEGRATION_DIR ${CMAKE_CURRENT_LIST_DIR})

# Environment common to the fixture steps and every integration test.
set(SY_INTEGRATION_ENV
  SY_PG_PRIMARY_PORT=${SY_PG_PRIMARY_PORT}
  SY_PG_REPLICA_PORT=${SY_PG_REPLICA_PORT}
  SY_MY_PRIMARY_PORT=${SY_MY_PRIMARY_PORT}
  SY_MY_REPLICA_PORT=${SY_MY_REPLICA_PORT}
  SY_TEST_RUN_DIR=${SY_TEST_RUN_DIR}
  SY_SOURCE_DIR=${PROJECT_SOURCE_DIR}
  SY_PROXY_PORT_BASE=${SY_PROXY_PORT_BASE}
)

function(switchyard_integration_test)
  cmake_parse_arguments(PARSE_ARGV 0 arg "PARALLEL" "NAME;TIMEOUT;WORKING_DIRECTORY"
                        "COMMAND;RESOURCE_LOCK;LABELS;ENVIRONMENT")
  if(NOT arg_NAME OR NOT arg_COMMAND)
    message(FATAL_ERROR "switchyard_integration_test: NAME and COMMAND are required")
  endif()
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "switchyard_integration_test(${arg_NAME}): unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  set(name ${arg_NAME})
  if(NOT name MATCHES "^integration/")
    set(name integration/${name})
  endif()
  string(REGEX REPLACE "^integration/" "" short_name ${name})
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 120)
  endif()
  if(NOT arg_WORKING_DIRECTORY)
    set(arg_WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  endif()

  add_test(NAME ${name} COMMAND ${arg_COMMAND} WORKING_DIRECTORY ${arg_WORKING_DIRECTORY})

  set(env ${SY_INTEGRATION_ENV} SY_TEST_NAME=${short_name} ${arg_ENVIRONMENT})
  if(TARGET switchyard)
    list(APPEND env SY_SWITCHYARD_BIN=$<TARGET_FILE:switchyard>)
  endif()
  set(labels integration ${arg_LABELS})
  set(locks ${arg_RESOURCE_LOCK})
  if(NOT arg_PARALLEL)
    list(APPEND locks sy_integration)
  endif()
  set_tests_properties(${name} PROPERTIES
    FIXTURES_REQUIRED sy_servers
    TIMEOUT ${arg_TIMEOUT}
    LABELS "${labels}"
    ENVIRONMENT "${env}")
  if(locks)
    set_tests_properties(${name} PROPERTIES RESOURCE_LOCK "${locks}")
  endif()
endfunction()
