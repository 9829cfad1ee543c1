#!/usr/bin/env bash
# Failover on a MariaDB pair of its own (the shared pair is left alone):
# first the replica also claims to be primary (read_only=0) — writes are
# refused with 1290 naming both servers while reads go on, and resume once it
# steps down; then the primary stops and the replica is promoted (STOP SLAVE,
# read_only=0) — writes reach it through the running proxy, without a restart.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/proxy_config.sh"

dir=$(test_tmpdir)
pair=$dir/pair
primary_port=$((SY_MY_PRIMARY_PORT + 2))
replica_port=$((SY_MY_REPLICA_PORT + 2))
port=$(proxy_port 38)
cleanup() {
  stop_proxy
  "$SY_SOURCE_DIR/scripts/mariadb-pair" stop "$pair" >/dev/null 2>&1 || true
}
trap cleanup EXIT
"$SY_SOURCE_DIR/scripts/mariadb-pair" start "$pair" "$primary_port" "$replica_port" >"$dir/pair.log" 2>&1 ||
  { cat "$dir/pair.log"; fail "could not start the failover pair"; }

SY_MY_PRIMARY_PORT=$primary_port SY_MY_REPLICA_PORT=$replica_port \
  write_my_proxy_config "$dir/sy.yaml" "$port" "pool: {pool_size: 4}" "    monitor: {interval: 250ms}"
start_proxy "$dir/sy.yaml" "$dir/proxy.log" "$port"
trap cleanup EXIT  # start_proxy set its own

old() { sy_mariadb "$primary_port" root "" app "$@"; }
new() { sy_mariadb "$replica_port" root "" app "$@"; }
write() { my_proxy "$port" -e "INSERT INTO events(what) VALUES ('$1')"; }
old -e "CREATE TABLE events(id int AUTO_INCREMENT PRIMARY KEY, what varchar(40))"
write "before failover"

info "two servers claim to be primary: writes refused (1290, naming both), reads go on"
new -e "SET GLOBAL read_only = 0"
two_primaries() {
  [[ $(my_proxy "$port" -e "SHOW SWITCHYARD SERVERS" | awk -F'\t' '$5 == "primary" && $6 == "yes"' | wc -l) == 2 ]]
}
wait_until 10 two_primaries || fail "the proxy did not see the second primary"
err=$(write "split brain" 2>&1 || true)
assert_contains "$err" "ERROR 1290 (HY000)" "code of the refused write"
assert_contains "$err" "claim to be the primary" "message of the refused write"
assert_contains "$err" "primary (127.0.0.1:$primary_port)" "the message names the primary"
assert_contains "$err" "replica1 (127.0.0.1:$replica_port)" "the message names the replica"
assert_eq 0 "$(old -e "SELECT count(*) FROM events WHERE what = 'split brain'")" "no write on the primary"
assert_eq 0 "$(new -e "SELECT count(*) FROM events WHERE what = 'split brain'")" "no write on the replica"
assert_eq 1 "$(my_proxy "$port" -e "SELECT count(*) FROM events")" "reads still served"
new -e "SET GLOBAL read_only = 1"
wait_until 10 write "after step down" || fail "writes did not resume after the replica stepped down"

info "primary stopped, replica promoted: writes reach the new primary"
kill -TERM "$(head -n1 "$pair/primary.pid")"
wait_until 60 port_is_free "$primary_port" || fail "the primary did not stop"
new -e "STOP SLAVE; SET GLOBAL read_only = 0"
start=$(date +%s%N)
wait_until 10 write "after failover" ||
  fail "writes did not reach the promoted replica within 10 s (log: $SY_PROXY_LOG)"
info "first write after promotion succeeded $(( ($(date +%s%N) - start) / 1000000 )) ms after read_only=0 (monitor interval 250 ms)"
assert_eq 1 "$(new -e "SELECT count(*) FROM events WHERE what = 'after failover'")" \
  "the write landed on the promoted server"
assert_eq 3 "$(my_proxy "$port" -e "SELECT count(*) FROM events")" "reads after failover"
out=$(my_proxy "$port" -e "START TRANSACTION; INSERT INTO events(what) VALUES ('txn'); COMMIT; SELECT @@server_id")
assert_eq 2 "$out" "a transaction on the new primary"
# A client whose capabilities need a pool of their own: its login is checked
# against the new primary, not the stopped one.
out=$(printf "INSERT INTO events(what) VALUES ('new pool')\nSELECT count(*) FROM events WHERE what = 'new pool'\n" |
  python3 "$(dirname "$0")/my_client.py" "$port" --no-session-track)
assert_eq 1 "$out" "a new pool after failover logs in to the new primary"
grep -q "replica1 (127.0.0.1:$replica_port) now reports role primary" "$SY_PROXY_LOG" || fail "role change not logged"
kill -0 "$SY_PROXY_PID" || fail "proxy died"
info "ok"
