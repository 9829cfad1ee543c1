# tests/integration/lib.sh: helpers for integration tests that talk to real servers.
#
# Source it from a bash test:   source "$(dirname "$0")/lib.sh"
# It turns on `set -euo pipefail`. Every value comes from the environment that
# switchyard_integration_test() sets (tests/integration/IntegrationTest.cmake); the
# defaults below match it, so a test script also runs by hand once the servers are up
# (`SY_KEEP_SERVERS=1 ctest --test-dir build -R integration/servers_start`).
#
# Servers (see docs/testing.md):
#   PostgreSQL primary/replica  127.0.0.1:$SY_PG_PRIMARY_PORT / $SY_PG_REPLICA_PORT
#       superuser postgres (trust); roles app, app_md5, app_clear, app_trust, password 'app';
#       database app.
#   MariaDB primary/replica     127.0.0.1:$SY_MY_PRIMARY_PORT / $SY_MY_REPLICA_PORT
#       root without password; app@'%' password 'app'; database app.
#   Proxy ports: $SY_PROXY_PORT_BASE + an offset of the test's choosing (proxy_port N).

set -euo pipefail

SY_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${SY_SOURCE_DIR:=$(cd "$SY_LIB_DIR/../.." && pwd)}"
: "${SY_PG_PRIMARY_PORT:=54330}"
: "${SY_PG_REPLICA_PORT:=54331}"
: "${SY_MY_PRIMARY_PORT:=53316}"
: "${SY_MY_REPLICA_PORT:=53317}"
: "${SY_TEST_RUN_DIR:=$SY_SOURCE_DIR/build/test-run}"
: "${SY_PROXY_PORT_BASE:=6440}"
: "${SY_SWITCHYARD_BIN:=$SY_SOURCE_DIR/build/switchyard}"
export SY_SOURCE_DIR SY_PG_PRIMARY_PORT SY_PG_REPLICA_PORT SY_MY_PRIMARY_PORT \
  SY_MY_REPLICA_PORT SY_TEST_RUN_DIR SY_PROXY_PORT_BASE SY_SWITCHYARD_BIN

SY_PG_DIR=$SY_TEST_RUN_DIR/pg
SY_MY_DIR=$SY_TEST_RUN_DIR/mariadb
SY_PG_BIN=/usr/lib/postgresql/15/bin
# The test's name, for messages and its scratch directory.
SY_TEST_NAME=${SY_TEST_NAME:-$(basename "$0" .sh)}

# ---------------------------------------------------------------------------- messages
info() { echo "[$SY_TEST_NAME] $*"; }

# fail MESSAGE...: print a clear failure and end the test with status 1.
fail() {
  echo "" >&2
  echo "FAIL [$SY_TEST_NAME]: $*" >&2
  # Where in the test (the first caller outside this library).
  local i
  for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
    if [[ ${BASH_SOURCE[i]} != "${BASH_SOURCE[0]}" ]]; then
      echo "  at ${BASH_SOURCE[i]}:${BASH_LINENO[i - 1]}" >&2
      break
    fi
  done
  exit 1
}

# assert_eq EXPECTED ACTUAL WHAT
assert_eq() {
  [[ $1 == "$2" ]] || fail "$3: expected '$1', got '$2'"
}

# assert_contains HAYSTACK NEEDLE WHAT
assert_contains() {
  [[ $1 == *"$2"* ]] || fail "$3: expected to contain '$2', got '$1'"
}

# ------------------------------------------------------------------------------ waiting
# wait_for_port PORT [TIMEOUT_SECONDS=30] [HOST=127.0.0.1]: until a TCP connect succeeds.
wait_for_port() {
  local port=$1 timeout=${2:-30} host=${3:-127.0.0.1} i
  for ((i = 0; i < timeout * 10; i++)); do
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  fail "nothing accepted connections on $host:$port within ${timeout}s"
}

