#!/usr/bin/env bash
# Replica freshness on the real primary + replica: read-your-writes while the
# replica lags (zero stale reads), lag-aware routing with recovery after
# catch-up, the max_lag hint, SHOW SWITCHYARD SERVERS, and a replica killed
# under a read load (zero failed transactions).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/proxy_config.sh"

dir=$(test_tmpdir)
port=$(proxy_port 20)
# Tighter lag limits than the defaults so a paused replica turns stale fast.
write_pg_proxy_config "$dir/sy.yaml" "$port" "pool: {pool_size: 10}" \
  "    freshness: {max_replica_lag: 300ms, max_replica_lag_bytes: 64KiB}
    monitor: {interval: 100ms}"
start_proxy "$dir/sy.yaml" "$dir/proxy.log" "$port"

resume_replay() { psql_replica -c "SELECT pg_wal_replay_resume()" >/dev/null 2>&1 || true; }
trap 'resume_replay; stop_proxy' EXIT

psql_primary -c "DROP TABLE IF EXISTS counter; CREATE TABLE counter(id int PRIMARY KEY, n int);
                 INSERT INTO counter VALUES (1, 0); GRANT ALL ON counter TO app"
pg_wait_replica_caught_up
sleep 0.5

info "read-your-writes while the replica is paused: every read sees the write before it"
psql_replica -c "SELECT pg_wal_replay_pause()" >/dev/null
script=$dir/ryw.sql
for i in $(seq 1 40); do
  echo "UPDATE counter SET n = $i WHERE id = 1;"
  echo "SELECT n FROM counter WHERE id = 1;"
done >"$script"
out=$(psql_proxy "$port" -f "$script" | grep -v '^UPDATE' | tr '\n' ' ')
assert_eq "$(seq -s ' ' 1 40) " "$out" "reads after each write"

info "a lagging replica stops getting reads; the max_lag hint can still use it"
for i in 1 2 3 4 5; do psql_primary -c "INSERT INTO counter SELECT g, g FROM generate_series($i*100000, $i*100000+2000) g" >/dev/null; done
wait_until 10 bash -c "[[ \$(PGPASSWORD=app $SY_PG_BIN/psql -X -At -h 127.0.0.1 -p $port -U app app -c 'SELECT pg_is_in_recovery()') == f ]]" ||
  fail "reads still go to the paused replica"
servers=$(psql_proxy "$port" -c "SHOW SWITCHYARD SERVERS" -F ' ')
assert_contains "$servers" "replica1 127.0.0.1 $SY_PG_REPLICA_PORT replica yes no yes" "SHOW SWITCHYARD SERVERS marks the replica stale"
assert_eq t "$(psql_proxy "$port" -c "/* switchyard: max_lag=600000ms */ SELECT pg_is_in_recovery()")" \
  "max_lag hint allows the lagging replica"
grep -q "is stale: reads avoid it" "$SY_PROXY_LOG" || fail "staleness not logged"

info "after resume and catch-up, reads return to the replica"
resume_replay
pg_wait_replica_caught_up 20
wait_until 10 bash -c "[[ \$(PGPASSWORD=app $SY_PG_BIN/psql -X -At -h 127.0.0.1 -p $port -U app app -c 'SELECT pg_is_in_recovery()') == t ]]" ||
  fail "reads did not return to the replica after it caught up"
grep -q "caught up: serves reads again" "$SY_PROXY_LOG" || fail "recovery not logged"

info "a replica killed under pgbench -S: zero failed transactions"
export PGPASSWORD=app
/usr/lib/postgresql/15/bin/pgbench -i -s 1 -q -h 127.0.0.1 -p "$port" -U app app >"$dir/init.log" 2>&1 ||
  { cat "$dir/init.log"; fail "pgbench -i failed"; }
pg_wait_replica_caught_up 20
/usr/lib/postgresql/15/bin/pgbench -S -c 4 -j 2 -T 6 -h 127.0.0.1 -p "$port" -U app app >"$dir/bench.log" 2>&1 &
bench=$!
sleep 2
su postgres -c "$SY_PG_BIN/pg_ctl -D '$SY_PG_DIR/replica' stop -m immediate" >/dev/null
bench_rc=0
wait "$bench" || bench_rc=$?
"$SY_SOURCE_DIR/scripts/pg-cluster" start "$SY_PG_DIR" "$SY_PG_PRIMARY_PORT" "$SY_PG_REPLICA_PORT" >/dev/null
((bench_rc == 0)) || { cat "$dir/bench.log"; fail "pgbench failed while the replica was killed"; }
failed=$(grep -oP 'number of failed transactions: \K[0-9]+' "$dir/bench.log" || echo missing)
processed=$(grep -oP 'actually processed: \K[0-9]+' "$dir/bench.log" || echo 0)
info "pgbench -S with the replica killed: $processed transactions, $failed failed"
[[ $failed == 0 ]] || { cat "$dir/bench.log"; fail "failed transactions: $failed"; }
kill -0 "$SY_PROXY_PID" || fail "proxy died"
info "ok"
