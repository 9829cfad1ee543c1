# Runs `switchyard analyze` on INPUT (as a file and on stdin) and compares
# its output with EXPECTED; then checks that a bad dialect fails and a
# missing file exits with status 2. Invoked by ctest with -DSWITCHYARD=… -DINPUT=…
# -DEXPECTED=…. After an intended output change regenerate EXPECTED with
#   build/switchyard analyze --dialect pg input.sql > expected.jsonl
file(READ ${EXPECTED} expected)
execute_process(COMMAND ${SWITCHYARD} analyze --dialect pg ${INPUT}
                OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT out STREQUAL expected)
  message(FATAL_ERROR "analyze FILE: rc=${rc}\n--- got\n${out}--- expected\n${expected}")
endif()
execute_process(COMMAND ${SWITCHYARD} analyze --dialect pg INPUT_FILE ${INPUT}
                OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT out STREQUAL expected)
  message(FATAL_ERROR "analyze stdin: rc=${rc}\n--- got\n${out}")
endif()
execute_process(COMMAND ${SWITCHYARD} analyze --dialect oracle ${INPUT}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
# The command line may reject the dialect itself (CLI11) before RunAnalyze.
if(rc EQUAL 0 OR NOT err MATCHES "dialect")
  message(FATAL_ERROR "bad dialect: rc=${rc} err=${err}")
endif()
execute_process(COMMAND ${SWITCHYARD} analyze --dialect mysql /nonexistent/file.sql
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 2 OR NOT err MATCHES "cannot read")
  message(FATAL_ERROR "missing file: rc=${rc} err=${err}")
endif()
