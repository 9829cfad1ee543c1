#!/usr/bin/env bash
# Replica freshness on the real MariaDB primary + replica: read-your-writes by
# GTID while the replica's SQL thread is stopped (zero stale reads, with and
# without session tracking), lag-aware routing with recovery after catch-up,
# read_your_writes_wait, the max_lag hint, SHOW SWITCHYARD SERVERS (and its misuse), and a
# replica killed under a sysbench point-select load (zero errors).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/proxy_config.sh"

dir=$(test_tmpdir)
ryw_port=$(proxy_port 36)
lag_port=$(proxy_port 37)
client=(python3 "$(dirname "$0")/my_client.py")

# The pair's servers track last_gtid already (scripts/mariadb-pair); take it out
# so that the proxy must ask for it on its own connections.
default_track=autocommit,character_set_client,character_set_connection,character_set_results,time_zone
restore() {
  my_replica -e "START SLAVE SQL_THREAD" >/dev/null 2>&1 || true
  my_primary -e "SET GLOBAL session_track_system_variables = '$default_track,last_gtid'" >/dev/null 2>&1 || true
}
my_primary -e "SET GLOBAL session_track_system_variables = '$default_track'"

# Proxy A never calls the replica stale (no lag limits): only read-your-writes
# keeps this session's reads off it. Proxy B has tight limits and waits up to
# 5 s for a replica to replay the session's write.
write_my_proxy_config "$dir/ryw.yaml" "$ryw_port" "pool: {pool_size: 8}" \
  "    freshness: {max_replica_lag: 0ms, max_replica_lag_bytes: 0}
    monitor: {interval: 100ms}"
write_my_proxy_config "$dir/lag.yaml" "$lag_port" "pool: {pool_size: 4}" \
  "    freshness: {max_replica_lag: 300ms, max_replica_lag_bytes: 1000000, read_your_writes_wait: 5s}
    monitor: {interval: 100ms}"
start_proxy "$dir/lag.yaml" "$dir/lag.log" "$lag_port"
lag_pid=$SY_PROXY_PID
start_proxy "$dir/ryw.yaml" "$dir/ryw.log" "$ryw_port"
cleanup() {
  restore
  stop_proxy
  kill -TERM "$lag_pid" 2>/dev/null || true
  wait "$lag_pid" 2>/dev/null || true
}
trap cleanup EXIT

my_primary -e "DROP TABLE IF EXISTS counter; CREATE TABLE counter(id int PRIMARY KEY, n int);
               INSERT INTO counter VALUES (1, 0)"
my_wait_replica_caught_up
sleep 0.5
server_id() { my_proxy "$1" --comments -e "${2:-}SELECT @@server_id"; }
assert_eq 2 "$(server_id "$ryw_port")" "a read with no write before it goes to the replica"

info "read-your-writes while the replica's SQL thread is stopped: every read sees the write before it"
my_replica -e "STOP SLAVE SQL_THREAD"
for i in $(seq 1 40); do
  echo "UPDATE counter SET n = $i WHERE id = 1;"
  echo "SELECT n FROM counter WHERE id = 1;"
done >"$dir/ryw.sql"
out=$(my_proxy "$ryw_port" <"$dir/ryw.sql" | tr '\n' ' ')
assert_eq "$(seq -s ' ' 1 40) " "$out" "reads after each write (mariadb client, GTID from session tracking)"
! grep -q "for @@last_gtid" "$dir/ryw.log" || fail "session tracking unused: the proxy asked for @@last_gtid"
assert_eq 0 "$(my_replica -e "SELECT n FROM counter WHERE id = 1")" "the replica really lags"
assert_eq 2 "$(server_id "$ryw_port")" "a session without writes still reads the lagging replica"
for i in $(seq 41 80); do
  echo "UPDATE counter SET n = $i WHERE id = 1"
  echo "SELECT n FROM counter WHERE id = 1"
done >"$dir/ryw2.sql"
out=$("${client[@]}" "$ryw_port" --no-session-track <"$dir/ryw2.sql" | tr '\n' ' ')
assert_eq "$(seq -s ' ' 41 80) " "$out" "reads after each write (no session tracking: @@last_gtid asked)"
grep -q "for @@last_gtid (no session tracking)" "$dir/ryw.log" || fail "@@last_gtid was never asked"
out=$(printf 'START TRANSACTION\nUPDATE counter SET n = 81 WHERE id = 1\nCOMMIT\nSELECT n FROM counter WHERE id = 1\n' |
  "${client[@]}" "$ryw_port" | tr '\n' ' ')
assert_eq "81 " "$out" "read after an explicit transaction's COMMIT"
stale=$(grep -c "commit position unknown" "$dir/ryw.log" || true)
assert_eq 0 "$stale" "every commit's GTID was learned"

info "the lagging replica turns stale and stops getting reads; the max_lag hint may still use it"
for i in 1 2 3; do my_primary -e "UPDATE counter SET n = n + 1 WHERE id = 1"; done
wait_until 10 bash -c "[[ \$(mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P $lag_port -uapp -papp app -N -e 'SELECT @@server_id') == 1 ]]" ||
  fail "reads still go to the stopped replica"
