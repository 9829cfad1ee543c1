# bench/proxy/lib.sh: what the proxy benchmarks share. Source it from a bench script:
#   source "$(dirname "$0")/lib.sh"
# It sets ROOT (the checkout), BIN (the switchyard binary; SY_SWITCHYARD_BIN overrides),
# PG_BIN, and gives: log, need (apt-get install what is missing), track_pid + an EXIT trap
# that stops every tracked PID (SIGINT, then waits) and runs bench_cleanup_hook if defined,
# cpu_ticks/tree_ticks (utime+stime from /proc/<pid>/stat, clock ticks of 10 ms),
# rss_kib, and median.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
BIN=${SY_SWITCHYARD_BIN:-$ROOT/build/switchyard}
PG_BIN=/usr/lib/postgresql/15/bin
BENCH_NAME=${BENCH_NAME:-$(basename "$0")}

log() { echo "$BENCH_NAME: $*" >&2; }

# need PACKAGE...: install the Debian packages that are not installed yet.
need() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    apt-get -o DPkg::Lock::Timeout=300 update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q \
      "${missing[@]}" >/dev/null
  fi
}

need_switchyard() {
  [[ -x $BIN ]] || { log "no $BIN: build first (scripts/test or scripts/quickstart)"; exit 2; }
}

BENCH_PIDS=()
track_pid() { BENCH_PIDS+=("$1"); }
bench_stop_all() {
  local p
  for p in "${BENCH_PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  for p in "${BENCH_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  if declare -F bench_cleanup_hook >/dev/null; then bench_cleanup_hook || true; fi
}
trap bench_stop_all EXIT

# cpu_ticks PID: user + system clock ticks (1/100 s) the process has used, all threads.
cpu_ticks() { [[ -n $1 ]] && awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# tree_ticks PID: the same summed over PID and its children (Pgpool forks per client).
tree_ticks() {
  local pid=$1 total=0 p
  [[ -z $pid ]] && { echo 0; return; }
  for p in $pid $(pgrep -P "$pid"); do total=$((total + $(cpu_ticks "$p"))); done
  echo $total
}

# us_per_op TICKS OPS: CPU microseconds per operation.
us_per_op() { awk -v d="$1" -v n="$2" 'BEGIN {printf "%.1f", (n > 0) ? d * 10000 / n : 0}'; }

# rss_kib PID: resident set size in KiB.
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# median: the median of the numbers on stdin, one per line.
median() {
  { grep . || true; } | sort -g | awk '{a[NR]=$1} END {if (NR == 0) print 0; else print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'
}

# Added for my-compare and idle-clients: untrack_pid, stop_pid, wait_port, median_of,
# raise_fd_limit, my_wait_replica.

# untrack_pid PID: forget PID (it was stopped another way), so the EXIT trap never signals
# a recycled PID.
untrack_pid() {
  local keep=() p
  for p in "${BENCH_PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
  BENCH_PIDS=("${keep[@]}")
}

# stop_pid PID [SIGNAL]: send SIGNAL (default INT), wait up to 10 s, then SIGKILL; untrack.
# Sets STOP_STATUS to the exit status when PID is this shell's child (127 otherwise;
# 128+N for death by signal N, e.g. 139 for a segfault).
STOP_STATUS=0
stop_pid() {
  local pid=$1 sig=${2:-INT}
  STOP_STATUS=0
  [[ -n $pid ]] || return 0
  kill -"$sig" "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || STOP_STATUS=$?
  untrack_pid "$pid"
}

# wait_port PORT [SECONDS]: wait until 127.0.0.1:PORT accepts TCP connections (default 10 s).
wait_port() {
  local i
  for ((i = 0; i < ${2:-10} * 10; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  log "nothing listens on 127.0.0.1:$1"
  return 1
}

# median_of "N N N": the median of space-separated numbers.
median_of() { tr ' ' '\n' <<<"$1" | { grep . || true; } | median; }

# raise_fd_limit N: raise this shell's soft open-files limit to the hard limit (children
# inherit it); fail if that is below N.
raise_fd_limit() {
  local hard
  hard=$(ulimit -Hn)
  [[ $hard == unlimited ]] && hard=1048576
  ulimit -n "$hard"
  ((hard >= $1)) || { log "open-files hard limit $hard < $1 (raise it: ulimit -Hn as root)"; return 1; }
}

# my_wait_replica PRIMARY_PORT REPLICA_PORT [SECONDS]: wait until a MariaDB replica has
# applied everything the primary has binlogged (root over TCP, as scripts/mariadb-pair sets up).
my_wait_replica() {
  local pos r
  pos=$(mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$1" -u root -N -B -e "SELECT @@gtid_binlog_pos")
  r=$(mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$2" -u root -N -B -e "SELECT MASTER_GTID_WAIT('$pos', ${3:-60})")
  [[ $r == 0 ]] || { log "replica on $2 did not reach $pos"; return 1; }
}
