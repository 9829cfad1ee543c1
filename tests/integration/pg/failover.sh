#!/usr/bin/env bash
# Failover on a pair of its own (the shared pair is left alone): the primary
# stops and the replica is promoted — writes go to the new primary without a
# restart; then the old primary comes back as a second primary — writes are
# refused with the documented error while reads keep working.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/proxy_config.sh"

dir=$(test_tmpdir)
pair=$dir/pair
primary_port=$((SY_PG_PRIMARY_PORT + 2))
replica_port=$((SY_PG_REPLICA_PORT + 2))
port=$(proxy_port 21)
cleanup() {
  stop_proxy
  # Roles were swapped by the test: stop each data directory's own postmaster.
  local d
  for d in "$pair/replica" "$pair/primary"; do
    [[ -f $d/postmaster.pid ]] && su postgres -c "$SY_PG_BIN/pg_ctl -D '$d' stop -m immediate" >/dev/null 2>&1
  done
  return 0
}
trap cleanup EXIT
"$SY_SOURCE_DIR/scripts/pg-cluster" start "$pair" "$primary_port" "$replica_port" >"$dir/pair.log" 2>&1 ||
  { cat "$dir/pair.log"; fail "could not start the failover pair"; }

SY_PG_PRIMARY_PORT=$primary_port SY_PG_REPLICA_PORT=$replica_port \
  write_pg_proxy_config "$dir/sy.yaml" "$port" "pool: {pool_size: 4}" "    monitor: {interval: 250ms}"
start_proxy "$dir/sy.yaml" "$dir/proxy.log" "$port"
trap cleanup EXIT  # start_proxy set its own

old() { sy_psql "$primary_port" postgres app "$@"; }
new() { sy_psql "$replica_port" postgres app "$@"; }
old -c "CREATE TABLE events(id serial PRIMARY KEY, what text); GRANT ALL ON events TO app;
        GRANT ALL ON SEQUENCE events_id_seq TO app"
psql_proxy "$port" -c "INSERT INTO events(what) VALUES ('before failover')"

info "primary stopped, replica promoted: writes reach the new primary"
su postgres -c "$SY_PG_BIN/pg_ctl -D '$pair/primary' stop -m fast" >/dev/null
new -c "SELECT pg_promote()" >/dev/null
start=$(date +%s%N)
wait_until 10 bash -c "PGPASSWORD=app $SY_PG_BIN/psql -X -q -h 127.0.0.1 -p $port -U app app \
  -c \"INSERT INTO events(what) VALUES ('after failover')\"" ||
  fail "writes did not reach the promoted replica within 10 s (log: $SY_PROXY_LOG)"
info "first write after promotion succeeded $(( ($(date +%s%N) - start) / 1000000 )) ms after pg_promote()"
assert_eq 1 "$(new -c "SELECT count(*) FROM events WHERE what = 'after failover'")" \
  "the write landed on the promoted server"
grep -q "now reports role primary" "$SY_PROXY_LOG" || fail "role change not logged"

info "the old primary returns as a second primary: writes are refused, reads still work"
su postgres -c "$SY_PG_BIN/pg_ctl -D '$pair/primary' -l '$pair/primary.log' start -w" >/dev/null
two_primaries() {
  [[ $(PGPASSWORD=app "$SY_PG_BIN/psql" -X -At -h 127.0.0.1 -p "$port" -U app app \
        -c "SHOW SWITCHYARD SERVERS" | awk -F'|' '$5 == "primary" && $6 == "yes"' | wc -l) == 2 ]]
}
wait_until 10 two_primaries || fail "the proxy did not see the old primary come back"
err=$(PGPASSWORD=app "$SY_PG_BIN/psql" -X -q -v VERBOSITY=verbose -h 127.0.0.1 -p "$port" -U app app \
  -c "INSERT INTO events(what) VALUES ('split brain')" 2>&1 || true)
assert_contains "$err" "25006" "SQLSTATE of the refused write"
assert_contains "$err" "claim to be the primary" "message of the refused write"
assert_eq 0 "$(new -c "SELECT count(*) FROM events WHERE what = 'split brain'")" "no write on the new primary"
assert_eq 0 "$(old -c "SELECT count(*) FROM events WHERE what = 'split brain'")" "no write on the old primary"
assert_eq 1 "$(psql_proxy "$port" -c "SELECT 1")" "reads still served"
kill -0 "$SY_PROXY_PID" || fail "proxy died"
info "ok"