servers=$(my_proxy "$lag_port" -e "SHOW SWITCHYARD SERVERS" | tr '\t' ' ')
assert_contains "$servers" "replica1 127.0.0.1 $SY_MY_REPLICA_PORT replica yes no yes" \
  "SHOW SWITCHYARD SERVERS marks the replica stale"
assert_contains "$servers" "primary 127.0.0.1 $SY_MY_PRIMARY_PORT primary yes no no" \
  "SHOW SWITCHYARD SERVERS lists the primary"
# Misused (another word, or more statements before or after it in one COM_QUERY): the
# proxy's own 1064, and nothing reaches a server.
misuse=$(my_proxy "$lag_port" -e "SHOW SWITCHYARD POOLS" 2>&1 || true)
assert_contains "$misuse" "ERROR 1064 (42000)" "SHOW SWITCHYARD POOLS gets 1064"
assert_contains "$misuse" "only as a statement of its own" "SHOW SWITCHYARD POOLS is explained"
misuse=$(my_proxy "$lag_port" --delimiter='//' -e "SHOW SWITCHYARD SERVERS; SELECT 1//" 2>&1 || true)
assert_contains "$misuse" "only as a statement of its own" "a multi-statement query with SHOW SWITCHYARD is refused"
before=$(my_primary -e "SELECT n FROM counter WHERE id = 1")
misuse=$(my_proxy "$lag_port" --delimiter='//' -e "UPDATE counter SET n = n + 1000 WHERE id = 1; SHOW SWITCHYARD SERVERS//" 2>&1 || true)
assert_contains "$misuse" "no other statements before or after it" "SHOW SWITCHYARD after another statement is refused"
assert_eq "$before" "$(my_primary -e "SELECT n FROM counter WHERE id = 1")" "the statement before SHOW SWITCHYARD did not run"
assert_eq 2 "$(server_id "$lag_port" "/* switchyard: max_lag=600000ms */ ")" "max_lag hint allows the lagging replica"
grep -q "is stale: reads avoid it" "$dir/lag.log" || fail "staleness not logged"

info "after START SLAVE SQL_THREAD and catch-up, reads return to the replica"
my_replica -e "START SLAVE SQL_THREAD"
my_wait_replica_caught_up 20
wait_until 10 bash -c "[[ \$(mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P $lag_port -uapp -papp app -N -e 'SELECT @@server_id') == 2 ]]" ||
  fail "reads did not return to the replica after it caught up"
grep -q "caught up: serves reads again" "$dir/lag.log" || fail "recovery not logged"
out=$(my_proxy "$lag_port" -e "UPDATE counter SET n = 1000 WHERE id = 1; SELECT @@server_id, n FROM counter WHERE id = 1")
assert_eq "$(printf '2\t1000')" "$out" "read_your_writes_wait: the read waited for the replica to replay the write"

info "a replica killed under sysbench oltp_point_select: zero errors"
sb() {
  sysbench --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$ryw_port" --mysql-user=app \
    --mysql-password=app --mysql-db=app --tables=1 --table-size=2000 "$@"
}
sb oltp_point_select cleanup >/dev/null 2>&1 || true
sb oltp_point_select prepare >"$dir/prepare.out" 2>&1 || fail "sysbench prepare: $(tail -5 "$dir/prepare.out")"
my_wait_replica_caught_up 30
sleep 0.5
sb --threads=2 --time=6 --db-ps-mode=auto oltp_point_select run >"$dir/ps.out" 2>&1 &
ps_bench=$!
sb --threads=2 --time=6 --db-ps-mode=disable oltp_point_select run >"$dir/text.out" 2>&1 &
text_bench=$!
sleep 2
replica_pid=$(head -n1 "$SY_MY_DIR/replica.pid")
kill -KILL "$replica_pid"
ps_rc=0 text_rc=0
wait "$ps_bench" || ps_rc=$?
wait "$text_bench" || text_rc=$?
"$SY_SOURCE_DIR/scripts/mariadb-pair" start "$SY_MY_DIR" "$SY_MY_PRIMARY_PORT" "$SY_MY_REPLICA_PORT" >"$dir/restart.log" 2>&1 ||
  { cat "$dir/restart.log"; fail "could not restart the killed replica"; }
for mode in ps text; do
  out=$dir/$mode.out
  rc=${mode}_rc
  ((${!rc} == 0)) || { cat "$out"; fail "sysbench ($mode) failed while the replica was killed"; }
  errors=$(grep -oP 'errors:\s+\K[0-9]+' "$out" || echo missing)
  queries=$(grep -oP 'read:\s+\K[0-9]+' "$out" || echo 0)
  info "oltp_point_select ($mode) with the replica killed: $queries reads, $errors errors"
  [[ $errors == 0 ]] || { cat "$out"; fail "sysbench ($mode) errors: $errors"; }
done
grep -q "retrying it elsewhere" "$dir/ryw.log" || info "(no read was in flight on the replica when it died)"
sb oltp_point_select cleanup >/dev/null 2>&1 || true
kill -0 "$SY_PROXY_PID" || fail "proxy died"
info "ok"