# port_is_free PORT: true if nothing listens on 127.0.0.1:PORT.
port_is_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_until TIMEOUT_SECONDS COMMAND...: retry COMMAND (quietly) every 0.1 s until it
# succeeds; returns 1 on timeout (the caller says what failed).
wait_until() {
  local timeout=$1 i
  shift
  for ((i = 0; i < timeout * 10; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

# --------------------------------------------------------------------------- PostgreSQL
# sy_psql PORT USER DATABASE [psql args...]: unaligned, tuples only, stops on error.
# Password: $PGPASSWORD if set, else 'app'.
sy_psql() {
  local port=$1 user=$2 db=$3
  shift 3
  PGPASSWORD=${PGPASSWORD:-app} PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-10} \
    "$SY_PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$user" -d "$db" "$@"
}
# Superuser (postgres, trust) on database app.
psql_primary() { sy_psql "$SY_PG_PRIMARY_PORT" postgres app "$@"; }
psql_replica() { sy_psql "$SY_PG_REPLICA_PORT" postgres app "$@"; }
# Role app (SCRAM) on database app.
psql_app_primary() { sy_psql "$SY_PG_PRIMARY_PORT" app app "$@"; }
psql_app_replica() { sy_psql "$SY_PG_REPLICA_PORT" app app "$@"; }
# psql_proxy PORT [psql args...]: role app through the proxy listening on PORT.
psql_proxy() {
  local port=$1
  shift
  sy_psql "$port" "${SY_PROXY_PG_USER:-app}" "${SY_PROXY_PG_DB:-app}" "$@"
}

# pg_wait_replica_caught_up [TIMEOUT=10]: until the replica has replayed everything the
# primary had written when called.
pg_wait_replica_caught_up() {
  local timeout=${1:-10} lsn
  lsn=$(psql_primary -c "SELECT pg_current_wal_insert_lsn()")  # async commit: not yet written
  wait_until "$timeout" _pg_replayed "$lsn" ||
    fail "PostgreSQL replica did not replay up to $lsn within ${timeout}s"
}
_pg_replayed() {
  [[ $(psql_replica -c "SELECT pg_last_wal_replay_lsn() >= '$1'::pg_lsn") == t ]]
}

# ------------------------------------------------------------------------------ MariaDB
# sy_mariadb PORT USER PASSWORD DATABASE [client args...]: batch mode, no column names,
# TCP only, ignoring /etc/mysql.
sy_mariadb() {
  local port=$1 user=$2 password=$3 db=$4
  shift 4
  local pw=()
  [[ -n $password ]] && pw=("--password=$password")
  mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$port" -u "$user" "${pw[@]}" \
    --connect-timeout=10 --batch --skip-column-names "$db" "$@"
}
# root (no password) on database app.
my_primary() { sy_mariadb "$SY_MY_PRIMARY_PORT" root "" app "$@"; }
my_replica() { sy_mariadb "$SY_MY_REPLICA_PORT" root "" app "$@"; }
# app/app on database app.
my_app_primary() { sy_mariadb "$SY_MY_PRIMARY_PORT" app app app "$@"; }
my_app_replica() { sy_mariadb "$SY_MY_REPLICA_PORT" app app app "$@"; }
# my_proxy PORT [client args...]: app/app through the proxy listening on PORT.
my_proxy() {
  local port=$1
  shift
  sy_mariadb "$port" "${SY_PROXY_MY_USER:-app}" "${SY_PROXY_MY_PASSWORD:-app}" "${SY_PROXY_MY_DB:-app}" "$@"
}

# my_wait_replica_caught_up [TIMEOUT=10]: until the replica has applied the primary's
# current GTID position.
my_wait_replica_caught_up() {
  local timeout=${1:-10} pos
  pos=$(my_primary -e "SELECT @@gtid_binlog_pos")
  [[ $(my_replica -e "SELECT MASTER_GTID_WAIT('$pos', $timeout)") == 0 ]] ||
    fail "MariaDB replica did not reach GTID $pos within ${timeout}s"
}

# -------------------------------------------------------------------------------- proxy
# proxy_port OFFSET: a proxy port for this test (base + offset; pick distinct offsets).
proxy_port() { echo $((SY_PROXY_PORT_BASE + $1)); }

# test_tmpdir: a fresh scratch directory for this test under the run directory.
test_tmpdir() {
  local d=$SY_TEST_RUN_DIR/tmp/$SY_TEST_NAME
  rm -rf "$d"
  mkdir -p "$d"
  echo "$d"
}

# start_proxy CONFIG_FILE LOG_FILE [PORT_TO_WAIT_FOR]: run `switchyard serve` in the
# background, stopped again when the test exits (trap). Sets SY_PROXY_PID. If a port is
# given, waits until it accepts (printing the log tail if it never does).
start_proxy() {
  local config=$1 logfile=$2 port=${3:-}
  [[ -x $SY_SWITCHYARD_BIN ]] || fail "switchyard binary not found at $SY_SWITCHYARD_BIN"
  "$SY_SWITCHYARD_BIN" serve --config "$config" </dev/null >"$logfile" 2>&1 &
  SY_PROXY_PID=$!
  SY_PROXY_LOG=$logfile
  trap stop_proxy EXIT
  if [[ -n $port ]]; then
    local i
    for ((i = 0; i < 150; i++)); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
      if ! kill -0 "$SY_PROXY_PID" 2>/dev/null; then
        tail -n 30 "$logfile" >&2 || true
        fail "switchyard exited during start-up (log above: $logfile)"
      fi
      sleep 0.1
    done
    tail -n 30 "$logfile" >&2 || true
    fail "switchyard did not accept connections on port $port within 15s"
  fi
}

# stop_proxy: SIGTERM the proxy started by start_proxy, SIGKILL after 10 s.
stop_proxy() {
  local pid=${SY_PROXY_PID:-} i
  [[ -n $pid ]] || return 0
  SY_PROXY_PID=
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    # kill -0 succeeds on our own unreaped child; its State in /proc tells.
    if [[ $(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$pid/status" 2>/dev/null) =~ ^(Z|X|)$ ]]; then
      wait "$pid" 2>/dev/null || true
      return 0
    fi
    sleep 0.1
  done
  echo "switchyard (pid $pid) ignored SIGTERM for 10s: SIGKILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# ------------------------------------------------------------------ server fixture steps
# Used by the integration/servers_start and integration/servers_stop tests.
#
# Start: servers that are already up (kept from an earlier run with SY_KEEP_SERVERS=1)
# are reused; otherwise the run directory is made afresh, so each ctest run starts from
# known data.
sy_servers_start() {
  local scripts=$SY_SOURCE_DIR/scripts
  if ! "$scripts/pg-cluster" status "$SY_PG_DIR" >/dev/null 2>&1; then
    "$scripts/pg-cluster" stop "$SY_PG_DIR" >/dev/null
    rm -rf "$SY_PG_DIR"
  fi
  if ! "$scripts/mariadb-pair" status "$SY_MY_DIR" >/dev/null 2>&1; then
    "$scripts/mariadb-pair" stop "$SY_MY_DIR" >/dev/null
    rm -rf "$SY_MY_DIR"
  fi
  "$scripts/pg-cluster" start "$SY_PG_DIR" "$SY_PG_PRIMARY_PORT" "$SY_PG_REPLICA_PORT"
  "$scripts/mariadb-pair" start "$SY_MY_DIR" "$SY_MY_PRIMARY_PORT" "$SY_MY_REPLICA_PORT"
}

# Stop, unless SY_KEEP_SERVERS=1 (then they stay up for debugging).
sy_servers_stop() {
  if [[ ${SY_KEEP_SERVERS:-0} == 1 ]]; then
    echo "SY_KEEP_SERVERS=1: servers left running (stop: scripts/pg-cluster stop $SY_PG_DIR;" \
      "scripts/mariadb-pair stop $SY_MY_DIR)"
    return 0
  fi
  local rc=0
  "$SY_SOURCE_DIR/scripts/pg-cluster" stop "$SY_PG_DIR" || rc=1
  "$SY_SOURCE_DIR/scripts/mariadb-pair" stop "$SY_MY_DIR" || rc=1
  return $rc
}
